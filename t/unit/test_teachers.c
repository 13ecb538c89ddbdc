/* test_teachers.c: the teachers engine on hand-made posting histories: overlapping postings,
 * an open-ended posting, rural and weak service with the conversion ratio, the 2.0-year line
 * one day short and one day over, years in title, the exchange shares of a hand-made county
 * with both backbone denominators, and research activities. Expected values are computed by
 * hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "eng_teachers.h"
#include "eval.h"

/* schools: 0 urban, 1 rural, 2 rural, 3 urban weak, 4 rural weak, 5 urban (county 0 all but
 * 1, 2 and 4 in county 1) */
static const struct tch_school schools[] = {
	{ "U1", 0, 0, 0, "111" },
	{ "R1", 1, 1, 0, "210" },
	{ "R2", 1, 1, 0, "210" },
	{ "W1", 0, 0, 1, "111" },
	{ "RW", 1, 1, 1, "210" },
	{ "U2", 0, 0, 0, "111" },
};
static const char *const counties[] = { "330102", "330103" };
/* Which backbone levels (tch_teacher.level) count: level 1 (say county), not 0 (none) or 2
 * (say school). */
static const unsigned char backbone[] = { 0, 1, 0 };
/* The titles met (tch_teacher.title, applied) and their ladder indices (the ladder of
 * params()): in another order than the ladder's, and one the ladder lacks, so an engine
 * that took a title for its ladder index would fail. */
enum { X_FIRST, X_SENIOR, X_SECOND, X_FULL_SENIOR, X_OFF_LADDER, NX };
static const int rank[NX] = { 2, 3, 1, 4, -1 };
#define A(x) (1u << (x)) /* an application for title x */
/* The schools and title ranks alone, for tch_eligibility. */
static const struct tch_input solo = { schools, 6, counties, 2, "330100", NULL, 0, NULL, 0, 0,
				       backbone, rank };

static struct tch_params params(void)
{
	struct tch_params p;
	memset(&p, 0, sizeof(p));
	p.days_per_year = 365;
	p.count_weak = 1;
	p.weak_ratio = 3;
	p.national_min_years = 1;
	p.city_min_years = 2;
	p.nladder = 5;
	p.ladder[0] = "third";
	p.ladder[1] = "second";
	p.ladder[2] = "first";
	p.ladder[3] = "senior";
	p.ladder[4] = "full_senior";
	p.rural_title = 3;
	for (int f = 0; f < TCH_MAXTITLES; f++)
		for (int t = 0; t < TCH_MAXTITLES; t++)
			for (int e = 0; e < TE_N; e++)
				p.step_years[f][t][e] = NAN;
	for (int e = 0; e < TE_N; e++) {
		p.step_years[2][3][e] = 5; /* senior_from_first */
		p.step_years[1][2][e] = 4;
	}
	p.step_years[2][3][TE_DOCTOR] = 2;
	p.exch_eligible_years = 6;
	p.exch_min_share = 0.10;
	p.exch_backbone_share = 0.30;
	p.rural_participation = 0.95;
	return p;
}

#define D(s) tch_day(s)
#define P(sc, from, to, kind) { (sc), D(from), (to) ? D(to) : TCH_OPEN, (kind) }

static void dates(void **state)
{
	char out[16];
	(void)state;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2); /* leap year */
	assert_int_equal(D("2023-03-01") - D("2023-02-28"), 1);
	assert_int_equal(D("2023-02-29"), TCH_NODAY);
	assert_int_equal(D("2023-2-01"), TCH_NODAY);
	tch_date(D("2000-02-29"), out);
	assert_string_equal(out, "2000-02-29");
}

/* R1 2020-09-01..2022-08-31 (730 days: no 29 February inside) and, overlapping it, support
 * teaching at R2 2021-03-01..2021-06-30 and a posting at U1 2021-01-01..2021-12-31: the union
 * of rural days stays 730 (the overlap is never counted twice). */
static void overlapping_postings(void **state)
{
	struct tch_params p = params();
	const struct tch_posting h[] = {
		P(1, "2020-09-01", "2022-08-31", TK_APPOINTMENT),
		P(0, "2021-01-01", "2021-12-31", TK_APPOINTMENT),
		P(2, "2021-03-01", "2021-06-30", TK_SUPPORT),
	};
	struct tch_service s;
	(void)state;
	tch_rural_service(&p, schools, h, 3, D("2024-09-01"), &s);
	assert_int_equal(s.rural_days, 730);
	assert_int_equal(s.weak_days, 0);
	assert_float_equal(s.years, 2.0, 1e-12);
}

/* An open posting at R1 from 2023-09-01 counts up to the as-of day: to 2024-08-31 that is
 * 366 days (29 February 2024 inside), to 2024-03-01 it is 183. */
static void open_posting(void **state)
{
	struct tch_params p = params();
	const struct tch_posting h[] = { P(1, "2023-09-01", NULL, TK_APPOINTMENT) };
	struct tch_service s;
	(void)state;
	tch_rural_service(&p, schools, h, 1, D("2024-08-31"), &s);
	assert_int_equal(s.rural_days, 366);
	assert_float_equal(s.years, 366.0 / 365, 1e-12);
	tch_rural_service(&p, schools, h, 1, D("2024-03-01"), &s);
	assert_int_equal(s.rural_days, 30 + 31 + 30 + 31 + 31 + 29 + 1);
	/* a posting after the as-of day does not count */
	tch_rural_service(&p, schools, h, 1, D("2023-08-31"), &s);
	assert_int_equal(s.rural_days, 0);
}

/* Rural R1 2016-09-01..2017-08-31 = 365 days; weak W1 2017-09-01..2020-08-31 = 366 + 365 +
 * 365 = 1096 days (29 February 2020 inside); a second weak posting at W1 2017-06-01..
 * 2017-08-31 overlaps the rural year and adds nothing (92 days already rural); the rural weak
 * school RW counts as rural. years = (365 + 1096 / 3) / 365 = (365 + 365.333...) / 365 =
 * 2.000913...; without count_weak it is 1.0. */
static void rural_and_weak_with_ratio(void **state)
{
	struct tch_params p = params();
	const struct tch_posting h[] = {
		P(1, "2016-09-01", "2017-08-31", TK_APPOINTMENT),
		P(3, "2017-06-01", "2017-08-31", TK_SUPPORT),
		P(3, "2017-09-01", "2020-08-31", TK_APPOINTMENT),
	};
	const struct tch_posting rw[] = { P(4, "2021-09-01", "2022-08-31", TK_APPOINTMENT) };
	struct tch_service s;
	(void)state;
	tch_rural_service(&p, schools, h, 3, D("2024-09-01"), &s);
	assert_int_equal(s.rural_days, 365);
	assert_int_equal(s.weak_days, 1096);
	assert_float_equal(s.years, (365 + 1096.0 / 3) / 365, 1e-12);
	assert_true(s.years > 2.0009 && s.years < 2.001);
	p.weak_ratio = 2; /* a province where 2 weak years make a rural one: (365 + 548) / 365 */
	tch_rural_service(&p, schools, h, 3, D("2024-09-01"), &s);
	assert_float_equal(s.years, 913.0 / 365, 1e-12);
	p.count_weak = 0;
	tch_rural_service(&p, schools, h, 3, D("2024-09-01"), &s);
	assert_int_equal(s.weak_days, 0);
	assert_float_equal(s.years, 1.0, 1e-12);
	p = params();
	tch_rural_service(&p, schools, rw, 1, D("2024-09-01"), &s);
	assert_int_equal(s.rural_days, 365);
	assert_int_equal(s.weak_days, 0);
}

/* An urban teacher (home U1), 一级 since 2015-12-20, applying for 高级. Rural service at R1
 * from 2021-09-01 to END, then back at U1. END 2023-08-31: 730 days = 2.0 years exactly
 * (no 29 February in 2021-09..2023-08): eligible. One day short (2023-08-30, 729 days =
 * 1.997 years): eligible nationally only, "1.99 of 2.0". One day over: eligible. */
static enum tch_status at_line(const char *end, const char *back, struct tch_elig *o)
{
	struct tch_params p = params();
	const struct tch_posting h[] = {
		P(0, "2010-09-01", "2021-08-31", TK_APPOINTMENT),
		P(1, "2021-09-01", end, TK_EXCHANGE),
		P(0, back, NULL, TK_APPOINTMENT),
	};
	struct tch_teacher t = { .code = "T1", .edu = TE_BACHELOR, .title = X_FIRST,
				 .title_day = D("2015-12-20"), .applied = A(X_SENIOR),
				 .postings = h, .npostings = 3 };
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), o);
	return o->status;
}

static void two_year_line(void **state)
{
	struct tch_elig o;
	(void)state;
	assert_int_equal(at_line("2023-08-31", "2023-09-01", &o), TS_ELIGIBLE);
	assert_int_equal(o.service.rural_days, 730);
	assert_true(o.rural_applies);
	assert_string_equal(o.reasons, "");
	assert_int_equal(at_line("2023-08-30", "2023-08-31", &o), TS_NATIONAL_ONLY);
	assert_int_equal(o.service.rural_days, 729);
	assert_true(o.national_ok && !o.city_ok && o.title_ok);
	assert_string_equal(o.reasons, "rural service 1.99 of 2.0 years (city rule; national "
			    "1.0 met)");
	assert_int_equal(at_line("2023-09-01", "2023-09-02", &o), TS_ELIGIBLE);
	assert_int_equal(o.service.rural_days, 731);
	assert_int_equal(o.home, 0);
}

/* 一级 since 2021-12-20: on 2024-09-01 that is 986 days = 2.7013 years of 5 (bachelor);
 * with half a year of rural service (R1 2020-03-01..2020-08-31 = 184 days = 0.504 years)
 * both conditions fail and both are named. A doctor needs 2 years in title: only the rural
 * condition fails. A teacher whose home school is rural has no rural condition. */
static void every_unmet_condition(void **state)
{
	struct tch_params p = params();
	const struct tch_posting h[] = {
		P(1, "2020-03-01", "2020-08-31", TK_SUPPORT),
		P(0, "2020-09-01", NULL, TK_APPOINTMENT),
	};
	const struct tch_posting rural_home[] = { P(2, "2010-09-01", NULL, TK_APPOINTMENT) };
	struct tch_teacher t = { .code = "T2", .edu = TE_BACHELOR, .title = X_FIRST,
				 .title_day = D("2021-12-20"), .applied = A(X_SENIOR),
				 .postings = h, .npostings = 2 };
	struct tch_elig o;
	(void)state;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.status, TS_NOT_ELIGIBLE);
	assert_float_equal(o.title_years, 986.0 / 365, 1e-12);
	assert_float_equal(o.need_title_years, 5, 0);
	assert_int_equal(o.service.rural_days, 184);
	assert_string_equal(o.reasons, "years as 一级 2.70 of 5.0; rural service 0.50 of 1.0 "
			    "years (national rule; city rule 2.0)");
	t.edu = TE_DOCTOR;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_true(o.title_ok);
	assert_int_equal(o.status, TS_NOT_ELIGIBLE);
	t.postings = rural_home;
	t.npostings = 1;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_false(o.rural_applies);
	assert_int_equal(o.status, TS_ELIGIBLE);
	/* the next step of 二级 is 一级: no rural condition, 4 years needed */
	t.title = X_SECOND;
	t.applied = 0;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.target, 2);
	assert_float_equal(o.need_title_years, 4, 0);
	assert_int_equal(o.status, TS_NOT_ELIGIBLE);
	/* top of the ladder: nothing to evaluate */
	t.title = X_FULL_SENIOR;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.status, TS_NONE);
	/* no date for the title */
	t.title = X_FIRST;
	t.applied = A(X_SENIOR);
	t.title_day = TCH_NODAY;
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_string_equal(o.reasons, "no date for the current title 一级");
}

/* A teacher's title and applications through the ranks: of two applications the higher
 * title is evaluated; an application for a title the ladder lacks is none; a title the
 * ladder lacks is no title (no years rule). */
static void titles_through_ranks(void **state)
{
	struct tch_params p = params();
	const struct tch_posting h[] = { P(2, "2010-09-01", NULL, TK_APPOINTMENT) };
	struct tch_teacher t = { .code = "T3", .edu = TE_BACHELOR, .title = X_SECOND,
				 .title_day = D("2019-09-01"), .applied = A(X_FIRST) | A(X_SENIOR),
				 .postings = h, .npostings = 1 };
	struct tch_elig o;
	(void)state;
	assert_int_equal(tch_title_of(&solo, &t), 1);
	assert_int_equal(tch_applied_of(&solo, &t), 3);
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.title, 1);
	assert_int_equal(o.target, 3);
	assert_string_equal(o.reasons, "no rule for the step 二级 → 高级");
	t.applied = A(X_OFF_LADDER);
	assert_int_equal(tch_applied_of(&solo, &t), -1);
	t.applied = A(X_OFF_LADDER) | A(X_FIRST);
	assert_int_equal(tch_applied_of(&solo, &t), 2);
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.target, 2);
	assert_float_equal(o.title_years, 1827.0 / 365, 1e-12); /* 2019-09-01 .. 2024-09-01 */
	assert_true(o.title_ok);
	t.title = X_OFF_LADDER;
	assert_int_equal(tch_title_of(&solo, &t), -1);
	tch_eligibility(&p, &solo, &t, D("2024-09-01"), &o);
	assert_int_equal(o.title, -1);
	assert_true(o.title_ok);
	assert_true(isnan(o.need_title_years));
}

/* A hand-made county 0 (U1, U2) and county 1 (R1) for school year 2024:
 *   T01-T08 at U1 since 2010 (T01, T02 backbone; T04 of a level that does not
 *   count): eligible.
 *   T09 at U1 2010..2024-08-31, exchanged to R1 from 2024-09-01, backbone: eligible,
 *       exchanged, urban->rural.
 *   T10 at U1 2010..2024-08-31, exchanged to U2 2024-09-01..2025-08-31: eligible, exchanged.
 *   T11 at U1 since 2020-09-01 (4 years), an exchange to R1 on top of it from 2025-03-01:
 *       exchanged, not eligible, urban->rural.
 *   T12 at U1 2010..2019-08-31, exchanged 2019-09-01..2020-08-31, back at U1 since
 *       2020-09-01: the exchange breaks the stretch: 4 years, not eligible.
 *   T13 at U2 since 2015-09-01, backbone: eligible.
 *   T14 at R1 since 2000: eligible in county 1.
 * County 0: eligible 11 (T01-T10, T13 less T11, T12), eligible backbone 4 (T01, T02, T09,
 * T13), exchanged 3 (T09, T10, T11), backbone exchanged 1, urban->rural 2. Share 3/11 =
 * 0.2727 (pass >= 0.10); backbone 1/3 = 0.333 of the exchanged (pass >= 0.30), 1/4 = 0.25 of
 * the eligible backbone teachers (fail). County 1: 0 of 1 exchanged (fail). */
struct hp {
	int school;
	const char *from, *to;
	int kind;
};
static const struct hp h_old[] = { { 0, "2010-09-01", NULL, TK_APPOINTMENT } };
static const struct hp h09[] = {
	{ 0, "2010-09-01", "2024-08-31", TK_APPOINTMENT },
	{ 1, "2024-09-01", NULL, TK_EXCHANGE },
};
static const struct hp h10[] = {
	{ 0, "2010-09-01", "2024-08-31", TK_APPOINTMENT },
	{ 5, "2024-09-01", "2025-08-31", TK_EXCHANGE },
};
static const struct hp h11[] = {
	{ 0, "2020-09-01", NULL, TK_APPOINTMENT },
	{ 1, "2025-03-01", "2025-08-31", TK_EXCHANGE },
};
static const struct hp h12[] = {
	{ 0, "2010-09-01", "2019-08-31", TK_APPOINTMENT },
	{ 1, "2019-09-01", "2020-08-31", TK_EXCHANGE },
	{ 0, "2020-09-01", NULL, TK_APPOINTMENT },
};
static const struct hp h13[] = { { 5, "2015-09-01", NULL, TK_APPOINTMENT } };
static const struct hp h14[] = { { 1, "2000-09-01", NULL, TK_APPOINTMENT } };
static struct tch_posting hist[7][3];

static const struct tch_posting *build(int k, const struct hp *h, int n)
{
	for (int i = 0; i < n; i++) {
		hist[k][i].school = h[i].school;
		hist[k][i].start = D(h[i].from);
		hist[k][i].end = h[i].to ? D(h[i].to) : TCH_OPEN;
		hist[k][i].kind = h[i].kind;
	}
	return hist[k];
}

static void county_teachers(struct tch_teacher t[14])
{
	static const char *const codes[] = { "T01", "T02", "T03", "T04", "T05", "T06", "T07",
		"T08", "T09", "T10", "T11", "T12", "T13", "T14" };
	memset(t, 0, 14 * sizeof(*t));
	for (int i = 0; i < 14; i++) {
		t[i].code = codes[i];
		t[i].edu = TE_BACHELOR;
		t[i].title = X_FIRST;
		t[i].title_day = D("2012-12-20");
		t[i].postings = build(0, h_old, 1);
		t[i].npostings = 1;
	}
	t[0].level = t[1].level = t[8].level = t[12].level = 1; /* level 1 counts: backbone[] */
	t[3].level = 2; /* a level that does not count */
	t[8].postings = build(1, h09, 2);
	t[9].postings = build(2, h10, 2);
	t[10].postings = build(3, h11, 2);
	t[11].postings = build(4, h12, 3);
	t[12].postings = build(5, h13, 1);
	t[13].postings = build(6, h14, 1);
	t[8].npostings = t[9].npostings = t[10].npostings = 2;
	t[11].npostings = 3;
}

static void exchange_shares(void **state)
{
	struct tch_params p = params();
	struct tch_teacher t[14];
	struct tch_input in = { schools, 6, counties, 2, "330100", t, 14, NULL, 0, 0, backbone, rank };
	struct tch_exchange c[2], city;
	(void)state;
	county_teachers(t);
	tch_exchanges(&p, &in, 2024, c, &city);
	assert_int_equal(c[0].eligible, 11);
	assert_int_equal(c[0].eligible_backbone, 4);
	assert_int_equal(c[0].exchanged, 3);
	assert_int_equal(c[0].exchanged_eligible, 2);
	assert_int_equal(c[0].exchanged_backbone, 1);
	assert_int_equal(c[0].urban_to_rural, 2);
	assert_int_equal(c[1].eligible, 1);
	assert_int_equal(c[1].exchanged, 0);
	assert_int_equal(city.eligible, 12);
	assert_int_equal(city.exchanged, 3);
	/* the year before: nobody exchanged; T11 not yet at U1 for 6 years */
	tch_exchanges(&p, &in, 2023, c, &city);
	assert_int_equal(city.exchanged, 0);
}

static const struct result_row *row(const struct result_set *rs, const char *ind,
				    const char *unit)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->v[i].indicator, ind) && !strcmp(rs->v[i].unit_id, unit))
			return &rs->v[i];
	return NULL;
}

static void exchange_rows_and_denominators(void **state)
{
	struct tch_params p = params();
	struct tch_teacher t[14];
	struct tch_input in = { schools, 6, counties, 2, "330100", t, 14, NULL, 0, 0, backbone, rank };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	county_teachers(t);
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.EXCH.SHARE", "330102");
	assert_non_null(r);
	assert_float_equal(r->value, 3.0 / 11, 1e-12);
	assert_int_equal(r->verdict, V_PASS);
	r = row(&rs, "TCH.EXCH.BACKBONE", "330102");
	assert_float_equal(r->value, 1.0 / 3, 1e-12);
	assert_float_equal(r->denominator, 3, 0);
	assert_int_equal(r->verdict, V_PASS);
	r = row(&rs, "TCH.EXCH.SHARE", "330103");
	assert_float_equal(r->value, 0, 0);
	assert_int_equal(r->verdict, V_FAIL);
	assert_int_equal(row(&rs, "TCH.EXCH.BACKBONE", "330103")->verdict, V_NA);
	r = row(&rs, "TCH.EXCH.URBAN_RURAL", "330100");
	assert_float_equal(r->value, 2, 0);
	results_release(&rs);

	p.backbone_of_eligible = 1;
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.EXCH.BACKBONE", "330102");
	assert_float_equal(r->value, 0.25, 1e-12);
	assert_float_equal(r->denominator, 4, 0);
	assert_int_equal(r->verdict, V_FAIL);
	assert_non_null(strstr(r->evidence, "\"backbone_denominator\":\"eligible_backbone\""));
	/* county 1 has no eligible backbone teacher: no verdict */
	assert_int_equal(row(&rs, "TCH.EXCH.BACKBONE", "330103")->verdict, V_NA);
	results_release(&rs);
}

/* Applicants: T01 applies for 高级 (一级 since 2012, no rural service: fails the national
 * rule), T14 (rural home) applies and is eligible. */
static void applicant_rows(void **state)
{
	struct tch_params p = params();
	struct tch_teacher t[14];
	struct tch_input in = { schools, 6, counties, 2, "330100", t, 14, NULL, 0, 0, backbone, rank };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	county_teachers(t);
	t[0].applied = A(X_SENIOR);
	t[13].applied = A(X_SENIOR);
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.ELIGIBLE", "T01");
	assert_int_equal(r->verdict, V_FAIL);
	assert_non_null(strstr(r->evidence, "rural service 0.00 of 1.0 years (national rule; city "
			       "rule 2.0)"));
	assert_int_equal(row(&rs, "TCH.RURAL", "T01")->verdict, V_FAIL);
	assert_int_equal(row(&rs, "TCH.TITLE.YEARS", "T01")->verdict, V_PASS);
	assert_int_equal(row(&rs, "TCH.ELIGIBLE", "T14")->verdict, V_PASS);
	assert_int_equal(row(&rs, "TCH.RURAL", "T14")->verdict, V_NA);
	r = row(&rs, "TCH.APPLICANTS", "330100");
	assert_float_equal(r->value, 0.5, 0);
	assert_non_null(strstr(r->evidence, "\"national_only_teachers\":[]"));
	assert_null(row(&rs, "TCH.ELIGIBLE", "T02")); /* not an applicant */
	results_release(&rs);
}

/* Activities: two 送教下乡 covering {R1, R2} and {R2}, one 网络教研 covering {U1}, one other
 * research; rural person-times 5 + 3 + 0 + 2 = 10. Rural teachers on 2024-09-01: T14 only
 * in the county fixture -> the bound min(1, 10/1) = 1: cannot be confirmed (n.a.). With 20
 * rural teachers: 10/20 = 0.5 < 0.95: fails. With named participants the rate counts
 * persons. */
static void activities(void **state)
{
	struct tch_params p = params();
	static const int s1[] = { 1, 2 }, s2[] = { 2 }, s3[] = { 0 };
	const struct tch_activity a[] = {
		{ "A1", 0, 10, 5, s1, 2 }, { "A2", 0, 6, 3, s2, 1 }, { "A3", 1, 4, 0, s3, 1 },
		{ "A4", 2, 9, 2, NULL, 0 }, { "A5", 3, 50, 40, NULL, 0 },
	};
	struct tch_teacher t[20];
	struct tch_input in = { schools, 6, counties, 2, "330100", t, 1, a, 5, 0, backbone, rank };
	struct result_set rs;
	struct err e = ERR_INIT;
	const struct result_row *r;
	(void)state;
	county_teachers(t);
	t[0] = t[13];
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.ACT.SEND", "330100");
	assert_float_equal(r->value, 2, 0);
	assert_float_equal(r->numerator, 2, 0);
	assert_non_null(strstr(r->evidence, "\"teacher_participations\":16"));
	r = row(&rs, "TCH.ACT.ONLINE", "330100");
	assert_float_equal(r->value, 1, 0);
	assert_float_equal(row(&rs, "TCH.ACT.SCHOOLS", "330100")->value, 3, 0);
	r = row(&rs, "TCH.ACT.RURAL", "330100");
	assert_float_equal(r->numerator, 10, 0);
	assert_float_equal(r->denominator, 1, 0);
	assert_float_equal(r->value, 1, 0);
	assert_int_equal(r->verdict, V_NA);
	results_release(&rs);
	for (int i = 1; i < 20; i++)
		t[i] = t[0];
	in.nteachers = 20;
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.ACT.RURAL", "330100");
	assert_float_equal(r->value, 0.5, 0);
	assert_int_equal(r->verdict, V_FAIL);
	results_release(&rs);

	/* named participants: 19 of the 20 rural teachers took part: 0.95, the target met;
	 * 18 of 20: 0.90, missed */
	in.named_participants = 19;
	for (int i = 0; i < 20; i++)
		t[i].participated = i < 19;
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.ACT.RURAL", "330100");
	assert_float_equal(r->value, 0.95, 1e-12);
	assert_float_equal(r->numerator, 19, 0);
	assert_float_equal(r->denominator, 20, 0);
	assert_int_equal(r->verdict, V_PASS);
	results_release(&rs);
	t[18].participated = 0;
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), 0);
	r = row(&rs, "TCH.ACT.RURAL", "330100");
	assert_float_equal(r->value, 0.90, 1e-12);
	assert_int_equal(r->verdict, V_FAIL);
	results_release(&rs);
}

static void bad_parameters(void **state)
{
	struct tch_params p = params();
	struct tch_input in = { schools, 6, counties, 2, "330100", NULL, 0, NULL, 0, 0, backbone, rank };
	struct result_set rs;
	struct err e = ERR_INIT;
	(void)state;
	p.weak_ratio = 0;
	results_init(&rs);
	assert_int_equal(tch_run(&p, &in, 2024, &rs, &e), ERR_DATA);
	assert_string_equal(e.msg, "teachers.rural_service weak_ratio must be positive");
	assert_int_equal(rs.nr, 0);
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates),
		cmocka_unit_test(overlapping_postings),
		cmocka_unit_test(open_posting),
		cmocka_unit_test(rural_and_weak_with_ratio),
		cmocka_unit_test(two_year_line),
		cmocka_unit_test(every_unmet_condition),
		cmocka_unit_test(titles_through_ranks),
		cmocka_unit_test(exchange_shares),
		cmocka_unit_test(exchange_rows_and_denominators),
		cmocka_unit_test(applicant_rows),
		cmocka_unit_test(activities),
		cmocka_unit_test(bad_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
