/* forecast_bench.c: times the forecast engine (fc_forecast) on a synthetic province-sized
 * input, excluding loading: N areas x 12 grades, 10 years of history, births, 10 years ahead,
 * with the method of the built-in rule seats.forecast (its grid, its interval back-test; the
 * estimator can be named instead). Built and run by bench/forecast.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eng_forecast.h"
#include "fc_method.h"
#include "rules.h"
#include "xmalloc.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int A = argc > 1 ? atoi(argv[1]) : 1000, G = 12, Y = 10, H = 10, NB = 25;
	const char *est_name = argc > 2 ? argv[2] : NULL;
	struct rule_set *rules = rules_builtin();
	struct fc_method m;
	double *enrol = xmalloc(sizeof(double) * (size_t)A * Y * G);
	double *births = xmalloc(sizeof(double) * (size_t)A * NB);
	unsigned seed = 12345;
	struct fc_input in = { 0 };
	struct fc_params p = { 0 };
	struct fc_output out;
	struct err e = ERR_INIT;
	double t0, t1, best = 1e9, sum = 0;

	for (int a = 0; a < A; a++) {
		double base = 300 + (seed = seed * 1103515245u + 12345u) % 2000;
		for (int b = 0; b < NB; b++)
			births[(size_t)a * NB + b] = base * (1 + 0.02 * sin(a + b)) *
						     (b < 15 ? 1.0 : 1.0 - 0.03 * (b - 15));
		for (int y = 0; y < Y; y++)
			for (int g = 0; g < G; g++)
				enrol[((size_t)a * Y + y) * G + g] =
					births[(size_t)a * NB + y + 9 - g] * (0.97 - 0.005 * g) *
					(1 + 0.01 * cos(a * 7 + y * 3 + g));
	}
	in.nareas = A;
	in.ngrades = G;
	in.first_year = 2015;
	in.nyears = Y;
	in.enrol = enrol;
	in.births = births;
	in.births_first_year = 2003; /* entry 2015 <- births 2009 = index 6; lag 6 */
	in.nbirths = NB - 6 + 6;
	in.entry_lag = 6;
	in.births_last_observed = 2024;
	if (fc_method_load(rules, est_name, &m, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	rules_free(rules);
	p.est = m.est;
	p.sel = m.sel;
	p.horizon = H;
	for (int rep = 0; rep < 5; rep++) {
		t0 = now();
		if (fc_forecast(&in, &p, &out, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		t1 = now();
		for (size_t i = 0; i < (size_t)A * H * G; i++)
			sum += out.value[i];
		fc_output_release(&out);
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	printf("forecast %-8s %5d areas x %d grades x %d years ahead (%d years history): "
	       "%.4f s (best of 5; checksum %.0f)\n", p.est.name, A, G, H, Y, best, sum / 5);
	free(enrol);
	free(births);
	return 0;
}
