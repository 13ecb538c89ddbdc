/* hazard.c: the hazard ledger's state machine and its reads and writes (see hazard.h).
 * SQL here is portable (SQLite and PostgreSQL). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "hazard.h"
#include "rules.h"
#include "scope.h"
#include "svc.h"
#include "table.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

const struct hz_transition hz_transitions[HZ_NSTEPS] = {
	[HZ_STEP_REGISTER] = { "register", "登记", HZ_FOUND, HZ_REGISTERED },
	[HZ_STEP_ASSIGN] = { "assign", "交办", HZ_REGISTERED, HZ_ASSIGNED },
	[HZ_STEP_START] = { "start", "开始整改", HZ_ASSIGNED, HZ_RECTIFYING },
	[HZ_STEP_ACCEPT] = { "accept", "验收", HZ_RECTIFYING, HZ_ACCEPTED },
	[HZ_STEP_CLOSE] = { "close", "销号", HZ_ACCEPTED, HZ_CLOSED },
};

int hz_step_parse(const char *verb)
{
	for (int i = 0; verb && i < HZ_NSTEPS; i++)
		if (!strcmp(hz_transitions[i].verb, verb))
			return i;
	return -1;
}

int hz_rules_load(struct rule_set *rules, struct hz_rules *r, struct err *e)
{
	const char *maj = rules_str(rules, "safety.major_hazard", "required", e);
	const char *gen = maj ? rules_str(rules, "safety.major_hazard", "general_required", e)
			      : NULL;
	if (!gen || hz_fields_parse(maj, &r->major_required, e) < 0 ||
	    hz_fields_parse(gen, &r->general_required, e) < 0)
		return e->code;
	return 0;
}

static unsigned fields_present(const struct hazard *h)
{
	unsigned m = 0;
	m |= h->measures && *h->measures ? HZF_MEASURES : 0;
	m |= h->responsible && *h->responsible ? HZF_RESPONSIBLE : 0;
	m |= isfinite(h->funds) ? HZF_FUNDS : 0;
	m |= h->deadline && *h->deadline ? HZF_DEADLINE : 0;
	m |= h->contingency_plan && *h->contingency_plan ? HZF_CONTINGENCY : 0;
	return m;
}

static void add_fields(struct buf *b, unsigned mask)
{
	int k = 0;
	for (int i = 0; i < HZF_NFIELDS; i++)
		if ((mask >> i) & 1)
			buf_addf(b, "%s%s (%s)", k++ ? ", " : "", hz_field_name(i), hz_field_zh(i));
}

int hazard_check_step(const struct hazard *h, int step, const char *date,
		      const struct hz_rules *r, struct err *e)
{
	const struct hz_transition *t;
	long d, found;

	if (step < 0 || step >= HZ_NSTEPS)
		return err_set(e, ERR_USAGE, "unknown hazard step");
	t = &hz_transitions[step];
	if (h->state != t->from)
		return err_set(e, ERR_DATA, "cannot %s hazard '%s': it is %s (%s); %s needs %s (%s)",
			       t->verb, h->code, hz_state_name(h->state), hz_state_zh(h->state),
			       t->verb, hz_state_name(t->from), hz_state_zh(t->from));
	if (date_parse(date, &d) < 0)
		return err_set(e, ERR_USAGE, "'%s' is not a date (YYYY-MM-DD)", date ? date : "");
	if (date_parse(h->found_date, &found) < 0)
		found = d; /* the schema guarantees a found date; without one nothing is before it */
	if (d < found)
		return err_set(e, ERR_DATA, "cannot %s hazard '%s' on %s: it was found on %s",
			       t->verb, h->code, date, h->found_date);
	if (step == HZ_STEP_ASSIGN) {
		unsigned need = r->general_required | (h->is_major ? r->major_required : 0);
		unsigned missing = need & ~fields_present(h);
		long dl;
		if (missing) {
			struct buf b = BUF_INIT;
			add_fields(&b, missing);
			if (h->is_major) {
				struct buf all = BUF_INIT;
				add_fields(&all, need);
				err_set(e, ERR_DATA, "cannot assign major hazard '%s' (重大隐患): missing "
					"%s; a major hazard needs all of (五落实) %s", h->code, b.buf,
					all.buf);
				buf_release(&all);
			} else {
				err_set(e, ERR_DATA, "cannot assign hazard '%s': missing %s", h->code,
					b.buf);
			}
			buf_release(&b);
			return e->code;
		}
		if (h->deadline && *h->deadline) {
			if (date_parse(h->deadline, &dl) < 0)
				return err_set(e, ERR_USAGE, "deadline '%s' is not a date (YYYY-MM-DD)",
					       h->deadline);
			if (dl < found)
				return err_set(e, ERR_DATA, "cannot assign hazard '%s': deadline %s is "
					       "before it was found (%s)", h->code, h->deadline,
					       h->found_date);
		}
		if (isfinite(h->funds) && h->funds < 0)
			return err_set(e, ERR_DATA, "cannot assign hazard '%s': funds %g are negative",
				       h->code, h->funds);
	}
	return 0;
}

int hazard_is_overdue(const struct hazard *h, long as_of)
{
	struct sf_hazard s = { .deadline = -1, .state = h->state };
	if (h->deadline && date_parse(h->deadline, &s.deadline) < 0)
		s.deadline = -1;
	return hz_overdue(&s, as_of);
}

/* ---- reading ---- */

#define HZ_COLS "code, school_code, category, found_date, description, is_major, state, " \
	"responsible, measures, funds, deadline, contingency_plan, closed_date"

static const char *text(struct store_stmt *st, int c, struct arena *a)
{
	const char *t = store_column_text(st, c);
	return t && a ? arena_strdup(a, t) : t;
}

static void read_row(struct store_stmt *st, struct arena *a, struct hazard *h)
{
	int s;
	h->code = text(st, 0, a);
	h->school_code = text(st, 1, a);
	h->category = text(st, 2, a);
	h->found_date = text(st, 3, a);
	h->description = text(st, 4, a);
	h->is_major = store_column_int(st, 5) != 0;
	s = hz_state_parse(store_column_text(st, 6));
	h->state = s < 0 ? HZ_FOUND : (enum hz_state)s;
	h->responsible = text(st, 7, a);
	h->measures = text(st, 8, a);
	h->funds = store_column_type(st, 9) == STORE_NULL ? NAN : store_column_double(st, 9);
	h->deadline = text(st, 10, a);
	h->contingency_plan = text(st, 11, a);
	h->closed_date = text(st, 12, a);
}

/* SELECT of the ledger's rows (alias r) with extra conditions, restricted to scope sc whose
 * area and school are bound as ?pa and ?ps (bind_scope). */
static struct store_stmt *select_hazards(struct store *s, const char *where,
					 const struct svc_scope *sc, int pa, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	buf_addf(&sql, "SELECT " HZ_COLS " FROM hazard r WHERE %s", where);
	if (sc)
		scope_cond_pair(&sql, table_find("hazard"), "r", sc->area, sc->school, pa, pa + 1);
	buf_adds(&sql, " ORDER BY code");
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	return st;
}

static void bind_scope(struct store_stmt *st, const struct svc_scope *sc, int pa)
{
	if (sc && sc->area && *sc->area)
		store_bind_text(st, pa, sc->area);
	if (sc && sc->school && *sc->school)
		store_bind_text(st, pa + 1, sc->school);
}

int hazard_get(struct store *s, const char *code, const struct svc_scope *sc, struct arena *a,
	       struct hazard *out, struct err *e)
{
	struct store_stmt *st = select_hazards(s, "r.code = ?1", sc, 2, e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, code);
	bind_scope(st, sc, 2);
	r = store_step(st, e);
	if (r == 1)
		read_row(st, a, out);
	store_finalize(st);
	if (r < 0)
		return e->code;
	if (r == 0)
		return err_set(e, ERR_NOTFOUND, "no hazard '%s'", code);
	return 0;
}

int hazard_each(struct store *s, const struct svc_scope *sc,
		void (*fn)(void *ctx, const struct hazard *h), void *ctx, struct err *e)
{
	struct store_stmt *st = select_hazards(s, "1 = 1", sc, 1, e);
	int r;
	if (!st)
		return e->code;
	bind_scope(st, sc, 1);
	while ((r = store_step(st, e)) == 1) {
		struct hazard h;
		read_row(st, NULL, &h);
		fn(ctx, &h);
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

int hazard_events(struct store *s, const char *code,
		  void (*fn)(void *ctx, const struct hz_event *ev), void *ctx, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT seq, from_state, to_state, date, actor, "
					      "recorded_at, detail FROM hazard_event WHERE "
					      "hazard_code = ?1 ORDER BY seq", e);
	int r;
	if (!st)
		return e->code;
	store_bind_text(st, 1, code);
	while ((r = store_step(st, e)) == 1) {
		struct hz_event ev = {
			.seq = (int)store_column_int(st, 0),
			.from_state = store_column_text(st, 1),
			.to_state = store_column_text(st, 2),
			.date = store_column_text(st, 3),
			.actor = store_column_text(st, 4),
			.recorded_at = store_column_text(st, 5),
			.detail = store_column_text(st, 6),
		};
		fn(ctx, &ev);
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

/* ---- writing ---- */

/* A hazard row as the audit log's JSON (new string), NULL for NULL. */
static char *hazard_json(const struct hazard *h)
{
	json_t *j;
	char *txt;
	if (!h)
		return NULL;
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:s?}",
		      "code", h->code, "school_code", h->school_code, "category", h->category,
		      "found_date", h->found_date, "description", h->description, "is_major",
		      h->is_major, "state", hz_state_name(h->state), "responsible", h->responsible,
		      "measures", h->measures, "funds", isfinite(h->funds) ? json_real(h->funds)
		      : json_null(), "deadline", h->deadline, "contingency_plan",
		      h->contingency_plan, "closed_date", h->closed_date);
	txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return txt;
}

/* The audit entry of a ledger write: "hazard.<state reached>" (hazard.add for a new
 * hazard) by who, the row before and after. */
static int hazard_audit(struct store *s, const struct actor *who, const struct hazard *before,
			const struct hazard *after, const struct hz_event *ev, struct err *e)
{
	char action[48];
	char *b = hazard_json(before), *a = hazard_json(after);
	int rc;
	snprintf(action, sizeof(action), "hazard.%s", before ? ev->to_state : "add");
	rc = audit_write_person(s, who, action, "hazard", after->code, b, a, e);
	free(b);
	free(a);
	return rc;
}

/* The one place the ledger is written (inside the caller's transaction): the row (inserted
 * when before is NULL, else updated from before to after), the steps ev[0..nev) and the
 * audit entry. */
static int hazard_write(struct store *s, const struct actor *who, const struct hazard *before,
			const struct hazard *after, const struct hz_event *ev, int nev,
			struct err *e)
{
	struct store_stmt *st;
	int64_t seq = 0;
	char now[32];

	if (!before) {
		st = store_prepare(s, "INSERT INTO hazard (" HZ_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, "
				   "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", e);
		if (!st)
			return e->code;
		store_bind_text(st, 1, after->code);
		store_bind_text(st, 2, after->school_code);
		store_bind_text(st, 3, after->category);
		store_bind_text(st, 4, after->found_date);
		store_bind_text(st, 5, after->description);
		store_bind_int(st, 6, after->is_major);
		store_bind_text(st, 7, hz_state_name(after->state));
		store_bind_text_opt(st, 8, after->responsible);
		store_bind_text_opt(st, 9, after->measures);
		if (isfinite(after->funds))
			store_bind_double(st, 10, after->funds);
		else
			store_bind_null(st, 10);
		store_bind_text_opt(st, 11, after->deadline);
		store_bind_text_opt(st, 12, after->contingency_plan);
		store_bind_text_opt(st, 13, after->closed_date);
	} else {
		st = store_prepare(s, "UPDATE hazard SET state = ?2, responsible = ?3, measures = ?4, "
				   "funds = ?5, deadline = ?6, contingency_plan = ?7, closed_date = ?8 "
				   "WHERE code = ?1", e);
		if (!st)
			return e->code;
		store_bind_text(st, 1, after->code);
		store_bind_text(st, 2, hz_state_name(after->state));
		store_bind_text_opt(st, 3, after->responsible);
		store_bind_text_opt(st, 4, after->measures);
		if (isfinite(after->funds))
			store_bind_double(st, 5, after->funds);
		else
			store_bind_null(st, 5);
		store_bind_text_opt(st, 6, after->deadline);
		store_bind_text_opt(st, 7, after->contingency_plan);
		store_bind_text_opt(st, 8, after->closed_date);
	}
	if (store_step(st, e) < 0) {
		store_finalize(st);
		err_prefix(e, "hazard '%s'", after->code);
		return e->code;
	}
	store_finalize(st);

	st = store_prepare(s, "SELECT max(seq) FROM hazard_event WHERE hazard_code = ?1", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, after->code);
	if (store_step(st, e) == 1 && store_column_type(st, 0) != STORE_NULL)
		seq = store_column_int(st, 0);
	store_finalize(st);
	st = store_prepare(s, "INSERT INTO hazard_event (hazard_code, seq, from_state, to_state, "
			   "date, actor, recorded_at, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   e);
	if (!st)
		return e->code;
	date_stamp(time(NULL), now);
	for (int i = 0; i < nev; i++) {
		store_reset(st);
		store_bind_text(st, 1, after->code);
		store_bind_int(st, 2, seq + 1 + i);
		store_bind_text_opt(st, 3, ev[i].from_state);
		store_bind_text(st, 4, ev[i].to_state);
		store_bind_text(st, 5, ev[i].date);
		store_bind_text(st, 6, ev[i].actor);
		store_bind_text(st, 7, now);
		store_bind_text(st, 8, ev[i].detail ? ev[i].detail : "");
		if (store_step(st, e) < 0) {
			store_finalize(st);
			err_prefix(e, "hazard '%s' step", after->code);
			return e->code;
		}
	}
	store_finalize(st);
	return hazard_audit(s, who, before, after, &ev[nev - 1], e);
}

static int make_code(struct store *s, struct hazard *h, struct arena *a, struct err *e)
{
	char code[64];
	for (int n = 1; n < 100000; n++) {
		int r;
		snprintf(code, sizeof(code), "HZ%s-%03d", h->school_code, n);
		r = store_has_row(s, "SELECT 1 FROM hazard WHERE code = ?1", code, e);
		if (r < 0)
			return r;
		if (r == 0) {
			h->code = arena_strdup(a, code);
			return 0;
		}
	}
	return err_set(e, ERR_DATA, "no free hazard code for school '%s'", h->school_code);
}

static void detail_json(struct buf *b, const struct hazard *h, int step)
{
	buf_addch(b, '{');
	if (step < 0) {
		buf_adds(b, "\"school_code\":");
		buf_add_json_str(b, h->school_code);
		buf_adds(b, ",\"category\":");
		buf_add_json_str(b, h->category);
		buf_addf(b, ",\"is_major\":%d,\"description\":", h->is_major);
		buf_add_json_str(b, h->description);
	} else if (step == HZ_STEP_ASSIGN) {
		static const char *const keys[] = { "measures", "responsible", "deadline",
						    "contingency_plan" };
		const char *vals[] = { h->measures, h->responsible, h->deadline,
				       h->contingency_plan };
		int k = 0;
		for (int i = 0; i < 4; i++)
			if (vals[i]) {
				buf_addf(b, "%s\"%s\":", k++ ? "," : "", keys[i]);
				buf_add_json_str(b, vals[i]);
			}
		if (isfinite(h->funds))
			buf_addf(b, "%s\"funds\":%.2f", k ? "," : "", h->funds);
	} else if (step == HZ_STEP_CLOSE) {
		buf_adds(b, "\"closed_date\":");
		buf_add_json_str(b, h->closed_date);
	}
	buf_addch(b, '}');
}

static int scoped(const struct svc_scope *sc)
{
	return sc && ((sc->area && *sc->area) || (sc->school && *sc->school));
}

/* Is school code in scope sc? 1 yes, 0 no (absent or outside), negative on error. */
static int school_in_scope(struct store *s, const char *code, const struct svc_scope *sc,
			   struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int r;
	buf_adds(&sql, "SELECT 1 FROM school r WHERE r.code = ?1");
	scope_cond_pair(&sql, table_find("school"), "r", sc->area, sc->school, 2, 3);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	store_bind_text(st, 1, code);
	bind_scope(st, sc, 2);
	r = store_step(st, e);
	store_finalize(st);
	return r;
}

int hazard_add(struct store *s, struct hazard *h, const struct svc_scope *sc,
	       const struct actor *who, const char *date, struct arena *a, struct err *e)
{
	struct hz_event ev[2];
	struct buf det = BUF_INIT;
	long fd, d;
	int cat = -1, r;

	for (int i = 0; hz_categories[i]; i++)
		if (h->category && !strcmp(hz_categories[i], h->category))
			cat = i;
	if (cat < 0)
		return err_set(e, ERR_USAGE, "unknown hazard category '%s' (known: drowning, "
			       "building, fire, food, traffic, bullying, lab_chemicals, "
			       "special_equipment, gas_electric, dormitory, surroundings, "
			       "natural_disaster, epidemic, mental_health)",
			       h->category ? h->category : "");
	if (date_parse(h->found_date, &fd) < 0)
		return err_set(e, ERR_USAGE, "found date '%s' is not a date (YYYY-MM-DD)",
			       h->found_date ? h->found_date : "");
	if (date_parse(date, &d) < 0)
		return err_set(e, ERR_USAGE, "'%s' is not a date (YYYY-MM-DD)", date);
	if (d < fd)
		return err_set(e, ERR_DATA, "cannot register a hazard on %s: it was found on %s",
			       date, h->found_date);
	if (!h->description || !*h->description)
		return err_set(e, ERR_USAGE, "a hazard needs a description");
	if (h->state != HZ_FOUND && h->state != HZ_REGISTERED)
		BUG("hazard_add: state %d", h->state);
	if (store_begin(s, e) < 0)
		return e->code;
	r = scoped(sc) ? school_in_scope(s, h->school_code, sc, e) : 1;
	if (r == 0)
		r = err_set(e, ERR_PERM, "school '%s' is outside your scope", h->school_code);
	if (r > 0)
		r = store_has_row(s, "SELECT 1 FROM school WHERE code = ?1", h->school_code, e);
	if (r == 0)
		r = err_set(e, ERR_DATA, "no school '%s'", h->school_code);
	if (r >= 0 && !h->code)
		r = make_code(s, h, a, e);
	else if (r >= 0) {
		r = store_has_row(s, "SELECT 1 FROM hazard WHERE code = ?1", h->code, e);
		if (r == 1)
			r = err_set(e, ERR_DATA, "hazard '%s' already exists", h->code);
	}
	if (r >= 0) {
		detail_json(&det, h, -1);
		ev[0] = (struct hz_event){ .to_state = "found", .date = h->found_date, .actor = who->name,
					   .detail = det.buf };
		ev[1] = (struct hz_event){ .from_state = "found", .to_state = "registered",
					   .date = date, .actor = who->name, .detail = "{}" };
		r = hazard_write(s, who, NULL, h, ev, h->state == HZ_REGISTERED ? 2 : 1, e);
	}
	buf_release(&det);
	return store_finish(s, r < 0 ? r : 0, e);
}

int hazard_step(struct store *s, const char *code, int step, const struct hz_assignment *a,
		const struct svc_scope *sc, const struct actor *who, const char *date,
		const struct hz_rules *r, struct arena *arena, struct hazard *out,
		struct err *e)
{
	struct hazard before, after;
	struct hz_event ev;
	struct buf det = BUF_INIT;
	int rc;

	if (store_begin(s, e) < 0)
		return e->code;
	rc = hazard_get(s, code, sc, arena, &before, e);
	if (rc < 0)
		return store_finish(s, rc, e);
	after = before;
	if (step == HZ_STEP_ASSIGN && a) {
		if (a->responsible)
			after.responsible = a->responsible;
		if (a->measures)
			after.measures = a->measures;
		if (a->deadline)
			after.deadline = a->deadline;
		if (a->contingency_plan)
			after.contingency_plan = a->contingency_plan;
		if (isfinite(a->funds))
			after.funds = a->funds;
	}
	if (step == HZ_STEP_CLOSE)
		after.closed_date = date;
	rc = hazard_check_step(&after, step, date, r, e);
	if (rc < 0)
		return store_finish(s, rc, e);
	after.state = hz_transitions[step].to;
	detail_json(&det, &after, step);
	ev = (struct hz_event){ .from_state = hz_state_name(before.state),
				.to_state = hz_state_name(after.state), .date = date,
				.actor = who->name, .detail = det.buf };
	rc = hazard_write(s, who, &before, &after, &ev, 1, e);
	buf_release(&det);
	rc = store_finish(s, rc, e);
	if (rc == 0 && out) {
		*out = after;
		if (after.closed_date)
			out->closed_date = arena_strdup(arena, after.closed_date);
	}
	return rc;
}
