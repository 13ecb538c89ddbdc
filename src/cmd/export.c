/* cmd/export.c: `eduhq export TABLE`: a registry table as CSV, XLSX or JSON; and
 * `eduhq export --dictionary`: the data dictionary (docs/data-dictionary.md) in Markdown. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "export.h"
#include "store.h"
#include "table.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq export TABLE [--format csv|xlsx|json] [--out FILE] [--encoding utf8|gb18030]",
	"eduhq export --dictionary [--out FILE]",
	NULL,
};

int cmd_export(struct ctx *c, int argc, const char **argv)
{
	const char *format = "csv", *out = NULL, *encoding = "utf8";
	int dictionary = 0, n, rc;
	static const char *const formats[] = { "csv", "xlsx", "json", NULL };
	static const enum export_format format_of[] = { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSON };
	static const char *const encodings[] = { "utf8", "gb18030", NULL };
	struct opt opts[] = {
		OPT_STRING("format", &format, "FMT", "csv (default), xlsx or json"),
		OPT_STRING("out", &out, "FILE", "write to FILE (default stdout; required for xlsx)"),
		OPT_STRING("encoding", &encoding, "ENC", "CSV encoding: utf8 with BOM (default) or gb18030"),
		OPT_BOOL("dictionary", &dictionary, "print the data dictionary (Markdown) instead"),
		OPT_END(),
	};
	struct export_opts o = { 0 };
	struct err e = ERR_INIT;
	const struct table *t;
	struct store *s;
	long rows;

	n = opt_parse(c, argc, argv, opts, usage);
	o.format = format_of[opt_check_choice(usage, "format", format, formats)];
	o.gb18030 = opt_check_choice(usage, "encoding", encoding, encodings) == 1;
	if (dictionary) {
		struct buf b = BUF_INIT;
		if (n != 0)
			opt_usage_die(usage, "--dictionary takes no TABLE");
		table_dictionary_md(&b);
		if (out)
			rc = export_check_target(out, c->db_path, &e) < 0 ? e.code
				: export_write_file(out, b.buf, b.len, &e);
		else
			rc = fwrite(b.buf, 1, b.len, stdout) == b.len ? 0 : err_set(&e, ERR_IO, "cannot write stdout");
		buf_release(&b);
		return rc < 0 ? cmd_error(&e) : 0;
	}
	if (n != 1)
		opt_usage_die(usage, "export needs one TABLE");
	if (!(t = table_find(argv[0])))
		opt_usage_die(usage, "no table '%s' to export (see docs/data-dictionary.md)", argv[0]);
	o.out = out;
	if (o.format == EXPORT_XLSX && !out)
		opt_usage_die(usage, "--format xlsx needs --out FILE");
	if (o.gb18030 && o.format != EXPORT_CSV)
		opt_usage_die(usage, "--encoding applies only to --format csv");
	if (!(s = cmd_open_store(c)))
		return 1;
	rc = export_table(s, t, &o, &rows, &e);
	store_close(s);
	if (rc < 0)
		return cmd_error(&e);
	if (out) {
		char msg[1200];
		snprintf(msg, sizeof(msg), "%s: %ld rows written to '%s'", t->name, rows, out);
		err_mask_ids(msg); /* a file named by an ID number: see err.h */
		fprintf(stderr, "%s\n", msg);
	}
	return 0;
}
