/* store.h: the database behind eduhq, as a small vtable: SQL statements in a portable
 * dialect, transactions, bulk loading, and the schema with its migrations.
 *
 * Two implementations: SQLite (store_sqlite.c, the embedded default) and PostgreSQL
 * (store_pg.c, libpq), chosen by the database URL: `postgresql://...` (or `postgres://`) is
 * PostgreSQL, anything else a SQLite file path. Both pass the conformance tests
 * (t/unit/test_store.c). SQL is always prepared with bound parameters (?1, ?2, ...).
 *
 * The portable dialect, what callers outside store*.c may write: ?N placeholders; no
 * `IS NOT ?N` (use IS DISTINCT FROM), no INSERT OR ..., no GLOB, no rowid, no PRAGMA, no
 * sqlite_master, no json functions; INSERT ... ON CONFLICT (...) DO UPDATE/NOTHING and
 * INSERT ... RETURNING for generated ids; a subquery in FROM has an alias; a parameter's
 * first use gives its type (`?N IS NULL` or a bare select item does not: write
 * CAST(?N AS TEXT) there); a comparison
 * is not a number (use CASE WHEN); text sorts byte-wise on both backends. Numbers come back
 * as INT or FLOAT, booleans as INT 0/1.
 *
 * Conventions: functions returning int give 0 on success or a negative ERR_* code with
 * `e` filled. store_step() returns 1 when a row is ready, 0 when done, negative on error. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;
struct store_stmt;

enum store_type { STORE_NULL = 0, STORE_INT, STORE_FLOAT, STORE_TEXT, STORE_BLOB };

enum store_open_flags {
	STORE_CREATE = 1,   /* create the file if missing (only `init` and `demo` do) */
	STORE_READONLY = 2,
};

struct store_vtable {
	const char *name;
	int (*open)(struct store *s, const char *path, int flags, struct err *e);
	void (*close)(struct store *s);
	int (*exec)(struct store *s, const char *sql, struct err *e);
	struct store_stmt *(*prepare)(struct store *s, const char *sql, struct err *e);
	int (*bind_int)(struct store_stmt *st, int idx, int64_t v);
	int (*bind_double)(struct store_stmt *st, int idx, double v);
	int (*bind_text)(struct store_stmt *st, int idx, const char *v, size_t len);
	int (*bind_null)(struct store_stmt *st, int idx);
	int (*step)(struct store_stmt *st, struct err *e);
	int (*column_count)(struct store_stmt *st);
	const char *(*column_name)(struct store_stmt *st, int col);
	enum store_type (*column_type)(struct store_stmt *st, int col);
	int64_t (*column_int)(struct store_stmt *st, int col);
	double (*column_double)(struct store_stmt *st, int col);
	/* Borrowed until the next step/reset/finalize; NULL for SQL NULL. */
	const char *(*column_text)(struct store_stmt *st, int col);
	void (*reset)(struct store_stmt *st);
	void (*finalize)(struct store_stmt *st);
	int64_t (*changes)(struct store *s);
	/* Optional (NULL: bind_text is used): text the caller keeps valid and unchanged until
	 * the next reset/finalize, bound without a copy (bulk import). */
	int (*bind_text_static)(struct store_stmt *st, int idx, const char *v, size_t len);
	/* The outermost transaction (SQLite: BEGIN IMMEDIATE, a writer from the start). */
	int (*begin)(struct store *s, struct err *e);
	int (*commit)(struct store *s, struct err *e);
	void (*rollback)(struct store *s);

	/* Schema: the backend's form of a migration written in SQLite's dialect (schema.sql):
	 * new string, or NULL to run it as is. */
	char *(*ddl)(const char *sql);
	/* Whether a database exists at url (for `init`, which refuses to overwrite one), and
	 * removing what a failed `init` created. */
	int (*exists)(const char *url);
	void (*remove)(const char *url);

	/* Bulk loading into table inside the current transaction (import): bulk_begin tunes for
	 * it (and may drop an empty table's secondary indexes), bulk_end restores (rebuilding
	 * them) before the commit; after a rollback bulk_end(s, NULL) only resets settings.
	 * all_cols: every column is written, and validated in C already. */
	int (*bulk_begin)(struct store *s, const char *table, int empty, int all_cols,
			  struct err *e);
	int (*bulk_end)(struct store *s, struct err *e);
	/* The SQL inserting nrows rows of cols at once, parameters numbered row by row; the
	 * rows before a failing one stay inserted. NULL: not supported. */
	char *(*multi_insert_sql)(const char *table, const char *const *cols, int ncols,
				  int nrows);
	/* Streaming new rows (PostgreSQL's COPY); NULL: not supported. While a copy is open
	 * no other statement runs. copy_end returns the 1-based row that failed in *bad_row
	 * (0 unknown). vals[i] NULL is SQL NULL. */
	int (*copy_begin)(struct store *s, const char *table, const char *const *cols, int ncols,
			  struct err *e);
	int (*copy_row)(struct store *s, const char *const *vals, const size_t *lens, int n,
			struct err *e);
	int (*copy_end)(struct store *s, long *bad_row, struct err *e);
};

struct store {
	const struct store_vtable *vt;
	void *impl;
	char *path;
	int depth;   /* open transactions: 1 the outermost, more are savepoints */
};

extern const struct store_vtable store_sqlite_vtable;
extern const struct store_vtable store_pg_vtable;

/* The implementation for a database URL (never NULL). */
const struct store_vtable *store_backend(const char *url);
/* 1 when url names a PostgreSQL database. */
int store_is_url(const char *url);
/* Does a database exist at url? Remove what a failed `init` made there. */
int store_exists(const char *url);
void store_remove(const char *url);

/* Open (and migrate) the database at url (a SQLite path or a postgresql:// URL). Refuses a
 * missing database unless STORE_CREATE, and one whose schema is newer than this binary.
 * Returns a new store or NULL with e set. */
struct store *store_open(const char *path, int flags, struct err *e);
void store_close(struct store *s);

/* sql (DDL in SQLite's dialect, as schema.sql) in the backend's dialect: new string. */
char *store_ddl(struct store *s, const char *sql);

/* Schema version this binary knows, and the one in the open database. */
int store_schema_version_built(void);
int store_schema_version(struct store *s);

static inline int store_exec(struct store *s, const char *sql, struct err *e) { return s->vt->exec(s, sql, e); }
static inline struct store_stmt *store_prepare(struct store *s, const char *sql, struct err *e) { return s->vt->prepare(s, sql, e); }
/* Transactions nest: the outermost is the backend's transaction, an inner one a savepoint,
 * so a function that writes atomically can be called inside a caller's transaction (an
 * evaluation run stores everything it writes in one). A failed commit of the outermost
 * transaction rolls it back. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* Statement access; st->store gives the vtable. */
struct store_stmt {
	struct store *store;
};
static inline int store_bind_int(struct store_stmt *st, int i, int64_t v) { return st->store->vt->bind_int(st, i, v); }
static inline int store_bind_double(struct store_stmt *st, int i, double v) { return st->store->vt->bind_double(st, i, v); }
static inline int store_bind_null(struct store_stmt *st, int i) { return st->store->vt->bind_null(st, i); }
/* Binds NULL when v is NULL. */
int store_bind_text(struct store_stmt *st, int i, const char *v);
static inline int store_bind_textn(struct store_stmt *st, int i, const char *v, size_t n) { return st->store->vt->bind_text(st, i, v, n); }
/* v (not NULL) must stay valid and unchanged until the next store_reset/store_finalize. */
static inline int store_bind_textn_static(struct store_stmt *st, int i, const char *v, size_t n)
{
	return st->store->vt->bind_text_static ? st->store->vt->bind_text_static(st, i, v, n)
					       : st->store->vt->bind_text(st, i, v, n);
}
static inline int store_step(struct store_stmt *st, struct err *e) { return st->store->vt->step(st, e); }
static inline int store_column_count(struct store_stmt *st) { return st->store->vt->column_count(st); }
static inline const char *store_column_name(struct store_stmt *st, int c) { return st->store->vt->column_name(st, c); }
static inline enum store_type store_column_type(struct store_stmt *st, int c) { return st->store->vt->column_type(st, c); }
static inline int64_t store_column_int(struct store_stmt *st, int c) { return st->store->vt->column_int(st, c); }
static inline double store_column_double(struct store_stmt *st, int c) { return st->store->vt->column_double(st, c); }
static inline const char *store_column_text(struct store_stmt *st, int c) { return st->store->vt->column_text(st, c); }
static inline void store_reset(struct store_stmt *st) { st->store->vt->reset(st); }
static inline void store_finalize(struct store_stmt *st) { if (st) st->store->vt->finalize(st); }
static inline int64_t store_changes(struct store *s) { return s->vt->changes(s); }

/* Bulk loading (see the vtable); the optional parts report whether the backend has them. */
int store_bulk_begin(struct store *s, const char *table, int empty, int all_cols, struct err *e);
int store_bulk_end(struct store *s, struct err *e);
static inline int store_has_copy(struct store *s) { return s->vt->copy_begin != NULL; }
static inline char *store_multi_insert_sql(struct store *s, const char *table,
					   const char *const *cols, int ncols, int nrows)
{
	return s->vt->multi_insert_sql ? s->vt->multi_insert_sql(table, cols, ncols, nrows) : NULL;
}
static inline int store_copy_begin(struct store *s, const char *table, const char *const *cols,
				   int ncols, struct err *e)
{
	return s->vt->copy_begin(s, table, cols, ncols, e);
}
static inline int store_copy_row(struct store *s, const char *const *vals, const size_t *lens,
				 int n, struct err *e)
{
	return s->vt->copy_row(s, vals, lens, n, e);
}
static inline int store_copy_end(struct store *s, long *bad_row, struct err *e)
{
	return s->vt->copy_end(s, bad_row, e);
}

/* Run a statement that returns at most one integer; *out untouched if no row. */
int store_query_int(struct store *s, const char *sql, int64_t *out, struct err *e);
/* Text value of meta key (new string, caller frees) or NULL. */
char *store_meta_get(struct store *s, const char *key);
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

#endif
