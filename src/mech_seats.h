/* mech_seats.h: the seats mechanism (SPEC §2.2): loads the registry's grade returns, births
 * (or resident population at the entry age), schools and construction projects per planning
 * area (county), forecasts pupils, computes seats and gaps, stores the forecast as a vintage
 * and scores older vintages against the actuals that have arrived since. */
#ifndef MECH_SEATS_H
#define MECH_SEATS_H

#include "arena.h"
#include "eng_forecast.h"
#include "fc_method.h"
#include "eng_seats.h"
#include "err.h"
#include "eval.h"

struct store;
struct rule_set;
struct eval_fp;

/* Everything `eduhq forecast` prints: the forecast and the seats, per planning area. */
struct seats_view {
	struct arena arena;
	int nareas;
	const char **code, **name;
	const char *unit_kind;        /* "county", or "area" for towns/streets */
	int origin;                   /* the last school year with grade returns used */
	int horizon;
	int entry_age;
	struct fc_estimator est;
	struct fc_method method;      /* rule seats.forecast (est is method.est) */
	enum fc_scenario scenario;
	int births_last;              /* last births year observed (0: no births) */
	struct fc_output fc;          /* grades 1..12, leads 1..horizon */
	double *demand;               /* [area][lead-1][stage] */
	unsigned char *scen;          /* [area][lead-1][stage] */
	double *cap;                  /* [area][lead-1][stage]; NULL until seats_view_capacity */
	double *interval;             /* [area][lead-1][stage][4]: lo95, lo80, hi80, hi95 */
	const char **parent;          /* [area]: the parent area (the pool) */
	long long vintage;            /* the stored vintage printed (0: computed now) */
	long long stale_vintage;      /* computed now: the vintage of the same method whose data
				       * have changed since (0: none) */
	char vintage_created[32];
	double *hist;                 /* [area][year][grade] actual pupils, first_year..origin */
	int first_year, nyears;
	double *births;               /* [area][year] births (or the population stand-in) from
				       * births_first on, NaN where none; NULL: none at all */
	int births_first, nbirths;
	struct seat_school *schools;
	int nschools;
	struct seat_project *projects;
	int nprojects;
	struct seat_params params;    /* read by seats_view_capacity */
	char *fingerprint;            /* of the inputs read; new */
	struct seats_patch *patch;    /* what a refresh by row needs (NULL: not kept) */
};

struct seats_patch;

/* Load and forecast from the store. year: the latest school year to use (0: the latest with
 * returns); horizon 0: the rule's max_horizon (a longer one is refused); estimator NULL: the
 * rule seats.forecast's. When a vintage of the same origin, method, scenario, horizon and
 * inputs is stored, its forecast and intervals are read back instead of recomputed
 * (v->vintage says which). Areas are pooled by their parent (counties in the city, towns in
 * their county);
 * town_level: plan per town/street (births, population and schools recorded at town level;
 * a town without births is forecast from its own entry-grade levels) instead of per county.
 * fp (may be NULL) is fed the facts read. flags: SEATS_PATCHABLE keeps what
 * seats_view_patch needs; SEATS_SPARE_CORE reads the grade returns on a second connection
 * (store_open_reader) and thread beside the rest. */
enum { SEATS_PATCHABLE = 1, SEATS_SPARE_CORE = 2 };
int seats_view_load(struct store *s, struct rule_set *rules, int year, int horizon,
		    const char *estimator, enum fc_scenario sc, int town_level, unsigned flags,
		    struct eval_fp *fp, struct seats_view *v, struct err *e);
/* Refresh by row (v loaded patchable): school's grade returns of year read again from s into
 * the enrolment history, and its row with its latest returns (year 0: only those, the school
 * row written), the fingerprints' units patched (u: the run's, NULL: none). 1 done, 0 when
 * it cannot be (the span of years moved, the school entered or left what seats counts or
 * changed planning area: load again), <0 an error. Then seats_view_settle() forecasts
 * again. */
/* The seats of each area, stage and year (v->cap), with the numbers they are judged with
 * (v->params) read from rules: for the forecast view; the mechanism reads them when
 * computing. */
int seats_view_capacity(struct seats_view *v, struct rule_set *rules, struct err *e);
int seats_view_patch(struct store *s, struct seats_view *v, const char *school, int year,
		     struct eval_fp_units *u, struct err *e);
int seats_view_settle(struct store *s, struct seats_view *v, struct err *e);
void seats_view_release(struct seats_view *v);

int mech_seats_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
/* A what-if: a copy of seats' facts (mech_seats_load) with one more school, add, in planning
 * area area (a county's code; add->area is ignored); the rest is shared, so the copy is
 * valid while the facts are. Free it with mech_seats_copy_free(). */
void *mech_seats_with_school(const void *facts, const struct seat_school *add,
			     const char *area);
void mech_seats_copy_free(void *copy);

#endif
