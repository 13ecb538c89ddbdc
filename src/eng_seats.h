/* eng_seats.h: seat capacity, gaps, matching degree, proposals and vintage scoring
 * (SPEC §2.2). Pure: facts in (arrays of structs), result rows out; no SQL, no I/O.
 *
 * Capacity per planning area x stage x year: for each school, the classes of the stage in its
 * latest grade return x the standard class size, or its declared seats (split over its
 * stages in proportion to that class capacity), plus the seats of construction projects from
 * their completion year. Gap = demand - seats per area, stage and year: a surplus in one area
 * never offsets a shortage in another. Matching degree = demand / seats. */
#ifndef ENG_SEATS_H
#define ENG_SEATS_H

#include "err.h"
#include "eval.h"

enum seat_stage { ST_PRIMARY = 0, ST_JUNIOR, ST_SENIOR, ST_N };

/* "primary", "junior" or "senior" (static storage); "" for a stage out of range. */
const char *seat_stage_name(int stage);
/* Stage of a grade 1..12 (1-6 primary, 7-9 junior, 10-12 senior). */
int seat_stage_of_grade(int grade);

struct seat_school {
	const char *code, *name;
	int area;                     /* planning-area index */
	double classes[ST_N];         /* classes in the latest grade return, per stage */
	double pupils[ST_N];
	double declared_seats;        /* NAN: none declared */
};

struct seat_project {
	const char *code, *name;
	int area;
	const char *kind;             /* new, expansion (renovation adds no seats) */
	const char *school_type;      /* primary, junior, nine_year, complete_middle, ... */
	double seats;
	double primary_seats;         /* nine-year / twelve-year schools; NAN if not given */
	int completion_year;
};

struct seat_params {
	double class_size[ST_N];      /* seats.class_size */
	int std_classes[ST_N][4];     /* seats.standard_school: class counts, ascending, 0-ended;
				       * senior unused (no standard) */
	double surplus_match;         /* seats.assessment surplus_match_below: matching degree
				       * below this is a surplus */
	int surplus_years;            /* surplus_years: ... for this many consecutive years */
};

struct seat_input {
	int nareas;
	const char *unit_kind;        /* of the result rows: "county" (NULL) or "area" (towns) */
	const char *const *area_code;
	const char *const *area_name;
	int first_year, nyears;       /* the forecast years */
	const double *demand;         /* [area][year][stage] */
	const unsigned char *scenario;/* [area][year][stage]: 1 if it uses scenario births; or NULL */
	const char *scenario_label;   /* e.g. "mid" */
	const double *interval;       /* [area][year][stage][4]: lo95, lo80, hi80, hi95 of the
				       * demand (NAN: none); or NULL */
	const struct seat_school *schools;
	int nschools;
	const struct seat_project *projects;
	int nprojects;
};

/* Seats of one school per stage (classes x class size, or the declared seats split). */
void seats_school_capacity(const struct seat_school *s, const struct seat_params *p,
			   double out[ST_N]);
/* Seats per [area][year][stage] (caller-allocated, nareas x nyears x ST_N). */
void seats_capacity(const struct seat_input *in, const struct seat_params *p, double *cap);

/* How sure a shortage is: "certain" when the whole 95 % interval of the demand is above the
 * seats, "possible" when only part of it is (or there is no interval and demand > seats),
 * "" when the interval is below the seats. iv: lo95, lo80, hi80, hi95 or NULL. */
const char *seats_shortage_kind(double demand, double seats, const double *iv);

/* Result rows: SEAT.DEMAND, SEAT.SEATS, SEAT.GAP and SEAT.MATCH per area x stage x year,
 * SEAT.PROPOSAL per area x stage with a shortage, SEAT.SURPLUS per area x stage with a
 * persistent surplus (merger candidates in the evidence). */
int seats_evaluate(const struct seat_input *in, const struct seat_params *p,
		   struct result_set *out, struct err *e);

/* A shortage proposal: new standard schools or an expansion. */
struct seat_proposal {
	int nschools;                 /* 0: expand existing schools */
	int classes[16];              /* classes of each new school */
	double seats;                 /* seats proposed */
	double shortage;              /* largest shortage over the years */
	int year_needed;              /* first year short */
};
void seats_propose(double shortage, int stage, const struct seat_params *p,
		   struct seat_proposal *pr);

/* Vintage scoring (England's scorecards): per lead, (forecast - actual) / actual in percent
 * over the cells that have both. */
struct seat_vintage_cell {
	int lead;
	double forecast, actual;
	double lo80, hi80;            /* the vintage's 80 % interval; NAN: none */
};
struct seat_lead_score {
	int lead;
	long n;
	double mape, bias;            /* percent; bias = mean signed error */
	long ncov;                    /* cells with an interval */
	double cov80;                 /* percent of those whose actual is inside; NAN: none */
};
/* scores: caller-allocated [max_lead]; leads without cells get n = 0 and NAN. */
void seats_score_vintage(const struct seat_vintage_cell *cells, long ncells, int max_lead,
			 struct seat_lead_score *scores);

#endif
