/* mech_groups.c: the education-groups mechanism: copies the rule parameters, loads schools
 * (county, location class, the coverage denominator, pupils of the year), groups,
 * membership, every exam's results and the year's exchanges with the teacher's home
 * school (feeding the data fingerprint), and runs eng_groups. Portable SQL only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "eng_groups.h"
#include "eval.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* The coverage denominators groups.coverage may name: which schools count. */
static const struct {
	const char *name;
	int public_only, compulsory_only;
} denominators[] = {
	{ "public_compulsory", 1, 1 },
	{ "compulsory", 0, 1 },
	{ "public", 1, 0 },
	{ "all", 0, 0 },
};
static const char *const compulsory_types[] = { "primary", "junior", "nine_year",
						"complete_middle", "twelve_year" };

struct gv {
	struct arena arena;
	struct store *s;
	struct eval_fp *fp;
	int year;
	struct grp_params p;
	struct grp_input in;
	struct grp_school *schools;
	const char **county_code;
	struct grp_group *groups;
	struct grp_member *members;
	struct grp_exam *exams;      /* every exam's results, by exam: exam k's from
				      * exam[k].first to the next's (or the end) */
	struct { const char *name; size_t first; } *exam;
	size_t nexam, aexam;
	struct grp_exchange *exchanges;
	size_t xalloc;
	/* With ec->patchable, for patch_row: each exchange's teacher and fingerprint unit
	 * (NULL when not patchable, or when the store's order is not strcmp's). */
	struct gx {
		const char *teacher;
		struct eval_fp_unit unit;
	} *xk;
	int patchable;
	/* With ec->patchable: each school's row as a fingerprint unit (its pupils of the year
	 * come from grade_return), by index; NULL when not kept. units: each_row hashes rows
	 * as units, the last one's in row_unit. */
	struct eval_fp_unit *sunit, row_unit;
	size_t salloc;
	int units;
	/* the groups, members and exam results: their strings, their fingerprint unit */
	struct arena barena;
	struct eval_fp_unit block_unit;
};

/* G's schools copied into schools, each with what groups.coverage counts it as: rural (its
 * location class among rural_classes) and in the denominator; the denominator's name into
 * p. */
static int classify(const struct gv *G, struct rule_set *rules, struct grp_school *schools,
		    struct grp_params *p, struct err *e)
{
	const char *den, *rural;
	int d = -1;

	if (!(den = rules_str(rules, "groups.coverage", "denominator", e)) ||
	    !(rural = rules_str(rules, "groups.coverage", "rural_classes", e)))
		return e->code;
	for (size_t i = 0; i < ARRAY_SIZE(denominators); i++)
		if (!strcmp(den, denominators[i].name))
			d = (int)i;
	if (d < 0)
		return err_set(e, ERR_DATA, "rule 'groups.coverage' parameter 'denominator' is '%s', "
			       "not public_compulsory, compulsory, public or all", den);
	p->denominator = denominators[d].name;
	for (int i = 0; i < G->in.nschools; i++) {
		const struct grp_school *c = &G->schools[i];
		schools[i] = *c;
		schools[i].rural = rules_list_has(rural, c->cls);
		schools[i].in_denominator = (!denominators[d].public_only || c->is_public) &&
					    (!denominators[d].compulsory_only || c->compulsory);
	}
	return 0;
}

/* The outcome's exam (its results into in: none when no result is of it), interval, years
 * and schools, into p. The facts read no rule: the parameters are read when computing, so
 * that the server keeps the facts when one moves (resident.c: rules_moved). */
static int outcome_params(const struct gv *G, struct rule_set *rules, struct grp_params *p,
			  struct grp_input *in, struct err *e)
{
	const char *exam = rules_str(rules, "groups.outcome", "exam", e);
	double v;

	if (!exam)
		return e->code;
	in->exams = NULL;
	in->nexams = 0;
	for (size_t k = 0; k < G->nexam; k++)
		if (!strcmp(G->exam[k].name, exam)) {
			size_t end = k + 1 < G->nexam ? G->exam[k + 1].first : G->in.nexams;
			in->exams = G->exams + G->exam[k].first;
			in->nexams = end - G->exam[k].first;
			break;
		}
#define NUM(key_, dst_)                                                   \
	do {                                                              \
		if (rules_num(rules, "groups.outcome", key_, &(dst_), e) < 0) \
			return e->code;                                   \
	} while (0)
	NUM("interval_level", p->level);
	NUM("base_lag", v);
	p->base_lag = (int)v;
	NUM("bootstrap_reps", v);
	p->reps = (int)v;
	NUM("bootstrap_seed", v);
	p->seed = (uint64_t)v;
	NUM("min_schools", v);
	p->min_schools = (int)v;
#undef NUM
	return 0;
}

static int cmp_school_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct grp_school *)elem)->code);
}

static int cmp_school(const void *a, const void *b)
{
	return strcmp(((const struct grp_school *)a)->code, ((const struct grp_school *)b)->code);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int school_of(const struct gv *G, const char *code)
{
	const struct grp_school *s;
	if (!code)
		return -1;
	s = bsearch(code, G->schools, (size_t)G->in.nschools, sizeof(*s), cmp_school_key);
	return s ? (int)(s - G->schools) : -1;
}

typedef void (*row_fn)(struct gv *G, struct store_stmt *st, size_t *alloc);

/* Run a query with its parameters (?1 the year when bind_year, ?2 and ?3 text when given). */
static int each_row(struct gv *G, const char *label, const char *sql, int bind_year,
		    const char *t2, const char *t3, row_fn fn, struct err *e)
{
	struct store_stmt *st = store_prepare(G->s, sql, e);
	size_t alloc = 0;
	int r;

	if (!st)
		return e->code;
	if (bind_year)
		store_bind_int(st, 1, G->year);
	if (t2)
		store_bind_text(st, 2, t2);
	if (t3)
		store_bind_text(st, 3, t3);
	while ((r = store_step(st, e)) == 1) {
		if (G->units)
			eval_fp_row_unit(G->fp, label, st, &G->row_unit);
		else
			eval_fp_add_row(G->fp, label, st);
		fn(G, st, &alloc);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(e, "loading %s", label);
	return r < 0 ? e->code : 0;
}

/* A school's name, location class, type and ownership (what classify() reads) and pupils
 * from its row (SCHOOL_SQL). */
static void set_school(struct gv *G, struct grp_school *s, struct store_stmt *st)
{
	const char *type = store_column_text(st, 4), *cls = store_column_text(st, 3);

	s->compulsory = 0;
	for (size_t k = 0; k < ARRAY_SIZE(compulsory_types); k++)
		s->compulsory |= type && !strcmp(type, compulsory_types[k]);
	s->is_public = !strcmp(store_column_text(st, 5) ? store_column_text(st, 5) : "", "public");
	s->cls = cls ? arena_strdup(&G->arena, cls) : NULL;
	s->name = arena_strdup(&G->arena, store_column_text(st, 1));
	s->pupils = store_column_double(st, 6);
}

static void on_school(struct gv *G, struct store_stmt *st, size_t *alloc)
{
	struct grp_school *s;

	ALLOC_GROW(G->schools, (size_t)G->in.nschools + 1, *alloc);
	s = &G->schools[G->in.nschools++];
	s->code = arena_strdup(&G->arena, store_column_text(st, 0));
	/* county code kept in name slot order: resolved after loading */
	s->county = -1;
	set_school(G, s, st);
	if (G->sunit && G->in.nschools > 1 && strcmp(s[-1].code, s->code) > 0) {
		free(G->sunit); /* the store's order is not strcmp's: not patched */
		G->sunit = NULL;
	}
	if (G->sunit) {
		ALLOC_GROW(G->sunit, (size_t)G->in.nschools, G->salloc);
		G->sunit[G->in.nschools - 1] = G->row_unit;
	}
	G->county_code = xrealloc(G->county_code, (size_t)G->in.nschools * sizeof(char *));
	G->county_code[G->in.nschools - 1] = arena_strdup(&G->arena, store_column_text(st, 2));
}

static void on_group(struct gv *G, struct store_stmt *st, size_t *alloc)
{
	struct grp_group *g;
	ALLOC_GROW(G->groups, (size_t)G->in.ngroups + 1, *alloc);
	g = &G->groups[G->in.ngroups++];
	g->code = arena_strdup(&G->barena, store_column_text(st, 0));
	g->name = arena_strdup(&G->barena, store_column_text(st, 1));
	g->lead = school_of(G, store_column_text(st, 2));
	g->founded = (int)store_column_int(st, 3);
}

static void on_member(struct gv *G, struct store_stmt *st, size_t *alloc)
{
	const char *gc = store_column_text(st, 0);
	struct grp_member *m;
	int g = -1, s = school_of(G, store_column_text(st, 1));

	for (int i = G->in.ngroups - 1; i >= 0 && g < 0; i--)
		if (gc && !strcmp(G->groups[i].code, gc))
			g = i;
	if (g < 0 || s < 0)
		return;
	ALLOC_GROW(G->members, (size_t)G->in.nmembers + 1, *alloc);
	m = &G->members[G->in.nmembers++];
	m->group = g;
	m->school = s;
	m->joined = (int)store_column_int(st, 2);
	m->left = store_column_type(st, 3) == STORE_NULL ? 0 : (int)store_column_int(st, 3);
}

/* A result of an exam (they come by exam; where each exam's begin: G->exam). */
static void on_exam(struct gv *G, struct store_stmt *st, size_t *alloc)
{
	const char *exam = store_column_text(st, 0) ? store_column_text(st, 0) : "";
	struct grp_exam *x;
	int s = school_of(G, store_column_text(st, 1));

	if (!G->nexam || strcmp(G->exam[G->nexam - 1].name, exam)) {
		ALLOC_GROW(G->exam, G->nexam + 1, G->aexam);
		G->exam[G->nexam].name = arena_strdup(&G->barena, exam);
		G->exam[G->nexam++].first = G->in.nexams;
	}
	if (s < 0)
		return;
	ALLOC_GROW(G->exams, G->in.nexams + 1, *alloc);
	x = &G->exams[G->in.nexams++];
	x->school = s;
	x->year = (int)store_column_int(st, 2);
	x->candidates = store_column_double(st, 3);
	x->excellent = store_column_double(st, 4);
}

/* The school year's exchanges (postings of kind exchange starting in it, ?2 to ?3), each
 * with its teacher and the teacher's home school: the latest other posting started before.
 * Each row is a fingerprint unit, so that a posting write patches them (patch_row). */
#define EXCHANGE_SQL "SELECT x.teacher_code, x.school_code, (SELECT p.school_code " \
	"FROM posting p WHERE p.teacher_code = x.teacher_code AND p.start_date < x.start_date " \
	"AND p.kind <> 'exchange' ORDER BY p.start_date DESC LIMIT 1) FROM posting x " \
	"WHERE x.kind = 'exchange' AND x.start_date >= ?2 AND x.start_date <= ?3"

/* Room for n exchanges (and their keys, when kept). */
static void grow_exchanges(struct gv *G, size_t n)
{
	if (n <= G->xalloc)
		return;
	G->xalloc = n > G->xalloc * 3 / 2 + 16 ? n : G->xalloc * 3 / 2 + 16;
	G->exchanges = xrealloc(G->exchanges, G->xalloc * sizeof(*G->exchanges));
	if (G->xk)
		G->xk = xrealloc(G->xk, G->xalloc * sizeof(*G->xk));
}

/* One exchange row of st (EXCHANGE_SQL) into x, hashed as a unit into h. */
static void exchange_of(struct gv *G, struct eval_fp *fp, struct store_stmt *st,
			struct grp_exchange *x, struct eval_fp_unit *h)
{
	eval_fp_row_unit(fp, "exchange", st, h);
	x->to = school_of(G, store_column_text(st, 1));
	x->from = school_of(G, store_column_text(st, 2));
}

static int load_exchanges(struct gv *G, const char *from, const char *to, struct err *e)
{
	struct store_stmt *st = store_prepare(G->s, EXCHANGE_SQL " ORDER BY x.teacher_code, "
					      "x.start_date", e);
	size_t n = 0;
	int r;

	if (!st)
		return e->code;
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	if (G->patchable)
		G->xk = xmalloc(sizeof(*G->xk));
	while ((r = store_step(st, e)) == 1) {
		const char *tc = store_column_text(st, 0);
		struct eval_fp_unit h;
		grow_exchanges(G, n + 1);
		exchange_of(G, G->fp, st, &G->exchanges[n], &h);
		if (G->xk && n && strcmp(G->xk[n - 1].teacher, tc ? tc : "") > 0) {
			free(G->xk);
			G->xk = NULL;
		}
		if (G->xk) {
			G->xk[n].teacher = arena_strdup(&G->arena, tc ? tc : "");
			G->xk[n].unit = h;
		}
		n++;
	}
	store_finalize(st);
	G->in.nexchanges = n;
	if (r < 0)
		err_prefix(e, "loading exchange");
	return r < 0 ? e->code : 0;
}

/* The school year's first and last day, as EXCHANGE_SQL's ?2 and ?3. */
static void year_days(const struct gv *G, char from[16], char to[16])
{
	snprintf(from, 16, "%04d-09-01", G->year % 10000);
	snprintf(to, 16, "%04d-08-31", (G->year + 1) % 10000);
}

/* Counties: the sorted unique county codes; each school's index into them. Schools are
 * sorted by code afterwards (lookups use strcmp order whatever the store's collation). */
static void resolve_counties(struct gv *G)
{
	size_t n = (size_t)G->in.nschools, nu = 0;
	const char **per = G->county_code, **u = xcalloc(n + 1, sizeof(char *));

	if (n)
		memcpy(u, per, n * sizeof(char *));
	qsort(u, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!nu || strcmp(u[i], u[nu - 1]))
			u[nu++] = u[i];
	for (size_t i = 0; i < n; i++) {
		const char *c = per[i];
		for (size_t lo = 0, hi = nu; lo < hi;) {
			size_t mid = (lo + hi) / 2;
			int k = strcmp(u[mid], c);
			if (!k) {
				G->schools[i].county = (int)mid;
				break;
			}
			if (k < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	free(per);
	G->county_code = u;
	G->in.ncounties = (int)nu;
	qsort(G->schools, n, sizeof(*G->schools), cmp_school);
}

/* The schools, each with its county (the area's county ancestor) and pupils of the year. */
#define SCHOOL_SQL "SELECT s.code, s.name, CASE a.level WHEN 'town' THEN " \
	"coalesce(a.parent_code, a.code) ELSE a.code END, s.urban_rural, s.type, s.ownership, " \
	"(SELECT sum(g.pupils) FROM grade_return g WHERE g.school_code = s.code AND " \
	"g.year = ?1 AND g.grade <= 12) FROM school s JOIN area a ON a.code = s.area_code"

/* The groups, their members and every exam's results: one fingerprint unit
 * (G->block_unit), read again whole after a write of any of them (patch_block). */
static int load_block(struct gv *G, struct err *e)
{
	int rc;

	eval_fp_unit_begin(G->fp);
	rc = each_row(G, "edu_group", "SELECT code, name, lead_school_code, founded_year "
		      "FROM edu_group ORDER BY code", 0, NULL, NULL, on_group, e) < 0 ||
	     each_row(G, "group_member", "SELECT group_code, school_code, joined_year, "
		      "left_year FROM group_member ORDER BY group_code, school_code", 0, NULL, NULL,
		      on_member, e) < 0 ||
	     each_row(G, "exam_result", "SELECT exam, school_code, year, candidates, excellent "
		      "FROM exam_result WHERE year <= ?1 ORDER BY exam, school_code, year",
		      1, NULL, NULL, on_exam, e) < 0;
	eval_fp_unit_end(G->fp, &G->block_unit);
	G->in.groups = G->groups;
	G->in.members = G->members;
	return rc ? e->code : 0;
}

static int load(struct gv *G, struct err *e)
{
	char from[16], to[16];
	int rc;

	year_days(G, from, to);

	if (G->patchable) {
		G->sunit = xmalloc(sizeof(*G->sunit));
		G->salloc = 1;
	}
	G->units = 1;
	rc = each_row(G, "school", SCHOOL_SQL " ORDER BY s.code", 1, NULL, NULL, on_school, e) < 0;
	G->units = 0;
	if (rc)
		return e->code;
	resolve_counties(G);
	if (load_block(G, e) < 0 || load_exchanges(G, from, to, e) < 0 ||
	    eval_city_code(G->s, &G->arena, &G->in.city_code, e) < 0)
		return e->code;
	G->in.schools = G->schools;
	G->in.county_code = G->county_code;
	G->in.exchanges = G->exchanges;
	return 0;
}

int mech_groups_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct gv *G = xcalloc(1, sizeof(*G));
	char tag[32];
	double t0 = eval_clock();
	int rc;

	arena_init(&G->arena, 0);
	arena_init(&G->barena, 0);
	G->s = ec->store;
	G->fp = ec->fp;
	G->year = ec->year;
	G->patchable = ec->patchable && ec->fp;
	snprintf(tag, sizeof(tag), "groups %d", ec->year);
	eval_fp_add(G->fp, tag, strlen(tag) + 1);
	rc = load(G, e);
	G->s = NULL;
	G->fp = NULL;
	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		mech_groups_release(G);
		G = NULL;
	}
	*facts = G;
	return rc;
}

int mech_groups_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			struct err *e)
{
	const struct gv *G = facts;
	struct grp_params p = G->p;
	struct grp_input in = G->in;
	struct grp_school *schools = xmalloc(((size_t)in.nschools + 1) * sizeof(*schools));
	double t0 = eval_clock();
	int rc = outcome_params(G, ec->rules, &p, &in, e);

	if (rc >= 0)
		rc = classify(G, ec->rules, schools, &p, e);
	in.schools = schools;
	if (rc >= 0)
		rc = grp_run(&p, &in, ec->year, out, e);
	free(schools);

	ec->engine_seconds += eval_clock() - t0;
	return rc;
}

void mech_groups_release(void *facts)
{
	struct gv *G = facts;
	if (!G)
		return;
	free(G->schools);
	free(G->county_code);
	free(G->groups);
	free(G->members);
	free(G->exams);
	free(G->exam);
	free(G->exchanges);
	free(G->xk);
	free(G->sunit);
	arena_release(&G->arena);
	arena_release(&G->barena);
	free(G);
}

size_t mech_groups_size(const void *facts)
{
	const struct gv *G = facts;
	return sizeof(*G) + (size_t)G->in.nschools * sizeof(*G->schools) +
	       (size_t)G->in.ngroups * sizeof(*G->groups) +
	       (size_t)G->in.nmembers * sizeof(*G->members) +
	       (size_t)G->in.nexams * sizeof(*G->exams) +
	       G->aexam * sizeof(*G->exam) +
	       G->xalloc * (sizeof(*G->exchanges) + (G->xk ? sizeof(*G->xk) : 0)) +
	       (G->sunit ? G->salloc * sizeof(*G->sunit) : 0) +
	       G->arena.total + G->barena.total;
}

/* A school's row read again (its pupils of the year, name, location class, place in the
 * denominator), in place; 0 (loaded again) for a school new to the facts, gone, or in
 * another county now. */
static int school_again(struct gv *G, struct eval_ctx *ec, const char *code,
			struct eval_fp_units *u, struct err *e)
{
	int i = G->sunit ? school_of(G, code) : -1, r;
	struct store_stmt *st;
	struct eval_fp *fp;
	struct eval_fp_unit h;

	if (i < 0)
		return 0;
	if (!(st = store_prepare(ec->store, SCHOOL_SQL " WHERE s.code = ?2", e)))
		return e->code;
	store_bind_int(st, 1, G->year);
	store_bind_text(st, 2, code);
	fp = eval_fp_new();
	if ((r = store_step(st, e)) == 1 && G->schools[i].county >= 0 &&
	    !strcmp(G->county_code[G->schools[i].county], store_column_text(st, 2))) {
		eval_fp_row_unit(fp, "school", st, &h);
		set_school(G, &G->schools[i], st);
		eval_fp_units_swap(u, &G->sunit[i], &h);
		G->sunit[i] = h;
	} else if (r == 1) {
		r = 0;
	}
	store_finalize(st);
	free(eval_fp_final(fp));
	return r;
}

/* A grade return written (key: school/year/grade): the school's row read again (its pupils
 * of the year). */
static int patch_grade(struct gv *G, struct eval_ctx *ec, const char *key,
		       struct eval_fp_units *u, struct err *e)
{
	int year = 0, grade, r;
	char *code = written_grade_return(key, &year, &grade);

	r = !code ? 0 : year != G->year ? 1 /* a row groups does not read */
					 : school_again(G, ec, code, u, e);
	free(code);
	return r;
}

/* A group, a member or an exam result written: the three read again whole (load_block). */
static int patch_block(struct gv *G, struct eval_ctx *ec, struct eval_fp_units *u,
		       struct err *e)
{
	struct eval_fp_unit was = G->block_unit;
	int rc;

	free(G->groups);
	free(G->members);
	free(G->exams);
	G->groups = NULL;
	G->members = NULL;
	G->exams = NULL;
	G->in.ngroups = G->in.nmembers = 0;
	G->in.nexams = G->nexam = 0;
	arena_release(&G->barena);
	arena_init(&G->barena, 0);
	G->s = ec->store;
	G->fp = eval_fp_new();
	rc = load_block(G, e);
	free(eval_fp_final(G->fp));
	G->s = NULL;
	G->fp = NULL;
	if (rc < 0)
		return rc;
	eval_fp_units_swap(u, &was, &G->block_unit);
	return 1;
}

/* A posting written: its teacher's exchanges of the year read again, in place of theirs;
 * a grade return: patch_grade; a school: school_again; a group, member or exam result:
 * patch_block. */
static int patch_row(void *facts, struct eval_ctx *ec, const char *table, const char *key,
		     struct eval_fp_units *u, struct err *e)
{
	struct gv *G = facts;
	char *code = written_teacher(table, key), from[16], to[16];
	struct grp_exchange *nx = NULL;
	struct eval_fp_unit *nu = NULL, old = { 0, 0 }, now = { 0, 0 };
	struct eval_fp *fp = NULL;
	struct store_stmt *st = NULL;
	size_t lo = 0, hi, n = G->in.nexchanges, nn = 0, alloc = 0, ualloc = 0;
	int r = 0;

	if (!strcmp(table, "grade_return"))
		return patch_grade(G, ec, key, u, e);
	if (!strcmp(table, "school"))
		return school_again(G, ec, key, u, e);
	if (!strcmp(table, "edu_group") || !strcmp(table, "group_member") ||
	    !strcmp(table, "exam_result"))
		return patch_block(G, ec, u, e);
	if (!code || strcmp(table, "posting") || !G->xk)
		goto out;
	for (size_t k = n; lo < k;) { /* the first of the teacher's, or where it would be */
		size_t mid = lo + (k - lo) / 2;
		if (strcmp(G->xk[mid].teacher, code) < 0)
			lo = mid + 1;
		else
			k = mid;
	}
	for (hi = lo; hi < n && !strcmp(G->xk[hi].teacher, code); hi++)
		eval_fp_unit_add(&old, &G->xk[hi].unit, 1);
	year_days(G, from, to);
	if (!(st = store_prepare(ec->store, EXCHANGE_SQL " AND x.teacher_code = ?4 "
				 "ORDER BY x.start_date", e))) {
		r = e->code;
		goto out;
	}
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	store_bind_text(st, 4, code);
	fp = eval_fp_new();
	while ((r = store_step(st, e)) == 1) {
		ALLOC_GROW(nx, nn + 1, alloc);
		ALLOC_GROW(nu, nn + 1, ualloc);
		exchange_of(G, fp, st, &nx[nn], &nu[nn]);
		eval_fp_unit_add(&now, &nu[nn++], 1);
	}
	store_finalize(st);
	if (r < 0)
		goto out;
	/* the teacher's exchanges replaced where they were (or where they sort) */
	grow_exchanges(G, n - (hi - lo) + nn);
	memmove(G->exchanges + lo + nn, G->exchanges + hi, (n - hi) * sizeof(*G->exchanges));
	memmove(G->xk + lo + nn, G->xk + hi, (n - hi) * sizeof(*G->xk));
	for (size_t k = 0; k < nn; k++) {
		G->exchanges[lo + k] = nx[k];
		G->xk[lo + k].teacher = arena_strdup(&G->arena, code);
		G->xk[lo + k].unit = nu[k];
	}
	G->in.nexchanges = n - (hi - lo) + nn;
	G->in.exchanges = G->exchanges;
	eval_fp_units_swap(u, &old, &now);
	r = 1;
out:
	if (fp)
		free(eval_fp_final(fp));
	free(nx);
	free(nu);
	free(code);
	return r;
}

const struct mech_rows mech_groups_rows = { .patch = patch_row };

int mech_groups_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("groups"), ec, out, e);
}
