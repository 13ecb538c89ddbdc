/* eng_assessment.h: the school assessment engine (SPEC §2.6): validates each assessment
 * scheme (a tree of weighted items: siblings sum to their parent, the top level to the
 * total, the 思政 items at least their minimum share), then, for the active schemes that
 * pass, weighted totals per school, the 思政 sub-score and rankings per county and city.
 * Also the curriculum checks (铸牢中华民族共同体意识 hours, 道德与法治 share).
 *
 * Pure: facts in (arrays filled by the loader, mech_assessment.c), result rows out. */
#ifndef ENG_ASSESSMENT_H
#define ENG_ASSESSMENT_H

#include <stddef.h>

struct buf;
struct result_set;

/* Weights are percentages of the whole scheme (a child's weight is its share of the total,
 * so the children of an item weigh as much as the item). */
struct as_item {
	const char *code, *parent, *name;   /* parent NULL or "" at the top level */
	double weight;
	int sizheng;                        /* tagged 思政 */
};

struct as_scheme {
	const char *code, *name;
	int year;
	int active;                         /* status 'active'; drafts are only validated */
	struct as_item *items;
	int nitems;
};

struct as_school {
	const char *code, *name;
	const char *county, *city;          /* area codes ("" when unknown) */
};

/* One item score of one school (0..100) under one scheme: indexes into the input arrays. */
struct as_score {
	int scheme, item, school;
	double score;
};

struct as_params {
	double weight_total;        /* assessment.scheme weight_total (100) */
	double sizheng_min_weight;  /* share of the total (0.15) */
	double weight_tolerance;    /* sums within this many points are equal (0.001) */
};

struct as_input {
	const struct as_scheme *schemes;
	int nschemes;
	const struct as_school *schools;
	int nschools;
	const struct as_score *scores;
	size_t nscores;
};

/* Validate one scheme: appends one message per problem to why ("; "-separated, none when
 * valid) and returns the number of problems. *sizheng receives the 思政 weight (items
 * tagged, not counting an item whose ancestor is tagged). */
int assess_validate(const struct as_scheme *s, const struct as_params *p, double *sizheng,
		    struct buf *why);

/* ASSESS.SCHEME per scheme; for valid active schemes ASSESS.TOTAL, ASSESS.SIZHENG,
 * ASSESS.RANK.COUNTY, ASSESS.RANK.CITY per school and ASSESS.COUNTY per county. */
void assess_run(const struct as_input *in, const struct as_params *p, struct result_set *out);

/* ---- curriculum ---- */

enum cur_stage { CUR_OTHER = 0, CUR_PRIMARY = 1, CUR_JUNIOR = 2, CUR_BOTH = 3 };

struct cur_school {
	const char *code, *name, *county;
	enum cur_stage stages;              /* compulsory stages the school teaches */
	int has_return;                     /* any curriculum_hours row for the year */
	double ethnic_unity;                /* 铸牢中华民族共同体意识 hours a week (0 when absent) */
	double morality_law;                /* 道德与法治 hours a week (0 when absent) */
	double total;                       /* total class hours a week; NAN when unknown */
};

struct cur_params {
	double ethnic_unity_min;            /* curriculum.hours ethnic_unity_min_per_week */
	double ml_min, ml_max;              /* morality_law_min_share / max_share */
	double primary_years, junior_years; /* curriculum.hours primary_years / junior_years */
};

/* CUR.ETHNIC and CUR.ML.SHARE per school, CUR.ETHNIC.COUNTY and CUR.ML.COUNTY per county. */
void curriculum_run(const struct cur_school *s, int n, int year, const struct cur_params *p,
		    struct result_set *out);

#endif
