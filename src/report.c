/* report.c: the annual report's facts and model. report_load() picks one stored run and reads
 * its rows and rule documents through the service layer; report_build() (pure) turns them
 * into blocks whose numbers are figures with notes (report_sections.c writes the text). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "report.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- loading ---- */

static int run_complete(const struct svc_run *run)
{
	for (const struct mechanism *m = mechanisms; m->name; m++) {
		size_t n = strlen(m->name);
		const char *p = run->mechanisms;
		int found = 0;
		while (p && *p && !found) {
			const char *c = strchr(p, ',');
			size_t l = c ? (size_t)(c - p) : strlen(p);
			found = l == n && !memcmp(p, m->name, n);
			p = c ? c + 1 : NULL;
		}
		if (!found)
			return 0;
	}
	return 1;
}

static void run_copy(struct svc_run *dst, const struct svc_run *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->id = src->id;
	dst->year = src->year;
	dst->created_at = xstrdup(src->created_at);
	dst->mechanisms = xstrdup(src->mechanisms);
	dst->rule_versions = xstrdup(src->rule_versions);
	dst->fingerprint = xstrdup(src->fingerprint);
}

/* The run: the given one (of the year), else the newest complete run of the year, else the
 * newest of the year. */
static int pick_run(struct store *s, int year, int64_t run_id, struct svc_run *out,
		    struct err *e)
{
	struct svc_runs l;
	int64_t before = 0;
	int found = 0, r;

	if (run_id) {
		struct svc_result_filter f = { .run = run_id };
		if ((r = svc_results_runs(s, &f, &l, e)) < 0)
			return r;
		run_copy(out, &l.v[0]);
		svc_runs_release(&l);
		if (out->year != year)
			return err_set(e, ERR_NOTFOUND, "run %lld evaluated school year %d, not %d",
				       (long long)run_id, out->year, year);
		return 0;
	}
	for (;;) {
		if ((r = svc_runs_list(s, before, 100, &l, e)) < 0)
			return r;
		for (size_t i = 0; i < l.nr; i++) {
			if (l.v[i].year != year)
				continue;
			if (!found) {
				run_copy(out, &l.v[i]);
				found = 1;
			} else if (!run_complete(out) && run_complete(&l.v[i])) {
				svc_run_release(out);
				run_copy(out, &l.v[i]);
			}
			if (run_complete(out))
				break;
		}
		if (!l.nr || (found && run_complete(out))) {
			svc_runs_release(&l);
			break;
		}
		before = l.v[l.nr - 1].id;
		svc_runs_release(&l);
	}
	if (!found)
		return err_set(e, ERR_NOTFOUND, "no evaluation run for school year %d; run 'eduhq "
			       "eval --year %d' first", year, year);
	return 0;
}

static int keep_row_cb(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct report_facts *f = arg;
	struct result_row *d;
	(void)run;
	if (!strcmp(row->unit_kind, "school") || !strcmp(row->unit_kind, "teacher") ||
	    !strcmp(row->unit_kind, "hazard"))
		return 0;
	/* a specialty's rows: only the review's decisions to warn or close */
	if (!strcmp(row->unit_kind, "specialty") &&
	    (strcmp(row->indicator, "VOC.REVIEW") || row->verdict == V_PASS || row->verdict == V_NA))
		return 0;
	ALLOC_GROW(f->rows, f->nrows + 1, f->alloc);
	d = &f->rows[f->nrows++];
	*d = *row;
	d->indicator = arena_strdup(&f->a, row->indicator);
	d->unit_kind = arena_strdup(&f->a, row->unit_kind);
	d->unit_id = arena_strdup(&f->a, row->unit_id);
	d->stage = arena_strdup(&f->a, row->stage ? row->stage : "");
	d->evidence = arena_strdup(&f->a, row->evidence ? row->evidence : "{}");
	return 0;
}

struct names_ctx {
	struct report_facts *f;
	int code_col, name_col;
	size_t alloc;
};

static int name_cb(void *arg, const struct table *t, const char *const *vals)
{
	struct names_ctx *nc = arg;
	struct report_facts *f = nc->f;
	(void)t;
	if (!vals[nc->code_col] || !vals[nc->name_col])
		return 0;
	ALLOC_GROW(f->names, f->nnames + 1, nc->alloc);
	f->names[f->nnames].code = arena_strdup(&f->a, vals[nc->code_col]);
	f->names[f->nnames].name = arena_strdup(&f->a, vals[nc->name_col]);
	f->nnames++;
	return 0;
}

static int load_names(struct store *s, struct report_facts *f, struct err *e)
{
	static const char *const tables[] = { "area", "project" };
	struct names_ctx nc = { .f = f };
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct table *t = table_find(tables[i]);
		int r;
		nc.code_col = table_col_index(t, "code");
		nc.name_col = table_col_index(t, "name");
		if ((r = registry_list(s, t, NULL, name_cb, &nc, e)) < 0)
			return r;
	}
	return 0;
}

static int load_rules(struct store *s, struct report_facts *f, struct err *e)
{
	json_t *j = json_loads(f->run.rule_versions, 0, NULL), *v;
	const char *code;
	size_t n = 0;
	int r = 0;

	if (!json_is_object(j)) {
		json_decref(j);
		return 0;
	}
	f->rules = arena_alloc(&f->a, (json_object_size(j) + 1) * sizeof(*f->rules));
	json_object_foreach(j, code, v) {
		struct svc_rules h;
		int ver = (int)json_integer_value(v);
		if ((r = svc_rules_history(s, code, &h, e)) < 0)
			break;
		for (size_t i = 0; i < h.nr; i++) {
			if (h.v[i].version != ver)
				continue;
			f->rules[n].code = arena_strdup(&f->a, code);
			f->rules[n].version = ver;
			f->rules[n].source = arena_strdup(&f->a, h.v[i].source ? h.v[i].source : "");
			f->rules[n].clause = arena_strdup(&f->a, h.v[i].clause ? h.v[i].clause : "");
			n++;
		}
		svc_rules_release(&h);
	}
	f->nrules = n;
	json_decref(j);
	return r;
}

int report_load(struct store *s, int year, int64_t run_id, struct report_facts *f,
		struct err *e)
{
	struct svc_result_filter flt = { 0 };
	struct svc_runs one = { 0 };
	int r;

	memset(f, 0, sizeof(*f));
	arena_init(&f->a, 0);
	if ((r = pick_run(s, year, run_id, &f->run, e)) < 0)
		return r;
	one.v = &f->run;
	one.nr = 1;
	flt.run = f->run.id;
	if ((r = svc_results(s, &flt, NULL, &one, keep_row_cb, f, e)) < 0 ||
	    (r = load_rules(s, f, e)) < 0 || (r = load_names(s, f, e)) < 0)
		return r;
	for (size_t i = 0; i < f->nrows; i++)
		if (!strcmp(f->rows[i].unit_kind, "city")) {
			if (f->city && strcmp(f->city, f->rows[i].unit_id)) {
				f->city = NULL; /* several cities: a province's data */
				break;
			}
			f->city = f->rows[i].unit_id;
		}
	return 0;
}

void report_facts_release(struct report_facts *f)
{
	svc_run_release(&f->run);
	free(f->rows);
	free(f->names);
	arena_release(&f->a);
	memset(f, 0, sizeof(*f));
}

/* ---- lookups ---- */

const struct result_row *report_row(const struct report_facts *f, const char *ind,
				    const char *kind, const char *id, const char *stage, int year)
{
	for (size_t i = 0; i < f->nrows; i++) {
		const struct result_row *w = &f->rows[i];
		if (!strcmp(w->indicator, ind) && (!kind || !strcmp(w->unit_kind, kind)) &&
		    (!id || !strcmp(w->unit_id, id)) && (!stage || !strcmp(w->stage, stage)) &&
		    (!year || w->year == year))
			return w;
	}
	return NULL;
}

const char *report_name(const struct report_facts *f, const char *code)
{
	for (size_t i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i].code, code))
			return f->names[i].name;
	return code;
}

double report_ev_num(const struct result_row *row, const char *key)
{
	json_t *j = json_loads(row->evidence, 0, NULL), *v;
	double d = NAN;
	if (j && (v = json_object_get(j, key)) && json_is_number(v))
		d = json_number_value(v);
	json_decref(j);
	return d;
}

const char *report_L(const struct report *r, const char *zh, const char *en)
{
	return r->lang == REPORT_EN ? en : zh;
}

/* ---- building ---- */

struct report_block *report_block(struct report *r, enum report_block_kind k)
{
	struct report_block *b;
	ALLOC_GROW(r->b, r->nb + 1, r->balloc);
	b = &r->b[r->nb++];
	memset(b, 0, sizeof(*b));
	b->kind = k;
	return b;
}

static void add_seg(struct report *r, const char *text, long fig)
{
	struct report_block *b = &r->b[r->nb - 1];
	ALLOC_GROW(b->seg, b->nseg + 1, b->alloc);
	b->seg[b->nseg].text = text;
	b->seg[b->nseg].fig = fig;
	b->nseg++;
}

void report_text(struct report *r, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;
	char *p;
	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	/* a province's run has no one city: "the whole city" becomes "the whole area" */
	for (p = r->f->city ? NULL : strstr(t.buf, "全市"); p; p = strstr(p + 6, "全市"))
		memcpy(p, "全域", 6);
	add_seg(r, arena_strdup(&r->a, t.buf), -1);
	buf_release(&t);
}

static int is_area_kind(const char *k)
{
	return !strcmp(k, "county") || !strcmp(k, "city") || !strcmp(k, "area") ||
	       !strcmp(k, "town");
}

/* The rule versions an indicator reads, with their documents. */
static const char *rule_text(struct report *r, const struct indicator *ind)
{
	struct buf b = BUF_INIT;
	const char *p = ind ? ind->rule : "";
	const char *out;
	while (p && *p) {
		size_t l = strcspn(p, ", ");
		for (size_t i = 0; l && i < r->f->nrules; i++) {
			const struct report_rule *ru = &r->f->rules[i];
			if (strlen(ru->code) != l || memcmp(ru->code, p, l))
				continue;
			if (b.len)
				buf_adds(&b, "; ");
			buf_addf(&b, "%s v%d (%s%s%s)", ru->code, ru->version, ru->source,
				 *ru->clause ? " " : "", ru->clause);
		}
		p += l;
		p += strspn(p, ", ");
	}
	out = arena_strdup(&r->a, b.buf);
	buf_release(&b);
	return out;
}

static const char *link_of(struct report *r, const char *ind_code, const char *kind,
			   const char *id)
{
	const struct indicator *ind = indicator_find(ind_code);
	const char *mech = ind ? ind->mechanism : "";
	struct buf b = BUF_INIT;
	const char *out;
	long long run = (long long)r->f->run.id;
	if (!strcmp(mech, "balance") && !strcmp(kind, "county"))
		buf_addf(&b, "/balance/%s?run=%lld&indicator=%s", id, run, ind_code);
	else if (!strcmp(mech, "seats"))
		buf_addf(&b, "/seats?run=%lld&indicator=%s%s%s", run, ind_code, *id ? "&area=" : "", id);
	else
		buf_addf(&b, "/engine/%s?run=%lld&indicator=%s%s%s", mech, run, ind_code,
			 *id ? "&unit=" : "", id);
	out = arena_strdup(&r->a, b.buf);
	buf_release(&b);
	return out;
}

static size_t note_for(struct report *r, const char *ind_code, const char *kind, const char *id,
		       const char *stage, int year, enum report_field field, const char *key)
{
	struct report_note *n;
	struct buf cmd = BUF_INIT;
	for (size_t i = 0; i < r->nnote; i++) {
		n = &r->note[i];
		if (!strcmp(n->indicator, ind_code) && !strcmp(n->unit_kind, kind) &&
		    !strcmp(n->unit_id, id) && !strcmp(n->stage, stage) && n->year == year &&
		    n->field == field && !strcmp(n->key ? n->key : "", key ? key : ""))
			return i;
	}
	ALLOC_GROW(r->note, r->nnote + 1, r->nalloc);
	n = &r->note[r->nnote];
	memset(n, 0, sizeof(*n));
	n->indicator = ind_code;
	n->unit_kind = kind;
	n->unit_id = id;
	n->stage = stage;
	n->year = year;
	n->field = field;
	n->key = key ? arena_strdup(&r->a, key) : NULL;
	buf_addf(&cmd, "eduhq indicators --run %lld --indicator %s", (long long)r->f->run.id,
		 ind_code);
	if (*id && is_area_kind(kind))
		buf_addf(&cmd, " --area %s", id);
	if (field == RF_COUNT)
		buf_addf(&cmd, " --verdict %s", key);
	n->cmd = arena_strdup(&r->a, cmd.buf);
	buf_release(&cmd);
	n->link = link_of(r, ind_code, kind, id);
	n->rule = rule_text(r, indicator_find(ind_code));
	return r->nnote++;
}

static void add_fig(struct report *r, size_t note, double v, int dp, int pct)
{
	struct report_fig *fg;
	struct buf t = BUF_INIT;
	double shown = pct ? v * 100 : v;
	if (dp == 0 && fabs(shown - floor(shown + 0.5)) < 1e-9)
		shown = floor(shown + 0.5);
	if (fabs(shown) < 0.5 * pow(10, -dp))
		shown = 0; /* no "-0" */
	buf_addf(&t, "%.*f%s", dp, shown, pct ? "%" : "");
	ALLOC_GROW(r->fig, r->nfig + 1, r->falloc);
	fg = &r->fig[r->nfig];
	fg->note = note;
	fg->value = v;
	fg->text = arena_strdup(&r->a, t.buf);
	buf_release(&t);
	add_seg(r, NULL, (long)r->nfig++);
}

void report_fig(struct report *r, const struct result_row *row, enum report_field field,
		const char *key, int dp, int pct)
{
	double v = field == RF_VALUE ? row->value : field == RF_NUMERATOR ? row->numerator
		 : field == RF_DENOMINATOR ? row->denominator : field == RF_THRESHOLD ? row->threshold
		 : report_ev_num(row, key);
	size_t n = note_for(r, row->indicator, row->unit_kind, row->unit_id, row->stage, row->year,
			    field, key);
	add_fig(r, n, v, dp, pct);
}

void report_count(struct report *r, const char *ind, const char *kind, const char *stage,
		  int year, enum verdict v)
{
	long c = 0;
	size_t n;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (!strcmp(w->indicator, ind) && !strcmp(w->unit_kind, kind) &&
		    (!stage || !strcmp(w->stage, stage)) && (!year || w->year == year) &&
		    w->verdict == v)
			c++;
	}
	n = note_for(r, ind, kind, "", stage ? stage : "", year, RF_COUNT, verdict_name(v));
	add_fig(r, n, (double)c, 0, 0);
}

struct report_chart *report_chart_new(struct report *r, enum report_chart_kind k, size_t ncat,
				      size_t ns)
{
	struct report_chart *c;
	ALLOC_GROW(r->chart, r->nchart + 1, r->calloc);
	c = &r->chart[r->nchart++];
	memset(c, 0, sizeof(*c));
	c->kind = k;
	c->ncat = ncat;
	c->ns = ns;
	c->threshold = NAN;
	c->cat = arena_alloc(&r->a, (ncat + 1) * sizeof(*c->cat));
	c->s = arena_alloc(&r->a, (ns + 1) * sizeof(*c->s));
	for (size_t i = 0; i < ns; i++) {
		c->s[i].v = arena_alloc(&r->a, (ncat + 1) * sizeof(double));
		c->s[i].ind = arena_alloc(&r->a, (ncat + 1) * sizeof(char *));
		c->s[i].unit = arena_alloc(&r->a, (ncat + 1) * sizeof(char *));
		for (size_t j = 0; j < ncat; j++)
			c->s[i].v[j] = NAN;
	}
	report_block(r, RB_CHART)->chart = r->nchart - 1;
	return c;
}

void report_build(struct report *r, const struct report_facts *f, int year,
		  enum report_lang lang)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->a, 0);
	r->f = f;
	r->year = year;
	r->lang = lang;
	report_sections(r);
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nb; i++)
		free(r->b[i].seg);
	free(r->b);
	free(r->fig);
	free(r->note);
	free(r->chart);
	arena_release(&r->a);
	memset(r, 0, sizeof(*r));
}

static void field_text(const struct report_note *n, struct buf *out)
{
	static const char *const names[] = { "value", "numerator", "denominator", "threshold" };
	if (n->field == RF_COUNT)
		buf_addf(out, "rows:%s", n->key);
	else if (n->field == RF_EVIDENCE)
		buf_addf(out, "evidence.%s", n->key);
	else
		buf_adds(out, names[n->field]);
}

void report_note_text(const struct report *r, size_t i, struct buf *out)
{
	const struct report_note *n = &r->note[i];
	const struct indicator *ind = indicator_find(n->indicator);
	int en = r->lang == REPORT_EN;

	buf_addf(out, "[%zu] %s %s%s", i + 1, n->indicator,
		 ind ? (en ? ind->name_en : ind->name_zh) : "", en ? ". Row: " : "。对象：");
	buf_addf(out, "%s %s %s ", n->unit_kind, *n->unit_id ? n->unit_id : "-",
		 *n->stage ? n->stage : "-");
	if (n->year)
		buf_addf(out, "%d", n->year);
	else
		buf_adds(out, "-");
	buf_adds(out, en ? ", field: " : "，字段：");
	field_text(n, out);
	buf_addf(out, en ? ". Run #%lld, data fingerprint %.16s" : "。运行 #%lld，数据指纹 %.16s",
		 (long long)r->f->run.id, r->f->run.fingerprint);
	if (*n->rule)
		buf_addf(out, en ? "; rule: %s" : "；规则：%s", n->rule);
	buf_addf(out, en ? ". Rows: %s; API: /api/v1/results?run=%lld&indicator=%s"
		    : "。明细：%s；API：/api/v1/results?run=%lld&indicator=%s", n->cmd,
		 (long long)r->f->run.id, n->indicator);
	if (*n->unit_id && is_area_kind(n->unit_kind))
		buf_addf(out, "&area=%s", n->unit_id);
	if (n->field == RF_COUNT)
		buf_addf(out, "&verdict=%s", n->key);
}

int report_def_text(const struct report *r, size_t i, struct buf *out)
{
	const struct indicator *ind = indicator_find(r->note[i].indicator);
	for (size_t k = 0; k < i; k++)
		if (!strcmp(r->note[k].indicator, r->note[i].indicator))
			return 0;
	if (!ind)
		return 0;
	buf_addf(out, "%s %s (%s; %s): %s", ind->code, ind->name_zh, ind->name_en, ind->unit,
		 ind->formula);
	return 1;
}

int report_make(struct store *s, int year, int64_t run_id, const char *format,
		enum report_lang lang, const char *base, struct buf *out, struct report_info *info,
		struct err *e)
{
	struct report_facts f;
	struct report r;
	int rc;

	if ((rc = report_load(s, year, run_id, &f, e)) < 0) {
		report_facts_release(&f);
		return rc;
	}
	report_build(&r, &f, year, lang);
	if (!strcmp(format, "html"))
		report_html(&r, base, out);
	else if (!strcmp(format, "docx"))
		rc = report_docx(&r, out, e);
	else if (!strcmp(format, "pdf"))
		rc = report_pdf(&r, base, out, e);
	else
		rc = err_set(e, ERR_USAGE, "format must be docx, html or pdf");
	if (info) {
		info->run = f.run.id;
		info->year = f.run.year;
		info->nfig = r.nfig;
		info->nnote = r.nnote;
		info->nchart = r.nchart;
	}
	report_release(&r);
	report_facts_release(&f);
	return rc;
}
