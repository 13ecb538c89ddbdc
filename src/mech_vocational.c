/* mech_vocational.c: the vocational mechanism: rule parameters from the rule table, facts
 * from the store (portable SQL, fed to the data fingerprint), then eng_vocational. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mech_vocational.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

#define R_REVIEW "vocational.employment"

/* A string parameter that must be one of names[]; its index in *out. */
static int choice(struct rule_set *rules, const char *code, const char *key,
		  const char *const *names, int *out, struct err *e)
{
	const char *v = rules_str(rules, code, key, e);
	struct buf known = BUF_INIT;
	if (!v)
		return e->code;
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	for (int i = 0; names[i]; i++)
		buf_addf(&known, "%s%s", i ? ", " : "", names[i]);
	err_set(e, ERR_DATA, "rule '%s' parameter '%s': unknown value '%s' (known: %s)", code, key,
		v, known.buf);
	buf_release(&known);
	return e->code;
}

int voc_load_params(struct rule_set *rules, struct voc_params *p, struct err *e)
{
	static const char *const conds[] = { "employment_below", "peer_bottom", "enrolment_below",
					     NULL };
	static const char *const peers[] = { "category", "code", "all", NULL };
	static const char *const first[] = { "none", "warn", NULL };
	static const char *const acts[] = { "stop_enrolment", "close", NULL };
	static const char *const undecided[] = { "skip", "break", NULL };
	int c;
	double v;

	memset(p, 0, sizeof(*p));
#define NUM(rc_, key_, dst_)                                      \
	do {                                                      \
		if (rules_num(rules, rc_, key_, &(dst_), e) < 0) \
			return e->code;                           \
	} while (0)
	if (choice(rules, R_REVIEW, "condition", conds, &c, e) < 0)
		return e->code;
	p->cond = (enum voc_cond)c;
	NUM(R_REVIEW, "min_rate", p->min_rate);
	NUM(R_REVIEW, "bottom_share", p->bottom_share);
	if (choice(rules, R_REVIEW, "peer_set", peers, &c, e) < 0)
		return e->code;
	p->peer_set = (enum voc_peer)c;
	NUM(R_REVIEW, "min_peers", v);
	p->min_peers = (int)v;
	NUM(R_REVIEW, "min_enrolled", p->min_enrolled);
	NUM(R_REVIEW, "run_years", v);
	p->run_years = (int)v;
	if (choice(rules, R_REVIEW, "first_action", first, &c, e) < 0)
		return e->code;
	p->first_action = c ? VOC_ACT_WARN : VOC_ACT_NONE;
	if (choice(rules, R_REVIEW, "action", acts, &c, e) < 0)
		return e->code;
	p->action = c ? VOC_ACT_CLOSE : VOC_ACT_STOP_ENROLMENT;
	if (choice(rules, R_REVIEW, "no_graduates", undecided, &c, e) < 0)
		return e->code;
	p->undecided_breaks = c;
	NUM("vocational.satisfaction", "min_sample", p->satisfaction_min_sample);
	NUM("vocational.match", "target", p->match_target);
	NUM("vocational.sites", "max_share", p->sites_max_share);
#undef NUM
	return 0;
}

struct loader {
	struct store *s;
	struct eval_fp *fp;
	struct voc_data *d;
	size_t nsch, asch, nspec, aspec, nyr, ayr, ncoop, acoop, nbase, abase, nint, aint,
		ntr, atr;
	struct map_ent *map;
	size_t nmap, amap;
	int year;
};

struct map_ent {
	const char *version, *code, *industries;
};

static const char *dup(struct loader *L, struct store_stmt *st, int col)
{
	const char *t = store_column_text(st, col);
	return t ? arena_strdup(&L->d->arena, t) : NULL;
}

static int col_int(struct store_stmt *st, int col)
{
	return (int)store_column_int(st, col);
}

typedef void (*row_fn)(struct loader *L, struct store_stmt *st);

static int each_row(struct loader *L, const char *label, const char *sql, row_fn fn,
		    struct err *e)
{
	struct store_stmt *st = store_prepare(L->s, sql, e);
	int r;

	if (!st)
		return e->code;
	if (strstr(sql, "?1"))
		store_bind_int(st, 1, L->year);
	while ((r = store_step(st, e)) == 1) {
		eval_fp_add_row(L->fp, label, st);
		fn(L, st);
	}
	store_finalize(st);
	if (r < 0)
		err_prefix(e, "loading %s", label);
	return r < 0 ? e->code : 0;
}

static void on_school(struct loader *L, struct store_stmt *st)
{
	struct voc_school *s;
	ALLOC_GROW(L->d->schools, L->nsch + 1, L->asch);
	s = &L->d->schools[L->nsch++];
	s->code = dup(L, st, 0);
	s->name = dup(L, st, 1);
	s->city = dup(L, st, 2);
	if (!s->city)
		s->city = "";
	s->city_name = dup(L, st, 3);
}

static void on_spec(struct loader *L, struct store_stmt *st)
{
	struct voc_specialty *s;
	ALLOC_GROW(L->d->specs, L->nspec + 1, L->aspec);
	s = &L->d->specs[L->nspec++];
	memset(s, 0, sizeof(*s));
	s->school = dup(L, st, 0);
	s->version = dup(L, st, 1);
	s->code = dup(L, st, 2);
	s->opened_year = col_int(st, 3);
	s->closed_year = col_int(st, 4);
	s->name = dup(L, st, 5);
	s->category = dup(L, st, 6);
}

/* A year row with the index of its specialty, until sorted. */
struct yr_tmp {
	size_t spec;
	struct voc_year y;
};

static int cmp_spec(const void *x, const void *y)
{
	const struct voc_specialty *a = x, *b = y;
	int c = strcmp(a->school, b->school);
	if (!c)
		c = strcmp(a->version, b->version);
	return c ? c : strcmp(a->code, b->code);
}

static int cmp_school(const void *x, const void *y)
{
	return strcmp(((const struct voc_school *)x)->code, ((const struct voc_school *)y)->code);
}

static struct voc_specialty *spec_of(struct loader *L, const char *school, const char *version,
				     const char *code)
{
	struct voc_specialty k;
	if (!school || !version || !code)
		return NULL;
	k.school = school;
	k.version = version;
	k.code = code;
	return bsearch(&k, L->d->specs, L->nspec, sizeof(k), cmp_spec);
}

static void on_map(struct loader *L, struct store_stmt *st)
{
	const char *v = store_column_text(st, 0), *c = store_column_text(st, 1),
		   *ind = store_column_text(st, 2);
	struct map_ent *m = L->nmap ? &L->map[L->nmap - 1] : NULL;
	if (!v || !c || !ind)
		return;
	if (m && !strcmp(m->version, v) && !strcmp(m->code, c)) {
		size_t n = strlen(m->industries) + strlen(ind) + 2;
		char *s = arena_alloc(&L->d->arena, n);
		snprintf(s, n, "%s,%s", m->industries, ind);
		m->industries = s;
		return;
	}
	ALLOC_GROW(L->map, L->nmap + 1, L->amap);
	m = &L->map[L->nmap++];
	m->version = dup(L, st, 0);
	m->code = dup(L, st, 1);
	m->industries = dup(L, st, 2);
}

static const struct {
	const char *name;
	enum voc_coop_kind kind;
} coop_kinds[] = {
	{ "order_class", VOC_CK_ORDER_CLASS }, { "apprenticeship", VOC_CK_APPRENTICESHIP },
	{ "internship", VOC_CK_INTERNSHIP }, { "training", VOC_CK_TRAINING },
	{ "other", VOC_CK_OTHER },
};

static void on_coop(struct loader *L, struct store_stmt *st)
{
	struct voc_coop *c;
	const char *k = store_column_text(st, 2);
	ALLOC_GROW(L->d->coops, L->ncoop + 1, L->acoop);
	c = &L->d->coops[L->ncoop++];
	c->school = dup(L, st, 0);
	c->credit_code = dup(L, st, 1);
	c->kind = VOC_CK_OTHER;
	for (size_t i = 0; i < ARRAY_SIZE(coop_kinds); i++)
		if (k && !strcmp(k, coop_kinds[i].name))
			c->kind = coop_kinds[i].kind;
	c->start_year = col_int(st, 3);
	c->end_year = col_int(st, 4);
	c->students = (long)store_column_int(st, 5);
	c->version = dup(L, st, 6);
	c->specialty = dup(L, st, 7);
}

static void on_base(struct loader *L, struct store_stmt *st)
{
	struct voc_base *b;
	ALLOC_GROW(L->d->bases, L->nbase + 1, L->abase);
	b = &L->d->bases[L->nbase++];
	b->code = dup(L, st, 0);
	b->school = dup(L, st, 1);
	b->credit_code = dup(L, st, 2);
	b->investment = store_column_double(st, 3);
	b->equipment_value = store_column_double(st, 4);
	b->capacity = (long)store_column_int(st, 5);
	b->opened_year = col_int(st, 6);
}

static void count_row(struct loader *L, struct store_stmt *st, struct voc_count **v,
		      size_t *n, size_t *alloc)
{
	struct voc_count *c;
	ALLOC_GROW(*v, *n + 1, *alloc);
	c = &(*v)[(*n)++];
	c->school = dup(L, st, 0);
	c->credit_code = dup(L, st, 1);
	c->year = col_int(st, 2);
	c->n = (long)store_column_int(st, 3);
}

static void on_intern(struct loader *L, struct store_stmt *st)
{
	count_row(L, st, &L->d->interns, &L->nint, &L->aint);
}

static void on_training(struct loader *L, struct store_stmt *st)
{
	count_row(L, st, &L->d->trainings, &L->ntr, &L->atr);
}

/* The schools running specialties (or typed vocational), with the city above their area
 * (areas are city -> county -> town). */
static const char schools_sql[] =
	"SELECT s.code, s.name, CASE WHEN a.level = 'city' THEN a.code WHEN p.level = 'city' "
	"THEN p.code ELSE g.code END, CASE WHEN a.level = 'city' THEN a.name "
	"WHEN p.level = 'city' THEN p.name ELSE g.name END "
	"FROM school s JOIN area a ON a.code = s.area_code "
	"LEFT JOIN area p ON p.code = a.parent_code LEFT JOIN area g ON g.code = p.parent_code "
	"WHERE s.type = 'vocational' OR s.code IN (SELECT school_code FROM school_specialty) "
	"ORDER BY s.code";
static const char specs_sql[] =
	"SELECT ss.school_code, ss.catalog_version, ss.specialty_code, ss.opened_year, "
	"ss.closed_year, c.name, c.category FROM school_specialty ss "
	"JOIN voc_catalog c ON c.version = ss.catalog_version AND c.code = ss.specialty_code "
	"ORDER BY ss.school_code, ss.catalog_version, ss.specialty_code";
static const char years_sql[] =
	"SELECT school_code, catalog_version, specialty_code, year, enrolled, graduates, "
	"employed, further_study, in_trade, surveyed, satisfied FROM specialty_year "
	"WHERE year <= ?1 ORDER BY school_code, catalog_version, specialty_code, year";
static const char map_sql[] =
	"SELECT m.catalog_version, m.specialty_code, m.industry_code FROM specialty_industry m "
	"JOIN industry i ON i.code = m.industry_code WHERE i.is_key = 1 "
	"ORDER BY m.catalog_version, m.specialty_code, m.industry_code";

static int cmp_map(const void *x, const void *y)
{
	const struct map_ent *a = x, *b = y;
	int c = strcmp(a->version, b->version);
	return c ? c : strcmp(a->code, b->code);
}

static int cmp_yr(const void *x, const void *y)
{
	const struct yr_tmp *a = x, *b = y;
	if (a->spec != b->spec)
		return a->spec < b->spec ? -1 : 1;
	return (a->y.year > b->y.year) - (a->y.year < b->y.year);
}

/* Year rows: read, attached to their specialty by key (not by the order the database
 * returns, which depends on its collation), sorted by specialty and year. */
static int load_years(struct loader *L, struct err *e)
{
	struct store_stmt *st = store_prepare(L->s, years_sql, e);
	struct yr_tmp *v = NULL;
	size_t n = 0, alloc = 0;
	int r;

	if (!st)
		return e->code;
	store_bind_int(st, 1, L->year);
	while ((r = store_step(st, e)) == 1) {
		struct voc_specialty *s = spec_of(L, store_column_text(st, 0),
						  store_column_text(st, 1), store_column_text(st, 2));
		eval_fp_add_row(L->fp, "specialty_year", st);
		if (!s)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].spec = (size_t)(s - L->d->specs);
		v[n].y.year = col_int(st, 3);
		v[n].y.enrolled = (long)store_column_int(st, 4);
		v[n].y.graduates = (long)store_column_int(st, 5);
		v[n].y.employed = (long)store_column_int(st, 6);
		v[n].y.further_study = (long)store_column_int(st, 7);
		v[n].y.in_trade = (long)store_column_int(st, 8);
		v[n].y.surveyed = (long)store_column_int(st, 9);
		v[n].y.satisfied = (long)store_column_int(st, 10);
		n++;
	}
	store_finalize(st);
	if (r < 0) {
		free(v);
		err_prefix(e, "loading specialty_year");
		return e->code;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_yr);
	L->d->years = xcalloc(n + 1, sizeof(*L->d->years));
	for (size_t k = 0; k < n; k++) {
		struct voc_specialty *s = &L->d->specs[v[k].spec];
		L->d->years[k] = v[k].y;
		if (!s->nyears)
			s->years = &L->d->years[k];
		s->nyears++;
	}
	free(v);
	return 0;
}

int voc_data_load(struct store *s, int year, struct eval_fp *fp, struct voc_data *d,
		  struct err *e)
{
	struct loader L;
	int rc;

	memset(d, 0, sizeof(*d));
	arena_init(&d->arena, 0);
	memset(&L, 0, sizeof(L));
	L.s = s;
	L.fp = fp;
	L.d = d;
	L.year = year;
	rc = each_row(&L, "school", schools_sql, on_school, e);
	if (!rc)
		rc = each_row(&L, "school_specialty", specs_sql, on_spec, e);
	if (rc)
		goto out;
	if (L.nsch)
		qsort(d->schools, L.nsch, sizeof(*d->schools), cmp_school);
	if (L.nspec)
		qsort(d->specs, L.nspec, sizeof(*d->specs), cmp_spec);
	rc = load_years(&L, e);
	if (!rc)
		rc = each_row(&L, "specialty_industry", map_sql, on_map, e);
	if (rc)
		goto out;
	if (L.nmap)
		qsort(L.map, L.nmap, sizeof(*L.map), cmp_map);
	for (size_t i = 0; i < L.nspec; i++) {
		struct map_ent k = { d->specs[i].version, d->specs[i].code, NULL }, *m;
		m = L.nmap ? bsearch(&k, L.map, L.nmap, sizeof(k), cmp_map) : NULL;
		d->specs[i].key_industries = m ? m->industries : NULL;
	}
	rc = each_row(&L, "cooperation",
		      "SELECT school_code, credit_code, kind, start_year, end_year, students, "
		      "catalog_version, specialty_code FROM cooperation WHERE start_year <= ?1 "
		      "ORDER BY school_code, credit_code, kind, start_year", on_coop, e);
	if (!rc)
		rc = each_row(&L, "training_base",
			      "SELECT code, school_code, credit_code, investment, equipment_value, "
			      "capacity, opened_year FROM training_base ORDER BY code", on_base, e);
	if (!rc)
		rc = each_row(&L, "internship",
			      "SELECT school_code, credit_code, year, interns FROM internship "
			      "WHERE year = ?1 ORDER BY school_code, credit_code", on_intern, e);
	if (!rc)
		rc = each_row(&L, "employee_training",
			      "SELECT school_code, credit_code, year, person_times FROM "
			      "employee_training WHERE year = ?1 ORDER BY school_code, credit_code",
			      on_training, e);
out:
	free(L.map);
	d->f.schools = d->schools;
	d->f.nschools = L.nsch;
	d->f.specs = d->specs;
	d->f.nspecs = L.nspec;
	d->f.coops = d->coops;
	d->f.ncoops = L.ncoop;
	d->f.bases = d->bases;
	d->f.nbases = L.nbase;
	d->f.interns = d->interns;
	d->f.ninterns = L.nint;
	d->f.trainings = d->trainings;
	d->f.ntrainings = L.ntr;
	if (rc)
		voc_data_release(d);
	return rc;
}

void voc_data_release(struct voc_data *d)
{
	free(d->schools);
	free(d->specs);
	free(d->years);
	free(d->coops);
	free(d->bases);
	free(d->interns);
	free(d->trainings);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

int mech_vocational_run(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	struct voc_params p;
	struct voc_data d;
	char tag[32];
	double t0, t1;
	int rc;

	if (voc_load_params(ec->rules, &p, e) < 0)
		return e->code;
	snprintf(tag, sizeof(tag), "vocational %d", ec->year);
	eval_fp_add(ec->fp, tag, strlen(tag) + 1);
	t0 = eval_clock();
	rc = voc_data_load(ec->store, ec->year, ec->fp, &d, e);
	t1 = eval_clock();
	ec->load_seconds += t1 - t0;
	if (rc < 0)
		return rc;
	rc = voc_run(&p, &d.f, ec->year, out, e);
	ec->engine_seconds += eval_clock() - t1;
	voc_data_release(&d);
	return rc;
}
