/* eng_seats.c: the seat-planning engine: capacity per planning area x stage x year, gaps
 * and matching degree (never netted across areas), proposals for shortages (standard new
 * schools or expansions), merger candidates for persistent surpluses, and the scoring of
 * stored forecast vintages against actuals (see eng_seats.h). Pure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_seats.h"
#include "xmalloc.h"
#include "banned.h"

const char *seat_stage_name(int stage)
{
	static const char *const names[ST_N] = { "primary", "junior", "senior" };
	return stage >= 0 && stage < ST_N ? names[stage] : "";
}

int seat_stage_of_grade(int grade)
{
	return grade <= 6 ? ST_PRIMARY : grade <= 9 ? ST_JUNIOR : ST_SENIOR;
}

void seats_school_capacity(const struct seat_school *s, const struct seat_params *p,
			   double out[ST_N])
{
	double tot = 0;

	for (int st = 0; st < ST_N; st++) {
		out[st] = s->classes[st] * p->class_size[st];
		tot += out[st];
	}
	if (isnan(s->declared_seats))
		return;
	/* declared seats win, split over the stages in proportion to the class capacity */
	for (int st = 0; st < ST_N; st++)
		out[st] = tot > 0 ? s->declared_seats * out[st] / tot : 0;
	if (tot <= 0) {
		/* no classes reported: all declared seats go to the stage with pupils */
		int best = 0;
		for (int st = 1; st < ST_N; st++)
			if (s->pupils[st] > s->pupils[best])
				best = st;
		out[best] = s->declared_seats;
	}
}

/* Seats of a project per stage. */
static void project_seats(const struct seat_project *pj, double out[ST_N])
{
	const char *t = pj->school_type;
	double s = pj->seats, ps = pj->primary_seats;

	out[0] = out[1] = out[2] = 0;
	if (!strcmp(pj->kind, "renovation"))
		return;
	if (!strcmp(t, "primary")) {
		out[ST_PRIMARY] = s;
	} else if (!strcmp(t, "junior")) {
		out[ST_JUNIOR] = s;
	} else if (!strcmp(t, "senior")) {
		out[ST_SENIOR] = s;
	} else if (!strcmp(t, "nine_year")) {
		/* primary_seats given, else by grades (6 of 9) */
		out[ST_PRIMARY] = isnan(ps) ? s * 6 / 9 : ps;
		out[ST_JUNIOR] = s - out[ST_PRIMARY];
	} else if (!strcmp(t, "complete_middle")) {
		out[ST_JUNIOR] = s / 2;
		out[ST_SENIOR] = s / 2;
	} else if (!strcmp(t, "twelve_year")) {
		out[ST_PRIMARY] = isnan(ps) ? s / 2 : ps;
		out[ST_JUNIOR] = (s - out[ST_PRIMARY]) / 2;
		out[ST_SENIOR] = (s - out[ST_PRIMARY]) / 2;
	}
}

void seats_capacity(const struct seat_input *in, const struct seat_params *p, double *cap)
{
	size_t n = (size_t)in->nareas * in->nyears * ST_N;

	memset(cap, 0, sizeof(double) * n);
	for (int i = 0; i < in->nschools; i++) {
		const struct seat_school *s = &in->schools[i];
		double c[ST_N];
		if (s->area < 0 || s->area >= in->nareas)
			continue;
		seats_school_capacity(s, p, c);
		for (int y = 0; y < in->nyears; y++)
			for (int st = 0; st < ST_N; st++)
				cap[((size_t)s->area * in->nyears + y) * ST_N + st] += c[st];
	}
	for (int i = 0; i < in->nprojects; i++) {
		const struct seat_project *pj = &in->projects[i];
		double c[ST_N];
		if (pj->area < 0 || pj->area >= in->nareas)
			continue;
		project_seats(pj, c);
		for (int y = 0; y < in->nyears; y++)
			if (in->first_year + y >= pj->completion_year)
				for (int st = 0; st < ST_N; st++)
					cap[((size_t)pj->area * in->nyears + y) * ST_N + st] += c[st];
	}
}

void seats_propose(double shortage, int stage, const struct seat_params *p,
		   struct seat_proposal *pr)
{
	const int *sz = p->std_classes[stage];
	double cs = p->class_size[stage];
	int nsz = 0;

	memset(pr, 0, sizeof(*pr));
	pr->shortage = shortage;
	while (nsz < 4 && sz[nsz] > 0)
		nsz++;
	if (!(shortage > 0))
		return;
	if (!(cs > 0)) {
		/* no usable class size (the loader rejects one): no sizing by classes */
		pr->seats = shortage;
		return;
	}
	if (nsz == 0 || shortage < sz[0] * cs / 2) {
		/* too small for a standard school: expand existing schools by whole classes */
		pr->seats = ceil(shortage / cs - 1e-9) * cs;
		return;
	}
	{
		double largest = sz[nsz - 1] * cs, rem;
		/* capped as a double: a huge shortage must not overflow the conversion */
		double q = ceil(shortage / largest - 1e-9);
		int n = q > 16 ? 16 : q < 1 ? 1 : (int)q;
		for (int i = 0; i < n - 1; i++) {
			pr->classes[i] = sz[nsz - 1];
			pr->seats += largest;
		}
		rem = shortage - pr->seats;
		for (int k = 0; k < nsz; k++)
			if (sz[k] * cs >= rem - 1e-9 || k == nsz - 1) {
				pr->classes[n - 1] = sz[k];
				pr->seats += sz[k] * cs;
				break;
			}
		pr->nschools = n;
	}
}

static void add_row(struct result_set *out, const char *kind, const char *ind,
		    const char *area, int stage, int year, double value, double num, double den,
		    double thr, enum verdict v, const char *evidence)
{
	results_add_row(out, ind, kind ? kind : "county", area, seat_stage_name(stage), year, value,
			num, den, thr, v, evidence);
}

struct util {
	int i;
	double u;
};

static int cmp_util(const void *a, const void *b)
{
	double x = ((const struct util *)a)->u, y = ((const struct util *)b)->u;
	return x < y ? -1 : x > y;
}

const char *seats_shortage_kind(double demand, double seats, const double *iv)
{
	if (!iv || isnan(iv[0]))
		return demand > seats ? "possible" : "";
	if (iv[0] > seats)
		return "certain";
	return iv[3] > seats ? "possible" : "";
}

int seats_evaluate(const struct seat_input *in, const struct seat_params *p,
		   struct result_set *out, struct err *e)
{
	int A = in->nareas, Y = in->nyears;
	double *cap, *exist;
	struct buf ev = BUF_INIT;
	struct seat_input none;

	if (A < 0 || Y < 1)
		return err_set(e, ERR_USAGE, "seat evaluation needs at least one year");
	cap = xmalloc(sizeof(double) * ((size_t)A * Y * ST_N + 1));
	exist = xmalloc(sizeof(double) * ((size_t)A * Y * ST_N + 1));
	seats_capacity(in, p, cap);
	none = *in;
	none.nprojects = 0;
	seats_capacity(&none, p, exist);

	for (int a = 0; a < A; a++) {
		const char *code = in->area_code[a];
		for (int st = 0; st < ST_N; st++) {
			double worst = 0;
			int first_short = 0, run = 0, longest = 0, run_end = 0;
			int any_demand = 0;

			for (int y = 0; y < Y; y++) {
				size_t k = ((size_t)a * Y + y) * ST_N + st;
				double d = in->demand[k], s = cap[k], gap = d - s;
				double m = s > 0 ? d / s : NAN;
				int year = in->first_year + y;
				int scen = in->scenario && in->scenario[k];
				enum verdict v;

				if (isnan(d) && s > 0) {
					/* seats but no forecast (no returns at the origin): say so
					 * instead of leaving the area out of the assessment */
					buf_reset(&ev);
					buf_addf(&ev, "{\"reason\":\"no forecast demand (no grade "
						 "returns at the origin)\",\"seats\":%.0f}", s);
					add_row(out, in->unit_kind, "SEAT.GAP", code, st, year, NAN,
						NAN, s, 0, V_NA, ev.buf);
					add_row(out, in->unit_kind, "SEAT.MATCH", code, st, year, NAN,
						NAN, s, 1, V_NA, ev.buf);
					run = 0;
					continue;
				}
				if (isnan(d) || (d <= 0 && s <= 0))
					continue;
				any_demand = 1;
				v = gap > 0 ? V_FAIL : (!isnan(m) && m < p->surplus_match) ? V_WARN : V_PASS;
				buf_reset(&ev);
				buf_addf(&ev, "{\"demand\":%.1f,\"seats\":%.0f,\"existing_seats\":%.0f,"
					 "\"project_seats\":%.0f,\"births_scenario\":", d, s, exist[k],
					 s - exist[k]);
				if (scen)
					buf_add_json_str(&ev, in->scenario_label ? in->scenario_label : "");
				else
					buf_adds(&ev, "null");
				if (in->interval && !isnan(in->interval[k * 4])) {
					const double *iv = in->interval + k * 4;
					buf_addf(&ev, ",\"interval_80\":[%.1f,%.1f],\"interval_95\":"
						 "[%.1f,%.1f]", iv[1], iv[2], iv[0], iv[3]);
				}
				buf_adds(&ev, ",\"shortage\":");
				buf_add_json_str(&ev, seats_shortage_kind(d, s, in->interval ?
							in->interval + k * 4 : NULL));
				buf_adds(&ev, ",\"projects\":[");
				for (int i = 0, n = 0; i < in->nprojects; i++) {
					const struct seat_project *pj = &in->projects[i];
					double c[ST_N];
					if (pj->area != a || pj->completion_year > year)
						continue;
					project_seats(pj, c);
					if (c[st] <= 0)
						continue;
					buf_addf(&ev, "%s{\"code\":", n++ ? "," : "");
					buf_add_json_str(&ev, pj->code);
					buf_addf(&ev, ",\"seats\":%.0f,\"completion_year\":%d}", c[st],
						 pj->completion_year);
				}
				buf_adds(&ev, "]}");
				add_row(out, in->unit_kind, "SEAT.GAP", code, st, year, gap, d, s, 0, v, ev.buf);
				add_row(out, in->unit_kind, "SEAT.MATCH", code, st, year, m, d, s, 1, v, ev.buf);
				if (gap > 0) {
					if (!first_short)
						first_short = year;
					if (gap > worst)
						worst = gap;
				}
				if (!isnan(m) && m < p->surplus_match) {
					if (++run > longest) {
						longest = run;
						run_end = year;
					}
				} else {
					run = 0;
				}
			}
			if (!any_demand)
				continue;
			if (worst > 0) {
				struct seat_proposal pr;
				seats_propose(worst, st, p, &pr);
				pr.year_needed = first_short;
				buf_reset(&ev);
				buf_addf(&ev, "{\"shortage\":%.0f,\"year_needed\":%d,\"kind\":\"%s\","
					 "\"schools\":[", worst, first_short,
					 pr.nschools ? "new_schools" : "expansion");
				for (int i = 0; i < pr.nschools; i++)
					buf_addf(&ev, "%s{\"classes\":%d,\"seats\":%.0f}", i ? "," : "",
						 pr.classes[i], pr.classes[i] * p->class_size[st]);
				buf_addf(&ev, "],\"class_size\":%.0f,\"seats\":%.0f}", p->class_size[st],
					 pr.seats);
				add_row(out, in->unit_kind, "SEAT.PROPOSAL", code, st, first_short, pr.seats, worst,
					NAN, 0, V_FAIL, ev.buf);
			}
			if (longest >= p->surplus_years && longest > 0) {
				/* merger candidates: the area's schools of the stage, least used first */
				struct util *u = xmalloc(sizeof(*u) * ((size_t)in->nschools + 1));
				int nu = 0;
				size_t k = ((size_t)a * Y + (run_end - in->first_year)) * ST_N + st;
				double surplus = cap[k] - in->demand[k];
				for (int i = 0; i < in->nschools; i++) {
					const struct seat_school *s = &in->schools[i];
					double c[ST_N];
					if (s->area != a)
						continue;
					seats_school_capacity(s, p, c);
					if (c[st] <= 0)
						continue;
					u[nu].i = i;
					u[nu].u = s->pupils[st] / c[st];
					nu++;
				}
				qsort(u, (size_t)nu, sizeof(*u), cmp_util);
				buf_reset(&ev);
				buf_addf(&ev, "{\"years\":%d,\"until\":%d,\"match_below\":%g,"
					 "\"merger_candidates\":[", longest, run_end, p->surplus_match);
				for (int j = 0, n = 0; j < nu && n < 5; j++) {
					const struct seat_school *s = &in->schools[u[j].i];
					double c[ST_N];
					if (u[j].u >= p->surplus_match)
						break;
					seats_school_capacity(s, p, c);
					buf_addf(&ev, "%s{\"school\":", n++ ? "," : "");
					buf_add_json_str(&ev, s->code);
					buf_adds(&ev, ",\"name\":");
					buf_add_json_str(&ev, s->name ? s->name : "");
					buf_addf(&ev, ",\"pupils\":%.0f,\"seats\":%.0f,\"use\":%.3f}",
						 s->pupils[st], c[st], u[j].u);
				}
				buf_adds(&ev, "]}");
				add_row(out, in->unit_kind, "SEAT.SURPLUS", code, st, run_end, surplus,
					in->demand[k], cap[k], p->surplus_match, V_WARN, ev.buf);
				free(u);
			}
		}
	}
	buf_release(&ev);
	free(cap);
	free(exist);
	return 0;
}

void seats_score_vintage(const struct seat_vintage_cell *cells, long ncells, int max_lead,
			 struct seat_lead_score *scores)
{
	for (int l = 0; l < max_lead; l++) {
		double sa = 0, ss = 0;
		long n = 0, nc = 0, in = 0;
		for (long i = 0; i < ncells; i++) {
			const struct seat_vintage_cell *c = &cells[i];
			double pe;
			if (c->lead != l + 1 || !(c->actual > 0) || isnan(c->forecast))
				continue;
			pe = 100.0 * (c->forecast - c->actual) / c->actual;
			sa += fabs(pe);
			ss += pe;
			n++;
			if (!isnan(c->lo80) && !isnan(c->hi80)) {
				nc++;
				in += c->actual >= c->lo80 && c->actual <= c->hi80;
			}
		}
		scores[l].lead = l + 1;
		scores[l].n = n;
		scores[l].mape = n ? sa / n : NAN;
		scores[l].bias = n ? ss / n : NAN;
		scores[l].ncov = nc;
		scores[l].cov80 = nc ? 100.0 * (double)in / (double)nc : NAN;
	}
}
