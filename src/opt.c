/* opt.c: the option parser every subcommand uses. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "banned.h"

static void print_usage(FILE *f, const char *const *usage)
{
	for (int i = 0; usage[i]; i++)
		fprintf(f, "%s%s\n", i ? "   or: " : "usage: ", usage[i]);
}

void opt_usage_die(const char *const *usage, const char *fmt, ...)
{
	if (fmt) {
		char msg[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		err_mask_ids(msg); /* an argument may be an ID number */
		fprintf(stderr, "eduhq: %s\n", msg);
	}
	print_usage(stderr, usage);
	exit(2);
}

static void print_help(const char *const *usage, const struct opt *opts)
{
	print_usage(stdout, usage);
	putchar('\n');
	for (const struct opt *o = opts; o->type != OPT_T_END; o++) {
		char lhs[64];
		snprintf(lhs, sizeof(lhs), "--%s%s%s", o->name, o->argh ? " " : "",
			 o->argh ? o->argh : "");
		printf("    %-26s %s\n", lhs, o->help);
	}
	printf("    %-26s %s\n", "--db PATH", "database file (default $EDUHQ_DB, else ./eduhq.db)");
	exit(0);
}

static void set_value(const char *const *usage, const struct opt *o, const char *arg)
{
	char *end;
	switch (o->type) {
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_T_INT: {
		long v;
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < -2147483647L || v > 2147483647L)
			opt_usage_die(usage, "option '--%s' expects an integer, not '%s'", o->name, arg);
		*(int *)o->value = (int)v;
		break;
	}
	case OPT_T_DOUBLE:
		errno = 0;
		*(double *)o->value = strtod(arg, &end);
		if (errno || end == arg || *end)
			opt_usage_die(usage, "option '--%s' expects a number, not '%s'", o->name, arg);
		break;
	default:
		BUG("bad option type");
	}
}

int opt_parse(struct ctx *c, int argc, const char **argv, const struct opt *opts,
	      const char *const *usage)
{
	int npos = 0, only_pos = 0;
	static const struct opt db_opt = OPT_STRING("db", NULL, "PATH", NULL);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *arg = NULL;
		const struct opt *o = NULL;
		size_t nl;

		if (only_pos || a[0] != '-' || !a[1] || (a[1] != '-' && !(a[1] >= 'a' && a[1] <= 'z'))) {
			argv[npos++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (a[1] != '-') {
			if (!strcmp(a, "-h"))
				print_help(usage, opts);
			opt_usage_die(usage, "unknown option '%s'", a);
		}
		a += 2;
		if (!strcmp(a, "help"))
			print_help(usage, opts);
		eq = strchr(a, '=');
		nl = eq ? (size_t)(eq - a) : strlen(a);
		for (const struct opt *p = opts; p->type != OPT_T_END; p++)
			if (strlen(p->name) == nl && !strncmp(p->name, a, nl))
				o = p;
		if (!o && nl == 2 && !strncmp(a, "db", 2))
			o = &db_opt;
		if (!o)
			opt_usage_die(usage, "unknown option '--%.*s'", (int)nl, a);
		if (o->type == OPT_T_BOOL) {
			if (eq)
				opt_usage_die(usage, "option '--%s' takes no value", o->name);
			*(int *)o->value = 1;
			continue;
		}
		if (eq)
			arg = eq + 1;
		else if (i + 1 < argc)
			arg = argv[++i];
		else
			opt_usage_die(usage, "option '--%s' requires a value", o->name);
		if (o == &db_opt)
			c->db_path = arg;
		else
			set_value(usage, o, arg);
	}
	argv[npos] = NULL;
	return npos;
}

void opt_parse_none(struct ctx *c, int argc, const char **argv, const struct opt *opts,
		    const char *const *usage)
{
	const char *name = argv[0];
	if (opt_parse(c, argc, argv, opts, usage) != 0)
		opt_usage_die(usage, "%s takes no arguments", name);
}

int opt_check_choice(const char *const *usage, const char *optname, const char *val,
		     const char *const *choices)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(val, choices[i]))
			return i;
	opt_usage_die(usage, "option '--%s' does not accept '%s'", optname, val);
}
