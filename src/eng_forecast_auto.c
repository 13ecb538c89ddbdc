/* eng_forecast_auto.c: the parts of the forecast engine that back-test on the origin's own
 * past: choosing the estimator ("auto", "auto:N", "auto:area", "pool") and the empirical
 * prediction intervals (see eng_forecast.h). Pure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_forecast_int.h"
#include "xmalloc.h"
#include "banned.h"

/* Selection origins when the caller gives none (the rule seats.forecast's default). */
#define SELECT_ORIGINS_UNSET 5

static int select_origins(const struct fc_ctx *c)
{
	return c->p->sel.origins > 0 ? c->p->sel.origins : SELECT_ORIGINS_UNSET;
}

double fc_score(const struct fc_ctx *c, const struct fc_estimator *est, int norigins,
		int area)
{
	int G = c->G, Y = c->Y;
	double sum = 0;
	long n = 0;

	for (int k = 1; k <= norigins; k++) {
		int o = Y - k, L = k < FC_AUTO_LEADS ? k : FC_AUTO_LEADS;
		if (o < 3)
			break;
		for (int a = area < 0 ? 0 : area; a < (area < 0 ? c->A : area + 1); a++) {
			const double *E = c->in->enrol + (size_t)a * Y * G;
			fc_model_run(c, a, o, est, L, c->tmp);
			for (int h = 1; h <= L; h++) {
				double f = 0, act = 0;
				int ok = 1;
				for (int g = 0; g < G; g++) {
					double fv = c->tmp[(h - 1) * G + g], av = E[(o - 1 + h) * G + g];
					if (isnan(av))
						continue;
					if (isnan(fv)) {
						ok = 0;
						break;
					}
					f += fv;
					act += av;
				}
				if (ok && act > 0) {
					sum += fabs(f - act) / act;
					n++;
				}
			}
		}
	}
	return n ? sum / (double)n : INFINITY;
}

/* 1 when a and b forecast the same pupils for every area (at the origin, every lead). */
static int same_forecast(const struct fc_ctx *c, const struct fc_estimator *a,
			 const struct fc_estimator *b)
{
	size_t n = (size_t)c->H * c->G;
	double *fa = xmalloc(sizeof(double) * n), *fb = xmalloc(sizeof(double) * n);
	int same = 1;

	for (int ar = 0; same && ar < c->A; ar++) {
		fc_model_run(c, ar, c->Y, a, c->H, fa);
		fc_model_run(c, ar, c->Y, b, c->H, fb);
		for (size_t i = 0; same && i < n; i++)
			if (isnan(fa[i]) != isnan(fb[i]) ||
			    (!isnan(fa[i]) && fabs(fa[i] - fb[i]) > 1e-9 * (1 + fabs(fa[i]))))
				same = 0;
	}
	free(fa);
	free(fb);
	return same;
}

static void set_used(struct fc_output *out, const char *name)
{
	snprintf(out->used, sizeof(out->used), "%s", name);
}

/* "auto:N": the mean of the N best-scored candidates, a candidate whose forecasts are those
 * of one already taken counting once (e.g. combo/g is combo when every area has births). */
static const struct fc_estimator *auto_mix(const struct fc_ctx *c, struct fc_estimator *cand,
					   int ncand, const double *score, struct fc_estimator *mix,
					   unsigned *members, struct err *e)
{
	int used[16] = { 0 }, taken[16], nm = 0;
	char name[64];
	size_t ml = 0;

	while (nm < c->p->est.k) {
		int bi = -1, dup = 0;
		size_t l;
		for (int k = 0; k < ncand; k++)
			if (!used[k] && isfinite(score[k]) &&
			    (bi < 0 || score[k] < score[bi] - 1e-12))
				bi = k;
		if (bi < 0)
			break;
		used[bi] = 1;
		for (int t = 0; t < nm && !dup; t++)
			dup = fabs(score[taken[t]] - score[bi]) <= 1e-12 * (1 + score[bi]) &&
			      same_forecast(c, &cand[taken[t]], &cand[bi]);
		if (dup)
			continue; /* the same forecast as one taken: look further */
		l = strlen(fc_auto_candidates[bi]);
		if (ml + l + 2 > sizeof(name))
			break;
		if (nm)
			name[ml++] = '+';
		memcpy(name + ml, fc_auto_candidates[bi], l + 1);
		ml += l;
		taken[nm++] = bi;
		*members |= 1u << bi;
	}
	if (nm < 2 || fc_estimator_parse(name, mix, e) < 0)
		return NULL; /* one distinct candidate: it alone */
	memcpy(mix->wiche, c->p->est.wiche, sizeof(mix->wiche));
	return mix;
}

int fc_choose(const struct fc_ctx *c, struct fc_estimator *store, int nstore,
	      const struct fc_estimator **est_of, struct fc_output *out, struct err *e)
{
	const struct fc_estimator *p = &c->p->est, *one = p;
	const struct fc_select *sel = &c->p->sel;
	double score[16];
	int ncand = 0, best = 0, nsel = select_origins(c);

	for (int a = 0; a < c->A; a++)
		out->chosen[a] = -1;
	if (p->kind == FC_POOL) {
		double bs = INFINITY;
		int n = 0;
		if (sel->nalpha < 1 || sel->nweight < 1 || sel->nalpha * sel->nweight > nstore)
			return err_set(e, ERR_USAGE, "estimator 'pool' needs its grid of alphas and "
				       "weights (rule seats.forecast pool_alphas, pool_weights)");
		for (int i = 0; i < sel->nalpha; i++)
			for (int j = 0; j < sel->nweight; j++, n++) {
				char name[64];
				double s;
				snprintf(name, sizeof(name), "pool:%g:%g", sel->alpha[i], sel->weight[j]);
				if (fc_estimator_parse(name, &store[n], e) < 0)
					return err_set(e, ERR_USAGE, "estimator 'pool': bad grid point "
						       "alpha %g, weight %g (alphas in (0,1], weights in "
						       "[0,1])", sel->alpha[i], sel->weight[j]);
				s = fc_score(c, &store[n], nsel, -1);
				if (s < bs - 1e-12) {
					bs = s;
					best = n;
				}
			}
		if (isinf(bs)) {
			/* nothing to score (too little history): no evidence for pooling, so the
			 * area's own ratios (the largest weight) with the middle smoothing constant */
			int wj = 0;
			for (int j = 1; j < sel->nweight; j++)
				if (sel->weight[j] > sel->weight[wj])
					wj = j;
			best = (sel->nalpha / 2) * sel->nweight + wj;
		}
		one = &store[best];
		set_used(out, one->name);
	} else if (p->kind == FC_AUTO || p->kind == FC_AUTO_AREA) {
		for (; fc_auto_candidates[ncand]; ncand++) {
			if (fc_estimator_parse(fc_auto_candidates[ncand], &store[ncand], e) < 0)
				BUG("bad auto candidate");
			memcpy(store[ncand].wiche, p->wiche, sizeof(store[ncand].wiche));
		}
	}
	if (p->kind == FC_AUTO) {
		double bs = INFINITY;
		unsigned members = 0;
		const struct fc_estimator *mix = NULL;
		for (int k = 0; k < ncand; k++) {
			score[k] = fc_score(c, &store[k], nsel, -1);
			if (score[k] < bs - 1e-12) {
				bs = score[k];
				best = k;
			}
		}
		if (p->k >= 2)
			mix = auto_mix(c, store, ncand, score, &store[ncand], &members, e);
		one = mix ? mix : &store[best];
		set_used(out, one->name);
		for (int a = 0; a < c->A; a++) {
			out->chosen[a] = best;
			out->members[a] = mix ? members : 1u << best;
		}
	}
	for (int a = 0; a < c->A; a++) {
		est_of[a] = one;
		if (p->kind == FC_AUTO_AREA) {
			double bs = INFINITY;
			int bi = 0;
			for (int k = 0; k < ncand; k++) {
				double s = fc_score(c, &store[k], nsel, a);
				if (s < bs - 1e-12) {
					bs = s;
					bi = k;
				}
			}
			out->chosen[a] = bi;
			out->members[a] = 1u << bi;
			est_of[a] = &store[bi];
		}
	}
	return 0;
}

/* Student's t quantiles for 1..30 degrees of freedom at .90 and .975 (80 % and 95 % two-sided
 * intervals), and the normal ones: the widening for few back-test origins is t / z. */
static const double t90[30] = {
	3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356,
	1.350, 1.345, 1.341, 1.337, 1.333, 1.330, 1.328, 1.325, 1.323, 1.321, 1.319, 1.318,
	1.316, 1.315, 1.314, 1.313, 1.311, 1.310,
};
static const double t975[30] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
	2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
	2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};
#define Z90 1.2815516
#define Z975 1.9599640

static double widen(int df, int p95)
{
	double z = p95 ? Z975 : Z90;
	int i = df < 1 ? 0 : df - 1;
	if (i < 30)
		return (p95 ? t975[i] : t90[i]) / z;
	return 1 + (z * z + 1) / (4.0 * df); /* Cornish-Fisher, first term */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile p of sorted v[0..n-1], linear between order statistics (Hyndman-Fan type 7). */
static double quantile(const double *v, size_t n, double p)
{
	double r = p * (double)(n - 1);
	size_t i = (size_t)r;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (r - (double)i) * (v[i + 1] - v[i]);
}

struct elist {
	double *v;
	int *k;               /* the origin of each error */
	size_t nr, alloc, kalloc;
	int origins;
};

/* The widening of an error spread measured on few origins: the errors are an origin's
 * common part (between-origin variance sb, estimated from the m origin means: m - 1 degrees
 * of freedom) plus each area's own (within variance sw, from many errors). Only the common
 * part is uncertain for a new origin, so only it is scaled by (t / z)^2:
 * factor = sqrt(((t/z)^2 sb + sw) / (sb + sw)). */
static double spread_factor(const struct elist *l, int p95)
{
	double mean[64] = { 0 }, grand = 0, sw = 0, sb = 0, t = widen(l->origins - 1, p95);
	long cnt[64] = { 0 };
	int m = 0;

	for (size_t i = 0; i < l->nr; i++) {
		mean[l->k[i] & 63] += l->v[i];
		cnt[l->k[i] & 63]++;
	}
	for (int j = 0; j < 64; j++)
		if (cnt[j]) {
			mean[j] /= (double)cnt[j];
			grand += mean[j];
			m++;
		}
	if (m < 2)
		return t;
	grand /= m;
	for (size_t i = 0; i < l->nr; i++) {
		double d = l->v[i] - mean[l->k[i] & 63];
		sw += d * d;
	}
	sw = l->nr > (size_t)m ? sw / (double)(l->nr - (size_t)m) : 0;
	for (int j = 0; j < 64; j++)
		if (cnt[j]) {
			double d = mean[j] - grand;
			sb += (d * d - sw / (double)cnt[j]) / (m - 1);
		}
	if (sb < 0)
		sb = 0;
	if (!(sb + sw > 0))
		return t;
	return sqrt((t * t * sb + sw) / (sb + sw));
}

void fc_intervals(const struct fc_ctx *c, const struct fc_estimator *const *est_of,
		  struct fc_output *out)
{
	int G = c->G, Y = c->Y, H = c->H, ng = out->ngroups;
	const int *grp = c->in->group_of;
	struct elist *el = xcalloc((size_t)ng * H, sizeof(*el));
	double *buf = xmalloc(sizeof(double) * (size_t)H * G);
	double *f = xmalloc(sizeof(double) * (size_t)ng), *act = xmalloc(sizeof(double) * (size_t)ng);
	unsigned char *ok = xmalloc((size_t)ng), *seen = xmalloc((size_t)ng * H);

	for (int k = 1; k <= c->p->sel.interval_origins; k++) {
		int o = Y - k, L = k < H ? k : H;
		if (o < 3)
			break;
		memset(seen, 0, (size_t)ng * H);
		for (int a = 0; a < c->A; a++) {
			const double *E = c->in->enrol + (size_t)a * Y * G;
			fc_model_run(c, a, o, est_of[a], L, buf);
			for (int h = 1; h <= L; h++) {
				for (int i = 0; i < ng; i++) {
					f[i] = act[i] = 0;
					ok[i] = 1;
				}
				for (int g = 0; g < G; g++) {
					int i = grp ? grp[g] : 0;
					double fv = buf[(h - 1) * G + g], av = E[(o - 1 + h) * G + g];
					if (i < 0 || i >= ng || isnan(av))
						continue;
					if (isnan(fv))
						ok[i] = 0;
					f[i] += fv;
					act[i] += av;
				}
				for (int i = 0; i < ng; i++) {
					struct elist *l = &el[(size_t)i * H + h - 1];
					if (!ok[i] || !(act[i] > 0) || !(f[i] > 0))
						continue;
					ALLOC_GROW(l->v, l->nr + 1, l->alloc);
					ALLOC_GROW(l->k, l->nr + 1, l->kalloc);
					l->k[l->nr] = k;
					l->v[l->nr++] = log(f[i] / act[i]);
					if (!seen[(size_t)i * H + h - 1]) {
						seen[(size_t)i * H + h - 1] = 1;
						l->origins++;
					}
				}
			}
		}
	}
	for (int i = 0; i < ng; i++) {
		int lastl = 0;
		for (int h = 1; h <= H; h++) {
			struct elist *l = &el[(size_t)i * H + h - 1];
			double *q = out->q + ((size_t)i * H + h - 1) * FC_Q_N;
			double med, w80, w95;
			if (!l->nr) {
				if (lastl) { /* no back-test this far ahead: the longest lead, scaled */
					const double *ql = out->q + ((size_t)i * H + lastl - 1) * FC_Q_N;
					for (int j = 0; j < FC_Q_N; j++)
						q[j] = ql[j] * h / lastl;
				}
				continue;
			}
			w80 = spread_factor(l, 0);
			w95 = spread_factor(l, 1);
			qsort(l->v, l->nr, sizeof(double), cmp_double);
			med = quantile(l->v, l->nr, 0.5);
			q[FC_Q_LO95] = med + w95 * (quantile(l->v, l->nr, 0.025) - med);
			q[FC_Q_LO80] = med + w80 * (quantile(l->v, l->nr, 0.10) - med);
			q[FC_Q_HI80] = med + w80 * (quantile(l->v, l->nr, 0.90) - med);
			q[FC_Q_HI95] = med + w95 * (quantile(l->v, l->nr, 0.975) - med);
			out->q_origins[(size_t)i * H + h - 1] = l->origins;
			lastl = h;
		}
	}
	for (size_t i = 0; i < (size_t)ng * H; i++) {
		free(el[i].v);
		free(el[i].k);
	}
	free(el);
	free(buf);
	free(f);
	free(act);
	free(ok);
	free(seen);
}
