/* eng_teachers.c: the teachers engine: rural service from posting histories, title
 * eligibility with every unmet condition, exchange rotation per county and year, research
 * activities (see eng_teachers.h). Pure: no SQL, no I/O, no globals. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eng_teachers.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- dates ---- */

static int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int tch_day(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return TCH_NODAY;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return TCH_NODAY;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return TCH_NODAY;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return TCH_NODAY;
	return days_from_civil(y, m, d);
}

void tch_date(int day, char out[16])
{
	int z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	snprintf(out, 16, "%04d-%02d-%02d", (y + (m <= 2)) % 10000, m % 100, d % 100);
}

/* ---- rural service ---- */

/* Days in the union of the postings (cut at asof) whose school passes: rural (want 1) or
 * rural-or-weak (want 2). Postings are sorted by start, so one sweep merges them. */
static long union_days(const struct tch_school *schools, const struct tch_posting *p, int n,
		       int asof, int want)
{
	long total = 0;
	int cs = 0, ce = 0, open = 0;

	for (int i = 0; i < n; i++) {
		const struct tch_school *s = &schools[p[i].school];
		int st = p[i].start, en = p[i].end < asof ? p[i].end : asof;
		if (!(s->rural || (want == 2 && s->weak)) || en < st)
			continue;
		if (open && st <= ce + 1) {
			if (en > ce)
				ce = en;
			continue;
		}
		if (open)
			total += (long)ce - cs + 1;
		cs = st;
		ce = en;
		open = 1;
	}
	if (open)
		total += (long)ce - cs + 1;
	return total;
}

void tch_rural_service(const struct tch_params *p, const struct tch_school *schools,
		       const struct tch_posting *postings, int n, int asof,
		       struct tch_service *out)
{
	out->rural_days = union_days(schools, postings, n, asof, 1);
	out->weak_days = p->count_weak
		? union_days(schools, postings, n, asof, 2) - out->rural_days : 0;
	out->years = ((double)out->rural_days +
		      (p->count_weak ? (double)out->weak_days / p->weak_ratio : 0)) /
		     p->days_per_year;
}

int tch_home_school(const struct tch_posting *postings, int n, int day)
{
	int best = -1, best_start = 0, other = -1, other_start = 0;

	for (int i = 0; i < n; i++) {
		const struct tch_posting *q = &postings[i];
		if (q->start > day || q->end < day || q->kind == TK_EXCHANGE)
			continue;
		if (q->kind == TK_APPOINTMENT && (best < 0 || q->start >= best_start)) {
			best = q->school;
			best_start = q->start;
		} else if (q->kind != TK_APPOINTMENT && (other < 0 || q->start >= other_start)) {
			other = q->school;
			other_start = q->start;
		}
	}
	return best >= 0 ? best : other;
}

/* Days at school `home` without a break, up to and including `day`. */
static long stretch_days(const struct tch_posting *postings, int n, int home, int day)
{
	int start = TCH_OPEN, changed = 1;

	for (int i = 0; i < n; i++)
		if (postings[i].school == home && postings[i].kind != TK_EXCHANGE &&
		    postings[i].start <= day && postings[i].end >= day && postings[i].start < start)
			start = postings[i].start;
	if (start == TCH_OPEN)
		return 0;
	while (changed) {
		changed = 0;
		for (int i = 0; i < n; i++) {
			const struct tch_posting *q = &postings[i];
			if (q->school == home && q->kind != TK_EXCHANGE && q->start < start &&
			    q->end >= start - 1) {
				start = q->start;
				changed = 1;
			}
		}
	}
	return (long)day - start + 1;
}

/* ---- eligibility ---- */

const char *tch_title_zh(const struct tch_params *p, int t)
{
	static const struct {
		const char *code, *zh;
	} names[] = {
		{ "third", "三级" }, { "second", "二级" }, { "first", "一级" },
		{ "senior", "高级" }, { "full_senior", "正高级" },
	};
	if (t < 0 || t >= p->nladder)
		return "无职称";
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(p->ladder[t], names[i].code))
			return names[i].zh;
	return p->ladder[t];
}

const char *tch_status_name(enum tch_status s)
{
	switch (s) {
	case TS_ELIGIBLE: return "eligible";
	case TS_NATIONAL_ONLY: return "eligible nationally only";
	case TS_NOT_ELIGIBLE: return "not eligible";
	case TS_NONE: break;
	}
	return "n.a.";
}

/* Years shown truncated to two decimals, so that one day short never prints as the line. */
static double shown(double years)
{
	return floor(years * 100 + 1e-9) / 100;
}

static void add_reason(struct tch_elig *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_reason(struct tch_elig *o, const char *fmt, ...)
{
	size_t len = strlen(o->reasons);
	va_list ap;

	if (len && len + 2 < sizeof(o->reasons)) {
		memcpy(o->reasons + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(o->reasons + len, sizeof(o->reasons) - len, fmt, ap);
	va_end(ap);
}

int tch_title_of(const struct tch_input *in, const struct tch_teacher *t)
{
	return t->title >= 0 && t->title < TCH_MAXTEXTS ? in->rank[t->title] : -1;
}

int tch_applied_of(const struct tch_input *in, const struct tch_teacher *t)
{
	int best = -1;

	for (unsigned m = t->applied, k = 0; m && k < TCH_MAXTEXTS; m >>= 1, k++)
		if ((m & 1) && in->rank[k] > best)
			best = in->rank[k];
	return best;
}

void tch_eligibility(const struct tch_params *p, const struct tch_input *in,
		     const struct tch_teacher *t, int asof, struct tch_elig *o)
{
	int title = tch_title_of(in, t), applied = tch_applied_of(in, t);
	double eff, need_nat, need_city;

	memset(o, 0, sizeof(*o));
	o->title = title;
	o->need_title_years = NAN;
	o->home = tch_home_school(t->postings, t->npostings, asof);
	tch_rural_service(p, in->schools, t->postings, t->npostings, asof, &o->service);
	o->target = applied >= 0 ? applied
		  : title >= 0 && title + 1 < p->nladder ? title + 1 : -1;
	if (o->target < 0) {
		o->status = TS_NONE;
		return;
	}
	/* years in the current title (no title yet: a first appointment, no years rule) */
	if (title < 0) {
		o->title_ok = 1;
	} else {
		o->need_title_years = title < TCH_MAXTITLES && o->target < TCH_MAXTITLES
			? p->step_years[title][o->target][t->edu] : NAN;
		o->title_years = t->title_day == TCH_NODAY ? 0
			: (double)(asof - t->title_day) / p->days_per_year;
		if (isnan(o->need_title_years))
			add_reason(o, "no rule for the step %s → %s", tch_title_zh(p, title),
				   tch_title_zh(p, o->target));
		else if (t->title_day == TCH_NODAY)
			add_reason(o, "no date for the current title %s", tch_title_zh(p, title));
		else if (o->title_years + 1e-9 < o->need_title_years)
			add_reason(o, "years as %s %.2f of %.1f", tch_title_zh(p, title),
				   shown(o->title_years), o->need_title_years);
		else
			o->title_ok = 1;
	}
	/* rural service: urban teachers (home school not rural) applying for the title */
	o->rural_applies = o->target == p->rural_title &&
			   (o->home < 0 || !in->schools[o->home].rural);
	eff = (double)o->service.rural_days +
	      (p->count_weak ? (double)o->service.weak_days / p->weak_ratio : 0);
	need_nat = p->national_min_years * p->days_per_year;
	need_city = p->city_min_years * p->days_per_year;
	o->national_ok = !o->rural_applies || eff + 1e-9 >= need_nat;
	o->city_ok = !o->rural_applies || eff + 1e-9 >= need_city;
	if (!o->national_ok)
		add_reason(o, "rural service %.2f of %.1f years (national rule; city rule %.1f)",
			   shown(o->service.years), p->national_min_years, p->city_min_years);
	else if (!o->city_ok)
		add_reason(o, "rural service %.2f of %.1f years (city rule; national %.1f met)",
			   shown(o->service.years), p->city_min_years, p->national_min_years);
	o->status = o->title_ok && o->city_ok ? TS_ELIGIBLE
		  : o->title_ok && o->national_ok ? TS_NATIONAL_ONLY : TS_NOT_ELIGIBLE;
}

/* ---- exchange rotation ---- */

void tch_exchanges(const struct tch_params *p, const struct tch_input *in, int year,
		   struct tch_exchange *county, struct tch_exchange *city)
{
	int y0 = days_from_civil(year, 9, 1), y1 = days_from_civil(year + 1, 9, 1) - 1;
	double need = p->exch_eligible_years * p->days_per_year;

	memset(county, 0, sizeof(*county) * (size_t)in->ncounties);
	memset(city, 0, sizeof(*city));
	for (size_t i = 0; i < in->nteachers; i++) {
		const struct tch_teacher *t = &in->teachers[i];
		const struct tch_posting *x = NULL;
		int home = tch_home_school(t->postings, t->npostings, y0 - 1), elig = 0;
		int from, c;

		if (home >= 0 &&
		    (double)stretch_days(t->postings, t->npostings, home, y0 - 1) + 1e-9 >= need) {
			elig = 1;
			c = in->schools[home].county;
			city->eligible++;
			city->eligible_backbone += in->backbone[t->level];
			if (c >= 0) {
				county[c].eligible++;
				county[c].eligible_backbone += in->backbone[t->level];
			}
		}
		for (int k = 0; k < t->npostings && !x; k++)
			if (t->postings[k].kind == TK_EXCHANGE && t->postings[k].start >= y0 &&
			    t->postings[k].start <= y1)
				x = &t->postings[k];
		if (!x)
			continue;
		from = tch_home_school(t->postings, t->npostings, x->start - 1);
		if (from < 0)
			from = home;
		for (int pass = 0; pass < 2; pass++) {
			struct tch_exchange *ex = pass ? city : NULL;
			if (!pass) {
				c = from >= 0 ? in->schools[from].county : -1;
				if (c < 0)
					continue;
				ex = &county[c];
			}
			ex->exchanged++;
			ex->exchanged_eligible += elig;
			ex->exchanged_backbone += in->backbone[t->level];
			ex->urban_to_rural += from >= 0 && !in->schools[from].rural &&
					      in->schools[x->school].rural;
		}
	}
}

/* ---- result rows ---- */

static void ev_str(struct buf *b, const char *key, const char *v)
{
	buf_addf(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
	buf_add_json_str(b, v ? v : "");
}

static void ev_num(struct buf *b, const char *key, double v)
{
	buf_addf(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
	if (isfinite(v))
		buf_addf(b, "%.10g", v);
	else
		buf_adds(b, "null");
}

static void exchange_rows(const struct tch_params *p, const struct tch_exchange *x,
			  const char *kind, const char *id, int year, struct result_set *out)
{
	struct buf ev = BUF_INIT;
	double den;
	enum verdict v;

	buf_addch(&ev, '{');
	ev_num(&ev, "eligible", (double)x->eligible);
	ev_num(&ev, "eligible_years", p->exch_eligible_years);
	ev_num(&ev, "exchanged", (double)x->exchanged);
	ev_num(&ev, "exchanged_eligible", (double)x->exchanged_eligible);
	ev_num(&ev, "eligible_backbone", (double)x->eligible_backbone);
	ev_num(&ev, "exchanged_backbone", (double)x->exchanged_backbone);
	ev_num(&ev, "urban_to_rural", (double)x->urban_to_rural);
	ev_str(&ev, "backbone_denominator", p->backbone_of_eligible ? "eligible_backbone"
								    : "exchanged");
	buf_addch(&ev, '}');
	v = !x->eligible ? V_NA
	  : (double)x->exchanged + 1e-9 >= p->exch_min_share * (double)x->eligible ? V_PASS
										 : V_FAIL;
	results_add_row(out, "TCH.EXCH.SHARE", kind, id, "", year,
			x->eligible ? (double)x->exchanged / (double)x->eligible : NAN,
			(double)x->exchanged, (double)x->eligible, p->exch_min_share, v, ev.buf);
	den = p->backbone_of_eligible ? (double)x->eligible_backbone : (double)x->exchanged;
	v = den <= 0 ? V_NA
	  : (double)x->exchanged_backbone + 1e-9 >= p->exch_backbone_share * den ? V_PASS : V_FAIL;
	results_add_row(out, "TCH.EXCH.BACKBONE", kind, id, "", year,
			den > 0 ? (double)x->exchanged_backbone / den : NAN,
			(double)x->exchanged_backbone, den, p->exch_backbone_share, v, ev.buf);
	results_add_row(out, "TCH.EXCH.URBAN_RURAL", kind, id, "", year,
			(double)x->urban_to_rural, (double)x->urban_to_rural,
			(double)x->exchanged, NAN, V_NA, ev.buf);
	buf_release(&ev);
}

struct tally {
	long applicants, eligible, national_only, not_eligible;
};

static void applicant_rows(const struct tch_params *p, const struct tch_input *in, int year,
			   int asof, struct tally *county, struct tally *city,
			   struct buf *national_only, struct result_set *out)
{
	struct buf ev = BUF_INIT;

	for (size_t i = 0; i < in->nteachers; i++) {
		const struct tch_teacher *t = &in->teachers[i];
		struct tch_elig o;
		struct tally *ct;
		enum verdict v;

		if (!t->applied || tch_applied_of(in, t) < 0)
			continue;
		tch_eligibility(p, in, t, asof, &o);
		ct = o.home >= 0 && in->schools[o.home].county >= 0
			? &county[in->schools[o.home].county] : NULL;
		buf_reset(&ev);
		buf_addch(&ev, '{');
		ev_str(&ev, "school", o.home >= 0 ? in->schools[o.home].code : "");
		ev_str(&ev, "title", o.title >= 0 ? p->ladder[o.title] : "none");
		ev_str(&ev, "applies_for", o.target >= 0 ? p->ladder[o.target] : "");
		ev_num(&ev, "years_in_title", o.title_years);
		ev_num(&ev, "rural_days", (double)o.service.rural_days);
		ev_num(&ev, "weak_days", (double)o.service.weak_days);
		ev_num(&ev, "rural_years", o.service.years);
		ev_str(&ev, "status", tch_status_name(o.status));
		ev_str(&ev, "reasons", o.reasons);
		buf_addch(&ev, '}');
		results_add_row(out, "TCH.TITLE.YEARS", "teacher", t->code, "", year, o.title_years,
				NAN, NAN, o.need_title_years,
				o.target < 0 ? V_NA : o.title_ok ? V_PASS : V_FAIL, ev.buf);
		v = !o.rural_applies ? V_NA : o.city_ok ? V_PASS : o.national_ok ? V_WARN : V_FAIL;
		results_add_row(out, "TCH.RURAL", "teacher", t->code, "", year, o.service.years,
				(double)o.service.rural_days, (double)o.service.weak_days,
				p->city_min_years, v, ev.buf);
		v = o.status == TS_ELIGIBLE ? V_PASS : o.status == TS_NATIONAL_ONLY ? V_WARN
			: o.status == TS_NOT_ELIGIBLE ? V_FAIL : V_NA;
		results_add_row(out, "TCH.ELIGIBLE", "teacher", t->code, "", year,
				o.status == TS_ELIGIBLE ? 1 : 0, NAN, NAN, NAN, v, ev.buf);
		for (int pass = 0; pass < 2; pass++) {
			struct tally *ty = pass ? city : ct;
			if (!ty || o.status == TS_NONE)
				continue;
			ty->applicants++;
			ty->eligible += o.status == TS_ELIGIBLE;
			ty->national_only += o.status == TS_NATIONAL_ONLY;
			ty->not_eligible += o.status == TS_NOT_ELIGIBLE;
		}
		if (o.status == TS_NATIONAL_ONLY) {
			buf_addch(national_only, national_only->len ? ',' : '[');
			buf_add_json_str(national_only, t->code);
		}
	}
	buf_release(&ev);
}

static void tally_row(const struct tally *ty, const char *kind, const char *id, int year,
		      const char *list, struct result_set *out)
{
	struct buf ev = BUF_INIT;

	buf_addf(&ev, "{\"applicants\":%ld,\"eligible\":%ld,\"national_only\":%ld,"
		 "\"not_eligible\":%ld", ty->applicants, ty->eligible, ty->national_only,
		 ty->not_eligible);
	if (list)
		buf_addf(&ev, ",\"national_only_teachers\":%s", list);
	buf_addch(&ev, '}');
	results_add_row(out, "TCH.APPLICANTS", kind, id, "", year,
			ty->applicants ? (double)ty->eligible / (double)ty->applicants : NAN,
			(double)ty->eligible, (double)ty->applicants, NAN, V_NA, ev.buf);
	buf_release(&ev);
}

static void activity_rows(const struct tch_params *p, const struct tch_input *in, int year,
			  long rural_teachers, long rural_named, struct result_set *out)
{
	static const char *const ind[2] = { "TCH.ACT.SEND", "TCH.ACT.ONLINE" };
	unsigned char *seen = xcalloc((size_t)in->nschools + 1, 3);
	long count[2] = { 0, 0 }, schools[3] = { 0, 0, 0 };
	double part[2] = { 0, 0 }, rural = 0, bound;
	struct buf ev = BUF_INIT;
	enum verdict v;

	for (int i = 0; i < in->nactivities; i++) {
		const struct tch_activity *a = &in->activities[i];
		if (a->kind > 2)
			continue;
		rural += a->rural_participations;
		if (a->kind > 1)
			continue;
		count[a->kind]++;
		part[a->kind] += a->participations;
		for (int k = 0; k < a->nschools; k++) {
			int s = a->schools[k];
			if (s < 0 || s >= in->nschools)
				continue;
			if (!seen[(size_t)s * 3 + (size_t)a->kind]++)
				schools[a->kind]++;
			if (!seen[(size_t)s * 3 + 2]++)
				schools[2]++;
		}
	}
	for (int k = 0; k < 2; k++) {
		buf_reset(&ev);
		buf_addf(&ev, "{\"schools_covered\":%ld,\"teacher_participations\":%.10g}",
			 schools[k], part[k]);
		results_add_row(out, ind[k], "city", in->city_code, "", year, (double)count[k],
				(double)schools[k], NAN, NAN, V_NA, ev.buf);
	}
	buf_reset(&ev);
	buf_addf(&ev, "{\"send_teaching\":%ld,\"online_research\":%ld}", schools[0], schools[1]);
	results_add_row(out, "TCH.ACT.SCHOOLS", "city", in->city_code, "", year,
			(double)schools[2], (double)schools[2], NAN, NAN, V_NA, ev.buf);
	if (in->named_participants > 0) {
		/* named participants: the share of rural teachers who took part, in persons */
		double share = rural_teachers > 0 ? (double)rural_named / (double)rural_teachers
						  : NAN;
		v = isnan(share) ? V_NA : share + 1e-9 >= p->rural_participation ? V_PASS : V_FAIL;
		buf_reset(&ev);
		buf_addf(&ev, "{\"rural_participants\":%ld,\"rural_teachers\":%ld,"
			 "\"rural_person_times\":%.10g,\"statement\":\"rural teachers named as "
			 "participants in the year's research activities\"}", rural_named,
			 rural_teachers, rural);
		results_add_row(out, "TCH.ACT.RURAL", "city", in->city_code, "", year, share,
				(double)rural_named, (double)rural_teachers, p->rural_participation,
				v, ev.buf);
		buf_release(&ev);
		free(seen);
		return;
	}
	/* Without named participants the registry has person-times, not persons: person-times
	 * ÷ rural teachers bounds the share of rural teachers who took part from above. Below
	 * the target the target is certainly missed; at or above it the data cannot confirm
	 * it. */
	bound = rural_teachers > 0 ? fmin(1.0, rural / (double)rural_teachers) : NAN;
	v = isnan(bound) ? V_NA : bound + 1e-9 < p->rural_participation ? V_FAIL : V_NA;
	buf_reset(&ev);
	buf_addf(&ev, "{\"rural_person_times\":%.10g,\"rural_teachers\":%ld,\"statement\":", rural,
		 rural_teachers);
	buf_add_json_str(&ev, isnan(bound) ? "no rural teachers"
			 : v == V_FAIL ? "fewer person-times than the target share of rural teachers: "
					 "the target is missed"
				       : "upper bound: the registry records person-times, not "
					 "persons, so reaching the target cannot be confirmed");
	buf_addch(&ev, '}');
	results_add_row(out, "TCH.ACT.RURAL", "city", in->city_code, "", year, bound, rural,
			(double)rural_teachers, p->rural_participation, v, ev.buf);
	buf_release(&ev);
	free(seen);
}

int tch_params_check(const struct tch_params *p, struct err *e)
{
	if (!(p->days_per_year > 0))
		return err_set(e, ERR_DATA, "teachers.rural_service days_per_year must be positive");
	if (p->count_weak && !(p->weak_ratio > 0))
		return err_set(e, ERR_DATA, "teachers.rural_service weak_ratio must be positive");
	if (p->nladder < 1 || p->nladder > TCH_MAXTITLES)
		return err_set(e, ERR_DATA, "teachers.title_ladder order must name 1 to %d titles",
			       TCH_MAXTITLES);
	return 0;
}

int tch_run(const struct tch_params *p, const struct tch_input *in, int year,
	    struct result_set *out, struct err *e)
{
	struct tch_exchange *cx, city;
	struct tally *ct, ctot;
	struct buf nat = BUF_INIT;
	int asof = days_from_civil(year, 9, 1);
	long rural_teachers = 0, rural_named = 0;

	if (tch_params_check(p, e) < 0)
		return e->code;
	ct = xcalloc((size_t)in->ncounties + 1, sizeof(*ct));
	memset(&ctot, 0, sizeof(ctot));
	applicant_rows(p, in, year, asof, ct, &ctot, &nat, out);
	if (nat.len)
		buf_addch(&nat, ']');
	else
		buf_adds(&nat, "[]");
	for (int c = 0; c < in->ncounties; c++)
		if (ct[c].applicants)
			tally_row(&ct[c], "county", in->county_code[c], year, NULL, out);
	tally_row(&ctot, "city", in->city_code, year, nat.buf, out);
	buf_release(&nat);
	free(ct);

	cx = xcalloc((size_t)in->ncounties + 1, sizeof(*cx));
	tch_exchanges(p, in, year, cx, &city);
	for (int c = 0; c < in->ncounties; c++)
		exchange_rows(p, &cx[c], "county", in->county_code[c], year, out);
	exchange_rows(p, &city, "city", in->city_code, year, out);
	free(cx);

	for (size_t i = 0; i < in->nteachers; i++) {
		const struct tch_teacher *t = &in->teachers[i];
		int h = tch_home_school(t->postings, t->npostings, asof);
		rural_teachers += h >= 0 && in->schools[h].rural;
		rural_named += h >= 0 && in->schools[h].rural && t->participated;
	}
	activity_rows(p, in, year, rural_teachers, rural_named, out);
	return 0;
}
