/* api_ledger.c: handlers for the hazard ledger and the plan tasks: add a hazard, each step of
 * its state machine (register, assign, start, accept, close), one hazard with its steps, the
 * list with filters; add a task, record progress, one task with its status and entries, the
 * list with statuses. The ledger module (hazard.c, task.c) checks each step, applies the
 * caller's scope and writes the row, the step and the audit entry in one transaction, under
 * the signed-in user and the client's address; this file only translates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "date.h"
#include "hazard.h"
#include "rules.h"
#include "svc.h"
#include "task.h"
#include "banned.h"

/* Body errors of the ledger (ERR_USAGE: a bad value) are 422 like any invalid body. */
static void ledger_err(struct req *r, const struct err *e)
{
	if (e->code == ERR_USAGE)
		resp_error(r, 422, "invalid", NULL, "%s", e->msg);
	else
		api_err(r, e);
}

/* A date from the query or the body: "YYYY-MM-DD", else today into buf. 1 when answered. */
static int date_arg(struct req *r, const char *name, const char *v, char buf[11], const char **out,
		    int status)
{
	long d;
	if (!v) {
		date_format(date_today(), buf);
		*out = buf;
		return 0;
	}
	if (date_parse(v, &d) < 0) {
		resp_error(r, status, status == 400 ? "bad_request" : "invalid", NULL,
			   "%s: '%s' is not a date (YYYY-MM-DD)", name, v);
		return 1;
	}
	*out = v;
	return 0;
}

static const char *str(json_t *v)
{
	return v ? json_string_value(v) : NULL;
}

/* ---- hazards ---- */

static json_t *hazard_json_of(const struct hazard *h, long today)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:b}",
			 "code", h->code, "school_code", h->school_code, "category", h->category,
			 "found_date", h->found_date, "description", h->description, "is_major", h->is_major,
			 "state", hz_state_name(h->state), "state_zh", hz_state_zh(h->state),
			 "responsible", h->responsible, "measures", h->measures, "funds",
			 isfinite(h->funds) ? json_real(h->funds) : json_null(), "deadline", h->deadline,
			 "contingency_plan", h->contingency_plan, "closed_date", h->closed_date,
			 "overdue", hazard_is_overdue(h, today));
}

void api_hazard_add(struct req *r)
{
	static const struct api_field f[] = {
		{ "school", 's', 1 }, { "category", 's', 1 }, { "description", 's', 1 },
		{ "major", 'b', 0 }, { "found", 's', 0 }, { "code", 's', 0 },
		{ "unregistered", 'b', 0 }, { "date", 's', 0 },
	};
	json_t *v[8];
	struct hazard h = { .funds = NAN };
	struct svc_scope sc;
	struct actor who = api_actor(r);
	struct err e = ERR_INIT;
	const char *date;
	char today[11];
	int rc;

	if (api_fields(r, api_body(r), f, 8, v) || date_arg(r, "date", str(v[7]), today, &date, 422))
		return;
	h.school_code = str(v[0]);
	h.category = str(v[1]);
	h.description = str(v[2]);
	h.is_major = v[3] && json_is_true(v[3]);
	h.found_date = v[4] ? str(v[4]) : date;
	h.code = str(v[5]);
	h.state = v[6] && json_is_true(v[6]) ? HZ_FOUND : HZ_REGISTERED;
	api_svc_scope(r, &sc);
	rc = hazard_add(http_writer_lock(r->srv), &h, &sc, &who, date, &r->arena, &e);
	http_writer_unlock(r->srv);
	if (rc < 0)
		ledger_err(r, &e);
	else
		api_json(r, 201, hazard_json_of(&h, date_today()));
}

static void hazard_step_route(struct req *r, int step)
{
	static const struct api_field fa[] = {
		{ "date", 's', 0 }, { "responsible", 's', 0 }, { "measures", 's', 0 },
		{ "deadline", 's', 0 }, { "funds", 'n', 0 }, { "contingency_plan", 's', 0 },
	};
	int nf = step == HZ_STEP_ASSIGN ? 6 : 1;
	json_t *v[6] = { 0 };
	struct hz_assignment asg = { .funds = NAN };
	struct hz_rules hr;
	struct hazard h;
	struct svc_scope sc;
	struct actor who = api_actor(r);
	struct err e = ERR_INIT;
	struct rule_set *rules;
	const char *date;
	char today[11];
	int rc;

	if (api_fields(r, api_body(r), fa, nf, v) || date_arg(r, "date", str(v[0]), today, &date, 422))
		return;
	asg.responsible = str(v[1]);
	asg.measures = str(v[2]);
	asg.deadline = str(v[3]);
	if (v[4])
		asg.funds = json_number_value(v[4]);
	asg.contingency_plan = str(v[5]);
	if (!(rules = rules_load(r->rd, NULL, &e))) {
		api_err(r, &e);
		return;
	}
	rc = hz_rules_load(rules, &hr, &e);
	rules_free(rules);
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	api_svc_scope(r, &sc);
	rc = hazard_step(http_writer_lock(r->srv), r->params[0], step, &asg, &sc, &who, date, &hr,
			 &r->arena, &h, &e);
	http_writer_unlock(r->srv);
	if (rc < 0)
		ledger_err(r, &e);
	else
		api_json(r, 200, hazard_json_of(&h, date_today()));
}

void api_hazard_register(struct req *r) { hazard_step_route(r, HZ_STEP_REGISTER); }
void api_hazard_assign(struct req *r) { hazard_step_route(r, HZ_STEP_ASSIGN); }
void api_hazard_start(struct req *r) { hazard_step_route(r, HZ_STEP_START); }
void api_hazard_accept(struct req *r) { hazard_step_route(r, HZ_STEP_ACCEPT); }
void api_hazard_close(struct req *r) { hazard_step_route(r, HZ_STEP_CLOSE); }

static void step_json(void *ctx, const struct hz_event *ev)
{
	json_t *detail = ev->detail && *ev->detail ? json_loads(ev->detail, 0, NULL) : NULL;
	json_array_append_new(ctx, json_pack("{s:i, s:s?, s:s, s:s, s:s, s:s, s:o}", "seq", ev->seq,
					     "from_state", ev->from_state, "to_state", ev->to_state,
					     "date", ev->date, "actor", ev->actor, "recorded_at",
					     ev->recorded_at, "detail", detail ? detail : json_object()));
}

void api_hazard_get(struct req *r)
{
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct hazard h;
	json_t *o, *steps;

	api_svc_scope(r, &sc);
	if (hazard_get(r->rd, r->params[0], &sc, &r->arena, &h, &e) < 0) {
		api_err(r, &e);
		return;
	}
	o = hazard_json_of(&h, date_today());
	steps = json_array();
	if (hazard_events(r->rd, h.code, step_json, steps, &e) < 0) {
		json_decref(steps);
		json_decref(o);
		api_err(r, &e);
		return;
	}
	json_object_set_new(o, "steps", steps);
	api_json(r, 200, o);
}

struct hz_list {
	const char *school, *category;
	int state, overdue, major;   /* -1: any */
	long as_of;
	json_t *arr;
};

static void hazard_list_one(void *ctx, const struct hazard *h)
{
	struct hz_list *L = ctx;
	int od = hazard_is_overdue(h, L->as_of);
	if ((L->school && strcmp(L->school, h->school_code)) ||
	    (L->category && strcmp(L->category, h->category)) ||
	    (L->state >= 0 && (int)h->state != L->state) || (L->overdue >= 0 && od != L->overdue) ||
	    (L->major >= 0 && h->is_major != L->major))
		return;
	json_array_append_new(L->arr, hazard_json_of(h, L->as_of));
}

void api_hazards_list(struct req *r)
{
	struct hz_list L = { req_query(r, "school"), req_query(r, "category"), -1, -1, -1, 0, NULL };
	const char *state = req_query(r, "state"), *as_of;
	struct svc_scope sc;
	struct err e = ERR_INIT;
	char today[11];
	long od, mj;

	if (api_query_long(r, "overdue", -1, 0, 1, &od) || api_query_long(r, "major", -1, 0, 1, &mj) ||
	    date_arg(r, "as_of", req_query(r, "as_of"), today, &as_of, 400))
		return;
	if (state && (L.state = hz_state_parse(state)) < 0) {
		resp_error(r, 400, "bad_request", NULL, "state: unknown state '%s' (found, registered, "
			   "assigned, rectifying, accepted, closed)", state);
		return;
	}
	L.overdue = (int)od;
	L.major = (int)mj;
	date_parse(as_of, &L.as_of);
	L.arr = json_array();
	api_svc_scope(r, &sc);
	if (hazard_each(r->rd, &sc, hazard_list_one, &L, &e) < 0) {
		json_decref(L.arr);
		api_err(r, &e);
		return;
	}
	api_json(r, 200, json_pack("{s:s, s:o}", "as_of", as_of, "hazards", L.arr));
}

/* ---- plan tasks ---- */

static const char *const source_names[] = { "baseline", "entries", "formula", "sub_tasks" };

static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *task_json_of(const struct task_facts *tf, const struct tk_status *st, int i)
{
	const struct tk_task *t = &tf->tasks[i];
	char d1[11], d2[11];
	date_format(t->start, d1);
	date_format(t->deadline, d2);
	return json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:s, s:s?, s:s?, s:s, s:o, s:o, s:o, s:s}",
			 "code", t->code, "name", t->name, "owner_unit", t->owner, "unit", t->unit,
			 "baseline", t->baseline, "target", t->target, "start_date", d1, "deadline", d2,
			 "parent_code", t->parent >= 0 ? tf->tasks[t->parent].code : NULL, "formula",
			 st[i].source == TKS_FORMULA ? tk_formula_name(t->formula) : NULL,
			 "status", tk_status_name(&st[i]), "value", num(st[i].value), "share",
			 num(st[i].share), "expected", num(st[i].expected), "progress_from", source_names[st[i].source]);
}

/* Load and judge every task at the query's as_of; 1 when answered. */
static int task_load(struct req *r, struct task_facts *tf, struct tk_status **st,
		     struct tk_params *p, char as_of[11])
{
	const char *q = req_query(r, "as_of"), *d;
	struct err e = ERR_INIT;
	if (date_arg(r, "as_of", q, as_of, &d, 400))
		return 1;
	if (task_statuses(r->rd, d, tf, st, p, &e) < 0) {
		api_err(r, &e);
		return 1;
	}
	date_format(p->as_of, as_of);
	return 0;
}

void api_tasks_list(struct req *r)
{
	static const char *const statuses[] = { "met", "on_track", "lagging", "overdue" };
	const char *status = req_query(r, "status"), *owner = req_query(r, "owner");
	struct task_facts tf;
	struct tk_status *st = NULL;
	struct tk_params p;
	char as_of[11];
	json_t *arr;
	int ok = !status;

	for (int i = 0; status && i < 4; i++)
		ok |= !strcmp(status, statuses[i]);
	if (!ok) {
		resp_error(r, 400, "bad_request", NULL, "status: '%s' is not one of met, on_track, lagging, overdue",
			   status);
		return;
	}
	if (task_load(r, &tf, &st, &p, as_of))
		goto out;
	arr = json_array();
	for (int i = 0; i < tf.ntasks; i++)
		if ((!status || !strcmp(status, tk_status_name(&st[i]))) &&
		    (!owner || !strcmp(owner, tf.tasks[i].owner)))
			json_array_append_new(arr, task_json_of(&tf, st, i));
	api_json(r, 200, json_pack("{s:s, s:f, s:o}", "as_of", as_of, "tolerance", p.tolerance, "tasks", arr));
out:
	free(st);
	task_facts_release(&tf);
}

static void entry_json(void *ctx, const struct task_entry_row *e)
{
	json_array_append_new(ctx, json_pack("{s:s, s:f, s:s, s:s?, s:s?}", "date", e->date, "value", e->value,
					     "note", e->note ? e->note : "", "recorded_by",
					     e->recorded_by && *e->recorded_by ? e->recorded_by : NULL,
					     "recorded_at", e->recorded_at && *e->recorded_at ? e->recorded_at : NULL));
}

void api_task_get(struct req *r)
{
	struct task_facts tf;
	struct tk_status *st = NULL;
	struct tk_params p;
	struct err e = ERR_INIT;
	char as_of[11];
	json_t *o, *subs, *entries;
	int i;

	if (task_load(r, &tf, &st, &p, as_of))
		goto out;
	if ((i = task_facts_find(&tf, r->params[0])) < 0) {
		resp_error(r, 404, "not_found", NULL, "no task '%s'", r->params[0]);
		goto out;
	}
	o = task_json_of(&tf, st, i);
	subs = json_array();
	for (int j = 0; j < tf.ntasks; j++)
		if (tf.tasks[j].parent == i)
			json_array_append_new(subs, json_pack("{s:s, s:s, s:o}", "code", tf.tasks[j].code, "status",
							      tk_status_name(&st[j]), "share", num(st[j].share)));
	entries = json_array();
	if (task_entries(r->rd, tf.tasks[i].code, entry_json, entries, &e) < 0) {
		json_decref(o);
		json_decref(subs);
		json_decref(entries);
		api_err(r, &e);
		goto out;
	}
	json_object_set_new(o, "as_of", json_string(as_of));
	json_object_set_new(o, "tolerance", json_real(p.tolerance));
	json_object_set_new(o, "sub_tasks", subs);
	json_object_set_new(o, "entries", entries);
	api_json(r, 200, o);
out:
	free(st);
	task_facts_release(&tf);
}

void api_task_add(struct req *r)
{
	static const struct api_field f[] = {
		{ "code", 's', 1 }, { "name", 's', 1 }, { "owner_unit", 's', 1 }, { "target", 'n', 1 },
		{ "start_date", 's', 1 }, { "deadline", 's', 1 }, { "baseline", 'n', 0 },
		{ "unit", 's', 0 }, { "parent_code", 's', 0 }, { "formula", 's', 0 },
		{ "area_code", 's', 0 },
	};
	json_t *v[11];
	struct task_def t = { 0 };
	struct actor who = api_actor(r);
	struct err e = ERR_INIT;
	int rc;

	if (api_fields(r, api_body(r), f, 11, v))
		return;
	t.code = str(v[0]);
	t.name = str(v[1]);
	t.owner_unit = str(v[2]);
	t.target = json_number_value(v[3]);
	t.start_date = str(v[4]);
	t.deadline = str(v[5]);
	t.baseline = v[6] ? json_number_value(v[6]) : 0;
	t.unit = str(v[7]);
	t.parent_code = str(v[8]);
	t.formula = str(v[9]);
	t.area_code = str(v[10]);
	rc = task_add(http_writer_lock(r->srv), &t, &who, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		ledger_err(r, &e);
		return;
	}
	api_json(r, 201, json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:s, s:s?, s:s?, s:s?}", "code",
				   t.code, "name", t.name, "owner_unit", t.owner_unit, "unit",
				   t.unit ? t.unit : "", "baseline", t.baseline, "target", t.target,
				   "start_date", t.start_date, "deadline", t.deadline, "parent_code",
				   t.parent_code, "formula", t.formula, "area_code", t.area_code));
}

void api_task_progress(struct req *r)
{
	static const struct api_field f[] = { { "value", 'n', 1 }, { "date", 's', 0 }, { "note", 's', 0 } };
	json_t *v[3];
	struct svc_scope sc;
	struct actor who = api_actor(r);
	struct err e = ERR_INIT;
	const char *date;
	char today[11];
	int rc, replaced = 0;

	if (api_fields(r, api_body(r), f, 3, v) || date_arg(r, "date", str(v[1]), today, &date, 422))
		return;
	api_svc_scope(r, &sc);
	rc = task_record_progress(http_writer_lock(r->srv), r->params[0], date, json_number_value(v[0]),
				  str(v[2]), &sc, &who, &replaced, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		ledger_err(r, &e);
		return;
	}
	api_json(r, 201, json_pack("{s:s, s:s, s:f, s:s, s:s, s:b}", "task_code", r->params[0],
						    "date", date, "value", json_number_value(v[0]), "note",
						    str(v[2]) ? str(v[2]) : "", "recorded_by", who.name,
						    "replaced", replaced));
}
