/* import_write.c: the write side of an import: a thread that takes validated rows in
 * batches from the reading thread and runs SQLite's INSERT/UPDATE statements, so that
 * parsing and validating overlap with B-tree work (see import.c). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* Reading and validating (this thread) and SQLite's B-tree work (the writer thread) run in
 * parallel: valid rows go in batches through a small queue; only the writer touches the
 * database between setup and commit. The writer stops at its first failure and reports it
 * with its line; the transaction is then rolled back.
 *
 * What makes a bulk load fast (bench/import.sh, 1M teachers): values are bound without a
 * copy (they live in the batch); new rows go IMPORT_MULTI per INSERT statement; and when
 * the file's keys are not in order, rows reach the writer in runs sorted by key (a B-tree
 * takes sorted keys far faster: 1M shuffled teachers in ~4.5 s instead of ~7 s). */

#define WBATCH_ROWS 2048
#define RUN_ROWS 65536 /* rows per sorted run */
/* Room for a whole sorted run and more: the reader fills the next run meanwhile. */
#define WQ_SLOTS (RUN_ROWS / WBATCH_ROWS + 8)
_Static_assert(IMPORT_PROBE_ROWS < RUN_ROWS && IMPORT_PROBE_ROWS < WQ_SLOTS * WBATCH_ROWS,
	       "the rows probed wait in the queue, unsent, until the writer starts");

struct wbatch {
	/* per row: long line, char existed, per parameter: 0 | 1 + uint32_t len + text + NUL */
	struct buf data;
	int nrows;
};

struct wq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wbatch *full[WQ_SLOTS], *spare[WQ_SLOTS + 2];
	int head, nfull, nspare, closed;
	int failed;          /* the writer hit a database error */
	long fail_line;
	char fail_msg[sizeof(((struct err *)0)->msg)];
	struct wbatch batches[WQ_SLOTS + 2];
};

static void wq_push(struct wq *q, struct wbatch *b)
{
	pthread_mutex_lock(&q->mu);
	while (q->nfull == WQ_SLOTS)
		pthread_cond_wait(&q->cv, &q->mu);
	q->full[(q->head + q->nfull++) % WQ_SLOTS] = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next full batch, or NULL when closed and drained. */
static struct wbatch *wq_pop(struct wq *q)
{
	struct wbatch *b = NULL;
	pthread_mutex_lock(&q->mu);
	while (!q->nfull && !q->closed)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->nfull) {
		b = q->full[q->head];
		q->head = (q->head + 1) % WQ_SLOTS;
		q->nfull--;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

static struct wbatch *wq_get_spare(struct wq *q)
{
	struct wbatch *b;
	pthread_mutex_lock(&q->mu);
	while (!q->nspare)
		pthread_cond_wait(&q->cv, &q->mu);
	b = q->spare[--q->nspare];
	pthread_mutex_unlock(&q->mu);
	buf_reset(&b->data);
	b->nrows = 0;
	return b;
}

static void wq_put_spare(struct wq *q, struct wbatch *b)
{
	pthread_mutex_lock(&q->mu);
	q->spare[q->nspare++] = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static int wq_failed(struct wq *q)
{
	int f;
	pthread_mutex_lock(&q->mu);
	f = q->failed;
	pthread_mutex_unlock(&q->mu);
	return f;
}

/* Writer thread: bind one row's values (decoded from p) as parameters base+1.. of st (or
 * only skip them when st is NULL); returns the end of the row. The text stays in the batch
 * until the statement has run: bound without a copy. */
static const char *bind_row(struct imp *m, struct store_stmt *st, int base, const char *p)
{
	for (int i = 0; i < m->nbind; i++) {
		int c = m->bindcol[i];
		const char *v = NULL;
		uint32_t n = 0;
		if (*p++) {
			memcpy(&n, p, sizeof(n));
			v = p + sizeof(n);
			p = v + n + 1;
		}
		if (!st)
			continue;
		if (!v)
			store_bind_null(st, base + i + 1);
		else if (m->t->cols[c].type == COL_INT || m->t->cols[c].type == COL_BOOL)
			store_bind_int(st, base + i + 1, strtoll(v, NULL, 10));
		else if (m->t->cols[c].type == COL_REAL)
			store_bind_double(st, base + i + 1, strtod(v, NULL));
		else
			store_bind_textn_static(st, base + i + 1, v, n);
	}
	return p;
}

static void record_failure(struct imp *m, long line, const char *msg)
{
	pthread_mutex_lock(&m->q->mu);
	if (!m->q->failed) {
		m->q->failed = 1;
		m->q->fail_line = line;
		memcpy(m->q->fail_msg, msg, sizeof(m->q->fail_msg));
	}
	pthread_mutex_unlock(&m->q->mu);
}

/* Writer thread: write one row (decoded from *pp); 0, or -1 with the failure recorded. */
static int write_row(struct imp *m, const char **pp, long line, int existed)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = existed ? m->upd : m->ins;
	int rc;
	*pp = bind_row(m, st, 0, *pp);
	if (!st) { /* a stored key and nothing but key columns */
		m->r->unchanged++;
		return 0;
	}
	rc = store_step(st, &e);
	store_reset(st);
	if (rc < 0) {
		record_failure(m, line, e.msg);
		return -1;
	}
	if (store_changes(m->s) == 0)
		m->r->unchanged++;
	else if (existed)
		m->r->updated++;
	else
		m->r->inserted++;
	return 0;
}

/* New rows waiting to be inserted together (they point into the batch being written). */
struct pend {
	const char *p[IMPORT_MULTI];
	long line[IMPORT_MULTI];
	int n;
};

/* Insert the pending rows one by one, from row `from`; 0 or -1 (failure recorded). */
static int flush_single(struct imp *m, struct pend *pd, int from)
{
	int rc = 0;
	for (int r = from; r < pd->n && !rc; r++) {
		const char *p = pd->p[r];
		rc = write_row(m, &p, pd->line[r], 0);
	}
	pd->n = 0;
	return rc;
}

/* Insert IMPORT_MULTI pending rows with one statement. On failure, the rows before the
 * failing one are in (OR FAIL); the rest run one by one so the failure names its line. */
static int flush_multi(struct imp *m, struct pend *pd)
{
	struct err e = ERR_INIT;
	int64_t done;
	int rc;
	for (int r = 0; r < pd->n; r++)
		bind_row(m, m->insn, r * m->nbind, pd->p[r]);
	rc = store_step(m->insn, &e);
	done = rc < 0 ? store_changes(m->s) : pd->n;
	store_reset(m->insn);
	if (rc >= 0) {
		m->r->inserted += pd->n;
		pd->n = 0;
		return 0;
	}
	m->r->inserted += done;
	if (done < 0 || done >= pd->n)
		done = 0;
	if (flush_single(m, pd, (int)done) < 0)
		return -1;
	record_failure(m, pd->line[done], e.msg); /* not reproduced row by row */
	return -1;
}

/* New rows streamed to a backend with COPY (PostgreSQL): the file line of each row sent. */
struct copying {
	int open;
	long *line;
	size_t n, alloc;
};

/* Writer thread: send one new row (decoded from *pp) into the open COPY. */
static int copy_row(struct imp *m, struct copying *cp, const char **pp, long line)
{
	const char *vals[64];
	size_t lens[64];
	const char *p = *pp;
	struct err e = ERR_INIT;
	if (!cp->open) {
		const char *names[64];
		for (int i = 0; i < m->nbind; i++)
			names[i] = m->t->cols[m->bindcol[i]].name;
		if (store_copy_begin(m->s, m->t->name, names, m->nbind, &e) < 0) {
			record_failure(m, line, e.msg);
			return -1;
		}
		cp->open = 1;
		cp->n = 0;
	}
	for (int i = 0; i < m->nbind; i++) {
		uint32_t n = 0;
		vals[i] = NULL;
		lens[i] = 0;
		if (*p++) {
			memcpy(&n, p, sizeof(n));
			vals[i] = p + sizeof(n);
			lens[i] = n;
			p = vals[i] + n + 1;
		}
	}
	*pp = p;
	ALLOC_GROW(cp->line, cp->n + 1, cp->alloc);
	cp->line[cp->n++] = line;
	if (store_copy_row(m->s, vals, lens, m->nbind, &e) < 0) {
		record_failure(m, line, e.msg);
		return -1;
	}
	return 0;
}

/* Writer thread: end the COPY; a failure is reported on the line of the row it names. */
static int copy_close(struct imp *m, struct copying *cp)
{
	struct err e = ERR_INIT;
	long bad = 0;
	if (!cp->open)
		return 0;
	cp->open = 0;
	if (store_copy_end(m->s, &bad, &e) < 0) {
		record_failure(m, bad >= 1 && (size_t)bad <= cp->n ? cp->line[bad - 1]
				  : cp->n ? cp->line[0] : 0, e.msg);
		return -1;
	}
	m->r->inserted += (long)cp->n;
	return 0;
}

static void *writer_main(void *arg)
{
	struct imp *m = arg;
	struct wbatch *b;
	struct pend pd;
	struct copying cp = { 0 };
	int failed = 0;
	pd.n = 0;
	while ((b = wq_pop(m->q))) {
		const char *p = b->data.buf;
		for (int i = 0; i < b->nrows && !failed; i++) {
			long line;
			int existed;
			memcpy(&line, p, sizeof(line));
			p += sizeof(line);
			existed = *p++;
			if (m->copy) {
				/* COPY holds the connection: an update ends it first */
				if (!existed)
					failed = copy_row(m, &cp, &p, line) < 0;
				else
					failed = copy_close(m, &cp) < 0 ||
						 write_row(m, &p, line, existed) < 0;
				continue;
			}
			if (!existed && m->insn) {
				pd.p[pd.n] = p;
				pd.line[pd.n++] = line;
				p = bind_row(m, NULL, 0, p);
				if (pd.n == IMPORT_MULTI)
					failed = flush_multi(m, &pd) < 0;
				continue;
			}
			/* keep the file's order: earlier new rows first */
			failed = flush_single(m, &pd, 0) < 0 || write_row(m, &p, line, existed) < 0;
		}
		if (!failed) /* the batch's memory is about to be reused */
			failed = flush_single(m, &pd, 0) < 0;
		pd.n = 0;
		wq_put_spare(m->q, b);
	}
	if (cp.open) /* after a failure too: the connection must leave the COPY */
		copy_close(m, &cp);
	free(cp.line);
	return NULL;
}

/* Length of a value of column c: its canonical buffer's, or a constant's (a default). */
static uint32_t val_len(const struct imp *m, int c, const char *v)
{
	return v == m->cb[c].buf ? (uint32_t)m->cb[c].len : (uint32_t)strlen(v);
}

/* Main thread: count the row just added to the current batch; hand the batch over when
 * full. */
static void batch_row_added(struct imp *m)
{
	if (++m->cur->nrows < WBATCH_ROWS)
		return;
	wq_push(m->q, m->cur);
	m->cur = wq_get_spare(m->q);
	if (wq_failed(m->q))
		m->writing = 0;
}

static int cmp_runrow(const void *a, const void *b)
{
	return strcmp(((const struct runrow *)a)->key, ((const struct runrow *)b)->key);
}

/* Main thread: sort the current run by key and hand its rows to the writer. */
static void run_flush(struct imp *m)
{
	qsort(m->rr, m->nrr, sizeof(*m->rr), cmp_runrow);
	for (size_t i = 0; i < m->nrr; i++) {
		buf_add(&m->cur->data, m->run.buf + m->rr[i].off, m->rr[i].len);
		batch_row_added(m);
	}
	m->nrr = 0;
	buf_reset(&m->run);
}

/* Main thread: hand a validated row to the writer (through a sorted run when sorting). */
void import_queue_row(struct imp *m, long line, int existed, const char *key)
{
	struct buf *dst = m->sorting ? &m->run : &m->cur->data;
	size_t need = sizeof(line) + 1, off = dst->len;
	char *d;
	for (int i = 0; i < m->nbind; i++) {
		int c = m->bindcol[i];
		const char *v = m->vals[c];
		need += 1 + (v ? sizeof(uint32_t) + val_len(m, c, v) + 1 : 0);
	}
	buf_grow(dst, need); /* one grow, then plain copies */
	d = dst->buf + dst->len;
	memcpy(d, &line, sizeof(line));
	d += sizeof(line);
	*d++ = (char)existed;
	for (int i = 0; i < m->nbind; i++) {
		int c = m->bindcol[i];
		const char *v = m->vals[c];
		*d++ = v != NULL;
		if (v) {
			uint32_t n = val_len(m, c, v);
			memcpy(d, &n, sizeof(n));
			memcpy(d + sizeof(n), v, n + 1);
			d += sizeof(n) + n + 1;
		}
	}
	dst->len += need;
	dst->buf[dst->len] = '\0';
	if (!m->sorting) {
		batch_row_added(m);
		return;
	}
	if (m->nrr == m->caprr) {
		m->caprr = m->caprr ? 2 * m->caprr : 4096;
		m->rr = xrealloc(m->rr, m->caprr * sizeof(*m->rr));
	}
	m->rr[m->nrr].key = key;
	m->rr[m->nrr].off = off;
	m->rr[m->nrr++].len = need;
	if (m->nrr == RUN_ROWS)
		run_flush(m);
}

void import_wq_open(struct imp *m)
{
	struct wq *q = xcalloc(1, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	for (int i = 0; i < WQ_SLOTS + 2; i++) {
		buf_init(&q->batches[i].data, 0);
		q->spare[q->nspare++] = &q->batches[i];
	}
	m->q = q;
	m->cur = wq_get_spare(q);
}

void import_wq_run(struct imp *m)
{
	if (m->writer_on)
		return;
	if (pthread_create(&m->writer, NULL, writer_main, m) != 0)
		die("cannot start the import writer thread");
	m->writer_on = 1;
}

/* Flush, stop and join the writer; merge its failure (if any) into the errors, by line. */
void import_wq_finish(struct imp *m)
{
	struct wq *q = m->q;
	import_wq_run(m);
	if (m->nrr && m->writing)
		run_flush(m);
	if (m->cur->nrows)
		wq_push(q, m->cur);
	else
		wq_put_spare(q, m->cur);
	m->cur = NULL;
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(m->writer, NULL);
	if (q->failed) {
		struct import_result *r = m->r;
		struct buf line = BUF_INIT, out = BUF_INIT;
		size_t plen = strlen(m->o->path);
		const char *p = r->msgs.buf, *end = p + r->msgs.len;
		int stored = 0, placed = 0;
		buf_addf(&line, "%s:%ld: %s\n", m->o->path, q->fail_line, q->fail_msg);
		err_mask_ids(line.buf); /* as every import message: see err.h */
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
			long l = (n > plen && !memcmp(p, m->o->path, plen) && p[plen] == ':') ?
				 strtol(p + plen + 1, NULL, 10) : 0;
			if (!placed && l > q->fail_line) {
				buf_add(&out, line.buf, line.len);
				placed = 1;
				stored++;
			}
			if (stored < IMPORT_MAX_ERRORS) {
				buf_add(&out, p, n);
				stored++;
			}
			p += n;
		}
		if (!placed && stored < IMPORT_MAX_ERRORS)
			buf_add(&out, line.buf, line.len);
		buf_release(&r->msgs);
		r->msgs = out;
		r->nerrors++;
		buf_release(&line);
	}
}

void import_wq_free(struct wq *q)
{
	if (!q)
		return;
	for (int i = 0; i < WQ_SLOTS + 2; i++)
		buf_release(&q->batches[i].data);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
}

