/* eval.c: evaluation runs: the mechanism table, result sets, the data fingerprint and
 * saving a run with its result rows (SPEC §4). */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "eval.h"
#include "mech_ledger.h"
#include "mech_seats.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* One line per mechanism; `eduhq eval` with no argument runs them all, in this order. */
const struct mechanism mechanisms[] = {
	{ "balance", "county compulsory-education balance (优质均衡)", mech_balance_run },
	{ "seats", "enrolment forecast against seats (人口与教育资源匹配度评估)", mech_seats_run },
	{ "assessment", "school assessment schemes, scores and rankings (学校考核)",
	  mech_assessment_run },
	{ "curriculum", "铸牢中华民族共同体意识 hours and 道德与法治 share (课程课时)",
	  mech_curriculum_run },
	{ "safety", "the hazard ledger and D-grade buildings (安全隐患台账)", mech_safety_run },
	{ "tasks", "plan targets: lagging and overdue tasks (重点任务)", mech_tasks_run },
	{ NULL, NULL, NULL },
};

const struct mechanism *mechanism_find(const char *name)
{
	for (const struct mechanism *m = mechanisms; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

void results_init(struct result_set *rs)
{
	rs->v = NULL;
	rs->nr = rs->alloc = 0;
	arena_init(&rs->arena, 256 * 1024);
}

void results_release(struct result_set *rs)
{
	free(rs->v);
	rs->v = NULL;
	rs->nr = rs->alloc = 0;
	arena_release(&rs->arena);
}

static const char *keep(struct result_set *rs, const char *s, const char *dflt)
{
	return arena_strdup(&rs->arena, s ? s : dflt);
}

struct result_row *results_add(struct result_set *rs, const struct result_row *row)
{
	struct result_row *r;

	ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
	r = &rs->v[rs->nr++];
	*r = *row;
	r->indicator = keep(rs, row->indicator, "");
	r->unit_kind = keep(rs, row->unit_kind, "");
	r->unit_id = keep(rs, row->unit_id, "");
	r->stage = keep(rs, row->stage, "");
	r->evidence = keep(rs, row->evidence && *row->evidence ? row->evidence : NULL, "{}");
	return r;
}

struct result_row *results_add_row(struct result_set *rs, const char *indicator,
				   const char *unit_kind, const char *unit_id, const char *stage,
				   int year, double value, double numerator, double denominator,
				   double threshold, enum verdict v, const char *evidence)
{
	struct result_row r = {
		.indicator = indicator, .unit_kind = unit_kind, .unit_id = unit_id, .stage = stage,
		.year = year, .value = value, .numerator = numerator, .denominator = denominator,
		.threshold = threshold, .verdict = v, .evidence = evidence,
	};
	return results_add(rs, &r);
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_PASS: return "pass";
	case V_WARN: return "warn";
	case V_FAIL: return "fail";
	case V_NA: break;
	}
	return "na";
}

static void json_num(struct buf *b, const char *key, double v)
{
	buf_addf(b, ",\"%s\":", key);
	if (isfinite(v))
		buf_addf(b, "%.10g", v);
	else
		buf_adds(b, "null");
}

void result_row_json(struct buf *b, const struct result_row *r)
{
	buf_adds(b, "{\"indicator\":");
	buf_add_json_str(b, r->indicator);
	buf_adds(b, ",\"unit_kind\":");
	buf_add_json_str(b, r->unit_kind);
	buf_adds(b, ",\"unit_id\":");
	buf_add_json_str(b, r->unit_id);
	buf_adds(b, ",\"stage\":");
	buf_add_json_str(b, r->stage ? r->stage : "");
	if (r->year)
		buf_addf(b, ",\"year\":%d", r->year);
	else
		buf_adds(b, ",\"year\":null");
	json_num(b, "value", r->value);
	json_num(b, "numerator", r->numerator);
	json_num(b, "denominator", r->denominator);
	json_num(b, "threshold", r->threshold);
	buf_adds(b, ",\"verdict\":");
	buf_add_json_str(b, verdict_name(r->verdict));
	buf_adds(b, ",\"evidence\":");
	buf_adds(b, r->evidence && *r->evidence ? r->evidence : "{}");
	buf_addch(b, '}');
}

void eval_run_json(struct buf *b, int64_t id, const char *created_at, const char *mechs,
		   int year, const char *rule_versions, const char *fingerprint)
{
	buf_addf(b, "{\"id\":%lld,\"created_at\":", (long long)id);
	buf_add_json_str(b, created_at);
	buf_adds(b, ",\"mechanisms\":");
	buf_add_json_str(b, mechs);
	buf_addf(b, ",\"year\":%d,\"rule_versions\":%s,\"data_fingerprint\":", year,
		 rule_versions);
	buf_add_json_str(b, fingerprint);
	buf_addch(b, '}');
}

struct eval_fp {
	crypto_generichash_state st;
};

struct eval_fp *eval_fp_new(void)
{
	struct eval_fp *fp = xmalloc(sizeof(*fp));
	crypto_generichash_init(&fp->st, NULL, 0, 32);
	return fp;
}

void eval_fp_add(struct eval_fp *fp, const void *data, size_t len)
{
	if (fp && len)
		crypto_generichash_update(&fp->st, data, len);
}

void eval_fp_add_row(struct eval_fp *fp, const char *label, struct store_stmt *st)
{
	int nc = store_column_count(st);

	eval_fp_add(fp, label, strlen(label) + 1);
	for (int c = 0; c < nc; c++) {
		const char *t = store_column_text(st, c);
		if (t)
			eval_fp_add(fp, t, strlen(t));
		eval_fp_add(fp, t ? "\x1f" : "\x1e", 1);
	}
}

char *eval_fp_final(struct eval_fp *fp)
{
	unsigned char h[32];
	char *hex = xmalloc(2 * sizeof(h) + 1);

	crypto_generichash_final(&fp->st, h, sizeof(h));
	sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
	free(fp);
	return hex;
}

double eval_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bind_num(struct store_stmt *st, int i, double v)
{
	return isfinite(v) ? store_bind_double(st, i, v) : store_bind_null(st, i);
}

int eval_run_save(struct store *s, const char *mechanisms_csv, int year,
		  const char *rule_versions_json, const char *fingerprint,
		  const struct result_set *rs, int64_t *run_id, struct err *e)
{
	struct store_stmt *st = NULL;
	int rc;

	if (store_begin(s, e) < 0)
		return e->code;
	st = store_prepare(s, "INSERT INTO eval_run (mechanisms, year, rule_versions, "
			      "data_fingerprint) VALUES (?1, ?2, ?3, ?4)", e);
	if (!st)
		goto fail;
	store_bind_text(st, 1, mechanisms_csv);
	if (year)
		store_bind_int(st, 2, year);
	else
		store_bind_null(st, 2);
	store_bind_text(st, 3, rule_versions_json ? rule_versions_json : "{}");
	store_bind_text(st, 4, fingerprint ? fingerprint : "");
	if (store_step(st, e) < 0)
		goto fail;
	store_finalize(st);
	*run_id = store_last_id(s);

	st = store_prepare(s, "INSERT INTO result (run_id, indicator, unit_kind, unit_id, stage, "
			      "year, value, numerator, denominator, threshold, verdict, evidence) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (!st)
		goto fail;
	for (size_t i = 0; i < rs->nr; i++) {
		const struct result_row *r = &rs->v[i];
		store_reset(st);
		store_bind_int(st, 1, *run_id);
		store_bind_text(st, 2, r->indicator);
		store_bind_text(st, 3, r->unit_kind);
		store_bind_text(st, 4, r->unit_id);
		store_bind_text(st, 5, r->stage ? r->stage : "");
		if (r->year)
			store_bind_int(st, 6, r->year);
		else
			store_bind_null(st, 6);
		bind_num(st, 7, r->value);
		bind_num(st, 8, r->numerator);
		bind_num(st, 9, r->denominator);
		bind_num(st, 10, r->threshold);
		store_bind_text(st, 11, verdict_name(r->verdict));
		store_bind_text(st, 12, r->evidence ? r->evidence : "{}");
		if (store_step(st, e) < 0) {
			err_prefix(e, "result %s %s %s", r->indicator, r->unit_kind, r->unit_id);
			goto fail;
		}
	}
	store_finalize(st);
	if (store_commit(s, e) < 0)
		return e->code;
	return 0;
fail:
	rc = e->code ? e->code : ERR_DB;
	store_finalize(st);
	store_rollback(s);
	return rc;
}
