/* bench_balance.c: time the pure balance engine (bal_run) on a synthetic province: COUNTIES
 * counties × SCHOOLS schools (default 100 × 200 = 20,000), a mix of primary, junior and
 * nine-year schools and teaching points, class sections for a tenth of them. No database:
 * this measures the engine alone (bench/balance.sh builds and runs it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_balance.h"
#include "eval.h"

static unsigned long rng = 12345;
static double rnd(void) /* deterministic LCG in [0, 1) */
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
	int counties = argc > 1 ? atoi(argv[1]) : 100, per = argc > 2 ? atoi(argv[2]) : 200;
	int reps = argc > 3 ? atoi(argv[3]) : 5;
	size_t n = (size_t)counties * (size_t)per, nsec = 0;
	struct bal_school *s = calloc(n, sizeof(*s));
	struct bal_class *sec = calloc(n * 20, sizeof(*sec));
	char (*codes)[24] = calloc(n, 24), (*cty)[16] = calloc((size_t)counties, 16);
	static const double std[2][7] = {
		{ 4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3 }, { 5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4 },
	};
	struct bal_params p = { 0 };
	struct err e = ERR_INIT;
	double best = 1e9, total = 0;
	size_t rows = 0;

	if (!s || !sec || !codes || !cty)
		return 1;
	memcpy(p.standard, std, sizeof(std));
	p.min_met = 6; p.unmet_floor = 0.85; p.cv_max[0] = 0.50; p.cv_max[1] = 0.45;
	p.tp_min_pupils = 50; p.exclude_special = p.exclude_vocational = 1;
	p.nine_year_junior = 1.1; p.complete_middle_senior = 1.2;
	p.twelve_year_junior = 1.1; p.twelve_year_senior = 1.32;
	p.class_max[0] = 45; p.class_max[1] = 50; p.class_large = 56; p.class_super_large = 66;
	p.size_max = 2000; p.size_nine_year_max = 2500; p.retention_min = 0.95;
	p.basic2012_max[0] = 0.65; p.basic2012_max[1] = 0.55; p.top_pullers = 5;

	for (int c = 0; c < counties; c++)
		snprintf(cty[c], 16, "%06d", 410100 + c);
	for (size_t i = 0; i < n; i++) {
		struct bal_school *x = &s[i];
		double r = rnd(), size = 0.3 + 1.7 * rnd();
		snprintf(codes[i], 24, "%010zu", 4100000000 + i);
		x->code = codes[i];
		x->county = cty[i / (size_t)per];
		x->type = r < 0.6 ? BAL_T_PRIMARY : r < 0.85 ? BAL_T_JUNIOR : BAL_T_NINE_YEAR;
		x->teaching_point = x->type == BAL_T_PRIMARY && rnd() < 0.05;
		for (int g = 1; g <= 9; g++) {
			int prim = g <= 6;
			if ((prim && x->type == BAL_T_JUNIOR) || (!prim && x->type == BAL_T_PRIMARY))
				continue;
			x->pupils[g] = x->teaching_point ? 5 : (long)(size * (40 + 80 * rnd()));
			x->classes[g] = x->pupils[g] / 42 + 1;
		}
		x->has_returns = 1;
		x->has_facility = rnd() < 0.98;
		double P = 0;
		for (int g = 1; g <= 9; g++)
			P += (double)x->pupils[g];
		x->teaching_aux_area = P * (4 + 4 * rnd());
		x->indoor_sports_area = x->teaching_aux_area * 0.1;
		x->sports_ground_area = P * (5 + 8 * rnd());
		x->equipment_value = P * (1500 + 2000 * rnd());
		x->multimedia_rooms = P / 100 * (1.5 + 3 * rnd());
		x->computers = P / 10;
		x->books = P * 30;
		x->teachers = P / 15;
		x->t_associate_plus = x->teachers * 0.9;
		x->t_bachelor_plus = x->teachers * 0.7;
		x->t_backbone = x->teachers * 0.1 * rnd() * 2;
		x->t_pe_art_fulltime = x->teachers * 0.12;
		x->t_first_title_plus = x->teachers * 0.4;
		x->g7_before = x->pupils[7] + 2;
		x->has_g7_before = x->pupils[7] > 0;
		if (i % 10 == 0) {
			x->sections = sec + nsec;
			for (int g = 1; g <= 9; g++)
				for (long k = 0; k < x->classes[g] && x->nsections < 20; k++) {
					sec[nsec].grade = g;
					sec[nsec].pupils = (int)(x->pupils[g] / x->classes[g] + 3 * rnd());
					nsec++;
					x->nsections++;
				}
		}
	}
	for (int k = 0; k < reps; k++) {
		struct result_set rs;
		double t0, t;
		results_init(&rs);
		t0 = eval_clock();
		if (bal_run(&p, s, n, 2024, &rs, &e) < 0) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
		t = eval_clock() - t0;
		rows = rs.nr;
		results_release(&rs);
		total += t;
		if (t < best)
			best = t;
	}
	printf("balance engine: %zu schools in %d counties, %zu result rows: best %.3f s, "
	       "mean %.3f s over %d runs\n", n, counties, rows, best, total / reps, reps);
	free(s);
	free(sec);
	free(codes);
	free(cty);
	return 0;
}
