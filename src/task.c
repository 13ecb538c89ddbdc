/* task.c: plan tasks: adding, recording progress, statuses (see task.h). SQL here is
 * portable (SQLite and PostgreSQL). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "rules.h"
#include "scope.h"
#include "svc.h"
#include "store.h"
#include "table.h"
#include "task.h"
#include "xmalloc.h"
#include "banned.h"

struct entry_write {
	const char *task_code, *date, *note;
	double value;
};

/* The audit entry of a task write: task.add with the new task, or task.progress with the
 * entry (before: none; a replaced entry's old value is in the log's earlier entry). */
static int task_audit(struct store *s, const struct task_def *t, const struct entry_write *p,
		      const struct actor *who, struct err *e)
{
	char key[160];
	json_t *j;
	char *after;
	int rc;
	if (t)
		j = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:s, s:s?, s:s?, s:s?}", "code",
			      t->code, "name", t->name, "owner_unit", t->owner_unit, "unit",
			      t->unit ? t->unit : "", "baseline", t->baseline, "target", t->target,
			      "start_date", t->start_date, "deadline", t->deadline, "parent_code",
			      t->parent_code, "formula", t->formula, "area_code", t->area_code);
	else
		j = json_pack("{s:s, s:s, s:f, s:s}", "task_code", p->task_code, "date", p->date,
			      "value", p->value, "note", p->note ? p->note : "");
	after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (t)
		snprintf(key, sizeof(key), "%s", t->code);
	else
		snprintf(key, sizeof(key), "%s,%s", p->task_code, p->date);
	rc = audit_write_person(s, who, t ? "task.add" : "task.progress",
			  t ? "task" : "task_progress", key, NULL, after, e);
	free(after);
	return rc;
}

/* The one place tasks are written: a new task t, or a progress entry p (inserted, or
 * replacing the entry of the same date), inside the caller's transaction, with its audit
 * entry. */
static int task_write(struct store *s, const struct task_def *t, const struct entry_write *p,
		      const struct actor *who, struct err *e)
{
	struct store_stmt *st;
	int r;

	if (t) {
		st = store_prepare(s, "INSERT INTO task (code, name, owner_unit, unit, baseline, "
				   "target, start_date, deadline, parent_code, formula, area_code) "
				   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", e);
		if (!st)
			return e->code;
		store_bind_text(st, 1, t->code);
		store_bind_text(st, 2, t->name);
		store_bind_text(st, 3, t->owner_unit);
		store_bind_text(st, 4, t->unit ? t->unit : "");
		store_bind_double(st, 5, t->baseline);
		store_bind_double(st, 6, t->target);
		store_bind_text(st, 7, t->start_date);
		store_bind_text(st, 8, t->deadline);
		store_bind_text_opt(st, 9, t->parent_code);
		store_bind_text(st, 10, t->formula ? t->formula : "");
		store_bind_text_opt(st, 11, t->area_code);
	} else {
		char now[32];
		date_stamp(time(NULL), now);
		st = store_prepare(s, "INSERT INTO task_progress (task_code, date, value, note, "
				   "recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
				   "ON CONFLICT (task_code, date) DO UPDATE SET value = ?3, note = ?4, "
				   "recorded_by = ?5, recorded_at = ?6", e);
		if (!st)
			return e->code;
		store_bind_text(st, 1, p->task_code);
		store_bind_text(st, 2, p->date);
		store_bind_double(st, 3, p->value);
		store_bind_text(st, 4, p->note ? p->note : "");
		store_bind_text(st, 5, who->name);
		store_bind_text(st, 6, now);
	}
	r = store_step(st, e);
	store_finalize(st);
	if (r < 0) {
		err_prefix(e, "task '%s'", t ? t->code : p->task_code);
		return e->code;
	}
	return task_audit(s, t, p, who, e);
}

int task_add(struct store *s, const struct task_def *t, const struct actor *who, struct err *e)
{
	long a, b;
	int r;

	if (!t->code || !*t->code || !t->name || !*t->name || !t->owner_unit || !*t->owner_unit)
		return err_set(e, ERR_USAGE, "a task needs a code, a name and an owner unit");
	if (date_parse(t->start_date, &a) < 0)
		return err_set(e, ERR_USAGE, "start date '%s' is not a date (YYYY-MM-DD)",
			       t->start_date ? t->start_date : "");
	if (date_parse(t->deadline, &b) < 0)
		return err_set(e, ERR_USAGE, "deadline '%s' is not a date (YYYY-MM-DD)",
			       t->deadline ? t->deadline : "");
	if (b < a)
		return err_set(e, ERR_DATA, "task '%s': deadline %s is before its start %s", t->code,
			       t->deadline, t->start_date);
	if (!isfinite(t->baseline) || !isfinite(t->target))
		return err_set(e, ERR_USAGE, "task '%s': baseline and target must be numbers",
			       t->code);
	if (tk_formula_parse(t->formula ? t->formula : "") < 0)
		return err_set(e, ERR_USAGE, "unknown formula '%s' (known: schools_opened, "
			       "nine_year_opened, expansions_done, seats_added, hazards_closed_pct)",
			       t->formula);
	if (store_begin(s, e) < 0)
		return e->code;
	r = store_has_row(s, "SELECT 1 FROM task WHERE code = ?1", t->code, e);
	if (r == 1)
		r = err_set(e, ERR_DATA, "task '%s' already exists", t->code);
	if (r >= 0 && t->parent_code && *t->parent_code &&
	    (r = store_has_row(s, "SELECT 1 FROM task WHERE code = ?1", t->parent_code, e)) == 0)
		r = err_set(e, ERR_DATA, "task '%s': no parent task '%s'", t->code, t->parent_code);
	if (r >= 0 && t->area_code && *t->area_code &&
	    (r = store_has_row(s, "SELECT 1 FROM area WHERE code = ?1", t->area_code, e)) == 0)
		r = err_set(e, ERR_DATA, "task '%s': no area '%s'", t->code, t->area_code);
	if (r >= 0)
		r = task_write(s, t, NULL, who, e);
	return store_finish(s, r < 0 ? r : 0, e);
}

/* May a caller of scope sc record progress of a task of area `area` (NULL: the whole
 * registry)? City roles may; a county user for a task of its area subtree; a school user
 * never (tasks are set per area). 1 yes, 0 no, negative on error. */
static int task_area_in_scope(struct store *s, const char *area, const struct svc_scope *sc,
			      struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int r;
	if (!sc || ((!sc->area || !*sc->area) && (!sc->school || !*sc->school)))
		return 1;
	if (!area || !*area)
		return 0;
	buf_adds(&sql, "SELECT 1 FROM area r WHERE r.code = ?1");
	scope_cond_pair(&sql, table_find("area"), "r", sc->area, sc->school, 2, 3);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	store_bind_text(st, 1, area);
	if (sc->area && *sc->area)
		store_bind_text(st, 2, sc->area);
	if (sc->school && *sc->school)
		store_bind_text(st, 3, sc->school);
	r = store_step(st, e);
	store_finalize(st);
	return r;
}

int task_record_progress(struct store *s, const char *code, const char *date, double value,
			 const char *note, const struct svc_scope *sc, const struct actor *who,
			 int *replaced, struct err *e)
{
	struct store_stmt *st;
	struct entry_write p = { code, date, note, value };
	char formula[64] = "", area[32] = "", start_s[16] = "";
	long d, start = 0;
	int r;

	*replaced = 0;
	if (date_parse(date, &d) < 0)
		return err_set(e, ERR_USAGE, "'%s' is not a date (YYYY-MM-DD)", date);
	if (!isfinite(value))
		return err_set(e, ERR_USAGE, "the progress value must be a number");
	if (store_begin(s, e) < 0)
		return e->code;
	st = store_prepare(s, "SELECT start_date, formula, area_code FROM task WHERE code = ?1", e);
	if (!st)
		return store_finish(s, e->code, e);
	store_bind_text(st, 1, code);
	r = store_step(st, e);
	if (r == 0)
		r = err_set(e, ERR_NOTFOUND, "no task '%s'", code);
	else if (r == 1) {
		const char *f = store_column_text(st, 1), *ar = store_column_text(st, 2);
		date_parse(store_column_text(st, 0), &start);
		snprintf(formula, sizeof(formula), "%s", f ? f : "");
		snprintf(area, sizeof(area), "%s", ar ? ar : "");
		snprintf(start_s, sizeof(start_s), "%s", store_column_text(st, 0));
	}
	store_finalize(st);
	if (r == 1 && (r = task_area_in_scope(s, area, sc, e)) == 0)
		r = err_set(e, ERR_PERM, "task '%s' is outside your scope", code);
	else if (r == 1 && *formula)
		r = err_set(e, ERR_DATA, "task '%s' takes its progress from the registry "
			    "(formula %s); it has no manual entries", code, formula);
	else if (r == 1 && d < start)
		r = err_set(e, ERR_DATA, "task '%s' starts on %s; no progress on %s", code,
			    start_s, date);
	if (r >= 0 && (r = store_has_row(s, "SELECT 1 FROM task WHERE parent_code = ?1", code, e)) == 1)
		r = err_set(e, ERR_DATA, "task '%s' has sub-tasks: its progress is theirs, rolled up",
			    code);
	if (r >= 0) {
		st = store_prepare(s, "SELECT 1 FROM task_progress WHERE task_code = ?1 AND date = ?2",
				   e);
		if (!st)
			return store_finish(s, e->code, e);
		store_bind_text(st, 1, code);
		store_bind_text(st, 2, date);
		r = store_step(st, e);
		store_finalize(st);
		if (r >= 0) {
			*replaced = r == 1;
			r = task_write(s, NULL, &p, who, e);
		}
	}
	return store_finish(s, r < 0 ? r : 0, e);
}

int task_entries(struct store *s, const char *code,
		 void (*fn)(void *ctx, const struct task_entry_row *r), void *ctx, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT date, value, note, recorded_by, "
					      "recorded_at FROM task_progress WHERE task_code = ?1 "
					      "ORDER BY date", e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, code);
	while ((r = store_step(st, e)) == 1) {
		struct task_entry_row row = {
			.date = store_column_text(st, 0), .value = store_column_double(st, 1),
			.note = store_column_text(st, 2), .recorded_by = store_column_text(st, 3),
			.recorded_at = store_column_text(st, 4),
		};
		fn(ctx, &row);
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

int task_statuses(struct store *s, const char *as_of, struct task_facts *tf,
		  struct tk_status **st, struct tk_params *p, struct err *e)
{
	struct rule_set *rules = rules_load(s, NULL, e);
	int rc;

	*st = NULL;
	memset(tf, 0, sizeof(*tf));
	if (!rules)
		return e->code;
	rc = task_params_load(rules, as_of, p, e);
	rules_free(rules);
	if (rc < 0)
		return rc;
	rc = task_facts_load(s, NULL, tf, e);
	if (rc < 0)
		return rc;
	*st = xcalloc((size_t)tf->ntasks + 1, sizeof(**st));
	tasks_eval(tf->tasks, tf->ntasks, &tf->facts, p, *st);
	return 0;
}
