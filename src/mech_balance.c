/* mech_balance.c: the balance mechanism: loads a school year's facts from the store into the
 * engine's arrays (feeding the data fingerprint), copies the rule parameters into the
 * engine's params struct, and runs eng_balance. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "codeidx.h"
#include "eng_balance.h"
#include "eval.h"
#include "mech_balance.h"
#include "memo.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

struct loader {
	struct store *s;
	struct eval_fp *fp;
	struct arena arena;
	struct bal_school *v;
	size_t n, alloc;
	struct bal_class *cls;
	size_t ncls, acls;
	size_t *cls_start;      /* per school: first section index, for pointers after loading */
	size_t hint;            /* the school found last (patches) */
	struct codeidx idx;     /* school codes, for the postings (in teacher order) */
	/* Making the teachers' part (memo.h): the schools postings name that are not the
	 * year's, their counts kept too (index -2 - k), so that the part holds every
	 * teacher's counts whatever the year's schools. */
	int keep_other;
	struct bal_school *other;
	size_t nother, aother;
	struct codeidx oidx;
	/* With ec->patchable, for patch_row: every teacher in code order, with the
	 * school it counts for (-1: none), its category bits and its fingerprint units (its
	 * row's and its current postings'). */
	struct bal_tch {
		const char *code;
		int school, bits;
		struct eval_fp_unit unit;
	} *tch;
	size_t ntch, atch;
	int patchable, spare_core;
	struct eval_fp_unit acc;  /* the current teacher's postings' units */
	/* per school (patchable), the sum of its rows' units: [0] its grade returns, [1] its
	 * facility, class sections and pupil transfers, [2] its school row */
	struct eval_fp_unit (*sunit)[3];
	size_t again;             /* sections read again by patch_other; patch_school's verdict */
};

static const struct {
	const char *name;
	enum bal_type type;
} types[] = {
	{ "primary", BAL_T_PRIMARY }, { "junior", BAL_T_JUNIOR },
	{ "nine_year", BAL_T_NINE_YEAR }, { "complete_middle", BAL_T_COMPLETE_MIDDLE },
	{ "twelve_year", BAL_T_TWELVE_YEAR }, { "senior", BAL_T_SENIOR },
	{ "vocational", BAL_T_VOCATIONAL }, { "special", BAL_T_SPECIAL },
};

/* Read every parameter from the rule table (rules.h records each one read). */
static int bal_load_params(struct rule_set *rules, struct bal_params *p, struct err *e)
{
	static const char *const st[2] = { "primary", "junior" };
	const char *tb = rules_str(rules, "balance.method", "teacher_base", e);
	double v;
	char key[32];

	memset(p, 0, sizeof(*p));
	if (!tb)
		return e->code;
	p->teacher_full_time = !strcmp(tb, "full_time");
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < BAL_NIND; k++) {
			snprintf(key, sizeof(key), "L%d_%s", k + 1, st[s]);
			if (rules_num(rules, "balance.school_standard", key, &p->standard[s][k], e) < 0)
				return e->code;
		}
#define NUM(rc_, key_, dst_)                                      \
	do {                                                      \
		if (rules_num(rules, rc_, key_, &(dst_), e) < 0) \
			return e->code;                           \
	} while (0)
	NUM("balance.school_rule", "min_met", p->min_met);
	NUM("balance.school_rule", "unmet_floor", p->unmet_floor);
	NUM("balance.cv_max", "primary", p->cv_max[0]);
	NUM("balance.cv_max", "junior", p->cv_max[1]);
	NUM("balance.scope", "teaching_point_min_pupils", p->tp_min_pupils);
	NUM("balance.scope", "exclude_special", v);
	p->exclude_special = v != 0;
	NUM("balance.scope", "exclude_vocational", v);
	p->exclude_vocational = v != 0;
	NUM("balance.combined_split", "nine_year_junior", p->nine_year_junior);
	NUM("balance.combined_split", "complete_middle_senior", p->complete_middle_senior);
	NUM("balance.combined_split", "twelve_year_junior", p->twelve_year_junior);
	NUM("balance.combined_split", "twelve_year_senior", p->twelve_year_senior);
	NUM("balance.class_size", "primary_max", p->class_max[0]);
	NUM("balance.class_size", "junior_max", p->class_max[1]);
	NUM("balance.class_size", "large", p->class_large);
	NUM("balance.class_size", "super_large", p->class_super_large);
	NUM("balance.school_size", "max", p->size_max);
	NUM("balance.school_size", "nine_year_max", p->size_nine_year_max);
	NUM("balance.retention", "min", p->retention_min);
	NUM("balance.basic_2012", "primary", p->basic2012_max[0]);
	NUM("balance.basic_2012", "junior", p->basic2012_max[1]);
#undef NUM
	{
		const char *os = rules_str(rules, "balance.method", "one_school", e);
		const char *mf = os ? rules_str(rules, "balance.method", "missing_facility", e) : NULL;
		if (!mf)
			return e->code;
		p->one_school_pass = !strcmp(os, "pass");
		p->missing_facility_na = !strcmp(mf, "na");
	}
	p->top_pullers = 5;
	return 0;
}

static int cmp_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct bal_school *)elem)->code);
}

/* The school of a row of a query in school order: the one found last or the next, else a
 * binary search. */
static struct bal_school *find_school(struct loader *L, size_t *hint, const char *code)
{
	struct bal_school *s;

	if (!code || !L->n)
		return NULL; /* no schools (a year without returns): L->v is NULL */
	for (size_t k = *hint; k < L->n && k < *hint + 2; k++)
		if (!strcmp(L->v[k].code, code)) {
			*hint = k;
			return &L->v[k];
		}
	s = bsearch(code, L->v, L->n, sizeof(*L->v), cmp_code);
	if (s)
		*hint = (size_t)(s - L->v);
	return s;
}

/* The schools' rows other than their own and their teachers': a few per school (grade
 * returns, grade 7 two years before, pupil transfers, facility) and their class sections
 * (about as costly: 0.13 and 0.16 s on the province). When a core is spare (eval_ctx) and
 * the store can give a second connection the run's snapshot (store_open_reader), they are
 * read on it (s) by a second thread while the loader's thread merges the teachers and
 * postings, or, with the teachers' part taken from an earlier run (no L->sunit then), the
 * sections while the loader's thread reads the others; each writes other fields of the
 * schools. The thread's units go to a fingerprint of their own (fp), added to the
 * loader's after (eval_fp_absorb: a sum of units, in any order). */
enum { ROWS_SCHOOL = 1, ROWS_SECTIONS = 2 };
struct rows_job {
	struct loader *L;
	struct store *s;
	struct eval_fp *fp;
	int year, which, rc;    /* which: ROWS_* */
	size_t hint;            /* the school found last: rows come in school order */
	struct err e;
};

/* Run a per-school query: fn is called with the school (skipped when not loaded). Each row
 * is a fingerprint unit, summed per school in L->sunit[][unit - 1] (unit 1 or 2) when
 * kept. */
typedef void (*row_fn)(struct loader *L, struct bal_school *s, struct store_stmt *st);

static int each_row(struct rows_job *J, const char *label, const char *sql, int unit, row_fn fn)
{
	struct loader *L = J->L;
	struct store_stmt *st = store_prepare(J->s, sql, &J->e);
	int r;

	if (!st)
		return J->e.code;
	store_bind_int(st, 1, J->year);
	while ((r = store_step(st, &J->e)) == 1) {
		struct bal_school *s = find_school(L, &J->hint, store_column_text(st, 0));
		struct eval_fp_unit h;
		eval_fp_row_unit(J->fp, label, st, &h);
		if (s && L->sunit)
			eval_fp_unit_add(&L->sunit[s - L->v][unit - 1], &h, 1);
		if (s)
			fn(L, s, st);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(&J->e, "loading %s", label);
	return r < 0 ? J->e.code : 0;
}

static void on_grade(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	int g = (int)store_column_int(st, 1);
	(void)L;
	if (g < 1 || g > 12)
		return;
	s->classes[g] = (long)store_column_int(st, 2);
	s->pupils[g] = (long)store_column_int(st, 3);
	s->has_returns = 1;
}

static void on_g7(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	(void)L;
	s->g7_before = (long)store_column_int(st, 1);
	s->has_g7_before = 1;
}

static void on_transfer(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	(void)L;
	s->cohort_transfers_in = (long)store_column_int(st, 1);
	s->cohort_transfers_out = (long)store_column_int(st, 2);
	s->has_transfers = 1;
}

static void on_facility(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	(void)L;
	s->has_facility = 1;
	s->teaching_aux_area = store_column_double(st, 1);
	s->indoor_sports_area = store_column_double(st, 2);
	s->sports_ground_area = store_column_double(st, 3);
	s->equipment_value = store_column_double(st, 4);
	s->multimedia_rooms = store_column_double(st, 5);
	s->computers = store_column_double(st, 6);
	s->books = store_column_double(st, 7);
}

static void on_section(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	size_t i = (size_t)(s - L->v);
	if (s->nsections == 0)
		L->cls_start[i] = L->ncls;
	ALLOC_GROW(L->cls, L->ncls + 1, L->acls);
	L->cls[L->ncls].grade = (int)store_column_int(st, 1);
	L->cls[L->ncls].pupils = (int)store_column_int(st, 2);
	L->ncls++;
	s->nsections++;
}

/* A school's grade returns of the year, and its grade 7 two years before (the retention
 * rate's cohort): each row a fingerprint unit, so that a grade-return write patches them. */
#define GRADE_SQL "SELECT school_code, grade, classes, pupils FROM grade_return WHERE year = ?1"
#define G7_SQL "SELECT school_code, pupils FROM grade_return WHERE year = ?1 - 2 AND grade = 7"

/* A school's other rows read for the year (each a fingerprint unit, so that a write of one
 * patches them): its pupils transferred in and out of the cohort (grade 7 two years before,
 * 8 one year before, 9 in the year), its facility, its class sections. W: a condition put
 * before the transfers' own. */
#define TRANSFER_SQL(W) "SELECT school_code, sum(transfers_in), sum(transfers_out) FROM " \
	"pupil_transfer WHERE " W "((year = ?1 - 2 AND grade = 7) OR (year = ?1 - 1 AND " \
	"grade = 8) OR (year = ?1 AND grade = 9)) GROUP BY school_code"
#define FACILITY_SQL "SELECT school_code, teaching_aux_area, indoor_sports_area, " \
	"sports_ground_area, equipment_value, multimedia_rooms, computers, books FROM facility " \
	"WHERE year = ?1"
#define SECTION_SQL "SELECT school_code, grade, pupils FROM class_section WHERE year = ?1"

/* Schools with a grade return in the year, or a grade-7 return two years before (a junior
 * cohort that has since vanished still counts in the retention rate), with their county
 * (the county ancestor at any depth: view area_county; the area itself for the city) and
 * name. The name only labels the evidence, but it is in the fingerprint with the rest of
 * the row: a run's stored evidence shows it. Two EXISTS, each a seek on the key (school,
 * year): one with an OR inside read every return of every school. */
#define SCHOOLS_SQL(W) "SELECT s.code, s.type, s.is_teaching_point, " \
	"coalesce(ac.county_code, s.area_code), s.name FROM school s LEFT JOIN area_county ac " \
	"ON ac.code = s.area_code WHERE " W "(EXISTS (SELECT 1 FROM grade_return g WHERE " \
	"g.school_code = s.code AND g.year = ?1) OR EXISTS (SELECT 1 FROM grade_return g WHERE " \
	"g.school_code = s.code AND g.year = ?1 - 2 AND g.grade = 7))"

/* Teachers: a teacher counts for the school of the posting current at the school year's
 * start; when postings overlap (an exchange on top of an appointment) the latest-started one
 * wins. Both tables are read in key order and merged here, which is several times faster
 * than a join with GROUP BY in SQL at province scale. A teacher's attributes are read as
 * stored and turned into category bits here (IN lists in SQL cost an index probe each per
 * row): 1 associate+, 2 bachelor+, 4 backbone county+, 8 full-time PE/music/art, 16 titled
 * first+, 32 full-time (专任: with balance.method teacher_base full_time only they count).
 * The fingerprint gets each teacher as the row (code, bits), what it depends on, and each
 * current posting, each as a unit (eval.h), so that patch_row can patch them. */
#define TEACHER_SQL "SELECT code, education, backbone_level, subject, title, full_time " \
	"FROM teacher"
static const char teacher_attr_sql[] = TEACHER_SQL " ORDER BY code";
#define POSTING_SQL "SELECT teacher_code, school_code, start_date FROM posting " \
	"WHERE start_date <= ?1 AND (end_date IS NULL OR end_date >= ?1)"

/* A teacher's attributes, each told by its first letter, then compared whole: the name
 * lists compared one by one took several calls of strcmp per teacher. */
static int64_t edu_bits(const char *s) /* 1 associate+, 2 bachelor+ */
{
	switch (s ? *s : 0) {
	case 'a':
		return !strcmp(s, "associate");
	case 'b':
		return strcmp(s, "bachelor") ? 0 : 3;
	case 'm':
		return strcmp(s, "master") ? 0 : 3;
	case 'd':
		return strcmp(s, "doctor") ? 0 : 3;
	}
	return 0;
}

static int is_backbone(const char *s) /* county or above */
{
	switch (s ? *s : 0) {
	case 'c':
		return !strcmp(s, "county") || !strcmp(s, "city");
	case 'p':
		return !strcmp(s, "province");
	case 'n':
		return !strcmp(s, "national");
	}
	return 0;
}

static int is_arts(const char *s) /* PE, music or art */
{
	switch (s ? *s : 0) {
	case 'p':
		return !strcmp(s, "pe");
	case 'm':
		return !strcmp(s, "music");
	case 'a':
		return !strcmp(s, "art");
	}
	return 0;
}

static int is_titled(const char *s) /* first title or above */
{
	switch (s ? *s : 0) {
	case 'f':
		return !strcmp(s, "first") || !strcmp(s, "full_senior");
	case 's':
		return !strcmp(s, "senior");
	}
	return 0;
}

static int64_t teacher_bits(struct store_stmt *tq)
{
	int full = store_column_type(tq, 5) != STORE_NULL && store_column_double(tq, 5) == 1;

	return edu_bits(store_column_text(tq, 1)) + 4 * is_backbone(store_column_text(tq, 2)) +
	       8 * (full && is_arts(store_column_text(tq, 3))) +
	       16 * is_titled(store_column_text(tq, 4)) + 32 * full;
}

/* A teacher counted for its school, as full-time (专任) or part-time: balance.method's
 * teacher_base, which says whether part-time ones count, is applied in compute. */
static void count_teacher(struct bal_school *s, int64_t bits)
{
	struct bal_part_time *pt = &s->part;

	if (!(bits & 32)) {
		pt->teachers += 1;
		pt->associate_plus += (bits & 1) != 0;
		pt->bachelor_plus += (bits & 2) != 0;
		pt->backbone += (bits & 4) != 0;
		pt->first_title_plus += (bits & 16) != 0;
		return;
	}
	s->teachers += 1;
	s->t_associate_plus += (bits & 1) != 0;
	s->t_bachelor_plus += (bits & 2) != 0;
	s->t_backbone += (bits & 4) != 0;
	s->t_pe_art_fulltime += (bits & 8) != 0;
	s->t_first_title_plus += (bits & 16) != 0;
}

/* The fingerprint units of a teacher (code and category bits) and of a current posting. */
static void teacher_unit(struct eval_fp *fp, const char *code, int64_t bits,
			 struct eval_fp_unit *h)
{
	eval_fp_unit_begin(fp);
	eval_fp_label(fp, "teacher");
	eval_fp_text(fp, code);
	eval_fp_int(fp, bits);
	eval_fp_unit_end(fp, h);
}

static void posting_unit(struct eval_fp *fp, struct store_stmt *st, struct eval_fp_unit *h)
{
	eval_fp_unit_begin(fp);
	eval_fp_label(fp, "posting");
	for (int k = 0; k < 3; k++)
		eval_fp_text(fp, store_column_text(st, k));
	eval_fp_unit_end(fp, h);
}

/* The school of index i: one of the year's (i >= 0), another (L->other, i <= -2), or none. */
static struct bal_school *school_at(struct loader *L, int i)
{
	return i >= 0 ? &L->v[i] : i <= -2 ? &L->other[-2 - i] : NULL;
}

/* The index of the school code names: one of the year's, else, when L->keep_other, a school
 * of L->other (added the first time), else -1. */
static int school_of(struct loader *L, const char *code)
{
	int i = codeidx_find(&L->idx, code);

	if (i >= 0 || !code || !L->keep_other)
		return i;
	if ((i = codeidx_find(&L->oidx, code)) >= 0)
		return -2 - i;
	if (L->nother == L->aother) { /* a bigger index, all codes again */
		L->aother = L->aother ? 2 * L->aother : 16;
		L->other = xrealloc(L->other, L->aother * sizeof(*L->other));
		codeidx_release(&L->oidx);
		codeidx_init(&L->oidx, L->aother);
		for (size_t k = 0; k < L->nother; k++)
			codeidx_add(&L->oidx, L->other[k].code, (int)k);
	}
	memset(&L->other[L->nother], 0, sizeof(*L->other));
	L->other[L->nother].code = arena_strdup(&L->arena, code);
	codeidx_add(&L->oidx, L->other[L->nother].code, (int)L->nother);
	return -2 - (int)L->nother++;
}

/* Advance the teacher cursor to code (NULL: past the last); count the teacher for school
 * (school_at) when found, with the units of its postings in L->acc. */
static int teacher_to(struct loader *L, struct store_stmt *tq, int *tr, const char *code,
		      int school, struct err *e)
{
	while (*tr == 1) {
		const char *tc = store_column_text(tq, 0);
		int64_t bits = teacher_bits(tq);
		int c = code ? strcmp(tc ? tc : "", code) : -1;
		struct eval_fp_unit h;
		if (c > 0)
			return 0;
		teacher_unit(L->fp, tc, bits, &h);
		if (c == 0) {
			struct bal_school *at = school_at(L, school);
			if (at)
				count_teacher(at, bits);
			eval_fp_unit_add(&h, &L->acc, 1);
		}
		if (L->tch && L->ntch && strcmp(L->tch[L->ntch - 1].code, tc ? tc : "") > 0) {
			free(L->tch); /* not in strcmp order (a collation): not patched */
			L->tch = NULL;
			L->ntch = L->atch = 0;
		}
		if (L->tch) {
			struct bal_tch *t;
			ALLOC_GROW(L->tch, L->ntch + 1, L->atch);
			t = &L->tch[L->ntch++];
			t->code = arena_strdup(&L->arena, tc ? tc : "");
			t->school = c == 0 ? school : -1;
			t->bits = (int)bits;
			t->unit = h;
		}
		*tr = store_step(tq, e);
		if (c == 0)
			return *tr < 0 ? *tr : 0;
	}
	return *tr < 0 ? *tr : 0;
}

/* The teachers and postings merged: all of them, or with split those whose code sorts
 * before split (upper 0) or not (upper 1), in the store's order. */
static int load_teachers(struct loader *L, const char *date, const char *split, int upper,
			 struct err *e)
{
	static const char *const cmp[2] = { " < ", " >= " };
	struct buf psql = BUF_INIT, tsql = BUF_INIT, cur = BUF_INIT;
	struct store_stmt *pq, *tq = NULL;
	int64_t n = 0;
	int pr, tr = 0, rc = 0, school = -1;

	buf_adds(&psql, POSTING_SQL);
	buf_adds(&tsql, TEACHER_SQL);
	if (split) {
		buf_addf(&psql, " AND teacher_code%s?2", cmp[upper]);
		buf_addf(&tsql, " WHERE code%s?1", cmp[upper]);
	}
	buf_adds(&psql, " ORDER BY teacher_code, start_date");
	buf_adds(&tsql, " ORDER BY code");
	pq = store_prepare(L->s, psql.buf, e);
	if (pq)
		tq = store_prepare(L->s, tsql.buf, e);
	buf_release(&psql);
	buf_release(&tsql);
	if (!tq || (L->patchable && store_row_estimate(L->s, "teacher", &n, e) < 0)) {
		store_finalize(pq);
		store_finalize(tq);
		return e->code;
	}
	if (L->patchable) {
		L->atch = (size_t)n + (size_t)n / 32 + 1;
		L->tch = xmalloc_big(L->atch * sizeof(*L->tch));
	}
	store_bind_text(pq, 1, date);
	if (split) {
		store_bind_text(pq, 2, split);
		store_bind_text(tq, 1, split);
	}
	tr = store_step(tq, e);
	while ((pr = store_step(pq, e)) == 1) {
		const char *tc = store_column_text(pq, 0), *sc = store_column_text(pq, 1);
		struct eval_fp_unit h;
		if (cur.len && strcmp(cur.buf, tc ? tc : "") != 0) {
			if (teacher_to(L, tq, &tr, cur.buf, school, e) < 0) {
				rc = e->code;
				break;
			}
			memset(&L->acc, 0, sizeof(L->acc));
		}
		posting_unit(L->fp, pq, &h);
		eval_fp_unit_add(&L->acc, &h, 1);
		buf_reset(&cur);
		buf_adds(&cur, tc ? tc : "");
		school = school_of(L, sc);
	}
	if (!rc && pr < 0)
		rc = e->code;
	if (!rc && tr >= 0 && cur.len && teacher_to(L, tq, &tr, cur.buf, school, e) < 0)
		rc = e->code;
	if (!rc && tr >= 0 && teacher_to(L, tq, &tr, NULL, -1, e) < 0)
		rc = e->code;
	if (!rc && tr < 0)
		rc = e->code;
	store_finalize(pq);
	store_finalize(tq);
	buf_release(&cur);
	if (rc)
		err_prefix(e, "loading teachers");
	return rc;
}

/* A school's teacher counts, every one count_teacher adds to: count k of s. */
#define NCOUNT 11
static const size_t count_off[NCOUNT] = {
	offsetof(struct bal_school, teachers), offsetof(struct bal_school, t_associate_plus),
	offsetof(struct bal_school, t_bachelor_plus), offsetof(struct bal_school, t_backbone),
	offsetof(struct bal_school, t_pe_art_fulltime),
	offsetof(struct bal_school, t_first_title_plus),
	offsetof(struct bal_school, part.teachers), offsetof(struct bal_school, part.associate_plus),
	offsetof(struct bal_school, part.bachelor_plus), offsetof(struct bal_school, part.backbone),
	offsetof(struct bal_school, part.first_title_plus),
};

static double *tcount(struct bal_school *s, int k)
{
	return (double *)(void *)((char *)s + count_off[k]);
}

/* The teachers' part (memo.h): what load_teachers adds to the fingerprint (its units and
 * rows), then each school's counts (tcount, as doubles) and its code with its NUL, for the
 * year's schools with a teacher and L->other. */
#define TEACHER_PART "balance.teachers"

static void part_add_school(struct buf *b, struct bal_school *s)
{
	if (!s->teachers && !s->part.teachers)
		return;
	for (int k = 0; k < NCOUNT; k++)
		buf_add(b, tcount(s, k), sizeof(double));
	buf_add(b, s->code, strlen(s->code) + 1);
}

static void part_make(struct loader *L, const struct eval_fp_tally *t, struct buf *b)
{
	buf_add(b, t, sizeof(*t));
	for (size_t i = 0; i < L->n; i++)
		part_add_school(b, &L->v[i]);
	for (size_t i = 0; i < L->nother; i++)
		part_add_school(b, &L->other[i]);
}

/* The counts of a part (part_make) added to the year's schools, its units and rows to
 * L->fp: 1, or 0 when it is not one this build made (nothing added). */
static int part_take(struct loader *L, const struct buf *b)
{
	const char *p = b->buf + sizeof(struct eval_fp_tally), *end = b->buf + b->len;
	struct eval_fp_tally t;

	if (b->len < sizeof(t))
		return 0;
	for (const char *q = p, *nul; q < end; q = nul + 1) { /* whole, before any use */
		const char *code = q + NCOUNT * sizeof(double);
		if ((size_t)(end - q) <= NCOUNT * sizeof(double) ||
		    !(nul = memchr(code, '\0', (size_t)(end - code))))
			return 0;
	}
	while (p < end) {
		const char *code = p + NCOUNT * sizeof(double);
		int i = codeidx_find(&L->idx, code);
		struct bal_school one;
		for (int k = 0; i >= 0 && k < NCOUNT; k++)
			memcpy(tcount(&one, k), p + k * sizeof(double), sizeof(double));
		if (i >= 0)
			bal_add_teachers(&L->v[i], &one, 1);
		p = code + strlen(code) + 1;
	}
	memcpy(&t, b->buf, sizeof(t));
	eval_fp_add_tally(L->fp, &t);
	return 1;
}

static int load_rows(struct rows_job *J)
{
	if ((J->which & ROWS_SCHOOL) &&
	    (each_row(J, "grade_return", GRADE_SQL " ORDER BY school_code, grade", 1, on_grade) < 0 ||
	     each_row(J, "grade7_before", G7_SQL " ORDER BY school_code", 1, on_g7) < 0 ||
	     each_row(J, "pupil_transfer", TRANSFER_SQL("") " ORDER BY school_code", 2,
		      on_transfer) < 0 ||
	     each_row(J, "facility", FACILITY_SQL " ORDER BY school_code", 2, on_facility) < 0))
		return J->e.code;
	if ((J->which & ROWS_SECTIONS) &&
	    each_row(J, "class_section", SECTION_SQL " ORDER BY school_code, grade, section", 2,
		     on_section) < 0)
		return J->e.code;
	return 0;
}

static void *rows_main(void *arg)
{
	struct rows_job *J = arg;
	J->rc = load_rows(J);
	return NULL;
}

static enum bal_type type_of(const char *type)
{
	for (size_t i = 0; type && i < ARRAY_SIZE(types); i++)
		if (!strcmp(type, types[i].name))
			return types[i].type;
	return BAL_T_SENIOR;
}

static int load_schools(struct loader *L, int year, struct err *e)
{
	struct store_stmt *st;
	int64_t n = 0;
	size_t salloc = 0;
	int r;

	/* the schools reserved at the table's size (store_row_estimate), an upper bound: growing
	 * the array of these big structs by the row copied it over and over into fresh pages */
	if (store_row_estimate(L->s, "school", &n, e) < 0)
		return e->code;
	L->alloc = (size_t)n + (size_t)n / 32 + 1;
	L->v = xmalloc_big(L->alloc * sizeof(*L->v));
	st = store_prepare(L->s, SCHOOLS_SQL("") " ORDER BY s.code", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, year);
	while ((r = store_step(st, e)) == 1) {
		struct bal_school *s;
		struct eval_fp_unit h;
		eval_fp_row_unit(L->fp, "school", st, &h);
		ALLOC_GROW(L->v, L->n + 1, L->alloc);
		if (L->patchable) {
			ALLOC_GROW(L->sunit, L->n + 1, salloc);
			memset(&L->sunit[L->n], 0, sizeof(*L->sunit));
			L->sunit[L->n][2] = h;
		}
		s = &L->v[L->n++];
		memset(s, 0, sizeof(*s));
		s->code = arena_strdup(&L->arena, store_column_text(st, 0));
		s->county = arena_strdup(&L->arena, store_column_text(st, 3));
		s->name = store_column_text(st, 4) ? arena_strdup(&L->arena, store_column_text(st, 4))
						   : NULL;
		s->teaching_point = store_column_int(st, 2) != 0;
		s->type = type_of(store_column_text(st, 1));
	}
	store_finalize(st);
	if (r < 0)
		return e->code;
	L->cls_start = xcalloc(L->n + 1, sizeof(*L->cls_start));
	if (L->patchable && !L->sunit)
		L->sunit = xcalloc(1, sizeof(*L->sunit)); /* no school: patchable all the same */
	return 0;
}

/* With a core spare, the teachers are merged in two halves at once: the upper one
 * (split_code) on a thread and a connection of its own, into a loader of its own (the
 * year's schools' counts apart, its own other schools and fingerprint), folded into the
 * loader's after (fold_half). Counts add up and units sum in any order, and the other
 * schools come in the order one merge would meet them, so the counts, the fingerprint and
 * the part are one merge's. (The server's patchable facts keep every teacher in order:
 * one merge.) */
struct half_job {
	struct loader L;
	const char *date, *split;
	int rc;
	struct err e;
};

static void *half_main(void *arg)
{
	struct half_job *H = arg;

	H->rc = load_teachers(&H->L, H->date, H->split, 1, &H->e);
	return NULL;
}

/* The code of the teacher half way through the table (new), or NULL (none, or an error:
 * one merge then). */
static char *split_code(struct store *s)
{
	struct err e = ERR_INIT;
	struct store_stmt *st;
	char *code = NULL;
	int64_t n = 0;

	if (store_row_estimate(s, "teacher", &n, &e) < 0 || n < 2 ||
	    !(st = store_prepare(s, "SELECT code FROM teacher ORDER BY code LIMIT 1 OFFSET ?1",
				 &e)))
		return NULL;
	store_bind_int(st, 1, n / 2);
	if (store_step(st, &e) == 1 && store_column_text(st, 0))
		code = xstrdup(store_column_text(st, 0));
	store_finalize(st);
	return code;
}

static void fold_half(struct loader *L, struct half_job *H)
{
	for (size_t i = 0; i < L->n; i++)
		bal_add_teachers(&L->v[i], &H->L.v[i], 1);
	for (size_t k = 0; k < H->L.nother; k++) {
		struct bal_school *at = school_at(L, school_of(L, H->L.other[k].code));
		if (at)
			bal_add_teachers(at, &H->L.other[k], 1);
	}
	eval_fp_absorb(L->fp, H->L.fp);
	H->L.fp = NULL;
}

/* The teachers merged for date: in two halves at once when a core is spare, else whole. */
static int load_all_teachers(struct loader *L, const char *date, struct err *e)
{
	struct half_job H = { .date = date, .e = ERR_INIT };
	pthread_t half;
	char *split = L->spare_core && !L->patchable ? split_code(L->s) : NULL;
	int rc;

	if (split && (H.L.s = store_open_reader(L->s))) {
		H.split = split;
		H.L.fp = L->fp ? eval_fp_new() : NULL;
		H.L.idx = L->idx; /* read only */
		H.L.n = L->n;
		H.L.v = xcalloc(L->n + 1, sizeof(*H.L.v));
		H.L.keep_other = L->keep_other;
		arena_init(&H.L.arena, 0);
		if (pthread_create(&half, NULL, half_main, &H) != 0)
			H.split = NULL;
	}
	rc = load_teachers(L, date, H.split, 0, e);
	if (H.split) {
		pthread_join(half, NULL);
		if (rc == 0 && H.rc < 0) {
			*e = H.e;
			rc = H.rc;
		}
		if (rc == 0)
			fold_half(L, &H);
	}
	if (H.L.s) {
		store_close(H.L.s);
		eval_fp_absorb(NULL, H.L.fp);
		free(H.L.v);
		free(H.L.other);
		codeidx_release(&H.L.oidx);
		arena_release(&H.L.arena);
	}
	free(split);
	return rc;
}

/* The teachers merged (load_all_teachers), and with part (the teachers' part, memo.h) what
 * the merge gives made into it: the units it fed, apart, and every teacher's counts. */
static int merge_teachers(struct loader *L, int year, struct memo_part *part, struct err *e)
{
	struct eval_fp *whole = L->fp;
	struct eval_fp_tally t;
	char date[16];
	int rc;

	snprintf(date, sizeof(date), "%04d-09-01", year);
	if (part) {
		L->keep_other = 1;
		L->fp = eval_fp_new();
	}
	rc = load_all_teachers(L, date, e);
	if (part) {
		eval_fp_tally(L->fp, &t);
		eval_fp_absorb(whole, L->fp);
		L->fp = whole;
		buf_reset(&part->data); /* a part found but not taken */
		if (rc == 0)
			part_make(L, &t, &part->data);
	}
	return rc;
}

/* The schools, then their other rows (struct rows_job) and their teachers, on two threads
 * when a core is spare (eval_ctx) and the store gives a second connection. With *part (the
 * load keeps parts, memo.h), the teachers' counts are the stored part's for its inputs
 * (unless fresh; *part is then freed and NULL: nothing to store), else merged and made
 * into *part. */
static int load(struct loader *L, int year, struct memo_part **part, int fresh, struct err *e)
{
	struct rows_job J = { .L = L, .year = year, .which = ROWS_SCHOOL | ROWS_SECTIONS,
			      .e = ERR_INIT },
			G = { .L = L, .s = L->s, .fp = L->fp, .year = year, .e = ERR_INIT };
	pthread_t rows;
	int rc = 0, threaded = 0, found = 0, taken;

	if (load_schools(L, year, e) < 0)
		return e->code;
	codeidx_init(&L->idx, L->n);
	for (size_t i = 0; i < L->n; i++)
		codeidx_add(&L->idx, L->v[i].code, (int)i);
	if (*part && !fresh && (found = memo_part_find(L->s, *part, e)) < 0) {
		codeidx_release(&L->idx);
		return e->code;
	}
	if ((taken = found && part_take(L, &(*part)->data))) {
		memo_part_free(*part);
		*part = NULL;
		J.which = ROWS_SECTIONS; /* the loader's thread reads the others */
		G.which = ROWS_SCHOOL;
	}
	J.fp = L->fp ? eval_fp_new() : NULL;
	if (L->spare_core && (J.s = store_open_reader(L->s)) &&
	    !(threaded = pthread_create(&rows, NULL, rows_main, &J) == 0))
		store_close(J.s);
	if (!threaded) {
		J.s = L->s;
		J.rc = load_rows(&J);
	}
	if ((threaded || J.rc == 0) && !taken)
		rc = merge_teachers(L, year, *part, e);
	if ((threaded || J.rc == 0) && rc == 0 && (G.rc = load_rows(&G)) < 0) {
		*e = G.e;
		rc = G.rc;
	}
	if (threaded) {
		pthread_join(rows, NULL);
		store_close(J.s);
	}
	eval_fp_absorb(L->fp, J.fp);
	codeidx_release(&L->idx);
	codeidx_release(&L->oidx);
	free(L->other);
	L->other = NULL;
	L->nother = L->aother = 0;
	if (J.rc < 0) {
		*e = J.e;
		return e->code;
	}
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < L->n; i++)
		if (L->v[i].nsections)
			L->v[i].sections = L->cls + L->cls_start[i];
	return 0;
}

/* The facts kept between load and compute: the engine's schools (public part first, see
 * mech_balance.h) and the loader's storage they point into. */
struct loaded {
	struct bal_facts f;
	struct loader L;
	/* The counties whose schools' counts patch_row changed since the last recompute (all
	 * of them past ARRAY_SIZE(dirty)), and the recomputes since results were computed
	 * whole (each leaves its county's old strings in the results' arena). */
	const char *dirty[8];
	int ndirty, all_dirty, recomputed;
};

/* Past this many recomputes the results are computed whole again (bounding the strings
 * left behind). */
#define RECOMPUTE_MAX 64

int mech_balance_load(struct eval_ctx *ec, void **facts, struct err *e)
{
	struct loaded *F = xcalloc(1, sizeof(*F));
	struct loader *L = &F->L;
	struct memo_part *part = NULL;
	char tag[32];
	double t0 = eval_clock();
	int rc, had_part;

	*facts = NULL;
	L->s = ec->store;
	L->fp = ec->fp;
	L->patchable = ec->patchable && ec->fp;
	L->spare_core = ec->spare_core;
	arena_init(&L->arena, 0);
	snprintf(tag, sizeof(tag), "balance %d", ec->year);
	eval_fp_add(L->fp, tag, strlen(tag) + 1);
	if (L->fp && !L->patchable)
		part = memo_part_new(ec->memo, TEACHER_PART, mechanism_find("balance"),
				     "teacher,posting");
	had_part = part != NULL;
	rc = load(L, ec->year, &part, ec->fresh, e);
	if (rc == 0 && part)
		ec->part = part; /* made: stored with the run */
	else
		memo_part_free(part);
	if (rc == 0 && had_part && !part)
		ec->kept = TEACHER_PART;
	L->s = NULL;
	L->fp = NULL;
	F->f.schools = L->v;
	F->f.n = L->n;
	F->f.year = ec->year;
	ec->load_seconds += eval_clock() - t0;
	if (rc < 0) {
		mech_balance_release(F);
		return rc;
	}
	*facts = F;
	return 0;
}

int mech_balance_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			 struct err *e)
{
	const struct bal_facts *f = facts;
	struct bal_params p;
	double t0 = eval_clock();
	int rc;

	if (bal_load_params(ec->rules, &p, e) < 0)
		return e->code;
	rc = bal_run(&p, f->schools, f->n, ec->year, out, e);
	ec->engine_seconds += eval_clock() - t0;
	return rc;
}

void mech_balance_release(void *facts)
{
	struct loaded *F = facts;
	if (!F)
		return;
	free(F->L.cls_start);
	free(F->L.cls);
	free(F->L.tch);
	free(F->L.sunit);
	free(F->L.v);
	arena_release(&F->L.arena);
	free(F);
}

size_t mech_balance_size(const void *facts)
{
	const struct loaded *F = facts;
	return sizeof(*F) + F->L.alloc * sizeof(*F->L.v) + F->L.acls * sizeof(*F->L.cls) +
	       (F->L.n + 1) * (sizeof(*F->L.cls_start) + (F->L.sunit ? sizeof(*F->L.sunit) : 0)) +
	       F->L.atch * sizeof(*F->L.tch) +
	       F->L.arena.total;
}

/* A teacher's category bits, read by code: 1, 0 when there is no such teacher, or <0. */
static int bits_of(struct store *s, const char *code, int *bits, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int r;

	buf_addf(&sql, "SELECT * FROM (%s) t WHERE t.code = ?1", teacher_attr_sql);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	store_bind_text(st, 1, code);
	if ((r = store_step(st, e)) == 1)
		*bits = (int)teacher_bits(st);
	store_finalize(st);
	return r;
}

static int cmp_tch_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct bal_tch *)elem)->code);
}

/* A teacher's counts added to (sign 1) or taken from (-1) its school, if any. */
static void count_at(struct loaded *F, int school, int bits, int sign)
{
	struct bal_school one;

	if (school < 0)
		return;
	memset(&one, 0, sizeof(one));
	count_teacher(&one, bits);
	bal_add_teachers(&F->L.v[school], &one, sign);
}

/* The county of school (an index; -1: none) has counts to compute again. */
static void dirty(struct loaded *F, int school)
{
	const char *c;

	if (school < 0)
		return;
	c = bal_county(&F->L.v[school]);
	for (int i = 0; i < F->ndirty; i++)
		if (!strcmp(F->dirty[i], c))
			return;
	if (F->ndirty == (int)ARRAY_SIZE(F->dirty))
		F->all_dirty = 1;
	else
		F->dirty[F->ndirty++] = c;
}

/* School s's rows of n queries (?1 the year, ?2 the school) read again through fn, each row
 * a unit summed into *total: 1, or <0 an error. */
static int reread(struct loaded *F, struct eval_ctx *ec, struct bal_school *s, int n,
		  const char *const *sql, const char *const *label, const row_fn *fn,
		  struct eval_fp_unit *total, struct err *e)
{
	struct eval_fp *fp = eval_fp_new();
	struct eval_fp_unit h;
	int r = 0;

	*total = (struct eval_fp_unit){ 0, 0 };
	for (int q = 0; q < n && r >= 0; q++) {
		struct store_stmt *st = store_prepare(ec->store, sql[q], e);
		if (!st) {
			r = e->code;
			break;
		}
		store_bind_int(st, 1, F->f.year);
		store_bind_text(st, 2, s->code);
		while ((r = store_step(st, e)) == 1) {
			eval_fp_row_unit(fp, label[q], st, &h);
			eval_fp_unit_add(total, &h, 1);
			fn[q](&F->L, s, st);
		}
		store_finalize(st);
	}
	free(eval_fp_final(fp));
	return r < 0 ? r : 1;
}

/* The rows of school s that unit part k sums (L->sunit) now total: swapped into the
 * fingerprint's units, its county to compute again. */
static int patched(struct loaded *F, struct bal_school *s, int k, const struct eval_fp_unit *total,
		   struct eval_fp_units *u)
{
	struct eval_fp_unit *was = &F->L.sunit[s - F->L.v][k];
	eval_fp_units_swap(u, was, total);
	*was = *total;
	dirty(F, (int)(s - F->L.v));
	return 1;
}

/* A grade return written (key: school/year/grade): the school's returns read again. */
static int patch_grade(struct loaded *F, struct eval_ctx *ec, const char *key,
		       struct eval_fp_units *u, struct err *e)
{
	static const char *const sql[2] = { GRADE_SQL " AND school_code = ?2 ORDER BY grade",
					    G7_SQL " AND school_code = ?2" };
	static const char *const label[2] = { "grade_return", "grade7_before" };
	static const row_fn fn[2] = { on_grade, on_g7 };
	struct loader *L = &F->L;
	struct bal_school *s = NULL;
	struct eval_fp_unit total;
	int r, year = 0, grade = 0;
	char *code = written_grade_return(key, &year, &grade);

	if (code && year != F->f.year && !(year == F->f.year - 2 && grade == 7)) {
		free(code);
		return 1; /* a row balance does not read */
	}
	if (code && L->sunit)
		s = find_school(L, &L->hint, code);
	free(code);
	if (!s)
		return 0; /* a school new to the year's list: loaded again */
	memset(s->pupils, 0, sizeof(s->pupils));
	memset(s->classes, 0, sizeof(s->classes));
	s->has_returns = s->has_g7_before = 0;
	s->g7_before = 0;
	if ((r = reread(F, ec, s, 2, sql, label, fn, &total, e)) < 0)
		return r;
	if (!s->has_returns && !s->has_g7_before)
		return 0; /* no longer in the year's list */
	return patched(F, s, 0, &total, u);
}

/* A class section read again: in place, where s->sections points (L->again counts them). */
static void on_section_again(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	if (L->again++ < s->nsections)
		L->cls[L->cls_start[s - L->v] + L->again - 1] = (struct bal_class){
			(int)store_column_int(st, 1), (int)store_column_int(st, 2) };
}

/* A pupil transfer, facility or class section written (key: school/...): the school's rows
 * of the three read again, its sections in place (as many as before, else loaded again). */
static int patch_other(struct loaded *F, struct eval_ctx *ec, const char *key,
		       struct eval_fp_units *u, struct err *e)
{
	static const char *const sql[3] = {
		TRANSFER_SQL("school_code = ?2 AND "), FACILITY_SQL " AND school_code = ?2",
		SECTION_SQL " AND school_code = ?2 ORDER BY grade, section",
	};
	static const char *const label[3] = { "pupil_transfer", "facility", "class_section" };
	static const row_fn fn[3] = { on_transfer, on_facility, on_section_again };
	struct loader *L = &F->L;
	char *code = xstrndup(key, strcspn(key, "/"));
	struct bal_school *s = L->sunit ? find_school(L, &L->hint, code) : NULL;
	struct eval_fp_unit total;
	int r;

	free(code);
	if (!s)
		return 0; /* a school not in the year's list: loaded again */
	s->has_transfers = s->has_facility = 0;
	s->cohort_transfers_in = s->cohort_transfers_out = 0;
	s->teaching_aux_area = s->indoor_sports_area = s->sports_ground_area = 0;
	s->equipment_value = s->multimedia_rooms = s->computers = s->books = 0;
	L->again = 0;
	if ((r = reread(F, ec, s, 3, sql, label, fn, &total, e)) < 0)
		return r;
	if (L->again != s->nsections)
		return 0; /* other sections: loaded again */
	return patched(F, s, 1, &total, u);
}

/* A school's row read again: its name in place when its type, teaching-point flag and county
 * are as they were (L->again 1, else 2). */
static void on_school_again(struct loader *L, struct bal_school *s, struct store_stmt *st)
{
	const char *name = store_column_text(st, 4);

	L->again = 2;
	if (type_of(store_column_text(st, 1)) != s->type ||
	    (store_column_int(st, 2) != 0) != s->teaching_point ||
	    strcmp(bal_county(s), store_column_text(st, 3)))
		return;
	L->again = 1;
	if (!s->name || !name || strcmp(s->name, name))
		s->name = name ? arena_strdup(&L->arena, name) : NULL;
}

/* A school written (key: its code): its row read again, its name patched in place. A school
 * not in the year's list stays out of it (the list is by grade returns); one whose type,
 * teaching-point flag or county changed, or that is gone, is loaded again. */
static int patch_school(struct loaded *F, struct eval_ctx *ec, const char *key,
			struct eval_fp_units *u, struct err *e)
{
	static const char *const sql[1] = { SCHOOLS_SQL("s.code = ?2 AND ") };
	static const char *const label[1] = { "school" };
	static const row_fn fn[1] = { on_school_again };
	struct bal_school *s = F->L.sunit ? find_school(&F->L, &F->L.hint, key) : NULL;
	struct eval_fp_unit total;
	int r;

	if (!F->L.sunit)
		return 0;
	if (!s)
		return 1;
	F->L.again = 0;
	if ((r = reread(F, ec, s, 1, sql, label, fn, &total, e)) < 0)
		return r;
	return F->L.again == 1 ? patched(F, s, 2, &total, u) : 0;
}

static int patch_row(void *facts, struct eval_ctx *ec, const char *table, const char *key,
		     struct eval_fp_units *u, struct err *e)
{
	struct loaded *F = facts;
	struct loader *L = &F->L;
	char *code = written_teacher(table, key), date[16];
	struct bal_tch *t = code && L->tch ? bsearch(code, L->tch, L->ntch, sizeof(*L->tch),
						     cmp_tch_key) : NULL;
	struct eval_fp *fp = NULL;
	struct eval_fp_unit total, h;
	struct store_stmt *st;
	int r = 0, bits = 0, school = -1;

	if (!strcmp(table, "grade_return") || !strcmp(table, "pupil_transfer") ||
	    !strcmp(table, "facility") || !strcmp(table, "class_section")) {
		free(code);
		return (*table == 'g' ? patch_grade : patch_other)(F, ec, key, u, e);
	}
	if (!strcmp(table, "school")) {
		free(code);
		return patch_school(F, ec, key, u, e);
	}
	if (!t || (r = bits_of(ec->store, code, &bits, e)) <= 0)
		goto out; /* a new teacher (or not one at all), or gone: loaded again; or an error */
	fp = eval_fp_new();
	teacher_unit(fp, code, bits, &total);
	/* its current postings: the latest-started one's school counts, as in load_teachers */
	if (!(st = store_prepare(ec->store, POSTING_SQL " AND teacher_code = ?2 "
				 "ORDER BY start_date", e))) {
		r = e->code;
		goto out;
	}
	snprintf(date, sizeof(date), "%04d-09-01", F->f.year);
	store_bind_text(st, 1, date);
	store_bind_text(st, 2, code);
	while ((r = store_step(st, e)) == 1) {
		struct bal_school *s = find_school(L, &L->hint, store_column_text(st, 1));
		posting_unit(fp, st, &h);
		eval_fp_unit_add(&total, &h, 1);
		school = s ? (int)(s - L->v) : -1;
	}
	store_finalize(st);
	if (r < 0)
		goto out;
	if (t->school != school || t->bits != bits) {
		dirty(F, t->school);
		dirty(F, school);
	}
	count_at(F, t->school, t->bits, -1);
	count_at(F, school, bits, 1);
	t->school = school;
	t->bits = bits;
	eval_fp_units_swap(u, &t->unit, &total);
	t->unit = total;
	r = 1;
out:
	if (fp)
		free(eval_fp_final(fp));
	free(code);
	return r;
}

/* Whether result row r is one of county's (a county row, or a row of one of its schools). */
static int in_county(struct loader *L, const struct result_row *r, const char *county)
{
	const struct bal_school *s;

	if (!strcmp(r->unit_kind, "county"))
		return !strcmp(r->unit_id, county);
	s = find_school(L, &L->hint, r->unit_id);
	return s && !strcmp(bal_county(s), county);
}

/* County's rows of rs computed again. bal_run computes each county from its own schools
 * alone and appends its rows together, in county order: the county's new rows replace its
 * old ones in place when they are as many, with the same keys (a teacher's counts change
 * values, not which rows there are); else 0. */
static int county_again(struct loaded *F, const struct bal_params *p, const char *county,
			struct result_set *rs, struct row_ranges *changed, struct err *e)
{
	struct bal_facts part;
	struct result_set one;
	size_t i = 0;
	int rc;

	bal_county_part(&F->f, &county, 1, &part);
	results_init(&one);
	rc = bal_run(p, part.schools, part.n, part.year, &one, e);
	free(part.schools);
	if (rc < 0 || !one.nr) {
		results_release(&one);
		return rc < 0 ? rc : 0;
	}
	while (i < rs->nr && result_key_cmp(&rs->v[i], &one.v[0]))
		i++;
	rc = i + one.nr <= rs->nr && !(i > 0 && in_county(&F->L, &rs->v[i - 1], county)) &&
	     !(i + one.nr < rs->nr && in_county(&F->L, &rs->v[i + one.nr], county));
	for (size_t k = 1; rc && k < one.nr; k++)
		rc = !result_key_cmp(&rs->v[i + k], &one.v[k]);
	if (rc) {
		memcpy(rs->v + i, one.v, one.nr * sizeof(*one.v));
		arena_adopt(&rs->arena, &one.arena);
		row_ranges_add(changed, i, i + one.nr);
	}
	results_release(&one);
	return rc;
}

static int recompute(void *facts, struct eval_ctx *ec, struct result_set *rs,
		     struct row_ranges *changed, struct err *e)
{
	struct loaded *F = facts;
	struct bal_params p;
	int rc = !F->all_dirty && ++F->recomputed <= RECOMPUTE_MAX;

	if (rc && F->ndirty && bal_load_params(ec->rules, &p, e) < 0)
		rc = e->code;
	for (int i = 0; rc == 1 && i < F->ndirty; i++)
		rc = county_again(F, &p, F->dirty[i], rs, changed, e);
	F->ndirty = F->all_dirty = 0;
	if (rc != 1)
		F->recomputed = 0;
	return rc;
}

const struct mech_rows mech_balance_rows = { .patch = patch_row, .recompute = recompute };

int mech_balance_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	return mech_run_split(mechanism_find("balance"), ec, out, e);
}

void bal_county_part(const struct bal_facts *f, const char *const *county, int n,
		     struct bal_facts *part)
{
	part->schools = xmalloc((f->n + 1) * sizeof(*part->schools));
	part->n = 0;
	part->year = f->year;
	for (size_t i = 0; i < f->n; i++)
		for (int k = 0; k < n; k++)
			if (county[k] && !strcmp(county[k], bal_county(&f->schools[i]))) {
				part->schools[part->n++] = f->schools[i];
				break;
			}
}

void bal_add_teachers(struct bal_school *dst, const struct bal_school *src, int sign)
{
	for (int k = 0; k < NCOUNT; k++)
		*tcount(dst, k) += sign * *(const double *)(const void *)((const char *)src +
									 count_off[k]);
}

enum bal_type bal_type_of(const char *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (type && !strcmp(type, types[i].name))
			return types[i].type;
	return BAL_T_SENIOR;
}

int bal_teacher_move(struct store *s, const char *teacher, struct bal_school *from,
		     struct bal_school *to, struct err *e)
{
	struct bal_school one;
	int bits = 0, r = bits_of(s, teacher, &bits, e);

	if (r == 0)
		return err_set(e, ERR_DATA, "teacher: no teacher '%s'", teacher);
	if (r < 0)
		return r;
	memset(&one, 0, sizeof(one));
	count_teacher(&one, bits);
	if (from)
		bal_add_teachers(from, &one, -1);
	if (to)
		bal_add_teachers(to, &one, 1);
	return 0;
}
