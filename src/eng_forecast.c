/* eng_forecast.c: the enrolment forecast engine: estimator names, ratio estimators, births
 * scenarios, the pools' ratio series and the cohort-survival projection per planning area x
 * grade (see eng_forecast.h); choosing and intervals are in eng_forecast_auto.c. Pure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "eng_forecast_int.h"
#include "xmalloc.h"
#include "banned.h"

/* The candidates of "auto" and "auto:area" (the previous default's list, kept by name); the
 * first is the fallback when nothing can be scored. */
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
			    m.kind == FC_AUTO_AREA || m.kind == FC_POOL || m.kind == FC_MIX)
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
	} else if (!strcmp(f[0], "pool") && nf == 3 && v[0] > 0 && v[0] <= 1 && v[1] >= 0 &&
		   v[1] <= 1) {
		est->kind = FC_PARTIAL;
		est->alpha = v[0];
		est->w = v[1];
		snprintf(est->name, sizeof(est->name), "pool:%g:%g", est->alpha, est->w);
	} else if (!strcmp(f[0], "pool") && nf == 1) {
		est->kind = FC_POOL;
		snprintf(est->name, sizeof(est->name), "pool");
	} else if (!strcmp(f[0], "auto") && nf == 2 && f[1][0] >= '2' && f[1][0] <= '4' &&
		   !f[1][1]) {
		est->kind = FC_AUTO;
		est->k = f[1][0] - '0';
		snprintf(est->name, sizeof(est->name), "auto:%d", est->k);
	} else if (!strcmp(f[0], "auto") && nf == 2 && !strcmp(f[1], "area")) {
		est->kind = FC_AUTO_AREA;
		snprintf(est->name, sizeof(est->name), "auto:area");
	} else if (!strcmp(f[0], "combo") && nf == 1) {
		est->kind = FC_COMBO;
		snprintf(est->name, sizeof(est->name), "combo");
	} else if (!strcmp(f[0], "auto") && nf == 1) {
		est->kind = FC_AUTO;
		snprintf(est->name, sizeof(est->name), "auto");
	} else {
		goto bad;
	}
	if (growth) {
		size_t nl = strlen(est->name);
		if (est->kind == FC_AUTO || est->kind == FC_AUTO_AREA || est->kind == FC_POOL ||
		    est->kind == FC_PARTIAL || nl + 3 > sizeof(est->name))
			goto bad;
		est->growth = 1;
		memcpy(est->name + nl, "/g", 3);
	}
	return 0;
bad:
	return err_set(e, ERR_USAGE,
		       "unknown estimator '%s' (last, mean:K, wiche, ses:ALPHA, trend:K:PHI, "
		       "holt:ALPHA:BETA:PHI, combo, pool, pool:ALPHA:W, auto, auto:N, auto:area, "
		       "A+B mixes; suffix /g: levels by growth)", name);
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
	case FC_SES:
	case FC_PARTIAL: /* on levels (a grade without a ratio): its SES */
	{
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
	case FC_AUTO_AREA:
	case FC_POOL:
	case FC_MIX:
	default:
		flat = x[last]; /* resolved per area before we get here */
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

/* The ratio path of a grade: the estimator on the area's own series x[0..ny-1]; for
 * "pool:A:W" blended with SES_A of the pool's series R[0..ny-1]. path: H values. */
static void ratio_path(const struct fc_estimator *est, const double *x, const double *R,
		       int ny, int H, double *path)
{
	double own[64], pool[64];
	int n = H < 64 ? H : 64;

	fc_estimate_path(est, x, ny, H, path);
	if (est->kind != FC_PARTIAL || !R)
		return;
	fc_estimate_path(est, R, ny, n, pool);
	memcpy(own, path, sizeof(double) * (size_t)n);
	for (int h = 0; h < H; h++) {
		double o = own[h < n ? h : n - 1], q = pool[h < n ? h : n - 1];
		path[h] = isnan(o) ? q : isnan(q) ? o : est->w * o + (1 - est->w) * q;
	}
}

/* Does the area teach grade g (pupils in it at the origin)? A school without the grade (a
 * primary school's grade 7) keeps its own ratio, 0: the pool's would invent pupils. */
static int offers(const double *E, int ny, int G, int g)
{
	return E[(ny - 1) * G + g] > 0;
}

/* One area: E[ny][G] history, D[ny + H] entry driver or NULL, R[2][G][Y] its pool's ratio
 * and growth series; out[H][G]. x: scratch of 2 (ny + H) doubles. */
static void area_run(const double *E, int ny, int G, const double *D, const double *R, int Y,
		     const struct fc_estimator *est, int H, double *out, double *x)
{
	double *path = x + ny + H;
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
				ratio_path(est, x, offers(E, ny, G, 0) ? R : NULL, ny, H, path);
				for (int h = 1; h <= H; h++)
					out[(h - 1) * G] = path[h - 1] * D[ny - 1 + h];
				continue;
			}
		} else if (g > 0) {
			nvalid = ratio_series(E, ny, G, D, g, 1, x);
			if (nvalid) {
				ratio_path(est, x, R && offers(E, ny, G, g) ? R + (size_t)g * Y : NULL,
					   ny, H, path);
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
		if (est->growth) {
			/* growth ratios of the levels, at most +-growth_band a year */
			double lastv = E[(ny - 1) * G + g];
			int ng = ratio_series(E, ny, G, D, g, 2, x);
			if (ng && !isnan(lastv)) {
				ratio_path(est, x, R ? R + (size_t)(G + g) * Y : NULL, ny, H, path);
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

void fc_model_run(const struct fc_ctx *c, int a, int ny, const struct fc_estimator *est,
		  int H, double *out)
{
	const double *E = c->in->enrol + (size_t)a * c->Y * c->G;
	const double *D = fc_ctx_driver(c, a), *R = fc_ctx_pool(c, a);
	struct fc_estimator m;
	struct err e = ERR_INIT;
	char tmp[64];
	const char *p = est->name;
	double *acc;
	int nm = 0, G = c->G;

	if (est->kind != FC_MIX) {
		area_run(E, ny, G, D, R, c->Y, est, H, out, c->x);
		return;
	}
	/* a mix runs each member and averages the projected pupils */
	acc = xcalloc((size_t)H * G, sizeof(double));
	while (1) {
		const char *q = strchr(p, '+'), *end = q ? q : p + strlen(p);
		size_t ml = (size_t)(end - p);
		memcpy(tmp, p, ml);
		tmp[ml] = '\0';
		if (fc_estimator_parse(tmp, &m, &e) < 0)
			BUG("bad mix member");
		memcpy(m.wiche, est->wiche, sizeof(m.wiche));
		area_run(E, ny, G, D, R, c->Y, &m, H, out, c->x);
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

/* The entry driver of area a into D[Y + H] (births aligned to enrolment years, scenario
 * births beyond the observed ones, flagged in Dflag); 0 when the area has no observed
 * births. */
static int build_driver(const struct fc_input *in, const struct fc_params *p, int a,
			double *D, unsigned char *Dflag)
{
	int Y = in->nyears, H = p->horizon, nobs, anyb = 0, last;
	const double *B;
	double sc[64];

	if (!in->births || in->nbirths <= 0)
		return 0;
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
		return 0;
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
	return 1;
}

/* The pools' series: per pool and grade, the sum of the numerators over the sum of the
 * denominators of the areas with both (and pupils in the grade): [pool][0][grade][Y] ratios (grade 0: pupils / births;
 * g: pupils / grade g-1 the year before), [pool][1][grade][Y] growth (pupils / the grade's
 * pupils the year before). */
static void pool_series(struct fc_ctx *c)
{
	int G = c->G, Y = c->Y;
	size_t n = (size_t)c->npools * 2 * G * Y;
	double *num = xcalloc(n + 1, sizeof(double)), *den = xcalloc(n + 1, sizeof(double));

	for (int a = 0; a < c->A; a++) {
		const double *E = c->in->enrol + (size_t)a * Y * G, *D = fc_ctx_driver(c, a);
		size_t base = (size_t)(c->in->pool_of ? c->in->pool_of[a] : 0) * 2 * G * Y;
		for (int kind = 0; kind < 2; kind++)
			for (int g = 0; g < G; g++)
				for (int t = 0; t < Y; t++) {
					double v = E[t * G + g], d;
					size_t i = base + ((size_t)kind * G + g) * Y + t;
					if (kind == 1)
						d = t ? E[(t - 1) * G + g] : NAN;
					else if (g == 0)
						d = D ? D[t] : NAN;
					else
						d = t ? E[(t - 1) * G + g - 1] : NAN;
					/* areas that do not teach the grade (0 pupils) are not
					 * in its pool */
					if (!(v > 0) || isnan(d) || !(d > 0))
						continue;
					num[i] += v;
					den[i] += d;
				}
	}
	for (size_t i = 0; i < n; i++)
		c->R[i] = den[i] > 0 ? num[i] / den[i] : NAN;
	free(num);
	free(den);
}

int fc_forecast(const struct fc_input *in, const struct fc_params *p, struct fc_output *out,
		struct err *e)
{
	int A = in->nareas, G = in->ngrades, Y = in->nyears, H = p->horizon;
	int ng = in->group_of ? in->ngroups : 1;
	struct fc_ctx c = { 0 };
	struct fc_estimator store[FC_GRID_MAX * FC_GRID_MAX + 16];
	const struct fc_estimator **est_of;
	int rc;

	memset(out, 0, sizeof(*out));
	if (A < 0 || G < 1 || Y < 1 || H < 1 || ng < 1 ||
	    (in->pool_of && in->npools < 1))
		return err_set(e, ERR_USAGE, "forecast needs at least one grade, one year and a "
			       "horizon of at least 1");
	c.in = in;
	c.p = p;
	c.A = A;
	c.G = G;
	c.Y = Y;
	c.H = H;
	c.npools = in->pool_of ? in->npools : 1;
	out->nareas = A;
	out->ngrades = G;
	out->horizon = H;
	out->ngroups = ng;
	out->value = xcalloc((size_t)A * H * G + 1, sizeof(double));
	out->scenario = xcalloc((size_t)A * H * G + 1, 1);
	out->chosen = xcalloc((size_t)A + 1, sizeof(int));
	out->members = xcalloc((size_t)A + 1, sizeof(unsigned));
	out->q = xmalloc(sizeof(double) * ((size_t)ng * H * FC_Q_N));
	out->q_origins = xcalloc((size_t)ng * H, sizeof(int));
	for (size_t i = 0; i < (size_t)ng * H * FC_Q_N; i++)
		out->q[i] = NAN;
	c.D = xmalloc(sizeof(double) * ((size_t)A * (Y + H) + 1));
	c.Dflag = xcalloc((size_t)A * (Y + H) + 1, 1);
	c.has_D = xcalloc((size_t)A + 1, 1);
	c.R = xmalloc(sizeof(double) * ((size_t)c.npools * 2 * G * Y + 1));
	c.x = xmalloc(sizeof(double) * (size_t)(2 * (Y + H)));
	c.tmp = xmalloc(sizeof(double) * (size_t)(H > FC_AUTO_LEADS ? H : FC_AUTO_LEADS) * G);
	est_of = xcalloc((size_t)A + 1, sizeof(*est_of));
	for (int a = 0; a < A; a++)
		c.has_D[a] = (unsigned char)build_driver(in, p, a, c.D + (size_t)a * (Y + H),
							 c.Dflag + (size_t)a * (Y + H));
	pool_series(&c);
	rc = fc_choose(&c, store, (int)ARRAY_SIZE(store), est_of, out, e);
	if (rc < 0)
		goto done;
	for (int a = 0; a < A; a++) {
		const unsigned char *Df = c.Dflag + (size_t)a * (Y + H);
		fc_model_run(&c, a, Y, est_of[a], H, out->value + (size_t)a * H * G);
		if (c.has_D[a])
			for (int h = 1; h <= H; h++)
				for (int g = 0; g < G; g++) {
					int entry = Y - 1 + h - g; /* year index the cohort enters */
					if (entry > Y - 1 && Df[entry])
						out->scenario[((size_t)a * H + h - 1) * G + g] = 1;
				}
	}
	if (p->sel.interval_origins > 0)
		fc_intervals(&c, est_of, out);
done:
	free(est_of);
	free(c.D);
	free(c.Dflag);
	free(c.has_D);
	free(c.R);
	free(c.x);
	free(c.tmp);
	if (rc < 0)
		fc_output_release(out);
	return rc;
}

void fc_output_release(struct fc_output *out)
{
	free(out->value);
	free(out->scenario);
	free(out->chosen);
	free(out->members);
	free(out->q);
	free(out->q_origins);
	memset(out, 0, sizeof(*out));
}

void fc_interval(const struct fc_output *out, int group, int lead, double f, double lohi[4])
{
	const double *q;

	for (int i = 0; i < 4; i++)
		lohi[i] = NAN;
	if (!out->q || group < 0 || group >= out->ngroups || lead < 1 || lead > out->horizon ||
	    isnan(f))
		return;
	q = out->q + ((size_t)group * out->horizon + lead - 1) * FC_Q_N;
	/* ln(f / a) = q  ->  a = f exp(-q): the high error quantile gives the low bound */
	lohi[0] = f * exp(-q[FC_Q_HI95]);
	lohi[1] = f * exp(-q[FC_Q_HI80]);
	lohi[2] = f * exp(-q[FC_Q_LO80]);
	lohi[3] = f * exp(-q[FC_Q_LO95]);
}
