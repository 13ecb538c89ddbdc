/* eng_forecast_int.h: what the forecast engine's two files share: the per-call context (the
 * areas' entry drivers and the pools' ratio series) and one area's projection
 * (eng_forecast.c), used by the choosing and interval back-tests (eng_forecast_auto.c). */
#ifndef ENG_FORECAST_INT_H
#define ENG_FORECAST_INT_H

#include "eng_forecast.h"

struct fc_ctx {
	const struct fc_input *in;
	const struct fc_params *p;
	int A, G, Y, H, npools;
	double *D;               /* [area][Y + H] entry drivers (births aligned), NAN */
	unsigned char *has_D;    /* [area]: 1 when the area has observed births */
	unsigned char *Dflag;    /* [area][Y + H]: 1 where the driver is scenario births */
	double *R;               /* [pool][2][grade][Y]: the pool's ratio series (grade 0:
				  * entry) and growth series */
	double *x;               /* scratch: 2 (Y + H) doubles */
	double *tmp;             /* scratch: max(H, FC_AUTO_LEADS) x G doubles */
};

static inline const double *fc_ctx_driver(const struct fc_ctx *c, int a)
{
	return c->has_D[a] ? c->D + (size_t)a * (c->Y + c->H) : NULL;
}

static inline const double *fc_ctx_pool(const struct fc_ctx *c, int a)
{
	int pl = c->in->pool_of ? c->in->pool_of[a] : 0;
	return c->R + (size_t)pl * 2 * c->G * c->Y;
}

/* Project area a from its first ny years (ny <= Y) H leads ahead into out[H][G]. */
void fc_model_run(const struct fc_ctx *c, int a, int ny, const struct fc_estimator *est,
		  int H, double *out);

/* Mean absolute fractional error of area totals of est, over all areas, on origins
 * ny-1 .. ny-norigins (as year counts ny - k), leads 1..FC_AUTO_LEADS; INFINITY if nothing
 * could be scored. area >= 0: that area only. */
double fc_score(const struct fc_ctx *c, const struct fc_estimator *est, int norigins,
		int area);

/* "auto", "auto:N", "auto:area", "pool": resolve the estimator each area uses (est_of[a]
 * points into store[]); fills out->chosen, members, used. */
int fc_choose(const struct fc_ctx *c, struct fc_estimator *store, int nstore,
	      const struct fc_estimator **est_of, struct fc_output *out, struct err *e);

/* The interval quantiles of out (out->q, q_origins) for the estimators est_of[]. */
void fc_intervals(const struct fc_ctx *c, const struct fc_estimator *const *est_of,
		  struct fc_output *out);

#endif
