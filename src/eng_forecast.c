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
		       "holt:ALPHA:BETA:PHI, combo, auto, auto:area; suffix /g: levels by growth)", name);
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
		static const double w[5] = { 0.40, 0.15, 0.15, 0.15, 0.15 };
		double s = 0, sw = 0;
		int m = 0;
		for (int t = last; t >= 0 && m < 5; t--)
			if (!isnan(x[t])) {
				s += w[m] * x[t];
				sw += w[m];
				m++;
			}
		flat = s / sw;
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

/* One area: E[ny][G] history, D[ny + H] entry driver or NULL; out[H][G]. x: scratch of
 * ny + H doubles. */
static void area_run(const double *E, int ny, int G, const double *D,
		     const struct fc_estimator *est, int H, double *out, double *x)
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
			for (int t = 0; t < ny; t++) {
				double v = E[t * G], d = D[t];
				x[t] = (!isnan(v) && !isnan(d) && d > 0) ? v / d : NAN;
				nvalid += !isnan(x[t]);
			}
			if (nvalid) {
				fc_estimate_path(est, x, ny, H, path);
				for (int h = 1; h <= H; h++)
					out[(h - 1) * G] = path[h - 1] * D[ny - 1 + h];
				continue;
			}
		} else if (g > 0) {
			x[0] = NAN;
			for (int t = 1; t < ny; t++) {
				double v = E[t * G + g], p = E[(t - 1) * G + g - 1];
				x[t] = (!isnan(v) && !isnan(p) && p > 0) ? v / p : NAN;
				nvalid += !isnan(x[t]);
			}
			if (nvalid) {
				fc_estimate_path(est, x, ny, H, path);
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
			int ng = 0;
			x[0] = NAN;
			for (int t = 1; t < ny; t++) {
				double v = E[t * G + g], pv = E[(t - 1) * G + g];
				x[t] = (!isnan(v) && !isnan(pv) && pv > 0) ? v / pv : NAN;
				ng += !isnan(x[t]);
			}
			if (ng && !isnan(lastv)) {
				fc_estimate_path(est, x, ny, H, path);
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

/* Mean absolute percentage error of area totals of estimator est on the area's own past. */
static double self_backtest(const double *E, int ny, int G, const double *D,
			    const struct fc_estimator *est, double *tmp, double *x, int *count)
{
	double sum = 0;
	int n = 0;

	for (int k = 1; k <= FC_AUTO_ORIGINS; k++) {
		int o = ny - k, L = k < FC_AUTO_LEADS ? k : FC_AUTO_LEADS;
		if (o < 3)
			break;
		area_run(E, o, G, D, est, L, tmp, x);
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

int fc_forecast(const struct fc_input *in, const struct fc_params *p, struct fc_output *out,
		struct err *e)
{
	int A = in->nareas, G = in->ngrades, Y = in->nyears, H = p->horizon;
	struct fc_estimator cand[16];
	int ncand = 0, pooled = -1;
	double *D, *x, *tmp;
	unsigned char *Dflag;
	int selecting = p->est.kind == FC_AUTO || p->est.kind == FC_POOL;

	memset(out, 0, sizeof(*out));
	if (A < 0 || G < 1 || Y < 1 || H < 1)
		return err_set(e, ERR_USAGE, "forecast needs at least one grade, one year and a "
			       "horizon of at least 1");
	if (selecting)
		for (; fc_auto_candidates[ncand]; ncand++)
			if (fc_estimator_parse(fc_auto_candidates[ncand], &cand[ncand], e) < 0)
				BUG("bad auto candidate");
	out->nareas = A;
	out->ngrades = G;
	out->horizon = H;
	out->value = xcalloc((size_t)A * H * G + 1, sizeof(double));
	out->scenario = xcalloc((size_t)A * H * G + 1, 1);
	out->chosen = xcalloc((size_t)A + 1, sizeof(int));
	D = xmalloc(sizeof(double) * (size_t)(Y + H));
	Dflag = xcalloc((size_t)(Y + H), 1);
	x = xmalloc(sizeof(double) * (size_t)(2 * (Y + H)));
	tmp = xmalloc(sizeof(double) * (size_t)H * G + sizeof(double) * FC_AUTO_LEADS * G);

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
						     build_driver(in, p, a, D, Dflag), &cand[c], tmp, x,
						     &k);
				cnt += k;
			}
			if (cnt && sum / cnt < best - 1e-12) {
				best = sum / cnt;
				pooled = c;
			}
		}
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
				double m = self_backtest(E, Y, G, Dp, &cand[c], tmp, x, &cnt);
				if (cnt && m / cnt < best - 1e-12) {
					best = m / cnt;
					bi = c;
				}
			}
			out->chosen[a] = bi;
		}
		if (out->chosen[a] >= 0)
			est = &cand[out->chosen[a]];
		area_run(E, Y, G, Dp, est, H, out->value + (size_t)a * H * G, x);
		if (Dp)
			for (int h = 1; h <= H; h++)
				for (int g = 0; g < G; g++) {
					int entry = Y - 1 + h - g; /* year index the cohort enters */
					if (entry > Y - 1 && Dflag[entry])
						out->scenario[((size_t)a * H + h - 1) * G + g] = 1;
				}
	}
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
	memset(out, 0, sizeof(*out));
}
