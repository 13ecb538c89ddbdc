/* eng_balance.c: the county balance engine (优质均衡): per-school indicators L1-L7 and the
 * school rule, enrolment-weighted CVs and county verdicts, class and school size, junior
 * retention and the 2012 composite CV. Pure: facts and parameters in, result rows out. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_balance.h"
#include "eng_balance_int.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"


const char *const bal_stage_name[BAL_NSTAGES] = { "primary", "junior" };
static const char *const ind_code[BAL_NIND] = {
	"BAL.L1", "BAL.L2", "BAL.L3", "BAL.L4", "BAL.L5", "BAL.L6", "BAL.L7",
};
static const char *const cv_code[BAL_NIND] = {
	"BAL.CV.L1", "BAL.CV.L2", "BAL.CV.L3", "BAL.CV.L4", "BAL.CV.L5", "BAL.CV.L6", "BAL.CV.L7",
};
static const char *const b2012_name[N2012] = {
	"teaching_area", "sports_area", "equipment", "computers", "books", "teachers",
	"qualified_teachers", "titled_teachers",
};

/* One school in one stage. */

int bal_has_stage(const struct bal_school *s, int stage)
{
	switch (s->type) {
	case BAL_T_PRIMARY: return stage == BAL_STAGE_PRIMARY;
	case BAL_T_JUNIOR:
	case BAL_T_COMPLETE_MIDDLE: return stage == BAL_STAGE_JUNIOR;
	case BAL_T_NINE_YEAR:
	case BAL_T_TWELVE_YEAR: return 1;
	case BAL_T_SENIOR: return 0;
	case BAL_T_VOCATIONAL:
	case BAL_T_SPECIAL: {
		/* only when the rules keep them in scope: stages by the grades reported */
		int lo = stage == BAL_STAGE_PRIMARY ? 1 : 7, hi = stage == BAL_STAGE_PRIMARY ? 6 : 9;
		for (int g = lo; g <= hi; g++)
			if (s->pupils[g] > 0)
				return 1;
		return 0;
	}
	}
	return 0;
}

double bal_sum_grades(const struct bal_school *s, int lo, int hi)
{
	double t = 0;
	for (int g = lo; g <= hi; g++)
		t += (double)s->pupils[g];
	return t;
}

void bal_stage_shares(const struct bal_params *p, const struct bal_school *s, double share[2])
{
	double P = bal_sum_grades(s, 1, 6), J = bal_sum_grades(s, 7, 9), S = bal_sum_grades(s, 10, 12);
	double d;

	share[0] = share[1] = 0;
	switch (s->type) {
	case BAL_T_PRIMARY:
		share[0] = 1;
		return;
	case BAL_T_JUNIOR:
		share[1] = 1;
		return;
	case BAL_T_NINE_YEAR:
		d = P + p->nine_year_junior * J;
		if (d > 0) {
			share[0] = P / d;
			share[1] = p->nine_year_junior * J / d;
		}
		return;
	case BAL_T_COMPLETE_MIDDLE:
		d = J + p->complete_middle_senior * S;
		if (d > 0)
			share[1] = J / d;
		return;
	case BAL_T_TWELVE_YEAR:
		d = P + p->twelve_year_junior * J + p->twelve_year_senior * S;
		if (d > 0) {
			share[0] = P / d;
			share[1] = p->twelve_year_junior * J / d;
		}
		return;
	case BAL_T_SENIOR:
		return;
	case BAL_T_VOCATIONAL:
	case BAL_T_SPECIAL:
		/* no rule ratio for these: plain enrolment shares of all grades */
		d = P + J + S;
		if (d > 0) {
			share[0] = P / d;
			share[1] = J / d;
		}
		return;
	}
}

double bal_weighted_cv(const double *x, const double *w, size_t n, double *mean, double *sd)
{
	double W = 0, m = 0, v = 0;

	for (size_t i = 0; i < n; i++) {
		W += w[i];
		m += w[i] * x[i];
	}
	if (mean)
		*mean = NAN;
	if (sd)
		*sd = NAN;
	if (n == 0 || W <= 0)
		return NAN;
	m /= W;
	for (size_t i = 0; i < n; i++)
		v += w[i] * (x[i] - m) * (x[i] - m);
	v /= W;
	if (mean)
		*mean = m;
	if (sd)
		*sd = sqrt(v);
	if (m == 0)
		return NAN;
	return sqrt(v) / m;
}

/* JSON helpers: numbers with 6 significant digits, non-finite as null. */
/* printf("%.6g") for the common range 1e-4 <= |v| < 999999.5 without printf, whose float
 * formatting was half the engine's time on a province; the output is the same (checked
 * against printf on 15 million values), and near-ties and other values go to printf. */
static int fmt_g6(char *out, double v)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10 };
	double a = fabs(v), s;
	unsigned long long n, ip, fp, div;
	int e, dec, len = 0, nd;
	char dig[24];

	if (!(a >= 1e-4 && a < 999999.5))
		return 0;
	e = (int)floor(log10(a));
	if (e < -4)
		e = -4;
	if (e > 5)
		e = 5;
	if (a < (e >= 0 ? p10[e] : 1.0 / p10[-e]))
		e--;
	dec = 5 - e;
	if (dec > 10)
		return 0;
	s = a * p10[dec];
	if (fabs(s - floor(s) - 0.5) < 1e-6)
		return 0; /* near a tie: let printf round it */
	n = (unsigned long long)llround(s);
	if (n >= 1000000ULL) { /* rounded up to the next power of ten */
		if (dec == 0)
			return 0;
		dec--;
		s = a * p10[dec];
		if (fabs(s - floor(s) - 0.5) < 1e-6)
			return 0;
		n = (unsigned long long)llround(s);
	}
	div = (unsigned long long)p10[dec];
	ip = n / div;
	fp = n % div;
	if (v < 0)
		out[len++] = '-';
	nd = 0;
	do {
		dig[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (nd)
		out[len++] = dig[--nd];
	if (fp) {
		nd = dec;
		for (int i = nd - 1; i >= 0; i--) {
			dig[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		while (nd > 0 && dig[nd - 1] == '0')
			nd--;
		out[len++] = '.';
		memcpy(out + len, dig, (size_t)nd);
		len += nd;
	}
	return len;
}

void bal_jnum(struct buf *b, double v)
{
	char tmp[40];
	int n;

	if (!isfinite(v)) {
		buf_adds(b, "null");
		return;
	}
	if (v == 0) {
		buf_adds(b, signbit(v) ? "-0" : "0");
		return;
	}
	n = fmt_g6(tmp, v);
	if (n > 0)
		buf_add(b, tmp, (size_t)n);
	else
		buf_addf(b, "%.6g", v);
}

void bal_jfield(struct buf *b, const char *lead, double v)
{
	buf_adds(b, lead);
	bal_jnum(b, v);
}

void bal_jschool(struct buf *b, const struct bal_school *s)
{
	buf_adds(b, "{\"school\":");
	buf_add_json_str(b, s->code);
	buf_adds(b, ",\"name\":");
	if (s->name)
		buf_add_json_str(b, s->name);
	else
		buf_adds(b, "null");
}

static void reason_json(struct buf *b, const char *reason)
{
	buf_reset(b);
	buf_adds(b, "{\"reason\":");
	buf_add_json_str(b, reason);
	buf_addch(b, '}');
}

/* A school's count of teachers of a kind: its full-time ones, and its part-time ones too
 * unless balance.method counts only 专任 teachers. */
static double counted(const struct bal_params *p, double full_time, double part_time)
{
	return p->teacher_full_time ? full_time : full_time + part_time;
}

/* Fill one school-stage record: scope, pupils, the seven values. */
static void fill_rec(const struct bal_params *p, struct rec *r)
{
	const struct bal_school *s = r->s;
	int st = r->stage;
	double share[2], P = r->pupils, teach_req;
	double cnt[BAL_NIND];

	bal_stage_shares(p, s, share);
	r->share = share[st];
	r->in_scope = 1;
	if (s->teaching_point && bal_sum_grades(s, 1, 12) < p->tp_min_pupils) {
		r->in_scope = 0;
		r->na_reason = "out of scope";
	}
	if (!(P > 0)) {
		for (int k = 0; k < BAL_NIND; k++)
			r->val[k] = r->num[k] = NAN;
		for (int k = 0; k < N2012; k++)
			r->b2012[k] = NAN;
		if (!r->na_reason)
			r->na_reason = "no pupils in this stage";
		return;
	}
	teach_req = st == BAL_STAGE_PRIMARY
		? counted(p, s->t_associate_plus, s->part.associate_plus)
		: counted(p, s->t_bachelor_plus, s->part.bachelor_plus);
	cnt[0] = teach_req;
	cnt[1] = counted(p, s->t_backbone, s->part.backbone);
	cnt[2] = s->t_pe_art_fulltime;
	cnt[3] = s->teaching_aux_area - s->indoor_sports_area;
	cnt[4] = s->sports_ground_area + s->indoor_sports_area;
	cnt[5] = s->equipment_value;
	cnt[6] = s->multimedia_rooms;
	for (int k = 0; k < BAL_NIND; k++) {
		int per100 = k <= 2 || k == 6;
		r->ind_na[k] = NULL;
		if (k >= 3 && !s->has_facility) {
			r->ind_na[k] = "no facility return";
			r->num[k] = r->val[k] = NAN;
			continue;
		}
		r->num[k] = cnt[k] * r->share;
		r->val[k] = r->num[k] / P * (per100 ? 100 : 1);
	}
	r->b2012[0] = r->val[3];
	r->b2012[1] = r->val[4];
	r->b2012[2] = r->val[5];
	r->b2012[3] = s->has_facility ? s->computers * r->share / P * 100 : NAN;
	r->b2012[4] = s->has_facility ? s->books * r->share / P : NAN;
	r->b2012[5] = counted(p, s->teachers, s->part.teachers) * r->share / P * 100;
	r->b2012[6] = r->val[0];
	r->b2012[7] = counted(p, s->t_first_title_plus, s->part.first_title_plus) * r->share / P *
		      100;
}

static void emit_school(const struct bal_params *p, struct rec *r, int year,
			struct result_set *out, struct buf *ev)
{
	const char *code = r->s->code, *stage = bal_stage_name[r->stage];
	int unmet_ok = 1, nna = 0, nunmet = 0;

	r->met = 0;
	if (r->na_reason) {
		struct buf why = BUF_INIT;
		if (!r->in_scope)
			buf_addf(&why, "out of scope: teaching point with %.0f pupils (fewer than "
				 "%.0f)", bal_sum_grades(r->s, 1, 12), p->tp_min_pupils);
		else
			buf_addf(&why, "no pupils in the %s stage in %d", stage, year);
		reason_json(ev, why.buf);
		buf_release(&why);
		if (r->in_scope)
			for (int k = 0; k < BAL_NIND; k++)
				results_add_row(out, ind_code[k], "school", code, stage, year, NAN,
					NAN, r->pupils, p->standard[r->stage][k], V_NA, ev->buf);
		r->school_verdict = V_NA;
		results_add_row(out, "BAL.SCHOOL", "school", code, stage, year, NAN, NAN, NAN,
			p->min_met, V_NA, ev->buf);
		return;
	}
	for (int k = 0; k < BAL_NIND; k++) {
		double std = p->standard[r->stage][k], ratio;
		enum verdict v;
		if (r->ind_na[k]) {
			nna++;
			buf_reset(ev);
			buf_addf(ev, "{\"reason\":\"%s for %d\"}", r->ind_na[k], year);
			results_add_row(out, ind_code[k], "school", code, stage, year, NAN, NAN,
				r->pupils, std, V_NA, ev->buf);
			continue;
		}
		ratio = std > 0 ? r->val[k] / std : INFINITY;
		if (ratio >= 1 - BAL_TOL) {
			v = V_PASS;
			r->met++;
		} else {
			nunmet++;
			v = ratio >= p->unmet_floor - BAL_TOL ? V_WARN : V_FAIL;
			if (v == V_FAIL)
				unmet_ok = 0;
		}
		buf_reset(ev);
		if (v != V_PASS) {
			bal_jfield(ev, "{\"value\":", r->val[k]);
			bal_jfield(ev, ",\"standard\":", std);
			bal_jfield(ev, ",\"ratio\":", ratio);
			bal_jfield(ev, ",\"unmet_floor\":", p->unmet_floor);
			bal_jfield(ev, ",\"stage_share\":", r->share);
			bal_jfield(ev, ",\"stage_pupils\":", r->pupils);
			buf_addch(ev, '}');
		}
		results_add_row(out, ind_code[k], "school", code, stage, year, r->val[k], r->num[k],
			r->pupils, std, v, ev->buf);
	}
	buf_reset(ev);
	if (nna) {
		r->school_verdict = V_NA;
		buf_addf(ev, "{\"reason\":\"%d of 7 indicators n.a.\"}", nna);
	} else {
		r->school_verdict = (r->met >= p->min_met - BAL_TOL && unmet_ok) ? V_PASS : V_FAIL;
		if (nunmet) {
			int first = 1;
			buf_addf(ev, "{\"met\":%d,\"min_met\":", r->met);
			bal_jnum(ev, p->min_met);
			bal_jfield(ev, ",\"unmet_floor\":", p->unmet_floor);
			buf_adds(ev, ",\"unmet\":[");
			for (int k = 0; k < BAL_NIND; k++) {
				double std = p->standard[r->stage][k];
				if (r->val[k] >= std * (1 - BAL_TOL))
					continue;
				buf_adds(ev, first ? "" : ",");
				first = 0;
				buf_addf(ev, "{\"indicator\":\"%s\",\"value\":", ind_code[k]);
				bal_jnum(ev, r->val[k]);
				bal_jfield(ev, ",\"standard\":", std);
				bal_jfield(ev, ",\"ratio\":", std > 0 ? r->val[k] / std : NAN);
				buf_addch(ev, '}');
			}
			buf_adds(ev, "]}");
		}
	}
	results_add_row(out, "BAL.SCHOOL", "school", code, stage, year, nna ? NAN : r->met,
		nna ? NAN : r->met, BAL_NIND, p->min_met, r->school_verdict, ev->buf);
}


/* CV of values x (weights w) over m records, with leave-one-out pullers for the evidence. */
struct cv_in {
	double *x, *w;
	const struct rec **who;
	size_t n;
};

struct puller {
	size_t i;
	double cv_without;
};

static int cmp_puller(const void *a, const void *b)
{
	const struct puller *x = a, *y = b;
	if (x->cv_without < y->cv_without)
		return -1;
	if (x->cv_without > y->cv_without)
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void cv_fail_evidence(struct buf *ev, const struct cv_in *in, double cv, double mean,
			     double sd, double thr, int top, const struct rec *const *missing,
			     size_t nmissing)
{
	double W = 0, M2 = 0;
	struct puller *pl = xmalloc((in->n ? in->n : 1) * sizeof(*pl));
	size_t np = 0;

	for (size_t i = 0; i < in->n; i++) {
		W += in->w[i];
		M2 += in->w[i] * (in->x[i] - mean) * (in->x[i] - mean);
	}
	/* leave-one-out by removing each school's term from the weighted sums (West's
	 * update in reverse): O(1) per school */
	for (size_t i = 0; i < in->n && in->n > 2; i++) {
		double w = in->w[i], x = in->x[i], W2 = W - w, m2, M22;
		if (W2 <= 0)
			continue;
		m2 = (W * mean - w * x) / W2;
		M22 = M2 - w * (x - mean) * (x - m2);
		if (M22 < 0)
			M22 = 0;
		if (m2 == 0)
			continue;
		pl[np].i = i;
		pl[np].cv_without = sqrt(M22 / W2) / m2;
		np++;
	}
	qsort(pl, np, sizeof(*pl), cmp_puller);

	buf_reset(ev);
	bal_jfield(ev, "{\"cv\":", cv);
	bal_jfield(ev, ",\"threshold\":", thr);
	bal_jfield(ev, ",\"mean\":", mean);
	bal_jfield(ev, ",\"sd\":", sd);
	buf_adds(ev, ",\"pulling_up\":[");
	for (size_t k = 0, shown = 0; k < np && (int)shown < top; k++) {
		if (!(pl[k].cv_without < cv))
			break;
		buf_adds(ev, shown ? "," : "");
		bal_jschool(ev, in->who[pl[k].i]->s);
		bal_jfield(ev, ",\"value\":", in->x[pl[k].i]);
		bal_jfield(ev, ",\"cv_without\":", pl[k].cv_without);
		bal_jfield(ev, ",\"cv_drop\":", cv - pl[k].cv_without);
		buf_addch(ev, '}');
		shown++;
	}
	buf_adds(ev, "],\"schools\":[");
	for (size_t i = 0; i < in->n; i++) {
		buf_adds(ev, i ? "," : "");
		bal_jschool(ev, in->who[i]->s);
		bal_jfield(ev, ",\"pupils\":", in->w[i]);
		bal_jfield(ev, ",\"value\":", in->x[i]);
		buf_addch(ev, '}');
	}
	buf_adds(ev, "]");
	if (nmissing) {
		buf_adds(ev, ",\"left_out\":[");
		for (size_t i = 0; i < nmissing; i++) {
			buf_adds(ev, i ? "," : "");
			buf_add_json_str(ev, missing[i]->s->code);
		}
		buf_adds(ev, "]");
	}
	buf_adds(ev, ",\"note\":");
	{
		struct buf note = BUF_INIT;
		buf_addf(&note, "CV %.3f above %.2f; pulling up most:", cv, thr);
		for (size_t k = 0, shown = 0; k < np && (int)shown < top; k++) {
			if (!(pl[k].cv_without < cv))
				break;
			const struct bal_school *sc = in->who[pl[k].i]->s;
			buf_addf(&note, "%s %s%s%s (%.6g, CV %.3f without)", shown ? "," : "",
				 sc->code, sc->name ? " " : "", sc->name ? sc->name : "",
				 in->x[pl[k].i], pl[k].cv_without);
			shown++;
		}
		buf_add_json_str(ev, note.buf);
		buf_release(&note);
	}
	buf_addch(ev, '}');
	free(pl);
}

/* Compute the CV of value column k (0..6: L1..L7; 100+j: 2012 item j) over the records.
 * A county-stage of one school has no between-school variation: CV 0 with one_school pass
 * (balance.method), else n.a. like fewer than two values. */
static double county_cv(const struct bal_params *p, struct rec **rs, size_t n, int k,
			struct cv_in *in, const struct rec **missing, size_t *nmissing,
			double *mean, double *sd)
{
	in->n = 0;
	*nmissing = 0;
	for (size_t i = 0; i < n; i++) {
		double x = k >= 100 ? rs[i]->b2012[k - 100] : rs[i]->val[k];
		if (!isfinite(x)) {
			missing[(*nmissing)++] = rs[i];
			continue;
		}
		in->x[in->n] = x;
		in->w[in->n] = rs[i]->pupils;
		in->who[in->n] = rs[i];
		in->n++;
	}
	if (in->n == 1 && n == 1 && p->one_school_pass) {
		*mean = in->x[0];
		*sd = 0;
		return 0;
	}
	if (in->n < 2) {
		*mean = *sd = NAN;
		return NAN;
	}
	return bal_weighted_cv(in->x, in->w, in->n, mean, sd);
}

static void emit_county_stage(const struct bal_params *p, const char *county, int st,
			      struct rec **rs, size_t n, int year, struct result_set *out,
			      struct buf *ev, struct cv_in *in, const struct rec **missing)
{
	const char *stage = bal_stage_name[st];
	double thr = p->cv_max[st];
	enum verdict cvv[BAL_NIND];
	int nfail = 0, nna = 0;
	struct buf comp = BUF_INIT, compna = BUF_INIT;

	for (int k = 0; k < BAL_NIND; k++) {
		double mean, sd, cv;
		size_t nmiss;
		cv = county_cv(p, rs, n, k, in, missing, &nmiss, &mean, &sd);
		if (nmiss && p->missing_facility_na) {
			/* balance.method missing_facility na: never a verdict without a school */
			cvv[k] = V_NA;
			buf_reset(ev);
			buf_addf(ev, "{\"reason\":\"no facility return for %zu of %zu schools\","
				 "\"missing\":[", nmiss, n);
			for (size_t i = 0; i < nmiss; i++) {
				buf_adds(ev, i ? "," : "");
				buf_add_json_str(ev, missing[i]->s->code);
			}
			buf_adds(ev, "]}");
			cv = NAN;
		} else if (in->n == 1 && isfinite(cv)) {
			cvv[k] = V_PASS;
			reason_json(ev, "one school: no between-school variation (CV 0)");
		} else if (in->n < 2) {
			cvv[k] = V_NA;
			buf_reset(ev);
			buf_addf(ev, "{\"reason\":\"%s\",\"schools\":%zu,\"left_out\":%zu}",
				 in->n == 1 ? "only one school with a value; no between-school variation"
					    : "no school with a value",
				 in->n, nmiss);
		} else if (!isfinite(cv)) {
			cvv[k] = V_NA;
			reason_json(ev, "weighted mean is zero; the CV is undefined");
		} else if (cv <= thr * (1 + BAL_TOL)) {
			cvv[k] = V_PASS;
			buf_reset(ev);
			buf_addf(ev, "{\"schools\":%zu", in->n);
			if (nmiss)
				buf_addf(ev, ",\"left_out\":%zu", nmiss);
			buf_addch(ev, '}');
		} else {
			cvv[k] = V_FAIL;
			cv_fail_evidence(ev, in, cv, mean, sd, thr, p->top_pullers, missing, nmiss);
		}
		results_add_row(out, cv_code[k], "county", county, stage, year, cv, sd, mean, thr,
			cvv[k], ev->buf);
		if (cvv[k] == V_FAIL) {
			buf_addf(&comp, "%s\"%s\"", nfail ? "," : "", cv_code[k]);
			nfail++;
		} else if (cvv[k] == V_NA) {
			buf_addf(&compna, "%s\"%s\"", nna ? "," : "", cv_code[k]);
			nna++;
		}
	}

	/* share of schools meeting the school rule */
	{
		double pass = 0, fail = 0;
		enum verdict v;
		int first = 1;
		buf_reset(ev);
		buf_adds(ev, "{\"failing\":[");
		for (size_t i = 0; i < n; i++) {
			if (rs[i]->school_verdict == V_PASS)
				pass++;
			else if (rs[i]->school_verdict == V_FAIL) {
				fail++;
				buf_adds(ev, first ? "" : ",");
				bal_jschool(ev, rs[i]->s);
				buf_addf(ev, ",\"met\":%d}", rs[i]->met);
				first = 0;
			}
		}
		buf_addf(ev, "],\"na\":%.0f,\"note\":\"%.0f of %.0f schools fail the school rule\"}",
			 (double)n - pass - fail, fail, pass + fail);
		v = pass + fail == 0 ? V_NA : fail > 0 ? V_FAIL
			: pass < (double)n && p->missing_facility_na ? V_NA : V_PASS;
		if (v != V_FAIL && (double)n - pass - fail > 0) {
			/* a pass (or n.a.) shows the schools without a verdict, which it does not
			 * count (the evidence was "{}", hiding them) */
			buf_reset(ev);
			buf_addf(ev, "{\"na\":%.0f,\"na_schools\":[", (double)n - pass - fail);
			first = 1;
			for (size_t i = 0; i < n; i++)
				if (rs[i]->school_verdict == V_NA) {
					buf_adds(ev, first ? "" : ",");
					buf_add_json_str(ev, rs[i]->s->code);
					first = 0;
				}
			buf_adds(ev, "]}");
		}
		results_add_row(out, "BAL.SCHOOLS", "county", county, stage, year,
			pass + fail > 0 ? pass / (pass + fail) : NAN, pass, pass + fail, 1, v,
			v == V_FAIL || (double)n - pass - fail > 0 ? ev->buf : "{}");
		if (v == V_FAIL) {
			buf_addf(&comp, "%s\"BAL.SCHOOLS\"", nfail ? "," : "");
			nfail++;
		} else if (v == V_NA) {
			buf_addf(&compna, "%s\"BAL.SCHOOLS\"", nna ? "," : "");
			nna++;
		}
	}

	/* overall */
	{
		enum verdict v = nfail ? V_FAIL : nna ? V_NA : V_PASS;
		buf_reset(ev);
		buf_addf(ev, "{\"failing\":[%s],\"na\":[%s],\"schools\":%zu", comp.buf, compna.buf,
			 n);
		if (v != V_PASS) {
			/* a readable line for tables: the component codes without quotes */
			buf_adds(ev, ",\"note\":\"");
			buf_adds(ev, v == V_FAIL ? "failing: " : "n.a.: ");
			for (const char *q = v == V_FAIL ? comp.buf : compna.buf; *q; q++)
				if (*q != '"')
					buf_addch(ev, *q == ',' ? ' ' : *q);
			buf_addch(ev, '"');
		}
		buf_addch(ev, '}');
		results_add_row(out, "BAL.COUNTY", "county", county, stage, year, nfail, nfail,
			BAL_NIND + 1, 0, v, ev->buf);
	}
	buf_release(&comp);
	buf_release(&compna);

	/* 2012 composite */
	{
		double cvs[N2012], sum = 0;
		const char *bad = NULL;
		enum verdict v;
		for (int j = 0; j < N2012; j++) {
			double mean, sd;
			size_t nmiss;
			cvs[j] = county_cv(p, rs, n, 100 + j, in, missing, &nmiss, &mean, &sd);
			if (nmiss && p->missing_facility_na)
				cvs[j] = NAN;
			if (!isfinite(cvs[j]) && !bad)
				bad = b2012_name[j];
			sum += cvs[j];
		}
		buf_reset(ev);
		if (bad) {
			buf_adds(ev, "{\"reason\":");
			buf_add_json_str(ev, "a component CV is n.a.");
			buf_adds(ev, ",\"component\":");
			buf_add_json_str(ev, bad);
			buf_addch(ev, '}');
			v = V_NA;
		} else {
			v = sum / N2012 <= p->basic2012_max[st] * (1 + BAL_TOL) ? V_PASS : V_FAIL;
			buf_adds(ev, "{\"cv\":{");
			for (int j = 0; j < N2012; j++) {
				buf_addf(ev, "%s\"%s\":", j ? "," : "", b2012_name[j]);
				bal_jnum(ev, cvs[j]);
			}
			buf_adds(ev, "}}");
		}
		results_add_row(out, "BAL.BASIC2012", "county", county, stage, year,
			bad ? NAN : sum / N2012, bad ? NAN : sum, N2012, p->basic2012_max[st], v,
			ev->buf);
	}
}


static int cmp_school_county(const void *a, const void *b)
{
	const struct bal_school *x = *(const struct bal_school *const *)a;
	const struct bal_school *y = *(const struct bal_school *const *)b;
	int c = strcmp(bal_county(x), bal_county(y));
	return c ? c : strcmp(x->code, y->code);
}

int bal_excluded(const struct bal_params *p, const struct bal_school *s)
{
	return (s->type == BAL_T_SPECIAL && p->exclude_special) ||
	       (s->type == BAL_T_VOCATIONAL && p->exclude_vocational) ||
	       s->type == BAL_T_SENIOR;
}

/* Schools ss[a..b) (sorted by county, whole counties) computed into out, with scratch of
 * their own: two of these run at once. */
struct counties {
	const struct bal_params *p;
	const struct bal_school **ss;
	size_t a, b;
	int year;
	struct result_set *out;
};

static void *run_counties(void *arg)
{
	const struct counties *t = arg;
	const struct bal_params *p = t->p;
	const struct bal_school **ss = t->ss + t->a;
	size_t n = t->b - t->a, nrec = 0;
	struct rec *recs = xcalloc(2 * n + 1, sizeof(*recs));
	struct rec **grp = xmalloc((2 * n + 1) * sizeof(*grp));
	struct class_count *cc = xcalloc(2 * n + 1, sizeof(*cc));
	const struct rec **missing = xmalloc((n + 1) * sizeof(*missing));
	struct result_set *out = t->out;
	struct buf ev = BUF_INIT;
	struct cv_in in;
	int year = t->year;

	in.x = xmalloc((n + 1) * sizeof(double));
	in.w = xmalloc((n + 1) * sizeof(double));
	in.who = xmalloc((n + 1) * sizeof(*in.who));
	for (size_t a = 0, b; a < n; a = b) {
		const char *county = bal_county(ss[a]);
		size_t nkept = 0;
		for (b = a; b < n && !strcmp(bal_county(ss[b]), county); b++)
			;
		/* school-size rows for the county's in-scope schools with a compulsory stage */
		{
			const struct bal_school **kept = xmalloc((b - a) * sizeof(*kept));
			for (size_t i = a; i < b; i++) {
				const struct bal_school *s = ss[i];
				if (bal_excluded(p, s) || !s->has_returns)
					continue;
				if (!bal_has_stage(s, 0) && !bal_has_stage(s, 1))
					continue;
				if (s->teaching_point && bal_sum_grades(s, 1, 12) < p->tp_min_pupils)
					continue;
				kept[nkept++] = s;
			}
			bal_emit_sizes(p, county, kept, nkept, year, out, &ev);
			free(kept);
		}
		for (int st = 0; st < BAL_NSTAGES; st++) {
			size_t ng = 0, first = nrec;
			for (size_t i = a; i < b; i++) {
				const struct bal_school *s = ss[i];
				struct rec *r;
				if (bal_excluded(p, s) || !bal_has_stage(s, st) || !s->has_returns)
					continue;
				r = &recs[nrec++];
				r->s = s;
				r->stage = st;
				r->pupils = st == BAL_STAGE_PRIMARY ? bal_sum_grades(s, 1, 6)
								    : bal_sum_grades(s, 7, 9);
				fill_rec(p, r);
				emit_school(p, r, year, out, &ev);
				if (r->pupils > 0)
					bal_emit_school_classes(p, r, year, out, &ev, &cc[nrec - 1]);
				if (r->in_scope && r->pupils > 0)
					grp[ng++] = r;
			}
			if (nrec == first)
				continue;
			/* class counts of the in-scope ones, aligned with grp */
			{
				struct class_count *gcc = xcalloc(ng + 1, sizeof(*gcc));
				for (size_t i = 0; i < ng; i++)
					gcc[i] = cc[grp[i] - recs];
				bal_emit_county_classes(p, county, st, grp, gcc, ng, year, out, &ev);
				free(gcc);
			}
			emit_county_stage(p, county, st, grp, ng, year, out, &ev, &in, missing);
			if (st == BAL_STAGE_JUNIOR)
				bal_emit_retention(p, county, ss + a, b - a, year, out, &ev);
		}
	}
	buf_release(&ev);
	free(missing);
	free(in.who);
	free(in.w);
	free(in.x);
	free(cc);
	free(grp);
	free(recs);
	return NULL;
}

/* From BAL_SPLIT schools on (eng_balance.h), the counties are computed by two threads,
 * half the schools each (whole counties): a balance rule's new version computes balance
 * alone, on a core of two. Below it a thread costs more than it saves. */
int bal_run(const struct bal_params *p, const struct bal_school *schools, size_t n, int year,
	    struct result_set *out, struct err *e)
{
	const struct bal_school **ss;
	struct result_set tail;
	struct counties half[2];
	pthread_t helper;
	size_t mid = n;
	int started = 0;

	for (int st = 0; st < BAL_NSTAGES; st++)
		if (!(p->cv_max[st] > 0) || !(p->class_max[st] > 0))
			return err_set(e, ERR_DATA, "balance: invalid parameters for the %s stage",
				       bal_stage_name[st]);
	if (!(p->unmet_floor >= 0 && p->unmet_floor <= 1))
		return err_set(e, ERR_DATA, "balance: unmet_floor %g is not between 0 and 1",
			       p->unmet_floor);

	ss = xmalloc((n ? n : 1) * sizeof(*ss));
	for (size_t i = 0; i < n; i++)
		ss[i] = &schools[i];
	qsort(ss, n, sizeof(*ss), cmp_school_county);
	if (n >= BAL_SPLIT)
		for (mid = n / 2; mid < n && !strcmp(bal_county(ss[mid]), bal_county(ss[mid - 1]));
		     mid++)
			;
	/* the second half's rows go to tail, appended to out's after the first half's */
	results_init(&tail);
	half[0] = (struct counties){ p, ss, 0, mid, year, out };
	half[1] = (struct counties){ p, ss, mid, n, year, &tail };
	if (mid < n)
		started = pthread_create(&helper, NULL, run_counties, &half[1]) == 0;
	run_counties(&half[0]);
	if (started)
		pthread_join(helper, NULL);
	else
		run_counties(&half[1]);
	results_adopt(out, &tail);
	results_release(&tail);
	free(ss);
	return 0;
}
