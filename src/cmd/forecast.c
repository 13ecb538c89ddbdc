/* cmd/forecast.c: `eduhq forecast` (the enrolment forecast from the latest returns against
 * seats, per planning area, stage and year) and
 * `eduhq forecast backtest` (rolling-origin scoring of the method on any history, SPEC §5.3). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "buf.h"
#include "cmd.h"
#include "eng_forecast.h"
#include "fc_method.h"
#include "forecast_view.h"
#include "mech_seats.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const bt_usage[] = {
	"eduhq forecast backtest --enrollment FILE [--births FILE] [--origins Y1-Y2] "
	"[--horizon N] [--estimator NAME] [--bootstrap N] [--format table|json]",
	NULL,
};

static const char *const scenario_names[] = { "low", "mid", "high", NULL };

static int parse_origins(const char *s, int *from, int *to)
{
	char *end;
	long a = strtol(s, &end, 10), b;
	if (end == s)
		return -1;
	if (!*end) {
		*from = *to = (int)a;
		return 0;
	}
	if (*end != '-')
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end || b < a)
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

static enum fc_scenario scenario_of(const char *s)
{
	return !strcmp(s, "low") ? FC_SC_LOW : !strcmp(s, "high") ? FC_SC_HIGH : FC_SC_MID;
}

static int cmd_backtest(struct ctx *c, int argc, const char **argv)
{
	const char *enrol = NULL, *births = NULL, *origins = NULL, *estimator = NULL;
	const char *format = "table", *scenario = "mid";
	int horizon = 3, entry_age = 6, boot = 0;
	double min_size = 0;
	struct opt opts[] = {
		OPT_STRING("enrollment", &enrol, "FILE", "enrolment CSV: area,year,grade,students"),
		OPT_STRING("births", &births, "FILE", "births CSV: area,year,births"),
		OPT_STRING("origins", &origins, "Y1-Y2", "forecast origins (default: all)"),
		OPT_INT("horizon", &horizon, "N", "years ahead scored (default 3)"),
		OPT_STRING("estimator", &estimator, "NAME",
			   "last, mean:K, wiche, ses:ALPHA, trend:K:PHI, holt:A:B:PHI, combo, "
			   "pool, pool:ALPHA:W, auto, auto:N, auto:area, A+B mixes; suffix /g "
			   "(default: the planning default, rule seats.forecast)"),
		OPT_INT("entry-age", &entry_age, "N", "age at entry to grade 1 (default 6)"),
		OPT_DOUBLE("min-size", &min_size, "N", "score only areas with at least N pupils at "
			   "the origin"),
		OPT_STRING("scenario", &scenario, "S", "births scenario beyond observed births: "
			   "low, mid, high (default mid)"),
		OPT_INT("bootstrap", &boot, "N", "resample the areas N times for the spread of the "
			"MAPE (default 0: none)"),
		OPT_STRING("format", &format, "F", "table or json"),
		OPT_END(),
	};
	static const char *const formats[] = { "table", "json", NULL };
	struct err e = ERR_INIT;
	struct rule_set *rules;
	struct fc_method m;
	struct bt_data d;
	struct bt_params p = { 0 };
	struct bt_result r;
	struct buf out = BUF_INIT;

	if (opt_parse(c, argc, argv, opts, bt_usage) != 0)
		opt_usage_die(bt_usage, "backtest takes no arguments");
	opt_check_choice(bt_usage, "format", format, formats);
	opt_check_choice(bt_usage, "scenario", scenario, scenario_names);
	if (!enrol)
		opt_usage_die(bt_usage, "--enrollment FILE is required");
	if (horizon < 1 || horizon > 30)
		opt_usage_die(bt_usage, "--horizon must be between 1 and 30");
	if (entry_age < 3 || entry_age > 9)
		opt_usage_die(bt_usage, "--entry-age must be between 3 and 9");
	if (origins && parse_origins(origins, &p.origin_from, &p.origin_to) < 0)
		opt_usage_die(bt_usage, "--origins expects Y1-Y2, not '%s'", origins);
	if (boot < 0 || boot > 100000)
		opt_usage_die(bt_usage, "--bootstrap must be between 0 and 100000");
	rules = rules_builtin();
	if (fc_method_load(rules, estimator, &m, &e) < 0) {
		rules_free(rules);
		if (e.code == ERR_USAGE)
			opt_usage_die(bt_usage, "%s", e.msg);
		return cmd_error(&e);
	}
	rules_free(rules);
	p.est = m.est;
	p.sel = m.sel;
	p.bootstrap = boot;
	p.horizon = horizon;
	p.entry_age = entry_age;
	p.min_size = min_size;
	p.scenario = scenario_of(scenario);

	if (bt_load_enrollment(enrol, &d, &e) < 0)
		return cmd_error(&e);
	if (births && bt_load_births(births, &d, &e) < 0) {
		bt_data_release(&d);
		return cmd_error(&e);
	}
	if (bt_run(&d, &p, &r, &e) < 0) {
		bt_data_release(&d);
		return cmd_error(&e);
	}
	if (!strcmp(format, "json")) {
		bt_format_json(&r, p.est.name, &out);
	} else {
		bt_format_table(&r, p.est.name, &out);
		if (p.est.kind == FC_AUTO || p.est.kind == FC_AUTO_AREA) {
			buf_adds(&out, p.est.k >= 2 ? "auto used (areas x origins, each of the "
				 "combined):" : "auto chose (areas x origins):");
			for (int i = 0; fc_auto_candidates[i]; i++)
				buf_addf(&out, " %s %ld", fc_auto_candidates[i], r.chosen[i]);
			buf_addch(&out, '\n');
		}
	}
	fputs(out.buf, stdout);
	buf_release(&out);
	bt_result_release(&r);
	bt_data_release(&d);
	return 0;
}

static const char *const usage[] = {
	"eduhq forecast [--area CODE] [--horizon N] [--format table|json|csv] [--year Y] "
	"[--level county|town] [--estimator NAME] [--scenario low|mid|high]",
	"eduhq forecast backtest --enrollment FILE [--births FILE] [--origins Y1-Y2] "
	"[--horizon N] [--estimator NAME] [--format table|json]",
	NULL,
};

/* One area as a table or CSV (JSON: forecast_json(), shared with the API). */
static void print_view(const struct seats_view *v, int ai, int csv, struct buf *b)
{
	const char *sc = fc_scenario_name(v->scenario);

	for (int st = 0; st < ST_N; st++)
		for (int h = 0; h < v->horizon; h++) {
			struct forecast_row r;
			double d, c, m;
			const double *iv;
			if (forecast_view_row(v, ai, st, h, &r) < 0)
				continue;
			d = r.demand, c = r.seats, m = r.match, iv = r.iv;
			if (csv) {
				/* no forecast or no seats: empty fields, not "nan" */
				buf_addf(b, "%s,%s,%s,%d,", v->code[ai], v->name[ai],
					 seat_stage_name(st), r.year);
				if (!isnan(d))
					buf_addf(b, "%.1f", d);
				buf_addf(b, ",%.0f,", c);
				if (!isnan(d))
					buf_addf(b, "%.1f", d - c);
				buf_addch(b, ',');
				if (isfinite(m))
					buf_addf(b, "%.4f", m);
				for (int i = 0; i < 4; i++) {
					static const int ord[4] = { 1, 2, 0, 3 };
					buf_addch(b, ',');
					if (!isnan(iv[ord[i]]))
						buf_addf(b, "%.1f", iv[ord[i]]);
				}
				buf_addf(b, ",%s,%s\n", r.kind, r.scen ? sc : "");
			} else if (isnan(d)) {
				buf_addf(b, "%-12s %-7s %4d %9s %15s %9.0f %9s %6s (no forecast)\n",
					 v->code[ai], seat_stage_name(st), r.year, "n.a.",
					 "n.a.", c, "n.a.", "n.a.");
			} else {
				char ms[32];
				if (isfinite(m))
					snprintf(ms, sizeof(ms), "%6.3f", m);
				else
					snprintf(ms, sizeof(ms), "%6s", "n.a.");
				char is[48];
				if (isnan(iv[1]))
					snprintf(is, sizeof(is), "%15s", "n.a.");
				else
					snprintf(is, sizeof(is), "%7.0f-%-7.0f", iv[1], iv[2]);
				buf_addf(b, "%-12s %-7s %4d %9.0f %s %9.0f %+9.0f %s%s%s%s%s\n",
					 v->code[ai], seat_stage_name(st), r.year, d, is, c,
					 d - c, ms, *r.kind ? " " : "", r.kind, *r.kind ? " shortage" :
					 m < v->params.surplus_match ? " surplus" : "",
					 r.scen ? " *" : "");
			}
		}
}

int cmd_forecast(struct ctx *c, int argc, const char **argv)
{
	const char *format = "table", *level = "county";
	struct forecast_opts o = { .scenario = "mid" };
	struct opt opts[] = {
		OPT_STRING("area", &o.area, "CODE", "only this planning area (county, or town with "
			   "--level town)"),
		OPT_INT("horizon", &o.horizon, "N", "years ahead (default and most: rule "
			"seats.forecast max_horizon)"),
		OPT_STRING("format", &format, "F", "table, json or csv"),
		OPT_INT("year", &o.year, "Y", "forecast from the returns up to school year Y "
			"(default: the latest)"),
		OPT_STRING("estimator", &o.estimator, "NAME", "ratio estimator (default "
			   "rule seats.forecast estimator)"),
		OPT_STRING("scenario", &o.scenario, "S", "births scenario beyond observed births: "
			   "low, mid, high (default mid)"),
		OPT_STRING("level", &level, "L", "planning areas: county (default) or town"),
		OPT_END(),
	};
	static const char *const formats[] = { "table", "json", "csv", NULL };
	static const char *const levels[] = { "county", "town", NULL };
	struct err e = ERR_INIT;
	struct store *s;
	struct seats_view v;
	struct buf b = BUF_INIT;
	unsigned char *keep;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "backtest"))
		return cmd_backtest(c, argc - 1, argv + 1);
	if (opt_parse(c, argc, argv, opts, usage) != 0)
		opt_usage_die(usage, "unknown subcommand '%s'", argv[0]);
	opt_check_choice(usage, "format", format, formats);
	opt_check_choice(usage, "scenario", o.scenario, scenario_names);
	opt_check_choice(usage, "level", level, levels);
	o.town_level = !strcmp(level, "town");
	if (o.horizon < 0 || o.horizon > 30)
		opt_usage_die(usage, "--horizon must be between 1 and 30");
	if (o.estimator && fc_estimator_parse(o.estimator, &v.est, &e) < 0)
		opt_usage_die(usage, "%s", e.msg);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	rc = forecast_view_load(s, NULL, &o, &v, &keep, &e);
	store_close(s);
	if (rc < 0)
		return cmd_error(&e);
	if (!strcmp(format, "json")) {
		forecast_json(&v, keep, &b);
	} else {
		int csv = !strcmp(format, "csv");
		if (csv) {
			buf_adds(&b, "area_code,area_name,stage,year,forecast,seats,gap,match,"
				 "lo80,hi80,lo95,hi95,shortage,births_scenario\n");
		} else {
			buf_addf(&b, "forecast from the %d returns, estimator %s", v.origin, v.est.name);
			if (v.nareas && v.fc.used[0])
				buf_addf(&b, " (chose %s)", v.fc.used);
			buf_addf(&b, "; * = uses the %s births scenario (born after %d)\n",
				 fc_scenario_name(v.scenario), v.births_last);
			if (v.vintage)
				buf_addf(&b, "stored vintage %lld of %s: the data have not changed since, "
					 "printed as stored\n", v.vintage, v.vintage_created);
			else if (v.stale_vintage)
				buf_addf(&b, "recomputed: the data have changed since stored vintage %lld of "
					 "%s\n", v.stale_vintage, v.vintage_created);
			else
				buf_adds(&b, "computed now: no stored vintage for these data (eduhq eval "
					 "seats stores one)\n");
			buf_addf(&b, "%-12s %-7s %4s %9s %15s %9s %9s %6s\n", "area", "stage", "year",
				 "forecast", "80% interval", "seats", "gap", "match");
		}
		for (int i = 0; i < v.nareas; i++)
			if (keep[i])
				print_view(&v, i, csv, &b);
	}
	fputs(b.buf, stdout);
	buf_release(&b);
	free(keep);
	seats_view_release(&v);
	return 0;
}
