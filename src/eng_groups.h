/* eng_groups.h: the education-groups engine (集团化办学, SPEC §2.3), pure C: schools, groups,
 * membership over time, exam results and exchanges in; result rows (eval.h) out. No SQL, no
 * I/O, no globals.
 *
 * - Coverage in school year Y: schools of the denominator that are members of a group in Y
 *   (joined_year <= Y and no left_year or left_year > Y) ÷ schools of the denominator; for
 *   the city and per county; the denominator is named in every row.
 * - Per group: lead, members, urban/rural mix, pupils, exchanges inside the group in Y.
 * - Outcomes: 优秀率 = excellent ÷ candidates per member and year; the change since joining;
 *   and a difference-in-differences estimate for rural members against rural schools in no
 *   group, between Y - base_lag and Y, on candidate-weighted (pooled) rates, with a
 *   percentile bootstrap interval over schools (fixed seed). */
#ifndef ENG_GROUPS_H
#define ENG_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct result_set;

struct grp_school {
	const char *code, *name;
	int county;                 /* index into the counties */
	int rural;                  /* location class counts as rural */
	int in_denominator;         /* counts in the coverage denominator (groups.coverage) */
	double pupils;              /* pupils in year Y (0 when no return) */
	/* what the mechanism sets rural and in_denominator from (the engine reads neither):
	 * the location class (school.urban_rural, NULL when unknown), a compulsory type, public */
	const char *cls;
	int compulsory, is_public;
};

struct grp_group {
	const char *code, *name;
	int lead;                   /* school index, -1 if unknown */
	int founded;
};

struct grp_member {
	int group, school;
	int joined, left;           /* school years; left 0: still a member */
};

struct grp_exam {
	int school, year;
	double candidates, excellent;
};

/* An exchange posting starting in school year Y, from the teacher's home school. */
struct grp_exchange {
	int from, to;               /* school indices; from -1 when unknown */
};

struct grp_params {
	const char *denominator;    /* groups.coverage denominator (named in the evidence) */
	double level;               /* interval_level, e.g. 0.95 */
	int base_lag;               /* base year = Y - base_lag */
	int reps;                   /* bootstrap resamples */
	uint64_t seed;
	int min_schools;            /* fewer on either side: no estimate */
};

struct grp_input {
	const struct grp_school *schools;
	int nschools;
	const char *const *county_code;
	int ncounties;
	const char *city_code;
	const struct grp_group *groups;
	int ngroups;
	const struct grp_member *members;
	int nmembers;
	const struct grp_exam *exams;        /* the outcome exam only */
	size_t nexams;
	const struct grp_exchange *exchanges;
	size_t nexchanges;
};

/* 1 when member m is in its group in school year y. */
int grp_is_member(const struct grp_member *m, int y);

/* Difference in differences on pooled rates: treated schools t[0..nt), control c[0..nc),
 * each with base and post (excellent, candidates). */
struct grp_did_school {
	double base_exc, base_cand, post_exc, post_cand;
};
struct grp_did {
	int nt, nc;
	double t_base, t_post, c_base, c_post;   /* pooled rates */
	double estimate;                         /* (t_post - t_base) - (c_post - c_base) */
	double lo, hi;                           /* bootstrap interval; NAN without */
	int distinguishable;                     /* the interval excludes 0 */
};
void grp_did_compute(const struct grp_did_school *t, int nt, const struct grp_did_school *c,
		     int nc, const struct grp_params *p, struct grp_did *out);

/* Run the engine for school year `year`. Returns 0, or a negative ERR_* with e set. */
int grp_run(const struct grp_params *p, const struct grp_input *in, int year,
	    struct result_set *out, struct err *e);

#endif
