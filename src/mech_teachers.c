/* mech_teachers.c: the teachers mechanism: copies the rule parameters into the engine's
 * params, loads schools (location class, weak flag, county), teachers with their posting
 * histories, the year's title applications and research activities (feeding the data
 * fingerprint), runs eng_teachers, and lists the candidates for `eduhq teachers
 * eligibility`. The only file of the feature with SQL; the SQL is portable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codeidx.h"
#include "mech_teachers.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

static const char *const edu_names[TE_N] = { "secondary", "associate", "bachelor", "master",
					     "doctor" };

int tch_title_index(const struct tch_params *p, const char *name)
{
	for (int t = 0; name && t < p->nladder; t++)
		if (!strcmp(p->ladder[t], name) || !strcmp(tch_title_zh(p, t), name))
			return t;
	return -1;
}

/* The title ladder into p (its strings in a), the rest of p zero. */
static int ladder_params(struct rule_set *rules, struct arena *a, struct tch_params *p,
		       struct err *e)
{
	const char *order;

	memset(p, 0, sizeof(*p));
	if (!(order = rules_str(rules, "teachers.title_ladder", "order", e)))
		return e->code;
	for (const char *q = order; *q && p->nladder < TCH_MAXTITLES;) {
		const char *c = strchr(q, ',');
		size_t len = c ? (size_t)(c - q) : strlen(q);
		p->ladder[p->nladder++] = arena_strndup(a, q, len);
		q += len + (c != NULL);
	}
	return 0;
}

/* What v's location classes, backbone levels and titles count as under rules and p's
 * ladder: each school of v copied into schools with its rural flag (teachers.rural_service
 * rural_classes), each level's flag into backbone (teachers.exchange backbone_levels), each
 * title's ladder index into rank. Read when computing, so that a new version of any keeps
 * the facts; schools may be v->schools itself. */
static int classify(const struct tch_view *v, struct rule_set *rules,
		    const struct tch_params *p, struct tch_school *schools,
		    unsigned char *backbone, int *rank, struct err *e)
{
	const char *rural, *levels;

	if (!(rural = rules_str(rules, "teachers.rural_service", "rural_classes", e)) ||
	    !(levels = rules_str(rules, "teachers.exchange", "backbone_levels", e)))
		return e->code;
	for (int i = 0; i < v->in.nschools; i++) {
		schools[i] = v->schools[i];
		schools[i].rural = rules_list_has(rural, v->schools[i].cls);
	}
	for (size_t k = 0; k < v->nlevels; k++)
		backbone[k] = (unsigned char)rules_list_has(levels, v->levels[k]);
	for (int k = 0; k < v->ntitles; k++)
		rank[k] = tch_title_index(p, v->titles[k]);
	return 0;
}

/* Every parameter the engine computes with, into p (the ladder's strings in a): the title
 * ladder, the rural service and exchange rules' numbers, the title rural service applies
 * to, the years between titles and the activities' target. The facts read no rule: this
 * and classify() read them when computing, so that the server keeps the facts when a rule
 * moves (resident.c: rules_moved). */
static int compute_params(struct rule_set *rules, struct arena *a, struct tch_params *p,
			  struct err *e)
{
	const char *s;
	char key[64];
	double v;

	if (ladder_params(rules, a, p, e) < 0)
		return e->code;

#define NUM(rc_, key_, dst_)                                      \
	do {                                                      \
		if (rules_num(rules, rc_, key_, &(dst_), e) < 0) \
			return e->code;                           \
	} while (0)
	NUM("teachers.rural_service", "days_per_year", p->days_per_year);
	NUM("teachers.rural_service", "count_weak", v);
	p->count_weak = v != 0;
	NUM("teachers.rural_service", "weak_ratio", p->weak_ratio);
	NUM("teachers.rural_service", "national_min_years", p->national_min_years);
	NUM("teachers.rural_service", "city_min_years", p->city_min_years);
	NUM("teachers.exchange", "eligible_years", p->exch_eligible_years);
	NUM("teachers.exchange", "min_share", p->exch_min_share);
	NUM("teachers.exchange", "backbone_share", p->exch_backbone_share);
	NUM("activities.targets", "rural_participation", p->rural_participation);
#undef NUM
	if (!(s = rules_str(rules, "teachers.exchange", "backbone_denominator", e)))
		return e->code;
	if (!strcmp(s, "exchanged"))
		p->backbone_of_eligible = 0;
	else if (!strcmp(s, "eligible_backbone"))
		p->backbone_of_eligible = 1;
	else
		return err_set(e, ERR_DATA, "rule 'teachers.exchange' parameter "
			       "'backbone_denominator' is '%s', not exchanged or eligible_backbone", s);
	if (!(s = rules_str(rules, "teachers.rural_service", "applies_to_title", e)))
		return e->code;
	p->rural_title = tch_title_index(p, s);
	if (p->rural_title < 0)
		return err_set(e, ERR_DATA, "rule 'teachers.rural_service' parameter "
			       "'applies_to_title' is '%s', not a title of teachers.title_ladder", s);
	/* title_years: TO_from_FROM, with _doctor falling back to _master, then the plain key */
	for (int f = 0; f < p->nladder; f++)
		for (int t = 0; t < p->nladder; t++)
			for (int ed = 0; ed < TE_N; ed++) {
				static const int chain[TE_N][3] = {
					{ -1, -1, -1 }, { -1, -1, -1 }, { -1, -1, -1 },
					{ TE_MASTER, -1, -1 }, { TE_DOCTOR, TE_MASTER, -1 },
				};
				double y = NAN;
				int r = 0;
				for (int k = 0; k < 3 && chain[ed][k] >= 0 && r == 0; k++) {
					snprintf(key, sizeof(key), "%s_from_%s_%s", p->ladder[t],
						 p->ladder[f], edu_names[chain[ed][k]]);
					r = rules_num_opt(rules, "teachers.title_years", key, &y, e);
				}
				if (r == 0) {
					snprintf(key, sizeof(key), "%s_from_%s", p->ladder[t],
						 p->ladder[f]);
					r = rules_num_opt(rules, "teachers.title_years", key, &y, e);
				}
				if (r < 0)
					return e->code;
				p->step_years[f][t][ed] = y;
			}
	return tch_params_check(p, e);
}

struct ld {
	struct store *s;
	struct eval_fp *fp;
	struct tch_view *v;
	int names;                   /* TCH_NAMES */
	int units;                   /* TCH_UNITS (and a fingerprint) */
	size_t nteachers, at, ap;
	struct codeidx school_idx;   /* school code -> index into v->schools, once sorted */
};

/* The index of a title's text in v->titles, added when new; -1 for NULL, and for a new
 * text past TCH_MAXTEXTS (the schema allows six). */
static int title_of(struct tch_view *v, const char *s)
{
	for (int k = 0; s && k < v->ntitles; k++)
		if (v->titles[k][0] == *s && !strcmp(v->titles[k], s))
			return k;
	if (!s || v->ntitles == TCH_MAXTEXTS)
		return -1;
	v->titles[v->ntitles] = arena_strdup(&v->arena, s);
	return v->ntitles++;
}

/* The index of a backbone level's text in v->levels, added when new. */
static int level_of(struct tch_view *v, const char *s)
{
	s = s ? s : "";
	for (size_t k = 0; k < v->nlevels; k++)
		if (v->levels[k][0] == *s && !strcmp(v->levels[k], s))
			return (int)k;
	ALLOC_GROW(v->levels, v->nlevels + 1, v->alevels);
	v->levels[v->nlevels] = arena_strdup(&v->arena, s);
	return (int)v->nlevels++;
}

static int cmp_school(const void *a, const void *b)
{
	return strcmp(((const struct tch_school *)a)->code, ((const struct tch_school *)b)->code);
}

static int cmp_school_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tch_school *)elem)->code);
}

static int school_of(const struct tch_view *v, const char *code)
{
	const struct tch_school *s;
	if (!code)
		return -1;
	s = bsearch(code, v->schools, (size_t)v->in.nschools, sizeof(*s), cmp_school_key);
	return s ? (int)(s - v->schools) : -1;
}

static int cmp_teacher(const void *a, const void *b)
{
	return strcmp(((const struct tch_teacher *)a)->code, ((const struct tch_teacher *)b)->code);
}

static int cmp_teacher_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tch_teacher *)elem)->code);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_str_key(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static struct store_stmt *query(struct ld *L, const char *sql, struct err *e)
{
	struct store_stmt *st = store_prepare(L->s, sql, e);
	if (st)
		store_bind_int(st, 1, L->v->year);
	return st;
}

/* The schools' codes (sorted) indexed in L->school_idx. */
static void index_schools(struct ld *L)
{
	codeidx_init(&L->school_idx, (size_t)L->v->in.nschools);
	for (int i = 0; i < L->v->in.nschools; i++)
		codeidx_add(&L->school_idx, L->v->schools[i].code, i);
}

/* A school's row: code, county (the area's county ancestor), location class, weak flag; one
 * fingerprint unit each. Not its name: no result of the engine shows it. */
#define SCHOOL_SQL "SELECT s.code, CASE a.level WHEN 'town' THEN " \
	"coalesce(a.parent_code, a.code) ELSE a.code END, s.urban_rural, s.is_weak FROM school s " \
	"JOIN area a ON a.code = s.area_code"

/* A school's location class and weak flag from its row (SCHOOL_SQL). */
static void set_school(struct tch_view *v, struct tch_school *s, struct store_stmt *st)
{
	const char *cls = store_column_text(st, 2);
	s->cls = cls ? arena_strdup(&v->arena, cls) : NULL;
	s->weak = store_column_int(st, 3) != 0;
}

/* Schools with their county and the counties, sorted. */
static int load_schools(struct ld *L, struct err *e)
{
	struct tch_view *v = L->v;
	struct store_stmt *st = query(L, SCHOOL_SQL " ORDER BY s.code", e);
	const char **county = NULL;
	size_t alloc = 0, calloc_ = 0, nc = 0, ualloc = 0;
	int r, in_order = 1;

	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		struct tch_school *s;
		struct eval_fp_unit h;
		eval_fp_row_unit(L->fp, "school", st, &h);
		if (L->units) {
			ALLOC_GROW(v->sunit, (size_t)v->in.nschools + 1, ualloc);
			v->sunit[v->in.nschools] = h;
		}
		ALLOC_GROW(v->schools, (size_t)v->in.nschools + 1, alloc);
		ALLOC_GROW(county, nc + 1, calloc_);
		s = &v->schools[v->in.nschools++];
		s->code = arena_strdup(&v->arena, store_column_text(st, 0));
		county[nc++] = arena_strdup(&v->arena, store_column_text(st, 1));
		s->county = (int)nc - 1; /* the county's code, resolved below */
		set_school(v, s, st);
		if (v->in.nschools > 1 && strcmp(s[-1].code, s->code) > 0)
			in_order = 0;
	}
	store_finalize(st);
	if (r < 0) {
		free(county);
		return e->code;
	}
	/* county codes: unique, sorted; each school's index into them */
	v->county_code = xcalloc(nc + 1, sizeof(char *));
	{
		const char **sorted = xcalloc(nc + 1, sizeof(char *));
		size_t nu = 0;
		if (nc)
			memcpy(sorted, county, nc * sizeof(char *));
		qsort(sorted, nc, sizeof(char *), cmp_str);
		for (size_t i = 0; i < nc; i++)
			if (!nu || strcmp(sorted[i], v->county_code[nu - 1]))
				v->county_code[nu++] = sorted[i];
		v->in.ncounties = (int)nu;
		for (int i = 0; i < v->in.nschools; i++) {
			const char **c = bsearch(county[v->schools[i].county], v->county_code, nu,
						 sizeof(char *), cmp_str_key);
			v->schools[i].county = c ? (int)(c - v->county_code) : -1;
		}
		free(sorted);
	}
	free(county);
	if (!in_order) { /* a collation's order: sorted by strcmp, the units no longer follow */
		qsort(v->schools, (size_t)v->in.nschools, sizeof(*v->schools), cmp_school);
		free(v->sunit);
		v->sunit = NULL;
	}
	index_schools(L);
	return 0;
}

static int edu_of(const char *s)
{
	for (int i = 0; i < TE_N; i++)
		if (s && *s == *edu_names[i] && !strcmp(s, edu_names[i]))
			return i;
	return TE_SECONDARY;
}

/* An array for every row table has (store_row_estimate, and a little more), of items of
 * size bytes, *alloc of them: reserved at once, as growing it by the row copied it and
 * touched fresh pages over and over. NULL with e set on error. */
static void *reserve(struct ld *L, const char *table, size_t size, size_t *alloc,
		     struct err *e)
{
	int64_t n = 0;

	if (store_row_estimate(L->s, table, &n, e) < 0)
		return NULL;
	*alloc = (size_t)n + (size_t)n / 32 + 1; /* an estimate may be a little short */
	return xmalloc_big(*alloc * size);
}

/* A row of n TEXT columns (read once) as one fingerprint unit, hashed as eval_fp_add_row
 * would hash it. */
static void row_unit(struct eval_fp *fp, const char *label, const char *const *c, int n,
		     struct eval_fp_unit *h)
{
	eval_fp_unit_begin(fp);
	eval_fp_label(fp, label);
	for (int k = 0; k < n; k++)
		eval_fp_text(fp, c[k]);
	eval_fp_unit_end(fp, h);
}

/* A teacher's row; its name and masked ID (N: "name, id_masked") only for the eligibility
 * listing (TCH_NAMES), else "NULL, NULL": no result of the engine shows them, so a change of
 * either is no change of its facts. */
#define TEACHER_SQL(N) "SELECT code, " N ", education, title, title_date, backbone_level " \
	"FROM teacher"
#define NO_NAMES "NULL, NULL"
#define POSTING_SQL "SELECT teacher_code, school_code, start_date, end_date, kind FROM posting"

/* A teacher's attributes from its row's columns (TEACHER_SQL). */
static void set_teacher(struct ld *L, struct tch_teacher *t, const char *const c[7])
{
	t->edu = edu_of(c[3]);
	t->title = title_of(L->v, c[4]);
	t->title_day = tch_day(c[5]);
	t->level = level_of(L->v, c[6]);
}

/* The teachers (and their names) in code order. */
static void sort_teachers(struct tch_view *v, size_t n)
{
	struct named {
		struct tch_teacher t; /* first: cmp_teacher's */
		struct tch_name name;
	} *p;

	if (!v->names) {
		qsort(v->teachers, n, sizeof(*v->teachers), cmp_teacher);
		return;
	}
	p = xmalloc(n * sizeof(*p) + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (struct named){ v->teachers[i], v->names[i] };
	qsort(p, n, sizeof(*p), cmp_teacher);
	for (size_t i = 0; i < n; i++) {
		v->teachers[i] = p[i].t;
		v->names[i] = p[i].name;
	}
	free(p);
}

static int load_teachers(struct ld *L, struct err *e)
{
	struct tch_view *v = L->v;
	struct store_stmt *st;
	size_t alloc, ualloc = 0, nalloc = 0;
	int r, sorted = 1;

	v->teachers = reserve(L, "teacher", sizeof(*v->teachers), &alloc, e);
	if (!v->teachers)
		return e->code;
	if (L->names) { /* room for as many as the teachers */
		nalloc = alloc;
		v->names = xmalloc_big(nalloc * sizeof(*v->names));
	}
	st = query(L, L->names ? TEACHER_SQL("name, id_masked") " ORDER BY code"
			       : TEACHER_SQL(NO_NAMES) " ORDER BY code", e);
	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		struct tch_teacher *t;
		struct eval_fp_unit h;
		const char *c[7];
		for (int k = 0; k < 7; k++)
			c[k] = store_column_text(st, k);
		row_unit(L->fp, "teacher", c, 7, &h);
		ALLOC_GROW(v->teachers, L->nteachers + 1, alloc);
		if (L->units) {
			ALLOC_GROW(v->unit, L->nteachers + 1, ualloc);
			v->unit[L->nteachers] = h;
		}
		t = &v->teachers[L->nteachers++];
		memset(t, 0, sizeof(*t));
		t->code = arena_strdup(&v->arena, c[0] ? c[0] : "");
		if (L->names) {
			ALLOC_GROW(v->names, L->nteachers, nalloc);
			v->names[L->nteachers - 1] = (struct tch_name){
				arena_strdup(&v->arena, c[1] ? c[1] : ""),
				arena_strdup(&v->arena, c[2] ? c[2] : "") };
		}
		set_teacher(L, t, c);
		if (L->nteachers > 1 && sorted && strcmp(t[-1].code, t->code) > 0)
			sorted = 0;
	}
	store_finalize(st);
	if (r < 0)
		return e->code;
	/* the store's collation may order codes differently: lookups need strcmp order (and
	 * the units, in the store's order, can no longer be patched) */
	if (!sorted) {
		sort_teachers(v, L->nteachers);
		free(v->unit);
		v->unit = NULL;
	}
	v->in.nteachers = L->nteachers;
	return 0;
}

/* The teacher with this code. The per-teacher queries come in code order, so it is at or
 * after *hint, the one found last: galloping from there finds it in a few compares where a
 * binary search of all the teachers takes twenty. */
static struct tch_teacher *teacher_of(struct ld *L, const char *code, size_t *hint)
{
	struct tch_teacher *t = L->v->teachers;
	size_t n = L->nteachers, lo = 0, hi = n, step = 1;
	int c;

	if (!code)
		return NULL;
	if (*hint < n && (c = strcmp(code, t[*hint].code)) >= 0) {
		if (c == 0)
			return &t[*hint];
		/* every teacher before lo sorts before code */
		for (lo = *hint + 1; lo + step < n && strcmp(code, t[lo + step].code) > 0; step *= 2)
			lo += step + 1;
		hi = lo + step < n ? lo + step + 1 : n;
	}
	t = lo < hi ? bsearch(code, t + lo, hi - lo, sizeof(*t), cmp_teacher_key) : NULL;
	if (t)
		*hint = (size_t)(t - L->v->teachers);
	return t;
}

/* A posting's kind: appointment, exchange or support; anything else an appointment. */
static int kind_of(const char *s)
{
	switch (s ? *s : 0) {
	case 'e':
		return !strcmp(s, "exchange") ? TK_EXCHANGE : TK_APPOINTMENT;
	case 's':
		return !strcmp(s, "support") ? TK_SUPPORT : TK_APPOINTMENT;
	default:
		return TK_APPOINTMENT;
	}
}

/* A posting at school sc (an index) from its row's columns (POSTING_SQL). */
static void set_posting(struct tch_posting *p, int sc, const char *const c[5])
{
	p->school = sc;
	p->start = tch_day(c[2]);
	p->end = c[3] ? tch_day(c[3]) : TCH_OPEN;
	p->kind = kind_of(c[4]);
}

/* Grow the postings to room for n, moving the teachers' pointers into them along: the
 * array is reserved at the table's size, so this runs only when rows were added since. */
static void grow_postings(struct ld *L, size_t n, size_t *alloc)
{
	struct tch_view *v = L->v;
	struct tch_posting *old = v->postings;
	size_t a = n > *alloc * 3 / 2 + 16 ? n : *alloc * 3 / 2 + 16;

	v->postings = xmalloc(a * sizeof(*v->postings));
	memcpy(v->postings, old, v->npostings * sizeof(*old));
	for (size_t i = 0; i < L->nteachers; i++)
		if (v->teachers[i].npostings)
			v->teachers[i].postings = v->postings + (v->teachers[i].postings - old);
	free(old);
	*alloc = a;
}

/* Postings in (teacher, start) order: each teacher's run is contiguous. */
static int load_postings(struct ld *L, struct err *e)
{
	struct tch_view *v = L->v;
	struct store_stmt *st;
	struct tch_teacher *cur = NULL;
	size_t alloc, hint = 0;
	int r;

	v->postings = reserve(L, "posting", sizeof(*v->postings), &alloc, e);
	if (!v->postings)
		return e->code;
	st = query(L, POSTING_SQL " ORDER BY teacher_code, start_date", e);
	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		const char *c[5], *tc;
		struct eval_fp_unit h;
		int sc;
		for (int k = 0; k < 5; k++)
			c[k] = store_column_text(st, k);
		row_unit(L->fp, "posting", c, 5, &h);
		tc = c[0];
		sc = codeidx_find(&L->school_idx, c[1]);
		if (!cur || strcmp(cur->code, tc ? tc : "")) {
			cur = teacher_of(L, tc, &hint);
			if (cur && cur->npostings) {
				/* not contiguous (a collation that splits codes): keep the first run */
				cur = NULL;
				free(v->unit);
				v->unit = NULL;
			}
			hint++;
		}
		if (cur && v->unit)
			eval_fp_unit_add(&v->unit[cur - v->teachers], &h, 1);
		if (!cur || sc < 0)
			continue;
		if (v->npostings == alloc)
			grow_postings(L, v->npostings + 1, &alloc);
		set_posting(&v->postings[v->npostings++], sc, c);
		if (!cur->npostings++)
			cur->postings = &v->postings[v->npostings - 1];
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

/* Run a per-teacher query (column 0 the teacher code); fn gets each row's teacher. With
 * units, each row is a fingerprint unit of its own, summed into its teacher's (a patch of
 * the teacher reads them again); else it goes into the stream. */
typedef void (*teacher_fn)(struct ld *L, struct tch_teacher *t, struct store_stmt *st);

static int each_teacher_row(struct ld *L, const char *label, const char *sql, int units,
			    teacher_fn fn, struct err *e)
{
	struct store_stmt *st = query(L, sql, e);
	size_t hint = 0;
	int r;

	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		struct tch_teacher *t = teacher_of(L, store_column_text(st, 0), &hint);
		struct eval_fp_unit h;
		if (units)
			eval_fp_row_unit(L->fp, label, st, &h);
		else
			eval_fp_add_row(L->fp, label, st);
		if (units && t && L->v->unit)
			eval_fp_unit_add(&L->v->unit[t - L->v->teachers], &h, 1);
		if (t)
			fn(L, t, st);
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

/* two applications in one year: the higher title is evaluated (tch_applied_of) */
static void on_application(struct ld *L, struct tch_teacher *t, struct store_stmt *st)
{
	int title = title_of(L->v, store_column_text(st, 1));
	if (title >= 0)
		t->applied |= 1u << title;
}

static void on_participant(struct ld *L, struct tch_teacher *t, struct store_stmt *st)
{
	(void)st;
	if (!t->participated) {
		t->participated = 1;
		L->v->in.named_participants++;
	}
}

static int load_activities(struct ld *L, struct err *e)
{
	static const char *const kinds[] = { "send_teaching", "online_research", "research" };
	struct tch_view *v = L->v;
	struct store_stmt *st = query(L, "SELECT a.code, a.kind, a.teacher_participations, "
				      "a.rural_teacher_participations, x.school_code FROM activity a "
				      "LEFT JOIN activity_school x ON x.activity_code = a.code "
				      "WHERE a.year = ?1 ORDER BY a.code, x.school_code", e);
	size_t alloc = 0, salloc = 0, nsch = 0, *first = NULL, falloc = 0;
	struct tch_activity *a = NULL;
	int r;

	if (!st)
		return e->code;
	while ((r = store_step(st, e)) == 1) {
		const char *code = store_column_text(st, 0), *kind = store_column_text(st, 1);
		eval_fp_add_row(L->fp, "activity", st);
		if (!a || strcmp(a->code, code)) {
			ALLOC_GROW(v->activities, (size_t)v->in.nactivities + 1, alloc);
			ALLOC_GROW(first, (size_t)v->in.nactivities + 1, falloc);
			first[v->in.nactivities] = nsch;
			a = &v->activities[v->in.nactivities++];
			memset(a, 0, sizeof(*a));
			a->code = arena_strdup(&v->act_arena, code);
			a->kind = 3;
			for (int k = 0; k < 3; k++)
				if (kind && !strcmp(kind, kinds[k]))
					a->kind = k;
			a->participations = store_column_double(st, 2);
			a->rural_participations = store_column_double(st, 3);
		}
		if (store_column_type(st, 4) != STORE_NULL) {
			ALLOC_GROW(v->activity_schools, nsch + 1, salloc);
			v->activity_schools[nsch++] = codeidx_find(&L->school_idx,
								   store_column_text(st, 4));
			a->nschools++;
		}
	}
	store_finalize(st);
	for (int i = 0; r >= 0 && i < v->in.nactivities; i++)
		v->activities[i].schools = v->activity_schools ? v->activity_schools + first[i] : NULL;
	v->in.activities = v->activities;
	free(first);
	return r < 0 ? e->code : 0;
}

#define APPLICATION_SQL "SELECT teacher_code, title FROM title_application WHERE year = ?1"

/* The year's activities, the schools they covered and the teachers named in its research
 * activities: one fingerprint unit (v->act_unit), read again whole after a write of any
 * of them (a few thousand rows: activities_again). */
static int load_activity_block(struct ld *L, struct err *e)
{
	int rc;

	eval_fp_unit_begin(L->fp);
	rc = load_activities(L, e);
	if (rc >= 0)
		rc = each_teacher_row(L, "activity_teacher", "SELECT DISTINCT x.teacher_code "
				      "FROM activity_teacher x JOIN activity a ON a.code = "
				      "x.activity_code WHERE a.year = ?1 AND a.kind IN "
				      "('send_teaching', 'online_research', 'research') "
				      "ORDER BY x.teacher_code", 0, on_participant, e);
	eval_fp_unit_end(L->fp, &L->v->act_unit);
	return rc;
}

int tch_view_load(struct store *s, struct rule_set *rules, int year, unsigned flags,
		  struct eval_fp *fp, struct tch_view *v, struct err *e)
{
	struct ld L;
	char tag[32];

	memset(v, 0, sizeof(*v));
	arena_init(&v->arena, 0);
	arena_init(&v->act_arena, 0);
	v->year = year;
	memset(&L, 0, sizeof(L));
	L.s = s;
	L.fp = fp;
	L.v = v;
	L.names = (flags & TCH_NAMES) != 0;
	L.units = (flags & TCH_UNITS) && fp;
	snprintf(tag, sizeof(tag), "teachers %d", year);
	eval_fp_add(fp, tag, strlen(tag) + 1);
	if (((flags & TCH_ALL_PARAMS) && compute_params(rules, &v->arena, &v->params, e) < 0) ||
	    load_schools(&L, e) < 0 || load_teachers(&L, e) < 0 || load_postings(&L, e) < 0 ||
	    each_teacher_row(&L, "title_application", APPLICATION_SQL " ORDER BY teacher_code, "
			     "title", 1, on_application, e) < 0 ||
	    load_activity_block(&L, e) < 0 ||
	    eval_city_code(s, &v->arena, &v->in.city_code, e) < 0)
		goto fail;
	v->in.schools = v->schools;
	v->in.county_code = v->county_code;
	v->in.teachers = v->teachers;
	if (flags & TCH_ALL_PARAMS) {
		v->backbone = xcalloc(v->nlevels + 1, 1);
		v->in.backbone = v->backbone;
		v->in.rank = v->rank;
		if (classify(v, rules, &v->params, v->schools, v->backbone, v->rank, e) < 0)
			goto fail;
	}
	codeidx_release(&L.school_idx);
	return 0;
fail:
	codeidx_release(&L.school_idx);
	tch_view_release(v);
	return e->code;
}

void tch_view_release(struct tch_view *v)
{
	free(v->schools);
	free(v->county_code);
	free(v->teachers);
	free(v->names);
	free(v->postings);
	free(v->activities);
	free(v->activity_schools);
	free(v->unit);
	free(v->sunit);
	free(v->levels);
	free(v->backbone);
	arena_release(&v->arena);
	arena_release(&v->act_arena);
	memset(v, 0, sizeof(*v));
}

int mech_teachers_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct tch_view *v = xmalloc(sizeof(*v));
	double t0 = eval_clock();
	int rc = tch_view_load(ec->store, ec->rules, ec->year, ec->patchable ? TCH_UNITS : 0,
			       ec->fp, v, e);

	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		free(v);
		v = NULL;
	}
	*facts = v;
	return rc;
}

int mech_teachers_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			  struct err *e)
{
	const struct tch_view *v = facts;
	struct tch_params p;
	struct tch_input in = v->in;
	struct tch_school *schools = xmalloc(((size_t)in.nschools + 1) * sizeof(*schools));
	unsigned char *backbone = xmalloc(v->nlevels + 1);
	int rank[TCH_MAXTEXTS];
	struct arena a;
	double t0 = eval_clock();
	int rc;

	arena_init(&a, 0);
	rc = compute_params(ec->rules, &a, &p, e);
	if (rc >= 0)
		rc = classify(v, ec->rules, &p, schools, backbone, rank, e);
	in.schools = schools;
	in.backbone = backbone;
	in.rank = rank;
	if (rc >= 0)
		rc = tch_run(&p, &in, ec->year, out, e);
	free(schools);
	free(backbone);
	arena_release(&a);
	ec->engine_seconds += eval_clock() - t0;
	return rc;
}

void mech_teachers_release(void *facts)
{
	if (facts)
		tch_view_release(facts);
	free(facts);
}

size_t mech_teachers_size(const void *facts)
{
	const struct tch_view *v = facts;
	return sizeof(*v) + (size_t)v->in.nschools * (sizeof(*v->schools) + sizeof(char *)) +
	       v->in.nteachers * sizeof(*v->teachers) + v->npostings * sizeof(*v->postings) +
	       (v->names ? v->in.nteachers * sizeof(*v->names) : 0) +
	       (size_t)v->in.nactivities * sizeof(*v->activities) + v->arena.total +
	       v->act_arena.total +
	       v->alevels * sizeof(*v->levels) +
	       (v->unit ? v->in.nteachers * sizeof(*v->unit) : 0) +
	       (v->sunit ? (size_t)v->in.nschools * sizeof(*v->sunit) : 0);
}

int mech_teachers_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("teachers"), ec, out, e);
}

/* After a write of an activity, a school it covered or a teacher named in it: the year's
 * activities read again whole (load_activity_block), their unit swapped. */
static int activities_again(struct tch_view *v, struct eval_ctx *ec, struct eval_fp_units *u,
			    struct err *e)
{
	struct eval_fp_unit was = v->act_unit;
	struct ld L;
	int rc;

	memset(&L, 0, sizeof(L));
	L.s = ec->store;
	L.v = v;
	L.nteachers = v->in.nteachers;
	L.fp = eval_fp_new();
	for (size_t i = 0; i < L.nteachers; i++)
		v->teachers[i].participated = 0;
	v->in.named_participants = 0;
	free(v->activities);
	free(v->activity_schools);
	v->activities = NULL;
	v->activity_schools = NULL;
	v->in.nactivities = 0;
	arena_release(&v->act_arena);
	arena_init(&v->act_arena, 0);
	index_schools(&L);
	rc = load_activity_block(&L, e);
	codeidx_release(&L.school_idx);
	free(eval_fp_final(L.fp));
	if (rc < 0)
		return rc;
	eval_fp_units_swap(u, &was, &v->act_unit);
	return 1;
}

/* A write of a school: its location class and weak flag read again, in place, its unit
 * swapped; 0 (loaded again) for a new school, one gone or one in another county now (the
 * counties are those of the schools). */
static int school_again(struct tch_view *v, struct eval_ctx *ec, const char *code,
			struct eval_fp_units *u, struct err *e)
{
	int i = v->sunit ? school_of(v, code) : -1, r;
	struct tch_school *s = i >= 0 ? &v->schools[i] : NULL;
	struct store_stmt *st;

	if (!s)
		return 0;
	if (!(st = store_prepare(ec->store, SCHOOL_SQL " WHERE s.code = ?1", e)))
		return e->code;
	store_bind_text(st, 1, code);
	if ((r = store_step(st, e)) == 1 && s->county >= 0 && s->county < v->in.ncounties &&
	    !strcmp(v->county_code[s->county], store_column_text(st, 1))) {
		struct eval_fp *fp = eval_fp_new();
		struct eval_fp_unit h;
		eval_fp_row_unit(fp, "school", st, &h);
		free(eval_fp_final(fp));
		set_school(v, s, st);
		eval_fp_units_swap(u, &v->sunit[i], &h);
		v->sunit[i] = h;
	} else if (r == 1) {
		r = 0;
	}
	store_finalize(st);
	return r;
}

/* A write of a teacher, a posting or a title application: the teacher's row, postings and
 * applications read again, in place (a new teacher is loaded again). */
static int teacher_again(struct tch_view *v, struct eval_ctx *ec, const char *table,
			 const char *key, struct eval_fp_units *u, struct err *e)
{
	char *code = written_teacher(table, key);
	long i = code && v->unit ? tch_view_teacher(v, code) : -1;
	struct eval_fp *fp = NULL;
	struct eval_fp_unit total, h;
	struct store_stmt *st = NULL;
	struct tch_posting *p = NULL;
	struct ld L;
	size_t n = 0, alloc = 0;
	int r = 0;

	if (i < 0)
		goto out; /* a new teacher (or not one at all): loaded again */
	memset(&L, 0, sizeof(L));
	L.v = v;
	fp = eval_fp_new();
	if (!(st = store_prepare(ec->store, TEACHER_SQL(NO_NAMES) " WHERE code = ?1", e))) {
		r = e->code;
		goto out;
	}
	store_bind_text(st, 1, code);
	if ((r = store_step(st, e)) == 1) {
		const char *c[7];
		for (int k = 0; k < 7; k++)
			c[k] = store_column_text(st, k);
		row_unit(fp, "teacher", c, 7, &total);
		set_teacher(&L, &v->teachers[i], c);
	}
	store_finalize(st);
	if (r <= 0) /* gone (loaded again), or an error */
		goto out;
	if (!(st = store_prepare(ec->store, POSTING_SQL " WHERE teacher_code = ?1 "
				 "ORDER BY start_date", e))) {
		r = e->code;
		goto out;
	}
	store_bind_text(st, 1, code);
	while ((r = store_step(st, e)) == 1) {
		const char *c[5];
		int sc;
		for (int k = 0; k < 5; k++)
			c[k] = store_column_text(st, k);
		row_unit(fp, "posting", c, 5, &h);
		eval_fp_unit_add(&total, &h, 1);
		if ((sc = school_of(v, c[1])) >= 0) {
			ALLOC_GROW(p, n + 1, alloc);
			set_posting(&p[n++], sc, c);
		}
	}
	store_finalize(st);
	if (r < 0 || !(st = store_prepare(ec->store, APPLICATION_SQL " AND teacher_code = ?2", e))) {
		r = r < 0 ? r : e->code;
		goto out;
	}
	store_bind_int(st, 1, v->year);
	store_bind_text(st, 2, code);
	v->teachers[i].applied = 0;
	while ((r = store_step(st, e)) == 1) {
		eval_fp_row_unit(fp, "title_application", st, &h);
		eval_fp_unit_add(&total, &h, 1);
		on_application(&L, &v->teachers[i], st);
	}
	store_finalize(st);
	if (r < 0)
		goto out;
	/* the new postings in the arena: the old ones may be shared with the array */
	v->teachers[i].postings = n ? memcpy(arena_alloc(&v->arena, n * sizeof(*p)), p,
					     n * sizeof(*p)) : NULL;
	v->teachers[i].npostings = (int)n;
	eval_fp_units_swap(u, &v->unit[i], &total);
	v->unit[i] = total;
	r = 1;
out:
	if (fp)
		free(eval_fp_final(fp));
	free(p);
	free(code);
	return r;
}

static int patch_row(void *facts, struct eval_ctx *ec, const char *table, const char *key,
		     struct eval_fp_units *u, struct err *e)
{
	if (!strncmp(table, "activity", 8))
		return activities_again(facts, ec, u, e);
	if (!strcmp(table, "school"))
		return school_again(facts, ec, key, u, e);
	return teacher_again(facts, ec, table, key, u, e);
}

const struct mech_rows mech_teachers_rows = { .patch = patch_row };

void tch_candidates(const struct tch_view *v, const struct tch_filter *f,
		    struct tch_candidate **out, size_t *n)
{
	size_t alloc = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < v->in.nteachers; i++) {
		const struct tch_teacher *t = &v->teachers[i];
		struct tch_elig o;
		if (!f->all && tch_applied_of(&v->in, t) < 0)
			continue;
		tch_eligibility(&v->params, &v->in, t, f->asof, &o);
		if (o.target < 0 || (f->title >= 0 && o.target != f->title))
			continue;
		if (f->school && (o.home < 0 || strcmp(v->schools[o.home].code, f->school)))
			continue;
		if (f->status != TS_NONE && o.status != (enum tch_status)f->status)
			continue;
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[*n] = (struct tch_candidate){ t, v->names ? v->names[i].name : "",
						     v->names ? v->names[i].id_masked : "", o };
		++*n;
	}
}

int tch_view_has_school(const struct tch_view *v, const char *code)
{
	return school_of(v, code) >= 0;
}

int tch_view_school(const struct tch_view *v, const char *code)
{
	return school_of(v, code);
}

long tch_view_teacher(const struct tch_view *v, const char *code)
{
	const struct tch_teacher *t = code && v->in.nteachers ?
		bsearch(code, v->teachers, v->in.nteachers, sizeof(*t), cmp_teacher_key) : NULL;
	return t ? (long)(t - v->teachers) : -1;
}

int tch_default_year(struct store *s, int *year, struct err *e)
{
	int64_t y = 0;

	if (store_query_int(s, "SELECT coalesce(max(year), 0) FROM title_application", &y, e) < 0)
		return e->code;
	if (!y && store_query_int(s, "SELECT coalesce(max(year), 0) FROM grade_return", &y, e) < 0)
		return e->code;
	*year = (int)y;
	return 0;
}
