/* task.h: plan tasks and targets (SPEC §2.8): adding a task, recording progress with who
 * recorded it, and each task's status (lagging, overdue, met) from the tasks engine
 * (eng_tasks.h) over the same facts `eduhq eval tasks` reads. The writes go through one
 * function (task.c task_write()): the place an audit log hooks in. */
#ifndef TASK_H
#define TASK_H

#include "err.h"
#include "mech_ledger.h"

struct store;
struct rule_set;
struct actor;
struct svc_scope;

struct task_def {
	const char *code, *name, *owner_unit, *unit;
	double baseline, target;
	const char *start_date, *deadline;
	const char *parent_code;   /* NULL: none */
	const char *formula;       /* NULL or "": progress entries */
	const char *area_code;     /* NULL: the whole registry */
};

/* Add a task after checking it (dates, deadline not before start, parent, formula, area,
 * code not taken), with its audit entry (task.add) by who, in one transaction. */
int task_add(struct store *s, const struct task_def *t, const struct actor *who, struct err *e);

/* Record the cumulative value reached by date (an entry for the same date is replaced),
 * with who->name and the time, and its audit entry (task.progress) by who. Refused for a
 * task with a formula or children (their progress is computed) and for a date before the
 * task's start. Scope sc (svc.h; NULL: everything): a county user records progress only of
 * tasks whose area lies in its subtree, a school user of none (ERR_PERM "task 'X' is
 * outside your scope"). *replaced set to 1 when an entry was replaced. */
int task_record_progress(struct store *s, const char *code, const char *date, double value,
			 const char *note, const struct svc_scope *sc, const struct actor *who,
			 int *replaced, struct err *e);

struct task_entry_row {
	const char *date, *note, *recorded_by, *recorded_at;
	double value;
};
/* Each progress entry of code, by date (strings borrowed for the call). */
int task_entries(struct store *s, const char *code,
		 void (*fn)(void *ctx, const struct task_entry_row *r), void *ctx, struct err *e);

/* Load every task and its facts and evaluate them at as_of (NULL: today) with the rules in
 * force today: tf and *st (new array of tf->ntasks, free()) are the caller's. */
int task_statuses(struct store *s, const char *as_of, struct task_facts *tf,
		  struct tk_status **st, struct tk_params *p, struct err *e);

#endif
