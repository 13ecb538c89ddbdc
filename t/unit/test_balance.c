/* test_balance.c: unit tests for the balance engine (eng_balance.c) with hand-computed
 * values: the SPEC CV test vector, a six-school county covering scope, the nine-year split
 * and the school rule, and edge cases (one school, zero pupils in a stage, missing
 * facilities). No database: facts and parameters are plain structs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_balance.h"
#include "eval.h"

/* The national defaults as seeded in the rule table (rules.c), copied by hand. */
static void default_params(struct bal_params *p)
{
	static const double std[2][7] = {
		{ 4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3 },
		{ 5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4 },
	};
	memset(p, 0, sizeof(*p));
	memcpy(p->standard, std, sizeof(std));
	p->min_met = 6;
	p->unmet_floor = 0.85;
	p->cv_max[0] = 0.50;
	p->cv_max[1] = 0.45;
	p->tp_min_pupils = 50;
	p->exclude_special = p->exclude_vocational = 1;
	p->nine_year_junior = 1.1;
	p->complete_middle_senior = 1.2;
	p->twelve_year_junior = 1.1;
	p->twelve_year_senior = 1.32;
	p->class_max[0] = 45;
	p->class_max[1] = 50;
	p->class_large = 56;
	p->class_super_large = 66;
	p->size_max = 2000;
	p->size_nine_year_max = 2500;
	p->retention_min = 0.95;
	p->basic2012_max[0] = 0.65;
	p->basic2012_max[1] = 0.55;
	p->top_pullers = 5;
}

static const struct result_row *find(const struct result_set *rs, const char *ind,
				     const char *unit, const char *stage)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit) &&
		    !strcmp(rs->v[i].stage, stage))
			return &rs->v[i];
	fail_msg("no row %s %s %s", ind, unit, stage);
	return NULL;
}

static size_t count_rows(const struct result_set *rs, const char *ind, const char *unit)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit))
			n++;
	return n;
}

#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

/* SPEC §2.1: pupils 45, 37, 89, 76, 55 with books 279, 137, 935, 160, 402: per-pupil 6.20,
 * 3.70, 10.51, 2.11, 7.31; weighted CV 0.515 (unweighted would be 0.489). */
static void spec_vector_weighted_cv(void **state)
{
	const double pupils[5] = { 45, 37, 89, 76, 55 }, books[5] = { 279, 137, 935, 160, 402 };
	double x[5], mean, sd, cv;
	(void)state;
	for (int i = 0; i < 5; i++)
		x[i] = books[i] / pupils[i];
	assert_near(x[0], 6.20, 0.005);
	assert_near(x[1], 3.70, 0.005);
	assert_near(x[2], 10.51, 0.005);
	assert_near(x[3], 2.11, 0.005);
	assert_near(x[4], 7.31, 0.005);
	cv = bal_weighted_cv(x, pupils, 5, &mean, &sd);
	assert_true(round(cv * 1000) == 515);
	assert_near(cv, 0.515257, 1e-6);
	assert_near(mean, 6.334437, 1e-6);
	assert_near(sd, 3.263861, 1e-6);
	assert_true(cv > 0.50);
	/* the rounded per-pupil values of the SPEC give the same three decimals */
	{
		const double xr[5] = { 6.20, 3.70, 10.51, 2.11, 7.31 };
		assert_true(round(bal_weighted_cv(xr, pupils, 5, NULL, NULL) * 1000) == 515);
	}
}

/* The same vector through the engine (equipment value = books × 1000, so L6 per pupil is
 * 6200, 3703, ...; the CV does not depend on the scale): BAL.CV.L6 0.515 fails 0.50. */
static void spec_vector_through_engine(void **state)
{
	const long pupils[5] = { 45, 37, 89, 76, 55 }, books[5] = { 279, 137, 935, 160, 402 };
	struct bal_school s[5];
	char codes[5][11];
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 5; i++) {
		snprintf(codes[i], sizeof(codes[i]), "330102000%d", i + 1);
		s[i].code = codes[i];
		s[i].county = "330102";
		s[i].type = BAL_T_PRIMARY;
		s[i].pupils[1] = pupils[i];
		s[i].classes[1] = 1;
		s[i].has_returns = s[i].has_facility = 1;
		s[i].equipment_value = (double)books[i] * 1000;
	}
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 5, 2024, &rs, &e), 0);
	r = find(&rs, "BAL.CV.L6", "330102", "primary");
	assert_true(round(r->value * 1000) == 515);
	assert_near(r->threshold, 0.50, 1e-12);
	assert_int_equal(r->verdict, V_FAIL);
	assert_near(r->numerator, 3263.861, 0.01);   /* S */
	assert_near(r->denominator, 6334.437, 0.01); /* X̄ */
	/* evidence: values, threshold and the schools pulling the CV up */
	assert_non_null(strstr(r->evidence, "\"threshold\":0.5"));
	assert_non_null(strstr(r->evidence, "\"pulling_up\":[{\"school\":"));
	assert_non_null(strstr(r->evidence, "{\"school\":\"3301020003\",\"name\":null,"
				"\"pupils\":89,\"value\":10505.6}"));
	/* under a 0.52 threshold the same county passes */
	results_release(&rs);
	p.cv_max[0] = 0.52;
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 5, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "BAL.CV.L6", "330102", "primary")->verdict, V_PASS);
	results_release(&rs);
}

static void combined_school_shares(void **state)
{
	struct bal_params p;
	struct bal_school s;
	double sh[2];
	(void)state;
	default_params(&p);
	memset(&s, 0, sizeof(s));
	s.type = BAL_T_NINE_YEAR;
	for (int g = 1; g <= 6; g++)
		s.pupils[g] = 50; /* A = 300 */
	s.pupils[7] = 70;
	s.pupils[8] = 70;
	s.pupils[9] = 60; /* B = 200 */
	bal_stage_shares(&p, &s, sh);
	assert_near(sh[0], 300.0 / 520.0, 1e-12); /* A/(A+1.1B) */
	assert_near(sh[1], 220.0 / 520.0, 1e-12);
	s.type = BAL_T_COMPLETE_MIDDLE; /* J = 200, S = 100: J/(J+1.2S) = 200/320 */
	for (int g = 1; g <= 6; g++)
		s.pupils[g] = 0;
	s.pupils[10] = 40;
	s.pupils[11] = 30;
	s.pupils[12] = 30;
	bal_stage_shares(&p, &s, sh);
	assert_near(sh[0], 0, 1e-12);
	assert_near(sh[1], 200.0 / 320.0, 1e-12);
	s.type = BAL_T_TWELVE_YEAR; /* P = 100, J = 200, S = 100: 100/(100+220+132) */
	s.pupils[1] = 100;
	bal_stage_shares(&p, &s, sh);
	assert_near(sh[0], 100.0 / 452.0, 1e-12);
	assert_near(sh[1], 220.0 / 452.0, 1e-12);
}

/* The hand-computed county 330102 (primary standards 4.2 1.0 0.9 4.5 7.5 2000 2.3):
 *
 * school  pupils  L1   L2   L3    L4   L5    L6    L7   met
 * S1      200     5.0  2.0  1.0   5.0  9.0   2500  3.0  7    pass
 * S2      100     5.0  1.0  1.0   5.0  6.75  2500  3.0  6    pass (L5 at 90%: warn)
 * S3      200     3.0  0.0  1.0   5.0  8.0   2200  2.5  5    fail
 * S4      100     5.0  2.0  1.0   4.8  6.0   2100  3.0  6    fail (L5 at 80% < 85%)
 * S5      30 (teaching point: out of scope, not in any CV despite 100 m²/pupil of sports)
 * S6 nine-year: primary 300 pupils, junior 200; primary share 300/(300+1.1·200) = 15/26,
 *         26 associate+ teachers → 15 primary → L1 5.0; 13 backbone → 7.5 → L2 2.5;
 *         6 PE/arts → 3.4615 → L3 1.1538; (5200−520)·15/26 = 2700 m² → L4 9.0;
 *         (5200+520)·15/26 = 3300 → L5 11.0; 1 300 000·15/26 → L6 2500; 26 rooms → L7 5.0.
 *         Junior: L1 5.5, L2 2.75, L3 1.2692, L4 9.9, L5 12.1, L6 2750, L7 5.5 (all met).
 * CVs (weights 200, 100, 200, 100, 300): L1 0.182520, L2 0.599246 (fails 0.50; without S3
 * 0.238904, without S2 0.591434; S1, S4, S6 raise it when left out), L3 0.068986,
 * L4 0.301422, L5 0.198658, L6 0.066757, L7 0.292317.
 * 2012 composite: CVs 0.301422 0.198658 0.066757 0.256783 0.249444 0.116708 0.182520
 * 0.174343, mean 0.193329. */
struct fx {
	struct bal_school s[6];
	struct bal_class sec[6];
};

static void set_primary(struct bal_school *s, const char *code, const long g[6], double t_assoc,
			double backbone, double pe, double aux, double ground, double equip,
			double rooms, double teachers, double first, double comp, double books)
{
	memset(s, 0, sizeof(*s));
	s->code = code;
	s->county = "330102";
	s->type = BAL_T_PRIMARY;
	for (int i = 0; i < 6; i++) {
		s->pupils[i + 1] = g[i];
		s->classes[i + 1] = 1;
	}
	s->has_returns = s->has_facility = 1;
	s->t_associate_plus = s->t_bachelor_plus = t_assoc;
	s->t_backbone = backbone;
	s->t_pe_art_fulltime = pe;
	s->teaching_aux_area = aux;
	s->sports_ground_area = ground;
	s->equipment_value = equip;
	s->multimedia_rooms = rooms;
	s->teachers = teachers;
	s->t_first_title_plus = first;
	s->computers = comp;
	s->books = books;
}

static void make_county(struct fx *f)
{
	static const long g1[6] = { 92, 22, 22, 22, 21, 21 }, g2[6] = { 17, 17, 17, 17, 16, 16 },
			  g3[6] = { 34, 34, 33, 33, 33, 33 }, g5[6] = { 10, 10, 10, 0, 0, 0 };
	struct bal_school *s6 = &f->s[5];

	set_primary(&f->s[0], "3301020001", g1, 10, 4, 2, 1200, 1600, 500000, 6, 20, 8, 20, 6000);
	f->s[0].indoor_sports_area = 200;
	f->s[0].classes[1] = 2; /* 92 pupils in 2 classes: 46 each, over 45 */
	set_primary(&f->s[1], "3301020002", g2, 5, 1, 1, 500, 675, 250000, 3, 8, 4, 12, 2500);
	set_primary(&f->s[2], "3301020003", g3, 6, 0, 2, 1000, 1600, 440000, 5, 15, 5, 10, 3000);
	f->s[1].name = "江东二小";
	f->s[2].name = "江东三小"; /* 3301020004 has no name: null in the evidence */
	set_primary(&f->s[3], "3301020004", g2, 5, 2, 1, 480, 600, 210000, 3, 8, 3, 8, 2000);
	set_primary(&f->s[4], "3301020005", g5, 3, 1, 1, 200, 3000, 90000, 1, 3, 1, 3, 900);
	f->s[4].teaching_point = 1;

	memset(s6, 0, sizeof(*s6));
	s6->code = "3301020006";
	s6->county = "330102";
	s6->type = BAL_T_NINE_YEAR;
	for (int g = 1; g <= 6; g++) {
		s6->pupils[g] = 50;
		s6->classes[g] = 2;
	}
	s6->pupils[7] = 70;
	s6->pupils[8] = 70;
	s6->pupils[9] = 60;
	s6->classes[7] = s6->classes[8] = s6->classes[9] = 2;
	s6->has_returns = s6->has_facility = 1;
	s6->t_associate_plus = s6->t_bachelor_plus = 26;
	s6->t_backbone = 13;
	s6->t_pe_art_fulltime = 6;
	s6->teaching_aux_area = 5200;
	s6->indoor_sports_area = 520;
	s6->sports_ground_area = 5200;
	s6->equipment_value = 1300000;
	s6->multimedia_rooms = 26;
	s6->teachers = 40;
	s6->t_first_title_plus = 20;
	s6->computers = 52;
	s6->books = 15600;
	/* junior class sections: 56 + 14, 35 + 35, 30 + 30 */
	f->sec[0] = (struct bal_class){ 7, 56 };
	f->sec[1] = (struct bal_class){ 7, 14 };
	f->sec[2] = (struct bal_class){ 8, 35 };
	f->sec[3] = (struct bal_class){ 8, 35 };
	f->sec[4] = (struct bal_class){ 9, 30 };
	f->sec[5] = (struct bal_class){ 9, 30 };
	s6->sections = f->sec;
	s6->nsections = 6;
	/* retention: 72 in grade 7 two years ago, 2 transferred in and 4 out since */
	s6->g7_before = 72;
	s6->has_g7_before = 1;
	s6->cohort_transfers_in = 2;
	s6->cohort_transfers_out = 4;
	s6->has_transfers = 1;
}

static void hand_county(void **state)
{
	static struct fx f;
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	make_county(&f);
	results_init(&rs);
	assert_int_equal(bal_run(&p, f.s, 6, 2024, &rs, &e), 0);

	/* school values and verdicts */
	r = find(&rs, "BAL.L1", "3301020006", "primary");
	assert_near(r->value, 5.0, 1e-9);
	assert_near(r->numerator, 15.0, 1e-9);
	assert_near(r->denominator, 300, 1e-9);
	assert_int_equal(r->verdict, V_PASS);
	assert_near(find(&rs, "BAL.L3", "3301020006", "primary")->value, 1.153846, 1e-6);
	assert_near(find(&rs, "BAL.L4", "3301020006", "primary")->value, 9.0, 1e-9);
	assert_near(find(&rs, "BAL.L5", "3301020006", "primary")->value, 11.0, 1e-9);
	assert_near(find(&rs, "BAL.L6", "3301020006", "primary")->value, 2500, 1e-6);
	assert_near(find(&rs, "BAL.L1", "3301020006", "junior")->value, 5.5, 1e-9);
	assert_near(find(&rs, "BAL.L2", "3301020006", "junior")->value, 2.75, 1e-9);
	assert_near(find(&rs, "BAL.L3", "3301020006", "junior")->value, 1.269231, 1e-6);
	assert_near(find(&rs, "BAL.L5", "3301020006", "junior")->value, 12.1, 1e-9);
	assert_near(find(&rs, "BAL.L6", "3301020006", "junior")->value, 2750, 1e-6);
	assert_near(find(&rs, "BAL.L7", "3301020006", "junior")->value, 5.5, 1e-9);

	r = find(&rs, "BAL.SCHOOL", "3301020001", "primary");
	assert_int_equal(r->verdict, V_PASS);
	assert_near(r->value, 7, 0);
	r = find(&rs, "BAL.SCHOOL", "3301020002", "primary");
	assert_int_equal(r->verdict, V_PASS); /* exactly 6 of 7, the 7th at 90% */
	assert_near(r->value, 6, 0);
	assert_int_equal(find(&rs, "BAL.L5", "3301020002", "primary")->verdict, V_WARN);
	assert_near(find(&rs, "BAL.L5", "3301020002", "primary")->value, 6.75, 1e-9);
	assert_int_equal(find(&rs, "BAL.L2", "3301020002", "primary")->verdict, V_PASS); /* = std */
	r = find(&rs, "BAL.SCHOOL", "3301020003", "primary");
	assert_int_equal(r->verdict, V_FAIL); /* 5 met */
	assert_near(r->value, 5, 0);
	r = find(&rs, "BAL.SCHOOL", "3301020004", "primary");
	assert_int_equal(r->verdict, V_FAIL); /* 6 met, L5 at 80% */
	assert_near(r->value, 6, 0);
	assert_non_null(strstr(r->evidence, "{\"indicator\":\"BAL.L5\",\"value\":6,"
				"\"standard\":7.5,\"ratio\":0.8}"));
	assert_int_equal(find(&rs, "BAL.L5", "3301020004", "primary")->verdict, V_FAIL);
	assert_int_equal(find(&rs, "BAL.SCHOOL", "3301020006", "primary")->verdict, V_PASS);
	assert_int_equal(find(&rs, "BAL.SCHOOL", "3301020006", "junior")->verdict, V_PASS);

	/* the teaching point: out of scope, one n.a. row with the reason, no L rows */
	r = find(&rs, "BAL.SCHOOL", "3301020005", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"out of scope: teaching point with 30 "
			    "pupils (fewer than 50)\"}");
	assert_int_equal(count_rows(&rs, "BAL.L5", "3301020005"), 0);
	assert_int_equal(count_rows(&rs, "BAL.SIZE", "3301020005"), 0);

	/* county CVs, weighted by the stage pupils */
	assert_near(find(&rs, "BAL.CV.L1", "330102", "primary")->value, 0.182520, 1e-6);
	r = find(&rs, "BAL.CV.L2", "330102", "primary");
	assert_near(r->value, 0.599246, 1e-6);
	assert_near(r->numerator, 0.965453, 1e-6);
	assert_near(r->denominator, 1.611111, 1e-6);
	assert_int_equal(r->verdict, V_FAIL);
	assert_non_null(strstr(r->evidence, "\"pulling_up\":[{\"school\":\"3301020003\",\"name\":"
				"\"江东三小\",\"value\":0,\"cv_without\":0.238904,\"cv_drop\":"
				"0.360343},{\"school\":\"3301020002\",\"name\":\"江东二小\",\"value\":1,"
				"\"cv_without\":0.591434,\"cv_drop\":0.0078124}]"));
	/* the note names the schools too */
	assert_non_null(strstr(r->evidence, "\"note\":\"CV 0.599 above 0.50; pulling up most: "
				"3301020003 江东三小 (0, CV 0.239 without), 3301020002 江东二小 (1, "
				"CV 0.591 without)\""));
	assert_near(find(&rs, "BAL.CV.L3", "330102", "primary")->value, 0.068986, 1e-6);
	assert_near(find(&rs, "BAL.CV.L4", "330102", "primary")->value, 0.301422, 1e-6);
	r = find(&rs, "BAL.CV.L5", "330102", "primary");
	assert_near(r->value, 0.198658, 1e-6);
	assert_int_equal(r->verdict, V_PASS);
	assert_near(find(&rs, "BAL.CV.L6", "330102", "primary")->value, 0.066757, 1e-6);
	assert_near(find(&rs, "BAL.CV.L7", "330102", "primary")->value, 0.292317, 1e-6);

	r = find(&rs, "BAL.SCHOOLS", "330102", "primary");
	assert_near(r->value, 0.6, 1e-12);
	assert_int_equal(r->verdict, V_FAIL);
	r = find(&rs, "BAL.COUNTY", "330102", "primary");
	assert_int_equal(r->verdict, V_FAIL);
	assert_near(r->numerator, 2, 0);
	assert_string_equal(r->evidence, "{\"failing\":[\"BAL.CV.L2\",\"BAL.SCHOOLS\"],\"na\":[],"
			    "\"schools\":5,\"note\":\"failing: BAL.CV.L2 BAL.SCHOOLS\"}");
	r = find(&rs, "BAL.SCHOOLS", "330102", "primary");
	assert_string_equal(r->evidence, "{\"failing\":[{\"school\":\"3301020003\",\"name\":"
			    "\"江东三小\",\"met\":5},{\"school\":\"3301020004\",\"name\":null,"
			    "\"met\":6}],\"na\":0,\"note\":\"2 of 5 schools fail the school "
			    "rule\"}");
	r = find(&rs, "BAL.BASIC2012", "330102", "primary");
	assert_near(r->value, 0.193329, 1e-6);
	assert_int_equal(r->verdict, V_PASS);

	/* junior: one school, so no between-school CV */
	r = find(&rs, "BAL.CV.L1", "330102", "junior");
	assert_int_equal(r->verdict, V_NA);
	assert_non_null(strstr(r->evidence, "only one school with a value"));
	assert_int_equal(find(&rs, "BAL.COUNTY", "330102", "junior")->verdict, V_NA);

	/* class sizes: S1 has 2 classes of 46 (over 45); S6 junior one section of 56 */
	r = find(&rs, "BAL.CLASS.OVER", "3301020001", "primary");
	assert_near(r->numerator, 2, 0);
	assert_near(r->denominator, 7, 0);
	assert_int_equal(r->verdict, V_FAIL);
	r = find(&rs, "BAL.CLASS.OVER", "330102", "primary");
	assert_near(r->numerator, 2, 0);
	assert_near(r->denominator, 37, 0); /* 7 + 6 + 6 + 6 + 12: the teaching point is out */
	assert_near(r->value, 2.0 / 37.0, 1e-12);
	assert_int_equal(find(&rs, "BAL.CLASS.LARGE", "330102", "primary")->verdict, V_PASS);
	r = find(&rs, "BAL.CLASS.LARGE", "3301020006", "junior");
	assert_near(r->numerator, 1, 0);
	assert_near(r->denominator, 6, 0);
	assert_string_equal(r->evidence, "{\"limit\":56,\"source\":\"class_section\",\"classes\":"
			    "[{\"grade\":7,\"pupils\":56}]}");
	assert_int_equal(find(&rs, "BAL.CLASS.SUPER", "3301020006", "junior")->verdict, V_PASS);

	/* retention: 60 / (72 + 2 - 4) = 0.857143 < 0.95 */
	r = find(&rs, "BAL.RETENTION", "330102", "junior");
	assert_near(r->value, 60.0 / 70.0, 1e-12);
	assert_near(r->denominator, 70, 0);
	assert_int_equal(r->verdict, V_FAIL);

	/* school size: S6 has 500 compulsory pupils against 2500 */
	r = find(&rs, "BAL.SIZE", "3301020006", "");
	assert_near(r->value, 500, 0);
	assert_near(r->threshold, 2500, 0);
	assert_int_equal(r->verdict, V_PASS);
	r = find(&rs, "BAL.SIZE", "330102", "");
	assert_near(r->denominator, 5, 0);
	assert_int_equal(r->verdict, V_PASS);
	results_release(&rs);

	/* a city rule version changing the floor to 0.80 lets S4 pass */
	p.unmet_floor = 0.80;
	results_init(&rs);
	assert_int_equal(bal_run(&p, f.s, 6, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "BAL.SCHOOL", "3301020004", "primary")->verdict, V_PASS);
	results_release(&rs);

	/* and lowering the teaching-point minimum to 30 brings S5 into the L5 CV */
	p.unmet_floor = 0.85;
	p.tp_min_pupils = 30;
	results_init(&rs);
	assert_int_equal(bal_run(&p, f.s, 6, 2024, &rs, &e), 0);
	assert_true(find(&rs, "BAL.CV.L5", "330102", "primary")->value > 0.5);
	results_release(&rs);
}

static void edge_one_school_zero_pupils_missing_facility(void **state)
{
	struct bal_school s[3];
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	memset(s, 0, sizeof(s));
	/* county 330103: one nine-year school with no junior pupils and no facility row */
	s[0].code = "3301030001";
	s[0].county = "330103";
	s[0].type = BAL_T_NINE_YEAR;
	s[0].pupils[1] = 40;
	s[0].classes[1] = 1;
	s[0].has_returns = 1;
	s[0].t_associate_plus = 2;
	/* county 330104: two schools, one without a facility row */
	for (int i = 1; i < 3; i++) {
		s[i].code = i == 1 ? "3301040001" : "3301040002";
		s[i].county = "330104";
		s[i].type = BAL_T_PRIMARY;
		s[i].pupils[1] = 40;
		s[i].classes[1] = 1;
		s[i].has_returns = 1;
		s[i].t_associate_plus = i;
	}
	s[1].has_facility = 1;
	s[1].sports_ground_area = 400;

	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 3, 2024, &rs, &e), 0);
	r = find(&rs, "BAL.L1", "3301030001", "primary");
	assert_near(r->value, 5.0, 1e-9); /* all pupils primary: share 1 */
	r = find(&rs, "BAL.L4", "3301030001", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_true(isnan(r->value));
	assert_string_equal(r->evidence, "{\"reason\":\"no facility return for 2024\"}");
	r = find(&rs, "BAL.SCHOOL", "3301030001", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"4 of 7 indicators n.a.\"}");
	r = find(&rs, "BAL.SCHOOL", "3301030001", "junior");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"no pupils in the junior stage in 2024\"}");
	r = find(&rs, "BAL.L1", "3301030001", "junior");
	assert_int_equal(r->verdict, V_NA);
	assert_true(isnan(r->value));
	/* one school: no CV */
	r = find(&rs, "BAL.CV.L1", "330103", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"only one school with a value; no "
			    "between-school variation\",\"schools\":1,\"left_out\":0}");
	r = find(&rs, "BAL.CV.L1", "330103", "junior");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"no school with a value\",\"schools\":0,"
			    "\"left_out\":0}");
	assert_int_equal(find(&rs, "BAL.RETENTION", "330103", "junior")->verdict, V_NA);
	/* 330104: L1 5.0 and 2.5 (equal weights): CV 1/3; L5 from one school only: n.a. */
	r = find(&rs, "BAL.CV.L1", "330104", "primary");
	assert_near(r->value, 1.0 / 3.0, 1e-12);
	assert_int_equal(r->verdict, V_PASS);
	r = find(&rs, "BAL.CV.L5", "330104", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"only one school with a value; no "
			    "between-school variation\",\"schools\":1,\"left_out\":1}");
	/* L2 is zero everywhere: the weighted mean is 0 and the CV undefined */
	r = find(&rs, "BAL.CV.L2", "330104", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"reason\":\"weighted mean is zero; the CV is "
			    "undefined\"}");
	assert_int_equal(find(&rs, "BAL.BASIC2012", "330104", "primary")->verdict, V_NA);
	for (size_t i = 0; i < rs.nr; i++) /* never an inf or a nan with a verdict */
		if (rs.v[i].verdict != V_NA)
			assert_true(isfinite(rs.v[i].value));
	results_release(&rs);

	/* no schools at all */
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 0, 2024, &rs, &e), 0);
	assert_int_equal(rs.nr, 0);
	results_release(&rs);
}

static void special_and_vocational_excluded(void **state)
{
	struct bal_school s[2];
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	(void)state;
	default_params(&p);
	memset(s, 0, sizeof(s));
	s[0].code = "3301050001";
	s[0].type = BAL_T_SPECIAL;
	s[1].code = "3301050002";
	s[1].type = BAL_T_VOCATIONAL;
	for (int i = 0; i < 2; i++) {
		s[i].county = "330105";
		s[i].pupils[3] = 20;
		s[i].has_returns = 1;
	}
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 2, 2024, &rs, &e), 0);
	assert_int_equal(rs.nr, 0);
	results_release(&rs);
	p.exclude_special = 0; /* a rule version keeping special schools in scope */
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 2, 2024, &rs, &e), 0);
	assert_int_equal(count_rows(&rs, "BAL.SCHOOL", "3301050001"), 1);
	assert_int_equal(count_rows(&rs, "BAL.SCHOOL", "3301050002"), 0);
	results_release(&rs);
}

/* Three primary schools meeting all seven standards and a fourth without a facility return
 * (n.a.): BAL.SCHOOLS passes 3 of 3, and its evidence names the n.a. school (it was "{}",
 * so a pass hid the schools it did not count). Per school (100 pupils): L1 5 per 100 >= 4.2,
 * L2 1 >= 1.0, L3 1 >= 0.9, L4 5 m2 >= 4.5, L5 8 m2 >= 7.5, L6 2500 >= 2000, L7 3 >= 2.3. */
static void schools_pass_shows_na_schools(void **state)
{
	struct bal_school s[4];
	char codes[4][11];
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 4; i++) {
		snprintf(codes[i], sizeof(codes[i]), "330102000%d", i + 1);
		s[i].code = codes[i];
		s[i].county = "330102";
		s[i].type = BAL_T_PRIMARY;
		s[i].pupils[1] = 100;
		s[i].classes[1] = 3;
		s[i].has_returns = 1;
		s[i].has_facility = i < 3;
		s[i].t_associate_plus = 5;
		s[i].t_backbone = 1;
		s[i].t_pe_art_fulltime = 1;
		s[i].teaching_aux_area = 500;
		s[i].sports_ground_area = 800;
		s[i].equipment_value = 250000;
		s[i].multimedia_rooms = 3;
	}
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 4, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "BAL.SCHOOL", "3301020001", "primary")->verdict, V_PASS);
	assert_int_equal(find(&rs, "BAL.SCHOOL", "3301020004", "primary")->verdict, V_NA);
	r = find(&rs, "BAL.SCHOOLS", "330102", "primary");
	assert_int_equal(r->verdict, V_PASS);
	assert_near(r->value, 1, 0);
	assert_near(r->numerator, 3, 0);
	assert_near(r->denominator, 3, 0);
	assert_string_equal(r->evidence, "{\"na\":1,\"na_schools\":[\"3301020004\"]}");
	results_release(&rs);

	/* balance.method missing_facility na (the default): the school without a facility
	 * return makes the share and the facility CVs n.a., naming it; so the county is n.a. */
	p.missing_facility_na = 1;
	results_init(&rs);
	assert_int_equal(bal_run(&p, s, 4, 2024, &rs, &e), 0);
	r = find(&rs, "BAL.SCHOOLS", "330102", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_near(r->value, 1, 0);
	assert_string_equal(r->evidence, "{\"na\":1,\"na_schools\":[\"3301020004\"]}");
	r = find(&rs, "BAL.CV.L4", "330102", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_true(isnan(r->value));
	assert_string_equal(r->evidence, "{\"reason\":\"no facility return for 1 of 4 schools\","
			    "\"missing\":[\"3301020004\"]}");
	assert_int_equal(find(&rs, "BAL.CV.L1", "330102", "primary")->verdict, V_PASS);
	r = find(&rs, "BAL.COUNTY", "330102", "primary");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->evidence, "{\"failing\":[],\"na\":[\"BAL.CV.L4\",\"BAL.CV.L5\","
			    "\"BAL.CV.L6\",\"BAL.CV.L7\",\"BAL.SCHOOLS\"],\"schools\":4,\"note\":\"n.a.: "
			    "BAL.CV.L4 BAL.CV.L5 BAL.CV.L6 BAL.CV.L7 BAL.SCHOOLS\"}");
	assert_int_equal(find(&rs, "BAL.BASIC2012", "330102", "primary")->verdict, V_NA);
	results_release(&rs);
}

/* balance.method one_school pass (the default): a county-stage of one school has CV 0 and
 * passes (it could never pass with n.a. CVs); na keeps the old n.a. */
static void one_school_county_passes(void **state)
{
	struct bal_school s;
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	static const long g[6] = { 40, 40, 40, 40, 40, 40 };
	(void)state;
	default_params(&p);
	p.one_school_pass = 1;
	p.missing_facility_na = 1;
	/* 240 pupils; L1 12/240*100 = 5 >= 4.2, L2 3/240*100 = 1.25, L3 3 -> 1.25, L4 1200/240
	 * = 5, L5 2400/240 = 10, L6 600000/240 = 2500, L7 6 -> 2.5: all met */
	set_primary(&s, "3301020001", g, 12, 3, 3, 1200, 2400, 600000, 6, 14, 5, 30, 6000);
	results_init(&rs);
	assert_int_equal(bal_run(&p, &s, 1, 2024, &rs, &e), 0);
	for (int k = 1; k <= 7; k++) {
		char code[16];
		snprintf(code, sizeof(code), "BAL.CV.L%d", k);
		r = find(&rs, code, "330102", "primary");
		assert_int_equal(r->verdict, V_PASS);
		assert_near(r->value, 0, 0);
		assert_string_equal(r->evidence, "{\"reason\":\"one school: no between-school "
				    "variation (CV 0)\"}");
	}
	assert_int_equal(find(&rs, "BAL.SCHOOLS", "330102", "primary")->verdict, V_PASS);
	r = find(&rs, "BAL.COUNTY", "330102", "primary");
	assert_int_equal(r->verdict, V_PASS);
	r = find(&rs, "BAL.BASIC2012", "330102", "primary");
	assert_int_equal(r->verdict, V_PASS);
	assert_near(r->value, 0, 0);
	results_release(&rs);

	p.one_school_pass = 0;
	results_init(&rs);
	assert_int_equal(bal_run(&p, &s, 1, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "BAL.CV.L1", "330102", "primary")->verdict, V_NA);
	assert_int_equal(find(&rs, "BAL.COUNTY", "330102", "primary")->verdict, V_NA);
	results_release(&rs);
}

/* balance.method teacher_base: a school's part-time teachers (kept apart from its 专任 ones)
 * count only with teacher_base all. 240 pupils; full-time 12 associate+, 3 backbone, 3
 * PE/arts; part-time 6 associate+, 3 backbone. full_time: L1 12/240*100 = 5, L2 1.25, L3
 * 1.25; all: L1 18/240*100 = 7.5, L2 6/240*100 = 2.5, L3 1.25 (PE/arts count full-time
 * teachers only either way). */
static void part_time_teachers_by_teacher_base(void **state)
{
	struct bal_school s;
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	static const long g[6] = { 40, 40, 40, 40, 40, 40 };
	static const double want[2][3] = { { 5, 1.25, 1.25 }, { 7.5, 2.5, 1.25 } };
	(void)state;
	default_params(&p);
	set_primary(&s, "3301020001", g, 12, 3, 3, 1200, 2400, 600000, 6, 14, 5, 30, 6000);
	s.part.teachers = 7;
	s.part.associate_plus = s.part.bachelor_plus = 6;
	s.part.backbone = 3;
	for (int all = 0; all < 2; all++) {
		p.teacher_full_time = !all;
		results_init(&rs);
		assert_int_equal(bal_run(&p, &s, 1, 2024, &rs, &e), 0);
		assert_near(find(&rs, "BAL.L1", "3301020001", "primary")->value, want[all][0], 1e-12);
		assert_near(find(&rs, "BAL.L2", "3301020001", "primary")->value, want[all][1], 1e-12);
		assert_near(find(&rs, "BAL.L3", "3301020001", "primary")->value, want[all][2], 1e-12);
		results_release(&rs);
	}
}

/* Class sections recorded for some grades only: the other grades fall back to their grade
 * return (they were ignored). Grade 1: sections of 40 and 50 (one over 45); grade 2: no
 * sections, 2 classes of 100 pupils = 50 + 50 (both over). 3 of 4 classes over. */
static void class_sections_fall_back_per_grade(void **state)
{
	static const struct bal_class sec[2] = { { 1, 40 }, { 1, 50 } };
	static const long g[6] = { 90, 100, 0, 0, 0, 0 };
	struct bal_school s;
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	set_primary(&s, "3301020001", g, 12, 3, 3, 1200, 2400, 600000, 6, 14, 5, 30, 6000);
	s.classes[1] = 2;
	s.classes[2] = 2;
	for (int k = 3; k <= 6; k++)
		s.classes[k] = 0;
	s.sections = sec;
	s.nsections = 2;
	results_init(&rs);
	assert_int_equal(bal_run(&p, &s, 1, 2024, &rs, &e), 0);
	r = find(&rs, "BAL.CLASS.OVER", "3301020001", "primary");
	assert_near(r->numerator, 3, 0);
	assert_near(r->denominator, 4, 0);
	assert_near(r->value, 0.75, 0);
	assert_int_equal(r->verdict, V_FAIL);
	assert_string_equal(r->evidence, "{\"limit\":45,\"source\":\"class_section; grade_return "
			    "(pupils spread evenly over classes) for grades without sections\","
			    "\"classes\":[{\"grade\":1,\"pupils\":50},{\"grade\":2,\"classes\":2,"
			    "\"pupils\":100}]}");
	r = find(&rs, "BAL.CLASS.OVER", "330102", "primary");
	assert_near(r->numerator, 3, 0);
	assert_near(r->denominator, 4, 0);
	results_release(&rs);
}

/* 巩固率: a school whose grade-7 cohort of two years before has vanished (0 junior pupils
 * now, no transfers) stays in the denominator: (96 + 0) / (100 + 20) = 0.8, not 96/100. */
static void vanished_cohort_counts_in_retention(void **state)
{
	struct bal_school s[2];
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	default_params(&p);
	memset(s, 0, sizeof(s));
	s[0].code = "3301020001";
	s[1].code = "3301020002";
	for (int i = 0; i < 2; i++) {
		s[i].county = "330102";
		s[i].type = BAL_T_JUNIOR;
		s[i].has_returns = s[i].has_facility = 1;
		s[i].has_g7_before = 1;
	}
	s[0].g7_before = 100;
	s[0].pupils[7] = s[0].pupils[8] = 100;
	s[0].pupils[9] = 96;
	s[0].classes[7] = s[0].classes[8] = s[0].classes[9] = 2;
	s[1].g7_before = 20; /* all gone: a return of 0 pupils */
	for (int pass = 0; pass < 2; pass++) {
		results_init(&rs);
		assert_int_equal(bal_run(&p, s, 2, 2024, &rs, &e), 0);
		r = find(&rs, "BAL.RETENTION", "330102", "junior");
		assert_near(r->numerator, 96, 0);
		assert_near(r->denominator, 120, 0);
		assert_near(r->value, 0.8, 1e-12);
		assert_int_equal(r->verdict, V_FAIL);
		assert_non_null(strstr(r->evidence, "{\"school\":\"3301020002\",\"name\":null,"
				       "\"grade7\":20,\"transfers_in\":0,\"transfers_out\":0,"
				       "\"grade9\":0}"));
		/* second pass: no return at all this year (loaded for its cohort only): no
		 * school rows for it, the cohort still counts */
		assert_int_equal(count_rows(&rs, "BAL.SCHOOL", "3301020002"), pass ? 0 : 1);
		results_release(&rs);
		s[1].has_returns = 0;
	}
}

static void invalid_params_are_an_error(void **state)
{
	struct bal_params p;
	struct result_set rs;
	struct err e = ERR_INIT;
	(void)state;
	default_params(&p);
	p.unmet_floor = 85;
	results_init(&rs);
	assert_int_equal(bal_run(&p, NULL, 0, 2024, &rs, &e), ERR_DATA);
	assert_string_equal(e.msg, "balance: unmet_floor 85 is not between 0 and 1");
	results_release(&rs);
}

/* From BAL_SPLIT schools on bal_run computes its counties in two halves on two threads: its
 * rows are those of each county computed alone, in county order, bit for bit. 1,000 counties of
 * make_county's six schools (each county's pupils scaled differently), handed over
 * interleaved. */
static void two_threads_give_each_countys_rows(void **state)
{
	enum { NC = 1000 };
	static struct fx f;
	static struct bal_school all[NC * 6];
	static char codes[NC * 6][12], counties[NC][8];
	struct bal_params p;
	struct result_set whole, parts;
	struct row_ranges diff = { 0 };
	struct err e = ERR_INIT;
	(void)state;

	assert_true(NC * 6 >= BAL_SPLIT); /* the two threads' path */
	default_params(&p);
	make_county(&f);
	for (int c = 0; c < NC; c++) {
		snprintf(counties[c], sizeof(counties[c]), "33%04d", c);
		for (int k = 0; k < 6; k++) {
			struct bal_school *s = &all[k * NC + c]; /* interleaved: not in county order */
			*s = f.s[k];
			snprintf(codes[k * NC + c], sizeof(codes[0]), "33%04d%04d", c, k);
			s->code = codes[k * NC + c];
			s->county = counties[c];
			for (int g = 1; g <= 9; g++)
				s->pupils[g] += (c * 7 + k) % 13;
		}
	}
	results_init(&whole);
	assert_int_equal(bal_run(&p, all, NC * 6, 2024, &whole, &e), 0);
	results_init(&parts);
	for (int c = 0; c < NC; c++) {
		struct bal_school one[6];
		for (int k = 0; k < 6; k++)
			one[k] = all[k * NC + c];
		assert_int_equal(bal_run(&p, one, 6, 2024, &parts, &e), 0);
	}
	assert_true(whole.nr > 0);
	row_ranges_diff(&diff, &parts, &whole, 1); /* keys, numbers bit for bit, evidence */
	assert_int_equal(diff.n, 0);
	results_release(&whole);
	results_release(&parts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_vector_weighted_cv),
		cmocka_unit_test(spec_vector_through_engine),
		cmocka_unit_test(combined_school_shares),
		cmocka_unit_test(hand_county),
		cmocka_unit_test(edge_one_school_zero_pupils_missing_facility),
		cmocka_unit_test(special_and_vocational_excluded),
		cmocka_unit_test(schools_pass_shows_na_schools),
		cmocka_unit_test(invalid_params_are_an_error),
		cmocka_unit_test(one_school_county_passes),
		cmocka_unit_test(part_time_teachers_by_teacher_base),
		cmocka_unit_test(class_sections_fall_back_per_grade),
		cmocka_unit_test(vanished_cohort_counts_in_retention),
		cmocka_unit_test(two_threads_give_each_countys_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
