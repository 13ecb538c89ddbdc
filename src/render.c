/* render.c: rows as a table, CSV or JSON (see render.h). */
#include <math.h>
#include <string.h>

#include "render.h"
#include "banned.h"

int render_format_of(const char *name)
{
	if (!strcmp(name, "table") || !strcmp(name, "text"))
		return RENDER_TABLE;
	if (!strcmp(name, "csv"))
		return RENDER_CSV;
	if (!strcmp(name, "json"))
		return RENDER_JSON;
	return -1;
}

void render_init(struct render *r, enum render_format fmt, const struct render_col *cols,
		 int ncols, FILE *out)
{
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->cols = cols;
	r->ncols = ncols;
	r->out = out;
	buf_init(&r->b, 0);
	r->json_open = "[";
	r->json_close = "]\n";
}

static int shown(const struct render *r, const struct render_col *c)
{
	if (r->fmt == RENDER_TABLE)
		return !(c->flags & RC_DATA_ONLY);
	if (c->flags & RC_TABLE_ONLY)
		return 0;
	return r->fmt != RENDER_JSON || !(c->flags & RC_NO_JSON);
}

static void cell(struct buf *b, const struct render_col *c, const char *s, int last)
{
	if (last && c->width >= 0)
		buf_adds(b, s);
	else
		buf_addf(b, "%*s", c->width, s);
}

static void header(struct render *r)
{
	int n = 0;
	if (r->fmt == RENDER_JSON) {
		buf_adds(&r->b, r->json_open);
		return;
	}
	if (r->no_header)
		return;
	for (int i = 0; i < r->ncols; i++) {
		const struct render_col *c = &r->cols[i];
		if (!shown(r, c))
			continue;
		if (n++)
			buf_addch(&r->b, r->fmt == RENDER_CSV ? ',' : ' ');
		if (r->fmt == RENDER_CSV)
			buf_add_csv_field(&r->b, c->name);
		else
			cell(&r->b, c, c->title ? c->title : c->name, i == r->ncols - 1);
	}
	if (r->fmt == RENDER_TABLE)
		buf_rtrim(&r->b);
	buf_addch(&r->b, '\n');
}

static int is_null(const struct render_col *c, const struct render_val *v)
{
	return (c->kind == RK_TEXT || c->kind == RK_JSON) ? v->s == NULL : !isfinite(v->d);
}

void render_row(struct render *r, const struct render_val *v)
{
	struct buf t = BUF_INIT;
	int n = 0, last = -1;

	if (!r->nrows++)
		header(r);
	for (int i = 0; i < r->ncols; i++)
		if (shown(r, &r->cols[i]))
			last = i;
	if (r->fmt == RENDER_JSON)
		buf_adds(&r->b, r->nrows > 1 ? ",{" : "{");
	for (int i = 0; i < r->ncols; i++) {
		const struct render_col *c = &r->cols[i];
		if (!shown(r, c))
			continue;
		if (r->fmt == RENDER_JSON) {
			buf_addf(&r->b, "%s\"%s\":", n++ ? "," : "", c->name);
			if (is_null(c, &v[i]))
				buf_adds(&r->b, "null");
			else if (c->kind == RK_TEXT)
				buf_add_json_str(&r->b, v[i].s);
			else if (c->kind == RK_JSON)
				buf_adds(&r->b, v[i].s);
			else if (c->kind == RK_INT)
				buf_addf(&r->b, "%.0f", v[i].d);
			else
				buf_add_num(&r->b, v[i].d);
			continue;
		}
		if (n++)
			buf_addch(&r->b, r->fmt == RENDER_CSV ? ',' : ' ');
		buf_reset(&t);
		if (is_null(c, &v[i]))
			buf_adds(&t, r->fmt == RENDER_CSV ? "" : "-");
		else if (c->kind == RK_TEXT || c->kind == RK_JSON)
			buf_adds(&t, v[i].s);
		else if (c->kind == RK_INT)
			buf_addf(&t, "%.0f", v[i].d);
		else if (r->fmt == RENDER_TABLE && c->numfmt)
			buf_addf(&t, c->numfmt, v[i].d);
		else
			buf_add_num(&t, v[i].d);
		if (r->fmt == RENDER_CSV)
			buf_add_csv_field(&r->b, t.buf);
		else
			cell(&r->b, c, t.buf, i == last);
	}
	buf_addch(&r->b, r->fmt == RENDER_JSON ? '}' : '\n');
	buf_release(&t);
	if (r->b.len > (1 << 20)) {
		fwrite(r->b.buf, 1, r->b.len, r->out);
		buf_reset(&r->b);
	}
}

void render_note(struct render *r, const char *text)
{
	if (r->fmt == RENDER_TABLE)
		buf_addf(&r->b, "    %s\n", text);
}

void render_finish(struct render *r)
{
	if (!r->nrows)
		header(r);
	if (r->fmt == RENDER_JSON)
		buf_adds(&r->b, r->json_close);
	fwrite(r->b.buf, 1, r->b.len, r->out);
	buf_release(&r->b);
}
