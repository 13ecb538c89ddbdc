/* demo_returns.c: the demo's annual school returns: grade returns 2015-2024 (classes, pupils
 * by sex, migrant pupils, boarders), class sections of the latest years (with the 大班额 and
 * 超大班额 classes), junior-grade transfers, facilities per school-year sized against the seven balance standards
 * (SPEC §2.1), and buildings with their safety grades (one D-grade building still in use). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo_internal.h"
#include "xmalloc.h"
#include "banned.h"

static int write_grade_return(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "grade_return",
			    "school_code,year,grade,classes,pupils,boys,girls,migrant,boarders", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		const struct demo_county *c = &w->counties[sc->county];
		for (int y = DEMO_Y0; y <= DEMO_Y1; y++)
			for (int g = demo_grade_lo(sc); g <= demo_grade_hi(sc); g++) {
				int p = demo_pupils(w, s, y, g);
				int n = demo_classes(w, s, y, g, p);
				double bs = 0.505 + 0.03 * demo_unif(w, 51, (uint64_t)s, (uint64_t)y, (uint64_t)g);
				int boys = (int)(p * bs + 0.5);
				double mr = c->kind == CK_ZONE ? 0.18 + 0.02 * (y - DEMO_Y0) :
					    c->kind == CK_DISTRICT ? 0.14 : sc->rural ? 0.0 : 0.03;
				double br = sc->type == ST_SENIOR || sc->type == ST_VOC ? 0.55 :
					    !sc->rural ? 0.0 : g >= 7 ? 0.45 : g >= 4 ? 0.12 : 0.0;
				fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%d,%d\n", sc->code, y, g, n, p, boys,
					p - boys, (int)(p * mr + 0.5), (int)(p * br + 0.5));
				w->rows_total++;
			}
	}
	return demo_close(w, f, "grade_return", e);
}

static int write_class_section(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "class_section", "school_code,year,grade,section,pupils", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		for (int y = DEMO_Y1 - 2; y <= DEMO_Y1; y++)
			for (int g = demo_grade_lo(sc); g <= demo_grade_hi(sc); g++) {
				int p = demo_pupils(w, s, y, g);
				int n = demo_classes(w, s, y, g, p);
				/* the crowdest schools' two youngest grades of the latest two
				 * years have one 超大班额 section of 67 */
				int sup = sc->crowd >= 58 && g <= 2 && y >= DEMO_Y1 - 1 && n >= 2 &&
					  (p - 67) / (n - 1) >= 40;
				int rest = sup ? p - 67 : p, m = sup ? n - 1 : n;
				if (sup) {
					fprintf(f, "%s,%d,%d,1,67\n", sc->code, y, g);
					w->rows_total++;
				}
				for (int k = 0; k < m; k++) {
					fprintf(f, "%s,%d,%d,%d,%d\n", sc->code, y, g, k + 1 + sup,
						rest / m + (k < rest % m));
					w->rows_total++;
				}
			}
	}
	return demo_close(w, f, "class_section", e);
}

/* Transfers in and out of the junior grades (for 初中三年巩固率 net of transfers). */
static int write_pupil_transfer(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "pupil_transfer", "school_code,year,grade,transfers_in,transfers_out", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		int zone = w->counties[sc->county].kind == CK_ZONE;
		if (sc->type != ST_JUNIOR && sc->type != ST_NINE)
			continue;
		for (int y = DEMO_Y0; y <= DEMO_Y1; y++)
			for (int g = 7; g <= 9; g++) {
				fprintf(f, "%s,%d,%d,%d,%d\n", sc->code, y, g,
					demo_range(w, zone ? 2 : 0, zone ? 8 : 3, 53, (uint64_t)s, (uint64_t)y, (uint64_t)g),
					demo_range(w, 0, sc->rural ? 4 : 2, 54, (uint64_t)s, (uint64_t)y, (uint64_t)g));
				w->rows_total++;
			}
	}
	return demo_close(w, f, "pupil_transfer", e);
}

/* The balance standards (primary, junior) for L4..L7: the generator sizes each school's
 * facilities as its comfort factor times the standard. */
static const double std_p[4] = { 4.5, 7.5, 2000, 2.3 };
static const double std_j[4] = { 5.8, 10.2, 2500, 2.4 };

static int write_facility(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "facility", "school_code,year,teaching_aux_area,indoor_sports_area,"
			    "sports_ground_area,equipment_value,multimedia_rooms,computers,books,"
			    "music_rooms,art_rooms", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		for (int y = DEMO_Y0; y <= DEMO_Y1; y++) {
			double a = 0, b = 0, c = 0, eff, v[4];
			for (int g = 1; g <= 12; g++) {
				int p = demo_pupils(w, s, y, g);
				if (g <= 6)
					a += p;
				else if (g <= 9)
					b += p;
				else
					c += p;
			}
			for (int i = 0; i < 4; i++) {
				double sd;
				switch (sc->type) {
				case ST_PRIMARY: sd = std_p[i]; eff = a; break;
				case ST_JUNIOR: sd = std_j[i]; eff = b; break;
				case ST_NINE:
					sd = std_p[i] > std_j[i] / 1.1 ? std_p[i] : std_j[i] / 1.1;
					eff = a + 1.1 * b;
					break;
				default: sd = std_j[i] * 1.1; eff = c; break;
				}
				v[i] = sc->f[3 + i] * sd * eff;
			}
			eff = a + b + c;
			{
				double indoor = floor(v[1] * 0.12 * 10) / 10;
				double ground = ceil((v[1] - indoor) * 10) / 10;
				double teach = ceil((v[0] + indoor) * 10) / 10;
				int rooms = (int)ceil(v[3] / 100.0);
				fprintf(f, "%s,%d,%.1f,%.1f,%.1f,%.0f,%d,%d,%d,%d,%d\n", sc->code, y,
					teach, indoor, ground, ceil(v[2]), rooms,
					(int)(eff * 0.12) + 2, (int)(eff * 28) + 500,
					1 + (int)(eff / 700), 1 + (int)(eff / 700));
			}
			w->rows_total++;
		}
	}
	return demo_close(w, f, "facility", e);
}

static int write_building(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "building", "code,school_code,name,floor_area,built_year,"
			    "safety_grade,in_use", e);
	static const char *const names[] = { "教学楼", "综合楼", "宿舍楼", "旧教学楼" };
	int *dcity;
	if (!f)
		return e->code;
	dcity = calloc((size_t)w->ncities, sizeof(int));
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		const struct demo_county *c = &w->counties[sc->county];
		int nb = sc->rural || sc->type >= ST_SENIOR ? 3 : 2;
		int pupils = 0;
		for (int g = 1; g <= 12; g++)
			pupils += demo_pupils(w, s, DEMO_Y1, g);
		/* the county's old village school keeps an old block: D-grade, still in use in
		 * one school per city, closed in another */
		if (sc->rural && c->kind == CK_COUNTY && sc->type == ST_PRIMARY && !sc->tp &&
		    dcity && dcity[sc->city] < 2)
			nb = 4;
		for (int k = 0; k < nb; k++) {
			int built = demo_range(w, 1988, 2021, 61, (uint64_t)s, (uint64_t)k, 0);
			const char *grade = built >= 2005 ? "A" : built >= 1995 ? "B" : "C";
			int in_use = 1;
			double area = pupils * (k == 0 ? 3.2 : 1.4) + 300 +
				      demo_range(w, 0, 400, 62, (uint64_t)s, (uint64_t)k, 0);
			if (k == 3) {
				built = 1978 + dcity[sc->city];
				grade = "D";
				in_use = dcity[sc->city] == 0;
				dcity[sc->city]++;
			}
			fprintf(f, "%s-%d,%s,%s,%.1f,%d,%s,%d\n", sc->code, k + 1, sc->code, names[k],
				area, built, grade, in_use);
			w->rows_total++;
		}
	}
	free(dcity);
	return demo_close(w, f, "building", e);
}

int demo_write_returns(struct demo_world *w, struct err *e)
{
	static const demo_writer writers[] = {
		write_grade_return, write_class_section, write_pupil_transfer, write_facility,
		write_building,
	};
	return demo_run_writers(w, writers, ARRAY_SIZE(writers), e);
}
