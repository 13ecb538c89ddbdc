/* audit.h: the append-only, tamper-evident audit log (SPEC §5.4, issue 10).
 *
 * EVERY WRITE appends one entry: who (actor), from where (address, or "cli"), what (action,
 * table, natural key) and the row before and after as JSON (ID numbers only masked, as the
 * registry stores them). Writers, present and future, call audit_append() INSIDE THE SAME
 * TRANSACTION as the write it records, so that the entry and the change commit or roll back
 * together:
 *
 *	store_begin(s, e);
 *	... the write ...
 *	audit_append(s, actor, from, "update", "hazard", "H-001", before_json, after_json, e);
 *	store_commit(s, e);
 *
 * Action names in use: import, insert, update, delete, rules.set, eval.run, user.add,
 * user.passwd, user.disable, user.enable, user.role, token.create, token.revoke, login,
 * logout. New writers pick a short "noun.verb" of their own (e.g. hazard.transition).
 *
 * Each entry carries hash = BLAKE2b-256 keyed with a key derived from the database's key
 * file (idhash.h; never in the database) over the previous entry's hash and every field of
 * the entry but its id (ids must run 1, 2, 3, ...: a gap is a deleted entry). meta.audit_head holds "ID HASH" of the last entry. audit_verify() recomputes the
 * chain and names every edited, inserted or deleted entry. Limit: someone holding write
 * access to the database can cut entries off the end and roll meta.audit_head back to an
 * earlier "ID HASH" pair; record the head printed by `eduhq audit verify` elsewhere to catch
 * that too. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

#include "err.h"

struct buf;
struct store;

/* Who is writing: passed down to every function that writes, for its audit entry. */
struct actor {
	const char *name;         /* user name, or "cli:LOGIN" */
	const char *from;         /* client address, or "cli" */
};

/* Append one entry. actor: user name ("cli:NAME" for the command line); from: client
 * address or "cli"; table, key, before, after may be NULL (before/after: JSON text).
 * Returns 0 or a negative ERR_* with e set (key file missing, database error). */
int audit_append(struct store *s, const char *actor, const char *from, const char *action,
		 const char *table, const char *key, const char *before, const char *after,
		 struct err *e);

/* audit_append() for a struct actor. */
int audit_write(struct store *s, const struct actor *who, const char *action, const char *table,
		const char *key, const char *before, const char *after, struct err *e);

/* audit_write() for a write whose actor names a person rather than a login: the ledger's
 * steps (hazards, tasks), where who->name is what the step records (the CLI's --as NAME or
 * operating-system user, the API's signed-in user). A command-line write (who->from "cli")
 * is logged as "cli:NAME", as every other command-line write. */
int audit_write_person(struct store *s, const struct actor *who, const char *action,
		       const char *table, const char *key, const char *before, const char *after,
		       struct err *e);

/* The actor for command-line writes: "cli:" + the login name. Borrowed static text is
 * avoided: writes into out (size n). */
void audit_cli_actor(char *out, size_t n);

/* Recompute the chain. Appends one line per problem to report ("entry 12: edited ...").
 * *n gets the number of entries. Returns 0 when the chain verifies, ERR_DATA when a
 * problem was found, another negative code with e set on a key-file or database error. */
int audit_verify(struct store *s, struct buf *report, long *n, struct err *e);

struct audit_filter {
	const char *user;    /* NULL: any */
	const char *table;   /* NULL: any */
	const char *action;  /* NULL: any */
	const char *since;   /* "YYYY-MM-DD..." lower bound on at, NULL: any */
	long before_id;      /* > 0: only entries with id < before_id (paging, newest first) */
	long limit;          /* <= 0: 100 */
};

struct audit_entry {
	long id;
	const char *at, *user, *address, *action, *table, *key, *before, *after, *hash;
};

/* Entries matching f, newest first; fn is called per entry (fields borrowed for the call).
 * fn returning non-zero stops. Returns the number of entries passed or a negative code. */
int audit_list(struct store *s, const struct audit_filter *f,
	       int (*fn)(const struct audit_entry *en, void *data), void *data, struct err *e);

#endif
