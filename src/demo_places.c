/* demo_places.c: the demo's places and people counts: areas (city, counties, towns with
 * 城乡分类代码) and the counties' boundaries, schools, births 2009-2024 and resident
 * population by single age. */
#include <math.h>
#include <stdio.h>

#include "demo_internal.h"
#include "xmalloc.h"
#include "banned.h"

static const char *const kind_name[] = { "district", "zone", "county" };
static const char *const type_name[] = { "primary", "junior", "nine_year", "senior", "vocational" };

static int write_area(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "area", "code,name,level,parent_code,kind,urban_rural", e);
	if (!f)
		return e->code;
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		fprintf(f, "%s,%s,city,,,\n", city->code, city->name);
		for (int k = city->first_county; k < city->first_county + city->ncounties; k++) {
			const struct demo_county *c = &w->counties[k];
			fprintf(f, "%s,%s,county,%s,%s,\n", c->code, c->name, city->code,
				kind_name[c->kind]);
			w->rows_total++;
		}
		for (int k = city->first_county; k < city->first_county + city->ncounties; k++) {
			const struct demo_county *c = &w->counties[k];
			for (int t = c->first_town; t < c->first_town + c->ntowns; t++) {
				const struct demo_town *tw = &w->towns[t];
				fprintf(f, "%s,%s,town,%s,%s,%s\n", tw->code, tw->name, c->code,
					tw->kind, tw->ur);
				w->rows_total++;
			}
		}
		w->rows_total++;
	}
	return demo_close(w, f, "area", e);
}

static int write_school(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "school", "code,name,area_code,type,ownership,urban_rural,is_weak,"
			    "is_teaching_point,declared_seats,latitude,longitude", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		double lat = 28.2 + 0.18 * (sc->city % 4) + 0.15 * demo_unif(w, 41, (uint64_t)s, 0, 0);
		double lon = 116.9 + 0.25 * (sc->city / 4) + 0.2 * demo_unif(w, 41, (uint64_t)s, 1, 0);
		int weak = sc->rural && demo_unif(w, 42, (uint64_t)s, 0, 0) < 0.2;
		fprintf(f, "%s,%s,%s,%s,public,%s,%d,%d,%d,%.6f,%.6f\n", sc->code, sc->name,
			w->towns[sc->town].code, type_name[sc->type], sc->ur, weak, sc->tp,
			sc->seats, lat, lon);
		w->rows_total++;
	}
	return demo_close(w, f, "school", e);
}

static int write_births(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "births", "area_code,year,births", e);
	if (!f)
		return e->code;
	for (int c = 0; c < w->ncounties; c++)
		for (int y = DEMO_B0; y <= DEMO_Y1; y++) {
			fprintf(f, "%s,%d,%.0f\n", w->counties[c].code, y, demo_births(w, c, y));
			w->rows_total++;
		}
	return demo_close(w, f, "births", e);
}

/* Net migration by age: the zone draws young families, the counties lose them. */
static double migration(const struct demo_county *c, int age)
{
	double a = age > 40 ? 40 : age;
	switch (c->kind) {
	case CK_ZONE: return 1.0 + 0.022 * a;
	case CK_DISTRICT: return 1.0 + 0.006 * a;
	default: return 1.0 - 0.009 * a;
	}
}

static int write_population(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "population", "area_code,year,age,persons", e);
	if (!f)
		return e->code;
	for (int c = 0; c < w->ncounties; c++)
		for (int y = DEMO_Y0; y <= DEMO_Y1; y++)
			for (int a = 0; a <= 100; a++) {
				double surv = exp(-pow(a / 82.0, 7.0));
				double p = demo_births(w, c, y - a) * surv * migration(&w->counties[c], a);
				fprintf(f, "%s,%d,%d,%.0f\n", w->counties[c].code, y, a, p);
				w->rows_total++;
			}
	return demo_close(w, f, "population", e);
}

/* County boundaries for the dashboard's map (GeoJSON, longitude first): each city's box
 * (the one its schools lie in) cut into a grid of its counties; the inner corners and the
 * inner edges' midpoints are shifted a little, the same way for both neighbours, so that
 * the counties share their borders and look drawn rather than ruled. */
static void corner(const struct demo_world *w, int ci, int cols, int rows, int i, int j,
		   double *x, double *y)
{
	double dx = 0.2 / cols, dy = 0.15 / rows;
	int inner = i > 0 && i < cols && j > 0 && j < rows;
	*x = 116.9 + 0.25 * (ci / 4) + i * dx +
	     (inner ? (demo_unif(w, 43, (uint64_t)ci, (uint64_t)i, (uint64_t)j) - 0.5) * 0.4 * dx : 0);
	*y = 28.2 + 0.18 * (ci % 4) + j * dy +
	     (inner ? (demo_unif(w, 44, (uint64_t)ci, (uint64_t)i, (uint64_t)j) - 0.5) * 0.4 * dy : 0);
}

/* Corner (i, j) then the midpoint of the edge to corner (i2, j2), as GeoJSON positions. */
static void edge(FILE *f, const struct demo_world *w, int ci, int cols, int rows, int i, int j,
		 int i2, int j2)
{
	double x1, y1, x2, y2, off = 0;
	uint64_t a = (uint64_t)(i * 64 + j), b = (uint64_t)(i2 * 64 + j2);
	corner(w, ci, cols, rows, i, j, &x1, &y1);
	corner(w, ci, cols, rows, i2, j2, &x2, &y2);
	if (!((i == i2 && (i == 0 || i == cols)) || (j == j2 && (j == 0 || j == rows))))
		off = (demo_unif(w, 45, (uint64_t)ci, a < b ? a : b, a < b ? b : a) - 0.5) * 0.25;
	/* the midpoint moved across the edge (the same for both sides of a shared edge) */
	fprintf(f, "[%.5f,%.5f],[%.5f,%.5f],", x1, y1, (x1 + x2) / 2 + off * fabs(y2 - y1),
		(y1 + y2) / 2 + off * fabs(x2 - x1));
}

static int write_area_boundary(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "area_boundary", "area_code,geojson", e);
	if (!f)
		return e->code;
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		int n = city->ncounties, cols = (int)ceil(sqrt(n)), rows = (n + cols - 1) / cols;
		for (int k = 0; k < n; k++) {
			int i = k % cols, j = rows - 1 - k / cols;
			double x, y;
			fprintf(f, "%s,\"{\"\"type\"\":\"\"Polygon\"\",\"\"coordinates\"\":[[",
				w->counties[city->first_county + k].code);
			edge(f, w, ci, cols, rows, i, j, i + 1, j);
			edge(f, w, ci, cols, rows, i + 1, j, i + 1, j + 1);
			edge(f, w, ci, cols, rows, i + 1, j + 1, i, j + 1);
			edge(f, w, ci, cols, rows, i, j + 1, i, j);
			corner(w, ci, cols, rows, i, j, &x, &y);
			fprintf(f, "[%.5f,%.5f]]]}\"\n", x, y);
			w->rows_total++;
		}
	}
	return demo_close(w, f, "area_boundary", e);
}

int demo_write_places(struct demo_world *w, struct err *e)
{
	static const demo_writer writers[] = {
		write_area, write_area_boundary, write_school, write_births, write_population,
	};
	return demo_run_writers(w, writers, ARRAY_SIZE(writers), e);
}
