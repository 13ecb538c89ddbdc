/* store.h: the database behind eduhq, as a small vtable over SQL statements.
 *
 * Callers use only these functions; SQLite (store_sqlite.c) is the embedded implementation
 * and a PostgreSQL one can be added as a second `struct store_vtable` without touching
 * callers. SQL is always prepared with bound parameters (?1, ?2, ... placeholders).
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
	int64_t (*last_id)(struct store *s);
	/* Optional (NULL: bind_text is used): text the caller keeps valid and unchanged until
	 * the next reset/finalize, bound without a copy (bulk import). */
	int (*bind_text_static)(struct store_stmt *st, int idx, const char *v, size_t len);
};

struct store {
	const struct store_vtable *vt;
	void *impl;
	char *path;
};

extern const struct store_vtable store_sqlite_vtable;

/* Open (and migrate) the database at path. Refuses a missing file unless STORE_CREATE, a file
 * without an eduhq schema (an empty file: it would get a schema but no rules and no key)
 * unless STORE_CREATE, and a
 * database whose schema is newer than this binary. Returns a new store or NULL with e set. */
struct store *store_open(const char *path, int flags, struct err *e);
void store_close(struct store *s);

/* Schema version this binary knows, and the one in the open database. */
int store_schema_version_built(void);
int store_schema_version(struct store *s);

static inline int store_exec(struct store *s, const char *sql, struct err *e) { return s->vt->exec(s, sql, e); }
static inline struct store_stmt *store_prepare(struct store *s, const char *sql, struct err *e) { return s->vt->prepare(s, sql, e); }
int store_begin(struct store *s, struct err *e);     /* BEGIN IMMEDIATE */
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
static inline int64_t store_last_id(struct store *s) { return s->vt->last_id(s); }

/* Run a statement that returns at most one integer; *out untouched if no row. */
int store_query_int(struct store *s, const char *sql, int64_t *out, struct err *e);
/* Text value of meta key (new string, caller frees) or NULL. */
char *store_meta_get(struct store *s, const char *key);
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

#endif
