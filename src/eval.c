/* eval.c: evaluation runs: the mechanism table, result sets, the data fingerprint and
 * saving a run with its result rows (SPEC §4; the rows go in as chunks, result_store.c). */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "eval.h"
#include "mech_ledger.h"
#include "mech_seats.h"
#include "mech_vocational.h"
#include "result_store.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* One line per mechanism; `eduhq eval` with no argument runs them all, in this order. The
 * split ones (load, compute, release, size) are kept resident by the server; the tables are
 * what their loaders read (see struct mechanism). */
#define SPLIT(n) mech_##n##_load, mech_##n##_compute, mech_##n##_release, mech_##n##_size
#define WHOLE NULL, NULL, NULL, NULL
const struct mechanism mechanisms[] = {
	{ "balance", "county compulsory-education balance (优质均衡)", mech_balance_run,
	  SPLIT(balance), "area,school,grade_return,pupil_transfer,facility,class_section,teacher,"
	  "posting" },
	{ "seats", "enrolment forecast against seats (人口与教育资源匹配度评估)", mech_seats_run,
	  WHOLE, "area,births,population,school,grade_return,project,forecast_vintage,forecast_interval,"
	  "forecast_value" },
	{ "teachers", "rural service, title eligibility, exchange rotation, research activities "
	  "(教师交流轮岗与职称)", mech_teachers_run, SPLIT(teachers), "area,school,teacher,posting,"
	  "title_application,activity,activity_school,activity_teacher" },
	{ "groups", "education groups: coverage, members, outcomes (集团化办学)", mech_groups_run,
	  SPLIT(groups), "area,school,edu_group,group_member,exam_result,grade_return,posting" },
	{ "vocational", "vocational specialty review, matching and cooperation (专业动态调整)",
	  mech_vocational_run, WHOLE, "area,school,school_specialty,specialty_year,"
	  "specialty_industry,industry,voc_catalog,cooperation,internship,training_base,employee_training" },
	{ "assessment", "school assessment schemes, scores and rankings (学校考核)",
	  mech_assessment_run, WHOLE, "area,school,assessment_scheme,assessment_item,"
	  "assessment_score" },
	{ "curriculum", "铸牢中华民族共同体意识 hours and 道德与法治 share (课程课时)",
	  mech_curriculum_run, WHOLE, "area,school,curriculum_hours" },
	{ "safety", "the hazard ledger and D-grade buildings (安全隐患台账)", mech_safety_run,
	  WHOLE, "area,school,hazard,building" },
	{ "tasks", "plan targets: lagging and overdue tasks (重点任务)", mech_tasks_run, WHOLE,
	  "area,school,task,task_progress,project,hazard" },
	{ NULL, NULL, NULL, WHOLE, NULL },
};
#undef SPLIT
#undef WHOLE

const struct mechanism *mechanism_find(const char *name)
{
	for (const struct mechanism *m = mechanisms; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

int mechanism_reads(const struct mechanism *m, const char *table)
{
	size_t n = strlen(table);
	const char *p = m->tables ? m->tables : "*";

	if (!strcmp(p, "*"))
		return 1;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && !strncmp(p, table, n))
			return 1;
		p += len + (c != NULL);
	}
	return 0;
}

int mechanism_check_reads(const struct mechanism *m, const char *read, struct err *e)
{
	for (const char *p = read; p && *p == ',';) {
		size_t n = strcspn(p + 1, ",");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (!mechanism_reads(m, name))
			return err_set(e, ERR_DATA, "mechanism %s read table %s, which its entry in "
				       "mechanisms[] (src/eval.c) does not list: the server would keep "
				       "its facts after a write to it", m->name, name);
		p += n + 1;
	}
	return 0;
}

int mech_run_split(const struct mechanism *m, struct eval_ctx *ec, struct result_set *out,
		   struct err *e)
{
	void *facts = NULL;
	int rc = m->load(ec, &facts, e);

	if (rc == 0)
		rc = m->compute(facts, ec, out, e);
	if (facts)
		m->release(facts);
	return rc;
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

void results_adopt(struct result_set *dst, struct result_set *src)
{
	if (!dst->nr) {
		free(dst->v);
		dst->v = src->v;
		dst->nr = src->nr;
		dst->alloc = src->alloc;
	} else if (src->nr) {
		ALLOC_GROW(dst->v, dst->nr + src->nr, dst->alloc);
		memcpy(dst->v + dst->nr, src->v, src->nr * sizeof(*src->v));
		dst->nr += src->nr;
		free(src->v);
	} else {
		free(src->v);
	}
	src->v = NULL;
	src->nr = src->alloc = 0;
	arena_adopt(&dst->arena, &src->arena);
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
	buf_add_num(b, v);
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

void result_sql_open(struct buf *b)
{
	buf_adds(b, "BEGIN;\nCREATE TABLE IF NOT EXISTS result (id INTEGER PRIMARY KEY, run_id INTEGER "
		 "NOT NULL, indicator TEXT NOT NULL, unit_kind TEXT NOT NULL, unit_id TEXT NOT NULL, "
		 "stage TEXT NOT NULL DEFAULT '', year INTEGER, value REAL, numerator REAL, denominator "
		 "REAL, threshold REAL, verdict TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '{}');\n");
}

void result_sql_close(struct buf *b) { buf_adds(b, "COMMIT;\n"); }

static void sql_str(struct buf *b, const char *s)
{
	buf_addch(b, '\'');
	for (const char *q; (q = strchr(s, '\'')); s = q + 1) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addch(b, '\'');
	}
	buf_adds(b, s);
	buf_addch(b, '\'');
}

/* d as ieee754(M, E) = M x 2^E exactly, M odd (or 0); NULL when not finite */
static void sql_num(struct buf *b, double d)
{
	int ex;
	long long m;
	if (!isfinite(d)) {
		buf_adds(b, ",NULL");
		return;
	}
	m = (long long)ldexp(frexp(d, &ex), 53);
	ex -= 53;
	while (m && !(m & 1)) {
		m /= 2;
		ex++;
	}
	if (!m)
		ex = 0;
	buf_addf(b, ",ieee754(%lld,%d)", m, ex);
}

void result_row_sql(struct buf *b, int64_t run_id, const struct result_row *r)
{
	buf_addf(b, "INSERT INTO result (run_id, indicator, unit_kind, unit_id, stage, year, value, "
		 "numerator, denominator, threshold, verdict, evidence) VALUES (%lld,", (long long)run_id);
	sql_str(b, r->indicator);
	buf_addch(b, ',');
	sql_str(b, r->unit_kind);
	buf_addch(b, ',');
	sql_str(b, r->unit_id);
	buf_addch(b, ',');
	sql_str(b, r->stage ? r->stage : "");
	if (r->year)
		buf_addf(b, ",%d", r->year);
	else
		buf_adds(b, ",NULL");
	sql_num(b, r->value);
	sql_num(b, r->numerator);
	sql_num(b, r->denominator);
	sql_num(b, r->threshold);
	buf_addf(b, ",'%s',", verdict_name(r->verdict));
	sql_str(b, r->evidence && *r->evidence ? r->evidence : "{}");
	buf_adds(b, ");\n");
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
	unsigned char rec[512];
	size_t n = 0;

	if (!fp)
		return;
	eval_fp_add(fp, label, strlen(label) + 1);
	/* Each column as a tag byte and its value in binary: an integer (or a float with an
	 * integral value: 5.0 and 5 are one number on both backends) as 8 bytes little-endian,
	 * another float as its 8 IEEE bytes, text as its bytes and a 0x1f, NULL as the tag
	 * alone. Collected in rec and hashed in one call per row. */
	for (int c = 0; c < nc; c++) {
		enum store_type ty = store_column_type(st, c);
		const char *t = NULL;
		uint64_t u = 0;
		int tag;
		if (ty == STORE_INT) {
			tag = 'i';
			u = (uint64_t)store_column_int(st, c);
		} else if (ty == STORE_FLOAT) {
			double d = store_column_double(st, c);
			if (d == (double)(long long)d && fabs(d) < 9e15) {
				tag = 'i';
				u = (uint64_t)(long long)d;
			} else {
				tag = 'f';
				memcpy(&u, &d, sizeof(u));
			}
		} else if (ty == STORE_NULL || !(t = store_column_text(st, c))) {
			tag = 'n';
		} else {
			tag = 't';
		}
		if (n + 9 > sizeof(rec)) {
			eval_fp_add(fp, rec, n);
			n = 0;
		}
		rec[n++] = (unsigned char)tag;
		if (tag == 'i' || tag == 'f') {
			for (int k = 0; k < 8; k++)
				rec[n++] = (unsigned char)(u >> (8 * k));
		} else if (tag == 't') {
			size_t len = strlen(t);
			if (n + len + 1 > sizeof(rec)) {
				eval_fp_add(fp, rec, n);
				eval_fp_add(fp, t, len);
				n = 0;
			} else {
				memcpy(rec + n, t, len);
				n += len;
			}
			rec[n++] = 0x1f;
		}
	}
	eval_fp_add(fp, rec, n);
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

int eval_city_code(struct store *s, struct arena *a, const char **out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT code FROM area WHERE level = 'city' "
					      "ORDER BY code LIMIT 2", e);
	int r, n = 0;

	*out = "";
	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1)
		if (n++ == 0)
			*out = arena_strdup(a, store_column_text(st, 0));
	store_finalize(st);
	if (n != 1)
		*out = "";
	return r < 0 ? e->code : 0;
}

double eval_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int eval_run_begin(struct store *s, const char *mechanisms_csv, int year, int64_t *run_id,
		   struct err *e)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO eval_run (mechanisms, year, "
					      "rule_versions, data_fingerprint) VALUES (?1, ?2, "
					      "'{}', '') RETURNING id", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, mechanisms_csv);
	if (year)
		store_bind_int(st, 2, year);
	else
		store_bind_null(st, 2);
	if (store_step(st, e) != 1) {
		store_finalize(st);
		return e->code ? e->code : ERR_DB;
	}
	*run_id = store_column_int(st, 0);
	store_finalize(st);
	return 0;
}

int eval_run_rows(struct store *s, int64_t run_id, const struct result_set *rs, struct err *e)
{
	return rs_save(s, run_id, rs, e);
}

int eval_run_finish(struct store *s, int64_t run_id, const char *rule_versions_json,
		    const char *fingerprint, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "UPDATE eval_run SET rule_versions = ?1, "
					      "data_fingerprint = ?2 WHERE id = ?3", e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, rule_versions_json ? rule_versions_json : "{}");
	store_bind_text(st, 2, fingerprint ? fingerprint : "");
	store_bind_int(st, 3, run_id);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

int eval_run_save(struct store *s, const char *mechanisms_csv, int year,
		  const char *rule_versions_json, const char *fingerprint,
		  const struct result_set *rs, int64_t *run_id, struct err *e)
{
	if (store_begin(s, e) < 0)
		return e->code;
	if (eval_run_begin(s, mechanisms_csv, year, run_id, e) < 0 ||
	    eval_run_rows(s, *run_id, rs, e) < 0 ||
	    eval_run_finish(s, *run_id, rule_versions_json, fingerprint, e) < 0) {
		int rc = e->code ? e->code : ERR_DB;
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e) < 0 ? e->code : 0;
}
