/* test_report.c: unit tests for the annual report's model (report.c, report_sections.c) on a
 * handful of hand-made rows, no database: the groups sentence's four figures and their
 * notes; a failing county named with its failing indicator and threshold; a section whose
 * mechanism is not in the run left out; rounding (no "-0"); the HTML carrying each figure's
 * row and link; the chart's bars carrying their values. */
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
#include "report.h"

static struct result_row rows[] = {
	{ "GRP.COVERAGE", "city", "390500", "", 2024, 0.68, 85, 125, NAN, V_NA,
	  "{\"groups\":15}" },
	{ "BAL.COUNTY", "county", "390522", "primary", 2024, 1, 1, 8, 0, V_FAIL,
	  "{\"failing\":[\"BAL.CV.L5\"]}" },
	{ "BAL.CV.L5", "county", "390522", "primary", 2024, 0.7453564, 11.3, 15.2, 0.5, V_FAIL,
	  "{\"pulling_up\":[{\"name\":\"第四小学\"}]}" },
	{ "BAL.CV.L1", "county", "390522", "primary", 2024, 0.2, 1, 5, 0.5, V_PASS, "{}" },
	{ "BAL.COUNTY", "county", "390502", "primary", 2024, 0, 0, 8, 0, V_PASS, "{}" },
	{ "TCH.EXCH.SHARE", "city", "390500", "", 2024, -0.0004, 0, 100, 0.1, V_FAIL,
	  "{\"eligible\":100}" },
};

static struct report_name names[] = {
	{ "390500", "临江市" }, { "390522", "青山县" }, { "390502", "江城区" },
};

static void facts(struct report_facts *f, const char *mechs)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->a, 0);
	f->run.id = 7;
	f->run.year = 2024;
	f->run.mechanisms = (char *)mechs;
	f->run.created_at = (char *)"2025-01-01T00:00:00Z";
	f->run.fingerprint = (char *)"0123456789abcdef0123";
	f->run.rule_versions = (char *)"{}";
	f->rows = rows;
	f->nrows = sizeof(rows) / sizeof(rows[0]);
	f->names = names;
	f->nnames = 3;
	f->city = "390500";
}

/* The text of the report's blocks, figures as "{text}[n]". */
static void text(const struct report *r, struct buf *b)
{
	for (size_t i = 0; i < r->nb; i++) {
		for (size_t k = 0; k < r->b[i].nseg; k++) {
			const struct report_seg *s = &r->b[i].seg[k];
			if (s->fig < 0)
				buf_adds(b, s->text);
			else
				buf_addf(b, "{%s}[%zu]", r->fig[s->fig].text, r->fig[s->fig].note + 1);
		}
		buf_addch(b, '\n');
	}
}

static void groups_and_balance(void **state)
{
	struct report_facts f;
	struct report r;
	struct buf b = BUF_INIT;
	(void)state;
	facts(&f, "balance,groups");
	report_build(&r, &f, 2024, REPORT_ZH);
	text(&r, &b);
	assert_non_null(strstr(b.buf, "全市组建教育集团{15}[3]个，覆盖学校{85}[4]所，占全市公办义务教育"
				      "学校（{125}[5]所）的{68%}[6]。"));
	assert_non_null(strstr(b.buf, "青山县小学阶段未达到优质均衡要求：生均体育运动场馆面积校际差异系数为"
				      "{0.745}[7]，标准为{0.500}[8]。"));
	assert_non_null(strstr(b.buf, "小学阶段有{1}[1]个"));
	/* teachers are not in the run: no paragraph about them */
	assert_null(strstr(b.buf, "交流轮岗"));
	assert_string_equal(r.note[5].indicator, "GRP.COVERAGE");
	assert_int_equal(r.note[5].field, RF_VALUE);
	assert_string_equal(r.note[5].cmd, "eduhq indicators --run 7 --indicator GRP.COVERAGE --area 390500");
	assert_string_equal(r.note[0].cmd, "eduhq indicators --run 7 --indicator BAL.COUNTY --verdict pass");
	assert_string_equal(r.note[6].link, "/balance/390522?run=7&indicator=BAL.CV.L5");
	buf_release(&b);
	report_release(&r);
	arena_release(&f.a);
}

static void rounding_and_html(void **state)
{
	struct report_facts f;
	struct report r;
	struct buf b = BUF_INIT;
	(void)state;
	facts(&f, "teachers");
	report_build(&r, &f, 2024, REPORT_EN);
	text(&r, &b);
	/* -0.0004 as a percent with one decimal is 0.0%, never -0.0% */
	assert_non_null(strstr(b.buf, "were exchanged: {0.0%}"));
	assert_null(strstr(b.buf, "{-0"));
	buf_setlen(&b, 0);
	report_html(&r, "http://h", &b);
	assert_non_null(strstr(b.buf, "<a class=\"fig\" href=\"http://h/engine/teachers?run=7&amp;"
				      "indicator=TCH.EXCH.SHARE&amp;unit=390500\" data-note=\"3\" "
				      "data-ind=\"TCH.EXCH.SHARE\" data-unit=\"city:390500\" data-stage=\"\" "
				      "data-year=\"2024\" data-value=\"-0.00040000000000000002\">0.0%</a>"));
	buf_release(&b);
	report_release(&r);
	arena_release(&f.a);
}

static void chart_svg(void **state)
{
	struct report_facts f;
	struct report r;
	struct buf b = BUF_INIT;
	(void)state;
	facts(&f, "balance");
	report_build(&r, &f, 2024, REPORT_ZH);
	assert_int_equal(r.nchart, 1);
	report_chart_svg(&r.chart[0], &b);
	assert_non_null(strstr(b.buf, "data-ind=\"BAL.CV.L5\" data-unit=\"390522\" data-value=\"0.74535640000000003\""));
	assert_non_null(strstr(b.buf, "stroke-dasharray")); /* the threshold line */
	buf_release(&b);
	report_release(&r);
	arena_release(&f.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(groups_and_balance),
		cmocka_unit_test(rounding_and_html),
		cmocka_unit_test(chart_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
