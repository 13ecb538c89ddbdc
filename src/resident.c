/* resident.c: the server's facts cache (see resident.h): which mechanisms a write made stale
 * (the audit entries since the last evaluation, the store's data version, the versions of
 * the tables each reads), loading them again, computing on the resident facts and storing
 * the run as eval_run_as() does. */
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "import.h"
#include "memo.h"
#include "resident.h"
#include "result_chunk.h"
#include "result_store.h"
#include "rules.h"
#include "store.h"
#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

#define NMECH 16
enum { RS_PART = 1, RS_WHOLE };

/* One mechanism's resident state. A split mechanism keeps facts and the results of its last
 * compute; a whole one only the results of its last run. */
struct entry {
	void *facts;
	struct result_set rs;
	int has_rs;
	char *digest;             /* of the facts read (the mechanism's part of the fingerprint) */
	struct rule_set *rules;   /* the rules the facts were loaded (or the run made) with: the
				   * rules they used, and what facts may point into */
	struct rule_set *load_rules; /* after a change of rules it did not read (rules_moved):
				   * the set its facts were loaded with (they may point into it),
				   * rules then holding the new versions; NULL: none since */
	int rekeyed;              /* rules_moved kept it: its inputs change only by the rules */
	char *fact_rules;         /* the rule parameters its facts were read with (read by its
				   * load, patches and settle: rules_used_keys); the others only
				   * its compute reads */
	char *inputs;             /* what they depended on then (memo.h), or NULL */
	int stale;
	int moved;                /* the versions of tables it reads moved by audited updates
				   * of columns it does not read (mechanism.columns) */
	/* A mechanism brought up to date by row (struct mech_rows): the fingerprint's units,
	 * and the rows written since (table and key) to patch before computing again. */
	struct eval_fp_units *units;
	struct row { char *table, *key; } *pending;
	size_t npending, apending;
	int recompute;            /* rs is for the facts before patches or rules: recomputed
				   * where patches touched it (RS_PART) or whole (RS_WHOLE) */
	size_t load_rows;         /* the rows its last load read (eval_fp_rows) */
	/* Where rs was last stored (its run and first chunk; 0: nowhere), and its rows
	 * replaced since (every row: n < 0): the others' chunks are copied from there. */
	int64_t saved_run;
	int saved_first;
	struct row_ranges changed;
};

struct facts_cache {
	pthread_mutex_t mu;
	size_t limit;
	int primed;               /* version, dv, year and key describe the entries */
	int64_t version;          /* the last audit entry seen */
	int64_t dv;               /* the store's data version then */
	int year;
	char *key;                /* rule versions in force and the judging date */
	char *now[NMECH];         /* each mechanism's inputs in this evaluation's snapshot */
	struct entry ent[NMECH];  /* by index in mechanisms[] */
};

struct facts_cache *facts_cache_new(size_t limit)
{
	struct facts_cache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->limit = limit;
	for (int k = 0; k < NMECH; k++)
		c->ent[k].stale = 1;
	return c;
}

static void pending_clear(struct entry *en)
{
	for (size_t i = 0; i < en->npending; i++) {
		free(en->pending[i].table);
		free(en->pending[i].key);
	}
	free(en->pending);
	en->pending = NULL;
	en->npending = en->apending = 0;
}

static void entry_drop(const struct mechanism *m, struct entry *en)
{
	if (en->facts)
		m->release(en->facts);
	en->facts = NULL;
	if (en->has_rs)
		results_release(&en->rs);
	en->has_rs = 0;
	free(en->digest);
	en->digest = NULL;
	rules_free(en->rules);
	en->rules = NULL;
	rules_free(en->load_rules);
	en->load_rules = NULL;
	en->rekeyed = 0;
	free(en->fact_rules);
	en->fact_rules = NULL;
	free(en->inputs);
	en->inputs = NULL;
	free(en->units);
	en->units = NULL;
	pending_clear(en);
	en->recompute = 0;
	en->saved_run = 0;
	en->changed.n = -1;
	en->stale = 1;
}

void facts_cache_free(struct facts_cache *c)
{
	if (!c)
		return;
	for (int k = 0; mechanisms[k].name && k < NMECH; k++) {
		entry_drop(&mechanisms[k], &c->ent[k]);
		free(c->now[k]);
	}
	free(c->key);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static size_t entry_bytes(const struct mechanism *m, const struct entry *en)
{
	size_t b = 0;
	if (en->facts)
		b += m->size(en->facts);
	if (en->has_rs)
		b += en->rs.alloc * sizeof(*en->rs.v) + en->rs.arena.total;
	return b;
}

static size_t cache_bytes(const struct facts_cache *c)
{
	size_t b = 0;
	for (int k = 0; mechanisms[k].name && k < NMECH; k++)
		b += entry_bytes(&mechanisms[k], &c->ent[k]);
	return b;
}

/* Over the limit: drop the results of whole mechanisms (they run again when asked), then
 * whole split mechanisms (loaded again when asked), largest first. */
static size_t enforce_limit(struct facts_cache *c)
{
	size_t total = cache_bytes(c);

	for (int pass = 0; pass < 2 && c->limit && total > c->limit; pass++)
		while (total > c->limit) {
			int big = -1;
			size_t bb = 0;
			for (int k = 0; mechanisms[k].name && k < NMECH; k++) {
				size_t b = entry_bytes(&mechanisms[k], &c->ent[k]);
				if ((pass == 0) == (mechanisms[k].load == NULL) && b > bb) {
					bb = b;
					big = k;
				}
			}
			if (big < 0)
				break;
			entry_drop(&mechanisms[big], &c->ent[big]);
			total -= bb;
		}
	return total;
}

static void mark_all(struct facts_cache *c)
{
	for (int k = 0; k < NMECH; k++)
		c->ent[k].stale = 1;
}

/* A mechanism is patched by row while that costs less than loading it again: patching a
 * row reads it and its dependants again by key, a few indexed queries, which cost about
 * PATCH_COST rows of a load's scans (both measured on the province: README). At least
 * PATCH_MIN rows (a small mechanism loads fast either way), at most IMPORT_KEYS (what an
 * import's audit entry lists). */
#define PATCH_COST 128
#define PATCH_MIN 64

static size_t patch_max(const struct entry *en)
{
	size_t n = en->load_rows / PATCH_COST;
	return n < PATCH_MIN ? PATCH_MIN : n > IMPORT_KEYS ? IMPORT_KEYS : n;
}

/* A write to table (keys: the rows written, n of them; n < 0: not known) seen by mechanism
 * k: patched by row when it can (struct mech_rows), else stale. The rows are known
 * for a registry write and a small import (svc_import lists them), and patching needs the
 * store's data version (SQLite): it shows that every commit since was this connection's, so
 * audited, so the audit entries name every row written. */
static void note_write(struct facts_cache *c, int k, int patchable, const char *table,
		       const char *const *keys, long n)
{
	struct entry *en = &c->ent[k];

	if (en->stale)
		return;
	if (!patchable || !mechanisms[k].rows || !en->units || !en->facts || n < 0 ||
	    en->npending + (size_t)n > patch_max(en)) {
		en->stale = 1; /* its pending rows go at the end of sync() */
		return;
	}
	for (long i = 0; i < n; i++) {
		ALLOC_GROW(en->pending, en->npending + 1, en->apending);
		en->pending[en->npending].table = xstrdup(table);
		en->pending[en->npending++].key = xstrdup(keys[i]);
	}
}

/* The columns an audited update changed (",a,b"; new), from its rows before and after;
 * NULL when they cannot be told. */
static char *changed_columns(const char *before, const char *after)
{
	json_t *b = before ? json_loads(before, 0, NULL) : NULL;
	json_t *a = after ? json_loads(after, 0, NULL) : NULL, *v;
	struct buf out = BUF_INIT;
	const char *col;
	int ok = json_is_object(a) && json_is_object(b);

	json_object_foreach(ok ? a : NULL, col, v)
		if (!json_equal(v, json_object_get(b, col)))
			buf_addf(&out, ",%s", col);
	json_object_foreach(ok ? b : NULL, col, v)
		if (!json_object_get(a, col))
			buf_addf(&out, ",%s", col);
	json_decref(a);
	json_decref(b);
	if (!ok) {
		buf_release(&out);
		return NULL;
	}
	return out.buf ? buf_detach(&out, NULL) : xstrdup("");
}

/* Whether mechanism m reads none of the columns of table in changed (",a,b"). */
static int reads_none(const struct mechanism *m, const char *table, const char *changed)
{
	for (const char *p = changed; p && *p == ',';) {
		size_t n = strcspn(p + 1, ",");
		char col[128];
		snprintf(col, sizeof(col), "%.*s", (int)n, p + 1);
		if (mechanism_reads_column(m, table, col))
			return 0;
		p += n + 1;
	}
	return changed != NULL;
}

/* The rows an audit entry says were written: a registry write's key, or the keys an
 * import lists (its "after"); n = -1 when not known. keys point into *j or row_key. */
static long written_rows(const char *action, const char *row_key, const char *after,
			 json_t **j, const char **keys, long max)
{
	json_t *a, *v;
	size_t i;
	long n = 0;

	*j = NULL;
	if (!strcmp(action, "insert") || !strcmp(action, "update") || !strcmp(action, "delete") ||
	    !strncmp(action, "hazard.", 7)) { /* a registry write, a step of the hazard ledger */
		keys[0] = row_key;
		return 1;
	}
	if (strcmp(action, "import") || !after || !(*j = json_loads(after, 0, NULL)) ||
	    !json_is_array(a = json_object_get(*j, "keys")) || (long)json_array_size(a) > max)
		return -1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return -1;
		keys[n++] = json_string_value(v);
	}
	return n;
}

/* Append name to a list of names (",a,b"). */
static void add_name(char *list, size_t size, const char *name)
{
	size_t n = strlen(list);
	snprintf(list + n, size - n, ",%s", name);
}

/* Other rule versions in force, the judging date the same: a mechanism that read a rule
 * now in force at another version is stale, unless every parameter its facts were read
 * with has the same value in the new one (only its compute reads those that moved): those
 * facts are kept and its results computed whole again (noted in ri). The others keep their
 * facts and results, as a mechanism that reads no table written does. Both are computed
 * from then on with a set of the new versions, the rules they read marked (a rule first
 * read later is then read at its version in force), and keep the set they were loaded
 * with, which their facts may point into. */
static int rules_moved(struct facts_cache *c, struct store *s, const struct rule_set *rules,
		       const char *as_of, struct resident_info *ri, struct err *e)
{
	for (int k = 0; mechanisms[k].name && k < NMECH; k++) {
		struct entry *en = &c->ent[k];
		struct rule_set *now;
		char *used;

		if (en->stale || !en->rules)
			continue;
		if (!rules_same_used(en->rules, rules, NULL)) {
			if (!en->facts || !rules_same_used(en->rules, rules, en->fact_rules)) {
				en->stale = 1;
				continue;
			}
			if (en->has_rs)
				en->recompute = RS_WHOLE;
			if (ri)
				add_name(ri->recomputed, sizeof(ri->recomputed), mechanisms[k].name);
		}
		if (!(now = rules_load(s, as_of, e)))
			return e->code;
		used = rules_used_codes(en->rules);
		rules_set_used(now, used, 1);
		free(used);
		if (en->load_rules)
			rules_free(en->rules);
		else
			en->load_rules = en->rules;
		en->rules = now;
		en->rekeyed = 1;
	}
	return 0;
}

/* Mark stale what changed since the cache's version (in s's transaction). */
static int sync(struct facts_cache *c, struct store *s, int year, const char *key,
		const struct rule_set *rules, const char *as_of, struct resident_info *ri,
		struct err *e)
{
	int64_t v = 0, dv = store_data_version(s);
	const char *why = NULL, **keys = NULL;
	struct store_stmt *st;
	int r;

	if (store_query_int(s, "SELECT coalesce(max(id), 0) FROM audit_log", &v, e) < 0)
		return e->code;
	if (!c->primed)
		why = "first evaluation";
	else if (dv != c->dv)
		why = "a commit made outside eduhq";
	else if (year != c->year)
		why = "another school year";
	else if (strcmp(strrchr(key, '|'), strrchr(c->key, '|')))
		why = "another judging date";
	else if (v < c->version)
		why = "the audit log went back";
	if (why)
		mark_all(c);
	else if (strcmp(key, c->key) && rules_moved(c, s, rules, as_of, ri, e) < 0)
		return e->code;
	if (!why && v > c->version) {
		if (!(st = store_prepare(s, "SELECT table_name, action, row_key, after, before FROM "
					 "audit_log WHERE id > ?1 ORDER BY id", e)))
			return e->code;
		store_bind_int(st, 1, c->version);
		keys = xmalloc(IMPORT_KEYS * sizeof(*keys));
		while ((r = store_step(st, e)) == 1) {
			const char *t = store_column_text(st, 0);
			const char *action = store_column_text(st, 1);
			json_t *j = NULL;
			long n = -2;
			/* an update is seen only by the mechanisms that read a column it changed,
			 * when every write is audited (the data version, as for patching) */
			char *changed = dv >= 0 && action && !strcmp(action, "update")
					? changed_columns(store_column_text(st, 4),
							  store_column_text(st, 3)) : NULL;
			for (int k = 0; t && mechanisms[k].name && k < NMECH; k++) {
				if (!mechanism_reads(&mechanisms[k], t))
					continue;
				if (reads_none(&mechanisms[k], t, changed)) {
					c->ent[k].moved = 1;
					continue;
				}
				if (n == -2)
					n = written_rows(action, store_column_text(st, 2),
							 store_column_text(st, 3), &j, keys, IMPORT_KEYS);
				note_write(c, k, dv >= 0, t, keys, n);
			}
			free(changed);
			json_decref(j);
		}
		store_finalize(st);
		free(keys);
		if (r < 0)
			return e->code;
	}
	for (int k = 0; k < NMECH; k++)
		if (c->ent[k].stale)
			pending_clear(&c->ent[k]);
	c->version = v;
	c->dv = dv;
	c->year = year;
	free(c->key);
	c->key = xstrdup(key);
	c->primed = 1;
	if (ri)
		ri->all_stale = why;
	return 0;
}

/* An evaluation context for the cache's year, on s (may be NULL: compute reads no store). */
static struct eval_ctx ctx_of(const struct facts_cache *c, struct store *s,
			      struct rule_set *rules, const char *judge)
{
	struct eval_ctx ec;

	memset(&ec, 0, sizeof(ec));
	ec.store = s;
	ec.rules = rules;
	ec.year = c->year;
	ec.as_of = judge;
	return ec;
}

/* Mechanism k failed with rc: its entry dropped (loaded again next time), e names it. */
static int failed(struct facts_cache *c, int k, int rc, struct err *e)
{
	entry_drop(&mechanisms[k], &c->ent[k]);
	err_prefix(e, "%s", mechanisms[k].name);
	return rc;
}

/* Patch entry k's facts with the rows written since (en->pending): 1 done, 0 when one
 * cannot be (the entry is to be loaded again), <0 an error. */
static int patch(struct facts_cache *c, int k, struct store *s, struct err *e)
{
	const struct mechanism *m = &mechanisms[k];
	struct entry *en = &c->ent[k];
	struct eval_ctx ec = ctx_of(c, s, en->rules, NULL);
	char *computed = rules_used_codes(en->rules);
	int rc = 1;

	/* the rules the patches read, apart, added to those the facts were read with */
	rules_set_used(en->rules, NULL, 0);
	for (size_t i = 0; i < en->npending && rc == 1; i++)
		rc = m->rows->patch(en->facts, &ec, en->pending[i].table, en->pending[i].key,
				    en->units, e);
	pending_clear(en);
	if (rc == 1 && m->rows->settle && (rc = m->rows->settle(en->facts, &ec, e)) == 0)
		rc = 1;
	rules_mark_read(en->rules, en->fact_rules);
	free(en->fact_rules);
	en->fact_rules = rules_used_keys(en->rules);
	rules_set_used(en->rules, computed, 1);
	free(computed);
	if (rc == 1) {
		free(en->digest);
		en->digest = eval_fp_units_digest(en->units);
		if (en->has_rs && en->recompute != RS_WHOLE)
			en->recompute = m->rows->recompute ? RS_PART : RS_WHOLE;
		free(en->inputs);
		en->inputs = c->now[k] ? xstrdup(c->now[k]) : NULL;
	}
	return rc;
}

/* The entry of mechanism k up to date: patched by row, or loaded (or, whole, run) again
 * when stale; *how tells which (R_NONE, R_PATCHED, R_LOADED). */
enum { R_NONE, R_PATCHED, R_LOADED };
static int refresh(struct facts_cache *c, int k, struct store *s, const char *as_of,
		   const char *judge, int spare_core, double *load_seconds, int *how,
		   struct err *e)
{
	const struct mechanism *m = &mechanisms[k];
	struct entry *en = &c->ent[k];
	struct eval_ctx ec;
	double t0 = eval_clock();
	int rc;

	*how = R_NONE;
	if (!en->stale && en->npending) {
		rc = patch(c, k, s, e);
		*load_seconds += eval_clock() - t0;
		if (rc < 0)
			return failed(c, k, rc, e);
		if (rc == 1) {
			*how = R_PATCHED;
			return 0;
		}
		en->stale = 1;
	}
	if (!en->stale && (en->facts || en->has_rs))
		return 0;
	entry_drop(m, en);
	if (!(en->rules = rules_load(s, as_of, e)))
		return e->code;
	ec = ctx_of(c, s, en->rules, judge);
	ec.fp = eval_fp_new();
	ec.patchable = m->rows != NULL;
	ec.spare_core = spare_core;
	if (m->load) {
		rc = m->load(&ec, &en->facts, e);
	} else {
		results_init(&en->rs);
		en->has_rs = 1;
		rc = m->run(&ec, &en->rs, e);
	}
	en->load_rows = eval_fp_rows(ec.fp);
	en->digest = eval_fp_final_units(ec.fp, m->rows ? &en->units : NULL);
	en->fact_rules = rules_used_keys(en->rules); /* before anything computes with them */
	*load_seconds += ec.load_seconds + (m->load ? 0 : ec.engine_seconds);
	if (rc < 0)
		return failed(c, k, rc, e);
	en->stale = 0;
	en->inputs = c->now[k] ? xstrdup(c->now[k]) : NULL;
	*how = R_LOADED;
	return 0;
}

/* Note in ri (when not NULL) how mechanism k was brought up to date. */
static void note_how(struct resident_info *ri, int k, int how)
{
	if (ri && how == R_PATCHED)
		add_name(ri->patched, sizeof(ri->patched), mechanisms[k].name);
	else if (ri && how == R_LOADED)
		add_name(ri->reloaded, sizeof(ri->reloaded), mechanisms[k].name);
}

/* A split mechanism's results from its resident facts, with rules (the run's, or those the
 * facts were loaded with: the same versions). The chunks where they differ from the
 * results before are noted changed (the others are copied as stored). */
static int compute(struct facts_cache *c, int k, struct rule_set *rules, const char *judge,
		   double *engine_seconds, struct err *e)
{
	struct entry *en = &c->ent[k];
	struct eval_ctx ec = ctx_of(c, NULL, rules, judge);
	struct result_set was = en->rs;
	int had = en->has_rs, rc;

	results_init(&en->rs);
	if (had) /* about as many rows as before */
		results_reserve(&en->rs, was.nr + was.nr / 16 + 16);
	en->has_rs = 1;
	rc = mechanisms[k].compute(en->facts, &ec, &en->rs, e);
	*engine_seconds += ec.engine_seconds;
	if (had && rc >= 0)
		row_ranges_diff(&en->changed, &was, &en->rs, RC_MAX_ROWS);
	else
		en->changed.n = -1;
	if (had)
		results_release(&was);
	return rc < 0 ? failed(c, k, rc, e) : rc;
}

/* A split mechanism's results up to date with its facts: recomputed where patches touched
 * them (struct mech_rows), else computed whole (when there are none, or after a rule
 * change). */
static int results_now(struct facts_cache *c, int k, struct rule_set *rules, const char *judge,
		       double *engine_seconds, struct err *e)
{
	struct entry *en = &c->ent[k];
	struct eval_ctx ec = ctx_of(c, NULL, rules, judge);
	double t0 = eval_clock();
	int how = en->recompute, rc = 0;

	en->recompute = 0;
	if (how == RS_PART) {
		rc = mechanisms[k].rows->recompute(en->facts, &ec, &en->rs, &en->changed, e);
		*engine_seconds += eval_clock() - t0;
		if (rc < 0)
			return failed(c, k, rc, e);
	}
	return en->has_rs && (!how || rc == 1) ? 0 : compute(c, k, rules, judge, engine_seconds, e);
}

/* Loading stale mechanisms on two threads: when two or more are stale and the store can
 * give a second connection the transaction's snapshot (store_open_reader), a helper thread
 * on it loads (or patches) split mechanisms (their loaders only read) from the back of the
 * list while the run's thread loads from the front (a whole one only there). Each split one
 * is computed on the thread that brought it up to date, with its entry's rules (each thread
 * marks the rules used in its own set); what it keeps beside its results (save: seats'
 * vintage) is stored after, on the run's connection. Each entry is touched by one thread;
 * the names are reported in list order. */
enum { J_FREE, J_TAKEN, J_DONE };
struct job {
	int k, state, rc, how;
	double load, engine;
	struct err e;
};
struct crew {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *jobs;
	size_t n;
	struct facts_cache *c;
	struct store *reader;
	const char *as_of, *judge;
};

static void run_job(struct crew *w, struct job *j, struct store *s)
{
	struct entry *en = &w->c->ent[j->k];

	j->rc = refresh(w->c, j->k, s, w->as_of, w->judge, w->n == 1, &j->load, &j->how, &j->e);
	if (j->rc == 0 && mechanisms[j->k].load && en->facts)
		j->rc = results_now(w->c, j->k, en->rules, w->judge, &j->engine, &j->e);
	pthread_mutex_lock(&w->mu);
	j->state = J_DONE;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void *helper_main(void *arg)
{
	struct crew *w = arg;
	for (;;) {
		struct job *j = NULL;
		pthread_mutex_lock(&w->mu);
		for (size_t i = w->n; i-- > 0 && !j;)
			if (w->jobs[i].state == J_FREE && mechanisms[w->jobs[i].k].load)
				j = &w->jobs[i];
		if (j)
			j->state = J_TAKEN;
		pthread_mutex_unlock(&w->mu);
		if (!j)
			return NULL;
		run_job(w, j, w->reader);
	}
}

/* Bring every stale entry of out's mechanisms up to date, and compute the split ones (on
 * two threads when it pays). */
static int refresh_all(struct facts_cache *c, struct store *s, const struct eval_out *out,
		       const char *as_of, const char *judge, double *load, double *engine,
		       struct resident_info *ri, struct err *e)
{
	struct crew w = { .c = c, .as_of = as_of, .judge = judge };
	pthread_t helper;
	int started = 0, rc = 0;

	w.jobs = xcalloc(out->nmech + 1, sizeof(*w.jobs));
	for (size_t i = 0; i < out->nmech; i++) {
		int k = (int)(out->mech[i].m - mechanisms);
		if (c->ent[k].stale || c->ent[k].npending || !(c->ent[k].facts || c->ent[k].has_rs)) {
			w.jobs[w.n].k = k;
			w.jobs[w.n].e = (struct err)ERR_INIT;
			w.n++;
		}
	}
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	if (w.n > 1 && (w.reader = store_open_reader(s)))
		started = pthread_create(&helper, NULL, helper_main, &w) == 0;
	for (size_t i = 0; i < w.n; i++) {
		struct job *j = &w.jobs[i];
		pthread_mutex_lock(&w.mu);
		if (j->state == J_FREE) {
			j->state = J_TAKEN;
			pthread_mutex_unlock(&w.mu);
			run_job(&w, j, s);
			pthread_mutex_lock(&w.mu);
		}
		while (j->state != J_DONE)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
	}
	if (started)
		pthread_join(helper, NULL);
	store_close(w.reader);
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	for (size_t i = 0; i < w.n; i++) {
		const struct job *j = &w.jobs[i];
		const struct entry *en = &c->ent[j->k];
		*load += j->load;
		*engine += j->engine;
		if (!rc && j->rc < 0) {
			*e = j->e;
			rc = j->rc;
		}
		if (!rc && j->how != R_NONE && en->facts && mechanisms[j->k].save) {
			double t = eval_clock();
			if ((rc = mechanisms[j->k].save(en->facts, s, e)) < 0)
				rc = failed(c, j->k, rc, e);
			*load += eval_clock() - t; /* a refresh's part */
		}
		note_how(ri, j->k, j->how);
	}
	free(w.jobs);
	return rc;
}

/* The cache key beside the year: every rule version in force and the judging date, after
 * the last '|'. */
static char *key_of(struct rule_set *rules, const char *judge)
{
	struct buf b = BUF_INIT;
	char today[11], *rk = rules_versions_key(rules);

	if (!judge) {
		rules_today(today);
		judge = today;
	}
	buf_addf(&b, "%s|%s", rk, judge);
	free(rk);
	return buf_detach(&b, NULL);
}

/* Each mechanism's inputs now (memo.h) into c->now; an entry loaded with other inputs is
 * stale: a write the audit log does not show (psql on PostgreSQL) is seen too (an entry
 * with rows to patch is patched instead: sync() found every write audited). settle:
 * after this evaluation's loads, in its transaction, where the only writes since were the
 * mechanisms' own (the seats vintage, which gives the same results read back): each entry
 * loaded is for the versions now. */
static int note_inputs(struct facts_cache *c, struct store *s, struct rule_set *rules,
		       int year, const char *judge, int settle, struct err *e)
{
	struct memo *mm;
	int rc = memo_open(s, rules, year, judge, &mm, e);

	if (rc < 0)
		return rc;
	for (int k = 0; mechanisms[k].name && k < NMECH; k++) {
		struct entry *en = &c->ent[k];
		free(c->now[k]);
		c->now[k] = memo_inputs(mm, &mechanisms[k]);
		if ((settle || (en->moved && !en->npending)) && en->inputs && !en->stale) {
			free(en->inputs);
			en->inputs = c->now[k] ? xstrdup(c->now[k]) : NULL;
		} else if (!settle && !en->npending && c->now[k] &&
			   (!en->inputs || strcmp(en->inputs, c->now[k]))) {
			/* (rows to patch, or updates of columns it does not read: the versions
			 * moved by the writes the audit log names; kept by rules_moved: the
			 * rule versions every mechanism's inputs name) */
			if (en->rekeyed && en->inputs && memo_same_tables(en->inputs, c->now[k])) {
				free(en->inputs);
				en->inputs = xstrdup(c->now[k]);
			} else {
				en->stale = 1;
			}
		}
		en->moved = 0;
		en->rekeyed = 0;
	}
	memo_free(mm);
	return 0;
}

/* Begin: the year, the run's rules and the cache synced (c->mu held, s in a transaction). */
static int start(struct facts_cache *c, struct store *s, int *year, const char *as_of,
		 const char *judge, struct rule_set **rules, struct resident_info *ri,
		 struct err *e)
{
	char *key;
	int rc;

	if (!*year && (rc = eval_latest_year(s, year, e)) < 0)
		return rc;
	if (!(*rules = rules_load(s, as_of, e)))
		return e->code;
	key = key_of(*rules, judge);
	rc = sync(c, s, *year, key, *rules, as_of, ri, e);
	free(key);
	return rc < 0 ? rc : note_inputs(c, s, *rules, *year, judge, 0, e);
}

static void finish_info(struct facts_cache *c, struct resident_info *ri)
{
	size_t bytes = enforce_limit(c);
#ifdef __GLIBC__
	/* facts loaded again and a run's rows leave freed memory in the arena of the worker
	 * thread that served the request: give it back, or each worker keeps its own peak */
	malloc_trim(0);
#endif
	if (ri) {
		ri->bytes = bytes;
		ri->limit = c->limit;
	}
}

/* Store mechanism m's results (en->rs) as run's from its chunk *chunk on: copied as stored
 * from a run with the same inputs (none: encoded, but for the chunks with no row replaced
 * since they were last stored), and noted for later runs. */
static int save_rows(struct store *s, const struct mechanism *m, struct entry *en,
		     int64_t run, int *chunk, struct err *e)
{
	const char *inputs = en->inputs;
	char *used = NULL;
	struct memo_hit hit = { 0 };
	int first = *chunk, rc = 0;

	*chunk += rc_chunks(en->rs.nr);
	if (inputs && (rc = memo_find(s, m->name, inputs, &hit, e)) < 0)
		goto out;
	if (hit.run) {
		rc = memo_copy(s, &hit, run, first, e);
	} else {
		/* the chunks with no row replaced since rs was last stored: copied from there */
		rc = en->saved_run ? rs_save_changed(s, run, first, &en->rs, en->saved_run,
						     en->saved_first, &en->changed, e) : 1;
		if (rc == 1)
			rc = eval_run_rows(s, run, &en->rs, e);
	}
	if (rc >= 0 && inputs)
		rc = memo_save(s, run, m->name, inputs, en->digest,
			       used = rules_used_codes(en->rules), first, *chunk - first, e);
	if (rc >= 0) {
		en->saved_run = run;
		en->saved_first = first;
		en->changed.n = 0;
	}
out:
	memo_hit_release(&hit);
	free(used);
	return rc;
}

int eval_run_resident(struct facts_cache *c, struct store *s, const struct actor *who,
		      const struct mechanism *const *mechs, int year, const char *as_of,
		      const char *judge_date, struct eval_out *out, struct resident_info *info,
		      struct err *e)
{
	struct rule_set *rules = NULL;
	struct eval_fp *fp = NULL;
	size_t nrows = 0;
	double load = 0;
	int rc, chunk = 0;

	if (info)
		memset(info, 0, sizeof(*info));
	if ((rc = eval_out_start(out, mechs, e)) < 0)
		return rc;
	memo_track(s, NULL);

	pthread_mutex_lock(&c->mu);
	if ((rc = store_begin(s, e)) < 0) {
		pthread_mutex_unlock(&c->mu);
		return rc;
	}
	if ((rc = start(c, s, &year, as_of, judge_date, &rules, info, e)) < 0)
		goto fail;
	out->run.year = year;
	/* before the run's first write: the helper's connection reads the same snapshot */
	if ((rc = refresh_all(c, s, out, as_of, judge_date, &load, &out->engine_seconds, info,
			      e)) < 0 ||
	    (rc = note_inputs(c, s, rules, year, judge_date, 1, e)) < 0 ||
	    (rc = eval_run_begin(s, out->run.mechanisms, year, &out->run.id, e)) < 0)
		goto fail;
	fp = eval_fp_new();
	for (size_t i = 0; i < out->nmech; i++) {
		const struct mechanism *m = out->mech[i].m;
		int k = (int)(m - mechanisms);
		struct entry *en = &c->ent[k];
		double t;
		/* a split mechanism's results stay right while its facts and the key do */
		if (m->load && (rc = results_now(c, k, rules, judge_date, &out->engine_seconds, e)) < 0)
			goto fail;
		rules_merge_used(rules, en->rules);
		t = eval_clock();
		rc = save_rows(s, m, en, out->run.id, &chunk, e);
		out->save_seconds += eval_clock() - t;
		if (rc < 0)
			goto fail;
		out->mech[i].first = nrows;
		nrows += en->rs.nr;
		out->mech[i].last = nrows;
		eval_fp_add(fp, m->name, strlen(m->name) + 1);
		eval_fp_add(fp, en->digest, strlen(en->digest));
	}
	out->load_seconds = load;
	out->run.fingerprint = eval_fp_final(fp);
	fp = NULL;
	out->run.rule_versions = rules_used_json(rules);
	if ((rc = eval_run_finish(s, out->run.id, out->run.rule_versions, out->run.fingerprint,
				  e)) < 0 ||
	    (rc = eval_read_created_at(s, &out->run, e)) < 0 ||
	    (rc = eval_run_audit(s, who, &out->run, nrows, e)) < 0 ||
	    (rc = eval_out_commit(s, out, e)) < 0)
		goto fail;
	rules_free(rules);
	if (info)
		info->refresh_seconds = load;
	finish_info(c, info);
	pthread_mutex_unlock(&c->mu);
	return 0;
fail:
	if (fp)
		free(eval_fp_final(fp));
	store_rollback(s);
	rules_free(rules);
	/* what a failed run loaded or ran may have written in its rolled-back transaction
	 * (the seats vintage): start again from the store next time */
	c->primed = 0;
	mark_all(c);
	finish_info(c, info);
	pthread_mutex_unlock(&c->mu);
	return rc < 0 ? rc : ERR_DB;
}

int facts_cache_view(struct facts_cache *c, struct store *s, const char *const *names,
		     struct resident_view *v, struct resident_info *info, struct err *e)
{
	double load = 0, engine = 0;
	int rc;

	if (info)
		memset(info, 0, sizeof(*info));
	pthread_mutex_lock(&c->mu);
	if ((rc = start(c, s, &v->year, v->as_of, v->as_of, &v->rules, info, e)) < 0)
		goto fail;
	for (v->n = 0; names[v->n] && v->n < (int)ARRAY_SIZE(v->facts); v->n++) {
		const struct mechanism *m = mechanism_find(names[v->n]);
		int k = m ? (int)(m - mechanisms) : -1;
		if (!m || !m->load) {
			rc = err_set(e, ERR_USAGE, "%s: not a split mechanism", names[v->n]);
			goto fail;
		}
		int how;
		if ((rc = refresh(c, k, s, v->as_of, v->as_of, 1, &load, &how, e)) < 0)
			goto fail;
		note_how(info, k, how);
		if ((rc = results_now(c, k, v->rules, v->as_of, &engine, e)) < 0)
			goto fail;
		v->m[v->n] = m;
		v->facts[v->n] = c->ent[k].facts;
		v->results[v->n] = &c->ent[k].rs;
	}
	if (info) {
		info->refresh_seconds = load;
		info->bytes = cache_bytes(c); /* the limit is enforced once the view is done */
		info->limit = c->limit;
	}
	return 0;
fail:
	rules_free(v->rules);
	v->rules = NULL;
	finish_info(c, info);
	pthread_mutex_unlock(&c->mu);
	return rc < 0 ? rc : ERR_DB;
}

void facts_cache_done(struct facts_cache *c, struct resident_view *v)
{
	rules_free(v->rules);
	v->rules = NULL;
	finish_info(c, NULL);
	pthread_mutex_unlock(&c->mu);
}

/* A list of names (",a,b") as a JSON array. */
static void names_json(struct buf *b, const char *list)
{
	buf_addch(b, '[');
	for (const char *p = list; *p;) {
		const char *q = strchr(p + 1, ',');
		size_t len = q ? (size_t)(q - p - 1) : strlen(p + 1);
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)len, p + 1);
		if (p != list)
			buf_addch(b, ',');
		buf_add_json_str(b, name);
		p += len + 1;
	}
	buf_addch(b, ']');
}

void resident_info_json(struct buf *b, const struct resident_info *ri)
{
	buf_adds(b, "\"resident\":{\"reloaded\":");
	names_json(b, ri->reloaded);
	buf_adds(b, ",\"patched\":");
	names_json(b, ri->patched);
	buf_adds(b, ",\"recomputed\":");
	names_json(b, ri->recomputed);
	buf_adds(b, ",\"all_stale\":");
	if (ri->all_stale)
		buf_add_json_str(b, ri->all_stale);
	else
		buf_adds(b, "null");
	buf_addf(b, ",\"refresh_seconds\":%.3f,\"bytes\":%zu,\"limit\":%zu}", ri->refresh_seconds,
		 ri->bytes, ri->limit);
}
