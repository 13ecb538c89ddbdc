/* test_forecast.c: the forecast engine on a tiny hand-computed area: three grades, five years
 * (2020-2024), births feeding the entry grade six years later; every estimator; the
 * births-horizon rule (unobserved births are replaced by the labelled scenario); mixes,
 * auto:N (identical candidates counted once), partial pooling ("pool:A:W") on a three-area
 * toy, and the prediction intervals on a series with known errors. */
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
			    "trend:K:PHI, holt:ALPHA:BETA:PHI, combo, pool, pool:ALPHA:W, auto, auto:N, "
			    "auto:area, A+B mixes; suffix /g: levels by growth)");
	assert_int_equal(fc_estimator_parse("combo+combo/g", &est, &e), 0);
	assert_int_equal(est.kind, FC_MIX);
	assert_string_equal(est.name, "combo+combo/g");
	assert_int_equal(fc_estimator_parse("combo/g/p", &est, &e), ERR_USAGE); /* removed */
	assert_int_equal(fc_estimator_parse("last/b", &est, &e), ERR_USAGE);    /* removed */
	assert_int_equal(fc_estimator_parse("auto:2", &est, &e), 0);
	assert_int_equal(est.kind, FC_AUTO);
	assert_int_equal(est.k, 2);
	assert_int_equal(fc_estimator_parse("auto:area", &est, &e), 0);
	assert_int_equal(est.kind, FC_AUTO_AREA);
	assert_int_equal(fc_estimator_parse("pool:0.4:0.25", &est, &e), 0);
	assert_int_equal(est.kind, FC_PARTIAL);
	assert_string_equal(est.name, "pool:0.4:0.25");
	assert_int_equal(fc_estimator_parse("pool:0:0.5", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("pool:0.4:1.5", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("pool/g", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("combo+", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto+combo", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto:5", &est, &e), ERR_USAGE);
	assert_int_equal(fc_estimator_parse("auto/g", &est, &e), ERR_USAGE);
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
	 * the past and forecast the same pupils, so they count once: auto:2 is combo/g with the
	 * next-best distinct candidate, combo (the mean of their forecasts) */
	double e2[2 * 8 * 2];
	struct err e = ERR_INIT;
	struct fc_input in = falling_entry(e2);
	struct fc_params p = { 0 };
	struct fc_output o, c;
	(void)state;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse("combo", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &c, &e), 0);
	assert_int_equal(fc_estimator_parse("auto:2", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_string_equal(o.used, "combo/g+combo");
	assert_string_equal(fc_auto_candidates[o.chosen[0]], "combo/g");
	assert_int_equal(o.members[0], (1u << 0) | (1u << 1));
	assert_int_equal(o.members[1], o.members[0]);
	assert_float_equal(o.value[0], (100 * pow(0.96, 8) + c.value[0]) / 2, 1e-9);
	fc_output_release(&o);
	fc_output_release(&c);
}

/* Three areas, no births, grade 0 flat, grade 1 from grade 0 a year earlier:
 *   A: g0 100 100 100, g1 90 90 95     ratios .9 .95
 *   B: g0 200 200 200, g1 200 180 200  ratios .9 1.0
 *   C: g0 100 100 100, g1 100 100 80   ratios 1.0 .8
 * pool ratios: (90+180+100)/400 = .925, (95+200+80)/400 = .9375; SES .5: .93125.
 * pool:0.5:0.5: A .5(.925) + .5(.93125) = .928125 -> 92.8125; B .5(.95) + .5(.93125) =
 * .940625 -> 188.125; C .5(.9) + .5(.93125) = .915625 -> 91.5625. Grade 0: SES .5 of its
 * levels (flat). */
static const double toy3[3 * 3 * 2] = {
	100, 90, 100, 90, 100, 95,
	200, 200, 200, 180, 200, 200,
	100, 100, 100, 100, 100, 80,
};

static void toy3_run(const char *estimator, struct fc_output *o)
{
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	in.nareas = 3;
	in.ngrades = 2;
	in.first_year = 2020;
	in.nyears = 3;
	in.enrol = toy3;
	p.horizon = 2;
	assert_int_equal(fc_estimator_parse(estimator, &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, o, &e), 0);
}

static void pooled_ratio_three_areas(void **state)
{
	struct fc_output o;
	(void)state;
	toy3_run("pool:0.5:0.5", &o);
	assert_float_equal(o.value[0], 100, 1e-9);
	assert_float_equal(o.value[1], 92.8125, 1e-9);
	assert_float_equal(o.value[4 + 1], 188.125, 1e-9);
	assert_float_equal(o.value[8 + 1], 91.5625, 1e-9);
	/* lead 2: the same ratio on the forecast grade 0 (flat) */
	assert_float_equal(o.value[3], 92.8125, 1e-9);
	fc_output_release(&o);
	/* w = 0: the pool's ratio alone, .93125 for every area */
	toy3_run("pool:0.5:0", &o);
	assert_float_equal(o.value[1], 93.125, 1e-9);
	assert_float_equal(o.value[4 + 1], 186.25, 1e-9);
	fc_output_release(&o);
}

/* Pools by parent (the towns of a county): A and B in one pool, C alone. Pool of A, B:
 * (90+180)/300 = .9, (95+200)/300 = .983333; SES .5: .941667. A: .5(.925) + .5(.941667) =
 * .933333 -> 93.3333; C is its own pool: .9 -> 90. */
static void pools_by_parent(void **state)
{
	static const int pool_of[3] = { 0, 0, 1 };
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	in.nareas = 3;
	in.ngrades = 2;
	in.first_year = 2020;
	in.nyears = 3;
	in.enrol = toy3;
	in.pool_of = pool_of;
	in.npools = 2;
	p.horizon = 1;
	assert_int_equal(fc_estimator_parse("pool:0.5:0.5", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_float_equal(o.value[1], 100 * (0.925 + (0.9 + 0.5 * (59.0 / 60 - 0.9))) / 2, 1e-9);
	assert_float_equal(o.value[1], 93.3333, 1e-4);
	assert_float_equal(o.value[4 + 1], 90, 1e-9);
	fc_output_release(&o);
}

/* An area that does not teach a grade (a primary school's grade 7) is neither given the
 * pool's ratio nor counted in the pool: toy3 with C's grade 1 at 0 every year. Pool of A, B
 * as in pools_by_parent (.941667 smoothed): A 93.3333; C stays 0 (its own ratio 0; the pool
 * would have given it .5 x .941667 x 100 = 47 pupils). */
static void pool_skips_grades_not_taught(void **state)
{
	double e[3 * 3 * 2];
	struct err err = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	memcpy(e, toy3, sizeof(e));
	e[12 + 1] = e[12 + 3] = e[12 + 5] = 0;
	in.nareas = 3;
	in.ngrades = 2;
	in.first_year = 2020;
	in.nyears = 3;
	in.enrol = e;
	p.horizon = 1;
	assert_int_equal(fc_estimator_parse("pool:0.5:0.5", &p.est, &err), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &err), 0);
	assert_float_equal(o.value[1], 93.3333, 1e-4);
	assert_float_equal(o.value[3], 200 * (0.95 + 0.941666666667) / 2, 1e-6);
	assert_float_equal(o.value[5], 0, 1e-12);
	fc_output_release(&o);
}

static void pool_w1_is_plain_ses(void **state)
{
	struct fc_output a, b;
	(void)state;
	toy3_run("pool:0.3:1", &a);
	toy3_run("ses:0.3", &b);
	assert_memory_equal(a.value, b.value, sizeof(double) * 3 * 2 * 2);
	fc_output_release(&a);
	fc_output_release(&b);
	/* and on the births fixture (entry ratios, progression, scenario births) */
	run("pool:0.4:1", 3, 2019, FC_SC_MID, &a);
	run("ses:0.4", 3, 2019, FC_SC_MID, &b);
	assert_memory_equal(a.value, b.value, sizeof(double) * 3 * 3);
	assert_memory_equal(a.scenario, b.scenario, 9);
	fc_output_release(&a);
	fc_output_release(&b);
}

static void pool_chooses_on_all_areas(void **state)
{
	/* the grid: alpha .5 or 1, w 0 or 1; the back-test over all areas (origins T-1..)
	 * picks one point for all of them and names it */
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	in.nareas = 3;
	in.ngrades = 2;
	in.first_year = 2020;
	in.nyears = 3;
	in.enrol = toy3;
	p.horizon = 1;
	assert_int_equal(fc_estimator_parse("pool", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), ERR_USAGE);
	assert_string_equal(e.msg, "estimator 'pool' needs its grid of alphas and weights (rule "
			    "seats.forecast pool_alphas, pool_weights)");
	p.sel.nalpha = p.sel.nweight = 2;
	p.sel.alpha[0] = 0.5;
	p.sel.alpha[1] = 1;
	p.sel.weight[0] = 0;
	p.sel.weight[1] = 1;
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	/* three years: no origin with 3 years of history, nothing scored: no pooling (the
	 * largest weight) and the middle alpha */
	assert_string_equal(o.used, "pool:1:1");
	fc_output_release(&o);
	/* eight years (the falling entry grade, two areas): scored; the entry grade has no
	 * ratio (levels, SES), grade 1 keeps ratio 1 in both areas: alpha 1 (the last level) is
	 * best on the falling levels, and w 0 and 1 tie on the ratios: the first, w 0 */
	{
		double e2[2 * 8 * 2];
		struct fc_input in2 = falling_entry(e2);
		assert_int_equal(fc_forecast(&in2, &p, &o, &e), 0);
		assert_string_equal(o.used, "pool:1:0");
	}
	fc_output_release(&o);
}

static void identical_candidates_count_once(void **state)
{
	/* with births every grade has a ratio, so combo/g forecasts exactly what combo does;
	 * auto:2 must combine two different forecasts, never combo with combo/g */
	struct err e = ERR_INIT;
	struct fc_output o, c, cg;
	(void)state;
	run("combo", 2, 2024, FC_SC_MID, &c);
	run("combo/g", 2, 2024, FC_SC_MID, &cg);
	assert_memory_equal(c.value, cg.value, sizeof(double) * 2 * 3);
	run("auto:2", 2, 2024, FC_SC_MID, &o);
	assert_true(strchr(o.used, '+') != NULL);
	assert_false((o.members[0] & 3u) == 3u);
	assert_null(strstr(o.used, "combo+combo/g"));
	assert_null(strstr(o.used, "combo/g+combo"));
	(void)e;
	fc_output_release(&o);
	fc_output_release(&c);
	fc_output_release(&cg);
}

static void interval_of_known_errors(void **state)
{
	/* one grade, no births, "last" on its levels: the lead-1 error at an origin is
	 * ln(x[o-1] / x[o]) = -d[o] where x[t] = x[t-1] exp(d[t]). d[4..13] = .01 x (-5 -4 -3
	 * -2 -1 1 2 3 4 5): ten origins, errors sorted -.05 .. .05; type-7 quantiles: median 0,
	 * q.10 -.041, q.90 .041, q.025 -.04775, q.975 .04775; widened by t(9)/z:
	 * 1.383 / 1.2815516 (80 %), 2.262 / 1.959964 (95 %). */
	static const double d[14] = { 0, 0, 0, 0, -.05, -.04, -.03, -.02, -.01, .01, .02, .03,
				      .04, .05 };
	double x[14], iv[4];
	double w80 = 1.383 / 1.2815516, w95 = 2.262 / 1.959964;
	struct err e = ERR_INIT;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output o;
	(void)state;
	x[0] = 100;
	for (int t = 1; t < 14; t++)
		x[t] = x[t - 1] * exp(d[t]);
	in.nareas = 1;
	in.ngrades = 1;
	in.first_year = 2010;
	in.nyears = 14;
	in.enrol = x;
	p.horizon = 1;
	p.sel.interval_origins = 10;
	assert_int_equal(fc_estimator_parse("last", &p.est, &e), 0);
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_int_equal(o.q_origins[0], 10);
	assert_float_equal(o.q[FC_Q_HI80], 0.041 * w80, 1e-12);
	assert_float_equal(o.q[FC_Q_LO80], -0.041 * w80, 1e-12);
	assert_float_equal(o.q[FC_Q_HI95], 0.04775 * w95, 1e-12);
	assert_float_equal(o.q[FC_Q_LO95], -0.04775 * w95, 1e-12);
	fc_interval(&o, 0, 1, 200, iv);
	assert_float_equal(iv[1], 200 * exp(-0.041 * w80), 1e-9);
	assert_float_equal(iv[2], 200 * exp(0.041 * w80), 1e-9);
	assert_float_equal(iv[1], 191.34, 0.01);  /* the 80 % interval, by hand */
	assert_float_equal(iv[2], 209.05, 0.01);
	fc_output_release(&o);
	/* only 4 years: no origin to back-test, no interval */
	in.nyears = 3;
	assert_int_equal(fc_forecast(&in, &p, &o, &e), 0);
	assert_true(isnan(o.q[0]));
	fc_interval(&o, 0, 1, 200, iv);
	assert_true(isnan(iv[0]));
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
		cmocka_unit_test(pooled_ratio_three_areas),
		cmocka_unit_test(pools_by_parent),
		cmocka_unit_test(pool_skips_grades_not_taught),
		cmocka_unit_test(pool_w1_is_plain_ses),
		cmocka_unit_test(pool_chooses_on_all_areas),
		cmocka_unit_test(identical_candidates_count_once),
		cmocka_unit_test(interval_of_known_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
