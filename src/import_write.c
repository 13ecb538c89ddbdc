/* import_write.c: the write side of an import: a thread that takes validated rows in
 * batches from the reading thread and runs SQLite's INSERT/UPDATE statements, so that
 * parsing and validating overlap with B-tree work (see import.c). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* Reading and validating (this thread) and SQLite's B-tree work (the writer thread) run in
 * parallel: valid rows go in batches through a small queue; only the writer touches the
 * database between setup and commit. The writer stops at its first failure and reports it
 * with its line; the transaction is then rolled back. */

#define WBATCH_ROWS 2048
#define WQ_SLOTS 4

struct wbatch {
	struct buf data; /* per row: long line, char existed, per parameter: 0 | 1 + text + NUL */
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

/* Writer thread: write one row (decoded from *pp); 0, or -1 with the failure recorded. */
static int write_row(struct imp *m, const char **pp, long line, int existed)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = existed ? m->upd : m->ins;
	const char *p = *pp;
	int rc;
	for (int i = 0; i < m->nbind; i++) {
		int c = m->bindcol[i];
		const char *v = NULL;
		if (*p++) {
			v = p;
			p += strlen(p) + 1;
		}
		if (!st)
			continue;
		if (!v)
			store_bind_null(st, i + 1);
		else if (m->t->cols[c].type == COL_INT || m->t->cols[c].type == COL_BOOL)
			store_bind_int(st, i + 1, strtoll(v, NULL, 10));
		else if (m->t->cols[c].type == COL_REAL)
			store_bind_double(st, i + 1, strtod(v, NULL));
		else
			store_bind_text(st, i + 1, v);
	}
	*pp = p;
	if (!st) { /* a stored key and nothing but key columns */
		m->r->unchanged++;
		return 0;
	}
	rc = store_step(st, &e);
	store_reset(st);
	if (rc < 0) {
		pthread_mutex_lock(&m->q->mu);
		m->q->failed = 1;
		m->q->fail_line = line;
		memcpy(m->q->fail_msg, e.msg, sizeof(e.msg));
		pthread_mutex_unlock(&m->q->mu);
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

static void *writer_main(void *arg)
{
	struct imp *m = arg;
	struct wbatch *b;
	int failed = 0;
	while ((b = wq_pop(m->q))) {
		const char *p = b->data.buf;
		for (int i = 0; i < b->nrows && !failed; i++) {
			long line;
			int existed;
			memcpy(&line, p, sizeof(line));
			p += sizeof(line);
			existed = *p++;
			failed = write_row(m, &p, line, existed) < 0;
		}
		wq_put_spare(m->q, b);
	}
	return NULL;
}

/* Main thread: hand a validated row to the writer. */
void import_queue_row(struct imp *m, long line, int existed)
{
	struct wbatch *b = m->cur;
	buf_add(&b->data, &line, sizeof(line));
	buf_addch(&b->data, existed);
	for (int i = 0; i < m->nbind; i++) {
		const char *v = m->vals[m->bindcol[i]];
		buf_addch(&b->data, v != NULL);
		if (v)
			buf_add(&b->data, v, strlen(v) + 1);
	}
	if (++b->nrows < WBATCH_ROWS)
		return;
	wq_push(m->q, b);
	m->cur = wq_get_spare(m->q);
	if (wq_failed(m->q))
		m->writing = 0;
}

void import_wq_start(struct imp *m, pthread_t *tid)
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
	if (pthread_create(tid, NULL, writer_main, m) != 0)
		die("cannot start the import writer thread");
}

/* Flush, stop and join the writer; merge its failure (if any) into the errors, by line. */
void import_wq_finish(struct imp *m, pthread_t tid)
{
	struct wq *q = m->q;
	if (m->cur->nrows)
		wq_push(q, m->cur);
	else
		wq_put_spare(q, m->cur);
	m->cur = NULL;
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(tid, NULL);
	if (q->failed) {
		struct import_result *r = m->r;
		struct buf line = BUF_INIT, out = BUF_INIT;
		size_t plen = strlen(m->o->path);
		const char *p = r->msgs.buf, *end = p + r->msgs.len;
		int stored = 0, placed = 0;
		buf_addf(&line, "%s:%ld: %s\n", m->o->path, q->fail_line, q->fail_msg);
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

