/* cmd/teachers.c: `eduhq teachers eligibility`: the title candidates with their status and
 * every unmet condition (mech_teachers.c computes them); this file parses the arguments and
 * formats the list as a table, JSON or CSV. ID numbers appear only masked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "mech_teachers.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq teachers eligibility [--school CODE] [--title 高级] [--year Y] [--as-of DATE] "
	"[--all] [--status eligible|national-only|not-eligible] [--format table|json|csv]",
	NULL,
};

static const char *const formats[] = { "table", "json", "csv", NULL };
static const char *const statuses[] = { "any", "eligible", "national-only", "not-eligible",
					NULL };

static void num(struct buf *b, const char *key, double v)
{
	buf_addf(b, ",\"%s\":", key);
	if (isfinite(v))
		buf_addf(b, "%.4f", v);
	else
		buf_adds(b, "null");
}

static void print_json(const struct tch_view *v, const struct tch_candidate *c, size_t n,
		       const char *asof, const long cnt[4])
{
	const struct tch_params *p = &v->params;
	struct buf b = BUF_INIT;

	buf_addf(&b, "{\"year\":%d,\"as_of\":\"%s\",\"candidates\":[", v->year, asof);
	for (size_t i = 0; i < n; i++) {
		const struct tch_elig *o = &c[i].elig;
		buf_adds(&b, i ? ",{\"teacher\":" : "{\"teacher\":");
		buf_add_json_str(&b, c[i].t->code);
		buf_adds(&b, ",\"name\":");
		buf_add_json_str(&b, c[i].name);
		buf_adds(&b, ",\"id_masked\":");
		buf_add_json_str(&b, c[i].id_masked);
		buf_adds(&b, ",\"school\":");
		buf_add_json_str(&b, o->home >= 0 ? v->schools[o->home].code : "");
		buf_adds(&b, ",\"title\":");
		buf_add_json_str(&b, o->title >= 0 ? p->ladder[o->title] : "none");
		buf_adds(&b, ",\"applies_for\":");
		buf_add_json_str(&b, p->ladder[o->target]);
		buf_addf(&b, ",\"applied\":%s", tch_applied_of(&v->in, c[i].t) >= 0 ? "true" : "false");
		buf_adds(&b, ",\"status\":");
		buf_add_json_str(&b, tch_status_name(o->status));
		num(&b, "years_in_title", o->title_years);
		num(&b, "required_years_in_title", o->need_title_years);
		buf_addf(&b, ",\"rural_requirement\":%s", o->rural_applies ? "true" : "false");
		num(&b, "rural_years", o->service.years);
		buf_addf(&b, ",\"rural_days\":%ld,\"weak_days\":%ld,\"reasons\":",
			 o->service.rural_days, o->service.weak_days);
		buf_add_json_str(&b, o->reasons);
		buf_addch(&b, '}');
	}
	buf_addf(&b, "],\"summary\":{\"candidates\":%zu,\"eligible\":%ld,\"national_only\":%ld,"
		 "\"not_eligible\":%ld}}\n", n, cnt[TS_ELIGIBLE], cnt[TS_NATIONAL_ONLY],
		 cnt[TS_NOT_ELIGIBLE]);
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
}

/* Terminal columns of UTF-8 text: CJK characters take two, arrows and ASCII one. */
static int text_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		if (*p >= 0xf0 || (*p >= 0xe3 && *p <= 0xef))
			w += 2; /* U+3000 and above: CJK, fullwidth */
		else
			w += 1;
	}
	return w;
}

/* s padded with spaces to `width` columns, then one space. */
static void add_cell(struct buf *b, const char *s, int width)
{
	buf_adds(b, s);
	for (int w = text_width(s); w < width; w++)
		buf_addch(b, ' ');
	buf_addch(b, ' ');
}

static void print_rows(const struct tch_view *v, const struct tch_candidate *c, size_t n,
		       int csv, const long cnt[4])
{
	const struct tch_params *p = &v->params;
	struct buf b = BUF_INIT;
	char yrs[32];

	if (csv)
		buf_adds(&b, "teacher,name,id_masked,school,title,applies_for,status,rural_years,"
			 "years_in_title,reasons\n");
	else
		buf_addf(&b, "%-10s %-8s %-18s %-10s %-11s %-24s %s\n", "teacher", "name",
			 "id (masked)", "school", "step", "status", "reasons");
	for (size_t i = 0; i < n; i++) {
		const struct tch_elig *o = &c[i].elig;
		const char *school = o->home >= 0 ? v->schools[o->home].code : "";
		const char *from = tch_title_zh(p, o->title), *to = tch_title_zh(p, o->target);
		if (csv) {
			const char *f[] = { c[i].t->code, c[i].name, c[i].id_masked, school,
					    o->title >= 0 ? p->ladder[o->title] : "none",
					    p->ladder[o->target], tch_status_name(o->status) };
			for (size_t k = 0; k < ARRAY_SIZE(f); k++) {
				buf_add_csv_field(&b, f[k]);
				buf_addch(&b, ',');
			}
			buf_addf(&b, "%.4f,%.4f,", o->service.years, o->title_years);
			buf_add_csv_field(&b, o->reasons);
			buf_addch(&b, '\n');
			continue;
		}
		snprintf(yrs, sizeof(yrs), "%s→%s", from, to);
		add_cell(&b, c[i].t->code, 10);
		add_cell(&b, c[i].name, 8);
		add_cell(&b, c[i].id_masked, 18);
		add_cell(&b, school, 10);
		add_cell(&b, yrs, 11);
		add_cell(&b, tch_status_name(o->status), 24);
		buf_addf(&b, "%s\n", *o->reasons ? o->reasons : "-");
	}
	if (!csv)
		buf_addf(&b, "%zu candidates: %ld eligible, %ld eligible nationally only (fail only "
			 "the city rule), %ld not eligible\n", n, cnt[TS_ELIGIBLE],
			 cnt[TS_NATIONAL_ONLY], cnt[TS_NOT_ELIGIBLE]);
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
}

static int cmd_eligibility(struct ctx *c, int argc, const char **argv)
{
	const char *school = NULL, *title = NULL, *as_of = NULL, *format = "table";
	const char *status = "any";
	int year = 0, all = 0, rc = 0;
	struct opt opts[] = {
		OPT_STRING("school", &school, "CODE", "only teachers whose home school is CODE"),
		OPT_STRING("title", &title, "TITLE", "only candidates for this title (高级 or "
			   "senior, 一级 or first, ...)"),
		OPT_INT("year", &year, "Y", "applications of school year Y (default: the latest "
			"year with applications)"),
		OPT_STRING("as-of", &as_of, "DATE", "evaluate service and years in title on DATE "
			   "(default: Y-09-01)"),
		OPT_BOOL("all", &all, "every titled teacher's next step, not only the year's "
			 "applicants"),
		OPT_STRING("status", &status, "S", "eligible, national-only (fail only the city "
			   "rule) or not-eligible (default: any)"),
		OPT_STRING("format", &format, "FMT", "table, json or csv"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct store *s;
	struct rule_set *rules = NULL;
	struct tch_view v;
	struct tch_filter f = { 0 };
	struct tch_candidate *cand = NULL;
	size_t n = 0;
	long cnt[4] = { 0, 0, 0, 0 };
	char asof_buf[16];
	int loaded = 0;

	opt_parse_none(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", format, formats);
	f.status = opt_check_choice(usage, "status", status, statuses);
	if (as_of && !rules_valid_date(as_of))
		opt_usage_die(usage, "--as-of '%s' is not a date (YYYY-MM-DD)", as_of);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	if (!year && tch_default_year(s, &year, &e) < 0) {
		rc = cmd_error(&e);
		goto out;
	}
	if (!year) {
		fprintf(stderr, "eduhq: no title applications or grade returns in the database; "
			"pass --year\n");
		rc = 1;
		goto out;
	}
	rules = rules_load(s, NULL, &e);
	if (!rules || tch_view_load(s, rules, year, TCH_NAMES | TCH_ALL_PARAMS, NULL, &v, &e) < 0) {
		rc = cmd_error(&e);
		goto out;
	}
	loaded = 1;
	f.school = school;
	f.all = all;
	f.title = -1;
	if (title && (f.title = tch_title_index(&v.params, title)) < 0) {
		struct buf known = BUF_INIT;
		for (int t = 0; t < v.params.nladder; t++)
			buf_addf(&known, "%s%s (%s)", t ? ", " : "", tch_title_zh(&v.params, t),
				 v.params.ladder[t]);
		fprintf(stderr, "eduhq: unknown title '%s' (known: %s)\n", title, known.buf);
		buf_release(&known);
		rc = 2;
		goto out;
	}
	if (school && !tch_view_has_school(&v, school)) {
		fprintf(stderr, "eduhq: no school '%s'\n", school);
		rc = 1;
		goto out;
	}
	if (as_of) {
		f.asof = tch_day(as_of);
		snprintf(asof_buf, sizeof(asof_buf), "%s", as_of);
	} else {
		snprintf(asof_buf, sizeof(asof_buf), "%04d-09-01", year % 10000);
		f.asof = tch_day(asof_buf);
	}
	tch_candidates(&v, &f, &cand, &n);
	for (size_t i = 0; i < n; i++)
		cnt[cand[i].elig.status]++;
	if (!strcmp(format, "json"))
		print_json(&v, cand, n, asof_buf, cnt);
	else
		print_rows(&v, cand, n, !strcmp(format, "csv"), cnt);
out:
	free(cand);
	if (loaded)
		tch_view_release(&v);
	rules_free(rules);
	store_close(s);
	return rc;
}

int cmd_teachers(struct ctx *c, int argc, const char **argv)
{
	static const char *const top[] = {
		"eduhq teachers eligibility [--school CODE] [--title 高级] [--year Y] [--all] "
		"[--status S] [--format table|json|csv]",
		NULL,
	};
	if (argc >= 2 && !strcmp(argv[1], "eligibility"))
		return cmd_eligibility(c, argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: %s\n", top[0]);
		return 0;
	}
	if (argc < 2)
		opt_usage_die(top, "teachers needs a subcommand: eligibility");
	opt_usage_die(top, "unknown teachers subcommand '%s' (known: eligibility)", argv[1]);
}
