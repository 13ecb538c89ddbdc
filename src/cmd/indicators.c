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
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq indicators [--area CODE] [--school CODE] [--year Y] [--run ID] [--indicator CODE] "
	"[--verdict V] [--format table|json|csv]",
	"eduhq indicators --catalog [--format table|json|csv|md]",
	NULL,
};

/* One chosen run and the mechanisms whose rows are taken from it. */
struct pick {
	int64_t run;
	char mechs[256];
};

/* The catalog's columns for --format json and csv. */
static const char *const field_name[] = { "code", "mechanism", "name_zh", "name_en", "unit",
					  "level", "formula", "rule" };
#define NFIELD ARRAY_SIZE(field_name)

static void fields_of(const struct indicator *i, const char *f[NFIELD])
{
	const char *v[NFIELD] = { i->code, i->mechanism, i->name_zh, i->name_en, i->unit,
				  i->level, i->formula, i->rule };
	memcpy(f, v, sizeof(v));
}

static int print_catalog(const char *format)
{
	struct buf b = BUF_INIT;
	const char *f[NFIELD];

	if (!strcmp(format, "md")) {
		indicator_catalog_md(&b);
	} else if (!strcmp(format, "json")) {
		buf_addch(&b, '[');
		for (const struct indicator *i = indicator_catalog; i->code; i++) {
			fields_of(i, f);
			buf_adds(&b, i == indicator_catalog ? "{" : ",{");
			for (size_t j = 0; j < NFIELD; j++) {
				buf_addf(&b, "%s\"%s\":", j ? "," : "", field_name[j]);
				buf_add_json_str(&b, f[j]);
			}
			buf_addch(&b, '}');
		}
		buf_adds(&b, "]\n");
	} else if (!strcmp(format, "csv")) {
		for (size_t j = 0; j < NFIELD; j++)
			buf_addf(&b, "%s%s", j ? "," : "", field_name[j]);
		buf_addch(&b, '\n');
		for (const struct indicator *i = indicator_catalog; i->code; i++) {
			fields_of(i, f);
			for (size_t j = 0; j < NFIELD; j++) {
				if (j)
					buf_addch(&b, ',');
				buf_add_csv_field(&b, f[j]);
			}
			buf_addch(&b, '\n');
		}
	} else {
		buf_addf(&b, "%-16s %-15s %-16s %s\n", "code", "level", "unit", "name");
		for (const struct indicator *i = indicator_catalog; i->code; i++)
			buf_addf(&b, "%-16s %-15s %-16s %s %s\n", i->code, i->level, i->unit,
				 i->name_zh, i->name_en);
	}
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

/* Add mech to the pick of run, or a new pick for run. */
static void add_pick(struct pick *p, size_t *np, int64_t run, const char *mech)
{
	for (size_t i = 0; i < *np; i++)
		if (p[i].run == run) {
			size_t l = strlen(p[i].mechs);
			snprintf(p[i].mechs + l, sizeof(p[i].mechs) - l, ",%s", mech);
			return;
		}
	p[*np].run = run;
	snprintf(p[*np].mechs, sizeof(p[*np].mechs), ",%s", mech);
	(*np)++;
}

/* Keep a row of a run picked for mechs (",a,b") when its indicator belongs to one of them. */
static int keep_row(const struct pick *p, const char *indicator, int given_run)
{
	const struct indicator *ind;
	char key[80];

	if (given_run)
		return 1;
	ind = indicator_find(indicator);
	if (!ind)
		return 1;
	snprintf(key, sizeof(key), ",%s", ind->mechanism);
	for (const char *m = strstr(p->mechs, key); m; m = strstr(m + 1, key))
		if (m[strlen(key)] == ',' || m[strlen(key)] == '\0')
			return 1;
	return 0;
}

static const char rows_sql[] =
	"SELECT indicator, unit_kind, unit_id, stage, year, value, numerator, denominator, "
	" threshold, verdict, evidence FROM result WHERE run_id = ?1"
	" AND (?2 IS NULL OR (unit_kind = 'school' AND unit_id = ?2))"
	" AND (?3 IS NULL OR (unit_kind <> 'school' AND (unit_id = ?3"
	"  OR unit_id IN (SELECT code FROM area WHERE parent_code = ?3))) OR (unit_kind = 'school'"
	"  AND unit_id IN (SELECT s.code FROM school s JOIN area a ON a.code = s.area_code"
	"  WHERE a.code = ?3 OR a.parent_code = ?3"
	"  OR a.parent_code IN (SELECT code FROM area WHERE parent_code = ?3))))"
	" AND (?4 IS NULL OR indicator = ?4)"
	" AND (?5 IS NULL OR verdict = ?5)"
	" ORDER BY rowid";

static double col_num(struct store_stmt *st, int c)
{
	return store_column_type(st, c) == STORE_NULL ? NAN : store_column_double(st, c);
}

static void fmt_num(struct buf *b, double v, const char *fmt)
{
	if (isfinite(v))
		buf_addf(b, fmt, v);
	else
		buf_adds(b, "-");
}

/* The evidence's "note", "reason" or "explanation", for the table. */
static void evidence_note(struct buf *b, const char *ev)
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
			buf_addf(b, "    %s\n", t);
		json_decref(j);
	}
}

int cmd_indicators(struct ctx *c, int argc, const char **argv)
{
	const char *area = NULL, *school = NULL, *format = "table", *indicator = NULL,
		   *verdict = NULL;
	int year = 0, run = 0, catalog = 0;
	static const char *const formats[] = { "table", "json", "csv", "md", NULL };
	static const char *const verdicts[] = { "pass", "warn", "fail", "na", NULL };
	struct opt opts[] = {
		OPT_STRING("area", &area, "CODE", "rows of this area, the areas under it and their "
			   "schools"),
		OPT_STRING("school", &school, "CODE", "rows of this school"),
		OPT_INT("year", &year, "Y", "the latest run for school year Y"),
		OPT_INT("run", &run, "ID", "this run instead of the latest"),
		OPT_STRING("indicator", &indicator, "CODE", "only this indicator"),
		OPT_STRING("verdict", &verdict, "V", "only this verdict (pass, warn, fail, na)"),
		OPT_STRING("format", &format, "FMT", "table, json or csv (md: --catalog only)"),
		OPT_BOOL("catalog", &catalog, "print the indicator catalog"),
		OPT_END(),
	};
	struct pick picks[32];
	size_t npick = 0, nrows = 0;
	struct err e = ERR_INIT;
	struct store *s;
	struct store_stmt *st = NULL;
	struct buf b = BUF_INIT;
	int rc = 0, r;

	opt_parse_none(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", format, formats);
	if (verdict)
		opt_check_choice(usage, "verdict", verdict, verdicts);
	if (catalog)
		return print_catalog(format);
	if (!strcmp(format, "md"))
		opt_usage_die(usage, "--format md is for --catalog only");

	s = cmd_open_store(c);
	if (!s)
		return 1;
	if (run) {
		st = store_prepare(s, "SELECT id FROM eval_run WHERE id = ?1", &e);
		if (!st)
			goto dberr;
		store_bind_int(st, 1, run);
		if ((r = store_step(st, &e)) < 0)
			goto dberr;
		store_finalize(st);
		st = NULL;
		if (r != 1) {
			fprintf(stderr, "eduhq: no evaluation run %d\n", run);
			rc = 1;
			goto out;
		}
		picks[npick].run = run;
		picks[npick].mechs[0] = '\0';
		npick++;
	} else {
		st = store_prepare(s, "SELECT max(id) FROM eval_run WHERE (',' || mechanisms || ',')"
				   " LIKE ('%,' || ?1 || ',%') AND (?2 IS NULL OR year = ?2)", &e);
		if (!st)
			goto dberr;
		for (const struct mechanism *m = mechanisms; m->name && npick < ARRAY_SIZE(picks);
		     m++) {
			store_reset(st);
			store_bind_text(st, 1, m->name);
			if (year)
				store_bind_int(st, 2, year);
			else
				store_bind_null(st, 2);
			if ((r = store_step(st, &e)) < 0)
				goto dberr;
			if (r == 1 && store_column_type(st, 0) != STORE_NULL)
				add_pick(picks, &npick, store_column_int(st, 0), m->name);
		}
		store_finalize(st);
		st = NULL;
		if (!npick) {
			if (year)
				fprintf(stderr, "eduhq: no evaluation run for %d; run 'eduhq eval "
					"--year %d' first\n", year, year);
			else
				fprintf(stderr, "eduhq: no evaluation run; run 'eduhq eval' first\n");
			rc = 1;
			goto out;
		}
	}

	if (!strcmp(format, "json"))
		buf_adds(&b, "{\"runs\":[");
	else if (!strcmp(format, "csv"))
		buf_adds(&b, "run,indicator,unit_kind,unit_id,stage,year,value,numerator,"
			 "denominator,threshold,verdict,evidence\n");
	else
		buf_addf(&b, "%-16s %-7s %-12s %-8s %-5s %12s %10s %s\n", "indicator", "unit", "id",
			 "stage", "year", "value", "threshold", "verdict");
	if (!strcmp(format, "json")) {
		st = store_prepare(s, "SELECT id, created_at, mechanisms, year, rule_versions, "
				   "data_fingerprint FROM eval_run WHERE id = ?1", &e);
		if (!st)
			goto dberr;
		for (size_t k = 0; k < npick; k++) {
			store_reset(st);
			store_bind_int(st, 1, picks[k].run);
			if ((r = store_step(st, &e)) < 0)
				goto dberr;
			if (k)
				buf_addch(&b, ',');
			eval_run_json(&b, store_column_int(st, 0), store_column_text(st, 1),
				      store_column_text(st, 2), (int)store_column_int(st, 3),
				      store_column_text(st, 4), store_column_text(st, 5));
		}
		store_finalize(st);
		st = NULL;
		buf_adds(&b, "],\"results\":[");
	}

	st = store_prepare(s, rows_sql, &e);
	if (!st)
		goto dberr;
	for (size_t k = 0; k < npick; k++) {
		store_reset(st);
		store_bind_int(st, 1, picks[k].run);
		store_bind_text(st, 2, school);
		store_bind_text(st, 3, area);
		store_bind_text(st, 4, indicator);
		store_bind_text(st, 5, verdict);
		while ((r = store_step(st, &e)) == 1) {
			struct result_row row;
			const char *v = store_column_text(st, 9);
			if (!keep_row(&picks[k], store_column_text(st, 0), run != 0))
				continue;
			row.indicator = store_column_text(st, 0);
			row.unit_kind = store_column_text(st, 1);
			row.unit_id = store_column_text(st, 2);
			row.stage = store_column_text(st, 3);
			row.year = (int)store_column_int(st, 4);
			row.value = col_num(st, 5);
			row.numerator = col_num(st, 6);
			row.denominator = col_num(st, 7);
			row.threshold = col_num(st, 8);
			row.verdict = !strcmp(v, "pass") ? V_PASS : !strcmp(v, "warn") ? V_WARN
				    : !strcmp(v, "fail") ? V_FAIL : V_NA;
			row.evidence = store_column_text(st, 10);
			if (!strcmp(format, "json")) {
				if (nrows)
					buf_addch(&b, ',');
				result_row_json(&b, &row);
			} else if (!strcmp(format, "csv")) {
				const double nums[4] = { row.value, row.numerator, row.denominator,
							 row.threshold };
				buf_addf(&b, "%lld,", (long long)picks[k].run);
				buf_add_csv_field(&b, row.indicator);
				buf_addch(&b, ',');
				buf_add_csv_field(&b, row.unit_kind);
				buf_addch(&b, ',');
				buf_add_csv_field(&b, row.unit_id);
				buf_addf(&b, ",%s,", row.stage);
				if (row.year)
					buf_addf(&b, "%d", row.year);
				for (int j = 0; j < 4; j++) {
					buf_addch(&b, ',');
					if (isfinite(nums[j]))
						buf_addf(&b, "%.10g", nums[j]);
				}
				buf_addf(&b, ",%s,", verdict_name(row.verdict));
				buf_add_csv_field(&b, row.evidence);
				buf_addch(&b, '\n');
			} else {
				buf_addf(&b, "%-16s %-7s %-12s %-8s ", row.indicator, row.unit_kind,
					 row.unit_id, row.stage);
				if (row.year)
					buf_addf(&b, "%-5d ", row.year);
				else
					buf_adds(&b, "-     ");
				{
					struct buf n1 = BUF_INIT, n2 = BUF_INIT;
					fmt_num(&n1, row.value, "%.3f");
					fmt_num(&n2, row.threshold, "%g");
					buf_addf(&b, "%12s %10s %s\n", n1.buf, n2.buf,
						 verdict_name(row.verdict));
					buf_release(&n1);
					buf_release(&n2);
				}
				if (row.verdict == V_FAIL || row.verdict == V_NA)
					evidence_note(&b, row.evidence);
			}
			nrows++;
			if (b.len > (1 << 20)) {
				fwrite(b.buf, 1, b.len, stdout);
				buf_reset(&b);
			}
		}
		if (r < 0)
			goto dberr;
	}
	store_finalize(st);
	st = NULL;
	if (!strcmp(format, "json"))
		buf_adds(&b, "]}\n");
	fwrite(b.buf, 1, b.len, stdout);
	goto out;
dberr:
	rc = cmd_error(&e);
out:
	store_finalize(st);
	buf_release(&b);
	store_close(s);
	return rc;
}
