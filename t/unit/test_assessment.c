/* test_assessment.c: unit tests for the assessment and curriculum engines
 * (eng_assessment.c, eng_curriculum.c) with hand-computed values: scheme validation (思政
 * below 15%, sums off by 0.1, nested items, tolerance), a ranking with ties per county and
 * city, the 思政 sub-score, incomplete scores, and the curriculum checks at their
 * boundaries. No database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_assessment.h"
#include "eval.h"

/* assessment.scheme as seeded (rules.c), copied by hand. */
static const struct as_params P = { .weight_total = 100, .sizheng_min_weight = 0.15,
				    .weight_tolerance = 0.001 };

static const struct result_row *find(const struct result_set *rs, const char *ind,
				     const char *unit)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit))
			return &rs->v[i];
	fail_msg("no row %s %s", ind, unit);
	return NULL;
}

static size_t count(const struct result_set *rs, const char *ind)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->nr; i++)
		n += !strcmp(rs->v[i].indicator, ind);
	return n;
}

/* The demo's item tree (demo_misc.c) with the active weights: 思政 B 10 + C 8 = 18. */
static struct as_item demo_items[] = {
	{ "A", NULL, "党建引领", 10, 0 },       { "A1", "A", "党组织建设", 6, 0 },
	{ "A2", "A", "师德师风", 4, 0 },        { "B", NULL, "思政课程建设", 10, 1 },
	{ "C", NULL, "课程思政与德育实践", 8, 1 }, { "D", NULL, "教育教学质量", 30, 0 },
	{ "D1", "D", "课程实施", 10, 0 },       { "D2", "D", "学业质量", 12, 0 },
	{ "D3", "D", "教学研究", 8, 0 },        { "E", NULL, "五育并举", 42, 0 },
};

static int validate(struct as_item *items, int n, double *sz, struct buf *why)
{
	struct as_scheme s = { "S", "scheme", 2024, 1, items, n };
	buf_reset(why);
	return assess_validate(&s, &P, sz, why);
}

static void valid_scheme(void **state)
{
	struct buf why = BUF_INIT;
	double sz;
	(void)state;
	assert_int_equal(validate(demo_items, 10, &sz, &why), 0);
	assert_string_equal(why.buf, "");
	assert_true(fabs(sz - 18) < 1e-12);
	buf_release(&why);
}

static void sizheng_12_rejected(void **state)
{
	struct as_item it[10];
	struct buf why = BUF_INIT;
	double sz;
	(void)state;
	memcpy(it, demo_items, sizeof(it));
	it[3].weight = 7;  /* B */
	it[4].weight = 5;  /* C: 12 in all */
	it[9].weight = 48; /* E keeps the total at 100 */
	assert_int_equal(validate(it, 10, &sz, &why), 1);
	assert_string_equal(why.buf, "思政 items weigh 12 of 100 (12%), below the minimum 15%");
	/* 15 exactly is enough */
	it[3].weight = 7.5;
	it[4].weight = 7.5;
	it[9].weight = 45;
	assert_int_equal(validate(it, 10, &sz, &why), 0);
	buf_release(&why);
}

static void sums_off_by_a_tenth_rejected(void **state)
{
	struct as_item it[10];
	struct buf why = BUF_INIT;
	double sz;
	(void)state;
	memcpy(it, demo_items, sizeof(it));
	it[9].weight = 41.9; /* the top level sums to 99.9 */
	assert_int_equal(validate(it, 10, &sz, &why), 1);
	assert_string_equal(why.buf, "top-level items weigh 99.9, not 100");
	memcpy(it, demo_items, sizeof(it));
	it[8].weight = 8.1; /* D's children sum to 30.1 */
	assert_int_equal(validate(it, 10, &sz, &why), 1);
	assert_string_equal(why.buf, "items under 'D' (教育教学质量) weigh 30.1, not its 30");
	/* both at once, one line each */
	it[9].weight = 41.9;
	assert_int_equal(validate(it, 10, &sz, &why), 2);
	assert_string_equal(why.buf, "items under 'D' (教育教学质量) weigh 30.1, not its 30\n"
			    "top-level items weigh 99.9, not 100");
	/* rounding within the tolerance is accepted */
	memcpy(it, demo_items, sizeof(it));
	it[9].weight = 42.0005;
	assert_int_equal(validate(it, 10, &sz, &why), 0);
	buf_release(&why);
}

static void nested_items(void **state)
{
	/* three levels; 思政 tagged on X and on its grandchild X11 (counted once, as X), and on
	 * Y1 under an untagged Y */
	struct as_item it[] = {
		{ "X", NULL, "德育", 40, 1 },  { "X1", "X", "a", 25, 0 }, { "X2", "X", "b", 15, 0 },
		{ "X11", "X1", "c", 20, 1 }, { "X12", "X1", "d", 5, 0 },  { "Y", NULL, "教学", 60, 0 },
		{ "Y1", "Y", "e", 10, 1 },   { "Y2", "Y", "f", 50, 0 },
	};
	struct buf why = BUF_INIT;
	double sz;
	(void)state;
	assert_int_equal(validate(it, 8, &sz, &why), 0);
	assert_true(fabs(sz - 50) < 1e-12);
	it[4].weight = 5.1; /* X1's children now 25.1 */
	assert_int_equal(validate(it, 8, &sz, &why), 1);
	assert_string_equal(why.buf, "items under 'X1' (a) weigh 25.1, not its 25");
	it[4].weight = 5;
	it[7].parent = "Z"; /* an unknown parent, then a cycle */
	assert_int_equal(validate(it, 8, &sz, &why), 3);
	assert_string_equal(why.buf, "item 'Y2': parent 'Z' is not in the scheme\n"
			    "items under 'Y' (教学) weigh 10, not its 60\n"
			    "top-level items weigh 150, not 100");
	it[7].parent = "Y";
	it[0].parent = "X11";
	assert_true(validate(it, 8, &sz, &why) >= 1);
	assert_non_null(strstr(why.buf, "item 'X' is its own ancestor"));
	buf_release(&why);
}

/* Two items A 60 and B 40 (思政); five schools in two counties of one city:
 *   S1 C1: A 80 B 90 -> 48 + 36 = 84     S2 C1: A 90 B 75 -> 54 + 30 = 84
 *   S3 C1: A 70 B 70 -> 42 + 28 = 70     S4 C2: A 100 B 50 -> 60 + 20 = 80
 *   S5 C2: A 50 B 100 -> 30 + 40 = 70    S6 C2: A only -> n.a.
 * City ranks 1 1 4 3 4 (competition ranking), county ranks 1 1 3 | 1 2. */
static void ranking_by_hand(void **state)
{
	struct as_item items[] = { { "A", "", "办学", 60, 0 }, { "B", "", "思政", 40, 1 } };
	struct as_scheme sch[] = { { "AS1", "方案", 2024, 1, items, 2 },
				   { "AS1D", "草案", 2024, 0, items, 2 } };
	struct as_school sc[] = { { "S1", "一小", "C1", "K" }, { "S2", "二小", "C1", "K" },
				  { "S3", "三小", "C1", "K" }, { "S4", "四小", "C2", "K" },
				  { "S5", "五小", "C2", "K" }, { "S6", "六小", "C2", "K" } };
	struct as_score scores[] = {
		{ 0, 0, 0, 80 }, { 0, 1, 0, 90 }, { 0, 0, 1, 90 }, { 0, 1, 1, 75 },
		{ 0, 0, 2, 70 }, { 0, 1, 2, 70 }, { 0, 0, 3, 100 }, { 0, 1, 3, 50 },
		{ 0, 0, 4, 50 }, { 0, 1, 4, 100 }, { 0, 0, 5, 60 },
		{ 1, 0, 0, 10 }, /* the draft scheme is never scored */
	};
	struct as_input in = { sch, 2, sc, 6, scores, sizeof(scores) / sizeof(scores[0]) };
	static const double total[] = { 84, 84, 70, 80, 70 }, sz[] = { 90, 75, 70, 50, 100 };
	static const int rcity[] = { 1, 1, 4, 3, 4 }, rcounty[] = { 1, 1, 3, 1, 2 };
	static const int ncounty[] = { 3, 3, 3, 2, 2 };
	struct result_set rs;
	const struct result_row *r;
	(void)state;

	results_init(&rs);
	assess_run(&in, &P, &rs);
	for (int i = 0; i < 5; i++) {
		r = find(&rs, "ASSESS.TOTAL", sc[i].code);
		assert_true(r->value == total[i]);
		assert_int_equal(r->verdict, V_NA);
		r = find(&rs, "ASSESS.SIZHENG", sc[i].code);
		assert_true(fabs(r->value - sz[i]) < 1e-9);
		assert_true(r->denominator == 40);
		r = find(&rs, "ASSESS.RANK.CITY", sc[i].code);
		assert_int_equal((int)r->value, rcity[i]);
		assert_int_equal((int)r->denominator, 5);
		r = find(&rs, "ASSESS.RANK.COUNTY", sc[i].code);
		assert_int_equal((int)r->value, rcounty[i]);
		assert_int_equal((int)r->denominator, ncounty[i]);
	}
	r = find(&rs, "ASSESS.TOTAL", "S6");
	assert_true(isnan(r->value));
	assert_string_equal(r->evidence, "{\"scheme\":\"AS1\",\"reason\":\"items without a score\","
			    "\"missing\":[\"B\"]}");
	r = find(&rs, "ASSESS.COUNTY", "C1");
	assert_true(fabs(r->value - 238.0 / 3) < 1e-9);
	assert_int_equal((int)r->numerator, 1);
	r = find(&rs, "ASSESS.COUNTY", "C2");
	assert_true(r->value == 75);
	assert_int_equal((int)r->numerator, 2);
	assert_int_equal((int)r->denominator, 2);
	r = find(&rs, "ASSESS.SCHEME", "AS1");
	assert_int_equal(r->verdict, V_PASS);
	assert_true(fabs(r->value - 0.4) < 1e-12);
	r = find(&rs, "ASSESS.SCHEME", "AS1D");
	assert_int_equal(r->verdict, V_PASS);
	assert_int_equal((int)count(&rs, "ASSESS.TOTAL"), 6); /* none for the draft */
	results_release(&rs);
}

static void failing_scheme_not_scored(void **state)
{
	struct as_item items[] = { { "A", "", "办学", 90, 0 }, { "B", "", "思政", 10, 1 },
				   { "B1", "B", "课程", 10, 1 } };
	struct as_scheme sch[] = { { "AS1", "方案", 2024, 1, items, 3 } };
	struct as_school sc[] = { { "S1", "一小", "C1", "K" } };
	struct as_score scores[] = { { 0, 0, 0, 80 }, { 0, 2, 0, 90 }, { 0, 1, 0, 50 } };
	struct as_input in = { sch, 1, sc, 1, scores, 3 };
	struct result_set rs;
	const struct result_row *r;
	(void)state;

	results_init(&rs);
	assess_run(&in, &P, &rs);
	assert_int_equal((int)rs.nr, 1);
	r = find(&rs, "ASSESS.SCHEME", "AS1");
	assert_int_equal(r->verdict, V_FAIL);
	assert_non_null(strstr(r->evidence, "\"errors\":[\"思政 items weigh 10 of 100 (10%), below "
				"the minimum 15%\"]"));
	assert_non_null(strstr(r->evidence, "\"note\":\"the scheme cannot be used (no scores are "
				"computed): 思政 items weigh 10 of 100 (10%), below the minimum 15%\""));
	results_release(&rs);

	/* at 15% it is scored; the score given to B (a parent) is ignored and counted */
	items[0].weight = 85;
	items[1].weight = items[2].weight = 15;
	results_init(&rs);
	assess_run(&in, &P, &rs);
	r = find(&rs, "ASSESS.TOTAL", "S1");
	assert_true(fabs(r->value - (85 * 0.8 + 15 * 0.9)) < 1e-9);
	r = find(&rs, "ASSESS.SCHEME", "AS1");
	assert_int_equal(r->verdict, V_PASS);
	assert_non_null(strstr(r->evidence, "\"scores_on_parent_items_ignored\":1"));
	results_release(&rs);
}

/* curriculum.hours as seeded. */
static const struct cur_params CP = { 1, 0.06, 0.08, 6, 3 };

static void curriculum_boundaries(void **state)
{
	struct cur_school s[] = {
		{ "P1", "一小", "C1", CUR_PRIMARY, 1, 1.0, 2, 30 },   /* exactly 1 h: pass */
		{ "P2", "二小", "C1", CUR_PRIMARY, 1, 0.5, 2, 30 },   /* below */
		{ "J1", "一中", "C1", CUR_JUNIOR, 1, 1.0, 2, 34 },    /* 5.9%: single stage, n.a. */
		{ "N1", "九年一", "C2", CUR_BOTH, 1, 1.0, 2, 32 },    /* 6.25% pass */
		{ "N2", "九年二", "C2", CUR_BOTH, 1, 1.0, 3, 32 },    /* 9.375% fail */
		{ "N3", "九年三", "C2", CUR_BOTH, 1, 0.0, 2.4, 30 },  /* 8% exactly: pass; no 铸牢 */
		{ "Q1", "三小", "C2", CUR_PRIMARY, 0, 0, 0, NAN },    /* no return */
		{ "H1", "高中", "C2", CUR_OTHER, 0, 0, 0, NAN },      /* not compulsory: no row */
	};
	struct result_set rs;
	const struct result_row *r;
	(void)state;

	results_init(&rs);
	curriculum_run(s, 8, 2024, &CP, &rs);
	assert_int_equal(find(&rs, "CUR.ETHNIC", "P1")->verdict, V_PASS);
	r = find(&rs, "CUR.ETHNIC", "P2");
	assert_int_equal(r->verdict, V_FAIL);
	assert_true(r->value == 0.5);
	assert_int_equal(find(&rs, "CUR.ETHNIC", "N3")->verdict, V_FAIL);
	assert_int_equal(find(&rs, "CUR.ETHNIC", "Q1")->verdict, V_NA);
	assert_int_equal((int)count(&rs, "CUR.ETHNIC"), 7);
	assert_int_equal(find(&rs, "CUR.ML.SHARE", "J1")->verdict, V_NA);
	assert_int_equal(find(&rs, "CUR.ML.SHARE", "N1")->verdict, V_PASS);
	assert_int_equal(find(&rs, "CUR.ML.SHARE", "N2")->verdict, V_FAIL);
	assert_int_equal(find(&rs, "CUR.ML.SHARE", "N3")->verdict, V_PASS);
	r = find(&rs, "CUR.ETHNIC.COUNTY", "C1");
	assert_int_equal(r->verdict, V_FAIL);
	assert_true(r->numerator == 1 && r->denominator == 3);
	assert_string_equal(r->evidence, "{\"below\":[{\"code\":\"P2\",\"name\":\"二小\","
			    "\"hours_per_week\":0.5}],\"min\":1}");
	/* C1: (6 x 2 + 3 x 2) / (6 x 30 + 3 x 34) = 18 / 282 */
	r = find(&rs, "CUR.ML.COUNTY", "C1");
	assert_true(fabs(r->value - 18.0 / 282) < 1e-12);
	assert_int_equal(r->verdict, V_PASS);
	/* C2: primary N1 N2 N3 (Q1 has no return): ml 7.4/3, total 94/3; junior the same:
	 * share = 7.4 / 94 */
	r = find(&rs, "CUR.ML.COUNTY", "C2");
	assert_true(fabs(r->value - 7.4 / 94) < 1e-12);
	assert_int_equal(r->verdict, V_PASS);
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_scheme),
		cmocka_unit_test(sizheng_12_rejected),
		cmocka_unit_test(sums_off_by_a_tenth_rejected),
		cmocka_unit_test(nested_items),
		cmocka_unit_test(ranking_by_hand),
		cmocka_unit_test(failing_scheme_not_scored),
		cmocka_unit_test(curriculum_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
