/* cmd/check.c: `eduhq check`: the data-quality report over the registry (duplicate
 * persons, overlapping postings, missing returns and facilities, outliers). Exit 1 when it
 * finds an error, 0 otherwise (warnings alone do not fail). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "cmd.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = { "eduhq check [--year Y] [--format table|json]", NULL };

static void print_table(const struct check_report *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		const struct check_finding *f = &r->v[i];
		printf("%s %s %s %s: %s\n", check_severity_name(f->severity), f->check, f->table,
		       f->key, f->message);
	}
	printf("check: %zu error%s, %zu warning%s\n", r->errors, r->errors == 1 ? "" : "s",
	       r->warnings, r->warnings == 1 ? "" : "s");
}

static void print_json(const struct check_report *r, int year)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"year\":");
	if (year)
		buf_addf(&b, "%d", year);
	else
		buf_adds(&b, "null");
	buf_addf(&b, ",\"errors\":%zu,\"warnings\":%zu,\"findings\":[", r->errors, r->warnings);
	for (size_t i = 0; i < r->nr; i++) {
		const struct check_finding *f = &r->v[i];
		buf_adds(&b, i ? ",{\"severity\":" : "{\"severity\":");
		buf_add_json_str(&b, check_severity_name(f->severity));
		buf_adds(&b, ",\"check\":");
		buf_add_json_str(&b, f->check);
		buf_adds(&b, ",\"table\":");
		buf_add_json_str(&b, f->table);
		buf_adds(&b, ",\"key\":");
		buf_add_json_str(&b, f->key);
		buf_adds(&b, ",\"message\":");
		buf_add_json_str(&b, f->message);
		buf_addch(&b, '}');
	}
	buf_adds(&b, "]}\n");
	fputs(b.buf, stdout);
	buf_release(&b);
}

int cmd_check(struct ctx *c, int argc, const char **argv)
{
	int year = 0;
	const char *fmt = "table";
	struct opt opts[] = {
		OPT_INT("year", &year, "Y", "school year to check (default: all years; missing "
					    "returns: the latest year)"),
		OPT_STRING("format", &fmt, "FMT", "table (default) or json"),
		OPT_END(),
	};
	static const char *const fmts[] = { "table", "json", NULL };
	struct err e = ERR_INIT;
	struct check_params p = { 0 };
	struct check_facts f;
	struct check_report r;
	struct rule_set *rs;
	struct store *s;
	int rc;

	opt_parse_none(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", fmt, fmts);
	if (year && (year < 1990 || year > 2100))
		opt_usage_die(usage, "option '--year' expects a year 1990-2100, not %d", year);
	if (!(s = cmd_open_store(c)))
		return 1;
	if (!(rs = rules_load(s, NULL, &e)) || check_params_from_rules(rs, &p, &e) < 0) {
		rules_free(rs);
		store_close(s);
		return cmd_error(&e);
	}
	p.year = year;
	if (check_load(s, NULL, NULL, &f, &e) < 0) {
		check_facts_release(&f);
		rules_free(rs);
		store_close(s);
		return cmd_error(&e);
	}
	store_close(s);
	check_report_init(&r);
	check_run(&f, &p, &r);
	if (!strcmp(fmt, "json"))
		print_json(&r, year);
	else
		print_table(&r);
	rc = r.errors ? 1 : 0;
	check_report_release(&r);
	check_facts_release(&f);
	rules_free(rs);
	return rc;
}
