/* svc_eval.c: an evaluation run as one call (load the facts, run the engines, store the run
 * with everything it writes in one transaction), for the CLI's `eval` and the API. */
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

int eval_run(struct store *s, const struct mechanism *const *mechs, int year,
	     const char *as_of, const char *judge_date, struct eval_out *out, struct err *e)
{
	struct rule_set *rules = NULL;
	struct eval_ctx ec;
	struct buf names = BUF_INIT;
	double t;
	int rc;

	memset(out, 0, sizeof(*out));
	results_init(&out->rs);
	for (size_t k = 0; mechs ? mechs[k] != NULL : mechanisms[k].name != NULL; k++) {
		if (out->nmech == ARRAY_SIZE(out->mech))
			return err_set(e, ERR_USAGE, "too many mechanisms");
		out->mech[out->nmech++].m = mechs ? mechs[k] : &mechanisms[k];
	}
	/* One transaction from the first read: the facts are one snapshot, and the run, its
	 * results and whatever a mechanism stores (the forecast vintage) commit together. */
	if (store_begin(s, e) < 0)
		return e->code;
	if (!year && (rc = latest_year(s, &year, e)) < 0)
		goto fail;
	if (!(rules = rules_load(s, as_of, e))) {
		rc = e->code;
		goto fail;
	}
	memset(&ec, 0, sizeof(ec));
	ec.store = s;
	ec.rules = rules;
	ec.year = year;
	ec.as_of = judge_date;
	ec.fp = eval_fp_new();
	for (size_t k = 0; k < out->nmech; k++) {
		out->mech[k].first = out->rs.nr;
		if ((rc = out->mech[k].m->run(&ec, &out->rs, e)) < 0) {
			err_prefix(e, "%s", out->mech[k].m->name);
			free(eval_fp_final(ec.fp));
			goto fail;
		}
		out->mech[k].last = out->rs.nr;
		buf_addf(&names, "%s%s", k ? "," : "", out->mech[k].m->name);
	}
	out->load_seconds = ec.load_seconds;
	out->engine_seconds = ec.engine_seconds;
	out->run.fingerprint = eval_fp_final(ec.fp);
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
