/* import.c: validate a CSV/XLSX file against the column registry and upsert it by natural
 * key in one transaction (see import.h). Foreign keys and duplicate keys are checked against
 * in-memory hash sets; statements are prepared once; strings live in a per-import arena;
 * the SQLite writes run in a second thread (import_write.c). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "idhash.h"
#include "import.h"
#include "import_internal.h"
#include "store.h"
#include "table.h"
#include "validate.h"
#include "xlsx.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- a hash set of key strings (with a line number or a "from the database" mark) ---- */

static uint64_t khash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static void kset_grow(struct kset *ks)
{
	size_t ncap = ks->cap ? ks->cap * 2 : 1024;
	struct kent *ne = xcalloc(ncap, sizeof(*ne));
	for (size_t i = 0; i < ks->cap; i++) {
		size_t j;
		if (!ks->e[i].k)
			continue;
		for (j = ks->e[i].h & (ncap - 1); ne[j].k; j = (j + 1) & (ncap - 1))
			;
		ne[j] = ks->e[i];
	}
	free(ks->e);
	ks->e = ne;
	ks->cap = ncap;
}

struct kent *kset_get(struct kset *ks, struct arena *a, const char *k, size_t n, int add,
		      long line, int *added)
{
	uint64_t h = khash(k, n);
	size_t j;
	if (added)
		*added = 0;
	if (add && (ks->n + 1) * 2 >= ks->cap)
		kset_grow(ks);
	if (!ks->cap)
		return NULL;
	for (j = h & (ks->cap - 1); ks->e[j].k; j = (j + 1) & (ks->cap - 1))
		if (ks->e[j].h == h && !memcmp(ks->e[j].k, k, n) && ks->e[j].k[n] == '\0')
			return &ks->e[j];
	if (!add)
		return NULL;
	ks->e[j].k = a ? arena_strndup(a, k, n) : k;
	ks->e[j].h = h;
	ks->e[j].line = line;
	ks->n++;
	if (added)
		*added = 1;
	return &ks->e[j];
}

static void add_error(struct imp *m, long line, const char *col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_error(struct imp *m, long line, const char *col, const char *fmt, ...)
{
	va_list ap;
	size_t start = m->r->msgs.len;
	m->r->nerrors++;
	m->writing = 0;
	if (m->r->nerrors > IMPORT_MAX_ERRORS)
		return;
	buf_addf(&m->r->msgs, "%s:%ld: ", m->o->path, line);
	if (col)
		buf_addf(&m->r->msgs, "column %s: ", col);
	va_start(ap, fmt);
	buf_vaddf(&m->r->msgs, fmt, ap);
	va_end(ap);
	buf_addch(&m->r->msgs, '\n');
	err_mask_ids(m->r->msgs.buf + start); /* whatever the column: see err.h */
}

/* The reader's own message already names file, line and column. */
static void add_raw_error(struct imp *m, const char *msg)
{
	m->r->nerrors++;
	m->writing = 0;
	if (m->r->nerrors <= IMPORT_MAX_ERRORS) {
		size_t start = m->r->msgs.len;
		buf_addf(&m->r->msgs, "%s\n", msg);
		err_mask_ids(m->r->msgs.buf + start);
	}
}

void import_result_init(struct import_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->msgs, 0);
}

static void keys_free(struct import_result *r)
{
	for (long i = 0; i < r->nkeys; i++)
		free(r->keys[i]);
	free(r->keys);
	r->keys = NULL;
	r->nkeys = 0;
}

void import_result_release(struct import_result *r)
{
	buf_release(&r->msgs);
	keys_free(r);
}

/* Note a row's key (its columns joined by 0x1f) in r->keys, while there are few. */
static void note_key(struct import_result *r, const char *key)
{
	char *k;

	if (r->nkeys < 0)
		return;
	if (r->nkeys == IMPORT_KEYS) {
		keys_free(r);
		r->nkeys = -1;
		return;
	}
	if (!r->keys)
		r->keys = xcalloc(IMPORT_KEYS, sizeof(*r->keys));
	r->keys[r->nkeys++] = k = xstrdup(key);
	for (; *k; k++)
		if (*k == '\x1f')
			*k = '/';
}

/* ---- value validation (table_validate.c): fills m->cb[c] or reports an error ---- */

static int check_value(struct imp *m, long line, int c, const char *v, size_t n)
{
	struct row_error err;
	int required = (m->t->cols[c].flags & TCOL_REQUIRED) || c == m->id_col ||
		       ((c == m->hash_col || c == m->mask_col) && m->id_col < 0);
	if (table_check_value(m->t, c, v, n, required, &m->cb[c], &m->vals[c], &err) == 0)
		return 0;
	add_error(m, line, m->hname[c], "%s", err.en);
	return -1;
}

/* With EDUHQ_IMPORT_TIMES set, print the wall and CPU time of each import phase to stderr
 * (for bench/import.sh). */
static void phase(struct imp *m, const char *what)
{
	struct timespec t, c;
	if (!m->times)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	fprintf(stderr, "import: %-7s %6.3f s (cpu %6.3f s)\n", what,
		(double)(t.tv_sec - m->t0.tv_sec) + (double)(t.tv_nsec - m->t0.tv_nsec) / 1e9,
		(double)(c.tv_sec - m->c0.tv_sec) + (double)(c.tv_nsec - m->c0.tv_nsec) / 1e9);
	m->t0 = t;
	m->c0 = c;
}

/* ---- setup ---- */

static int load_set(struct imp *m, struct kset *ks, const char *table, const char *const *cols,
		    int ncols, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int r;
	buf_adds(&sql, "SELECT ");
	for (int i = 0; i < ncols; i++)
		buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
	buf_addf(&sql, " FROM %s", table);
	st = store_prepare(m->s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		buf_reset(&m->kb);
		for (int i = 0; i < ncols; i++) {
			const char *v = store_column_text(st, i);
			if (i)
				buf_addch(&m->kb, '\x1f');
			buf_adds(&m->kb, v ? v : "");
		}
		kset_get(ks, &m->a, m->kb.buf, m->kb.len, 1, 0, NULL);
	}
	store_finalize(st);
	return r < 0 ? r : 0;
}

/* While probing (struct imp): the statement that tells whether table holds a row with
 * cols = ?1.. (an index seek: natural keys and referenced columns are indexed). */
static struct store_stmt *prepare_probe(struct imp *m, const char *table,
					const char *const *cols, int ncols, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	buf_addf(&sql, "SELECT 1 FROM %s WHERE ", table);
	for (int i = 0; i < ncols; i++)
		buf_addf(&sql, "%s%s = ?%d", i ? " AND " : "", cols[i], i + 1);
	st = store_prepare(m->s, sql.buf, e);
	buf_release(&sql);
	return st;
}

/* Whether a stored row has the key m->vals[cols[0..n)]: 1, 0, or -1 with the error on
 * line. */
static int probe(struct imp *m, struct store_stmt *st, const int *cols, int n, long line)
{
	struct err e = ERR_INIT;
	int r;
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, m->vals[cols[i]]);
	r = store_step(st, &e);
	store_reset(st);
	if (r < 0)
		add_error(m, line, NULL, "%s", e.msg);
	return r;
}

/* Probing ends: every stored key goes into the sets (a key the file had keeps its line),
 * and the writer may start. */
static int probe_end(struct imp *m, struct err *e)
{
	m->probing = 0;
	if (m->probe && load_set(m, &m->keys, m->t->name, m->keyname, m->nkey, e) < 0)
		return e->code;
	store_finalize(m->probe);
	m->probe = NULL;
	for (int i = 0; i < m->nfks; i++) {
		struct fk *f = &m->fks[i];
		if (load_set(m, &f->set, f->ref_table, f->ref_cols, f->ncols, e) < 0)
			return e->code;
		store_finalize(f->probe);
		f->probe = NULL;
	}
	import_wq_run(m);
	return 0;
}

static int setup_fks(struct imp *m, struct err *e)
{
	const struct table *t = m->t;
	int n = 0;
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].ref)
			n++;
	m->fks = xcalloc((size_t)(n + t->nfks) + 1, sizeof(*m->fks));
	for (int i = 0; i < t->ncols; i++) {
		const char *ref = t->cols[i].ref, *dot;
		struct fk *f;
		if (!ref)
			continue;
		dot = strchr(ref, '.');
		f = &m->fks[m->nfks++];
		f->ncols = 1;
		f->col[0] = i;
		f->ref_table = arena_strndup(&m->a, ref, (size_t)(dot - ref));
		f->ref_cols[0] = dot + 1;
	}
	for (int i = 0; i < t->nfks; i++) {
		struct fk *f = &m->fks[m->nfks++];
		f->ref_table = t->fks[i].ref_table;
		for (int k = 0; k < 4 && t->fks[i].cols[k]; k++) {
			f->col[k] = table_col_of(t, t->fks[i].cols[k]);
			f->ref_cols[k] = t->fks[i].ref_cols[k];
			f->ncols = k + 1;
		}
	}
	for (int i = 0; i < m->nfks; i++) {
		struct fk *f = &m->fks[i];
		f->self = !strcmp(f->ref_table, t->name);
		if (!(f->probe = prepare_probe(m, f->ref_table, f->ref_cols, f->ncols, e)))
			return e->code;
	}
	return 0;
}

/* INSERT for new keys; UPDATE (only when a value differs) for keys already stored. Both
 * number their parameters alike: ?N is column bindcol[N-1]. Not an upsert: SQLite checks
 * CHECK constraints on the would-be-inserted row before ON CONFLICT, which breaks an
 * update from a file that carries only some of the columns. */
static int prepare_writes(struct imp *m, struct err *e)
{
	const struct table *t = m->t;
	struct buf sql = BUF_INIT, set = BUF_INIT, where = BUF_INIT, diff = BUF_INIT;

	m->bindcol = xcalloc((size_t)t->ncols, sizeof(int));
	buf_addf(&sql, "INSERT INTO %s (", t->name);
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		int p;
		if (!m->present[i] || (c->flags & TCOL_VIRTUAL))
			continue;
		buf_addf(&sql, "%s%s", m->nbind ? ", " : "", c->name);
		m->bindcol[m->nbind++] = i;
		p = m->nbind;
		if (c->flags & TCOL_KEY) {
			buf_addf(&where, "%s%s = ?%d", where.len ? " AND " : "", c->name, p);
		} else {
			buf_addf(&set, "%s%s = ?%d", set.len ? ", " : "", c->name, p);
			buf_addf(&diff, "%s%s IS DISTINCT FROM ?%d", diff.len ? " OR " : "", c->name, p);
		}
	}
	buf_adds(&sql, ") VALUES (");
	for (int i = 0; i < m->nbind; i++)
		buf_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
	buf_adds(&sql, ")");
	m->ins = store_prepare(m->s, sql.buf, e);
	/* Many rows per statement: SQLite's per-statement work (cursors, halt, reset) is
	 * then paid once per chunk (a backend with COPY streams new rows instead). */
	m->copy = store_has_copy(m->s);
	if (m->ins && m->nbind * IMPORT_MULTI < 32000 && !m->copy) {
		const char *names[64];
		char *q;
		for (int i = 0; i < m->nbind; i++)
			names[i] = t->cols[m->bindcol[i]].name;
		q = store_multi_insert_sql(m->s, t->name, names, m->nbind, IMPORT_MULTI);
		if (q && !(m->insn = store_prepare(m->s, q, e))) {
			store_finalize(m->ins);
			m->ins = NULL;
		}
		free(q);
	}
	if (m->ins && set.len) {
		buf_reset(&sql);
		buf_addf(&sql, "UPDATE %s SET %s WHERE %s AND (%s)", t->name, set.buf, where.buf, diff.buf);
		m->upd = store_prepare(m->s, sql.buf, e);
	}
	buf_release(&sql);
	buf_release(&set);
	buf_release(&where);
	buf_release(&diff);
	return m->ins && (m->upd || !set.len) ? 0 : e->code;
}

/* m->map value of a header field that is empty: its values must be empty too. */
#define MAP_UNNAMED (-2)

/* Map the header row; report unknown, duplicate and missing columns. */
static void read_header(struct imp *m, const struct csv_row *row)
{
	const struct table *t = m->t;
	m->nhdr = (int)row->nfields;
	m->map = arena_alloc(&m->a, sizeof(int) * row->nfields + 1);
	for (size_t i = 0; i < row->nfields; i++) {
		const char *s = row->f[i].s;
		size_t n = row->f[i].len;
		char *name;
		int c;
		table_trim_blanks(&s, &n);
		name = arena_strndup(&m->a, s, n);
		if (!name[0]) {
			/* a column with no name, such as the trailing empty columns a spreadsheet
			 * saves as CSV: fine while it stays empty (checked per row) */
			m->map[i] = MAP_UNNAMED;
			continue;
		}
		c = table_col_index(t, name);
		m->map[i] = c;
		if (c < 0) {
			if (!m->o->ignore_unknown)
				add_error(m, row->line, name, "unknown column");
			continue;
		}
		if (m->hname[c]) {
			add_error(m, row->line, name, "duplicate column (also '%s')", m->hname[c]);
			m->map[i] = -1;
			continue;
		}
		m->hname[c] = name;
		m->present[c] = 1;
	}
	for (int c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[c];
		if ((col->flags & TCOL_KEY) && col->def && !m->present[c])
			m->present[c] = 2; /* a key column with a default: bound as the default */
		if ((col->flags & TCOL_REQUIRED) && !m->present[c])
			add_error(m, row->line, NULL, "missing required column '%s' (%s)", col->name, col->zh);
	}
	if (m->id_col >= 0) {
		int id = m->present[m->id_col], h = m->present[m->hash_col], k = m->present[m->mask_col];
		if (id && (h || k))
			add_error(m, row->line, m->hname[h ? m->hash_col : m->mask_col],
				  "not allowed together with id_number");
		else if (!id && !h && !k)
			add_error(m, row->line, NULL, "missing required column 'id_number' (身份证号)");
		else if (!id && (!h || !k))
			add_error(m, row->line, NULL, "missing required column '%s' (%s)",
				  t->cols[h ? m->mask_col : m->hash_col].name,
				  t->cols[h ? m->mask_col : m->hash_col].zh);
		if (id) {
			m->present[m->hash_col] = m->present[m->mask_col] = 1;
		} else {
			m->id_col = -1; /* restore from an export: id_hash + id_masked as given */
		}
	}
}

static void quote_key(struct buf *b, const struct imp *m, const int *cols, int n)
{
	if (n > 1)
		buf_addch(b, '(');
	for (int k = 0; k < n; k++)
		buf_addf(b, "%s'%s'", k ? ", " : "", m->vals[cols[k]] ? m->vals[cols[k]] : "");
	if (n > 1)
		buf_addch(b, ')');
}

/* The ascending-keys fast path (struct imp): 1 when the key in m->kb was listed, being
 * greater than every key before it; 0 when the fast path is off (or ends now: the keys so
 * far then go into m->keys). */
static int asc_add(struct imp *m, long line)
{
	if (!m->asc)
		return 0;
	if (m->nasc) {
		const char *last = m->asc_k[m->nasc - 1];
		size_t ln = strlen(last), n = m->kb.len < ln ? m->kb.len : ln;
		int c = memcmp(m->kb.buf, last, n);
		if (c < 0 || (c == 0 && m->kb.len <= ln)) {
			for (size_t i = 0; i < m->nasc; i++)
				kset_get(&m->keys, NULL, m->asc_k[i], strlen(m->asc_k[i]), 1,
					 m->asc_line[i], NULL);
			free(m->asc_k);
			free(m->asc_line);
			m->asc_k = NULL;
			m->asc_line = NULL;
			m->nasc = m->capasc = 0;
			m->asc = 0;
			m->sorting = 1;
			for (int f = 0; f < m->nfks; f++)
				if (m->fks[f].self) /* a row must follow the row it refers to */
					m->sorting = 0;
			return 0;
		}
	}
	if (m->nasc == m->capasc) {
		m->capasc = m->capasc ? 2 * m->capasc : 4096;
		m->asc_k = xrealloc(m->asc_k, m->capasc * sizeof(*m->asc_k));
		m->asc_line = xrealloc(m->asc_line, m->capasc * sizeof(*m->asc_line));
	}
	m->asc_k[m->nasc] = arena_strndup(&m->a, m->kb.buf, m->kb.len);
	m->asc_line[m->nasc++] = line;
	return 1;
}

static void build_key(struct imp *m, const int *cols, int n)
{
	buf_reset(&m->kb);
	for (int k = 0; k < n; k++) {
		if (k)
			buf_addch(&m->kb, '\x1f');
		buf_adds(&m->kb, m->vals[cols[k]]);
	}
}

static void do_row(struct imp *m, const struct csv_row *row)
{
	const struct table *t = m->t;
	long line = row->line;
	long before = m->r->nerrors;
	size_t i;
	int existed = 0, col;
	const char *why, *key;

	for (i = 0; i < row->nfields && row->f[i].len == 0; i++)
		;
	if (i == row->nfields)
		return; /* a blank row */
	m->r->rows++;
	/* a worksheet does not store trailing empty cells: a short XLSX row is padded */
	if ((int)row->nfields > m->nhdr || ((int)row->nfields < m->nhdr && !m->xlsx)) {
		add_error(m, line, NULL, "expected %d fields, found %zu", m->nhdr, row->nfields);
		return;
	}
	for (int c = 0; c < t->ncols; c++)
		m->vals[c] = m->present[c] == 2 ? t->cols[c].def : NULL;
	for (int f = 0; f < m->nhdr; f++) {
		int c = m->map[f];
		int have = f < (int)row->nfields;
		/* the value is not quoted: it might be an ID number */
		if (c == MAP_UNNAMED && have && row->f[f].len && !m->o->ignore_unknown)
			add_error(m, line, NULL, "field %d has a value but its column has no name", f + 1);
		if (c >= 0 && check_value(m, line, c, have ? row->f[f].s : "", have ? row->f[f].len : 0) < 0)
			m->vals[c] = NULL; /* bad: later checks skip it */
	}

	if (m->id_col >= 0 && m->vals[m->id_col]) {
		const char *id = m->vals[m->id_col];
		struct buf *h = &m->cb[m->hash_col], *k = &m->cb[m->mask_col];
		buf_grow(h, IDHASH_HEX_LEN + 1);
		if (strlen(id) == 18) {
			/* As idhash_hash() (the ID is already normalised: 18 characters, upper
			 * case), from a state that has the key block absorbed already: one
			 * BLAKE2b compression per ID instead of two. */
			crypto_generichash_state st = m->hs0;
			unsigned char bin[IDHASH_HEX_LEN / 2];
			crypto_generichash_update(&st, (const unsigned char *)id, 18);
			crypto_generichash_final(&st, bin, sizeof(bin));
			sodium_bin2hex(h->buf, IDHASH_HEX_LEN + 1, bin, sizeof(bin));
			if (!m->hash_checked) {
				char ref[IDHASH_HEX_LEN + 1];
				idhash_hash(&m->idkey, id, ref);
				if (memcmp(ref, h->buf, IDHASH_HEX_LEN))
					BUG("import: ID hash differs from idhash_hash()");
				m->hash_checked = 1;
			}
		} else {
			idhash_hash(&m->idkey, id, h->buf);
		}
		buf_setlen(h, IDHASH_HEX_LEN);
		buf_grow(k, 24);
		if (strlen(id) == 18) { /* as idhash_mask(), without its snprintf */
			memcpy(k->buf, id, 6);
			memset(k->buf + 6, '*', 8);
			memcpy(k->buf + 14, id + 14, 4);
			buf_setlen(k, 18);
		} else {
			idhash_mask(id, k->buf);
			buf_setlen(k, strlen(k->buf));
		}
		m->vals[m->hash_col] = h->buf;
		m->vals[m->mask_col] = k->buf;
	}

	/* cross-column rules */
	{
		struct row_error err;
		for (int c = 0; (c = table_check_cross(t, m->vals, c, &err)) >= 0; c++)
			add_error(m, line, m->hname[c], "%s", err.en);
	}
	if (m->r->nerrors == before && t->row_check && (why = t->row_check(m->vals, &col)))
		add_error(m, line, m->hname[col] ? m->hname[col] : t->cols[col].name, "%s", why);

	/* foreign keys */
	for (int f = 0; f < m->nfks; f++) {
		struct fk *fk = &m->fks[f];
		int k, last = fk->col[fk->ncols - 1];
		for (k = 0; k < fk->ncols && m->vals[fk->col[k]]; k++)
			;
		if (k < fk->ncols)
			continue; /* a NULL column: not checked (as in SQL) */
		build_key(m, fk->col, fk->ncols);
		if (kset_get(&fk->set, &m->a, m->kb.buf, m->kb.len, 0, 0, NULL))
			continue;
		if (fk->probe && (k = probe(m, fk->probe, fk->col, fk->ncols, line)) != 0) {
			if (k > 0) /* known from now on */
				kset_get(&fk->set, &m->a, m->kb.buf, m->kb.len, 1, 0, NULL);
			continue;
		}
		buf_reset(&m->msg);
		quote_key(&m->msg, m, fk->col, fk->ncols);
		if (fk->ncols == 1) {
			add_error(m, line, m->hname[last], "%s not found in %s.%s", m->msg.buf,
				  fk->ref_table, fk->ref_cols[0]);
		} else {
			buf_addf(&m->msg, " not found in %s(", fk->ref_table);
			for (k = 0; k < fk->ncols; k++)
				buf_addf(&m->msg, "%s%s", k ? ", " : "", fk->ref_cols[k]);
			add_error(m, line, m->hname[last], "%s)", m->msg.buf);
		}
	}

	/* a scoped caller's row: its scope column must name something in the scope */
	if (m->scoped && m->r->nerrors == before && import_scope_value(m, &col, &m->msg))
		add_error(m, line, m->hname[col] ? m->hname[col] : t->cols[col].name, "%s", m->msg.buf);

	/* duplicate natural key in the file */
	{
		int added, k;
		struct kent *ke;
		for (k = 0; k < m->nkey && m->vals[m->key[k]]; k++)
			;
		if (k < m->nkey)
			return;
		build_key(m, m->key, m->nkey);
		ke = asc_add(m, line) ? NULL : kset_get(&m->keys, &m->a, m->kb.buf, m->kb.len, 1, line, &added);
		key = ke ? ke->k : m->asc_k[m->nasc - 1];
		if (ke && !added && ke->line > 0) {
			buf_reset(&m->msg);
			quote_key(&m->msg, m, m->key, m->nkey);
			if (m->nkey == 1)
				add_error(m, line, m->hname[m->key[0]], "duplicate key %s (first on line %ld)",
					  m->msg.buf, ke->line);
			else
				add_error(m, line, NULL, "duplicate key %s (first on line %ld)", m->msg.buf,
					  ke->line);
			return;
		}
		if (ke && !added) {
			existed = 1;
			ke->line = line;
		} else if (ke && m->probe) {
			existed = probe(m, m->probe, m->key, m->nkey, line);
			if (existed < 0)
				return;
		}
	}
	/* ... and a stored row it replaces must be in the scope too */
	if (m->scoped && existed && m->r->nerrors == before && import_scope_stored(m, key, &m->msg))
		add_error(m, line, m->hname[m->key[0]], "%s", m->msg.buf);
	if (m->r->nerrors != before)
		return;

	/* later rows may refer to this one */
	for (int f = 0; f < m->nfks; f++) {
		struct fk *fk = &m->fks[f];
		int rc[4];
		if (!fk->self)
			continue;
		for (int k = 0; k < fk->ncols; k++)
			rc[k] = table_col_of(t, fk->ref_cols[k]);
		build_key(m, rc, fk->ncols);
		kset_get(&fk->set, &m->a, m->kb.buf, m->kb.len, 1, line, NULL);
	}
	note_key(m->r, key);
	if (m->writing)
		import_queue_row(m, line, existed, key);
}

static int open_reader(const struct import_opts *o, struct csv_reader **cr, struct xlsx_reader **xr,
		       struct err *e)
{
	char magic[8] = { 0 };
	size_t n = 0, len = strlen(o->path);
	int is_xlsx = len > 5 && !strcasecmp(o->path + len - 5, ".xlsx");
	if (strcmp(o->path, "-")) {
		FILE *f = fopen(o->path, "rb");
		if (!f)
			return err_set(e, ERR_IO, "cannot open '%s': %s", o->path, strerror(errno));
		n = fread(magic, 1, 8, f);
		fclose(f);
		if (n >= 4 && !memcmp(magic, "PK\x03\x04", 4))
			is_xlsx = 1;
		/* an OLE2 compound file: a .xls workbook (Excel 97-2003, still WPS's
		 * habit), or an .xlsx saved with a password */
		if (n == 8 && !memcmp(magic, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
			return err_set(e, ERR_DATA, "cannot read '%s': an old-format Excel workbook "
				       "(.xls) or a password-protected one; save it as .xlsx "
				       "(Excel 工作簿) or CSV", o->path);
	}
	if (is_xlsx) {
		*xr = xlsx_open(o->path, o->sheet, e);
		return *xr ? 0 : e->code;
	}
	if (o->sheet)
		return err_set(e, ERR_USAGE, "--sheet applies only to XLSX files; '%s' is CSV", o->path);
	*cr = csv_open(o->path, o->enc, e);
	return *cr ? 0 : e->code;
}

static void imp_release(struct imp *m)
{
	for (int i = 0; i < m->t->ncols; i++)
		buf_release(&m->cb[i]);
	free(m->cb);
	free(m->vals);
	free(m->hname);
	free(m->present);
	for (int i = 0; i < m->nfks; i++) {
		free(m->fks[i].set.e);
		store_finalize(m->fks[i].probe);
	}
	store_finalize(m->probe);
	free(m->fks);
	free(m->keys.e);
	free(m->scope_vals.e);
	free(m->scope_own.e);
	free(m->asc_k);
	free(m->asc_line);
	buf_release(&m->run);
	free(m->rr);
	free(m->bindcol);
	store_finalize(m->ins);
	store_finalize(m->insn);
	store_finalize(m->upd);
	import_wq_free(m->q);
	buf_release(&m->kb);
	buf_release(&m->msg);
	arena_release(&m->a);
}

int import_file(struct store *s, const struct table *t, const struct import_opts *o,
		struct import_result *r, struct err *e)
{
	struct imp m;
	struct csv_reader *cr = NULL;
	struct xlsx_reader *xr = NULL;
	struct csv_row row;
	struct err re = ERR_INIT;
	int rc, in_tx = 0, all_cols = 1;

	memset(&m, 0, sizeof(m));
	if ((m.times = getenv("EDUHQ_IMPORT_TIMES") != NULL)) {
		clock_gettime(CLOCK_MONOTONIC, &m.t0);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &m.c0);
	}
	m.t = t;
	m.o = o;
	m.r = r;
	m.s = s;
	arena_init(&m.a, 1 << 20);
	buf_init(&m.kb, 64);
	buf_init(&m.msg, 64);
	buf_init(&m.run, 0);
	m.cb = xcalloc((size_t)t->ncols, sizeof(*m.cb));
	for (int i = 0; i < t->ncols; i++)
		buf_init(&m.cb[i], 32);
	m.vals = xcalloc((size_t)t->ncols, sizeof(*m.vals));
	m.hname = xcalloc((size_t)t->ncols, sizeof(*m.hname));
	m.present = xcalloc((size_t)t->ncols, sizeof(*m.present));
	m.nkey = table_key_cols(t, m.key);
	for (int k = 0; k < m.nkey; k++)
		m.keyname[k] = t->cols[m.key[k]].name;
	m.id_col = m.hash_col = m.mask_col = -1;
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].check == CHK_ID_NUMBER) {
			m.id_col = i;
			m.hash_col = table_col_of(t, "id_hash");
			m.mask_col = table_col_of(t, "id_masked");
		}
	m.writing = 1;

	if ((rc = open_reader(o, &cr, &xr, e)) < 0)
		goto out;
	m.xlsx = xr != NULL;
	rc = xr ? xlsx_read(xr, &row, &re) : csv_read(cr, &row, &re);
	if (rc < 0) {
		add_raw_error(&m, re.msg);
	} else if (rc == 0) {
		add_error(&m, 1, NULL, "no header row");
	} else {
		read_header(&m, &row);
	}
	if (m.r->nerrors) {
		rc = ERR_DATA;
		goto out;
	}
	if (m.id_col >= 0 && m.present[m.id_col]) {
		char *kp = idhash_key_path(s->path);
		rc = idhash_key_load(&m.idkey, kp, e);
		if (rc == 0) {
			/* the database's own key only; an older database learns its key now */
			char *rec = store_meta_get(s, "key_id");
			char id[IDHASH_KEY_ID_LEN + 1];
			if (rec)
				rc = idhash_key_match(&m.idkey, rec, kp, s->path, e);
			else if (!o->dry_run) {
				idhash_key_id(&m.idkey, id);
				rc = store_meta_set(s, "key_id", id, e);
			}
			free(rec);
		}
		free(kp);
		if (rc < 0)
			goto out;
		m.have_key = 1;
		crypto_generichash_init(&m.hs0, m.idkey.key, sizeof(m.idkey.key), IDHASH_HEX_LEN / 2);
	}
	/* The store tunes itself for a bulk load (store_bulk_begin). The registry checks every
	 * CHECK constraint of the schema in C before a row is written (test_table proves
	 * registry and schema agree), so when the file has every column the database need not
	 * evaluate them again (SQLite's IN-list CHECKs build temporary indexes per row and
	 * would triple the time). */
	for (int c = 0; c < t->ncols; c++)
		if (!(t->cols[c].flags & TCOL_VIRTUAL) && !m.present[c])
			all_cols = 0; /* a partial update: SQL checks see the stored values */
	if ((rc = store_begin(s, e)) < 0)
		goto out;
	in_tx = 1;
	{
		struct buf sql = BUF_INIT;
		int64_t stored = 0;
		buf_addf(&sql, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1) t", t->name);
		rc = store_query_int(s, sql.buf, &stored, e);
		buf_release(&sql);
		if (rc < 0 || (stored && !(m.probe = prepare_probe(&m, t->name, m.keyname, m.nkey,
								   e))) ||
		    (rc = setup_fks(&m, e)) < 0 ||
		    (rc = import_scope_setup(&m, e)) < 0 ||
		    (rc = store_bulk_begin(s, t->name, !stored, all_cols, e)) < 0 ||
		    (rc = prepare_writes(&m, e)) < 0) {
			rc = e->code;
			goto out;
		}
		m.asc = !stored;
		m.probing = IMPORT_PROBE_ROWS;
	}
	phase(&m, "setup");
	import_wq_open(&m);
	for (;;) {
		rc = xr ? xlsx_read(xr, &row, &re) : csv_read(cr, &row, &re);
		if (rc == 0)
			break;
		if (rc < 0) {
			add_raw_error(&m, re.msg);
			break;
		}
		do_row(&m, &row);
		if (m.probing && --m.probing == 0 && (rc = probe_end(&m, e)) < 0) {
			import_wq_finish(&m);
			goto out;
		}
	}
	phase(&m, "load");
	import_wq_finish(&m);
	phase(&m, "drain");
	if (m.r->nerrors) {
		rc = ERR_DATA;
		goto out;
	}
	if (o->dry_run) {
		rc = 0;
		goto out;
	}
	if ((rc = store_bulk_end(s, e)) < 0)
		goto out;
	phase(&m, "index");
	rc = store_commit(s, e);
	in_tx = rc < 0;
	phase(&m, "commit");
out:
	if (in_tx) {
		store_rollback(s);
		store_bulk_end(s, NULL);
	}
	if (rc == ERR_DATA && r->nerrors)
		err_set(e, ERR_DATA, "%ld error%s in '%s'; nothing imported", r->nerrors,
			r->nerrors == 1 ? "" : "s", o->path);
	if (cr)
		csv_close(cr);
	if (xr)
		xlsx_close(xr);
	imp_release(&m);
	return rc;
}
