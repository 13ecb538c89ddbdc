/* svc_eval.c: an evaluation run as one call (load the facts, run the engines, store the run
 * with everything it writes in one transaction), for the CLI's `eval` and the API. */
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"

#include "buf.h"
#include "memo.h"
#include "result_chunk.h"
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

size_t eval_out_results(const struct eval_out *o)
{
	size_t n = 0;
	for (size_t k = 0; k < o->nmech; k++)
		n += o->mech[k].results;
	return n;
}

/* The latest school year with grade returns; ERR_DATA when there is none. */
int eval_latest_year(struct store *s, int *year, struct err *e)
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

int eval_read_created_at(struct store *s, struct svc_run *r, struct err *e)
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
 * connection the run's snapshot (store_open_reader): a helper on that connection (with its
 * own rule set, merged after) loads and runs mechanisms listed as only reading; the run's
 * thread runs the others (seats) first, then takes readers too, and stores each mechanism's
 * results as soon as they and all before them are ready. Each thread takes the free
 * mechanism expected to take longest (longest processing time first), so both finish
 * together. Each mechanism has its own result set and fingerprint, put together in mechanism
 * order, so the run is the same whichever thread ran what. Without a second connection the
 * run's thread does it all. */

/* Mechanisms that only read, which the helper may run on its read-only connection, with
 * their expected cost (load and engine seconds on the province data set, measured by
 * `eduhq eval NAME --timing`: only the order matters); any other (seats writes its
 * forecast vintage in the run's transaction, a new mechanism until it is listed here) runs
 * on the run's own connection, first. */
static const struct {
	const char *name;
	double cost;
} readers[] = {
	{ "balance", 0.70 }, { "teachers", 0.80 }, { "groups", 0.08 }, { "vocational", 0.01 },
	{ "assessment", 0.18 }, { "curriculum", 0.05 }, { "safety", 0.06 }, { "tasks", 0.02 },
};

enum { JOB_FREE, JOB_TAKEN, JOB_DONE };

struct job {
	const struct mechanism *m;
	int state;
	int thread;             /* 0 the run's, 1 the helper */
	struct result_set rs;
	char *digest;           /* of the facts the mechanism read */
	char *inputs;           /* what its results depend on (memo.h); NULL: not reusable */
	struct memo_hit hit;    /* hit.run: its results are an earlier run's */
	char *rules;            /* the rules it used, ",a,b," */
	struct memo_part *part; /* a part of its facts its load made, stored with the run */
	const char *kept;       /* the part its load took (memo.h), or NULL */
	int first_chunk, chunks; /* its results' first result_chunk row in the run, and count */
	size_t verdicts[4];     /* with EVAL_SUMMARY, a reused job's rows by verdict */
	double load, engine;
	int rc;
	struct err e;
};

struct crew {
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* a job done, or the helper gone */
	struct job *jobs;
	size_t n;
	size_t fail_at;         /* the first failed job (n: none); later ones need not run */
	struct store *store;    /* the helper's */
	struct rule_set *rules; /* the helper's */
	int year;
	const char *judge_date;
	int flags;              /* EVAL_* */
	const struct memo *mm;  /* the run's inputs (NULL: none), for parts of facts */
	size_t computing;       /* jobs that compute (the others take an earlier run's results) */
	double busy[2];         /* seconds each thread spent running mechanisms */
};

/* A job's expected cost; -1 for a mechanism that writes. Results taken from an earlier
 * run are read back (and write nothing), whatever the mechanism. */
static double job_cost(const struct job *j)
{
	if (j->hit.run)
		return 0.01;
	for (size_t i = 0; i < ARRAY_SIZE(readers); i++)
		if (!strcmp(j->m->name, readers[i].name))
			return readers[i].cost;
	return -1;
}

/* Under c->mu: a free job before any failed one (the failure reported is then the first in
 * mechanism order, whichever thread met which first) that this thread runs: the run's thread
 * those that write first, then either thread the reader expected to take longest (the first
 * in mechanism order among equals); the helper never one that writes. NULL: none now. */
static struct job *pick(struct crew *c, int helper)
{
	struct job *best = NULL;
	double best_cost = 0;

	for (size_t k = 0; k < c->fail_at; k++) {
		struct job *j = &c->jobs[k];
		double cost = job_cost(j);
		if (j->state != JOB_FREE || (helper && cost < 0))
			continue;
		if (cost < 0)
			cost = 1e9; /* a writer: the run's thread takes it first */
		if (!best || cost > best_cost) {
			best = j;
			best_cost = cost;
		}
	}
	if (best) {
		best->state = JOB_TAKEN;
		best->thread = helper;
	}
	return best;
}

/* j's results read back from the earlier run that has them (its rules marked used). */
static void reuse_job(struct crew *c, struct job *j, struct store *s, struct rule_set *rules)
{
	double t = eval_clock();
	rules_set_used(rules, j->hit.rules, 1);
	j->rules = xstrdup(j->hit.rules);
	j->digest = xstrdup(j->hit.digest);
	j->rc = memo_load(s, &j->hit, !(c->flags & EVAL_NO_EVIDENCE),
			  c->flags & EVAL_SUMMARY ? j->verdicts : NULL, &j->rs, &j->e);
	j->load = eval_clock() - t;
}

/* j's rows, all of them, counted into *results and by verdict into verdicts (a reused job's
 * with EVAL_SUMMARY: memo_load counted them); with EVAL_SUMMARY only those
 * result_in_summary() keeps are left in j->rs. */
static void count_rows(struct job *j, int flags, size_t *results, size_t verdicts[4])
{
	size_t n = 0;

	if (j->hit.run && (flags & EVAL_SUMMARY)) {
		memcpy(verdicts, j->verdicts, sizeof(j->verdicts));
		*results = verdicts[0] + verdicts[1] + verdicts[2] + verdicts[3];
		return;
	}
	*results = j->rs.nr;
	for (size_t i = 0; i < j->rs.nr; i++) {
		verdicts[j->rs.v[i].verdict]++;
		if (!(flags & EVAL_SUMMARY) || result_in_summary(&j->rs.v[i]))
			j->rs.v[n++] = j->rs.v[i];
	}
	j->rs.nr = n;
}

/* Run j's mechanism, noting the rules it uses apart from those the thread's earlier jobs
 * used. */
static void compute_job(struct crew *c, struct job *j, struct store *s, struct rule_set *rules)
{
	struct buf read = BUF_INIT;
	int check_reads = getenv("EDUHQ_CHECK_TABLES") != NULL;
	char *before = rules_used_codes(rules);
	struct eval_ctx ec;

	rules_set_used(rules, NULL, 0);
	memset(&ec, 0, sizeof(ec));
	ec.store = s;
	ec.rules = rules;
	ec.year = c->year;
	ec.as_of = c->judge_date;
	ec.spare_core = c->computing == 1;
	ec.memo = c->mm;
	ec.fresh = (c->flags & EVAL_FRESH) != 0;
	ec.fp = eval_fp_new();
	if (check_reads)
		store_track_reads(s, &read);
	j->rc = j->m->run(&ec, &j->rs, &j->e);
	if (check_reads) {
		store_track_reads(s, NULL);
		if (j->rc >= 0)
			j->rc = mechanism_check_reads(j->m, read.buf, &j->e);
		buf_release(&read);
	}
	j->digest = eval_fp_final(ec.fp);
	j->part = ec.part;
	j->kept = ec.kept;
	j->load = ec.load_seconds;
	j->engine = ec.engine_seconds;
	j->rules = rules_used_codes(rules);
	rules_set_used(rules, before, 1);
	free(before);
}

/* Run j (c->mu not held); marks it done. */
static void run_job(struct crew *c, struct job *j, struct store *s, struct rule_set *rules)
{
	double t = eval_clock();
	if (j->hit.run)
		reuse_job(c, j, s, rules);
	else
		compute_job(c, j, s, rules);
	pthread_mutex_lock(&c->mu);
	c->busy[j->thread] += eval_clock() - t;
	j->state = JOB_DONE;
	if (j->rc < 0 && (size_t)(j - c->jobs) < c->fail_at)
		c->fail_at = (size_t)(j - c->jobs);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void *helper_main(void *arg)
{
	struct crew *c = arg;
	struct job *j;

	pthread_mutex_lock(&c->mu);
	while ((j = pick(c, 1))) {
		pthread_mutex_unlock(&c->mu);
		run_job(c, j, c->store, c->rules);
		pthread_mutex_lock(&c->mu);
	}
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Each job's inputs (mm NULL: none) and, unless flags has EVAL_FRESH, the earlier run
 * whose results it takes. */
static int find_reusable(struct store *s, const struct memo *mm, int flags, struct crew *c,
			 struct err *e)
{
	for (size_t k = 0; k < c->n; k++) {
		struct job *j = &c->jobs[k];
		j->inputs = memo_inputs(mm, j->m);
		if (j->inputs && !(flags & EVAL_FRESH) &&
		    memo_find(s, j->m->name, j->inputs, &j->hit, e) < 0)
			return e->code;
		c->computing += !j->hit.run;
	}
	return 0;
}

/* Run out->mech[], storing each one's results under run_id as they come (in mechanism
 * order) and moving them to out->rs, and what they depended on (mm) for later runs; the
 * fingerprint into out->run. On failure e names the mechanism (or the result a store
 * refused). */
static int run_mechanisms(struct store *s, struct store *reader, struct rule_set *rules,
			  const char *as_of, int year, const char *judge_date, int64_t run_id,
			  struct memo *mm, int flags, struct eval_out *out, struct err *e)
{
	struct crew c = { .year = year, .judge_date = judge_date, .flags = flags, .mm = mm,
			  .n = out->nmech, .fail_at = out->nmech };
	struct eval_fp *fp = eval_fp_new();
	struct err se = ERR_INIT;
	pthread_t helper;
	size_t next = 0;        /* the next job to store */
	int started = 0, rc = 0, save_rc = 0, chunk = 0;
	struct job *j;

	c.jobs = xcalloc(c.n + 1, sizeof(*c.jobs));
	for (size_t k = 0; k < c.n; k++) {
		c.jobs[k].m = out->mech[k].m;
		results_init(&c.jobs[k].rs);
	}
	if ((save_rc = find_reusable(s, mm, flags, &c, &se)) < 0)
		c.fail_at = 0; /* nothing runs */
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.cv, NULL);
	if (c.n > 1 && (c.store = reader)) {
		struct err he = ERR_INIT;
		if ((c.rules = rules_load(c.store, as_of, &he)))
			started = pthread_create(&helper, NULL, helper_main, &c) == 0;
	}
	pthread_mutex_lock(&c.mu);
	while (next < c.fail_at) {
		if (c.jobs[next].state == JOB_DONE) {
			double t = eval_clock();
			j = &c.jobs[next++];
			pthread_mutex_unlock(&c.mu);
			out->mech[j - c.jobs].first = out->rs.nr;
			j->first_chunk = chunk;
			j->chunks = j->hit.run ? j->hit.chunks : rc_chunks(j->rs.nr);
			chunk += j->chunks;
			save_rc = j->hit.run ? memo_copy(s, &j->hit, run_id, j->first_chunk, &se)
					     : eval_run_rows(s, run_id, &j->rs, &se);
			count_rows(j, flags, &out->mech[j - c.jobs].results,
				   out->mech[j - c.jobs].verdicts);
			results_adopt(&out->rs, &j->rs);
			out->mech[j - c.jobs].last = out->rs.nr;
			out->save_seconds += eval_clock() - t;
			pthread_mutex_lock(&c.mu);
			if (save_rc < 0) {
				c.fail_at = 0; /* the helper takes nothing more */
				break;
			}
		} else if ((j = pick(&c, 0))) {
			pthread_mutex_unlock(&c.mu);
			run_job(&c, j, s, rules);
			pthread_mutex_lock(&c.mu);
		} else {
			pthread_cond_wait(&c.cv, &c.mu);
		}
	}
	pthread_mutex_unlock(&c.mu);
	if (started)
		pthread_join(helper, NULL);
	pthread_cond_destroy(&c.cv);
	pthread_mutex_destroy(&c.mu);
	if (c.rules)
		rules_merge_used(rules, c.rules);
	rules_free(c.rules);
	if (save_rc < 0) {
		*e = se;
		rc = save_rc;
	}
	/* what the results are for: the versions after the run's own writes (memo_reread) */
	if (!rc && mm && (rc = memo_reread(mm, s, e)) == 0)
		for (size_t k = 0; k < c.n; k++) {
			free(c.jobs[k].inputs);
			c.jobs[k].inputs = memo_inputs(mm, c.jobs[k].m);
		}
	/* the first failure in mechanism order (after one, the rest may not have run) */
	for (size_t k = 0; !rc && k < c.n; k++)
		if (c.jobs[k].rc < 0) {
			*e = c.jobs[k].e;
			err_prefix(e, "%s", c.jobs[k].m->name);
			rc = c.jobs[k].rc;
		}
	for (size_t k = 0; k < c.n; k++) {
		j = &c.jobs[k];
		if (!rc) {
			eval_fp_add(fp, j->m->name, strlen(j->m->name) + 1);
			eval_fp_add(fp, j->digest, strlen(j->digest));
			out->load_seconds += j->load;
			out->engine_seconds += j->engine;
			out->mech[k].load_seconds = j->load;
			out->mech[k].engine_seconds = j->engine;
			out->mech[k].thread = j->thread;
			out->mech[k].reused = j->hit.run;
			out->mech[k].kept = j->kept;
			if (j->inputs)
				rc = memo_save(s, run_id, j->m->name, j->inputs, j->digest, j->rules,
					       j->first_chunk, j->chunks, e);
			if (!rc && j->part)
				rc = memo_part_save(s, j->part, e);
		}
		memo_part_free(j->part);
		results_release(&j->rs);
		memo_hit_release(&j->hit);
		free(j->digest);
		free(j->inputs);
		free(j->rules);
	}
	free(c.jobs);
	out->busy_seconds[0] = c.busy[0];
	out->busy_seconds[1] = c.busy[1];
	out->threads = 1 + started;
	out->run.fingerprint = eval_fp_final(fp);
	return rc;
}

int eval_out_commit(struct store *s, struct eval_out *out, struct err *e)
{
	double t = eval_clock();
	int rc = store_commit(s, e);

	out->commit_seconds = eval_clock() - t;
	return rc;
}

int eval_out_start(struct eval_out *out, const struct mechanism *const *mechs, struct err *e)
{
	struct buf names = BUF_INIT;
	memset(out, 0, sizeof(*out));
	results_init(&out->rs);
	for (size_t k = 0; mechs ? mechs[k] != NULL : mechanisms[k].name != NULL; k++) {
		if (out->nmech == ARRAY_SIZE(out->mech))
			return err_set(e, ERR_USAGE, "too many mechanisms");
		out->mech[out->nmech++].m = mechs ? mechs[k] : &mechanisms[k];
	}
	for (size_t k = 0; k < out->nmech; k++)
		buf_addf(&names, "%s%s", k ? "," : "", out->mech[k].m->name);
	out->run.mechanisms = buf_detach(&names, NULL);
	return 0;
}

int eval_run(struct store *s, const struct mechanism *const *mechs, int year,
	     const char *as_of, const char *judge_date, int flags, struct eval_out *out,
	     struct err *e)
{
	struct rule_set *rules = NULL;
	struct store *reader = NULL;
	struct memo *mm = NULL;
	double t;
	int rc, outer = s->depth == 0;

	if ((rc = eval_out_start(out, mechs, e)) < 0)
		return rc;
	if (outer)
		memo_track(s, NULL);
	/* One transaction from the first read: the facts are one snapshot, and the run, its
	 * results and whatever a mechanism stores (the forecast vintage) commit together.
	 * The loader thread's connection reads the snapshot of the outermost transaction
	 * (PostgreSQL exports none from a savepoint). */
	if (!outer && out->nmech > 1)
		reader = store_open_reader(s);
	if (store_begin(s, e) < 0) {
		store_close(reader);
		return e->code;
	}
	if (outer && out->nmech > 1)
		reader = store_open_reader(s);
	if (!year && (rc = eval_latest_year(s, &year, e)) < 0)
		goto fail;
	if (!(rules = rules_load(s, as_of, e))) {
		rc = e->code;
		goto fail;
	}
	out->run.year = year;
	if ((rc = memo_open(s, rules, year, judge_date, &mm, e)) < 0 ||
	    (rc = eval_run_begin(s, out->run.mechanisms, year, &out->run.id, e)) < 0)
		goto fail;
	rc = run_mechanisms(s, reader, rules, as_of, year, judge_date, out->run.id, mm, flags,
			    out, e);
	store_close(reader);
	reader = NULL;
	memo_free(mm);
	mm = NULL;
	if (rc < 0)
		goto fail;
	out->run.rule_versions = rules_used_json(rules);
	t = eval_clock();
	if ((rc = eval_run_finish(s, out->run.id, out->run.rule_versions, out->run.fingerprint,
				  e)) < 0 ||
	    (rc = eval_read_created_at(s, &out->run, e)) < 0)
		goto fail;
	if ((rc = eval_out_commit(s, out, e)) < 0)
		goto fail;
	out->save_seconds += eval_clock() - t;
	rules_free(rules);
	return 0;
fail:
	store_close(reader);
	store_rollback(s);
	rules_free(rules);
	memo_free(mm);
	return rc < 0 ? rc : ERR_DB;
}

int eval_run_audit(struct store *s, const struct actor *who, const struct svc_run *run,
		   size_t nresults, struct err *e)
{
	char key[32], *after;
	json_t *j;
	int rc;

	snprintf(key, sizeof(key), "%lld", (long long)run->id);
	j = json_pack("{s:I, s:s, s:i, s:o, s:s, s:I}", "id", (json_int_t)run->id, "mechanisms",
		      run->mechanisms, "year", run->year, "rule_versions",
		      json_loads(run->rule_versions, 0, NULL), "data_fingerprint",
		      run->fingerprint, "results", (json_int_t)nresults);
	after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	rc = audit_write(s, who, "eval.run", "eval_run", key, NULL, after, e);
	free(after);
	return rc;
}

int eval_run_as(struct store *s, const struct actor *who, const struct mechanism *const *mechs,
		int year, const char *as_of, const char *judge_date, int flags,
		struct eval_out *out, struct err *e)
{
	int rc;

	memo_track(s, NULL);
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	if ((rc = eval_run(s, mechs, year, as_of, judge_date, flags, out, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	rc = eval_run_audit(s, who, &out->run, eval_out_results(out), e);
	if (rc < 0 || (rc = store_commit(s, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}
