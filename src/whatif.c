/* whatif.c: what-if evaluations (see whatif.h): the proposal checked like a registry write,
 * applied copy-on-write to the resident facts of the mechanisms it touches, computed, and
 * the changed result rows against the baseline written as JSON. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eval.h"
#include "mech_balance.h"
#include "mech_seats.h"
#include "mech_teachers.h"
#include "resident.h"
#include "rules.h"
#include "store.h"
#include "table.h"
#include "whatif.h"
#include "xmalloc.h"
#include "banned.h"

enum kind { K_NEW_SCHOOL, K_CLOSE, K_EXCHANGE };

static const struct {
	const char *name;
	const char *const *mechs;
} kinds[] = {
	[K_NEW_SCHOOL] = { "new_school", (const char *const[]){ "balance", "seats", NULL } },
	[K_CLOSE] = { "close_teaching_point", (const char *const[]){ "balance", NULL } },
	[K_EXCHANGE] = { "teacher_exchange", (const char *const[]){ "balance", "teachers", NULL } },
};

static const char *const facility_cols[] = { "teaching_aux_area", "indoor_sports_area",
	"sports_ground_area", "equipment_value", "multimedia_rooms", "computers", "books" };

/* The proposal, parsed (strings in arena). */
struct proposal {
	struct arena arena;
	enum kind kind;
	json_t *body;              /* the kind's object */
	/* new_school */
	const char *code, *name, *area, *type;
	int teaching_point;
	double declared_seats;    /* NAN: none */
	long pupils[13], classes[13];
	double teachers[6];       /* total, then the categories of teacher_cats[] */
	int has_facility;
	double facility[7];
	/* close_teaching_point, teacher_exchange */
	const char *school, *receiving, *teacher, *from, *to;
};

/* A text value of the store (query with ?1 = key, ?2 = arg): 1 and *out (copied to buf) when
 * there is a row, 0 when none, < 0 on error. */
static int lookup(struct store *s, const char *sql, const char *key, const char *arg,
		  struct buf *out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int r;

	if (!st)
		return e->code;
	store_bind_text(st, 1, key);
	if (arg)
		store_bind_text(st, 2, arg);
	r = store_step(st, e);
	buf_reset(out);
	if (r == 1 && store_column_text(st, 0))
		buf_adds(out, store_column_text(st, 0));
	store_finalize(st);
	return r;
}

static const char *keep(struct proposal *p, const char *s)
{
	return s ? arena_strdup(&p->arena, s) : NULL;
}

static const char *str_field(json_t *o, const char *kind, const char *name, int required,
			     struct err *e)
{
	json_t *v = json_object_get(o, name);
	if (!v && !required)
		return NULL;
	if (!json_is_string(v) || !*json_string_value(v)) {
		err_set(e, ERR_DATA, "%s.%s: %s", kind, name, v ? "a code (text)" : "required");
		return NULL;
	}
	return json_string_value(v);
}

/* {"1": n, ...} grades 1..12 into v. */
static int grades(json_t *o, const char *kind, const char *name, long v[13], struct err *e)
{
	const char *k;
	json_t *x;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return err_set(e, ERR_DATA, "%s.%s: an object of grade (1-12) to number", kind, name);
	json_object_foreach(o, k, x) {
		char *end;
		long g = strtol(k, &end, 10);
		if (*end || g < 1 || g > 12)
			return err_set(e, ERR_DATA, "%s.%s: '%s' is not a grade (1-12)", kind, name, k);
		if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 100000)
			return err_set(e, ERR_DATA, "%s.%s.%s: a whole number 0-100000", kind, name, k);
		v[g] = (long)json_integer_value(x);
	}
	return 0;
}

static const char *const teacher_cats[] = { "total", "associate_plus", "bachelor_plus",
	"backbone", "pe_art_fulltime", "first_title_plus" };

/* teachers: a number (in no category), or {"total": n, "associate_plus": n, ...} */
static int parse_teachers(struct proposal *p, json_t *x, struct err *e)
{
	const char *key;
	json_t *v;

	if (!x)
		return 0;
	if (json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) <= 10000) {
		p->teachers[0] = (double)json_integer_value(x);
		return 0;
	}
	if (!json_is_object(x))
		return err_set(e, ERR_DATA, "new_school.teachers: a whole number 0-10000, or an "
			       "object of total, associate_plus, bachelor_plus, backbone, "
			       "pe_art_fulltime, first_title_plus");
	json_object_foreach(x, key, v) {
		size_t i = 0;
		while (i < ARRAY_SIZE(teacher_cats) && strcmp(key, teacher_cats[i]))
			i++;
		if (i == ARRAY_SIZE(teacher_cats))
			return err_set(e, ERR_DATA, "new_school.teachers.%s: unknown field", key);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000)
			return err_set(e, ERR_DATA, "new_school.teachers.%s: a whole number 0-10000",
				       key);
		p->teachers[i] = (double)json_integer_value(v);
	}
	for (size_t i = 1; i < ARRAY_SIZE(teacher_cats); i++)
		if (p->teachers[i] > p->teachers[0])
			return err_set(e, ERR_DATA, "new_school.teachers.%s: more than total",
				       teacher_cats[i]);
	return 0;
}

/* new_school: the registry columns checked as a school row would be, and what balance
 * needs beside them. */
static int parse_new_school(struct proposal *p, struct store *s, struct err *e)
{
	static const char *const extra[] = { "pupils", "classes", "teachers", "facility" };
	const struct table *t = table_find("school");
	const char **raw = xcalloc((size_t)t->ncols + 1, sizeof(char *));
	struct buf *num = xcalloc((size_t)t->ncols + 1, sizeof(struct buf));
	struct row_errors errs = { 0 };
	struct table_row row;
	struct buf v = BUF_INIT;
	const char *key;
	json_t *x;
	int rc = 0, r;

	table_row_init(&row, t);
	json_object_foreach(p->body, key, x) {
		int c = table_col_index(t, key), known = 0;
		for (size_t i = 0; i < ARRAY_SIZE(extra); i++)
			known |= !strcmp(key, extra[i]);
		if (known)
			continue;
		if (c < 0) {
			rc = err_set(e, ERR_DATA, "new_school.%s: not a column of school", key);
			goto out;
		}
		if (json_is_string(x)) {
			raw[c] = json_string_value(x);
		} else if (json_is_number(x)) {
			buf_addf(&num[c], "%.17g", json_number_value(x));
			raw[c] = num[c].buf;
		} else if (!json_is_null(x)) {
			rc = err_set(e, ERR_DATA, "new_school.%s: a text or a number", key);
			goto out;
		}
	}
	if (table_validate_row(t, raw, &row, &errs) < 0) {
		const struct row_error *re = &errs.v[0];
		rc = err_set(e, ERR_DATA, "new_school%s%s: %s", re->column ? "." : "",
			     re->column ? re->column : "", re->en);
		goto out;
	}
	p->code = keep(p, row.vals[table_col_of(t, "code")]);
	p->name = keep(p, row.vals[table_col_of(t, "name")]);
	p->type = keep(p, row.vals[table_col_of(t, "type")]);
	p->teaching_point = row.vals[table_col_of(t, "is_teaching_point")] &&
			    !strcmp(row.vals[table_col_of(t, "is_teaching_point")], "1");
	p->declared_seats = row.vals[table_col_of(t, "declared_seats")]
			    ? strtod(row.vals[table_col_of(t, "declared_seats")], NULL) : NAN;
	if ((r = lookup(s, "SELECT code FROM school WHERE code = ?1", p->code, NULL, &v, e)) < 0) {
		rc = r;
		goto out;
	}
	if (r == 1) {
		rc = err_set(e, ERR_DATA, "new_school.code: school '%s' exists", v.buf);
		goto out;
	}
	if ((r = lookup(s, "SELECT coalesce(ac.county_code, a.code) FROM area a LEFT JOIN area_county ac "
			"ON ac.code = a.code WHERE a.code = ?1", row.vals[table_col_of(t, "area_code")],
			NULL, &v, e)) < 0) {
		rc = r;
		goto out;
	}
	if (r == 0) {
		rc = err_set(e, ERR_DATA, "new_school.area_code: no area '%s'",
			     row.vals[table_col_of(t, "area_code")]);
		goto out;
	}
	p->area = keep(p, v.buf); /* the county balance groups it in */
	if (grades(json_object_get(p->body, "pupils"), "new_school", "pupils", p->pupils, e) < 0 ||
	    grades(json_object_get(p->body, "classes"), "new_school", "classes", p->classes, e) < 0) {
		rc = e->code;
		goto out;
	}
	for (int g = 1; g <= 12; g++)
		if (p->pupils[g] > 0 && p->classes[g] <= 0) {
			rc = err_set(e, ERR_DATA, "new_school.classes.%d: pupils in grade %d need a "
				     "class", g, g);
			goto out;
		}
	if ((rc = parse_teachers(p, json_object_get(p->body, "teachers"), e)) < 0)
		goto out;
	if ((x = json_object_get(p->body, "facility"))) {
		if (!json_is_object(x)) {
			rc = err_set(e, ERR_DATA, "new_school.facility: an object of facility numbers");
			goto out;
		}
		p->has_facility = 1;
		for (size_t i = 0; i < ARRAY_SIZE(facility_cols); i++) {
			json_t *f = json_object_get(x, facility_cols[i]);
			if (!json_is_number(f) || json_number_value(f) < 0) {
				rc = err_set(e, ERR_DATA, "new_school.facility.%s: %s", facility_cols[i],
					     f ? "a number, at least 0" : "required");
				goto out;
			}
			p->facility[i] = json_number_value(f);
		}
	}
out:
	for (int c = 0; c < t->ncols; c++)
		buf_release(&num[c]);
	free(num);
	free(raw);
	row_errors_release(&errs);
	table_row_release(&row);
	buf_release(&v);
	return rc;
}

/* Fields of a kind's object other than those listed are refused. */
static int only_fields(json_t *o, const char *kind, const char *const *names, struct err *e)
{
	const char *key;
	json_t *x;

	json_object_foreach(o, key, x) {
		int known = 0;
		for (int i = 0; names[i]; i++)
			known |= !strcmp(key, names[i]);
		if (!known)
			return err_set(e, ERR_DATA, "%s.%s: unknown field", kind, key);
	}
	return 0;
}

static int need_school(struct store *s, const char *kind, const char *field, const char *code,
		       struct buf *v, struct err *e)
{
	int r = lookup(s, "SELECT is_teaching_point FROM school WHERE code = ?1", code, NULL, v, e);
	if (r == 0)
		return err_set(e, ERR_DATA, "%s.%s: no school '%s'", kind, field, code);
	return r < 0 ? r : 0;
}

static int parse_close(struct proposal *p, struct store *s, struct err *e)
{
	static const char *const f[] = { "school", "receiving_school", NULL };
	const char *k = kinds[K_CLOSE].name;
	struct buf v = BUF_INIT;
	int rc;

	if (only_fields(p->body, k, f, e) < 0 ||
	    !(p->school = str_field(p->body, k, "school", 1, e)) ||
	    !(p->receiving = str_field(p->body, k, "receiving_school", 1, e)))
		return e->code;
	if ((rc = need_school(s, k, "school", p->school, &v, e)) == 0 && strcmp(v.buf, "1"))
		rc = err_set(e, ERR_DATA, "%s.school: '%s' is not a teaching point (教学点)", k,
			     p->school);
	if (!rc && (rc = need_school(s, k, "receiving_school", p->receiving, &v, e)) == 0 &&
	    !strcmp(p->receiving, p->school))
		rc = err_set(e, ERR_DATA, "%s.receiving_school: the teaching point itself", k);
	buf_release(&v);
	return rc;
}

static int parse_exchange(struct proposal *p, struct store *s, int year, struct err *e)
{
	static const char *const f[] = { "teacher", "from_school", "to_school", NULL };
	const char *k = kinds[K_EXCHANGE].name;
	struct buf v = BUF_INIT;
	char date[16];
	int rc, r;

	if (only_fields(p->body, k, f, e) < 0 ||
	    !(p->teacher = str_field(p->body, k, "teacher", 1, e)) ||
	    !(p->from = str_field(p->body, k, "from_school", 1, e)) ||
	    !(p->to = str_field(p->body, k, "to_school", 1, e)))
		return e->code;
	snprintf(date, sizeof(date), "%04d-09-01", year);
	r = lookup(s, "SELECT code FROM teacher WHERE code = ?1", p->teacher, NULL, &v, e);
	rc = r < 0 ? r : r == 0 ? err_set(e, ERR_DATA, "%s.teacher: no teacher '%s'", k, p->teacher) : 0;
	if (!rc)
		rc = need_school(s, k, "from_school", p->from, &v, e);
	if (!rc)
		rc = need_school(s, k, "to_school", p->to, &v, e);
	if (!rc && !strcmp(p->from, p->to))
		rc = err_set(e, ERR_DATA, "%s.to_school: the same as from_school", k);
	/* the posting balance counts the teacher by: the latest-started one covering 09-01 */
	if (!rc && (r = lookup(s, "SELECT school_code FROM posting WHERE teacher_code = ?1 AND "
			       "start_date <= ?2 AND (end_date IS NULL OR end_date >= ?2) "
			       "ORDER BY start_date DESC", p->teacher, date, &v, e)) < 0)
		rc = r;
	else if (!rc && r == 0)
		rc = err_set(e, ERR_DATA, "%s.from_school: teacher '%s' has no posting on %s", k,
			     p->teacher, date);
	else if (!rc && strcmp(v.buf, p->from))
		rc = err_set(e, ERR_DATA, "%s.from_school: teacher '%s' is posted at '%s' on %s, "
			     "not at '%s'", k, p->teacher, v.buf, date, p->from);
	buf_release(&v);
	return rc;
}

/* The shape: optional year and as_of, exactly one kind (no store needed). */
static int parse_shape(json_t *j, struct proposal *p, int *year, const char **as_of,
		       struct err *e)
{
	const char *key;
	json_t *x;
	int n = 0;

	if (!json_is_object(j))
		return err_set(e, ERR_USAGE, "a what-if is a JSON object");
	json_object_foreach(j, key, x) {
		int k;
		for (k = 0; k < (int)ARRAY_SIZE(kinds) && strcmp(key, kinds[k].name); k++)
			;
		if (k < (int)ARRAY_SIZE(kinds)) {
			if (!json_is_object(x))
				return err_set(e, ERR_DATA, "%s: an object", key);
			p->kind = (enum kind)k;
			p->body = x;
			n++;
		} else if (!strcmp(key, "year")) {
			if (!json_is_integer(x) || json_integer_value(x) < 1990 ||
			    json_integer_value(x) > 2100)
				return err_set(e, ERR_DATA, "year: 1990-2100");
			*year = (int)json_integer_value(x);
		} else if (!strcmp(key, "as_of")) {
			if (!json_is_string(x) || !rules_valid_date(json_string_value(x)))
				return err_set(e, ERR_DATA, "as_of: not a date (YYYY-MM-DD)");
			*as_of = json_string_value(x);
		} else {
			return err_set(e, ERR_DATA, "%s: unknown field (a what-if is one of "
				       "new_school, close_teaching_point, teacher_exchange)", key);
		}
	}
	if (n != 1)
		return err_set(e, ERR_DATA, "%s: one of new_school, close_teaching_point, "
			       "teacher_exchange", n ? "proposal" : "new_school");
	return 0;
}

/* ---- the changes, copy-on-write ---- */

static struct bal_school *bal_find(struct bal_school *v, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].code, code))
			return &v[i];
	return NULL;
}

/* Each of the teaching point's class sections joins the receiving school: pupil by pupil
 * into its smallest section of the grade, or as it is when it has none of that grade. */
static struct bal_class *merge_sections(struct bal_school *recv, const struct bal_school *tp)
{
	size_t nr = recv->nsections, k = nr;
	struct bal_class *c = xmalloc((nr + tp->nsections + 1) * sizeof(*c));

	if (nr)
		memcpy(c, recv->sections, nr * sizeof(*c));
	for (size_t i = 0; i < tp->nsections; i++) {
		const struct bal_class *t = &tp->sections[i];
		int any = 0;
		for (size_t j = 0; j < nr; j++)
			any |= c[j].grade == t->grade;
		for (int p = 0; any && p < t->pupils; p++) {
			size_t best = nr;
			for (size_t j = 0; j < nr; j++)
				if (c[j].grade == t->grade && (best == nr || c[j].pupils < c[best].pupils))
					best = j;
			c[best].pupils++;
		}
		if (!any)
			c[k++] = *t;
	}
	/* grade order, stable */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && c[j - 1].grade > c[j].grade; j--) {
			struct bal_class x = c[j];
			c[j] = c[j - 1];
			c[j - 1] = x;
		}
	recv->sections = c;
	recv->nsections = k;
	return c;
}

struct bal_copy {
	struct bal_facts f;
	struct bal_class *cls;   /* the receiving school's new sections */
	const char *county[2];   /* the counties of the schools changed (NULL: none) */
};

static int apply_balance(const struct proposal *p, struct store *s, const void *facts, int year,
			 struct bal_copy *out, struct err *e)
{
	const struct bal_facts *b = facts;
	struct bal_school *v = xmalloc((b->n + 1) * sizeof(*v)), *x, *y;
	size_t n = b->n;

	if (n)
		memcpy(v, b->schools, n * sizeof(*v));
	out->f = *b;
	out->f.schools = v;
	out->cls = NULL;
	switch (p->kind) {
	case K_NEW_SCHOOL: {
		size_t at = 0;
		while (at < n && strcmp(v[at].code, p->code) < 0)
			at++;
		memmove(v + at + 1, v + at, (n - at) * sizeof(*v));
		x = &v[at];
		memset(x, 0, sizeof(*x));
		x->code = p->code;
		x->name = p->name;
		x->county = p->area;
		x->type = bal_type_of(p->type);
		x->teaching_point = p->teaching_point;
		for (int g = 1; g <= 12; g++) {
			x->pupils[g] = p->pupils[g];
			x->classes[g] = p->classes[g];
			x->has_returns |= p->pupils[g] > 0 || p->classes[g] > 0;
		}
		x->teachers = p->teachers[0];
		x->t_associate_plus = p->teachers[1];
		x->t_bachelor_plus = p->teachers[2];
		x->t_backbone = p->teachers[3];
		x->t_pe_art_fulltime = p->teachers[4];
		x->t_first_title_plus = p->teachers[5];
		x->has_facility = p->has_facility;
		x->teaching_aux_area = p->facility[0];
		x->indoor_sports_area = p->facility[1];
		x->sports_ground_area = p->facility[2];
		x->equipment_value = p->facility[3];
		x->multimedia_rooms = p->facility[4];
		x->computers = p->facility[5];
		x->books = p->facility[6];
		out->f.n = n + 1;
		out->county[0] = p->area;
		break;
	}
	case K_CLOSE:
		if (!(y = bal_find(v, n, p->receiving)))
			return err_set(e, ERR_DATA, "close_teaching_point.receiving_school: '%s' has no "
				       "grade return in %d", p->receiving, year);
		out->county[0] = y->county;
		if (!(x = bal_find(v, n, p->school)))
			break; /* no returns this year: nothing to move */
		out->county[1] = x->county;
		for (int g = 1; g <= 12; g++)
			if (x->pupils[g] > 0 || x->classes[g] > 0) {
				if (y->classes[g] == 0)
					y->classes[g] = x->classes[g];
				y->pupils[g] += x->pupils[g];
			}
		y->has_returns |= x->has_returns;
		y->g7_before += x->g7_before;
		y->has_g7_before |= x->has_g7_before;
		y->cohort_transfers_in += x->cohort_transfers_in;
		y->cohort_transfers_out += x->cohort_transfers_out;
		y->has_transfers |= x->has_transfers;
		bal_add_teachers(y, x, 1);
		if (x->nsections)
			out->cls = merge_sections(y, x);
		memmove(x, x + 1, (size_t)(v + n - (x + 1)) * sizeof(*v));
		out->f.n = n - 1;
		break;
	case K_EXCHANGE:
		x = bal_find(v, n, p->from);
		y = bal_find(v, n, p->to);
		out->county[0] = x ? x->county : NULL;
		out->county[1] = y ? y->county : NULL;
		return bal_teacher_move(s, p->teacher, x, y, e);
	}
	return 0;
}

/* The exchange changes one teacher of the resident facts in place, and puts it back after
 * computing: those facts are used only under the server's writer lock, which a what-if
 * holds throughout (copying the province's 958,096 teachers cost 0.2 s). */
struct tch_patch {
	struct tch_teacher *t;    /* the teacher changed, NULL: none yet */
	struct tch_teacher saved; /* as it was */
	struct tch_posting *postings;
};

/* The exchange posting at to_school for the school year, in the teacher's start order. */
/* Seats' facts with the new school (its classes, pupils and declared seats per stage): a
 * copy to free with mech_seats_copy_free(). NULL for a vocational or special school, which
 * seats does not count. */
static void *apply_seats(const struct proposal *p, const void *facts)
{
	struct seat_school x;

	if (!strcmp(p->type, "vocational") || !strcmp(p->type, "special"))
		return NULL;
	memset(&x, 0, sizeof(x));
	x.code = p->code;
	x.name = p->name;
	x.declared_seats = p->declared_seats;
	for (int g = 1; g <= 12; g++) {
		x.classes[seat_stage_of_grade(g)] += (double)p->classes[g];
		x.pupils[seat_stage_of_grade(g)] += (double)p->pupils[g];
	}
	return mech_seats_with_school(facts, &x, p->area);
}

static int apply_teachers(const struct proposal *p, const void *facts, int year,
			  struct tch_patch *out, struct err *e)
{
	const struct tch_view *b = facts;
	long ti = tch_view_teacher(b, p->teacher);
	int si = tch_view_school(b, p->to), np, k = 0;
	struct tch_posting x;
	struct tch_teacher *t;
	char d[24];

	if (ti < 0 || si < 0)
		return err_set(e, ERR_DATA, "teacher_exchange: teacher '%s' or school '%s' not among "
			       "the teachers engine's facts", p->teacher, p->to);
	t = (struct tch_teacher *)&b->teachers[ti];
	snprintf(d, sizeof(d), "%04d-09-01", year);
	x.start = tch_day(d);
	snprintf(d, sizeof(d), "%04d-08-31", year + 1);
	x.end = tch_day(d);
	x.school = si;
	x.kind = TK_EXCHANGE;
	np = t->npostings + 1;
	out->postings = xmalloc((size_t)np * sizeof(*out->postings));
	for (int i = 0; i < t->npostings; i++) {
		if (k == i && t->postings[i].start > x.start)
			out->postings[k++] = x;
		out->postings[k++] = t->postings[i];
	}
	if (k < np)
		out->postings[k++] = x;
	out->saved = *t;
	out->t = t;
	t->postings = out->postings;
	t->npostings = np;
	return 0;
}

static void restore_teachers(struct tch_patch *pt)
{
	if (pt->t)
		*pt->t = pt->saved;
	free(pt->postings);
}

/* ---- the rows that change ---- */

/* 0 when the two rows say the same */
static int cmp_payload(const struct result_row *a, const struct result_row *b)
{
	return !result_same_values(a, b) || strcmp(a->evidence, b->evidence);
}

static uint64_t mix(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0x1f) * 1099511628211ULL;
}

static uint64_t key_hash(const struct result_row *r)
{
	uint64_t h = mix(mix(mix(mix(14695981039346656037ULL, r->indicator), r->unit_kind),
			     r->unit_id), r->stage);
	return (h ^ (uint64_t)(unsigned)r->year) * 1099511628211ULL;
}

struct counts {
	size_t changed, added, removed;
};

/* A changed row: before, after or both. */
struct pair {
	const struct result_row *before, *after;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	return result_key_cmp(a->before ? a->before : a->after, b->before ? b->before : b->after);
}

static void add_pair(struct pair **v, size_t *n, size_t *alloc, const struct result_row *x,
		     const struct result_row *y)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = (struct pair){ x, y };
}

/* The rows of `after` that differ from `before` (same key, other values), and those only in
 * one of them, appended to *v. The engines give their rows in the same order whatever the
 * facts, so the rows at the same place with the same key are compared there, from the start
 * and from the end (an exchange moves no row); those between go through an open-addressing
 * table of the baseline's keys (no sort of either set: a quarter of a million rows each on
 * the province). */
static void diff(const struct result_set *before, const struct result_set *after,
		 struct pair **v, size_t *n, size_t *alloc, struct counts *ct)
{
	size_t cap = 16, mask, lo = 0, hb = before->nr, ha = after->nr;
	uint32_t *slot;
	unsigned char *used;

	for (; lo < hb && lo < ha && !result_key_cmp(&before->v[lo], &after->v[lo]); lo++)
		if (cmp_payload(&before->v[lo], &after->v[lo])) {
			add_pair(v, n, alloc, &before->v[lo], &after->v[lo]);
			ct->changed++;
		}
	for (; hb > lo && ha > lo && !result_key_cmp(&before->v[hb - 1], &after->v[ha - 1]); hb--, ha--)
		if (cmp_payload(&before->v[hb - 1], &after->v[ha - 1])) {
			add_pair(v, n, alloc, &before->v[hb - 1], &after->v[ha - 1]);
			ct->changed++;
		}
	while (cap < 2 * (hb - lo))
		cap *= 2;
	mask = cap - 1;
	slot = xcalloc(cap, sizeof(*slot));
	used = xcalloc(hb - lo + 1, 1);
	for (size_t i = lo; i < hb; i++) {
		size_t h = (size_t)key_hash(&before->v[i]) & mask;
		while (slot[h])
			h = (h + 1) & mask;
		slot[h] = (uint32_t)(i - lo) + 1;
	}
	for (size_t j = lo; j < ha; j++) {
		const struct result_row *y = &after->v[j], *x = NULL;
		size_t h = (size_t)key_hash(y) & mask;
		for (; slot[h]; h = (h + 1) & mask)
			if (!used[slot[h] - 1] && !result_key_cmp(&before->v[lo + slot[h] - 1], y)) {
				x = &before->v[lo + slot[h] - 1];
				used[slot[h] - 1] = 1;
				break;
			}
		if (x && !cmp_payload(x, y))
			continue;
		add_pair(v, n, alloc, x, y);
		if (x)
			ct->changed++;
		else
			ct->added++;
	}
	for (size_t i = lo; i < hb; i++)
		if (!used[i - lo]) {
			add_pair(v, n, alloc, &before->v[i], NULL);
			ct->removed++;
		}
	free(slot);
	free(used);
}

static void row_or_null(struct buf *b, const struct result_row *r)
{
	if (r)
		result_row_json(b, r);
	else
		buf_adds(b, "null");
}

/* The pairs in indicator and unit order, as JSON objects {"before", "after"}. */
static void pairs_json(struct buf *b, struct pair *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_pair);
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? ",{\"before\":" : "{\"before\":");
		row_or_null(b, v[i].before);
		buf_adds(b, ",\"after\":");
		row_or_null(b, v[i].after);
		buf_addch(b, '}');
	}
}

int whatif_run(struct facts_cache *c, struct store *s, json_t *proposal, struct buf *out,
	       struct resident_info *info, struct err *e)
{
	struct proposal p;
	struct resident_view rv;
	struct bal_copy bc = { 0 };
	struct tch_patch tp = { 0 };
	void *seats_copy = NULL;                        /* seats' facts with a new school */
	struct bal_facts before = { 0 }, after = { 0 }; /* the counties changed, each side */
	struct result_set base;                          /* the baseline rows of those */
	struct counts ct = { 0 };
	struct pair *pairs = NULL;
	struct buf rows = BUF_INIT;
	struct result_set wr[ARRAY_SIZE(rv.facts)];  /* the what-if's rows, per mechanism */
	size_t n = 0, alloc = 0;
	double t0, t1 = 0;
	int rc, viewed = 0;

	memset(&p, 0, sizeof(p));
	memset(&rv, 0, sizeof(rv));
	arena_init(&p.arena, 0);
	if ((rc = parse_shape(proposal, &p, &rv.year, &rv.as_of, e)) < 0) {
		arena_release(&p.arena);
		return rc;
	}
	if ((rc = store_begin(s, e)) < 0) {
		arena_release(&p.arena);
		return rc;
	}
	for (size_t k = 0; k < ARRAY_SIZE(wr); k++)
		results_init(&wr[k]);
	results_init(&base);
	if ((rc = facts_cache_view(c, s, kinds[p.kind].mechs, &rv, info, e)) < 0)
		goto done;
	viewed = 1;
	t0 = eval_clock();
	rc = p.kind == K_NEW_SCHOOL ? parse_new_school(&p, s, e)
	     : p.kind == K_CLOSE ? parse_close(&p, s, e) : parse_exchange(&p, s, rv.year, e);
	if (rc < 0)
		goto done;
	for (int k = 0; k < rv.n; k++) {
		struct result_set *rs = &wr[k];
		const struct result_set *baseline = rv.results[k];
		struct eval_ctx ec;
		const void *facts;
		memset(&ec, 0, sizeof(ec));
		ec.rules = rv.rules;
		ec.year = rv.year;
		ec.as_of = rv.as_of;
		if (!strcmp(rv.m[k]->name, "balance")) {
			if ((rc = apply_balance(&p, s, rv.facts[k], rv.year, &bc, e)) < 0)
				goto done;
			/* only the counties changed: the other counties' rows stay the same */
			bal_county_part(rv.facts[k], bc.county, 2, &before);
			bal_county_part(&bc.f, bc.county, 2, &after);
			if ((rc = rv.m[k]->compute(&before, &ec, &base, e)) < 0)
				goto done;
			baseline = &base;
			facts = &after;
		} else if (!strcmp(rv.m[k]->name, "seats")) {
			seats_copy = apply_seats(&p, rv.facts[k]);
			facts = seats_copy ? seats_copy : rv.facts[k];
		} else {
			if ((rc = apply_teachers(&p, rv.facts[k], rv.year, &tp, e)) < 0)
				goto done;
			facts = rv.facts[k];
		}
		if ((rc = rv.m[k]->compute(facts, &ec, rs, e)) < 0)
			goto done;
		diff(baseline, rs, &pairs, &n, &alloc, &ct);
	}
	t1 = eval_clock();
	pairs_json(&rows, pairs, n);
	buf_addf(out, "{\"year\":%d,\"kind\":\"%s\",\"mechanisms\":[", rv.year, kinds[p.kind].name);
	for (int k = 0; k < rv.n; k++)
		buf_addf(out, "%s\"%s\"", k ? "," : "", rv.m[k]->name);
	buf_adds(out, "],\"changed\":[");
	buf_add(out, rows.buf, rows.len);
	buf_addf(out, "],\"counts\":{\"changed\":%zu,\"added\":%zu,\"removed\":%zu},"
		 "\"seconds\":{\"refresh\":%.3f,\"apply_and_compute\":%.3f}", ct.changed, ct.added,
		 ct.removed, info ? info->refresh_seconds : 0.0, t1 - t0);
	if (info) {
		buf_addch(out, ',');
		resident_info_json(out, info);
	}
	buf_addch(out, '}');
done:
	restore_teachers(&tp); /* before the facts may be let go */
	mech_seats_copy_free(seats_copy);
	if (viewed)
		facts_cache_done(c, &rv);
	store_rollback(s);
	free(bc.f.schools);
	free(bc.cls);
	buf_release(&rows);
	free(pairs);
	for (size_t k = 0; k < ARRAY_SIZE(wr); k++)
		results_release(&wr[k]);
	results_release(&base);
	free(before.schools);
	free(after.schools);
	arena_release(&p.arena);
	return rc;
}
