/* eng_balance.h: the county compulsory-education balance engine (优质均衡, 教督〔2017〕6号),
 * pure C: school facts and rule parameters in, result rows (eval.h) out. No SQL, no I/O.
 *
 * For one school year and every county and stage (primary, junior) it computes the seven
 * per-school resource indicators L1-L7, the school rule (min_met of 7, the unmet ones at
 * least unmet_floor of their standard), the enrolment-weighted CV of each indicator per
 * county and stage, the county verdicts, class-size and school-size results, the junior
 * three-year retention rate (初中三年巩固率) and the 2012 basic-balance composite CV.
 * Indicator codes are listed in the catalog (indicator.c). */
#ifndef ENG_BALANCE_H
#define ENG_BALANCE_H

#include <stddef.h>

#include "err.h"

struct result_set;

enum bal_stage { BAL_STAGE_PRIMARY = 0, BAL_STAGE_JUNIOR = 1, BAL_NSTAGES = 2 };
#define BAL_NIND 7 /* L1..L7 */

enum bal_type {
	BAL_T_PRIMARY, BAL_T_JUNIOR, BAL_T_NINE_YEAR, BAL_T_COMPLETE_MIDDLE, BAL_T_TWELVE_YEAR,
	BAL_T_SENIOR, BAL_T_VOCATIONAL, BAL_T_SPECIAL,
};

/* Every number the engine uses; the mechanism copies them from the rule table. */
struct bal_params {
	double standard[BAL_NSTAGES][BAL_NIND]; /* balance.school_standard L<n>_<stage> */
	double min_met, unmet_floor;            /* balance.school_rule */
	double cv_max[BAL_NSTAGES];             /* balance.cv_max */
	double tp_min_pupils;                   /* balance.scope teaching_point_min_pupils */
	int exclude_special, exclude_vocational;
	double nine_year_junior;                /* balance.combined_split */
	double complete_middle_senior;
	double twelve_year_junior, twelve_year_senior;
	double class_max[BAL_NSTAGES];          /* balance.class_size */
	double class_large, class_super_large;
	double size_max, size_nine_year_max;    /* balance.school_size */
	double retention_min;                   /* balance.retention min */
	double basic2012_max[BAL_NSTAGES];      /* balance.basic_2012 */
	int top_pullers;                        /* how many CV pullers to list (display only) */
	/* balance.method: counting choices the document leaves open */
	int teacher_full_time;   /* teacher_base full_time: only 专任 teachers count (a school's
				  * part-time ones left out) */
	int one_school_pass;     /* one_school pass: a single school's CV is 0, not n.a. */
	int missing_facility_na; /* missing_facility na: a school without a facility return
				  * makes facility CVs and BAL.SCHOOLS n.a. instead of left out */
};

/* One class section of the evaluated year. */
struct bal_class {
	int grade, pupils;
};

/* One school's facts for the evaluated year t. Counts of teachers are whole-school
 * (the engine splits them by stage); a missing facility return has has_facility = 0. */
struct bal_school {
	const char *code;
	const char *name;            /* for the evidence only (borrowed; may be NULL) */
	const char *county;          /* the county ancestor's area code */
	enum bal_type type;
	int teaching_point;
	long pupils[13], classes[13]; /* by grade 1..12 in year t; [0] unused */
	int has_returns;             /* any grade_return row in year t */
	/* retention: grade 7 in t-2, and net transfers of that cohort (7 in t-2, 8 in t-1,
	 * 9 in t) */
	long g7_before;
	int has_g7_before;
	long cohort_transfers_in, cohort_transfers_out;
	int has_transfers;
	int has_facility;
	double teaching_aux_area, indoor_sports_area, sports_ground_area, equipment_value;
	double multimedia_rooms, computers, books;
	/* full-time (专任) teachers posted here at the school year's start */
	double teachers, t_associate_plus, t_bachelor_plus, t_backbone, t_pe_art_fulltime,
		t_first_title_plus;
	/* and the part-time ones, counted too unless teacher_full_time */
	struct bal_part_time {
		double teachers, associate_plus, bachelor_plus, backbone, first_title_plus;
	} part;
	const struct bal_class *sections; /* class sections of year t (may be NULL) */
	size_t nsections;
};

/* s's county; no county is "" (one county of its own). */
static inline const char *bal_county(const struct bal_school *s)
{
	return s->county ? s->county : "";
}

/* Enrolment-weighted coefficient of variation (SPEC §2.1): weights w (pupils), values x.
 * Returns the CV, or NAN when n == 0, the weights sum to 0 or the weighted mean is 0.
 * *mean and *sd (if non-NULL) receive X̄ and S. */
double bal_weighted_cv(const double *x, const double *w, size_t n, double *mean, double *sd);

/* Stage shares of a school's assets (enrolment weighted by the combined-school ratios):
 * share[BAL_STAGE_PRIMARY], share[BAL_STAGE_JUNIOR]; 0 for a stage the school lacks. */
void bal_stage_shares(const struct bal_params *p, const struct bal_school *s, double share[2]);

/* From this many schools on, bal_run computes half the counties on a second thread. */
#define BAL_SPLIT 4096

/* Run the engine over n schools for school year `year`, appending rows to out, county by
 * county in county order (on two threads from BAL_SPLIT schools on: the same rows). Cost: a
 * sort of the schools, then linear; 0.06-0.07 s on the province's 19,312 schools (README,
 * fourteenth wave). Returns 0, or a negative ERR_* with e set (only for invalid
 * parameters). */
int bal_run(const struct bal_params *p, const struct bal_school *schools, size_t n, int year,
	    struct result_set *out, struct err *e);

#endif
