/* test_seats.c: the seat engine on hand-made cases: capacity from classes, declared seats and
 * projects; two areas where one area's surplus must not hide the other's shortage; the
 * proposal sizing; merger candidates; vintage scoring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "eng_seats.h"
#include "eval.h"

static struct seat_params params(void)
{
	struct seat_params p = {
		.class_size = { 45, 50, 50 },
		.std_classes = { { 24, 36 }, { 24, 30 }, { 0 } },
		.surplus_match = 0.8,
		.surplus_years = 3,
	};
	return p;
}

static const struct result_row *find(const struct result_set *rs, const char *ind,
				     const char *area, const char *stage, int year)
{
	for (size_t i = 0; i < rs->nr; i++) {
		const struct result_row *r = &rs->v[i];
		if (!strcmp(r->indicator, ind) && !strcmp(r->unit_id, area) &&
		    !strcmp(r->stage, stage) && r->year == year)
			return r;
	}
	return NULL;
}

static void capacity_of_a_school(void **state)
{
	struct seat_params p = params();
	struct seat_school s = { "1", "nine", 0, { 12, 6, 0 }, { 500, 280, 0 }, NAN };
	double c[ST_N];
	(void)state;
	seats_school_capacity(&s, &p, c);
	assert_float_equal(c[ST_PRIMARY], 12 * 45, 1e-9);
	assert_float_equal(c[ST_JUNIOR], 6 * 50, 1e-9);
	/* declared seats 1000 split 540:300 */
	s.declared_seats = 1000;
	seats_school_capacity(&s, &p, c);
	assert_float_equal(c[ST_PRIMARY], 1000 * 540.0 / 840, 1e-9);
	assert_float_equal(c[ST_JUNIOR], 1000 * 300.0 / 840, 1e-9);
}

/* Area A: 30 primary classes (1350 seats), demand 900, 850, 800: a surplus every year.
 * Area B: 20 classes (900 seats) + an expansion of 270 seats from 2026; demand 1000, 1400,
 * 2000: short by 100, 230, 830. The city total (1900 vs 2250 in 2025) would hide B. */
static void surplus_does_not_hide_shortage(void **state)
{
	static const char *const codes[] = { "330101", "330102" };
	static const char *const names[] = { "A", "B" };
	struct seat_params p = params();
	struct seat_school schools[] = {
		{ "3300000001", "A1", 0, { 30, 0, 0 }, { 900, 0, 0 }, NAN },
		{ "3300000002", "A2", 0, { 6, 0, 0 }, { 250, 0, 0 }, NAN },
		{ "3300000003", "B1", 1, { 20, 0, 0 }, { 880, 0, 0 }, NAN },
	};
	struct seat_project proj[] = {
		{ "P1", "B1 expansion", 1, "expansion", "primary", 270, NAN, 2026 },
		{ "P2", "cancelled-like renovation", 1, "renovation", "primary", 999, NAN, 2025 },
	};
	double demand[2 * 3 * ST_N] = { 0 };
	struct seat_input in = { 0 };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;

	/* [area][year][stage]: primary only; A has 6 more classes (270 seats): A1 + A2 = 1620 */
	demand[0 * 3 + 0] = 900;
	demand[1 * 3 + 0] = 850;
	demand[2 * 3 + 0] = 800;
	demand[9 + 0 * 3 + 0] = 1000;
	demand[9 + 1 * 3 + 0] = 1400;
	demand[9 + 2 * 3 + 0] = 2000;
	in.nareas = 2;
	in.area_code = codes;
	in.area_name = names;
	in.first_year = 2025;
	in.nyears = 3;
	in.demand = demand;
	in.schools = schools;
	in.nschools = 3;
	in.projects = proj;
	in.nprojects = 2;
	results_init(&rs);
	assert_int_equal(seats_evaluate(&in, &p, &rs, &e), 0);

	/* B is short every year although the two areas together have spare seats in 2025 */
	r = find(&rs, "SEAT.GAP", "330102", "primary", 2025);
	assert_non_null(r);
	assert_float_equal(r->value, 100, 1e-9);
	assert_int_equal(r->verdict, V_FAIL);
	r = find(&rs, "SEAT.GAP", "330102", "primary", 2026);
	assert_float_equal(r->value, 1400 - 1170, 1e-9);
	assert_float_equal(r->denominator, 1170, 1e-9);
	assert_int_equal(r->verdict, V_FAIL);
	assert_non_null(strstr(r->evidence, "\"project_seats\":270"));
	r = find(&rs, "SEAT.MATCH", "330102", "primary", 2027);
	assert_float_equal(r->value, 2000.0 / 1170, 1e-9);
	/* A: surplus, matching degree 900/1620 = .556 < .8: warn */
	r = find(&rs, "SEAT.GAP", "330101", "primary", 2025);
	assert_float_equal(r->value, 900 - 1620, 1e-9);
	assert_int_equal(r->verdict, V_WARN);

	/* B's proposal: worst shortage 830 >= half the smallest standard school (1080 / 2): one
	 * new school; 830 fits the 24-class size (1080 seats); needed from 2025 */
	r = find(&rs, "SEAT.PROPOSAL", "330102", "primary", 2025);
	assert_non_null(r);
	assert_float_equal(r->value, 1080, 1e-9);
	assert_float_equal(r->numerator, 830, 1e-9);
	assert_string_equal(r->evidence, "{\"shortage\":830,\"year_needed\":2025,\"kind\":"
			    "\"new_schools\",\"schools\":[{\"classes\":24,\"seats\":1080}],"
			    "\"class_size\":45,\"seats\":1080}");
	assert_null(find(&rs, "SEAT.PROPOSAL", "330101", "primary", 2025));

	/* A: 3 years below .8: merger candidates, least used first (A2 250/270 = .926 is not
	 * under .8, A1 900/1350 = .667 is) */
	r = find(&rs, "SEAT.SURPLUS", "330101", "primary", 2027);
	assert_non_null(r);
	assert_float_equal(r->value, 1620 - 800, 1e-9);
	assert_string_equal(r->evidence, "{\"years\":3,\"until\":2027,\"match_below\":0.8,"
			    "\"merger_candidates\":[{\"school\":\"3300000001\",\"name\":\"A1\","
			    "\"pupils\":900,\"seats\":1350,\"use\":0.667}]}");
	assert_null(find(&rs, "SEAT.SURPLUS", "330102", "primary", 2027));
	/* no rows for stages without demand or seats */
	assert_null(find(&rs, "SEAT.GAP", "330101", "junior", 2025));
	results_release(&rs);
}

static void proposal_sizes(void **state)
{
	struct seat_params p = params();
	struct seat_proposal pr;
	(void)state;
	/* small shortage: expansion by whole classes: 100 pupils -> 3 classes of 45 */
	seats_propose(100, ST_PRIMARY, &p, &pr);
	assert_int_equal(pr.nschools, 0);
	assert_float_equal(pr.seats, 135, 1e-9);
	/* 2000: one 36-class school (1620) + a 24-class one for the 380 left */
	seats_propose(2000, ST_PRIMARY, &p, &pr);
	assert_int_equal(pr.nschools, 2);
	assert_int_equal(pr.classes[0], 36);
	assert_int_equal(pr.classes[1], 24);
	assert_float_equal(pr.seats, 1620 + 1080, 1e-9);
	/* junior 1300: one 30-class school (1500) */
	seats_propose(1300, ST_JUNIOR, &p, &pr);
	assert_int_equal(pr.nschools, 1);
	assert_int_equal(pr.classes[0], 30);
	/* senior has no standard size: expansion, 120 -> 3 classes of 50 */
	seats_propose(120, ST_SENIOR, &p, &pr);
	assert_int_equal(pr.nschools, 0);
	assert_float_equal(pr.seats, 150, 1e-9);
}

/* A zero class size (a bad rule) used to divide by zero and write classes[] out of bounds:
 * n = (int)ceil(shortage / 0) is undefined and was negative. */
static void proposal_without_class_size(void **state)
{
	struct seat_params p = params();
	struct seat_proposal pr;
	(void)state;
	p.class_size[ST_PRIMARY] = 0;
	seats_propose(2000, ST_PRIMARY, &p, &pr);
	assert_int_equal(pr.nschools, 0);
	assert_float_equal(pr.seats, 2000, 1e-9);
	assert_float_equal(pr.shortage, 2000, 1e-9);
}

static void nine_year_project_splits_seats(void **state)
{
	static const char *const codes[] = { "330103" };
	struct seat_params p = params();
	struct seat_project proj[] = {
		{ "P9", "nine-year", 0, "new", "nine_year", 2250, 1620, 2026 },
	};
	struct seat_input in = { 0 };
	double cap[2 * ST_N];
	(void)state;
	in.nareas = 1;
	in.area_code = codes;
	in.first_year = 2025;
	in.nyears = 2;
	in.projects = proj;
	in.nprojects = 1;
	seats_capacity(&in, &p, cap);
	assert_float_equal(cap[0], 0, 1e-9);              /* 2025: not completed */
	assert_float_equal(cap[ST_N + ST_PRIMARY], 1620, 1e-9);
	assert_float_equal(cap[ST_N + ST_JUNIOR], 630, 1e-9);
}

static void vintage_scores(void **state)
{
	/* lead-1 intervals: the first contains its actual, the second not; lead 2 has none */
	struct seat_vintage_cell c[] = {
		{ 1, 110, 100, 95, 120 }, { 1, 90, 100, 80, 99 }, { 2, 120, 100, NAN, NAN },
		{ 2, 50, 0, NAN, NAN },
	};
	struct seat_lead_score s[3];
	(void)state;
	seats_score_vintage(c, 4, 3, s);
	assert_int_equal(s[0].n, 2);
	assert_float_equal(s[0].mape, 10, 1e-9);
	assert_float_equal(s[0].bias, 0, 1e-9);
	assert_int_equal(s[1].n, 1); /* the actual-0 cell is skipped */
	assert_float_equal(s[1].mape, 20, 1e-9);
	assert_float_equal(s[1].bias, 20, 1e-9);
	assert_int_equal(s[0].ncov, 2);
	assert_float_equal(s[0].cov80, 50, 1e-9);
	assert_int_equal(s[1].ncov, 0);
	assert_true(isnan(s[1].cov80));
	assert_int_equal(s[2].n, 0);
	assert_true(isnan(s[2].mape));
}

/* A shortage is certain only when the whole 95 % interval of the demand is above the seats. */
static void shortage_certain_only_when_the_interval_is_short(void **state)
{
	static const double iv[4] = { 900, 950, 1050, 1100 }; /* lo95 lo80 hi80 hi95 */
	static const double none[4] = { NAN, NAN, NAN, NAN };
	(void)state;
	assert_string_equal(seats_shortage_kind(1000, 899, iv), "certain");
	assert_string_equal(seats_shortage_kind(1000, 900, iv), "possible"); /* lo95 = seats */
	assert_string_equal(seats_shortage_kind(1000, 960, iv), "possible");
	assert_string_equal(seats_shortage_kind(1000, 1050, iv), "possible"); /* surplus, hi95 > */
	assert_string_equal(seats_shortage_kind(1000, 1100, iv), "");
	assert_string_equal(seats_shortage_kind(1000, 999, none), "possible"); /* no interval */
	assert_string_equal(seats_shortage_kind(1000, 999, NULL), "possible");
	assert_string_equal(seats_shortage_kind(1000, 1000, NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capacity_of_a_school),
		cmocka_unit_test(surplus_does_not_hide_shortage),
		cmocka_unit_test(proposal_sizes),
		cmocka_unit_test(proposal_without_class_size),
		cmocka_unit_test(nine_year_project_splits_seats),
		cmocka_unit_test(vintage_scores),
		cmocka_unit_test(shortage_certain_only_when_the_interval_is_short),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
