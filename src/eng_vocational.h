/* eng_vocational.h: the vocational education engine (SPEC §2.5), pure C: specialty, school
 * and cooperation facts and rule parameters in, decisions and result rows (eval.h) out. No
 * SQL, no I/O, no globals.
 *
 * The annual specialty review is one staged rule: a per-year condition (employment rate
 * below a threshold, bottom share of the peer set, or enrolment below a minimum) and a run
 * length. The first year the condition holds gives the first action (预警), a run of
 * run_years consecutive years gives the action (停招 or 撤销). A year in which the condition
 * cannot be decided (no graduates; for the enrolment condition, no return) is skipped (it
 * neither breaks nor extends a run) or breaks the run, as the rule says. Rates are compared
 * with their thresholds as exact fractions (the threshold rounded to 1e-6), so 30 of 50 is
 * not below 60%.
 *
 * Also: 就业率, 对口就业率 and 企业满意度 per specialty; specialty-industry matching per city
 * (by count and enrolment-weighted); specialties opened and closed per year; sites per
 * catalogue code; school-enterprise cooperation figures per school and city. Indicator
 * codes are listed in the catalog (indicator.c). */
#ifndef ENG_VOCATIONAL_H
#define ENG_VOCATIONAL_H

#include <stddef.h>

#include "err.h"

struct arena;
struct result_set;

enum voc_cond { VOC_COND_EMPLOYMENT, VOC_COND_PEER_BOTTOM, VOC_COND_ENROLMENT };
enum voc_peer { VOC_PEER_CATEGORY, VOC_PEER_CODE, VOC_PEER_ALL };
enum voc_action { VOC_ACT_NONE, VOC_ACT_WARN, VOC_ACT_STOP_ENROLMENT, VOC_ACT_CLOSE };

/* Every number the engine uses; the mechanism copies them from the rule table. */
struct voc_params {
	/* vocational.employment: the staged review rule */
	enum voc_cond cond;
	double min_rate;            /* employment_below: rate below this */
	double bottom_share;        /* peer_bottom: bottom share of the peer set */
	enum voc_peer peer_set;     /* peer_bottom: peers are the same 专业大类, code, or all */
	int min_peers;              /* peer_bottom: fewer peers with graduates: undecided year */
	double min_enrolled;        /* enrolment_below: enrolment below this */
	int run_years;              /* consecutive years for the action */
	enum voc_action first_action;   /* VOC_ACT_WARN or VOC_ACT_NONE */
	enum voc_action action;         /* VOC_ACT_STOP_ENROLMENT or VOC_ACT_CLOSE */
	int undecided_breaks;       /* 1: an undecided year ends a run; 0: it is skipped */
	double satisfaction_min_sample; /* vocational.satisfaction min_sample */
	double match_target;        /* vocational.match target */
	double sites_max_share;     /* vocational.sites max_share */
};

/* Names as in the rule table ("employment_below", "close", ...), static storage. */
const char *voc_cond_name(enum voc_cond c);
const char *voc_action_name(enum voc_action a);
const char *voc_action_zh(enum voc_action a);

/* One specialty's figures for one year (specialty_year). */
struct voc_year {
	int year;
	long enrolled, graduates, employed, further_study, in_trade, surveyed, satisfied;
};

/* A school's specialty. Strings are borrowed. */
struct voc_specialty {
	const char *school;          /* 学校标识码 (must be in voc_facts.schools) */
	const char *version, *code;  /* catalogue version and 专业代码 */
	const char *name, *category; /* from the catalogue; may be NULL */
	int opened_year, closed_year; /* closed_year 0: open */
	const struct voc_year *years; /* ascending by year, distinct years */
	size_t nyears;
	const char *key_industries;  /* key industries mapped to it ("IND01,IND03"); NULL or "":
				      * unmatched */
	int cooperating;             /* a cooperation tied to it is active in the year; set by
				      * voc_decide(), callers leave it 0 */
};

/* A school running specialties, with its city's area code. */
struct voc_school {
	const char *code, *name, *city;
	const char *city_name;        /* may be NULL */
};

enum voc_coop_kind {
	VOC_CK_ORDER_CLASS, VOC_CK_APPRENTICESHIP, VOC_CK_INTERNSHIP, VOC_CK_TRAINING,
	VOC_CK_OTHER, VOC_CK_N
};

struct voc_coop {
	const char *school, *credit_code;
	enum voc_coop_kind kind;
	int start_year, end_year;     /* end_year 0: running */
	long students;
	const char *version, *specialty; /* the specialty it serves, or NULL */
};

struct voc_base {
	const char *code, *school, *credit_code; /* credit_code may be NULL */
	double investment, equipment_value;
	long capacity;
	int opened_year;              /* 0: unknown (counted) */
};

/* Interns or employee-training person-times of one school, enterprise and year. */
struct voc_count {
	const char *school, *credit_code;
	int year;
	long n;
};

/* The facts of one run. schools sorted by code (strcmp), specs sorted by (school, version,
 * code). The others in any order. */
struct voc_facts {
	const struct voc_school *schools;
	size_t nschools;
	struct voc_specialty *specs;
	size_t nspecs;
	const struct voc_coop *coops;
	size_t ncoops;
	const struct voc_base *bases;
	size_t nbases;
	const struct voc_count *interns, *trainings;
	size_t ninterns, ntrainings;
};

/* How the condition came out in one year of a specialty. */
enum voc_ystate { VOC_Y_NOT_MET, VOC_Y_MET, VOC_Y_UNDECIDED };

/* One year of a specialty's run, for the explanation. For employment_below num/den are
 * (employed + further study) / graduates; for peer_bottom peers with a strictly lower rate
 * / peers with graduates (and rate_num/rate_den the rate); for enrolment_below the
 * enrolment / 0. has_row 0: no return that year. */
struct voc_step {
	int year;
	int has_row;
	enum voc_ystate state;
	long num, den;
	long rate_num, rate_den;
	int run;                      /* run length after this year */
};

/* The review of one specialty for the year. */
struct voc_decision {
	int in_review;                /* open in the year (opened <= Y, not closed by Y) */
	int decided;                  /* the condition was decided in year Y */
	enum voc_action action;       /* VOC_ACT_NONE when the condition does not hold in Y */
	int run;                      /* run length at Y */
	struct voc_step *steps;       /* years from the first return to Y (arena) */
	size_t nsteps;
};

/* Decide every specialty for year: d has f->nspecs entries; steps are allocated in a.
 * Also sets f->specs[i].cooperating for the year. Returns 0, or ERR_DATA with e set for
 * invalid parameters or facts (a specialty's school not among the schools). */
int voc_decide(const struct voc_params *p, struct voc_facts *f, int year,
	       struct voc_decision *d, struct arena *a, struct err *e);

/* The facts grouped by city: each specialty's school, each school's city, and the
 * specialties and schools of each city (indexes into the facts' arrays). Cities are the
 * schools' distinct city codes, sorted. */
struct voc_index {
	size_t *spec_school;                  /* [nspecs] */
	size_t *school_city;                  /* [nschools] */
	const char **cities;                  /* [ncities], borrowed from the schools */
	size_t ncities;
	size_t *city_specs, *city_spec_start; /* specs of city c: [start[c], start[c + 1]) */
	size_t *city_schools, *city_school_start;
};
/* ERR_DATA with e set when a specialty's school is not among the schools. */
int voc_index_build(const struct voc_facts *f, struct voc_index *x, struct err *e);
void voc_index_release(struct voc_index *x);

/* Specialty-industry matching over the n specialties idx[] (those not in review are left
 * out): counts, and enrolment in year (enrolled of that year's return). */
struct voc_match {
	long specialties, matched;
	long enrolled, enrolled_matched;
};
void voc_match_count(const struct voc_facts *f, const struct voc_decision *d,
		     const size_t *idx, size_t n, int year, struct voc_match *m);
/* 1 when part/whole is at least target, compared exactly (target rounded to 1e-6). */
int voc_share_at_least(long part, long whole, double target);
/* The figures of specialty s in year, or NULL. */
const struct voc_year *voc_year_of(const struct voc_specialty *s, int year);

/* Cooperation rows (VOC.COOP.*, VOC.BASE.*, VOC.INTERNS, VOC.TRAINING, VOC.EMP.COOP/OTHER)
 * per school and per city (eng_vocational_coop.c). */
void voc_coop_rows(struct result_set *out, const struct voc_facts *f,
		   const struct voc_decision *d, const struct voc_index *x, int year);

/* Run the engine for the school year `year`, appending rows to out. */
int voc_run(const struct voc_params *p, struct voc_facts *f, int year,
	    struct result_set *out, struct err *e);

#endif
