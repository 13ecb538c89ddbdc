/* fc_method.h: the forecast method as rule parameters (rule seats.forecast): the default
 * estimator, the grid and origins "pool" and "auto" choose with, the back-test origins of the
 * prediction intervals, the WICHE weights and the longest horizon. Read by `eduhq forecast`,
 * `eval seats` and `forecast backtest` (which reads the built-in version: it has no
 * database), so the method is recorded with each run like every other rule. */
#ifndef FC_METHOD_H
#define FC_METHOD_H

#include "eng_forecast.h"
#include "err.h"

struct rule_set;

struct fc_method {
	struct fc_estimator est;      /* the estimator (the rule's default unless named) */
	struct fc_select sel;
	int max_horizon;
};

/* Parse the rule's parameters into m; estimator NULL: the rule's "estimator". Errors name
 * the rule and parameter (ERR_DATA) or the estimator (ERR_USAGE). */
int fc_method_load(struct rule_set *rules, const char *estimator, struct fc_method *m,
		   struct err *e);

#endif
