/* buf.h: a growable byte buffer (after git's strbuf).
 *
 * Contract: b->buf is never NULL and always NUL-terminated, even when empty; the bytes may
 * contain NULs. The buffer owns its memory; ownership leaves only through buf_detach(). */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char buf_slopbuf[];
#define BUF_INIT { 0, 0, buf_slopbuf }

void buf_init(struct buf *b, size_t hint);
void buf_release(struct buf *b);
/* Make room for at least `extra` more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_setlen(struct buf *b, size_t len);
#define buf_reset(b) buf_setlen((b), 0)
/* Return the contents (new, caller frees) and leave b empty; *len if non-NULL. */
char *buf_detach(struct buf *b, size_t *len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal, quotes included. */
void buf_add_json_str(struct buf *b, const char *s);
/* Append s as one CSV field (RFC 4180): as is, or in double quotes with quotes doubled when
 * it holds a comma, quote, CR or LF. */
void buf_add_csv_field(struct buf *b, const char *s);
/* Append s for a Markdown table cell: '|' escaped as "\|", a line break as a space. */
void buf_add_md_cell(struct buf *b, const char *s);
/* Append a number as every text output of eduhq writes one: %.10g, or "null" when not
 * finite (JSON's null; CSV and table writers test isfinite() first). */
/* Append s with the five XML special characters escaped (&lt; &gt; &amp; &quot; &#39;), for
 * HTML, SVG and OOXML text and attribute values. */
void buf_add_xml(struct buf *b, const char *s);
void buf_add_num(struct buf *b, double v);
/* Remove trailing whitespace. */
void buf_rtrim(struct buf *b);

#endif
