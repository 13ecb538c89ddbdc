/* mech_seats.c: the seats mechanism: the loader (grade returns, births or the resident
 * population at the entry age, schools, construction projects, per county planning area),
 * the rule parameters, the forecast and seat engines (see mech_seats.h); the vintages are in
 * mech_seats_vintage.c. */
#include <limits.h>
#include <math.h>
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
#define Q_SCHOOL(A) "SELECT s.code, s.name, " A ", s.declared_seats, g.grade, g.classes, " \
	"g.pupils FROM school s JOIN area a ON a.code = s.area_code" AREA_COUNTY \
	"LEFT JOIN grade_return g ON g.school_code = s.code AND g.year = (SELECT " \
	"max(year) FROM grade_return r WHERE r.school_code = s.code AND r.year <= ?1) " \
	"WHERE s.type NOT IN ('vocational', 'special') ORDER BY s.code, g.grade"
#define Q_PROJECT(A) "SELECT p.code, p.name, " A ", p.kind, p.school_type, p.seats, " \
	"p.primary_seats, p.completion_year FROM project p JOIN area a ON " \
	"a.code = p.area_code" AREA_COUNTY "WHERE p.status <> 'cancelled' AND " \
	"p.completion_year > ?1 " \
	"ORDER BY p.code"
#define Q_AREA(A) "SELECT code, name, parent_code FROM area WHERE level = " A " ORDER BY code"
#define NG 12 /* grades 1..12 */

struct ld {
	struct store *s;
	struct eval_fp *fp, *own;
	struct seats_view *v;
	int town;            /* planning areas are towns/streets, not counties */
};

/* Feed a row into the run's fingerprint and the view's own. */
static void fp_row(struct ld *L, const char *label, struct store_stmt *st)
{
	eval_fp_add_row(L->fp, label, st);
	eval_fp_add_row(L->own, label, st);
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
		fp_row(L, label, st);
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
	struct arena arena;
	const char **code;   /* the schools that count, in code order */
	int *area;           /* their planning area (-1: none) */
	size_t n, alloc[2];
};

static void on_enrol_school(struct ld *L, struct store_stmt *st, void *arg)
{
	struct enrol_arg *ea = arg;
	ALLOC_GROW(ea->code, ea->n + 1, ea->alloc[0]);
	ALLOC_GROW(ea->area, ea->n + 1, ea->alloc[1]);
	ea->code[ea->n] = arena_strdup(&ea->arena, store_column_text(st, 0));
	ea->area[ea->n++] = seats_area_of(L->v, store_column_text(st, 1));
}

/* v->hist: the pupils of every counting school summed per area, year and grade (NaN where no
 * school of the area returned that grade that year). The returns are merged with the school
 * list (both in code order); the fingerprints get the sums, which are what the forecast reads
 * (the schools and their areas went in with the school list). */
static int load_enrol(struct ld *L, int origin, struct err *e)
{
	struct seats_view *v = L->v;
	struct enrol_arg ea;
	struct store_stmt *st;
	size_t i = 0, nh = (size_t)v->nareas * v->nyears * NG;
	int64_t *sum = xcalloc(nh + 1, sizeof(*sum)); /* summed as integers, as SQL's sum() */
	int r, rc;
	char tag[64];

	memset(&ea, 0, sizeof(ea));
	arena_init(&ea.arena, 0);
	rc = each_row(L, "enrol_school", BOTH_LEVELS(Q_ENROL_SCHOOL), 0, 0, on_enrol_school, &ea,
		      e);
	st = rc < 0 ? NULL : store_prepare(L->s, Q_ENROL_RETURNS, e);
	if (!st) {
		rc = e->code;
		goto out;
	}
	store_bind_int(st, 1, origin);
	while ((r = store_step(st, e)) == 1) {
		const char *sc = store_column_text(st, 0);
		int y, g, c = 1;
		int64_t p;
		size_t k;
		while (i < ea.n && sc && (c = strcmp(ea.code[i], sc)) < 0)
			i++;
		if (c != 0 || ea.area[i] < 0)
			continue;
		y = (int)store_column_int(st, 1) - v->first_year;
		g = (int)store_column_int(st, 2);
		if (y < 0 || y >= v->nyears || g < 1 || g > NG)
			continue;
		k = ((size_t)ea.area[i] * v->nyears + y) * NG + g - 1;
		p = store_column_int(st, 3);
		if ((p > 0 && sum[k] > INT64_MAX - p) || (p < 0 && sum[k] < INT64_MIN - p)) {
			err_set(e, ERR_DATA, "integer overflow summing the pupils of %s in %d grade %d",
				v->code[ea.area[i]], v->first_year + y, g);
			r = -1;
			break;
		}
		sum[k] += p;
		v->hist[k] = (double)sum[k];
	}
	store_finalize(st);
	if (r < 0) {
		err_prefix(e, "loading grade_return");
		rc = e->code;
		goto out;
	}
	snprintf(tag, sizeof(tag), "enrolment %d..%d", v->first_year, origin);
	eval_fp_add(L->fp, tag, strlen(tag) + 1);
	eval_fp_add(L->own, tag, strlen(tag) + 1);
	eval_fp_add(L->fp, v->hist, nh * sizeof(double));
	eval_fp_add(L->own, v->hist, nh * sizeof(double));
	rc = 0;
out:
	free(sum);
	free(ea.code);
	free(ea.area);
	arena_release(&ea.arena);
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

static void on_school(struct ld *L, struct store_stmt *st, void *arg)
{
	struct seats_view *v = L->v;
	struct school_arg *sa = arg;
	const char *code = store_column_text(st, 0);
	struct seat_school *s = v->nschools ? &v->schools[v->nschools - 1] : NULL;
	int g;

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
	if (store_column_type(st, 4) == STORE_NULL)
		return;
	g = (int)store_column_int(st, 4);
	if (g < 1 || g > NG)
		return;
	s->classes[seat_stage_of_grade(g)] += store_column_double(st, 5);
	s->pupils[seat_stage_of_grade(g)] += store_column_double(st, 6);
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

static int load_params(struct rule_set *rules, struct seats_view *v, struct err *e)
{
	struct seat_params *p = &v->params;
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
	if (rules_num(rules, "seats.entry", "entry_age", &d, e) < 0)
		return e->code;
	v->entry_age = (int)d;
	return 0;
}

int seats_view_load(struct store *s, struct rule_set *rules, int year, int horizon,
		    const char *estimator, enum fc_scenario sc, int town_level,
		    struct eval_fp *fp, struct seats_view *v, struct err *e)
{
	struct ld L = { s, fp, eval_fp_new(), v, town_level };
	size_t alloc2[3] = { 0, 0, 0 }, palloc = 0;
	struct school_arg sa = { 0 };
	struct births_arg ba = { 0 };
	int64_t origin = 0, first = 0, bfirst = 0;
	struct fc_input in = { 0 };
	int *pool_of = NULL, group_of[NG];
	struct fc_params fpar = { 0 };
	int rc, H;
	char tag[128];

	memset(v, 0, sizeof(*v));
	arena_init(&v->arena, 0);
	v->scenario = sc;
	v->unit_kind = town_level ? "area" : "county";
	if ((rc = load_params(rules, v, e)) < 0 ||
	    (rc = fc_method_load(rules, estimator, &v->method, e)) < 0)
		goto fail;
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
	{
		/* two subqueries, each answered from the end of the year index (one over both
		 * scans it) */
		struct store_stmt *st = store_prepare(s, "SELECT (SELECT max(year) FROM grade_return "
						      "WHERE year <= ?1), (SELECT min(year) FROM "
						      "grade_return WHERE year <= ?1)", e);
		if (!st) {
			rc = e->code;
			goto fail;
		}
		store_bind_int(st, 1, year ? year : INT_MAX); /* 0: any year */
		rc = store_step(st, e);
		if (rc == 1 && store_column_type(st, 0) != STORE_NULL) {
			origin = store_column_int(st, 0);
			first = store_column_int(st, 1);
		}
		store_finalize(st);
		if (rc < 0)
			goto fail;
		if (!origin) {
			rc = err_set(e, ERR_DATA, year ? "no grade returns up to %d: nothing to forecast"
						   : "no grade returns: nothing to forecast", year);
			goto fail;
		}
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
	if ((rc = load_enrol(&L, (int)origin, e)) < 0)
		goto fail;
	/* a county-year with returns has 0 pupils in the grades it did not report */
	for (int a = 0; a < v->nareas; a++)
		for (int y = 0; y < v->nyears; y++) {
			double *row = v->hist + ((size_t)a * v->nyears + y) * NG;
			int any = 0;
			for (int g = 0; g < NG; g++)
				any |= !isnan(row[g]);
			for (int g = 0; any && g < NG; g++)
				if (isnan(row[g]))
					row[g] = 0;
		}

	/* births (observed: years <= origin), else the population at the entry age */
	{
		struct store_stmt *st = store_prepare(s, "SELECT min(y) FROM (SELECT min(year) AS y "
						      "FROM births UNION ALL SELECT min(year) - ?1 FROM "
						      "population WHERE age = ?1) u", e);
		if (!st) {
			rc = e->code;
			goto fail;
		}
		store_bind_int(st, 1, v->entry_age);
		rc = store_step(st, e);
		if (rc == 1 && store_column_type(st, 0) != STORE_NULL)
			bfirst = store_column_int(st, 0);
		store_finalize(st);
		if (rc < 0)
			goto fail;
	}
	if (bfirst && bfirst <= origin) {
		ba.first = (int)bfirst;
		ba.n = (int)(origin - bfirst + 1);
		ba.b = xmalloc(sizeof(double) * ((size_t)v->nareas * ba.n + 1));
		ba.from_county = xcalloc((size_t)v->nareas * ba.n + 1, 1);
		for (size_t i = 0; i < (size_t)v->nareas * ba.n; i++)
			ba.b[i] = NAN;
		rc = each_row(&L, "births", BOTH_LEVELS(Q_BIRTHS), (int)origin, 0, on_births, &ba,
			      e);
		if (rc < 0)
			goto fail;
		for (int a = 0; a < v->nareas; a++) {
			int has = 0;
			for (int i = 0; i < ba.n; i++)
				has |= !isnan(ba.b[(size_t)a * ba.n + i]);
			if (has)
				for (int i = 0; i < ba.n; i++)
					ba.from_county[(size_t)a * ba.n + i] |= 2;
		}
		rc = each_row(&L, "population", BOTH_LEVELS(Q_POPULATION), (int)origin,
			      v->entry_age, on_population, &ba, e);
		if (rc < 0)
			goto fail;
		/* the last births year actually observed (births, or the population stand-in), not
		 * the origin: the scenario starts after it (as in fc_forecast's per-area driver) */
		for (size_t i = 0; i < (size_t)v->nareas * ba.n; i++)
			if (!isnan(ba.b[i]) && ba.first + (int)(i % (size_t)ba.n) > v->births_last)
				v->births_last = ba.first + (int)(i % (size_t)ba.n);
	}

	if ((rc = each_row(&L, "school", BOTH_LEVELS(Q_SCHOOL), (int)origin, 0, on_school, &sa,
			   e)) < 0)
		goto fail;
	/* projects completed after the origin: earlier ones are in the returns already */
	if ((rc = each_row(&L, "project", BOTH_LEVELS(Q_PROJECT), (int)origin, 0, on_project,
			   &palloc, e)) < 0)
		goto fail;

	/* forecast */
	in.nareas = v->nareas;
	in.ngrades = NG;
	in.first_year = v->first_year;
	in.nyears = v->nyears;
	in.enrol = v->hist;
	in.births = ba.b;
	in.births_first_year = ba.first;
	in.nbirths = ba.n;
	in.entry_lag = v->entry_age;
	in.births_last_observed = (int)origin;
	fpar.est = v->est;
	fpar.horizon = H;
	fpar.scenario = sc;
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
	v->fingerprint = eval_fp_final(L.own);
	L.own = NULL;
	if ((rc = seats_vintage_find(s, v, e)) < 0)
		goto fail;
	if (!v->vintage && (rc = fc_forecast(&in, &fpar, &v->fc, e)) < 0)
		goto fail;
	{
		size_t n = (size_t)v->nareas * H * ST_N;
		v->demand = xcalloc(n + 1, sizeof(double));
		v->scen = xcalloc(n + 1, 1);
		v->cap = xcalloc(n + 1, sizeof(double));
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
	}
	{
		struct seat_input si = { 0 };
		si.nareas = v->nareas;
		si.first_year = v->origin + 1;
		si.nyears = H;
		si.schools = v->schools;
		si.nschools = v->nschools;
		si.projects = v->projects;
		si.nprojects = v->nprojects;
		seats_capacity(&si, &v->params, v->cap);
	}
	free(pool_of);
	free(ba.b);
	free(ba.from_county);
	return 0;
fail:
	free(pool_of);
	if (L.own)
		free(eval_fp_final(L.own));
	free(ba.b);
	free(ba.from_county);
	seats_view_release(v);
	return rc < 0 ? rc : ERR_DB;
}

void seats_view_release(struct seats_view *v)
{
	fc_output_release(&v->fc);
	free(v->code);
	free(v->name);
	free(v->demand);
	free(v->scen);
	free(v->cap);
	free(v->interval);
	free(v->parent);
	free(v->hist);
	free(v->schools);
	free(v->projects);
	free(v->fingerprint);
	arena_release(&v->arena);
	memset(v, 0, sizeof(*v));
}

int mech_seats_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	struct seats_view v;
	struct seat_input si = { 0 };
	char *city = NULL;
	double t0 = eval_clock(), t1;
	int rc;

	rc = seats_view_load(ec->store, ec->rules, ec->year, 0, NULL, FC_SC_MID, 0, ec->fp, &v, e);
	t1 = eval_clock();
	ec->load_seconds += t1 - t0;
	if (rc < 0)
		return rc;
	si.nareas = v.nareas;
	si.unit_kind = v.unit_kind;
	si.area_code = v.code;
	si.area_name = v.name;
	si.first_year = v.origin + 1;
	si.nyears = v.horizon;
	si.demand = v.demand;
	si.scenario = v.scen;
	si.scenario_label = fc_scenario_name(v.scenario);
	si.interval = v.interval;
	si.schools = v.schools;
	si.nschools = v.nschools;
	si.projects = v.projects;
	si.nprojects = v.nprojects;
	rc = seats_evaluate(&si, &v.params, out, e);
	ec->engine_seconds += eval_clock() - t1;
	if (rc == 0) {
		struct store_stmt *st = store_prepare(ec->store, "SELECT code FROM area WHERE "
						      "level = 'city' ORDER BY code LIMIT 1", e);
		if (st && store_step(st, e) == 1)
			city = xstrdup(store_column_text(st, 0));
		store_finalize(st);
		rc = seats_vintage_score(ec->store, &v, city ? city : "", out, e);
	}
	if (rc == 0 && !v.vintage)
		rc = seats_vintage_save(ec->store, &v, e);
	free(city);
	seats_view_release(&v);
	return rc;
}
