/* cmd/import.c: `eduhq import TABLE FILE`: validate a CSV or XLSX file against the column
 * registry and upsert it by natural key in one transaction (SPEC §5.2). */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cmd.h"
#include "import.h"
#include "store.h"
#include "svc.h"
#include "table.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq import TABLE FILE [--dry-run] [--sheet NAME] [--ignore-unknown] [--encoding auto|utf8|gb18030]",
	NULL,
};

int cmd_import(struct ctx *c, int argc, const char **argv)
{
	int dry_run = 0, ignore_unknown = 0, n, rc;
	const char *sheet = NULL, *encoding = "auto";
	static const char *const encodings[] = { "auto", "utf8", "gb18030", NULL };
	struct opt opts[] = {
		OPT_BOOL("dry-run", &dry_run, "validate only; change nothing"),
		OPT_STRING("sheet", &sheet, "NAME", "XLSX worksheet (default: the first)"),
		OPT_BOOL("ignore-unknown", &ignore_unknown, "skip columns the table does not have"),
		OPT_STRING("encoding", &encoding, "ENC", "CSV encoding: auto (default), utf8 or gb18030"),
		OPT_END(),
	};
	struct import_opts o = { 0 };
	struct import_result r;
	struct err e = ERR_INIT;
	const struct table *t;
	struct store *s;
	char actor[96];
	struct actor who = { actor, "cli" };

	n = opt_parse(c, argc, argv, opts, usage);
	if (n != 2)
		opt_usage_die(usage, "import needs a TABLE and a FILE");
	opt_check_choice(usage, "encoding", encoding, encodings);
	t = table_find(argv[0]);
	if (!t)
		opt_usage_die(usage, "no table '%s' to import (see docs/data-dictionary.md)", argv[0]);
	o.path = argv[1];
	o.sheet = sheet;
	o.dry_run = dry_run;
	o.ignore_unknown = ignore_unknown;
	o.enc = !strcmp(encoding, "utf8") ? CSV_ENC_UTF8
		: !strcmp(encoding, "gb18030") ? CSV_ENC_GB18030 : CSV_ENC_AUTO;

	if (!(s = cmd_open_store(c)))
		return 1;
	import_result_init(&r);
	audit_cli_actor(actor, sizeof(actor));
	rc = svc_import(s, t, &o, o.path, &who, &r, &e);
	store_close(s);
	if (rc == ERR_DATA) {
		fputs(r.msgs.buf, stderr);
		if (r.nerrors > IMPORT_MAX_ERRORS)
			fprintf(stderr, "... and %ld more errors\n", r.nerrors - IMPORT_MAX_ERRORS);
	}
	if (rc < 0) {
		import_result_release(&r);
		return cmd_error(&e);
	}
	if (dry_run)
		printf("%s: %ld rows valid: %ld to insert, %ld to update, %ld unchanged (dry run: nothing imported)\n",
		       t->name, r.rows, r.inserted, r.updated, r.unchanged);
	else
		printf("%s: %ld rows: %ld inserted, %ld updated, %ld unchanged\n", t->name, r.rows,
		       r.inserted, r.updated, r.unchanged);
	import_result_release(&r);
	return 0;
}
