/* test_backtest.c: the back-test metrics on hand-computed errors: MAPE, MALPE (bias), median
 * and p90 absolute percentage error (nearest rank). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "backtest.h"

static void metrics_of_four_errors(void **state)
{
	/* |e| sorted: 0 5 10 20 -> MAPE 35/4, MALPE -5/4, median (5+10)/2, p90 the 4th */
	double pe[4] = { 10, -20, 5, 0 };
	struct bt_metrics m;
	(void)state;
	bt_compute_metrics(pe, 4, &m);
	assert_int_equal(m.n, 4);
	assert_float_equal(m.mape, 8.75, 1e-12);
	assert_float_equal(m.malpe, -1.25, 1e-12);
	assert_float_equal(m.median_ape, 7.5, 1e-12);
	assert_float_equal(m.p90_ape, 20, 1e-12);
}

static void metrics_odd_and_ten(void **state)
{
	double pe3[3] = { -3, 1, 2 };
	double pe10[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, -10 };
	struct bt_metrics m;
	(void)state;
	bt_compute_metrics(pe3, 3, &m);
	assert_float_equal(m.median_ape, 2, 1e-12);
	assert_float_equal(m.p90_ape, 3, 1e-12);       /* rank ceil(2.7) = 3 */
	assert_float_equal(m.malpe, 0, 1e-12);
	bt_compute_metrics(pe10, 10, &m);
	assert_float_equal(m.p90_ape, 9, 1e-12);       /* rank 9 of 10 */
	assert_float_equal(m.median_ape, 5.5, 1e-12);
	assert_float_equal(m.malpe, 3.5, 1e-12);
}

static void metrics_of_nothing(void **state)
{
	struct bt_metrics m;
	(void)state;
	bt_compute_metrics(NULL, 0, &m);
	assert_int_equal(m.n, 0);
	assert_true(isnan(m.mape));
	assert_true(isnan(m.p90_ape));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(metrics_of_four_errors),
		cmocka_unit_test(metrics_odd_and_ten),
		cmocka_unit_test(metrics_of_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
