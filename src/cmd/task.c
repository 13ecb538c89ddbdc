/* cmd/task.c: `eduhq task add|progress|show|list`: argument parsing and formatting around
 * the task module (task.h), which checks tasks, records progress with who recorded it
 * (--as NAME, else the operating-system user) and computes each task's status. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "audit.h"
#include "store.h"
#include "task.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq task add CODE --name TEXT --owner UNIT --target N --start DATE --deadline DATE\n"
	"               [--baseline N] [--unit TEXT] [--parent CODE] [--formula F] [--area CODE]",
	"eduhq task progress CODE --value N [--date DATE] [--note TEXT] [--as NAME]",
	"eduhq task show CODE [--as-of DATE]",
	"eduhq task list [--status met|on_track|lagging|overdue] [--owner UNIT] [--as-of DATE]",
	NULL,
};

static int do_add(struct ctx *c, int argc, const char **argv)
{
	struct task_def t = { .baseline = 0, .target = NAN };
	struct opt opts[] = {
		OPT_STRING("name", &t.name, "TEXT", "task (任务名称)"),
		OPT_STRING("owner", &t.owner_unit, "UNIT", "unit responsible (责任单位)"),
		OPT_DOUBLE("target", &t.target, "N", "target value (目标值)"),
		OPT_DOUBLE("baseline", &t.baseline, "N", "value at the start (基期值, default 0)"),
		OPT_STRING("unit", &t.unit, "TEXT", "unit of the target (所, 个, 万元, %)"),
		OPT_STRING("start", &t.start_date, "DATE", "start date"),
		OPT_STRING("deadline", &t.deadline, "DATE", "deadline (完成时限)"),
		OPT_STRING("parent", &t.parent_code, "CODE", "parent task (progress rolls up)"),
		OPT_STRING("formula", &t.formula, "F", "take progress from the registry: "
			   "schools_opened, nine_year_opened, expansions_done, seats_added, "
			   "hazards_closed_pct"),
		OPT_STRING("area", &t.area_code, "CODE", "area a formula counts (default: all)"),
		OPT_END(),
	};
	struct actor who = { cmd_actor(NULL), "cli" };
	struct err e = ERR_INIT;
	struct store *s;
	int rc;

	if (opt_parse(c, argc, argv, opts, usage) != 1)
		opt_usage_die(usage, "task add needs one task code");
	t.code = argv[0];
	if (!t.name || !t.owner_unit || isnan(t.target) || !t.start_date || !t.deadline)
		opt_usage_die(usage, "task add needs --name, --owner, --target, --start and "
			      "--deadline");
	s = cmd_open_store(c);
	if (!s)
		return 1;
	rc = task_add(s, &t, &who, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("task %s: %s, %g → %g %s by %s\n", t.code, t.name, t.baseline, t.target,
		       t.unit ? t.unit : "", t.deadline);
	store_close(s);
	return rc;
}

static int do_progress(struct ctx *c, int argc, const char **argv)
{
	const char *date = NULL, *note = NULL, *as = NULL;
	double value = NAN;
	struct opt opts[] = {
		OPT_DOUBLE("value", &value, "N", "cumulative value reached (完成值)"),
		OPT_STRING("date", &date, "DATE", "date of the entry (default: today)"),
		OPT_STRING("note", &note, "TEXT", "note (进展说明)"),
		OPT_STRING("as", &as, "NAME", "who records it (default: the operating-system user)"),
		OPT_END(),
	};
	struct actor who = { NULL, "cli" };
	struct err e = ERR_INIT;
	struct store *s;
	char today[11];
	int rc, replaced = 0;

	if (opt_parse(c, argc, argv, opts, usage) != 1)
		opt_usage_die(usage, "task progress needs one task code");
	if (isnan(value))
		opt_usage_die(usage, "task progress needs --value");
	if (!date) {
		date_format(date_today(), today);
		date = today;
	}
	s = cmd_open_store(c);
	if (!s)
		return 1;
	who.name = cmd_actor(as);
	rc = task_record_progress(s, argv[0], date, value, note, NULL, &who, &replaced, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("task %s: %g on %s recorded by %s%s\n", argv[0], value, date, cmd_actor(as),
		       replaced ? " (replaces that date's entry)" : "");
	store_close(s);
	return rc;
}

static void print_entry(void *ctx, const struct task_entry_row *r)
{
	(void)ctx;
	printf("  %s  %12g  by %s%s%s%s%s\n", r->date, r->value,
	       r->recorded_by && *r->recorded_by ? r->recorded_by : "(import)",
	       r->recorded_at && *r->recorded_at ? " at " : "",
	       r->recorded_at ? r->recorded_at : "", r->note && *r->note ? "  " : "",
	       r->note ? r->note : "");
}

static const char *const source_names[] = { "baseline (no entry yet)", "progress entries",
	"registry formula", "sub-tasks" };

static int do_show(struct ctx *c, int argc, const char **argv)
{
	const char *as_of = NULL;
	struct opt opts[] = {
		OPT_STRING("as-of", &as_of, "DATE", "judge the task at DATE (default: today)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct task_facts tf;
	struct tk_status *st = NULL;
	struct tk_params p;
	struct store *s;
	int rc, i;

	if (opt_parse(c, argc, argv, opts, usage) != 1)
		opt_usage_die(usage, "task show needs one task code");
	s = cmd_open_store(c);
	if (!s)
		return 1;
	rc = task_statuses(s, as_of, &tf, &st, &p, &e);
	if (rc == 0 && (i = task_facts_find(&tf, argv[0])) < 0)
		rc = err_set(&e, ERR_NOTFOUND, "no task '%s'", argv[0]);
	if (rc == 0) {
		const struct tk_task *t = &tf.tasks[i];
		char d1[11], d2[11], d3[11];
		date_format(t->start, d1);
		date_format(t->deadline, d2);
		date_format(p.as_of, d3);
		printf("task %s: %s\n", t->code, t->name);
		printf("  %-12s %s\n", "owner", t->owner);
		printf("  %-12s %g → %g %s, %s to %s\n", "target", t->baseline, t->target, t->unit,
		       d1, d2);
		if (t->parent >= 0)
			printf("  %-12s %s\n", "parent", tf.tasks[t->parent].code);
		printf("  %-12s %s%s%s\n", "progress from", source_names[st[i].source],
		       st[i].source == TKS_FORMULA ? " " : "",
		       st[i].source == TKS_FORMULA ? tk_formula_name(t->formula) : "");
		printf("  %-12s %s on %s: value %g, %.1f%% done, %.1f%% expected (tolerance %g)\n",
		       "status", tk_status_name(&st[i]), d3, st[i].value, 100 * st[i].share,
		       100 * st[i].expected, p.tolerance);
		for (int j = 0; j < tf.ntasks; j++)
			if (tf.tasks[j].parent == i)
				printf("  %-12s %s %s (%.1f%%)\n", "sub-task", tf.tasks[j].code,
				       tk_status_name(&st[j]), 100 * st[j].share);
		printf("entries:\n");
		rc = task_entries(s, t->code, print_entry, NULL, &e);
	}
	if (rc < 0)
		rc = cmd_error(&e);
	free(st);
	task_facts_release(&tf);
	store_close(s);
	return rc;
}

static int do_list(struct ctx *c, int argc, const char **argv)
{
	const char *as_of = NULL, *status = NULL, *owner = NULL;
	static const char *const statuses[] = { "met", "on_track", "lagging", "overdue", NULL };
	struct opt opts[] = {
		OPT_STRING("status", &status, "S", "only tasks with this status"),
		OPT_STRING("owner", &owner, "UNIT", "only this unit's tasks"),
		OPT_STRING("as-of", &as_of, "DATE", "judge the tasks at DATE (default: today)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct task_facts tf;
	struct tk_status *st = NULL;
	struct tk_params p;
	struct store *s;
	int rc, n = 0;

	opt_parse_none(c, argc, argv, opts, usage);
	if (status)
		opt_check_choice(usage, "status", status, statuses);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	rc = task_statuses(s, as_of, &tf, &st, &p, &e);
	for (int i = 0; rc == 0 && i < tf.ntasks; i++) {
		const struct tk_task *t = &tf.tasks[i];
		char dl[11];
		if ((status && strcmp(status, tk_status_name(&st[i]))) ||
		    (owner && strcmp(owner, t->owner)))
			continue;
		if (!n++)
			printf("%-14s %-9s %7s %9s %-10s %s\n", "code", "status", "done", "expected",
			       "deadline", "name");
		date_format(t->deadline, dl);
		printf("%-14s %-9s %6.1f%% %8.1f%% %-10s %s\n", t->code, tk_status_name(&st[i]),
		       100 * st[i].share, 100 * st[i].expected, dl, t->name);
	}
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("%d task%s\n", n, n == 1 ? "" : "s");
	free(st);
	task_facts_release(&tf);
	store_close(s);
	return rc;
}

int cmd_task(struct ctx *c, int argc, const char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb || !strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		struct opt none[] = { OPT_END() };
		const char *hv[] = { "task", "--help", NULL };
		if (!verb)
			opt_usage_die(usage, "task needs a subcommand");
		opt_parse(c, 2, hv, none, usage);
		return 0;
	}
	if (!strcmp(verb, "add"))
		return do_add(c, argc - 1, argv + 1);
	if (!strcmp(verb, "progress"))
		return do_progress(c, argc - 1, argv + 1);
	if (!strcmp(verb, "show"))
		return do_show(c, argc - 1, argv + 1);
	if (!strcmp(verb, "list"))
		return do_list(c, argc - 1, argv + 1);
	opt_usage_die(usage, "unknown task subcommand '%s'", verb);
}
