/* eng_safety.c: the safety engine (SPEC §2.7) and the ledger's state and field names.
 * Pure: see eng_safety.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "eng_safety.h"
#include "err.h"
#include "eval.h"
#include "xmalloc.h"
#include "banned.h"

static const struct {
	const char *name, *zh;
} states[HZ_NSTATES] = {
	{ "found", "发现" }, { "registered", "已登记" }, { "assigned", "已交办" },
	{ "rectifying", "整改中" }, { "accepted", "已验收" }, { "closed", "已销号" },
};

static const struct {
	const char *name, *zh;
} fields[HZF_NFIELDS] = {
	{ "measures", "整改措施" }, { "responsible", "责任人" }, { "funds", "整改资金" },
	{ "deadline", "整改时限" }, { "contingency_plan", "应急预案" },
};

const char *const hz_categories[] = { "drowning", "building", "fire", "food", "traffic",
	"bullying", "lab_chemicals", "special_equipment", "gas_electric", "dormitory",
	"surroundings", "natural_disaster", "epidemic", "mental_health", NULL };
#define NCAT 14

const char *hz_state_name(enum hz_state s)
{
	return (unsigned)s < HZ_NSTATES ? states[s].name : "?";
}

const char *hz_state_zh(enum hz_state s)
{
	return (unsigned)s < HZ_NSTATES ? states[s].zh : "?";
}

int hz_state_parse(const char *s)
{
	for (int i = 0; s && i < HZ_NSTATES; i++)
		if (!strcmp(states[i].name, s))
			return i;
	return -1;
}

const char *hz_field_name(int i)
{
	return i >= 0 && i < HZF_NFIELDS ? fields[i].name : "?";
}

const char *hz_field_zh(int i)
{
	return i >= 0 && i < HZF_NFIELDS ? fields[i].zh : "?";
}

int hz_fields_parse(const char *list, unsigned *mask, struct err *e)
{
	*mask = 0;
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		int i;
		for (i = 0; i < HZF_NFIELDS; i++)
			if (strlen(fields[i].name) == len && !strncmp(fields[i].name, list, len))
				break;
		if (i == HZF_NFIELDS)
			return err_set(e, ERR_DATA, "unknown hazard field '%.*s' (known: measures, "
				       "responsible, funds, deadline, contingency_plan)", (int)len, list);
		*mask |= 1u << i;
		list += len + (end ? 1 : 0);
	}
	return 0;
}

int hz_overdue(const struct sf_hazard *h, long as_of)
{
	return h->deadline >= 0 && as_of > h->deadline && h->state != HZ_ACCEPTED &&
	       h->state != HZ_CLOSED;
}

/* ---- the engine ---- */

struct sort_ctx {
	const struct sf_hazard *h;
	const struct sf_school *s;
};

static int by_place(const void *a, const void *b)
{
	const struct sort_ctx *x = a, *y = b;
	int c = strcmp(x->s->county, y->s->county);
	if (c)
		return c;
	if ((c = strcmp(x->s->code, y->s->code)))
		return c;
	return strcmp(x->h->code, y->h->code);
}

/* Open, overdue, rectification rate and mean days to close over v[0..n) for one unit. */
static void unit_rows(const char *kind, const char *id, const struct sort_ctx *v, size_t n,
		      const struct sf_params *p, int year, struct result_set *out)
{
	size_t cat[NCAT] = { 0 }, open = 0, major = 0, overdue = 0, registered = 0, rect = 0;
	size_t closed = 0, k = 0;
	double days = 0;
	struct buf ev = BUF_INIT;

	buf_adds(&ev, "{\"overdue\":[");
	for (size_t i = 0; i < n; i++) {
		const struct sf_hazard *h = v[i].h;
		if (h->state != HZ_FOUND)
			registered++;
		if (h->state == HZ_ACCEPTED || h->state == HZ_CLOSED)
			rect++;
		if (h->state == HZ_CLOSED && h->closed >= 0) {
			closed++;
			days += (double)(h->closed - h->found);
		}
		if (h->state != HZ_CLOSED) {
			open++;
			major += h->major != 0;
			if (h->category >= 0 && h->category < NCAT)
				cat[h->category]++;
		}
		if (hz_overdue(h, p->as_of)) {
			char dl[11];
			overdue++;
			if (k++ >= 50)
				continue; /* the count is complete; the list stops at 50 */
			date_format(h->deadline, dl);
			buf_addf(&ev, "%s{\"code\":", k > 1 ? "," : "");
			buf_add_json_str(&ev, h->code);
			buf_adds(&ev, ",\"school\":");
			buf_add_json_str(&ev, v[i].s->code);
			buf_addf(&ev, ",\"deadline\":\"%s\",\"days_overdue\":%ld,\"state\":\"%s\","
				 "\"major\":%s}", dl, p->as_of - h->deadline, hz_state_name(h->state),
				 h->major ? "true" : "false");
		}
	}
	buf_addf(&ev, "],\"listed\":%zu}", k < 50 ? k : 50);
	results_add_row(out, "SAFE.OVERDUE", kind, id, "", year, (double)overdue, (double)overdue,
			(double)open, 0, overdue ? V_FAIL : V_PASS, ev.buf);
	buf_reset(&ev);
	buf_adds(&ev, "{\"by_category\":{");
	k = 0;
	for (int c = 0; c < NCAT; c++)
		if (cat[c])
			buf_addf(&ev, "%s\"%s\":%zu", k++ ? "," : "", hz_categories[c], cat[c]);
	buf_addf(&ev, "},\"by_severity\":{\"major\":%zu,\"general\":%zu}}", major, open - major);
	results_add_row(out, "SAFE.OPEN", kind, id, "", year, (double)open, (double)major,
			(double)open, NAN, V_NA, ev.buf);
	results_add_row(out, "SAFE.RECTIFY", kind, id, "", year,
			registered ? (double)rect / (double)registered : NAN, (double)rect,
			(double)registered, NAN, V_NA,
			registered ? "{}" : "{\"reason\":\"no registered hazard\"}");
	results_add_row(out, "SAFE.CLOSE.DAYS", kind, id, "", year,
			closed ? days / (double)closed : NAN, days, (double)closed, NAN, V_NA,
			closed ? "{}" : "{\"reason\":\"no closed hazard\"}");
	buf_release(&ev);
}

/* SAFE.MAJOR.ITEMS for a major hazard past registration and not closed. */
static void major_row(const struct sort_ctx *c, const struct sf_params *p, int year,
		      struct result_set *out)
{
	struct buf ev = BUF_INIT;
	unsigned missing = p->major_required & ~c->h->have;
	int nreq = 0, nmiss = 0;

	buf_adds(&ev, "{\"school\":");
	buf_add_json_str(&ev, c->s->code);
	buf_addf(&ev, ",\"state\":\"%s\",\"missing\":[", hz_state_name(c->h->state));
	for (int i = 0; i < HZF_NFIELDS; i++) {
		nreq += (p->major_required >> i) & 1;
		if ((missing >> i) & 1) {
			buf_addf(&ev, "%s{\"field\":\"%s\",\"zh\":\"%s\"}", nmiss++ ? "," : "",
				 hz_field_name(i), hz_field_zh(i));
		}
	}
	buf_addch(&ev, ']');
	if (nmiss) {
		buf_adds(&ev, ",\"note\":\"major hazard (重大隐患) missing:");
		for (int i = 0, k = 0; i < HZF_NFIELDS; i++)
			if ((missing >> i) & 1)
				buf_addf(&ev, "%s %s (%s)", k++ ? "," : "", hz_field_name(i),
					 hz_field_zh(i));
		buf_addch(&ev, '"');
	}
	buf_addch(&ev, '}');
	results_add_row(out, "SAFE.MAJOR.ITEMS", "hazard", c->h->code, "", year, (double)nmiss,
			(double)(nreq - nmiss), (double)nreq, (double)nreq,
			nmiss ? V_FAIL : V_PASS, ev.buf);
	buf_release(&ev);
}

static int by_county(const void *a, const void *b)
{
	const struct sf_school *const *x = a, *const *y = b;
	int c = strcmp((*x)->county, (*y)->county);
	return c ? c : strcmp((*x)->code, (*y)->code);
}

static int by_building_place(const void *a, const void *b)
{
	const struct sf_building *const *x = a, *const *y = b;
	if ((*x)->school != (*y)->school)
		return (*x)->school < (*y)->school ? -1 : 1;
	return strcmp((*x)->code, (*y)->code);
}

/* SAFE.BUILDING.D per school with buildings and per county: critical-grade buildings in
 * use (fail when any). */
static void building_rows(const struct sf_input *in, const struct sf_params *p, int year,
			  struct result_set *out)
{
	const struct sf_building **b = xcalloc(in->nbuildings + 1, sizeof(*b));
	size_t *crit = xcalloc((size_t)in->nschools + 1, sizeof(size_t));
	size_t *nb = xcalloc((size_t)in->nschools + 1, sizeof(size_t));
	const struct sf_school **ord = xcalloc((size_t)in->nschools + 1, sizeof(*ord));
	size_t n = 0;
	struct buf ev = BUF_INIT;

	for (size_t i = 0; i < in->nbuildings; i++)
		if (in->buildings[i].school >= 0)
			b[n++] = &in->buildings[i];
	qsort(b, n, sizeof(*b), by_building_place);
	for (size_t i = 0; i < n;) {
		size_t j = i, k = 0;
		int s = b[i]->school;
		buf_reset(&ev);
		buf_addf(&ev, "{\"critical_grade\":\"%c\",\"buildings\":[", p->critical_grade);
		for (; j < n && b[j]->school == s; j++) {
			nb[s]++;
			if (b[j]->grade != p->critical_grade || !b[j]->in_use)
				continue;
			crit[s]++;
			buf_adds(&ev, k++ ? ",{\"code\":" : "{\"code\":");
			buf_add_json_str(&ev, b[j]->code);
			buf_adds(&ev, ",\"name\":");
			buf_add_json_str(&ev, b[j]->name);
			buf_addch(&ev, '}');
		}
		buf_addf(&ev, "],\"buildings_total\":%zu", nb[s]);
		if (crit[s])
			buf_addf(&ev, ",\"note\":\"%zu %c-grade building(s) in use: critical\"",
				 crit[s], p->critical_grade);
		buf_addch(&ev, '}');
		results_add_row(out, "SAFE.BUILDING.D", "school", in->schools[s].code, "", year,
				(double)crit[s], (double)crit[s], (double)nb[s], 0,
				crit[s] ? V_FAIL : V_PASS, ev.buf);
		i = j;
	}
	/* counties, in code order */
	for (int s = 0; s < in->nschools; s++)
		ord[s] = &in->schools[s];
	qsort(ord, (size_t)in->nschools, sizeof(*ord), by_county);
	for (int i = 0; i < in->nschools;) {
		int j = i;
		size_t c = 0, t = 0, k = 0;
		const char *county = ord[i]->county;
		buf_reset(&ev);
		buf_addf(&ev, "{\"critical_grade\":\"%c\",\"schools\":[", p->critical_grade);
		for (; j < in->nschools && !strcmp(ord[j]->county, county); j++) {
			int s = (int)(ord[j] - in->schools);
			c += crit[s];
			t += nb[s];
			if (crit[s]) {
				buf_adds(&ev, k++ ? ",{\"code\":" : "{\"code\":");
				buf_add_json_str(&ev, in->schools[s].code);
				buf_adds(&ev, ",\"name\":");
				buf_add_json_str(&ev, in->schools[s].name);
				buf_addf(&ev, ",\"buildings\":%zu}", crit[s]);
			}
		}
		buf_adds(&ev, "]}");
		if (t && *county)
			results_add_row(out, "SAFE.BUILDING.D", "county", county, "", year, (double)c,
					(double)c, (double)t, 0, c ? V_FAIL : V_PASS, ev.buf);
		i = j;
	}
	buf_release(&ev);
	free(ord);
	free(nb);
	free(crit);
	free(b);
}

void safety_run(const struct sf_input *in, const struct sf_params *p, int year,
		struct result_set *out)
{
	struct sort_ctx *v = xcalloc(in->nhazards + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < in->nhazards; i++) {
		const struct sf_hazard *h = &in->hazards[i];
		if (h->school < 0 || h->school >= in->nschools || h->found > p->as_of)
			continue; /* not yet found at the evaluation date */
		v[n].h = h;
		v[n].s = &in->schools[h->school];
		n++;
	}
	qsort(v, n, sizeof(*v), by_place);
	for (size_t i = 0; i < n; i++)
		if (v[i].h->major && v[i].h->state >= HZ_ASSIGNED && v[i].h->state != HZ_CLOSED)
			major_row(&v[i], p, year, out);
	for (size_t i = 0; i < n;) { /* schools */
		size_t j = i;
		while (j < n && v[j].s == v[i].s)
			j++;
		unit_rows("school", v[i].s->code, v + i, j - i, p, year, out);
		i = j;
	}
	for (size_t i = 0; i < n;) { /* counties */
		size_t j = i;
		while (j < n && !strcmp(v[j].s->county, v[i].s->county))
			j++;
		if (*v[i].s->county)
			unit_rows("county", v[i].s->county, v + i, j - i, p, year, out);
		i = j;
	}
	building_rows(in, p, year, out);
	free(v);
}
