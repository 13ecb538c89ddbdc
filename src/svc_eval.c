/* svc_eval.c: an evaluation run as one call (load the facts, run the engines, store the run
 * with everything it writes in one transaction), for the CLI's `eval` and the API. */
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"

#include "buf.h"
#include "rules.h"
#include "store.h"
#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

void svc_run_release(struct svc_run *r)
{
	free(r->created_at);
	free(r->mechanisms);
	free(r->rule_versions);
	free(r->fingerprint);
	free(r->picked);
	memset(r, 0, sizeof(*r));
}

void eval_out_release(struct eval_out *o)
{
	svc_run_release(&o->run);
	results_release(&o->rs);
	o->nmech = 0;
}

/* The latest school year with grade returns; ERR_DATA when there is none. */
static int latest_year(struct store *s, int *year, struct err *e)
{
	int64_t y = 0;
	if (store_query_int(s, "SELECT max(year) FROM grade_return", &y, e) < 0)
		return e->code;
	if (!y)
		return err_set(e, ERR_DATA, "no grade returns in the database; import grade_return "
			       "first or pass --year");
	*year = (int)y;
	return 0;
}

static int read_created_at(struct store *s, struct svc_run *r, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT created_at FROM eval_run WHERE id = ?1", e);
	int rc;
	if (!st)
		return e->code;
	store_bind_int(st, 1, r->id);
	rc = store_step(st, e);
	if (rc == 1)
		r->created_at = xstrdup(store_column_text(st, 0) ? store_column_text(st, 0) : "");
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

/* The mechanisms of a run are shared by two threads when the store can give a second
 * connection the run's snapshot (store_open_reader): the run's thread takes them from the
 * front, a helper on the second connection (with its own rule set, merged after) from the
 * back; each mechanism has its own result set and fingerprint, put together in mechanism
 * order afterwards, so the run is the same whichever thread ran what. */

/* Mechanisms that write in the run's transaction (seats: its forecast vintage): only the
 * run's own connection runs them. */
static const char *const writers[] = { "seats" };

struct job {
	const struct mechanism *m;
	struct result_set rs;
	char *digest;           /* of the facts the mechanism read */
	double load, engine;
	int rc;
	struct err e;
};

struct crew {
	pthread_mutex_t mu;
	struct job *jobs;
	size_t lo, hi;          /* not started: [lo, hi) */
	size_t fail_at;         /* the first failed job (n: none); later ones need not run */
	struct store *store;    /* the helper's */
	struct rule_set *rules; /* the helper's */
	int year;
	const char *judge_date;
};

static int writes(const struct mechanism *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(writers); i++)
		if (!strcmp(m->name, writers[i]))
			return 1;
	return 0;
}

static struct job *take(struct crew *c, int helper)
{
	struct job *j = NULL;
	pthread_mutex_lock(&c->mu);
	/* jobs after a failed one are left: the failure reported is the first in mechanism
	 * order, whichever thread met which first */
	if (c->hi > c->fail_at)
		c->hi = c->fail_at;
	if (c->lo < c->hi) {
		if (!helper)
			j = &c->jobs[c->lo++];
		else if (!writes(c->jobs[c->hi - 1].m))
			j = &c->jobs[--c->hi];
	}
	pthread_mutex_unlock(&c->mu);
	return j;
}

static void run_jobs(struct crew *c, int helper, struct store *s, struct rule_set *rules)
{
	struct job *j;
	while ((j = take(c, helper))) {
		struct eval_ctx ec;
		memset(&ec, 0, sizeof(ec));
		ec.store = s;
		ec.rules = rules;
		ec.year = c->year;
		ec.as_of = c->judge_date;
		ec.fp = eval_fp_new();
		j->rc = j->m->run(&ec, &j->rs, &j->e);
		j->digest = eval_fp_final(ec.fp);
		j->load = ec.load_seconds;
		j->engine = ec.engine_seconds;
		if (j->rc < 0) {
			pthread_mutex_lock(&c->mu);
			if ((size_t)(j - c->jobs) < c->fail_at)
				c->fail_at = (size_t)(j - c->jobs);
			pthread_mutex_unlock(&c->mu);
		}
	}
}

static void *helper_main(void *arg)
{
	struct crew *c = arg;
	run_jobs(c, 1, c->store, c->rules);
	return NULL;
}

/* Run out->mech[] into out->rs and the fingerprint; on failure e names the mechanism. */
static int run_mechanisms(struct store *s, struct store *reader, struct rule_set *rules,
			  const char *as_of, int year, const char *judge_date,
			  struct eval_out *out, struct err *e)
{
	struct crew c = { .year = year, .judge_date = judge_date, .hi = out->nmech,
			  .fail_at = out->nmech };
	struct eval_fp *fp = eval_fp_new();
	pthread_t helper;
	int started = 0, rc = 0;

	c.jobs = xcalloc(out->nmech + 1, sizeof(*c.jobs));
	for (size_t k = 0; k < out->nmech; k++) {
		c.jobs[k].m = out->mech[k].m;
		results_init(&c.jobs[k].rs);
	}
	pthread_mutex_init(&c.mu, NULL);
	if (out->nmech > 1 && (c.store = reader)) {
		struct err he = ERR_INIT;
		if ((c.rules = rules_load(c.store, as_of, &he)))
			started = pthread_create(&helper, NULL, helper_main, &c) == 0;
	}
	run_jobs(&c, 0, s, rules);
	if (started)
		pthread_join(helper, NULL);
	pthread_mutex_destroy(&c.mu);
	if (c.rules)
		rules_merge_used(rules, c.rules);
	rules_free(c.rules);
	/* the first failure in mechanism order (after one, the rest may not have run) */
	for (size_t k = 0; !rc && k < out->nmech; k++)
		if (c.jobs[k].rc < 0) {
			*e = c.jobs[k].e;
			err_prefix(e, "%s", c.jobs[k].m->name);
			rc = c.jobs[k].rc;
		}
	for (size_t k = 0; k < out->nmech; k++) {
		struct job *j = &c.jobs[k];
		if (!rc) {
			out->mech[k].first = out->rs.nr;
			results_adopt(&out->rs, &j->rs);
			out->mech[k].last = out->rs.nr;
			eval_fp_add(fp, j->m->name, strlen(j->m->name) + 1);
			eval_fp_add(fp, j->digest, strlen(j->digest));
			out->load_seconds += j->load;
			out->engine_seconds += j->engine;
		}
		results_release(&j->rs);
		free(j->digest);
	}
	free(c.jobs);
	out->run.fingerprint = eval_fp_final(fp);
	return rc;
}

int eval_run(struct store *s, const struct mechanism *const *mechs, int year,
	     const char *as_of, const char *judge_date, struct eval_out *out, struct err *e)
{
	struct rule_set *rules = NULL;
	struct store *reader = NULL;
	struct buf names = BUF_INIT;
	double t;
	int rc, outer = s->depth == 0;

	memset(out, 0, sizeof(*out));
	results_init(&out->rs);
	for (size_t k = 0; mechs ? mechs[k] != NULL : mechanisms[k].name != NULL; k++) {
		if (out->nmech == ARRAY_SIZE(out->mech))
			return err_set(e, ERR_USAGE, "too many mechanisms");
		out->mech[out->nmech++].m = mechs ? mechs[k] : &mechanisms[k];
	}
	/* One transaction from the first read: the facts are one snapshot, and the run, its
	 * results and whatever a mechanism stores (the forecast vintage) commit together. */
	/* the loader thread's connection, on the snapshot of the outermost transaction
	 * (PostgreSQL exports none from a savepoint) */
	if (!outer && out->nmech > 1)
		reader = store_open_reader(s);
	if (store_begin(s, e) < 0) {
		store_close(reader);
		return e->code;
	}
	if (outer && out->nmech > 1)
		reader = store_open_reader(s);
	if (!year && (rc = latest_year(s, &year, e)) < 0)
		goto fail;
	if (!(rules = rules_load(s, as_of, e))) {
		rc = e->code;
		goto fail;
	}
	rc = run_mechanisms(s, reader, rules, as_of, year, judge_date, out, e);
	store_close(reader);
	reader = NULL;
	if (rc < 0)
		goto fail;
	for (size_t k = 0; k < out->nmech; k++)
		buf_addf(&names, "%s%s", k ? "," : "", out->mech[k].m->name);
	out->run.rule_versions = rules_used_json(rules);
	out->run.mechanisms = buf_detach(&names, NULL);
	out->run.year = year;
	t = eval_clock();
	if ((rc = eval_run_save(s, out->run.mechanisms, year, out->run.rule_versions,
				out->run.fingerprint, &out->rs, &out->run.id, e)) < 0 ||
	    (rc = read_created_at(s, &out->run, e)) < 0)
		goto fail;
	if ((rc = store_commit(s, e)) < 0)
		goto fail;
	out->save_seconds = eval_clock() - t;
	rules_free(rules);
	return 0;
fail:
	store_close(reader);
	store_rollback(s);
	rules_free(rules);
	buf_release(&names);
	return rc < 0 ? rc : ERR_DB;
}

int eval_run_as(struct store *s, const struct actor *who, const struct mechanism *const *mechs,
		int year, const char *as_of, const char *judge_date, struct eval_out *out,
		struct err *e)
{
	char key[32], *after;
	json_t *j;
	int rc;

	if ((rc = store_begin(s, e)) < 0)
		return rc;
	if ((rc = eval_run(s, mechs, year, as_of, judge_date, out, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	snprintf(key, sizeof(key), "%lld", (long long)out->run.id);
	j = json_pack("{s:I, s:s, s:i, s:o, s:s, s:I}", "id", (json_int_t)out->run.id, "mechanisms",
		      out->run.mechanisms, "year", out->run.year, "rule_versions",
		      json_loads(out->run.rule_versions, 0, NULL), "data_fingerprint",
		      out->run.fingerprint, "results", (json_int_t)out->rs.nr);
	after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	rc = audit_write(s, who, "eval.run", "eval_run", key, NULL, after, e);
	free(after);
	if (rc < 0 || (rc = store_commit(s, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}
