/* test_vocational.c: the vocational engine (eng_vocational.c) on hand-made histories: the
 * staged rule (below/below closes, below/above/below does not, a year without graduates
 * skipped or breaking as the rule says, exactly 60.0% is not below), the action and run
 * length as parameters, the Fujian peer-bottom variant with ties, the Guizhou enrolment
 * variant, matching by count and by enrolment, sites, history and cooperation figures.
 * No database: facts and parameters are plain structs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "eng_vocational.h"
#include "eval.h"
#include "validate.h"

/* The city rule as seeded in the rule table (rules.c), copied by hand. */
static struct voc_params city_rule(void)
{
	struct voc_params p = {
		.cond = VOC_COND_EMPLOYMENT, .min_rate = 0.60, .bottom_share = 0.10,
		.peer_set = VOC_PEER_CATEGORY, .min_peers = 5, .min_enrolled = 50,
		.run_years = 2, .first_action = VOC_ACT_WARN, .action = VOC_ACT_CLOSE,
		.undecided_breaks = 0, .satisfaction_min_sample = 5, .match_target = 0.85,
		.sites_max_share = 0.50,
	};
	return p;
}

static const struct voc_school schools[] = {
	{ "3900000001", "一职", "390100", "甲市" },
	{ "3900000002", "二职", "390100", "甲市" },
};

/* One specialty at school 1 with the given years. */
static struct voc_specialty one_spec(const struct voc_year *y, size_t n)
{
	struct voc_specialty s = {
		.school = "3900000001", .version = "2021", .code = "480102",
		.name = "纺织技术与服务", .category = "轻工纺织大类", .opened_year = 2015,
		.years = y, .nyears = n, .key_industries = "IND07",
	};
	return s;
}

static struct voc_facts facts_of(struct voc_specialty *s, size_t n)
{
	struct voc_facts f = { .schools = schools, .nschools = 2, .specs = s, .nspecs = n };
	return f;
}

/* Decide one specialty for year; returns its decision (steps in a). */
static struct voc_decision decide1(const struct voc_params *p, const struct voc_year *y,
				   size_t n, int year, struct arena *a)
{
	struct voc_specialty s = one_spec(y, n);
	struct voc_facts f = facts_of(&s, 1);
	struct voc_decision d;
	struct err e = ERR_INIT;
	assert_int_equal(voc_decide(p, &f, year, &d, a, &e), 0);
	return d;
}

static const struct result_row *find(const struct result_set *rs, const char *ind,
				     const char *unit)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit))
			return &rs->v[i];
	return NULL;
}

/* {year, enrolled, graduates, employed, further_study, in_trade, surveyed, satisfied} */
static void below_below_closes(void **state)
{
	static const struct voc_year y[] = {
		{ 2022, 60, 50, 30, 10, 20, 8, 7 },   /* 80% */
		{ 2023, 60, 50, 20, 5, 15, 8, 6 },    /* 50% below */
		{ 2024, 60, 40, 18, 4, 10, 4, 3 },    /* 55% below */
	};
	struct voc_params p = city_rule();
	struct arena a;
	struct voc_decision d;
	(void)state;
	arena_init(&a, 0);
	d = decide1(&p, y, 3, 2024, &a);
	assert_true(d.in_review && d.decided);
	assert_int_equal(d.action, VOC_ACT_CLOSE);
	assert_int_equal(d.run, 2);
	assert_int_equal(d.nsteps, 3);
	assert_int_equal(d.steps[0].state, VOC_Y_NOT_MET);
	assert_int_equal(d.steps[1].state, VOC_Y_MET);
	assert_int_equal(d.steps[1].run, 1);
	assert_int_equal(d.steps[2].num, 22);
	assert_int_equal(d.steps[2].den, 40);
	/* a year earlier the same specialty was only warned */
	d = decide1(&p, y, 3, 2023, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	assert_int_equal(d.run, 1);
	assert_int_equal(d.nsteps, 2);
	/* the action is a parameter: 停招 instead of 撤销 */
	p.action = VOC_ACT_STOP_ENROLMENT;
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_STOP_ENROLMENT);
	/* and so is the run length: three years needed, two so far: still a warning */
	p.run_years = 3;
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	/* no first action: the first year below gives nothing */
	p.first_action = VOC_ACT_NONE;
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_NONE);
	assert_true(d.decided);
	arena_release(&a);
}

static void below_above_below_does_not_close(void **state)
{
	static const struct voc_year y[] = {
		{ 2022, 60, 50, 20, 5, 15, 8, 7 },    /* 50% below */
		{ 2023, 60, 50, 30, 5, 15, 8, 6 },    /* 70% */
		{ 2024, 60, 40, 18, 4, 10, 8, 3 },    /* 55% below */
	};
	struct voc_params p = city_rule();
	struct arena a;
	struct voc_decision d;
	(void)state;
	arena_init(&a, 0);
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	assert_int_equal(d.run, 1);
	assert_int_equal(d.steps[0].run, 1);
	assert_int_equal(d.steps[1].run, 0);
	arena_release(&a);
}

static void no_graduates_skipped_or_breaking(void **state)
{
	static const struct voc_year y[] = {
		{ 2022, 60, 50, 20, 5, 15, 8, 7 },    /* 50% below */
		{ 2023, 0, 0, 0, 0, 0, 0, 0 },        /* no graduates */
		{ 2024, 60, 40, 18, 4, 10, 8, 3 },    /* 55% below */
	};
	static const struct voc_year gap[] = {    /* 2023 has no return at all */
		{ 2022, 60, 50, 20, 5, 15, 8, 7 },
		{ 2024, 60, 40, 18, 4, 10, 8, 3 },
	};
	struct voc_params p = city_rule();
	struct arena a;
	struct voc_decision d;
	(void)state;
	arena_init(&a, 0);
	/* default: skipped, neither breaking nor extending the run */
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_CLOSE);
	assert_int_equal(d.run, 2);
	assert_int_equal(d.steps[1].state, VOC_Y_UNDECIDED);
	assert_int_equal(d.steps[1].run, 1);
	d = decide1(&p, gap, 2, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_CLOSE);
	assert_int_equal(d.nsteps, 3);
	assert_false(d.steps[1].has_row);
	/* the year under review itself without graduates: not decided */
	d = decide1(&p, y, 2, 2023, &a);
	assert_false(d.decided);
	assert_int_equal(d.action, VOC_ACT_NONE);
	/* no_graduates break: the run starts again */
	p.undecided_breaks = 1;
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	assert_int_equal(d.run, 1);
	d = decide1(&p, gap, 2, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	arena_release(&a);
}

static void exactly_sixty_percent_is_not_below(void **state)
{
	/* 30/50, 3/5 and 21/35 are exactly 60%; 0.6 has no exact binary form */
	static const struct voc_year y[] = {
		{ 2021, 60, 5, 2, 1, 0, 0, 0 },
		{ 2022, 60, 50, 25, 5, 15, 8, 7 },
		{ 2023, 60, 35, 20, 1, 15, 8, 6 },
		{ 2024, 60, 100000, 59999, 0, 10, 8, 3 }, /* 59.999%: below */
	};
	struct voc_params p = city_rule();
	struct arena a;
	struct voc_decision d;
	(void)state;
	arena_init(&a, 0);
	d = decide1(&p, y, 4, 2023, &a);
	for (int k = 0; k < 3; k++)
		assert_int_equal(d.steps[k].state, VOC_Y_NOT_MET);
	assert_int_equal(d.action, VOC_ACT_NONE);
	d = decide1(&p, y, 4, 2024, &a);
	assert_int_equal(d.steps[3].state, VOC_Y_MET);
	assert_int_equal(d.action, VOC_ACT_WARN);
	/* other thresholds without an exact binary form: 7/10 at 0.7, 1/10 at 0.1 */
	p.min_rate = 0.7;
	{
		static const struct voc_year z[] = { { 2024, 9, 10, 6, 1, 0, 0, 0 } };
		d = decide1(&p, z, 1, 2024, &a);
		assert_int_equal(d.steps[0].state, VOC_Y_NOT_MET);
	}
	p.min_rate = 0.1;
	{
		static const struct voc_year z[] = { { 2024, 9, 10, 1, 0, 0, 0, 0 } };
		d = decide1(&p, z, 1, 2024, &a);
		assert_int_equal(d.steps[0].state, VOC_Y_NOT_MET);
	}
	arena_release(&a);
}

/* Ten peers in one category with two years of rates; an eleventh specialty in another
 * category with the lowest rate of all, which must not count as a peer. */
static void peer_bottom_with_ties(void **state)
{
	/* employed (of 100 graduates) in 2023 and 2024 per specialty */
	static const long rates[11][2] = {
		{ 30, 30 },  /* A: tied lowest both years: bottom */
		{ 30, 30 },  /* B: tied with A: bottom too */
		{ 40, 31 },  /* C: two lower in 2023 (not bottom), two lower in 2024 */
		{ 50, 50 }, { 60, 60 }, { 70, 70 }, { 80, 80 }, { 85, 85 }, { 90, 90 },
		{ 95, 25 },  /* J: lowest only in 2024 */
		{ 5, 5 },    /* K: other category */
	};
	static const char *const codes[11] = { "480101", "480102", "480103", "480104",
		"480105", "480106", "480107", "480108", "480109", "480110", "510101" };
	struct voc_year y[11][2];
	struct voc_specialty s[11];
	struct voc_decision d[11];
	struct voc_facts f;
	struct voc_params p = city_rule();
	struct arena a;
	struct err e = ERR_INIT;
	(void)state;
	for (int i = 0; i < 11; i++) {
		for (int k = 0; k < 2; k++) {
			struct voc_year v = { 2023 + k, 60, 100, rates[i][k], 0, 0, 0, 0 };
			y[i][k] = v;
		}
		s[i] = one_spec(y[i], 2);
		s[i].code = codes[i];
		s[i].category = i == 10 ? "电子与信息大类" : "轻工纺织大类";
	}
	f = facts_of(s, 11);
	p.cond = VOC_COND_PEER_BOTTOM;
	arena_init(&a, 0);
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	/* 2023: A and B tie at the bottom (no peer lower: 0 < 0.10 x 10), C has two lower */
	assert_int_equal(d[0].steps[0].state, VOC_Y_MET);
	assert_int_equal(d[1].steps[0].state, VOC_Y_MET);
	assert_int_equal(d[2].steps[0].state, VOC_Y_NOT_MET);
	assert_int_equal(d[2].steps[0].num, 2);
	/* 2024: J is lowest; A and B have one peer lower, which is not fewer than 1 */
	assert_int_equal(d[0].steps[1].state, VOC_Y_NOT_MET);
	assert_int_equal(d[0].steps[1].num, 1);
	assert_int_equal(d[0].steps[1].den, 10);
	assert_int_equal(d[0].action, VOC_ACT_NONE);
	assert_true(d[0].decided);
	assert_int_equal(d[9].action, VOC_ACT_WARN);
	assert_int_equal(d[9].steps[1].num, 0);
	/* K, alone in its category, is no peer of theirs (else J would have one lower) and
	 * has fewer than min_peers peers itself: undecided */
	assert_false(d[10].decided);
	/* every specialty as one peer set: K is the lowest both years */
	p.peer_set = VOC_PEER_ALL;
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	assert_int_equal(d[10].action, VOC_ACT_CLOSE);
	assert_int_equal(d[10].steps[1].den, 11);
	arena_release(&a);
}

static void peer_bottom_ties_share_a_verdict(void **state)
{
	/* 10 peers: 2023 rates A=B=30 lowest (tie), C 40, others higher; 2024 the same.
	 * Both A and B are in the bottom 10% both years (no peer strictly lower), C never
	 * (two lower: 2 >= 0.10 x 10). */
	static const long r[10] = { 30, 30, 40, 50, 60, 70, 80, 85, 90, 95 };
	struct voc_year y[10][2];
	struct voc_specialty s[10];
	struct voc_decision d[10];
	static const char *const codes[10] = { "480101", "480102", "480103", "480104",
		"480105", "480106", "480107", "480108", "480109", "480110" };
	struct voc_facts f;
	struct voc_params p = city_rule();
	struct arena a;
	struct err e = ERR_INIT;
	(void)state;
	for (int i = 0; i < 10; i++) {
		for (int k = 0; k < 2; k++) {
			struct voc_year v = { 2023 + k, 60, 100, r[i], 0, 0, 0, 0 };
			y[i][k] = v;
		}
		s[i] = one_spec(y[i], 2);
		s[i].code = codes[i];
	}
	f = facts_of(s, 10);
	p.cond = VOC_COND_PEER_BOTTOM;
	arena_init(&a, 0);
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	assert_int_equal(d[0].action, VOC_ACT_CLOSE);
	assert_int_equal(d[1].action, VOC_ACT_CLOSE);
	assert_int_equal(d[2].action, VOC_ACT_NONE);
	assert_int_equal(d[2].steps[1].num, 2);
	for (int i = 3; i < 10; i++)
		assert_int_equal(d[i].action, VOC_ACT_NONE);
	/* with 20% the cut is 2 peers: C (2 lower) is still out, ties at the bottom in */
	p.bottom_share = 0.20;
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	assert_int_equal(d[2].action, VOC_ACT_NONE);
	/* with 30% the cut is 3: C joins */
	p.bottom_share = 0.30;
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	assert_int_equal(d[2].action, VOC_ACT_CLOSE);
	assert_int_equal(d[3].action, VOC_ACT_NONE);
	/* fewer peers than min_peers: undecided, no verdict */
	p.bottom_share = 0.10;
	p.min_peers = 11;
	assert_int_equal(voc_decide(&p, &f, 2024, d, &a, &e), 0);
	assert_false(d[0].decided);
	assert_int_equal(d[0].action, VOC_ACT_NONE);
	arena_release(&a);
}

static void enrolment_variant(void **state)
{
	static const struct voc_year y[] = {
		{ 2022, 49, 50, 45, 0, 0, 0, 0 },
		{ 2023, 50, 50, 45, 0, 0, 0, 0 },     /* exactly 50: not below */
		{ 2024, 45, 50, 45, 0, 0, 0, 0 },
	};
	struct voc_params p = city_rule();
	struct arena a;
	struct voc_decision d;
	(void)state;
	p.cond = VOC_COND_ENROLMENT;
	arena_init(&a, 0);
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_WARN);
	assert_int_equal(d.steps[0].state, VOC_Y_MET);
	assert_int_equal(d.steps[1].state, VOC_Y_NOT_MET);
	p.min_enrolled = 51;
	d = decide1(&p, y, 3, 2024, &a);
	assert_int_equal(d.action, VOC_ACT_CLOSE);
	assert_int_equal(d.run, 3);
	arena_release(&a);
}

static void invalid_parameters(void **state)
{
	static const struct voc_year y[] = { { 2024, 49, 50, 45, 0, 0, 0, 0 } };
	struct voc_specialty s = one_spec(y, 1);
	struct voc_facts f = facts_of(&s, 1);
	struct voc_params p = city_rule();
	struct voc_decision d;
	struct arena a;
	struct err e = ERR_INIT;
	(void)state;
	arena_init(&a, 0);
	p.run_years = 0;
	assert_int_equal(voc_decide(&p, &f, 2024, &d, &a, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'vocational.employment' parameter 'run_years' must be "
			    "between 1 and 10, not 0");
	p = city_rule();
	s.school = "3999999999";
	assert_int_equal(voc_decide(&p, &f, 2024, &d, &a, &e), ERR_DATA);
	assert_string_equal(e.msg, "specialty 480102 of school '3999999999' has no school record");
	arena_release(&a);
}

/* Four specialties of 甲市 in 2024: three matched to a key industry. By count 3/4 = 75%;
 * by enrolment (10 + 20 + 30 matched, 140 unmatched) 60/200 = 30%. A fifth closed in 2023
 * is out of the review. */
static void matching_both_ways(void **state)
{
	static const struct voc_year y[5][1] = {
		{ { 2024, 10, 10, 9, 0, 0, 0, 0 } }, { { 2024, 20, 10, 9, 0, 0, 0, 0 } },
		{ { 2024, 30, 10, 9, 0, 0, 0, 0 } }, { { 2024, 140, 10, 9, 0, 0, 0, 0 } },
		{ { 2024, 99, 10, 9, 0, 0, 0, 0 } },
	};
	static const char *const codes[5] = { "460101", "460103", "510201", "540101", "570102" };
	struct voc_specialty s[5];
	struct voc_facts f;
	struct voc_params p = city_rule();
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	for (int i = 0; i < 5; i++) {
		s[i] = one_spec(y[i], 1);
		s[i].code = codes[i];
		s[i].key_industries = i < 3 ? "IND04" : i == 3 ? "" : NULL;
	}
	s[4].closed_year = 2023;
	s[4].opened_year = 2010;
	f = facts_of(s, 5);
	p.match_target = 0.75;
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	r = find(&rs, "VOC.MATCH", "390100");
	assert_non_null(r);
	assert_float_equal(r->value, 0.75, 1e-12);
	assert_float_equal(r->numerator, 3, 0);
	assert_float_equal(r->denominator, 4, 0);
	assert_int_equal(r->verdict, V_PASS);   /* exactly the target: pass */
	assert_non_null(strstr(r->evidence, "\"unmatched\":[{\"school\":\"3900000001\","
				"\"school_name\":\"一职\",\"code\":\"540101\""));
	r = find(&rs, "VOC.MATCH.W", "390100");
	assert_float_equal(r->value, 0.30, 1e-12);
	assert_float_equal(r->numerator, 60, 0);
	assert_float_equal(r->denominator, 200, 0);
	assert_int_equal(r->verdict, V_FAIL);
	assert_null(find(&rs, "VOC.EMP", "3900000001:2021:570102"));
	r = find(&rs, "VOC.CLOSED", "390100");
	assert_int_equal(r->year, 2023);
	assert_float_equal(r->value, 1, 0);
	results_release(&rs);
}

static void review_rows_and_evidence(void **state)
{
	static const struct voc_year y[] = {
		{ 2023, 60, 50, 20, 5, 15, 8, 6 },
		{ 2024, 60, 40, 18, 4, 10, 4, 3 },
	};
	struct voc_specialty s = one_spec(y, 2);
	struct voc_facts f = facts_of(&s, 1);
	struct voc_params p = city_rule();
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	const char *id = "3900000001:2021:480102";
	(void)state;
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	r = find(&rs, "VOC.REVIEW", id);
	assert_int_equal(r->verdict, V_FAIL);
	assert_float_equal(r->value, 2, 0);
	assert_float_equal(r->threshold, 0.6, 0);
	assert_non_null(strstr(r->evidence, "\"explanation\":\"2023: rate 25/50 = 50.0% below "
				"60% (run 1); 2024: rate 22/40 = 55.0% below 60% (run 2); 撤销 (close)\""));
	r = find(&rs, "VOC.EMP", id);
	assert_float_equal(r->value, 0.55, 1e-12);
	assert_int_equal(r->verdict, V_FAIL);
	r = find(&rs, "VOC.TRADE", id);
	assert_float_equal(r->value, 10.0 / 18, 1e-12);
	r = find(&rs, "VOC.SATISF", id);
	assert_float_equal(r->value, 0.75, 1e-12);
	assert_int_equal(r->verdict, V_WARN);   /* 4 surveyed, fewer than 5 */
	results_release(&rs);
}

static void sites_per_code(void **state)
{
	static const struct voc_year y[] = { { 2024, 60, 50, 40, 5, 15, 8, 6 } };
	struct voc_specialty s[2];
	struct voc_facts f;
	struct voc_params p = city_rule();
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	s[0] = one_spec(y, 1);
	s[1] = one_spec(y, 1);
	s[1].school = "3900000002";
	f = facts_of(s, 2);
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	r = find(&rs, "VOC.SITES", "390100:2021:480102");
	assert_float_equal(r->value, 1.0, 0);
	assert_float_equal(r->numerator, 2, 0);
	assert_float_equal(r->denominator, 2, 0);
	assert_int_equal(r->verdict, V_WARN);
	results_release(&rs);
	s[1].opened_year = 2024;   /* a new site in a saturated code */
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "VOC.SITES", "390100:2021:480102")->verdict, V_FAIL);
	r = find(&rs, "VOC.OPENED", "390100");
	while (r && r->year != 2024)
		r++;
	assert_float_equal(r->value, 1, 0);
	results_release(&rs);
	p.sites_max_share = 1.0;   /* at the share, not above it */
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	assert_int_equal(find(&rs, "VOC.SITES", "390100:2021:480102")->verdict, V_PASS);
	results_release(&rs);
}

static void cooperation_figures(void **state)
{
	static const struct voc_year y0[] = { { 2024, 60, 50, 40, 5, 15, 8, 6 } };
	static const struct voc_year y1[] = { { 2024, 60, 50, 20, 5, 15, 8, 6 } };
	char good1[19], good2[19], bad[19];
	struct voc_specialty s[2];
	struct voc_coop co[5];
	struct voc_base b[2] = {
		{ "TB1", "3900000001", NULL, 1e6, 5e5, 100, 2020 },
		{ "TB2", "3900000001", NULL, 2e6, 1e6, 50, 2025 },   /* not yet open */
	};
	struct voc_count in[2] = { { "3900000001", NULL, 2024, 30 }, { "3900000002", NULL, 2024, 12 } };
	struct voc_facts f;
	struct voc_params p = city_rule();
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	memcpy(good1, "91390100MA0000001", 17);
	good1[17] = credit_code_check_char(good1);
	good1[18] = 0;
	memcpy(good2, "91390100MA0000002", 17);
	good2[17] = credit_code_check_char(good2);
	good2[18] = 0;
	memcpy(bad, good1, 19);
	bad[16] = '9';   /* check character no longer matches */
	bad[17] = good1[17] == 'X' ? '0' : good1[17];
	if (credit_code_check_char(bad) == bad[17])
		bad[17] = bad[17] == '1' ? '2' : '1';
	s[0] = one_spec(y0, 1);
	s[1] = one_spec(y1, 1);
	s[1].code = "480201";
	{
		struct voc_coop c0 = { "3900000001", good1, VOC_CK_ORDER_CLASS, 2022, 0, 40, "2021", "480102" };
		struct voc_coop c1 = { "3900000001", good1, VOC_CK_APPRENTICESHIP, 2023, 2024, 15, NULL, NULL };
		struct voc_coop c2 = { "3900000001", good2, VOC_CK_ORDER_CLASS, 2020, 2023, 99, "2021", "480201" }; /* ended */
		struct voc_coop c3 = { "3900000001", bad, VOC_CK_INTERNSHIP, 2024, 0, 5, NULL, NULL };
		struct voc_coop c4 = { "3900000002", good1, VOC_CK_TRAINING, 2024, 0, 0, NULL, NULL };
		co[0] = c0; co[1] = c1; co[2] = c2; co[3] = c3; co[4] = c4;
	}
	f = facts_of(s, 2);
	f.coops = co;
	f.ncoops = 5;
	f.bases = b;
	f.nbases = 2;
	f.interns = in;
	f.ninterns = 2;
	results_init(&rs);
	assert_int_equal(voc_run(&p, &f, 2024, &rs, &e), 0);
	r = find(&rs, "VOC.COOP.ENT", "3900000001");
	assert_float_equal(r->value, 1, 0);            /* good1 twice, good2 ended, bad */
	assert_non_null(strstr(r->evidence, bad));
	assert_float_equal(find(&rs, "VOC.COOP.ENT", "390100")->value, 1, 0);
	assert_float_equal(find(&rs, "VOC.COOP.ORDER", "3900000001")->value, 40, 0);
	assert_float_equal(find(&rs, "VOC.COOP.ORDER", "3900000001")->numerator, 1, 0);
	assert_float_equal(find(&rs, "VOC.COOP.APPR", "3900000001")->value, 15, 0);
	assert_float_equal(find(&rs, "VOC.BASE.N", "3900000001")->value, 1, 0);
	assert_float_equal(find(&rs, "VOC.BASE.INVEST", "3900000001")->value, 1e6, 0);
	assert_float_equal(find(&rs, "VOC.BASE.CAP", "390100")->value, 100, 0);
	assert_float_equal(find(&rs, "VOC.INTERNS", "3900000001")->value, 30, 0);
	assert_float_equal(find(&rs, "VOC.INTERNS", "390100")->value, 42, 0);
	/* 480102 is served by a running order class (45/50), 480201's ended (25/50) */
	r = find(&rs, "VOC.EMP.COOP", "3900000001");
	assert_float_equal(r->value, 0.9, 1e-12);
	r = find(&rs, "VOC.EMP.OTHER", "390100");
	assert_float_equal(r->value, 0.5, 1e-12);
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(below_below_closes),
		cmocka_unit_test(below_above_below_does_not_close),
		cmocka_unit_test(no_graduates_skipped_or_breaking),
		cmocka_unit_test(exactly_sixty_percent_is_not_below),
		cmocka_unit_test(peer_bottom_with_ties),
		cmocka_unit_test(peer_bottom_ties_share_a_verdict),
		cmocka_unit_test(enrolment_variant),
		cmocka_unit_test(invalid_parameters),
		cmocka_unit_test(matching_both_ways),
		cmocka_unit_test(review_rows_and_evidence),
		cmocka_unit_test(sites_per_code),
		cmocka_unit_test(cooperation_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
