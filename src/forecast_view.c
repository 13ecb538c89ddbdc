/* forecast_view.c: the forecast of planning areas for the CLI and the API (forecast_view.h):
 * loading with the rules in force, the areas a caller may see, and the JSON document. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_forecast.h"
#include "forecast_view.h"
#include "rules.h"
#include "svc.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

struct visible {
	char **code;
	size_t nr, alloc;
	int col;
};

static int collect_area(void *arg, const struct table *t, const char *const *vals)
{
	struct visible *vis = arg;
	(void)t;
	ALLOC_GROW(vis->code, vis->nr + 1, vis->alloc);
	vis->code[vis->nr++] = xstrdup(vals[vis->col] ? vals[vis->col] : "");
	return 0;
}

/* keep[i] = 0 for the areas of v outside scope sc (the area registry's scope filter). */
static int restrict_to_scope(struct store *s, const struct svc_scope *sc, const struct seats_view *v,
			     unsigned char *keep, struct err *e)
{
	const struct table *t = table_find("area");
	struct visible vis = { NULL, 0, 0, table_col_of(t, "code") };
	int rc = registry_list(s, t, sc, collect_area, &vis, e);
	for (int i = 0; rc == 0 && i < v->nareas; i++) {
		int in = 0;
		for (size_t k = 0; !in && k < vis.nr; k++)
			in = !strcmp(vis.code[k], v->code[i]);
		keep[i] &= in;
	}
	for (size_t k = 0; k < vis.nr; k++)
		free(vis.code[k]);
	free(vis.code);
	return rc;
}

int forecast_view_load(struct store *s, const struct svc_scope *sc, const struct forecast_opts *o,
		       struct seats_view *v, unsigned char **keep, struct err *e)
{
	const char *scen = o->scenario ? o->scenario : "mid";
	enum fc_scenario fs = !strcmp(scen, "low") ? FC_SC_LOW : !strcmp(scen, "high") ? FC_SC_HIGH : FC_SC_MID;
	struct rule_set *rules;
	struct fc_estimator est;
	int rc, found = 0;

	*keep = NULL;
	if (strcmp(scen, "low") && strcmp(scen, "mid") && strcmp(scen, "high"))
		return err_set(e, ERR_USAGE, "scenario: '%s' is not low, mid or high", scen);
	if (o->horizon < 0 || o->horizon > 30)
		return err_set(e, ERR_USAGE, "the horizon must be between 1 and 30");
	if (o->estimator && fc_estimator_parse(o->estimator, &est, e) < 0)
		return ERR_USAGE;
	if (!(rules = rules_load(s, NULL, e)))
		return e->code;
	rc = seats_view_load(s, rules, o->year, o->horizon, o->estimator, fs, o->town_level, 0,
			     NULL, v, e);
	if (rc >= 0 && (rc = seats_view_capacity(v, rules, e)) < 0)
		seats_view_release(v);
	rules_free(rules);
	if (rc < 0)
		return rc;
	*keep = xcalloc((size_t)v->nareas + 1, 1);
	for (int i = 0; i < v->nareas; i++) {
		(*keep)[i] = !o->area || !strcmp(o->area, v->code[i]);
		found |= (*keep)[i];
	}
	if (sc && ((sc->area && *sc->area) || (sc->school && *sc->school))) {
		found = 0;
		if ((rc = restrict_to_scope(s, sc, v, *keep, e)) < 0)
			goto fail;
		for (int i = 0; i < v->nareas; i++)
			found |= (*keep)[i];
	}
	if (o->area && !found) {
		rc = err_set(e, ERR_NOTFOUND, "no planning area '%s' (a %s code)", o->area,
			     o->town_level ? "town or street" : "county or district");
		goto fail;
	}
	return 0;
fail:
	free(*keep);
	*keep = NULL;
	seats_view_release(v);
	return rc;
}

static void num_or_null(struct buf *b, const char *fmt, double v)
{
	if (isnan(v) || isinf(v))
		buf_adds(b, "null");
	else
		buf_addf(b, fmt, v);
}

static void interval_json(struct buf *b, double lo, double hi)
{
	if (isnan(lo) || isnan(hi)) {
		buf_adds(b, "null");
		return;
	}
	buf_addf(b, "[%.1f,%.1f]", lo, hi);
}

int forecast_view_row(const struct seats_view *v, int ai, int st, int h, struct forecast_row *r)
{
	size_t k = ((size_t)ai * v->horizon + h) * ST_N + st;
	r->demand = v->demand[k];
	r->seats = v->cap[k];
	if ((isnan(r->demand) || r->demand <= 0) && r->seats <= 0)
		return -1;
	r->year = v->origin + 1 + h;
	r->match = r->seats > 0 ? r->demand / r->seats : NAN;
	r->iv = v->interval + k * 4;
	r->kind = isnan(r->demand) ? "" : seats_shortage_kind(r->demand, r->seats, r->iv);
	r->scen = v->scen[k] != 0;
	return 0;
}

static void area_json(const struct seats_view *v, int ai, int first, struct buf *b)
{
	const char *sc = fc_scenario_name(v->scenario);

	buf_addf(b, "%s{\"code\":", first ? "" : ",");
	buf_add_json_str(b, v->code[ai]);
	buf_adds(b, ",\"name\":");
	buf_add_json_str(b, v->name[ai]);
	buf_adds(b, ",\"rows\":[");
	for (int st = 0, n = 0; st < ST_N; st++)
		for (int h = 0; h < v->horizon; h++) {
			struct forecast_row r;
			if (forecast_view_row(v, ai, st, h, &r) < 0)
				continue;
			buf_addf(b, "%s{\"stage\":\"%s\",\"year\":%d,\"forecast\":", n++ ? "," : "",
				 seat_stage_name(st), r.year);
			num_or_null(b, "%.1f", r.demand);
			buf_addf(b, ",\"seats\":%.0f,\"gap\":", r.seats);
			num_or_null(b, "%.1f", r.demand - r.seats);
			buf_adds(b, ",\"match\":");
			num_or_null(b, "%.4f", r.match);
			buf_adds(b, ",\"interval_80\":");
			interval_json(b, r.iv[1], r.iv[2]);
			buf_adds(b, ",\"interval_95\":");
			interval_json(b, r.iv[0], r.iv[3]);
			buf_adds(b, ",\"shortage\":");
			if (*r.kind)
				buf_add_json_str(b, r.kind);
			else
				buf_adds(b, "null");
			buf_adds(b, ",\"births_scenario\":");
			if (r.scen)
				buf_add_json_str(b, sc);
			else
				buf_adds(b, "null");
			buf_adds(b, "}");
		}
	buf_adds(b, "]}");
}

void forecast_json(const struct seats_view *v, const unsigned char *keep, struct buf *b)
{
	int n = 0;
	buf_addf(b, "{\"origin\":%d,\"horizon\":%d,\"estimator\":", v->origin, v->horizon);
	buf_add_json_str(b, v->est.name);
	if (v->nareas && v->fc.used[0]) {
		buf_adds(b, ",\"chosen\":");
		buf_add_json_str(b, v->fc.used);
	}
	if (v->vintage) {
		buf_addf(b, ",\"vintage\":%lld,\"vintage_created\":", v->vintage);
		buf_add_json_str(b, v->vintage_created);
	} else {
		buf_adds(b, ",\"vintage\":null");
		if (v->stale_vintage)
			buf_addf(b, ",\"changed_since_vintage\":%lld", v->stale_vintage);
	}
	buf_addf(b, ",\"births_scenario\":\"%s\",\"last_births_year\":%d,\"areas\":[",
		 fc_scenario_name(v->scenario), v->births_last);
	for (int i = 0; i < v->nareas; i++)
		if (!keep || keep[i])
			area_json(v, i, n++ == 0, b);
	buf_adds(b, "]}\n");
}
