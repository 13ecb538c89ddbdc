/* mech_ledger.c: loaders of the assessment, curriculum, safety and tasks mechanisms (see
 * mech_ledger.h): the registry into the engines' arrays, then the engines. SQL here is
 * portable (SQLite and PostgreSQL): ?N placeholders, plain SELECTs. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codeidx.h"
#include "date.h"
#include "eng_assessment.h"
#include "eng_safety.h"
#include "mech_ledger.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- running one query ---- */

typedef void (*row_fn)(void *ctx, struct store_stmt *st);

/* Run sql (binding ?1 to year when year != 0), feed each row to the fingerprint under label
 * and to fn. */
static int each(struct store *s, struct eval_fp *fp, const char *label, const char *sql,
		int year, row_fn fn, void *ctx, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int r;

	if (!st)
		return e->code;
	if (year)
		store_bind_int(st, 1, year);
	while ((r = store_step(st, e)) == 1) {
		eval_fp_add_row(fp, label, st);
		fn(ctx, st);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(e, "loading %s", label);
	return r < 0 ? e->code : 0;
}

static const char *col(struct arena *a, struct store_stmt *st, int c)
{
	const char *t = store_column_text(st, c);
	return arena_strdup(a, t ? t : "");
}

static long col_date(struct store_stmt *st, int c)
{
	long d;
	return date_parse(store_column_text(st, c), &d) == 0 ? d : -1;
}

/* ---- areas and schools ---- */

struct places {
	struct arena arena;
	const char **acode, **alevel;
	const char **aparent_code;
	int *aparent;
	int nareas, aalloc;
	struct place_school {
		const char *code, *name, *type, *county, *city;
		int area;
	} *sc;
	int nschools, salloc;
	struct codeidx idx;   /* school code -> index into sc */
	/* per school, its row's fingerprint unit (places_load with units; NULL without, or
	 * when the store's order is not strcmp's) */
	struct eval_fp_unit *sunit;
};

/* The index of the element of base[0..n) (each size bytes, sorted by the string pointer at
 * offset off) whose code is code; -1 when none or code is NULL. */
static int find_code(const void *base, int n, size_t size, size_t off, const char *code)
{
	int lo = 0, hi = n;
	while (code && lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const char *at = *(const char *const *)((const char *)base + (size_t)mid * size + off);
		int c = strcmp(at, code);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int find_sorted(const char *const *codes, int n, const char *code)
{
	return find_code(codes, n, sizeof(*codes), 0, code);
}

static void on_area(void *ctx, struct store_stmt *st)
{
	struct places *P = ctx;
	int i = P->nareas;
	if (P->nareas >= P->aalloc) {
		P->aalloc = P->aalloc ? 2 * P->aalloc : 256;
		P->acode = xrealloc(P->acode, (size_t)P->aalloc * sizeof(*P->acode));
		P->alevel = xrealloc(P->alevel, (size_t)P->aalloc * sizeof(*P->alevel));
		P->aparent_code = xrealloc(P->aparent_code, (size_t)P->aalloc * sizeof(char *));
		P->aparent = xrealloc(P->aparent, (size_t)P->aalloc * sizeof(*P->aparent));
	}
	P->acode[i] = col(&P->arena, st, 0);
	P->aparent_code[i] = col(&P->arena, st, 1);
	P->alevel[i] = col(&P->arena, st, 2);
	P->nareas++;
}

/* The ancestor of area a (or a) at level, "" when none. */
static const char *ancestor(const struct places *P, int a, const char *level)
{
	for (int steps = 0; a >= 0 && steps <= P->nareas; a = P->aparent[a], steps++)
		if (!strcmp(P->alevel[a], level))
			return P->acode[a];
	return "";
}

static void on_school(void *ctx, struct store_stmt *st)
{
	struct places *P = ctx;
	struct place_school *s;
	ALLOC_GROW(P->sc, P->nschools + 1, P->salloc);
	s = &P->sc[P->nschools++];
	s->code = col(&P->arena, st, 0);
	s->name = col(&P->arena, st, 1);
	s->area = find_sorted(P->acode, P->nareas, store_column_text(st, 2));
	s->type = col(&P->arena, st, 3);
	s->county = ancestor(P, s->area, "county");
	s->city = ancestor(P, s->area, "city");
}

#define PLACE_SCHOOL_SQL "SELECT code, name, area_code, type FROM school"
/* Without labels: a school's area only, its name and type "" (tasks: a rename or a change
 * of type does not move its results, and they read neither). */
#define PLACE_AREA_SQL "SELECT code, NULL, area_code, NULL FROM school"

/* The areas, and the schools (each row a fingerprint unit, kept in P->sunit with units);
 * with labels, each school's name and type. */
static int places_load(struct store *s, struct eval_fp *fp, int units, int labels,
		       struct places *P, struct err *e)
{
	struct store_stmt *st;
	size_t aunit = 0;
	int r, sorted = 1;

	memset(P, 0, sizeof(*P));
	arena_init(&P->arena, 0);
	if (each(s, fp, "area", "SELECT code, parent_code, level FROM area ORDER BY code", 0,
		 on_area, P, e) < 0)
		return e->code;
	for (int i = 0; i < P->nareas; i++)
		P->aparent[i] = find_sorted(P->acode, P->nareas, P->aparent_code[i]);
	if (!(st = store_prepare(s, labels ? PLACE_SCHOOL_SQL " ORDER BY code"
				       : PLACE_AREA_SQL " ORDER BY code", e)))
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		struct eval_fp_unit h;
		eval_fp_row_unit(fp, "school", st, &h);
		on_school(P, st);
		if (units) {
			ALLOC_GROW(P->sunit, (size_t)P->nschools, aunit);
			P->sunit[P->nschools - 1] = h;
		}
		if (P->nschools > 1 && strcmp(P->sc[P->nschools - 2].code,
					      P->sc[P->nschools - 1].code) >= 0)
			sorted = 0;
	}
	store_finalize(st);
	if (r < 0) {
		err_prefix(e, "loading school");
		return e->code;
	}
	if (!sorted) {
		free(P->sunit);
		P->sunit = NULL;
	}
	codeidx_init(&P->idx, (size_t)P->nschools);
	for (int i = 0; i < P->nschools; i++)
		codeidx_add(&P->idx, P->sc[i].code, i);
	return 0;
}

static void places_release(struct places *P)
{
	free(P->acode);
	free(P->alevel);
	free(P->aparent_code);
	free(P->aparent);
	free(P->sc);
	free(P->sunit);
	codeidx_release(&P->idx);
	arena_release(&P->arena);
}

static size_t places_size(const struct places *P)
{
	return P->arena.total + (size_t)P->aalloc * (3 * sizeof(char *) + sizeof(int)) +
	       (size_t)P->salloc * (sizeof(*P->sc) + (P->sunit ? sizeof(*P->sunit) : 0));
}

static int school_index(const struct places *P, const char *code)
{
	return codeidx_find(&P->idx, code);
}

/* A school written (key: its code): its row read again, its name in place; 0 (loaded again)
 * for a school new to the places, gone, or in another area or of another type now. */
static int places_school_again(struct places *P, struct eval_ctx *ec, const char *code,
			       struct eval_fp_units *u, struct err *e)
{
	int i = P->sunit ? school_index(P, code) : -1, r;
	struct store_stmt *st;

	if (i < 0)
		return 0;
	if (!(st = store_prepare(ec->store, PLACE_SCHOOL_SQL " WHERE code = ?1", e)))
		return e->code;
	store_bind_text(st, 1, code);
	if ((r = store_step(st, e)) == 1 &&
	    find_sorted(P->acode, P->nareas, store_column_text(st, 2)) == P->sc[i].area &&
	    !strcmp(P->sc[i].type, store_column_text(st, 3) ? store_column_text(st, 3) : "")) {
		struct eval_fp *fp = eval_fp_new();
		struct eval_fp_unit h;
		eval_fp_row_unit(fp, "school", st, &h);
		free(eval_fp_final(fp));
		P->sc[i].name = col(&P->arena, st, 1);
		eval_fp_units_swap(u, &P->sunit[i], &h);
		P->sunit[i] = h;
	} else if (r == 1) {
		r = 0;
	}
	store_finalize(st);
	return r;
}

static int as_of_day(const char *as_of, long *day, struct err *e)
{
	if (!as_of) {
		*day = date_today();
		return 0;
	}
	if (date_parse(as_of, day) < 0)
		return err_set(e, ERR_USAGE, "'%s' is not a date (YYYY-MM-DD)", as_of);
	return 0;
}

#define NUM(rc_, key_, dst_)                                            \
	do {                                                            \
		if (rules_num(ec->rules, rc_, key_, &(dst_), e) < 0)   \
			return e->code;                                 \
	} while (0)

/* ---- assessment ---- */

struct as_loader {
	struct places *P;
	struct arena *arena;
	struct as_scheme *sch;
	int nsch, asch;
	struct as_item *items;
	int nitems, aitems;
	int *item_scheme;
	int aitem_scheme;
	struct as_score *scores;
	size_t nscores, ascores;
};

static void on_scheme(void *ctx, struct store_stmt *st)
{
	struct as_loader *L = ctx;
	struct as_scheme *s;
	ALLOC_GROW(L->sch, L->nsch + 1, L->asch);
	s = &L->sch[L->nsch++];
	memset(s, 0, sizeof(*s));
	s->code = col(L->arena, st, 0);
	s->name = col(L->arena, st, 1);
	s->year = (int)store_column_int(st, 2);
	s->active = !strcmp(store_column_text(st, 3), "active");
}

static int scheme_index(const struct as_loader *L, const char *code)
{
	for (int i = 0; code && i < L->nsch; i++) /* few schemes a year */
		if (!strcmp(L->sch[i].code, code))
			return i;
	return -1;
}

static void on_item(void *ctx, struct store_stmt *st)
{
	struct as_loader *L = ctx;
	struct as_item *it;
	int si = scheme_index(L, store_column_text(st, 0));
	if (si < 0)
		return;
	ALLOC_GROW(L->items, L->nitems + 1, L->aitems);
	if (L->nitems >= L->aitem_scheme) {
		L->aitem_scheme = L->aitems;
		L->item_scheme = xrealloc(L->item_scheme, (size_t)L->aitem_scheme * sizeof(int));
	}
	L->item_scheme[L->nitems] = si;
	it = &L->items[L->nitems++];
	it->code = col(L->arena, st, 1);
	it->parent = col(L->arena, st, 2);
	it->name = col(L->arena, st, 3);
	it->weight = store_column_double(st, 4);
	it->sizheng = store_column_int(st, 5) != 0;
}

static void on_score(void *ctx, struct store_stmt *st)
{
	struct as_loader *L = ctx;
	struct as_score *c;
	int si = scheme_index(L, store_column_text(st, 0)), it = -1;
	int sc = school_index(L->P, store_column_text(st, 2));
	const char *code = store_column_text(st, 1);
	if (si < 0 || sc < 0 || !code)
		return;
	for (int i = 0; i < L->sch[si].nitems; i++)
		if (!strcmp(L->sch[si].items[i].code, code)) {
			it = i;
			break;
		}
	if (it < 0)
		return;
	ALLOC_GROW(L->scores, L->nscores + 1, L->ascores);
	c = &L->scores[L->nscores++];
	c->scheme = si;
	c->item = it;
	c->school = sc;
	c->score = store_column_double(st, 3);
}

/* The split assessment mechanism's facts: the places, the year's schemes with their items,
 * and the active schemes' scores in (scheme, school, item) order, each score row a
 * fingerprint unit (so that a score written patches them). */
struct as_facts {
	struct places P;
	struct as_loader L;
	struct eval_fp_unit *unit;  /* per score, beside L.scores (patchable; else NULL) */
	size_t aunit;
};

#define SCORE_SQL "SELECT c.scheme_code, c.item_code, c.school_code, c.score FROM " \
	"assessment_score c JOIN assessment_scheme s ON s.code = c.scheme_code " \
	"WHERE s.year = ?1 AND s.status = 'active'"

static int cmp_score(const struct as_score *a, const struct as_score *b)
{
	return a->scheme != b->scheme ? (a->scheme > b->scheme) - (a->scheme < b->scheme)
	       : a->school != b->school ? (a->school > b->school) - (a->school < b->school)
					: (a->item > b->item) - (a->item < b->item);
}

void mech_assessment_release(void *facts)
{
	struct as_facts *F = facts;
	if (!F)
		return;
	free(F->L.scores);
	free(F->L.items);
	free(F->L.item_scheme);
	free(F->L.sch);
	free(F->unit);
	places_release(&F->P);
	free(F);
}

size_t mech_assessment_size(const void *facts)
{
	const struct as_facts *F = facts;
	return sizeof(*F) + places_size(&F->P) +
	       (size_t)F->L.asch * sizeof(*F->L.sch) + (size_t)F->L.aitems * sizeof(*F->L.items) +
	       F->L.ascores * sizeof(*F->L.scores) + F->aunit * sizeof(*F->unit);
}

/* The scores, each row a unit (kept beside its score when patchable and in order). */
static int load_scores(struct as_facts *F, struct eval_ctx *ec, struct err *e)
{
	struct store_stmt *st = store_prepare(ec->store, SCORE_SQL " ORDER BY c.scheme_code, "
					      "c.school_code, c.item_code", e);
	int r, sorted = 1;

	if (!st)
		return e->code;
	store_bind_int(st, 1, ec->year);
	while ((r = store_step(st, e)) == 1) {
		size_t n = F->L.nscores;
		struct eval_fp_unit h;
		eval_fp_row_unit(ec->fp, "assessment_score", st, &h);
		on_score(&F->L, st);
		if (F->L.nscores == n)
			continue;
		if (n && cmp_score(&F->L.scores[n - 1], &F->L.scores[n]) >= 0)
			sorted = 0;
		if (ec->patchable) {
			ALLOC_GROW(F->unit, n + 1, F->aunit);
			F->unit[n] = h;
		}
	}
	store_finalize(st);
	if (!sorted) {
		free(F->unit);
		F->unit = NULL;
	}
	if (r < 0)
		err_prefix(e, "loading assessment_score");
	return r < 0 ? e->code : 0;
}

int mech_assessment_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct as_facts *F = xcalloc(1, sizeof(*F));
	double t0 = eval_clock();
	int rc = places_load(ec->store, ec->fp, ec->patchable, 1, &F->P, e);

	F->L.P = &F->P;
	F->L.arena = &F->P.arena;
	if (!rc)
		rc = each(ec->store, ec->fp, "assessment_scheme", "SELECT code, name, year, status "
			  "FROM assessment_scheme WHERE year = ?1 ORDER BY code", ec->year, on_scheme,
			  &F->L, e);
	if (!rc)
		rc = each(ec->store, ec->fp, "assessment_item",
			  "SELECT i.scheme_code, i.item_code, i.parent_item_code, i.name, i.weight, "
			  "i.is_sizheng FROM assessment_item i JOIN assessment_scheme s ON s.code = "
			  "i.scheme_code WHERE s.year = ?1 ORDER BY i.scheme_code, i.item_code",
			  ec->year, on_item, &F->L, e);
	if (!rc) {
		/* items are grouped by scheme: point each scheme at its run */
		for (int i = 0; i < F->L.nitems; i++) {
			struct as_scheme *s = &F->L.sch[F->L.item_scheme[i]];
			if (!s->nitems)
				s->items = &F->L.items[i];
			s->nitems++;
		}
		rc = load_scores(F, ec, e);
	}
	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		mech_assessment_release(F);
		F = NULL;
	}
	*facts = F;
	return rc;
}

int mech_assessment_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			    struct err *e)
{
	const struct as_facts *F = facts;
	const struct places *P = &F->P;
	struct as_school *sc;
	struct as_params p;
	struct as_input in;
	double t0 = eval_clock();

	NUM("assessment.scheme", "weight_total", p.weight_total);
	NUM("assessment.scheme", "sizheng_min_weight", p.sizheng_min_weight);
	NUM("assessment.scheme", "weight_tolerance", p.weight_tolerance);
	sc = xcalloc((size_t)P->nschools + 1, sizeof(*sc));
	for (int i = 0; i < P->nschools; i++) {
		sc[i].code = P->sc[i].code;
		sc[i].name = P->sc[i].name;
		sc[i].county = P->sc[i].county;
		sc[i].city = P->sc[i].city;
	}
	in.schemes = F->L.sch;
	in.nschemes = F->L.nsch;
	in.schools = sc;
	in.nschools = P->nschools;
	in.scores = F->L.scores;
	in.nscores = F->L.nscores;
	assess_run(&in, &p, out);
	free(sc);
	ec->engine_seconds += eval_clock() - t0;
	return 0;
}

int mech_assessment_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("assessment"), ec, out, e);
}

/* A score written (key: scheme/item/school): read again, in place or added where it sorts;
 * a school: its name. A score gone, or one the facts would not keep (its scheme, item or
 * school unknown to them), loads them again. */
static int assessment_patch(void *facts, struct eval_ctx *ec, const char *table,
			    const char *key, struct eval_fp_units *u, struct err *e)
{
	struct as_facts *F = facts;
	struct as_loader *L = &F->L, one = { .P = &F->P, .arena = &F->P.arena };
	struct eval_fp_unit old = { 0, 0 }, now = { 0, 0 };
	const char *school = strrchr(key, '/'), *item = NULL;
	struct store_stmt *st;
	struct eval_fp *fp;
	size_t at = 0, n = L->nscores;
	int r;

	if (!strcmp(table, "school"))
		return places_school_again(&F->P, ec, key, u, e);
	if (school)
		item = memrchr(key, '/', (size_t)(school - key));
	if (strcmp(table, "assessment_score") || !F->unit || !item)
		return 0;
	if (!(st = store_prepare(ec->store, SCORE_SQL " AND c.scheme_code = ?2 AND "
				 "c.item_code = ?3 AND c.school_code = ?4", e)))
		return e->code;
	store_bind_int(st, 1, ec->year);
	store_bind_textn(st, 2, key, (size_t)(item - key));
	store_bind_textn(st, 3, item + 1, (size_t)(school - item - 1));
	store_bind_text(st, 4, school + 1);
	one.sch = L->sch;
	one.nsch = L->nsch;
	fp = eval_fp_new();
	if ((r = store_step(st, e)) == 1) {
		eval_fp_row_unit(fp, "assessment_score", st, &now);
		on_score(&one, st);
	}
	store_finalize(st);
	free(eval_fp_final(fp));
	if (r <= 0 || !one.nscores) { /* gone, or not kept: loaded again; or an error */
		free(one.scores);
		return r < 0 ? r : 0;
	}
	for (size_t hi = n; at < hi;) { /* where it is, or where it would sort */
		size_t mid = at + (hi - at) / 2;
		if (cmp_score(&L->scores[mid], &one.scores[0]) < 0)
			at = mid + 1;
		else
			hi = mid;
	}
	if (at < n && !cmp_score(&L->scores[at], &one.scores[0])) {
		old = F->unit[at];
	} else { /* a new score: room for it where it sorts */
		ALLOC_GROW(L->scores, n + 1, L->ascores);
		ALLOC_GROW(F->unit, n + 1, F->aunit);
		memmove(L->scores + at + 1, L->scores + at, (n - at) * sizeof(*L->scores));
		memmove(F->unit + at + 1, F->unit + at, (n - at) * sizeof(*F->unit));
		L->nscores++;
	}
	L->scores[at] = one.scores[0];
	F->unit[at] = now;
	free(one.scores);
	eval_fp_units_swap(u, &old, &now);
	return 1;
}

const struct mech_rows mech_assessment_rows = { .patch = assessment_patch };

/* ---- curriculum ---- */

/* An hours row (HOURS_SQL) into its school. */
static void add_hours(struct cur_school *s, struct store_stmt *st)
{
	const char *course = store_column_text(st, 1);

	if (!course)
		return;
	s->has_return = 1;
	if (!strcmp(course, "ethnic_unity"))
		s->ethnic_unity = store_column_double(st, 2);
	else if (!strcmp(course, "morality_law"))
		s->morality_law = store_column_double(st, 2);
	if (store_column_type(st, 3) != STORE_NULL)
		s->total = store_column_double(st, 3);
}

static enum cur_stage stages_of(const char *type)
{
	static const struct {
		const char *type;
		enum cur_stage st;
	} m[] = { { "primary", CUR_PRIMARY }, { "junior", CUR_JUNIOR }, { "nine_year", CUR_BOTH },
		  { "twelve_year", CUR_BOTH }, { "complete_middle", CUR_JUNIOR } };
	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (!strcmp(m[i].type, type))
			return m[i].st;
	return CUR_OTHER;
}

/* The split curriculum mechanism's facts: the places, and per school its hours of the year
 * with the sum of its rows' fingerprint units (so that an hours row written patches them). */
struct cur_facts {
	struct places P;
	struct cur_school *v;
	struct eval_fp_unit *unit;  /* per school (patchable; else NULL) */
};

#define HOURS_SQL "SELECT school_code, course, hours_per_week, total_hours_per_week FROM " \
	"curriculum_hours WHERE year = ?1"

void mech_curriculum_release(void *facts)
{
	struct cur_facts *F = facts;
	if (!F)
		return;
	free(F->v);
	free(F->unit);
	places_release(&F->P);
	free(F);
}

size_t mech_curriculum_size(const void *facts)
{
	const struct cur_facts *F = facts;
	return sizeof(*F) + places_size(&F->P) +
	       (size_t)F->P.nschools * (sizeof(*F->v) + (F->unit ? sizeof(*F->unit) : 0));
}

/* The year's hours rows of school code (of every school: code NULL) into their schools,
 * each a unit: summed into its school's in F->unit, or with code into *total. */
static int read_hours(struct cur_facts *F, struct eval_ctx *ec, struct eval_fp *fp,
		      const char *code, struct eval_fp_unit *total, struct err *e)
{
	struct store_stmt *st = store_prepare(ec->store, code ? HOURS_SQL " AND school_code = ?2"
					      : HOURS_SQL " ORDER BY school_code, course", e);
	int r;

	if (!st)
		return e->code;
	store_bind_int(st, 1, ec->year);
	if (code)
		store_bind_text(st, 2, code);
	while ((r = store_step(st, e)) == 1) {
		struct eval_fp_unit h;
		int i = school_index(&F->P, store_column_text(st, 0));
		eval_fp_row_unit(fp, "curriculum_hours", st, &h);
		if (i < 0)
			continue;
		add_hours(&F->v[i], st);
		if (code)
			eval_fp_unit_add(total, &h, 1);
		else if (F->unit)
			eval_fp_unit_add(&F->unit[i], &h, 1);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(e, "loading curriculum_hours");
	return r < 0 ? e->code : 0;
}

/* School i of the places as the engine takes it, with no hours yet. */
static void cur_school_of(struct cur_facts *F, int i)
{
	F->v[i] = (struct cur_school){ .code = F->P.sc[i].code, .name = F->P.sc[i].name,
				       .county = F->P.sc[i].county,
				       .stages = stages_of(F->P.sc[i].type), .total = NAN };
}

int mech_curriculum_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct cur_facts *F = xcalloc(1, sizeof(*F));
	double t0 = eval_clock();
	int rc = places_load(ec->store, ec->fp, ec->patchable, 1, &F->P, e);

	F->v = xcalloc((size_t)F->P.nschools + 1, sizeof(*F->v));
	for (int i = 0; i < F->P.nschools; i++)
		cur_school_of(F, i);
	if (ec->patchable && F->P.sunit)
		F->unit = xcalloc((size_t)F->P.nschools + 1, sizeof(*F->unit));
	if (!rc)
		rc = read_hours(F, ec, ec->fp, NULL, NULL, e);
	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		mech_curriculum_release(F);
		F = NULL;
	}
	*facts = F;
	return rc;
}

int mech_curriculum_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			    struct err *e)
{
	const struct cur_facts *F = facts;
	struct cur_params p;
	double t0 = eval_clock();

	NUM("curriculum.hours", "ethnic_unity_min_per_week", p.ethnic_unity_min);
	NUM("curriculum.hours", "morality_law_min_share", p.ml_min);
	NUM("curriculum.hours", "morality_law_max_share", p.ml_max);
	NUM("curriculum.hours", "primary_years", p.primary_years);
	NUM("curriculum.hours", "junior_years", p.junior_years);
	curriculum_run(F->v, F->P.nschools, ec->year, &p, out);
	ec->engine_seconds += eval_clock() - t0;
	return 0;
}

int mech_curriculum_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("curriculum"), ec, out, e);
}

/* An hours row written (key: school/year/course): the school's hours of the year read
 * again; a school: its name. A school unknown to the facts loads them again. */
static int curriculum_patch(void *facts, struct eval_ctx *ec, const char *table,
			    const char *key, struct eval_fp_units *u, struct err *e)
{
	struct cur_facts *F = facts;
	struct eval_fp_unit total = { 0, 0 };
	struct eval_fp *fp;
	char *code;
	int i, r;

	if (!strcmp(table, "school")) {
		if ((r = places_school_again(&F->P, ec, key, u, e)) == 1) {
			i = school_index(&F->P, key);
			F->v[i].name = F->P.sc[i].name;
		}
		return r;
	}
	code = xstrndup(key, strcspn(key, "/"));
	i = F->unit ? school_index(&F->P, code) : -1;
	if (strcmp(table, "curriculum_hours") || i < 0) {
		free(code);
		return 0;
	}
	cur_school_of(F, i); /* its name as the places have it: patched with them */
	fp = eval_fp_new();
	r = read_hours(F, ec, fp, code, &total, e);
	free(eval_fp_final(fp));
	free(code);
	if (r < 0)
		return r;
	eval_fp_units_swap(u, &F->unit[i], &total);
	F->unit[i] = total;
	return 1;
}

const struct mech_rows mech_curriculum_rows = { .patch = curriculum_patch };

/* ---- safety ---- */

struct sf_loader {
	struct places *P;
	struct sf_hazard *hz;
	size_t nhz, ahz;
	struct sf_building *bd;
	size_t nbd, abd;
};

static void on_hazard(void *ctx, struct store_stmt *st)
{
	struct sf_loader *L = ctx;
	struct sf_hazard *h;
	const char *cat = store_column_text(st, 2);
	ALLOC_GROW(L->hz, L->nhz + 1, L->ahz);
	h = &L->hz[L->nhz++];
	memset(h, 0, sizeof(*h));
	h->code = col(&L->P->arena, st, 0);
	h->school = school_index(L->P, store_column_text(st, 1));
	h->category = -1;
	for (int i = 0; cat && hz_categories[i]; i++)
		if (!strcmp(hz_categories[i], cat))
			h->category = i;
	h->found = col_date(st, 3);
	h->major = store_column_int(st, 4) != 0;
	h->state = (enum hz_state)hz_state_parse(store_column_text(st, 5));
	if ((int)h->state < 0)
		h->state = HZ_FOUND;
	/* the five items in hz_field bit order: measures, responsible, funds, deadline, plan */
	for (int i = 0; i < HZF_NFIELDS; i++) {
		const char *t = store_column_text(st, 6 + i);
		if (t && *t)
			h->have |= 1u << i;
	}
	h->deadline = col_date(st, 9);
	h->closed = col_date(st, 11);
}

static void on_building(void *ctx, struct store_stmt *st)
{
	struct sf_loader *L = ctx;
	struct sf_building *b;
	const char *g = store_column_text(st, 3);
	ALLOC_GROW(L->bd, L->nbd + 1, L->abd);
	b = &L->bd[L->nbd++];
	b->code = col(&L->P->arena, st, 0);
	b->name = col(&L->P->arena, st, 1);
	b->school = school_index(L->P, store_column_text(st, 2));
	b->grade = g ? g[0] : '?';
	b->in_use = store_column_int(st, 4) != 0;
}

/* The split safety mechanism's facts: the places, the hazards in code order (each row a
 * fingerprint unit, so that a hazard written patches them: the ledger's every step is one)
 * and the buildings. */
struct sf_facts {
	struct places P;
	struct sf_loader L;
	struct eval_fp_unit *unit;  /* per hazard, beside L.hz (patchable; else NULL) */
	size_t aunit;
};

#define HAZARD_SQL "SELECT code, school_code, category, found_date, is_major, state, measures, " \
	"responsible, funds, deadline, contingency_plan, closed_date FROM hazard"

void mech_safety_release(void *facts)
{
	struct sf_facts *F = facts;
	free(F->L.hz);
	free(F->L.bd);
	free(F->unit);
	places_release(&F->P);
	free(F);
}

size_t mech_safety_size(const void *facts)
{
	const struct sf_facts *F = facts;
	return sizeof(*F) + places_size(&F->P) +
	       F->L.ahz * sizeof(*F->L.hz) +
	       F->L.abd * sizeof(*F->L.bd) + F->aunit * sizeof(*F->unit);
}

int mech_safety_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct sf_facts *F = xcalloc(1, sizeof(*F));
	struct store_stmt *st = NULL;
	double t0 = eval_clock();
	long as_of;
	int r = 0;

	if (as_of_day(ec->as_of, &as_of, e) < 0 ||
	    places_load(ec->store, ec->fp, ec->patchable, 1, &F->P, e) < 0 ||
	    !(st = store_prepare(ec->store, HAZARD_SQL " ORDER BY code", e)))
		r = -1;
	F->L.P = &F->P;
	while (st && (r = store_step(st, e)) == 1) {
		struct eval_fp_unit h;
		eval_fp_row_unit(ec->fp, "hazard", st, &h);
		on_hazard(&F->L, st);
		if (ec->patchable) {
			ALLOC_GROW(F->unit, F->L.nhz, F->aunit);
			F->unit[F->L.nhz - 1] = h;
		}
	}
	store_finalize(st);
	if (r == 0 && each(ec->store, ec->fp, "building", "SELECT code, name, school_code, "
			   "safety_grade, in_use FROM building ORDER BY code", 0, on_building,
			   &F->L, e) == 0) {
		char d[11];
		date_format(as_of, d);
		eval_fp_add(ec->fp, d, sizeof(d)); /* what is overdue depends on it */
	} else {
		r = -1;
	}
	ec->load_seconds += eval_clock() - t0;
	if (r < 0) {
		mech_safety_release(F);
		return e->code ? e->code : ERR_DB;
	}
	*facts = F;
	return 0;
}

int mech_safety_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			struct err *e)
{
	const struct sf_facts *F = facts;
	const struct places *P = &F->P;
	struct sf_params p;
	struct sf_input in;
	struct sf_school *sc;
	const char *grade, *req;
	double t0 = eval_clock();

	memset(&p, 0, sizeof(p));
	if (as_of_day(ec->as_of, &p.as_of, e) < 0)
		return e->code;
	if (!(grade = rules_str(ec->rules, "safety.building", "critical_grade", e)))
		return e->code;
	p.critical_grade = grade[0];
	req = rules_str(ec->rules, "safety.major_hazard", "required", e);
	if (!req || hz_fields_parse(req, &p.major_required, e) < 0)
		return e->code;
	sc = xcalloc((size_t)P->nschools + 1, sizeof(*sc));
	for (int i = 0; i < P->nschools; i++) {
		sc[i].code = P->sc[i].code;
		sc[i].name = P->sc[i].name;
		sc[i].county = P->sc[i].county;
	}
	in.schools = sc;
	in.nschools = P->nschools;
	in.hazards = F->L.hz;
	in.nhazards = F->L.nhz;
	in.buildings = F->L.bd;
	in.nbuildings = F->L.nbd;
	safety_run(&in, &p, ec->year, out);
	free(sc);
	ec->engine_seconds += eval_clock() - t0;
	return 0;
}

int mech_safety_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("safety"), ec, out, e);
}

/* A hazard written (key: its code; a ledger step, a registry write): read again, in place,
 * added where it sorts, or taken out; a school: its name (places_school_again). */
static int safety_patch(void *facts, struct eval_ctx *ec, const char *table, const char *key,
			struct eval_fp_units *u, struct err *e)
{
	struct sf_facts *F = facts;
	struct sf_loader *L = &F->L;
	struct eval_fp_unit old = { 0, 0 }, now = { 0, 0 };
	struct store_stmt *st;
	struct eval_fp *fp;
	size_t at = 0, n = L->nhz;
	int r, found;

	if (!strcmp(table, "school"))
		return places_school_again(&F->P, ec, key, u, e);
	if (strcmp(table, "hazard") || !F->unit)
		return 0;
	for (size_t hi = n; at < hi;) { /* where it is, or where it would sort */
		size_t mid = at + (hi - at) / 2;
		if (strcmp(L->hz[mid].code, key) < 0)
			at = mid + 1;
		else
			hi = mid;
	}
	found = at < n && !strcmp(L->hz[at].code, key);
	if (found)
		old = F->unit[at];
	if (!(st = store_prepare(ec->store, HAZARD_SQL " WHERE code = ?1", e)))
		return e->code;
	store_bind_text(st, 1, key);
	fp = eval_fp_new();
	if ((r = store_step(st, e)) == 1) {
		struct sf_loader one = { .P = &F->P };
		eval_fp_row_unit(fp, "hazard", st, &now);
		on_hazard(&one, st);
		if (!found) { /* a new hazard: room for it where it sorts */
			ALLOC_GROW(L->hz, n + 1, L->ahz);
			ALLOC_GROW(F->unit, n + 1, F->aunit);
			memmove(L->hz + at + 1, L->hz + at, (n - at) * sizeof(*L->hz));
			memmove(F->unit + at + 1, F->unit + at, (n - at) * sizeof(*F->unit));
			L->nhz++;
		}
		L->hz[at] = one.hz[0];
		F->unit[at] = now;
		free(one.hz);
	} else if (r == 0 && found) { /* gone */
		memmove(L->hz + at, L->hz + at + 1, (n - at - 1) * sizeof(*L->hz));
		memmove(F->unit + at, F->unit + at + 1, (n - at - 1) * sizeof(*F->unit));
		L->nhz--;
	}
	store_finalize(st);
	free(eval_fp_final(fp));
	if (r < 0)
		return r;
	eval_fp_units_swap(u, &old, &now);
	return 1;
}

const struct mech_rows mech_safety_rows = { .patch = safety_patch };

/* ---- tasks ---- */

struct tk_loader {
	struct task_facts *tf;
	struct places *P;
	int atasks;
	size_t aentries;
	const char **parent_code, **area_code;
	const char **entry_task;
};

static int find_area(const struct task_facts *tf, const char *code)
{
	return code && *code ? find_code(tf->areas, tf->nareas, sizeof(*tf->areas),
					 offsetof(struct tk_area, code), code) : -1;
}

static void on_task(void *ctx, struct store_stmt *st)
{
	struct tk_loader *L = ctx;
	struct task_facts *tf = L->tf;
	struct tk_task *t;
	int n = tf->ntasks;
	if (n >= L->atasks) {
		L->atasks = L->atasks ? 2 * L->atasks : 64;
		tf->tasks = xrealloc(tf->tasks, (size_t)L->atasks * sizeof(*tf->tasks));
		L->parent_code = xrealloc(L->parent_code, (size_t)L->atasks * sizeof(char *));
		L->area_code = xrealloc(L->area_code, (size_t)L->atasks * sizeof(char *));
	}
	t = &tf->tasks[tf->ntasks++];
	memset(t, 0, sizeof(*t));
	t->code = col(&tf->arena, st, 0);
	t->name = col(&tf->arena, st, 1);
	t->owner = col(&tf->arena, st, 2);
	t->unit = col(&tf->arena, st, 3);
	t->baseline = store_column_double(st, 4);
	t->target = store_column_double(st, 5);
	t->start = col_date(st, 6);
	t->deadline = col_date(st, 7);
	L->parent_code[n] = col(&tf->arena, st, 8);
	t->formula = tk_formula_parse(store_column_text(st, 9) ? store_column_text(st, 9) : "");
	if (t->formula < 0)
		t->formula = TKF_NONE;
	L->area_code[n] = col(&tf->arena, st, 10);
	t->parent = -1;
	t->area = -1;
}

static void on_entry(void *ctx, struct store_stmt *st)
{
	struct tk_loader *L = ctx;
	struct task_facts *tf = L->tf;
	if (tf->nentries >= L->aentries) {
		L->aentries = L->aentries ? 2 * L->aentries : 256;
		tf->entries = xrealloc(tf->entries, L->aentries * sizeof(*tf->entries));
		L->entry_task = xrealloc(L->entry_task, L->aentries * sizeof(char *));
	}
	L->entry_task[tf->nentries] = col(&tf->arena, st, 0);
	tf->entries[tf->nentries].date = col_date(st, 1);
	tf->entries[tf->nentries].value = store_column_double(st, 2);
	tf->nentries++;
}

static void on_project(void *ctx, struct store_stmt *st)
{
	struct tk_loader *L = ctx;
	struct task_facts *tf = L->tf;
	struct tk_project *p;
	const char *kind = store_column_text(st, 1), *type = store_column_text(st, 2);
	const char *status = store_column_text(st, 3);
	ALLOC_GROW(tf->projects, tf->nprojects + 1, tf->aprojects);
	p = &tf->projects[tf->nprojects++];
	p->area = find_area(tf, store_column_text(st, 0));
	p->is_new = kind && !strcmp(kind, "new");
	p->is_expansion = kind && !strcmp(kind, "expansion");
	p->nine_year = type && !strcmp(type, "nine_year");
	p->done = status && !strcmp(status, "done");
	p->completion_year = (int)store_column_int(st, 4);
	p->seats = store_column_double(st, 5);
}

static void on_task_hazard(void *ctx, struct store_stmt *st)
{
	struct tk_loader *L = ctx;
	struct task_facts *tf = L->tf;
	struct tk_hazard *h;
	int s = school_index(L->P, store_column_text(st, 0));
	const char *state = store_column_text(st, 3);
	ALLOC_GROW(tf->hazards, tf->nhazards + 1, tf->ahazards);
	h = &tf->hazards[tf->nhazards++];
	h->area = s >= 0 ? L->P->sc[s].area : -1;
	h->found = col_date(st, 1);
	h->closed = state && !strcmp(state, "closed") ? col_date(st, 2) : -1;
	if (state && !strcmp(state, "closed") && h->closed < 0)
		h->closed = h->found; /* closed without a date: counts as closed when found */
}

int task_facts_find(const struct task_facts *tf, const char *code)
{
	return find_code(tf->tasks, tf->ntasks, sizeof(*tf->tasks), offsetof(struct tk_task, code), code);
}

int task_facts_load(struct store *s, struct eval_fp *fp, struct task_facts *tf, struct err *e)
{
	struct tk_loader L;
	struct places P;
	int rc;

	memset(tf, 0, sizeof(*tf));
	arena_init(&tf->arena, 0);
	memset(&L, 0, sizeof(L));
	L.tf = tf;
	L.P = &P;
	rc = places_load(s, fp, 0, 0, &P, e);
	if (!rc) {
		/* the areas, in code order, as the formulas' tree (places' areas share indexes) */
		tf->nareas = P.nareas;
		tf->areas = xcalloc((size_t)P.nareas + 1, sizeof(*tf->areas));
		for (int i = 0; i < P.nareas; i++) {
			tf->areas[i].code = arena_strdup(&tf->arena, P.acode[i]);
			tf->areas[i].parent = P.aparent[i];
		}
		rc = each(s, fp, "task", "SELECT code, name, owner_unit, unit, baseline, target, "
			  "start_date, deadline, parent_code, formula, area_code FROM task ORDER BY "
			  "code", 0, on_task, &L, e);
	}
	if (!rc)
		rc = each(s, fp, "task_progress", "SELECT task_code, date, value FROM task_progress "
			  "ORDER BY task_code, date", 0, on_entry, &L, e);
	if (!rc)
		rc = each(s, fp, "project", "SELECT area_code, kind, school_type, status, "
			  "completion_year, seats FROM project ORDER BY code", 0, on_project, &L, e);
	if (!rc)
		rc = each(s, fp, "hazard", "SELECT school_code, found_date, closed_date, state FROM "
			  "hazard ORDER BY code", 0, on_task_hazard, &L, e);
	if (!rc) {
		for (int i = 0; i < tf->ntasks; i++) {
			tf->tasks[i].parent = task_facts_find(tf, L.parent_code[i]);
			tf->tasks[i].area = find_area(tf, L.area_code[i]);
		}
		/* entries are ordered by task code, as the tasks are */
		for (size_t k = 0; k < tf->nentries;) {
			size_t j = k;
			int t = task_facts_find(tf, L.entry_task[k]);
			while (j < tf->nentries && !strcmp(L.entry_task[j], L.entry_task[k]))
				j++;
			if (t >= 0) {
				tf->tasks[t].entries = tf->entries + k;
				tf->tasks[t].nentries = (int)(j - k);
			}
			k = j;
		}
		tf->facts.areas = tf->areas;
		tf->facts.nareas = tf->nareas;
		tf->facts.projects = tf->projects;
		tf->facts.nprojects = tf->nprojects;
		tf->facts.hazards = tf->hazards;
		tf->facts.nhazards = tf->nhazards;
	}
	free(L.parent_code);
	free(L.area_code);
	free(L.entry_task);
	places_release(&P);
	return rc;
}

void task_facts_release(struct task_facts *tf)
{
	free(tf->tasks);
	free(tf->entries);
	free(tf->areas);
	free(tf->projects);
	free(tf->hazards);
	arena_release(&tf->arena);
	memset(tf, 0, sizeof(*tf));
}

int task_params_load(struct rule_set *rules, const char *as_of, struct tk_params *p,
		     struct err *e)
{
	if (as_of_day(as_of, &p->as_of, e) < 0)
		return e->code;
	return rules_num(rules, "tasks.lag", "tolerance", &p->tolerance, e);
}

int mech_tasks_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	struct task_facts tf;
	struct tk_params p;
	double t0 = eval_clock(), t1;
	int rc;
	char d[11];

	if (task_params_load(ec->rules, ec->as_of, &p, e) < 0)
		return e->code;
	rc = task_facts_load(ec->store, ec->fp, &tf, e);
	if (!rc) {
		date_format(p.as_of, d);
		eval_fp_add(ec->fp, d, sizeof(d));
		t1 = eval_clock();
		ec->load_seconds += t1 - t0;
		tasks_run(tf.tasks, tf.ntasks, &tf.facts, &p, ec->year, out);
		ec->engine_seconds += eval_clock() - t1;
	}
	task_facts_release(&tf);
	return rc;
}
