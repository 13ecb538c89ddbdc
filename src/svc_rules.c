/* svc_rules.c: rule versions as a service: the versions in force at a date, a rule's
 * history, and adding a version (`rules set`, the API's rule edit). Versions are only ever
 * added, never edited. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "rules.h"
#include "store.h"
#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
#define RV_COLS "code, version, effective_date, params, source_doc, clause, tag, note, " \
	"created_at, created_by"

/* The version in force at ?1 of every rule (or of rule ?2): as rules_load(). */
static const char in_force_sql[] =
	"SELECT " RV_COLS " FROM rule_version r WHERE (CAST(?2 AS TEXT) IS NULL OR code = ?2) AND version = ("
	" SELECT r2.version FROM rule_version r2 WHERE r2.code = r.code AND r2.effective_date <= ?1"
	" ORDER BY r2.effective_date DESC, r2.version DESC LIMIT 1) ORDER BY code";

static char *col(struct store_stmt *st, int i)
{
	const char *s = store_column_text(st, i);
	return xstrdup(s ? s : "");
}

void svc_rules_release(struct svc_rules *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		struct svc_rule *r = &l->v[i];
		free(r->code);
		free(r->effective);
		free(r->params);
		free(r->source);
		free(r->clause);
		free(r->tag);
		free(r->note);
		free(r->created_at);
		free(r->created_by);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Run sql (selecting RV_COLS) with text parameters ?1, ?2 (NULL: bound as NULL). */
static int rv_query(struct store *s, const char *sql, const char *p1, const char *p2,
		    struct svc_rules *out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, p1);
	if (strstr(sql, "?2"))
		store_bind_text(st, 2, p2);
	while ((r = store_step(st, e)) == 1) {
		struct svc_rule *v;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		v = &out->v[out->nr++];
		v->code = col(st, 0);
		v->version = (int)store_column_int(st, 1);
		v->effective = col(st, 2);
		v->params = col(st, 3);
		v->source = col(st, 4);
		v->clause = col(st, 5);
		v->tag = col(st, 6);
		v->note = col(st, 7);
		v->created_at = col(st, 8);
		v->created_by = col(st, 9);
	}
	store_finalize(st);
	return r < 0 ? r : 0;
}

static int rule_exists(struct store *s, const char *code, struct err *e)
{
	struct svc_rules l = { 0 };
	int r = rv_query(s, "SELECT " RV_COLS " FROM rule_version WHERE code = ?1 LIMIT 1", code,
			 NULL, &l, e);
	int n = (int)l.nr;
	svc_rules_release(&l);
	return r < 0 ? r : n;
}

int svc_rules_in_force(struct store *s, const char *as_of, const char *code,
		       struct svc_rules *out, struct err *e)
{
	int ex;
	memset(out, 0, sizeof(*out));
	if (rv_query(s, in_force_sql, as_of, code, out, e) < 0)
		goto fail;
	if (!code || out->nr)
		return 0;
	if ((ex = rule_exists(s, code, e)) < 0)
		goto fail;
	if (ex)
		err_set(e, ERR_DATA, "rule '%s' has no version in force on %s", code, as_of);
	else
		err_set(e, ERR_NOTFOUND, "no rule '%s'", code);
fail:
	svc_rules_release(out);
	return e->code;
}

int svc_rules_history(struct store *s, const char *code, struct svc_rules *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (rv_query(s, "SELECT " RV_COLS " FROM rule_version WHERE code = ?1 ORDER BY version",
		     code, NULL, out, e) < 0) {
		svc_rules_release(out);
		return e->code;
	}
	if (!out->nr)
		return err_set(e, ERR_NOTFOUND, "no rule '%s'", code);
	return 0;
}

int rules_set_version(struct store *s, const char *code, int nkv, const char *const *kv,
		      const struct svc_rule_change *ch, int *version, struct err *e)
{
	struct svc_rules l = { 0 };
	struct svc_rule *prev;
	json_t *params = NULL;
	json_error_t je;
	struct store_stmt *st = NULL;
	char today[11], *txt = NULL;
	const char *effective = ch->effective;
	int rc;

	rules_today(today);
	if (!effective)
		effective = today;
	else if (!rules_valid_date(effective))
		return err_set(e, ERR_DATA, "--effective: '%s' is not a date (YYYY-MM-DD)",
			       effective);
	if (store_begin(s, e) < 0)
		return e->code;
	if ((rc = rv_query(s, "SELECT " RV_COLS " FROM rule_version WHERE code = ?1 "
			   "ORDER BY version DESC LIMIT 1", code, NULL, &l, e)) < 0)
		goto fail;
	if (l.nr == 0) {
		rc = err_set(e, ERR_NOTFOUND, "no rule '%s'", code);
		goto fail;
	}
	prev = &l.v[0];
	/* the changes, each range-checked against the rule's parameter definitions */
	if (!(txt = rules_apply(code, prev->params, nkv, kv, e))) {
		rc = e->code;
		goto fail;
	}
	params = json_loads(txt, 0, &je);
	st = store_prepare(s,
			   "INSERT INTO rule_version(code, version, effective_date, params, source_doc, "
			   "clause, tag, note, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			   e);
	if (!st) {
		rc = e->code;
		goto fail;
	}
	store_bind_text(st, 1, code);
	store_bind_int(st, 2, prev->version + 1);
	store_bind_text(st, 3, effective);
	store_bind_text(st, 4, txt);
	store_bind_text(st, 5, ch->source ? ch->source : prev->source);
	store_bind_text(st, 6, ch->clause ? ch->clause : prev->clause);
	store_bind_text(st, 7, ch->tag ? ch->tag : prev->tag);
	store_bind_text(st, 8, ch->note ? ch->note : prev->note);
	store_bind_text(st, 9, ch->user && *ch->user ? ch->user : "cli");
	if ((rc = store_step(st, e)) < 0)
		goto fail;
	{
		/* the audit entry: before and after are the two versions' parameters */
		char key[160], actor[96], *before, *after;
		struct actor who = { actor, ch->from ? ch->from : "cli" };
		/* the command line's writers are "cli:LOGIN", the server's their user name */
		snprintf(actor, sizeof(actor), "%s%s", ch->from ? "" : "cli:",
			 ch->user && *ch->user ? ch->user : "unknown");
		json_t *a = json_pack("{s:i, s:s, s:O}", "version", prev->version + 1, "effective_date",
				      effective, "params", params);
		json_t *b = json_pack("{s:i, s:s, s:o}", "version", prev->version, "effective_date",
				      prev->effective, "params", json_loads(prev->params, 0, NULL));
		snprintf(key, sizeof(key), "%s", code);
		before = json_dumps(b, JSON_FLAGS);
		after = json_dumps(a, JSON_FLAGS);
		json_decref(a);
		json_decref(b);
		rc = audit_write(s, &who, "rules.set", "rule_version", key, before, after, e);
		free(before);
		free(after);
		if (rc < 0)
			goto fail;
	}
	if ((rc = store_commit(s, e)) < 0)
		goto fail;
	*version = prev->version + 1;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	store_finalize(st);
	json_decref(params);
	free(txt);
	svc_rules_release(&l);
	return rc;
}
