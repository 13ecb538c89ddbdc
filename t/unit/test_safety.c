/* test_safety.c: unit tests for the hazard state machine (hazard.c hazard_check_step, pure)
 * and the safety engine (eng_safety.c): every legal and illegal transition, the five-item
 * rule, overdue on the deadline day and the day after, and the per-school and county
 * indicators on a hand-made ledger. No database. */
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
#include "eng_safety.h"
#include "eval.h"
#include "hazard.h"

/* safety.major_hazard as seeded (rules.c). */
static const struct hz_rules R = {
	.general_required = HZF_MEASURES | HZF_RESPONSIBLE | HZF_DEADLINE,
	.major_required = HZF_MEASURES | HZF_RESPONSIBLE | HZF_FUNDS | HZF_DEADLINE | HZF_CONTINGENCY,
};

static struct hazard complete(enum hz_state st, int major)
{
	struct hazard h = {
		.code = "H1", .school_code = "3905020001", .category = "fire",
		.found_date = "2025-03-01", .description = "灭火器过期", .is_major = major,
		.state = st, .responsible = "张三", .measures = "更换", .funds = 500,
		.deadline = "2025-04-01", .contingency_plan = "预案",
	};
	return h;
}

static void every_transition(void **state)
{
	static const char *const from_name[] = { "found (发现)", "registered (已登记)",
		"assigned (已交办)", "rectifying (整改中)", "accepted (已验收)", "closed (已销号)" };
	int legal = 0;
	(void)state;
	for (int step = 0; step < HZ_NSTEPS; step++)
		for (int st = 0; st < HZ_NSTATES; st++) {
			struct hazard h = complete((enum hz_state)st, 1);
			struct err e = ERR_INIT;
			int rc = hazard_check_step(&h, step, "2025-03-02", &R, &e);
			if (st == (int)hz_transitions[step].from) {
				assert_int_equal(rc, 0);
				legal++;
			} else {
				char want[256];
				snprintf(want, sizeof(want), "cannot %s hazard 'H1': it is %s; %s needs %s",
					 hz_transitions[step].verb, from_name[st],
					 hz_transitions[step].verb,
					 from_name[hz_transitions[step].from]);
				assert_int_equal(rc, ERR_DATA);
				assert_string_equal(e.msg, want);
			}
		}
	assert_int_equal(legal, 5);
	/* the chain: each step leads to the next step's from-state */
	assert_int_equal(hz_transitions[HZ_STEP_REGISTER].from, HZ_FOUND);
	for (int step = 0; step + 1 < HZ_NSTEPS; step++)
		assert_int_equal(hz_transitions[step].to, hz_transitions[step + 1].from);
	assert_int_equal(hz_transitions[HZ_STEP_CLOSE].to, HZ_CLOSED);
	assert_int_equal(hz_step_parse("accept"), HZ_STEP_ACCEPT);
	assert_int_equal(hz_step_parse("reopen"), -1);
}

static void five_item_rule(void **state)
{
	static const char *const missing[] = { "measures (整改措施)", "responsible (责任人)",
		"funds (整改资金)", "deadline (整改时限)", "contingency_plan (应急预案)" };
	(void)state;
	for (int f = 0; f < HZF_NFIELDS; f++) {
		struct hazard h = complete(HZ_REGISTERED, 1);
		struct err e = ERR_INIT;
		char want[512];
		switch (f) {
		case 0: h.measures = NULL; break;
		case 1: h.responsible = ""; break;
		case 2: h.funds = NAN; break;
		case 3: h.deadline = NULL; break;
		default: h.contingency_plan = NULL; break;
		}
		snprintf(want, sizeof(want), "cannot assign major hazard 'H1' (重大隐患): missing %s; "
			 "a major hazard needs all of (五落实) measures (整改措施), responsible (责任人), "
			 "funds (整改资金), deadline (整改时限), contingency_plan (应急预案)", missing[f]);
		assert_int_equal(hazard_check_step(&h, HZ_STEP_ASSIGN, "2025-03-02", &R, &e), ERR_DATA);
		assert_string_equal(e.msg, want);
		/* a general hazard needs only measures, responsible and deadline */
		h.is_major = 0;
		err_clear(&e);
		if (f == 2 || f == 4) {
			assert_int_equal(hazard_check_step(&h, HZ_STEP_ASSIGN, "2025-03-02", &R, &e), 0);
		} else {
			snprintf(want, sizeof(want), "cannot assign hazard 'H1': missing %s", missing[f]);
			assert_int_equal(hazard_check_step(&h, HZ_STEP_ASSIGN, "2025-03-02", &R, &e),
					 ERR_DATA);
			assert_string_equal(e.msg, want);
		}
	}
	{ /* two missing, and a deadline before the hazard was found */
		struct hazard h = complete(HZ_REGISTERED, 1);
		struct err e = ERR_INIT;
		h.funds = NAN;
		h.contingency_plan = NULL;
		hazard_check_step(&h, HZ_STEP_ASSIGN, "2025-03-02", &R, &e);
		assert_non_null(strstr(e.msg, "missing funds (整改资金), contingency_plan (应急预案);"));
		h = complete(HZ_REGISTERED, 0);
		h.deadline = "2025-02-28";
		assert_int_equal(hazard_check_step(&h, HZ_STEP_ASSIGN, "2025-03-02", &R, &e), ERR_DATA);
		assert_string_equal(e.msg, "cannot assign hazard 'H1': deadline 2025-02-28 is before it "
				    "was found (2025-03-01)");
		h = complete(HZ_ASSIGNED, 0);
		assert_int_equal(hazard_check_step(&h, HZ_STEP_START, "2025-02-28", &R, &e), ERR_DATA);
		assert_string_equal(e.msg, "cannot start hazard 'H1' on 2025-02-28: it was found on "
				    "2025-03-01");
	}
}

static void overdue_day(void **state)
{
	struct hazard h = complete(HZ_RECTIFYING, 0);
	long dl;
	(void)state;
	assert_int_equal(date_parse("2025-04-01", &dl), 0);
	assert_int_equal(hazard_is_overdue(&h, dl - 1), 0);
	assert_int_equal(hazard_is_overdue(&h, dl), 0);      /* the deadline day itself */
	assert_int_equal(hazard_is_overdue(&h, dl + 1), 1);  /* the day after */
	h.state = HZ_ACCEPTED;
	assert_int_equal(hazard_is_overdue(&h, dl + 1), 0);
	h.state = HZ_CLOSED;
	assert_int_equal(hazard_is_overdue(&h, dl + 1), 0);
	h.state = HZ_ASSIGNED;
	assert_int_equal(hazard_is_overdue(&h, dl + 1), 1);
	h.deadline = NULL;
	assert_int_equal(hazard_is_overdue(&h, dl + 100), 0);
}

static const struct result_row *find(const struct result_set *rs, const char *ind,
				     const char *kind, const char *unit)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_kind, kind) &&
		    !strcmp(rs->v[i].unit_id, unit))
			return &rs->v[i];
	fail_msg("no row %s %s %s", ind, kind, unit);
	return NULL;
}

static long D(const char *s)
{
	long d = -1;
	if (s)
		assert_int_equal(date_parse(s, &d), 0);
	return d;
}

#define ALL5 (HZF_MEASURES | HZF_RESPONSIBLE | HZF_FUNDS | HZF_DEADLINE | HZF_CONTINGENCY)

static void engine_by_hand(void **state)
{
	struct sf_school sc[] = { { "S1", "一小", "C1" }, { "S2", "二小", "C1" },
				  { "S3", "三小", "C2" } };
	struct sf_hazard hz[] = {
		/* S1: overdue by one day */
		{ "H1", 0, 2, 0, HZ_RECTIFYING, D("2025-01-01"), D("2025-01-10"), -1, ALL5 },
		/* S1: closed after 10 days */
		{ "H2", 0, 3, 0, HZ_CLOSED, D("2025-01-01"), D("2025-01-20"), D("2025-01-11"), ALL5 },
		/* S1: only found */
		{ "H3", 0, 0, 0, HZ_FOUND, D("2025-01-05"), -1, -1, 0 },
		/* S1: accepted after its deadline: not overdue */
		{ "H4", 0, 2, 0, HZ_ACCEPTED, D("2024-12-01"), D("2024-12-31"), -1, ALL5 },
		/* S2: major, assigned without a contingency plan; its deadline is today */
		{ "H5", 1, 1, 1, HZ_ASSIGNED, D("2025-01-02"), D("2025-01-11"), -1,
		  ALL5 & ~HZF_CONTINGENCY },
		/* S2: found after the evaluation date: not counted */
		{ "H6", 1, 1, 0, HZ_REGISTERED, D("2025-02-01"), -1, -1, 0 },
		/* S3: closed after 20 days */
		{ "H7", 2, 4, 1, HZ_CLOSED, D("2025-01-01"), D("2025-01-30"), D("2025-01-21"), ALL5 },
	};
	struct sf_building bd[] = { { "B1", "教学楼", 0, 'D', 1 }, { "B2", "旧楼", 0, 'D', 0 },
				    { "B3", "宿舍", 2, 'A', 1 } };
	struct sf_input in = { sc, 3, hz, 7, bd, 3 };
	struct sf_params p = { D("2025-01-11"), 'D', ALL5 };
	struct result_set rs;
	const struct result_row *r;
	(void)state;

	results_init(&rs);
	safety_run(&in, &p, 2024, &rs);
	r = find(&rs, "SAFE.OPEN", "school", "S1");
	assert_true(r->value == 3 && r->numerator == 0);
	assert_string_equal(r->evidence, "{\"by_category\":{\"drowning\":1,\"fire\":2},"
			    "\"by_severity\":{\"major\":0,\"general\":3}}");
	r = find(&rs, "SAFE.OVERDUE", "school", "S1");
	assert_true(r->value == 1);
	assert_int_equal(r->verdict, V_FAIL);
	assert_string_equal(r->evidence, "{\"overdue\":[{\"code\":\"H1\",\"school\":\"S1\","
			    "\"deadline\":\"2025-01-10\",\"days_overdue\":1,\"state\":\"rectifying\","
			    "\"major\":false}],\"listed\":1}");
	r = find(&rs, "SAFE.RECTIFY", "school", "S1"); /* H2, H4 of H1, H2, H4 */
	assert_true(fabs(r->value - 2.0 / 3) < 1e-12);
	r = find(&rs, "SAFE.CLOSE.DAYS", "school", "S1");
	assert_true(r->value == 10);
	r = find(&rs, "SAFE.OVERDUE", "school", "S2"); /* the deadline day: not overdue */
	assert_true(r->value == 0);
	assert_int_equal(r->verdict, V_PASS);
	r = find(&rs, "SAFE.OPEN", "school", "S2");
	assert_true(r->value == 1 && r->numerator == 1);
	r = find(&rs, "SAFE.MAJOR.ITEMS", "hazard", "H5");
	assert_int_equal(r->verdict, V_FAIL);
	assert_true(r->value == 1 && r->numerator == 4 && r->denominator == 5);
	assert_string_equal(r->evidence, "{\"school\":\"S2\",\"state\":\"assigned\",\"missing\":"
			    "[{\"field\":\"contingency_plan\",\"zh\":\"应急预案\"}],\"note\":"
			    "\"major hazard (重大隐患) missing: contingency_plan (应急预案)\"}");
	/* counties */
	r = find(&rs, "SAFE.OPEN", "county", "C1");
	assert_true(r->value == 4 && r->numerator == 1);
	r = find(&rs, "SAFE.OVERDUE", "county", "C1");
	assert_true(r->value == 1 && r->denominator == 4);
	r = find(&rs, "SAFE.RECTIFY", "county", "C1");
	assert_true(fabs(r->value - 2.0 / 4) < 1e-12);
	r = find(&rs, "SAFE.CLOSE.DAYS", "county", "C2");
	assert_true(r->value == 20);
	r = find(&rs, "SAFE.CLOSE.DAYS", "county", "C1");
	assert_true(r->value == 10);
	/* buildings: B1 in use at D, B2 not in use */
	r = find(&rs, "SAFE.BUILDING.D", "school", "S1");
	assert_int_equal(r->verdict, V_FAIL);
	assert_true(r->value == 1 && r->denominator == 2);
	assert_int_equal(find(&rs, "SAFE.BUILDING.D", "school", "S3")->verdict, V_PASS);
	r = find(&rs, "SAFE.BUILDING.D", "county", "C1");
	assert_int_equal(r->verdict, V_FAIL);
	assert_int_equal(find(&rs, "SAFE.BUILDING.D", "county", "C2")->verdict, V_PASS);
	for (size_t i = 0; i < rs.nr; i++)
		assert_string_not_equal(rs.v[i].unit_id, "H6");
	results_release(&rs);
}

static void fields_parse(void **state)
{
	unsigned m;
	struct err e = ERR_INIT;
	(void)state;
	assert_int_equal(hz_fields_parse("measures,responsible,funds,deadline,contingency_plan",
					 &m, &e), 0);
	assert_int_equal(m, ALL5);
	assert_int_equal(hz_fields_parse("measures,budget", &m, &e), ERR_DATA);
	assert_string_equal(e.msg, "unknown hazard field 'budget' (known: measures, responsible, "
			    "funds, deadline, contingency_plan)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_transition),
		cmocka_unit_test(five_item_rule),
		cmocka_unit_test(overdue_day),
		cmocka_unit_test(engine_by_hand),
		cmocka_unit_test(fields_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
