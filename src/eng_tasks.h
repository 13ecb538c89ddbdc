/* eng_tasks.h: plan targets (SPEC §2.8): a task's progress against the straight line from
 * its baseline at its start to its target at its deadline; lagging when behind the line by
 * more than the rule's tolerance, overdue when past the deadline and not met; parents take
 * the mean progress of their children; a task with a formula takes its value from the
 * registry (construction projects, the hazard ledger) instead of its progress entries.
 *
 * Pure: tasks and registry facts in, statuses and result rows out. */
#ifndef ENG_TASKS_H
#define ENG_TASKS_H

#include <stddef.h>

struct result_set;

enum tk_formula { TKF_NONE, TKF_SCHOOLS_OPENED, TKF_NINE_YEAR_OPENED, TKF_EXPANSIONS_DONE,
		  TKF_SEATS_ADDED, TKF_HAZARDS_CLOSED_PCT, TKF_N };

/* The formula's code as stored in task.formula ("" for none), and back (-1 unknown). */
const char *tk_formula_name(int f);
int tk_formula_parse(const char *s);

struct tk_entry {
	long date;                  /* day number */
	double value;               /* cumulative value reached */
};

struct tk_task {
	const char *code, *name, *owner, *unit;
	int parent;                 /* index of the parent task, -1 none */
	double baseline, target;
	long start, deadline;       /* day numbers */
	int formula;                /* enum tk_formula */
	int area;                   /* index into the facts' areas a formula counts, -1 all */
	const struct tk_entry *entries; /* sorted by date */
	int nentries;
};

/* Registry facts a formula reads. Each fact names its area by index; an area matches a
 * task's area when it is that area or below it. */
struct tk_area {
	const char *code;
	int parent;                 /* -1 at the top */
};

struct tk_project {
	int area;
	int is_new, is_expansion, nine_year, done;
	int completion_year;
	double seats;
};

struct tk_hazard {
	int area;
	long found, closed;         /* closed -1 when not closed */
};

struct tk_facts {
	const struct tk_area *areas;
	int nareas;
	const struct tk_project *projects;
	size_t nprojects;
	const struct tk_hazard *hazards;
	size_t nhazards;
};

struct tk_params {
	double tolerance;           /* tasks.lag tolerance, a share of (target - baseline) */
	long as_of;                 /* day number of the evaluation date */
};

enum tk_source { TKS_BASELINE, TKS_ENTRIES, TKS_FORMULA, TKS_CHILDREN };

struct tk_status {
	double value;               /* value reached at as_of */
	double share;               /* (value - baseline) / (target - baseline) */
	double expected;            /* the straight line's share at as_of, 0..1 */
	long entry_date;            /* date of the entry used, -1 none */
	enum tk_source source;
	int children, lagging_children, overdue_children;
	int met, lagging, overdue;
};

/* "met", "overdue", "lagging" or "on_track" (static). */
const char *tk_status_name(const struct tk_status *s);

/* The value a formula gives at as_of for area (-1: all). */
double tk_formula_value(int formula, int area, const struct tk_facts *f, long as_of);

/* Statuses of all n tasks into st[n]. Parent cycles are broken (a task in a cycle is taken
 * as having no parent). */
void tasks_eval(const struct tk_task *t, int n, const struct tk_facts *f,
		const struct tk_params *p, struct tk_status *st);

/* TASK.PROGRESS per task (see docs/indicators.md). */
void tasks_run(const struct tk_task *t, int n, const struct tk_facts *f,
	       const struct tk_params *p, int year, struct result_set *out);

#endif
