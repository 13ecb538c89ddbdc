/* eval.c: evaluation runs: the mechanism table, result sets, the data fingerprint and
 * saving a run with its result rows (SPEC §4). */
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
	  WHOLE, "area,births,population,school,grade_return,project,forecast_vintage,"
	  "forecast_value" },
	{ "teachers", "rural service, title eligibility, exchange rotation, research activities "
	  "(教师交流轮岗与职称)", mech_teachers_run, SPLIT(teachers), "area,school,teacher,posting,"
	  "title_application,activity,activity_school,activity_teacher" },
	{ "groups", "education groups: coverage, members, outcomes (集团化办学)", mech_groups_run,
	  SPLIT(groups), "area,school,edu_group,group_member,exam_result,grade_return,posting" },
	{ "vocational", "vocational specialty review, matching and cooperation (专业动态调整)",
	  mech_vocational_run, WHOLE, "area,school,school_specialty,specialty_year,"
	  "specialty_industry,industry,voc_catalog,cooperation,internship,training_base" },
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

static int bind_num(struct store_stmt *st, int i, double v)
{
	return isfinite(v) ? store_bind_double(st, i, v) : store_bind_null(st, i);
}

static const char *const result_cols[] = { "run_id", "indicator", "unit_kind", "unit_id",
	"stage", "year", "value", "numerator", "denominator", "threshold", "verdict", "evidence" };

/* Rows per INSERT statement: one statement step per SAVE_BATCH rows instead of per row. */
#define SAVE_BATCH 64

static void bind_row(struct store_stmt *st, int base, int64_t run_id, const struct result_row *r)
{
	const char *stage = r->stage ? r->stage : "", *ev = r->evidence ? r->evidence : "{}";
	const char *v = verdict_name(r->verdict);

	/* the strings live in the result set's arena until the statement is reset */
	store_bind_int(st, base + 1, run_id);
	store_bind_textn_static(st, base + 2, r->indicator, strlen(r->indicator));
	store_bind_textn_static(st, base + 3, r->unit_kind, strlen(r->unit_kind));
	store_bind_textn_static(st, base + 4, r->unit_id, strlen(r->unit_id));
	store_bind_textn_static(st, base + 5, stage, strlen(stage));
	if (r->year)
		store_bind_int(st, base + 6, r->year);
	else
		store_bind_null(st, base + 6);
	bind_num(st, base + 7, r->value);
	bind_num(st, base + 8, r->numerator);
	bind_num(st, base + 9, r->denominator);
	bind_num(st, base + 10, r->threshold);
	store_bind_textn_static(st, base + 11, v, strlen(v));
	store_bind_textn_static(st, base + 12, ev, strlen(ev));
}

static int save_rows(struct store *s, int64_t run_id, const struct result_set *rs,
		     struct err *e)
{
	/* many: SAVE_BATCH rows per statement, when the backend has multi-row INSERTs */
	char *sql = store_multi_insert_sql(s, "result", result_cols, ARRAY_SIZE(result_cols),
					   SAVE_BATCH);
	struct store_stmt *many = NULL, *one;
	size_t i = 0;
	int rc = 0;

	one = store_prepare(s, "INSERT INTO result (run_id, indicator, unit_kind, unit_id, stage, "
			    "year, value, numerator, denominator, threshold, verdict, evidence) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (one && sql && !(many = store_prepare(s, sql, e))) {
		store_finalize(one);
		one = NULL;
	}
	free(sql);
	if (!one)
		return e->code;
	while (i < rs->nr) {
		int n = many && rs->nr - i >= SAVE_BATCH ? SAVE_BATCH : 1;
		struct store_stmt *st = n > 1 ? many : one;
		store_reset(st);
		for (int k = 0; k < n; k++)
			bind_row(st, k * (int)ARRAY_SIZE(result_cols), run_id, &rs->v[i + k]);
		if (store_step(st, e) < 0) {
			if (n > 1)
				err_prefix(e, "results %zu-%zu", i + 1, i + n);
			else
				err_prefix(e, "result %s %s %s", rs->v[i].indicator, rs->v[i].unit_kind,
					   rs->v[i].unit_id);
			rc = e->code;
			break;
		}
		i += n;
	}
	store_finalize(many);
	store_finalize(one);
	return rc;
}

/* The same rows streamed (PostgreSQL's COPY); numbers with 17 digits arrive bit for bit. */
static int save_rows_copy(struct store *s, int64_t run_id, const struct result_set *rs,
			  struct err *e)
{
	char num[5][40], year[16];
	long bad = 0;
	int rc;

	if (store_copy_begin(s, "result", result_cols, ARRAY_SIZE(result_cols), e) < 0)
		return e->code;
	snprintf(num[0], sizeof(num[0]), "%lld", (long long)run_id);
	for (size_t i = 0; i < rs->nr; i++) {
		const struct result_row *r = &rs->v[i];
		const double d[4] = { r->value, r->numerator, r->denominator, r->threshold };
		const char *v[12] = { num[0], r->indicator, r->unit_kind, r->unit_id,
				      r->stage ? r->stage : "", NULL, NULL, NULL, NULL, NULL,
				      verdict_name(r->verdict), r->evidence ? r->evidence : "{}" };
		size_t len[12];
		if (r->year) {
			snprintf(year, sizeof(year), "%d", r->year);
			v[5] = year;
		}
		for (int k = 0; k < 4; k++)
			if (isfinite(d[k])) {
				snprintf(num[k + 1], sizeof(num[k + 1]), "%.17g", d[k]);
				v[6 + k] = num[k + 1];
			}
		for (int k = 0; k < 12; k++)
			len[k] = v[k] ? strlen(v[k]) : 0;
		if (store_copy_row(s, v, len, 12, e) < 0) {
			store_copy_end(s, &bad, e);
			return ERR_DB;
		}
	}
	rc = store_copy_end(s, &bad, e);
	if (rc < 0 && bad >= 1 && (size_t)bad <= rs->nr)
		err_prefix(e, "result %s %s %s", rs->v[bad - 1].indicator, rs->v[bad - 1].unit_kind,
			   rs->v[bad - 1].unit_id);
	return rc;
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
	return store_has_copy(s) ? save_rows_copy(s, run_id, rs, e) : save_rows(s, run_id, rs, e);
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
