/* cmd.h: the subcommand table and the context every subcommand receives. */
#ifndef CMD_H
#define CMD_H

#include "err.h"
#include "opt.h"
#include "xmalloc.h"

struct store;

/* Per-invocation context: no mutable globals. */
struct ctx {
	const char *db_path;   /* --db, else $EDUHQ_DB, else ./eduhq.db */
};

/* A subcommand: argv[0] is its name; returns the process exit status (0, 1 or 2). */
typedef int (*cmd_fn)(struct ctx *c, int argc, const char **argv);

struct cmd {
	const char *name;
	cmd_fn fn;
	const char *summary;
};

extern const struct cmd commands[];

/* Open the context's database (which must exist; `eduhq init` creates it). On failure print
 * the error and return NULL. The store is new: close it with store_close(). */
struct store *cmd_open_store(struct ctx *c);
/* Create a new database at db_path with the schema and the built-in rules, and the ID-hash
 * key file kpath if missing (what `eduhq init` and `eduhq demo` do). Returns the open store
 * (new) or NULL with e set; a half-created database file is removed. */
struct store *cmd_create_db(const char *db_path, const char *kpath, struct err *e);
/* Who makes a change from the CLI: as (--as NAME) when given, else the operating-system
 * user (getpwuid(geteuid())), else $USER, else "unknown". Static or borrowed string. */
const char *cmd_actor(const char *as);
/* Print "eduhq: MSG" to stderr and return the exit status for e->code. */
int cmd_error(const struct err *e);

int cmd_init(struct ctx *c, int argc, const char **argv);
int cmd_import(struct ctx *c, int argc, const char **argv);
int cmd_export(struct ctx *c, int argc, const char **argv);
int cmd_check(struct ctx *c, int argc, const char **argv);
int cmd_rules(struct ctx *c, int argc, const char **argv);
int cmd_demo(struct ctx *c, int argc, const char **argv);
int cmd_eval(struct ctx *c, int argc, const char **argv);
int cmd_indicators(struct ctx *c, int argc, const char **argv);
int cmd_forecast(struct ctx *c, int argc, const char **argv);
int cmd_serve(struct ctx *c, int argc, const char **argv);
int cmd_user(struct ctx *c, int argc, const char **argv);
int cmd_report(struct ctx *c, int argc, const char **argv);
int cmd_audit(struct ctx *c, int argc, const char **argv);
int cmd_teachers(struct ctx *c, int argc, const char **argv);
int cmd_vocational(struct ctx *c, int argc, const char **argv);
int cmd_hazard(struct ctx *c, int argc, const char **argv);
int cmd_task(struct ctx *c, int argc, const char **argv);

#endif
