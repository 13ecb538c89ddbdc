/* eng_curriculum.c: the curriculum checks (SPEC §2.6): every school's weekly hours of
 * 铸牢中华民族共同体意识 at least the rule's minimum, and 道德与法治's share of the
 * nine-year class hours within the rule's band. Pure: see eng_assessment.h.
 *
 * The band is about the nine years (义务教育课程方案 2022: 道德与法治 6%-8% of the nine
 * years' hours), so a school teaching both stages is judged on its own weekly share, while a
 * primary-only or junior-only school is reported with its share and judged through its
 * county: CUR.ML.COUNTY weights the county's mean primary and junior weekly hours by the
 * years of each stage (6 and 3 by default, rule parameters). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_assessment.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

/* Float noise only (hours are entered with one decimal); not a policy threshold. */
#define EPS 1e-9

static int by_county(const void *a, const void *b)
{
	const struct cur_school *const *x = a, *const *y = b;
	int c = strcmp((*x)->county ? (*x)->county : "", (*y)->county ? (*y)->county : "");
	return c ? c : strcmp((*x)->code, (*y)->code);
}

static void school_rows(const struct cur_school *s, int year, const struct cur_params *p,
			struct result_set *out)
{
	struct buf ev = BUF_INIT;
	int known = isfinite(s->total) && s->total > 0;
	double share = known ? s->morality_law / s->total : NAN;
	enum verdict v;

	if (!s->has_return) {
		results_add_row(out, "CUR.ETHNIC", "school", s->code, "", year, NAN, NAN, NAN,
				p->ethnic_unity_min, V_NA,
				"{\"reason\":\"no curriculum return for the year\"}");
		return;
	}
	buf_adds(&ev, "{\"name\":");
	buf_add_json_str(&ev, s->name);
	buf_addf(&ev, ",\"hours_per_week\":%g,\"min\":%g", s->ethnic_unity, p->ethnic_unity_min);
	if (s->ethnic_unity + EPS < p->ethnic_unity_min)
		buf_addf(&ev, ",\"note\":\"%g h/week, below %g\"", s->ethnic_unity,
			 p->ethnic_unity_min);
	buf_addch(&ev, '}');
	results_add_row(out, "CUR.ETHNIC", "school", s->code, "", year, s->ethnic_unity,
			s->ethnic_unity, NAN, p->ethnic_unity_min,
			s->ethnic_unity + EPS >= p->ethnic_unity_min ? V_PASS : V_FAIL, ev.buf);
	buf_reset(&ev);
	buf_adds(&ev, "{\"name\":");
	buf_add_json_str(&ev, s->name);
	buf_addf(&ev, ",\"morality_law_hours\":%g,", s->morality_law);
	if (known)
		buf_addf(&ev, "\"total_hours\":%g,\"min_share\":%g,\"max_share\":%g", s->total,
			 p->ml_min, p->ml_max);
	else
		buf_adds(&ev, "\"total_hours\":null,\"reason\":\"total class hours unknown\"");
	if (!known)
		v = V_NA;
	else if (s->stages != CUR_BOTH) {
		v = V_NA;
		buf_adds(&ev, ",\"note\":\"single-stage school: the band applies to the nine years "
			 "and is judged in CUR.ML.COUNTY\"");
	} else {
		v = share + EPS >= p->ml_min && share - EPS <= p->ml_max ? V_PASS : V_FAIL;
	}
	buf_addch(&ev, '}');
	results_add_row(out, "CUR.ML.SHARE", "school", s->code, "", year, share, s->morality_law,
			known ? s->total : NAN, p->ml_min, v, ev.buf);
	buf_release(&ev);
}

static void county_rows(const struct cur_school *const *v, size_t n, int year,
			const struct cur_params *p, struct result_set *out)
{
	struct buf ev = BUF_INIT;
	size_t with_return = 0, below = 0, np = 0, nj = 0;
	double mlp = 0, tp = 0, mlj = 0, tj = 0, share = NAN;
	const char *county = v[0]->county ? v[0]->county : "";
	enum verdict verd;

	buf_adds(&ev, "{\"below\":[");
	for (size_t i = 0; i < n; i++) {
		const struct cur_school *s = v[i];
		if (!s->has_return)
			continue;
		with_return++;
		if (s->ethnic_unity + EPS < p->ethnic_unity_min) {
			if (below++)
				buf_addch(&ev, ',');
			buf_adds(&ev, "{\"code\":");
			buf_add_json_str(&ev, s->code);
			buf_adds(&ev, ",\"name\":");
			buf_add_json_str(&ev, s->name);
			buf_addf(&ev, ",\"hours_per_week\":%g}", s->ethnic_unity);
		}
		if (!isfinite(s->total) || s->total <= 0)
			continue;
		if (s->stages & CUR_PRIMARY) {
			np++;
			mlp += s->morality_law;
			tp += s->total;
		}
		if (s->stages & CUR_JUNIOR) {
			nj++;
			mlj += s->morality_law;
			tj += s->total;
		}
	}
	buf_addf(&ev, "],\"min\":%g}", p->ethnic_unity_min);
	results_add_row(out, "CUR.ETHNIC.COUNTY", "county", county, "", year, (double)below,
			(double)below, (double)with_return, p->ethnic_unity_min,
			!with_return ? V_NA : below ? V_FAIL : V_PASS,
			with_return ? ev.buf : "{\"reason\":\"no school of the county has a curriculum "
						"return for the year\"}");
	buf_reset(&ev);
	if (np && nj) {
		double num = p->primary_years * mlp / (double)np + p->junior_years * mlj / (double)nj;
		double den = p->primary_years * tp / (double)np + p->junior_years * tj / (double)nj;
		share = den > 0 ? num / den : NAN;
	}
	buf_addf(&ev, "{\"primary\":{\"schools\":%zu,\"mean_morality_law\":%.4g,"
		 "\"mean_total\":%.4g},\"junior\":{\"schools\":%zu,\"mean_morality_law\":%.4g,"
		 "\"mean_total\":%.4g},\"years\":[%g,%g],\"min_share\":%g,\"max_share\":%g",
		 np, np ? mlp / (double)np : 0, np ? tp / (double)np : 0, nj,
		 nj ? mlj / (double)nj : 0, nj ? tj / (double)nj : 0, p->primary_years,
		 p->junior_years, p->ml_min, p->ml_max);
	if (!isfinite(share)) {
		buf_adds(&ev, ",\"reason\":\"the county needs schools of both stages with total class "
			 "hours\"");
		verd = V_NA;
	} else {
		verd = share + EPS >= p->ml_min && share - EPS <= p->ml_max ? V_PASS : V_FAIL;
	}
	buf_addch(&ev, '}');
	results_add_row(out, "CUR.ML.COUNTY", "county", county, "", year, share, NAN, NAN,
			p->ml_min, verd, ev.buf);
	buf_release(&ev);
}

void curriculum_run(const struct cur_school *s, int n, int year, const struct cur_params *p,
		    struct result_set *out)
{
	const struct cur_school **v = xcalloc((size_t)n + 1, sizeof(*v));
	size_t nv = 0;

	for (int i = 0; i < n; i++)
		if (s[i].has_return || s[i].stages != CUR_OTHER)
			v[nv++] = &s[i];
	qsort(v, nv, sizeof(*v), by_county);
	for (size_t i = 0; i < nv; i++)
		school_rows(v[i], year, p, out);
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && !strcmp(v[j]->county ? v[j]->county : "",
					 v[i]->county ? v[i]->county : ""))
			j++;
		county_rows(v + i, j - i, year, p, out);
		i = j;
	}
	free(v);
}
