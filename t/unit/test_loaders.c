/* test_loaders.c: unit tests for what the loaders are built on: the code index (codeidx),
 * packed arena strings, and the data fingerprint's encoding (the typed helpers give the bytes
 * eval_fp_add_row gives for a row, both the documented encoding written out here by hand,
 * and buffering gives the digest of the whole byte stream hashed at once), and its units
 * (their hashes summed after the stream, in any order, and patched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMPDIR_NAME "loaderstest"
#include "tmpdir.h"

#include "arena.h"
#include "buf.h"
#include "codeidx.h"
#include "eval.h"
#include "store.h"

static void codeidx_finds_every_code_and_only_those(void **state)
{
	struct codeidx x;
	char (*codes)[16] = calloc(3000, sizeof(*codes));

	(void)state;
	codeidx_init(&x, 3000);
	for (int i = 0; i < 3000; i++) {
		snprintf(codes[i], sizeof(codes[i]), "39%08d", i * 7);
		codeidx_add(&x, codes[i], i);
	}
	codeidx_add(&x, codes[5], 99); /* a code added twice keeps its first position */
	for (int i = 0; i < 3000; i++)
		assert_int_equal(codeidx_find(&x, codes[i]), i);
	assert_int_equal(codeidx_find(&x, "3900000001"), -1);
	assert_int_equal(codeidx_find(&x, ""), -1);
	assert_int_equal(codeidx_find(&x, NULL), -1);
	codeidx_release(&x);
	codeidx_init(&x, 0);
	assert_int_equal(codeidx_find(&x, "a"), -1);
	codeidx_release(&x);
	free(codes);
}

static void arena_packs_strings_and_aligns_the_rest(void **state)
{
	struct arena a;
	char *s, *t, *u;
	long double *d;

	(void)state;
	arena_init(&a, 256);
	s = arena_strdup(&a, "ab");
	t = arena_strdup(&a, "cd");
	assert_ptr_equal(t, s + 3); /* no padding between strings */
	d = arena_alloc(&a, sizeof(*d) * 2);
	assert_int_equal((uintptr_t)d % _Alignof(max_align_t), 0);
	assert_true(d[0] == 0 && d[1] == 0);
	u = arena_strndup(&a, "hello", 4);
	assert_string_equal(u, "hell");
	assert_string_equal(s, "ab");
	assert_string_equal(t, "cd");
	/* a string longer than a block gets a block of its own; the small ones go on */
	{
		char big[1000];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		assert_string_equal(arena_strdup(&a, big), big);
		assert_ptr_equal(arena_strdup(&a, "e"), u + 5);
	}
	arena_release(&a);
}

static char *hex_of(const unsigned char *bytes, size_t n)
{
	unsigned char h[32];
	char *hex = malloc(65);
	crypto_generichash(h, sizeof(h), bytes, n, NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return hex;
}

static void put_f(struct buf *b, uint64_t u)
{
	buf_addch(b, 'f');
	for (int k = 0; k < 8; k++)
		buf_addch(b, (char)(u >> (8 * k)));
}

/* 'i' and the zigzag varint, bytes given by hand */
static void put_i(struct buf *b, const char *varint, size_t n)
{
	buf_addch(b, 'i');
	buf_add(b, varint, n);
}

/* The documented encoding, written out independently: a label's first use as 0, the label
 * and its NUL (later uses: the byte 1 + its number), then per column a tag and the value
 * ('i' a zigzag base-128 varint; 'f' IEEE bytes LE; text under 128 bytes 0x80 + length and
 * bytes, longer 't', bytes and 0x1f; 'n' alone). */
static void expected_row(struct buf *b, const char *longtext)
{
	double f = 2.5;
	uint64_t u;

	buf_add(b, "\0row", 5);
	put_i(b, "\x0a", 1);           /* 5 -> 10 */
	put_i(b, "\x0d", 1);           /* -7 -> 13 */
	memcpy(&u, &f, sizeof(u));
	put_f(b, u);
	buf_addch(b, (char)0x8a);       /* 10 bytes of text */
	buf_adds(b, "中文 abc");
	buf_addch(b, 'n');
	buf_addch(b, 't');
	buf_adds(b, longtext);
	buf_addch(b, 0x1f);
}

static void fingerprint_helpers_match_rows_and_chunks(void **state)
{
	char path[512], *want, *got_row, *got_typed, *got_many, *want_many;
	struct err e = ERR_INIT;
	struct store *s;
	struct store_stmt *st;
	struct eval_fp *a, *b, *c;
	struct buf exp = BUF_INIT, many = BUF_INIT;
	char *longtext = malloc(20001);

	(void)state;
	memset(longtext, 'q', 20000);
	longtext[20000] = 0;
	snprintf(path, sizeof(path), "%s/fp.db", tmpdir);
	s = store_open(path, STORE_CREATE, &e);
	assert_non_null(s);
	st = store_prepare(s, "SELECT 5, -7.0, 2.5, '中文 abc', NULL, ?1", &e);
	assert_non_null(st);
	store_bind_text(st, 1, longtext);
	assert_int_equal(store_step(st, &e), 1);

	expected_row(&exp, longtext);
	want = hex_of((const unsigned char *)exp.buf, exp.len);
	a = eval_fp_new();
	eval_fp_add_row(a, "row", st);
	got_row = eval_fp_final(a);
	assert_string_equal(got_row, want);

	b = eval_fp_new();
	eval_fp_label(b, "row");
	eval_fp_int(b, 5);
	eval_fp_double(b, -7.0);   /* an integral float hashes as the integer */
	eval_fp_double(b, 2.5);
	eval_fp_text(b, "中文 abc");
	eval_fp_text(b, NULL);
	eval_fp_text(b, longtext);
	got_typed = eval_fp_final(b);
	assert_string_equal(got_typed, want);
	store_finalize(st);

	/* 5,000 rows across many buffer flushes, two labels taking turns, integers of one to
	 * three varint bytes: the digest of the whole stream at once */
	c = eval_fp_new();
	for (int i = 0; i < 5000; i++) {
		char t[32];
		int64_t v = i % 2 ? -(int64_t)i * 7 : (int64_t)i * 3; /* up to 34,993 */
		uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
		char var[4];
		size_t nv = 0;
		snprintf(t, sizeof(t), "T%05d", i);
		char copy[8] = "teacher"; /* the same label from another pointer: the same number */
		eval_fp_label(c, i % 2 ? "posting" : i % 4 ? "teacher" : copy);
		eval_fp_text(c, t);
		eval_fp_int(c, v);
		if (i < 2) /* first use */
			buf_add(&many, i ? "\0posting" : "\0teacher", 9);
		else
			buf_addch(&many, (char)(i % 2 ? 2 : 1));
		buf_addch(&many, (char)0x86);   /* 6 bytes of text */
		buf_adds(&many, t);
		for (; z >= 0x80; z >>= 7)
			var[nv++] = (char)(z | 0x80);
		var[nv++] = (char)z;
		put_i(&many, var, nv);
		if (i == 2500) {
			eval_fp_add(c, longtext, 20000); /* larger than the buffer */
			buf_add(&many, longtext, 20000);
		}
	}
	got_many = eval_fp_final(c);
	want_many = hex_of((const unsigned char *)many.buf, many.len);
	assert_string_equal(got_many, want_many);

	free(want);
	free(got_row);
	free(got_typed);
	free(got_many);
	free(want_many);
	free(longtext);
	buf_release(&exp);
	buf_release(&many);
	store_close(s);
}

/* SipHash-2-4 (128-bit) of a unit's bytes with the fingerprint's fixed key, added to sum
 * (two 64-bit halves, little-endian, with the carry). */
static void add_unit(uint64_t sum[2], const char *bytes, size_t n)
{
	static const unsigned char key[16] = "eduhq fp units";
	unsigned char h[16];
	uint64_t lo = 0, hi = 0;

	crypto_shorthash_siphashx24(h, (const unsigned char *)bytes, n, key);
	for (int i = 0; i < 8; i++) {
		lo |= (uint64_t)h[i] << (8 * i);
		hi |= (uint64_t)h[8 + i] << (8 * i);
	}
	sum[0] += lo;
	sum[1] += hi + (sum[0] < lo);
}

/* The digest of stream bytes, then "\0units\0" and the units' sum as 16 bytes LE. */
static char *units_hex(struct buf *stream, const uint64_t sum[2])
{
	char *hex;
	size_t n = stream->len;

	buf_add(stream, "\0units", 7);
	for (int i = 0; i < 16; i++)
		buf_addch(stream, (char)(sum[i / 8] >> (8 * (i % 8))));
	hex = hex_of((const unsigned char *)stream->buf, stream->len);
	buf_setlen(stream, n);
	return hex;
}

/* One teacher row as a unit: its label whole (even once numbered in the stream), its code. */
static void teacher_unit(struct eval_fp *fp, const char *code, struct eval_fp_unit *h)
{
	eval_fp_unit_begin(fp);
	eval_fp_label(fp, "teacher");
	eval_fp_text(fp, code);
	eval_fp_unit_end(fp, h);
}

static void fingerprint_units_sum_and_patch(void **state)
{
	struct buf stream = BUF_INIT;
	struct eval_fp *a, *b, *c;
	struct eval_fp_units *keep = NULL;
	struct eval_fp_unit h1, h2, h3, acc = { UINT64_MAX, 5 }, one = { 1, 0 };
	uint64_t sum[2] = { 0, 0 }, sum3[2] = { 0, 0 };
	char *want, *want3, *got, *got_rev, *got_patched, *got3;

	(void)state;
	/* the stream: "teacher" numbered first, then 7; the units: T1 and T2 */
	buf_add(&stream, "\0teacher", 9);
	put_i(&stream, "\x0e", 1);
	buf_add(&stream, "\x01", 1);
	put_i(&stream, "\x10", 1);
	add_unit(sum, "\0teacher\0\x82T1", 12);
	add_unit(sum, "\0teacher\0\x82T2", 12);
	want = units_hex(&stream, sum);
	add_unit(sum3, "\0teacher\0\x82T3", 12);
	add_unit(sum3, "\0teacher\0\x82T2", 12);
	want3 = units_hex(&stream, sum3);

	a = eval_fp_new();
	eval_fp_label(a, "teacher");
	eval_fp_int(a, 7);
	teacher_unit(a, "T1", &h1);
	eval_fp_label(a, "teacher"); /* the stream goes on around the units */
	teacher_unit(a, "T2", &h2);
	eval_fp_int(a, 8);
	got = eval_fp_final_units(a, &keep);
	assert_string_equal(got, want);
	assert_non_null(keep);

	b = eval_fp_new(); /* the units in the other order: the same digest */
	teacher_unit(b, "T2", NULL);
	eval_fp_label(b, "teacher");
	eval_fp_int(b, 7);
	eval_fp_label(b, "teacher");
	teacher_unit(b, "T1", NULL);
	eval_fp_int(b, 8);
	got_rev = eval_fp_final(b);
	assert_string_equal(got_rev, want);

	c = eval_fp_new(); /* T1 patched to T3: a fresh fingerprint's digest */
	teacher_unit(c, "T3", &h3);
	free(eval_fp_final(c));
	eval_fp_units_swap(keep, &h1, &h3);
	got_patched = eval_fp_units_digest(keep);
	assert_string_equal(got_patched, want3);
	eval_fp_units_swap(keep, &h3, &h1); /* and back */
	got3 = eval_fp_units_digest(keep);
	assert_string_equal(got3, want);

	/* the sum is mod 2^128: the carry into the high half, and back */
	eval_fp_unit_add(&acc, &one, 1);
	assert_true(acc.lo == 0 && acc.hi == 6);
	eval_fp_unit_add(&acc, &one, -1);
	assert_true(acc.lo == UINT64_MAX && acc.hi == 5);

	free(want);
	free(want3);
	free(got);
	free(got_rev);
	free(got_patched);
	free(got3);
	free(keep);
	buf_release(&stream);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codeidx_finds_every_code_and_only_those),
		cmocka_unit_test(arena_packs_strings_and_aligns_the_rest),
		cmocka_unit_test(fingerprint_helpers_match_rows_and_chunks),
		cmocka_unit_test(fingerprint_units_sum_and_patch),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
