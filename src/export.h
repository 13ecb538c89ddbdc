/* export.h: write one registry table as CSV, XLSX or JSON, rows ordered by natural key.
 *
 * CSV: RFC 4180 quoting, CRLF line ends, English header names; UTF-8 with a BOM (so Excel
 * reads Chinese) or GB18030 without BOM. XLSX: a header row, codes as text cells so 18-digit
 * codes stay exact. JSON: an array of objects. teacher exports id_hash and id_masked, never a
 * clear ID number. File output is durable: a temporary file in the same directory, fsync,
 * rename. An export re-imports (`eduhq import`) to identical rows. */
#ifndef EXPORT_H
#define EXPORT_H

#include "err.h"

struct store;
struct table;

enum export_format { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSON };

struct export_opts {
	enum export_format format;
	const char *out;   /* file, or NULL for stdout (not for XLSX) */
	int gb18030;       /* CSV in GB18030 instead of UTF-8 with BOM */
};

/* Returns 0, or a negative ERR_* with e set; *nrows gets the rows written. */
int export_table(struct store *s, const struct table *t, const struct export_opts *o,
		 long *nrows, struct err *e);

/* May an export write path? Refuses (ERR_USAGE) anything there that is not a regular file
 * (a device, a symlink, a directory), and the database db_path itself, its -wal, -shm and
 * -journal files and its ID-hash key file (by resolved name, and by inode when they exist).
 * db_path NULL: only the first check. export_table() calls it for o->out. */
int export_check_target(const char *path, const char *db_path, struct err *e);

/* An XLSX sheet written row by row (libxlsxwriter in constant-memory mode: each row goes
 * to disk as it is written, so memory stays flat whatever the number of rows): the header
 * of t's stored columns, then rows. file: the file to create; name: the name in messages.
 * A row too many or a cell too long is ERR_DATA, never a silently empty cell. */
struct export_xlsx;
struct export_xlsx *export_xlsx_open(const char *file, const char *name, const struct table *t,
				     struct err *e);
/* One cell of the current row: sheet column c, table column col; numbers are written from
 * num, text from text. */
int export_xlsx_cell(struct export_xlsx *x, int c, int col, const char *text, double num,
		     struct err *e);
void export_xlsx_next_row(struct export_xlsx *x);
/* A whole row as canonical text per column of t (NULL: empty), then the next row. */
int export_xlsx_vals(struct export_xlsx *x, const char *const *vals, struct err *e);
/* Finish the file and free x; *nrows (may be NULL) gets the rows written. e may be NULL
 * (closing after an error). */
int export_xlsx_close(struct export_xlsx *x, long *nrows, struct err *e);

/* Write `data` to `path` durably (temp file in the same directory, fsync, rename). */
int export_write_file(const char *path, const char *data, size_t len, struct err *e);

#endif
