/* backtest.h: rolling-origin back-testing of the forecast engine (SPEC §5.3).
 *
 * Input: long-format enrolment `area,year,grade,students` (grade K or 1..12; year = the
 * school year's start) and optional births `area,year,births` (calendar year of birth).
 * For each origin O: fit on years <= O (births <= O), forecast O+1..O+H, compare with the
 * actual rows. Errors are percentages (forecast - actual) / actual x 100, per lead, for area
 * totals and for area x grade cells (cells with actual 0 are skipped).
 *
 * Metrics per lead: n, MAPE (mean |e|), MALPE (mean e, the bias), median |e| (mean of the two
 * middle values when n is even) and p90 |e| (nearest rank: the ceil(0.9 n)-th smallest); for
 * area totals also the coverage of the method's own 80 % and 95 % prediction intervals (share
 * of actuals inside), the MAPE per origin, and a bootstrap over areas of the MAPE.
 *
 * The years of a file must form a series: a gap of more than BT_MAX_GAP missing years is
 * refused, and so is a file whose areas x years x grades would be more than BT_MAX_SPARSE
 * times its rows (memory stays proportional to the input). */
#ifndef BACKTEST_H
#define BACKTEST_H

#include "buf.h"
#include "eng_forecast.h"
#include "err.h"

struct bt_data {
	int nareas;
	char **area;              /* sorted names, new */
	int gmin, ngrades;        /* grade numbers, K = 0: gmin .. gmin + ngrades - 1 */
	int first_year, nyears;
	double *enrol;            /* [area][year][grade], NAN = no row */
	int births_first_year, nbirths;
	double *births;           /* [area][births year] or NULL */
};

int bt_load_enrollment(const char *path, struct bt_data *d, struct err *e);
/* Births for the areas already loaded (areas not in the enrolment file are ignored). */
int bt_load_births(const char *path, struct bt_data *d, struct err *e);
void bt_data_release(struct bt_data *d);

#define BT_MAX_GAP 2
#define BT_MAX_SPARSE 64

struct bt_metrics {
	int lead;
	long n;
	double mape, malpe, median_ape, p90_ape;
	long ncov;                    /* area totals with an interval */
	double cov80, cov95;          /* percent of those inside; NAN without intervals */
	double boot_lo, boot_hi;      /* 5th and 95th percentile of the MAPE over bootstrap
				       * resamples of the areas; NAN without --bootstrap */
};

/* Metrics of n signed percentage errors (pe is reordered). */
void bt_compute_metrics(double *pe, long n, struct bt_metrics *m);

struct bt_params {
	struct fc_estimator est;
	int origin_from, origin_to;   /* 0: every origin with at least 3 years of history */
	int horizon;
	int entry_age;                /* births year + entry_age = year in grade 1 */
	double min_size;              /* skip areas with fewer pupils at the origin */
	enum fc_scenario scenario;
	struct fc_select sel;
	int bootstrap;                /* resamples of the areas (0: none) */
};

struct bt_origin {
	int origin;
	char used[64];                /* what auto / pool chose */
	double mape[3];               /* area totals, leads 1-3; NAN: nothing scored */
	double median_ape[3];
};

struct bt_result {
	int horizon;
	int origin_from, origin_to;
	struct bt_metrics *total;     /* [horizon] */
	struct bt_metrics *cell;      /* [horizon] */
	long *chosen;                 /* auto: areas x origins per candidate */
	long scenario_cells;          /* scored cells whose cohort used scenario births */
	const char *scenario;         /* the scenario's label */
	struct bt_origin *origins;    /* [origin_to - origin_from + 1] */
};

int bt_run(const struct bt_data *d, const struct bt_params *p, struct bt_result *r,
	   struct err *e);
void bt_result_release(struct bt_result *r);

/* SPEC §5.3 JSON (plus "births_scenario" when scored cells used scenario births), and a
 * text table. */
void bt_format_json(const struct bt_result *r, const char *estimator, struct buf *out);
void bt_format_table(const struct bt_result *r, const char *estimator, struct buf *out);

#endif
