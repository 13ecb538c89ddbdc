/* store.c: what every store implementation shares: opening, numbered schema migrations
 * (embedded from schema.sql), transactions and small query helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* schema.sql, embedded by the Makefile as a C string (schema_sql.c). */
extern const char eduhq_schema_sql[];

/* Migrations are the blocks of schema.sql that start with a line "-- migration N". */
struct migration {
	int version;
	const char *sql;
	size_t len;
};

static int find_migrations(struct migration *m, int max)
{
	const char *p = eduhq_schema_sql;
	int n = 0;
	while ((p = strstr(p, "-- migration ")) != NULL) {
		if (p != eduhq_schema_sql && p[-1] != '\n') {
			p++;
			continue;
		}
		if (n == max)
			BUG("too many migrations");
		m[n].version = atoi(p + 13);
		p = strchr(p, '\n');
		if (!p)
			break;
		m[n].sql = ++p;
		n++;
	}
	for (int i = 0; i < n; i++) {
		const char *end = i + 1 < n ? m[i + 1].sql : eduhq_schema_sql + strlen(eduhq_schema_sql);
		m[i].len = (size_t)(end - m[i].sql);
		if (m[i].version != i + 1)
			BUG("schema.sql: migration %d out of order", m[i].version);
	}
	return n;
}

int store_schema_version_built(void)
{
	struct migration m[64];
	return find_migrations(m, 64);
}

int store_query_int(struct store *s, const char *sql, int64_t *out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int r;
	if (!st)
		return e->code;
	r = store_step(st, e);
	if (r == 1)
		*out = store_column_int(st, 0);
	store_finalize(st);
	return r < 0 ? r : 0;
}

int store_row_estimate(struct store *s, const char *table, int64_t *n, struct err *e)
{
	struct buf sql = BUF_INIT;
	int r;

	*n = 0;
	buf_addf(&sql, s->vt->row_estimate_sql ? s->vt->row_estimate_sql : "SELECT count(*) FROM %s",
		 table);
	r = store_query_int(s, sql.buf, n, e);
	buf_release(&sql);
	return r;
}

int store_schema_version(struct store *s)
{
	struct err e = ERR_INIT;
	int64_t v = 0;
	if (store_query_int(s, "SELECT value FROM meta WHERE key = 'schema_version'", &v, &e) < 0)
		return 0;
	return (int)v;
}

static int migrate(struct store *s, struct err *e)
{
	struct migration m[64];
	int n = find_migrations(m, 64), have = store_schema_version(s);

	if (have > n)
		return err_set(e, ERR_DB,
			       "database '%s' has schema version %d, newer than this eduhq (%d); "
			       "use a newer eduhq", s->path, have, n);
	if (have == n)
		return 0;
	if (store_begin(s, e) < 0)
		return e->code;
	for (int i = have; i < n; i++) {
		char v[32];
		char *raw = xstrndup(m[i].sql, m[i].len), *sql = store_ddl(s, raw);
		free(raw);
		if (store_exec(s, sql, e) < 0) {
			free(sql);
			store_rollback(s);
			err_prefix(e, "migration %d", m[i].version);
			return e->code;
		}
		free(sql);
		snprintf(v, sizeof(v), "%d", m[i].version);
		if (store_meta_set(s, "schema_version", v, e) < 0) {
			store_rollback(s);
			return e->code;
		}
	}
	return store_commit(s, e);
}

char *store_ddl(struct store *s, const char *sql)
{
	return s->vt->ddl ? s->vt->ddl(sql) : xstrdup(sql);
}

int store_is_url(const char *url)
{
	return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

const struct store_vtable *store_backend(const char *url)
{
	return store_is_url(url) ? &store_pg_vtable : &store_sqlite_vtable;
}

int store_exists(const char *url) { return store_backend(url)->exists(url); }
void store_remove(const char *url) { store_backend(url)->remove(url); }

static int not_eduhq(const char *path, struct err *e)
{
	return err_set(e, ERR_DATA, "'%s' is not an eduhq database (empty or another kind of "
		       "file); 'eduhq init' creates one", path);
}

struct store *store_open(const char *path, int flags, struct err *e)
{
	struct store *s;
	struct stat st;
	if (!(flags & STORE_CREATE) && !store_exists(path)) {
		err_set(e, ERR_IO, "no database at '%s'; run 'eduhq init' first (or pass --db)", path);
		return NULL;
	}
	if (!(flags & STORE_CREATE) && !store_is_url(path) && stat(path, &st) == 0 &&
	    st.st_size == 0)
		goto not_ours; /* SQLite would write into it: refuse before opening */
	s = xcalloc(1, sizeof(*s));
	s->vt = store_backend(path);
	s->path = xstrdup(path);
	if (s->vt->open(s, path, flags, e) < 0 ||
	    (!(flags & STORE_CREATE) && store_schema_version(s) == 0 && not_eduhq(path, e) < 0) ||
	    (!(flags & STORE_READONLY) && migrate(s, e) < 0)) {
		store_close(s);
		return NULL;
	}
	return s;
not_ours:
	not_eduhq(path, e);
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->impl)
		s->vt->close(s);
	free(s->path);
	free(s);
}

struct store *store_open_reader(struct store *s)
{
	struct err e = ERR_INIT;
	struct store *r;
	if (!s->vt->reader || s->depth < 1)
		return NULL;
	r = s->vt->reader(s, &e);
	if (r)
		r->depth = 1;
	return r;
}

int store_begin(struct store *s, struct err *e)
{
	char sql[48];
	if (s->depth == 0) {
		if (s->vt->begin(s, e) < 0)
			return e->code;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", s->depth);
		if (store_exec(s, sql, e) < 0)
			return e->code;
	}
	s->depth++;
	return 0;
}

int store_commit(struct store *s, struct err *e)
{
	char sql[48];
	if (s->depth <= 0)
		BUG("store_commit without a transaction");
	if (s->depth == 1) {
		if (s->vt->commit(s, e) < 0) {
			s->vt->rollback(s);
			s->depth = 0;
			return e->code;
		}
	} else {
		snprintf(sql, sizeof(sql), "RELEASE sp%d", s->depth - 1);
		if (store_exec(s, sql, e) < 0)
			return e->code;
	}
	s->depth--;
	return 0;
}

void store_rollback(struct store *s)
{
	struct err e = ERR_INIT;
	char sql[64];
	if (s->depth <= 0)
		return;
	if (s->depth == 1) {
		s->vt->rollback(s);
	} else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d", s->depth - 1,
			 s->depth - 1);
		store_exec(s, sql, &e);
	}
	s->depth--;
}

int store_finish(struct store *s, int rc, struct err *e)
{
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_bulk_begin(struct store *s, const char *table, int empty, int all_cols, struct err *e)
{
	return s->vt->bulk_begin ? s->vt->bulk_begin(s, table, empty, all_cols, e) : 0;
}

int store_bulk_end(struct store *s, struct err *e)
{
	return s->vt->bulk_end ? s->vt->bulk_end(s, e) : 0;
}

int store_bind_text(struct store_stmt *st, int i, const char *v)
{
	return v ? store_bind_textn(st, i, v, strlen(v)) : store_bind_null(st, i);
}

int store_bind_text_opt(struct store_stmt *st, int i, const char *v)
{
	return v && *v ? store_bind_text(st, i, v) : store_bind_null(st, i);
}

int store_has_row(struct store *s, const char *sql, const char *key, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, key);
	r = store_step(st, e);
	store_finalize(st);
	return r;
}

char *store_meta_get(struct store *s, const char *key)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, "SELECT value FROM meta WHERE key = ?1", &e);
	char *r = NULL;
	if (!st)
		return NULL;
	store_bind_text(st, 1, key);
	if (store_step(st, &e) == 1 && store_column_text(st, 0))
		r = xstrdup(store_column_text(st, 0));
	store_finalize(st);
	return r;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	struct store_stmt *st = store_prepare(
		s, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
		   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? r : 0;
}
