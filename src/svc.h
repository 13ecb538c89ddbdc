/* svc.h: the service layer every interface calls (CLI commands, the HTTP API, reports):
 * evaluation runs, result queries, rule versions, registry rows and overview figures.
 *
 * Each function takes the store, a scope and its arguments, and returns data or calls a
 * callback per row; none prints. Commands are argument parsing + one svc_ call + a renderer.
 * Implementations: svc_eval.c, svc_results.c, svc_rules.c, svc_registry.c, svc_overview.c.
 *
 * Scope: what a caller may see. Every query takes one; the server passes the user's role
 * scope, the CLI the --area/--school options (NULL or an all-empty scope: everything). */
#ifndef SVC_H
#define SVC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eval.h"

struct store;
struct table;
struct row_errors;
struct actor;

/* area: that area and every area under it (with their schools); school: that school only;
 * both: the school, when it lies in the area (else nothing). NULL fields: no restriction. */
struct svc_scope {
	const char *area;
	const char *school;
};

/* ---- evaluation runs (svc_eval.c) ---- */

/* A stored run's header. Strings are new (svc_run_release frees them). */
struct svc_run {
	int64_t id;
	char *created_at, *mechanisms, *rule_versions, *fingerprint;
	int year;
	char *picked;   /* svc_results_runs(): the mechanisms whose rows are read from it
			 * (",a,b"), NULL for all (a run asked for by id) */
};
void svc_run_release(struct svc_run *r);

/* What eval_run() produced: the header, every result row (with EVAL_SUMMARY only those
 * result_in_summary() keeps), and per mechanism the rows [first, last) of rs, and its
 * number of rows by verdict. */
struct eval_out {
	struct svc_run run;
	struct result_set rs;
	struct {
		const struct mechanism *m;
		size_t first, last;
		size_t results;      /* eval_run(): its rows, all of them */
		size_t verdicts[4];  /* eval_run(): its rows by verdict (enum verdict) */
		double load_seconds, engine_seconds;
		int thread;          /* 0 the run's thread, 1 the helper */
		int64_t reused;      /* the run its results were taken from (memo.h), or 0 */
		const char *kept;    /* the part of its facts taken from an earlier run, or NULL */
	} mech[16];
	size_t nmech;
	double load_seconds, engine_seconds, save_seconds;
	double commit_seconds;       /* the run's commit (in save_seconds too on the CLI) */
	double busy_seconds[2];      /* running mechanisms: the run's thread, the helper */
	int threads;                 /* 1, or 2 when a helper ran */
};
void eval_out_release(struct eval_out *o);
/* The rows of every mechanism eval_run() ran (mech[k].results summed). */
size_t eval_out_results(const struct eval_out *o);
/* out empty, with the mechanisms to run (mechs, NULL-terminated; NULL: every one) in
 * out->mech and their names in out->run.mechanisms; ERR_USAGE when there are too many. */
int eval_out_start(struct eval_out *out, const struct mechanism *const *mechs, struct err *e);
/* store_commit(s), its time into out->commit_seconds. */
int eval_out_commit(struct store *s, struct eval_out *out, struct err *e);

/* Run mechanisms (NULL-terminated; NULL: all of mechanisms[]) for school year `year` (0: the
 * latest year with grade returns) with the rules in force at as_of (NULL: today), judging
 * dated obligations (overdue hazards, lagging tasks) at judge_date (NULL: today), and store
 * the run. Everything the run writes (the run, its results, the seats forecast vintage) is
 * one transaction: on any failure nothing of it is stored. out is initialised here; release
 * it with eval_out_release() whatever the result.
 * A mechanism whose inputs are those of a stored run's (memo.h) takes that run's results
 * (the same rows and fingerprint) instead of loading and computing, unless flags has
 * EVAL_FRESH; what each depended on is stored with the run either way. */
enum { EVAL_FRESH = 1,
       EVAL_NO_EVIDENCE = 2, /* the caller reads no evidence in out->rs: a reused row's is "{}" */
       EVAL_SUMMARY = 4 };   /* it reads of the rows only the counts and those
			      * result_in_summary() keeps: out->rs holds no other (a run whose
			      * results are earlier runs' then decodes no more of them) */
int eval_run(struct store *s, const struct mechanism *const *mechs, int year,
	     const char *as_of, const char *judge_date, int flags, struct eval_out *out,
	     struct err *e);
/* eval_run() and its audit entry (eval.run: the run's id, mechanisms, year, rule versions,
 * fingerprint and number of results) in one transaction: what the CLI and the API call. */
int eval_run_as(struct store *s, const struct actor *who, const struct mechanism *const *mechs,
		int year, const char *as_of, const char *judge_date, int flags,
		struct eval_out *out, struct err *e);
/* Pieces of a run shared with the server's resident evaluation (resident.c): the latest
 * school year with grade returns (ERR_DATA when none), a stored run's created_at into
 * run, and the run's audit entry (eval.run) in the caller's transaction. */
int eval_latest_year(struct store *s, int *year, struct err *e);
int eval_read_created_at(struct store *s, struct svc_run *run, struct err *e);
int eval_run_audit(struct store *s, const struct actor *who, const struct svc_run *run,
		   size_t nresults, struct err *e);

/* ---- results (svc_results.c) ---- */

struct svc_result_filter {
	int64_t run;            /* this run; 0: the latest run of each mechanism */
	int year;               /* with run 0: the latest run for this school year; 0: any */
	const char *indicator;  /* NULL: all */
	const char *verdict;    /* "pass", "warn", "fail", "na"; NULL: all */
	int without_evidence;   /* rows' evidence NULL: not decoded (nor kept by the server's
				 * cache), for readers that do not look at it */
};

struct svc_runs {
	struct svc_run *v;
	size_t nr, alloc;
};
void svc_runs_release(struct svc_runs *l);

/* The runs a filter reads (headers, in ascending id order). ERR_NOTFOUND with a message when
 * there is none ("no evaluation run ..."). */
int svc_results_runs(struct store *s, const struct svc_result_filter *f, struct svc_runs *out,
		     struct err *e);

/* Stored runs, newest first: at most limit (<= 0: 100) with id < before_id (0: from the
 * newest), for listing and paging. */
int svc_runs_list(struct store *s, int64_t before_id, long limit, struct svc_runs *out,
		  struct err *e);

/* Called once per result row in storage order; a non-zero return stops the query and is
 * returned by svc_results(). row's strings are borrowed for the call only. */
typedef int (*svc_result_fn)(void *arg, const struct svc_run *run, const struct result_row *row);

/* The result rows of the runs svc_results_runs() picks (or of `runs` when not NULL), in
 * scope, filtered. Rows of a latest-run pick belong to the mechanism it was picked for.
 * The rows are stored in chunks (result_store.h): only the chunks whose summary may hold a
 * row of the filter and scope are decoded, through the store's cache when it has one. A
 * damaged chunk: ERR_DB "run N: result chunk S is damaged: ...". */
int svc_results(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		const struct svc_runs *runs, svc_result_fn fn, void *arg, struct err *e);

/* How many of those rows each indicator has per verdict: fn once per (run, indicator,
 * verdict) present, n rows, ordered by run, indicator and verdict name. */
typedef void (*svc_count_fn)(void *arg, const struct svc_run *run, const char *indicator,
			     enum verdict v, int64_t n);
int svc_results_counts(struct store *s, const struct svc_result_filter *f, const struct svc_scope *sc,
		       const struct svc_runs *runs, svc_count_fn fn, void *arg, struct err *e);

/* ---- comparing two runs (svc_compare.c) ---- */

/* One indicator of a comparison: each run's rows per verdict (indexed by enum verdict), and
 * how its rows matched by key (unit kind, unit id, stage, year) compare. */
struct svc_diff {
	const char *indicator;
	int64_t a[4], b[4];
	long same, changed, verdict_changed, added, removed;
};
/* A row that differs: a (before) NULL when only run b has it, b NULL when only run a has it;
 * a non-zero return stops the comparison and is returned. */
typedef int (*svc_diff_row_fn)(void *arg, const struct result_row *a, const struct result_row *b);
typedef void (*svc_diff_fn)(void *arg, const struct svc_diff *d);

/* Compare run a with run b in scope (one indicator, or all when NULL): for each indicator
 * present in either, in code order, row() for every row whose verdict, value, numerator,
 * denominator or threshold differs (NaN equals NaN; evidence is not compared) or that only
 * one run has, in key order, then done() with the indicator's counts. Either callback may
 * be NULL. ERR_NOTFOUND when a run does not exist. */
int svc_runs_compare(struct store *s, int64_t a, int64_t b, const char *indicator,
		     const struct svc_scope *sc, svc_diff_row_fn row, svc_diff_fn done, void *arg,
		     struct err *e);

/* ---- rules (svc_rules.c) ---- */

/* One stored rule version; strings are new; params is JSON object text. */
struct svc_rule {
	char *code, *effective, *params, *source, *clause, *tag, *note, *created_at, *created_by;
	int version;
};
struct svc_rules {
	struct svc_rule *v;
	size_t nr, alloc;
};
void svc_rules_release(struct svc_rules *l);

/* The version in force at as_of (YYYY-MM-DD) of every rule, or of rule `code` (not NULL),
 * ordered by code. A code with no version in force: ERR_NOTFOUND "no rule 'X'" when it does
 * not exist at all, ERR_DATA "rule 'X' has no version in force on D" when not yet. */
int svc_rules_in_force(struct store *s, const char *as_of, const char *code,
		       struct svc_rules *out, struct err *e);
/* Every version of rule code, oldest first; ERR_NOTFOUND "no rule 'X'" if none. */
int svc_rules_history(struct store *s, const char *code, struct svc_rules *out, struct err *e);

/* A new version of rule code: the previous version's parameters with kv ("KEY=VALUE",
 * nkv of them) applied (a number stays a number), and its metadata unless given (NULL:
 * as before). effective NULL: today. One transaction, with its audit entry (rules.set, by
 * user from `from`). *version gets the new number. */
struct svc_rule_change {
	const char *effective, *source, *clause, *tag, *note, *user;
	const char *from;   /* the writer's address for the audit entry (NULL: "cli") */
};
int rules_set_version(struct store *s, const char *code, int nkv, const char *const *kv,
		      const struct svc_rule_change *ch, int *version, struct err *e);

/* ---- registry rows (svc_registry.c) ---- */

/* One row as canonical text per column of the table (t->ncols values; NULL = SQL NULL). */
typedef int (*svc_row_fn)(void *arg, const struct table *t, const char *const *vals);

/* Rows of table t in scope (ordered by natural key), each through fn. The scope applies
 * through the table's scope column (table.c: school, area, teacher's current posting);
 * city-wide tables are visible in every scope and written only without one. Writes append
 * their audit entry (who) in the same transaction: insert/update/delete with the row
 * before and after as JSON. */
int registry_list(struct store *s, const struct table *t, const struct svc_scope *sc,
		  svc_row_fn fn, void *arg, struct err *e);
/* The row with natural key `key` (one value per key column, in key order): 1 and fn called,
 * 0 when absent or out of scope. */
int registry_get(struct store *s, const struct table *t, const char *const *key,
		 const struct svc_scope *sc, svc_row_fn fn, void *arg, struct err *e);
/* Validate raw (t->ncols values by column index, NULL = empty) with table_validate_row()
 * and insert or update the row by its natural key, in scope. Returns 0 (inserted: *created
 * = 1), ERR_DATA with errs filled when invalid (nothing written), ERR_PERM out of scope. */
int registry_upsert(struct store *s, const struct table *t, const char *const *raw,
		    const struct svc_scope *sc, const struct actor *who, struct row_errors *errs,
		    int *created, struct err *e);
/* Delete by natural key in scope: 1 deleted, 0 absent; ERR_DATA when rows refer to it. */
int registry_delete(struct store *s, const struct table *t, const char *const *key,
		    const struct svc_scope *sc, const struct actor *who, struct err *e);

/* registry_list() with equality filters, an order and a page. */
struct registry_query {
	int filter_col[16];         /* column indexes of t */
	const char *filter_val[16]; /* canonical values they must equal */
	int nfilters;
	int sort_col;               /* -1: the natural key */
	int desc;                   /* descending */
	long limit, offset;         /* limit 0: every row */
};
int registry_page(struct store *s, const struct table *t, const struct svc_scope *sc,
		  const struct registry_query *q, svc_row_fn fn, void *arg, struct err *e);

/* registry_page()'s rows written as an XLSX sheet to file (created; name: for messages),
 * row by row (export.h). *nrows gets the rows written. */
int registry_export_xlsx(struct store *s, const struct table *t, const struct svc_scope *sc,
			 const struct registry_query *q, const char *file, const char *name,
			 long *nrows, struct err *e);

/* ---- imports (svc_import.c) ---- */

struct import_opts;
struct import_result;
/* import_file() and its audit entry (action "import", key = name, after = the file's name,
 * SHA-256 and counts) in one transaction; a dry run records nothing. */
int svc_import(struct store *s, const struct table *t, const struct import_opts *o,
	       const char *name, const struct actor *who, struct import_result *r, struct err *e);

/* ---- data quality (svc_check.c) ---- */

struct check_report;
/* The `eduhq check` report for school year `year` (0: all years) into r (initialised here;
 * check_report_release() it whatever the result), over the rows visible in scope sc (NULL:
 * everything): a county or school user's report checks its own rows only. */
int svc_check(struct store *s, int year, const struct svc_scope *sc, struct check_report *r,
	      struct err *e);

/* ---- overview figures (svc_overview.c) ---- */

/* The registry at a glance, in scope: what the demo prints and the dashboard's first page.
 * Group coverage uses the groups.coverage rule's denominator (printed with the figure). */
struct svc_overview {
	long cities, counties, towns;
	long schools, public_compulsory, teaching_points, senior, vocational;
	int pupils_year;                       /* the latest year with grade returns */
	long pupils, teachers, postings;       /* teachers: in scope, with a current posting */
	long exchanges;                        /* postings of kind exchange in pupils_year */
	long groups, grouped_schools;          /* grouped: schools in a group now */
	long coverage_numerator, coverage_denominator; /* grouped schools of the denominator */
	const char *coverage_denominator_name;   /* static text, e.g. "public compulsory schools" */
	long specialties, enterprises, training_bases, projects, hazards, tasks;
};
int svc_overview(struct store *s, const struct svc_scope *sc, struct svc_overview *out,
		 struct err *e);

#endif
