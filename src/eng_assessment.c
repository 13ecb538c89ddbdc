/* eng_assessment.c: school assessment schemes (validation, weighted totals, the 思政
 * sub-score, rankings per county and city) and the curriculum checks. Pure: see
 * eng_assessment.h. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_assessment.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- scheme validation ---- */

static int item_parent(const struct as_scheme *s, int i)
{
	const char *p = s->items[i].parent;
	if (!p || !*p)
		return -1;
	for (int j = 0; j < s->nitems; j++)
		if (!strcmp(s->items[j].code, p))
			return j;
	return -2;
}

static void why_add(struct buf *why, int *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void why_add(struct buf *why, int *n, const char *fmt, ...)
{
	va_list ap;
	if ((*n)++)
		buf_addch(why, '\n');
	va_start(ap, fmt);
	buf_vaddf(why, fmt, ap);
	va_end(ap);
}

/* Parent index of every item (-1 top level); problems reported; returns the count. */
static int link_items(const struct as_scheme *s, int *par, struct buf *why)
{
	int n = 0;
	for (int i = 0; i < s->nitems; i++) {
		par[i] = item_parent(s, i);
		if (par[i] == -2) {
			why_add(why, &n, "item '%s': parent '%s' is not in the scheme",
				s->items[i].code, s->items[i].parent);
			par[i] = -1;
		}
	}
	for (int i = 0; i < s->nitems; i++) {
		int j = par[i], steps = 0;
		while (j >= 0 && steps <= s->nitems) {
			j = par[j];
			steps++;
		}
		if (j >= 0) {
			why_add(why, &n, "item '%s' is its own ancestor", s->items[i].code);
			par[i] = -1;
		}
	}
	return n;
}

/* 1 when item i or one of its ancestors is tagged 思政. */
static int under_sizheng(const struct as_scheme *s, const int *par, int i)
{
	for (int j = i, steps = 0; j >= 0 && steps <= s->nitems; j = par[j], steps++)
		if (s->items[j].sizheng)
			return 1;
	return 0;
}

int assess_validate(const struct as_scheme *s, const struct as_params *p, double *sizheng,
		    struct buf *why)
{
	int *par, n = 0;
	double top = 0, sz = 0;

	*sizheng = 0;
	if (!s->nitems) {
		why_add(why, &n, "the scheme has no items");
		return n;
	}
	par = xcalloc((size_t)s->nitems, sizeof(*par));
	n = link_items(s, par, why);
	for (int i = 0; i < s->nitems; i++) {
		double sum = 0;
		int kids = 0;
		if (par[i] < 0)
			top += s->items[i].weight;
		if (s->items[i].sizheng && (par[i] < 0 || !under_sizheng(s, par, par[i])))
			sz += s->items[i].weight;
		for (int j = 0; j < s->nitems; j++)
			if (par[j] == i) {
				sum += s->items[j].weight;
				kids++;
			}
		if (kids && fabs(sum - s->items[i].weight) > p->weight_tolerance)
			why_add(why, &n, "items under '%s' (%s) weigh %g, not its %g",
				s->items[i].code, s->items[i].name, sum, s->items[i].weight);
	}
	if (fabs(top - p->weight_total) > p->weight_tolerance)
		why_add(why, &n, "top-level items weigh %g, not %g", top, p->weight_total);
	if (sz < p->sizheng_min_weight * p->weight_total - p->weight_tolerance)
		why_add(why, &n, "思政 items weigh %g of %g (%g%%), below the minimum %g%%", sz,
			p->weight_total, 100 * sz / p->weight_total, 100 * p->sizheng_min_weight);
	*sizheng = sz;
	free(par);
	return n;
}

/* ---- totals and rankings ---- */

struct as_tot {
	int school;
	double total, sz;
	int rank_county, n_county, rank_city, n_city;
};

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Sort context (qsort has none): the schools array. */
struct tot_sort {
	struct as_tot t;
	const struct as_school *sc;
};

static int by_county_total(const void *a, const void *b)
{
	const struct tot_sort *x = a, *y = b;
	int c = cmp_str(x->sc->county, y->sc->county);
	if (c)
		return c;
	if (x->t.total != y->t.total)
		return x->t.total > y->t.total ? -1 : 1;
	return strcmp(x->sc->code, y->sc->code);
}

static int by_city_total(const void *a, const void *b)
{
	const struct tot_sort *x = a, *y = b;
	int c = cmp_str(x->sc->city, y->sc->city);
	if (c)
		return c;
	if (x->t.total != y->t.total)
		return x->t.total > y->t.total ? -1 : 1;
	return strcmp(x->sc->code, y->sc->code);
}

/* Competition ranking ("1224") within runs of equal group (county or city). */
static void rank_groups(struct tot_sort *v, size_t n, int city)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		const char *g = city ? v[i].sc->city : v[i].sc->county;
		while (j < n && !cmp_str(city ? v[j].sc->city : v[j].sc->county, g))
			j++;
		for (size_t k = i; k < j; k++) {
			int r = (k > i && v[k].t.total == v[k - 1].t.total)
				? (city ? v[k - 1].t.rank_city : v[k - 1].t.rank_county)
				: (int)(k - i + 1);
			if (city) {
				v[k].t.rank_city = r;
				v[k].t.n_city = (int)(j - i);
			} else {
				v[k].t.rank_county = r;
				v[k].t.n_county = (int)(j - i);
			}
		}
		i = j;
	}
}

static void scheme_row(const struct as_scheme *s, const struct as_params *p, int nerr,
		       double sz, const char *why, size_t ignored, struct result_set *out)
{
	struct buf ev = BUF_INIT;
	double top = 0;

	for (int i = 0; i < s->nitems; i++)
		if (!s->items[i].parent || !*s->items[i].parent)
			top += s->items[i].weight;
	buf_adds(&ev, "{\"name\":");
	buf_add_json_str(&ev, s->name);
	buf_addf(&ev, ",\"status\":\"%s\",\"items\":%d,\"sizheng_weight\":%g,"
		 "\"top_level_weight\":%g,\"weight_total\":%g,\"sizheng_min_share\":%g",
		 s->active ? "active" : "draft", s->nitems, sz, top, p->weight_total,
		 p->sizheng_min_weight);
	if (ignored)
		buf_addf(&ev, ",\"scores_on_parent_items_ignored\":%zu", ignored);
	buf_adds(&ev, ",\"errors\":[");
	for (const char *m = why; nerr && *m;) {
		const char *nl = strchr(m, '\n');
		size_t len = nl ? (size_t)(nl - m) : strlen(m);
		char *one = xstrndup(m, len);
		if (m != why)
			buf_addch(&ev, ',');
		buf_add_json_str(&ev, one);
		free(one);
		m += len + (nl ? 1 : 0);
	}
	buf_adds(&ev, "]");
	if (nerr) { /* the table view prints "note": say exactly why */
		struct buf note = BUF_INIT;
		buf_adds(&note, "the scheme cannot be used (no scores are computed): ");
		for (const char *m = why; *m; m++)
			buf_adds(&note, *m == '\n' ? "; " : (char[2]){ *m, 0 });
		buf_adds(&ev, ",\"note\":");
		buf_add_json_str(&ev, note.buf);
		buf_release(&note);
	}
	buf_addch(&ev, '}');
	results_add_row(out, "ASSESS.SCHEME", "scheme", s->code, "", s->year,
			sz / p->weight_total, sz, p->weight_total, p->sizheng_min_weight,
			nerr ? V_FAIL : V_PASS, ev.buf);
	buf_release(&ev);
}

static void school_rows(const struct as_scheme *s, const struct as_school *sc,
			const struct as_tot *t, double szw, const struct as_params *p,
			struct result_set *out)
{
	struct buf ev = BUF_INIT;

	buf_adds(&ev, "{\"scheme\":");
	buf_add_json_str(&ev, s->code);
	buf_adds(&ev, ",\"name\":");
	buf_add_json_str(&ev, sc->name);
	buf_adds(&ev, ",\"county\":");
	buf_add_json_str(&ev, sc->county ? sc->county : "");
	buf_adds(&ev, ",\"city\":");
	buf_add_json_str(&ev, sc->city ? sc->city : "");
	buf_addf(&ev, ",\"total\":%.4f,\"sizheng_score\":%.4f,\"rank_county\":%d,\"of_county\":%d,"
		 "\"rank_city\":%d,\"of_city\":%d}", t->total, szw > 0 ? 100 * t->sz / szw : 0,
		 t->rank_county, t->n_county, t->rank_city, t->n_city);
	results_add_row(out, "ASSESS.TOTAL", "school", sc->code, "", s->year, t->total, t->total,
			p->weight_total, NAN, V_NA, ev.buf);
	results_add_row(out, "ASSESS.SIZHENG", "school", sc->code, "", s->year,
			szw > 0 ? 100 * t->sz / szw : NAN, t->sz, szw, NAN, V_NA, ev.buf);
	results_add_row(out, "ASSESS.RANK.COUNTY", "school", sc->code, "", s->year,
			t->rank_county, t->rank_county, t->n_county, NAN, V_NA, ev.buf);
	results_add_row(out, "ASSESS.RANK.CITY", "school", sc->code, "", s->year, t->rank_city,
			t->rank_city, t->n_city, NAN, V_NA, ev.buf);
	buf_release(&ev);
}

static void incomplete_row(const struct as_scheme *s, const struct as_school *sc,
			   const unsigned char *have, const int *leaf, int nleaf,
			   struct result_set *out)
{
	struct buf ev = BUF_INIT;
	int k = 0;

	buf_adds(&ev, "{\"scheme\":");
	buf_add_json_str(&ev, s->code);
	buf_adds(&ev, ",\"reason\":\"items without a score\",\"missing\":[");
	for (int l = 0; l < nleaf; l++)
		if (!have[l]) {
			if (k++)
				buf_addch(&ev, ',');
			buf_add_json_str(&ev, s->items[leaf[l]].code);
		}
	buf_adds(&ev, "]}");
	results_add_row(out, "ASSESS.TOTAL", "school", sc->code, "", s->year, NAN, NAN, NAN, NAN,
			V_NA, ev.buf);
	buf_release(&ev);
}

/* ASSESS.COUNTY: mean total per county, ranked among the counties of its city. */
static void county_rows(const struct as_scheme *s, struct tot_sort *v, size_t n,
			struct result_set *out)
{
	struct cty {
		const char *county, *city;
		double mean;
		size_t n;
		int rank, of;
	} *c = NULL;
	size_t nc = 0, ac = 0;

	qsort(v, n, sizeof(*v), by_county_total);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double sum = 0;
		while (j < n && !cmp_str(v[j].sc->county, v[i].sc->county))
			sum += v[j++].t.total;
		ALLOC_GROW(c, nc + 1, ac);
		c[nc].county = v[i].sc->county;
		c[nc].city = v[i].sc->city;
		c[nc].mean = sum / (double)(j - i);
		c[nc].n = j - i;
		nc++;
		i = j;
	}
	for (size_t i = 0; i < nc; i++) {
		c[i].rank = 1;
		c[i].of = 0;
		for (size_t j = 0; j < nc; j++) {
			if (cmp_str(c[j].city, c[i].city))
				continue;
			c[i].of++;
			if (c[j].mean > c[i].mean)
				c[i].rank++;
		}
	}
	for (size_t i = 0; i < nc; i++) {
		struct buf ev = BUF_INIT;
		buf_adds(&ev, "{\"scheme\":");
		buf_add_json_str(&ev, s->code);
		buf_adds(&ev, ",\"city\":");
		buf_add_json_str(&ev, c[i].city ? c[i].city : "");
		buf_addf(&ev, ",\"schools\":%zu,\"rank_in_city\":%d,\"of\":%d}", c[i].n, c[i].rank,
			 c[i].of);
		results_add_row(out, "ASSESS.COUNTY", "county", c[i].county ? c[i].county : "", "",
				s->year, c[i].mean, c[i].rank, c[i].of, NAN, V_NA, ev.buf);
		buf_release(&ev);
	}
	free(c);
}

static void score_scheme(const struct as_input *in, int si, const struct as_params *p,
			 struct result_set *out, size_t *ignored)
{
	const struct as_scheme *s = &in->schemes[si];
	int *par = xcalloc((size_t)s->nitems, sizeof(int));
	int *leaf = xcalloc((size_t)s->nitems, sizeof(int)), *leaf_of = xcalloc((size_t)s->nitems, sizeof(int));
	int nleaf = 0, ns = in->nschools;
	struct buf junk = BUF_INIT;
	double szw = 0;
	double *pts = xcalloc((size_t)ns, sizeof(double)), *szp = xcalloc((size_t)ns, sizeof(double));
	int *cnt = xcalloc((size_t)ns, sizeof(int));
	unsigned char *have;
	struct tot_sort *v;
	size_t nv = 0;

	link_items(s, par, &junk);
	buf_release(&junk);
	for (int i = 0; i < s->nitems; i++) {
		int kids = 0;
		for (int j = 0; j < s->nitems; j++)
			kids += par[j] == i;
		leaf_of[i] = -1;
		if (!kids) {
			leaf_of[i] = nleaf;
			leaf[nleaf++] = i;
			if (under_sizheng(s, par, i))
				szw += s->items[i].weight;
		}
	}
	have = xcalloc((size_t)ns * (size_t)(nleaf ? nleaf : 1), 1);
	for (size_t k = 0; k < in->nscores; k++) {
		const struct as_score *c = &in->scores[k];
		int l;
		if (c->scheme != si)
			continue;
		l = leaf_of[c->item];
		if (l < 0) {
			(*ignored)++;
			continue;
		}
		if (have[(size_t)c->school * (size_t)nleaf + (size_t)l])
			continue;
		have[(size_t)c->school * (size_t)nleaf + (size_t)l] = 1;
		pts[c->school] += s->items[c->item].weight * c->score / 100;
		if (under_sizheng(s, par, c->item))
			szp[c->school] += s->items[c->item].weight * c->score / 100;
		cnt[c->school]++;
	}
	v = xcalloc((size_t)ns + 1, sizeof(*v));
	for (int i = 0; i < ns; i++) {
		if (!cnt[i])
			continue;
		if (cnt[i] < nleaf) {
			incomplete_row(s, &in->schools[i], have + (size_t)i * (size_t)nleaf, leaf,
				       nleaf, out);
			continue;
		}
		v[nv].sc = &in->schools[i];
		v[nv].t.school = i;
		v[nv].t.total = pts[i];
		v[nv].t.sz = szp[i];
		nv++;
	}
	qsort(v, nv, sizeof(*v), by_county_total);
	rank_groups(v, nv, 0);
	qsort(v, nv, sizeof(*v), by_city_total);
	rank_groups(v, nv, 1);
	for (size_t k = 0; k < nv; k++)
		school_rows(s, v[k].sc, &v[k].t, szw, p, out);
	county_rows(s, v, nv, out);
	free(v);
	free(have);
	free(cnt);
	free(pts);
	free(szp);
	free(leaf);
	free(leaf_of);
	free(par);
}

void assess_run(const struct as_input *in, const struct as_params *p, struct result_set *out)
{
	for (int si = 0; si < in->nschemes; si++) {
		const struct as_scheme *s = &in->schemes[si];
		struct buf why = BUF_INIT;
		size_t ignored = 0;
		double sz;
		int nerr = assess_validate(s, p, &sz, &why);

		/* the school rows first: the scheme row counts the scores it had to ignore */
		if (!nerr && s->active)
			score_scheme(in, si, p, out, &ignored);
		scheme_row(s, p, nerr, sz, why.buf, ignored, out);
		buf_release(&why);
	}
}
