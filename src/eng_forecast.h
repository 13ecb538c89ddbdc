/* eng_forecast.h: the enrolment forecast engine (SPEC §2.2): cohort-survival projection of
 * pupils by planning area x grade, with selectable ratio estimators, labelled births
 * scenarios and empirical prediction intervals. Pure: arrays in, arrays out; no I/O, no
 * globals.
 *
 * Model, per area, with grades indexed 0..G-1 (0 = the entry grade) and years 0..Y-1
 * (Y-1 = the origin):
 *   entry grade:  E[y][0] = r0(y) * D[y], D[y] = births of year (first_year + y - entry_lag);
 *                 without births for the area, E[y][0] is projected from its own levels;
 *   grade g >= 1: E[y][g] = r_g(y) * E[y-1][g-1]  (grade progression; junior entry, grade 7
 *                 from grade 6, is the transition ratio of that grade). A grade whose
 *                 predecessor never had pupils (a school's first grade) is projected from its
 *                 own levels.
 * Future ratios r(T+h) come from the estimator applied to the observed ratio series.
 *
 * Partial pooling ("pool:A:W"): an area's future ratio is W x SES_A(its own ratios) +
 * (1 - W) x SES_A(the ratios of its pool: all areas of the pool summed). "pool" chooses A and
 * W from a grid by the rolling-origin back-test over all areas together (years up to the
 * origin only); W = 1 is plain SES_A.
 *
 * Intervals: the chosen method is back-tested on the origin's own past (origins T-1, T-2,
 * ..., every lead that has actuals); the log errors ln(forecast / actual) of group totals
 * (one group = the area's total, or stages) at the same lead give empirical quantiles, widened
 * for few origins by the ratio of Student's t to the normal quantile; leads without any
 * back-test scale the longest measured lead's quantiles linearly.
 *
 * Births not observed at the origin (year > births_last_observed) are never used: a births
 * scenario (low/mid/high from the recent trend) replaces them, and every forecast cell whose
 * cohort depends on such births is flagged.
 *
 * Cost: O(areas x grades x (horizon + history)); "auto", "pool" and the intervals multiply it
 * by a constant (the candidates x the back-test origins). */
#ifndef ENG_FORECAST_H
#define ENG_FORECAST_H

#include "err.h"

enum fc_kind {
	FC_LAST,      /* last observed ratio */
	FC_MEAN,      /* mean of the last k ratios */
	FC_WICHE,     /* 0.40 on the latest, 0.15 on each of the four before (or est.wiche) */
	FC_SES,       /* single exponential smoothing, alpha */
	FC_TREND,     /* linear trend over the last k ratios, damped by phi per year ahead */
	FC_HOLT,      /* Holt's linear method with damped trend: alpha, beta, phi */
	FC_COMBO,     /* the mean of the members' forecasts (fc_combo_members) */
	FC_PARTIAL,   /* "pool:A:W": w x SES_alpha(own ratios) + (1 - w) x SES_alpha(pool's) */
	FC_POOL,      /* "pool": FC_PARTIAL with alpha and w chosen from fc_select's grid */
	FC_AUTO,      /* "auto", "auto:N": one candidate for all areas (or the mean of the N
		       * best), the best on all areas' past */
	FC_AUTO_AREA, /* "auto:area": per area, the candidate best on the area's own past */
	FC_MIX,       /* "A+B[+C+D]": the mean of the members' projected pupils, cell by cell */
};

struct fc_estimator {
	enum fc_kind kind;
	int k;
	double alpha, beta, phi;
	double w;      /* FC_PARTIAL: weight of the area's own ratios */
	int growth;    /* "/g": a grade without a ratio (no births) follows its growth ratio */
	double wiche[5]; /* FC_WICHE weights, latest first (rule seats.forecast wiche_weights);
			  * all 0 (as parsed): 0.40, 0.15 x 4. Mixes and "auto" pass them on. */
	char name[64]; /* canonical name, e.g. "mean:3", "ses:0.4" */
};

/* Parse an estimator name: last, mean:K, wiche, ses:ALPHA, trend:K:PHI, holt:A:B:PHI,
 * combo (mean of fc_combo_members), pool:ALPHA:W, pool (grid), auto, auto:N, auto:area, mixes
 * A+B; a suffix "/g" projects grades without a ratio (the entry grade without births) by
 * their growth ratio instead of their level. ERR_USAGE with a message naming it if invalid. */
int fc_estimator_parse(const char *name, struct fc_estimator *est, struct err *e);

/* The candidates "auto" chooses from. */
extern const char *const fc_auto_candidates[];
extern const char *const fc_combo_members[];
/* Levels projected by growth ratios ("/g") change by at most this fraction a year. */
#define FC_GROWTH_BAND 0.05
#define FC_MIX_MAX 4
#define FC_AUTO_LEADS 3
#define FC_GRID_MAX 12

/* How "auto" and "pool" choose and how intervals are measured (rule seats.forecast). */
struct fc_select {
	int origins;            /* choose on origins T-1 .. T-origins, leads 1..FC_AUTO_LEADS */
	int nalpha, nweight;    /* "pool": the grid */
	double alpha[FC_GRID_MAX], weight[FC_GRID_MAX];
	int interval_origins;   /* intervals from origins T-1 .. T-n (0: no intervals) */
};

/* Estimate x at indices n-1+1 .. n-1+H from x[0..n-1] (NAN = missing), into out[0..H-1].
 * All NAN when x has no valid value. */
void fc_estimate_path(const struct fc_estimator *est, const double *x, int n, int H,
		      double *out);

enum fc_scenario { FC_SC_MID = 0, FC_SC_LOW, FC_SC_HIGH };
const char *fc_scenario_name(enum fc_scenario s);

/* Extend a births series: b[0..nobs-1] observed (NAN allowed), out[0..H-1] the H years after,
 * by the scenario: mid = last valid value x exp(g k), g = mean log growth over the last
 * (up to) 5 observed years; low/high use g -/+ s (s = standard deviation of those growths). */
void fc_births_scenario(const double *b, int nobs, int H, enum fc_scenario sc, double *out);

struct fc_input {
	int nareas, ngrades;
	int first_year, nyears;       /* enrolment years; the origin is first_year + nyears - 1 */
	const double *enrol;          /* [area][year][grade], NAN = missing */
	const double *births;         /* [area][births year] or NULL; NAN = missing */
	int births_first_year, nbirths;
	int entry_lag;                /* births of year b feed the entry grade in year b + lag */
	int births_last_observed;     /* later births years are unknown at the origin */
	const int *pool_of;           /* [area]: its pool 0..npools-1 (NULL: one pool) */
	int npools;
	const int *group_of;          /* [grade]: interval group 0..ngroups-1 (NULL: one group,
				       * the area total) */
	int ngroups;
};

struct fc_params {
	struct fc_estimator est;
	int horizon;                  /* years ahead, >= 1 */
	enum fc_scenario scenario;
	struct fc_select sel;
};

/* Interval quantiles of ln(forecast / actual), per group and lead: [group][lead-1][FC_Q_N]. */
enum { FC_Q_LO95, FC_Q_LO80, FC_Q_HI80, FC_Q_HI95, FC_Q_N };

struct fc_output {
	int nareas, ngrades, horizon, ngroups;
	double *value;                /* [area][lead-1][grade]; NAN = no forecast */
	unsigned char *scenario;      /* same shape: 1 if the cell depends on scenario births */
	int *chosen;                  /* [area]: index into fc_auto_candidates (auto), else -1;
				       * auto:N: the best of the N */
	unsigned *members;            /* [area]: bit c set when fc_auto_candidates[c] is used */
	char used[64];                /* auto, auto:N, pool: the estimator applied to all areas */
	double *q;                    /* [group][lead-1][FC_Q_N]; NAN: no interval */
	int *q_origins;               /* [group][lead-1]: back-test origins behind it (0:
				       * extrapolated from a shorter lead) */
};

/* Forecast; out is filled with new arrays (release with fc_output_release). */
int fc_forecast(const struct fc_input *in, const struct fc_params *p, struct fc_output *out,
		struct err *e);
void fc_output_release(struct fc_output *out);

/* The interval for the actual of a figure f forecast for group g at lead h:
 * lohi[0..3] = lo95, lo80, hi80, hi95 (NAN when there is none). */
void fc_interval(const struct fc_output *out, int group, int lead, double f, double lohi[4]);

#endif
