/* table_validate.c: validation of registry values and rows against the column registry
 * (table.h): types, ranges, enumerations, dates, check digits, cross-column order and row
 * rules, with structured errors (table, key, column, code, English and Chinese message).
 * Used by import (per field, as it reads), the API's create/update and the CLI's edits
 * (per row). Foreign keys and duplicate keys need the database: import and svc_registry. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "idhash.h"
#include "table.h"
#include "validate.h"
#include "xmalloc.h"
#include "banned.h"

static int parse_int(const char *s, long long *v)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return (*end || errno) ? -1 : 0;
}

static int parse_real(const char *s, double *v)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return (*end || errno || !isfinite(*v)) ? -1 : 0;
}

static const char *check_code(enum col_check ck, const char *v)
{
	size_t n = strlen(v);
	switch (ck) {
	case CHK_SCHOOL_CODE: return validate_school_code(v);
	case CHK_AREA_CODE: return validate_area_code(v);
	case CHK_ID_NUMBER: return validate_id_number(v);
	case CHK_CREDIT_CODE: return validate_credit_code(v);
	case CHK_VOC_CODE:
		if (n != 6 || strspn(v, "0123456789") != 6)
			return "must be 6 digits";
		return NULL;
	case CHK_ID_HASH:
		if (n != IDHASH_HEX_LEN || strspn(v, "0123456789abcdef") != n)
			return "must be 32 lower-case hex digits";
		return NULL;
	case CHK_ID_MASKED:
		if (n != 18 || strspn(v, "0123456789") != 6 || strspn(v + 6, "*") != 8 ||
		    strspn(v + 14, "0123456789") < 3 || !strchr("0123456789X", v[17]))
			return "must look like 330102********123X";
		return NULL;
	default: return NULL;
	}
}

/* Length of the blank at the start of s[0..n): ASCII white space, the ideographic space
 * U+3000 (full-width, what a Chinese input method types) or U+00A0 (no-break space). */
static size_t blank_len(const char *s, size_t n)
{
	if (n >= 1 && isspace((unsigned char)s[0]))
		return 1;
	if (n >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
		return 3;
	if (n >= 2 && !memcmp(s, "\xc2\xa0", 2))
		return 2;
	return 0;
}

/* Strip blanks (as blank_len) from both ends of *s[0..*n). */
void table_trim_blanks(const char **s, size_t *n)
{
	size_t k;
	while ((k = blank_len(*s, *n)))
		*s += k, *n -= k;
	for (;;) {
		if (*n && isspace((unsigned char)(*s)[*n - 1]))
			k = 1;
		else if (*n >= 3 && !memcmp(*s + *n - 3, "\xe3\x80\x80", 3))
			k = 3;
		else if (*n >= 2 && !memcmp(*s + *n - 2, "\xc2\xa0", 2))
			k = 2;
		else
			break;
		*n -= k;
	}
}

/* A date as Excel writes it in a CSV in a Chinese locale, "2024/9/1" (an ISO date in a CSV
 * opened and saved again in Excel comes back so): rewrite it in b as "2024-09-01". Returns
 * 1 when rewritten. Year first, so it cannot be misread. */
static int excel_date(struct buf *b)
{
	const char *s = b->buf;
	size_t i = 0, part[3], len[3];
	char out[11];
	for (int k = 0; k < 3; k++) {
		part[k] = i;
		while (isdigit((unsigned char)s[i]))
			i++;
		len[k] = i - part[k];
		if (s[i] != (k < 2 ? '/' : '\0'))
			return 0;
		i++;
	}
	if (len[0] != 4 || len[1] < 1 || len[1] > 2 || len[2] < 1 || len[2] > 2)
		return 0;
	memcpy(out, s, 4);
	out[4] = out[7] = '-';
	out[5] = len[1] == 2 ? s[part[1]] : '0';
	out[6] = s[part[1] + len[1] - 1];
	out[8] = len[2] == 2 ? s[part[2]] : '0';
	out[9] = s[part[2] + len[2] - 1];
	out[10] = '\0';
	buf_reset(b);
	buf_add(b, out, 10);
	return 1;
}

/* A code that reached us as a number in E notation ("4.4100219800101e+17"): a spreadsheet
 * cell that held the code as a number, whose last digits are gone (a double keeps 15-17). */
static int e_notation(const char *v)
{
	const char *x = strpbrk(v, "eE");
	char *end;
	if (!x || x[1] != '+' || !isdigit((unsigned char)v[0]))
		return 0;
	errno = 0;
	(void)strtod(v, &end);
	return !*end;
}

#define E_NOTATION_MSG "a number in E notation: the spreadsheet cell held the code as a " \
		       "number and its last digits are lost; format the column as text " \
		       "(文本) and enter the codes again"

/* Fill err (not NULL) for column c: code, English and Chinese message. */
static int fail(struct row_error *err, const struct table *t, int c, const char *code,
		const char *zh, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int fail(struct row_error *err, const struct table *t, int c, const char *code,
		const char *zh, const char *fmt, ...)
{
	va_list ap;
	err->table = t->name;
	err->column = c >= 0 ? t->cols[c].name : NULL;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->en, sizeof(err->en), fmt, ap);
	va_end(ap);
	snprintf(err->zh, sizeof(err->zh), "%s", zh);
	return -1;
}

/* The Chinese message: the column's label, then what is wrong (the value quoted as in en). */
static const char *zh_msg(char *out, size_t n, const struct table *t, int c, const char *what)
{
	snprintf(out, n, "%s%s%s", c >= 0 ? t->cols[c].zh : "", c >= 0 ? "：" : "", what);
	return out;
}

int table_check_value(const struct table *t, int c, const char *v, size_t n, int required,
		      struct buf *out, const char **val, struct row_error *err)
{
	const struct column *col = &t->cols[c];
	const char *why;
	char zh[256], w[160];
	long long iv;
	double dv = 0;

	buf_reset(out);
	if (n && v[0] == '\'') { /* a spreadsheet's text mark, as CSV exports write it */
		const char *u = table_unguard(v);
		n -= (size_t)(u - v);
		v = u;
	}
	if (col->type != COL_TEXT || col->check != CHK_NONE) {
		/* codes, numbers and dates: surrounding blanks are never meant */
		table_trim_blanks(&v, &n);
	}
	if (n == 0) {
		if (col->def) {
			buf_adds(out, col->def);
			*val = out->buf;
			return 0;
		}
		*val = NULL;
		if (required)
			return fail(err, t, c, "missing", zh_msg(zh, sizeof(zh), t, c, "缺少取值"),
				    "missing value");
		return 0;
	}
	buf_add(out, v, n);
	*val = out->buf;
	v = out->buf;

	switch (col->type) {
	case COL_INT:
		if (parse_int(v, &iv) < 0) {
			snprintf(w, sizeof(w), "'%.64s' 不是整数", v);
			return fail(err, t, c, "not_integer", zh_msg(zh, sizeof(zh), t, c, w),
				    "'%s': not an integer", v);
		}
		if ((v[0] == '0' && v[1]) || v[0] == '+' || (v[0] == '-' && (v[1] == '0' || !iv))) {
			buf_reset(out); /* not already in canonical form */
			buf_addf(out, "%lld", iv);
			*val = out->buf;
		}
		break;
	case COL_REAL:
		if (parse_real(v, &dv) < 0) {
			snprintf(w, sizeof(w), "'%.64s' 不是数值", v);
			return fail(err, t, c, "not_number", zh_msg(zh, sizeof(zh), t, c, w),
				    "'%s': not a number", v);
		}
		break;
	case COL_DATE: {
		char given[16]; /* as written, for messages: excel_date() rewrites only short text */
		snprintf(given, sizeof(given), "%s", v);
		if (excel_date(out)) /* now YYYY-MM-DD */
			*val = v = out->buf;
		if ((why = validate_date(v))) {
			snprintf(w, sizeof(w), "'%.64s' 不是有效日期（YYYY-MM-DD）",
				 n < sizeof(given) ? given : v);
			return fail(err, t, c, "bad_date", zh_msg(zh, sizeof(zh), t, c, w), "'%s': %s",
				    n < sizeof(given) ? given : v, why);
		}
		if (v[0] != '1' && v[0] != '2') {
			snprintf(w, sizeof(w), "'%s' 年份须在1000至2999之间", given);
			return fail(err, t, c, "year_range", zh_msg(zh, sizeof(zh), t, c, w),
				    "'%s': year must be between 1000 and 2999", given);
		}
		break;
	}
	case COL_BOOL: {
		int b = -1;
		if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcmp(v, "是"))
			b = 1;
		else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcmp(v, "否"))
			b = 0;
		if (b < 0) {
			snprintf(w, sizeof(w), "'%.64s' 须为 0 或 1（是/否）", v);
			return fail(err, t, c, "not_bool", zh_msg(zh, sizeof(zh), t, c, w),
				    "'%s': must be 0 or 1 (是/否)", v);
		}
		buf_reset(out);
		buf_addch(out, '0' + b);
		*val = out->buf;
		break;
	}
	case COL_ENUM: {
		const struct enum_val *ev;
		for (ev = col->values; ev->value; ev++) /* first bytes first: 18 subjects */
			if ((ev->value[0] == v[0] && !strcmp(ev->value, v)) ||
			    (ev->zh[0] == v[0] && !strcmp(ev->zh, v)))
				break;
		if (!ev->value) {
			struct buf l = BUF_INIT;
			for (ev = col->values; ev->value; ev++) /* code (中文含义), as users know both */
				if (ev->value[0]) {
					buf_addf(&l, "%s%s", l.len ? ", " : "", ev->value);
					if (ev->zh && ev->zh[0])
						buf_addf(&l, " (%s)", ev->zh);
				}
			snprintf(w, sizeof(w), "'%.64s' 不是允许的取值", v);
			fail(err, t, c, "not_allowed", zh_msg(zh, sizeof(zh), t, c, w),
			     "'%s': not one of %s", v, l.buf);
			buf_release(&l);
			return -1;
		}
		buf_reset(out);
		buf_adds(out, ev->value);
		*val = out->buf;
		break;
	}
	case COL_TEXT:
		if (col->check == CHK_ID_NUMBER) {
			char masked[24];
			for (char *p = out->buf; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			if ((why = e_notation(v) ? E_NOTATION_MSG : check_code(col->check, v))) {
				idhash_mask(v, masked);
				snprintf(w, sizeof(w), "'%s' 身份证号无效", masked);
				return fail(err, t, c, "bad_code", zh_msg(zh, sizeof(zh), t, c, w),
					    "'%s': %s", masked, why);
			}
		} else if (col->check != CHK_NONE &&
			   (why = e_notation(v) ? E_NOTATION_MSG : check_code(col->check, v))) {
			snprintf(w, sizeof(w), "'%.64s' 代码格式无效", v);
			return fail(err, t, c, "bad_code", zh_msg(zh, sizeof(zh), t, c, w), "'%s': %s",
				    v, why);
		}
		break;
	}
	if (col->flags & (TCOL_MIN | TCOL_MAX)) {
		char msg[96];
		if ((why = table_check_range(col, *val, msg, sizeof(msg)))) {
			snprintf(w, sizeof(w), "'%.64s' 超出允许范围", v);
			return fail(err, t, c, "range", zh_msg(zh, sizeof(zh), t, c, w), "'%s': %s", v,
				    why);
		}
	}
	return 0;
}

int table_col_of(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return i;
	BUG("registry: no column '%s' in '%s'", name, t->name);
}

int table_check_cross(const struct table *t, const char *const *vals, int from,
		      struct row_error *err)
{
	for (int c = from; c < t->ncols; c++) {
		const struct column *cl = &t->cols[c];
		const char *o = cl->ge ? cl->ge : cl->le;
		char zh[256], w[200];
		int oc;
		if (!o || !vals[c])
			continue;
		oc = table_col_of(t, o);
		if (!vals[oc])
			continue;
		if (cl->ge && table_cmp_values(cl, vals[c], vals[oc]) < 0) {
			snprintf(w, sizeof(w), "'%.64s' 不得早于（小于）%s", vals[c], t->cols[oc].zh);
			fail(err, t, c, "order", zh_msg(zh, sizeof(zh), t, c, w),
			     "'%s': must be >= %s ('%s')", vals[c], o, vals[oc]);
			return c;
		}
		if (cl->le && table_cmp_values(cl, vals[c], vals[oc]) > 0) {
			snprintf(w, sizeof(w), "'%.64s' 不得晚于（大于）%s", vals[c], t->cols[oc].zh);
			fail(err, t, c, "order", zh_msg(zh, sizeof(zh), t, c, w),
			     "'%s': must be <= %s ('%s')", vals[c], o, vals[oc]);
			return c;
		}
	}
	return -1;
}

void row_errors_release(struct row_errors *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void keep(struct row_errors *l, const struct row_error *err, const char *key)
{
	struct row_error *x;
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	x = &l->v[l->nr++];
	*x = *err;
	snprintf(x->key, sizeof(x->key), "%s", key);
}

void table_row_init(struct table_row *r, const struct table *t)
{
	r->t = t;
	r->cb = xcalloc((size_t)t->ncols, sizeof(*r->cb));
	r->vals = xcalloc((size_t)t->ncols, sizeof(*r->vals));
	for (int i = 0; i < t->ncols; i++)
		buf_init(&r->cb[i], 0);
}

void table_row_release(struct table_row *r)
{
	for (int i = 0; r->cb && i < r->t->ncols; i++)
		buf_release(&r->cb[i]);
	free(r->cb);
	free(r->vals);
	r->cb = NULL;
	r->vals = NULL;
}

int table_validate_row(const struct table *t, const char *const *raw, struct table_row *out,
		       struct row_errors *errs)
{
	struct row_error err;
	struct buf key = BUF_INIT;
	size_t before = errs->nr;
	int idx[8], nk = table_key_cols(t, idx), bad = 0;
	const char *why;

	memset(&err, 0, sizeof(err));
	for (int k = 0; k < nk; k++) /* the key as given, for the messages */
		buf_addf(&key, "%s%s", k ? "/" : "", raw[idx[k]] ? raw[idx[k]] : "");
	for (int c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[c];
		const char *v = raw[c] ? raw[c] : "";
		if (col->flags & TCOL_VIRTUAL) {
			out->vals[c] = NULL;
			continue;
		}
		if (table_check_value(t, c, v, strlen(v), (col->flags & TCOL_REQUIRED) != 0,
				      &out->cb[c], &out->vals[c], &err) < 0) {
			keep(errs, &err, key.buf);
			out->vals[c] = NULL;
			bad = 1;
		}
	}
	for (int c = 0; !bad && (c = table_check_cross(t, out->vals, c, &err)) >= 0; c++)
		keep(errs, &err, key.buf);
	if (errs->nr == before && t->row_check) {
		int c = 0;
		if ((why = t->row_check(out->vals, &c))) {
			char zh[256];
			fail(&err, t, c, "row_rule", zh_msg(zh, sizeof(zh), t, c, why), "%s", why);
			keep(errs, &err, key.buf);
		}
	}
	buf_release(&key);
	return errs->nr == before ? 0 : ERR_DATA;
}
