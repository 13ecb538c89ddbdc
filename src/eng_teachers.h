/* eng_teachers.h: the teachers engine (SPEC §2.4), pure C: schools, teachers with their
 * posting histories, activities and rule parameters in; per-teacher service and eligibility
 * records and result rows (eval.h) out. No SQL, no I/O, no globals.
 *
 * - Rural service: days (inclusive, to the day) covered by postings at schools whose location
 *   class counts as rural, as a union (overlapping postings count once); days at designated
 *   weak schools that are not already rural days, divided by the weak ratio; years = days ÷
 *   days_per_year. Postings are cut at the as-of day; an open posting runs to it.
 * - Title eligibility for the next step of the ladder (or the title applied for): years in
 *   the current title against teachers.title_years, and for teachers whose home school is not
 *   rural applying for the rural-service title (高级) the national and the city minimum of
 *   rural service. Every unmet condition is reported with how far off it is.
 * - Exchange rotation per county and school year: eligible (eligible_years or more at the
 *   same school the day before the year starts), exchanged (an exchange posting starting in
 *   the year), share, backbone share (denominator per the rule), urban→rural exchanges.
 * - Research activities: 送教下乡 and 网络教研 counts, schools covered, rural participation
 *   (named participants ÷ rural teachers; without named participants, person-times give
 *   only an upper bound).
 * Indicator codes are in the catalog (indicator.c). */
#ifndef ENG_TEACHERS_H
#define ENG_TEACHERS_H

#include <stddef.h>

#include "err.h"

struct result_set;
struct buf;

#define TCH_OPEN 0x7fffffff   /* end day of an open-ended posting */
#define TCH_NODAY (-0x7fffffff) /* no date */
#define TCH_MAXTITLES 8
#define TCH_MAXTEXTS 32      /* title texts told apart (tch_input.rank; applied's bits) */

enum tch_edu { TE_SECONDARY, TE_ASSOCIATE, TE_BACHELOR, TE_MASTER, TE_DOCTOR, TE_N };
enum tch_kind { TK_APPOINTMENT, TK_EXCHANGE, TK_SUPPORT };

/* Day number (days since 1970-01-01) of "YYYY-MM-DD"; TCH_NODAY if s is not such a date. */
int tch_day(const char *s);
/* The date of a day number into out ("YYYY-MM-DD"). */
void tch_date(int day, char out[16]);

struct tch_school {
	const char *code;
	int county;               /* index into the counties */
	int rural;                /* its location class counts as rural (teachers.rural_service) */
	int weak;                 /* designated weak school (薄弱学校) */
	const char *cls;          /* its location class (school.urban_rural), rural or not as
				   * the mechanism's rule says; NULL when unknown */
};

struct tch_posting {
	int school;               /* index into the schools */
	int start, end;           /* day numbers, inclusive; end TCH_OPEN when open */
	int kind;                 /* enum tch_kind */
};

/* 40 bytes: a province holds about a million (its name and masked ID, which no result
 * shows, are the listing's: struct tch_name). */
struct tch_teacher {
	const char *code;
	const struct tch_posting *postings;    /* sorted by start (the store's key order) */
	int npostings;
	int title_day;            /* day the current title was conferred; TCH_NODAY */
	int level;                /* its backbone level: index into tch_input.backbone */
	unsigned applied;         /* the titles applied for in the year: bit k for index k of
				   * tch_input.rank; 0: none */
	signed char edu;          /* enum tch_edu */
	signed char title;        /* its title: index into tch_input.rank (< TCH_MAXTEXTS), -1:
				   * none */
	signed char participated; /* named in a research activity of the year (activity_teacher) */
};

struct tch_activity {
	const char *code;
	int kind;                 /* 0 送教下乡 send_teaching, 1 网络教研 online_research, 2 other */
	double participations, rural_participations;
	const int *schools;       /* schools covered (indices) */
	int nschools;
};

/* Every number the engine uses, copied from the rule table by the mechanism. */
struct tch_params {
	double days_per_year;             /* teachers.rural_service days_per_year */
	int count_weak;                   /* count_weak */
	double weak_ratio;                /* weak-school years per rural year */
	double national_min_years, city_min_years;
	int rural_title;                  /* ladder index of applies_to_title */
	int nladder;                      /* teachers.title_ladder order */
	const char *ladder[TCH_MAXTITLES];
	/* teachers.title_years: minimum years in title [from] before [to], per education;
	 * NAN when no rule covers the step */
	double step_years[TCH_MAXTITLES][TCH_MAXTITLES][TE_N];
	double exch_eligible_years;       /* teachers.exchange eligible_years */
	double exch_min_share, exch_backbone_share;
	int backbone_of_eligible;         /* backbone_denominator: 0 exchanged, 1 eligible_backbone */
	double rural_participation;       /* activities.targets rural_participation */
};

struct tch_input {
	const struct tch_school *schools;
	int nschools;
	const char *const *county_code;   /* [ncounties] */
	int ncounties;
	const char *city_code;            /* unit id of the city rows ("" if unknown) */
	const struct tch_teacher *teachers;
	size_t nteachers;
	const struct tch_activity *activities;
	int nactivities;
	long named_participants;          /* teachers named in the year's research activities:
					   * when > 0 the participation rate counts persons */
	const unsigned char *backbone;    /* per backbone level (tch_teacher.level): 1 when it
					   * counts (teachers.exchange backbone_levels) */
	const int *rank;                  /* per title text (tch_teacher.title, applied): its
					   * ladder index, -1 when teachers.title_ladder lacks it */
};

/* The ladder index of t's title, and of the highest title it applied for in the year; -1
 * when none (or none on the ladder). */
int tch_title_of(const struct tch_input *in, const struct tch_teacher *t);
int tch_applied_of(const struct tch_input *in, const struct tch_teacher *t);

/* Rural service of one posting history up to and including day asof. */
struct tch_service {
	long rural_days;          /* union of the days at rural schools */
	long weak_days;           /* days at weak schools that are not rural days (0 unless
				   * count_weak) */
	double years;             /* (rural_days + weak_days / weak_ratio) / days_per_year */
};
void tch_rural_service(const struct tch_params *p, const struct tch_school *schools,
		       const struct tch_posting *postings, int n, int asof,
		       struct tch_service *out);

/* The home school on a day: the latest-starting appointment posting covering it, else any
 * non-exchange posting covering it, else -1. */
int tch_home_school(const struct tch_posting *postings, int n, int day);

/* Eligibility for the next title step (or the title applied for). */
enum tch_status { TS_NONE = 0, TS_ELIGIBLE, TS_NATIONAL_ONLY, TS_NOT_ELIGIBLE };
struct tch_elig {
	int title;                /* ladder index of the current title; -1: none */
	int target;               /* ladder index of the step evaluated; -1: none (top title,
				   * or no title yet: not a promotion step) */
	int home;                 /* home school index or -1 */
	double title_years, need_title_years;   /* need NAN: no rule for the step */
	int rural_applies;        /* the rural-service requirement applies */
	struct tch_service service;
	int title_ok, national_ok, city_ok;
	enum tch_status status;
	char reasons[384];        /* every unmet condition, "; "-separated; "" when eligible */
};
void tch_eligibility(const struct tch_params *p, const struct tch_input *in,
		     const struct tch_teacher *t, int asof, struct tch_elig *out);
/* Chinese name of a ladder index (三级 ... 正高级; static storage, or the code itself). */
const char *tch_title_zh(const struct tch_params *p, int t);
/* "eligible", "eligible nationally only", "not eligible" (static storage). */
const char *tch_status_name(enum tch_status s);

/* Exchange rotation of one county (or the city) and school year. */
struct tch_exchange {
	long eligible, eligible_backbone;
	long exchanged, exchanged_eligible, exchanged_backbone, urban_to_rural;
};
/* Per county [ncounties] and the city total, for the school year starting at day y0 (the
 * year runs to y0 + 364 or 365, the day before the next 09-01). Caller-allocated arrays. */
void tch_exchanges(const struct tch_params *p, const struct tch_input *in, int year,
		   struct tch_exchange *county, struct tch_exchange *city);

/* Run the engine for school year `year` (as-of day: year-09-01): TCH.* rows for the title
 * applicants of the year, every county and the city. Returns 0, or a negative ERR_* with e
 * set for invalid parameters. */
int tch_run(const struct tch_params *p, const struct tch_input *in, int year,
	    struct result_set *out, struct err *e);

/* Check the parameters the engine divides by or indexes with; 0 or ERR_DATA naming one. */
int tch_params_check(const struct tch_params *p, struct err *e);

#endif
