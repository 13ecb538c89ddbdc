/* bench_vocational.c: time the pure vocational engine (voc_run) on a synthetic province:
 * CITIES cities x SCHOOLS vocational schools x SPECS specialties (default 25 x 20 x 40 =
 * 20,000 specialties, about the largest real province), YEARS years of returns each, 40
 * cooperations, 2 training bases and interns per school. Runs the city rule and the
 * peer-bottom variant. No database: the engine alone (bench/vocational.sh builds it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_vocational.h"
#include "eval.h"
#include "validate.h"

static unsigned long rng = 12345;
static double rnd(void) /* deterministic LCG in [0, 1) */
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static const char *const cats[] = { "装备制造大类", "电子与信息大类", "财经商贸大类",
	"旅游大类", "轻工纺织大类", "医药卫生大类", "交通运输大类", "能源动力与材料大类" };

int main(int argc, char **argv)
{
	int cities = argc > 1 ? atoi(argv[1]) : 25, per = argc > 2 ? atoi(argv[2]) : 20;
	int nsp = argc > 3 ? atoi(argv[3]) : 40, years = argc > 4 ? atoi(argv[4]) : 10;
	int reps = argc > 5 ? atoi(argv[5]) : 5;
	size_t ns = (size_t)cities * (size_t)per, nspec = ns * (size_t)nsp, ny = nspec * (size_t)years;
	size_t ncoop = ns * 40, nbase = ns * 2;
	struct voc_school *sch = calloc(ns, sizeof(*sch));
	struct voc_specialty *sp = calloc(nspec, sizeof(*sp));
	struct voc_year *yr = calloc(ny, sizeof(*yr));
	struct voc_coop *co = calloc(ncoop, sizeof(*co));
	struct voc_base *ba = calloc(nbase, sizeof(*ba));
	struct voc_count *in = calloc(ns, sizeof(*in));
	char (*scode)[11] = calloc(ns, 11), (*ccode)[7] = calloc((size_t)cities, 7);
	char (*spcode)[7] = calloc((size_t)nsp, 7), (*cc)[19] = calloc(ncoop, 19);
	struct voc_params p = {
		.cond = VOC_COND_EMPLOYMENT, .min_rate = 0.60, .bottom_share = 0.10,
		.peer_set = VOC_PEER_CATEGORY, .min_peers = 5, .min_enrolled = 50, .run_years = 2,
		.first_action = VOC_ACT_WARN, .action = VOC_ACT_CLOSE,
		.satisfaction_min_sample = 5, .match_target = 0.85, .sites_max_share = 0.5,
	};
	struct voc_facts f;
	struct err e = ERR_INIT;

	if (!sch || !sp || !yr || !co || !ba || !in || !scode || !ccode || !spcode || !cc)
		return 1;
	for (int c = 0; c < cities; c++)
		snprintf(ccode[c], 7, "%06u", (110000u + (unsigned)c * 100) % 1000000);
	for (int k = 0; k < nsp; k++)
		snprintf(spcode[k], 7, "%06u", (430000u + (unsigned)k * 101) % 1000000);
	for (size_t i = 0; i < ns; i++) {
		snprintf(scode[i], 11, "%010zu", (1000000000 + i) % 10000000000u);
		sch[i].code = scode[i];
		sch[i].name = "职业学校";
		sch[i].city = ccode[i / (size_t)per];
		in[i].school = scode[i];
		in[i].year = 2024;
		in[i].n = 200;
	}
	for (size_t i = 0; i < nspec; i++) {
		struct voc_specialty *s = &sp[i];
		s->school = scode[i / (size_t)nsp];
		s->version = "2021";
		s->code = spcode[i % (size_t)nsp];
		s->name = "专业";
		s->category = cats[i % (size_t)nsp % 8];
		s->opened_year = 2005 + (int)(rnd() * 19);
		s->closed_year = rnd() < 0.02 ? 2024 : 0;
		s->key_industries = rnd() < 0.87 ? "IND01" : NULL;
		s->years = &yr[i * (size_t)years];
		s->nyears = (size_t)years;
		for (int y = 0; y < years; y++) {
			struct voc_year *v = &yr[i * (size_t)years + (size_t)y];
			double rate = rnd() < 0.05 ? 0.45 + 0.1 * rnd() : 0.6 + 0.4 * rnd();
			v->year = 2024 - years + 1 + y;
			v->enrolled = 30 + (long)(60 * rnd());
			v->graduates = rnd() < 0.02 ? 0 : 30 + (long)(50 * rnd());
			v->employed = (long)(v->graduates * rate * 0.75);
			v->further_study = (long)(v->graduates * rate) - v->employed;
			v->in_trade = v->employed * 3 / 4;
			v->surveyed = 4 + (long)(8 * rnd());
			v->satisfied = v->surveyed - 1;
		}
	}
	for (size_t k = 0; k < ncoop; k++) {
		snprintf(cc[k], 19, "91%06zu%09zu", 110000 + k % 1000, k % 1000000000);
		cc[k][17] = credit_code_check_char(cc[k]);
		co[k].school = scode[k / 40];
		co[k].credit_code = cc[k];
		co[k].kind = (enum voc_coop_kind)(k % 4);
		co[k].start_year = 2019 + (int)(k % 6);
		co[k].students = 30;
		if (k % 4 < 2) {
			co[k].version = "2021";
			co[k].specialty = spcode[k % (size_t)nsp];
		}
	}
	for (size_t k = 0; k < nbase; k++) {
		ba[k].code = "TB";
		ba[k].school = scode[k / 2];
		ba[k].investment = 1e7;
		ba[k].equipment_value = 4e6;
		ba[k].capacity = 200;
		ba[k].opened_year = 2015;
	}
	memset(&f, 0, sizeof(f));
	f.schools = sch;
	f.nschools = ns;
	f.specs = sp;
	f.nspecs = nspec;
	f.coops = co;
	f.ncoops = ncoop;
	f.bases = ba;
	f.nbases = nbase;
	f.interns = in;
	f.ninterns = ns;
	for (int cond = 0; cond < 2; cond++) {
		double best = 1e9, total = 0;
		size_t rows = 0, fails = 0;
		p.cond = cond ? VOC_COND_PEER_BOTTOM : VOC_COND_EMPLOYMENT;
		for (int r = 0; r < reps; r++) {
			struct result_set rs;
			double t0, t;
			results_init(&rs);
			t0 = eval_clock();
			if (voc_run(&p, &f, 2024, &rs, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				return 1;
			}
			t = eval_clock() - t0;
			best = t < best ? t : best;
			total += t;
			rows = rs.nr;
			fails = 0;
			for (size_t i = 0; i < rs.nr; i++)
				fails += rs.v[i].verdict == V_FAIL && !strcmp(rs.v[i].indicator, "VOC.REVIEW");
			results_release(&rs);
		}
		printf("vocational engine (%s): %zu schools, %zu specialties x %d years, %zu "
		       "cooperations: best %.3f s, mean %.3f s over %d runs; %zu results, %zu to "
		       "close\n", voc_cond_name(p.cond), ns, nspec, years, ncoop, best, total / reps,
		       reps, rows, fails);
	}
	return 0;
}
