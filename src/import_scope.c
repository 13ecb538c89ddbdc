/* import_scope.c: an import by a county or school user. Every row must lie in the caller's
 * scope, and a stored row it replaces as well; otherwise the row is an error of the file
 * (FILE:LINE: column NAME: ...) and nothing is imported. The scope is the one rule of
 * scope.c: what the caller may see, it may import. Both sets are loaded once, through the
 * same scope condition every registry query appends, and rows are checked in memory. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "import_internal.h"
#include "scope.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* Load into ks the columns cols of table tn (joined by \x1f, as build_key does) of its
 * rows in the caller's scope. */
static int load_scoped(struct imp *m, struct kset *ks, const char *tn, const int *cols, int n,
		       struct err *e)
{
	const struct table *t = table_find(tn);
	const struct import_opts *o = m->o;
	struct buf sql = BUF_INIT, kb = BUF_INIT;
	struct store_stmt *st;
	int r;

	if (!t)
		BUG("import scope: no table '%s'", tn);
	buf_adds(&sql, "SELECT ");
	for (int i = 0; i < n; i++)
		buf_addf(&sql, "%sr.%s", i ? ", " : "", t->cols[cols[i]].name);
	buf_addf(&sql, " FROM %s r WHERE 1 = 1", t->name);
	scope_cond_pair(&sql, t, "r", o->scope_area, o->scope_school, 1, 2);
	st = store_prepare(m->s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	if (nonempty(o->scope_area))
		store_bind_text(st, 1, o->scope_area);
	if (nonempty(o->scope_school))
		store_bind_text(st, 2, o->scope_school);
	while ((r = store_step(st, e)) == 1) {
		buf_reset(&kb);
		for (int i = 0; i < n; i++) {
			const char *v = store_column_text(st, i);
			if (i)
				buf_addch(&kb, '\x1f');
			buf_adds(&kb, v ? v : "");
		}
		kset_get(ks, &m->a, kb.buf, kb.len, 1, 0, NULL);
	}
	store_finalize(st);
	buf_release(&kb);
	return r < 0 ? r : 0;
}

int import_scope_setup(struct imp *m, struct err *e)
{
	static const char *const target[] = {
		[RS_AREA] = "area", [RS_SCHOOL] = "school", [RS_TEACHER] = "teacher",
	};
	const struct table *t = m->t;
	enum row_scope rs = t->scope;
	const char *col = t->scope_col;
	int key[8], nk, code;
	const struct table *tt;

	if (!nonempty(m->o->scope_area) && !nonempty(m->o->scope_school))
		return 0;
	if (rs == RS_CITY) /* the caller's role may not write it: refused before an import */
		return err_set(e, ERR_PERM, "table '%s' is city-wide: only the city administrator writes it",
			       t->name);
	if (nonempty(m->o->scope_area) && t->scope_area) {
		/* a row that is itself a school: its area decides (as in scope.c) */
		rs = RS_AREA;
		col = t->scope_area;
	}
	m->scoped = 1;
	m->scope_col = table_col_of(t, col);
	m->scope_noun = target[rs];
	tt = table_find(target[rs]);
	code = table_col_of(tt, "code");
	nk = table_key_cols(t, key);
	if (load_scoped(m, &m->scope_vals, target[rs], &code, 1, e) < 0 ||
	    load_scoped(m, &m->scope_own, t->name, key, nk, e) < 0)
		return e->code;
	return 0;
}

int import_scope_value(struct imp *m, int *col, struct buf *msg)
{
	const char *v = m->vals[m->scope_col];
	*col = m->scope_col;
	buf_reset(msg);
	if (!v)
		buf_addf(msg, "empty: the row would be outside your scope");
	else if (!kset_get(&m->scope_vals, NULL, v, strlen(v), 0, 0, NULL))
		buf_addf(msg, "%s '%s' is outside your scope", m->scope_noun, v);
	return msg->len > 0;
}

int import_scope_stored(struct imp *m, const char *key, struct buf *msg)
{
	buf_reset(msg);
	if (kset_get(&m->scope_own, NULL, key, strlen(key), 0, 0, NULL))
		return 0;
	/* as the row routes say it (svc_registry.c) */
	buf_addf(msg, "%s ", m->t->name);
	for (const char *p = key; *p; p++)
		buf_addch(msg, *p == '\x1f' ? '/' : *p);
	buf_adds(msg, " is outside your scope");
	return 1;
}
