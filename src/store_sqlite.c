/* store_sqlite.c: the embedded SQLite implementation of the store vtable (WAL, foreign keys,
 * busy timeout), with its bulk-load tuning: a big page cache, CHECK constraints skipped when
 * C validated every column, an empty table's secondary indexes dropped and rebuilt. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

#include "store.h"
#include "xmalloc.h"
#include "banned.h"

struct sq_stmt {
	struct store_stmt base;
	sqlite3_stmt *st;
	const char *sql;     /* a kept statement's text (sqlite3_sql), else NULL */
	int in_use;
};

/* A server connection (STORE_KEEP) keeps its statements: the same query, asked again by
 * the next request, is reset and reused rather than parsed and planned again. */
#define SQ_KEEP 64

/* A writable server connection's checkpointer (STORE_KEEP): SQLite checkpoints the WAL in
 * the commit that takes it past CKPT_PAGES pages, copying pages into the database file and
 * syncing it (54-69 ms on the province, every third or fourth evaluation in the server:
 * README, fourteenth wave). The connection's WAL hook asks this thread instead, which
 * checkpoints on a connection of its own (PASSIVE: it waits for no reader or writer) while
 * the request is answered. */
#define CKPT_PAGES 1000 /* SQLite's default wal_autocheckpoint */

struct sq_ckpt {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	sqlite3 *db;
	int asked, stop;
	long done;           /* checkpoints that copied every frame */
};

/* The connection and what a bulk load changed. */
struct sq {
	sqlite3 *db;
	struct sq_ckpt *ckpt;
	char *idx_sql[8];    /* indexes dropped for a bulk load, to create again */
	int nidx;
	int keep;            /* keeps statements (STORE_KEEP) */
	struct sq_stmt *kept[SQ_KEEP];
	int nkept, evict;
	struct buf *reads;   /* track_reads: the tables and columns read, ",a,a.x,b" */
	struct buf views;    /* ... and the views, not listed (their tables are) */
	struct buf triggers; /* ... and the triggers, whose reads are not listed */
};

static sqlite3 *db_of(struct store *s) { return ((struct sq *)s->impl)->db; }
static sqlite3_stmt *st_of(struct store_stmt *st) { return ((struct sq_stmt *)st)->st; }

static int sq_fail(struct store *s, struct err *e)
{
	return err_set(e, ERR_DB, "database '%s': %s", s->path, sqlite3_errmsg(db_of(s)));
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(db_of(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, ERR_DB, "database '%s': %s", s->path, msg ? msg : "error");
		sqlite3_free(msg);
		return ERR_DB;
	}
	return 0;
}

/* SQLite counts every allocation under one process-wide mutex unless told not to: with the
 * server's threads that mutex is contended on every row. Must precede sqlite3_initialize. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Asked, the checkpointer copies what it can; the commit that asked still holds its
 * snapshot while its hook runs, and a reader may hold an older one, so it tries again every
 * CKPT_RETRY_MS (sooner when asked again) until every frame is copied, CKPT_TRIES times at
 * most. */
#define CKPT_RETRY_MS 10
#define CKPT_TRIES 200

static void *ckpt_main(void *arg)
{
	struct sq_ckpt *c = arg;

	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		if (!c->asked) {
			pthread_cond_wait(&c->cv, &c->mu);
			continue;
		}
		c->asked = 0;
		for (int tries = CKPT_TRIES; tries > 0 && !c->stop; tries--) {
			int log = 0, copied = 0;
			struct timespec t;
			pthread_mutex_unlock(&c->mu);
			sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
			pthread_mutex_lock(&c->mu);
			if (copied >= log) {
				c->done++;
				break;
			}
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += CKPT_RETRY_MS * 1000000L;
			t.tv_sec += t.tv_nsec / 1000000000L;
			t.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&c->cv, &c->mu, &t);
		}
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* The WAL hook, after each commit: past SQLite's own threshold, the checkpointer is asked. */
static int ckpt_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct sq_ckpt *c = arg;

	(void)db;
	(void)name;
	if (pages >= CKPT_PAGES) {
		pthread_mutex_lock(&c->mu);
		c->asked = 1;
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	return SQLITE_OK;
}

static void ckpt_free(struct sq_ckpt *c)
{
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	sqlite3_close(c->db);
	free(c);
}

/* q's checkpointer started (else SQLite's own checkpoints stay). A first read tells its
 * connection that the file is in WAL mode: else it would checkpoint nothing. */
static void ckpt_start(struct sq *q, const char *path)
{
	struct sq_ckpt *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK &&
	    sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) ==
	    SQLITE_OK &&
	    pthread_create(&c->thread, NULL, ckpt_main, c) == 0) {
		q->ckpt = c;
		sqlite3_wal_hook(q->db, ckpt_hook, c);
		return;
	}
	ckpt_free(c);
}

static void ckpt_stop(struct sq *q)
{
	struct sq_ckpt *c = q->ckpt;

	if (!c)
		return;
	sqlite3_wal_hook(q->db, NULL, NULL);
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	ckpt_free(c);
	q->ckpt = NULL;
}

static long sq_checkpoints(struct store *s)
{
	struct sq_ckpt *c = ((struct sq *)s->impl)->ckpt;
	long n;

	if (!c)
		return -1;
	pthread_mutex_lock(&c->mu);
	n = c->done;
	pthread_mutex_unlock(&c->mu);
	return n;
}

static int sq_open(struct store *s, const char *path, int flags, struct err *e)
{
	sqlite3 *db = NULL;
	/* NOMUTEX: a connection is used by one thread at a time (a server worker's per request,
	 * an evaluation's helper thread its own) */
	int of = SQLITE_OPEN_NOMUTEX | ((flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					  : SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0));
	pthread_once(&sq_once, sq_configure);
	if (sqlite3_open_v2(path, &db, of, NULL) != SQLITE_OK) {
		err_set(e, ERR_DB, "cannot open database '%s': %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return ERR_DB;
	}
	s->impl = xcalloc(1, sizeof(struct sq));
	buf_init(&((struct sq *)s->impl)->views, 0);
	buf_init(&((struct sq *)s->impl)->triggers, 0);
	((struct sq *)s->impl)->db = db;
	((struct sq *)s->impl)->keep = (flags & STORE_KEEP) != 0;
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 1);
	/* A new database gets 16 KiB pages (an existing one keeps its own): the engines read
	 * their tables whole, and each page costs a read() of its own (SQLite's cache is
	 * small), so larger pages take about a sixth off loading the province (README,
	 * thirteenth wave). Set before WAL mode, which fixes the page size. */
	if (sq_exec(s, (flags & STORE_READONLY) ? "PRAGMA foreign_keys = ON"
			: "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
			  "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
		    e) < 0)
		return ERR_DB;
	/* a file that is not a database fails here rather than later */
	if (sq_exec(s, "SELECT count(*) FROM sqlite_master", e) < 0) {
		err_set(e, ERR_DB, "'%s' is not an eduhq database: %s", path, sqlite3_errmsg(db));
		return ERR_DB;
	}
	if ((flags & STORE_KEEP) && !(flags & STORE_READONLY))
		ckpt_start(s->impl, path);
	return 0;
}

static void sq_close(struct store *s)
{
	struct sq *q = s->impl;
	ckpt_stop(q);
	for (int i = 0; i < q->nkept; i++) {
		sqlite3_finalize(q->kept[i]->st);
		free(q->kept[i]);
	}
	sqlite3_close_v2(q->db);
	for (int i = 0; i < q->nidx; i++)
		free(q->idx_sql[i]);
	buf_release(&q->views);
	buf_release(&q->triggers);
	free(q);
	s->impl = NULL;
}

static struct store_stmt *sq_prepare(struct store *s, const char *sql, struct err *e)
{
	struct sq *q = s->impl;
	struct sq_stmt *st;
	int slot = -1;

	if (q->keep) {
		for (int i = 0; i < q->nkept; i++)
			if (!q->kept[i]->in_use && !strcmp(q->kept[i]->sql, sql)) {
				q->kept[i]->in_use = 1;
				return &q->kept[i]->base;
			}
		if (q->nkept < SQ_KEEP) {
			slot = q->nkept;
		} else {
			/* full: replace one not in use, round the table */
			for (int n = 0; n < SQ_KEEP && slot < 0; n++, q->evict = (q->evict + 1) % SQ_KEEP)
				if (!q->kept[q->evict]->in_use)
					slot = q->evict;
		}
	}
	st = xcalloc(1, sizeof(*st));
	if (sqlite3_prepare_v3(db_of(s), sql, -1, slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &st->st,
			       NULL) != SQLITE_OK) {
		sq_fail(s, e);
		free(st);
		return NULL;
	}
	st->base.store = s;
	if (slot >= 0) {
		if (slot < q->nkept) {
			sqlite3_finalize(q->kept[slot]->st);
			free(q->kept[slot]);
		} else {
			q->nkept++;
		}
		st->sql = sqlite3_sql(st->st);
		st->in_use = 1;
		q->kept[slot] = st;
	}
	return &st->base;
}

static int sq_rc(int rc) { return rc == SQLITE_OK ? 0 : ERR_DB; }
static int sq_bind_int(struct store_stmt *st, int i, int64_t v) { return sq_rc(sqlite3_bind_int64(st_of(st), i, v)); }
static int sq_bind_double(struct store_stmt *st, int i, double v) { return sq_rc(sqlite3_bind_double(st_of(st), i, v)); }
static int sq_bind_null(struct store_stmt *st, int i) { return sq_rc(sqlite3_bind_null(st_of(st), i)); }
static int sq_bind_text(struct store_stmt *st, int i, const char *v, size_t n)
{
	return sq_rc(sqlite3_bind_text64(st_of(st), i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(struct store_stmt *st, int i, const void *v, size_t n)
{
	return sq_rc(sqlite3_bind_blob64(st_of(st), i, v, n, SQLITE_TRANSIENT));
}

static int sq_bind_text_static(struct store_stmt *st, int i, const char *v, size_t n)
{
	return sq_rc(sqlite3_bind_text64(st_of(st), i, v, n, SQLITE_STATIC, SQLITE_UTF8));
}

static int sq_step(struct store_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st_of(st));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sq_fail(st->store, e);
}

static int sq_column_count(struct store_stmt *st) { return sqlite3_column_count(st_of(st)); }
static const char *sq_column_name(struct store_stmt *st, int c) { return sqlite3_column_name(st_of(st), c); }
static int64_t sq_column_int(struct store_stmt *st, int c) { return sqlite3_column_int64(st_of(st), c); }
static double sq_column_double(struct store_stmt *st, int c) { return sqlite3_column_double(st_of(st), c); }
static const char *sq_column_text(struct store_stmt *st, int c) { return (const char *)sqlite3_column_text(st_of(st), c); }

static const void *sq_column_blob(struct store_stmt *st, int c, size_t *len)
{
	const void *p = sqlite3_column_blob(st_of(st), c);
	*len = p ? (size_t)sqlite3_column_bytes(st_of(st), c) : 0;
	return p;
}

static enum store_type sq_column_type(struct store_stmt *st, int c)
{
	switch (sqlite3_column_type(st_of(st), c)) {
	case SQLITE_INTEGER: return STORE_INT;
	case SQLITE_FLOAT: return STORE_FLOAT;
	case SQLITE_TEXT: return STORE_TEXT;
	case SQLITE_BLOB: return STORE_BLOB;
	default: return STORE_NULL;
	}
}

static void sq_reset(struct store_stmt *st)
{
	sqlite3_reset(st_of(st));
	sqlite3_clear_bindings(st_of(st));
}

static void sq_finalize(struct store_stmt *st)
{
	struct sq_stmt *k = (struct sq_stmt *)st;
	if (k->sql) { /* kept: ready for the next use (reset ends its read) */
		sqlite3_reset(k->st);
		sqlite3_clear_bindings(k->st);
		k->in_use = 0;
		return;
	}
	sqlite3_finalize(st_of(st));
	free(st);
}

static int64_t sq_changes(struct store *s) { return sqlite3_changes64(db_of(s)); }
static int64_t sq_last_id(struct store *s) { return sqlite3_last_insert_rowid(db_of(s)); }

static int sq_exists(const char *url) { return access(url, F_OK) == 0; }

static void sq_remove(const char *url)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s%s", url, suffix[i]);
		unlink(b.buf);
		buf_release(&b);
	}
}

/* An empty table's secondary indexes are dropped and built again after the rows are in (a
 * sort instead of a random B-tree insert per row; three times faster for 1M teachers). All
 * inside the transaction, so a failure or a crash keeps them. EDUHQ_IMPORT_CACHE_KIB: a
 * smaller cache makes pages spill into the WAL mid-transaction (the crash test uses it). */
static int sq_bulk_begin(struct store *s, const char *table, int empty, int all_cols,
			 struct err *e)
{
	struct sq *q = s->impl;
	const char *ck = getenv("EDUHQ_IMPORT_CACHE_KIB");
	struct buf b = BUF_INIT;
	sqlite3_stmt *st;
	int rc = 0;

	/* all columns validated in C: SQL's CHECKs would only repeat the work (a partial
	 * update keeps them: they see the stored values) */
	buf_addf(&b, "PRAGMA cache_size = -%ld%s", ck ? atol(ck) : 262144L,
		 all_cols ? "; PRAGMA ignore_check_constraints = ON" : "");
	rc = sq_exec(s, b.buf, e);
	buf_release(&b);
	if (rc < 0 || !empty)
		return rc;
	if (sqlite3_prepare_v2(q->db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
			       "AND tbl_name = ?1 AND sql IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, e);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	char *names[ARRAY_SIZE(q->idx_sql)];
	int n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && q->nidx < (int)ARRAY_SIZE(q->idx_sql)) {
		names[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		q->idx_sql[q->nidx++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(s, e);
	/* dropped once the statement reading the schema is done */
	for (int i = 0; i < n; i++) {
		struct buf d = BUF_INIT;
		buf_adds(&d, "DROP INDEX ");
		buf_add_json_str(&d, names[i]); /* a "quoted" name */
		if (rc == 0)
			rc = sq_exec(s, d.buf, e);
		buf_release(&d);
		free(names[i]);
	}
	return rc;
}

static int sq_bulk_end(struct store *s, struct err *e)
{
	struct sq *q = s->impl;
	struct err ig = ERR_INIT;
	int rc = 0;
	for (int i = 0; i < q->nidx; i++) {
		if (e && rc == 0)
			rc = sq_exec(s, q->idx_sql[i], e);
		free(q->idx_sql[i]);
	}
	q->nidx = 0;
	/* the page cache back to SQLite's default too: a server's writer connection that
	 * imported once would otherwise keep the import's cache for good */
	sq_exec(s, "PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = -2000", &ig);
	return rc;
}

/* OR FAIL keeps the rows before a failing one, so the importer can run the rest one by one
 * to find the line; without it, a multi-row statement would also need a statement journal. */
static char *sq_multi_insert_sql(const char *table, const char *const *cols, int ncols,
				 int nrows)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "INSERT OR FAIL INTO %s (", table);
	for (int i = 0; i < ncols; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", cols[i]);
	buf_adds(&b, ") VALUES ");
	for (int r = 0; r < nrows; r++) {
		buf_adds(&b, r ? ", (" : "(");
		for (int i = 0; i < ncols; i++)
			buf_addf(&b, "%s?%d", i ? ", " : "", r * ncols + i + 1);
		buf_addch(&b, ')');
	}
	return buf_detach(&b, NULL);
}

static int sq_begin(struct store *s, struct err *e) { return sq_exec(s, "BEGIN IMMEDIATE", e); }
static int sq_commit(struct store *s, struct err *e) { return sq_exec(s, "COMMIT", e); }

/* s has held the write lock since its BEGIN IMMEDIATE: nothing can commit between its
 * snapshot and the one the new connection's first read takes. */
static struct store *sq_reader(struct store *s, struct err *e)
{
	struct store *r = store_open(s->path, STORE_READONLY, e);
	if (r && sq_exec(r, "BEGIN; SELECT count(*) FROM sqlite_master", e) < 0) {
		store_close(r);
		return NULL;
	}
	return r;
}

static void sq_rollback(struct store *s)
{
	struct err e = ERR_INIT;
	if (!sqlite3_get_autocommit(db_of(s)))
		sq_exec(s, "ROLLBACK", &e);
}

/* ",NAME" is in the list l (",a,b"). */
static int listed(const struct buf *l, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = l->buf; (p = strstr(p, name)); p++)
		if (p[-1] == ',' && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* The authorizer while tracking reads: each table a statement being prepared reads, and
 * each of its columns as table.column, once. */
static int sq_note_read(void *arg, int op, const char *table, const char *col, const char *db,
			const char *trigger)
{
	struct sq *q = arg;
	char tc[160];
	(void)db;
	/* what a trigger reads belongs to the write that fired it (the version counts), not to
	 * what the statement reads */
	if (trigger && listed(&q->triggers, trigger))
		return SQLITE_OK;
	if (op != SQLITE_READ || !table || !*table || listed(&q->views, table))
		return SQLITE_OK;
	if (!listed(q->reads, table))
		buf_addf(q->reads, ",%s", table);
	snprintf(tc, sizeof(tc), "%s.%s", table, col ? col : "");
	if (col && *col && !listed(q->reads, tc))
		buf_addf(q->reads, ",%s", tc);
	return SQLITE_OK;
}

static void sq_track_reads(struct store *s, struct buf *tables)
{
	struct sq *q = s->impl;
	sqlite3_stmt *st;
	q->reads = tables;
	buf_reset(&q->views);
	buf_reset(&q->triggers);
	if (tables && sqlite3_prepare_v2(q->db, "SELECT type, name FROM sqlite_master WHERE "
					 "type IN ('view', 'trigger')", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_addf(*sqlite3_column_text(st, 0) == 'v' ? &q->views : &q->triggers, ",%s",
				 (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
	}
	sqlite3_set_authorizer(q->db, tables ? sq_note_read : NULL, q);
}

/* PRAGMA data_version: it changes when another connection commits (this one's own
 * commits leave it). */
static int64_t sq_data_version(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_of(s), "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A trigger per kind of write: SQLite has no statement triggers, so a bulk import counts
 * once per row (about 0.35 us a row). */
static char *sq_version_ddl(const char *table, int rows)
{
	static const char *const what[] = { "INSERT", "UPDATE", "DELETE" };
	struct buf b = BUF_INIT;
	buf_addf(&b, "INSERT OR IGNORE INTO table_version (name) VALUES ('%s');", table);
	if (rows)
		buf_addf(&b, "INSERT OR IGNORE INTO table_version (name) VALUES ('%s+');", table);
	for (size_t i = 0; i < ARRAY_SIZE(what); i++) {
		char c = (char)(what[i][0] + 'a' - 'A');
		buf_addf(&b, "DROP TRIGGER IF EXISTS %s_version_%c; CREATE TRIGGER %s_version_%c "
			 "AFTER %s ON %s BEGIN UPDATE table_version SET version = version + 1 WHERE "
			 "name = '%s'", table, c, table, c, what[i], table, table);
		if (rows && c != 'u') /* an insert or a delete: its rows too */
			buf_addf(&b, " OR name = '%s+'", table);
		buf_adds(&b, "; END;");
	}
	return buf_detach(&b, NULL);
}

static char *sq_column_version_ddl(const char *table, const char *mech, const char *cols)
{
	struct buf b = BUF_INIT;
	const char *c;
	size_t n;

	buf_addf(&b, "INSERT OR IGNORE INTO table_version (name) VALUES ('%s@%s');"
		 "DROP TRIGGER IF EXISTS %s_version_u_%s; CREATE TRIGGER %s_version_u_%s AFTER "
		 "UPDATE OF %s ON %s WHEN ", table, mech, table, mech, table, mech, cols, table);
	for (c = cols; *c; c += n + (c[n] == ',')) {
		n = strcspn(c, ",");
		buf_addf(&b, "%sOLD.%.*s IS NOT NEW.%.*s", c == cols ? "" : " OR ", (int)n, c,
			 (int)n, c);
	}
	buf_addf(&b, " BEGIN UPDATE table_version SET version = version + 1 WHERE name = "
		 "'%s@%s'; END;", table, mech);
	return buf_detach(&b, NULL);
}

const struct store_vtable store_sqlite_vtable = {
	.version_ddl = sq_version_ddl,
	.column_version_ddl = sq_column_version_ddl,
	.version_triggers = 3,     /* its inserts and deletes count in the same two */
	/* the version triggers there are, and the schema cookie (every CREATE and DROP
	 * changes it) */
	.schema_stamp_sql = "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
			    "AND (name GLOB '*_version_[iud]' OR name GLOB '*_version_u_*')) || ' ' "
			    "|| schema_version FROM pragma_schema_version",
	.data_version = sq_data_version,
	.checkpoints = sq_checkpoints,
	.track_reads = sq_track_reads,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.reader = sq_reader,
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_text_static = sq_bind_text_static,
	.bind_null = sq_bind_null,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_type = sq_column_type,
	.column_int = sq_column_int,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.exists = sq_exists,
	.remove = sq_remove,
	.bulk_begin = sq_bulk_begin,
	.bulk_end = sq_bulk_end,
	.multi_insert_sql = sq_multi_insert_sql,
};
