/* test_tasks.c: unit tests for the tasks engine (eng_tasks.c) with hand-computed values:
 * the lagging rule exactly at its tolerance and just beyond, overdue on the deadline day and
 * the day after, roll-up to parents, and progress from the registry by formula and area. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "eng_tasks.h"
#include "eval.h"

static const struct tk_facts NOFACTS = { 0 };

static struct tk_task task(const char *code, double base, double target, long start,
			   long deadline, const struct tk_entry *e, int ne)
{
	struct tk_task t = { .code = code, .name = code, .owner = "科", .unit = "个",
			     .parent = -1, .baseline = base, .target = target, .start = start,
			     .deadline = deadline, .formula = TKF_NONE, .area = -1,
			     .entries = e, .nentries = ne };
	return t;
}

static struct tk_status one(const struct tk_task *t, double tol, long as_of)
{
	struct tk_params p = { tol, as_of };
	struct tk_status st;
	tasks_eval(t, 1, &NOFACTS, &p, &st);
	return st;
}

/* 100 days from 0 to 100; at day 50 the line is at 0.5. */
static void lagging_boundary(void **state)
{
	struct tk_entry at40[] = { { 50, 40 } }, at39[] = { { 50, 39.99 } };
	struct tk_entry at50[] = { { 50, 50 } }, at49[] = { { 50, 49.99 } };
	struct tk_task t;
	struct tk_status s;
	(void)state;

	t = task("T", 0, 100, 0, 100, at40, 1);
	s = one(&t, 0.1, 50); /* behind by exactly the tolerance: not lagging */
	assert_true(fabs(s.expected - 0.5) < 1e-15 && fabs(s.share - 0.4) < 1e-15);
	assert_int_equal(s.lagging, 0);
	assert_string_equal(tk_status_name(&s), "on_track");
	{ /* 0.8 - 0.7 is 0.10000000000000009 in doubles: still exactly the tolerance */
		struct tk_entry at70[] = { { 80, 70 } };
		t.entries = at70;
		assert_int_equal(one(&t, 0.1, 80).lagging, 0);
	}
	t.entries = at39; /* a hundredth more: lagging */
	s = one(&t, 0.1, 50);
	assert_int_equal(s.lagging, 1);
	assert_string_equal(tk_status_name(&s), "lagging");
	/* the seeded tolerance 0: on the line is fine, below it lags */
	t.entries = at50;
	assert_int_equal(one(&t, 0, 50).lagging, 0);
	t.entries = at49;
	assert_int_equal(one(&t, 0, 50).lagging, 1);
	/* a decreasing target (e.g. a share of large classes from 20 down to 0) */
	{
		struct tk_entry dn[] = { { 50, 10 } };
		t = task("D", 20, 0, 0, 100, dn, 1);
		s = one(&t, 0, 50);
		assert_true(fabs(s.share - 0.5) < 1e-15);
		assert_int_equal(s.lagging, 0);
	}
	/* entries after as_of are not seen; none at all: the baseline */
	{
		struct tk_entry late[] = { { 10, 5 }, { 60, 90 } };
		t = task("L", 0, 100, 0, 100, late, 2);
		s = one(&t, 0, 50);
		assert_true(s.value == 5 && s.entry_date == 10);
		t.nentries = 0;
		s = one(&t, 0, 50);
		assert_true(s.value == 0 && s.source == TKS_BASELINE && s.entry_date == -1);
	}
}

static void overdue_day(void **state)
{
	struct tk_entry half[] = { { 80, 50 } }, full[] = { { 80, 100 } };
	struct tk_task t = task("T", 0, 100, 0, 100, half, 1);
	struct tk_status s;
	(void)state;
	s = one(&t, 0, 100); /* the deadline day: lagging, not yet overdue */
	assert_int_equal(s.overdue, 0);
	assert_int_equal(s.lagging, 1);
	s = one(&t, 0, 101); /* the day after */
	assert_int_equal(s.overdue, 1);
	assert_string_equal(tk_status_name(&s), "overdue");
	t.entries = full;
	s = one(&t, 0, 101);
	assert_int_equal(s.overdue, 0);
	assert_int_equal(s.met, 1);
	assert_string_equal(tk_status_name(&s), "met");
}

static void rollup(void **state)
{
	struct tk_entry a[] = { { 50, 100 } }, b[] = { { 50, 2 } }, c[] = { { 50, 5 } };
	struct tk_task t[4];
	struct tk_status st[4];
	struct tk_params p = { 0, 50 };
	(void)state;
	t[0] = task("P", 0, 100, 0, 100, NULL, 0);
	t[1] = task("P1", 0, 100, 0, 100, a, 1);   /* share 1 */
	t[2] = task("P2", 0, 10, 0, 100, b, 1);    /* share 0.2: lagging */
	t[3] = task("P21", 0, 10, 0, 100, c, 1);   /* a grandchild: P2 follows it, 0.5 */
	t[1].parent = t[2].parent = 0;
	t[3].parent = 2;
	tasks_eval(t, 4, &NOFACTS, &p, st);
	assert_true(fabs(st[2].share - 0.5) < 1e-15); /* P2 is P21's roll-up */
	assert_int_equal(st[2].source, TKS_CHILDREN);
	assert_true(fabs(st[0].share - 0.75) < 1e-15);
	assert_true(fabs(st[0].value - 75) < 1e-12);
	assert_int_equal(st[0].children, 2);
	assert_int_equal(st[0].lagging, 0);
	/* a cycle is broken, not followed forever */
	t[0].parent = 3;
	tasks_eval(t, 4, &NOFACTS, &p, st);
}

static void formulas(void **state)
{
	/* city K -> counties A, B; projects and hazards in them */
	struct tk_area areas[] = { { "A", 2 }, { "B", 2 }, { "K", -1 } };
	struct tk_project pj[] = {
		{ 0, 1, 0, 1, 1, 2025, 1800 },  /* new nine-year school, done 2025, in A */
		{ 1, 1, 0, 0, 1, 2026, 1350 },  /* new primary, done 2026, in B */
		{ 0, 0, 1, 0, 1, 2024, 300 },   /* expansion done 2024 in A */
		{ 0, 1, 0, 0, 0, 2025, 1250 },  /* new, not done */
	};
	struct tk_hazard hz[] = { { 0, 10, 20 }, { 0, 10, -1 }, { 1, 10, 40 }, { 1, 60, -1 } };
	struct tk_facts f = { areas, 3, pj, 4, hz, 4 };
	long d25 = date_from_civil(2025, 6, 30), d26 = date_from_civil(2026, 1, 1);
	(void)state;
	assert_true(tk_formula_value(TKF_SCHOOLS_OPENED, -1, &f, d25) == 1);
	assert_true(tk_formula_value(TKF_SCHOOLS_OPENED, -1, &f, d26) == 2);
	assert_true(tk_formula_value(TKF_SCHOOLS_OPENED, 1, &f, d25) == 0);
	assert_true(tk_formula_value(TKF_SCHOOLS_OPENED, 2, &f, d26) == 2);
	assert_true(tk_formula_value(TKF_NINE_YEAR_OPENED, 0, &f, d26) == 1);
	assert_true(tk_formula_value(TKF_EXPANSIONS_DONE, -1, &f, d25) == 1);
	assert_true(tk_formula_value(TKF_SEATS_ADDED, -1, &f, d25) == 2100);
	assert_true(tk_formula_value(TKF_SEATS_ADDED, -1, &f, d26) == 3450);
	/* hazards at day 30: 3 found, 1 closed by then -> 33.3%; at 50: 2 of 3 */
	assert_true(fabs(tk_formula_value(TKF_HAZARDS_CLOSED_PCT, -1, &f, 30) - 100.0 / 3) < 1e-12);
	assert_true(fabs(tk_formula_value(TKF_HAZARDS_CLOSED_PCT, -1, &f, 50) - 200.0 / 3) < 1e-12);
	assert_true(tk_formula_value(TKF_HAZARDS_CLOSED_PCT, 1, &f, 50) == 100);
	assert_int_equal(tk_formula_parse("seats_added"), TKF_SEATS_ADDED);
	assert_int_equal(tk_formula_parse(""), TKF_NONE);
	assert_int_equal(tk_formula_parse("pupils"), -1);
	{ /* a formula task ignores its manual entries */
		struct tk_entry e[] = { { d25 - 10, 4000 } };
		struct tk_task t = task("S", 0, 8000, date_from_civil(2025, 1, 1),
					date_from_civil(2030, 12, 31), e, 1);
		struct tk_params p = { 0, d25 };
		struct tk_status s;
		t.formula = TKF_SEATS_ADDED;
		tasks_eval(&t, 1, &f, &p, &s);
		assert_true(s.value == 2100 && s.source == TKS_FORMULA);
	}
}

static void rows(void **state)
{
	struct tk_entry half[] = { { 80, 50 } };
	struct tk_task t[2] = { task("T1", 0, 100, 0, 100, half, 1),
				task("T2", 0, 100, 0, 200, half, 1) };
	struct tk_params p = { 0.1, 101 };
	struct result_set rs;
	(void)state;
	results_init(&rs);
	tasks_run(t, 2, &NOFACTS, &p, 2024, &rs);
	assert_int_equal((int)rs.nr, 2);
	assert_string_equal(rs.v[0].indicator, "TASK.PROGRESS");
	assert_string_equal(rs.v[0].unit_kind, "task");
	assert_int_equal(rs.v[0].verdict, V_FAIL);  /* overdue */
	assert_true(rs.v[0].value == 0.5 && rs.v[0].numerator == 50 && rs.v[0].denominator == 100);
	assert_true(fabs(rs.v[0].threshold - 0.9) < 1e-12);
	assert_non_null(strstr(rs.v[0].evidence, "\"status\":\"overdue\""));
	assert_non_null(strstr(rs.v[0].evidence, "\"note\":\"overdue: 50% done, 100% expected by "
				"1970-04-12\""));
	assert_int_equal(rs.v[1].verdict, V_PASS);  /* 0.505 expected, 0.5 done, tolerance 0.1 */
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lagging_boundary),
		cmocka_unit_test(overdue_day),
		cmocka_unit_test(rollup),
		cmocka_unit_test(formulas),
		cmocka_unit_test(rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
