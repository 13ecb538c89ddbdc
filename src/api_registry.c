/* api_registry.c: handlers for the registry tables: metadata (for generated forms), rows
 * listed with filters, order and cursor pages, one row by natural key, create, update and
 * delete with import's validation, CSV/XLSX upload and CSV/JSON export. The service layer
 * (svc_registry.c) does the work inside the caller's scope; this file only translates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "import.h"
#include "svc.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

static const struct table *table_arg(struct req *r)
{
	const struct table *t = table_find(r->params[0]);
	if (!t)
		resp_error(r, 404, "not_found", NULL, "no table '%s'", r->params[0]);
	return t;
}

/* Whether the caller's role writes table t at all (its scope still applies per row);
 * answers 403 when not. */
static int may_write(struct req *r, const struct table *t)
{
	if (scope_may_write(r->who.role, t))
		return 1;
	resp_error(r, 403, "forbidden", NULL, "table '%s' is city-wide: only the city administrator writes it",
		   t->name);
	return 0;
}

static const char *scope_name(enum row_scope s)
{
	static const char *const n[] = { "city", "school", "area", "teacher" };
	return n[s];
}

static json_t *table_summary(const struct table *t)
{
	int idx[8], nk = table_key_cols(t, idx);
	json_t *key = json_array();
	for (int k = 0; k < nk; k++)
		json_array_append_new(key, json_string(t->cols[idx[k]].name));
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s?}", "name", t->name, "zh", t->zh, "meaning",
			 t->meaning, "key", key, "scope", scope_name(t->scope), "scope_column",
			 t->scope_col);
}

void api_tables_list(struct req *r)
{
	json_t *arr = json_array();
	for (int i = 0; i < registry_ntables; i++)
		json_array_append_new(arr, table_summary(&registry_tables[i]));
	api_json(r, 200, json_pack("{s:o}", "tables", arr));
}

void api_table_get(struct req *r)
{
	const struct table *t = table_arg(r);
	json_t *o, *cols;
	if (!t)
		return;
	o = table_summary(t);
	cols = json_array();
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		json_t *col = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s}", "name", c->name, "zh", c->zh, "type",
					table_type_name(c), "required", !!(c->flags & TCOL_REQUIRED),
					"key", !!(c->flags & TCOL_KEY), "meaning", c->meaning);
		if (c->values) {
			json_t *vals = json_array();
			for (const struct enum_val *v = c->values; v->value; v++)
				json_array_append_new(vals, json_pack("{s:s, s:s}", "value", v->value, "zh", v->zh));
			json_object_set_new(col, "values", vals);
		}
		if (c->flags & TCOL_MIN)
			json_object_set_new(col, (c->flags & TCOL_GT) ? "greater_than" : "min", json_real(c->min));
		if (c->flags & TCOL_MAX)
			json_object_set_new(col, "max", json_real(c->max));
		if (c->ref)
			json_object_set_new(col, "references", json_string(c->ref));
		if (c->def)
			json_object_set_new(col, "default", json_string(c->def));
		if (c->flags & TCOL_VIRTUAL)
			json_object_set_new(col, "import_only", json_true());
		json_array_append_new(cols, col);
	}
	json_object_set_new(o, "columns", cols);
	api_json(r, 200, o);
}

/* A row as a JSON object, numbers as numbers. */
static json_t *row_object(const struct table *t, const char *const *vals)
{
	json_t *o = json_object();
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		json_t *v;
		if (c->flags & TCOL_VIRTUAL)
			continue;
		if (!vals[i])
			v = json_null();
		else if (c->type == COL_INT || c->type == COL_BOOL)
			v = json_integer(strtoll(vals[i], NULL, 10));
		else if (c->type == COL_REAL)
			v = json_real(strtod(vals[i], NULL));
		else
			v = json_string(vals[i]);
		json_object_set_new(o, c->name, v);
	}
	return o;
}

/* Pages of rows are written as JSON text directly, row by row (no tree of JSON values to
 * build, walk and free): values as row_object() gives them, numbers as the database's own
 * text of them. */
struct json_rows {
	struct buf b;
	long n;
	size_t last; /* where the last row starts */
};

/* Whether s is a JSON number as it stands ("12", "-0.5", "1.0e+20"; not "inf", "1.", ""). */
static int json_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return 0;
	p += strspn(p, "0123456789");
	if (*p == '.' && p[1] >= '0' && p[1] <= '9')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		p += strspn(p, "0123456789");
	}
	return *p == '\0';
}

static int json_row(void *arg, const struct table *t, const char *const *vals)
{
	struct json_rows *o = arg;
	int n = 0;
	o->last = o->b.len;
	buf_adds(&o->b, o->n++ ? ",{" : "{");
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		if (c->flags & TCOL_VIRTUAL)
			continue;
		buf_addf(&o->b, "%s\"%s\":", n++ ? "," : "", c->name);
		if (!vals[i])
			buf_adds(&o->b, "null");
		else if ((c->type == COL_INT || c->type == COL_BOOL || c->type == COL_REAL) &&
			 json_number(vals[i]))
			buf_adds(&o->b, vals[i]);
		else
			buf_add_json_str(&o->b, vals[i]);
	}
	buf_addch(&o->b, '}');
	return 0;
}

struct list_args {
	struct req *r;
	const struct table *t;
	struct registry_query *q;
	int bad;
};

static int query_filter(void *data, const char *key, const char *value)
{
	struct list_args *a = data;
	int c;
	if (!strcmp(key, "limit") || !strcmp(key, "cursor") || !strcmp(key, "sort") || !strcmp(key, "format"))
		return 0;
	c = table_col_index(a->t, key);
	if (c < 0 || (a->t->cols[c].flags & TCOL_VIRTUAL)) {
		resp_error(a->r, 400, "bad_request", NULL, "table '%s' has no column '%s' to filter on",
			   a->t->name, key);
		return a->bad = 1;
	}
	if (a->q->nfilters == (int)ARRAY_SIZE(a->q->filter_col)) {
		resp_error(a->r, 400, "bad_request", NULL, "at most 16 filters");
		return a->bad = 1;
	}
	a->q->filter_col[a->q->nfilters] = c;
	a->q->filter_val[a->q->nfilters++] = value;
	return 0;
}

/* The list's query: filters (column=value), sort (column or -column), limit, cursor (an
 * opaque "o" + offset). 0, or 1 when answered. */
static int list_query(struct req *r, const struct table *t, struct registry_query *q, long deflimit)
{
	struct list_args a = { r, t, q, 0 };
	const char *sort = req_query(r, "sort"), *cursor = req_query(r, "cursor");
	memset(q, 0, sizeof(*q));
	q->sort_col = -1;
	if (api_query_long(r, "limit", deflimit, 1, deflimit > 1000 ? deflimit : 1000, &q->limit))
		return 1;
	if (cursor) {
		char *end;
		q->offset = cursor[0] == 'o' ? strtol(cursor + 1, &end, 10) : -1;
		if (q->offset < 0 || cursor[1] == '\0' || *end) {
			resp_error(r, 400, "bad_request", NULL, "cursor '%s' is not one this server gave", cursor);
			return 1;
		}
	}
	if (sort) {
		q->desc = sort[0] == '-';
		q->sort_col = table_col_index(t, sort + q->desc);
		if (q->sort_col < 0 || (t->cols[q->sort_col].flags & TCOL_VIRTUAL)) {
			resp_error(r, 400, "bad_request", NULL, "table '%s' has no column '%s' to sort on",
				   t->name, sort + q->desc);
			return 1;
		}
	}
	req_query_each(r, query_filter, &a);
	return a.bad;
}

void api_rows_list(struct req *r)
{
	const struct table *t = table_arg(r);
	struct registry_query q;
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct json_rows o = { BUF_INIT, 0, 0 };
	struct buf b = BUF_INIT;
	long want;
	if (!t || list_query(r, t, &q, 100))
		return;
	api_svc_scope(r, &sc);
	want = q.limit;
	q.limit++; /* one more tells whether there is a next page */
	if (registry_page(r->rd, t, &sc, &q, json_row, &o, &e) < 0) {
		buf_release(&o.b);
		api_err(r, &e);
		return;
	}
	if (o.n > want) {
		buf_setlen(&o.b, o.last);
		buf_addf(&b, "{\"next_cursor\":\"o%ld\",\"rows\":[", q.offset + want);
	} else {
		buf_adds(&b, "{\"next_cursor\":null,\"rows\":[");
	}
	buf_add(&b, o.b.buf, o.b.len);
	buf_adds(&b, "]}\n");
	buf_release(&o.b);
	resp_buf(r, 200, "application/json", &b);
}

/* The natural key from the path ("v1,v2" for a composite key): 0, or 1 when answered. */
static int key_arg(struct req *r, const struct table *t, const char **key, int *nk)
{
	int idx[8], n = table_key_cols(t, idx), k = 0;
	char *p = arena_strdup(&r->arena, r->params[1]), *save = NULL, *tok;
	for (tok = strtok_r(p, ",", &save); tok && k < 8; tok = strtok_r(NULL, ",", &save))
		key[k++] = tok;
	if (k != n || tok) {
		resp_error(r, 404, "not_found", NULL, "no %s '%s' (the key has %d part%s: %s)", t->name,
			   r->params[1], n, n == 1 ? "" : "s, joined by ','", t->cols[idx[0]].name);
		return 1;
	}
	*nk = n;
	return 0;
}

static int one_row(void *arg, const struct table *t, const char *const *vals)
{
	*(json_t **)arg = row_object(t, vals);
	return 0;
}

void api_row_get(struct req *r)
{
	const struct table *t = table_arg(r);
	const char *key[8];
	struct svc_scope sc;
	struct err e = ERR_INIT;
	json_t *o = NULL;
	int nk, rc;
	if (!t || key_arg(r, t, key, &nk))
		return;
	api_svc_scope(r, &sc);
	rc = registry_get(r->rd, t, key, &sc, one_row, &o, &e);
	if (rc < 0) {
		api_err(r, &e);
	} else if (rc == 0) {
		/* absent and out of scope: one answer */
		resp_error(r, 404, "not_found", NULL, "no %s '%s'", t->name, r->params[1]);
	} else {
		api_json(r, 200, o);
		return;
	}
	json_decref(o);
}

/* Body values as raw text per column (the import's input): 0, or 1 when answered. */
static int body_values(struct req *r, const struct table *t, json_t *body, const char **raw)
{
	json_t *details = json_array(), *v;
	const char *name;
	json_object_foreach(body, name, v) {
		int c = table_col_index(t, name);
		char num[64];
		if (c < 0 || (t->cols[c].flags & TCOL_VIRTUAL)) {
			json_array_append_new(details, json_pack("{s:s, s:s}", "column", name, "message", "unknown column"));
			continue;
		}
		if (json_is_string(v)) {
			raw[c] = json_string_value(v);
		} else if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			raw[c] = arena_strdup(&r->arena, num);
		} else if (json_is_real(v)) {
			snprintf(num, sizeof(num), "%.17g", json_real_value(v));
			raw[c] = arena_strdup(&r->arena, num);
		} else if (json_is_boolean(v)) {
			raw[c] = json_is_true(v) ? "1" : "0";
		} else if (json_is_null(v)) {
			raw[c] = NULL;
		} else {
			json_array_append_new(details, json_pack("{s:s, s:s}", "column", name, "message",
								 "must be a string, number, boolean or null"));
		}
	}
	if (json_array_size(details)) {
		char *txt = json_dumps(details, JSON_COMPACT);
		resp_error(r, 422, "invalid", txt, "%s: the body has %zu unusable field%s", t->name,
			   json_array_size(details), json_array_size(details) == 1 ? "" : "s");
		free(txt);
		json_decref(details);
		return 1;
	}
	json_decref(details);
	return 0;
}

static void answer_row_errors(struct req *r, const struct table *t, const struct row_errors *errs)
{
	json_t *details = json_array();
	char *txt;
	for (size_t i = 0; i < errs->nr; i++)
		json_array_append_new(details, json_pack("{s:s?, s:s, s:s, s:s}", "column", errs->v[i].column,
							 "code", errs->v[i].code, "message", errs->v[i].en,
							 "message_zh", errs->v[i].zh));
	txt = json_dumps(details, JSON_COMPACT);
	resp_error(r, 422, "invalid", txt, "%s: %zu invalid value%s", t->name, errs->nr, errs->nr == 1 ? "" : "s");
	free(txt);
	json_decref(details);
}

/* Create (POST, key in the body) or replace (PUT, key in the path) one row. */
static void write_row(struct req *r, int put)
{
	const struct table *t = table_arg(r);
	const char *raw[64] = { 0 }, *key[8];
	int idx[8], nk = 0, created = 0, rc;
	struct row_errors errs = { 0 };
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	struct store *w;

	if (!t || (put && key_arg(r, t, key, &nk)) || body_values(r, t, api_body(r), raw))
		return;
	if (!may_write(r, t))
		return;
	table_key_cols(t, idx);
	for (int k = 0; put && k < nk; k++) {
		if (raw[idx[k]] && strcmp(raw[idx[k]], key[k])) {
			resp_error(r, 422, "invalid", NULL, "column %s: '%s' differs from the key in the path ('%s')",
				   t->cols[idx[k]].name, raw[idx[k]], key[k]);
			return;
		}
		raw[idx[k]] = key[k];
	}
	api_svc_scope(r, &sc);
	w = http_writer_lock(r->srv);
	if (!put) {
		/* create: an existing row in scope is a conflict (out of scope: the upsert refuses) */
		const char *k2[8];
		table_key_cols(t, idx);
		nk = table_key_cols(t, idx);
		for (int k = 0; k < nk; k++)
			k2[k] = raw[idx[k]] ? raw[idx[k]] : "";
		if ((rc = registry_get(w, t, k2, &sc, NULL, NULL, &e)) == 1) {
			http_writer_unlock(r->srv);
			resp_error(r, 409, "conflict", NULL, "%s already has that key; PUT it to change it", t->name);
			return;
		}
	}
	rc = registry_upsert(w, t, raw, &sc, &who, &errs, &created, &e);
	http_writer_unlock(r->srv);
	if (rc == ERR_DATA && errs.nr) {
		answer_row_errors(r, t, &errs);
	} else if (rc == ERR_PERM) {
		resp_error(r, 403, "forbidden", NULL, "%s", e.msg);
	} else if (rc == ERR_USAGE) {
		resp_error(r, 422, "invalid", NULL, "%s", e.msg);
	} else if (rc < 0) {
		api_err(r, &e);
	} else {
		/* answer with the row as stored */
		const char *k2[8];
		json_t *o = NULL;
		nk = table_key_cols(t, idx);
		for (int k = 0; k < nk; k++)
			k2[k] = raw[idx[k]];
		registry_get(r->rd, t, k2, NULL, one_row, &o, &e);
		api_json(r, created ? 201 : 200, o ? o : json_object());
	}
	row_errors_release(&errs);
}

void api_row_create(struct req *r) { write_row(r, 0); }
void api_row_put(struct req *r) { write_row(r, 1); }

void api_row_delete(struct req *r)
{
	const struct table *t = table_arg(r);
	const char *key[8];
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	int nk, rc;
	if (!t || key_arg(r, t, key, &nk))
		return;
	if (!may_write(r, t))
		return;
	api_svc_scope(r, &sc);
	rc = registry_delete(http_writer_lock(r->srv), t, key, &sc, &who, &e);
	http_writer_unlock(r->srv);
	if (rc < 0)
		api_err(r, &e);
	else if (rc == 0)
		resp_error(r, 404, "not_found", NULL, "no %s '%s'", t->name, r->params[1]);
	else
		resp_text(r, 204, NULL, "", 0);
}

static int csv_row(void *arg, const struct table *t, const char *const *vals)
{
	struct buf *b = arg;
	int n = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].flags & TCOL_VIRTUAL)
			continue;
		if (n++)
			buf_addch(b, ',');
		buf_add_csv_field(b, vals[i] ? vals[i] : "");
	}
	buf_adds(b, "\r\n");
	return 0;
}

/* XLSX: libxlsxwriter writes a file (row by row, in constant memory); the file, unlinked
 * once open, is sent from disk, so neither the sheet nor the rows are held in memory. */
static void export_xlsx_route(struct req *r, const struct table *t, const struct svc_scope *sc,
			      const struct registry_query *q)
{
	char path[64], name[96], disp[128];
	struct err e = ERR_INIT;
	struct stat stt;
	long n;
	int fd;

	snprintf(path, sizeof(path), "/tmp/eduhq-export-XXXXXX.xlsx");
	if ((fd = mkstemps(path, 5)) < 0) {
		resp_error(r, 500, "internal", NULL, "cannot write the export");
		return;
	}
	close(fd);
	snprintf(name, sizeof(name), "%s.xlsx", t->name);
	if (registry_export_xlsx(r->rd, t, sc, q, path, name, &n, &e) < 0) {
		unlink(path);
		api_err(r, &e);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0 || fstat(fd, &stt) < 0) {
		if (fd >= 0)
			close(fd);
		resp_error(r, 500, "internal", NULL, "cannot read the export back");
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	resp_header(r, "Content-Disposition", disp);
	resp_fd(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
		(size_t)stt.st_size);
}

/* CSV and JSON exports go to an unlinked temporary file, 64 KiB at a time, and are sent
 * from disk: a whole province's teachers never sit in memory. */
struct spool {
	struct json_rows jr; /* jr.b: what is not yet written */
	int fd, csv, failed;
	size_t size;
};

static int spool_flush(struct spool *sp, int force)
{
	struct buf *b = &sp->jr.b;
	if (sp->failed || (!force && b->len < (1u << 16)))
		return sp->failed ? -1 : 0;
	for (size_t off = 0; off < b->len;) {
		ssize_t w = write(sp->fd, b->buf + off, b->len - off);
		if (w <= 0) {
			sp->failed = 1;
			return -1;
		}
		off += (size_t)w;
	}
	sp->size += b->len;
	buf_reset(b);
	return 0;
}

static int spool_row(void *arg, const struct table *t, const char *const *vals)
{
	struct spool *sp = arg;
	if (sp->csv)
		csv_row(&sp->jr.b, t, vals);
	else
		json_row(&sp->jr, t, vals);
	return spool_flush(sp, 0);
}

void api_rows_export(struct req *r)
{
	const struct table *t = table_arg(r);
	const char *fmt = req_query(r, "format");
	struct registry_query q;
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct spool sp = { { BUF_INIT, 0, 0 }, -1, 0, 0, 0 };
	char path[64];
	int rc, n = 0;
	if (!t || list_query(r, t, &q, 100000000))
		return;
	q.limit = 0;
	if (!fmt)
		fmt = "csv";
	if (strcmp(fmt, "csv") && strcmp(fmt, "json") && strcmp(fmt, "xlsx")) {
		resp_error(r, 400, "bad_request", NULL, "format must be csv, json or xlsx");
		return;
	}
	api_svc_scope(r, &sc);
	if (!strcmp(fmt, "xlsx")) {
		export_xlsx_route(r, t, &sc, &q);
		return;
	}
	snprintf(path, sizeof(path), "/tmp/eduhq-export-XXXXXX");
	if ((sp.fd = mkstemp(path)) < 0) {
		resp_error(r, 500, "internal", NULL, "cannot write the export");
		return;
	}
	unlink(path);
	sp.csv = !strcmp(fmt, "csv");
	if (sp.csv) {
		/* UTF-8 with a BOM and English headers: what eduhq import reads back and Excel opens */
		buf_adds(&sp.jr.b, "\xef\xbb\xbf");
		for (int i = 0; i < t->ncols; i++)
			if (!(t->cols[i].flags & TCOL_VIRTUAL)) {
				if (n++)
					buf_addch(&sp.jr.b, ',');
				buf_adds(&sp.jr.b, t->cols[i].name);
			}
		buf_adds(&sp.jr.b, "\r\n");
	} else {
		buf_addch(&sp.jr.b, '[');
	}
	rc = registry_page(r->rd, t, &sc, &q, spool_row, &sp, &e);
	if (!sp.csv)
		buf_adds(&sp.jr.b, "]\n");
	if (rc < 0 && !sp.failed) {
		api_err(r, &e);
	} else if (sp.failed || spool_flush(&sp, 1) < 0) {
		resp_error(r, 500, "internal", NULL, "cannot write the export");
	} else {
		resp_fd(r, 200, sp.csv ? "text/csv; charset=utf-8" : "application/json", sp.fd, sp.size);
		sp.fd = -1; /* the response owns it */
	}
	if (sp.fd >= 0)
		close(sp.fd);
	buf_release(&sp.jr.b);
}

void api_rows_import(struct req *r)
{
	const struct table *t = table_arg(r);
	struct import_opts o = { 0 };
	struct import_result res;
	struct svc_scope sc;
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	const char *ct = req_header(r, "Content-Type"), *name = req_query(r, "filename");
	char path[64];
	struct store *w;
	long dry;
	int fd, rc, xlsx;

	if (!t || api_query_long(r, "dry_run", 0, 0, 1, &dry))
		return;
	if (!may_write(r, t))
		return;
	if (!ct || (strncmp(ct, "text/csv", 8) &&
		    strncmp(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 65))) {
		resp_error(r, 415, "unsupported_media_type", NULL, "upload text/csv or an XLSX file");
		return;
	}
	xlsx = ct[0] != 't';
	/* import reads a file: the upload goes to a private temporary one, named by its type */
	snprintf(path, sizeof(path), "/tmp/eduhq-upload-XXXXXX%s", xlsx ? ".xlsx" : ".csv");
	if ((fd = mkstemps(path, xlsx ? 5 : 4)) < 0 || write(fd, r->body.buf, r->body.len) != (ssize_t)r->body.len) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		resp_error(r, 500, "internal", NULL, "cannot store the upload");
		return;
	}
	close(fd);
	if (!name)
		name = xlsx ? "upload.xlsx" : "upload.csv";
	api_svc_scope(r, &sc);
	o.path = path;
	o.dry_run = (int)dry;
	o.scope_area = sc.area; /* every row, and a stored row it replaces, in the scope */
	o.scope_school = sc.school;
	import_result_init(&res);
	w = http_writer_lock(r->srv);
	rc = svc_import(w, t, &o, name, &who, &res, &e);
	http_writer_unlock(r->srv);
	unlink(path);
	if (rc == ERR_DATA) {
		json_t *details = json_array();
		char *txt, *line, *save = NULL;
		size_t plen = strlen(path);
		/* FILE:LINE: column NAME: message, with the upload's name for FILE */
		for (line = strtok_r(res.msgs.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			struct buf b = BUF_INIT;
			if (!strncmp(line, path, plen)) {
				buf_adds(&b, name);
				buf_adds(&b, line + plen);
			} else {
				buf_adds(&b, line);
			}
			json_array_append_new(details, json_string(b.buf));
			buf_release(&b);
		}
		txt = json_dumps(details, JSON_COMPACT);
		resp_error(r, 422, "invalid", txt, "%ld error%s; nothing was imported", res.nerrors,
			   res.nerrors == 1 ? "" : "s");
		free(txt);
		json_decref(details);
	} else if (rc < 0) {
		api_err(r, &e);
	} else {
		api_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:b}", "rows", (json_int_t)res.rows, "inserted",
					   (json_int_t)res.inserted, "updated", (json_int_t)res.updated,
					   "unchanged", (json_int_t)res.unchanged, "dry_run", (int)dry));
	}
	import_result_release(&res);
}
