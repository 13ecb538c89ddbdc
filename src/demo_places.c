/* demo_places.c: the demo's places and people counts: areas (city, counties, towns with
 * 城乡分类代码), schools, births 2009-2024 and resident population by single age. */
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

int demo_write_places(struct demo_world *w, struct err *e)
{
	static const demo_writer writers[] = {
		write_area, write_school, write_births, write_population,
	};
	return demo_run_writers(w, writers, ARRAY_SIZE(writers), e);
}
