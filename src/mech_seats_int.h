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
/* The earlier vintages (origin before v's) that seats_vintage_score() scores: each one's
 * forecast per area, stage and year, and its 80 % intervals per stage and lead. */
struct seat_scoring {
	struct seat_vcell {
		int64_t vintage;
		int origin, area, stage, year;
		double f;
		char method[64];
	} *c;
	struct seat_viv {
		int64_t vintage;
		int stage, lead;
		double qlo, qhi;
	} *iv;
	size_t n, niv;
};
int seats_vintage_read(struct store *s, const struct seats_view *v, struct seat_scoring *sc,
		       struct err *e);
void seats_scoring_release(struct seat_scoring *sc);
/* Score every earlier vintage against the actuals in v: SEAT.VINTAGE.MAPE / .BIAS rows. */
void seats_vintage_score(const struct seats_view *v, const struct seat_scoring *sc,
			 const char *city, struct result_set *out);

#endif
