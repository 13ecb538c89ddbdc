/* eng_forecast.h: the enrolment forecast engine (SPEC §2.2): cohort-survival projection of
 * pupils by planning area x grade, with selectable ratio estimators and labelled births
 * scenarios. Pure: arrays in, arrays out; no I/O, no globals.
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
 * Births not observed at the origin (year > births_last_observed) are never used: a births
 * scenario (low/mid/high from the recent trend) replaces them, and every forecast cell whose
 * cohort depends on such births is flagged.
 *
 * Cost: O(areas x grades x (horizon + history)); "auto" multiplies it by a constant (the
 * candidates x the back-test origins). */
#ifndef ENG_FORECAST_H
#define ENG_FORECAST_H

#include "err.h"

enum fc_kind {
	FC_LAST,    /* last observed ratio */
	FC_MEAN,    /* mean of the last k ratios */
	FC_WICHE,   /* 0.40 on the latest, 0.15 on each of the four before (or est.wiche) */
	FC_SES,     /* single exponential smoothing, alpha */
	FC_TREND,   /* linear trend over the last k ratios, damped by phi per year ahead */
	FC_HOLT,    /* Holt's linear method with damped trend: alpha, beta, phi */
	FC_AUTO,    /* "auto:area": per area, the candidate that back-tested best on the area's
		     * own past */
	FC_COMBO,   /* the mean of the members' forecasts (fc_combo_members) */
	FC_POOL,    /* "auto": one candidate for all areas, the best on all areas' pooled past
		     * (origins T-1 .. T-FC_AUTO_ORIGINS, leads 1..FC_AUTO_LEADS, area totals) */
	FC_MIX,     /* "A+B[+C+D]": the mean of the members' projected pupils, cell by cell */
};

struct fc_estimator {
	enum fc_kind kind;
	int k;
	double alpha, beta, phi;
	int growth;    /* "/g": a grade without a ratio (no births) follows its growth ratio */
	int pool;      /* "/p": ratio trends of all areas summed, on each area's own level */
	int bias;      /* "/b": divide by the bias measured at the origin (fc_forecast) */
	double wiche[5]; /* FC_WICHE weights, latest first (rule seats.forecast wiche_weights);
			  * all 0 (as parsed): 0.40, 0.15 x 4. Mixes and "auto" pass them on. */
	char name[64]; /* canonical name, e.g. "mean:3", "ses:0.4" */
};

/* Parse an estimator name: last, mean:K, wiche, ses:ALPHA, trend:K:PHI, holt:A:B:PHI,
 * combo (mean of fc_combo_members), auto (per data set), auto:area (per area); a suffix "/g"
 * projects grades without a ratio (the entry grade without births) by their growth ratio
 * instead of their level. ERR_USAGE with a message naming it if invalid. */
int fc_estimator_parse(const char *name, struct fc_estimator *est, struct err *e);

/* The planning default (`eduhq forecast`, `eval seats`, backtest without --estimator): the
 * most accurate on the real back-tests (docs/forecast-accuracy.md). */
#define FC_DEFAULT_ESTIMATOR "auto:2"

/* The candidates "auto" chooses from, and how far back it tests (origins T-1..T-n). */
extern const char *const fc_auto_candidates[];
extern const char *const fc_combo_members[];
/* Levels projected by growth ratios ("/g") change by at most this fraction a year. */
#define FC_GROWTH_BAND 0.05
#define FC_MIX_MAX 4
/* "/b": bias measured on origins T-1..T-n, at most +-FC_BIAS_MAX (a fraction). */
#define FC_BIAS_ORIGINS 3
#define FC_BIAS_MAX 0.10
#define FC_AUTO_ORIGINS 5
#define FC_AUTO_LEADS 3

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
};

struct fc_params {
	struct fc_estimator est;
	int horizon;                  /* years ahead, >= 1 */
	enum fc_scenario scenario;
};

struct fc_output {
	int nareas, ngrades, horizon;
	double *value;                /* [area][lead-1][grade]; NAN = no forecast */
	unsigned char *scenario;      /* same shape: 1 if the cell depends on scenario births */
	int *chosen;                  /* [area]: index into fc_auto_candidates (auto), else -1;
				       * auto:N: the best of the N */
	unsigned *members;            /* [area]: bit c set when fc_auto_candidates[c] is used */
	char used[64];                /* auto, auto:N: the estimator applied to all areas */
};

/* Forecast; out is filled with new arrays (release with fc_output_release). */
int fc_forecast(const struct fc_input *in, const struct fc_params *p, struct fc_output *out,
		struct err *e);
void fc_output_release(struct fc_output *out);

#endif
