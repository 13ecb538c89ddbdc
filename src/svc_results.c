/* svc_results.c: the results of evaluation runs, in a scope: which runs a query reads (the
 * latest of each mechanism, or one given run) and their rows through a callback. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "result_store.h"
#include "rules.h"
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

/* What a query keeps: the filter and the scope, resolved. An area scope is that area and
 * every area under it (their codes) with the schools in those areas (their codes), both
 * sorted; a row of kind school is in it when its school is, any other row when its unit id
 * is one of the areas. */
struct sel {
	const char *school, *indicator;
	int verdict;                /* -1: any */
	int area;                   /* an area scope */
	char **areas, **schools;
	size_t nareas, nschools;
	const char *lo, *hi;        /* the least and greatest code of the area scope */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_sorted(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

static void sel_release(struct sel *q)
{
	for (size_t i = 0; i < q->nareas; i++)
		free(q->areas[i]);
	for (size_t i = 0; i < q->nschools; i++)
		free(q->schools[i]);
	free(q->areas);
	free(q->schools);
}

static int sel_init(struct store *s, struct sel *q, const struct svc_result_filter *f,
		    const struct svc_scope *sc, struct err *e)
{
	const char *area = sc ? nonempty(sc->area) : NULL;
	struct store_stmt *st;
	size_t aa = 0, as = 0;
	int r;

	memset(q, 0, sizeof(*q));
	q->school = sc ? nonempty(sc->school) : NULL;
	q->indicator = nonempty(f->indicator);
	q->verdict = !nonempty(f->verdict) ? -1 : !strcmp(f->verdict, "pass") ? V_PASS
		   : !strcmp(f->verdict, "warn") ? V_WARN : !strcmp(f->verdict, "fail") ? V_FAIL
		   : !strcmp(f->verdict, "na") ? V_NA : 99;
	if (!area)
		return 0;
	q->area = 1;
	st = store_prepare(s, "WITH RECURSIVE sub(code) AS (SELECT code FROM area WHERE code = ?1 "
			   "UNION ALL SELECT a.code FROM area a JOIN sub ON a.parent_code = sub.code) "
			   "SELECT 0, code FROM sub UNION ALL SELECT 1, s.code FROM school s WHERE "
			   "s.area_code IN (SELECT code FROM sub)", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, area);
	while ((r = store_step(st, e)) == 1) {
		char *code = xstrdup(store_column_text(st, 1));
		if (store_column_int(st, 0) == 0) {
			ALLOC_GROW(q->areas, q->nareas + 1, aa);
			q->areas[q->nareas++] = code;
		} else {
			ALLOC_GROW(q->schools, q->nschools + 1, as);
			q->schools[q->nschools++] = code;
		}
	}
	store_finalize(st);
	if (r < 0)
		return r;
	if (q->nareas)
		qsort(q->areas, q->nareas, sizeof(*q->areas), cmp_str);
	if (q->nschools)
		qsort(q->schools, q->nschools, sizeof(*q->schools), cmp_str);
	for (size_t i = 0; i < q->nareas + q->nschools; i++) {
		const char *c = i < q->nareas ? q->areas[i] : q->schools[i - q->nareas];
		if (!q->lo || strcmp(c, q->lo) < 0)
			q->lo = c;
		if (!q->hi || strcmp(c, q->hi) > 0)
			q->hi = c;
	}
	return 0;
}

/* Can chunk m hold a row the query keeps? (Its summary, without decoding it.) */
static int chunk_may_match(const struct sel *q, const struct rs_meta *m)
{
	if (q->indicator && !rules_list_has(m->indicators, q->indicator))
		return 0;
	if (q->school && (!rules_list_has(m->kinds, "school") || strcmp(q->school, m->unit_lo) < 0 ||
			  strcmp(q->school, m->unit_hi) > 0))
		return 0;
	if (q->area && (!q->lo || strcmp(m->unit_hi, q->lo) < 0 || strcmp(m->unit_lo, q->hi) > 0))
		return 0;
	return 1;
}

/* Per string code of one chunk: what is known of it (0: not yet asked). */
enum { K_UNKNOWN = 0, K_YES, K_NO };

/* Call fn for each row of chunk c the query keeps, for run `run` picked for mechs. */
static int scan_chunk(const struct sel *q, const struct rc_chunk *c, const struct svc_run *run,
		      unsigned char *memo, svc_result_fn fn, void *arg)
{
	long ind = q->indicator ? rc_find(c, q->indicator) : -1;
	long school = q->school ? rc_find(c, q->school) : -1;
	long kschool = rc_find(c, "school");
	/* memo[3 * code]: indicator kept for the run's mechanisms; +1: in the area as a school,
	 * +2: in the area as an area */
	memset(memo, K_UNKNOWN, 3 * c->nstr);
	if ((q->indicator && ind < 0) || (q->school && (school < 0 || kschool < 0)))
		return 0;
	for (size_t i = 0; i < c->nrows; i++) {
		const uint32_t *k = &c->code[4 * i];
		struct result_row row;
		int cr;
		if ((q->indicator && k[RC_IND] != (uint32_t)ind) ||
		    (q->verdict >= 0 && c->verdict[i] != q->verdict) ||
		    (q->school && (k[RC_UNIT] != (uint32_t)school || k[RC_KIND] != (uint32_t)kschool)))
			continue;
		if (q->area) {
			int as_school = kschool >= 0 && k[RC_KIND] == (uint32_t)kschool;
			unsigned char *m = &memo[3 * k[RC_UNIT] + 1 + !as_school];
			if (*m == K_UNKNOWN)
				*m = (as_school ? in_sorted(q->schools, q->nschools, c->str[k[RC_UNIT]])
						: in_sorted(q->areas, q->nareas, c->str[k[RC_UNIT]])) ? K_YES : K_NO;
			if (*m == K_NO)
				continue;
		}
		if (run->picked) {
			unsigned char *m = &memo[3 * k[RC_IND]];
			if (*m == K_UNKNOWN)
				*m = keep_row(run->picked, c->str[k[RC_IND]]) ? K_YES : K_NO;
			if (*m == K_NO)
				continue;
		}
		rc_row(c, i, &row);
		if ((cr = fn(arg, run, &row)) != 0)
			return cr;
	}
	return 0;
}

/* fn over the kept rows of every run, chunk by chunk in storage order (rows without their
 * evidence unless evidence). */
static int scan(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		const struct svc_runs *runs, int evidence, svc_result_fn fn, void *arg, struct err *e)
{
	struct store_stmt *fetch = NULL;
	unsigned char *memo = xmalloc(3 * 4 * RC_MAX_ROWS);
	struct sel q;
	int r;

	if ((r = sel_init(s, &q, f, sc, e)) < 0)
		goto out;
	for (size_t k = 0; k < runs->nr && r == 0; k++) {
		struct rs_run *run;
		if ((r = rs_run_get(s, runs->v[k].id, &run, e)) < 0)
			break;
		for (size_t i = 0; i < run->nr && r == 0; i++) {
			const struct rc_chunk *c;
			if (!chunk_may_match(&q, &run->v[i]))
				continue;
			if (!(c = rs_chunk_get(s, &fetch, run->id, &run->v[i], evidence, e))) {
				r = e->code;
				break;
			}
			r = scan_chunk(&q, c, &runs->v[k], memo, fn, arg);
			rs_chunk_put(s, c);
		}
		rs_run_put(s, run);
	}
out:
	store_finalize(fetch);
	sel_release(&q);
	free(memo);
	return r;
}

int svc_results(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		const struct svc_runs *runs, svc_result_fn fn, void *arg, struct err *e)
{
	struct svc_runs own = { 0 };
	int r;

	if (!runs) {
		if ((r = svc_results_runs(s, f, &own, e)) < 0)
			return r;
		runs = &own;
	}
	r = scan(s, f, sc, runs, !f->without_evidence, fn, arg, e);
	svc_runs_release(&own);
	return r;
}

/* Counting: per run, indicator and verdict. */
struct tally_key {
	const struct svc_run *run;
	char *indicator;
	enum verdict v;
	int64_t n;
};
struct tally {
	struct tally_key *v;
	size_t nr, alloc;
	const struct svc_run *run;    /* the last key's, for the common repeat */
	const char *last_ind;
	size_t last;
};

static int tally_row(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct tally *t = arg;
	size_t i;
	/* the same (run, indicator, verdict) as the row before, most often */
	if (t->nr && t->v[t->last].run == run && t->v[t->last].v == row->verdict &&
	    !strcmp(t->v[t->last].indicator, row->indicator)) {
		t->v[t->last].n++;
		return 0;
	}
	for (i = 0; i < t->nr; i++)
		if (t->v[i].run == run && t->v[i].v == row->verdict &&
		    !strcmp(t->v[i].indicator, row->indicator))
			break;
	if (i == t->nr) {
		ALLOC_GROW(t->v, t->nr + 1, t->alloc);
		t->v[t->nr].run = run;
		t->v[t->nr].indicator = xstrdup(row->indicator);
		t->v[t->nr].v = row->verdict;
		t->v[t->nr].n = 0;
		t->nr++;
	}
	t->v[i].n++;
	t->last = i;
	return 0;
}

/* run (in the runs' order), then indicator and verdict name byte-wise: the order of the
 * GROUP BY this replaces */
static int cmp_tally(const void *a, const void *b)
{
	const struct tally_key *x = a, *y = b;
	int c;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	if ((c = strcmp(x->indicator, y->indicator)))
		return c;
	return strcmp(verdict_name(x->v), verdict_name(y->v));
}

int svc_results_counts(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		       const struct svc_runs *runs, svc_count_fn fn, void *arg, struct err *e)
{
	struct tally t = { 0 };
	int r = scan(s, f, sc, runs, 0, tally_row, &t, e);

	if (r >= 0 && t.nr) {   /* qsort must not see NULL, even for no element */
		qsort(t.v, t.nr, sizeof(*t.v), cmp_tally);
		for (size_t i = 0; i < t.nr; i++)
			fn(arg, t.v[i].run, t.v[i].indicator, t.v[i].v, t.v[i].n);
	}
	for (size_t i = 0; i < t.nr; i++)
		free(t.v[i].indicator);
	free(t.v);
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
