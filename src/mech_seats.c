/* mech_seats.c: the seats mechanism: the loader (grade returns, births or the resident
 * population at the entry age, schools, construction projects, per county planning area),
 * the rule parameters, the forecast and seat engines (see mech_seats.h); the vintages are in
 * mech_seats_vintage.c. */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mech_seats.h"
#include "mech_seats_int.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* The planning area of a row's area: its county (towns roll up at any depth: view
 * area_county, joined by AREA_COUNTY after each "JOIN area a"), or the town itself. Each
 * loading query is a macro of it, written out once for each level. */
#define COUNTY_OF "ac.county_code"
#define AREA_COUNTY " LEFT JOIN area_county ac ON ac.code = a.code "
#define TOWN_OF "a.code"
#define BOTH_LEVELS(Q) Q(COUNTY_OF), Q(TOWN_OF)

/* Enrolment history: the schools that count with their planning area, and every grade return
 * up to the origin in key order; the two are merged and summed per area, year and grade in C
 * (a join and GROUP BY in SQL sorts a million rows through a temporary B-tree). */
#define Q_ENROL_SCHOOL(A) "SELECT s.code, " A " FROM school s JOIN area a ON " \
	"a.code = s.area_code" AREA_COUNTY "WHERE s.type NOT IN ('vocational', 'special') " \
	"ORDER BY s.code"
#define Q_ENROL_RETURNS "SELECT school_code, year, grade, pupils FROM grade_return " \
	"WHERE year <= ?1 ORDER BY school_code, year, grade"
#define Q_BIRTHS(A) "SELECT " A ", CASE WHEN a.level = 'town' THEN 1 ELSE 0 END, b.year, " \
	"sum(b.births) FROM births b JOIN area a ON a.code = b.area_code" AREA_COUNTY \
	"WHERE b.year <= ?1 " \
	"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
#define Q_POPULATION(A) "SELECT " A ", p.year - ?2, sum(p.persons) FROM population p " \
	"JOIN area a ON a.code = p.area_code" AREA_COUNTY "WHERE p.age = ?2 AND p.year <= ?1 " \
	"GROUP BY 1, 2 ORDER BY 1, 2"
#define Q_SCHOOL_WHERE(A, W) "SELECT s.code, s.name, " A ", s.declared_seats, g.grade, " \
	"g.classes, g.pupils FROM school s JOIN area a ON a.code = s.area_code" AREA_COUNTY \
	"LEFT JOIN grade_return g ON g.school_code = s.code AND g.year = (SELECT " \
	"max(year) FROM grade_return r WHERE r.school_code = s.code AND r.year <= ?1) " \
	"WHERE s.type NOT IN ('vocational', 'special')" W " ORDER BY s.code, g.grade"
#define Q_SCHOOL(A) Q_SCHOOL_WHERE(A, "")
#define Q_SCHOOL_ONE(A) Q_SCHOOL_WHERE(A, " AND s.code = ?2") /* a refresh by row */
#define Q_SCHOOL_RETURNS "SELECT grade, pupils FROM grade_return WHERE school_code = ?1 " \
	"AND year = ?2"
#define Q_PROJECT(A) "SELECT p.code, p.name, " A ", p.kind, p.school_type, p.seats, " \
	"p.primary_seats, p.completion_year FROM project p JOIN area a ON " \
	"a.code = p.area_code" AREA_COUNTY "WHERE p.status <> 'cancelled' AND " \
	"p.completion_year > ?1 " \
	"ORDER BY p.code"
#define Q_AREA(A) "SELECT code, name, parent_code FROM area WHERE level = " A " ORDER BY code"
#define NG 12 /* grades 1..12 */

/* What a refresh by row needs (seats_view_patch), kept by a patchable load. */
struct seats_patch {
	const char **school;         /* the schools that count, in code order */
	int *area;                   /* their planning area (-1: none) */
	int nschool, town;
	int *by_area, *area_start;   /* area a's schools: by_area[area_start[a] .. [a + 1]) */
	struct eval_fp_unit (*sunit)[2]; /* per school, its rows of Q_SCHOOL: the run's, own */
	struct eval_fp_unit hist[2]; /* the enrolment history's unit */
	struct eval_fp_unit births[2], projects[2]; /* the births (population) rows', projects' */
	struct eval_fp_units *own;   /* v->fingerprint's units */
	int year;                    /* the year loaded for (0: any) */
};

struct ld {
	struct store *s;
	struct eval_fp *fp, *own;
	struct seats_view *v;
	int town;            /* planning areas are towns/streets, not counties */
	int units;           /* each row a unit of both fingerprints (its hashes in row) */
	struct eval_fp_unit row[2];
	int at;              /* on_school's place in v->patch->school */
};

/* Feed a row into the run's fingerprint and the view's own. */
static void fp_row(struct ld *L, const char *label, struct store_stmt *st)
{
	eval_fp_add_row(L->fp, label, st);
	eval_fp_add_row(L->own, label, st);
}

/* The rows fed between unit_begin() and unit_end() are a unit of both fingerprints: a
 * school's latest returns, the enrolment history, which a refresh by row replaces. */
static void unit_begin(struct ld *L)
{
	eval_fp_unit_begin(L->fp);
	eval_fp_unit_begin(L->own);
}

static void unit_end(struct ld *L, struct eval_fp_unit h[2])
{
	eval_fp_unit_end(L->fp, &h[0]);
	eval_fp_unit_end(L->own, &h[1]);
}

static int cmp_code(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int seats_area_of(const struct seats_view *v, const char *code)
{
	const char **p;
	if (!code || !v->nareas)
		return -1; /* v->code is NULL: bsearch must not see it */
	p = bsearch(code, v->code, (size_t)v->nareas, sizeof(char *), cmp_code);
	return p ? (int)(p - v->code) : -1;
}

typedef void (*row_fn)(struct ld *L, struct store_stmt *st, void *arg);

/* Run the county or the town form of a query (by L->town) with ?1 = b1, ?2 = b2 (a query
 * that has no ?2 ignores it), each row through fn. */
static int each_row(struct ld *L, const char *label, const char *county_sql,
		    const char *town_sql, int b1, int b2, row_fn fn, void *arg, struct err *e)
{
	struct store_stmt *st = store_prepare(L->s, L->town ? town_sql : county_sql, e);
	int r;

	if (!st)
		return e->code;
	store_bind_int(st, 1, b1);
	store_bind_int(st, 2, b2);
	while ((r = store_step(st, e)) == 1) {
		if (L->units)
			unit_begin(L);
		fp_row(L, label, st);
		if (L->units)
			unit_end(L, L->row);
		fn(L, st, arg);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(e, "loading %s", label);
	return r < 0 ? e->code : 0;
}

static void on_area(struct ld *L, struct store_stmt *st, void *arg)
{
	struct seats_view *v = L->v;
	size_t *alloc = arg;
	const char *par = store_column_text(st, 2);
	ALLOC_GROW(v->code, (size_t)v->nareas + 1, alloc[0]);
	ALLOC_GROW(v->name, (size_t)v->nareas + 1, alloc[1]);
	ALLOC_GROW(v->parent, (size_t)v->nareas + 1, alloc[2]);
	v->code[v->nareas] = arena_strdup(&v->arena, store_column_text(st, 0));
	v->name[v->nareas] = arena_strdup(&v->arena, store_column_text(st, 1));
	v->parent[v->nareas] = arena_strdup(&v->arena, par ? par : "");
	v->nareas++;
}

struct enrol_arg {
	struct arena *arena;
	const char **code;   /* the schools that count, in code order */
	int *area;           /* their planning area (-1: none) */
	size_t n, alloc[2];
};

static void on_enrol_school(struct ld *L, struct store_stmt *st, void *arg)
{
	struct enrol_arg *ea = arg;
	ALLOC_GROW(ea->code, ea->n + 1, ea->alloc[0]);
	ALLOC_GROW(ea->area, ea->n + 1, ea->alloc[1]);
	ea->code[ea->n] = arena_strdup(ea->arena, store_column_text(st, 0));
	ea->area[ea->n++] = seats_area_of(L->v, store_column_text(st, 1));
}

/* sum += p, as SQL's sum() of integers: -1 when it would overflow. */
static int add_pupils(int64_t *sum, int64_t p)
{
	if ((p > 0 && *sum > INT64_MAX - p) || (p < 0 && *sum < INT64_MIN - p))
		return -1;
	*sum += p;
	return 0;
}

/* One area's year of history: a grade no school returned is 0 when another grade was
 * returned, else NaN (no returns that year). */
static void fill_year(double *row)
{
	int any = 0;
	for (int g = 0; g < NG; g++)
		any |= !isnan(row[g]);
	for (int g = 0; any && g < NG; g++)
		if (isnan(row[g]))
			row[g] = 0;
}

/* The enrolment history as a unit of both fingerprints: L's (a load), or new ones (L NULL:
 * a refresh by row, h only). */
static void hist_unit(const struct seats_view *v, struct ld *L, struct eval_fp_unit h[2])
{
	struct ld T = { .fp = L ? L->fp : eval_fp_new(), .own = L ? L->own : eval_fp_new() };
	char tag[64];

	snprintf(tag, sizeof(tag), "enrolment %d..%d", v->first_year, v->origin);
	unit_begin(&T);
	eval_fp_add(T.fp, tag, strlen(tag) + 1);
	eval_fp_add(T.own, tag, strlen(tag) + 1);
	eval_fp_add(T.fp, v->hist, (size_t)v->nareas * v->nyears * NG * sizeof(double));
	eval_fp_add(T.own, v->hist, (size_t)v->nareas * v->nyears * NG * sizeof(double));
	unit_end(&T, h);
	if (!L) {
		free(eval_fp_final(T.fp));
		free(eval_fp_final(T.own));
	}
}

/* The enrolment history (v->hist): the pupils of every counting school summed per area, year
 * and grade (NaN where no school of the area returned that grade that year, fill_year). The
 * returns are merged with the school list (both in code order); the fingerprints get the
 * sums, which are what the forecast reads (the schools and their areas went in with the
 * school list). enrol_start() reads the school list and starts the returns (a million rows
 * on the province, half the load): on a thread of their own and a second connection when a
 * core is spare (the load reads its births, schools and projects meanwhile; the returns feed
 * no fingerprint until enrol_finish() hashes the sums), else at once. */
struct enrol {
	struct enrol_arg ea;
	struct arena local;
	struct store *s;             /* the returns' connection: the load's, or a reader */
	struct seats_view *v;        /* the thread writes only v->hist */
	int64_t *sum;                /* summed as integers, as SQL's sum() */
	int origin, rc, threaded;
	pthread_t thread;
	struct err e;
};

/* The returns up to the origin summed into v->hist. */
static int sum_returns(struct enrol *E)
{
	struct seats_view *v = E->v;
	const struct enrol_arg *ea = &E->ea;
	struct store_stmt *st = store_prepare(E->s, Q_ENROL_RETURNS, &E->e);
	size_t i = 0;
	int r;

	if (!st)
		return E->e.code;
	store_bind_int(st, 1, E->origin);
	while ((r = store_step(st, &E->e)) == 1) {
		const char *sc = store_column_text(st, 0);
		int y, g, c = 1;
		size_t k;
		while (i < ea->n && sc && (c = strcmp(ea->code[i], sc)) < 0)
			i++;
		if (c != 0 || ea->area[i] < 0)
			continue;
		y = (int)store_column_int(st, 1) - v->first_year;
		g = (int)store_column_int(st, 2);
		if (y < 0 || y >= v->nyears || g < 1 || g > NG)
			continue;
		k = ((size_t)ea->area[i] * v->nyears + y) * NG + g - 1;
		if (add_pupils(&E->sum[k], store_column_int(st, 3)) < 0) {
			err_set(&E->e, ERR_DATA, "integer overflow summing the pupils of %s in %d "
				"grade %d", v->code[ea->area[i]], v->first_year + y, g);
			r = -1;
			break;
		}
		v->hist[k] = (double)E->sum[k];
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(&E->e, "loading grade_return");
	return r < 0 ? (E->e.code ? E->e.code : ERR_DB) : 0;
}

static void *returns_main(void *arg)
{
	struct enrol *E = arg;

	E->rc = sum_returns(E);
	return NULL;
}

/* The school list kept for a refresh by row (the patch owns its arrays from then on; the
 * returns' thread only reads them): each area's schools, for summing one area's year
 * again. */
static void patch_schools(struct seats_view *v, const struct enrol_arg *ea)
{
	struct seats_patch *pt = v->patch;

	pt->school = ea->code;
	pt->area = ea->area;
	pt->nschool = (int)ea->n;
	pt->area_start = xcalloc((size_t)v->nareas + 2, sizeof(int));
	pt->by_area = xcalloc((size_t)pt->nschool + 1, sizeof(int));
	for (int j = 0; j < pt->nschool; j++)
		if (pt->area[j] >= 0)
			pt->area_start[pt->area[j] + 2]++;
	for (int a = 0; a < v->nareas; a++)
		pt->area_start[a + 2] += pt->area_start[a + 1];
	for (int j = 0; j < pt->nschool; j++)
		if (pt->area[j] >= 0)
			pt->by_area[pt->area_start[pt->area[j] + 1]++] = j;
	pt->sunit = xcalloc((size_t)pt->nschool + 1, sizeof(*pt->sunit));
}

static int enrol_start(struct ld *L, int origin, int spare_core, struct enrol *E,
		       struct err *e)
{
	struct seats_view *v = L->v;
	struct seats_patch *pt = v->patch;

	memset(E, 0, sizeof(*E));
	E->e = (struct err)ERR_INIT;
	arena_init(&E->local, 0);
	E->ea.arena = pt ? &v->arena : &E->local; /* a refresh by row keeps the list */
	E->v = v;
	E->origin = origin;
	E->sum = xcalloc((size_t)v->nareas * v->nyears * NG + 1, sizeof(*E->sum));
	if (each_row(L, "enrol_school", BOTH_LEVELS(Q_ENROL_SCHOOL), 0, 0, on_enrol_school,
		     &E->ea, e) < 0)
		return E->rc = e->code;
	if (pt)
		patch_schools(v, &E->ea);
	if (spare_core && (E->s = store_open_reader(L->s))) {
		if (pthread_create(&E->thread, NULL, returns_main, E) == 0) {
			E->threaded = 1;
			return 0;
		}
		store_close(E->s);
	}
	E->s = L->s;
	if ((E->rc = sum_returns(E)) < 0)
		*e = E->e;
	return E->rc;
}

/* The returns summed (the thread joined), the history and its unit made: rc, or the
 * thread's error (then in e); E released either way. */
static int enrol_finish(struct ld *L, struct enrol *E, int rc, struct err *e)
{
	struct seats_view *v = L->v;
	struct seats_patch *pt = v->patch;
	struct eval_fp_unit h[2];

	if (E->threaded) {
		pthread_join(E->thread, NULL);
		store_close(E->s);
		if (rc >= 0 && E->rc < 0) {
			*e = E->e;
			rc = E->rc;
		}
	}
	if (rc >= 0) {
		for (size_t k = 0; k < (size_t)v->nareas * v->nyears; k++)
			fill_year(v->hist + k * NG);
		hist_unit(v, L, pt ? pt->hist : h);
	}
	free(E->sum);
	if (!pt || pt->school != E->ea.code) { /* else the patch's school list */
		free(E->ea.code);
		free(E->ea.area);
	}
	arena_release(&E->local);
	return rc;
}

struct births_arg {
	double *b;
	unsigned char *from_county;
	int first, n;
};

/* county-level births rows win over the sum of the county's towns */
static void on_births(struct ld *L, struct store_stmt *st, void *arg)
{
	struct births_arg *ba = arg;
	int a = seats_area_of(L->v, store_column_text(st, 0));
	int town = (int)store_column_int(st, 1), y = (int)store_column_int(st, 2) - ba->first;
	size_t k;
	if (a < 0 || y < 0 || y >= ba->n)
		return;
	k = (size_t)a * ba->n + y;
	if (!town) {
		ba->b[k] = store_column_double(st, 3);
		ba->from_county[k] = 1;
	} else if (!ba->from_county[k]) {
		ba->b[k] = store_column_double(st, 3);
	}
}

/* resident population at the entry age in year y stands in for births of y - entry_age,
 * for counties without any births row */
static void on_population(struct ld *L, struct store_stmt *st, void *arg)
{
	struct births_arg *ba = arg;
	int a = seats_area_of(L->v, store_column_text(st, 0));
	int y = (int)store_column_int(st, 1) - ba->first;
	if (a < 0 || y < 0 || y >= ba->n)
		return;
	for (int i = 0; i < ba->n; i++)
		if (ba->from_county[(size_t)a * ba->n + i] & 2)
			return; /* the county has births */
	ba->b[(size_t)a * ba->n + y] = store_column_double(st, 2);
}

struct school_arg {
	size_t alloc;
};

/* A school's row of Q_SCHOOL: its classes and pupils of a grade. */
static void add_grade(struct seat_school *s, struct store_stmt *st)
{
	int g;
	if (store_column_type(st, 4) == STORE_NULL)
		return;
	g = (int)store_column_int(st, 4);
	if (g < 1 || g > NG)
		return;
	s->classes[seat_stage_of_grade(g)] += store_column_double(st, 5);
	s->pupils[seat_stage_of_grade(g)] += store_column_double(st, 6);
}

static void on_school(struct ld *L, struct store_stmt *st, void *arg)
{
	struct seats_view *v = L->v;
	struct seats_patch *pt = v->patch;
	struct school_arg *sa = arg;
	const char *code = store_column_text(st, 0);
	struct seat_school *s = v->nschools ? &v->schools[v->nschools - 1] : NULL;

	if (pt) {
		/* the same schools as the school list, in the same order */
		while (L->at < pt->nschool && strcmp(pt->school[L->at], code) < 0)
			L->at++;
		if (L->at < pt->nschool && !strcmp(pt->school[L->at], code)) {
			eval_fp_unit_add(&pt->sunit[L->at][0], &L->row[0], 1);
			eval_fp_unit_add(&pt->sunit[L->at][1], &L->row[1], 1);
		}
	}
	if (!s || strcmp(s->code, code)) {
		int a = seats_area_of(v, store_column_text(st, 2));
		if (a < 0)
			return;
		ALLOC_GROW(v->schools, (size_t)v->nschools + 1, sa->alloc);
		s = &v->schools[v->nschools++];
		memset(s, 0, sizeof(*s));
		s->code = arena_strdup(&v->arena, code);
		s->name = arena_strdup(&v->arena, store_column_text(st, 1));
		s->area = a;
		s->declared_seats = store_column_type(st, 3) == STORE_NULL ? NAN
									     : store_column_double(st, 3);
	}
	add_grade(s, st);
}

static void on_project(struct ld *L, struct store_stmt *st, void *arg)
{
	struct seats_view *v = L->v;
	size_t *alloc = arg;
	int a = seats_area_of(v, store_column_text(st, 2));
	struct seat_project *p;
	if (a < 0)
		return;
	ALLOC_GROW(v->projects, (size_t)v->nprojects + 1, *alloc);
	p = &v->projects[v->nprojects++];
	p->code = arena_strdup(&v->arena, store_column_text(st, 0));
	p->name = arena_strdup(&v->arena, store_column_text(st, 1));
	p->area = a;
	p->kind = arena_strdup(&v->arena, store_column_text(st, 3));
	p->school_type = arena_strdup(&v->arena, store_column_text(st, 4));
	p->seats = store_column_double(st, 5);
	p->primary_seats = store_column_type(st, 6) == STORE_NULL ? NAN : store_column_double(st, 6);
	p->completion_year = (int)store_column_int(st, 7);
}

static int parse_sizes(const char *s, int out[4])
{
	int n = 0;
	memset(out, 0, sizeof(int) * 4);
	while (s && *s && n < 3) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s || v <= 0)
			return -1;
		out[n++] = (int)v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	/* ascending */
	for (int i = 1; i < n; i++)
		if (out[i] < out[i - 1])
			return -1;
	return n ? 0 : -1;
}

/* The numbers the engine judges seats with (class sizes, standard school sizes, the
 * assessment's surplus line), into p. The mechanism reads them when computing, so that the
 * server keeps the facts when one moves (resident.c: rules_moved); the forecast view reads
 * them with its facts (seats_view_capacity). */
static int engine_params(struct rule_set *rules, struct seat_params *p, struct err *e)
{
	double d;
	static const char *const st[3] = { "primary", "junior", "senior" };

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < ST_N; i++) {
		if (rules_num(rules, "seats.class_size", st[i], &p->class_size[i], e) < 0)
			return e->code;
		if (!(p->class_size[i] > 0))
			return err_set(e, ERR_DATA, "rule 'seats.class_size' parameter '%s': "
				       "expected a positive number of pupils per class, not %g",
				       st[i], p->class_size[i]);
	}
	for (int i = 0; i < 2; i++) {
		const char *s = rules_str(rules, "seats.standard_school", st[i], e);
		if (!s)
			return e->code;
		if (parse_sizes(s, p->std_classes[i]) < 0)
			return err_set(e, ERR_DATA, "rule 'seats.standard_school' parameter '%s': "
				       "expected ascending class counts like \"24,36\", not '%s'",
				       st[i], s);
	}
	if (rules_num(rules, "seats.assessment", "surplus_match_below", &p->surplus_match, e) < 0 ||
	    rules_num(rules, "seats.assessment", "surplus_years", &d, e) < 0)
		return e->code;
	p->surplus_years = (int)d;
	return 0;
}

/* The span of school years with returns (not after year; 0: any): origin, the last, and
 * first; origin 0 when there are none. */
static int year_span(struct store *s, int year, int64_t *origin, int64_t *first, struct err *e)
{
	/* two subqueries, each answered from the end of the year index (one over both scans
	 * it) */
	struct store_stmt *st = store_prepare(s, "SELECT (SELECT max(year) FROM grade_return WHERE "
					      "year <= ?1), (SELECT min(year) FROM grade_return "
					      "WHERE year <= ?1)", e);
	int rc;

	*origin = *first = 0;
	if (!st)
		return e->code;
	store_bind_int(st, 1, year ? year : INT_MAX);
	rc = store_step(st, e);
	if (rc == 1 && store_column_type(st, 0) != STORE_NULL) {
		*origin = store_column_int(st, 0);
		*first = store_column_int(st, 1);
	}
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

/* The forecast of v's history and births (or the stored vintage of the same inputs: v->
 * fingerprint), its demand and intervals per stage. */
static int forecast(struct store *s, struct seats_view *v, struct err *e)
{
	struct fc_input in = { 0 };
	struct fc_params fpar = { 0 };
	int *pool_of, group_of[NG], H = v->horizon, rc;
	size_t n = (size_t)v->nareas * H * ST_N;

	in.nareas = v->nareas;
	in.ngrades = NG;
	in.first_year = v->first_year;
	in.nyears = v->nyears;
	in.enrol = v->hist;
	in.births = v->births;
	in.births_first_year = v->births_first;
	in.nbirths = v->nbirths;
	in.entry_lag = v->entry_age;
	in.births_last_observed = v->origin;
	fpar.est = v->est;
	fpar.horizon = H;
	fpar.scenario = v->scenario;
	fpar.sel = v->method.sel;
	/* pools: areas with the same parent; interval groups: the stages */
	pool_of = xcalloc((size_t)v->nareas + 1, sizeof(int));
	for (int a = 0; a < v->nareas; a++) {
		int pl = a;
		for (int b = 0; b < a; b++)
			if (!strcmp(v->parent[a], v->parent[b])) {
				pl = pool_of[b];
				break;
			}
		pool_of[a] = pl;
		in.npools = pl + 1 > in.npools ? pl + 1 : in.npools;
	}
	for (int g = 0; g < NG; g++)
		group_of[g] = seat_stage_of_grade(g + 1);
	in.pool_of = v->nareas ? pool_of : NULL;
	in.group_of = group_of;
	in.ngroups = ST_N;
	rc = seats_vintage_find(s, v, e);
	if (rc == 0 && !v->vintage)
		rc = fc_forecast(&in, &fpar, &v->fc, e);
	free(pool_of);
	if (rc < 0)
		return rc;
	v->demand = xcalloc(n + 1, sizeof(double));
	v->scen = xcalloc(n + 1, 1);
	for (int a = 0; a < v->nareas; a++)
		for (int h = 0; h < H; h++)
			for (int g = 0; g < NG; g++) {
				size_t fi = ((size_t)a * H + h) * NG + g;
				size_t k = ((size_t)a * H + h) * ST_N + seat_stage_of_grade(g + 1);
				v->demand[k] += v->fc.value[fi];
				v->scen[k] |= v->fc.scenario[fi];
			}
	v->interval = xmalloc(sizeof(double) * (n * 4 + 1));
	for (int a = 0; a < v->nareas; a++)
		for (int h = 0; h < H; h++)
			for (int st = 0; st < ST_N; st++) {
				size_t k = ((size_t)a * H + h) * ST_N + st;
				fc_interval(&v->fc, st, h + 1, v->demand[k], v->interval + k * 4);
			}
	return 0;
}

/* The engine's input of v's areas, years ahead, schools and projects (what the seats are
 * counted from); the forecast's parts left empty. */
static struct seat_input seat_input_of(const struct seats_view *v)
{
	struct seat_input si = { 0 };

	si.nareas = v->nareas;
	si.first_year = v->origin + 1;
	si.nyears = v->horizon;
	si.schools = v->schools;
	si.nschools = v->nschools;
	si.projects = v->projects;
	si.nprojects = v->nprojects;
	return si;
}

int seats_view_capacity(struct seats_view *v, struct rule_set *rules, struct err *e)
{
	struct seat_input si = seat_input_of(v);

	if (engine_params(rules, &v->params, e) < 0)
		return e->code;
	free(v->cap);
	v->cap = xcalloc((size_t)v->nareas * v->horizon * ST_N + 1, sizeof(double));
	seats_capacity(&si, &v->params, v->cap);
	return 0;
}

/* What forecast() made, freed for another. */
static void forecast_release(struct seats_view *v)
{
	fc_output_release(&v->fc);
	memset(&v->fc, 0, sizeof(v->fc));
	free(v->demand);
	free(v->scen);
	free(v->cap);
	free(v->interval);
	v->demand = v->cap = v->interval = NULL;
	v->scen = NULL;
	v->vintage = v->stale_vintage = 0;
	v->vintage_created[0] = '\0';
}

/* The first year of births (or of the population stand-in) in *first, 0 when none. */
static int births_first(struct ld *L, int64_t *first, struct err *e)
{
	struct store_stmt *st = store_prepare(L->s, "SELECT min(y) FROM (SELECT min(year) AS y "
					      "FROM births UNION ALL SELECT min(year) - ?1 FROM "
					      "population WHERE age = ?1) u", e);
	int r;

	*first = 0;
	if (!st)
		return e->code;
	store_bind_int(st, 1, L->v->entry_age);
	if ((r = store_step(st, e)) == 1 && store_column_type(st, 0) != STORE_NULL)
		*first = store_column_int(st, 0);
	store_finalize(st);
	return r < 0 ? r : 0;
}

/* v->births: births (observed: years <= origin), else the population at the entry age; the
 * rows read are one unit of both fingerprints (h), which a refresh reads again whole after
 * a births or population row written (seats_view_block). */
static int load_births(struct ld *L, int origin, struct eval_fp_unit h[2], struct err *e)
{
	struct seats_view *v = L->v;
	struct births_arg ba = { 0 };
	int64_t bfirst;
	int rc;

	v->births_last = 0;
	if ((rc = births_first(L, &bfirst, e)) < 0)
		return rc;
	unit_begin(L);
	if (bfirst && bfirst <= origin) {
		ba.first = (int)bfirst;
		ba.n = (int)(origin - bfirst + 1);
		ba.b = xmalloc(sizeof(double) * ((size_t)v->nareas * ba.n + 1));
		ba.from_county = xcalloc((size_t)v->nareas * ba.n + 1, 1);
		for (size_t i = 0; i < (size_t)v->nareas * ba.n; i++)
			ba.b[i] = NAN;
		v->births = ba.b; /* the view's from here on */
		v->births_first = ba.first;
		v->nbirths = ba.n;
		rc = each_row(L, "births", BOTH_LEVELS(Q_BIRTHS), origin, 0, on_births, &ba, e);
		for (int a = 0; rc >= 0 && a < v->nareas; a++) {
			int has = 0;
			for (int i = 0; i < ba.n; i++)
				has |= !isnan(ba.b[(size_t)a * ba.n + i]);
			if (has)
				for (int i = 0; i < ba.n; i++)
					ba.from_county[(size_t)a * ba.n + i] |= 2;
		}
		if (rc >= 0)
			rc = each_row(L, "population", BOTH_LEVELS(Q_POPULATION), origin,
				      v->entry_age, on_population, &ba, e);
		/* the last births year actually observed (births, or the population stand-in), not
		 * the origin: the scenario starts after it (as in fc_forecast's per-area driver) */
		for (size_t i = 0; rc >= 0 && i < (size_t)v->nareas * ba.n; i++)
			if (!isnan(ba.b[i]) && ba.first + (int)(i % (size_t)ba.n) > v->births_last)
				v->births_last = ba.first + (int)(i % (size_t)ba.n);
	}
	unit_end(L, h);
	free(ba.from_county);
	return rc;
}

/* v->projects: those completed after the origin (earlier ones are in the returns already);
 * one unit of both fingerprints (h), read again whole after a project written. */
static int load_projects(struct ld *L, int origin, struct eval_fp_unit h[2], struct err *e)
{
	size_t alloc = 0;
	int rc;

	unit_begin(L);
	rc = each_row(L, "project", BOTH_LEVELS(Q_PROJECT), origin, 0, on_project, &alloc, e);
	unit_end(L, h);
	return rc;
}

int seats_view_load(struct store *s, struct rule_set *rules, int year, int horizon,
		    const char *estimator, enum fc_scenario sc, int town_level, unsigned flags,
		    struct eval_fp *fp, struct seats_view *v, struct err *e)
{
	struct ld L = { s, fp, eval_fp_new(), v, town_level, 0, { { 0, 0 }, { 0, 0 } }, 0 };
	size_t alloc2[3] = { 0, 0, 0 };
	struct school_arg sa = { 0 };
	struct eval_fp_unit unit[2];
	struct enrol enrol;
	int64_t origin = 0, first = 0;
	double entry_age;
	int rc, H;
	char tag[128];

	memset(v, 0, sizeof(*v));
	arena_init(&v->arena, 0);
	v->scenario = sc;
	v->unit_kind = town_level ? "area" : "county";
	if (flags & SEATS_PATCHABLE) {
		v->patch = xcalloc(1, sizeof(*v->patch));
		v->patch->town = town_level;
		v->patch->year = year;
	}
	/* the rules the forecast is made with: the entry age, the method */
	if ((rc = rules_num(rules, "seats.entry", "entry_age", &entry_age, e)) < 0 ||
	    (rc = fc_method_load(rules, estimator, &v->method, e)) < 0)
		goto fail;
	v->entry_age = (int)entry_age;
	v->est = v->method.est;
	{
		/* the method is part of the forecast: in the run's and the vintage's fingerprint */
		const struct fc_select *sl = &v->method.sel;
		struct buf t = BUF_INIT;
		buf_addf(&t, "method %s wiche", v->est.name);
		for (int i = 0; i < 5; i++)
			buf_addf(&t, " %.17g", v->est.wiche[i]);
		buf_adds(&t, " alphas");
		for (int i = 0; i < sl->nalpha; i++)
			buf_addf(&t, " %.17g", sl->alpha[i]);
		buf_adds(&t, " weights");
		for (int i = 0; i < sl->nweight; i++)
			buf_addf(&t, " %.17g", sl->weight[i]);
		buf_addf(&t, " origins %d %d", sl->origins, sl->interval_origins);
		eval_fp_add(fp, t.buf, t.len + 1);
		eval_fp_add(L.own, t.buf, t.len + 1);
		buf_release(&t);
	}
	if (horizon > v->method.max_horizon) {
		rc = err_set(e, ERR_USAGE, "horizon %d: longer than rule seats.forecast max_horizon "
			     "%d", horizon, v->method.max_horizon);
		goto fail;
	}
	H = horizon > 0 ? horizon : v->method.max_horizon;
	v->horizon = H;
	snprintf(tag, sizeof(tag), "seats %d %s %s %s", year, v->est.name, fc_scenario_name(sc),
		 v->unit_kind);
	eval_fp_add(fp, tag, strlen(tag) + 1);

	/* the origin: the last school year with returns (not after `year`) */
	if ((rc = year_span(s, year, &origin, &first, e)) < 0)
		goto fail;
	if (!origin) {
		rc = err_set(e, ERR_DATA, year ? "no grade returns up to %d: nothing to forecast"
					   : "no grade returns: nothing to forecast", year);
		goto fail;
	}
	v->origin = (int)origin;
	v->first_year = (int)first;
	v->nyears = (int)(origin - first + 1);

	if ((rc = each_row(&L, "area", Q_AREA("'county'"), Q_AREA("'town'"), 0, 0, on_area,
			   alloc2, e)) < 0)
		goto fail;
	v->hist = xmalloc(sizeof(double) * ((size_t)v->nareas * v->nyears * NG + 1));
	for (size_t i = 0; i < (size_t)v->nareas * v->nyears * NG; i++)
		v->hist[i] = NAN;
	rc = enrol_start(&L, (int)origin, (flags & SEATS_SPARE_CORE) != 0, &enrol, e);
	if (rc >= 0)
		rc = load_births(&L, (int)origin, v->patch ? v->patch->births : unit, e);
	/* each school's latest returns: a unit, so that a refresh by row can replace them */
	L.units = 1;
	if (rc >= 0)
		rc = each_row(&L, "school", BOTH_LEVELS(Q_SCHOOL), (int)origin, 0, on_school, &sa,
			      e);
	L.units = 0;
	if (rc >= 0)
		rc = load_projects(&L, (int)origin, v->patch ? v->patch->projects : unit, e);
	if ((rc = enrol_finish(&L, &enrol, rc, e)) < 0)
		goto fail;

	v->fingerprint = eval_fp_final_units(L.own, v->patch ? &v->patch->own : NULL);
	L.own = NULL;
	if ((rc = forecast(s, v, e)) < 0)
		goto fail;
	return 0;
fail:
	if (L.own)
		free(eval_fp_final(L.own));
	seats_view_release(v);
	return rc < 0 ? rc : ERR_DB;
}

/* The refresh by row of a school's returns of a year (seats_view_patch) in area a's year y
 * of the history: the area's schools' returns of that year summed again. */
static int patch_year(struct store *s, struct seats_view *v, int a, int y, struct err *e)
{
	const struct seats_patch *pt = v->patch;
	struct store_stmt *st = store_prepare(s, Q_SCHOOL_RETURNS, e);
	int64_t sum[NG] = { 0 };
	int seen[NG] = { 0 }, r = 0;
	double *row = v->hist + ((size_t)a * v->nyears + y) * NG;

	if (!st)
		return e->code;
	for (int j = pt->area_start[a]; j < pt->area_start[a + 1] && r >= 0; j++) {
		store_reset(st);
		store_bind_text(st, 1, pt->school[pt->by_area[j]]);
		store_bind_int(st, 2, v->first_year + y);
		while ((r = store_step(st, e)) == 1) {
			int g = (int)store_column_int(st, 0);
			if (g < 1 || g > NG)
				continue;
			seen[g - 1] = 1;
			if (add_pupils(&sum[g - 1], store_column_int(st, 1)) < 0) {
				err_set(e, ERR_DATA, "integer overflow summing the pupils of %s in %d "
					"grade %d", v->code[a], v->first_year + y, g);
				r = -1;
				break;
			}
		}
	}
	store_finalize(st);
	if (r < 0)
		return e->code ? e->code : ERR_DB;
	for (int g = 0; g < NG; g++)
		row[g] = seen[g] ? (double)sum[g] : NAN;
	fill_year(row);
	return 0;
}

static int cmp_school(const void *key, const void *elem)
{
	return strcmp(key, ((const struct seat_school *)elem)->code);
}

/* The rows of a unit pair (in pt: was) read again as now: swapped into the run's units (u,
 * when given) and the view's own. */
static void swap_units(struct seats_patch *pt, struct eval_fp_units *u,
		       struct eval_fp_unit was[2], const struct eval_fp_unit now[2])
{
	if (u)
		eval_fp_units_swap(u, &was[0], &now[0]);
	eval_fp_units_swap(pt->own, &was[1], &now[1]);
	memcpy(was, now, 2 * sizeof(*now));
}

/* A school's rows of Q_SCHOOL read again, with their units: j its place in the school list
 * (-1: not a school seats counts). 1 done, 0 when the school entered or left what seats
 * counts, or moved to another planning area (load again: v is left half patched). */
static int patch_school(struct store *s, struct seats_view *v, int j, const char *code,
			struct eval_fp_units *u, struct err *e)
{
	struct seats_patch *pt = v->patch;
	struct ld L = { s, eval_fp_new(), eval_fp_new(), v, pt->town, 1, { { 0, 0 }, { 0, 0 } }, 0 };
	struct store_stmt *st = store_prepare(s, pt->town ? Q_SCHOOL_ONE(TOWN_OF)
							  : Q_SCHOOL_ONE(COUNTY_OF), e);
	struct eval_fp_unit now[2] = { { 0, 0 }, { 0, 0 } };
	struct seat_school *sc = bsearch(code, v->schools, (size_t)v->nschools, sizeof(*v->schools),
					 cmp_school);
	int r = -1, rows = 0, same = 1;

	if (sc) {
		memset(sc->classes, 0, sizeof(sc->classes));
		memset(sc->pupils, 0, sizeof(sc->pupils));
	}
	if (st) {
		store_bind_int(st, 1, v->origin);
		store_bind_text(st, 2, code);
		while ((r = store_step(st, e)) == 1) {
			if (!rows++) {
				same = j >= 0 && seats_area_of(v, store_column_text(st, 2)) == pt->area[j];
				if (sc && same) {
					sc->name = arena_strdup(&v->arena, store_column_text(st, 1));
					sc->declared_seats = store_column_type(st, 3) == STORE_NULL
							     ? NAN : store_column_double(st, 3);
				}
			}
			unit_begin(&L);
			fp_row(&L, "school", st);
			unit_end(&L, L.row);
			eval_fp_unit_add(&now[0], &L.row[0], 1);
			eval_fp_unit_add(&now[1], &L.row[1], 1);
			if (sc)
				add_grade(sc, st);
		}
		store_finalize(st);
	}
	free(eval_fp_final(L.fp));
	free(eval_fp_final(L.own));
	if (!st || r < 0)
		return e->code ? e->code : ERR_DB;
	if (j < 0 || !rows || !same)
		return j < 0 && !rows; /* neither counted before nor now: nothing read changed */
	swap_units(pt, u, pt->sunit[j], now);
	return 1;
}

int seats_view_patch(struct store *s, struct seats_view *v, const char *school, int year,
		     struct eval_fp_units *u, struct err *e)
{
	struct seats_patch *pt = v->patch;
	const char **p;
	int64_t origin, first;
	int rc, j;

	if (!pt || !pt->own)
		return 0;
	if ((rc = year_span(s, pt->year, &origin, &first, e)) < 0)
		return rc;
	if (origin != v->origin || first != v->first_year)
		return 0; /* another span of years: every array changes shape */
	p = bsearch(school, pt->school, (size_t)pt->nschool, sizeof(char *), cmp_code);
	j = p ? (int)(p - pt->school) : -1;
	if (j >= 0 && pt->area[j] >= 0 && year >= v->first_year && year <= v->origin) {
		struct eval_fp_unit now[2];
		if ((rc = patch_year(s, v, pt->area[j], year - v->first_year, e)) < 0)
			return rc;
		hist_unit(v, NULL, now);
		swap_units(pt, u, pt->hist, now);
	}
	return patch_school(s, v, j, school, u, e);
}

/* A births or population row written (births 1), or a project (0): those rows read again
 * whole (load_births, load_projects); 0 (load again: v is left half patched) when the
 * births' first year moved (their array changes shape). */
static int seats_view_block(struct store *s, struct seats_view *v, int births,
			    struct eval_fp_units *u, struct err *e)
{
	struct seats_patch *pt = v->patch;
	int first = v->births_first, n = v->nbirths, rc;
	struct eval_fp_unit now[2];
	struct ld L;

	if (!pt || !pt->own)
		return 0;
	L = (struct ld){ s, eval_fp_new(), eval_fp_new(), v, pt->town, 0, { { 0, 0 }, { 0, 0 } },
			 0 };
	if (births) {
		free(v->births);
		v->births = NULL;
		v->births_first = v->nbirths = 0;
	} else {
		free(v->projects);
		v->projects = NULL;
		v->nprojects = 0;
	}
	rc = births ? load_births(&L, v->origin, now, e) : load_projects(&L, v->origin, now, e);
	free(eval_fp_final(L.fp));
	free(eval_fp_final(L.own));
	if (rc < 0)
		return rc;
	if (v->births_first != first || v->nbirths != n)
		return 0;
	swap_units(pt, u, births ? pt->births : pt->projects, now);
	return 1;
}

int seats_view_settle(struct store *s, struct seats_view *v, struct err *e)
{
	free(v->fingerprint);
	v->fingerprint = eval_fp_units_digest(v->patch->own);
	forecast_release(v);
	return forecast(s, v, e);
}

void seats_view_release(struct seats_view *v)
{
	struct seats_patch *pt = v->patch;

	forecast_release(v);
	free(v->code);
	free(v->name);
	free(v->parent);
	free(v->hist);
	free(v->births);
	free(v->schools);
	free(v->projects);
	free(v->fingerprint);
	if (pt) {
		free(pt->school);
		free(pt->area);
		free(pt->by_area);
		free(pt->area_start);
		free(pt->sunit);
		free(pt->own);
		free(pt);
	}
	arena_release(&v->arena);
	memset(v, 0, sizeof(*v));
}

/* The split mechanism's facts: the view, the city (the unit of the vintage scores) and the
 * earlier vintages to score. */
struct seats_facts {
	struct seats_view v;
	char *city;
	struct seat_scoring scoring;
};

void mech_seats_release(void *facts)
{
	struct seats_facts *F = facts;
	seats_view_release(&F->v);
	seats_scoring_release(&F->scoring);
	free(F->city);
	free(F);
}

int mech_seats_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct seats_facts *F = xcalloc(1, sizeof(*F));
	double t0 = eval_clock();
	int rc = seats_view_load(ec->store, ec->rules, ec->year, 0, NULL, FC_SC_MID, 0,
				 (ec->patchable ? SEATS_PATCHABLE : 0) |
				 (ec->spare_core ? SEATS_SPARE_CORE : 0), ec->fp, &F->v, e);

	if (rc == 0) {
		struct store_stmt *st = store_prepare(ec->store, "SELECT code FROM area WHERE "
						      "level = 'city' ORDER BY code LIMIT 1", e);
		if (!st || (rc = store_step(st, e)) < 0)
			rc = e->code;
		else
			F->city = xstrdup(rc == 1 ? store_column_text(st, 0) : "");
		store_finalize(st);
	}
	if (rc >= 0)
		rc = seats_vintage_read(ec->store, &F->v, &F->scoring, e);
	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		mech_seats_release(F); /* a view that failed to load is released already */
		return rc;
	}
	*facts = F;
	return 0;
}

int mech_seats_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
		       struct err *e)
{
	const struct seats_facts *F = facts;
	const struct seats_view *v = &F->v;
	struct seat_input si = seat_input_of(v);
	struct seat_params p;
	double t0 = eval_clock();
	int rc = engine_params(ec->rules, &p, e);

	if (rc < 0)
		return rc;
	si.unit_kind = v->unit_kind;
	si.area_code = v->code;
	si.area_name = v->name;
	si.demand = v->demand;
	si.scenario = v->scen;
	si.scenario_label = fc_scenario_name(v->scenario);
	si.interval = v->interval;
	rc = seats_evaluate(&si, &p, out, e);
	if (rc == 0)
		seats_vintage_score(v, &F->scoring, F->city, out);
	ec->engine_seconds += eval_clock() - t0;
	return rc;
}

void *mech_seats_with_school(const void *facts, const struct seat_school *add,
			     const char *area)
{
	const struct seats_facts *F = facts;
	struct seats_facts *c = xmalloc(sizeof(*c));
	struct seat_school *v = xmalloc(sizeof(*v) * ((size_t)F->v.nschools + 1));
	int n = F->v.nschools, at = 0;

	*c = *F;
	while (at < n && strcmp(F->v.schools[at].code, add->code) < 0)
		at++;
	if (n)
		memcpy(v, F->v.schools, sizeof(*v) * (size_t)n);
	memmove(v + at + 1, v + at, sizeof(*v) * (size_t)(n - at));
	v[at] = *add;
	v[at].area = seats_area_of(&F->v, area);
	c->v.schools = v;
	c->v.nschools = n + 1;
	return c;
}

void mech_seats_copy_free(void *copy)
{
	struct seats_facts *c = copy;
	if (c)
		free(c->v.schools);
	free(c);
}

/* The forecast stored as a vintage, unless it was read back from one. */
int mech_seats_save(const void *facts, struct store *s, struct err *e)
{
	const struct seats_facts *F = facts;
	return F->v.vintage ? 0 : seats_vintage_save(s, &F->v, e);
}

size_t mech_seats_size(const void *facts)
{
	const struct seats_facts *F = facts;
	const struct seats_view *v = &F->v;
	const struct seats_patch *pt = v->patch;
	size_t A = (size_t)v->nareas, cells = A * v->horizon;

	return sizeof(*F) + v->arena.total + A * 3 * sizeof(char *) +
	       A * v->nyears * NG * sizeof(double) + A * v->nbirths * sizeof(double) +
	       (size_t)v->nschools * sizeof(*v->schools) +
	       (size_t)v->nprojects * sizeof(*v->projects) +
	       cells * NG * (sizeof(double) + 1) + cells * ST_N * (sizeof(double) * 6 + 1) +
	       F->scoring.n * sizeof(*F->scoring.c) + F->scoring.niv * sizeof(*F->scoring.iv) +
	       (pt ? (size_t)pt->nschool * (sizeof(char *) + 2 * sizeof(int) +
					    sizeof(*pt->sunit)) : 0);
}

/* A grade return written: its school's returns of the year read again; a school written:
 * its row (seats_view_patch); births, population or a project: those rows read again
 * whole (seats_view_block). */
static int patch_row(void *facts, struct eval_ctx *ec, const char *table, const char *key,
		     struct eval_fp_units *u, struct err *e)
{
	struct seats_facts *F = facts;
	int year = 0, grade, rc;
	char *school = !strcmp(table, "school") ? xstrdup(key)
		       : !strcmp(table, "grade_return") ? written_grade_return(key, &year, &grade)
		       : NULL;

	if (!strcmp(table, "births") || !strcmp(table, "population") ||
	    !strcmp(table, "project"))
		return seats_view_block(ec->store, &F->v, strcmp(table, "project") != 0, u, e);
	if (!school)
		return 0;
	rc = seats_view_patch(ec->store, &F->v, school, year, u, e);
	free(school);
	return rc;
}

static int settle(void *facts, struct eval_ctx *ec, struct err *e)
{
	struct seats_facts *F = facts;
	return seats_view_settle(ec->store, &F->v, e);
}

const struct mech_rows mech_seats_rows = { .patch = patch_row, .settle = settle };

int mech_seats_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("seats"), ec, out, e);
}
