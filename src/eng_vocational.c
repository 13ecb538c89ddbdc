/* eng_vocational.c: the vocational engine (see eng_vocational.h): the staged specialty
 * review (one mechanism for the city's employment rule and the peer-bottom and enrolment
 * variants), the specialty figures, matching, history, sites and cooperation rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "eng_vocational.h"
#include "eval.h"
#include "validate.h"
#include "xmalloc.h"
#include "banned.h"

const char *voc_cond_name(enum voc_cond c)
{
	switch (c) {
	case VOC_COND_PEER_BOTTOM: return "peer_bottom";
	case VOC_COND_ENROLMENT: return "enrolment_below";
	case VOC_COND_EMPLOYMENT: break;
	}
	return "employment_below";
}

const char *voc_action_name(enum voc_action a)
{
	switch (a) {
	case VOC_ACT_WARN: return "warn";
	case VOC_ACT_STOP_ENROLMENT: return "stop_enrolment";
	case VOC_ACT_CLOSE: return "close";
	case VOC_ACT_NONE: break;
	}
	return "none";
}

const char *voc_action_zh(enum voc_action a)
{
	switch (a) {
	case VOC_ACT_WARN: return "预警";
	case VOC_ACT_STOP_ENROLMENT: return "停招";
	case VOC_ACT_CLOSE: return "撤销";
	case VOC_ACT_NONE: break;
	}
	return "无";
}

/* Thresholds as integers in millionths, so that a rate is compared as an exact fraction. */
static long long ppm(double x)
{
	return llround(x * 1e6);
}

/* num/den < t, exactly (den > 0). */
static int frac_below(long num, long den, double t)
{
	return (long long)num * 1000000LL < ppm(t) * (long long)den;
}

int voc_share_at_least(long part, long whole, double target)
{
	return whole > 0 && (long long)part * 1000000LL >= ppm(target) * (long long)whole;
}

static int check_params(const struct voc_params *p, struct err *e)
{
	if (p->run_years < 1 || p->run_years > 10)
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter 'run_years' "
			       "must be between 1 and 10, not %d", p->run_years);
	if (!(p->min_rate >= 0 && p->min_rate <= 1))
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter 'min_rate' "
			       "must be between 0 and 1");
	if (!(p->bottom_share > 0 && p->bottom_share <= 1))
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter "
			       "'bottom_share' must be above 0 and at most 1");
	if (p->min_peers < 1)
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter 'min_peers' "
			       "must be at least 1");
	if (!(p->min_enrolled >= 0))
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter "
			       "'min_enrolled' must not be negative");
	if (p->action != VOC_ACT_STOP_ENROLMENT && p->action != VOC_ACT_CLOSE)
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter 'action' must "
			       "be stop_enrolment or close");
	if (p->first_action != VOC_ACT_WARN && p->first_action != VOC_ACT_NONE)
		return err_set(e, ERR_DATA, "rule 'vocational.employment' parameter "
			       "'first_action' must be warn or none");
	return 0;
}

/* ---- lookups ---- */

static int cmp_school_key(const void *k, const void *el)
{
	return strcmp(k, ((const struct voc_school *)el)->code);
}

static const struct voc_school *find_school(const struct voc_facts *f, const char *code)
{
	return code ? bsearch(code, f->schools, f->nschools, sizeof(*f->schools), cmp_school_key)
		    : NULL;
}

static struct voc_specialty *find_spec(struct voc_facts *f, const char *school,
				       const char *version, const char *code)
{
	size_t lo = 0, hi = f->nspecs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct voc_specialty *s = &f->specs[mid];
		int c = strcmp(s->school, school);
		if (!c)
			c = strcmp(s->version, version);
		if (!c)
			c = strcmp(s->code, code);
		if (!c)
			return &f->specs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int active(int start, int end, int year)
{
	return start <= year && (end == 0 || end >= year);
}

/* ---- peer ranks (peer_bottom) ---- */

struct peer_ent {
	size_t group;  /* peer group id */
	int year;
	long num, den;
	size_t slot;   /* index into the flat per-spec-year arrays */
};

static int cmp_rate(const struct peer_ent *a, const struct peer_ent *b)
{
	long long l = (long long)a->num * b->den, r = (long long)b->num * a->den;
	return l < r ? -1 : l > r;
}

static int cmp_peer(const void *x, const void *y)
{
	const struct peer_ent *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return cmp_rate(a, b);
}

/* A specialty's peer-group key: (category, "") or (version, code) or ("", ""). */
struct gkey {
	const char *g1, *g2;
	size_t spec;
};

static int cmp_gkey(const void *x, const void *y)
{
	const struct gkey *a = x, *b = y;
	int c = strcmp(a->g1, b->g1);
	return c ? c : strcmp(a->g2, b->g2);
}

/* gid[i]: the peer group of specialty i, numbered in key order (strings compared once
 * here, not in the sort of every year's rates). */
static void peer_groups(const struct voc_params *p, const struct voc_facts *f, size_t *gid)
{
	struct gkey *k = xcalloc(f->nspecs + 1, sizeof(*k));
	size_t g = 0;

	for (size_t i = 0; i < f->nspecs; i++) {
		const struct voc_specialty *s = &f->specs[i];
		k[i].g1 = p->peer_set == VOC_PEER_CATEGORY ? (s->category ? s->category : "")
			: p->peer_set == VOC_PEER_CODE ? s->version : "";
		k[i].g2 = p->peer_set == VOC_PEER_CODE ? s->code : "";
		k[i].spec = i;
	}
	if (f->nspecs)
		qsort(k, f->nspecs, sizeof(*k), cmp_gkey);
	for (size_t i = 0; i < f->nspecs; i++) {
		if (i && cmp_gkey(&k[i], &k[i - 1]))
			g++;
		gid[k[i].spec] = g;
	}
	free(k);
}

/* below[slot], peers[slot]: peers of the same group and year with graduates having a
 * strictly lower rate, and the group's size; -1 for a year without graduates. */
static void peer_ranks(const struct voc_params *p, const struct voc_facts *f,
		       const size_t *off, size_t total, long *below, long *peers)
{
	struct peer_ent *v = xcalloc(total + 1, sizeof(*v));
	size_t *gid = xcalloc(f->nspecs + 1, sizeof(*gid));
	size_t n = 0;

	peer_groups(p, f, gid);
	for (size_t i = 0; i < f->nspecs; i++) {
		const struct voc_specialty *s = &f->specs[i];
		for (size_t j = 0; j < s->nyears; j++) {
			const struct voc_year *y = &s->years[j];
			below[off[i] + j] = peers[off[i] + j] = -1;
			if (y->graduates <= 0)
				continue;
			v[n].group = gid[i];
			v[n].year = y->year;
			v[n].num = y->employed + y->further_study;
			v[n].den = y->graduates;
			v[n].slot = off[i] + j;
			n++;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_peer);
	for (size_t gs = 0, ge; gs < n; gs = ge) {
		for (ge = gs + 1; ge < n && v[ge].group == v[gs].group && v[ge].year == v[gs].year;
		     ge++)
			;
		for (size_t k = gs, tie = gs; k < ge; k++) {
			if (cmp_rate(&v[k], &v[tie]))
				tie = k;
			below[v[k].slot] = (long)(tie - gs);
			peers[v[k].slot] = (long)(ge - gs);
		}
	}
	free(gid);
	free(v);
}

/* ---- the staged review ---- */

static enum voc_ystate year_state(const struct voc_params *p, const struct voc_year *y,
				  long below, long peers, struct voc_step *st)
{
	st->has_row = y != NULL;
	st->num = st->den = st->rate_num = st->rate_den = 0;
	if (y) {
		st->rate_num = y->employed + y->further_study;
		st->rate_den = y->graduates;
	}
	switch (p->cond) {
	case VOC_COND_ENROLMENT:
		if (!y)
			return VOC_Y_UNDECIDED;
		st->num = y->enrolled;
		return (double)y->enrolled < p->min_enrolled ? VOC_Y_MET : VOC_Y_NOT_MET;
	case VOC_COND_PEER_BOTTOM:
		if (!y || y->graduates <= 0 || peers < p->min_peers)
			return VOC_Y_UNDECIDED;
		st->num = below;
		st->den = peers;
		return (long long)below * 1000000LL < ppm(p->bottom_share) * peers ? VOC_Y_MET
										  : VOC_Y_NOT_MET;
	case VOC_COND_EMPLOYMENT:
		break;
	}
	if (!y || y->graduates <= 0)
		return VOC_Y_UNDECIDED;
	st->num = st->rate_num;
	st->den = st->rate_den;
	return frac_below(st->num, st->den, p->min_rate) ? VOC_Y_MET : VOC_Y_NOT_MET;
}

int voc_decide(const struct voc_params *p, struct voc_facts *f, int year,
	       struct voc_decision *d, struct arena *a, struct err *e)
{
	size_t *off, total = 0;
	long *below = NULL, *peers = NULL;

	if (check_params(p, e) < 0)
		return e->code;
	off = xcalloc(f->nspecs + 1, sizeof(*off));
	for (size_t i = 0; i < f->nspecs; i++) {
		if (!find_school(f, f->specs[i].school)) {
			free(off);
			return err_set(e, ERR_DATA, "specialty %s of school '%s' has no school record",
				       f->specs[i].code, f->specs[i].school);
		}
		off[i] = total;
		total += f->specs[i].nyears;
		f->specs[i].cooperating = 0;
	}
	if (p->cond == VOC_COND_PEER_BOTTOM) {
		below = xcalloc(total + 1, sizeof(*below));
		peers = xcalloc(total + 1, sizeof(*peers));
		peer_ranks(p, f, off, total, below, peers);
	}
	for (size_t c = 0; c < f->ncoops; c++) {
		const struct voc_coop *co = &f->coops[c];
		struct voc_specialty *s;
		if (!co->specialty || !co->version || !active(co->start_year, co->end_year, year))
			continue;
		s = find_spec(f, co->school, co->version, co->specialty);
		if (s)
			s->cooperating = 1;
	}
	for (size_t i = 0; i < f->nspecs; i++) {
		const struct voc_specialty *s = &f->specs[i];
		struct voc_decision *dd = &d[i];
		size_t j = 0;
		int y0;

		memset(dd, 0, sizeof(*dd));
		dd->in_review = s->opened_year <= year &&
				(s->closed_year == 0 || s->closed_year >= year);
		if (!dd->in_review || !s->nyears || s->years[0].year > year)
			continue;
		y0 = s->years[0].year;
		dd->steps = arena_alloc(a, sizeof(*dd->steps) * (size_t)(year - y0 + 1));
		for (int y = y0; y <= year; y++) {
			struct voc_step *st = &dd->steps[dd->nsteps++];
			const struct voc_year *row = NULL;
			long b = -1, np = -1;
			while (j < s->nyears && s->years[j].year < y)
				j++;
			if (j < s->nyears && s->years[j].year == y) {
				row = &s->years[j];
				if (below) {
					b = below[off[i] + j];
					np = peers[off[i] + j];
				}
			}
			st->year = y;
			st->state = year_state(p, row, b, np, st);
			if (st->state == VOC_Y_MET)
				dd->run++;
			else if (st->state == VOC_Y_NOT_MET || p->undecided_breaks)
				dd->run = 0;
			st->run = dd->run;
		}
		dd->decided = dd->steps[dd->nsteps - 1].state != VOC_Y_UNDECIDED;
		if (dd->steps[dd->nsteps - 1].state == VOC_Y_MET)
			dd->action = dd->run >= p->run_years ? p->action : p->first_action;
	}
	free(off);
	free(below);
	free(peers);
	return 0;
}

const struct voc_year *voc_year_of(const struct voc_specialty *s, int year)
{
	for (size_t j = 0; j < s->nyears; j++)
		if (s->years[j].year == year)
			return &s->years[j];
	return NULL;
}

void voc_match_count(const struct voc_facts *f, const struct voc_decision *d,
		     const size_t *idx, size_t n, int year, struct voc_match *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t k = 0; k < n; k++) {
		const struct voc_specialty *s = &f->specs[idx[k]];
		const struct voc_year *y;
		int matched = s->key_industries && *s->key_industries;
		if (!d[idx[k]].in_review)
			continue;
		y = voc_year_of(s, year);
		m->specialties++;
		m->matched += matched;
		if (y) {
			m->enrolled += y->enrolled;
			if (matched)
				m->enrolled_matched += y->enrolled;
		}
	}
}

/* ---- result rows ---- */

static double ratio(long num, long den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

static void spec_id(struct buf *b, const struct voc_specialty *s)
{
	buf_reset(b);
	buf_addf(b, "%s:%s:%s", s->school, s->version, s->code);
}

static void ev_spec(struct buf *ev, const struct voc_facts *f, const struct voc_specialty *s)
{
	const struct voc_school *sc = find_school(f, s->school);
	buf_adds(ev, "\"school\":");
	buf_add_json_str(ev, s->school);
	buf_adds(ev, ",\"school_name\":");
	buf_add_json_str(ev, sc && sc->name ? sc->name : "");
	buf_adds(ev, ",\"code\":");
	buf_add_json_str(ev, s->code);
	buf_adds(ev, ",\"name\":");
	buf_add_json_str(ev, s->name ? s->name : "");
}

static double cond_threshold(const struct voc_params *p)
{
	return p->cond == VOC_COND_PEER_BOTTOM ? p->bottom_share
	       : p->cond == VOC_COND_ENROLMENT ? p->min_enrolled : p->min_rate;
}

/* Decimal appenders for the per-year evidence: a province has hundreds of thousands of
 * specialty-years, and printf dominates the engine's time otherwise. */
static void add_long(struct buf *b, long v)
{
	char t[24];
	int n = 0;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	char out[24];
	int m = 0;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[m++] = '-';
	while (n)
		out[m++] = t[--n];
	buf_add(b, out, (size_t)m);
}

static void add_kv(struct buf *b, const char *key, long v)
{
	buf_adds(b, key);
	add_long(b, v);
}

/* num/den as a percentage with one decimal, rounded half up, in integers. */
static void add_pct1(struct buf *b, long num, long den)
{
	long long t = (2000LL * num + den) / (2LL * den);
	add_long(b, (long)(t / 10));
	buf_addch(b, '.');
	add_long(b, (long)(t % 10));
	buf_addch(b, '%');
}

/* Texts that depend only on the rule, built once per run. */
struct rule_text {
	struct buf head;     /* ,"rule":...,"run_years":N,... up to "decision" */
	char thr[40];        /* the threshold as printed in explanations: "60%", "50", "10%" */
};

static void rule_text_init(struct rule_text *t, const struct voc_params *p)
{
	buf_init(&t->head, 256);
	buf_addf(&t->head, ",\"rule\":\"vocational.employment\",\"condition\":\"%s\","
		 "\"threshold\":%.10g,\"run_years\":%d,\"undecided_years\":\"%s\","
		 "\"first_action\":\"%s\",\"action\":\"%s\"", voc_cond_name(p->cond),
		 cond_threshold(p), p->run_years, p->undecided_breaks ? "break" : "skip",
		 voc_action_name(p->first_action), voc_action_name(p->action));
	if (p->cond == VOC_COND_ENROLMENT)
		snprintf(t->thr, sizeof(t->thr), "%g", p->min_enrolled);
	else
		snprintf(t->thr, sizeof(t->thr), "%g%%",
			 (p->cond == VOC_COND_PEER_BOTTOM ? p->bottom_share : p->min_rate) * 100);
}

static void explain_step(struct buf *b, const struct voc_params *p, const struct rule_text *rt,
			 const struct voc_step *st)
{
	int met = st->state == VOC_Y_MET;

	add_long(b, st->year);
	buf_adds(b, ": ");
	if (st->state == VOC_Y_UNDECIDED) {
		buf_adds(b, !st->has_row ? "no return" : p->cond == VOC_COND_PEER_BOTTOM &&
			 st->rate_den > 0 ? "too few peers" : "no graduates");
		buf_adds(b, p->undecided_breaks ? ", run ends" : ", skipped");
	} else if (p->cond == VOC_COND_ENROLMENT) {
		add_kv(b, "enrolled ", st->num);
		buf_adds(b, met ? " < " : " >= ");
		buf_adds(b, rt->thr);
	} else if (p->cond == VOC_COND_PEER_BOTTOM) {
		add_kv(b, "rate ", st->rate_num);
		add_kv(b, "/", st->rate_den);
		add_kv(b, ", ", st->num);
		add_kv(b, " of ", st->den);
		buf_adds(b, met ? " peers lower: in the bottom " : " peers lower: not in the bottom ");
		buf_adds(b, rt->thr);
	} else {
		add_kv(b, "rate ", st->num);
		add_kv(b, "/", st->den);
		buf_adds(b, " = ");
		add_pct1(b, st->num, st->den);
		buf_adds(b, met ? " below " : " not below ");
		buf_adds(b, rt->thr);
	}
	if (st->state != VOC_Y_UNDECIDED || !p->undecided_breaks) {
		add_kv(b, " (run ", st->run);
		buf_addch(b, ')');
	}
}

static void add_review_row(struct result_set *out, const struct voc_params *p,
			   const struct rule_text *rt, const struct voc_facts *f,
			   const struct voc_specialty *s, const struct voc_decision *d, int year,
			   struct buf *id, struct buf *ev, struct buf *why)
{
	static const char *const states[] = { "not_met", "met", "undecided" };
	enum verdict v;

	buf_reset(ev);
	buf_reset(why);
	buf_addch(ev, '{');
	ev_spec(ev, f, s);
	buf_add(ev, rt->head.buf, rt->head.len);
	buf_adds(ev, ",\"decision\":\"");
	buf_adds(ev, voc_action_name(d->action));
	buf_adds(ev, "\",\"decision_zh\":\"");
	buf_adds(ev, voc_action_zh(d->action));
	add_kv(ev, "\",\"run\":", d->run);
	buf_adds(ev, ",\"years\":[");
	for (size_t k = 0; k < d->nsteps; k++) {
		const struct voc_step *st = &d->steps[k];
		const struct voc_year *y = voc_year_of(s, st->year);
		add_kv(ev, k ? ",{\"year\":" : "{\"year\":", st->year);
		buf_adds(ev, ",\"state\":\"");
		buf_adds(ev, states[st->state]);
		add_kv(ev, "\",\"run\":", st->run);
		if (y) {
			add_kv(ev, ",\"enrolled\":", y->enrolled);
			add_kv(ev, ",\"graduates\":", y->graduates);
			add_kv(ev, ",\"employed\":", y->employed);
			add_kv(ev, ",\"further_study\":", y->further_study);
		}
		if (p->cond == VOC_COND_PEER_BOTTOM && st->state != VOC_Y_UNDECIDED) {
			add_kv(ev, ",\"peers\":", st->den);
			add_kv(ev, ",\"peers_lower\":", st->num);
		}
		buf_addch(ev, '}');
		if (k)
			buf_adds(why, "; ");
		explain_step(why, p, rt, st);
	}
	if (!d->decided)
		buf_adds(why, d->nsteps ? "; not decided this year" : "no returns up to this year");
	else if (d->action == VOC_ACT_NONE)
		buf_adds(why, "; no action");
	else {
		buf_adds(why, "; ");
		buf_adds(why, voc_action_zh(d->action));
		buf_adds(why, " (");
		buf_adds(why, voc_action_name(d->action));
		buf_addch(why, ')');
	}
	buf_adds(ev, "],\"explanation\":");
	buf_add_json_str(ev, why->buf);
	buf_addch(ev, '}');

	v = !d->decided ? V_NA : d->action == VOC_ACT_NONE ? V_PASS
		: d->action == VOC_ACT_WARN ? V_WARN : V_FAIL;
	spec_id(id, s);
	results_add_row(out, "VOC.REVIEW", "specialty", id->buf, "", year, d->run, d->run,
			p->run_years, cond_threshold(p), v, ev->buf);
}

static void add_spec_rows(struct result_set *out, const struct voc_params *p,
			  const struct voc_facts *f, const struct voc_specialty *s, int year,
			  struct buf *id, struct buf *ev)
{
	const struct voc_year *y = voc_year_of(s, year);
	long ok = y ? y->employed + y->further_study : 0;
	enum verdict v;

	spec_id(id, s);
	buf_reset(ev);
	buf_addch(ev, '{');
	ev_spec(ev, f, s);
	if (y) {
		add_kv(ev, ",\"graduates\":", y->graduates);
		add_kv(ev, ",\"employed\":", y->employed);
		add_kv(ev, ",\"further_study\":", y->further_study);
		add_kv(ev, ",\"in_trade\":", y->in_trade);
		add_kv(ev, ",\"surveyed\":", y->surveyed);
		add_kv(ev, ",\"satisfied\":", y->satisfied);
	} else {
		buf_adds(ev, ",\"reason\":\"no return for the year\"");
	}
	buf_addch(ev, '}');
	v = !y || y->graduates <= 0 ? V_NA : frac_below(ok, y->graduates, p->min_rate) ? V_FAIL
										      : V_PASS;
	results_add_row(out, "VOC.EMP", "specialty", id->buf, "", year,
			y ? ratio(ok, y->graduates) : NAN, y ? (double)ok : NAN,
			y ? (double)y->graduates : NAN, p->min_rate, v, ev->buf);
	results_add_row(out, "VOC.TRADE", "specialty", id->buf, "", year,
			y ? ratio(y->in_trade, y->employed) : NAN, y ? (double)y->in_trade : NAN,
			y ? (double)y->employed : NAN, NAN, V_NA, ev->buf);
	v = !y || y->surveyed <= 0 ? V_NA
		: (double)y->surveyed < p->satisfaction_min_sample ? V_WARN : V_PASS;
	results_add_row(out, "VOC.SATISF", "specialty", id->buf, "", year,
			y ? ratio(y->satisfied, y->surveyed) : NAN, y ? (double)y->satisfied : NAN,
			y ? (double)y->surveyed : NAN, p->satisfaction_min_sample, v, ev->buf);
}

/* Specialties of the city in review, ordered by (version, code): sites per code. */
static int cmp_site(const void *x, const void *y)
{
	const struct voc_specialty *a = *(const struct voc_specialty *const *)x,
				   *b = *(const struct voc_specialty *const *)y;
	int c = strcmp(a->version, b->version);
	if (!c)
		c = strcmp(a->code, b->code);
	if (!c)
		c = strcmp(a->school, b->school);
	return c;
}

static void add_sites(struct result_set *out, const struct voc_params *p, const char *city,
		      const struct voc_specialty **v, size_t n, long schools, int year,
		      struct buf *id, struct buf *ev)
{
	for (size_t a = 0, b; a < n; a = b) {
		long sites = 0, fresh = 0;
		enum verdict vd = V_PASS;
		for (b = a; b < n && !strcmp(v[b]->version, v[a]->version) &&
		     !strcmp(v[b]->code, v[a]->code); b++) {
			sites++;
			fresh += v[b]->opened_year == year;
		}
		buf_reset(ev);
		buf_adds(ev, "{\"code\":");
		buf_add_json_str(ev, v[a]->code);
		buf_adds(ev, ",\"name\":");
		buf_add_json_str(ev, v[a]->name ? v[a]->name : "");
		buf_addf(ev, ",\"opened_this_year\":%ld,\"schools\":[", fresh);
		for (size_t k = a; k < b; k++) {
			if (k > a)
				buf_addch(ev, ',');
			buf_add_json_str(ev, v[k]->school);
		}
		buf_addch(ev, ']');
		if ((long long)sites * 1000000LL > ppm(p->sites_max_share) * schools) {
			vd = fresh ? V_FAIL : V_WARN;
			buf_adds(ev, fresh ? ",\"note\":\"new site above the share of schools\""
				 : ",\"note\":\"no new site allowed: above the share of schools\"");
		}
		buf_addch(ev, '}');
		buf_reset(id);
		buf_addf(id, "%s:%s:%s", city, v[a]->version, v[a]->code);
		results_add_row(out, "VOC.SITES", "specialty", id->buf, "", year,
				ratio(sites, schools), sites, schools, p->sites_max_share, vd, ev->buf);
	}
}

static void add_match(struct result_set *out, const struct voc_params *p,
		      const struct voc_facts *f, const struct voc_decision *d, const char *city,
		      const size_t *idx, size_t n, int year, struct buf *ev)
{
	struct voc_match m;
	int first = 1;

	voc_match_count(f, d, idx, n, year, &m);
	buf_reset(ev);
	buf_addf(ev, "{\"specialties\":%ld,\"matched\":%ld,\"enrolled\":%ld,"
		 "\"enrolled_matched\":%ld,\"unmatched\":[", m.specialties, m.matched, m.enrolled,
		 m.enrolled_matched);
	for (size_t k = 0; k < n; k++) {
		const struct voc_specialty *s = &f->specs[idx[k]];
		const struct voc_year *y;
		if (!d[idx[k]].in_review || (s->key_industries && *s->key_industries))
			continue;
		y = voc_year_of(s, year);
		buf_adds(ev, first ? "{" : ",{");
		first = 0;
		ev_spec(ev, f, s);
		buf_addf(ev, ",\"enrolled\":%ld}", y ? y->enrolled : 0L);
	}
	buf_adds(ev, "]}");
	results_add_row(out, "VOC.MATCH", "city", city, "", year, ratio(m.matched, m.specialties),
			m.matched, m.specialties, p->match_target,
			!m.specialties ? V_NA : voc_share_at_least(m.matched, m.specialties,
								    p->match_target) ? V_PASS : V_FAIL,
			ev->buf);
	results_add_row(out, "VOC.MATCH.W", "city", city, "", year,
			ratio(m.enrolled_matched, m.enrolled), m.enrolled_matched, m.enrolled,
			p->match_target,
			!m.enrolled ? V_NA : voc_share_at_least(m.enrolled_matched, m.enrolled,
								 p->match_target) ? V_PASS : V_FAIL,
			ev->buf);
}

/* History: specialties opened and closed per year, every year up to `year` with one, and
 * `year` itself. */
static void add_history(struct result_set *out, const struct voc_facts *f, const char *city,
			const size_t *idx, size_t n, int year, struct buf *ev)
{
	int ymin = year;

	for (size_t k = 0; k < n; k++)
		if (f->specs[idx[k]].opened_year < ymin)
			ymin = f->specs[idx[k]].opened_year;
	for (int y = ymin; y <= year; y++)
		for (int closed = 0; closed < 2; closed++) {
			long cnt = 0;
			buf_reset(ev);
			buf_adds(ev, "{\"specialties\":[");
			for (size_t k = 0; k < n; k++) {
				const struct voc_specialty *s = &f->specs[idx[k]];
				if ((closed ? s->closed_year : s->opened_year) != y)
					continue;
				buf_adds(ev, cnt++ ? ",{" : "{");
				ev_spec(ev, f, s);
				buf_addch(ev, '}');
			}
			buf_adds(ev, "]}");
			if (cnt || y == year)
				results_add_row(out, closed ? "VOC.CLOSED" : "VOC.OPENED", "city",
						city, "", y, cnt, cnt, NAN, NAN, V_NA, ev->buf);
		}
}

int voc_run(const struct voc_params *p, struct voc_facts *f, int year,
	    struct result_set *out, struct err *e)
{
	struct arena a;
	struct voc_decision *d = xcalloc(f->nspecs + 1, sizeof(*d));
	const struct voc_specialty **v = xcalloc(f->nspecs + 1, sizeof(*v));
	struct buf id = BUF_INIT, ev = BUF_INIT, why = BUF_INIT;
	struct voc_index x;
	struct rule_text rt;
	int rc;

	arena_init(&a, 0);
	rule_text_init(&rt, p);
	rc = voc_decide(p, f, year, d, &a, e);
	if (rc == 0)
		rc = voc_index_build(f, &x, e);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < f->nspecs; i++) {
		if (!d[i].in_review)
			continue;
		add_spec_rows(out, p, f, &f->specs[i], year, &id, &ev);
		add_review_row(out, p, &rt, f, &f->specs[i], &d[i], year, &id, &ev, &why);
	}
	for (size_t c = 0; c < x.ncities; c++) {
		const size_t *idx = x.city_specs + x.city_spec_start[c];
		size_t n = x.city_spec_start[c + 1] - x.city_spec_start[c], nv = 0;
		long schools = (long)(x.city_school_start[c + 1] - x.city_school_start[c]);
		for (size_t k = 0; k < n; k++)
			if (d[idx[k]].in_review)
				v[nv++] = &f->specs[idx[k]];
		if (nv)
			qsort(v, nv, sizeof(*v), cmp_site);
		add_sites(out, p, x.cities[c], v, nv, schools, year, &id, &ev);
		add_match(out, p, f, d, x.cities[c], idx, n, year, &ev);
		add_history(out, f, x.cities[c], idx, n, year, &ev);
	}
	voc_coop_rows(out, f, d, &x, year);
	voc_index_release(&x);
out:
	free(v);
	free(d);
	buf_release(&id);
	buf_release(&ev);
	buf_release(&why);
	buf_release(&rt.head);
	arena_release(&a);
	return rc;
}
