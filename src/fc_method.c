/* fc_method.c: the forecast method from rule seats.forecast (see fc_method.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fc_method.h"
#include "rules.h"
#include "banned.h"

#define RULE "seats.forecast"

/* A comma-separated list of at most max numbers in [lo, hi] (lo excluded when open_lo). */
static int num_list(const char *s, double lo, double hi, int open_lo, double *out, int max)
{
	int n = 0;
	const char *p = s;

	while (*p) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || n == max || !isfinite(v) || v > hi || v < lo || (open_lo && v == lo) ||
		    (*end && *end != ','))
			return -1;
		out[n++] = v;
		p = *end == ',' ? end + 1 : end;
		if (!*p && *end == ',')
			return -1;
	}
	return n;
}

static int int_param(struct rule_set *rules, const char *key, int lo, int hi, int *out,
		     struct err *e)
{
	double d;
	if (rules_num(rules, RULE, key, &d, e) < 0)
		return e->code;
	if (!(d >= lo && d <= hi) || d != (int)d)
		return err_set(e, ERR_DATA, "rule '" RULE "' parameter '%s': expected a whole number "
			       "from %d to %d, not %g", key, lo, hi, d);
	*out = (int)d;
	return 0;
}

static int list_param(struct rule_set *rules, const char *key, double lo, double hi,
		      int open_lo, double *out, int max, int *n, const char *what, struct err *e)
{
	const char *s = rules_str(rules, RULE, key, e);
	if (!s)
		return e->code;
	*n = num_list(s, lo, hi, open_lo, out, max);
	if (*n < 1)
		return err_set(e, ERR_DATA, "rule '" RULE "' parameter '%s': expected %s, not '%s'",
			       key, what, s);
	return 0;
}

int fc_method_load(struct rule_set *rules, const char *estimator, struct fc_method *m,
		   struct err *e)
{
	double w[5] = { 0 }, sum = 0;
	int nw;

	memset(m, 0, sizeof(*m));
	if (!estimator && !(estimator = rules_str(rules, RULE, "estimator", e)))
		return e->code;
	if (fc_estimator_parse(estimator, &m->est, e) < 0)
		return e->code;
	if (list_param(rules, "wiche_weights", 0, 1e9, 0, w, 5, &nw,
		       "up to 5 weights, latest first, like \"0.40,0.15,0.15,0.15,0.15\"", e) < 0)
		return e->code;
	for (int i = 0; i < nw; i++)
		sum += w[i];
	if (!(sum > 0))
		return err_set(e, ERR_DATA, "rule '" RULE "' parameter 'wiche_weights': the weights "
			       "sum to 0");
	memcpy(m->est.wiche, w, sizeof(m->est.wiche));
	if (list_param(rules, "pool_alphas", 0, 1, 1, m->sel.alpha, FC_GRID_MAX, &m->sel.nalpha,
		       "smoothing constants in (0, 1], like \"0.2,0.4,0.6,0.8,1\"", e) < 0 ||
	    list_param(rules, "pool_weights", 0, 1, 0, m->sel.weight, FC_GRID_MAX,
		       &m->sel.nweight, "weights of the area's own ratios in [0, 1], like "
		       "\"0,0.25,0.5,0.75,1\"", e) < 0 ||
	    int_param(rules, "select_origins", 1, 30, &m->sel.origins, e) < 0 ||
	    int_param(rules, "interval_origins", 0, 30, &m->sel.interval_origins, e) < 0 ||
	    int_param(rules, "max_horizon", 1, 30, &m->max_horizon, e) < 0)
		return e->code;
	return 0;
}
