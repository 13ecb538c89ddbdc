/* svc_registry.c: registry rows one at a time, in a scope: list, get, insert-or-update and
 * delete by natural key, for the API and the CLI's edits. Values are validated by
 * table_validate_row() and referenced keys checked here; SQL is built from the column
 * registry (identifiers from table.c only, values always bound). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "export.h"
#include "scope.h"
#include "store.h"
#include "svc.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* The scope as SQL: a condition on the row (alias r) through the table's scope column
 * (table.c, scope.c), with the area bound as ?A and the school as ?S (their numbers
 * given). City-wide tables (RS_CITY) are visible in every scope. */
static int scope_sql(const struct table *t, const struct svc_scope *sc, int pa, int ps,
		     struct buf *cond)
{
	if (sc)
		scope_cond_pair(cond, t, "r", sc->area, sc->school, pa, ps);
	return 0;
}

/* SELECT of every stored column of t, in scope, with extra conditions on the key when
 * bykey (?1.. the key values; the scope after them), and q's filters, order and page. */
static struct store_stmt *select_rows(struct store *s, const struct table *t, int bykey,
				      const struct svc_scope *sc, const struct registry_query *q,
				      int *nbound, struct err *e)
{
	struct buf sql = BUF_INIT, cond = BUF_INIT;
	int idx[8], nk = table_key_cols(t, idx), n = 0, base = bykey ? nk : 0;
	struct store_stmt *st = NULL;

	scope_sql(t, sc, base + 1, base + 2, &cond);
	buf_adds(&sql, "SELECT ");
	for (int i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & TCOL_VIRTUAL))
			buf_addf(&sql, "%sr.%s", n++ ? ", " : "", t->cols[i].name);
	buf_addf(&sql, " FROM %s r WHERE 1 = 1", t->name);
	for (int k = 0; bykey && k < nk; k++)
		buf_addf(&sql, " AND r.%s = ?%d", t->cols[idx[k]].name, k + 1);
	for (int f = 0; q && f < q->nfilters; f++)
		buf_addf(&sql, " AND r.%s = ?%d", t->cols[q->filter_col[f]].name, base + 3 + f);
	buf_addf(&sql, "%s ORDER BY ", cond.buf);
	if (q && q->sort_col >= 0)
		buf_addf(&sql, "r.%s%s, ", t->cols[q->sort_col].name, q->desc ? " DESC" : "");
	for (int k = 0; k < nk; k++)
		buf_addf(&sql, "%sr.%s%s", k ? ", " : "", t->cols[idx[k]].name,
			 q && q->desc && q->sort_col < 0 ? " DESC" : "");
	if (q && q->limit > 0)
		buf_addf(&sql, " LIMIT %ld OFFSET %ld", q->limit, q->offset);
	st = store_prepare(s, sql.buf, e);
	if (st) {
		if (sc && nonempty(sc->area))
			store_bind_text(st, base + 1, sc->area);
		if (sc && nonempty(sc->school))
			store_bind_text(st, base + 2, sc->school);
		for (int f = 0; q && f < q->nfilters; f++)
			store_bind_text(st, base + 3 + f, q->filter_val[f]);
		*nbound = base;
	}
	buf_release(&sql);
	buf_release(&cond);
	return st;
}

/* Call fn with the current row of st (stored columns in order, virtual ones NULL). */
static int emit(struct store_stmt *st, const struct table *t, svc_row_fn fn, void *arg)
{
	const char *vals[64];
	int j = 0;
	if (t->ncols > (int)ARRAY_SIZE(vals))
		BUG("table '%s' has too many columns", t->name);
	for (int i = 0; i < t->ncols; i++)
		vals[i] = (t->cols[i].flags & TCOL_VIRTUAL) ? NULL : store_column_text(st, j++);
	return fn(arg, t, vals);
}

int registry_list(struct store *s, const struct table *t, const struct svc_scope *sc,
		  svc_row_fn fn, void *arg, struct err *e)
{
	return registry_page(s, t, sc, NULL, fn, arg, e);
}

int registry_page(struct store *s, const struct table *t, const struct svc_scope *sc,
		  const struct registry_query *q, svc_row_fn fn, void *arg, struct err *e)
{
	int nb, r, cr = 0;
	struct store_stmt *st = select_rows(s, t, 0, sc, q, &nb, e);
	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1)
		if ((cr = emit(st, t, fn, arg)) != 0)
			break;
	store_finalize(st);
	return r < 0 ? r : cr;
}

int registry_get(struct store *s, const struct table *t, const char *const *key,
		 const struct svc_scope *sc, svc_row_fn fn, void *arg, struct err *e)
{
	int nb, r;
	struct store_stmt *st = select_rows(s, t, 1, sc, NULL, &nb, e);
	if (!st)
		return e->code;
	for (int k = 0; k < nb; k++)
		store_bind_text(st, k + 1, key[k]);
	r = store_step(st, e);
	if (r == 1 && fn)
		emit(st, t, fn, arg);
	store_finalize(st);
	return r;
}

static int add_err(struct row_errors *errs, const struct table *t, const char *key, int c,
		   const char *code, const char *en, const char *zh)
{
	struct row_error *x;
	ALLOC_GROW(errs->v, errs->nr + 1, errs->alloc);
	x = &errs->v[errs->nr++];
	memset(x, 0, sizeof(*x));
	x->table = t->name;
	snprintf(x->key, sizeof(x->key), "%s", key);
	x->column = c >= 0 ? t->cols[c].name : NULL;
	x->code = code;
	snprintf(x->en, sizeof(x->en), "%s", en);
	snprintf(x->zh, sizeof(x->zh), "%s", zh);
	return ERR_DATA;
}

/* Single-column foreign keys of the row: the referenced row must exist. */
static int check_refs(struct store *s, const struct table *t, const struct table_row *row,
		      const char *key, struct row_errors *errs, struct err *e)
{
	int bad = 0;
	for (int c = 0; c < t->ncols; c++) {
		const char *ref = t->cols[c].ref, *dot;
		struct buf sql = BUF_INIT, en = BUF_INIT, zh = BUF_INIT;
		struct store_stmt *st;
		int r;
		if (!ref || !row->vals[c] || !(dot = strchr(ref, '.')))
			continue;
		buf_addf(&sql, "SELECT 1 FROM %.*s WHERE %s = ?1", (int)(dot - ref), ref, dot + 1);
		st = store_prepare(s, sql.buf, e);
		buf_release(&sql);
		if (!st)
			return e->code;
		store_bind_text(st, 1, row->vals[c]);
		r = store_step(st, e);
		store_finalize(st);
		if (r < 0)
			return r;
		if (r == 0) {
			buf_addf(&en, "'%s' not found in %s", row->vals[c], ref);
			buf_addf(&zh, "%s：'%s' 不存在（%s）", t->cols[c].zh, row->vals[c], ref);
			add_err(errs, t, key, c, "not_found", en.buf, zh.buf);
			bad = 1;
		}
		buf_release(&en);
		buf_release(&zh);
	}
	return bad ? ERR_DATA : 0;
}

/* Is the (validated) row in scope? A scoped caller may only write rows it can see, and no
 * city-wide row (those are the city's to write). */
static int row_in_scope(struct store *s, const struct table *t, const struct table_row *row,
			const struct svc_scope *sc, struct err *e)
{
	struct buf sql = BUF_INIT, cond = BUF_INIT;
	struct store_stmt *st;
	int r;

	if (!sc || (!nonempty(sc->area) && !nonempty(sc->school)))
		return 1;
	if (t->scope == RS_CITY)
		return 0;
	scope_sql(t, sc, 1, 2, &cond);
	/* the row's scope columns, as a one-row table r */
	buf_addf(&sql, "SELECT 1 FROM (SELECT CAST(?3 AS TEXT) AS %s", t->scope_col);
	if (t->scope_area)
		buf_addf(&sql, ", CAST(?4 AS TEXT) AS %s", t->scope_area);
	buf_addf(&sql, ") r WHERE 1 = 1%s", cond.buf);
	st = store_prepare(s, sql.buf, e);
	if (!st) {
		r = e->code;
		goto out;
	}
	if (nonempty(sc->area))
		store_bind_text(st, 1, sc->area);
	if (nonempty(sc->school))
		store_bind_text(st, 2, sc->school);
	store_bind_text(st, 3, row->vals[table_col_of(t, t->scope_col)]);
	if (t->scope_area)
		store_bind_text(st, 4, row->vals[table_col_of(t, t->scope_area)]);
	r = store_step(st, e);
	store_finalize(st);
out:
	buf_release(&sql);
	buf_release(&cond);
	return r;
}

/* The stored row of key as a JSON object (new text), NULL when absent: the audit log's
 * before and after. ID numbers are stored only masked and hashed, so nothing to mask. */
static int row_json_fn(void *arg, const struct table *t, const char *const *vals)
{
	json_t *o = json_object();
	for (int i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & TCOL_VIRTUAL))
			json_object_set_new(o, t->cols[i].name, vals[i] ? json_string(vals[i]) : json_null());
	*(char **)arg = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return 0;
}

static char *row_json(struct store *s, const struct table *t, const char *const *key, struct err *e)
{
	char *txt = NULL;
	registry_get(s, t, key, NULL, row_json_fn, &txt, e);
	return txt;
}

static int write_row(struct store *s, const struct table *t, const struct table_row *row,
		     struct err *e)
{
	struct buf sql = BUF_INIT, set = BUF_INIT;
	int idx[8], nk = table_key_cols(t, idx), n = 0, r;
	struct store_stmt *st;

	buf_addf(&sql, "INSERT INTO %s (", t->name);
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].flags & TCOL_VIRTUAL)
			continue;
		buf_addf(&sql, "%s%s", n++ ? ", " : "", t->cols[i].name);
		if (!(t->cols[i].flags & TCOL_KEY))
			buf_addf(&set, "%s%s = excluded.%s", set.len ? ", " : "", t->cols[i].name,
				 t->cols[i].name);
	}
	buf_adds(&sql, ") VALUES (");
	for (int i = 0; i < n; i++)
		buf_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
	buf_adds(&sql, ") ON CONFLICT (");
	for (int k = 0; k < nk; k++)
		buf_addf(&sql, "%s%s", k ? ", " : "", t->cols[idx[k]].name);
	if (set.len)
		buf_addf(&sql, ") DO UPDATE SET %s", set.buf);
	else
		buf_adds(&sql, ") DO NOTHING");
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	buf_release(&set);
	if (!st)
		return e->code;
	n = 0;
	for (int i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & TCOL_VIRTUAL))
			store_bind_text(st, ++n, row->vals[i]);
	r = store_step(st, e);
	store_finalize(st);
	return r < 0 ? r : 0;
}

int registry_upsert(struct store *s, const struct table *t, const char *const *raw,
		    const struct svc_scope *sc, const struct actor *who, struct row_errors *errs,
		    int *created, struct err *e)
{
	char *before = NULL, *after = NULL;
	struct table_row row;
	const char *key[8];
	struct buf kb = BUF_INIT;
	int idx[8], nk = table_key_cols(t, idx), rc, r;

	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].flags & TCOL_VIRTUAL)
			return err_set(e, ERR_USAGE, "%s rows are written by 'eduhq import' (the %s "
				       "is hashed with the key file)", t->name, t->cols[i].name);
	table_row_init(&row, t);
	if ((rc = table_validate_row(t, raw, &row, errs)) < 0) {
		err_set(e, ERR_DATA, "%s: %zu invalid values", t->name, errs->nr);
		goto out;
	}
	for (int k = 0; k < nk; k++) {
		key[k] = row.vals[idx[k]];
		buf_addf(&kb, "%s%s", k ? "/" : "", key[k]);
	}
	if ((rc = store_begin(s, e)) < 0)
		goto out;
	if ((rc = check_refs(s, t, &row, kb.buf, errs, e)) < 0) {
		if (rc == ERR_DATA)
			err_set(e, ERR_DATA, "%s %s: a referenced row does not exist", t->name, kb.buf);
		goto fail;
	}
	/* the row as it is now (when it exists) must be in scope, and as it will be */
	if ((r = registry_get(s, t, key, NULL, NULL, NULL, e)) < 0) {
		rc = r;
		goto fail;
	}
	if ((r == 1 && (rc = registry_get(s, t, key, sc, NULL, NULL, e)) <= 0) ||
	    (rc = row_in_scope(s, t, &row, sc, e)) <= 0) {
		if (rc == 0)
			rc = err_set(e, ERR_PERM, "%s %s is outside your scope", t->name, kb.buf);
		goto fail;
	}
	if (r == 1 && !(before = row_json(s, t, key, e))) {
		rc = e->code ? e->code : ERR_DB;
		goto fail;
	}
	if ((rc = write_row(s, t, &row, e)) < 0)
		goto fail;
	after = row_json(s, t, key, e);
	if (before && after && !strcmp(before, after)) {
		rc = store_commit(s, e); /* nothing changed: nothing to record */
	} else if ((rc = audit_write(s, who, r ? "update" : "insert", t->name, kb.buf, before, after, e)) == 0) {
		rc = store_commit(s, e);
	}
	if (rc < 0)
		goto fail;
	*created = r == 0;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	free(before);
	free(after);
	buf_release(&kb);
	table_row_release(&row);
	return rc;
}

int registry_delete(struct store *s, const struct table *t, const char *const *key,
		    const struct svc_scope *sc, const struct actor *who, struct err *e)
{
	struct buf sql = BUF_INIT, kb = BUF_INIT;
	char *before = NULL;
	struct store_stmt *st = NULL;
	int idx[8], nk = table_key_cols(t, idx), r;

	if ((r = store_begin(s, e)) < 0)
		return r;
	if ((r = registry_get(s, t, key, sc, NULL, NULL, e)) <= 0)
		goto out;
	before = row_json(s, t, key, e);
	for (int k = 0; k < nk; k++)
		buf_addf(&kb, "%s%s", k ? "/" : "", key[k]);
	buf_addf(&sql, "DELETE FROM %s WHERE ", t->name);
	for (int k = 0; k < nk; k++)
		buf_addf(&sql, "%s%s = ?%d", k ? " AND " : "", t->cols[idx[k]].name, k + 1);
	if (!(st = store_prepare(s, sql.buf, e))) {
		r = e->code;
		goto out;
	}
	for (int k = 0; k < nk; k++)
		store_bind_text(st, k + 1, key[k]);
	if ((r = store_step(st, e)) < 0) {
		/* the database's own words name its connection and differ by backend */
		r = err_set(e, ERR_DATA, "%s %s cannot be deleted: other rows refer to it", t->name,
			    kb.buf);
		goto out;
	}
	if ((r = audit_write(s, who, "delete", t->name, kb.buf, before, NULL, e)) < 0 ||
	    (r = store_commit(s, e)) < 0)
		goto out;
	r = 1;
out:
	store_finalize(st);
	free(before);
	buf_release(&kb);
	buf_release(&sql);
	if (r <= 0)
		store_rollback(s);
	return r;
}

struct xlsx_sink {
	struct export_xlsx *x;
	struct err *e; /* a cell's error (the page's own errors go to the caller's) */
};

static int xlsx_row(void *arg, const struct table *t, const char *const *vals)
{
	struct xlsx_sink *c = arg;
	(void)t;
	return export_xlsx_vals(c->x, vals, c->e) < 0 ? -1 : 0;
}

int registry_export_xlsx(struct store *s, const struct table *t, const struct svc_scope *sc,
			 const struct registry_query *q, const char *file, const char *name,
			 long *nrows, struct err *e)
{
	struct err e2 = ERR_INIT;
	struct xlsx_sink c = { export_xlsx_open(file, name, t, e), &e2 };
	int rc;
	if (!c.x)
		return e->code;
	rc = registry_page(s, t, sc, q, xlsx_row, &c, e);
	if (rc < 0 || e2.code) {
		if (e2.code)
			*e = e2;
		export_xlsx_close(c.x, nrows, NULL);
		return e->code;
	}
	return export_xlsx_close(c.x, nrows, e);
}
