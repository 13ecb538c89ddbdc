/* mech_ledger.h: loaders of the assessment, curriculum, safety and tasks mechanisms: they
 * read the registry (portable SQL) into the engines' arrays (eng_assessment.h,
 * eng_safety.h, eng_tasks.h), feeding the data fingerprint, and run the engines. The task
 * loader is shared with `eduhq task` (task.c), which shows the same statuses. */
#ifndef MECH_LEDGER_H
#define MECH_LEDGER_H

#include "arena.h"
#include "eng_tasks.h"
#include "err.h"
#include "eval.h"

struct store;
struct rule_set;
struct eval_fp;

int mech_assessment_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
int mech_curriculum_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
int mech_safety_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
int mech_tasks_run(struct eval_ctx *ec, struct result_set *out, struct err *e);

/* Every task with its progress entries and the registry facts its formulas read. */
struct task_facts {
	struct arena arena;
	struct tk_task *tasks;
	int ntasks;
	struct tk_entry *entries;
	size_t nentries;
	struct tk_area *areas;
	int nareas;
	struct tk_project *projects;
	size_t nprojects, aprojects;
	struct tk_hazard *hazards;
	size_t nhazards, ahazards;
	struct tk_facts facts;        /* views of the arrays above */
};

/* Load them (fp may be NULL). Release with task_facts_release() even on failure. */
int task_facts_load(struct store *s, struct eval_fp *fp, struct task_facts *tf, struct err *e);
void task_facts_release(struct task_facts *tf);
/* Index of task code in tf, or -1. */
int task_facts_find(const struct task_facts *tf, const char *code);
/* tasks.lag parameters at as_of ("YYYY-MM-DD", NULL: today). */
int task_params_load(struct rule_set *rules, const char *as_of, struct tk_params *p,
		     struct err *e);

#endif
