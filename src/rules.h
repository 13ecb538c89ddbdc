/* rules.h: the versioned rule table (SPEC §2): every threshold, ratio and exclusion an
 * engine uses, with its source document (文号), clause, tag and effective date.
 *
 * A rule is (code, version) with a JSON object of parameters. `rules set` adds a version;
 * no version is ever edited. Engines never read the store: the command loads a rule_set
 * (the latest version of each rule effective at a date) and copies the numbers it needs into
 * the engine's parameter struct. Every value an engine uses comes from here, never from a C
 * constant. */
#ifndef RULES_H
#define RULES_H

#include "err.h"

struct store;
struct rule_set;

/* Insert version 1 of every built-in rule (national defaults and city [L] parameters). */
int rules_seed(struct store *s, struct err *e);

/* Load the latest version of each rule whose effective_date <= as_of ("YYYY-MM-DD"; NULL:
 * today): the latest effective date, and of versions with that date the highest number.
 * A rule with no version effective yet is absent. Returns a new rule_set or NULL with e set. */
struct rule_set *rules_load(struct store *s, const char *as_of, struct err *e);
void rules_free(struct rule_set *rs);
/* Version 1 of every built-in rule, without a database (for `forecast backtest`). */
struct rule_set *rules_builtin(void);

/* Numeric parameter KEY of rule CODE. A missing rule or key, or a non-number, is an error
 * (ERR_DATA) naming both. Records the rule, and KEY of it, as read. */
int rules_num(struct rule_set *rs, const char *code, const char *key, double *out,
	      struct err *e);
/* Optional numeric parameter: 1 with *out set when KEY is present, 0 with *out = NAN when
 * it is absent; a missing rule or a non-number is an error (ERR_DATA). Records the rule, and
 * KEY of it, as read. */
int rules_num_opt(struct rule_set *rs, const char *code, const char *key, double *out,
		  struct err *e);
/* String parameter (borrowed from rs) or NULL with e set. Records the rule, and KEY of it,
 * as read. */
const char *rules_str(struct rule_set *rs, const char *code, const char *key, struct err *e);
/* Mark in dst every rule src used (src loaded from the same snapshot, by another thread). */
void rules_merge_used(struct rule_set *dst, const struct rule_set *src);
/* The codes of the rules read so far, ",a,b," (new string). */
char *rules_used_codes(const struct rule_set *rs);
/* Mark the rules whose codes codes lists (",a,b,"; NULL: every rule) as read or not. */
void rules_set_used(struct rule_set *rs, const char *codes, int used);
/* {"code": version, ...} of the rules read so far: new string, caller frees. */
char *rules_used_json(const struct rule_set *rs);
/* The rules read so far, by parameter: ",code:key,code:key," (a rule marked read by
 * rules_set_used or rules_merge_used, its parameters not known: ",code,"); new string. */
char *rules_used_keys(const struct rule_set *rs);
/* Mark read what such a list names (rules_used_keys'). */
void rules_mark_read(struct rule_set *rs, const char *reads);
/* 1 when every rule read in was is in force in now at the same version (its parameters are
 * the same), else 0. With reads (a rules_used_keys list): when each parameter it names has
 * the same value in now as in was (a rule it names whole: the same version). */
int rules_same_used(const struct rule_set *was, const struct rule_set *now, const char *reads);
/* Every rule's code and version in the set ("code:version,..."; new string): two sets with
 * the same key hold the same parameters. */
char *rules_versions_key(const struct rule_set *rs);

/* A new version's parameters: the previous version's (params, JSON object text) with
 * KEY=VALUE settings kv[0..nkv) applied. Each value is checked against the parameter's kind
 * and range in the rule's definition (builtin[]): a number stays a number (an integer when
 * written as one), text stays text. Returns the new JSON text (new string) or NULL with e
 * set: ERR_DATA "rule 'C' has no parameter 'K'" or "rule 'C' parameter 'K' expects an
 * integer from 3 to 10, not 'V'". Pure: no store. */
char *rules_apply(const char *code, const char *params, int nkv, const char *const *kv,
		  struct err *e);
/* Append what parameter key of rule code takes ("a number from 0 to 5"); nothing for an
 * unknown one. */
struct buf;
void rules_param_range(const char *code, const char *key, struct buf *out);

/* 1 when item is one of the entries of a comma-separated list: a list parameter ("210,220"),
 * a mechanism's tables, a ",a,b," list with empty ends. */
int rules_list_has(const char *list, const char *item);

/* Helpers shared with `eduhq rules` (additions to the agreed interface). */
/* 1 when s is a real calendar date YYYY-MM-DD (year >= 1900), else 0. */
int rules_valid_date(const char *s);
/* Today's date (UTC) as YYYY-MM-DD. */
void rules_today(char out[11]);
/* Number of built-in rules rules_seed() stores. */
unsigned long rules_builtin_count(void);

#endif
