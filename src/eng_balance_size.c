/* eng_balance_size.c: the balance engine's size rules: class sizes (over the standard,
 * 大班额, 超大班额) per school and county, school-size caps, and the junior three-year retention
 * rate. Pure, like eng_balance.c, whose records it reads (eng_balance_int.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_balance.h"
#include "eng_balance_int.h"
#include "eval.h"
#include "banned.h"

static int stage_of_grade(int g)
{
	return g >= 1 && g <= 6 ? BAL_STAGE_PRIMARY : g >= 7 && g <= 9 ? BAL_STAGE_JUNIOR : -1;
}

static void count_one(const struct bal_params *p, int stage, double size, double mult,
		      struct class_count *c)
{
	c->classes += mult;
	if (size > p->class_max[stage])
		c->over += mult;
	if (size >= p->class_large)
		c->large += mult;
	if (size >= p->class_super_large)
		c->super += mult;
}

/* Does the school record class sections for grade g? */
static int has_sections(const struct bal_school *s, int g)
{
	for (size_t i = 0; i < s->nsections; i++)
		if (s->sections[i].grade == g)
			return 1;
	return 0;
}

/* Classes of the stage: the class sections of a grade that has them, else the grade
 * return's pupils spread evenly over its classes (per grade: a school that records
 * sections for some grades only still counts the others). *estimated: some grade spread. */
static void count_classes(const struct bal_params *p, const struct rec *r, struct class_count *c,
			  int *estimated)
{
	const struct bal_school *s = r->s;

	memset(c, 0, sizeof(*c));
	*estimated = 0;
	for (size_t i = 0; i < s->nsections; i++)
		if (stage_of_grade(s->sections[i].grade) == r->stage)
			count_one(p, r->stage, s->sections[i].pupils, 1, c);
	for (int g = 1; g <= 9; g++) {
		long cl = s->classes[g], pu = s->pupils[g];
		if (stage_of_grade(g) != r->stage || cl <= 0 || has_sections(s, g))
			continue;
		/* spread evenly: pu % cl classes of base+1, the rest of base */
		long base = pu / cl, rem = pu % cl;
		*estimated = 1;
		if (rem)
			count_one(p, r->stage, (double)(base + 1), (double)rem, c);
		if (cl - rem)
			count_one(p, r->stage, (double)base, (double)(cl - rem), c);
	}
}

static void class_evidence(struct buf *ev, const struct bal_params *p, const struct rec *r,
			   double limit, int strict, int estimated)
{
	const struct bal_school *s = r->s;
	int first = 1;

	int sections = 0;

	for (size_t i = 0; i < s->nsections; i++)
		sections |= stage_of_grade(s->sections[i].grade) == r->stage;
	buf_reset(ev);
	bal_jfield(ev, "{\"limit\":", limit);
	buf_addf(ev, ",\"source\":\"%s\",\"classes\":[",
		 !estimated ? "class_section" : !sections
		 ? "grade_return (pupils spread evenly over classes)"
		 : "class_section; grade_return (pupils spread evenly over classes) for grades "
		   "without sections");
	(void)p;
	for (size_t i = 0; i < s->nsections; i++) {
		const struct bal_class *c = &s->sections[i];
		if (stage_of_grade(c->grade) != r->stage)
			continue;
		if (strict ? !(c->pupils > limit) : !(c->pupils >= limit))
			continue;
		buf_addf(ev, "%s{\"grade\":%d,\"pupils\":%d}", first ? "" : ",", c->grade,
			 c->pupils);
		first = 0;
	}
	if (estimated) {
		for (int g = 1; g <= 9; g++) {
			long cl = s->classes[g], pu = s->pupils[g];
			if (stage_of_grade(g) != r->stage || cl <= 0 || has_sections(s, g))
				continue;
			double top = (double)(pu / cl + (pu % cl ? 1 : 0));
			if (strict ? !(top > limit) : !(top >= limit))
				continue;
			buf_addf(ev, "%s{\"grade\":%d,\"classes\":%ld,\"pupils\":%ld}",
				 first ? "" : ",", g, cl, pu);
			first = 0;
		}
	}
	buf_adds(ev, "]}");
}

static const char *const class_code[3] = { "BAL.CLASS.OVER", "BAL.CLASS.LARGE",
					    "BAL.CLASS.SUPER" };

void bal_emit_school_classes(const struct bal_params *p, const struct rec *r, int year,
				struct result_set *out, struct buf *ev, struct class_count *c)
{
	int estimated;
	double cnt[3], lim[3] = { p->class_max[r->stage], p->class_large, p->class_super_large };

	count_classes(p, r, c, &estimated);
	if (c->classes <= 0)
		return;
	cnt[0] = c->over;
	cnt[1] = c->large;
	cnt[2] = c->super;
	for (int k = 0; k < 3; k++) {
		enum verdict v = cnt[k] > 0 ? V_FAIL : V_PASS;
		if (v == V_FAIL)
			class_evidence(ev, p, r, lim[k], k == 0, estimated);
		else
			buf_reset(ev);
		results_add_row(out, class_code[k], "school", r->s->code, bal_stage_name[r->stage],
			year, cnt[k] / c->classes, cnt[k], c->classes, lim[k], v, ev->buf);
	}
}

void bal_emit_county_classes(const struct bal_params *p, const char *county, int st,
				struct rec **rs, const struct class_count *cc, size_t n,
				int year, struct result_set *out, struct buf *ev)
{
	struct class_count t = { 0, 0, 0, 0 };
	double lim[3] = { p->class_max[st], p->class_large, p->class_super_large };

	for (size_t i = 0; i < n; i++) {
		t.classes += cc[i].classes;
		t.over += cc[i].over;
		t.large += cc[i].large;
		t.super += cc[i].super;
	}
	if (t.classes <= 0)
		return;
	for (int k = 0; k < 3; k++) {
		double c = k == 0 ? t.over : k == 1 ? t.large : t.super;
		enum verdict v = c > 0 ? V_FAIL : V_PASS;
		buf_reset(ev);
		if (v == V_FAIL) {
			int first = 1;
			bal_jfield(ev, "{\"limit\":", lim[k]);
			buf_adds(ev, ",\"schools\":[");
			for (size_t i = 0; i < n; i++) {
				double ci = k == 0 ? cc[i].over : k == 1 ? cc[i].large : cc[i].super;
				if (ci <= 0)
					continue;
				buf_adds(ev, first ? "" : ",");
				bal_jschool(ev, rs[i]->s);
				buf_addf(ev, ",\"classes\":%.0f,\"count\":%.0f}", cc[i].classes, ci);
				first = 0;
			}
			buf_adds(ev, "]}");
		}
		results_add_row(out, class_code[k], "county", county, bal_stage_name[st], year,
			c / t.classes, c, t.classes, lim[k], v, ev->buf);
	}
}

/* Counted: every in-scope school with a junior stage, also one whose junior pupils are all
 * gone (0 pupils, or no return this year at all): its cohort of two years before is lost,
 * not out of the denominator. */
static int in_retention(const struct bal_params *p, const struct bal_school *s)
{
	if (bal_excluded(p, s) || !(bal_has_stage(s, BAL_STAGE_JUNIOR) || s->has_g7_before))
		return 0;
	return !(s->teaching_point && bal_sum_grades(s, 1, 12) < p->tp_min_pupils);
}

void bal_emit_retention(const struct bal_params *p, const char *county,
			const struct bal_school *const *ss, size_t n, int year,
			struct result_set *out, struct buf *ev)
{
	double num = 0, den = 0;
	size_t used = 0;
	enum verdict v;
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		const struct bal_school *s = ss[i];
		if (!s->has_g7_before || !in_retention(p, s))
			continue;
		used++;
		num += (double)s->pupils[9];
		den += (double)s->g7_before;
		if (s->has_transfers)
			den += (double)s->cohort_transfers_in - (double)s->cohort_transfers_out;
	}
	buf_reset(ev);
	if (!used || den <= 0) {
		buf_addf(ev, "{\"reason\":\"no grade-7 returns for %d\"}", year - 2);
		results_add_row(out, "BAL.RETENTION", "county", county, "junior", year, NAN, num,
			den, p->retention_min, V_NA, ev->buf);
		return;
	}
	v = num / den >= p->retention_min * (1 - BAL_TOL) ? V_PASS : V_FAIL;
	if (v == V_FAIL) {
		buf_addf(ev, "{\"cohort_start\":%d,\"schools\":[", year - 2);
		for (size_t i = 0; i < n; i++) {
			const struct bal_school *s = ss[i];
			if (!s->has_g7_before || !in_retention(p, s))
				continue;
			buf_adds(ev, first ? "" : ",");
			bal_jschool(ev, s);
			buf_addf(ev, ",\"grade7\":%ld,\"transfers_in\":%ld,\"transfers_out\":%ld,"
				 "\"grade9\":%ld}", s->g7_before,
				 s->has_transfers ? s->cohort_transfers_in : 0,
				 s->has_transfers ? s->cohort_transfers_out : 0, s->pupils[9]);
			first = 0;
		}
		buf_adds(ev, "]}");
	}
	results_add_row(out, "BAL.RETENTION", "county", county, "junior", year, num / den, num, den,
		p->retention_min, v, ev->buf);
}

void bal_emit_sizes(const struct bal_params *p, const char *county,
		       const struct bal_school *const *ss, size_t n, int year,
		       struct result_set *out, struct buf *ev)
{
	double over = 0, total = 0;
	int first = 1;
	struct buf list = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const struct bal_school *s = ss[i];
		/* compulsory-stage pupils; one-through schools have the larger cap */
		double pupils = bal_sum_grades(s, 1, 9);
		double cap = s->type == BAL_T_NINE_YEAR || s->type == BAL_T_TWELVE_YEAR
				     ? p->size_nine_year_max : p->size_max;
		enum verdict v = pupils > cap ? V_FAIL : V_PASS;
		buf_reset(ev);
		if (v == V_FAIL) {
			bal_jfield(ev, "{\"pupils\":", pupils);
			bal_jfield(ev, ",\"cap\":", cap);
			buf_addch(ev, '}');
			buf_adds(&list, first ? "" : ",");
			bal_jschool(&list, s);
			buf_adds(&list, ",\"pupils\":");
			bal_jnum(&list, pupils);
			buf_addch(&list, '}');
			first = 0;
			over++;
		}
		total++;
		results_add_row(out, "BAL.SIZE", "school", s->code, "", year, pupils, pupils, NAN,
			cap, v, ev->buf);
	}
	if (total > 0) {
		buf_reset(ev);
		if (over > 0)
			buf_addf(ev, "{\"schools\":[%s]}", list.buf);
		results_add_row(out, "BAL.SIZE", "county", county, "", year, over / total, over,
			total, 0, over > 0 ? V_FAIL : V_PASS, ev->buf);
	}
	buf_release(&list);
}
