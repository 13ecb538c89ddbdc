/* csv.h: a streaming RFC 4180 CSV reader (SPEC §5.2).
 *
 * Quoted fields with embedded commas, quotes ("") and newlines; CRLF or LF; UTF-8 with or
 * without BOM, or GB18030 (what Excel/WPS save in China), detected automatically and
 * converted to UTF-8 with iconv. Memory is bounded by the longest row, not the file size.
 * Errors name the file, line and column: "FILE:LINE:COL: message". */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#include "err.h"

enum csv_encoding { CSV_ENC_AUTO = 0, CSV_ENC_UTF8, CSV_ENC_GB18030 };

/* One field, UTF-8, NUL-terminated; borrowed until the next read. */
struct csv_field {
	const char *s;
	size_t len;
};

/* One record. line: the physical line (1-based) where the record starts; for XLSX the
 * sheet row number. Fields are borrowed until the next read. */
struct csv_row {
	struct csv_field *f;
	size_t nfields;
	long line;
};

struct csv_reader;

/* Open a file (path "-" is stdin). Returns a new reader or NULL with e set. */
struct csv_reader *csv_open(const char *path, enum csv_encoding enc, struct err *e);
/* Read from memory (not copied; must outlive the reader); name is used in messages. */
struct csv_reader *csv_open_mem(const char *data, size_t len, const char *name,
				enum csv_encoding enc, struct err *e);
/* 1 = a row is in *row, 0 = end of input, negative = error (e set, reader unusable). */
int csv_read(struct csv_reader *r, struct csv_row *row, struct err *e);
/* The encoding detected (valid after the first csv_read). */
enum csv_encoding csv_detected_encoding(const struct csv_reader *r);
void csv_close(struct csv_reader *r);

#endif
