/* cmd/indicators.c: `eduhq indicators`: the results of the latest evaluation run of each
 * mechanism (or of a given run), filtered by area, school, year, indicator or verdict; and
 * `--catalog`, the indicator catalog (docs/indicators.md is `--catalog --format md`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cmd.h"
#include "eval.h"
#include "indicator.h"
#include "render.h"
#include "store.h"
#include "svc.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq indicators [--area CODE] [--school CODE] [--year Y] [--run ID] [--indicator CODE] "
	"[--verdict V] [--format table|json|csv]",
	"eduhq indicators --run A --against B [--area CODE] [--school CODE] [--indicator CODE] "
	"[--format table|json|csv]",
	"eduhq indicators --catalog [--format table|json|csv|md]",
	NULL,
};

/* The catalog: the table shows four columns, CSV and JSON every field. */
static const struct render_col catalog_cols[] = {
	{ "code", RK_TEXT, 0, -16, NULL, NULL },
	{ "level", RK_TEXT, RC_TABLE_ONLY, -15, NULL, NULL },
	{ "unit", RK_TEXT, RC_TABLE_ONLY, -16, NULL, NULL },
	{ "name", RK_TEXT, RC_TABLE_ONLY, 0, NULL, NULL },
	{ "mechanism", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "name_zh", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "name_en", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "unit", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "level", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "formula", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
	{ "rule", RK_TEXT, RC_DATA_ONLY, 0, NULL, NULL },
};

static int print_catalog(const char *format)
{
	struct render r;
	struct buf b = BUF_INIT;

	if (!strcmp(format, "md")) {
		indicator_catalog_md(&b);
		fwrite(b.buf, 1, b.len, stdout);
		buf_release(&b);
		return 0;
	}
	render_init(&r, render_format_of(format), catalog_cols, ARRAY_SIZE(catalog_cols), stdout);
	r.json_close = "]\n";
	for (const struct indicator *i = indicator_catalog; i->code; i++) {
		struct render_val v[ARRAY_SIZE(catalog_cols)] = {
			{ i->code, 0 }, { i->level, 0 }, { i->unit, 0 }, { NULL, 0 },
			{ i->mechanism, 0 }, { i->name_zh, 0 }, { i->name_en, 0 }, { i->unit, 0 },
			{ i->level, 0 }, { i->formula, 0 }, { i->rule, 0 },
		};
		buf_reset(&b);
		buf_addf(&b, "%s %s", i->name_zh, i->name_en);
		v[3].s = b.buf;
		render_row(&r, v);
	}
	render_finish(&r);
	buf_release(&b);
	return 0;
}

/* A result row: --format csv also names the run; the table shows fewer columns. */
static const struct render_col result_cols[] = {
	{ "run", RK_INT, RC_DATA_ONLY | RC_NO_JSON, 0, NULL, NULL },
	{ "indicator", RK_TEXT, 0, -16, NULL, NULL },
	{ "unit_kind", RK_TEXT, 0, -7, "unit", NULL },
	{ "unit_id", RK_TEXT, 0, -12, "id", NULL },
	{ "stage", RK_TEXT, 0, -8, NULL, NULL },
	{ "year", RK_INT, 0, -5, NULL, NULL },
	{ "value", RK_NUM, 0, 12, NULL, "%.3f" },
	{ "numerator", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "denominator", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "threshold", RK_NUM, 0, 10, NULL, "%g" },
	{ "verdict", RK_TEXT, 0, 0, NULL, NULL },
	{ "evidence", RK_JSON, RC_DATA_ONLY, 0, NULL, NULL },
};

/* The evidence's "note", "reason" or "explanation", for the table. */
static void evidence_note(struct render *r, const char *ev)
{
	json_t *j = json_loads(ev, 0, NULL);
	const char *t = NULL;
	if (j) {
		t = json_string_value(json_object_get(j, "note"));
		if (!t)
			t = json_string_value(json_object_get(j, "reason"));
		if (!t) /* the vocational review's year-by-year run */
			t = json_string_value(json_object_get(j, "explanation"));
		if (t)
			render_note(r, t);
		json_decref(j);
	}
}

static int print_row(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct render *r = arg;
	struct render_val v[ARRAY_SIZE(result_cols)] = {
		{ NULL, (double)run->id }, { row->indicator, 0 }, { row->unit_kind, 0 },
		{ row->unit_id, 0 }, { row->stage, 0 }, { NULL, row->year ? row->year : NAN },
		{ NULL, row->value }, { NULL, row->numerator }, { NULL, row->denominator },
		{ NULL, row->threshold }, { verdict_name(row->verdict), 0 }, { row->evidence, 0 },
	};
	render_row(r, v);
	if (row->verdict == V_FAIL || row->verdict == V_NA)
		evidence_note(r, row->evidence);
	return 0;
}

/* --against: the rows that differ between two runs, before and after. */
static const struct render_col diff_cols[] = {
	{ "indicator", RK_TEXT, 0, -16, NULL, NULL },
	{ "unit_kind", RK_TEXT, 0, -7, "unit", NULL },
	{ "unit_id", RK_TEXT, 0, -12, "id", NULL },
	{ "stage", RK_TEXT, 0, -8, NULL, NULL },
	{ "year", RK_INT, 0, -5, NULL, NULL },
	{ "value_a", RK_NUM, 0, 12, NULL, "%.3f" },
	{ "numerator_a", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "denominator_a", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "verdict_a", RK_TEXT, 0, -5, NULL, NULL },
	{ "value_b", RK_NUM, 0, 12, NULL, "%.3f" },
	{ "numerator_b", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "denominator_b", RK_NUM, RC_DATA_ONLY, 0, NULL, NULL },
	{ "verdict_b", RK_TEXT, 0, 0, NULL, NULL },
};

static int print_diff(void *arg, const struct result_row *a, const struct result_row *b)
{
	const struct result_row *k = a ? a : b;
	struct render_val v[ARRAY_SIZE(diff_cols)] = {
		{ k->indicator, 0 }, { k->unit_kind, 0 }, { k->unit_id, 0 }, { k->stage, 0 },
		{ NULL, k->year ? k->year : NAN }, { NULL, a ? a->value : NAN },
		{ NULL, a ? a->numerator : NAN }, { NULL, a ? a->denominator : NAN },
		{ a ? verdict_name(a->verdict) : NULL, 0 }, { NULL, b ? b->value : NAN },
		{ NULL, b ? b->numerator : NAN }, { NULL, b ? b->denominator : NAN },
		{ b ? verdict_name(b->verdict) : NULL, 0 },
	};
	render_row(arg, v);
	return 0;
}

static int print_against(struct store *s, int64_t a, int64_t b, const char *indicator,
			 const struct svc_scope *sc, const char *format)
{
	struct render r;
	struct err e = ERR_INIT;
	int rc;
	render_init(&r, render_format_of(format), diff_cols, ARRAY_SIZE(diff_cols), stdout);
	r.json_close = "]\n";
	rc = svc_runs_compare(s, a, b, indicator, sc, print_diff, NULL, &r, &e);
	render_finish(&r);
	return rc < 0 ? cmd_error(&e) : 0;
}

int cmd_indicators(struct ctx *c, int argc, const char **argv)
{
	const char *area = NULL, *school = NULL, *format = "table", *indicator = NULL,
		   *verdict = NULL;
	int year = 0, run = 0, catalog = 0, against = 0;
	static const char *const formats[] = { "table", "json", "csv", "md", NULL };
	static const char *const verdicts[] = { "pass", "warn", "fail", "na", NULL };
	struct opt opts[] = {
		OPT_STRING("area", &area, "CODE", "rows of this area, the areas under it and their "
			   "schools"),
		OPT_STRING("school", &school, "CODE", "rows of this school"),
		OPT_INT("year", &year, "Y", "the latest run for school year Y"),
		OPT_INT("run", &run, "ID", "this run instead of the latest"),
		OPT_INT("against", &against, "ID", "the rows that differ between --run and run ID "
			"(numbers or verdict; added, removed)"),
		OPT_STRING("indicator", &indicator, "CODE", "only this indicator"),
		OPT_STRING("verdict", &verdict, "V", "only this verdict (pass, warn, fail, na)"),
		OPT_STRING("format", &format, "FMT", "table, json or csv (md: --catalog only)"),
		OPT_BOOL("catalog", &catalog, "print the indicator catalog"),
		OPT_END(),
	};
	struct svc_result_filter f = { 0 };
	struct svc_scope sc = { 0 };
	struct svc_runs runs = { 0 };
	struct err e = ERR_INIT;
	struct store *s;
	struct render r;
	struct buf open = BUF_INIT;
	int rc = 0;

	opt_parse_none(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", format, formats);
	if (verdict)
		opt_check_choice(usage, "verdict", verdict, verdicts);
	if (catalog)
		return print_catalog(format);
	if (!strcmp(format, "md"))
		opt_usage_die(usage, "--format md is for --catalog only");

	if (against && (!run || year || verdict))
		opt_usage_die(usage, "--against needs --run (and no --year or --verdict)");
	s = cmd_open_store(c);
	if (!s)
		return 1;
	sc.area = area;
	sc.school = school;
	if (against) {
		rc = print_against(s, run, against, indicator, &sc, format);
		store_close(s);
		return rc;
	}
	f.run = run;
	f.year = year;
	f.indicator = indicator;
	f.verdict = verdict;
	if (svc_results_runs(s, &f, &runs, &e) < 0) {
		rc = cmd_error(&e);
		goto out;
	}
	render_init(&r, render_format_of(format), result_cols, ARRAY_SIZE(result_cols), stdout);
	buf_adds(&open, "{\"runs\":[");
	for (size_t k = 0; k < runs.nr; k++) {
		const struct svc_run *h = &runs.v[k];
		if (k)
			buf_addch(&open, ',');
		eval_run_json(&open, h->id, h->created_at, h->mechanisms, h->year,
			      h->rule_versions, h->fingerprint);
	}
	buf_adds(&open, "],\"results\":[");
	r.json_open = open.buf;
	r.json_close = "]}\n";
	if (svc_results(s, &f, &sc, &runs, print_row, &r, &e) < 0) {
		render_finish(&r);
		rc = cmd_error(&e);
		goto out;
	}
	render_finish(&r);
out:
	buf_release(&open);
	svc_runs_release(&runs);
	store_close(s);
	return rc;
}
