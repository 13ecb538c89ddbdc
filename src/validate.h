/* validate.h: validators for Chinese national codes and common field formats.
 *
 * Each returns NULL when the value is valid, else a short lower-case message (static
 * storage) saying what is wrong, e.g. "check digit should be 'X'". */
#ifndef VALIDATE_H
#define VALIDATE_H

/* 身份证号, GB 11643-1999: 17 digits + check digit (0-9 or X, ISO 7064 MOD 11-2), a real
 * birth date in positions 7-14. */
const char *validate_id_number(const char *s);
/* 统一社会信用代码, GB 32100-2015: 18 characters from 0-9A-HJ-NP-RTUWXY, check char
 * (MOD 31). */
const char *validate_credit_code(const char *s);
/* The check character for the first 17 characters of a 身份证号 / 统一社会信用代码
 * (used by validators and by the demo generator). */
char id_number_check_char(const char *first17);
char credit_code_check_char(const char *first17);
/* 学校标识码: 10 digits. */
const char *validate_school_code(const char *s);
/* Area code: 6 digits (GB/T 2260), or 9 or 12 digits (NBS statistical codes). */
const char *validate_area_code(const char *s);
/* ISO date YYYY-MM-DD that exists in the calendar. */
const char *validate_date(const char *s);

#endif
