/* result_store.c: result rows in table result_chunk: saving a result set as chunks, reading
 * a run's chunk list and its chunks decoded, through the server's cache when there is one
 * (result_store.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "result_store.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* Encode rows (n of them, at most RC_MAX_ROWS) and insert them as chunk seq of run_id with
 * st (rs_save's INSERT). */
static int save_chunk(struct store_stmt *st, struct rc_enc *enc, struct buf *blob,
		      int64_t run_id, int64_t seq, const struct result_row *rows, size_t n,
		      size_t first_row, struct err *e)
{
	struct rc_summary sum;
	int rc;

	if ((rc = rc_encode(enc, rows, n, blob, &sum, e)) < 0)
		return rc;
	store_reset(st);
	store_bind_int(st, 1, run_id);
	store_bind_int(st, 2, seq);
	store_bind_int(st, 3, (int64_t)n);
	store_bind_textn(st, 4, sum.kinds.buf, sum.kinds.len);
	store_bind_textn(st, 5, sum.indicators.buf, sum.indicators.len);
	store_bind_text(st, 6, sum.unit_lo);
	store_bind_text(st, 7, sum.unit_hi);
	store_bind_int(st, 8, sum.year_lo);
	store_bind_int(st, 9, sum.year_hi);
	store_bind_blob(st, 10, blob->buf, blob->len);
	if ((rc = store_step(st, e)) < 0)
		err_prefix(e, "results %zu-%zu (chunk %lld)", first_row + 1, first_row + n,
			   (long long)seq);
	rc_summary_release(&sum);
	return rc < 0 ? rc : 0;
}

#define CHUNK_INSERT "INSERT INTO result_chunk (run_id, seq, " RC_CHUNK_COLS ") VALUES " \
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"

int rs_save(struct store *s, int64_t run_id, const struct result_set *rs, struct err *e)
{
	struct store_stmt *st;
	struct rc_enc *enc;
	struct buf blob = BUF_INIT;
	int64_t seq = 0;
	int rc = 0;

	if (!rs->nr)
		return 0;
	st = store_prepare(s, "SELECT coalesce(max(seq) + 1, 0) FROM result_chunk WHERE run_id = ?1", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, run_id);
	if ((rc = store_step(st, e)) == 1)
		seq = store_column_int(st, 0);
	store_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = store_prepare(s, CHUNK_INSERT, e)))
		return e->code;
	enc = rc_enc_new();
	rc = 0;
	for (size_t i = 0; i < rs->nr && rc >= 0; i += RC_MAX_ROWS, seq++)
		rc = save_chunk(st, enc, &blob, run_id, seq, rs->v + i,
				rs->nr - i < RC_MAX_ROWS ? rs->nr - i : RC_MAX_ROWS, i, e);
	rc_enc_free(enc);
	buf_release(&blob);
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

int rs_copy(struct store *s, int64_t from_run, int from_first, int64_t run_id, int first,
	    int n, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO result_chunk (run_id, seq, "
					      RC_CHUNK_COLS ") SELECT ?1, seq - ?3 + ?4, "
					      RC_CHUNK_COLS " FROM result_chunk WHERE run_id = ?2 "
					      "AND seq >= ?3 AND seq < ?3 + ?5 ORDER BY seq", e);
	int r;

	if (!st)
		return e->code;
	store_bind_int(st, 1, run_id);
	store_bind_int(st, 2, from_run);
	store_bind_int(st, 3, from_first);
	store_bind_int(st, 4, first);
	store_bind_int(st, 5, n);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? r : (int)store_changes(s);
}

int rs_save_changed(struct store *s, int64_t run_id, int first, const struct result_set *rs,
		    int64_t from_run, int from_first, const struct row_ranges *changed,
		    struct err *e)
{
	struct store_stmt *st;
	struct rc_enc *enc;
	struct buf blob = BUF_INIT, sql = BUF_INIT;
	int64_t have = 0;
	int n = rc_chunks(rs->nr), rc;

	if (changed->n < 0 || !rs->nr)
		return 1;
	/* the run's chunks are all there (in this transaction: they stay) */
	buf_addf(&sql, "SELECT count(*) FROM result_chunk WHERE run_id = %lld AND seq >= %d AND "
		 "seq < %d", (long long)from_run, from_first, from_first + n);
	rc = store_query_int(s, sql.buf, &have, e);
	buf_release(&sql);
	if (rc < 0 || have != n)
		return rc < 0 ? rc : 1;
	if (!(st = store_prepare(s, CHUNK_INSERT, e)))
		return e->code;
	enc = rc_enc_new();
	rc = 0;
	/* a chunk with a changed row is encoded; a span of the others is copied at once */
	for (int k = 0, next; k < n && rc >= 0; k = next) {
		size_t i = (size_t)k * RC_MAX_ROWS;
		next = k + 1;
		if (row_ranges_meet(changed, i, i + RC_MAX_ROWS)) {
			rc = save_chunk(st, enc, &blob, run_id, first + k, rs->v + i,
					rs->nr - i < RC_MAX_ROWS ? rs->nr - i : RC_MAX_ROWS, i, e);
			continue;
		}
		while (next < n && !row_ranges_meet(changed, (size_t)next * RC_MAX_ROWS,
						    (size_t)(next + 1) * RC_MAX_ROWS))
			next++;
		rc = rs_copy(s, from_run, from_first + k, run_id, first + k, next - k, e);
	}
	rc_enc_free(enc);
	buf_release(&blob);
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

/* ---- the cache ---- */

struct centry {
	struct rc_chunk c;   /* first: rs_chunk_put() gets back here from the chunk */
	int64_t run;
	int seq;
	int refs, dead, cached;
	uint64_t used_at;
};

#define RC_RUNS 16   /* chunk lists kept */

struct result_cache {
	pthread_mutex_t mu;
	size_t budget, used;
	uint64_t tick;
	struct centry **v;
	size_t nr, alloc;
	struct rs_run *runs[RC_RUNS];
	unsigned long hits, misses;
};

struct result_cache *result_cache_new(size_t budget)
{
	struct result_cache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->budget = budget;
	return c;
}

static void run_free(struct rs_run *r)
{
	free(r->v);
	free(r->text);
	free(r);
}

static void centry_free(struct centry *ce)
{
	rc_chunk_release(&ce->c);
	free(ce);
}

void result_cache_free(struct result_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr; i++)
		centry_free(c->v[i]);   /* no user is left when the server stops */
	for (int i = 0; i < RC_RUNS; i++)
		if (c->runs[i])
			run_free(c->runs[i]);
	free(c->v);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void result_cache_stats(struct result_cache *c, size_t *bytes, size_t *chunks,
			unsigned long *hits, unsigned long *misses)
{
	pthread_mutex_lock(&c->mu);
	*bytes = c->used;
	*chunks = c->nr;
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->mu);
}

/* Drop least recently used chunks until used fits the budget (under mu). */
static void evict(struct result_cache *c)
{
	while (c->used > c->budget && c->nr) {
		size_t old = 0;
		struct centry *ce;
		for (size_t i = 1; i < c->nr; i++)
			if (c->v[i]->used_at < c->v[old]->used_at)
				old = i;
		ce = c->v[old];
		c->v[old] = c->v[--c->nr];
		c->used -= ce->c.bytes;
		if (ce->refs)
			ce->dead = 1;
		else
			centry_free(ce);
	}
}

/* ---- reading ---- */

static int read_run(struct store *s, int64_t id, struct rs_run **out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT seq, nrows, unit_kinds, indicators, unit_lo, "
					      "unit_hi, year_lo, year_hi FROM result_chunk WHERE "
					      "run_id = ?1 ORDER BY seq", e);
	struct rs_run *r;
	struct buf text = BUF_INIT;
	size_t alloc = 0;
	int rc;

	if (!st)
		return e->code;
	r = xcalloc(1, sizeof(*r));
	r->id = id;
	store_bind_int(st, 1, id);
	while ((rc = store_step(st, e)) == 1) {
		struct rs_meta *m;
		ALLOC_GROW(r->v, r->nr + 1, alloc);
		m = &r->v[r->nr++];
		m->seq = (int)store_column_int(st, 0);
		m->nrows = (size_t)store_column_int(st, 1);
		m->year_lo = (int)store_column_int(st, 6);
		m->year_hi = (int)store_column_int(st, 7);
		/* offsets into text for now, pointers once it stops moving */
		for (int k = 2; k <= 5; k++) {
			const char *t = store_column_text(st, k);
			const char **f = k == 2 ? &m->kinds : k == 3 ? &m->indicators
				       : k == 4 ? &m->unit_lo : &m->unit_hi;
			*f = (const char *)(uintptr_t)text.len;
			buf_add(&text, t ? t : "", strlen(t ? t : "") + 1);
		}
	}
	store_finalize(st);
	if (rc < 0) {
		buf_release(&text);
		run_free(r);
		return rc;
	}
	r->bytes = text.len + r->nr * sizeof(*r->v);
	r->text = buf_detach(&text, NULL);
	for (size_t i = 0; i < r->nr; i++) {
		struct rs_meta *m = &r->v[i];
		m->kinds = r->text + (uintptr_t)m->kinds;
		m->indicators = r->text + (uintptr_t)m->indicators;
		m->unit_lo = r->text + (uintptr_t)m->unit_lo;
		m->unit_hi = r->text + (uintptr_t)m->unit_hi;
	}
	*out = r;
	return 0;
}

int rs_run_get(struct store *s, int64_t id, struct rs_run **out, struct err *e)
{
	struct result_cache *c = s->rcache;
	struct rs_run *r = NULL;
	int old = 0;

	if (c) {
		pthread_mutex_lock(&c->mu);
		for (int i = 0; i < RC_RUNS; i++)
			if (c->runs[i] && c->runs[i]->id == id) {
				r = c->runs[i];
				r->refs++;
				r->used_at = ++c->tick;
				pthread_mutex_unlock(&c->mu);
				*out = r;
				return 0;
			}
		pthread_mutex_unlock(&c->mu);
	}
	if (read_run(s, id, &r, e) < 0)
		return e->code;
	*out = r;
	if (!c)
		return 0;
	r->refs = 1;
	pthread_mutex_lock(&c->mu);
	for (int i = 0; i < RC_RUNS; i++) {
		if (!c->runs[i] || (c->runs[i]->id == id)) {
			old = i;
			break;
		}
		if (c->runs[i]->used_at < c->runs[old]->used_at)
			old = i;
	}
	if (c->runs[old]) {
		if (c->runs[old]->refs)
			c->runs[old]->dead = 1;
		else
			run_free(c->runs[old]);
	}
	c->runs[old] = r;
	r->used_at = ++c->tick;
	pthread_mutex_unlock(&c->mu);
	return 0;
}

void rs_run_put(struct store *s, struct rs_run *r)
{
	struct result_cache *c = s->rcache;
	if (!r)
		return;
	if (!c) {
		run_free(r);
		return;
	}
	pthread_mutex_lock(&c->mu);
	if (--r->refs == 0 && r->dead)
		run_free(r);
	pthread_mutex_unlock(&c->mu);
}

static struct centry *fetch_decode(struct store *s, struct store_stmt **fetch, int64_t id,
				   const struct rs_meta *m, int evidence, struct err *e)
{
	struct centry *ce;
	const void *blob;
	size_t len;
	int rc;

	if (!*fetch && !(*fetch = store_prepare(s, "SELECT data FROM result_chunk WHERE run_id = ?1 "
						"AND seq = ?2", e)))
		return NULL;
	store_reset(*fetch);
	store_bind_int(*fetch, 1, id);
	store_bind_int(*fetch, 2, m->seq);
	if ((rc = store_step(*fetch, e)) < 0)
		return NULL;
	if (rc == 0) {
		err_set(e, ERR_DB, "run %lld: result chunk %d is missing", (long long)id, m->seq);
		return NULL;
	}
	blob = store_column_blob(*fetch, 0, &len);
	ce = xcalloc(1, sizeof(*ce));
	if (rc_decode(blob, len, evidence, &ce->c, e) < 0 || ce->c.nrows != m->nrows) {
		if (!e->code)
			err_set(e, ERR_DATA, "%zu rows, not %zu", ce->c.nrows, m->nrows);
		err_prefix(e, "run %lld: result chunk %d is damaged", (long long)id, m->seq);
		e->code = ERR_DB;   /* the database's fault, not the caller's */
		centry_free(ce);
		store_reset(*fetch);
		return NULL;
	}
	store_reset(*fetch);
	ce->run = id;
	ce->seq = m->seq;
	return ce;
}

const struct rc_chunk *rs_chunk_get(struct store *s, struct store_stmt **fetch, int64_t id,
				    const struct rs_meta *m, int evidence, struct err *e)
{
	struct result_cache *c = s->rcache;
	struct centry *ce;

	if (c) {
		pthread_mutex_lock(&c->mu);
		for (size_t i = 0; i < c->nr; i++)
			if (c->v[i]->run == id && c->v[i]->seq == m->seq) {
				ce = c->v[i];
				ce->refs++;
				ce->used_at = ++c->tick;
				c->hits++;
				pthread_mutex_unlock(&c->mu);
				return &ce->c;
			}
		c->misses++;
		pthread_mutex_unlock(&c->mu);
	}
	if (!(ce = fetch_decode(s, fetch, id, m, evidence, e)))
		return NULL;
	ce->refs = 1;
	if (!c || !evidence)   /* a chunk without evidence is not kept: it answers only counts */
		return &ce->c;
	pthread_mutex_lock(&c->mu);
	/* another thread may have decoded it meanwhile: keep one, both answer the same */
	for (size_t i = 0; i < c->nr; i++)
		if (c->v[i]->run == id && c->v[i]->seq == m->seq) {
			pthread_mutex_unlock(&c->mu);
			return &ce->c;   /* not cached: freed by its put */
		}
	ce->cached = 1;
	ce->used_at = ++c->tick;
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr++] = ce;
	c->used += ce->c.bytes;
	evict(c);
	pthread_mutex_unlock(&c->mu);
	return &ce->c;
}

void rs_chunk_put(struct store *s, const struct rc_chunk *chunk)
{
	struct result_cache *c = s->rcache;
	struct centry *ce = (struct centry *)chunk;
	if (!ce)
		return;
	if (!ce->cached) {
		centry_free(ce);
		return;
	}
	pthread_mutex_lock(&c->mu);
	if (--ce->refs == 0 && ce->dead)
		centry_free(ce);
	pthread_mutex_unlock(&c->mu);
}
