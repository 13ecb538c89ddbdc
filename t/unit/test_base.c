/* test_base.c: unit tests for the base library: buf, arena, err, xmalloc's ALLOC_GROW. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "json_valid.h"
#include "xmalloc.h"

static void buf_starts_empty_and_terminated(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_non_null(b.buf);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	buf_release(&b);
	assert_string_equal(b.buf, "");
}

static void buf_appends_and_formats(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	buf_adds(&b, "abc");
	buf_addch(&b, '-');
	buf_addf(&b, "%d/%s", 42, "x");
	assert_string_equal(b.buf, "abc-42/x");
	assert_int_equal(b.len, 8);
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%04d", i);
	assert_int_equal(b.len, 8 + 4000);
	assert_memory_equal(b.buf + b.len - 4, "0999", 4);
	assert_int_equal(b.buf[b.len], '\0');
	buf_reset(&b);
	assert_string_equal(b.buf, "");
	buf_release(&b);
}

static void buf_holds_nul_bytes_and_detaches(void **state)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *p;
	(void)state;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	p = buf_detach(&b, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "a\0b", 4);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	free(p);
	p = buf_detach(&b, &len); /* an empty buffer detaches as an allocated "" */
	assert_string_equal(p, "");
	free(p);
}

static void buf_escapes_json_and_trims(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	buf_add_json_str(&b, "a\"b\\c\n\x01");
	assert_string_equal(b.buf, "\"a\\\"b\\\\c\\n\\u0001\"");
	buf_reset(&b);
	buf_adds(&b, "x  \r\n");
	buf_rtrim(&b);
	assert_string_equal(b.buf, "x");
	buf_release(&b);
}

static void buf_quotes_csv_and_markdown_cells(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	/* plain text stays as is; a comma, quote, CR or LF quotes the field, quotes doubled */
	buf_add_csv_field(&b, "plain text");
	buf_addch(&b, '|');
	buf_add_csv_field(&b, "");
	buf_addch(&b, '|');
	buf_add_csv_field(&b, "a,b");
	buf_addch(&b, '|');
	buf_add_csv_field(&b, "say \"hi\"");
	buf_addch(&b, '|');
	buf_add_csv_field(&b, "x\ry");
	buf_addch(&b, '|');
	buf_add_csv_field(&b, "x\ny");
	assert_string_equal(b.buf, "plain text||\"a,b\"|\"say \"\"hi\"\"\"|\"x\ry\"|\"x\ny\"");
	buf_reset(&b);
	/* a pipe is escaped, a line break becomes a space */
	buf_add_md_cell(&b, "a|b\nc");
	assert_string_equal(b.buf, "a\\|b c");
	buf_release(&b);
}

static void arena_allocates_aligned_zeroed_memory(void **state)
{
	struct arena a;
	(void)state;
	arena_init(&a, 128);
	for (int i = 0; i < 100; i++) {
		char *p = arena_alloc(&a, (size_t)i + 1);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (int j = 0; j <= i; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xff, (size_t)i + 1);
	}
	assert_int_equal(a.total, 100 * 101 / 2);
	{
		char *big = arena_alloc(&a, 10000); /* larger than a block */
		char *s = arena_strndup(&a, "hello world", 5);
		assert_non_null(big);
		assert_string_equal(s, "hello");
		assert_string_equal(arena_strdup(&a, "zh中文"), "zh中文");
	}
	arena_release(&a);
	assert_null(a.head);
}

static void err_sets_prefixes_and_maps_exit_status(void **state)
{
	struct err e = ERR_INIT;
	(void)state;
	assert_int_equal(err_set(&e, ERR_DATA, "bad value '%s'", "x"), ERR_DATA);
	assert_string_equal(e.msg, "bad value 'x'");
	err_prefix(&e, "file %s:%d", "a.csv", 3);
	assert_string_equal(e.msg, "file a.csv:3: bad value 'x'");
	assert_int_equal(err_exit_status(0), 0);
	assert_int_equal(err_exit_status(ERR_USAGE), 2);
	assert_int_equal(err_exit_status(ERR_DATA), 1);
	assert_int_equal(err_exit_status(ERR_DB), 1);
	err_clear(&e);
	assert_string_equal(e.msg, "");
}

static void alloc_grow_grows_arrays(void **state)
{
	int *v = NULL;
	size_t nr = 0, alloc = 0;
	(void)state;
	for (int i = 0; i < 10000; i++) {
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr++] = i;
	}
	assert_true(alloc >= 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(v[i], i);
	free(v);
	{
		char *s = xstrndup("abcdef", 3);
		assert_string_equal(s, "abc");
		free(s);
	}
}

static void err_masks_id_numbers_in_messages(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "'110101199003071233'", "'110101********1233'" },
		{ "33010219850612001x,33010219850612001X", "330102********001x,330102********001X" },
		{ "id110101199003071233end", "id110101********1233end" },
		{ "110101900307123", "110101******123" },          /* 15 digits, old form */
		{ "11010119900307123", "110101********123" },        /* 17 digits: keep 6 + 3 */
		{ "12345678901234", "12345678901234" },             /* 14 digits: not an ID */
		{ "441023100000 and 4410230001", "441023100000 and 4410230001" },
		{ "4.41002198001e+17", "4.41002******e+17" },
		{ "4.41002198001E+16", "4.41002******E+16" },
		{ "1.5e+3 and 2.123456789e+5", "1.5e+3 and 2.123456789e+5" },
		{ "4.41002198001e+99999999999999", "4.41002******e+99999999999999" }, /* no overflow */
		{ "", "" },
		{ "1234567890123456789012345", "123456***************2345" },
	};
	struct err e = ERR_INIT;
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s", cases[i].in);
		err_mask_ids(s);
		assert_string_equal(s, cases[i].out);
	}
	err_set(&e, ERR_DATA, "no rule '%s'", "110101199003071233");
	assert_string_equal(e.msg, "no rule '110101********1233'");
	err_prefix(&e, "file %s", "33010219850612001X.csv");
	assert_string_equal(e.msg, "file 330102********001X.csv: no rule '110101********1233'");
}

static void json_valid_accepts_rfc8259_and_refuses_the_rest(void **state)
{
	static const char *const good[] = {
		"{}", "[]", " {\"a\": [1, -0.5e+3, 0, 2E-2, true, false, null]}\n", "\"\"", "0", "-0",
		"\"\\u00e9\\n\\\"\\\\\\/\"", "{\"代码\":\"江东区\",\"x\":{\"y\":[[]]}}", "12.5",
	};
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1",
		"\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "tru", "nul", "[1] 2",
		"{\"a\":1}}", "[\"a\\", "'a'", "NaN", "[1 2]", "{\"a\" 1}",
	};
	char deep[2 * JSON_VALID_MAX_DEPTH + 3];
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!json_valid(good[i]))
			fail_msg("refused: %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_valid(bad[i]))
			fail_msg("accepted: %s", bad[i]);
	assert_false(json_valid(NULL));
	/* nesting: at the limit, and one deeper */
	memset(deep, '[', JSON_VALID_MAX_DEPTH);
	memset(deep + JSON_VALID_MAX_DEPTH, ']', JSON_VALID_MAX_DEPTH);
	deep[2 * JSON_VALID_MAX_DEPTH] = '\0';
	assert_true(json_valid(deep));
	memset(deep, '[', JSON_VALID_MAX_DEPTH + 1);
	memset(deep + JSON_VALID_MAX_DEPTH + 1, ']', JSON_VALID_MAX_DEPTH + 1);
	deep[2 * JSON_VALID_MAX_DEPTH + 2] = '\0';
	assert_false(json_valid(deep));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_starts_empty_and_terminated),
		cmocka_unit_test(buf_appends_and_formats),
		cmocka_unit_test(buf_holds_nul_bytes_and_detaches),
		cmocka_unit_test(buf_escapes_json_and_trims),
		cmocka_unit_test(buf_quotes_csv_and_markdown_cells),
		cmocka_unit_test(arena_allocates_aligned_zeroed_memory),
		cmocka_unit_test(err_sets_prefixes_and_maps_exit_status),
		cmocka_unit_test(json_valid_accepts_rfc8259_and_refuses_the_rest),
		cmocka_unit_test(alloc_grow_grows_arrays),
		cmocka_unit_test(err_masks_id_numbers_in_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
