/* memo.c: results reused from an earlier run when nothing a mechanism depends on has
 * changed (see memo.h): the tables' version triggers, a mechanism's inputs, and finding and
 * reading back an earlier run's results. */
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eval.h"
#include "memo.h"
#include "result_chunk.h"
#include "result_store.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* The columns of table that m declares (struct mechanism .columns), as "a,b" (new), or NULL
 * when it declares none: then every column matters to it. */
static char *columns_of(const struct mechanism *m, const char *table)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(table);

	if (!mechanism_reads(m, table))
		return NULL;
	for (const char *p = m->columns ? m->columns : ""; *p;) {
		size_t k = strcspn(p, ",");
		if (k > n + 1 && !strncmp(p, table, n) && p[n] == '.')
			buf_addf(&b, "%s%.*s", b.len ? "," : "", (int)(k - n - 1), p + n + 1);
		p += k + (p[k] == ',');
	}
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The version rows of table t: t counts every write; when a mechanism declares some of its
 * columns, t+ counts inserts and deletes, and t@m each update that changes one of m's
 * columns. Into want their names (",t,t+,t@m:a;b,", the columns too: other columns make
 * other triggers), into *ntrig the triggers they take; with make (in a transaction), made
 * on s. */
static int track_table(struct store *s, const char *t, int make, struct buf *want, long *ntrig,
		       struct err *e)
{
	const struct store_vtable *vt = s->vt;
	int rows = 0, rc = 0;
	char *sql, *cols;

	for (const struct mechanism *m = mechanisms; m->name && !rows; m++)
		if ((cols = columns_of(m, t))) {
			rows = 1;
			free(cols);
		}
	buf_addf(want, "%s,", t);
	*ntrig += vt->version_triggers + (rows ? vt->rows_triggers : 0);
	if (rows)
		buf_addf(want, "%s+,", t);
	if (make) {
		rc = store_exec(s, sql = vt->version_ddl(t, rows), e);
		free(sql);
	}
	for (const struct mechanism *m = mechanisms; m->name && rc >= 0; m++) {
		if (!(cols = columns_of(m, t)))
			continue;
		buf_addf(want, "%s@%s:", t, m->name);
		for (const char *c = cols; *c; c++)
			buf_addch(want, *c == ',' ? ';' : *c);
		buf_addch(want, ',');
		*ntrig += 1;
		if (make) {
			rc = store_exec(s, sql = vt->column_version_ddl(t, m->name, cols), e);
			free(sql);
		}
		free(cols);
	}
	return rc;
}

/* Every table the mechanisms declare, each once (track_table). */
static int track(struct store *s, int make, struct buf *want, long *ntrig, struct err *e)
{
	struct buf seen = BUF_INIT;
	int rc = 0;

	buf_addch(want, ',');
	buf_addch(&seen, ',');
	*ntrig = 0;
	for (const struct mechanism *m = mechanisms; m->name && rc >= 0; m++)
		for (const char *p = m->tables ? m->tables : ""; *p && rc >= 0;) {
			size_t n = strcspn(p, ",");
			char *t = xstrndup(p, n);
			if (!rules_list_has(seen.buf, t)) {
				buf_addf(&seen, "%s,", t);
				rc = track_table(s, t, make, want, ntrig, e);
			}
			free(t);
			p += n + (p[n] == ',');
		}
	buf_release(&seen);
	return rc;
}

/* 1 when every version trigger is there (track) and meta.tracked_tables says so, 0 when
 * not (or the backend has none), with the schema stamp in *stamp (new). */
static int tracking(struct store *s, char **stamp, struct err *e)
{
	struct buf want = BUF_INIT;
	char *have = NULL;
	long n = -1, ntrig = 0;
	struct store_stmt *st;
	int r;

	*stamp = NULL;
	if (!s->vt->version_ddl)
		return 0;
	if (!(st = store_prepare(s, s->vt->schema_stamp_sql, e)))
		return e->code;
	if ((r = store_step(st, e)) == 1) {
		*stamp = xstrdup(store_column_text(st, 0));
		n = strtol(*stamp, NULL, 10);
	}
	store_finalize(st);
	if (r < 0)
		return r;
	track(s, 0, &want, &ntrig, e);
	have = store_meta_get(s, "tracked_tables");
	r = have && !strcmp(have, want.buf) && n == ntrig;
	free(have);
	buf_release(&want);
	return r;
}

int memo_track(struct store *s, struct err *e)
{
	struct err ignored = ERR_INIT;
	struct buf want = BUF_INIT;
	char *stamp;
	long ntrig;
	int rc;

	if (!e)
		e = &ignored;
	rc = tracking(s, &stamp, e);
	free(stamp);
	if (rc != 0 || !s->vt->version_ddl)
		return rc < 0 ? rc : 0;
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	rc = track(s, 1, &want, &ntrig, e);
	if (rc >= 0)
		rc = store_meta_set(s, "tracked_tables", want.buf, e);
	rc = store_finish(s, rc, e);
	buf_release(&want);
	return rc < 0 ? rc : 0;
}

/* ---- a run's inputs ---- */

struct memo {
	struct buf common;  /* build id, year, judging date, rules, schema */
	struct buf tables;  /* build id, year, schema: what a part of facts shares */
	int year;
	struct {
		char *name;
		int64_t version;
	} *v;               /* the tracked tables and their versions */
	size_t n, alloc;
};

/* The GNU build id note of the executable, in hex, into *out. */
static int build_id_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct buf *out = arg;
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;
		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
			const unsigned char *desc = (const unsigned char *)p + sizeof(*nh) +
						    ((nh->n_namesz + 3) & ~3u);
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(p + sizeof(*nh), "GNU", 4)) {
				for (unsigned k = 0; k < nh->n_descsz; k++)
					buf_addf(out, "%02x", desc[k]);
				return 1;
			}
			p = (const char *)desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1; /* the first object is the executable: look no further */
}

int memo_open(struct store *s, const struct rule_set *rules, int year, const char *judge_date,
	      struct memo **out, struct err *e)
{
	char *stamp = NULL, today[11], *rules_key, *rules_fp;
	struct buf id = BUF_INIT;
	struct memo *mm;
	struct eval_fp *fp;
	int r = 0;

	*out = NULL;
	dl_iterate_phdr(build_id_of, &id);
	if (!id.len || (r = tracking(s, &stamp, e)) <= 0)
		goto out;
	mm = xcalloc(1, sizeof(*mm));
	if (!judge_date) {
		rules_today(today);
		judge_date = today;
	}
	fp = eval_fp_new();
	rules_key = rules_versions_key(rules);
	eval_fp_add(fp, rules_key, strlen(rules_key));
	free(rules_key);
	rules_fp = eval_fp_final(fp);
	buf_addf(&mm->common, "build %s year %d judged %s rules %.16s schema %s", id.buf, year,
		 judge_date, rules_fp, stamp);
	buf_addf(&mm->tables, "build %s year %d schema %s", id.buf, year, stamp);
	mm->year = year;
	free(rules_fp);
	if ((r = memo_reread(mm, s, e)) < 0) {
		memo_free(mm);
		goto out;
	}
	*out = mm;
out:
	buf_release(&id);
	free(stamp);
	return r < 0 ? r : 0;
}

int memo_reread(struct memo *mm, struct store *s, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT name, version FROM table_version", e);
	int r = 0;

	for (size_t i = 0; i < mm->n; i++)
		free(mm->v[i].name);
	mm->n = 0;
	while (st && (r = store_step(st, e)) == 1) {
		ALLOC_GROW(mm->v, mm->n + 1, mm->alloc);
		mm->v[mm->n].name = xstrdup(store_column_text(st, 0));
		mm->v[mm->n++].version = store_column_int(st, 1);
	}
	store_finalize(st);
	return !st ? e->code : r < 0 ? r : 0;
}

void memo_free(struct memo *mm)
{
	if (!mm)
		return;
	for (size_t i = 0; i < mm->n; i++)
		free(mm->v[i].name);
	free(mm->v);
	buf_release(&mm->common);
	buf_release(&mm->tables);
	free(mm);
}

/* common, what (" mechanism balance"), then each version row of names ("a,b+,b@m", see
 * track_table) with its version (new); NULL when one is not tracked. */
static char *inputs_of(const struct memo *mm, const struct buf *common, const char *what,
		       const char *names)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s%s tables", common->buf, what);
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, ","), i;
		for (i = 0; i < mm->n; i++)
			if (strlen(mm->v[i].name) == n && !strncmp(mm->v[i].name, p, n))
				break;
		if (i == mm->n) { /* not tracked */
			buf_release(&b);
			return NULL;
		}
		buf_addf(&b, " %s=%lld", mm->v[i].name, (long long)mm->v[i].version);
		p += n + (p[n] == ',');
	}
	return buf_detach(&b, NULL);
}

/* common, then what, and the version rows m depends on of tables ("a,b"): each table's, or
 * of one whose columns m declares, its inserts and deletes and its updates of those
 * columns (track_table); as inputs_of. */
static char *versions_of(const struct memo *mm, const struct buf *common, const char *what,
			 const struct mechanism *m, const char *tables)
{
	struct buf names = BUF_INIT;
	char *r;

	for (const char *p = tables; *p;) {
		size_t n = strcspn(p, ",");
		char *t = xstrndup(p, n), *cols = columns_of(m, t);
		if (cols)
			buf_addf(&names, "%s%s+,%s@%s", names.len ? "," : "", t, t, m->name);
		else
			buf_addf(&names, "%s%s", names.len ? "," : "", t);
		free(cols);
		free(t);
		p += n + (p[n] == ',');
	}
	r = inputs_of(mm, common, what, names.buf);
	buf_release(&names);
	return r;
}

char *memo_inputs(const struct memo *mm, const struct mechanism *m)
{
	char what[64];

	if (!mm || !m->tables || !strcmp(m->tables, "*"))
		return NULL;
	snprintf(what, sizeof(what), " mechanism %s", m->name);
	return versions_of(mm, &mm->common, what, m, m->tables);
}

int memo_same_tables(const char *a, const char *b)
{
	const char *x = strstr(a, " mechanism "), *y = strstr(b, " mechanism ");
	return x && y && !strcmp(x, y);
}

/* ---- earlier runs ---- */

int memo_find(struct store *s, const char *mechanism, const char *inputs, struct memo_hit *hit,
	      struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT run_id, first_chunk, chunks, digest, rules "
					      "FROM eval_memo WHERE mechanism = ?1 AND inputs = ?2 "
					      "ORDER BY run_id DESC LIMIT 1", e);
	int r;

	memset(hit, 0, sizeof(*hit));
	if (!st)
		return e->code;
	store_bind_text(st, 1, mechanism);
	store_bind_text(st, 2, inputs);
	if ((r = store_step(st, e)) == 1) {
		hit->run = store_column_int(st, 0);
		hit->first_chunk = (int)store_column_int(st, 1);
		hit->chunks = (int)store_column_int(st, 2);
		hit->digest = xstrdup(store_column_text(st, 3));
		hit->rules = xstrdup(store_column_text(st, 4));
	}
	store_finalize(st);
	return r;
}

void memo_hit_release(struct memo_hit *hit)
{
	free(hit->digest);
	free(hit->rules);
	memset(hit, 0, sizeof(*hit));
}

/* ERR_DB: hit names chunks its run does not have (a damaged memo). */
static int chunks_missing(const struct memo_hit *hit, struct err *e)
{
	return err_set(e, ERR_DB, "run %lld: its memo names result chunks it does not have",
		       (long long)hit->run);
}

/* c's rows counted into verdicts, those result_in_summary() keeps appended to rs. */
static void append_summary(const struct rc_chunk *c, size_t verdicts[4], struct result_set *rs)
{
	for (size_t i = 0; i < c->nrows; i++) {
		struct result_row r;
		rc_row(c, i, &r);
		verdicts[r.verdict]++;
		if (result_in_summary(&r))
			results_add(rs, &r);
	}
}

int memo_load(struct store *s, const struct memo_hit *hit, int evidence, size_t verdicts[4],
	      struct result_set *rs, struct err *e)
{
	struct store_stmt *fetch = NULL;
	struct rs_run *run;
	size_t n = 0;
	int r;

	if ((r = rs_run_get(s, hit->run, &run, e)) < 0)
		return r;
	if (hit->first_chunk < 0 || (size_t)hit->first_chunk + (size_t)hit->chunks > run->nr)
		r = chunks_missing(hit, e);
	for (int k = 0; r >= 0 && !verdicts && k < hit->chunks; k++) /* room for all at once */
		n += run->v[hit->first_chunk + k].nrows;
	results_reserve(rs, rs->nr + n);
	for (int k = 0; r >= 0 && k < hit->chunks; k++) {
		const struct rc_chunk *c = rs_chunk_get(s, &fetch, hit->run,
							&run->v[hit->first_chunk + k], evidence,
							e);
		if (!c) {
			r = e->code;
			break;
		}
		if (verdicts)
			append_summary(c, verdicts, rs);
		else
			rc_append(c, rs);
		rs_chunk_put(s, c);
	}
	store_finalize(fetch);
	rs_run_put(s, run);
	return r < 0 ? r : 0;
}

int memo_copy(struct store *s, const struct memo_hit *hit, int64_t run, int first_chunk,
	      struct err *e)
{
	int r = rs_copy(s, hit->run, hit->first_chunk, run, first_chunk, hit->chunks, e);

	if (r >= 0 && r != hit->chunks)
		r = chunks_missing(hit, e);
	return r < 0 ? r : 0;
}

int memo_save(struct store *s, int64_t run, const char *mechanism, const char *inputs,
	      const char *digest, const char *rules, int first_chunk, int chunks,
	      struct err *e)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO eval_memo (run_id, mechanism, inputs, "
					      "digest, rules, first_chunk, chunks) VALUES (?1, ?2, "
					      "?3, ?4, ?5, ?6, ?7)", e);
	int r;
	if (!st)
		return e->code;
	store_bind_int(st, 1, run);
	store_bind_text(st, 2, mechanism);
	store_bind_text(st, 3, inputs);
	store_bind_text(st, 4, digest);
	store_bind_text(st, 5, rules);
	store_bind_int(st, 6, first_chunk);
	store_bind_int(st, 7, chunks);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? r : 0;
}

/* ---- parts of facts ---- */

struct memo_part *memo_part_new(const struct memo *mm, const char *name,
				 const struct mechanism *m, const char *tables)
{
	struct memo_part *part;
	char what[64], *inputs;

	snprintf(what, sizeof(what), " part %s", name);
	if (!mm || !(inputs = versions_of(mm, &mm->tables, what, m, tables)))
		return NULL;
	part = xcalloc(1, sizeof(*part));
	part->name = name;
	snprintf(part->key, sizeof(part->key), "%s %d", name, mm->year);
	part->inputs = inputs;
	buf_init(&part->data, 0);
	return part;
}

int memo_part_find(struct store *s, struct memo_part *part, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT data FROM fact_part WHERE name = ?1 AND "
					      "inputs = ?2", e);
	int r;

	buf_reset(&part->data);
	if (!st)
		return e->code;
	store_bind_text(st, 1, part->key);
	store_bind_text(st, 2, part->inputs);
	if ((r = store_step(st, e)) == 1) {
		size_t n = 0;
		const void *d = store_column_blob(st, 0, &n);
		buf_add(&part->data, d, n);
	}
	store_finalize(st);
	return r;
}

int memo_part_save(struct store *s, const struct memo_part *part, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO fact_part (name, inputs, data) "
					      "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
					      "inputs = excluded.inputs, data = excluded.data", e);
	int r;

	if (!st)
		return e->code;
	store_bind_text(st, 1, part->key);
	store_bind_text(st, 2, part->inputs);
	store_bind_blob(st, 3, part->data.buf, part->data.len);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? r : 0;
}

void memo_part_free(struct memo_part *part)
{
	if (!part)
		return;
	free(part->inputs);
	buf_release(&part->data);
	free(part);
}
