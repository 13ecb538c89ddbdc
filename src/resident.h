/* resident.h: the server's resident facts (issue 15): each mechanism's facts loaded once and
 * kept between evaluations, with the digest of what was read and their last results, brought
 * up to date from the audit log on each evaluation rather than reloaded.
 *
 * One cache per server process. Every write, API or CLI, appends an audit entry naming its
 * table (audit.h); on an evaluation the cache reads the entries after the last one it has
 * seen and marks stale the mechanisms that read those tables (struct mechanism .tables).
 * A commit made outside eduhq (the sqlite3 shell) writes no entry: the store's data version
 * (store_data_version: SQLite's PRAGMA data_version on the writer connection, which moves
 * only when another connection commits) marks everything stale then, and so does another
 * school year or another judging date. Other rule versions in force make stale the
 * mechanisms whose facts were read with a rule parameter that now has another value
 * (rules_same_used); a mechanism that only computes with the parameters that moved keeps
 * its facts and is computed whole again.
 * PostgreSQL has no data version: there only audited writes are seen.
 *
 * A write of rows that the audit log names (a registry write; an import of at most
 * IMPORT_KEYS rows, whose entry lists their keys), while patching them costs less than a
 * load (resident.c: patch_max), is patched by row into the facts of the mechanisms that can
 * (struct mech_rows: all but vocational and tasks), with their fingerprint, when the
 * store's data version shows that the log names every write (SQLite). Stale split
 * mechanisms (load/compute) are loaded again; a split mechanism whose facts changed is
 * computed again (balance: only the counties a patch touched; computed whole, only the
 * result chunks that differ from its last results are stored anew, the others copied as
 * stored). A mechanism that only has run() (vocational, tasks) is run again when stale,
 * else its last results are stored again (they are what its run would give on unchanged
 * facts). The memory is bounded: past the limit the results of whole mechanisms are
 * dropped first, then facts (they are then loaded per evaluation). */
#ifndef RESIDENT_H
#define RESIDENT_H

#include <stddef.h>

#include "err.h"
#include "eval.h"

struct store;
struct actor;
struct eval_out;
struct rule_set;

struct facts_cache;

/* A new, empty cache that keeps at most limit bytes (0: no limit). */
struct facts_cache *facts_cache_new(size_t limit);
void facts_cache_free(struct facts_cache *c);

/* What the last evaluation or what-if did: the mechanisms loaded again (",a,b" or ""),
 * whether everything was stale (and why), the seconds spent bringing facts up to date,
 * the cache's bytes and its limit. */
struct resident_info {
	char reloaded[256];
	char patched[256];        /* the mechanisms patched by row (",a,b" or "") */
	char recomputed[256];     /* computed whole again on kept facts: a rule only their
				   * compute reads is at another version */
	const char *all_stale;    /* NULL, or why: "first evaluation", "outside commit", ... */
	double refresh_seconds;
	size_t bytes, limit;
};

/* Append "resident":{"reloaded":[...],"patched":[...],"recomputed":[...],"all_stale":..,
 * "refresh_seconds":..,"bytes":..,"limit":..} (a member of an answer's object). */
struct buf;
void resident_info_json(struct buf *b, const struct resident_info *ri);

/* eval_run_as() through the cache: the same run, results and fingerprint as a fresh
 * evaluation of the same database, stored and audited the same way; out->rs stays empty
 * (out->mech[k].first/last count the rows stored). info may be NULL. */
int eval_run_resident(struct facts_cache *c, struct store *s, const struct actor *who,
		      const struct mechanism *const *mechs, int year, const char *as_of,
		      const char *judge_date, struct eval_out *out, struct resident_info *info,
		      struct err *e);

/* For what-ifs (whatif.c): in a transaction of s, bring the named split mechanisms up to
 * date for the evaluation of v->year (0: the latest) with the rules in force and dated
 * obligations judged at v->as_of (NULL: today), and return, per name, its resident facts
 * and baseline results (borrowed until facts_cache_done), the year and the rules (the
 * run's, to compute with). The cache stays locked until facts_cache_done(). */
struct resident_view {
	const char *as_of;        /* in */
	const void *facts[4];
	const struct result_set *results[4];
	const struct mechanism *m[4];
	int n;
	int year;
	struct rule_set *rules;
};
int facts_cache_view(struct facts_cache *c, struct store *s, const char *const *names,
		     struct resident_view *v, struct resident_info *info, struct err *e);
void facts_cache_done(struct facts_cache *c, struct resident_view *v);

#endif
