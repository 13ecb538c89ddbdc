/* eng_forecast.c: the enrolment forecast engine: ratio estimators, births scenarios and the
 * cohort-survival projection per planning area x grade (see eng_forecast.h). Pure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "eng_forecast.h"
#include "xmalloc.h"
#include "banned.h"

/* The candidates of "auto" and "auto:area", chosen by measurement on the real back-tests
 * (docs/forecast-accuracy.md); the first is the fallback when nothing can be scored. */
const char *const fc_auto_candidates[] = {
	"combo", "combo/g", "ses:0.15", "mean:3", "mean:3/g", NULL,
};

const char *const fc_combo_members[] = { "ses:0.15", "holt:0.6:0.4:0.9", NULL };

static int parse_num(const char *s, double *out)
{
	char *end;
	if (!*s)
		return -1;
	*out = strtod(s, &end);
	return (*end || !isfinite(*out)) ? -1 : 0;
}

int fc_estimator_parse(const char *name, struct fc_estimator *est, struct err *e)
{
	char tmp[64];
	char *f[5];
	int nf = 0, growth = 0;
	double v[4] = { 0 };
	size_t len = strlen(name);

	memset(est, 0, sizeof(*est));
	if (len > 2 && !strcmp(name + len - 2, "/b")) {
		/* bias-corrected: the estimator (or mix) before the suffix */
		if (len - 2 >= sizeof(tmp))
			goto bad;
		memcpy(tmp, name, len - 2);
		tmp[len - 2] = '\0';
		if (fc_estimator_parse(tmp, est, e) < 0 || est->bias || est->kind == FC_AUTO ||
		    strlen(est->name) + 3 > sizeof(est->name)) {
			memset(est, 0, sizeof(*est));
			goto bad;
		}
		est->bias = 1;
		memcpy(est->name + strlen(est->name), "/b", 3);
		return 0;
	}
	if (memchr(name, '+', len)) {
		/* a mix: 2..FC_MIX_MAX plain members, e.g. "combo+combo/g" */
		struct fc_estimator m;
		const char *p = name;
		int nm = 0;
		if (len >= sizeof(est->name))
			goto bad;
		while (1) {
			const char *q = strchr(p, '+');
			size_t ml = q ? (size_t)(q - p) : strlen(p);
			if (ml == 0 || ml >= sizeof(tmp) || ++nm > FC_MIX_MAX)
				goto bad;
			memcpy(tmp, p, ml);
			tmp[ml] = '\0';
			if (fc_estimator_parse(tmp, &m, e) < 0 || m.kind == FC_AUTO ||
			    m.kind == FC_POOL || m.kind == FC_MIX || m.bias)
				goto bad;
			if (!q)
				break;
			p = q + 1;
		}
		if (nm < 2)
			goto bad;
		memset(est, 0, sizeof(*est));
		est->kind = FC_MIX;
		est->k = nm;
		memcpy(est->name, name, len + 1);
		return 0;
	}
	if (len > 2 && !strcmp(name + len - 2, "/p")) {
		/* pooled: the estimator before the suffix, on the all-area ratio series */
		if (len - 2 >= sizeof(tmp))
			goto bad;
		memcpy(tmp, name, len - 2);
		tmp[len - 2] = '\0';
		if (fc_estimator_parse(tmp, est, e) < 0 || est->kind == FC_AUTO ||
		    est->kind == FC_POOL || est->kind == FC_MIX ||
		    strlen(est->name) + 3 > sizeof(est->name)) {
			memset(est, 0, sizeof(*est));
			goto bad;
		}
		est->pool = 1;
		memcpy(est->name + strlen(est->name), "/p", 3);
		return 0;
	}
	if (len > 2 && !strcmp(name + len - 2, "/g")) {
		growth = 1;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(tmp))
		goto bad;
	memcpy(tmp, name, len);
	tmp[len] = '\0';
	f[nf++] = tmp;
	for (char *p = tmp; *p; p++) {
		if (*p == ':') {
			if (nf == 5)
				goto bad;
			*p = '\0';
			f[nf++] = p + 1;
		}
	}
	for (int i = 1; i < nf; i++)
		if (strcmp(f[0], "auto") && parse_num(f[i], &v[i - 1]) < 0)
			goto bad;
	if (!strcmp(f[0], "last") && nf == 1) {
		est->kind = FC_LAST;
		snprintf(est->name, sizeof(est->name), "last");
	} else if (!strcmp(f[0], "mean") && nf == 2 && v[0] >= 1 && v[0] <= 50 && v[0] == (int)v[0]) {
		est->kind = FC_MEAN;
		est->k = (int)v[0];
		snprintf(est->name, sizeof(est->name), "mean:%d", est->k);
	} else if (!strcmp(f[0], "wiche") && nf == 1) {
		est->kind = FC_WICHE;
		snprintf(est->name, sizeof(est->name), "wiche");
	} else if (!strcmp(f[0], "ses") && nf == 2 && v[0] > 0 && v[0] <= 1) {
		est->kind = FC_SES;
		est->alpha = v[0];
		snprintf(est->name, sizeof(est->name), "ses:%g", est->alpha);
	} else if (!strcmp(f[0], "trend") && nf == 3 && v[0] >= 2 && v[0] <= 50 &&
		   v[0] == (int)v[0] && v[1] >= 0 && v[1] <= 1) {
		est->kind = FC_TREND;
		est->k = (int)v[0];
		est->phi = v[1];
		snprintf(est->name, sizeof(est->name), "trend:%d:%g", est->k, est->phi);
	} else if (!strcmp(f[0], "holt") && nf == 4 && v[0] > 0 && v[0] <= 1 && v[1] >= 0 &&
		   v[1] <= 1 && v[2] >= 0 && v[2] <= 1) {
		est->kind = FC_HOLT;
		est->alpha = v[0];
		est->beta = v[1];
		est->phi = v[2];
		snprintf(est->name, sizeof(est->name), "holt:%g:%g:%g", est->alpha, est->beta,
			 est->phi);
	} else if (!strcmp(f[0], "auto") && nf == 2 && f[1][0] >= '2' && f[1][0] <= '4' &&
		   !f[1][1]) {
		est->kind = FC_POOL;
		est->k = f[1][0] - '0';
		snprintf(est->name, sizeof(est->name), "auto:%d", est->k);
	} else if (!strcmp(f[0], "auto") && nf == 2 && !strcmp(f[1], "area")) {
		est->kind = FC_AUTO;
		snprintf(est->name, sizeof(est->name), "auto:area");
	} else if (!strcmp(f[0], "combo") && nf == 1) {
		est->kind = FC_COMBO;
		snprintf(est->name, sizeof(est->name), "combo");
	} else if (!strcmp(f[0], "auto") && nf == 1) {
		est->kind = FC_POOL;
		snprintf(est->name, sizeof(est->name), "auto");
	} else {
		goto bad;
	}
	if (growth) {
		size_t nl = strlen(est->name);
		if (est->kind == FC_AUTO || est->kind == FC_POOL || nl + 3 > sizeof(est->name))
			goto bad;
		est->growth = 1;
		memcpy(est->name + nl, "/g", 3);
	}
	return 0;
bad:
	return err_set(e, ERR_USAGE,
		       "unknown estimator '%s' (last, mean:K, wiche, ses:ALPHA, trend:K:PHI, "
		       "holt:ALPHA:BETA:PHI, combo, auto, auto:N, auto:area, A+B mixes; suffixes /g: "
		       "levels by growth, /p: pooled trend, /b: bias-corrected)", name);
}

/* Sum of phi^1 .. phi^m. */
static double damp_sum(double phi, int m)
{
	double s = 0, p = 1;
	for (int i = 0; i < m; i++) {
		p *= phi;
		s += p;
	}
	return s;
}

void fc_estimate_path(const struct fc_estimator *est, const double *x, int n, int H,
		      double *out)
{
	int last = -1;
	double flat = NAN;

	for (int t = 0; t < n; t++)
		if (!isnan(x[t]))
			last = t;
	if (last < 0) {
		for (int h = 0; h < H; h++)
			out[h] = NAN;
		return;
	}
	switch (est->kind) {
	case FC_LAST:
		flat = x[last];
		break;
	case FC_MEAN: {
		double s = 0;
		int m = 0;
		for (int t = last; t >= 0 && m < est->k; t--)
			if (!isnan(x[t])) {
				s += x[t];
				m++;
			}
		flat = s / m;
		break;
	}
	case FC_WICHE: {
		static const double w0[5] = { 0.40, 0.15, 0.15, 0.15, 0.15 };
		const double *w = est->wiche;
		double s = 0, sw = 0;
		int m = 0;
		if (!(w[0] + w[1] + w[2] + w[3] + w[4] > 0))
			w = w0;
		for (int t = last; t >= 0 && m < 5; t--)
			if (!isnan(x[t])) {
				s += w[m] * x[t];
				sw += w[m];
				m++;
			}
		flat = sw > 0 ? s / sw : x[last];
		break;
	}
	case FC_SES: {
		double s = NAN;
		for (int t = 0; t < n; t++)
			if (!isnan(x[t]))
				s = isnan(s) ? x[t] : est->alpha * x[t] + (1 - est->alpha) * s;
		flat = s;
		break;
	}
	case FC_TREND: {
		double st = 0, sx = 0, stt = 0, stx = 0, b, a;
		int m = 0;
		for (int t = last; t >= 0 && m < est->k; t--)
			if (!isnan(x[t])) {
				st += t;
				sx += x[t];
				stt += (double)t * t;
				stx += t * x[t];
				m++;
			}
		if (m < 3) {
			flat = sx / m;
			break;
		}
		b = (m * stx - st * sx) / (m * stt - st * st);
		a = (sx - b * st) / m;
		for (int h = 1; h <= H; h++)
			out[h - 1] = a + b * last + b * damp_sum(est->phi, n - 1 + h - last);
		return;
	}
	case FC_HOLT: {
		double l = NAN, b = 0;
		int first = 1;
		for (int t = 0; t < n; t++) {
			if (isnan(l)) {
				l = x[t];
				continue;
			}
			if (isnan(x[t])) {
				l += est->phi * b;
				b *= est->phi;
				continue;
			}
			double lp = l;
			if (first) {
				b = x[t] - l;
				first = 0;
			}
			l = est->alpha * x[t] + (1 - est->alpha) * (lp + est->phi * b);
			b = est->beta * (l - lp) + (1 - est->beta) * est->phi * b;
		}
		for (int h = 1; h <= H; h++)
			out[h - 1] = l + b * damp_sum(est->phi, h);
		return;
	}
	case FC_COMBO: {
		/* fc_combo_members, pre-parsed (kept in step by test_forecast) */
		static const struct fc_estimator members[] = {
			{ .kind = FC_SES, .alpha = 0.15 },
			{ .kind = FC_HOLT, .alpha = 0.6, .beta = 0.4, .phi = 0.9 },
		};
		double stack[64], *tmp = H <= 64 ? stack : xmalloc(sizeof(double) * (size_t)H);
		int m = (int)ARRAY_SIZE(members);
		for (int h = 0; h < H; h++)
			out[h] = 0;
		for (int i = 0; i < m; i++) {
			fc_estimate_path(&members[i], x, n, H, tmp);
			for (int h = 0; h < H; h++)
				out[h] += tmp[h] / m;
		}
		if (tmp != stack)
			free(tmp);
		return;
	}
	case FC_AUTO:
	default:
		flat = x[last]; /* auto is resolved per area before we get here */
		break;
	}
	for (int h = 0; h < H; h++)
		out[h] = flat;
}

const char *fc_scenario_name(enum fc_scenario s)
{
	switch (s) {
	case FC_SC_LOW: return "low";
	case FC_SC_HIGH: return "high";
	case FC_SC_MID:
	default: return "mid";
	}
}

void fc_births_scenario(const double *b, int nobs, int H, enum fc_scenario sc, double *out)
{
	double gr[5], g = 0, s = 0, rate;
	int ng = 0, iv = -1;

	for (int t = nobs - 1; t >= 0; t--)
		if (!isnan(b[t]) && b[t] > 0) {
			iv = t;
			break;
		}
	if (iv < 0) {
		for (int k = 0; k < H; k++)
			out[k] = NAN;
		return;
	}
	for (int t = iv; t >= 1 && t > iv - 5; t--)
		if (!isnan(b[t]) && !isnan(b[t - 1]) && b[t] > 0 && b[t - 1] > 0)
			gr[ng++] = log(b[t] / b[t - 1]);
	for (int i = 0; i < ng; i++)
		g += gr[i];
	if (ng)
		g /= ng;
	if (ng > 1) {
		for (int i = 0; i < ng; i++)
			s += (gr[i] - g) * (gr[i] - g);
		s = sqrt(s / (ng - 1));
	}
	rate = sc == FC_SC_LOW ? g - s : sc == FC_SC_HIGH ? g + s : g;
	for (int k = 1; k <= H; k++)
		out[k - 1] = b[iv] * exp(rate * (nobs - 1 - iv + k));
}

/* All areas summed ([Y][G] enrolment, [Y+H] entry driver; NULL driver when no area has one),
 * for the pooled ("/p") estimators. */
struct pool_ctx {
	const double *E, *D;
};

/* Mean of the last (up to) 3 valid values of x[0..n-1]; NAN if none. */
static double level3(const double *x, int n)
{
	double s = 0;
	int m = 0;
	for (int t = n - 1; t >= 0 && m < 3; t--)
		if (!isnan(x[t])) {
			s += x[t];
			m++;
		}
	return m ? s / m : NAN;
}

/* The series of grade g of E[ny][G]: kind 0 entry ratio to D, 1 progression ratio, 2 growth
 * ratio of its own levels. Returns the number of valid values. */
static int ratio_series(const double *E, int ny, int G, const double *D, int g, int kind,
			double *x)
{
	int nvalid = 0;
	for (int t = 0; t < ny; t++) {
		double v = E[t * G + g], p;
		if (kind == 0)
			p = D[t];
		else if (t == 0)
			p = NAN;
		else
			p = kind == 1 ? E[(t - 1) * G + g - 1] : E[(t - 1) * G + g];
		x[t] = (!isnan(v) && !isnan(p) && p > 0) ? v / p : NAN;
		nvalid += !isnan(x[t]);
	}
	return nvalid;
}

/* Pooled path of a grade's series: for ratios (kind 0, 1) the area's own level (mean of its
 * last 3 ratios, own[]) times the pooled path relative to the pooled level; for growth (kind
 * 2) the pooled growth path itself. Leaves path[] alone when the pooled series is empty. */
static void pooled_path(const struct pool_ctx *pc, int ny, int G, int g, int kind,
			const struct fc_estimator *est, const double *own, int H, double *path)
{
	double *px = xmalloc(sizeof(double) * (size_t)(ny + H)), lp, la;

	if ((kind == 0 && !pc->D) ||
	    !ratio_series(pc->E, ny, G, pc->D, g, kind, px)) {
		free(px);
		return;
	}
	fc_estimate_path(est, px, ny, H, px + ny);
	lp = level3(px, ny);
	la = level3(own, ny);
	for (int h = 0; h < H; h++)
		path[h] = kind == 2 ? px[ny + h] : la * px[ny + h] / lp;
	free(px);
}

/* One area: E[ny][G] history, D[ny + H] entry driver or NULL; out[H][G]. x: scratch of
 * ny + H doubles. */
static void area_run(const double *E, int ny, int G, const double *D,
		     const struct fc_estimator *est, const struct pool_ctx *pc, int H,
		     double *out, double *x)
{
	double *path = x + ny;
	int any = 0;

	for (int g = 0; g < G; g++)
		if (!isnan(E[(ny - 1) * G + g]))
			any = 1;
	if (!any) {
		for (int i = 0; i < H * G; i++)
			out[i] = NAN;
		return;
	}
	for (int g = 0; g < G; g++) {
		int nvalid = 0, nonzero = 0;

		if (g == 0 && D) {
			nvalid = ratio_series(E, ny, G, D, 0, 0, x);
			if (nvalid) {
				fc_estimate_path(est, x, ny, H, path);
				if (est->pool && pc)
					pooled_path(pc, ny, G, 0, 0, est, x, H, path);
				for (int h = 1; h <= H; h++)
					out[(h - 1) * G] = path[h - 1] * D[ny - 1 + h];
				continue;
			}
		} else if (g > 0) {
			nvalid = ratio_series(E, ny, G, D, g, 1, x);
			if (nvalid) {
				fc_estimate_path(est, x, ny, H, path);
				if (est->pool && pc)
					pooled_path(pc, ny, G, g, 1, est, x, H, path);
				for (int h = 1; h <= H; h++) {
					double prev = h == 1 ? E[(ny - 1) * G + g - 1]
							     : out[(h - 2) * G + g - 1];
					double r = path[h - 1];
					out[(h - 1) * G + g] = isnan(prev) ? NAN : (r < 0 ? 0 : r) * prev;
				}
				continue;
			}
		}
		/* no ratio (no births, or a school's first grade): the grade's own levels, by their
		 * year-on-year growth ratio (flat when there is none) */
		for (int t = 0; t < ny; t++) {
			x[t] = E[t * G + g];
			nonzero |= !isnan(x[t]) && x[t] != 0;
		}
		if (!nonzero) {
			for (int h = 1; h <= H; h++)
				out[(h - 1) * G + g] = isnan(E[(ny - 1) * G + g]) ? NAN : 0;
			continue;
		}
		if (est->growth) { /* growth ratios of the levels, at most +-growth_band a year */
			double lastv = E[(ny - 1) * G + g];
			int ng = ratio_series(E, ny, G, D, g, 2, x);
			if (ng && !isnan(lastv)) {
				fc_estimate_path(est, x, ny, H, path);
				if (est->pool && pc)
					pooled_path(pc, ny, G, g, 2, est, x, H, path);
				for (int h = 1; h <= H; h++) {
					double gr = path[h - 1];
					if (gr > 1 + FC_GROWTH_BAND)
						gr = 1 + FC_GROWTH_BAND;
					if (gr < 1 - FC_GROWTH_BAND)
						gr = 1 - FC_GROWTH_BAND;
					lastv *= gr;
					out[(h - 1) * G + g] = lastv;
				}
				continue;
			}
		}
		/* the estimator on the levels themselves */
		for (int t = 0; t < ny; t++)
			x[t] = E[t * G + g];
		fc_estimate_path(est, x, ny, H, path);
		for (int h = 1; h <= H; h++)
			out[(h - 1) * G + g] = path[h - 1] < 0 ? 0 : path[h - 1];
	}
}

/* area_run for any estimator: a mix runs each member and averages the projected pupils
 * (cells a member cannot project stay NAN). */
static void model_run(const double *E, int ny, int G, const double *D,
		      const struct fc_estimator *est, const struct pool_ctx *pc, int H,
		      double *out, double *x)
{
	struct fc_estimator m;
	struct err e = ERR_INIT;
	char tmp[64];
	const char *p = est->name;
	double *acc;
	int nm = 0;

	if (est->kind != FC_MIX) {
		area_run(E, ny, G, D, est, pc, H, out, x);
		return;
	}
	acc = xcalloc((size_t)H * G, sizeof(double));
	while (1) {
		const char *q = strchr(p, '+'), *end = q ? q : p + strlen(p);
		size_t ml = (size_t)(end - p);
		if (!q && ml > 2 && !strncmp(end - 2, "/b", 2))
			ml -= 2; /* the mix's own suffix */
		memcpy(tmp, p, ml);
		tmp[ml] = '\0';
		if (fc_estimator_parse(tmp, &m, &e) < 0)
			BUG("bad mix member");
		memcpy(m.wiche, est->wiche, sizeof(m.wiche));
		area_run(E, ny, G, D, &m, pc, H, out, x);
		for (int i = 0; i < H * G; i++)
			acc[i] += out[i];
		nm++;
		if (!q)
			break;
		p = q + 1;
	}
	for (int i = 0; i < H * G; i++)
		out[i] = acc[i] / nm;
	free(acc);
}

/* Back-test of estimator est on the area's own past: origins T-1 .. T-norigins, leads up to
 * FC_AUTO_LEADS, area totals. Returns the sum of absolute fractional errors (count in *count);
 * with sgn/scnt, adds the signed errors and their count per lead (index lead-1). */
static double self_backtest(const double *E, int ny, int G, const double *D,
			    const struct fc_estimator *est, const struct pool_ctx *pc, int norigins, double *tmp, double *x,
			    int *count, double *sgn, int *scnt)
{
	double sum = 0;
	int n = 0;

	for (int k = 1; k <= norigins; k++) {
		int o = ny - k, L = k < FC_AUTO_LEADS ? k : FC_AUTO_LEADS;
		if (o < 3)
			break;
		model_run(E, o, G, D, est, pc, L, tmp, x);
		for (int h = 1; h <= L; h++) {
			double f = 0, a = 0;
			int ok = 1;
			for (int g = 0; g < G; g++) {
				double fv = tmp[(h - 1) * G + g], av = E[(o - 1 + h) * G + g];
				if (isnan(av))
					continue;
				if (isnan(fv)) {
					ok = 0;
					break;
				}
				f += fv;
				a += av;
			}
			if (ok && a > 0) {
				sum += fabs(f - a) / a;
				n++;
				if (sgn) {
					sgn[h - 1] += (f - a) / a;
					scnt[h - 1]++;
				}
			}
		}
	}
	*count = n;
	return sum;
}

/* The entry driver of area a (births aligned to enrolment years, scenario births beyond the
 * observed ones, flagged in Dflag); NULL when the area has no observed births. */
static const double *build_driver(const struct fc_input *in, const struct fc_params *p, int a,
				  double *D, unsigned char *Dflag)
{
	int Y = in->nyears, H = p->horizon, nobs, anyb = 0, last;
	const double *B;
	double sc[64];

	if (!in->births || in->nbirths <= 0)
		return NULL;
	B = in->births + (size_t)a * in->nbirths;
	nobs = in->births_last_observed - in->births_first_year + 1;
	if (nobs > in->nbirths)
		nobs = in->nbirths;
	/* the area's own last observed year: trailing missing years are not observed */
	while (nobs > 0 && isnan(B[nobs - 1]))
		nobs--;
	for (int i = 0; i < nobs; i++)
		anyb |= !isnan(B[i]);
	if (nobs <= 0 || !anyb)
		return NULL;
	last = in->births_first_year + nobs - 1;
	for (int y = 0; y < Y + H; y++) {
		int by = in->first_year + y - in->entry_lag;
		int bi = by - in->births_first_year;
		Dflag[y] = 0;
		if (by > last) {
			int k = by - last;
			if (k > 64)
				k = 64;
			fc_births_scenario(B, nobs, k, p->scenario, sc);
			D[y] = sc[k - 1];
			Dflag[y] = 1;
		} else if (bi >= 0 && bi < in->nbirths) {
			D[y] = B[bi];
		} else {
			D[y] = NAN;
		}
	}
	return D;
}

/* "/b": the mean signed error of area totals per lead, pooled over all areas, of each area's
 * estimator on origins T-1 .. T-FC_BIAS_ORIGINS (years up to the origin only); each lead's
 * cells are divided by 1 + that bias (clamped to +-FC_BIAS_MAX; leads beyond FC_AUTO_LEADS use
 * the last measured one). */
static void apply_bias(const struct fc_input *in, const struct fc_params *p,
		       struct fc_output *out, const struct fc_estimator *cand,
		       const struct pool_ctx *pc, double *D,
		       unsigned char *Dflag, double *x, double *tmp)
{
	int A = in->nareas, G = in->ngrades, Y = in->nyears, H = p->horizon;
	double sgn[FC_AUTO_LEADS] = { 0 }, b[FC_AUTO_LEADS] = { 0 };
	int scnt[FC_AUTO_LEADS] = { 0 };

	if (!p->est.bias)
		return;
	for (int a = 0; a < A; a++) {
		const struct fc_estimator *est = out->chosen[a] >= 0 ? &cand[out->chosen[a]] : &p->est;
		int cnt;
		self_backtest(in->enrol + (size_t)a * Y * G, Y, G, build_driver(in, p, a, D, Dflag),
			      est, pc, FC_BIAS_ORIGINS, tmp, x, &cnt, sgn, scnt);
	}
	for (int h = 0; h < FC_AUTO_LEADS; h++) {
		b[h] = scnt[h] ? sgn[h] / scnt[h] : h ? b[h - 1] : 0;
		if (b[h] > FC_BIAS_MAX)
			b[h] = FC_BIAS_MAX;
		if (b[h] < -FC_BIAS_MAX)
			b[h] = -FC_BIAS_MAX;
	}
	for (int a = 0; a < A; a++)
		for (int h = 1; h <= H; h++) {
			double f = 1 + b[(h < FC_AUTO_LEADS ? h : FC_AUTO_LEADS) - 1];
			for (int g = 0; g < G; g++)
				out->value[((size_t)a * H + h - 1) * G + g] /= f;
		}
}

int fc_forecast(const struct fc_input *in, const struct fc_params *p, struct fc_output *out,
		struct err *e)
{
	int A = in->nareas, G = in->ngrades, Y = in->nyears, H = p->horizon;
	struct fc_estimator cand[16];
	int ncand = 0, pooled = -1;
	double *D, *x, *tmp, *Epool, *Dpool;
	struct pool_ctx pc;
	unsigned char *Dflag;
	int selecting = p->est.kind == FC_AUTO || p->est.kind == FC_POOL;
	double score[16];
	struct fc_estimator mixest;
	const struct fc_estimator *mix = NULL;
	unsigned mix_members = 0;

	memset(out, 0, sizeof(*out));
	if (A < 0 || G < 1 || Y < 1 || H < 1)
		return err_set(e, ERR_USAGE, "forecast needs at least one grade, one year and a "
			       "horizon of at least 1");
	if (selecting)
		for (; fc_auto_candidates[ncand]; ncand++) {
			if (fc_estimator_parse(fc_auto_candidates[ncand], &cand[ncand], e) < 0)
				BUG("bad auto candidate");
			memcpy(cand[ncand].wiche, p->est.wiche, sizeof(cand[ncand].wiche));
		}
	out->nareas = A;
	out->ngrades = G;
	out->horizon = H;
	out->value = xcalloc((size_t)A * H * G + 1, sizeof(double));
	out->scenario = xcalloc((size_t)A * H * G + 1, 1);
	out->chosen = xcalloc((size_t)A + 1, sizeof(int));
	out->members = xcalloc((size_t)A + 1, sizeof(unsigned));
	D = xmalloc(sizeof(double) * (size_t)(Y + H));
	Dflag = xcalloc((size_t)(Y + H), 1);
	x = xmalloc(sizeof(double) * (size_t)(2 * (Y + H)));
	tmp = xmalloc(sizeof(double) * (size_t)H * G + sizeof(double) * FC_AUTO_LEADS * G);

	/* all areas summed, for the pooled estimators */
	Epool = xmalloc(sizeof(double) * ((size_t)Y * G + 1));
	Dpool = xmalloc(sizeof(double) * (size_t)(Y + H));
	for (int i = 0; i < Y * G; i++) {
		double sum = 0;
		int any = 0;
		for (int a = 0; a < A; a++) {
			double v = in->enrol[(size_t)a * Y * G + i];
			if (!isnan(v)) {
				sum += v;
				any = 1;
			}
		}
		Epool[i] = any ? sum : NAN;
	}
	for (int y = 0; y < Y + H; y++)
		Dpool[y] = NAN;
	for (int a = 0; a < A; a++) {
		const double *Dp = build_driver(in, p, a, D, Dflag);
		if (Dp)
			for (int y = 0; y < Y + H; y++)
				if (!isnan(Dp[y]))
					Dpool[y] = isnan(Dpool[y]) ? Dp[y] : Dpool[y] + Dp[y];
	}
	pc.E = Epool;
	pc.D = Dpool;
	if (p->est.kind == FC_POOL) {
		/* one estimator for all areas: the best on all areas' pooled past */
		double best = INFINITY;
		pooled = 0;
		for (int c = 0; c < ncand; c++) {
			double sum = 0;
			int cnt = 0;
			for (int a = 0; a < A; a++) {
				int k;
				sum += self_backtest(in->enrol + (size_t)a * Y * G, Y, G,
						     build_driver(in, p, a, D, Dflag), &cand[c],
						     &pc, FC_AUTO_ORIGINS, tmp, x, &k, NULL, NULL);
				cnt += k;
			}
			score[c] = cnt ? sum / cnt : INFINITY;
			if (cnt && sum / cnt < best - 1e-12) {
				best = sum / cnt;
				pooled = c;
			}
		}
		if (p->est.k >= 2) { /* "auto:N": the mean of the N best */
			int used[16] = { 0 }, nm = 0;
			char mname[64];
			size_t ml = 0;
			for (int i = 0; i < p->est.k && i < ncand; i++) {
				int bi = -1;
				for (int c = 0; c < ncand; c++)
					if (!used[c] && isfinite(score[c]) &&
					    (bi < 0 || score[c] < score[bi] - 1e-12))
						bi = c;
				if (bi < 0)
					break;
				used[bi] = 1;
				mix_members |= 1u << bi;
				ml += (size_t)snprintf(mname + ml, sizeof(mname) - ml, "%s%s",
						       nm++ ? "+" : "", fc_auto_candidates[bi]);
			}
			if (nm >= 2 && ml < sizeof(mname) && fc_estimator_parse(mname, &mixest, e) == 0) {
				memcpy(mixest.wiche, p->est.wiche, sizeof(mixest.wiche));
				mix = &mixest;
			}
		}
	}
	if (pooled >= 0) {
		const char *u = mix ? mix->name : fc_auto_candidates[pooled];
		size_t ul = strlen(u) < sizeof(out->used) ? strlen(u) : sizeof(out->used) - 1;
		memcpy(out->used, u, ul);
		out->used[ul] = '\0';
	}
	for (int a = 0; a < A; a++) {
		const double *E = in->enrol + (size_t)a * Y * G;
		const double *Dp = build_driver(in, p, a, D, Dflag);
		const struct fc_estimator *est = &p->est;

		out->chosen[a] = pooled;
		if (p->est.kind == FC_AUTO) {
			double best = INFINITY;
			int bi = 0;
			for (int c = 0; c < ncand; c++) {
				int cnt;
				double m = self_backtest(E, Y, G, Dp, &cand[c], &pc, FC_AUTO_ORIGINS,
							 tmp, x, &cnt, NULL, NULL);
				if (cnt && m / cnt < best - 1e-12) {
					best = m / cnt;
					bi = c;
				}
			}
			out->chosen[a] = bi;
		}
		if (out->chosen[a] >= 0) {
			est = mix ? mix : &cand[out->chosen[a]];
			out->members[a] = mix ? mix_members : 1u << out->chosen[a];
		}
		model_run(E, Y, G, Dp, est, &pc, H, out->value + (size_t)a * H * G, x);
		if (Dp)
			for (int h = 1; h <= H; h++)
				for (int g = 0; g < G; g++) {
					int entry = Y - 1 + h - g; /* year index the cohort enters */
					if (entry > Y - 1 && Dflag[entry])
						out->scenario[((size_t)a * H + h - 1) * G + g] = 1;
				}
	}
	apply_bias(in, p, out, cand, &pc, D, Dflag, x, tmp);
	free(Epool);
	free(Dpool);
	free(D);
	free(Dflag);
	free(x);
	free(tmp);
	return 0;
}

void fc_output_release(struct fc_output *out)
{
	free(out->value);
	free(out->scenario);
	free(out->chosen);
	free(out->members);
	memset(out, 0, sizeof(*out));
}
