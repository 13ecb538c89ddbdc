/* demo_internal.h: the demo generator's world model, shared by the demo_*.c files only.
 *
 * The generator first builds a small "world" in memory (cities, counties, towns, schools:
 * at province scale about 20,000 schools, a few MB), then streams every table's rows
 * straight to its CSV file. Every random choice is a pure function of (seed, keys) through
 * demo_hash(), so a table's rows do not depend on the order other tables were written in,
 * and the same seed always gives byte-identical files. */
#ifndef DEMO_INTERNAL_H
#define DEMO_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define DEMO_Y0 2015 /* first school year of returns */
#define DEMO_Y1 2024 /* last school year of returns */
#define DEMO_B0 2009 /* first birth year in the births table */

enum demo_ckind { CK_DISTRICT, CK_ZONE, CK_COUNTY };
enum demo_stype { ST_PRIMARY, ST_JUNIOR, ST_NINE, ST_SENIOR, ST_VOC };

struct demo_city {
	char code[7];
	char name[64];
	int first_county, ncounties;
	int first_school, nschools;
	int voc[5]; /* its vocational schools (school indexes) */
	int nvoc;
};

struct demo_county {
	char code[7];
	char name[64];
	int kind;       /* enum demo_ckind */
	int city;       /* index */
	int first_town, ntowns;
	double bscale;  /* share of national births (districts and counties) */
	double zbase;   /* zone: births in 2009 */
	double entry;   /* pupils entering grade 1 per birth */
	double prog;    /* grade progression ratio */
	int fails_l5;   /* the county that fails the primary L5 CV */
	double wsum[4]; /* weights of the schools serving primary, junior, senior, voc */
};

struct demo_town {
	char code[13];
	char name[64];
	int county;
	const char *kind; /* street, town, township */
	const char *ur;   /* 城乡分类代码 */
};

struct demo_school {
	char code[11];
	char name[96];
	int city, county, town;
	int type;         /* enum demo_stype */
	const char *ur;
	int tp;           /* teaching point */
	int weak;
	double w;         /* cohort weight within its county and stage */
	double f[7];      /* facility comfort factors per indicator L1..L7 (L4..L7 used) */
	int crowd;        /* class size target */
	int group;        /* education group index in city, -1 none */
	int lead;         /* leads its group */
	int seats;        /* declared seats */
	int nexch;        /* 2024 urban->rural exchanges from here */
	int napp;         /* senior-title applicants here: 0 or 1 */
	int app_kind;     /* 0: >=2 years rural, 1: <1 year, 2: 1-2 years */
	int nteachers;
	int rural;        /* urban_rural 2xx */
};

struct demo_world {
	uint64_t seed;
	int province;
	int mult;               /* schools per county multiplier (1 city, 9 province) */
	struct demo_city *cities;
	int ncities;
	struct demo_county *counties;
	int ncounties;
	struct demo_town *towns;
	int ntowns;
	struct demo_school *schools;
	int nschools;
	const char *dir;
	long rows_total;
};

/* Counter-based randomness: a 64-bit hash of the seed and up to four keys. */
uint64_t demo_hash(const struct demo_world *w, uint64_t a, uint64_t b, uint64_t c, uint64_t d);
/* Uniform in [0, 1) / integer in [lo, hi] from the same keys. */
double demo_unif(const struct demo_world *w, uint64_t a, uint64_t b, uint64_t c, uint64_t d);
int demo_range(const struct demo_world *w, int lo, int hi, uint64_t a, uint64_t b, uint64_t c,
	       uint64_t d);

/* Births of a county in a calendar year (any year 1950..2024). */
double demo_births(const struct demo_world *w, int county, int year);
/* National births in millions (approximate before 2009, official from 2009). */
double demo_national_births(int year);
/* Pupils of school s in school year y and grade g (0 when the school has no such grade). */
int demo_pupils(const struct demo_world *w, int s, int y, int g);
/* Grades a school type teaches. */
int demo_grade_lo(const struct demo_school *sc);
int demo_grade_hi(const struct demo_school *sc);
/* Classes in a grade (0 when no pupils), from the school's class-size target. */
int demo_classes(const struct demo_world *w, int s, int y, int g, int pupils);

/* Open DIR/TABLE.csv.tmp for writing with the header; demo_close renames it. */
FILE *demo_open(struct demo_world *w, const char *table, const char *header, struct err *e);
int demo_close(struct demo_world *w, FILE *f, const char *table, struct err *e);

/* Table writers, by domain. Each returns 0 or a negative ERR_* with e set. */
typedef int (*demo_writer)(struct demo_world *w, struct err *e);
/* Run n writers in order; stop at the first that fails and return its code (else 0). */
int demo_run_writers(struct demo_world *w, const demo_writer *fns, size_t n, struct err *e);
int demo_write_places(struct demo_world *w, struct err *e);  /* area, school, births, population */
int demo_write_returns(struct demo_world *w, struct err *e); /* grade_return, class_section, facility, building */
int demo_write_people(struct demo_world *w, struct err *e);  /* teacher, posting, title_application */
int demo_write_voc(struct demo_world *w, struct err *e);     /* vocational tables, enterprises */
int demo_write_misc(struct demo_world *w, struct err *e);    /* projects, groups, exams, activities, ... */

#endif
