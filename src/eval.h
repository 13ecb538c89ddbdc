/* eval.h: evaluation runs and their result rows, the one shape every engine produces
 * (SPEC §4): indicator, unit kind and id, stage, year, value, numerator, denominator,
 * threshold, verdict, evidence (JSON).
 *
 * Engines fill a result_set in memory (pure C, no I/O); eval_run_save() stores it as one run
 * with the rule versions used and a fingerprint of the input data. */
#ifndef EVAL_H
#define EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

struct store;
struct store_stmt;
struct rule_set;
struct memo;
struct memo_part;

enum verdict { V_NA = 0, V_PASS, V_WARN, V_FAIL };

/* Strings are owned by the set's arena. Absent numbers are NAN (stored as NULL). */
struct result_row {
	const char *indicator;   /* catalog code, e.g. "BAL.L5" */
	const char *unit_kind;   /* city, county, area, school, group, teacher, ... */
	const char *unit_id;
	const char *stage;       /* "primary", "junior", ... or "" */
	int year;                /* 0: none */
	double value, numerator, denominator, threshold;
	enum verdict verdict;
	const char *evidence;    /* JSON text, "{}" if none */
};

struct result_set {
	struct result_row *v;
	size_t nr, alloc;
	struct arena arena;
};

void results_init(struct result_set *rs);
void results_release(struct result_set *rs);
/* Room for n rows in all, at once (a set about as big as one computed before: growing it
 * row by row copies it and touches fresh pages over and over). */
void results_reserve(struct result_set *rs, size_t n);
/* Append a row; copies the strings into the set's arena (a string equal to the row before's
 * is that row's copy); returns the stored row. */
struct result_row *results_add(struct result_set *rs, const struct result_row *row);
/* Move src's rows to the end of dst (their strings with src's arena); src is left empty. */
void results_adopt(struct result_set *dst, struct result_set *src);
/* results_add() from the fields, the way engines append their rows. */
struct result_row *results_add_row(struct result_set *rs, const char *indicator,
				   const char *unit_kind, const char *unit_id, const char *stage,
				   int year, double value, double numerator, double denominator,
				   double threshold, enum verdict v, const char *evidence);

/* 1 for a failing county, city or specialty verdict: the rows `eduhq eval` lists. */
int result_in_summary(const struct result_row *r);
/* "pass", "warn", "fail" or "na" (static storage). */
const char *verdict_name(enum verdict v);
/* Append row as a JSON object (numbers NAN as null, evidence embedded as JSON). */
struct buf;
/* Result rows in key order: indicator, unit kind, unit id, stage, year. */
int result_key_cmp(const struct result_row *a, const struct result_row *b);
/* 1 when a and b have the same verdict and numbers (NaN equals NaN); evidence aside. */
int result_same_values(const struct result_row *a, const struct result_row *b);
void result_row_json(struct buf *b, const struct result_row *r);
/* Its parts, each without braces: "indicator", "unit_kind", "unit_id", "stage", "year"
 * (the row's key); "value", "numerator", "denominator", "threshold", "verdict". */
void result_key_json(struct buf *b, const struct result_row *r);
void result_values_json(struct buf *b, const struct result_row *r);
/* The SQL script of `indicators --format sql`: result_sql_open() a transaction and a table
 * `result` (the columns rows had when they were a table: id, run_id, indicator, unit_kind,
 * unit_id, stage, year, value, numerator, denominator, threshold, verdict, evidence),
 * result_row_sql() one INSERT per row, every number exact as the sqlite3 shell's
 * ieee754(M, E) (M x 2^E) and NAN as NULL, result_sql_close() the COMMIT. */
void result_sql_open(struct buf *b);
void result_row_sql(struct buf *b, int64_t run_id, const struct result_row *r);
void result_sql_close(struct buf *b);
/* Append a stored run's header as the JSON object {"id", "created_at", "mechanisms", "year",
 * "rule_versions", "data_fingerprint"}; rule_versions is JSON text, embedded as is. */
void eval_run_json(struct buf *b, int64_t id, const char *created_at, const char *mechs,
		   int year, const char *rule_versions, const char *fingerprint);

/* What a mechanism's run needs: the store to load facts (only the loader touches it), the
 * rules, and the school year evaluated. */
struct eval_ctx {
	struct store *store;
	struct rule_set *rules;
	int year;
	/* Filled while running (added for the balance engine; zero-initialise the struct): */
	struct eval_fp *fp;                   /* data fingerprint, fed by loaders; may be NULL */
	double load_seconds, engine_seconds;  /* accumulated by mechanisms, for --timing */
	/* The date the safety ledger and the plan tasks are judged at (overdue, lagging):
	 * "YYYY-MM-DD", NULL for today. */
	const char *as_of;
	/* Set by the server: a split mechanism's load keeps what its patch needs. */
	int patchable;
	/* Set by the caller when no other mechanism loads or computes beside this one: its
	 * loader may read on a second connection and thread (store_open_reader), with the
	 * core the caller leaves idle. Beside another mechanism that costs more than it gains
	 * (on this project's two-core machines: 0.1 s more CPU for a province evaluation). */
	int spare_core;
	/* Parts of facts kept between evaluations (memo.h): the run's inputs, or NULL (none
	 * taken or kept: the server's resident facts, what-ifs); with fresh, a load reads its
	 * tables all the same. A load that made a part leaves it in part, for the caller to
	 * store with the run (memo_part_save) and free. */
	const struct memo *memo;
	int fresh;
	struct memo_part *part;
	const char *kept;       /* set by a load that took a part: its name */
};

/* Data fingerprint: a BLAKE2b hash over the facts the loaders read, so two runs on the same
 * data agree and a changed row changes it. eval_fp_add on NULL does nothing. */
/* A new fingerprint; eval_fp_final() frees it. */
struct eval_fp *eval_fp_new(void);
void eval_fp_add(struct eval_fp *fp, const void *data, size_t len);
/* Feed one result row of st: its label, then each column as a type tag and its value in
 * binary (numbers by value, so both backends give the same bytes): an integer (or an
 * integral float) 'i' and a zigzag varint, another float 'f' and its 8 IEEE bytes, text
 * under 128 bytes the byte 0x80 + its length and its bytes, longer text 't', its bytes and
 * 0x1f, NULL 'n'. A label (a constant string: the same pointer is taken for
 * the same label) is 0, its text and NUL on its first use in fp, the byte 1 + its number
 * after. */
void eval_fp_add_row(struct eval_fp *fp, const char *label, struct store_stmt *st);
/* The same encoding value by value, for a loader that reads a row's columns in another form
 * than it hashes them (a row label with its NUL, then each column): what eval_fp_add_row
 * gives for a row of these values. */
void eval_fp_label(struct eval_fp *fp, const char *label);
void eval_fp_int(struct eval_fp *fp, int64_t v);
void eval_fp_double(struct eval_fp *fp, double d);
void eval_fp_text(struct eval_fp *fp, const char *t);  /* NULL: SQL NULL */
/* The rows fed so far: each begins with its label (eval_fp_add_row, eval_fp_label). */
size_t eval_fp_rows(const struct eval_fp *fp);
/* Lower-case hex digest; new string, caller frees; frees fp. */
char *eval_fp_final(struct eval_fp *fp);

/* Units: facts that a write changes one by one (a teacher's row, one posting) are each
 * hashed on their own, between eval_fp_unit_begin() and eval_fp_unit_end(), with
 * SipHash-2-4 (128-bit output, a fixed key), and the fingerprint hashes their sum mod 2^128
 * after the stream (the label "units" and 16 bytes) instead of their bytes within it. The
 * sum does not depend on the order the units came in, and a refresh by row patches it: the
 * changed rows' old hashes out, their new ones in (eval_fp_units_swap), with no other row
 * read again. Inside a unit a label is always written whole. A loader keeps what it needs
 * of each unit's hash (h; may be NULL); a per-teacher total is the sum of its rows'
 * (eval_fp_unit_add). NULL fp: h is zero. */
struct eval_fp_unit {
	uint64_t lo, hi;
};
void eval_fp_unit_begin(struct eval_fp *fp);
void eval_fp_unit_end(struct eval_fp *fp, struct eval_fp_unit *h);
/* One row of st as a unit of its own (eval_fp_add_row between begin and end). */
void eval_fp_row_unit(struct eval_fp *fp, const char *label, struct store_stmt *st,
		      struct eval_fp_unit *h);
/* acc += h (sign 1) or acc -= h (sign -1), mod 2^128. */
void eval_fp_unit_add(struct eval_fp_unit *acc, const struct eval_fp_unit *h, int sign);
/* Add the units of part (a fingerprint fed units only, by another thread: its stream is
 * dropped) and the rows it read to fp, and free part. Either may be NULL. */
void eval_fp_absorb(struct eval_fp *fp, struct eval_fp *part);
/* What such a part adds to a fingerprint, to be kept and added again later
 * (eval_fp_add_tally) in place of hashing the same units again. */
struct eval_fp_tally {
	struct eval_fp_unit sum;
	uint64_t rows;
	int units;              /* whether it had any unit */
};
void eval_fp_tally(const struct eval_fp *part, struct eval_fp_tally *t);
void eval_fp_add_tally(struct eval_fp *fp, const struct eval_fp_tally *t);
/* eval_fp_final(), and in *keep (when not NULL) what patching the digest needs: NULL when
 * the fingerprint had no units. Free it with free(). */
struct eval_fp_units;
char *eval_fp_final_units(struct eval_fp *fp, struct eval_fp_units **keep);
/* A unit (or a sum of them) changed from old to now. */
void eval_fp_units_swap(struct eval_fp_units *u, const struct eval_fp_unit *old,
			const struct eval_fp_unit *now);
/* The digest eval_fp_final() gives for the same stream and the units as patched. */
char *eval_fp_units_digest(const struct eval_fp_units *u);
/* The unit id of a mechanism's city-wide rows: the code of the registry's one city area,
 * copied into a (or "" when there is none or there are several, as in the province data
 * set). */
int eval_city_code(struct store *s, struct arena *a, const char **out, struct err *e);
/* Monotonic seconds, for timing loads and engines. */
double eval_clock(void);

/* A mechanism: loads its facts, runs its engine, appends result rows.
 *
 * run() does it all at once (the CLI). A mechanism may also come split, so that the server
 * can keep its facts resident between evaluations (resident.c) and compute what-ifs on a
 * changed copy (whatif.c): load() reads the store into new facts and feeds ec->fp (the same
 * bytes as run()); compute() appends the result rows from the facts, the rules and
 * ec->year/ec->as_of, reads no store and never changes the facts; release() frees them;
 * size() is their memory in bytes; save() (may be NULL) stores what the mechanism keeps
 * beside its results (seats: its forecast vintage) on the run's connection, after
 * compute(). A split mechanism's run is mech_run_split(). tables: the
 * registry tables its facts come from, comma-separated ("*": any table), so the server knows
 * what a write makes stale. */
struct mechanism {
	const char *name;
	const char *summary;
	int (*run)(struct eval_ctx *ec, struct result_set *out, struct err *e);
	int (*load)(struct eval_ctx *ec, void **facts, struct err *e);
	int (*compute)(const void *facts, struct eval_ctx *ec, struct result_set *out,
		       struct err *e);
	void (*release)(void *facts);
	size_t (*size)(const void *facts);
	const char *tables;
	/* A split mechanism may also be brought up to date by row (NULL: never). */
	const struct mech_rows *rows;
	int (*save)(const void *facts, struct store *s, struct err *e);
	/* The columns it reads of a table whose other columns do not matter to it, as
	 * "table.column,..." (NULL: none; a table not named: every column matters). An update
	 * that changes none of them leaves its facts and results as they are. */
	const char *columns;
};

/* Refresh by row, for the server's resident facts (loaded with ec->patchable):
 * patch: one written row of table (key: its key columns joined by '/', as the audit log
 *   names it) read again from ec->store, into the facts and the fingerprint's units u
 *   (eval.h), so that both are what a fresh load would give. 1 done; 0 when it cannot (a
 *   table it does not patch, a row that is new or gone): the facts are loaded again; <0 an
 *   error.
 * recompute (may be NULL): rs holds compute()'s results on the facts as they were before
 *   the patches since; bring it up to what compute() gives now, computing again only what
 *   the patches touched, with as many rows, and add the rows it replaced to changed
 *   (row_ranges_add). 1 done; 0 when it cannot (rs is computed whole); <0 an error.
 * settle (may be NULL): after the patches, what the facts derive from the rows brought up to
 *   date (seats: its forecast; it may read ec->store). 0, or <0 an error. */
struct row_ranges {
	size_t lo[32], hi[32]; /* rows [lo, hi) */
	int n;                 /* < 0: every row */
};
/* Rows [lo, hi) into r (joined to its last range when they meet or touch; every row once r
 * is full). */
void row_ranges_add(struct row_ranges *r, size_t lo, size_t hi);
/* Whether rows [lo, hi) meet one of r's. */
int row_ranges_meet(const struct row_ranges *r, size_t lo, size_t hi);
/* Into r, each span of `span` rows ([k * span, (k + 1) * span)) where now differs from was
 * in a row's key, numbers (bit for bit), verdict or evidence; every row when they have not
 * as many rows. */
void row_ranges_diff(struct row_ranges *r, const struct result_set *was,
		     const struct result_set *now, size_t span);
struct mech_rows {
	int (*patch)(void *facts, struct eval_ctx *ec, const char *table, const char *key,
		     struct eval_fp_units *u, struct err *e);
	int (*recompute)(void *facts, struct eval_ctx *ec, struct result_set *rs,
			 struct row_ranges *changed, struct err *e);
	int (*settle)(void *facts, struct eval_ctx *ec, struct err *e);
};
extern const struct mech_rows mech_balance_rows, mech_seats_rows, mech_teachers_rows,
	mech_groups_rows, mech_assessment_rows, mech_curriculum_rows, mech_safety_rows;
/* What a written row's key (its key columns joined by '/') names, for the patches: the
 * teacher of a teacher row (its code), of a posting (code/start date) or of a title
 * application (code/year/title), a new string, NULL for another table; a grade return's
 * school (new string), year and grade (school/year/grade), NULL when key is not one. */
char *written_teacher(const char *table, const char *key);
char *written_grade_return(const char *key, int *year, int *grade);

extern const struct mechanism mechanisms[];   /* ends with a NULL name */
const struct mechanism *mechanism_find(const char *name);
/* Whether a write to table makes m's facts stale (m->tables lists it, or is "*"). */
int mechanism_reads(const struct mechanism *m, const char *table);
/* Whether m reads column col of table (m->columns names it, or names no column of table). */
int mechanism_reads_column(const struct mechanism *m, const char *table, const char *col);
/* 0 when every table in read (",a,a.x,b", as store_track_reads() lists them) is one
 * m->tables declares, and every column one m->columns declares; else ERR_DATA naming the
 * first that is not (a loader reading a table or column its mechanism does not declare
 * would leave the server's resident facts stale after a write to it). Checked by every
 * evaluation when $EDUHQ_CHECK_TABLES is set (the tests set it). */
int mechanism_check_reads(const struct mechanism *m, const char *read, struct err *e);

/* The mechanisms' run functions (one mech_*.c each). */
int mech_balance_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
int mech_teachers_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
int mech_groups_run(struct eval_ctx *ec, struct result_set *out, struct err *e);
/* The split ones' parts (see struct mechanism). */
int mech_balance_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_balance_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			 struct err *e);
void mech_balance_release(void *facts);
size_t mech_balance_size(const void *facts);
int mech_teachers_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_teachers_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			  struct err *e);
void mech_teachers_release(void *facts);
size_t mech_teachers_size(const void *facts);

int mech_seats_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_seats_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
		       struct err *e);
void mech_seats_release(void *facts);
size_t mech_seats_size(const void *facts);
int mech_seats_save(const void *facts, struct store *s, struct err *e);
int mech_safety_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_safety_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			struct err *e);
void mech_safety_release(void *facts);
size_t mech_safety_size(const void *facts);
int mech_assessment_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_assessment_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			    struct err *e);
void mech_assessment_release(void *facts);
size_t mech_assessment_size(const void *facts);
int mech_curriculum_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_curriculum_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			    struct err *e);
void mech_curriculum_release(void *facts);
size_t mech_curriculum_size(const void *facts);
int mech_groups_load(struct eval_ctx *ec, void **facts, struct err *e);
int mech_groups_compute(const void *facts, struct eval_ctx *ec, struct result_set *out,
			struct err *e);
void mech_groups_release(void *facts);
size_t mech_groups_size(const void *facts);
/* load, compute and release: run() of a split mechanism (m found by ec's caller). */
int mech_run_split(const struct mechanism *m, struct eval_ctx *ec, struct result_set *out,
		   struct err *e);

/* Store results as a new run; *run_id receives its id. One transaction. */
int eval_run_save(struct store *s, const char *mechanisms_csv, int year,
		  const char *rule_versions_json, const char *fingerprint,
		  const struct result_set *rs, int64_t *run_id, struct err *e);
/* The same in steps, inside the caller's transaction, so results can be stored while other
 * mechanisms still load: the run's row (rule versions and fingerprint empty), each result set
 * in turn (appended to the run's rows in storage order, as chunks of at most 4,096 rows:
 * result_store.c), then the rule versions and fingerprint. */
int eval_run_begin(struct store *s, const char *mechanisms_csv, int year, int64_t *run_id,
		   struct err *e);
int eval_run_rows(struct store *s, int64_t run_id, const struct result_set *rs, struct err *e);
int eval_run_finish(struct store *s, int64_t run_id, const char *rule_versions_json,
		    const char *fingerprint, struct err *e);

#endif
