/* opt.h: table-driven option parsing for subcommands (after git's parse-options).
 *
 * Each subcommand declares a table of struct opt ending in OPT_END(). opt_parse() consumes
 * the options it knows, leaves positional arguments in argv, handles --help (prints the
 * usage and the table, exits 0), and rejects unknown options (usage, exit 2). Every table
 * implicitly accepts the global option --db PATH. */
#ifndef OPT_H
#define OPT_H

struct ctx;

enum opt_type { OPT_T_END, OPT_T_BOOL, OPT_T_STRING, OPT_T_INT, OPT_T_DOUBLE };

struct opt {
	enum opt_type type;
	const char *name;   /* long name without "--" */
	void *value;        /* int*, const char**, int*, double* */
	const char *argh;   /* argument placeholder in help, e.g. "FILE" */
	const char *help;
};

#define OPT_BOOL(n, v, h) { OPT_T_BOOL, (n), (v), NULL, (h) }
#define OPT_STRING(n, v, a, h) { OPT_T_STRING, (n), (v), (a), (h) }
#define OPT_INT(n, v, a, h) { OPT_T_INT, (n), (v), (a), (h) }
#define OPT_DOUBLE(n, v, a, h) { OPT_T_DOUBLE, (n), (v), (a), (h) }
#define OPT_END() { OPT_T_END, NULL, NULL, NULL, NULL }

/* Parse argv[1..argc-1] (argv[0] is the subcommand name). Returns the number of positional
 * arguments left in argv[0..n-1] (argv[0] becomes the first positional). Options may come
 * before or after positionals; "--" ends options. On misuse prints to stderr and exits 2. */
int opt_parse(struct ctx *c, int argc, const char **argv, const struct opt *opts,
	      const char *const *usage);

/* opt_parse() for a subcommand that takes no positional arguments: one is misuse, reported
 * as "NAME takes no arguments" (NAME: argv[0]) with the usage, exit 2. */
void opt_parse_none(struct ctx *c, int argc, const char **argv, const struct opt *opts,
		    const char *const *usage);

/* Print "usage: ..." lines and exit 2, with an optional message first. */
_Noreturn void opt_usage_die(const char *const *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Check that a string option is one of a NULL-terminated list; exits 2 naming it if not.
 * Returns its index in the list. */
int opt_check_choice(const char *const *usage, const char *optname, const char *val,
		      const char *const *choices);

#endif
