/* validate.c: validators for Chinese national codes (身份证号 GB 11643-1999, 统一社会信用代码
 * GB 32100-2015), school and area codes and ISO dates, used by import and the API.
 * Messages are static strings (the check-character ones come from tables). No message quotes
 * a part of a 身份证号: callers print the number masked (idhash_mask keeps characters 1-6 and
 * 15-18), and quoting the birth date as well would give the whole number away. */
#include <string.h>


#include "validate.h"
#include "banned.h"

#define CHECK_MSG(word, c) "check " word " should be '" c "'"
static const char *const id_check_msg[11] = {
	CHECK_MSG("digit", "1"), CHECK_MSG("digit", "0"), CHECK_MSG("digit", "X"),
	CHECK_MSG("digit", "9"), CHECK_MSG("digit", "8"), CHECK_MSG("digit", "7"),
	CHECK_MSG("digit", "6"), CHECK_MSG("digit", "5"), CHECK_MSG("digit", "4"),
	CHECK_MSG("digit", "3"), CHECK_MSG("digit", "2"),
};
#define CC(c) CHECK_MSG("character", c)
static const char *const cc_check_msg[31] = {
	CC("0"), CC("1"), CC("2"), CC("3"), CC("4"), CC("5"), CC("6"), CC("7"), CC("8"), CC("9"),
	CC("A"), CC("B"), CC("C"), CC("D"), CC("E"), CC("F"), CC("G"), CC("H"), CC("J"), CC("K"),
	CC("L"), CC("M"), CC("N"), CC("P"), CC("Q"), CC("R"), CC("T"), CC("U"), CC("W"), CC("X"),
	CC("Y"),
};
#define BADCHAR(n) "character " n " must be a digit or an upper-case letter other than " \
		   "I, O, Z, S, V"
static const char *const cc_char_msg[18] = {
	BADCHAR("1"), BADCHAR("2"), BADCHAR("3"), BADCHAR("4"), BADCHAR("5"), BADCHAR("6"),
	BADCHAR("7"), BADCHAR("8"), BADCHAR("9"), BADCHAR("10"), BADCHAR("11"), BADCHAR("12"),
	BADCHAR("13"), BADCHAR("14"), BADCHAR("15"), BADCHAR("16"), BADCHAR("17"), BADCHAR("18"),
};

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* y, m, d (digits already checked) form a real date with year >= min_year */
static int real_date(int min_year, int y, int m, int d)
{
	return y >= min_year && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ---- 身份证号 --------------------------------------------------------------------------- */

static int id_sum_mod11(const char *first17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return sum % 11;
}

char id_number_check_char(const char *first17)
{
	static const char map[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
	return map[id_sum_mod11(first17)];
}

const char *validate_id_number(const char *s)
{
	size_t n = strlen(s);
	char want, got;
	if (n != 18)
		return "must be 18 characters";
	if (!all_digits(s, 17))
		return "first 17 characters must be digits";
	got = s[17] == 'x' ? 'X' : s[17];
	if (!(got >= '0' && got <= '9') && got != 'X')
		return "last character must be a digit or 'X'";
	if (!real_date(1900, num(s + 6, 4), num(s + 10, 2), num(s + 12, 2)))
		return "birth date (characters 7-14) is not a date";
	want = id_number_check_char(s);
	if (got != want)
		return id_check_msg[id_sum_mod11(s)];
	return NULL;
}

/* ---- 统一社会信用代码 --------------------------------------------------------------------- */

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	const char *p = c ? strchr(uscc_chars, c) : NULL;
	return p ? (int)(p - uscc_chars) : -1;
}

char credit_code_check_char(const char *first17)
{
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);
		if (v < 0)
			return '?';
		sum += v * w[i];
	}
	return uscc_chars[(31 - sum % 31) % 31];
}

const char *validate_credit_code(const char *s)
{
	size_t n = strlen(s);
	char want;
	if (n != 18)
		return "must be 18 characters";
	for (size_t i = 0; i < n; i++)
		if (uscc_value(s[i]) < 0)
			return cc_char_msg[i];
	want = credit_code_check_char(s);
	if (s[17] != want)
		return cc_check_msg[uscc_value(want)];
	return NULL;
}

/* ---- simple formats ------------------------------------------------------------------- */

const char *validate_school_code(const char *s)
{
	if (strlen(s) != 10 || !all_digits(s, 10))
		return "must be 10 digits";
	return NULL;
}

const char *validate_area_code(const char *s)
{
	size_t n = strlen(s);
	if ((n != 6 && n != 9 && n != 12) || !all_digits(s, n))
		return "must be 6, 9 or 12 digits";
	return NULL;
}

const char *validate_date(const char *s)
{
	if (strlen(s) != 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) ||
	    s[7] != '-' || !all_digits(s + 8, 2))
		return "must be a date YYYY-MM-DD";
	if (!real_date(1, num(s, 4), num(s + 5, 2), num(s + 8, 2)))
		return "is not a date in the calendar";
	return NULL;
}
