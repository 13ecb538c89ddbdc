/* xlsx.h: read one worksheet of an XLSX workbook (as Excel and WPS save it) as rows of
 * text, with libzip and expat.
 *
 * Shared strings, inline strings, numbers (printed without a spurious ".0"; large integers
 * such as 18-digit codes kept exact when stored as text), booleans, dates (cells whose
 * number format is a date become "YYYY-MM-DD"), and empty cells (gaps in a row become empty
 * fields). Rows are streamed; memory is bounded by the shared-string table and one row. */
#ifndef XLSX_H
#define XLSX_H

#include "csv.h"
#include "err.h"

struct xlsx_reader;

/* Open `path` and select the sheet named `sheet` (NULL: the first visible sheet in workbook
 * order, or the first sheet when all are hidden).
 * A missing sheet is an error naming the sheets that exist. Returns a new reader (close it
 * with xlsx_close) or NULL with e set. */
struct xlsx_reader *xlsx_open(const char *path, const char *sheet, struct err *e);
/* Same contract as csv_read(); row->line is the sheet row number (1-based). Completely
 * empty rows are skipped. */
int xlsx_read(struct xlsx_reader *r, struct csv_row *row, struct err *e);
void xlsx_close(struct xlsx_reader *r);

#endif
