/* svc_compare.c: what changed between two stored runs, in a scope: for each indicator, the
 * rows whose verdict or numbers differ and the rows only one run has, matched by key
 * (indicator, unit kind, unit id, stage, year). One indicator at a time, so memory is bounded
 * by the largest indicator's rows, not by the runs (a province run is ~500,000 rows). */
#include <stdlib.h>
#include <string.h>

#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

/* The indicators present in either run (in scope): sorted, unique, with each run's rows per
 * verdict. */
struct diff_list {
	struct svc_diff *v;
	size_t nr, alloc;
	int side; /* 0: counting run a, 1: run b */
};

static void count_cb(void *arg, const struct svc_run *run, const char *indicator, enum verdict v,
		     int64_t n)
{
	struct diff_list *l = arg;
	size_t i;
	(void)run;
	for (i = 0; i < l->nr && strcmp(l->v[i].indicator, indicator); i++)
		;
	if (i == l->nr) {
		ALLOC_GROW(l->v, l->nr + 1, l->alloc);
		memset(&l->v[i], 0, sizeof(l->v[i]));
		l->v[i].indicator = xstrdup(indicator);
		l->nr++;
	}
	(l->side ? l->v[i].b : l->v[i].a)[v] += n;
}

static int by_indicator(const void *x, const void *y)
{
	return strcmp(((const struct svc_diff *)x)->indicator, ((const struct svc_diff *)y)->indicator);
}

/* Rows are kept without their evidence (not compared). */
static int collect(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct result_row r = *row;
	(void)run;
	r.evidence = "{}";
	results_add(arg, &r);
	return 0;
}

/* Pointers into one run's rows, in key order; equal keys keep their storage order. */
static int by_key(const void *x, const void *y)
{
	const struct result_row *a = *(const struct result_row *const *)x,
				*b = *(const struct result_row *const *)y;
	int c = result_key_cmp(a, b);
	return c ? c : (a > b) - (a < b);
}

static const struct result_row **sorted(const struct result_set *rs)
{
	const struct result_row **p = xcalloc(rs->nr + 1, sizeof(*p));
	for (size_t i = 0; i < rs->nr; i++)
		p[i] = &rs->v[i];
	qsort(p, rs->nr, sizeof(*p), by_key);
	return p;
}

/* Merge the two runs' rows of one indicator in key order. */
static int diff_rows(const struct result_set *ra, const struct result_set *rb, struct svc_diff *d,
		     svc_diff_row_fn fn, void *arg)
{
	const struct result_row **a = sorted(ra), **b = sorted(rb);
	size_t i = 0, j = 0;
	int r = 0;
	while (!r && (i < ra->nr || j < rb->nr)) {
		const struct result_row *x = NULL, *y = NULL;
		int c = i == ra->nr ? 1 : j == rb->nr ? -1 : result_key_cmp(a[i], b[j]);
		if (c <= 0)
			x = a[i++];
		if (c >= 0)
			y = b[j++];
		if (x && y && result_same_values(x, y)) {
			d->same++;
			continue;
		}
		if (!x)
			d->added++;
		else if (!y)
			d->removed++;
		else if (d->changed++, x->verdict != y->verdict)
			d->verdict_changed++;
		r = fn ? fn(arg, x, y) : 0;
	}
	free(a);
	free(b);
	return r;
}

int svc_runs_compare(struct store *s, int64_t a, int64_t b, const char *indicator,
		     const struct svc_scope *sc, svc_diff_row_fn row, svc_diff_fn done, void *arg,
		     struct err *e)
{
	struct svc_result_filter f = { 0 };
	struct svc_runs runs[2] = { { 0 }, { 0 } };
	struct diff_list l = { 0 };
	int r = 0;

	f.indicator = indicator;
	f.without_evidence = 1;   /* not compared: not decoded */
	for (int k = 0; k < 2 && r >= 0; k++) {
		f.run = k ? b : a;
		l.side = k;
		if ((r = svc_results_runs(s, &f, &runs[k], e)) >= 0)
			r = svc_results_counts(s, &f, sc, &runs[k], count_cb, &l, e);
	}
	if (r >= 0 && l.nr)
		qsort(l.v, l.nr, sizeof(*l.v), by_indicator);
	for (size_t i = 0; i < l.nr && r == 0; i++) {
		struct result_set rs[2];
		f.indicator = l.v[i].indicator;
		results_init(&rs[0]);
		results_init(&rs[1]);
		for (int k = 0; k < 2 && r >= 0; k++)
			r = svc_results(s, &f, sc, &runs[k], collect, &rs[k], e);
		if (r >= 0 && !(r = diff_rows(&rs[0], &rs[1], &l.v[i], row, arg)) && done)
			done(arg, &l.v[i]);
		results_release(&rs[0]);
		results_release(&rs[1]);
	}
	for (size_t i = 0; i < l.nr; i++)
		free((char *)l.v[i].indicator);
	free(l.v);
	svc_runs_release(&runs[0]);
	svc_runs_release(&runs[1]);
	return r;
}
