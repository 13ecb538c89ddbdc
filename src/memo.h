/* memo.h: a mechanism's results taken from an earlier run when nothing they depend on has
 * changed, instead of loading its facts and computing them again.
 *
 * What a mechanism's results depend on (its inputs): the engine code (the executable's GNU
 * build id), the school year, the judging date, the rule versions in force, the schema, and
 * the version of every table its loader reads. Table versions are counted by triggers on
 * every insert, update and delete, whoever writes (eduhq, the sqlite3 shell, psql); of a
 * table whose columns the mechanism declares (struct mechanism .columns: school, teacher),
 * its inserts and deletes and its updates that change one of those columns (SQLite: each
 * row's; PostgreSQL: each UPDATE statement that sets one). The tables and columns a loader
 * reads are the ones its mechanisms[] entry declares (every test evaluation checks that,
 * EDUHQ_CHECK_TABLES); the engines are pure. So equal inputs mean equal facts
 * and equal results: a reused mechanism gives the same rows, bit for bit, and the same
 * fingerprint as computing it again. */
#ifndef MEMO_H
#define MEMO_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "eval.h"

struct store;

/* Make the version triggers of every table a mechanism declares when they are not all there
 * (or meta.tracked_tables names other tables), in a transaction of its own. e may be NULL:
 * an evaluation goes on without reusing results when this fails (memo_open() finds the
 * tables not tracked). */
int memo_track(struct store *s, struct err *e);

/* The inputs every mechanism of a run shares, read in the run's transaction. */
struct memo;
/* New, for the rule versions of rules; *out NULL (and 0 returned) when results cannot be
 * reused: no build id, or the tables are not all tracked (memo_track has not run since the
 * mechanisms changed). judge_date NULL: today. */
struct rule_set;
int memo_open(struct store *s, const struct rule_set *rules, int year, const char *judge_date,
	      struct memo **out, struct err *e);
void memo_free(struct memo *mm);
/* The table versions read again, in the same transaction: after a run's own writes (the
 * seats forecast vintage, which gives the same results when read back), the inputs its
 * results are for. */
int memo_reread(struct memo *mm, struct store *s, struct err *e);
/* m's inputs as text (new), or NULL when m's results are never reused (mm NULL, or m reads
 * a table that is not tracked). */
char *memo_inputs(const struct memo *mm, const struct mechanism *m);
/* Whether two of a mechanism's inputs (memo_inputs) name the same table versions: they
 * differ at most in what every mechanism shares (build, year, judging date, rules). */
int memo_same_tables(const char *a, const char *b);

/* An earlier run's results for the same inputs. */
struct memo_hit {
	int64_t run;
	int first_chunk, chunks;
	char *digest;       /* the fingerprint of the facts it read */
	char *rules;        /* the rules it used, ",a,b," */
};
/* 1 and *hit filled (memo_hit_release() it) when a stored run has results of mechanism
 * for inputs (the latest such run), 0 when none. */
int memo_find(struct store *s, const char *mechanism, const char *inputs, struct memo_hit *hit,
	      struct err *e);
void memo_hit_release(struct memo_hit *hit);
/* Append hit's result rows to rs, as stored; without their evidence ("{}") when evidence
 * is 0 (faster: the evidence is most of a chunk). With verdicts, each row is counted into
 * verdicts[its verdict] and only those result_in_summary() keeps are appended. */
int memo_load(struct store *s, const struct memo_hit *hit, int evidence, size_t verdicts[4],
	      struct result_set *rs, struct err *e);
/* Store hit's result chunks as they are as run's, from its chunk first_chunk on. */
int memo_copy(struct store *s, const struct memo_hit *hit, int64_t run, int first_chunk,
	      struct err *e);
/* Record that run's chunks first_chunk.. (chunks of them) hold mechanism's results for
 * inputs, from facts with fingerprint digest, using rules. */
int memo_save(struct store *s, int64_t run, const char *mechanism, const char *inputs,
	      const char *digest, const char *rules, int first_chunk, int chunks,
	      struct err *e);

/* A part of a mechanism's facts kept between evaluations (table fact_part): what its load
 * derives from some of its tables alone, stored for the versions of those tables, so that a
 * load after a write to its other tables (or another rule version or judging date) takes it
 * instead of reading them (balance: each school's teacher counts from the teacher and
 * posting tables, most of its load). Its inputs are the build, the year, the schema and the
 * versions of what it reads (memo_part_new): equal inputs mean those tables hold what they
 * held when the part was made. A part must not depend on a rule or the judging date. Only
 * the latest part of each name and year is kept (evaluating two years in turn keeps both). */
struct memo_part {
	const char *name;       /* a constant, "mechanism.part" */
	char key[48];           /* its row in fact_part: name and year */
	char *inputs;           /* its inputs (memo_part_new) */
	struct buf data;        /* the mechanism's own encoding, for this build only */
};
/* A part of name (a constant) for mm's year, with no data yet, its inputs from mm's for
 * what mechanism m's load reads of tables ("a,b": of a table whose columns m declares, its
 * rows and those columns, as memo_inputs); NULL when mm is NULL or a table is not tracked
 * (nothing is kept then). */
struct memo_part *memo_part_new(const struct memo *mm, const char *name,
				const struct mechanism *m, const char *tables);
/* 1 and part->data filled with the stored part of part->key for part->inputs, 0 when
 * there is none for them. */
int memo_part_find(struct store *s, struct memo_part *part, struct err *e);
/* Store part as the latest of its name and year. */
int memo_part_save(struct store *s, const struct memo_part *part, struct err *e);
void memo_part_free(struct memo_part *part);

#endif
