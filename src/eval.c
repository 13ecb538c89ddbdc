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
#include "rules.h"
#include "mech_vocational.h"
#include "result_store.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* One line per mechanism; `eduhq eval` with no argument runs them all, in this order. The
 * split ones (load, compute, release, size) are kept resident by the server; the tables are
 * what their loaders read, and of the school and teacher tables the columns (see struct
 * mechanism). */
#define SPLIT(n) mech_##n##_load, mech_##n##_compute, mech_##n##_release, mech_##n##_size
#define WHOLE NULL, NULL, NULL, NULL
#define SCHOOL "school.code,school.name,school.area_code,school.type"
#define BAL_TEACHER "teacher.code,teacher.education,teacher.backbone_level,teacher.subject," \
	"teacher.title,teacher.full_time"
const struct mechanism mechanisms[] = {
	{ "balance", "county compulsory-education balance (优质均衡)", mech_balance_run,
	  SPLIT(balance), "area,school,grade_return,pupil_transfer,facility,class_section,teacher,"
	  "posting", &mech_balance_rows, NULL, SCHOOL ",school.is_teaching_point," BAL_TEACHER },
	{ "seats", "enrolment forecast against seats (人口与教育资源匹配度评估)", mech_seats_run,
	  SPLIT(seats), "area,births,population,school,grade_return,project,forecast_vintage,"
	  "forecast_interval,forecast_value", &mech_seats_rows, mech_seats_save,
	  SCHOOL ",school.declared_seats" },
	{ "teachers", "rural service, title eligibility, exchange rotation, research activities "
	  "(教师交流轮岗与职称)", mech_teachers_run, SPLIT(teachers), "area,school,teacher,posting,"
	  "title_application,activity,activity_school,activity_teacher", &mech_teachers_rows, NULL,
	  "school.code,school.area_code,school.urban_rural,school.is_weak,teacher.code,"
	  "teacher.education,teacher.title,teacher.title_date,teacher.backbone_level" },
	{ "groups", "education groups: coverage, members, outcomes (集团化办学)", mech_groups_run,
	  SPLIT(groups), "area,school,edu_group,group_member,exam_result,grade_return,posting",
	  &mech_groups_rows, NULL, SCHOOL ",school.urban_rural,school.ownership" },
	{ "vocational", "vocational specialty review, matching and cooperation (专业动态调整)",
	  mech_vocational_run, WHOLE, "area,school,school_specialty,specialty_year,"
	  "specialty_industry,industry,voc_catalog,cooperation,internship,training_base,"
	  "employee_training", NULL, NULL, SCHOOL },
	{ "assessment", "school assessment schemes, scores and rankings (学校考核)",
	  mech_assessment_run, SPLIT(assessment), "area,school,assessment_scheme,assessment_item,"
	  "assessment_score", &mech_assessment_rows, NULL, SCHOOL },
	{ "curriculum", "铸牢中华民族共同体意识 hours and 道德与法治 share (课程课时)",
	  mech_curriculum_run, SPLIT(curriculum), "area,school,curriculum_hours",
	  &mech_curriculum_rows, NULL, SCHOOL },
	{ "safety", "the hazard ledger and D-grade buildings (安全隐患台账)", mech_safety_run,
	  SPLIT(safety), "area,school,hazard,building", &mech_safety_rows, NULL, SCHOOL },
	{ "tasks", "plan targets: lagging and overdue tasks (重点任务)", mech_tasks_run, WHOLE,
	  "area,school,task,task_progress,project,hazard", NULL, NULL,
	  "school.code,school.area_code" },
	{ NULL, NULL, NULL, WHOLE, NULL, NULL, NULL, NULL },
};
#undef SPLIT
#undef WHOLE
#undef SCHOOL
#undef BAL_TEACHER

void row_ranges_add(struct row_ranges *r, size_t lo, size_t hi)
{
	if (r->n < 0)
		return;
	if (r->n && lo <= r->hi[r->n - 1] && r->lo[r->n - 1] <= hi) {
		r->lo[r->n - 1] = lo < r->lo[r->n - 1] ? lo : r->lo[r->n - 1];
		r->hi[r->n - 1] = hi > r->hi[r->n - 1] ? hi : r->hi[r->n - 1];
		return;
	}
	if (r->n == (int)ARRAY_SIZE(r->lo)) {
		r->n = -1;
		return;
	}
	r->lo[r->n] = lo;
	r->hi[r->n++] = hi;
}

static int same_row(const struct result_row *a, const struct result_row *b)
{
	return !result_key_cmp(a, b) && a->verdict == b->verdict &&
	       !memcmp(&a->value, &b->value, sizeof(a->value)) &&
	       !memcmp(&a->numerator, &b->numerator, sizeof(a->numerator)) &&
	       !memcmp(&a->denominator, &b->denominator, sizeof(a->denominator)) &&
	       !memcmp(&a->threshold, &b->threshold, sizeof(a->threshold)) &&
	       !strcmp(a->evidence, b->evidence);
}

void row_ranges_diff(struct row_ranges *r, const struct result_set *was,
		     const struct result_set *now, size_t span)
{
	if (was->nr != now->nr) {
		r->n = -1;
		return;
	}
	for (size_t i = 0; i < now->nr && r->n >= 0; i++)
		if (!same_row(&was->v[i], &now->v[i])) {
			size_t lo = i - i % span;
			row_ranges_add(r, lo, lo + span);
			i = lo + span - 1;
		}
}

int row_ranges_meet(const struct row_ranges *r, size_t lo, size_t hi)
{
	for (int i = 0; i < r->n; i++)
		if (r->lo[i] < hi && lo < r->hi[i])
			return 1;
	return r->n < 0;
}

char *written_teacher(const char *table, const char *key)
{
	size_t n = key ? strlen(key) : 0;

	if (!strcmp(table, "teacher"))
		return n ? xstrdup(key) : NULL;
	if (!strcmp(table, "posting") && n > 11 && key[n - 11] == '/')
		return xstrndup(key, n - 11);
	if (!strcmp(table, "title_application")) {
		const char *t = n ? memrchr(key, '/', n) : NULL;
		const char *y = t ? memrchr(key, '/', (size_t)(t - key)) : NULL;
		return y ? xstrndup(key, (size_t)(y - key)) : NULL;
	}
	return NULL;
}

char *written_grade_return(const char *key, int *year, int *grade)
{
	const char *g = strrchr(key, '/'), *y = NULL;

	for (const char *q = key; g && q < g; q++)
		if (*q == '/')
			y = q; /* the last '/' before the grade's */
	if (!y)
		return NULL;
	*year = atoi(y + 1);
	*grade = atoi(g + 1);
	return xstrndup(key, (size_t)(y - key));
}

const struct mechanism *mechanism_find(const char *name)
{
	for (const struct mechanism *m = mechanisms; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

int mechanism_reads(const struct mechanism *m, const char *table)
{
	return !m->tables || !strcmp(m->tables, "*") || rules_list_has(m->tables, table);
}

int mechanism_reads_column(const struct mechanism *m, const char *table, const char *col)
{
	size_t n = strlen(table);
	char tc[160];

	for (const char *p = m->columns; p && (p = strstr(p, table)); p++)
		if ((p == m->columns || p[-1] == ',') && p[n] == '.') {
			snprintf(tc, sizeof(tc), "%s.%s", table, col);
			return rules_list_has(m->columns, tc);
		}
	return 1;
}

int mechanism_check_reads(const struct mechanism *m, const char *read, struct err *e)
{
	for (const char *p = read; p && *p == ',';) {
		size_t n = strcspn(p + 1, ",");
		char name[160], *dot;
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		p += n + 1;
		if ((dot = strchr(name, '.')))
			*dot = '\0';
		if (!strcmp(name, "fact_part"))
			continue; /* a part of its own facts kept by an earlier run (memo.h) */
		if (dot && !mechanism_reads_column(m, name, dot + 1))
			return err_set(e, ERR_DATA, "mechanism %s read column %s.%s, which its entry "
				       "in mechanisms[] (src/eval.c) does not list: the server would "
				       "keep its facts after an update of it", m->name, name, dot + 1);
		if (!dot && !mechanism_reads(m, name))
			return err_set(e, ERR_DATA, "mechanism %s read table %s, which its entry in "
				       "mechanisms[] (src/eval.c) does not list: the server would keep "
				       "its facts after a write to it", m->name, name);
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
	if (rc == 0 && m->save)
		rc = m->save(facts, ec->store, e);
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

void results_reserve(struct result_set *rs, size_t n)
{
	if (n > rs->alloc) {
		rs->v = xrealloc(rs->v, n * sizeof(*rs->v));
		rs->alloc = n;
	}
}

void results_release(struct result_set *rs)
{
	free(rs->v);
	rs->v = NULL;
	rs->nr = rs->alloc = 0;
	arena_release(&rs->arena);
}

/* s copied into rs's arena, or the row before's copy (last) when equal: the rows an engine
 * emits in a run share their indicator, unit, stage and often evidence, and each copy
 * costs a write of fresh memory. */
static const char *keep(struct result_set *rs, const char *s, const char *last)
{
	return last && !strcmp(s, last) ? last : arena_strdup(&rs->arena, s);
}

struct result_row *results_add(struct result_set *rs, const struct result_row *row)
{
	const struct result_row *p;
	struct result_row *r;

	ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
	p = rs->nr ? &rs->v[rs->nr - 1] : NULL;
	r = &rs->v[rs->nr++];
	*r = *row;
	r->indicator = keep(rs, row->indicator ? row->indicator : "", p ? p->indicator : NULL);
	r->unit_kind = keep(rs, row->unit_kind ? row->unit_kind : "", p ? p->unit_kind : NULL);
	r->unit_id = keep(rs, row->unit_id ? row->unit_id : "", p ? p->unit_id : NULL);
	r->stage = keep(rs, row->stage ? row->stage : "", p ? p->stage : NULL);
	r->evidence = keep(rs, row->evidence && *row->evidence ? row->evidence : "{}",
			   p ? p->evidence : NULL);
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

int result_in_summary(const struct result_row *r)
{
	return r->verdict == V_FAIL && (!strcmp(r->unit_kind, "county") ||
					!strcmp(r->unit_kind, "city") ||
					!strcmp(r->unit_kind, "specialty"));
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

int result_key_cmp(const struct result_row *a, const struct result_row *b)
{
	int c;
	if ((c = strcmp(a->indicator, b->indicator)) || (c = strcmp(a->unit_kind, b->unit_kind)) ||
	    (c = strcmp(a->unit_id, b->unit_id)) || (c = strcmp(a->stage, b->stage)))
		return c;
	return (a->year > b->year) - (a->year < b->year);
}

static int same_num(double x, double y)
{
	return (isnan(x) && isnan(y)) || x == y;
}

int result_same_values(const struct result_row *a, const struct result_row *b)
{
	return a->verdict == b->verdict && same_num(a->value, b->value) &&
	       same_num(a->numerator, b->numerator) && same_num(a->denominator, b->denominator) &&
	       same_num(a->threshold, b->threshold);
}

void result_key_json(struct buf *b, const struct result_row *r)
{
	buf_adds(b, "\"indicator\":");
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
}

void result_values_json(struct buf *b, const struct result_row *r)
{
	buf_adds(b, "\"value\":");
	buf_add_num(b, r->value);
	buf_adds(b, ",\"numerator\":");
	buf_add_num(b, r->numerator);
	buf_adds(b, ",\"denominator\":");
	buf_add_num(b, r->denominator);
	buf_adds(b, ",\"threshold\":");
	buf_add_num(b, r->threshold);
	buf_adds(b, ",\"verdict\":");
	buf_add_json_str(b, verdict_name(r->verdict));
}

void result_row_json(struct buf *b, const struct result_row *r)
{
	buf_addch(b, '{');
	result_key_json(b, r);
	buf_addch(b, ',');
	result_values_json(b, r);
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

/* The bytes fed are collected in buf and hashed FP_BUF at a time: BLAKE2b of the same byte
 * stream whatever the chunks, so the digest is the one per-call hashing gave, without the
 * cost of a library call per row or column. */
#define FP_BUF 16384

/* Row labels get a one-byte reference after their first use (FP_LABELS of them at most, each
 * shorter than FP_LABEL_LEN bytes). */
#define FP_LABELS 64
#define FP_LABEL_LEN 32

struct eval_fp {
	crypto_generichash_state st;
	unsigned char *b;        /* where bytes go: buf, or ub inside a unit */
	size_t n, cap;           /* bytes in b, and its size */
	unsigned char buf[FP_BUF];
	char label[FP_LABELS][FP_LABEL_LEN];
	const char *labelp[FP_LABELS];   /* the pointer each was first given as */
	int nlabel;
	/* units (eval.h): the one being hashed, the stream's length before it, their sum */
	unsigned char *ub;
	size_t ucap, sn;
	int in_unit, units;
	struct eval_fp_unit sum;
	size_t rows;             /* row labels written: the rows read */
};

struct eval_fp *eval_fp_new(void)
{
	struct eval_fp *fp = xcalloc(1, sizeof(*fp));
	crypto_generichash_init(&fp->st, NULL, 0, 32);
	fp->b = fp->buf;
	fp->cap = FP_BUF;
	return fp;
}

static void fp_flush(struct eval_fp *fp)
{
	if (fp->n)
		crypto_generichash_update(&fp->st, fp->buf, fp->n);
	fp->n = 0;
}

/* Room for len more bytes at fp->b + fp->n: the stream's buffer is hashed when full (len <=
 * FP_BUF / 2); a unit's grows. */
static unsigned char *fp_room(struct eval_fp *fp, size_t len)
{
	if (fp->n + len > fp->cap) {
		if (fp->in_unit) {
			fp->ucap = fp->n + len > 2 * fp->ucap ? fp->n + len + 256 : 2 * fp->ucap;
			fp->b = fp->ub = xrealloc(fp->ub, fp->ucap);
			fp->cap = fp->ucap;
		} else {
			fp_flush(fp);
		}
	}
	return fp->b + fp->n;
}

void eval_fp_add(struct eval_fp *fp, const void *data, size_t len)
{
	if (!fp || !len)
		return;
	if (!fp->in_unit && len > FP_BUF / 2) {
		fp_flush(fp);
		crypto_generichash_update(&fp->st, data, len);
		return;
	}
	memcpy(fp_room(fp, len), data, len);
	fp->n += len;
}

void eval_fp_unit_begin(struct eval_fp *fp)
{
	if (!fp)
		return;
	fp->sn = fp->n;
	fp->in_unit = fp->units = 1;
	fp->b = fp->ub;
	fp->cap = fp->ucap;
	fp->n = 0;
}

void eval_fp_unit_add(struct eval_fp_unit *acc, const struct eval_fp_unit *h, int sign)
{
	/* -h mod 2^128 is ~h + 1 */
	uint64_t lo = sign > 0 ? h->lo : ~h->lo + 1, hi = sign > 0 ? h->hi : ~h->hi + (h->lo == 0);

	acc->lo += lo;
	acc->hi += hi + (acc->lo < lo);
}

void eval_fp_unit_end(struct eval_fp *fp, struct eval_fp_unit *h)
{
	/* SipHash's key: fixed, as the fingerprint must be the same in every process */
	static const unsigned char key[crypto_shorthash_siphashx24_KEYBYTES] = "eduhq fp units";
	unsigned char out[crypto_shorthash_siphashx24_BYTES];
	struct eval_fp_unit u = { 0, 0 };

	if (fp) {
		crypto_shorthash_siphashx24(out, fp->n ? fp->ub : out, fp->n, key);
		for (int i = 0; i < 8; i++) {
			u.lo |= (uint64_t)out[i] << (8 * i);
			u.hi |= (uint64_t)out[8 + i] << (8 * i);
		}
		eval_fp_unit_add(&fp->sum, &u, 1);
		fp->in_unit = 0;
		fp->b = fp->buf;
		fp->cap = FP_BUF;
		fp->n = fp->sn;
	}
	if (h)
		*h = u;
}

void eval_fp_row_unit(struct eval_fp *fp, const char *label, struct store_stmt *st,
		      struct eval_fp_unit *h)
{
	eval_fp_unit_begin(fp);
	eval_fp_add_row(fp, label, st);
	eval_fp_unit_end(fp, h);
}

/* A value as eval_fp_add_row encodes a column: tag 'f' and its 8 IEEE bytes little-endian,
 * or tag 'i' and the integer zigzag-encoded as a base-128 varint (1 to 10 bytes). */
static void fp_tagged(struct eval_fp *fp, int tag, uint64_t u)
{
	unsigned char *p = fp_room(fp, 11);
	size_t k = 1;

	p[0] = (unsigned char)tag;
	if (tag == 'f') {
		for (int b = 0; b < 8; b++)
			p[k++] = (unsigned char)(u >> (8 * b));
	} else {
		u = (u << 1) ^ (uint64_t)((int64_t)u >> 63);
		for (; u >= 0x80; u >>= 7)
			p[k++] = (unsigned char)(u | 0x80);
		p[k++] = (unsigned char)u;
	}
	fp->n += k;
}

void eval_fp_int(struct eval_fp *fp, int64_t v)
{
	if (fp)
		fp_tagged(fp, 'i', (uint64_t)v);
}

void eval_fp_double(struct eval_fp *fp, double d)
{
	uint64_t u;

	if (!fp)
		return;
	/* an integral value is an integer (5.0 and 5 are one number on both backends) */
	if (d == (double)(long long)d && fabs(d) < 9e15) {
		fp_tagged(fp, 'i', (uint64_t)(long long)d);
		return;
	}
	memcpy(&u, &d, sizeof(u));
	fp_tagged(fp, 'f', u);
}

void eval_fp_text(struct eval_fp *fp, const char *t)
{
	static const unsigned char tag = 't', end = 0x1f, null = 'n';
	size_t len;

	if (!fp)
		return;
	if (!t) {
		eval_fp_add(fp, &null, 1);
		return;
	}
	len = strlen(t);
	if (len < 128) {
		/* short text: one byte 0x80 + its length (above every other tag), then its bytes */
		unsigned char *p = fp_room(fp, len + 1);
		p[0] = (unsigned char)(0x80 | len);
		memcpy(p + 1, t, len);
		fp->n += len + 1;
		return;
	}
	eval_fp_add(fp, &tag, 1);
	eval_fp_add(fp, t, len);
	eval_fp_add(fp, &end, 1);
}

void eval_fp_label(struct eval_fp *fp, const char *label)
{
	static const unsigned char def = 0;
	unsigned char ref;
	size_t len;
	int i;

	if (!fp)
		return;
	fp->rows++;
	/* a label numbered before in this fingerprint: the byte 1 + its number (1..FP_LABELS,
	 * below every column tag); else 0, the label and its NUL, which numbers it when it is
	 * short enough and there is room. Labels are constants: the same pointer is the same
	 * label; another pointer is compared by its text. Inside a unit, always whole: its
	 * bytes must not depend on what came before. */
	for (i = 0; !fp->in_unit && i < fp->nlabel && fp->labelp[i] != label; i++)
		;
	for (int k = 0; !fp->in_unit && i == fp->nlabel && k < fp->nlabel; k++)
		if (!strcmp(fp->label[k], label))
			i = k;
	if (!fp->in_unit && i < fp->nlabel) {
		ref = (unsigned char)(1 + i);
		eval_fp_add(fp, &ref, 1);
		return;
	}
	len = strlen(label);
	if (!fp->in_unit && fp->nlabel < FP_LABELS && len < FP_LABEL_LEN) {
		memcpy(fp->label[fp->nlabel], label, len + 1);
		fp->labelp[fp->nlabel++] = label;
	}
	eval_fp_add(fp, &def, 1);
	eval_fp_add(fp, label, len + 1);
}

void eval_fp_add_row(struct eval_fp *fp, const char *label, struct store_stmt *st)
{
	int nc;

	if (!fp)
		return;
	nc = store_column_count(st);
	eval_fp_label(fp, label);
	/* Each column as a tag byte and its value in binary: an integer (or a float with an
	 * integral value) as a zigzag varint, another float as its 8 IEEE bytes, text (see
	 * eval_fp_text), NULL as the tag alone. */
	for (int c = 0; c < nc; c++)
		switch (store_column_type(st, c)) {
		case STORE_INT:
			fp_tagged(fp, 'i', (uint64_t)store_column_int(st, c));
			break;
		case STORE_FLOAT:
			eval_fp_double(fp, store_column_double(st, c));
			break;
		case STORE_NULL:
			eval_fp_text(fp, NULL);
			break;
		default:
			eval_fp_text(fp, store_column_text(st, c));
			break;
		}
}

/* The digest of the stream hashed into st, and of the units' sum after it. */
static char *units_digest(const crypto_generichash_state *st, int units,
			  const struct eval_fp_unit *sum)
{
	static const unsigned char label[] = "\0units";
	crypto_generichash_state s = *st;
	unsigned char h[32], b[16];
	char *hex = xmalloc(2 * sizeof(h) + 1);

	if (units) {
		for (int i = 0; i < 8; i++) {
			b[i] = (unsigned char)(sum->lo >> (8 * i));
			b[8 + i] = (unsigned char)(sum->hi >> (8 * i));
		}
		crypto_generichash_update(&s, label, sizeof(label));
		crypto_generichash_update(&s, b, sizeof(b));
	}
	crypto_generichash_final(&s, h, sizeof(h));
	sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
	return hex;
}

struct eval_fp_units {
	crypto_generichash_state st;
	struct eval_fp_unit sum;
};

char *eval_fp_final_units(struct eval_fp *fp, struct eval_fp_units **keep)
{
	char *hex;

	fp_flush(fp);
	hex = units_digest(&fp->st, fp->units, &fp->sum);
	if (keep) {
		*keep = NULL;
		if (fp->units) {
			*keep = xmalloc(sizeof(**keep));
			(*keep)->st = fp->st;
			(*keep)->sum = fp->sum;
		}
	}
	free(fp->ub);
	free(fp);
	return hex;
}

void eval_fp_tally(const struct eval_fp *part, struct eval_fp_tally *t)
{
	memset(t, 0, sizeof(*t));
	if (part) {
		t->sum = part->sum;
		t->rows = part->rows;
		t->units = part->units;
	}
}

void eval_fp_add_tally(struct eval_fp *fp, const struct eval_fp_tally *t)
{
	if (!fp)
		return;
	eval_fp_unit_add(&fp->sum, &t->sum, 1);
	fp->units |= t->units;
	fp->rows += t->rows;
}

void eval_fp_absorb(struct eval_fp *fp, struct eval_fp *part)
{
	struct eval_fp_tally t;

	if (!part)
		return;
	eval_fp_tally(part, &t);
	eval_fp_add_tally(fp, &t);
	free(part->ub);
	free(part);
}

size_t eval_fp_rows(const struct eval_fp *fp)
{
	return fp ? fp->rows : 0;
}

char *eval_fp_final(struct eval_fp *fp)
{
	return eval_fp_final_units(fp, NULL);
}

void eval_fp_units_swap(struct eval_fp_units *u, const struct eval_fp_unit *old,
			const struct eval_fp_unit *now)
{
	eval_fp_unit_add(&u->sum, old, -1);
	eval_fp_unit_add(&u->sum, now, 1);
}

char *eval_fp_units_digest(const struct eval_fp_units *u)
{
	return units_digest(&u->st, 1, &u->sum);
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
