/* api_eval.c: handlers for rules (list, show, history, set), evaluation runs (start, list,
 * one), results (filtered, in the caller's scope, with evidence), the indicator catalog and
 * the data-quality report. The service layer (svc_*.c) does the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "check.h"
#include "forecast_view.h"
#include "indicator.h"
#include "resident.h"
#include "rules.h"
#include "svc.h"
#include "table.h"
#include "whatif.h"
#include "xmalloc.h"
#include "banned.h"

static json_t *rule_json(const struct svc_rule *r)
{
	return json_pack("{s:s, s:i, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "code", r->code, "version",
			 r->version, "effective_date", r->effective, "params", json_loads(r->params, 0, NULL),
			 "source", r->source, "clause", r->clause, "tag", r->tag, "note", r->note,
			 "created_at", r->created_at, "created_by", r->created_by);
}

static void answer_rules(struct req *r, int rc, struct svc_rules *l, const struct err *e, int one)
{
	json_t *arr;
	if (rc < 0) {
		api_err(r, e);
		svc_rules_release(l);
		return;
	}
	if (one) {
		api_json(r, 200, rule_json(&l->v[0]));
	} else {
		arr = json_array();
		for (size_t i = 0; i < l->nr; i++)
			json_array_append_new(arr, rule_json(&l->v[i]));
		api_json(r, 200, json_pack("{s:o}", "rules", arr));
	}
	svc_rules_release(l);
}

static int as_of_arg(struct req *r, char today[11], const char **as_of)
{
	*as_of = req_query(r, "as_of");
	if (!*as_of) {
		rules_today(today);
		*as_of = today;
	} else if (!rules_valid_date(*as_of)) {
		resp_error(r, 400, "bad_request", NULL, "as_of: '%s' is not a date (YYYY-MM-DD)", *as_of);
		return 1;
	}
	return 0;
}

void api_rules_list(struct req *r)
{
	struct svc_rules l = { 0 };
	struct err e = ERR_INIT;
	char today[11];
	const char *as_of;
	if (as_of_arg(r, today, &as_of))
		return;
	answer_rules(r, svc_rules_in_force(r->rd, as_of, NULL, &l, &e), &l, &e, 0);
}

void api_rule_get(struct req *r)
{
	struct svc_rules l = { 0 };
	struct err e = ERR_INIT;
	char today[11];
	const char *as_of;
	if (as_of_arg(r, today, &as_of))
		return;
	answer_rules(r, svc_rules_in_force(r->rd, as_of, r->params[0], &l, &e), &l, &e, 1);
}

void api_rule_history(struct req *r)
{
	struct svc_rules l = { 0 };
	struct err e = ERR_INIT;
	answer_rules(r, svc_rules_history(r->rd, r->params[0], &l, &e), &l, &e, 0);
}

void api_rule_set(struct req *r)
{
	static const struct api_field f[] = { { "params", 'o', 1 }, { "effective_date", 's', 0 },
					      { "source", 's', 0 }, { "clause", 's', 0 }, { "tag", 's', 0 },
					      { "note", 's', 0 } };
	struct svc_rule_change ch = { 0 };
	struct err e = ERR_INIT;
	const char *kv[64], *key;
	json_t *v[6], *val;
	int n = 0, version = 0, rc;

	if (api_fields(r, api_body(r), f, 6, v))
		return;
	json_object_foreach(v[0], key, val) {
		char *s;
		if (n == (int)ARRAY_SIZE(kv))
			break;
		if (json_is_string(val))
			s = arena_strdup(&r->arena, json_string_value(val));
		else if (json_is_number(val)) {
			char num[64];
			if (json_is_integer(val))
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(val));
			else
				snprintf(num, sizeof(num), "%.17g", json_real_value(val));
			s = arena_strdup(&r->arena, num);
		} else {
			resp_error(r, 422, "invalid", NULL, "params.%s: a number or a string", key);
			return;
		}
		{
			struct buf b = BUF_INIT;
			buf_addf(&b, "%s=%s", key, s);
			kv[n++] = arena_strdup(&r->arena, b.buf);
			buf_release(&b);
		}
	}
	ch.effective = json_string_value(v[1]);
	ch.source = json_string_value(v[2]);
	ch.clause = json_string_value(v[3]);
	ch.tag = json_string_value(v[4]);
	ch.note = json_string_value(v[5]);
	ch.user = r->who.name;
	ch.from = r->addr;
	rc = rules_set_version(http_writer_lock(r->srv), r->params[0], n, kv, &ch, &version, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	{
		struct svc_rules l = { 0 };
		rc = svc_rules_history(r->rd, r->params[0], &l, &e);
		if (rc == 0 && l.nr)
			api_json(r, 201, rule_json(&l.v[l.nr - 1]));
		else
			api_err(r, &e);
		svc_rules_release(&l);
	}
}

static void run_json(struct buf *b, const struct svc_run *run)
{
	eval_run_json(b, run->id, run->created_at, run->mechanisms, run->year, run->rule_versions,
		      run->fingerprint);
}

/* {"runs":[...] (the object left open for the caller's next member) */
static void runs_json(struct buf *b, const struct svc_runs *l)
{
	buf_adds(b, "{\"runs\":[");
	for (size_t i = 0; i < l->nr; i++) {
		if (i)
			buf_addch(b, ',');
		run_json(b, &l->v[i]);
	}
	buf_addch(b, ']');
}

void api_runs_list(struct req *r)
{
	struct svc_runs l = { 0 };
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	long limit, before;
	if (api_query_long(r, "limit", 100, 1, 1000, &limit) ||
	    api_query_long(r, "before_id", 0, 0, 1L << 50, &before))
		return;
	if (svc_runs_list(r->rd, before, limit, &l, &e) < 0) {
		api_err(r, &e);
		return;
	}
	runs_json(&b, &l);
	buf_adds(&b, ",\"next_before_id\":");
	if ((long)l.nr == limit)
		buf_addf(&b, "%lld", (long long)l.v[l.nr - 1].id);
	else
		buf_adds(&b, "null");
	buf_adds(&b, "}\n");
	svc_runs_release(&l);
	resp_buf(r, 200, "application/json", &b);
}

void api_run_get(struct req *r)
{
	struct svc_result_filter f = { 0 };
	struct svc_runs l = { 0 };
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	char *end;
	f.run = strtoll(r->params[0], &end, 10);
	if (*end || f.run <= 0) {
		resp_error(r, 404, "not_found", NULL, "no evaluation run '%s'", r->params[0]);
		return;
	}
	if (svc_results_runs(r->rd, &f, &l, &e) < 0) {
		api_err(r, &e);
		return;
	}
	run_json(&b, &l.v[0]);
	buf_addch(&b, '\n');
	svc_runs_release(&l);
	resp_buf(r, 200, "application/json", &b);
}

void api_run_create(struct req *r)
{
	static const struct api_field f[] = { { "mechanisms", 'a', 0 }, { "year", 'i', 0 }, { "as_of", 's', 0 } };
	const struct mechanism *run[17];
	struct eval_out o;
	struct resident_info ri;
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	struct buf b = BUF_INIT;
	json_t *v[3], *m;
	size_t i, n = 0;
	int rc;

	if (api_fields(r, api_body(r), f, 3, v))
		return;
	json_array_foreach(v[0], i, m) {
		const struct mechanism *mm = json_is_string(m) ? mechanism_find(json_string_value(m)) : NULL;
		if (!mm || n == ARRAY_SIZE(run) - 1) {
			resp_error(r, 422, "invalid", NULL, "mechanisms[%zu]: not a mechanism", i);
			return;
		}
		run[n++] = mm;
	}
	run[n] = NULL;
	if (v[1] && (json_integer_value(v[1]) < 1990 || json_integer_value(v[1]) > 2100)) {
		resp_error(r, 422, "invalid", NULL, "year: 1990-2100");
		return;
	}
	if (v[2] && !rules_valid_date(json_string_value(v[2]))) {
		resp_error(r, 422, "invalid", NULL, "as_of: not a date (YYYY-MM-DD)");
		return;
	}
	/* synchronous, on the facts the server keeps resident (resident.h): the caller gets
	 * the run id and its counts in the answer, no job to poll */
	rc = eval_run_resident(r->srv->facts, http_writer_lock(r->srv), &who, n ? run : NULL,
			       v[1] ? (int)json_integer_value(v[1]) : 0, json_string_value(v[2]),
			       json_string_value(v[2]), &o, &ri, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		eval_out_release(&o);
		api_err(r, &e);
		return;
	}
	run_json(&b, &o.run);
	buf_setlen(&b, b.len - 1); /* reopen the object: add the counts */
	buf_addf(&b, ",\"results\":%zu,\"seconds\":{\"load\":%.3f,\"engines\":%.3f,\"save\":%.3f,"
		 "\"commit\":%.3f},", o.nmech ? o.mech[o.nmech - 1].last : 0, o.load_seconds,
		 o.engine_seconds, o.save_seconds, o.commit_seconds);
	resident_info_json(&b, &ri);
	buf_adds(&b, "}\n");
	eval_out_release(&o);
	resp_buf(r, 201, "application/json", &b);
}

void api_whatif(struct req *r)
{
	struct resident_info ri;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	int rc = whatif_run(r->srv->facts, http_writer_lock(r->srv), api_body(r), &b, &ri, &e);

	http_writer_unlock(r->srv);
	if (rc < 0) {
		buf_release(&b);
		api_err(r, &e);
		return;
	}
	buf_addch(&b, '\n');
	resp_buf(r, 200, "application/json", &b);
}

/* The rows a paged answer skips: 0, or the offset its cursor ("o" and a number) gives; after a
 * 400 answer -1. */
static int offset_cursor(struct req *r, const char *cursor, long *skip)
{
	char *end;
	*skip = 0;
	if (!cursor)
		return 0;
	*skip = cursor[0] == 'o' ? strtol(cursor + 1, &end, 10) : -1;
	if (*skip < 0 || !cursor[1] || *end) {
		resp_error(r, 400, "bad_request", NULL, "cursor '%s' is not one this server gave", cursor);
		return -1;
	}
	return 0;
}

/* `],"next_cursor":` and the cursor of the page from offset when there is one, else null */
static void next_cursor(struct buf *b, int more, long offset)
{
	buf_adds(b, "],\"next_cursor\":");
	if (more)
		buf_addf(b, "\"o%ld\"", offset);
	else
		buf_adds(b, "null");
}

struct results_page {
	struct buf *b;
	long skip, left, n;
	int more;
};

static int result_cb(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct results_page *p = arg;
	(void)run;
	if (p->skip > 0) {
		p->skip--;
		return 0;
	}
	if (p->left == 0) {
		p->more = 1;
		return 1;
	}
	if (p->n++)
		buf_addch(p->b, ',');
	result_row_json(p->b, row);
	p->left--;
	return 0;
}

/* The caller's scope narrowed by the area and school filters; 1 when nothing can match. */
static int narrow_scope(struct req *r, struct svc_scope *sc)
{
	const char *area = req_query(r, "area"), *school = req_query(r, "school");
	struct err e = ERR_INIT;
	api_svc_scope(r, sc);
	if (area) {
		const char *key[1] = { area };
		/* a county user may narrow to an area of its own subtree, nothing else */
		if (sc->area && registry_get(r->rd, table_find("area"), key, sc, NULL, NULL, &e) != 1)
			return 1;
		sc->area = area;
	}
	if (school) {
		if (sc->school && strcmp(sc->school, school))
			return 1;
		sc->school = school;
	}
	return 0;
}

void api_results(struct req *r)
{
	struct svc_result_filter f = { 0 };
	struct svc_runs runs = { 0 };
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	struct results_page p = { &b, 0, 0, 0, 0 };
	const char *cursor = req_query(r, "cursor");
	long run, year, limit;
	int rc, none;

	if (api_query_long(r, "run", 0, 0, 1L << 50, &run) || api_query_long(r, "year", 0, 0, 2100, &year) ||
	    api_query_long(r, "limit", 100, 1, 10000, &limit))
		return;
	if (offset_cursor(r, cursor, &p.skip))
		return;
	f.run = run;
	f.year = (int)year;
	f.indicator = req_query(r, "indicator");
	f.verdict = req_query(r, "verdict");
	if (f.verdict && strcmp(f.verdict, "pass") && strcmp(f.verdict, "warn") && strcmp(f.verdict, "fail") &&
	    strcmp(f.verdict, "na")) {
		resp_error(r, 400, "bad_request", NULL, "verdict must be pass, warn, fail or na");
		return;
	}
	none = narrow_scope(r, &sc);
	if ((rc = svc_results_runs(r->rd, &f, &runs, &e)) < 0) {
		api_err(r, &e);
		return;
	}
	runs_json(&b, &runs);
	buf_adds(&b, ",\"results\":[");
	p.left = limit;
	{
		long offset = p.skip;
		if (!none && (rc = svc_results(r->rd, &f, &sc, &runs, result_cb, &p, &e)) < 0) {
			svc_runs_release(&runs);
			buf_release(&b);
			api_err(r, &e);
			return;
		}
		next_cursor(&b, p.more, offset + limit);
	}
	buf_adds(&b, "}\n");
	svc_runs_release(&runs);
	resp_buf(r, 200, "application/json", &b);
}

void api_indicators(struct req *r)
{
	json_t *arr = json_array();
	for (const struct indicator *i = indicator_catalog; i->code; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", i->code,
						     "mechanism", i->mechanism, "name_zh", i->name_zh, "name_en",
						     i->name_en, "unit", i->unit, "level", i->level, "formula",
						     i->formula, "rule", i->rule));
	api_json(r, 200, json_pack("{s:o}", "indicators", arr));
}

void api_check(struct req *r)
{
	struct check_report rep;
	struct svc_scope sc;
	struct err e = ERR_INIT;
	json_t *arr;
	long year;
	if (api_query_long(r, "year", 0, 0, 2100, &year))
		return;
	api_svc_scope(r, &sc);
	if (svc_check(r->rd, (int)year, &sc, &rep, &e) < 0) {
		check_report_release(&rep);
		api_err(r, &e);
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < rep.nr; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "severity",
						     check_severity_name(rep.v[i].severity), "check", rep.v[i].check,
						     "table", rep.v[i].table, "key", rep.v[i].key, "message",
						     rep.v[i].message));
	api_json(r, 200, json_pack("{s:I, s:I, s:o}", "errors", (json_int_t)rep.errors, "warnings",
				   (json_int_t)rep.warnings, "findings", arr));
	check_report_release(&rep);
}

/* GET /overview: the registry's headline figures in the caller's scope (svc_overview). */
void api_overview(struct req *r)
{
	struct svc_scope sc = { 0 };
	struct svc_overview o;
	struct err e = ERR_INIT;
	json_t *j;

	api_svc_scope(r, &sc);
	if (svc_overview(r->rd, &sc, &o, &e) < 0) {
		api_err(r, &e);
		return;
	}
	j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:I, s:I, s:I, s:I}",
		      "cities", (json_int_t)o.cities, "counties", (json_int_t)o.counties,
		      "towns", (json_int_t)o.towns, "schools", (json_int_t)o.schools,
		      "public_compulsory", (json_int_t)o.public_compulsory,
		      "teaching_points", (json_int_t)o.teaching_points, "senior", (json_int_t)o.senior,
		      "vocational", (json_int_t)o.vocational, "pupils_year", o.pupils_year,
		      "pupils", (json_int_t)o.pupils, "teachers", (json_int_t)o.teachers,
		      "postings", (json_int_t)o.postings, "exchanges", (json_int_t)o.exchanges);
	json_object_set_new(j, "groups", json_integer(o.groups));
	json_object_set_new(j, "grouped_schools", json_integer(o.grouped_schools));
	json_object_set_new(j, "coverage", json_pack("{s:I, s:I, s:s, s:s}", "numerator",
		(json_int_t)o.coverage_numerator, "denominator", (json_int_t)o.coverage_denominator,
		"denominator_name", o.coverage_denominator_name, "rule", "groups.coverage"));
	json_object_set_new(j, "specialties", json_integer(o.specialties));
	json_object_set_new(j, "enterprises", json_integer(o.enterprises));
	json_object_set_new(j, "training_bases", json_integer(o.training_bases));
	json_object_set_new(j, "projects", json_integer(o.projects));
	json_object_set_new(j, "hazards", json_integer(o.hazards));
	json_object_set_new(j, "tasks", json_integer(o.tasks));
	api_json(r, 200, j);
}

/* GET /results/summary: per mechanism, how many result rows of its latest run in the
 * caller's scope pass, warn, fail or are n.a. */
struct summary {
	long n[64][4];
};

static void summary_cb(void *arg, const struct svc_run *run, const char *indicator, enum verdict v,
		       int64_t n)
{
	struct summary *s = arg;
	const struct indicator *ind = indicator_find(indicator);
	(void)run;
	for (int i = 0; ind && mechanisms[i].name && i < 64; i++)
		if (!strcmp(mechanisms[i].name, ind->mechanism)) {
			s->n[i][v] += n;
			break;
		}
}

/* Whether a latest-run pick (",a,b") is for mechanism m. */
static int picks(const char *picked, const char *m)
{
	size_t n = strlen(m);
	for (const char *p = picked ? strstr(picked, m) : NULL; p; p = strstr(p + 1, m))
		if (p > picked && p[-1] == ',' && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

void api_results_summary(struct req *r)
{
	struct svc_result_filter f = { 0 };
	struct svc_runs runs = { 0 };
	struct svc_scope sc;
	struct summary s;
	struct err e = ERR_INIT;
	json_t *arr = json_array();

	memset(&s, 0, sizeof(s));
	api_svc_scope(r, &sc);
	if (svc_results_runs(r->rd, &f, &runs, &e) < 0 ||
	    svc_results_counts(r->rd, &f, &sc, &runs, summary_cb, &s, &e) < 0) {
		json_decref(arr);
		svc_runs_release(&runs);
		api_err(r, &e);
		return;
	}
	for (int i = 0; mechanisms[i].name && i < 64; i++) {
		int64_t run = 0;
		for (size_t k = 0; k < runs.nr; k++)
			if (picks(runs.v[k].picked, mechanisms[i].name))
				run = runs.v[k].id;
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "mechanism",
			mechanisms[i].name, "run", (json_int_t)run, "pass", (json_int_t)s.n[i][V_PASS],
			"warn", (json_int_t)s.n[i][V_WARN], "fail", (json_int_t)s.n[i][V_FAIL],
			"na", (json_int_t)s.n[i][V_NA]));
	}
	svc_runs_release(&runs);
	api_json(r, 200, json_pack("{s:o}", "mechanisms", arr));
}

void api_forecast(struct req *r)
{
	const char *level = req_query(r, "level");
	struct forecast_opts o = { .area = req_query(r, "area"), .estimator = req_query(r, "estimator"),
				   .scenario = req_query(r, "scenario") };
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct seats_view v;
	struct buf b = BUF_INIT;
	unsigned char *keep;
	long year, horizon;

	if (api_query_long(r, "year", 0, 1900, 2200, &year) || api_query_long(r, "horizon", 0, 1, 30, &horizon))
		return;
	if (level && strcmp(level, "county") && strcmp(level, "town")) {
		resp_error(r, 400, "bad_request", NULL, "level: '%s' is not county or town", level);
		return;
	}
	o.town_level = level && !strcmp(level, "town");
	o.year = (int)year;
	o.horizon = (int)horizon;
	api_svc_scope(r, &sc);
	if (forecast_view_load(r->rd, &sc, &o, &v, &keep, &e) < 0) {
		api_err(r, &e);
		return;
	}
	forecast_json(&v, keep, &b);
	free(keep);
	seats_view_release(&v);
	resp_buf(r, 200, "application/json", &b);
}

/* ---- comparing two runs ---- */

struct compare_page {
	struct buf rows, sums;
	long skip, left, n;
	int more;
};

/* {"value":…,"numerator":…,"denominator":…,"threshold":…,"verdict":…} or null */
static void side_json(struct buf *b, const char *key, const struct result_row *x)
{
	buf_addf(b, ",\"%s\":", key);
	if (!x) {
		buf_adds(b, "null");
		return;
	}
	buf_addch(b, '{');
	result_values_json(b, x);
	buf_addch(b, '}');
}

static int diff_row_cb(void *arg, const struct result_row *a, const struct result_row *b)
{
	struct compare_page *p = arg;
	const struct result_row *k = a ? a : b;
	if (p->skip > 0) {
		p->skip--;
		return 0;
	}
	if (p->left == 0) {
		p->more = 1;
		return 0; /* keep counting for the summary */
	}
	if (p->n++)
		buf_addch(&p->rows, ',');
	buf_addch(&p->rows, '{');
	result_key_json(&p->rows, k);
	side_json(&p->rows, "a", a);
	side_json(&p->rows, "b", b);
	buf_addch(&p->rows, '}');
	p->left--;
	return 0;
}

static void verdicts_json(struct buf *b, const char *key, const int64_t n[4])
{
	buf_addf(b, ",\"%s\":{\"pass\":%lld,\"warn\":%lld,\"fail\":%lld,\"na\":%lld}", key,
		 (long long)n[V_PASS], (long long)n[V_WARN], (long long)n[V_FAIL], (long long)n[V_NA]);
}

static void diff_sum_cb(void *arg, const struct svc_diff *d)
{
	struct compare_page *p = arg;
	if (p->sums.len)
		buf_addch(&p->sums, ',');
	buf_adds(&p->sums, "{\"indicator\":");
	buf_add_json_str(&p->sums, d->indicator);
	verdicts_json(&p->sums, "a", d->a);
	verdicts_json(&p->sums, "b", d->b);
	buf_addf(&p->sums, ",\"same\":%ld,\"changed\":%ld,\"verdict_changed\":%ld,\"added\":%ld,"
		 "\"removed\":%ld}", d->same, d->changed, d->verdict_changed, d->added, d->removed);
}

static void version_json(struct buf *b, const char *key, const json_t *v)
{
	if (json_is_integer(v))
		buf_addf(b, ",\"%s\":%lld", key, (long long)json_integer_value(v));
	else
		buf_addf(b, ",\"%s\":null", key);
}

/* [{"rule":…,"a":version|null,"b":version|null}] for each rule whose version differs. */
static void rules_changed_json(struct buf *b, const char *ra, const char *rb)
{
	json_t *x = json_loads(ra, 0, NULL), *y = json_loads(rb, 0, NULL), *v;
	const char *k;
	int n = 0;
	buf_adds(b, ",\"rules_changed\":[");
	for (int side = 0; side < 2; side++)
		json_object_foreach(side ? y : x, k, v) {
			json_t *w = json_object_get(side ? x : y, k);
			if (side && w) /* both have it: seen from run a */
				continue;
			if (w && json_equal(v, w))
				continue;
			buf_adds(b, n++ ? ",{\"rule\":" : "{\"rule\":");
			buf_add_json_str(b, k);
			version_json(b, "a", side ? w : v);
			version_json(b, "b", side ? v : w);
			buf_addch(b, '}');
		}
	buf_addch(b, ']');
	json_decref(x);
	json_decref(y);
}

void api_runs_compare(struct req *r)
{
	struct svc_result_filter f = { 0 };
	struct svc_runs runs[2] = { { 0 }, { 0 } };
	struct compare_page p = { BUF_INIT, BUF_INIT, 0, 0, 0, 0 };
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	const char *cursor = req_query(r, "cursor");
	long id[2], limit, offset;
	int rc = 0, none;

	if (api_query_long(r, "a", 0, 1, 1L << 50, &id[0]) || api_query_long(r, "b", 0, 1, 1L << 50, &id[1]) ||
	    api_query_long(r, "limit", 500, 1, 10000, &limit))
		return;
	if (!id[0] || !id[1]) {
		resp_error(r, 400, "bad_request", NULL, "give the two runs to compare: ?a=ID&b=ID");
		return;
	}
	if (offset_cursor(r, cursor, &p.skip))
		return;
	offset = p.skip;
	none = narrow_scope(r, &sc);
	for (int k = 0; k < 2 && rc >= 0; k++) {
		f.run = id[k];
		rc = svc_results_runs(r->rd, &f, &runs[k], &e);
	}
	p.left = limit;
	if (rc >= 0 && !none)
		rc = svc_runs_compare(r->rd, id[0], id[1], req_query(r, "indicator"), &sc, diff_row_cb,
				      diff_sum_cb, &p, &e);
	if (rc < 0) {
		api_err(r, &e);
		goto out;
	}
	buf_adds(&b, "{\"a\":");
	run_json(&b, &runs[0].v[0]);
	buf_adds(&b, ",\"b\":");
	run_json(&b, &runs[1].v[0]);
	buf_addf(&b, ",\"same_data\":%s", strcmp(runs[0].v[0].fingerprint, runs[1].v[0].fingerprint) ? "false" : "true");
	rules_changed_json(&b, runs[0].v[0].rule_versions, runs[1].v[0].rule_versions);
	buf_adds(&b, ",\"indicators\":[");
	buf_add(&b, p.sums.buf, p.sums.len);
	buf_adds(&b, "],\"rows\":[");
	buf_add(&b, p.rows.buf, p.rows.len);
	next_cursor(&b, p.more, offset + limit);
	buf_adds(&b, "}\n");
	resp_buf(r, 200, "application/json", &b);
out:
	buf_release(&p.rows);
	buf_release(&p.sums);
	svc_runs_release(&runs[0]);
	svc_runs_release(&runs[1]);
}
