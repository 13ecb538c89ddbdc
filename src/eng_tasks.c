/* eng_tasks.c: plan targets: progress against the straight line, lagging, overdue,
 * roll-up to parents and progress from the registry. Pure: see eng_tasks.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "eng_tasks.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

/* Float noise only (shares are ratios of entered numbers); not a policy threshold: the
 * tolerance is the rule's. At exactly the tolerance a task is not lagging. */
#define EPS 1e-9

static const char *const formulas[TKF_N] = { "", "schools_opened", "nine_year_opened",
	"expansions_done", "seats_added", "hazards_closed_pct" };

const char *tk_formula_name(int f)
{
	return f >= 0 && f < TKF_N ? formulas[f] : "?";
}

int tk_formula_parse(const char *s)
{
	for (int i = 0; s && i < TKF_N; i++)
		if (!strcmp(formulas[i], s))
			return i;
	return -1;
}

const char *tk_status_name(const struct tk_status *s)
{
	return s->met ? "met" : s->overdue ? "overdue" : s->lagging ? "lagging" : "on_track";
}

static int in_area(const struct tk_facts *f, int a, int area)
{
	for (int steps = 0; a >= 0 && steps <= f->nareas; a = f->areas[a].parent, steps++)
		if (a == area)
			return 1;
	return 0;
}

static int year_of(long day)
{
	char d[11];
	date_format(day, d);
	return atoi(d);
}

double tk_formula_value(int formula, int area, const struct tk_facts *f, long as_of)
{
	int y = year_of(as_of);
	double v = 0, n = 0;

	if (formula == TKF_HAZARDS_CLOSED_PCT) {
		for (size_t i = 0; i < f->nhazards; i++) {
			const struct tk_hazard *h = &f->hazards[i];
			if (h->found > as_of || (area >= 0 && !in_area(f, h->area, area)))
				continue;
			n++;
			v += h->closed >= 0 && h->closed <= as_of;
		}
		return n ? 100 * v / n : 0;
	}
	for (size_t i = 0; i < f->nprojects; i++) {
		const struct tk_project *p = &f->projects[i];
		if (!p->done || p->completion_year > y || (area >= 0 && !in_area(f, p->area, area)))
			continue;
		switch (formula) {
		case TKF_SCHOOLS_OPENED: v += p->is_new; break;
		case TKF_NINE_YEAR_OPENED: v += p->is_new && p->nine_year; break;
		case TKF_EXPANSIONS_DONE: v += p->is_expansion; break;
		case TKF_SEATS_ADDED: v += p->seats; break;
		default: break;
		}
	}
	return v;
}

static double line_share(const struct tk_task *t, long as_of)
{
	if (as_of >= t->deadline)
		return 1;
	if (as_of <= t->start)
		return 0;
	return (double)(as_of - t->start) / (double)(t->deadline - t->start);
}

static void judge(const struct tk_task *t, const struct tk_params *p, struct tk_status *s)
{
	s->expected = line_share(t, p->as_of);
	s->met = s->share >= 1 - EPS;
	s->overdue = !s->met && p->as_of > t->deadline;
	s->lagging = !s->met && s->expected - s->share > p->tolerance + EPS;
}

static void own_value(const struct tk_task *t, const struct tk_facts *f,
		      const struct tk_params *p, struct tk_status *s)
{
	s->entry_date = -1;
	s->value = t->baseline;
	s->source = TKS_BASELINE;
	if (t->formula > TKF_NONE && t->formula < TKF_N) {
		s->value = tk_formula_value(t->formula, t->area, f, p->as_of);
		s->source = TKS_FORMULA;
	} else {
		for (int k = 0; k < t->nentries && t->entries[k].date <= p->as_of; k++) {
			s->value = t->entries[k].value;
			s->entry_date = t->entries[k].date;
			s->source = TKS_ENTRIES;
		}
	}
	if (t->target != t->baseline)
		s->share = (s->value - t->baseline) / (t->target - t->baseline);
	else
		s->share = s->value >= t->target ? 1 : 0;
}

void tasks_eval(const struct tk_task *t, int n, const struct tk_facts *f,
		const struct tk_params *p, struct tk_status *st)
{
	int *depth = xcalloc((size_t)n + 1, sizeof(int)), *par = xcalloc((size_t)n + 1, sizeof(int));
	double *sum = xcalloc((size_t)n + 1, sizeof(double));
	int maxd = 0;

	for (int i = 0; i < n; i++) {
		int j = t[i].parent, d = 0;
		par[i] = t[i].parent >= 0 && t[i].parent < n ? t[i].parent : -1;
		while (j >= 0 && j < n && d <= n) {
			j = t[j].parent;
			d++;
		}
		if (d > n) { /* a cycle: no parent */
			par[i] = -1;
			d = 0;
		}
		depth[i] = d;
		if (d > maxd)
			maxd = d;
		memset(&st[i], 0, sizeof(st[i]));
	}
	for (int d = maxd; d >= 0; d--)
		for (int i = 0; i < n; i++) {
			if (depth[i] != d)
				continue;
			if (st[i].children) {
				st[i].share = sum[i] / st[i].children;
				st[i].value = t[i].baseline + st[i].share * (t[i].target - t[i].baseline);
				st[i].source = TKS_CHILDREN;
				st[i].entry_date = -1;
			} else {
				own_value(&t[i], f, p, &st[i]);
			}
			judge(&t[i], p, &st[i]);
			if (par[i] >= 0) {
				struct tk_status *ps = &st[par[i]];
				ps->children++;
				ps->lagging_children += st[i].lagging && !st[i].overdue;
				ps->overdue_children += st[i].overdue;
				sum[par[i]] += st[i].share;
			}
		}
	free(sum);
	free(par);
	free(depth);
}

static const char *const sources[] = { "baseline", "entries", "formula", "children" };

void tasks_run(const struct tk_task *t, int n, const struct tk_facts *f,
	       const struct tk_params *p, int year, struct result_set *out)
{
	struct tk_status *st = xcalloc((size_t)n + 1, sizeof(*st));
	struct buf ev = BUF_INIT;
	char d1[11], d2[11], d3[11];

	tasks_eval(t, n, f, p, st);
	for (int i = 0; i < n; i++) {
		const struct tk_status *s = &st[i];
		int k = 0;
		buf_reset(&ev);
		date_format(t[i].start, d1);
		date_format(t[i].deadline, d2);
		date_format(p->as_of, d3);
		buf_adds(&ev, "{\"name\":");
		buf_add_json_str(&ev, t[i].name);
		buf_adds(&ev, ",\"owner_unit\":");
		buf_add_json_str(&ev, t[i].owner);
		buf_adds(&ev, ",\"unit\":");
		buf_add_json_str(&ev, t[i].unit ? t[i].unit : "");
		buf_addf(&ev, ",\"status\":\"%s\",\"baseline\":%.10g,\"target\":%.10g,"
			 "\"value\":%.10g,\"start\":\"%s\",\"deadline\":\"%s\",\"as_of\":\"%s\","
			 "\"expected_share\":%.6f,\"progress_share\":%.6f,\"tolerance\":%g,"
			 "\"source\":\"%s\"", tk_status_name(s), t[i].baseline, t[i].target,
			 s->value, d1, d2, d3, s->expected, s->share, p->tolerance,
			 sources[s->source]);
		if (s->source == TKS_FORMULA)
			buf_addf(&ev, ",\"formula\":\"%s\"", tk_formula_name(t[i].formula));
		if (s->entry_date >= 0) {
			date_format(s->entry_date, d1);
			buf_addf(&ev, ",\"entry_date\":\"%s\"", d1);
		}
		if (t[i].parent >= 0 && t[i].parent < n) {
			buf_adds(&ev, ",\"parent\":");
			buf_add_json_str(&ev, t[t[i].parent].code);
		}
		if (s->children) {
			buf_adds(&ev, ",\"children\":[");
			for (int j = 0; j < n; j++)
				if (t[j].parent == i) {
					buf_adds(&ev, k++ ? ",{\"code\":" : "{\"code\":");
					buf_add_json_str(&ev, t[j].code);
					buf_addf(&ev, ",\"status\":\"%s\",\"progress_share\":%.6f}",
						 tk_status_name(&st[j]), st[j].share);
				}
			buf_addch(&ev, ']');
		}
		if (!s->met && (s->lagging || s->overdue))
			buf_addf(&ev, ",\"note\":\"%s: %.0f%% done, %.0f%% expected by %s\"",
				 tk_status_name(s), 100 * s->share, 100 * s->expected, d3);
		buf_addch(&ev, '}');
		results_add_row(out, "TASK.PROGRESS", "task", t[i].code, "", year, s->share,
				s->value, t[i].target, s->expected - p->tolerance,
				s->overdue ? V_FAIL : s->lagging ? V_WARN : V_PASS, ev.buf);
	}
	buf_release(&ev);
	free(st);
}
