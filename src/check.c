/* check.c: the data-quality checks of `eduhq check`: a loader reading the registry into
 * arrays, and pure check functions over those arrays (see check.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "rules.h"
#include "scope.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- report ---- */

void check_report_init(struct check_report *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena, 0);
}

void check_report_release(struct check_report *r)
{
	free(r->v);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

const char *check_severity_name(enum check_severity s)
{
	return s == CHECK_ERROR ? "error" : "warning";
}

__attribute__((format(printf, 6, 7)))
static void add(struct check_report *r, enum check_severity sev, const char *check,
		const char *table, const char *key, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	struct check_finding *f;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	f = &r->v[r->nr++];
	f->severity = sev;
	f->check = check;
	f->table = table;
	{
		/* a teacher code may be an ID number: see err.h */
		char *k = arena_strdup(&r->arena, key), *m = arena_strdup(&r->arena, b.buf);
		err_mask_ids(k);
		err_mask_ids(m);
		f->key = k;
		f->message = m;
	}
	if (sev == CHECK_ERROR)
		r->errors++;
	else
		r->warnings++;
	buf_release(&b);
}

static void *copy(const void *src, size_t n, size_t size)
{
	void *p = xmalloc(n ? n * size : 1);
	if (n)
		memcpy(p, src, n * size);
	return p;
}

/* qsort, but never with a NULL base (undefined even for 0 items). */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

/* ---- duplicate persons: one id_hash under two or more teacher codes ---- */

static int cmp_teacher(const void *a, const void *b)
{
	const struct chk_teacher *x = a, *y = b;
	int c = strcmp(x->id_hash, y->id_hash);
	return c ? c : strcmp(x->code, y->code);
}

static int cmp_finding_key(const void *a, const void *b)
{
	return strcmp(((const struct check_finding *)a)->key,
		      ((const struct check_finding *)b)->key);
}

void check_duplicate_persons(const struct chk_teacher *t, size_t n, struct check_report *r)
{
	struct chk_teacher *v = copy(t, n, sizeof(*t));
	size_t first = r->nr;
	struct buf key = BUF_INIT;

	sort(v, n, sizeof(*v), cmp_teacher);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(v[j].id_hash, v[i].id_hash); j++)
			;
		if (j - i < 2)
			continue;
		buf_reset(&key);
		for (size_t k = i; k < j; k++)
			buf_addf(&key, "%s%s", k > i ? "," : "", v[k].code);
		add(r, CHECK_ERROR, "duplicate_person", "teacher", key.buf,
		    "one person (ID %s) registered under %zu teacher codes", v[i].id_masked, j - i);
	}
	sort(r->v + first, r->nr - first, sizeof(*r->v), cmp_finding_key);
	buf_release(&key);
	free(v);
}

/* ---- overlapping postings of one teacher ---- */

static int cmp_posting(const void *a, const void *b)
{
	const struct chk_posting *x = a, *y = b;
	int c = strcmp(x->teacher_code, y->teacher_code);
	return c ? c : strcmp(x->start_date, y->start_date);
}

/* Postings are half-open [start, end): a posting ending on the day the next starts does
 * not overlap it. An open end (NULL) is the present. */
void check_posting_overlaps(const struct chk_posting *p, size_t n, struct check_report *r)
{
	struct chk_posting *v = copy(p, n, sizeof(*p));
	struct buf key = BUF_INIT;

	sort(v, n, sizeof(*v), cmp_posting);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && !strcmp(v[j].teacher_code, v[i].teacher_code); j++) {
			if (v[i].end_date && strcmp(v[j].start_date, v[i].end_date) >= 0)
				break;
			buf_reset(&key);
			buf_addf(&key, "%s/%s,%s/%s", v[i].teacher_code, v[i].start_date,
				 v[j].teacher_code, v[j].start_date);
			add(r, CHECK_ERROR, "posting_overlap", "posting", key.buf,
			    "teacher %s posted at %s from %s to %s and at %s from %s to %s",
			    v[i].teacher_code, v[i].school_code, v[i].start_date,
			    v[i].end_date ? v[i].end_date : "now", v[j].school_code, v[j].start_date,
			    v[j].end_date ? v[j].end_date : "now");
		}
	}
	buf_release(&key);
	free(v);
}

/* ---- grade returns ---- */

/* Order by school code, then year, then grade. */
static int cmp_school_year_grade(const char *sa, int ya, int ga, const char *sb, int yb,
				 int gb)
{
	int c = strcmp(sa, sb);
	if (c)
		return c;
	c = cmp_int(ya, yb);
	return c ? c : cmp_int(ga, gb);
}

static int cmp_return(const void *a, const void *b)
{
	const struct chk_return *x = a, *y = b;
	return cmp_school_year_grade(x->school_code, x->year, x->grade, y->school_code, y->year,
				     y->grade);
}

static struct chk_return *sorted_returns(const struct chk_return *g, size_t n)
{
	struct chk_return *v = copy(g, n, sizeof(*g));
	sort(v, n, sizeof(*v), cmp_return);
	return v;
}

static int type_excluded(const char *type, const char *list)
{
	size_t tl = strlen(type);
	const char *p = list ? list : "";
	while (*p) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		while (l && *p == ' ')
			p++, l--;
		while (l && p[l - 1] == ' ')
			l--;
		if (l == tl && !strncmp(p, type, l))
			return 1;
		if (!c)
			break;
		p = c + 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_school(const void *a, const void *b)
{
	return strcmp(((const struct chk_school *)a)->code, ((const struct chk_school *)b)->code);
}

void check_missing_returns(const struct chk_school *s, size_t ns, const struct chk_return *g,
			   size_t ng, int year, const char *exclude_types, struct check_report *r)
{
	const char **have;
	size_t nh = 0;
	struct chk_school *sv;
	char key[64];

	if (!year)
		for (size_t i = 0; i < ng; i++)
			if (g[i].year > year)
				year = g[i].year;
	if (!year)
		return;
	have = xmalloc((ng ? ng : 1) * sizeof(*have));
	for (size_t i = 0; i < ng; i++)
		if (g[i].year == year)
			have[nh++] = g[i].school_code;
	sort(have, nh, sizeof(*have), cmp_str);
	sv = copy(s, ns, sizeof(*s));
	sort(sv, ns, sizeof(*sv), cmp_school);
	for (size_t i = 0; i < ns; i++) {
		if (type_excluded(sv[i].type, exclude_types) ||
		    bsearch(&sv[i].code, have, nh, sizeof(*have), cmp_str))
			continue;
		snprintf(key, sizeof(key), "%s/%d", sv[i].code, year);
		add(r, CHECK_ERROR, "missing_return", "grade_return", key,
		    "%s school has no grade return for %d", sv[i].type, year);
	}
	free(sv);
	free(have);
}

void check_enrolment_change(const struct chk_return *g, size_t ng, int year, double max_yoy,
			    struct check_report *r)
{
	struct chk_return *v = sorted_returns(g, ng);
	const char *pschool = NULL;
	long long ptotal = 0;
	int pyear = 0;
	char key[64];

	for (size_t i = 0, j; i < ng; i = j) {
		long long total = 0;
		for (j = i; j < ng && v[j].year == v[i].year &&
			    !strcmp(v[j].school_code, v[i].school_code); j++)
			total += v[j].pupils;
		if (pschool && !strcmp(pschool, v[i].school_code) && pyear == v[i].year - 1 &&
		    (!year || v[i].year == year)) {
			double ch = ptotal ? (double)(total - ptotal) / (double)ptotal : INFINITY;
			if ((ptotal || total) && fabs(ch) > max_yoy + 1e-9) {
				snprintf(key, sizeof(key), "%s/%d", v[i].school_code, v[i].year);
				if (ptotal)
					add(r, CHECK_WARNING, "enrolment_change", "grade_return", key,
					    "%lld pupils in %d against %lld in %d (%+.1f%%), more than "
					    "%g%%", total, v[i].year, ptotal, pyear, 100 * ch,
					    100 * max_yoy);
				else
					add(r, CHECK_WARNING, "enrolment_change", "grade_return", key,
					    "%lld pupils in %d against none in %d", total, v[i].year,
					    pyear);
			}
		}
		pschool = v[i].school_code;
		pyear = v[i].year;
		ptotal = total;
	}
	free(v);
}

void check_class_pupils(const struct chk_return *g, size_t ng, int year, double min,
			double max, struct check_report *r)
{
	struct chk_return *v = sorted_returns(g, ng);
	char key[64];

	for (size_t i = 0; i < ng; i++) {
		double avg;
		if (year && v[i].year != year)
			continue;
		snprintf(key, sizeof(key), "%s/%d/%d", v[i].school_code, v[i].year, v[i].grade);
		if (v[i].classes == 0) {
			if (v[i].pupils > 0)
				add(r, CHECK_ERROR, "class_pupils", "grade_return", key,
				    "%d pupils in no class", v[i].pupils);
			continue;
		}
		avg = (double)v[i].pupils / v[i].classes;
		if (avg < min || avg > max)
			add(r, CHECK_ERROR, "class_pupils", "grade_return", key,
			    "%d pupils in %d class%s (%.1f a class), outside %g-%g", v[i].pupils,
			    v[i].classes, v[i].classes == 1 ? "" : "es", avg, min, max);
	}
	free(v);
}

static int cmp_facility(const void *a, const void *b)
{
	const struct chk_facility *x = a, *y = b;
	int c = strcmp(x->school_code, y->school_code);
	return c ? c : cmp_int(x->year, y->year);
}

void check_missing_facilities(const struct chk_return *g, size_t ng,
			      const struct chk_facility *fa, size_t nf, int year,
			      struct check_report *r)
{
	struct chk_return *v = sorted_returns(g, ng);
	struct chk_facility *f = copy(fa, nf, sizeof(*fa));
	char key[64];

	sort(f, nf, sizeof(*f), cmp_facility);
	for (size_t i = 0; i < ng; i++) {
		struct chk_facility k = { v[i].school_code, v[i].year };
		if ((year && v[i].year != year) ||
		    (i > 0 && v[i - 1].year == v[i].year &&
		     !strcmp(v[i - 1].school_code, v[i].school_code)) ||
		    bsearch(&k, f, nf, sizeof(*f), cmp_facility))
			continue;
		snprintf(key, sizeof(key), "%s/%d", v[i].school_code, v[i].year);
		add(r, CHECK_WARNING, "missing_facility", "facility", key,
		    "no facilities for %d though the school has a grade return", v[i].year);
	}
	free(f);
	free(v);
}

void check_sex_sum(const struct chk_return *g, size_t ng, int year, struct check_report *r)
{
	struct chk_return *v = sorted_returns(g, ng);
	char key[64];

	for (size_t i = 0; i < ng; i++) {
		/* summed in 64 bits: two counts near INT_MAX (stored by hand) must not overflow */
		long long sum = (long long)v[i].boys + v[i].girls;
		if ((year && v[i].year != year) || v[i].boys == CHK_ABSENT || v[i].girls == CHK_ABSENT ||
		    sum == v[i].pupils)
			continue;
		snprintf(key, sizeof(key), "%s/%d/%d", v[i].school_code, v[i].year, v[i].grade);
		add(r, CHECK_ERROR, "sex_sum", "grade_return", key,
		    "boys %d + girls %d = %lld, not the %d pupils", v[i].boys, v[i].girls, sum,
		    v[i].pupils);
	}
	free(v);
}

static int cmp_sections(const void *a, const void *b)
{
	const struct chk_sections *x = a, *y = b;
	return cmp_school_year_grade(x->school_code, x->year, x->grade, y->school_code, y->year,
				     y->grade);
}

void check_section_sum(const struct chk_return *g, size_t ng, const struct chk_sections *cs,
		       size_t ncs, int year, struct check_report *r)
{
	struct chk_return *v = sorted_returns(g, ng);
	struct chk_sections *s = copy(cs, ncs, sizeof(*cs));
	char key[64];

	sort(s, ncs, sizeof(*s), cmp_sections);
	for (size_t i = 0; i < ncs; i++) {
		struct chk_return k = { .school_code = s[i].school_code, .year = s[i].year,
					.grade = s[i].grade };
		const struct chk_return *gr;
		if (year && s[i].year != year)
			continue;
		snprintf(key, sizeof(key), "%s/%d/%d", s[i].school_code, s[i].year, s[i].grade);
		gr = bsearch(&k, v, ng, sizeof(*v), cmp_return);
		if (!gr)
			add(r, CHECK_ERROR, "section_sum", "class_section", key,
			    "%d class section%s with %d pupils but no grade return", s[i].sections,
			    s[i].sections == 1 ? "" : "s", s[i].pupils);
		else if (gr->classes != s[i].sections || gr->pupils != s[i].pupils)
			add(r, CHECK_ERROR, "section_sum", "class_section", key,
			    "%d class section%s with %d pupils, the grade return says %d class%s "
			    "with %d pupils", s[i].sections, s[i].sections == 1 ? "" : "s",
			    s[i].pupils, gr->classes, gr->classes == 1 ? "" : "es", gr->pupils);
	}
	free(s);
	free(v);
}

void check_run(const struct check_facts *f, const struct check_params *p,
	       struct check_report *r)
{
	check_duplicate_persons(f->teachers, f->nteachers, r);
	check_posting_overlaps(f->postings, f->npostings, r);
	check_missing_returns(f->schools, f->nschools, f->returns, f->nreturns, p->year,
			      p->exclude_types, r);
	check_missing_facilities(f->returns, f->nreturns, f->facilities, f->nfacilities,
				 p->year, r);
	check_enrolment_change(f->returns, f->nreturns, p->year, p->max_yoy, r);
	check_class_pupils(f->returns, f->nreturns, p->year, p->class_min, p->class_max, r);
	check_sex_sum(f->returns, f->nreturns, p->year, r);
	check_section_sum(f->returns, f->nreturns, f->sections, f->nsections, p->year, r);
}

/* ---- loader ---- */

static const char *S(struct check_facts *f, struct store_stmt *st, int i)
{
	const char *t = store_column_text(st, i);
	return t ? arena_strdup(&f->arena, t) : NULL;
}

static int I(struct store_stmt *st, int i)
{
	return store_column_type(st, i) == STORE_NULL ? CHK_ABSENT : (int)store_column_int(st, i);
}

/* SELECT cols FROM tbl (alias r) in the scope (area subtree ?1, school ?2; scope.c), then
 * tail (GROUP BY ...). */
static struct store_stmt *scoped(struct store *s, const char *cols, const char *tbl, const char *tail,
				 const char *area, const char *school, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	buf_addf(&sql, "SELECT %s FROM %s r WHERE 1 = 1", cols, tbl);
	scope_cond_pair(&sql, table_find(tbl), "r", area, school, 1, 2);
	buf_adds(&sql, tail);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (st && area && *area)
		store_bind_text(st, 1, area);
	if (st && school && *school)
		store_bind_text(st, 2, school);
	return st;
}

#define LOAD(cols, tbl, tail, arr, nr, alloc, fill)                              \
	do {                                                                     \
		struct store_stmt *st = scoped(s, cols, tbl, tail, area, school, e); \
		int r_;                                                          \
		size_t alloc = 0;                                                \
		if (!st)                                                         \
			return e->code;                                          \
		while ((r_ = store_step(st, e)) == 1) {                          \
			ALLOC_GROW(arr, nr + 1, alloc);                          \
			fill;                                                    \
			nr++;                                                    \
		}                                                                \
		store_finalize(st);                                              \
		if (r_ < 0)                                                      \
			return r_;                                               \
	} while (0)

int check_load(struct store *s, const char *area, const char *school, struct check_facts *f,
	       struct err *e)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->arena, 0);
	LOAD("code, id_hash, id_masked", "teacher", "", f->teachers, f->nteachers, a1,
	     (f->teachers[f->nteachers] = (struct chk_teacher){ S(f, st, 0), S(f, st, 1),
								  S(f, st, 2) }));
	LOAD("teacher_code, start_date, end_date, school_code", "posting", "", f->postings,
	     f->npostings, a2,
	     (f->postings[f->npostings] = (struct chk_posting){ S(f, st, 0), S(f, st, 1),
								  S(f, st, 2), S(f, st, 3) }));
	LOAD("code, type", "school", "", f->schools, f->nschools, a3,
	     (f->schools[f->nschools] = (struct chk_school){ S(f, st, 0), S(f, st, 1) }));
	LOAD("school_code, year, grade, classes, pupils, boys, girls", "grade_return", "",
	     f->returns, f->nreturns, a4,
	     (f->returns[f->nreturns] = (struct chk_return){ S(f, st, 0), I(st, 1), I(st, 2),
							      I(st, 3), I(st, 4), I(st, 5),
							      I(st, 6) }));
	LOAD("school_code, year", "facility", "", f->facilities, f->nfacilities, a5,
	     (f->facilities[f->nfacilities] = (struct chk_facility){ S(f, st, 0), I(st, 1) }));
	LOAD("school_code, year, grade, count(*), sum(pupils)", "class_section",
	     " GROUP BY school_code, year, grade",
	     f->sections, f->nsections, a6,
	     (f->sections[f->nsections] = (struct chk_sections){ S(f, st, 0), I(st, 1), I(st, 2),
								  I(st, 3), I(st, 4) }));
	return 0;
}

void check_facts_release(struct check_facts *f)
{
	free(f->teachers);
	free(f->postings);
	free(f->schools);
	free(f->returns);
	free(f->facilities);
	free(f->sections);
	arena_release(&f->arena);
	memset(f, 0, sizeof(*f));
}

int check_params_from_rules(struct rule_set *rs, struct check_params *p, struct err *e)
{
	if (rules_num(rs, "check.enrolment_change", "max_yoy", &p->max_yoy, e) < 0 ||
	    rules_num(rs, "check.class_pupils", "min", &p->class_min, e) < 0 ||
	    rules_num(rs, "check.class_pupils", "max", &p->class_max, e) < 0)
		return e->code;
	p->exclude_types = rules_str(rs, "check.missing_return", "exclude_types", e);
	return p->exclude_types ? 0 : e->code;
}
