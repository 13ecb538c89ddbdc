/* test_groups.c: the education-groups engine on hand-made cases: coverage with a school that
 * left its group (city and county, the denominator named), per-group members and exchanges,
 * the change since joining, and difference-in-differences with a hand-computed answer, a
 * degenerate interval, an interval that includes 0 and too few schools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "eng_groups.h"
#include "eval.h"

static struct grp_params params(void)
{
	struct grp_params p = { "public_compulsory", 0.95, 2, 1999, 20240901, 2 };
	return p;
}

static const struct result_row *row(const struct result_set *rs, const char *ind,
				    const char *unit, int year)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit) &&
		    (!year || rs->v[i].year == year))
			return &rs->v[i];
	return NULL;
}

/* S0..S4 in the denominator (S0, S1 county 0; S2-S4 county 1); S5 a senior school outside
 * it. G1 (lead S0): S0 since 2019, S1 2019 until it left in 2023, S3 since 2020, S5 since
 * 2019. G2: S2 joins only in 2025.
 *   2024: members in the denominator S0, S3: 2/5 = 0.4; county 0 1/2, county 1 1/3; S5
 *         counted outside the denominator.
 *   2022: S0, S1, S3: 3/5 = 0.6 (S1 had not left yet). */
static const struct grp_school schools[] = {
	{ "S0", "lead", 0, 0, 1, 900, "111", 1, 1 },
	{ "S1", "leaver", 0, 1, 1, 300, "210", 1, 1 },
	{ "S2", "late", 1, 1, 1, 200, "210", 1, 1 },
	{ "S3", "member", 1, 1, 1, 250, "210", 1, 1 },
	{ "S4", "outside", 1, 1, 1, 150, "210", 1, 1 },
	{ "S5", "senior", 0, 0, 0, 1200, "111", 0, 1 },
};
static const char *const counties[] = { "330102", "330103" };
static const struct grp_group groups[] = { { "G1", "一中集团", 0, 2019 }, { "G2", "二集团", 2, 2025 } };
static const struct grp_member members[] = {
	{ 0, 0, 2019, 0 }, { 0, 1, 2019, 2023 }, { 0, 3, 2020, 0 }, { 0, 5, 2019, 0 },
	{ 1, 2, 2025, 0 },
};
/* exchanges in the year: S0 -> S3 (same group), S0 -> S4 (S4 in no group), S5 -> S3 */
static const struct grp_exchange exchanges[] = { { 0, 3 }, { 0, 4 }, { 5, 3 } };

static void coverage_with_a_school_that_left(void **state)
{
	struct grp_params p = params();
	struct grp_input in = { schools, 6, counties, 2, "330100", groups, 2, members, 5, NULL, 0,
				exchanges, 3 };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	assert_true(grp_is_member(&members[1], 2022));
	assert_false(grp_is_member(&members[1], 2023));
	assert_false(grp_is_member(&members[4], 2024));

	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "GRP.COVERAGE", "330100", 2024);
	assert_non_null(r);
	assert_string_equal(r->unit_kind, "city");
	assert_float_equal(r->value, 0.4, 1e-12);
	assert_float_equal(r->numerator, 2, 0);
	assert_float_equal(r->denominator, 5, 0);
	assert_non_null(strstr(r->evidence, "\"denominator\":\"public_compulsory\""));
	assert_non_null(strstr(r->evidence, "\"members_outside_denominator\":1"));
	assert_non_null(strstr(r->evidence, "\"groups\":1"));
	assert_float_equal(row(&rs, "GRP.COVERAGE", "330102", 0)->value, 0.5, 1e-12);
	assert_float_equal(row(&rs, "GRP.COVERAGE", "330103", 0)->value, 1.0 / 3, 1e-12);
	/* G1 in 2024: S0, S3, S5; rural S3 only; pupils 900 + 250 + 1200; one exchange inside */
	r = row(&rs, "GRP.MEMBERS", "G1", 0);
	assert_float_equal(r->value, 3, 0);
	assert_float_equal(r->numerator, 1, 0);
	assert_non_null(strstr(r->evidence, "\"lead\":\"S0\""));
	assert_non_null(strstr(r->evidence, "\"rural\":1,\"urban\":2,\"pupils\":2350"));
	assert_null(strstr(r->evidence, "\"S1\""));
	assert_float_equal(row(&rs, "GRP.EXCH", "G1", 0)->value, 2, 0); /* S0->S3, S5->S3 */
	assert_float_equal(row(&rs, "GRP.MEMBERS", "G2", 0)->value, 0, 0);
	results_release(&rs);

	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2022, &rs, &e), 0);
	r = row(&rs, "GRP.COVERAGE", "330100", 0);
	assert_float_equal(r->value, 0.6, 1e-12);
	results_release(&rs);

	/* another denominator is named in the evidence */
	p.denominator = "all";
	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2024, &rs, &e), 0);
	assert_non_null(strstr(row(&rs, "GRP.COVERAGE", "330100", 0)->evidence,
			       "\"denominator\":\"all\""));
	results_release(&rs);
}

/* Treated (rural members) A: 10/100 -> 30/100, B: 20/100 -> 30/100; pooled 30/200 = 0.15 ->
 * 60/200 = 0.30, change +0.15. Control C: 10/100 -> 12/100, D: 20/100 -> 24/100; pooled
 * 0.15 -> 0.18, change +0.03. DiD = 0.15 - 0.03 = 0.12. */
static void did_hand_computed(void **state)
{
	struct grp_params p = params();
	const struct grp_did_school t[] = { { 10, 100, 30, 100 }, { 20, 100, 30, 100 } };
	const struct grp_did_school c[] = { { 10, 100, 12, 100 }, { 20, 100, 24, 100 } };
	struct grp_did d, d2;
	(void)state;
	grp_did_compute(t, 2, c, 2, &p, &d);
	assert_float_equal(d.t_base, 0.15, 1e-12);
	assert_float_equal(d.t_post, 0.30, 1e-12);
	assert_float_equal(d.c_base, 0.15, 1e-12);
	assert_float_equal(d.c_post, 0.18, 1e-12);
	assert_float_equal(d.estimate, 0.12, 1e-12);
	/* every resample's DiD lies between the extreme ones: treated {A,A} +0.20, {B,B} +0.10;
	 * control {C,C} +0.02, {D,D} +0.04 -> within [0.06, 0.18], above 0 */
	assert_true(d.lo >= 0.06 - 1e-12 && d.hi <= 0.18 + 1e-12 && d.lo <= d.hi);
	assert_true(d.distinguishable);
	/* fixed seed: the same interval again */
	grp_did_compute(t, 2, c, 2, &p, &d2);
	assert_float_equal(d.lo, d2.lo, 0);
	assert_float_equal(d.hi, d2.hi, 0);
}

/* Identical schools on each side: every resample gives 0.12, the interval is [0.12, 0.12]. */
static void did_degenerate_interval(void **state)
{
	struct grp_params p = params();
	const struct grp_did_school t[] = { { 15, 100, 30, 100 }, { 15, 100, 30, 100 },
					    { 15, 100, 30, 100 } };
	const struct grp_did_school c[] = { { 15, 100, 18, 100 }, { 15, 100, 18, 100 } };
	struct grp_did d;
	(void)state;
	grp_did_compute(t, 3, c, 2, &p, &d);
	assert_float_equal(d.estimate, 0.12, 1e-12);
	assert_float_equal(d.lo, 0.12, 1e-12);
	assert_float_equal(d.hi, 0.12, 1e-12);
	assert_true(d.distinguishable);
}

/* Treated A +0.10, B -0.06 (pooled +0.02); control unchanged: DiD +0.02, but resampling
 * {B,B} gives -0.06: the interval includes 0. */
static void did_cannot_tell(void **state)
{
	struct grp_params p = params();
	const struct grp_did_school t[] = { { 10, 100, 20, 100 }, { 16, 100, 10, 100 } };
	const struct grp_did_school c[] = { { 10, 100, 10, 100 }, { 12, 100, 12, 100 } };
	struct grp_did d;
	(void)state;
	grp_did_compute(t, 2, c, 2, &p, &d);
	assert_float_equal(d.estimate, 0.02, 1e-12);
	assert_true(d.lo < 0 && d.hi > 0);
	assert_false(d.distinguishable);
}

/* The whole engine on exams: rural members R1 (joined 2021) and R2 (joined 2018), rural
 * schools in no group C1 and C2, an urban member U; results 2020-2024. */
static void outcomes_and_change_since_joining(void **state)
{
	static const struct grp_school sc[] = {
		{ "U", "urban", 0, 0, 1, 0, "111", 1, 1 }, { "R1", "r1", 0, 1, 1, 0, "210", 1, 1 },
		{ "R2", "r2", 0, 1, 1, 0, "210", 1, 1 }, { "C1", "c1", 0, 1, 1, 0, "210", 1, 1 },
		{ "C2", "c2", 0, 1, 1, 0, "210", 1, 1 },
	};
	static const struct grp_group g[] = { { "G", "集团", 0, 2018 } };
	static const struct grp_member m[] = {
		{ 0, 0, 2018, 0 }, { 0, 1, 2021, 0 }, { 0, 2, 2018, 0 },
	};
	/* R1: 2020 8%, 2021 10%, 2022 10%, 2024 30%; R2: 2020 12%, 2022 20%, 2024 30%;
	 * C1: 2022 10% -> 2024 12%; C2: 2022 20% -> 2024 24%. */
	static const struct grp_exam x[] = {
		{ 1, 2020, 100, 8 }, { 1, 2021, 100, 10 }, { 1, 2022, 100, 10 }, { 1, 2024, 100, 30 },
		{ 2, 2020, 100, 12 }, { 2, 2022, 100, 20 }, { 2, 2024, 100, 30 },
		{ 3, 2022, 100, 10 }, { 3, 2024, 100, 12 }, { 4, 2022, 100, 20 }, { 4, 2024, 100, 24 },
		{ 0, 2022, 200, 60 }, { 0, 2024, 200, 70 },
	};
	struct grp_params p = params();
	struct grp_input in = { sc, 5, counties, 1, "330100", g, 1, m, 3, x, 13, NULL, 0 };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2024, &rs, &e), 0);
	/* R1 joined 2021: base 2021 (10%) -> 30%: +0.20 */
	r = row(&rs, "GRP.CHANGE", "R1", 2024);
	assert_float_equal(r->value, 0.20, 1e-12);
	assert_non_null(strstr(r->evidence, "\"base_year\":2021"));
	assert_non_null(strstr(r->evidence, "\"base_after_joining\":false"));
	/* R2 joined 2018, before any result: base the earliest, 2020 (12%) -> +0.18, flagged */
	r = row(&rs, "GRP.CHANGE", "R2", 2024);
	assert_float_equal(r->value, 0.18, 1e-12);
	assert_non_null(strstr(r->evidence, "\"base_after_joining\":true"));
	assert_float_equal(row(&rs, "GRP.EXCELLENT", "R1", 2020)->value, 0.08, 1e-12);
	assert_null(row(&rs, "GRP.EXCELLENT", "C1", 2022)); /* not a member */
	/* pooled rural members: 2022 (10 + 20) / 200 = 0.15, 2024 0.30 */
	assert_float_equal(row(&rs, "GRP.RURAL.EXCELLENT", "330100", 2022)->value, 0.15, 1e-12);
	assert_float_equal(row(&rs, "GRP.RURAL.EXCELLENT", "330100", 2024)->value, 0.30, 1e-12);
	assert_float_equal(row(&rs, "GRP.CONTROL.EXCELLENT", "330100", 2024)->value, 0.18, 1e-12);
	/* the hand-computed DiD, base 2022: 0.15 - 0.03 = 0.12, verdict pass */
	r = row(&rs, "GRP.DID", "330100", 2024);
	assert_float_equal(r->value, 0.12, 1e-12);
	assert_float_equal(r->numerator, 0.15, 1e-12);
	assert_float_equal(r->denominator, 0.03, 1e-12);
	assert_int_equal(r->verdict, V_PASS);
	assert_non_null(strstr(r->evidence, "\"base_year\":2022,\"year\":2024,"
			       "\"treated_schools\":2,\"control_schools\":2"));
	results_release(&rs);

	/* one comparison school only: too few to estimate */
	p.min_schools = 3;
	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "GRP.DID", "330100", 2024);
	assert_int_equal(r->verdict, V_NA);
	assert_non_null(strstr(r->evidence, "\"statement\":\"too few schools with results in both "
			       "2022 and 2024 (2 rural members, 2 comparison schools; at least 3 "
			       "each): no estimate\""));
	results_release(&rs);
}

static void bad_level(void **state)
{
	struct grp_params p = params();
	struct grp_input in = { schools, 6, counties, 2, "330100", groups, 2, members, 5, NULL, 0,
				NULL, 0 };
	struct result_set rs;
	struct err e = ERR_INIT;
	(void)state;
	p.level = 1.5;
	results_init(&rs);
	assert_int_equal(grp_run(&p, &in, 2024, &rs, &e), ERR_DATA);
	assert_string_equal(e.msg, "groups.outcome interval_level must be between 0 and 1");
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(coverage_with_a_school_that_left),
		cmocka_unit_test(did_hand_computed),
		cmocka_unit_test(did_degenerate_interval),
		cmocka_unit_test(did_cannot_tell),
		cmocka_unit_test(outcomes_and_change_since_joining),
		cmocka_unit_test(bad_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
