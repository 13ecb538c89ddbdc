/* render.h: one renderer for every command's and report's rows: a column table for people,
 * CSV (RFC 4180) and JSON (an array of objects), from one column list.
 *
 * Numbers are written by buf_add_num() (%.10g; NULL/NAN as empty, "-" or null), the one
 * number format of eduhq's text outputs. */
#ifndef RENDER_H
#define RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"

enum render_format { RENDER_TABLE, RENDER_CSV, RENDER_JSON };

enum render_kind {
	RK_TEXT,   /* s; NULL is null/empty */
	RK_INT,    /* d holds an integer; NAN is null */
	RK_NUM,    /* d; NAN is null */
	RK_JSON,   /* s is JSON text, embedded as is in JSON, a text field in CSV */
};

enum render_flags {
	RC_TABLE_ONLY = 1,   /* only in the table */
	RC_DATA_ONLY = 2,    /* only in CSV and JSON */
	RC_NO_JSON = 4,      /* not in JSON */
};

struct render_col {
	const char *name;     /* JSON key and CSV header */
	enum render_kind kind;
	unsigned flags;
	int width;            /* table: printf width (negative: left-aligned; 0: as is) */
	const char *title;    /* table header, NULL: name */
	const char *numfmt;   /* table: printf format of a number (NULL: %.10g) */
};

struct render_val {
	const char *s;
	double d;
};

struct render {
	enum render_format fmt;
	const struct render_col *cols;
	int ncols;
	FILE *out;
	struct buf b;
	size_t nrows;
	const char *json_open, *json_close;   /* default "[" and "]\n" */
	int no_header;                        /* table/CSV: no header line */
};

/* Name to format: "table" (also "text"), "csv", "json"; -1 if none. */
int render_format_of(const char *name);
void render_init(struct render *r, enum render_format fmt, const struct render_col *cols,
		 int ncols, FILE *out);
/* One row: ncols values, by column. The first call writes the header (or json_open). */
void render_row(struct render *r, const struct render_val *v);
/* Table only: a line under the last row, indented by four spaces. */
void render_note(struct render *r, const char *text);
/* Write what is left (json_close) and release. */
void render_finish(struct render *r);

#endif
