/* test_check.c: the pure data-quality checks of check.c over hand-made arrays: each check
 * finds its problem, names the rows, and stays quiet on edge cases that are not problems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "check.h"

#define N CHK_ABSENT

static void assert_finding(const struct check_report *r, size_t i, enum check_severity sev,
			   const char *check, const char *key, const char *msg)
{
	assert_true(i < r->nr);
	assert_int_equal(r->v[i].severity, sev);
	assert_string_equal(r->v[i].check, check);
	assert_string_equal(r->v[i].key, key);
	assert_string_equal(r->v[i].message, msg);
}

static void duplicates_grouped_by_hash(void **state)
{
	const struct chk_teacher t[] = {
		{ "T9", "hb", "1101**********0002" }, { "T1", "ha", "1101**********0001" },
		{ "T5", "hc", "1101**********0003" }, { "T2", "hb", "1101**********0002" },
		{ "T3", "ha", "1101**********0001" }, { "T4", "ha", "1101**********0001" },
	};
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_duplicate_persons(t, 6, &r);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.errors, 2);
	assert_finding(&r, 0, CHECK_ERROR, "duplicate_person", "T1,T3,T4",
		       "one person (ID 1101**********0001) registered under 3 teacher codes");
	assert_finding(&r, 1, CHECK_ERROR, "duplicate_person", "T2,T9",
		       "one person (ID 1101**********0002) registered under 2 teacher codes");
	check_report_release(&r);
	check_report_init(&r);
	check_duplicate_persons(t, 0, &r);
	assert_int_equal(r.nr, 0);
	check_report_release(&r);
}

static void postings_overlap_half_open(void **state)
{
	const struct chk_posting p[] = {
		/* A: touching ranges and a later open one: fine */
		{ "A", "2010-09-01", "2015-09-01", "S1" },
		{ "A", "2015-09-01", "2018-09-01", "S2" },
		{ "A", "2018-09-01", NULL, "S3" },
		/* B: an open posting overlaps everything after it */
		{ "B", "2012-09-01", NULL, "S1" },
		{ "B", "2016-09-01", "2017-07-01", "S2" },
		{ "B", "2019-09-01", NULL, "S3" },
	};
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_posting_overlaps(p, 6, &r);
	assert_int_equal(r.nr, 2);
	assert_finding(&r, 0, CHECK_ERROR, "posting_overlap", "B/2012-09-01,B/2016-09-01",
		       "teacher B posted at S1 from 2012-09-01 to now and at S2 from 2016-09-01 "
		       "to 2017-07-01");
	assert_string_equal(r.v[1].key, "B/2012-09-01,B/2019-09-01");
	check_report_release(&r);
}

static const struct chk_return returns[] = {
	{ "S1", 2023, 1, 2, 80, 40, 40 },  { "S1", 2024, 1, 2, 84, N, N },
	{ "S1", 2024, 2, 2, 76, 38, 38 },  { "S2", 2022, 1, 2, 80, N, N },
	{ "S2", 2024, 1, 3, 120, 60, 61 }, /* 2023 missing: no yoy */
	{ "S3", 2023, 7, 0, 0, N, N },     { "S3", 2024, 7, 1, 40, N, N },
	{ "S4", 2023, 1, 0, 12, N, N },    { "S4", 2024, 1, 4, 3, N, N },
};
#define NR (sizeof(returns) / sizeof(returns[0]))

static void missing_returns_latest_year(void **state)
{
	const struct chk_school s[] = {
		{ "S5", "junior" }, { "S1", "primary" }, { "S9", "vocational" },
		{ "S8", "special" }, { "S2", "primary" },
	};
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_missing_returns(s, 5, returns, NR, 0, "vocational, special", &r);
	assert_int_equal(r.nr, 1);
	assert_finding(&r, 0, CHECK_ERROR, "missing_return", "S5/2024",
		       "junior school has no grade return for 2024");
	check_report_release(&r);
	/* an explicit year; no returns at all and no year: nothing to check */
	check_report_init(&r);
	check_missing_returns(s, 5, returns, NR, 2022, "vocational", &r);
	assert_int_equal(r.nr, 3);
	assert_string_equal(r.v[0].key, "S1/2022");
	assert_string_equal(r.v[1].key, "S5/2022");
	assert_string_equal(r.v[2].key, "S8/2022");
	check_report_release(&r);
	check_report_init(&r);
	check_missing_returns(s, 5, returns, 0, 0, "", &r);
	assert_int_equal(r.nr, 0);
	check_report_release(&r);
}

static void enrolment_change_needs_consecutive_years(void **state)
{
	struct check_report r;
	(void)state;
	check_report_init(&r);
	/* S1 80 -> 160 (+100%); S2 has no 2023; S3 0 -> 40; S4 12 -> 3 (-75%) */
	check_enrolment_change(returns, NR, 0, 0.30, &r);
	assert_int_equal(r.nr, 3);
	assert_int_equal(r.warnings, 3);
	assert_int_equal(r.errors, 0);
	assert_finding(&r, 0, CHECK_WARNING, "enrolment_change", "S1/2024",
		       "160 pupils in 2024 against 80 in 2023 (+100.0%), more than 30%");
	assert_finding(&r, 1, CHECK_WARNING, "enrolment_change", "S3/2024",
		       "40 pupils in 2024 against none in 2023");
	assert_finding(&r, 2, CHECK_WARNING, "enrolment_change", "S4/2024",
		       "3 pupils in 2024 against 12 in 2023 (-75.0%), more than 30%");
	check_report_release(&r);
	/* exactly at the threshold is not above it */
	check_report_init(&r);
	check_enrolment_change(returns, NR, 2024, 1.0, &r);
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.v[0].key, "S3/2024");
	check_report_release(&r);
}

static void class_pupils_range(void **state)
{
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_class_pupils(returns, NR, 0, 1, 45, &r);
	/* S2 2024: 40/class fine; S4 2023: 12 pupils, no class; S4 2024: 0.75 a class */
	assert_int_equal(r.nr, 2);
	assert_finding(&r, 0, CHECK_ERROR, "class_pupils", "S4/2023/1", "12 pupils in no class");
	assert_finding(&r, 1, CHECK_ERROR, "class_pupils", "S4/2024/1",
		       "3 pupils in 4 classes (0.8 a class), outside 1-45");
	check_report_release(&r);
	check_report_init(&r);
	check_class_pupils(returns, NR, 0, 1, 39.5, &r);
	assert_int_equal(r.nr, 7);
	assert_finding(&r, 0, CHECK_ERROR, "class_pupils", "S1/2023/1",
		       "80 pupils in 2 classes (40.0 a class), outside 1-39.5");
	check_report_release(&r);
}

static void facilities_per_school_year(void **state)
{
	const struct chk_facility f[] = { { "S1", 2024 }, { "S1", 2023 }, { "S3", 2024 },
					  { "S4", 2023 }, { "S4", 2024 }, { "S2", 2024 } };
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_missing_facilities(returns, NR, f, 6, 0, &r);
	assert_int_equal(r.nr, 2);
	assert_finding(&r, 0, CHECK_WARNING, "missing_facility", "S2/2022",
		       "no facilities for 2022 though the school has a grade return");
	assert_string_equal(r.v[1].key, "S3/2023");
	check_report_release(&r);
	check_report_init(&r);
	check_missing_facilities(returns, NR, f, 6, 2024, &r);
	assert_int_equal(r.nr, 0);
	check_report_release(&r);
}

static void sex_and_section_sums(void **state)
{
	const struct chk_sections cs[] = {
		{ "S1", 2024, 1, 2, 84 }, /* matches */
		{ "S1", 2024, 2, 3, 76 }, /* 3 sections, 2 classes */
		{ "S7", 2024, 1, 1, 30 }, /* no return */
	};
	struct check_report r;
	(void)state;
	check_report_init(&r);
	check_sex_sum(returns, NR, 0, &r);
	assert_int_equal(r.nr, 1);
	assert_finding(&r, 0, CHECK_ERROR, "sex_sum", "S2/2024/1",
		       "boys 60 + girls 61 = 121, not the 120 pupils");
	check_report_release(&r);
	check_report_init(&r);
	check_section_sum(returns, NR, cs, 3, 0, &r);
	assert_int_equal(r.nr, 2);
	assert_finding(&r, 0, CHECK_ERROR, "section_sum", "S1/2024/2",
		       "3 class sections with 76 pupils, the grade return says 2 classes with 76 "
		       "pupils");
	assert_finding(&r, 1, CHECK_ERROR, "section_sum", "S7/2024/1",
		       "1 class section with 30 pupils but no grade return");
	check_report_release(&r);
}

static void run_orders_checks(void **state)
{
	struct chk_teacher t[] = { { "T1", "h", "m" }, { "T2", "h", "m" } };
	struct chk_school s[] = { { "S1", "primary" }, { "S5", "junior" } };
	struct check_facts f;
	struct check_params p = { 0.30, 1, 66, "vocational", 0 };
	struct check_report r;
	(void)state;
	memset(&f, 0, sizeof(f));
	f.teachers = t;
	f.nteachers = 2;
	f.schools = s;
	f.nschools = 2;
	f.returns = (struct chk_return *)returns;
	f.nreturns = 3; /* S1 only */
	check_report_init(&r);
	check_run(&f, &p, &r);
	/* duplicate, missing return S5, missing facilities S1 2023 and 2024, S1 +100% */
	assert_int_equal(r.nr, 5);
	assert_string_equal(r.v[0].check, "duplicate_person");
	assert_string_equal(r.v[1].check, "missing_return");
	assert_string_equal(r.v[2].check, "missing_facility");
	assert_string_equal(r.v[3].check, "missing_facility");
	assert_string_equal(r.v[4].check, "enrolment_change");
	assert_int_equal(r.errors, 2);
	assert_int_equal(r.warnings, 3);
	check_report_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duplicates_grouped_by_hash),
		cmocka_unit_test(postings_overlap_half_open),
		cmocka_unit_test(missing_returns_latest_year),
		cmocka_unit_test(enrolment_change_needs_consecutive_years),
		cmocka_unit_test(class_pupils_range),
		cmocka_unit_test(facilities_per_school_year),
		cmocka_unit_test(sex_and_section_sums),
		cmocka_unit_test(run_orders_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
