/* test_forecast.c: the forecast engine on a tiny hand-computed area: three grades, five years
 * (2020-2024), births feeding the entry grade six years later; every estimator; the
 * births-horizon rule (unobserved births are replaced by the labelled scenario); mixes,
 * auto:N, pooled ("/p") and bias-corrected ("/b") estimators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "eng_forecast.h"

/* Enrolment by year (2020..2024) x grade (0, 1, 2). Ratios by year 2020..2024:
 *   entry  E0 / births(y-6):      .5  .6  .5  .4  .5   (births 2014-2018 all 200)
 *   grade1 E1(y) / E0(y-1):        -  .9 1.0  .8 1.0
 *   grade2 E2(y) / E1(y-1):        -  1.0 .9 1.0  .8 */
static const double enrol[5 * 3] = {
	100, 50, 60,
	120, 90, 50,
	100, 120, 81,
	80, 80, 120,
	100, 80, 64,
};
/* births 2014 .. 2020 */
static const double births[7] = { 200, 200, 200, 200, 200, 300, 100 };

static void run(const char *estimator, int horizon, int last_observed, enum fc_scenario sc,
		struct fc_output *out)
{
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };

	in.nareas = 1;
	in.ngrades = 3;
	in.first_year = 2020;
	in.nyears = 5;
	in.enrol = enrol;
	in.births = births;
	in.births_first_year = 2014;
	in.nbirths = 7;
	in.entry_lag = 6;
	in.births_last_observed = last_observed;
	assert_int_equal(fc_estimator_parse(estimator, &p.est, &e), 0);
	p.horizon = horizon;
	p.scenario = sc;
	assert_int_equal(fc_forecast(&in, &p, out, &e), 0);
}

#define V(o, h, g) ((o).value[((h) - 1) * 3 + (g)])

static void lead1(const char *estimator, double g0, double g1, double g2)
{
	struct fc_output o;
	run(estimator, 1, 2020, FC_SC_MID, &o);
	assert_float_equal(V(o, 1, 0), g0, 1e-6);
	assert_float_equal(V(o, 1, 1), g1, 1e-6);
	assert_float_equal(V(o, 1, 2), g2, 1e-6);
	fc_output_release(&o);
}

/* 2025: E0 = r0 x births 2019 (300); E1 = r1 x E0(2024) = r1 x 100; E2 = r2 x E1(2024) = r2 x 80 */
static void estimator_last(void **state)
{
	(void)state;
	lead1("last", 0.5 * 300, 1.0 * 100, 0.8 * 80);
}

static void estimator_mean3(void **state)
{
	(void)state;
	/* r0 = (.5+.4+.5)/3, r1 = (1+.8+1)/3, r2 = (.9+1+.8)/3 */
	lead1("mean:3", 1.4 / 3 * 300, 2.8 / 3 * 100, 0.9 * 80);
}

static void estimator_wiche(void **state)
{
	(void)state;
	/* r0 = .4(.5) + .15(.4+.5+.6+.5) = .5; r1, r2 have 4 ratios: weights .4,.15,.15,.15
	 * renormalised by .85: r1 = (.4 + .15(.8+1+.9))/.85, r2 = (.32 + .15(1+.9+1))/.85 */
	lead1("wiche", 150, 0.805 / 0.85 * 100, 0.755 / 0.85 * 80);
}

/* The WICHE weights come from the rule (seats.forecast wiche_weights) through est.wiche; they
 * were hard-coded, so a changed rule had no effect. Weights .5, .5 on the latest two:
 * x = 1 2 3 4 -> (.5(4) + .5(3)) / 1 = 3.5; all-zero weights are the default (.4 .15 x4):
 * (.4(4) + .15(3+2+1)) / .85 = 2.5 / .85. */
static void estimator_wiche_weights(void **state)
{
	static const double x[4] = { 1, 2, 3, 4 };
	struct fc_estimator est;
	struct err e = ERR_INIT;
	double out[2];
	(void)state;
	assert_int_equal(fc_estimator_parse("wiche", &est, &e), 0);
	fc_estimate_path(&est, x, 4, 2, out);
	assert_float_equal(out[0], 2.5 / 0.85, 1e-12);
	est.wiche[0] = est.wiche[1] = 0.5;
	fc_estimate_path(&est, x, 4, 2, out);
	assert_float_equal(out[0], 3.5, 1e-12);
	assert_float_equal(out[1], 3.5, 1e-12);
}

static void estimator_ses(void **state)
{
	(void)state;
	/* r0: .5 -> .54 -> .524 -> .4744 -> .48464; r1: .9 -> .94 -> .884 -> .9304;
	 * r2: 1 -> .96 -> .976 -> .9056 */
	lead1("ses:0.4", 0.48464 * 300, 0.9304 * 100, 0.9056 * 80);
}

static void estimator_trend(void **state)
{
	(void)state;
	/* OLS over the last 4 ratios, damped by .5 per year ahead:
	 * r0 (.6 .5 .4 .5): slope -.04, fitted at the origin .44, lead 1: .44 - .04(.5) = .42
	 * r1 (.9 1 .8 1):  slope .01, fitted .94, lead 1 .945
	 * r2 (1 .9 1 .8):  slope -.05, fitted .85, lead 1 .825 */
	lead1("trend:4:0.5", 0.42 * 300, 0.945 * 100, 0.825 * 80);
}

static void estimator_holt(void **state)
{
	(void)state;
	/* alpha .5, beta .5, phi 1; level and trend start from the first two ratios:
	 * r1: l .9; (1.0) b .1, l 1.0, b .1; (.8) l .95, b .025; (1.0) l .9875, b .03125
	 *     -> 1.01875
	 * r0: l .5; (.6) b .1, l .6, b .1; (.5) l .6, b .05; (.4) l .525, b -.0125;
	 *     (.5) l .50625, b -.015625 -> .490625
	 * r2: l 1; (.9) b -.1, l .9, b -.1; (1) l .9, b -.05; (.8) l .825, b -.0625
	 *     -> .7625 */
	lead1("holt:0.5:0.5:1", 0.490625 * 300, 1.01875 * 100, 0.7625 * 80);
}

static void estimator_combo(void **state)
{
	/* the mean of its members' paths: ses:0.15 and holt:0.6:0.4:0.9 */
	static const double x[6] = { NAN, 1.0, 0.9, 1.2, NAN, 1.1 };
	struct fc_estimator c, m;
	struct err e = ERR_INIT;
	double pc[3], p0[3], p1[3];
	(void)state;
	assert_string_equal(fc_combo_members[0], "ses:0.15");
	assert_string_equal(fc_combo_members[1], "holt:0.6:0.4:0.9");
	assert_null(fc_combo_members[2]);
	assert_int_equal(fc_estimator_parse("combo", &c, &e), 0);
	fc_estimate_path(&c, x, 6, 3, pc);
	assert_int_equal(fc_estimator_parse(fc_combo_members[0], &m, &e), 0);
	fc_estimate_path(&m, x, 6, 3, p0);
	assert_int_equal(fc_estimator_parse(fc_combo_members[1], &m, &e), 0);
	fc_estimate_path(&m, x, 6, 3, p1);
	for (int h = 0; h < 3; h++)
		assert_float_equal(pc[h], (p0[h] + p1[h]) / 2, 1e-12);
	/* ses:0.15 by hand: 1 -> .985 -> 1.01725 -> 1.0296625 */
	assert_float_equal(p0[0], 1.0296625, 1e-12);
}

static void lead2_uses_the_forecast_cohort(void **state)
{
	struct fc_output o;
	(void)state;
	/* births 2020 (100) observed: 2026 E0 = .5 x 100; E1 = 1.0 x E0(2025) = 150;
	 * E2 = .8 x E1(2025) = .8 x 100 */
	run("last", 2, 2020, FC_SC_MID, &o);
	assert_float_equal(V(o, 2, 0), 50, 1e-9);
	assert_float_equal(V(o, 2, 1), 150, 1e-9);
	assert_float_equal(V(o, 2, 2), 80, 1e-9);
	assert_int_equal(o.scenario[3], 0);
	fc_output_release(&o);
}

static void unobserved_births_use_the_scenario(void **state)
{
	struct fc_output o;
	double g = log(1.5) / 5, s, sum = 0;
	(void)state;
	/* Births after 2019 are not observed at the origin, so the 100 births of 2020 in the
	 * array must not be used: 2026's entry grade uses the scenario, mid = 300 x exp(g),
	 * g = mean of the last 5 log growths (ln 1.5, 0, 0, 0, 0). */
	run("last", 3, 2019, FC_SC_MID, &o);
	assert_float_equal(V(o, 1, 0), 150, 1e-9);               /* births 2019: observed */
	assert_float_equal(V(o, 2, 0), 0.5 * 300 * exp(g), 1e-9); /* 162.67, not 50 */
	assert_float_equal(V(o, 2, 0), 162.6708, 1e-3);
	/* flags: lead 1 none; lead 2 grade 0; lead 3 grades 0 and 1 (the same cohort) */
	assert_memory_equal(o.scenario, "\0\0\0" "\1\0\0" "\1\1\0", 9);
	fc_output_release(&o);

	/* low and high: g -/+ the standard deviation of the growths */
	sum = (log(1.5) - g) * (log(1.5) - g) + 4 * g * g;
	s = sqrt(sum / 4);
	run("last", 2, 2019, FC_SC_LOW, &o);
	assert_float_equal(V(o, 2, 0), 0.5 * 300 * exp(g - s), 1e-9);
	assert_float_equal(V(o, 2, 0), 135.694, 1e-3);
	fc_output_release(&o);
	run("last", 2, 2019, FC_SC_HIGH, &o);
	assert_float_equal(V(o, 2, 0), 0.5 * 300 * exp(g + s), 1e-9);
	fc_output_release(&o);
}

/* Two areas, no births, 2017-2024; the entry grade falls 4% a year, the other grade keeps
 * ratio 1 (e2: 2 * 8 * 2 values, filled here). */
static struct fc_input falling_entry(double *e2)
{
	struct fc_input in = { 0 };
	for (int a = 0; a < 2; a++)
		for (int y = 0; y < 8; y++) {
			double k = (a ? 200 : 100) * pow(0.96, y);
			e2[(a * 8 + y) * 2] = k;
			e2[(a * 8 + y) * 2 + 1] = y ? (a ? 200 : 100) * pow(0.96, y - 1) : k / 0.96;
		}
	in.nareas = 2;
	in.ngrades = 2;
	in.first_year = 2017;
	in.nyears = 8;
	in.enrol = e2;
	return in;
}

static void auto_picks_the_best_on_history(void **state)
{
	/* two areas, no births; the entry grade falls 4% a year, the other grade keeps ratio 1:
	 * only the "/g" candidates are exact on the past, and combo/g is the first of them */
	double e2[2 * 8 * 2];
	struct err e = ERR_INIT;
	struct fc_input in = falling_entry(e2);
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse("auto", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_string_equal(fc_auto_candidates[o.chosen[0]], "combo/g");
	assert_int_equal(o.chosen[1], o.chosen[0]); /* one choice for the data set */
	assert_float_equal(o.value[0], 100 * pow(0.96, 8), 1e-9);
	assert_float_equal(o.value[3], 100 * pow(0.96, 8), 1e-9); /* lead 2, grade 2 */
	fc_output_release(&o);
}

static void estimator_names(void **state)
{
	struct fc_estimator est;
	struct err e = ERR_INIT;
	(void)state;
	assert_int_equal(fc_estimator_parse("ses:0.4", &est, &e), 0);
	assert_string_equal(est.name, "ses:0.4");
	assert_int_equal(fc_estimator_parse("mean:3", &est, &e), 0);
	assert_int_equal(est.k, 3);
	assert_int_equal(fc_estimator_parse("mean:0", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("ses:1.5", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("median", &est, &e), ERR_USAGE);
	assert_string_equal(e.msg, "unknown estimator 'median' (last, mean:K, wiche, ses:ALPHA, "
			    "trend:K:PHI, holt:ALPHA:BETA:PHI, combo, auto, auto:N, auto:area, A+B "
			    "mixes; suffixes /g: levels by growth, /p: pooled trend, /b: "
			    "bias-corrected)");
	assert_int_equal(fc_estimator_parse("combo+combo/g", &est, &e), 0);
	assert_int_equal(est.kind, FC_MIX);
	assert_string_equal(est.name, "combo+combo/g");
	assert_int_equal(fc_estimator_parse("combo/g/p/b", &est, &e), 0);
	assert_true(est.growth && est.pool && est.bias);
	assert_string_equal(est.name, "combo/g/p/b");
	assert_int_equal(fc_estimator_parse("auto:2", &est, &e), 0);
	assert_int_equal(est.kind, FC_POOL);
	assert_int_equal(est.k, 2);
	assert_string_equal(FC_DEFAULT_ESTIMATOR, "auto:2");
	assert_int_equal(fc_estimator_parse("combo+", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto+combo", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto:5", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto/p", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("a+b+c+d+e", &est, &e), ERR_USAGE);
}

static void estimator_mix(void **state)
{
	(void)state;
	/* the mean of the members' projected pupils: last (150, 100, 64) and mean:3
	 * (140, 93.33, 72) */
	lead1("last+mean:3", (150 + 140) / 2.0, (100 + 280 / 3.0) / 2, (64 + 72) / 2.0);
}

static void auto2_combines_the_two_best(void **state)
{
	/* the data of auto_picks_the_best_on_history: combo/g and mean:3/g are both exact on
	 * the past (first and fifth candidates); auto:2 uses their mean, exact again */
	double e2[2 * 8 * 2];
	struct err e = ERR_INIT;
	struct fc_input in = falling_entry(e2);
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse("auto:2", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_string_equal(o.used, "combo/g+mean:3/g");
	assert_string_equal(fc_auto_candidates[o.chosen[0]], "combo/g");
	assert_int_equal(o.members[0], (1u << 1) | (1u << 4));
	assert_int_equal(o.members[1], o.members[0]);
	assert_float_equal(o.value[0], 100 * pow(0.96, 8), 1e-9);
	assert_float_equal(o.value[3], 100 * pow(0.96, 8), 1e-9);
	fc_output_release(&o);
}

static void pooled_trend_on_own_level(void **state)
{
	/* two areas, grade 0 flat at 100 (no births), grade 1 from grade 0 a year earlier.
	 * ratios 2021-2023: A .9 .95 1; B 1 1 .8; all areas summed: .95 .975 .9.
	 * "last/p": the pooled path (last: .9) relative to the pooled level (mean of the last 3:
	 * .941667), on each area's own level (A .95, B .933333) */
	static const double ep[2 * 4 * 2] = {
		100, 90, 100, 90, 100, 95, 100, 100,
		100, 100, 100, 100, 100, 100, 100, 80,
	};
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	double lp = (0.95 + 0.975 + 0.9) / 3;
	(void)state;
	in.nareas = 2;
	in.ngrades = 2;
	in.first_year = 2020;
	in.nyears = 4;
	in.enrol = ep;
	p.horizon = 1;
	assert_int_equal(fc_estimator_parse("last/p", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[0], 100, 1e-9);
	assert_float_equal(o.value[1], 100 * 0.95 * 0.9 / lp, 1e-9);
	assert_float_equal(o.value[1], 90.7965, 1e-4);
	assert_float_equal(o.value[3], 100 * (2.8 / 3) * 0.9 / lp, 1e-9);
	assert_float_equal(o.value[3], 89.2035, 1e-4);
	fc_output_release(&o);
}

static void bias_measured_at_the_origin(void **state)
{
	/* one grade growing 10% a year, no births; "last" keeps the last level. Its errors on
	 * the origins before: lead 1 always 1/1.1 - 1 = -.090909 (three origins), lead 2
	 * 1/1.21 - 1 = -.17 (clamped to -.10). "/b" divides by 1 + bias. */
	double lv[6];
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	for (int t = 0; t < 6; t++)
		lv[t] = 100 * pow(1.1, t);
	in.nareas = 1;
	in.ngrades = 1;
	in.first_year = 2020;
	in.nyears = 6;
	in.enrol = lv;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse("last/b", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[0], 161.051 * 1.1, 1e-9);  /* = the actual trend */
	assert_float_equal(o.value[1], 161.051 / 0.9, 1e-9);  /* clamped at FC_BIAS_MAX */
	fc_output_release(&o);
}

static void levels_without_births(void **state)
{
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	/* one grade, no births: with /g the level follows its estimated growth ratio, capped
	 * at +-5% a year (FC_GROWTH_BAND) */
	static const double lv[4] = { 100, 110, 110, 99 };
	(void)state;
	in.nareas = 1;
	in.ngrades = 1;
	in.first_year = 2020;
	in.nyears = 4;
	in.enrol = lv;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse("last/g", &p.est, &e), 0);
	assert_string_equal(p.est.name, "last/g");
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[0], 99 * 0.95, 1e-9);        /* .9 capped at -5% a year */
	assert_float_equal(o.value[1], 99 * 0.95 * 0.95, 1e-9);
	fc_output_release(&o);
	assert_int_equal(fc_estimator_parse("mean:3/g", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[0], 99, 1e-9);               /* growths 1.1, 1, .9 */
	fc_output_release(&o);
	/* without /g: the estimator on the levels: last 99, mean:3 (110+110+99)/3 */
	assert_int_equal(fc_estimator_parse("last", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[1], 99, 1e-9);
	fc_output_release(&o);
	assert_int_equal(fc_estimator_parse("mean:3", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[0], 106.333333333, 1e-6);
	fc_output_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(estimator_last),
		cmocka_unit_test(estimator_mean3),
		cmocka_unit_test(estimator_wiche),
		cmocka_unit_test(estimator_wiche_weights),
		cmocka_unit_test(estimator_ses),
		cmocka_unit_test(estimator_trend),
		cmocka_unit_test(estimator_holt),
		cmocka_unit_test(estimator_combo),
		cmocka_unit_test(lead2_uses_the_forecast_cohort),
		cmocka_unit_test(unobserved_births_use_the_scenario),
		cmocka_unit_test(auto_picks_the_best_on_history),
		cmocka_unit_test(estimator_names),
		cmocka_unit_test(levels_without_births),
		cmocka_unit_test(estimator_mix),
		cmocka_unit_test(auto2_combines_the_two_best),
		cmocka_unit_test(pooled_trend_on_own_level),
		cmocka_unit_test(bias_measured_at_the_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
