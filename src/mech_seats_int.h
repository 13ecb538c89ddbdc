/* mech_seats_int.h: what the seats mechanism's loader (mech_seats.c) and its vintage store
 * (mech_seats_vintage.c) share. */
#ifndef MECH_SEATS_INT_H
#define MECH_SEATS_INT_H

#include "mech_seats.h"

#define NG 12 /* grades 1..12 */

/* Index of the planning area with this code in v (sorted codes), or -1. */
int seats_area_of(const struct seats_view *v, const char *code);

/* The stored vintage with the same origin, method, scenario, horizon and inputs as v, read
 * back into v->fc and v->vintage; else v->stale_vintage names the latest of the same method
 * for other data. */
int seats_vintage_find(struct store *s, struct seats_view *v, struct err *e);
/* Store v's forecast and intervals as a new vintage (one transaction). */
int seats_vintage_save(struct store *s, const struct seats_view *v, struct err *e);
/* Score every earlier vintage against the actuals in v: SEAT.VINTAGE.MAPE / .BIAS rows. */
int seats_vintage_score(struct store *s, const struct seats_view *v, const char *city,
			struct result_set *out, struct err *e);

#endif
