/* store_pg.c: the PostgreSQL implementation of the store vtable (libpq), for a bureau that
 * runs several servers against one database or outgrows one machine.
 *
 * Statements keep eduhq's ?N placeholders in their text and are sent as $N with typed
 * parameters (integers as int8, doubles as float8 written with 17 digits, so they arrive
 * bit for bit; text untyped, as a literal). Rows stream in libpq's single-row mode; when
 * another statement needs the connection while one is still streaming, the rest of its
 * rows are read into memory first. New rows of an import stream through COPY. The schema
 * is schema.sql translated to PostgreSQL's dialect (pg_ddl); text columns sort byte-wise
 * (COLLATE "C") as in SQLite. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* Type OIDs (catalog/pg_type.h, stable since PostgreSQL 7). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_TEXT 25
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

struct pg_stmt;

struct pg {
	PGconn *c;
	int64_t changes;
	struct pg_stmt *streaming;   /* the statement whose rows are still arriving */
	int in_copy;
	long copy_rows;
	struct buf copy;             /* COPY data not sent yet */
	unsigned ncursors;           /* for cursor names */
	char *restore[64];           /* bulk load: what to create again (indexes, keys) */
	int nrestore;
	char *analyze;               /* bulk load into an empty table: ANALYZE it at the end */
};

/* Outside a transaction rows stream (single-row mode); inside one a query reads through a
 * cursor, FETCH_ROWS at a time: far fewer allocations per row, and other statements can
 * run between fetches. */
#define FETCH_ROWS 20000

enum { ST_NEW, ST_STREAMING, ST_QUEUED, ST_CURSOR, ST_DONE };

struct pg_stmt {
	struct store_stmt base;
	char *sql;                   /* with $N placeholders */
	int nparams;
	char **vals;
	Oid *types;
	int state;
	PGresult *cur;               /* the current row's result (a single tuple, or a batch) */
	int crow, nrows;             /* the row in cur; cur's rows (cursor) */
	char cursor[32];             /* the open cursor's name, or "" */
	int cursor_end;              /* the last batch has been fetched */
	PGresult **queue;            /* rows read ahead (ST_QUEUED) */
	size_t nq, iq, allocq;
	char *queued_error;          /* the error that ended a read-ahead */
	char *used;                  /* per parameter: does the text use it */
	unsigned char *blob;         /* column_blob's bytes, decoded from bytea's hex text */
	size_t blob_alloc;
};

static struct pg *pg_of(struct store *s) { return s->impl; }
static struct pg_stmt *pst(struct store_stmt *st) { return (struct pg_stmt *)st; }

/* The URL for messages: a password is not shown. */
static void url_for_msg(struct buf *b, const char *url)
{
	const char *at = strchr(url, '@'), *scheme = strstr(url, "://"), *colon;
	if (at && scheme && (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3)))) {
		buf_add(b, url, (size_t)(colon - url));
		buf_adds(b, ":***");
		buf_adds(b, at);
	} else {
		buf_adds(b, url);
	}
}

static int pg_err(struct store *s, struct err *e, const char *msg)
{
	struct buf u = BUF_INIT, m = BUF_INIT;
	url_for_msg(&u, s->path);
	buf_adds(&m, msg && *msg ? msg : "error");
	buf_rtrim(&m);
	err_set(e, ERR_DB, "database '%s': %s", u.buf, m.buf);
	buf_release(&u);
	buf_release(&m);
	return ERR_DB;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (e.g. "table does not exist, skipping") are not for users */
}

static PGconn *connect_url(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (c && PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, quiet, NULL);
		PQsetClientEncoding(c, "UTF8");
	}
	return c;
}

static int pg_open(struct store *s, const char *url, int flags, struct err *e)
{
	struct pg *p = xcalloc(1, sizeof(*p));
	PGresult *r;
	(void)flags;
	buf_init(&p->copy, 0);
	s->impl = p;
	p->c = connect_url(url);
	if (!p->c || PQstatus(p->c) != CONNECTION_OK)
		return pg_err(s, e, p->c ? PQerrorMessage(p->c) : "out of memory");
	r = PQexec(p->c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_err(s, e, PQresultErrorMessage(r));
		PQclear(r);
		return ERR_DB;
	}
	PQclear(r);
	return 0;
}

static void clear_rows(struct pg_stmt *st)
{
	PQclear(st->cur);
	st->cur = NULL;
	for (size_t i = st->iq; i < st->nq; i++)
		PQclear(st->queue[i]);
	st->nq = st->iq = 0;
	free(st->queued_error);
	st->queued_error = NULL;
}

/* Read the rest of the streaming statement's results: rows into its queue (keep) or away. */
static void drain(struct pg *p, int keep)
{
	struct pg_stmt *st = p->streaming;
	PGresult *r;
	if (!st)
		return;
	while ((r = PQgetResult(p->c)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE && keep) {
			ALLOC_GROW(st->queue, st->nq + 1, st->allocq);
			st->queue[st->nq++] = r;
			continue;
		}
		if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK)
			p->changes = strtoll(PQcmdTuples(r), NULL, 10);
		else if (t != PGRES_SINGLE_TUPLE && keep && !st->queued_error)
			st->queued_error = xstrdup(PQresultErrorMessage(r));
		PQclear(r);
	}
	st->state = keep ? ST_QUEUED : ST_DONE;
	p->streaming = NULL;
}

static void pg_close(struct store *s)
{
	struct pg *p = pg_of(s);
	drain(p, 0);
	PQfinish(p->c);
	buf_release(&p->copy);
	for (int i = 0; i < p->nrestore; i++)
		free(p->restore[i]);
	free(p->analyze);
	free(p);
	s->impl = NULL;
}

static int pg_exec(struct store *s, const char *sql, struct err *e)
{
	struct pg *p = pg_of(s);
	PGresult *r;
	ExecStatusType t;
	drain(p, 1);
	r = PQexec(p->c, sql);
	t = PQresultStatus(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		pg_err(s, e, PQresultErrorMessage(r));
		PQclear(r);
		return ERR_DB;
	}
	/* COMMIT of a transaction that failed earlier answers ROLLBACK, not an error */
	if (!strcmp(PQcmdStatus(r), "ROLLBACK") && strncmp(sql, "ROLLBACK", 8)) {
		PQclear(r);
		return pg_err(s, e, "the transaction failed earlier and was rolled back");
	}
	PQclear(r);
	return 0;
}

/* ?N -> $N outside string literals and quoted identifiers; the highest N, and which N occur
 * (used[N - 1], when used is not NULL). */
static char *to_dollar(const char *sql, int *maxp, char *used)
{
	struct buf b = BUF_INIT;
	char quote = 0;
	*maxp = 0;
	for (const char *q = sql; *q; q++) {
		if (quote) {
			if (*q == quote)
				quote = 0;
		} else if (*q == '\'' || *q == '"') {
			quote = *q;
		} else if (*q == '?' && q[1] >= '0' && q[1] <= '9') {
			int n = (int)strtol(q + 1, NULL, 10);
			if (n > *maxp)
				*maxp = n;
			if (used && n >= 1)
				used[n - 1] = 1;
			buf_addch(&b, '$');
			continue;
		}
		buf_addch(&b, *q);
	}
	return buf_detach(&b, NULL);
}

static struct store_stmt *pg_prepare(struct store *s, const char *sql, struct err *e)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	(void)e; /* errors show when the statement runs */
	int max;
	st->base.store = s;
	free(to_dollar(sql, &max, NULL));
	st->used = xcalloc((size_t)max + 1, 1);
	st->sql = to_dollar(sql, &st->nparams, st->used);
	st->vals = xcalloc((size_t)st->nparams + 1, sizeof(*st->vals));
	st->types = xcalloc((size_t)st->nparams + 1, sizeof(*st->types));
	for (int i = 0; i < st->nparams; i++)
		st->types[i] = st->used[i] ? 0 : OID_TEXT;
	return &st->base;
}

/* Parameters a statement does not have are ignored, as SQLite's binds to them are. */
static int set_param(struct store_stmt *sp, int i, char *v, Oid type)
{
	struct pg_stmt *st = pst(sp);
	if (i < 1 || i > st->nparams || !st->used[i - 1]) {
		free(v);
		return 0;
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = v;
	st->types[i - 1] = type;
	return 0;
}

static int pg_bind_int(struct store_stmt *st, int i, int64_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%lld", (long long)v);
	return set_param(st, i, xstrdup(b), OID_INT8);
}

static int pg_bind_double(struct store_stmt *st, int i, double v)
{
	char b[40];
	snprintf(b, sizeof(b), "%.17g", v); /* round-trips exactly */
	return set_param(st, i, xstrdup(b), OID_FLOAT8);
}

static int pg_bind_text(struct store_stmt *st, int i, const char *v, size_t n)
{
	return set_param(st, i, xstrndup(v, n), 0);
}

static int pg_bind_null(struct store_stmt *st, int i) { return set_param(st, i, NULL, 0); }

/* bytea as its hex text form (\x...), a parameter like the others */
static int pg_bind_blob(struct store_stmt *st, int i, const void *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = v;
	char *t = xmalloc(2 * n + 3), *q = t;
	*q++ = '\\';
	*q++ = 'x';
	for (size_t k = 0; k < n; k++) {
		*q++ = hex[p[k] >> 4];
		*q++ = hex[p[k] & 15];
	}
	*q = '\0';
	return set_param(st, i, t, OID_BYTEA);
}

static int is_query(const char *sql)
{
	sql += strspn(sql, " \t\n");
	return !strncasecmp(sql, "SELECT", 6) || !strncasecmp(sql, "WITH", 4);
}

/* Close st's cursor if it still exists (a rolled-back savepoint or the transaction's end
 * closes it: CLOSE would then fail and abort the transaction). */
static void close_cursor(struct pg *p, struct pg_stmt *st)
{
	const char *name = st->cursor;
	PGresult *r;
	if (!st->cursor[0])
		return;
	r = PQexecParams(p->c, "SELECT 1 FROM pg_cursors WHERE name = $1", 1, NULL, &name, NULL,
			 NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		struct buf q = BUF_INIT;
		PQclear(r);
		buf_addf(&q, "CLOSE %s", st->cursor);
		r = PQexec(p->c, q.buf);
		buf_release(&q);
	}
	PQclear(r);
	st->cursor[0] = '\0';
}

static int cursor_open(struct store_stmt *sp, struct err *e)
{
	struct pg_stmt *st = pst(sp);
	struct pg *p = pg_of(sp->store);
	struct buf q = BUF_INIT;
	PGresult *r;
	snprintf(st->cursor, sizeof(st->cursor), "eduhq_c%u", ++p->ncursors);
	buf_addf(&q, "DECLARE %s NO SCROLL CURSOR FOR %s", st->cursor, st->sql);
	r = PQexecParams(p->c, q.buf, st->nparams, st->types, (const char *const *)st->vals,
			 NULL, NULL, 0);
	buf_release(&q);
	st->state = ST_CURSOR;
	st->cursor_end = 0;
	st->crow = st->nrows = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		st->cursor[0] = '\0';
		st->state = ST_DONE;
		pg_err(sp->store, e, PQresultErrorMessage(r));
		PQclear(r);
		return ERR_DB;
	}
	PQclear(r);
	return 0;
}

/* The next row through the cursor: 1, 0 at the end, or an error. */
static int cursor_step(struct store_stmt *sp, struct err *e)
{
	struct pg_stmt *st = pst(sp);
	struct pg *p = pg_of(sp->store);
	char q[64];
	if (st->cur && st->crow + 1 < st->nrows) {
		st->crow++;
		return 1;
	}
	PQclear(st->cur);
	st->cur = NULL;
	if (st->cursor_end) {
		close_cursor(p, st);
		st->state = ST_DONE;
		return 0;
	}
	snprintf(q, sizeof(q), "FETCH FORWARD %d FROM %s", FETCH_ROWS, st->cursor);
	st->cur = PQexec(p->c, q);
	if (PQresultStatus(st->cur) != PGRES_TUPLES_OK) {
		pg_err(sp->store, e, PQresultErrorMessage(st->cur));
		PQclear(st->cur);
		st->cur = NULL;
		st->state = ST_DONE;
		return ERR_DB;
	}
	st->nrows = PQntuples(st->cur);
	st->crow = 0;
	st->cursor_end = st->nrows < FETCH_ROWS;
	if (st->nrows == 0) {
		PQclear(st->cur);
		st->cur = NULL;
		close_cursor(p, st);
		st->state = ST_DONE;
		return 0;
	}
	return 1;
}

static int pg_step(struct store_stmt *sp, struct err *e)
{
	struct pg_stmt *st = pst(sp);
	struct pg *p = pg_of(sp->store);
	PGresult *r;

	if (st->state == ST_CURSOR)
		return cursor_step(sp, e);
	PQclear(st->cur);
	st->cur = NULL;
	st->crow = 0;
	if (st->state == ST_NEW) {
		if (p->streaming)
			drain(p, 1);
		if (sp->store->depth > 0 && is_query(st->sql))
			return cursor_open(sp, e) < 0 ? ERR_DB : cursor_step(sp, e);
		if (!PQsendQueryParams(p->c, st->sql, st->nparams, st->types,
				       (const char *const *)st->vals, NULL, NULL, 0)) {
			st->state = ST_DONE;
			return pg_err(sp->store, e, PQerrorMessage(p->c));
		}
		PQsetSingleRowMode(p->c);
		st->state = ST_STREAMING;
		p->streaming = st;
	}
	if (st->state == ST_QUEUED) {
		if (st->iq < st->nq) {
			st->cur = st->queue[st->iq++];
			return 1;
		}
		st->state = ST_DONE;
		if (st->queued_error)
			return pg_err(sp->store, e, st->queued_error);
		return 0;
	}
	if (st->state != ST_STREAMING)
		return 0;
	r = PQgetResult(p->c);
	if (r && PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
		st->cur = r;
		return 1;
	}
	if (!r) {
		p->streaming = NULL;
		st->state = ST_DONE;
		return 0;
	}
	if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK) {
		p->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		drain(p, 0);
		return 0;
	}
	pg_err(sp->store, e, PQresultErrorMessage(r));
	PQclear(r);
	drain(p, 0);
	return ERR_DB;
}

static int pg_column_count(struct store_stmt *st) { return pst(st)->cur ? PQnfields(pst(st)->cur) : 0; }
static const char *pg_column_name(struct store_stmt *st, int c) { return PQfname(pst(st)->cur, c); }

static enum store_type pg_column_type(struct store_stmt *sp, int c)
{
	PGresult *r = pst(sp)->cur;
	if (!r || PQgetisnull(r, pst(sp)->crow, c))
		return STORE_NULL;
	switch (PQftype(r, c)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: return STORE_INT;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC: return STORE_FLOAT;
	case OID_BYTEA: return STORE_BLOB;
	default: return STORE_TEXT;
	}
}

static const char *pg_column_text(struct store_stmt *sp, int c)
{
	PGresult *r = pst(sp)->cur;
	int row = pst(sp)->crow;
	if (!r || PQgetisnull(r, row, c))
		return NULL;
	if (PQftype(r, c) == OID_BOOL) /* as SQLite shows a comparison */
		return PQgetvalue(r, row, c)[0] == 't' ? "1" : "0";
	return PQgetvalue(r, row, c);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* bytea arrives as hex text (bytea_output 'hex', the default since PostgreSQL 9.0) */
static const void *pg_column_blob(struct store_stmt *sp, int c, size_t *len)
{
	struct pg_stmt *st = pst(sp);
	const char *t = pg_column_text(sp, c);
	size_t n;
	*len = 0;
	if (!t || t[0] != '\\' || t[1] != 'x')
		return NULL;
	t += 2;
	n = strlen(t) / 2;
	ALLOC_GROW(st->blob, n + 1, st->blob_alloc);
	for (size_t k = 0; k < n; k++) {
		int hi = hexval(t[2 * k]), lo = hexval(t[2 * k + 1]);
		if (hi < 0 || lo < 0)
			return NULL;
		st->blob[k] = (unsigned char)(hi << 4 | lo);
	}
	*len = n;
	return n ? st->blob : NULL;
}

static int64_t pg_column_int(struct store_stmt *st, int c)
{
	const char *t = pg_column_text(st, c);
	return t ? strtoll(t, NULL, 10) : 0;
}

static double pg_column_double(struct store_stmt *st, int c)
{
	const char *t = pg_column_text(st, c);
	return t ? strtod(t, NULL) : 0;
}

static void pg_reset(struct store_stmt *sp)
{
	struct pg_stmt *st = pst(sp);
	struct pg *p = pg_of(sp->store);
	if (p->streaming == st)
		drain(p, 0);
	close_cursor(p, st);
	clear_rows(st);
	st->crow = st->nrows = 0;
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->types[i] = st->used[i] ? 0 : OID_TEXT; /* a gap in the numbers: some type */
	}
	st->state = ST_NEW;
}

static void pg_finalize(struct store_stmt *sp)
{
	struct pg_stmt *st = pst(sp);
	pg_reset(sp);
	free(st->vals);
	free(st->types);
	free(st->used);
	free(st->queue);
	free(st->sql);
	free(st->blob);
	free(st);
}

static int64_t pg_changes(struct store *s) { return pg_of(s)->changes; }

/* The last value a sequence (an identity column) gave this session; 0 if none yet. */
static int64_t pg_last_id(struct store *s)
{
	struct pg *p = pg_of(s);
	PGresult *r;
	int64_t id = 0;
	drain(p, 1);
	r = PQexec(p->c, s->depth ? "SAVEPOINT last_id; SELECT lastval()" : "SELECT lastval()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (s->depth) { /* lastval() fails when no sequence was used: keep the transaction */
		r = PQexec(p->c, id ? "RELEASE last_id" : "ROLLBACK TO last_id; RELEASE last_id");
		PQclear(r);
	}
	return id;
}

/* One snapshot for the whole transaction, as SQLite's: an evaluation's loaders all see the
 * same data; a concurrent change to the rows it writes fails it rather than mixing. */
static int pg_begin(struct store *s, struct err *e)
{
	return pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ", e);
}
static int pg_commit(struct store *s, struct err *e) { return pg_exec(s, "COMMIT", e); }

/* The same snapshot on a second connection: exported by s's transaction, imported by the
 * new one's (SET TRANSACTION SNAPSHOT takes no parameter; the id is checked first). */
static struct store *pg_reader(struct store *s, struct err *e)
{
	struct store_stmt *st = NULL;
	struct store *r = NULL;
	char sql[192], id[64] = "";
	const char *t;

	if (s->depth > 1) {
		err_set(e, ERR_DB, "no snapshot is exported from a savepoint");
		return NULL;
	}
	if (!(st = store_prepare(s, "SELECT pg_export_snapshot()", e)))
		return NULL;
	if (store_step(st, e) == 1 && (t = store_column_text(st, 0)) && strlen(t) < sizeof(id) &&
	    strspn(t, "0123456789ABCDEFabcdef-") == strlen(t))
		snprintf(id, sizeof(id), "%s", t);
	store_finalize(st);
	if (!*id) {
		err_set(e, ERR_DB, "no snapshot to share");
		return NULL;
	}
	snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
		 "SET TRANSACTION SNAPSHOT '%s'", id);
	r = store_open(s->path, STORE_READONLY, e);
	if (r && pg_exec(r, sql, e) < 0) {
		store_close(r);
		return NULL;
	}
	return r;
}

static void pg_rollback(struct store *s)
{
	struct err e = ERR_INIT;
	pg_exec(s, "ROLLBACK", &e);
}

/* ---- schema: schema.sql (SQLite's dialect) in PostgreSQL's ---- */

static const struct {
	const char *from, *to;
} ddl_map[] = {
	{ " WITHOUT ROWID", "" },
	{ "id INTEGER PRIMARY KEY AUTOINCREMENT", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
	{ "id INTEGER PRIMARY KEY", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
	{ " BLOB", " BYTEA" },
	{ " INTEGER", " BIGINT" },
	{ " REAL", " DOUBLE PRECISION" },      /* SQLite's REAL is 8 bytes */
	{ " TEXT", " TEXT COLLATE \"C\"" },    /* byte-wise order, as SQLite's */
	{ " GLOB ", " SIMILAR TO " },          /* the patterns only use [..] classes */
	{ "json_valid(params) AND json_type(params) = 'object'",
	  "jsonb_typeof(params::jsonb) = 'object'" },
	{ "json_valid(rule_versions)", "(rule_versions::jsonb IS NOT NULL)" },
	{ "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
	  "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" },
};

static char *pg_ddl(const char *sql)
{
	struct buf b = BUF_INIT;
	const char *q = sql;
	while (*q) {
		size_t i;
		if (q[0] == '-' && q[1] == '-') { /* comments as they are */
			size_t n = strcspn(q, "\n");
			buf_add(&b, q, n);
			q += n;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(ddl_map); i++)
			if (!strncmp(q, ddl_map[i].from, strlen(ddl_map[i].from)))
				break;
		if (i < ARRAY_SIZE(ddl_map)) {
			buf_adds(&b, ddl_map[i].to);
			q += strlen(ddl_map[i].from);
		} else {
			buf_addch(&b, *q++);
		}
	}
	return buf_detach(&b, NULL);
}

static int pg_exists(const char *url)
{
	PGconn *c = connect_url(url);
	PGresult *r;
	int ok = 0;
	if (c && PQstatus(c) == CONNECTION_OK) {
		r = PQexec(c, "SELECT 1 FROM information_schema.tables WHERE table_name = 'meta' "
			   "AND table_schema = current_schema()");
		ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
		PQclear(r);
	}
	PQfinish(c);
	return ok;
}

/* A failed `init` rolled its migration back; the database itself belongs to its owner. */
static void pg_remove(const char *url) { (void)url; }

/* ---- bulk loading ---- */

/* Loading an empty table: its foreign keys and secondary indexes are dropped and made again
 * once the rows are in (a sort instead of a B-tree insert per row, no trigger per row), all
 * inside the import's transaction, whose locks keep the referenced tables unchanged
 * meanwhile. The importer has checked every reference in C against the referenced keys
 * (import.c), and, when the file has every column, every CHECK constraint (test_table
 * proves registry and schema agree): the constraints come back NOT VALID, enforced for every
 * later write but not evaluated again for these rows (as SQLite's
 * ignore_check_constraints; it halves the COPY's time). A table with rows is left alone:
 * its readers must not wait for the import. */
static const char *const bulk_sql[] = {
	"SELECT 'ALTER TABLE ' || $1 || ' DROP CONSTRAINT ' || conname, 'ALTER TABLE ' || $1 || "
	"' ADD CONSTRAINT ' || conname || ' ' || pg_get_constraintdef(oid) || ' NOT VALID' FROM "
	"pg_constraint WHERE conrelid = CAST($1 AS regclass) AND contype = 'c' ORDER BY conname",
	"SELECT 'ALTER TABLE ' || $1 || ' DROP CONSTRAINT ' || conname, 'ALTER TABLE ' || $1 || "
	"' ADD CONSTRAINT ' || conname || ' ' || pg_get_constraintdef(oid) || ' NOT VALID' FROM "
	"pg_constraint WHERE conrelid = CAST($1 AS regclass) AND contype = 'f' ORDER BY conname",
	"SELECT 'DROP INDEX ' || indexname, indexdef FROM pg_indexes WHERE schemaname = "
	"current_schema() AND tablename = $1 AND indexname NOT IN (SELECT conname FROM "
	"pg_constraint WHERE conrelid = CAST($1 AS regclass)) ORDER BY indexname",
};

static int pg_bulk_begin(struct store *s, const char *table, int empty, int all_cols,
			 struct err *e)
{
	struct pg *p = pg_of(s);
	if (!empty)
		return 0;
	free(p->analyze);
	p->analyze = xstrdup(table);
	drain(p, 1);
	for (size_t q = all_cols ? 0 : 1; q < ARRAY_SIZE(bulk_sql); q++) {
		PGresult *r = PQexecParams(p->c, bulk_sql[q], 1, NULL, &table, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			pg_err(s, e, PQresultErrorMessage(r));
			PQclear(r);
			return ERR_DB;
		}
		for (int i = 0; i < PQntuples(r); i++) {
			if (p->nrestore == (int)ARRAY_SIZE(p->restore))
				break;
			if (pg_exec(s, PQgetvalue(r, i, 0), e) < 0) {
				PQclear(r);
				return ERR_DB;
			}
			p->restore[p->nrestore++] = xstrdup(PQgetvalue(r, i, 1));
		}
		PQclear(r);
	}
	return 0;
}

/* Indexes first, then the constraints. */
static int pg_bulk_end(struct store *s, struct err *e)
{
	struct pg *p = pg_of(s);
	int rc = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < p->nrestore; i++) {
			int is_key = !strncmp(p->restore[i], "ALTER", 5);
			if (e && rc == 0 && is_key == pass)
				rc = pg_exec(s, p->restore[i], e);
		}
	for (int i = 0; i < p->nrestore; i++)
		free(p->restore[i]);
	p->nrestore = 0;
	/* the planner's statistics (and store_row_estimate) for what was loaded */
	if (e && rc == 0 && p->analyze) {
		struct buf q = BUF_INIT;
		buf_addf(&q, "ANALYZE %s", p->analyze);
		rc = pg_exec(s, q.buf, e);
		buf_release(&q);
	}
	free(p->analyze);
	p->analyze = NULL;
	return rc;
}

/* ---- COPY ---- */

static int pg_copy_begin(struct store *s, const char *table, const char *const *cols, int ncols,
			 struct err *e)
{
	struct pg *p = pg_of(s);
	struct buf q = BUF_INIT;
	PGresult *r;
	drain(p, 1);
	buf_addf(&q, "COPY %s (", table);
	for (int i = 0; i < ncols; i++)
		buf_addf(&q, "%s%s", i ? ", " : "", cols[i]);
	buf_adds(&q, ") FROM STDIN");
	r = PQexec(p->c, q.buf);
	buf_release(&q);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_err(s, e, PQresultErrorMessage(r));
		PQclear(r);
		return ERR_DB;
	}
	PQclear(r);
	p->in_copy = 1;
	p->copy_rows = 0;
	buf_reset(&p->copy);
	return 0;
}

static int copy_flush(struct store *s, struct err *e)
{
	struct pg *p = pg_of(s);
	if (p->copy.len && PQputCopyData(p->c, p->copy.buf, (int)p->copy.len) != 1)
		return pg_err(s, e, PQerrorMessage(p->c));
	buf_reset(&p->copy);
	return 0;
}

static int pg_copy_row(struct store *s, const char *const *vals, const size_t *lens, int n,
		       struct err *e)
{
	struct pg *p = pg_of(s);
	struct buf *b = &p->copy;
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addch(b, '\t');
		if (!vals[i]) {
			buf_adds(b, "\\N");
			continue;
		}
		buf_grow(b, 2 * lens[i]);
		for (size_t k = 0; k < lens[i]; k++) {
			char ch = vals[i][k];
			switch (ch) {
			case '\\': buf_add(b, "\\\\", 2); break;
			case '\t': buf_add(b, "\\t", 2); break;
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			default: b->buf[b->len++] = ch;
			}
		}
		b->buf[b->len] = '\0';
	}
	buf_addch(b, '\n');
	p->copy_rows++;
	return b->len >= (1 << 18) ? copy_flush(s, e) : 0;
}

static int pg_copy_end(struct store *s, long *bad_row, struct err *e)
{
	struct pg *p = pg_of(s);
	PGresult *r;
	int rc = copy_flush(s, e);
	*bad_row = 0;
	if (PQputCopyEnd(p->c, rc < 0 ? "import failed" : NULL) != 1 && rc == 0)
		rc = pg_err(s, e, PQerrorMessage(p->c));
	while ((r = PQgetResult(p->c)) != NULL) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			p->changes = p->copy_rows;
		} else if (rc == 0) {
			/* the context names the row: "COPY school, line 3, column ..." */
			const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT), *l;
			if (ctx && (l = strstr(ctx, ", line ")))
				*bad_row = strtol(l + 7, NULL, 10);
			rc = pg_err(s, e, PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
		}
		PQclear(r);
	}
	p->in_copy = 0;
	return rc;
}

/* One statement trigger per table counting every write (a COPY counts once); with rows,
 * one counting "table+" for its inserts, deletes and truncations; one per mechanism's
 * columns counting each UPDATE statement that sets one. The function is made again with
 * each table, the same each time. */
static char *pg_version_ddl(const char *table, int rows)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "CREATE OR REPLACE FUNCTION table_version_count() RETURNS trigger "
		 "LANGUAGE plpgsql AS $$BEGIN UPDATE table_version SET version = version + 1 "
		 "WHERE name = CASE WHEN TG_NARGS > 0 THEN TG_ARGV[0] ELSE TG_TABLE_NAME END; "
		 "RETURN NULL; END$$;"
		 "INSERT INTO table_version (name) VALUES ('%s') ON CONFLICT DO NOTHING;"
		 "CREATE OR REPLACE TRIGGER %s_version AFTER INSERT OR UPDATE OR DELETE OR "
		 "TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION table_version_count();",
		 table, table, table);
	if (rows)
		buf_addf(&b, "INSERT INTO table_version (name) VALUES ('%s+') ON CONFLICT DO NOTHING;"
			 "CREATE OR REPLACE TRIGGER %s_rows_version AFTER INSERT OR DELETE OR "
			 "TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION "
			 "table_version_count('%s+');", table, table, table, table);
	return buf_detach(&b, NULL);
}

static char *pg_column_version_ddl(const char *table, const char *mech, const char *cols)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "INSERT INTO table_version (name) VALUES ('%s@%s') ON CONFLICT DO NOTHING;"
		 "CREATE OR REPLACE TRIGGER %s_%s_version AFTER UPDATE OF %s ON %s FOR EACH "
		 "STATEMENT EXECUTE FUNCTION table_version_count('%s@%s');", table, mech, table,
		 mech, cols, table, table, mech);
	return buf_detach(&b, NULL);
}

const struct store_vtable store_pg_vtable = {
	.version_ddl = pg_version_ddl,
	.column_version_ddl = pg_column_version_ddl,
	.version_triggers = 1,
	.rows_triggers = 1,
	/* the enabled version triggers there are, and which table each is on (a table made
	 * again has a new oid) */
	.schema_stamp_sql = "SELECT count(*) FILTER (WHERE tgenabled <> 'D') || ' ' || "
			    "coalesce(string_agg(tgrelid::text || ' ' || tgname || ' ' || tgenabled::text, "
			    "',' ORDER BY tgname), '') FROM pg_trigger WHERE tgname LIKE '%\\_version'",
	/* the planner's row count (-1 before the first ANALYZE: then grow from nothing) */
	.row_estimate_sql = "SELECT greatest(reltuples, 0)::bigint FROM pg_class "
			    "WHERE oid = CAST('%s' AS regclass)",
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.column_int = pg_column_int,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.begin = pg_begin,
	.reader = pg_reader,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.ddl = pg_ddl,
	.exists = pg_exists,
	.remove = pg_remove,
	.bulk_begin = pg_bulk_begin,
	.bulk_end = pg_bulk_end,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
};
