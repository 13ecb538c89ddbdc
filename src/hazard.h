/* hazard.h: the safety hazard ledger (SPEC §2.7) as a state machine: the transition table,
 * the checks of each step (the five-item rule for major hazards, 五落实), and the ledger's
 * reads and writes. Every step is recorded in hazard_event with who made it, its date and
 * when it was recorded.
 *
 * hazard_check_step() is pure. The writes go through one function (hazard.c
 * hazard_write()): the place an audit log hooks in. */
#ifndef HAZARD_H
#define HAZARD_H

#include "arena.h"
#include "eng_safety.h"
#include "err.h"

struct store;
struct rule_set;
struct actor;
struct svc_scope;

/* One row of the ledger. Strings are borrowed (an arena's or the caller's); absent fields
 * are NULL, absent funds NAN. */
struct hazard {
	const char *code, *school_code, *category, *found_date, *description;
	int is_major;
	enum hz_state state;
	const char *responsible, *measures;
	double funds;
	const char *deadline, *contingency_plan, *closed_date;
};

enum hz_step { HZ_STEP_REGISTER, HZ_STEP_ASSIGN, HZ_STEP_START, HZ_STEP_ACCEPT, HZ_STEP_CLOSE,
	       HZ_NSTEPS };

/* The transition table: each step's verb, its Chinese name, the state it needs and the
 * state it leads to. Any other (step, state) pair is illegal. */
struct hz_transition {
	const char *verb, *zh;
	enum hz_state from, to;
};
extern const struct hz_transition hz_transitions[HZ_NSTEPS];

/* The step named verb, or -1. */
int hz_step_parse(const char *verb);

/* Fields required to assign: general (every hazard) and major (重大隐患 in addition). */
struct hz_rules {
	unsigned general_required, major_required;
};
/* From safety.major_hazard (required, general_required). */
int hz_rules_load(struct rule_set *rules, struct hz_rules *r, struct err *e);

/* Fields an assignment sets (NULL / NAN: not given). */
struct hz_assignment {
	const char *responsible, *measures, *deadline, *contingency_plan;
	double funds;
};

/* Whether step may be applied to h on date ("YYYY-MM-DD"): h in the step's from-state, date
 * not before the hazard was found; for assign, h (with the assignment already merged) has
 * every required field and a deadline not before the hazard was found. 0, or ERR_DATA with
 * the reason in e. Pure. */
int hazard_check_step(const struct hazard *h, int step, const char *date,
		      const struct hz_rules *r, struct err *e);

/* Scopes (svc.h; NULL: everything): a hazard belongs to the scope of its school. A hazard
 * outside the caller's scope is answered as absent ("no hazard 'X'"); adding one at a
 * school outside it is refused (ERR_PERM), whether or not the school exists. */

/* The hazard code in scope sc, or ERR_NOTFOUND "no hazard 'X'". Strings in a. */
int hazard_get(struct store *s, const char *code, const struct svc_scope *sc, struct arena *a,
	       struct hazard *out, struct err *e);

/* Enter a new hazard: h->state HZ_FOUND (only found) or HZ_REGISTERED (found, then entered
 * into the ledger on date). h->code NULL: one is made ("HZ" + school code + "-NNN") and
 * stored in a. Records the steps under who->name and appends the audit entry (hazard.add)
 * from who->from, in one transaction. */
int hazard_add(struct store *s, struct hazard *h, const struct svc_scope *sc,
	       const struct actor *who, const char *date, struct arena *a, struct err *e);

/* Apply step to hazard code (in scope sc) on date (assignment a only for HZ_STEP_ASSIGN,
 * may be NULL otherwise), record it under who->name with its audit entry (hazard.<state
 * reached>). *out (may be NULL) receives the new row, strings in arena. Nothing changes on
 * error. */
int hazard_step(struct store *s, const char *code, int step, const struct hz_assignment *a,
		const struct svc_scope *sc, const struct actor *who, const char *date,
		const struct hz_rules *r, struct arena *arena, struct hazard *out,
		struct err *e);

struct hz_event {
	int seq;
	const char *from_state, *to_state, *date, *actor, *recorded_at, *detail;
};
/* Each recorded step of the hazard, in order (strings borrowed for the call). */
int hazard_events(struct store *s, const char *code,
		  void (*fn)(void *ctx, const struct hz_event *ev), void *ctx, struct err *e);
/* Each hazard in scope sc, in code order (strings borrowed for the call). */
int hazard_each(struct store *s, const struct svc_scope *sc,
		void (*fn)(void *ctx, const struct hazard *h), void *ctx, struct err *e);

/* 1 when h is overdue at day as_of (see eng_safety.h hz_overdue). */
int hazard_is_overdue(const struct hazard *h, long as_of);

#endif
