/* eng_vocational_coop.c: part of the vocational engine (eng_vocational.h): the facts
 * grouped by city (voc_index), and the school-enterprise cooperation figures per school and
 * city: partner enterprises by valid credit code, order classes, apprenticeships, training
 * bases, interns, employee training, and the employment of specialties a running
 * cooperation serves against the others. One pass over each fact array; cities sum their
 * schools, except enterprises (distinct per city). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_vocational.h"
#include "eval.h"
#include "validate.h"
#include "xmalloc.h"
#include "banned.h"

struct coop_agg {
	long order_n, order_students, appr_n, appr_students;
	long bases, capacity;
	double investment, equipment;
	long interns, training;
	long coop_ok, coop_grad, other_ok, other_grad;
	long enterprises;
	struct buf invalid;      /* JSON strings of invalid credit codes, comma-separated */
	long ninvalid;
};

static int cmp_school_key(const void *k, const void *el)
{
	return strcmp(k, ((const struct voc_school *)el)->code);
}

/* Index of the school, or -1. */
static long school_index(const struct voc_facts *f, const char *code)
{
	const struct voc_school *s = code ? bsearch(code, f->schools, f->nschools,
						    sizeof(*f->schools), cmp_school_key) : NULL;
	return s ? (long)(s - f->schools) : -1;
}

/* ---- grouping by city (voc_index) ---- */

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static size_t city_of(const struct voc_index *x, const char *city)
{
	const char **c = bsearch(&city, x->cities, x->ncities, sizeof(*x->cities), cmp_str);
	return (size_t)(c - x->cities);
}

/* Group n items by key k[i] < nk (counting sort): out[start[c] .. start[c + 1]). */
static void group(const size_t *k, size_t n, size_t nk, size_t **out, size_t **start)
{
	size_t *st = xcalloc(nk + 2, sizeof(*st)), *o = xcalloc(n + 1, sizeof(*o));
	for (size_t i = 0; i < n; i++)
		st[k[i] + 2]++;
	for (size_t c = 2; c < nk + 2; c++)
		st[c] += st[c - 1];
	for (size_t i = 0; i < n; i++)
		o[st[k[i] + 1]++] = i;
	*out = o;
	*start = st;
}

int voc_index_build(const struct voc_facts *f, struct voc_index *x, struct err *e)
{
	memset(x, 0, sizeof(*x));
	x->spec_school = xcalloc(f->nspecs + 1, sizeof(*x->spec_school));
	x->school_city = xcalloc(f->nschools + 1, sizeof(*x->school_city));
	x->cities = xcalloc(f->nschools + 1, sizeof(*x->cities));
	for (size_t i = 0; i < f->nspecs; i++) {
		long si = school_index(f, f->specs[i].school);
		if (si < 0) {
			err_set(e, ERR_DATA, "specialty %s of school '%s' has no school record",
				f->specs[i].code, f->specs[i].school);
			voc_index_release(x);
			return e->code;
		}
		x->spec_school[i] = (size_t)si;
	}
	for (size_t i = 0; i < f->nschools; i++)
		x->cities[i] = f->schools[i].city ? f->schools[i].city : "";
	if (f->nschools)
		qsort(x->cities, f->nschools, sizeof(*x->cities), cmp_str);
	for (size_t i = 0; i < f->nschools; i++)
		if (!x->ncities || strcmp(x->cities[x->ncities - 1], x->cities[i]))
			x->cities[x->ncities++] = x->cities[i];
	for (size_t i = 0; i < f->nschools; i++)
		x->school_city[i] = city_of(x, f->schools[i].city ? f->schools[i].city : "");
	group(x->school_city, f->nschools, x->ncities, &x->city_schools, &x->city_school_start);
	{
		size_t *sc = xcalloc(f->nspecs + 1, sizeof(*sc));
		for (size_t i = 0; i < f->nspecs; i++)
			sc[i] = x->school_city[x->spec_school[i]];
		group(sc, f->nspecs, x->ncities, &x->city_specs, &x->city_spec_start);
		free(sc);
	}
	return 0;
}

void voc_index_release(struct voc_index *x)
{
	free(x->spec_school);
	free(x->school_city);
	free(x->cities);
	free(x->city_specs);
	free(x->city_spec_start);
	free(x->city_schools);
	free(x->city_school_start);
	memset(x, 0, sizeof(*x));
}

/* ---- cooperation ---- */

static int active(int start, int end, int year)
{
	return start <= year && (end == 0 || end >= year);
}

static int credit_valid(const char *cc)
{
	return cc && strlen(cc) == 18 && credit_code_check_char(cc) == cc[17];
}

static double ratio(long num, long den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* (unit, credit code) pairs; unit is a school or city index. */
struct uc {
	size_t unit;
	const char *cc;
};

static int cmp_uc(const void *x, const void *y)
{
	const struct uc *a = x, *b = y;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return strcmp(a->cc, b->cc);
}

/* Distinct credit codes per unit: valid ones counted, invalid ones listed. */
static void distinct(struct uc *v, size_t n, struct coop_agg *g)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_uc);
	for (size_t k = 0; k < n; k++) {
		struct coop_agg *a = &g[v[k].unit];
		if (k && v[k].unit == v[k - 1].unit && !strcmp(v[k].cc, v[k - 1].cc))
			continue;
		if (credit_valid(v[k].cc)) {
			a->enterprises++;
		} else {
			if (a->ninvalid++)
				buf_addch(&a->invalid, ',');
			buf_add_json_str(&a->invalid, v[k].cc);
		}
	}
}

static void add_to(struct coop_agg *c, const struct coop_agg *s)
{
	c->order_n += s->order_n;
	c->order_students += s->order_students;
	c->appr_n += s->appr_n;
	c->appr_students += s->appr_students;
	c->bases += s->bases;
	c->capacity += s->capacity;
	c->investment += s->investment;
	c->equipment += s->equipment;
	c->interns += s->interns;
	c->training += s->training;
	c->coop_ok += s->coop_ok;
	c->coop_grad += s->coop_grad;
	c->other_ok += s->other_ok;
	c->other_grad += s->other_grad;
}

static void emit(struct result_set *out, const char *kind, const char *key, int year,
		 const struct coop_agg *g, struct buf *ev)
{
	buf_reset(ev);
	buf_addf(ev, "{\"invalid_credit_codes\":[%s]}", g->invalid.buf);
	results_add_row(out, "VOC.COOP.ENT", kind, key, "", year, g->enterprises, g->enterprises,
			NAN, NAN, V_NA, ev->buf);
	results_add_row(out, "VOC.COOP.ORDER", kind, key, "", year, g->order_students,
			g->order_n, NAN, NAN, V_NA, "{}");
	results_add_row(out, "VOC.COOP.APPR", kind, key, "", year, g->appr_students, g->appr_n,
			NAN, NAN, V_NA, "{}");
	results_add_row(out, "VOC.BASE.N", kind, key, "", year, g->bases, g->bases, NAN, NAN,
			V_NA, "{}");
	results_add_row(out, "VOC.BASE.INVEST", kind, key, "", year, g->investment,
			g->investment, g->bases, NAN, V_NA, "{}");
	results_add_row(out, "VOC.BASE.EQUIP", kind, key, "", year, g->equipment, g->equipment,
			g->bases, NAN, V_NA, "{}");
	results_add_row(out, "VOC.BASE.CAP", kind, key, "", year, g->capacity, g->capacity,
			g->bases, NAN, V_NA, "{}");
	results_add_row(out, "VOC.INTERNS", kind, key, "", year, g->interns, g->interns, NAN,
			NAN, V_NA, "{}");
	results_add_row(out, "VOC.TRAINING", kind, key, "", year, g->training, g->training, NAN,
			NAN, V_NA, "{}");
	results_add_row(out, "VOC.EMP.COOP", kind, key, "", year, ratio(g->coop_ok, g->coop_grad),
			g->coop_ok, g->coop_grad, NAN, V_NA, "{}");
	results_add_row(out, "VOC.EMP.OTHER", kind, key, "", year,
			ratio(g->other_ok, g->other_grad), g->other_ok, g->other_grad, NAN, V_NA,
			"{}");
}

void voc_coop_rows(struct result_set *out, const struct voc_facts *f,
		   const struct voc_decision *d, const struct voc_index *x, int year)
{
	size_t ns = f->nschools, nc = x->ncities;
	struct coop_agg *g = xcalloc(ns + nc + 1, sizeof(*g)), *cg = g + ns;
	struct uc *sv = xcalloc(f->ncoops + 1, sizeof(*sv)), *cv = xcalloc(f->ncoops + 1, sizeof(*cv));
	size_t nuc = 0;
	struct buf ev = BUF_INIT;

	for (size_t i = 0; i < ns + nc; i++)
		buf_init(&g[i].invalid, 0);
	for (size_t k = 0; k < f->ncoops; k++) {
		const struct voc_coop *co = &f->coops[k];
		long si = school_index(f, co->school);
		if (si < 0 || !active(co->start_year, co->end_year, year))
			continue;
		if (co->kind == VOC_CK_ORDER_CLASS) {
			g[si].order_n++;
			g[si].order_students += co->students;
		} else if (co->kind == VOC_CK_APPRENTICESHIP) {
			g[si].appr_n++;
			g[si].appr_students += co->students;
		}
		if (co->credit_code) {
			sv[nuc].unit = (size_t)si;
			cv[nuc].unit = x->school_city[si];
			sv[nuc].cc = cv[nuc].cc = co->credit_code;
			nuc++;
		}
	}
	for (size_t k = 0; k < f->nbases; k++) {
		const struct voc_base *b = &f->bases[k];
		long si = school_index(f, b->school);
		if (si < 0 || b->opened_year > year)
			continue;
		g[si].bases++;
		g[si].capacity += b->capacity;
		g[si].investment += b->investment;
		g[si].equipment += b->equipment_value;
	}
	for (size_t k = 0; k < f->ninterns; k++) {
		long si = school_index(f, f->interns[k].school);
		if (si >= 0 && f->interns[k].year == year)
			g[si].interns += f->interns[k].n;
	}
	for (size_t k = 0; k < f->ntrainings; k++) {
		long si = school_index(f, f->trainings[k].school);
		if (si >= 0 && f->trainings[k].year == year)
			g[si].training += f->trainings[k].n;
	}
	for (size_t i = 0; i < f->nspecs; i++) {
		const struct voc_specialty *s = &f->specs[i];
		const struct voc_year *y = d[i].in_review ? voc_year_of(s, year) : NULL;
		struct coop_agg *a = &g[x->spec_school[i]];
		if (!y)
			continue;
		if (s->cooperating) {
			a->coop_ok += y->employed + y->further_study;
			a->coop_grad += y->graduates;
		} else {
			a->other_ok += y->employed + y->further_study;
			a->other_grad += y->graduates;
		}
	}
	distinct(sv, nuc, g);
	distinct(cv, nuc, cg);
	for (size_t i = 0; i < ns; i++) {
		add_to(&cg[x->school_city[i]], &g[i]);
		emit(out, "school", f->schools[i].code, year, &g[i], &ev);
	}
	for (size_t c = 0; c < nc; c++)
		emit(out, "city", x->cities[c], year, &cg[c], &ev);
	for (size_t i = 0; i < ns + nc; i++)
		buf_release(&g[i].invalid);
	buf_release(&ev);
	free(sv);
	free(cv);
	free(g);
}
