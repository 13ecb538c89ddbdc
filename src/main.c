/* main.c: the eduhq entry point: global options, then dispatch through commands[]. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store.h"
#include "version.h"
#include "banned.h"

const struct cmd commands[] = {
	{ "init", cmd_init, "create an empty database with schema and national rules" },
	{ "demo", cmd_demo, "write the demo city's CSV files and import them" },
	{ "import", cmd_import, "validate and import a CSV or XLSX file into a registry table" },
	{ "export", cmd_export, "export a registry table as CSV, XLSX or JSON" },
	{ "check", cmd_check, "data-quality report" },
	{ "rules", cmd_rules, "list, show, set and trace rule versions" },
	{ "eval", cmd_eval, "run the engines and store an evaluation run" },
	{ "indicators", cmd_indicators, "show indicator results, or the catalog" },
	{ "forecast", cmd_forecast, "enrolment forecast against seats; back-testing" },
	/* the annual report (issue 17) */
	{ "report", cmd_report, "the annual report (DOCX, HTML or PDF) from one evaluation run" },
	/* the server and its users (issue 10) */
	{ "serve", cmd_serve, "serve the JSON API on a loopback or LAN address" },
	{ "user", cmd_user, "add, change, disable and list users; API tokens" },
	{ "audit", cmd_audit, "list the audit log; verify its hash chain" },
	{ "teachers", cmd_teachers, "title-eligibility candidates with their reasons" },
	{ "vocational", cmd_vocational, "the annual specialty review of vocational schools" },
	{ "hazard", cmd_hazard, "the safety hazard ledger: add, assign, start, accept, close" },
	{ "task", cmd_task, "plan tasks and targets: add, record progress, show, list" },
	{ NULL, NULL, NULL },
};

static const char usage_line[] = "usage: eduhq [--db PATH] <command> [<args>]";

static void print_help(void)
{
	printf("%s\n\neduhq %s: education high-quality development platform\n\ncommands:\n",
	       usage_line, EDUHQ_VERSION);
	for (const struct cmd *c = commands; c->name; c++)
		printf("   %-12s %s\n", c->name, c->summary);
	printf("\n'eduhq <command> --help' describes one command.\n");
}

struct store *cmd_open_store(struct ctx *c)
{
	struct err e = ERR_INIT;
	struct store *s = store_open(c->db_path, 0, &e);
	if (!s)
		cmd_error(&e);
	return s;
}

const char *cmd_actor(const char *as)
{
	const struct passwd *pw;
	const char *u;

	if (as && *as)
		return as;
	pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	u = getenv("USER");
	return u && *u ? u : "unknown";
}

int cmd_error(const struct err *e)
{
	char msg[sizeof(e->msg)];
	snprintf(msg, sizeof(msg), "%s", e->msg[0] ? e->msg : "unknown error");
	err_mask_ids(msg); /* err_set() did, unless the message was written another way */
	fprintf(stderr, "eduhq: %s\n", msg);
	return err_exit_status(e->code ? e->code : ERR_IO);
}

int main(int argc, const char **argv)
{
	struct ctx c = { 0 };
	int i = 1;

	xmalloc_setup();
	c.db_path = getenv("EDUHQ_DB");
	if (!c.db_path || !*c.db_path)
		c.db_path = "eduhq.db";

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("eduhq %s\n", EDUHQ_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			c.db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5) && argv[i][5]) {
			c.db_path = argv[i] + 5;
		} else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--db=")) {
			fprintf(stderr, "eduhq: option '--db' requires a value\n%s\n", usage_line);
			return 2;
		} else {
			struct err e = ERR_INIT;
			err_set(&e, ERR_USAGE, "unknown option '%s'\n%s", argv[i], usage_line);
			return cmd_error(&e);
		}
	}
	if (i >= argc) {
		fprintf(stderr, "%s\n", usage_line);
		return 2;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 < argc) {
			const char *hv[] = { argv[i + 1], "--help", NULL };
			for (const struct cmd *cmd = commands; cmd->name; cmd++)
				if (!strcmp(cmd->name, argv[i + 1]))
					return cmd->fn(&c, 2, hv);
		}
		print_help();
		return 0;
	}
	for (const struct cmd *cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[i]))
			return cmd->fn(&c, argc - i, argv + i);
	{
		struct err e = ERR_INIT;
		err_set(&e, ERR_USAGE, "'%s' is not an eduhq command; see 'eduhq help'\n%s", argv[i],
			usage_line);
		return cmd_error(&e);
	}
}
