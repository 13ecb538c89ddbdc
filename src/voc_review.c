/* voc_review.c: the annual specialty review listing (see voc_review.h): rules and facts
 * through the vocational mechanism's loader, decisions from the engine, grouped per city;
 * and its JSON form (shared by the CLI and, later, the API). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "store.h"
#include "voc_review.h"
#include "xmalloc.h"
#include "banned.h"

const char *const voc_section_names[3] = { "close", "stop_enrolment", "warn" };
const char *const voc_section_zh[3] = { "撤销", "停招", "预警" };

static const struct voc_school *school_of(const struct voc_review *r, const char *code)
{
	for (size_t lo = 0, hi = r->data.f.nschools; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->data.f.schools[mid].code, code);
		if (!c)
			return &r->data.f.schools[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *voc_review_school_name(const struct voc_review *r, const char *school)
{
	const struct voc_school *s = school_of(r, school);
	return s && s->name ? s->name : "";
}

const struct voc_year *voc_review_year(const struct voc_review *r, size_t i, int y)
{
	const struct voc_specialty *s = &r->data.f.specs[i];
	for (size_t j = 0; j < s->nyears; j++)
		if (s->years[j].year == y)
			return &s->years[j];
	return NULL;
}

/* The city's sections, unmatched, opened and closed lists from its specialties idx[n]. */
static void build_city(struct voc_review *r, struct voc_review_city *c, const size_t *idx,
		       size_t n)
{
	const struct voc_facts *f = &r->data.f;

	for (int k = 0; k < 3; k++)
		c->listed[k] = arena_alloc(&r->arena, (n + 1) * sizeof(size_t));
	c->unmatched = arena_alloc(&r->arena, (n + 1) * sizeof(size_t));
	c->opened = arena_alloc(&r->arena, (n + 1) * sizeof(size_t));
	c->closed = arena_alloc(&r->arena, (n + 1) * sizeof(size_t));
	for (size_t k = 0; k < n; k++) {
		size_t i = idx[k];
		const struct voc_specialty *s = &f->specs[i];
		const struct voc_decision *d = &r->d[i];
		if (s->opened_year == r->year)
			c->opened[c->nopened++] = i;
		if (s->closed_year == r->year)
			c->closed[c->nclosed++] = i;
		if (!d->in_review)
			continue;
		if (d->action == VOC_ACT_CLOSE)
			c->listed[VOC_SEC_CLOSE][c->nlisted[VOC_SEC_CLOSE]++] = i;
		else if (d->action == VOC_ACT_STOP_ENROLMENT)
			c->listed[VOC_SEC_STOP][c->nlisted[VOC_SEC_STOP]++] = i;
		else if (d->action == VOC_ACT_WARN)
			c->listed[VOC_SEC_WARN][c->nlisted[VOC_SEC_WARN]++] = i;
		if (!s->key_industries || !*s->key_industries)
			c->unmatched[c->nunmatched++] = i;
	}
	voc_match_count(f, r->d, idx, n, r->year, &c->match);
	c->match_ok = voc_share_at_least(c->match.matched, c->match.specialties, r->p.match_target);
	c->match_w_ok = voc_share_at_least(c->match.enrolled_matched, c->match.enrolled,
					   r->p.match_target);
}

int voc_review_load(struct store *s, const char *as_of, int year, struct voc_review *r,
		    struct err *e)
{
	struct rule_set *rules;
	struct voc_index x;
	int rc;

	memset(r, 0, sizeof(*r));
	arena_init(&r->arena, 0);
	if (!year) {
		int64_t y = 0;
		if (store_query_int(s, "SELECT max(year) FROM specialty_year", &y, e) < 0)
			return e->code;
		if (!y)
			return err_set(e, ERR_DATA, "no specialty returns in the database; import "
				       "specialty_year first or pass --year");
		year = (int)y;
	}
	r->year = year;
	rules = rules_load(s, as_of, e);
	if (!rules)
		return e->code;
	rc = voc_load_params(rules, &r->p, e);
	if (!rc)
		r->rule_versions = rules_used_json(rules);
	rules_free(rules);
	if (rc < 0)
		return rc;
	if (voc_data_load(s, year, NULL, &r->data, e) < 0)
		return e->code;
	r->d = xcalloc(r->data.f.nspecs + 1, sizeof(*r->d));
	if (voc_decide(&r->p, &r->data.f, year, r->d, &r->arena, e) < 0) {
		voc_review_release(r);
		return e->code;
	}
	if (voc_index_build(&r->data.f, &x, e) < 0) {
		voc_review_release(r);
		return e->code;
	}
	r->cities = xcalloc(x.ncities + 1, sizeof(*r->cities));
	for (size_t k = 0; k < x.ncities; k++) {
		struct voc_review_city *c = &r->cities[r->ncities++];
		const size_t *ss = x.city_schools + x.city_school_start[k];
		c->code = x.cities[k];
		c->name = x.city_school_start[k + 1] > x.city_school_start[k]
			? r->data.f.schools[ss[0]].city_name : NULL;
		build_city(r, c, x.city_specs + x.city_spec_start[k],
			   x.city_spec_start[k + 1] - x.city_spec_start[k]);
	}
	voc_index_release(&x);
	return 0;
}

void voc_review_release(struct voc_review *r)
{
	free(r->rule_versions);
	free(r->d);
	free(r->cities);
	voc_data_release(&r->data);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON ---- */

static void json_rate(struct buf *b, const char *key, long num, long den)
{
	buf_addf(b, ",\"%s\":", key);
	if (den > 0)
		buf_addf(b, "%.10g", (double)num / (double)den);
	else
		buf_adds(b, "null");
}

static void json_spec(struct buf *b, const struct voc_review *r, size_t i)
{
	const struct voc_specialty *s = &r->data.f.specs[i];
	buf_adds(b, "{\"school\":");
	buf_add_json_str(b, s->school);
	buf_adds(b, ",\"school_name\":");
	buf_add_json_str(b, voc_review_school_name(r, s->school));
	buf_adds(b, ",\"catalog_version\":");
	buf_add_json_str(b, s->version);
	buf_adds(b, ",\"code\":");
	buf_add_json_str(b, s->code);
	buf_adds(b, ",\"name\":");
	buf_add_json_str(b, s->name ? s->name : "");
	buf_adds(b, ",\"category\":");
	buf_add_json_str(b, s->category ? s->category : "");
}

static void json_decision(struct buf *b, const struct voc_review *r, size_t i)
{
	static const char *const states[] = { "not_met", "met", "undecided" };
	const struct voc_decision *d = &r->d[i];

	json_spec(b, r, i);
	buf_addf(b, ",\"decision\":\"%s\",\"decision_zh\":\"%s\",\"run\":%d,\"years\":[",
		 voc_action_name(d->action), voc_action_zh(d->action), d->run);
	for (size_t k = 0; k < d->nsteps; k++) {
		const struct voc_step *st = &d->steps[k];
		const struct voc_year *y = voc_review_year(r, i, st->year);
		buf_addf(b, "%s{\"year\":%d,\"state\":\"%s\",\"run\":%d", k ? "," : "", st->year,
			 states[st->state], st->run);
		if (y) {
			buf_addf(b, ",\"enrolled\":%ld,\"graduates\":%ld,\"employed\":%ld,"
				 "\"further_study\":%ld,\"in_trade\":%ld,\"surveyed\":%ld,"
				 "\"satisfied\":%ld", y->enrolled, y->graduates, y->employed,
				 y->further_study, y->in_trade, y->surveyed, y->satisfied);
			json_rate(b, "employment_rate", y->employed + y->further_study, y->graduates);
			json_rate(b, "in_trade_rate", y->in_trade, y->employed);
			json_rate(b, "satisfaction", y->satisfied, y->surveyed);
		}
		if (r->p.cond == VOC_COND_PEER_BOTTOM && st->state != VOC_Y_UNDECIDED)
			buf_addf(b, ",\"peers\":%ld,\"peers_lower\":%ld", st->den, st->num);
		buf_addch(b, '}');
	}
	buf_adds(b, "]}");
}

static void json_list(struct buf *b, const struct voc_review *r, const size_t *v, size_t n,
		      int with_enrolment)
{
	buf_addch(b, '[');
	for (size_t k = 0; k < n; k++) {
		const struct voc_year *y = voc_review_year(r, v[k], r->year);
		if (k)
			buf_addch(b, ',');
		json_spec(b, r, v[k]);
		if (with_enrolment)
			buf_addf(b, ",\"enrolled\":%ld", y ? y->enrolled : 0L);
		buf_addch(b, '}');
	}
	buf_addch(b, ']');
}

void voc_review_json(const struct voc_review *r, struct buf *b)
{
	const struct voc_params *p = &r->p;

	buf_addf(b, "{\"year\":%d,\"rule_versions\":%s,\"rule\":{\"condition\":\"%s\","
		 "\"min_rate\":%.10g,\"bottom_share\":%.10g,\"min_enrolled\":%.10g,"
		 "\"run_years\":%d,\"first_action\":\"%s\",\"action\":\"%s\",\"no_graduates\":\"%s\","
		 "\"match_target\":%.10g},\"cities\":[", r->year, r->rule_versions,
		 voc_cond_name(p->cond), p->min_rate, p->bottom_share, p->min_enrolled,
		 p->run_years, voc_action_name(p->first_action), voc_action_name(p->action),
		 p->undecided_breaks ? "break" : "skip", p->match_target);
	for (size_t c = 0; c < r->ncities; c++) {
		const struct voc_review_city *rc = &r->cities[c];
		buf_adds(b, c ? ",{\"city\":" : "{\"city\":");
		buf_add_json_str(b, rc->code);
		buf_adds(b, ",\"name\":");
		buf_add_json_str(b, rc->name ? rc->name : "");
		for (int k = 0; k < 3; k++) {
			buf_addf(b, ",\"%s\":[", voc_section_names[k]);
			for (size_t j = 0; j < rc->nlisted[k]; j++) {
				if (j)
					buf_addch(b, ',');
				json_decision(b, r, rc->listed[k][j]);
			}
			buf_addch(b, ']');
		}
		buf_addf(b, ",\"match\":{\"specialties\":%ld,\"matched\":%ld", rc->match.specialties,
			 rc->match.matched);
		json_rate(b, "rate", rc->match.matched, rc->match.specialties);
		buf_addf(b, ",\"pass\":%s,\"enrolled\":%ld,\"enrolled_matched\":%ld",
			 rc->match_ok ? "true" : "false", rc->match.enrolled,
			 rc->match.enrolled_matched);
		json_rate(b, "weighted_rate", rc->match.enrolled_matched, rc->match.enrolled);
		buf_addf(b, ",\"weighted_pass\":%s,\"unmatched\":", rc->match_w_ok ? "true" : "false");
		json_list(b, r, rc->unmatched, rc->nunmatched, 1);
		buf_adds(b, "},\"opened\":");
		json_list(b, r, rc->opened, rc->nopened, 0);
		buf_adds(b, ",\"closed\":");
		json_list(b, r, rc->closed, rc->nclosed, 0);
		buf_addch(b, '}');
	}
	buf_adds(b, "]}\n");
}
