/* test_validate.c: unit tests for the national-code and format validators (src/validate.c):
 * 身份证号 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015), school and area codes, dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "validate.h"

#define assert_valid(msg) assert_null(msg)
#define assert_msg(got, want)                                                            \
	do {                                                                             \
		const char *g_ = (got);                                                  \
		assert_non_null(g_);                                                     \
		assert_string_equal(g_, (want));                                         \
	} while (0)

static void id_number_check_digits(void **state)
{
	(void)state;
	/* The example of GB 11643-1999 itself: 11010519491231002X.
	 * 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 × 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
	 * = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'. */
	assert_int_equal(id_number_check_char("11010519491231002"), 'X');
	assert_valid(validate_id_number("11010519491231002X"));
	assert_valid(validate_id_number("11010519491231002x"));
	/* 11010120000101001:
	 * 7+9+0+5+0+4+4+0+0+0+0+9+0+5+0+0+2 = 45; 45 mod 11 = 1 → '0'. */
	assert_int_equal(id_number_check_char("11010120000101001"), '0');
	assert_valid(validate_id_number("110101200001010010"));
	/* 44030119900307123:
	 * 4·7+4·9+0·10+3·5+0·8+1·4+1·2+9·1+9·6+0·3+0·7+3·9+0·10+7·5+1·8+2·4+3·2
	 * = 28+36+0+15+0+4+2+9+54+0+0+27+0+35+8+8+6 = 232; 232 mod 11 = 1 → '0'. */
	assert_int_equal(id_number_check_char("44030119900307123"), '0');
	assert_valid(validate_id_number("440301199003071230"));
	/* 32010219800229001 (1980 is a leap year):
	 * 21+18+0+5+0+8+2+9+48+0+0+18+20+45+0+0+2 = 196; 196 mod 11 = 9 → '3'. */
	assert_int_equal(id_number_check_char("32010219800229001"), '3');
	assert_valid(validate_id_number("320102198002290013"));
}

static void id_number_errors(void **state)
{
	(void)state;
	assert_msg(validate_id_number("110105194912310021"), "check digit should be 'X'");
	assert_msg(validate_id_number("110101200001010011"), "check digit should be '0'");
	assert_msg(validate_id_number("11010519491231002"), "must be 18 characters");
	assert_msg(validate_id_number(""), "must be 18 characters");
	assert_msg(validate_id_number("11010519491231002XX"), "must be 18 characters");
	assert_msg(validate_id_number("1101051949123100AX"), "first 17 characters must be digits");
	assert_msg(validate_id_number("11010519491231002Y"), "last character must be a digit or 'X'");
	/* the message never quotes the birth date: with the masked number (characters 1-6 and
	 * 15-18) it would give the whole 身份证号 away */
	assert_msg(validate_id_number("110105199913320021"), "birth date (characters 7-14) is not a date");
	/* 1900 is not a leap year; 2000 is; years before 1900 are refused */
	assert_msg(validate_id_number("110105190002290021"), "birth date (characters 7-14) is not a date");
	assert_msg(validate_id_number("110105189912310021"), "birth date (characters 7-14) is not a date");
	assert_msg(validate_id_number("110105200002300021"), "birth date (characters 7-14) is not a date");
	/* 2000-02-29 exists: only the check digit is then wrong
	 * 1 1 0 1 0 5 2 0 0 0 0 2 2 9 0 0 2: 7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+4 = 132,
	 * 132 mod 11 = 0 → '1'. */
	assert_msg(validate_id_number("110105200002290020"), "check digit should be '1'");
	assert_valid(validate_id_number("110105200002290021"));
}

/* A message stays what it said after later calls (the importer collects them). */
static void messages_outlive_later_calls(void **state)
{
	const char *a, *b, *c;
	(void)state;
	a = validate_id_number("110105199913320021");
	b = validate_id_number("110105200002300021");
	c = validate_credit_code("91440300708461137T");
	for (int i = 0; i < 10; i++)
		(void)validate_id_number("110105199913320021");
	assert_string_equal(a, "birth date (characters 7-14) is not a date");
	assert_string_equal(b, "birth date (characters 7-14) is not a date");
	assert_string_equal(c, "check character should be 'X'");
}

static void credit_code_check_chars(void **state)
{
	(void)state;
	/* Published codes: 91110000600037341L (often quoted), 91440300708461136T
	 * (华为技术有限公司). Hand check of the second:
	 * values 9 1 4 4 0 3 0 0 7 0 8 4 6 1 1 3 6 × 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
	 * = 9+3+36+108+0+78+0+0+140+0+200+52+48+24+10+90+168 = 966; 966 mod 31 = 5;
	 * 31-5 = 26 → 'T' (the 27th of 0-9A-HJ-NP-RTUWXY). */
	assert_int_equal(credit_code_check_char("91440300708461136"), 'T');
	assert_valid(validate_credit_code("91440300708461136T"));
	assert_int_equal(credit_code_check_char("91110000600037341"), 'L');
	assert_valid(validate_credit_code("91110000600037341L"));
	/* letters in the body: 91310000MA1FL8XQ3 → M=21 A=10 F=15 L=20 X=29 Q=24
	 * 9+3+27+27+0+0+0+0+420+290+25+195+160+192+290+720+84 = 2442; 2442 mod 31 = 24;
	 * 31-24 = 7 → '7'. */
	assert_int_equal(credit_code_check_char("91310000MA1FL8XQ3"), '7');
	assert_valid(validate_credit_code("91310000MA1FL8XQ37"));
}

static void credit_code_errors(void **state)
{
	(void)state;
	/* one character flipped: 6 → 7 in position 17 adds 28: 994 mod 31 = 2, 31-2 = 29 → 'X' */
	assert_msg(validate_credit_code("91440300708461137T"), "check character should be 'X'");
	assert_msg(validate_credit_code("91110000600037341M"), "check character should be 'L'");
	assert_msg(validate_credit_code("9144030070846113T"), "must be 18 characters");
	assert_msg(validate_credit_code("9144030070846113IT"),
		   "character 17 must be a digit or an upper-case letter other than I, O, Z, S, V");
	assert_msg(validate_credit_code("91440300708461136t"),
		   "character 18 must be a digit or an upper-case letter other than I, O, Z, S, V");
}

static void school_area_and_date_formats(void **state)
{
	(void)state;
	assert_valid(validate_school_code("3101010001"));
	assert_msg(validate_school_code("310101000"), "must be 10 digits");
	assert_msg(validate_school_code("31010100011"), "must be 10 digits");
	assert_msg(validate_school_code("31010100a1"), "must be 10 digits");
	assert_valid(validate_area_code("310101"));
	assert_valid(validate_area_code("310101001"));
	assert_valid(validate_area_code("310101001001"));
	assert_msg(validate_area_code("3101010"), "must be 6, 9 or 12 digits");
	assert_msg(validate_area_code("31010x"), "must be 6, 9 or 12 digits");
	assert_msg(validate_area_code(""), "must be 6, 9 or 12 digits");
	assert_valid(validate_date("2024-02-29"));
	assert_valid(validate_date("2000-02-29"));
	assert_msg(validate_date("2023-02-29"), "is not a date in the calendar");
	assert_msg(validate_date("1900-02-29"), "is not a date in the calendar");
	assert_msg(validate_date("2024-04-31"), "is not a date in the calendar");
	assert_msg(validate_date("2024-13-01"), "is not a date in the calendar");
	assert_msg(validate_date("2024-00-10"), "is not a date in the calendar");
	assert_msg(validate_date("2024/01/01"), "must be a date YYYY-MM-DD");
	assert_msg(validate_date("2024-1-01"), "must be a date YYYY-MM-DD");
	assert_msg(validate_date("20240101"), "must be a date YYYY-MM-DD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_number_check_digits),
		cmocka_unit_test(id_number_errors),
		cmocka_unit_test(messages_outlive_later_calls),
		cmocka_unit_test(credit_code_check_chars),
		cmocka_unit_test(credit_code_errors),
		cmocka_unit_test(school_area_and_date_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
