/* eng_groups.c: the education-groups engine: coverage with its denominator, per-group
 * figures, 优秀率 outcomes, change since joining, and the difference-in-differences estimate
 * with a bootstrap interval over schools (see eng_groups.h). Pure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_groups.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

int grp_is_member(const struct grp_member *m, int y)
{
	return m->joined <= y && (m->left == 0 || m->left > y);
}

/* ---- bootstrap ---- */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int draw(uint64_t *s, int n)
{
	return (int)(((splitmix64(s) >> 32) * (uint64_t)n) >> 32);
}

static double pooled_change(const struct grp_did_school *v, int n, const int *pick,
			    double *base, double *post)
{
	double be = 0, bc = 0, pe = 0, pc = 0;
	for (int i = 0; i < n; i++) {
		const struct grp_did_school *s = &v[pick ? pick[i] : i];
		be += s->base_exc;
		bc += s->base_cand;
		pe += s->post_exc;
		pc += s->post_cand;
	}
	if (base)
		*base = bc > 0 ? be / bc : NAN;
	if (post)
		*post = pc > 0 ? pe / pc : NAN;
	return bc > 0 && pc > 0 ? pe / pc - be / bc : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void grp_did_compute(const struct grp_did_school *t, int nt, const struct grp_did_school *c,
		     int nc, const struct grp_params *p, struct grp_did *o)
{
	double *rep;
	int *pt, *pc, nrep = 0;
	uint64_t seed = p->seed;

	memset(o, 0, sizeof(*o));
	o->nt = nt;
	o->nc = nc;
	o->lo = o->hi = NAN;
	o->estimate = pooled_change(t, nt, NULL, &o->t_base, &o->t_post) -
		      pooled_change(c, nc, NULL, &o->c_base, &o->c_post);
	if (nt < p->min_schools || nc < p->min_schools || nt < 1 || nc < 1 || isnan(o->estimate) ||
	    p->reps < 1)
		return;
	rep = xcalloc((size_t)p->reps, sizeof(double));
	pt = xcalloc((size_t)nt, sizeof(int));
	pc = xcalloc((size_t)nc, sizeof(int));
	for (int r = 0; r < p->reps; r++) {
		double d;
		for (int i = 0; i < nt; i++)
			pt[i] = draw(&seed, nt);
		for (int i = 0; i < nc; i++)
			pc[i] = draw(&seed, nc);
		d = pooled_change(t, nt, pt, NULL, NULL) - pooled_change(c, nc, pc, NULL, NULL);
		if (!isnan(d))
			rep[nrep++] = d;
	}
	if (nrep > 0) {
		double a = (1 - p->level) / 2;
		int klo = (int)floor(a * (nrep + 1)) - 1, khi = (int)ceil((1 - a) * (nrep + 1)) - 1;
		qsort(rep, (size_t)nrep, sizeof(double), cmp_double);
		klo = klo < 0 ? 0 : klo;
		khi = khi > nrep - 1 ? nrep - 1 : khi;
		o->lo = rep[klo];
		o->hi = rep[khi];
		o->distinguishable = o->lo > 0 || o->hi < 0;
	}
	free(rep);
	free(pt);
	free(pc);
}

/* ---- evaluation ---- */

struct st {
	const struct grp_params *p;
	const struct grp_input *in;
	int year;
	int *group_of;            /* [school]: the group it is a member of in year, or -1 */
	int *joined;              /* [school]: the year it joined that group */
	int *ever;                /* [school]: a member in any year of [base, year] */
	size_t *efirst;           /* [school + 1]: exams by school (counting sort) */
	const struct grp_exam **ex;
	struct result_set *out;
};

static const struct grp_exam *exam(const struct st *S, int school, int year)
{
	for (size_t k = S->efirst[school]; k < S->efirst[school + 1]; k++)
		if (S->ex[k]->year == year)
			return S->ex[k];
	return NULL;
}

static double rate(const struct grp_exam *x)
{
	return x && x->candidates > 0 ? x->excellent / x->candidates : NAN;
}

static void coverage_rows(struct st *S)
{
	const struct grp_input *in = S->in;
	long *num = xcalloc((size_t)in->ncounties + 1, sizeof(long));
	long *den = xcalloc((size_t)in->ncounties + 1, sizeof(long));
	long *outside = xcalloc((size_t)in->ncounties + 1, sizeof(long));
	int active = 0;
	struct buf ev = BUF_INIT;

	for (int s = 0; s < in->nschools; s++) {
		int c = in->schools[s].county >= 0 ? in->schools[s].county : in->ncounties;
		int member = S->group_of[s] >= 0;
		if (in->schools[s].in_denominator) {
			den[c]++;
			num[c] += member;
		} else {
			outside[c] += member;
		}
	}
	for (int g = 0; g < in->ngroups; g++)
		for (int m = 0; m < in->nmembers; m++)
			if (in->members[m].group == g && grp_is_member(&in->members[m], S->year)) {
				active++;
				break;
			}
	for (int c = 0; c <= in->ncounties; c++) {
		if (c < in->ncounties) {
			num[in->ncounties] += num[c];
			den[in->ncounties] += den[c];
			outside[in->ncounties] += outside[c];
		}
	}
	for (int c = 0; c <= in->ncounties; c++) {
		int city = c == in->ncounties;
		if (!den[c] && !city)
			continue;
		buf_reset(&ev);
		buf_adds(&ev, "{\"denominator\":");
		buf_add_json_str(&ev, S->p->denominator);
		buf_addf(&ev, ",\"as_of\":\"%04d-09-01\",\"schools_in_groups\":%ld,"
			 "\"members_outside_denominator\":%ld", S->year % 10000, num[c],
			 outside[c]);
		if (city)
			buf_addf(&ev, ",\"groups\":%d", active);
		buf_addch(&ev, '}');
		results_add_row(S->out, "GRP.COVERAGE", city ? "city" : "county",
				city ? in->city_code : in->county_code[c], "", S->year,
				den[c] ? (double)num[c] / (double)den[c] : NAN, (double)num[c],
				(double)den[c], NAN, V_NA, ev.buf);
	}
	buf_release(&ev);
	free(num);
	free(den);
	free(outside);
}

static void group_rows(struct st *S)
{
	const struct grp_input *in = S->in;
	long *exch = xcalloc((size_t)in->ngroups + 1, sizeof(long));
	struct buf ev = BUF_INIT;

	for (size_t i = 0; i < in->nexchanges; i++) {
		const struct grp_exchange *x = &in->exchanges[i];
		if (x->from >= 0 && x->to >= 0 && S->group_of[x->from] >= 0 &&
		    S->group_of[x->from] == S->group_of[x->to])
			exch[S->group_of[x->from]]++;
	}
	for (int g = 0; g < in->ngroups; g++) {
		const struct grp_group *gr = &in->groups[g];
		long n = 0, rural = 0;
		double pupils = 0;

		buf_reset(&ev);
		buf_adds(&ev, "{\"name\":");
		buf_add_json_str(&ev, gr->name);
		buf_adds(&ev, ",\"lead\":");
		buf_add_json_str(&ev, gr->lead >= 0 ? in->schools[gr->lead].code : "");
		buf_adds(&ev, ",\"lead_name\":");
		buf_add_json_str(&ev, gr->lead >= 0 ? in->schools[gr->lead].name : "");
		buf_addf(&ev, ",\"founded\":%d,\"members\":[", gr->founded);
		for (int m = 0; m < in->nmembers; m++) {
			const struct grp_member *mb = &in->members[m];
			const struct grp_school *s;
			if (mb->group != g || !grp_is_member(mb, S->year))
				continue;
			s = &in->schools[mb->school];
			buf_adds(&ev, n ? ",{\"school\":" : "{\"school\":");
			buf_add_json_str(&ev, s->code);
			buf_adds(&ev, ",\"name\":");
			buf_add_json_str(&ev, s->name);
			buf_addf(&ev, ",\"rural\":%s,\"pupils\":%.10g,\"joined\":%d}",
				 s->rural ? "true" : "false", s->pupils, mb->joined);
			n++;
			rural += s->rural;
			pupils += s->pupils;
		}
		buf_addf(&ev, "],\"rural\":%ld,\"urban\":%ld,\"pupils\":%.10g,"
			 "\"exchanges_in_group\":%ld}", rural, n - rural, pupils, exch[g]);
		results_add_row(S->out, "GRP.MEMBERS", "group", gr->code, "", S->year, (double)n,
				(double)rural, (double)n, NAN, V_NA, ev.buf);
		results_add_row(S->out, "GRP.EXCH", "group", gr->code, "", S->year, (double)exch[g],
				(double)exch[g], NAN, NAN, V_NA, ev.buf);
	}
	buf_release(&ev);
	free(exch);
}

/* 优秀率 per member and year, and the change since joining. */
static void member_outcome_rows(struct st *S)
{
	const struct grp_input *in = S->in;
	char ev[256];

	for (int s = 0; s < in->nschools; s++) {
		const struct grp_exam *post, *base = NULL, *first = NULL;
		if (S->group_of[s] < 0 || S->efirst[s] == S->efirst[s + 1])
			continue;
		for (size_t k = S->efirst[s]; k < S->efirst[s + 1]; k++) {
			const struct grp_exam *x = S->ex[k];
			if (x->year > S->year)
				continue;
			snprintf(ev, sizeof(ev), "{\"group\":\"%s\",\"joined\":%d}",
				 in->groups[S->group_of[s]].code, S->joined[s]);
			results_add_row(S->out, "GRP.EXCELLENT", "school", in->schools[s].code, "",
					x->year, rate(x), x->excellent, x->candidates, NAN, V_NA, ev);
			if (x->year <= S->joined[s] && (!base || x->year > base->year))
				base = x;
			if (!first || x->year < first->year)
				first = x;
		}
		post = exam(S, s, S->year);
		if (!base)
			base = first;
		if (!post || !base)
			continue;
		snprintf(ev, sizeof(ev), "{\"group\":\"%s\",\"joined\":%d,\"base_year\":%d,"
			 "\"base_rate\":%.10g,\"rate\":%.10g,\"base_after_joining\":%s}",
			 in->groups[S->group_of[s]].code, S->joined[s], base->year, rate(base),
			 rate(post), base->year > S->joined[s] ? "true" : "false");
		results_add_row(S->out, "GRP.CHANGE", "school", in->schools[s].code, "", S->year,
				rate(post) - rate(base), rate(post), rate(base), NAN, V_NA, ev);
	}
}

static void pooled_series(struct st *S, const char *ind, const int *set, int n, int y0,
			  int y1)
{
	char ev[96];
	for (int y = y0; y <= y1; y++) {
		double e = 0, c = 0;
		int k = 0;
		for (int i = 0; i < n; i++) {
			const struct grp_exam *x = exam(S, set[i], y);
			if (x) {
				e += x->excellent;
				c += x->candidates;
				k++;
			}
		}
		if (!k)
			continue;
		snprintf(ev, sizeof(ev), "{\"schools\":%d}", k);
		results_add_row(S->out, ind, "city", S->in->city_code, "", y, c > 0 ? e / c : NAN, e,
				c, NAN, V_NA, ev);
	}
}

static void did_rows(struct st *S)
{
	const struct grp_input *in = S->in;
	int base = S->year - S->p->base_lag, nt = 0, nc = 0, nts = 0, ncs = 0;
	int y0 = S->year, *tset = xcalloc((size_t)in->nschools + 1, sizeof(int));
	int *cset = xcalloc((size_t)in->nschools + 1, sizeof(int));
	struct grp_did_school *t = xcalloc((size_t)in->nschools + 1, sizeof(*t));
	struct grp_did_school *c = xcalloc((size_t)in->nschools + 1, sizeof(*c));
	struct grp_did d;
	struct buf ev = BUF_INIT;
	enum verdict v;

	for (size_t k = 0; k < in->nexams; k++)
		if (in->exams[k].year < y0)
			y0 = in->exams[k].year;
	for (int s = 0; s < in->nschools; s++) {
		const struct grp_exam *b, *p;
		int treated = S->group_of[s] >= 0, control = !S->ever[s];
		if (!in->schools[s].rural || S->efirst[s] == S->efirst[s + 1] || (!treated && !control))
			continue;
		if (treated)
			tset[nts++] = s;
		else
			cset[ncs++] = s;
		b = exam(S, s, base);
		p = exam(S, s, S->year);
		if (!b || !p || b->candidates <= 0 || p->candidates <= 0)
			continue;
		if (treated)
			t[nt++] = (struct grp_did_school){ b->excellent, b->candidates, p->excellent,
							   p->candidates };
		else
			c[nc++] = (struct grp_did_school){ b->excellent, b->candidates, p->excellent,
							   p->candidates };
	}
	pooled_series(S, "GRP.RURAL.EXCELLENT", tset, nts, y0, S->year);
	pooled_series(S, "GRP.CONTROL.EXCELLENT", cset, ncs, y0, S->year);
	grp_did_compute(t, nt, c, nc, S->p, &d);

	buf_addf(&ev, "{\"base_year\":%d,\"year\":%d,\"treated_schools\":%d,"
		 "\"control_schools\":%d", base, S->year, nt, nc);
#define EVN(k_, v_) buf_addf(&ev, isfinite(v_) ? ",\"" k_ "\":%.10g" : ",\"" k_ "\":null", v_)
	EVN("treated_base", d.t_base);
	EVN("treated_post", d.t_post);
	EVN("control_base", d.c_base);
	EVN("control_post", d.c_post);
	EVN("interval_low", d.lo);
	EVN("interval_high", d.hi);
	EVN("level", S->p->level);
#undef EVN
	buf_addf(&ev, ",\"bootstrap_reps\":%d,\"seed\":%llu,\"statement\":", S->p->reps,
		 (unsigned long long)S->p->seed);
	if (nt < S->p->min_schools || nc < S->p->min_schools || isnan(d.estimate)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "too few schools with results in both %d and %d "
			 "(%d rural members, %d comparison schools; at least %d each): no estimate",
			 base, S->year, nt, nc, S->p->min_schools);
		buf_add_json_str(&ev, msg);
		v = V_NA;
	} else if (!d.distinguishable) {
		buf_add_json_str(&ev, "the interval includes 0: the data cannot tell the group "
			   "effect apart from the change in comparable schools outside groups");
		v = V_NA;
	} else {
		buf_add_json_str(&ev, d.lo > 0 ? "rural members improved more than comparable "
				 "rural schools outside groups" : "rural members improved less "
				 "than comparable rural schools outside groups");
		v = d.lo > 0 ? V_PASS : V_FAIL;
	}
	buf_addch(&ev, '}');
	results_add_row(S->out, "GRP.DID", "city", in->city_code, "", S->year, d.estimate,
			d.t_post - d.t_base, d.c_post - d.c_base, 0, v, ev.buf);
	buf_release(&ev);
	free(tset);
	free(cset);
	free(t);
	free(c);
}

int grp_run(const struct grp_params *p, const struct grp_input *in, int year,
	    struct result_set *out, struct err *e)
{
	struct st S;
	size_t n = (size_t)in->nschools;

	if (!(p->level > 0 && p->level < 1))
		return err_set(e, ERR_DATA, "groups.outcome interval_level must be between 0 and 1");
	memset(&S, 0, sizeof(S));
	S.p = p;
	S.in = in;
	S.year = year;
	S.out = out;
	S.group_of = xcalloc(n + 1, sizeof(int));
	S.joined = xcalloc(n + 1, sizeof(int));
	S.ever = xcalloc(n + 1, sizeof(int));
	for (size_t s = 0; s < n; s++)
		S.group_of[s] = -1;
	for (int m = 0; m < in->nmembers; m++) {
		const struct grp_member *mb = &in->members[m];
		if (mb->school < 0 || (size_t)mb->school >= n)
			continue;
		if (grp_is_member(mb, year) && S.group_of[mb->school] < 0) {
			S.group_of[mb->school] = mb->group;
			S.joined[mb->school] = mb->joined;
		}
		for (int y = year - p->base_lag; y <= year; y++)
			if (grp_is_member(mb, y))
				S.ever[mb->school] = 1;
	}
	/* exams by school: counting sort */
	S.efirst = xcalloc(n + 2, sizeof(size_t));
	S.ex = xcalloc(in->nexams + 1, sizeof(*S.ex));
	for (size_t k = 0; k < in->nexams; k++)
		if (in->exams[k].school >= 0 && (size_t)in->exams[k].school < n)
			S.efirst[in->exams[k].school + 1]++;
	for (size_t s = 0; s < n; s++)
		S.efirst[s + 1] += S.efirst[s];
	{
		size_t *pos = xcalloc(n + 1, sizeof(size_t));
		memcpy(pos, S.efirst, n * sizeof(size_t));
		for (size_t k = 0; k < in->nexams; k++)
			if (in->exams[k].school >= 0 && (size_t)in->exams[k].school < n)
				S.ex[pos[in->exams[k].school]++] = &in->exams[k];
		free(pos);
	}
	coverage_rows(&S);
	group_rows(&S);
	member_outcome_rows(&S);
	did_rows(&S);
	free(S.group_of);
	free(S.joined);
	free(S.ever);
	free(S.efirst);
	free(S.ex);
	return 0;
}
