/* buf.c: the growable byte buffer every module builds strings with. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"
#include "banned.h"

char buf_slopbuf[1];

void buf_init(struct buf *b, size_t hint)
{
	b->alloc = b->len = 0;
	b->buf = buf_slopbuf;
	if (hint)
		buf_grow(b, hint);
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->buf);
	buf_init(b, 0);
}

void buf_grow(struct buf *b, size_t extra)
{
	int fresh = !b->alloc;
	if (b->len + extra + 1 < b->len)
		die("buffer size overflow");
	if (fresh)
		b->buf = NULL;
	ALLOC_GROW(b->buf, b->len + extra + 1, b->alloc);
	if (fresh)
		b->buf[0] = '\0';
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > (b->alloc ? b->alloc - 1 : 0))
		BUG("buf_setlen(%zu) beyond buffer", len);
	b->len = len;
	if (b->alloc)
		b->buf[len] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *r;
	if (!b->alloc)
		buf_grow(b, 0);
	r = b->buf;
	if (len)
		*len = b->len;
	buf_init(b, 0);
	return r;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->buf + b->len, data, len);
	buf_setlen(b, b->len + len);
}

void buf_adds(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_addch(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->buf[b->len] = (char)c;
	buf_setlen(b, b->len + 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for '%s'", fmt);
	if ((size_t)n >= (b->alloc ? b->alloc - b->len : 0)) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
	}
	buf_setlen(b, b->len + (size_t)n);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_add_num(struct buf *b, double v)
{
	if (isfinite(v))
		buf_addf(b, "%.10g", v);
	else
		buf_adds(b, "null");
}

void buf_add_json_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = 0;
		/* a run that needs no escape goes in at once */
		while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
			n++;
		if (n) {
			buf_add(b, s, n);
			s += n - 1;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, c);
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c == '\r') {
			buf_adds(b, "\\r");
		} else if (c == '\t') {
			buf_adds(b, "\\t");
		} else if (c < 0x20) {
			buf_addf(b, "\\u%04x", c);
		} else {
			buf_addch(b, c);
		}
	}
	buf_addch(b, '"');
}

void buf_add_csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(b, '"');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

void buf_add_md_cell(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			buf_addch(b, '\\');
		buf_addch(b, *s == '\n' ? ' ' : *s);
	}
}

void buf_rtrim(struct buf *b)
{
	while (b->len && strchr(" \t\r\n", b->buf[b->len - 1]))
		b->len--;
	if (b->alloc)
		b->buf[b->len] = '\0';
}
