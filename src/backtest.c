/* backtest.c: rolling-origin back-testing of the forecast engine on SPEC §5.3 CSV files:
 * loading the long-format enrolment and births files, scoring forecasts per lead, metrics,
 * and the JSON and table output (see backtest.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "backtest.h"
#include "csv.h"
#include "xmalloc.h"
#include "banned.h"

struct raw_row {
	const char *area;
	int year, grade;
	double v;
};

struct raw {
	struct raw_row *v;
	size_t nr, alloc;
	struct arena arena;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int find_col(const struct csv_row *h, const char *name)
{
	for (size_t i = 0; i < h->nfields; i++)
		if (!strcmp(h->f[i].s, name))
			return (int)i;
	return -1;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	if (!*s)
		return -1;
	*out = strtol(s, &end, 10);
	return *end ? -1 : 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	if (!*s)
		return -1;
	*out = strtod(s, &end);
	return (*end || !isfinite(*out)) ? -1 : 0;
}

/* Read a CSV with the given columns (the last is the value, the first the area); grade_col
 * (or -1) is parsed as K/1..12. */
static int read_long(const char *path, const char *const *cols, int ncols, int grade_col,
		     struct raw *raw, struct err *e)
{
	struct csv_reader *r = csv_open(path, CSV_ENC_AUTO, e);
	struct csv_row row;
	int idx[4], rc;

	if (!r)
		return e->code;
	rc = csv_read(r, &row, e);
	if (rc <= 0) {
		csv_close(r);
		return rc < 0 ? rc : err_set(e, ERR_DATA, "%s: empty file", path);
	}
	for (int i = 0; i < ncols; i++) {
		idx[i] = find_col(&row, cols[i]);
		if (idx[i] < 0) {
			csv_close(r);
			return err_set(e, ERR_DATA, "%s:%ld: missing column '%s'", path, row.line,
				       cols[i]);
		}
	}
	while ((rc = csv_read(r, &row, e)) > 0) {
		struct raw_row rr;
		long y, g = 0;
		const char *s;

		if (row.nfields == 1 && !row.f[0].len)
			continue; /* blank line */
		for (int i = 0; i < ncols; i++)
			if ((size_t)idx[i] >= row.nfields) {
				rc = err_set(e, ERR_DATA, "%s:%ld: column %s: missing value", path,
					     row.line, cols[i]);
				goto out;
			}
		s = row.f[idx[1]].s;
		if (parse_long(s, &y) < 0 || y < 1900 || y > 2200) {
			rc = err_set(e, ERR_DATA, "%s:%ld: column %s: invalid year '%s'", path,
				     row.line, cols[1], s);
			goto out;
		}
		if (grade_col >= 0) {
			s = row.f[idx[grade_col]].s;
			if (!strcmp(s, "K") || !strcmp(s, "k"))
				g = 0;
			else if (parse_long(s, &g) < 0 || g < 1 || g > 12) {
				rc = err_set(e, ERR_DATA, "%s:%ld: column grade: invalid grade '%s' "
					     "(K or 1-12)", path, row.line, s);
				goto out;
			}
		}
		s = row.f[idx[ncols - 1]].s;
		if (parse_double(s, &rr.v) < 0 || rr.v < 0) {
			rc = err_set(e, ERR_DATA, "%s:%ld: column %s: invalid number '%s'", path,
				     row.line, cols[ncols - 1], s);
			goto out;
		}
		rr.area = arena_strdup(&raw->arena, row.f[idx[0]].s);
		rr.year = (int)y;
		rr.grade = (int)g;
		ALLOC_GROW(raw->v, raw->nr + 1, raw->alloc);
		raw->v[raw->nr++] = rr;
	}
out:
	csv_close(r);
	return rc < 0 ? rc : 0;
}

static void raw_release(struct raw *raw)
{
	free(raw->v);
	arena_release(&raw->arena);
}

static int area_index(const struct bt_data *d, const char *name)
{
	const char *key = name;
	char **p = bsearch(&key, d->area, (size_t)d->nareas, sizeof(char *), cmp_str);
	return p ? (int)(p - d->area) : -1;
}

int bt_load_enrollment(const char *path, struct bt_data *d, struct err *e)
{
	static const char *const cols[] = { "area", "year", "grade", "students" };
	struct raw raw = { 0 };
	const char **names;
	int ymin = 1 << 30, ymax = -1, gmin = 99, gmax = -1, rc;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	arena_init(&raw.arena, 0);
	rc = read_long(path, cols, 4, 2, &raw, e);
	if (rc < 0)
		goto out;
	if (!raw.nr) {
		rc = err_set(e, ERR_DATA, "%s: no enrolment rows", path);
		goto out;
	}
	names = xmalloc(sizeof(char *) * raw.nr);
	for (size_t i = 0; i < raw.nr; i++) {
		names[i] = raw.v[i].area;
		if (raw.v[i].year < ymin) ymin = raw.v[i].year;
		if (raw.v[i].year > ymax) ymax = raw.v[i].year;
		if (raw.v[i].grade < gmin) gmin = raw.v[i].grade;
		if (raw.v[i].grade > gmax) gmax = raw.v[i].grade;
	}
	qsort(names, raw.nr, sizeof(char *), cmp_str);
	for (size_t i = 0; i < raw.nr; i++)
		if (!n || strcmp(names[i], names[n - 1]))
			names[n++] = names[i];
	d->nareas = (int)n;
	d->area = xmalloc(sizeof(char *) * n);
	for (size_t i = 0; i < n; i++)
		d->area[i] = xstrdup(names[i]);
	free(names);
	d->gmin = gmin;
	d->ngrades = gmax - gmin + 1;
	d->first_year = ymin;
	d->nyears = ymax - ymin + 1;
	{
		/* a series, not scattered years: no long gaps, no mostly-empty matrix */
		unsigned char *has = xcalloc((size_t)d->nyears, 1);
		int gap = 0;
		for (size_t i = 0; i < raw.nr; i++)
			has[raw.v[i].year - ymin] = 1;
		for (int y = 0; y < d->nyears && !gap; y++) {
			int k = y;
			while (k < d->nyears && !has[k])
				k++;
			if (k - y > BT_MAX_GAP) {
				gap = 1;
				rc = err_set(e, ERR_DATA, "%s: no rows for the %d years %d-%d: a "
					     "back-test needs a yearly series (gaps of at most %d "
					     "years)", path, k - y, ymin + y, ymin + k - 1, BT_MAX_GAP);
			}
			y = k;
		}
		free(has);
		n = (size_t)d->nareas * d->nyears * d->ngrades;
		if (!gap && n > (size_t)BT_MAX_SPARSE * raw.nr + 100000) {
			gap = 1;
			rc = err_set(e, ERR_DATA, "%s: %zu rows for %d areas x %d years x %d grades: "
				     "too sparse to back-test (most areas lack most years)", path,
				     raw.nr, d->nareas, d->nyears, d->ngrades);
		}
		if (gap) {
			bt_data_release(d);
			goto out;
		}
	}
	d->enrol = xmalloc(sizeof(double) * n);
	for (size_t i = 0; i < n; i++)
		d->enrol[i] = NAN;
	for (size_t i = 0; i < raw.nr; i++) {
		int a = area_index(d, raw.v[i].area);
		double *cell = &d->enrol[((size_t)a * d->nyears + raw.v[i].year - ymin) * d->ngrades +
					 raw.v[i].grade - gmin];
		if (!isnan(*cell)) {
			rc = err_set(e, ERR_DATA, "%s: duplicate row for area '%s', year %d, grade %d",
				     path, raw.v[i].area, raw.v[i].year, raw.v[i].grade);
			bt_data_release(d);
			goto out;
		}
		*cell = raw.v[i].v;
	}
	rc = 0;
out:
	raw_release(&raw);
	return rc;
}

int bt_load_births(const char *path, struct bt_data *d, struct err *e)
{
	static const char *const cols[] = { "area", "year", "births" };
	struct raw raw = { 0 };
	int ymin = 1 << 30, ymax = -1, rc;
	size_t n;

	arena_init(&raw.arena, 0);
	rc = read_long(path, cols, 3, -1, &raw, e);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < raw.nr; i++) {
		if (area_index(d, raw.v[i].area) < 0)
			continue;
		if (raw.v[i].year < ymin) ymin = raw.v[i].year;
		if (raw.v[i].year > ymax) ymax = raw.v[i].year;
	}
	if (ymax < 0) {
		rc = err_set(e, ERR_DATA, "%s: no births for the areas of the enrolment file", path);
		goto out;
	}
	free(d->births);
	d->births_first_year = ymin;
	d->nbirths = ymax - ymin + 1;
	n = (size_t)d->nareas * d->nbirths;
	d->births = xmalloc(sizeof(double) * n);
	for (size_t i = 0; i < n; i++)
		d->births[i] = NAN;
	for (size_t i = 0; i < raw.nr; i++) {
		int a = area_index(d, raw.v[i].area);
		double *cell;
		if (a < 0)
			continue;
		cell = &d->births[(size_t)a * d->nbirths + raw.v[i].year - ymin];
		if (!isnan(*cell)) {
			rc = err_set(e, ERR_DATA, "%s: duplicate births for area '%s', year %d", path,
				     raw.v[i].area, raw.v[i].year);
			goto out;
		}
		*cell = raw.v[i].v;
	}
	rc = 0;
out:
	raw_release(&raw);
	return rc;
}

void bt_data_release(struct bt_data *d)
{
	for (int i = 0; i < d->nareas; i++)
		free(d->area[i]);
	free(d->area);
	free(d->enrol);
	free(d->births);
	memset(d, 0, sizeof(*d));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void bt_compute_metrics(double *pe, long n, struct bt_metrics *m)
{
	double sa = 0, ss = 0;

	m->n = n;
	if (n == 0) {
		m->mape = m->malpe = m->median_ape = m->p90_ape = NAN;
		return;
	}
	for (long i = 0; i < n; i++) {
		ss += pe[i];
		sa += fabs(pe[i]);
		pe[i] = fabs(pe[i]);
	}
	m->mape = sa / n;
	m->malpe = ss / n;
	qsort(pe, (size_t)n, sizeof(double), cmp_double);
	m->median_ape = n % 2 ? pe[n / 2] : (pe[n / 2 - 1] + pe[n / 2]) / 2;
	m->p90_ape = pe[(long)ceil(0.9 * (double)n - 1e-9) - 1];
}

struct errs {
	double *v;
	size_t nr, alloc;
};

static void errs_add(struct errs *x, double f, double a)
{
	ALLOC_GROW(x->v, x->nr + 1, x->alloc);
	x->v[x->nr++] = 100.0 * (f - a) / a;
}

/* xorshift64*: the bootstrap's resampling, seeded so that the output is reproducible */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* 5th and 95th percentile of the MAPE of area totals at each lead over B resamples of the
 * areas (with replacement); sum/cnt: [area][lead] sums of |e| and counts. */
static void bootstrap(const double *sum, const long *cnt, int A, int H, int B,
		      struct bt_metrics *m)
{
	double *v = xmalloc(sizeof(double) * (size_t)B);
	uint64_t seed = 0x9E3779B97F4A7C15ULL;

	for (int h = 0; h < H; h++) {
		int nb = 0;
		for (int b = 0; b < B; b++) {
			double s = 0;
			long n = 0;
			for (int i = 0; i < A; i++) {
				int a = (int)(rnd(&seed) % (uint64_t)A);
				s += sum[(size_t)a * H + h];
				n += cnt[(size_t)a * H + h];
			}
			if (n)
				v[nb++] = s / (double)n;
		}
		m[h].boot_lo = m[h].boot_hi = NAN;
		if (!nb)
			continue;
		qsort(v, (size_t)nb, sizeof(double), cmp_double);
		m[h].boot_lo = v[(int)(0.05 * (nb - 1) + 0.5)];
		m[h].boot_hi = v[(int)(0.95 * (nb - 1) + 0.5)];
	}
	free(v);
}

/* Has any area data in year y (an index) and actuals within H years after it? */
static int scoreable(const struct bt_data *d, const unsigned char *has, int y, int H)
{
	if (!has[y])
		return 0;
	for (int h = 1; h <= H && y + h < d->nyears; h++)
		if (has[y + h])
			return 1;
	return 0;
}

int bt_run(const struct bt_data *d, const struct bt_params *p, struct bt_result *r,
	   struct err *e)
{
	int G = d->ngrades, H = p->horizon, of = p->origin_from, ot = p->origin_to;
	int last_year = d->first_year + d->nyears - 1, ncand = 0, A = d->nareas;
	struct errs *tot, *cell;
	double *hist, *asum;
	long *acnt, *cov;
	unsigned char *has;
	size_t start[3] = { 0, 0, 0 };
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (H < 1)
		return err_set(e, ERR_USAGE, "horizon must be at least 1");
	if (!of)
		of = d->first_year + 2;
	if (!ot)
		ot = last_year - 1;
	if (of < d->first_year + 1 || ot > last_year - 1 || of > ot)
		return err_set(e, ERR_USAGE, "origins %d-%d: need years of history before and actual "
			       "years after each origin (data: %d-%d)", of, ot, d->first_year,
			       last_year);
	while (fc_auto_candidates[ncand])
		ncand++;
	r->horizon = H;
	r->scenario = fc_scenario_name(p->scenario);
	r->origin_from = of;
	r->origin_to = ot;
	r->total = xcalloc((size_t)H, sizeof(*r->total));
	r->cell = xcalloc((size_t)H, sizeof(*r->cell));
	r->chosen = xcalloc((size_t)ncand + 1, sizeof(long));
	r->origins = xcalloc((size_t)(ot - of + 1), sizeof(*r->origins));
	tot = xcalloc((size_t)H, sizeof(*tot));
	cell = xcalloc((size_t)H, sizeof(*cell));
	cov = xcalloc((size_t)H * 3, sizeof(long));
	asum = xcalloc((size_t)A * H + 1, sizeof(double));
	acnt = xcalloc((size_t)A * H + 1, sizeof(long));
	hist = xmalloc(sizeof(double) * ((size_t)A * d->nyears * G + 1));
	has = xcalloc((size_t)d->nyears, 1);
	for (size_t i = 0; i < (size_t)A * d->nyears * G; i++)
		if (!isnan(d->enrol[i]))
			has[(i / (size_t)G) % (size_t)d->nyears] = 1;

	for (int o = of; o <= ot; o++) {
		int ny = o - d->first_year + 1;
		struct fc_input in = { 0 };
		struct fc_params fp = { 0 };
		struct fc_output out;
		struct bt_origin *bo = &r->origins[o - of];

		bo->origin = o;
		for (int h = 0; h < 3; h++)
			bo->mape[h] = bo->median_ape[h] = NAN;
		if (!scoreable(d, has, ny - 1, H))
			continue;
		fp.est = p->est;
		fp.horizon = H;
		fp.scenario = p->scenario;
		fp.sel = p->sel;
		/* the history, truncated at the origin */
		for (int a = 0; a < A; a++)
			memcpy(hist + (size_t)a * ny * G, d->enrol + (size_t)a * d->nyears * G,
			       sizeof(double) * (size_t)ny * G);
		in.nareas = A;
		in.ngrades = G;
		in.first_year = d->first_year;
		in.nyears = ny;
		in.enrol = hist;
		in.births = d->births;
		in.births_first_year = d->births_first_year;
		in.nbirths = d->nbirths;
		/* births of year b are in grade 1 in b + entry_age; grade gmin in b + lag */
		in.entry_lag = p->entry_age + d->gmin - 1;
		in.births_last_observed = o;
		rc = fc_forecast(&in, &fp, &out, e);
		if (rc < 0)
			goto done;
		memcpy(bo->used, out.used, sizeof(bo->used));
		for (int h = 0; h < H && h < 3; h++)
			start[h] = tot[h].nr;
		for (int a = 0; a < A; a++) {
			const double *O = hist + ((size_t)a * ny + ny - 1) * G;
			double size = 0;
			int present = 0;
			for (int g = 0; g < G; g++)
				if (!isnan(O[g])) {
					size += O[g];
					present = 1;
				}
			if (!present || size < p->min_size)
				continue;
			for (int c = 0; c < ncand; c++)
				r->chosen[c] += (out.members[a] >> c) & 1;
			for (int h = 1; h <= H && o + h <= last_year; h++) {
				const double *F = out.value + ((size_t)a * H + h - 1) * G;
				const double *Ac = d->enrol + ((size_t)a * d->nyears + ny - 1 + h) * G;
				double ft = 0, at = 0, lohi[4];
				int ok = 0;
				for (int g = 0; g < G; g++) {
					if (isnan(Ac[g]))
						continue;
					if (isnan(F[g])) {
						ok = -1;
						break;
					}
					ft += F[g];
					at += Ac[g];
					r->scenario_cells += out.scenario[((size_t)a * H + h - 1) * G + g];
					ok = ok < 0 ? ok : 1;
					if (Ac[g] > 0)
						errs_add(&cell[h - 1], F[g], Ac[g]);
				}
				if (!(ok > 0 && at > 0))
					continue;
				errs_add(&tot[h - 1], ft, at);
				asum[(size_t)a * H + h - 1] += fabs(100.0 * (ft - at) / at);
				acnt[(size_t)a * H + h - 1]++;
				fc_interval(&out, 0, h, ft, lohi);
				if (!isnan(lohi[0])) {
					cov[(h - 1) * 3]++;
					cov[(h - 1) * 3 + 1] += at >= lohi[1] && at <= lohi[2];
					cov[(h - 1) * 3 + 2] += at >= lohi[0] && at <= lohi[3];
				}
			}
		}
		for (int h = 0; h < H && h < 3; h++) {
			struct bt_metrics om;
			size_t n = tot[h].nr - start[h];
			double *tmp = xmalloc(sizeof(double) * (n + 1));
			if (n)
				memcpy(tmp, tot[h].v + start[h], sizeof(double) * n);
			bt_compute_metrics(tmp, (long)n, &om);
			bo->mape[h] = om.mape;
			bo->median_ape[h] = om.median_ape;
			free(tmp);
		}
		fc_output_release(&out);
	}
	for (int h = 0; h < H; h++) {
		struct bt_metrics *m = &r->total[h];
		bt_compute_metrics(tot[h].v, (long)tot[h].nr, m);
		bt_compute_metrics(cell[h].v, (long)cell[h].nr, &r->cell[h]);
		m->lead = r->cell[h].lead = h + 1;
		m->ncov = cov[h * 3];
		m->cov80 = m->ncov ? 100.0 * (double)cov[h * 3 + 1] / (double)m->ncov : NAN;
		m->cov95 = m->ncov ? 100.0 * (double)cov[h * 3 + 2] / (double)m->ncov : NAN;
		m->boot_lo = m->boot_hi = NAN;
		r->cell[h].cov80 = r->cell[h].cov95 = NAN;
		r->cell[h].boot_lo = r->cell[h].boot_hi = NAN;
	}
	if (p->bootstrap > 0 && A > 0)
		bootstrap(asum, acnt, A, H, p->bootstrap, r->total);
done:
	for (int h = 0; h < H; h++) {
		free(tot[h].v);
		free(cell[h].v);
	}
	free(tot);
	free(cell);
	free(cov);
	free(asum);
	free(acnt);
	free(hist);
	free(has);
	if (rc < 0)
		bt_result_release(r);
	return rc;
}

void bt_result_release(struct bt_result *r)
{
	free(r->total);
	free(r->cell);
	free(r->chosen);
	free(r->origins);
	memset(r, 0, sizeof(*r));
}

static int origin_scored(const struct bt_origin *bo)
{
	return !isnan(bo->mape[0]) || !isnan(bo->mape[1]) || !isnan(bo->mape[2]);
}

static void json_num(struct buf *b, double v)
{
	if (isnan(v))
		buf_adds(b, "null");
	else
		buf_addf(b, "%.4f", v);
}

void bt_format_json(const struct bt_result *r, const char *estimator, struct buf *out)
{
	buf_adds(out, "{\"estimator\":");
	buf_add_json_str(out, estimator);
	buf_adds(out, ",\"levels\":[");
	for (int l = 0; l < 2; l++) {
		const struct bt_metrics *m = l ? r->cell : r->total;
		buf_addf(out, "%s{\"level\":\"%s\",\"leads\":[", l ? "," : "",
			 l ? "area_grade" : "area_total");
		for (int h = 0; h < r->horizon; h++) {
			buf_addf(out, "%s{\"lead\":%d,\"n\":%ld,\"mape\":", h ? "," : "", m[h].lead,
				 m[h].n);
			json_num(out, m[h].mape);
			buf_adds(out, ",\"malpe\":");
			json_num(out, m[h].malpe);
			buf_adds(out, ",\"median_ape\":");
			json_num(out, m[h].median_ape);
			buf_adds(out, ",\"p90_ape\":");
			json_num(out, m[h].p90_ape);
			if (!l && m[h].ncov) {
				buf_adds(out, ",\"coverage_80\":");
				json_num(out, m[h].cov80);
				buf_adds(out, ",\"coverage_95\":");
				json_num(out, m[h].cov95);
			}
			if (!l && !isnan(m[h].boot_lo)) {
				buf_adds(out, ",\"mape_boot_5\":");
				json_num(out, m[h].boot_lo);
				buf_adds(out, ",\"mape_boot_95\":");
				json_num(out, m[h].boot_hi);
			}
			buf_adds(out, "}");
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "],\"origins\":[");
	for (int o = 0, n = 0; o <= r->origin_to - r->origin_from; o++) {
		const struct bt_origin *bo = &r->origins[o];
		if (!origin_scored(bo))
			continue;
		buf_addf(out, "%s{\"origin\":%d,\"mape\":[", n++ ? "," : "", bo->origin);
		for (int h = 0; h < 3 && h < r->horizon; h++) {
			if (h)
				buf_addch(out, ',');
			json_num(out, bo->mape[h]);
		}
		buf_adds(out, "],\"median_ape\":[");
		for (int h = 0; h < 3 && h < r->horizon; h++) {
			if (h)
				buf_addch(out, ',');
			json_num(out, bo->median_ape[h]);
		}
		buf_adds(out, "]");
		if (bo->used[0]) {
			buf_adds(out, ",\"chose\":");
			buf_add_json_str(out, bo->used);
		}
		buf_adds(out, "}");
	}
	buf_adds(out, "]");
	if (r->scenario_cells)
		buf_addf(out, ",\"births_scenario\":\"%s\",\"scenario_cells\":%ld", r->scenario,
			 r->scenario_cells);
	buf_adds(out, "}\n");
}

void bt_format_table(const struct bt_result *r, const char *estimator, struct buf *out)
{
	buf_addf(out, "estimator %s, origins %d-%d, errors in %% of actual; cov80/cov95: %% of "
		 "actual totals inside the 80 %%/95 %% prediction interval\n", estimator,
		 r->origin_from, r->origin_to);
	buf_addf(out, "%-10s %4s %7s %7s %7s %7s %7s %6s %6s\n", "level", "lead", "n", "MAPE",
		 "MALPE", "medAPE", "p90APE", "cov80", "cov95");
	for (int l = 0; l < 2; l++) {
		const struct bt_metrics *m = l ? r->cell : r->total;
		for (int h = 0; h < r->horizon; h++) {
			buf_addf(out, "%-10s %4d %7ld %7.2f %7.2f %7.2f %7.2f",
				 l ? "area_grade" : "area_total", m[h].lead, m[h].n, m[h].mape,
				 m[h].malpe, m[h].median_ape, m[h].p90_ape);
			if (!l && m[h].ncov)
				buf_addf(out, " %6.1f %6.1f", m[h].cov80, m[h].cov95);
			buf_addch(out, '\n');
		}
	}
	for (int h = 0; h < r->horizon; h++)
		if (!isnan(r->total[h].boot_lo))
			buf_addf(out, "lead %d MAPE, 90%% bootstrap range over areas: %.2f-%.2f\n", h + 1,
				 r->total[h].boot_lo, r->total[h].boot_hi);
	for (int o = 0; o <= r->origin_to - r->origin_from; o++) {
		const struct bt_origin *bo = &r->origins[o];
		if (!origin_scored(bo))
			continue;
		buf_addf(out, "origin %d MAPE", bo->origin);
		for (int h = 0; h < 3 && h < r->horizon; h++)
			buf_addf(out, " %.2f", bo->mape[h]);
		if (bo->used[0])
			buf_addf(out, " (%s)", bo->used);
		buf_addch(out, '\n');
	}
	if (r->scenario_cells)
		buf_addf(out, "%ld scored cells used the %s births scenario (cohorts born after the "
			 "origin)\n", r->scenario_cells, r->scenario);
}
