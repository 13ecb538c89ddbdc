/* cmd/report.c: `eduhq report annual --year Y [--format docx|html|pdf] [--lang zh|en]
 * [--run ID] [--out FILE] [--base-url URL]`: argument parsing and writing the file; the
 * report itself is report.h's. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "export.h"
#include "report.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq report annual --year Y [--format docx|html|pdf] [--lang zh|en] [--run ID] "
	"[--out FILE] [--base-url URL]",
	NULL,
};

int cmd_report(struct ctx *c, int argc, const char **argv)
{
	int year = 0, run = 0, rc = 0, n;
	const char *format = "docx", *lang = "zh", *out = NULL, *base = "";
	static const char *const formats[] = { "docx", "html", "pdf", NULL };
	static const char *const langs[] = { "zh", "en", NULL };
	struct opt opts[] = {
		OPT_INT("year", &year, "Y", "school year reported (required)"),
		OPT_STRING("format", &format, "FMT", "docx (default), html or pdf"),
		OPT_STRING("lang", &lang, "LANG", "zh (default) or en"),
		OPT_INT("run", &run, "ID", "this evaluation run (default: the newest complete run "
			"of the year)"),
		OPT_STRING("out", &out, "FILE", "output file (default: eduhq-report-Y.FMT)"),
		OPT_STRING("base-url", &base, "URL", "prefix of the dashboard links in HTML "
			   "(default: paths on the serving host)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct report_info info;
	struct buf data = BUF_INIT, name = BUF_INIT;
	struct store *s;
	double t0;

	n = opt_parse(c, argc, argv, opts, usage);
	if (n != 1 || strcmp(argv[0], "annual"))
		opt_usage_die(usage, n ? "unknown report '%s'" : "report needs a kind%s",
			      n ? argv[0] : "");
	opt_check_choice(usage, "format", format, formats);
	opt_check_choice(usage, "lang", lang, langs);
	if (!year)
		opt_usage_die(usage, "--year is required");
	if (year < 1990 || year > 2100)
		opt_usage_die(usage, "--year %d is out of range", year);
	if (run < 0)
		opt_usage_die(usage, "--run must be a run id");
	if (!out) {
		buf_addf(&name, "eduhq-report-%d.%s", year, format);
		out = name.buf;
	}
	if (export_check_target(out, c->db_path, &e) < 0) {
		buf_release(&name);
		return cmd_error(&e);
	}
	if (!(s = cmd_open_store(c))) {
		buf_release(&name);
		return 1;
	}
	t0 = eval_clock();
	rc = report_make(s, year, run, format, strcmp(lang, "en") ? REPORT_ZH : REPORT_EN, base,
			 &data, &info, &e);
	if (rc == 0)
		rc = export_write_file(out, data.buf, data.len, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("wrote %s: run %lld (school year %d), %zu figures, %zu notes, %zu charts, "
		       "%.2f s\n", out, (long long)info.run, info.year, info.nfig, info.nnote,
		       info.nchart, eval_clock() - t0);
	report_fonts_release();
	store_close(s);
	buf_release(&data);
	buf_release(&name);
	return rc;
}
