/* svc_results.c: the results of evaluation runs, in a scope: which runs a query reads (the
 * latest of each mechanism, or one given run) and their rows through a callback. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "store.h"
#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

void svc_runs_release(struct svc_runs *l)
{
	for (size_t i = 0; i < l->nr; i++)
		svc_run_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static char *dup_col(struct store_stmt *st, int c)
{
	const char *t = store_column_text(st, c);
	return xstrdup(t ? t : "");
}

static int read_run(struct store *s, int64_t id, struct svc_run *r, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT id, created_at, mechanisms, year, "
					      "rule_versions, data_fingerprint FROM eval_run "
					      "WHERE id = ?1", e);
	int rc;
	if (!st)
		return e->code;
	store_bind_int(st, 1, id);
	rc = store_step(st, e);
	if (rc == 1) {
		r->id = store_column_int(st, 0);
		r->created_at = dup_col(st, 1);
		r->mechanisms = dup_col(st, 2);
		r->year = (int)store_column_int(st, 3);
		r->rule_versions = dup_col(st, 4);
		r->fingerprint = dup_col(st, 5);
	}
	store_finalize(st);
	return rc;
}

int svc_results_runs(struct store *s, const struct svc_result_filter *f, struct svc_runs *out,
		     struct err *e)
{
	struct store_stmt *st;
	struct buf mechs[64];
	int64_t ids[64];
	size_t n = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (f->run) {
		ALLOC_GROW(out->v, 1, out->alloc);
		memset(&out->v[0], 0, sizeof(out->v[0]));
		if ((r = read_run(s, f->run, &out->v[0], e)) < 0)
			goto fail;
		if (r == 0) {
			r = err_set(e, ERR_NOTFOUND, "no evaluation run %lld", (long long)f->run);
			goto fail;
		}
		out->nr = 1;
		return 0;
	}
	st = store_prepare(s, "SELECT max(id) FROM eval_run WHERE (',' || mechanisms || ',') "
			   "LIKE ('%,' || ?1 || ',%') AND (?2 = 0 OR year = ?2)", e);
	if (!st)
		return e->code;
	for (size_t i = 0; i < ARRAY_SIZE(mechs); i++)
		buf_init(&mechs[i], 0);
	for (const struct mechanism *m = mechanisms; m->name; m++) {
		size_t k;
		int64_t id;
		store_reset(st);
		store_bind_text(st, 1, m->name);
		store_bind_int(st, 2, f->year);
		if ((r = store_step(st, e)) < 0)
			break;
		if (r != 1 || store_column_type(st, 0) == STORE_NULL)
			continue;
		id = store_column_int(st, 0);
		for (k = 0; k < n && ids[k] != id; k++)
			;
		if (k == n) {
			if (n == ARRAY_SIZE(ids))
				BUG("more mechanisms than runs");
			ids[n++] = id;
		}
		buf_addf(&mechs[k], ",%s", m->name);
	}
	store_finalize(st);
	if (r >= 0 && !n)
		r = f->year ? err_set(e, ERR_NOTFOUND, "no evaluation run for %d; run 'eduhq eval "
				      "--year %d' first", f->year, f->year)
			    : err_set(e, ERR_NOTFOUND, "no evaluation run; run 'eduhq eval' first");
	if (r >= 0)
		ALLOC_GROW(out->v, n, out->alloc);
	for (size_t k = 0; r >= 0 && k < n; k++) {
		memset(&out->v[k], 0, sizeof(out->v[k]));
		out->v[k].picked = buf_detach(&mechs[k], NULL);
		out->nr++;
		r = read_run(s, ids[k], &out->v[k], e);
	}
	for (size_t i = 0; i < ARRAY_SIZE(mechs); i++)
		buf_release(&mechs[i]);
	if (r >= 0)
		return 0;
fail:
	svc_runs_release(out);
	return r;
}

/* A row of a run picked for mechs (",a,b") is kept when its indicator belongs to one of them
 * (or is not in the catalog). */
static int keep_row(const char *mechs, const char *indicator)
{
	const struct indicator *ind;
	size_t kl;
	if (!mechs || !(ind = indicator_find(indicator)))
		return 1;
	kl = strlen(ind->mechanism);
	for (const char *m = strstr(mechs, ind->mechanism); m; m = strstr(m + 1, ind->mechanism))
		if (m[-1] == ',' && (m[kl] == ',' || m[kl] == '\0'))
			return 1;
	return 0;
}

/* The rows of run ?1 in the scope and filters given; only the conditions present are in
 * the statement, numbered in order, so that the indexes on (run_id, indicator, ...) and
 * (run_id, unit_kind, unit_id) serve each query. An area scope holds that area and
 * everything under it (areas and their schools). */
static struct store_stmt *rows_stmt(struct store *s, const struct svc_result_filter *f,
				    const char *school, const char *area, int counts,
				    const char **binds, int *nbinds, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int n = 1;

	*nbinds = 0;
	if (area)
		buf_adds(&sql, "WITH RECURSIVE sub(code) AS (SELECT code FROM area WHERE code = ?2"
			       " UNION ALL SELECT a.code FROM area a JOIN sub ON a.parent_code = sub.code) ");
	if (counts)
		buf_adds(&sql, "SELECT indicator, verdict, count(*) FROM result WHERE run_id = ?1");
	else
		buf_adds(&sql, "SELECT indicator, unit_kind, unit_id, stage, year, value, numerator, "
			       "denominator, threshold, verdict, evidence FROM result WHERE run_id = ?1");
	if (area) {
		binds[(*nbinds)++] = area;
		n++;
		buf_adds(&sql, " AND ((unit_kind <> 'school' AND unit_id IN (SELECT code FROM sub))"
			       " OR (unit_kind = 'school' AND unit_id IN (SELECT s.code FROM school s"
			       " WHERE s.area_code IN (SELECT code FROM sub))))");
	}
	if (school) {
		binds[(*nbinds)++] = school;
		buf_addf(&sql, " AND unit_kind = 'school' AND unit_id = ?%d", ++n);
	}
	if (nonempty(f->indicator)) {
		binds[(*nbinds)++] = f->indicator;
		buf_addf(&sql, " AND indicator = ?%d", ++n);
	}
	if (nonempty(f->verdict)) {
		binds[(*nbinds)++] = f->verdict;
		buf_addf(&sql, " AND verdict = ?%d", ++n);
	}
	buf_adds(&sql, counts ? " GROUP BY indicator, verdict ORDER BY indicator, verdict" : " ORDER BY id");
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	return st;
}

static double col_num(struct store_stmt *st, int c)
{
	return store_column_type(st, c) == STORE_NULL ? NAN : store_column_double(st, c);
}

static enum verdict verdict_of(const char *v)
{
	return !strcmp(v, "pass") ? V_PASS : !strcmp(v, "warn") ? V_WARN
	     : !strcmp(v, "fail") ? V_FAIL : V_NA;
}

int svc_results(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		const struct svc_runs *runs, svc_result_fn fn, void *arg, struct err *e)
{
	struct svc_runs own = { 0 };
	struct store_stmt *st = NULL;
	const char *binds[4];
	int r = 0, nb = 0;

	if (!runs) {
		if ((r = svc_results_runs(s, f, &own, e)) < 0)
			return r;
		runs = &own;
	}
	if (!(st = rows_stmt(s, f, sc ? nonempty(sc->school) : NULL, sc ? nonempty(sc->area) : NULL,
			     0, binds, &nb, e))) {
		r = e->code;
		goto out;
	}
	for (size_t k = 0; k < runs->nr && r >= 0; k++) {
		store_reset(st);
		store_bind_int(st, 1, runs->v[k].id);
		for (int b = 0; b < nb; b++)
			store_bind_text(st, b + 2, binds[b]);
		while ((r = store_step(st, e)) == 1) {
			struct result_row row;
			int cr;
			if (!keep_row(runs->v[k].picked, store_column_text(st, 0)))
				continue;
			row.indicator = store_column_text(st, 0);
			row.unit_kind = store_column_text(st, 1);
			row.unit_id = store_column_text(st, 2);
			row.stage = store_column_text(st, 3);
			row.year = (int)store_column_int(st, 4);
			row.value = col_num(st, 5);
			row.numerator = col_num(st, 6);
			row.denominator = col_num(st, 7);
			row.threshold = col_num(st, 8);
			row.verdict = verdict_of(store_column_text(st, 9));
			row.evidence = store_column_text(st, 10);
			if ((cr = fn(arg, &runs->v[k], &row)) != 0) {
				r = cr;
				goto out;
			}
		}
	}
out:
	store_finalize(st);
	svc_runs_release(&own);
	return r < 0 ? r : r > 0 ? r : 0;
}

int svc_results_counts(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		       const struct svc_runs *runs, svc_count_fn fn, void *arg, struct err *e)
{
	struct store_stmt *st;
	const char *binds[4];
	int r = 0, nb = 0;

	if (!(st = rows_stmt(s, f, sc ? nonempty(sc->school) : NULL, sc ? nonempty(sc->area) : NULL,
			     1, binds, &nb, e)))
		return e->code;
	for (size_t k = 0; k < runs->nr && r >= 0; k++) {
		store_reset(st);
		store_bind_int(st, 1, runs->v[k].id);
		for (int b = 0; b < nb; b++)
			store_bind_text(st, b + 2, binds[b]);
		while ((r = store_step(st, e)) == 1)
			if (keep_row(runs->v[k].picked, store_column_text(st, 0)))
				fn(arg, &runs->v[k], store_column_text(st, 0),
				   verdict_of(store_column_text(st, 1)), store_column_int(st, 2));
	}
	store_finalize(st);
	return r < 0 ? r : 0;
}

int svc_runs_list(struct store *s, int64_t before_id, long limit, struct svc_runs *out,
		  struct err *e)
{
	struct store_stmt *st;
	int r;

	memset(out, 0, sizeof(*out));
	st = store_prepare(s, "SELECT id, created_at, mechanisms, year, rule_versions, "
			   "data_fingerprint FROM eval_run WHERE (?1 = 0 OR id < ?1) "
			   "ORDER BY id DESC LIMIT ?2", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, before_id);
	store_bind_int(st, 2, limit > 0 ? limit : 100);
	while ((r = store_step(st, e)) == 1) {
		struct svc_run *run;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		run = &out->v[out->nr++];
		memset(run, 0, sizeof(*run));
		run->id = store_column_int(st, 0);
		run->created_at = dup_col(st, 1);
		run->mechanisms = dup_col(st, 2);
		run->year = (int)store_column_int(st, 3);
		run->rule_versions = dup_col(st, 4);
		run->fingerprint = dup_col(st, 5);
	}
	store_finalize(st);
	if (r < 0)
		svc_runs_release(out);
	return r < 0 ? r : 0;
}
