/* forecast_view.h: the enrolment forecast of planning areas as every interface shows it
 * (`eduhq forecast`, GET /api/v1/forecast): loaded from the store with the rules in force,
 * restricted to an area and to the caller's scope, and rendered as the one JSON document
 * both print. */
#ifndef FORECAST_VIEW_H
#define FORECAST_VIEW_H

#include "mech_seats.h"

struct buf;
struct store;
struct svc_scope;

struct forecast_opts {
	const char *area;        /* one planning area (NULL: all in scope) */
	int town_level;          /* plan per town/street instead of per county */
	int year, horizon;       /* 0: the latest returns, the rule's max_horizon */
	const char *estimator;   /* NULL: rule seats.forecast's */
	const char *scenario;    /* "low", "mid" (NULL) or "high" */
};

/* Load the forecast (seats_view_load) and mark in keep (new array of v->nareas, free())
 * the areas shown: opts->area, or every area, restricted to those of scope sc (svc.h; NULL:
 * all): a county user sees its county (or its towns), a school user no planning area. An
 * area not shown: ERR_NOTFOUND "no planning area 'X' (a county or district code)" ("a
 * town or street code" at town level). A bad estimator or scenario: ERR_USAGE. On success
 * release v with seats_view_release(). */
int forecast_view_load(struct store *s, const struct svc_scope *sc, const struct forecast_opts *o,
		       struct seats_view *v, unsigned char **keep, struct err *e);

/* One row of an area's forecast as every format shows it: stage st, lead h (year origin+1+h);
 * demand NAN without a forecast, match NAN without seats, iv the 95/80/80/95 % bounds, kind
 * the shortage ("" none), scen whether the births scenario applies. */
struct forecast_row {
	int year, scen;
	double demand, seats, match;
	const double *iv;
	const char *kind;
};

/* Fill r for area ai, stage st, lead h: 0, or -1 for a row with neither forecast nor seats
 * (not shown). */
int forecast_view_row(const struct seats_view *v, int ai, int st, int h, struct forecast_row *r);

/* The JSON document of `eduhq forecast --format json` for the areas marked in keep
 * (NULL: all), with a final newline, appended to b. */
void forecast_json(const struct seats_view *v, const unsigned char *keep, struct buf *b);

#endif
