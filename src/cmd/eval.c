/* cmd/eval.c: `eduhq eval [MECHANISM...] [--year Y]`: load the facts, run the engines, store
 * one evaluation run (rule versions used, data fingerprint, result rows) and print a summary
 * or, with --format json, the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "eval.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq eval [MECHANISM...] [--year Y] [--format text|json] [--rules-as-of DATE] [--as-of DATE]\n"
	"           [--timing]",
	NULL,
};

struct mech_count {
	const struct mechanism *m;
	size_t first, last; /* rows [first, last) of the result set */
};

static void print_summary(const struct result_set *rs, const struct mech_count *mc, size_t nm,
			  int64_t run_id, int year, const char *mechs, const char *fp,
			  const char *rv)
{
	printf("run %lld: year %d, mechanisms %s, %zu results\n", (long long)run_id, year, mechs,
	       rs->nr);
	printf("rules used: %s\n", rv);
	printf("data fingerprint: %s\n", fp);
	for (size_t k = 0; k < nm; k++) {
		size_t cnt[4] = { 0, 0, 0, 0 }, nfail = 0;
		for (size_t i = mc[k].first; i < mc[k].last; i++)
			cnt[rs->v[i].verdict]++;
		printf("%s: %zu results: %zu pass, %zu warn, %zu fail, %zu n.a.\n", mc[k].m->name,
		       mc[k].last - mc[k].first, cnt[V_PASS], cnt[V_WARN], cnt[V_FAIL], cnt[V_NA]);
		for (size_t i = mc[k].first; i < mc[k].last; i++) {
			const struct result_row *r = &rs->v[i];
			if (r->verdict != V_FAIL || strcmp(r->unit_kind, "county"))
				continue;
			if (!nfail++)
				printf("  failing county verdicts:\n");
			printf("    %-16s county %s %-8s %4d value %.3f threshold %g\n", r->indicator,
			       r->unit_id, *r->stage ? r->stage : "-", r->year, r->value, r->threshold);
		}
		if (!nfail)
			printf("  no failing county verdict\n");
	}
}

static void print_json(const struct result_set *rs, const struct mech_count *mc, size_t nm,
		       struct store *s, int64_t run_id, int year, const char *mechs, const char *fp,
		       const char *rv)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, "SELECT created_at FROM eval_run WHERE id = ?1",
					      &e);
	const char *created = NULL;

	if (st) {
		store_bind_int(st, 1, run_id);
		if (store_step(st, &e) == 1)
			created = store_column_text(st, 0);
	}
	buf_adds(&b, "{\"run\":");
	eval_run_json(&b, run_id, created ? created : "", mechs, year, rv, fp);
	buf_adds(&b, ",\"summary\":{");
	store_finalize(st);
	for (size_t k = 0; k < nm; k++) {
		size_t cnt[4] = { 0, 0, 0, 0 };
		for (size_t i = mc[k].first; i < mc[k].last; i++)
			cnt[rs->v[i].verdict]++;
		buf_addf(&b, "%s\"%s\":{\"results\":%zu,\"pass\":%zu,\"warn\":%zu,\"fail\":%zu,"
			 "\"na\":%zu}", k ? "," : "", mc[k].m->name, mc[k].last - mc[k].first,
			 cnt[V_PASS], cnt[V_WARN], cnt[V_FAIL], cnt[V_NA]);
	}
	buf_adds(&b, "},\"results\":[");
	for (size_t i = 0; i < rs->nr; i++) {
		if (i)
			buf_addch(&b, ',');
		result_row_json(&b, &rs->v[i]);
		if (b.len > (1 << 20)) {
			fwrite(b.buf, 1, b.len, stdout);
			buf_reset(&b);
		}
	}
	buf_adds(&b, "]}\n");
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
}

int cmd_eval(struct ctx *c, int argc, const char **argv)
{
	int year = 0, timing = 0, rc = 0;
	const char *format = "text", *as_of = NULL, *ledger_as_of = NULL;
	static const char *const formats[] = { "text", "json", NULL };
	struct opt opts[] = {
		OPT_INT("year", &year, "Y", "school year to evaluate (default: the latest with "
			"grade returns)"),
		OPT_STRING("format", &format, "FMT", "text (a summary) or json (the whole run)"),
		OPT_STRING("rules-as-of", &as_of, "DATE",
			   "use the rule versions in force at DATE (default: today)"),
		OPT_STRING("as-of", &ledger_as_of, "DATE", "judge the safety ledger and the plan "
			   "tasks (overdue, lagging) at DATE (default: today)"),
		OPT_BOOL("timing", &timing, "print load, engine and save times on stderr"),
		OPT_END(),
	};
	const struct mechanism *run[16];
	struct mech_count mc[16];
	size_t nrun = 0;
	struct err e = ERR_INIT;
	struct store *s = NULL;
	struct rule_set *rules = NULL;
	struct result_set rs;
	struct eval_ctx ec;
	struct buf mechs = BUF_INIT;
	char *fp = NULL, *rv = NULL;
	int64_t run_id = 0;
	double t_save;
	int n;

	n = opt_parse(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", format, formats);
	for (int i = 0; i < n; i++) {
		const struct mechanism *m = mechanism_find(argv[i]);
		struct buf known = BUF_INIT;
		if (!m) {
			for (const struct mechanism *k = mechanisms; k->name; k++)
				buf_addf(&known, "%s%s", known.len ? ", " : "", k->name);
			fprintf(stderr, "eduhq: unknown mechanism '%s' (known: %s)\n", argv[i],
				known.buf);
			buf_release(&known);
			return 2;
		}
		for (size_t k = 0; k < nrun && m; k++)
			if (run[k] == m)
				m = NULL; /* named twice: run once */
		if (m && nrun < ARRAY_SIZE(run))
			run[nrun++] = m;
	}
	if (!n)
		for (const struct mechanism *m = mechanisms; m->name && nrun < ARRAY_SIZE(run); m++)
			run[nrun++] = m;

	s = cmd_open_store(c);
	if (!s)
		return 1;
	if (!year) {
		int64_t y = 0;
		if (store_query_int(s, "SELECT max(year) FROM grade_return", &y, &e) < 0) {
			rc = cmd_error(&e);
			goto out;
		}
		if (!y) {
			fprintf(stderr, "eduhq: no grade returns in the database; import grade_return "
				"first or pass --year\n");
			rc = 1;
			goto out;
		}
		year = (int)y;
	}
	rules = rules_load(s, as_of, &e);
	if (!rules) {
		rc = cmd_error(&e);
		goto out;
	}
	results_init(&rs);
	memset(&ec, 0, sizeof(ec));
	ec.store = s;
	ec.rules = rules;
	ec.year = year;
	ec.as_of = ledger_as_of;
	ec.fp = eval_fp_new();
	for (size_t k = 0; k < nrun; k++) {
		mc[k].m = run[k];
		mc[k].first = rs.nr;
		if (run[k]->run(&ec, &rs, &e) < 0) {
			err_prefix(&e, "%s", run[k]->name);
			rc = cmd_error(&e);
			free(eval_fp_final(ec.fp));
			results_release(&rs);
			goto out;
		}
		mc[k].last = rs.nr;
		buf_addf(&mechs, "%s%s", k ? "," : "", run[k]->name);
	}
	fp = eval_fp_final(ec.fp);
	rv = rules_used_json(rules);
	t_save = eval_clock();
	if (eval_run_save(s, mechs.buf, year, rv, fp, &rs, &run_id, &e) < 0) {
		rc = cmd_error(&e);
		results_release(&rs);
		goto out;
	}
	t_save = eval_clock() - t_save;
	if (timing)
		fprintf(stderr, "timing: load %.3f s, engine %.3f s, save %.3f s (%zu results)\n",
			ec.load_seconds, ec.engine_seconds, t_save, rs.nr);
	if (!strcmp(format, "json"))
		print_json(&rs, mc, nrun, s, run_id, year, mechs.buf, fp, rv);
	else
		print_summary(&rs, mc, nrun, run_id, year, mechs.buf, fp, rv);
	results_release(&rs);
out:
	free(fp);
	free(rv);
	buf_release(&mechs);
	rules_free(rules);
	store_close(s);
	return rc;
}
