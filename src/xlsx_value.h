/* xlsx_value.h: cell value formatting for the XLSX reader (xlsx.c); not a general
 * interface. Pure functions. */
#ifndef XLSX_VALUE_H
#define XLSX_VALUE_H

#include <stddef.h>

struct buf;

/* Whether a custom number format code shows a date. */
int xlsx_code_is_date(const char *code);
/* Whether built-in number format id shows a date. */
int xlsx_builtin_is_date(long id);
/* Append Excel serial date v as YYYY-MM-DD (v in 0 .. the serial of 9999-12-31). */
void xlsx_add_date(struct buf *b, double v, int date1904);
/* Append v as the shortest exact decimal. */
void xlsx_add_number(struct buf *b, double v);
/* 1 when s[0..n) is an integer in plain digits, kept as written. */
int xlsx_plain_integer(const char *s, size_t n);

#endif
