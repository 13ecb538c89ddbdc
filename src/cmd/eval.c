/* cmd/eval.c: `eduhq eval [MECHANISM...] [--year Y]`: load the facts, run the engines, store
 * one evaluation run (rule versions used, data fingerprint, result rows) and print a summary
 * or, with --format json, the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "cmd.h"
#include "eval.h"
#include "store.h"
#include "resident.h"
#include "svc.h"
#include "whatif.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq eval [MECHANISM...] [--year Y] [--format text|json] [--rules-as-of DATE] [--as-of DATE]\n"
	"           [--timing] [--fresh]",
	"eduhq eval --what-if FILE   (a proposal as JSON, see POST /api/v1/whatif: prints the rows it changes)",
	NULL,
};

static void print_summary(const struct eval_out *o)
{
	const struct result_set *rs = &o->rs;
	printf("run %lld: year %d, mechanisms %s, %zu results\n", (long long)o->run.id,
	       o->run.year, o->run.mechanisms, eval_out_results(o));
	printf("rules used: %s\n", o->run.rule_versions);
	printf("data fingerprint: %s\n", o->run.fingerprint);
	for (size_t k = 0; k < o->nmech; k++) {
		const size_t *cnt = o->mech[k].verdicts;
		size_t nfail = 0;
		printf("%s: %zu results: %zu pass, %zu warn, %zu fail, %zu n.a.\n",
		       o->mech[k].m->name, o->mech[k].results, cnt[V_PASS], cnt[V_WARN],
		       cnt[V_FAIL], cnt[V_NA]);
		for (size_t i = o->mech[k].first; i < o->mech[k].last; i++) {
			const struct result_row *r = &rs->v[i];
			if (!result_in_summary(r))
				continue;
			if (!nfail++)
				printf("  failing verdicts (county, city, specialty):\n");
			printf("    %-16s %s %s %-8s %4d value %.3f threshold %g\n", r->indicator,
			       r->unit_kind, r->unit_id, *r->stage ? r->stage : "-", r->year, r->value,
			       r->threshold);
		}
		if (!nfail)
			printf("  no failing county, city or specialty verdict\n");
	}
}

static void print_json(const struct eval_out *o)
{
	const struct result_set *rs = &o->rs;
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"run\":");
	eval_run_json(&b, o->run.id, o->run.created_at ? o->run.created_at : "",
		      o->run.mechanisms, o->run.year, o->run.rule_versions, o->run.fingerprint);
	buf_adds(&b, ",\"summary\":{");
	for (size_t k = 0; k < o->nmech; k++) {
		const size_t *cnt = o->mech[k].verdicts;
		buf_addf(&b, "%s\"%s\":{\"results\":%zu,\"pass\":%zu,\"warn\":%zu,\"fail\":%zu,"
			 "\"na\":%zu}", k ? "," : "", o->mech[k].m->name, o->mech[k].results,
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

/* --timing's second line: each thread's busy time and what it ran (load + engine each). */
static void print_threads(const struct eval_out *o)
{
	static const char *const who[2] = { "run", "helper" };

	fprintf(stderr, "timing: threads %d;", o->threads);
	for (int t = 0; t < o->threads; t++) {
		fprintf(stderr, " %s %.3f s busy (", who[t], o->busy_seconds[t]);
		for (size_t k = 0, n = 0; k < o->nmech; k++) {
			if (o->mech[k].thread != t)
				continue;
			fprintf(stderr, "%s%s %.3f", n++ ? ", " : "", o->mech[k].m->name,
				o->mech[k].load_seconds);
			if (o->mech[k].reused)
				fprintf(stderr, " from run %lld", (long long)o->mech[k].reused);
			else
				fprintf(stderr, "+%.3f", o->mech[k].engine_seconds);
			if (o->mech[k].kept)
				fprintf(stderr, " with %s kept", o->mech[k].kept);
		}
		fprintf(stderr, ")%s", t + 1 < o->threads ? ";" : "\n");
	}
}

/* --what-if FILE: the proposal computed on facts loaded for it (the server keeps them
 * resident; here they live for the one command); nothing stored. */
static int what_if_cmd(struct ctx *c, const char *file, int nmech)
{
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	struct facts_cache *fc;
	struct store *s;
	json_error_t je;
	json_t *j;
	int rc = 0;

	if (nmech)
		opt_usage_die(usage, "--what-if takes no mechanism: the proposal says what it changes");
	if (!(j = json_load_file(file, JSON_REJECT_DUPLICATES, &je))) {
		err_set(&e, ERR_USAGE, "%s:%d:%d: %s", file, je.line, je.column, je.text);
		return cmd_error(&e);
	}
	if (!(s = cmd_open_store(c))) {
		json_decref(j);
		return 1;
	}
	fc = facts_cache_new(0);
	if (whatif_run(fc, s, j, &b, NULL, &e) < 0)
		rc = cmd_error(&e);
	else
		printf("%s\n", b.buf);
	facts_cache_free(fc);
	buf_release(&b);
	json_decref(j);
	store_close(s);
	return rc;
}

int cmd_eval(struct ctx *c, int argc, const char **argv)
{
	int year = 0, timing = 0, fresh = 0, rc = 0;
	const char *format = "text", *as_of = NULL, *ledger_as_of = NULL, *what_if = NULL;
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
		OPT_BOOL("fresh", &fresh, "load and compute every mechanism, even one whose "
			 "inputs are unchanged since a stored run (whose results it would take)"),
		OPT_STRING("what-if", &what_if, "FILE", "compute a proposed change (JSON) against the "
			   "current data, store nothing, print the changed rows as JSON"),
		OPT_END(),
	};
	const struct mechanism *run[17];
	size_t nrun = 0;
	struct err e = ERR_INIT;
	struct store *s = NULL;
	struct eval_out o;
	char actor[96];
	struct actor who = { actor, "cli" };
	int n;

	n = opt_parse(c, argc, argv, opts, usage);
	opt_check_choice(usage, "format", format, formats);
	for (int i = 0; i < n; i++) {
		const struct mechanism *m = mechanism_find(argv[i]);
		struct buf known = BUF_INIT;
		if (!m) {
			for (const struct mechanism *k = mechanisms; k->name; k++)
				buf_addf(&known, "%s%s", known.len ? ", " : "", k->name);
			struct err ue = ERR_INIT;
			err_set(&ue, ERR_USAGE, "unknown mechanism '%s' (known: %s)", argv[i], known.buf);
			buf_release(&known);
			return cmd_error(&ue);
		}
		for (size_t k = 0; k < nrun && m; k++)
			if (run[k] == m)
				m = NULL; /* named twice: run once */
		if (m && nrun < ARRAY_SIZE(run) - 1)
			run[nrun++] = m;
	}
	run[nrun] = NULL;

	if (what_if)
		return what_if_cmd(c, what_if, n);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	audit_cli_actor(actor, sizeof(actor));
	if (eval_run_as(s, &who, nrun ? run : NULL, year, as_of, ledger_as_of,
			(fresh ? EVAL_FRESH : 0) |
			(strcmp(format, "json") ? EVAL_NO_EVIDENCE | EVAL_SUMMARY : 0),
			&o, &e) < 0) {
		rc = cmd_error(&e);
	} else {
		if (timing)
			fprintf(stderr, "timing: load %.3f s, engine %.3f s, save %.3f s (%zu "
				"results)\n", o.load_seconds, o.engine_seconds, o.save_seconds,
				eval_out_results(&o));
		if (timing)
			print_threads(&o);
		if (!strcmp(format, "json"))
			print_json(&o);
		else
			print_summary(&o);
	}
	eval_out_release(&o);
	store_close(s);
	return rc;
}
