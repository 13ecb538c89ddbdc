/* test_result_chunk.c: the stored form of result rows (src/result_chunk.c): every field
 * round-trips bit for bit (NaN and infinities as NULL, ±0, denormals, integers up to 2^53
 * and beyond, empty strings, non-ASCII evidence) for 1 row and a full chunk; a run of
 * RC_MAX_ROWS + 1 rows stored and read back through a real SQLite store in two chunks, in
 * order; damaged bytes are refused with a message, never read as rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "eval.h"
#include "idhash.h"
#include "result_chunk.h"
#include "result_store.h"
#include "rules.h"
#include "store.h"
#include "svc.h"

#define TMPDIR_NAME "eduhq-test-chunk"
#include "tmpdir.h"

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

/* A number as stored: NULL (NAN) for anything not finite, else the same bits. */
static void num_equal(double got, double want)
{
	if (!isfinite(want))
		assert_true(isnan(got));
	else
		assert_true(bits(got) == bits(want));
}

static void row_equal(const struct result_row *g, const struct result_row *w)
{
	assert_string_equal(g->indicator, w->indicator);
	assert_string_equal(g->unit_kind, w->unit_kind);
	assert_string_equal(g->unit_id, w->unit_id);
	assert_string_equal(g->stage, w->stage ? w->stage : "");
	assert_int_equal(g->year, w->year);
	num_equal(g->value, w->value);
	num_equal(g->numerator, w->numerator);
	num_equal(g->denominator, w->denominator);
	num_equal(g->threshold, w->threshold);
	assert_int_equal(g->verdict, w->verdict);
	assert_string_equal(g->evidence, w->evidence && *w->evidence ? w->evidence : "{}");
}

static const double edge[] = {
	0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 5e-324 /* the least denormal */, -2.2250738585072009e-308,
	DBL_MAX, -DBL_MAX, 9007199254740992.0 /* 2^53 */, 9007199254740993.0 * 2, -4611686018427387904.0,
	1e300, 123456789.0, -7.0, 0.5, NAN, INFINITY, -INFINITY,
};
#define NEDGE (sizeof(edge) / sizeof(edge[0]))

static const char *const evidences[] = {
	"{}", "", "{\"note\":\"临江市 青山县 — ✓ 教育局\"}", "{\"a\":[1,2,3],\"b\":null}",
	"{\"quote\":\"it's \\\"x\\\"\"}",
};

/* Row i of a set exercising the edge cases (deterministic). */
static void make_rows(struct result_set *rs, size_t n)
{
	char unit[32], ind[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(unit, sizeof(unit), "U%05zu", i / 3);
		snprintf(ind, sizeof(ind), "IND.%zu", i % 5);
		if (i % 7 == 3)
			unit[0] = '\0';
		if (i % 11 == 0)
			ind[0] = '\0';
		results_add_row(rs, ind, i % 4 ? "school" : "county", unit, i % 2 ? "primary" : "",
				i % 6 == 0 ? 0 : 2000 + (int)(i % 30), edge[i % NEDGE],
				edge[(i * 7 + 1) % NEDGE], i % 9 ? edge[(i * 3 + 2) % NEDGE] : edge[0],
				i % 5 ? 0.5 : edge[(i + 5) % NEDGE], (enum verdict)(i % 4),
				evidences[i % (sizeof(evidences) / sizeof(evidences[0]))]);
	}
}

static void round_trip(size_t n)
{
	struct result_set rs;
	struct rc_enc *enc = rc_enc_new();
	struct rc_summary sum;
	struct rc_chunk c;
	struct buf blob = BUF_INIT;
	struct err e = ERR_INIT;

	results_init(&rs);
	make_rows(&rs, n);
	assert_int_equal(rc_encode(enc, rs.v, n, &blob, &sum, &e), 0);
	assert_int_equal(sum.nrows, n);
	assert_int_equal(rc_decode(blob.buf, blob.len, 1, &c, &e), 0);
	assert_int_equal(c.nrows, n);
	for (size_t i = 0; i < n; i++) {
		struct result_row r;
		rc_row(&c, i, &r);
		row_equal(&r, &rs.v[i]);
	}
	/* the summary: unit kinds and indicators in order of first use, unit and year range */
	assert_string_equal(sum.kinds.buf, n == 1 ? ",county," : ",county,school,");
	assert_string_equal(sum.indicators.buf, n == 1 ? ",," : ",,IND.1,IND.2,IND.3,IND.4,IND.0,");
	assert_string_equal(sum.unit_lo, n == 1 ? "U00000" : "");
	assert_int_equal(sum.year_lo, 0);
	assert_int_equal(sum.year_hi, n == 1 ? 0 : 2029);
	if (n == 1)
		assert_int_equal(rc_find(&c, "school"), -1);
	else
		assert_string_equal(c.str[rc_find(&c, "school")], "school");
	assert_true(rc_find(&c, "county") >= 0);
	assert_int_equal(rc_find(&c, "nowhere"), -1);
	rc_chunk_release(&c);
	/* for counting: the same rows without their evidence */
	assert_int_equal(rc_decode(blob.buf, blob.len, 0, &c, &e), 0);
	assert_null(c.evidence);
	for (size_t i = 0; i < n; i++) {
		struct result_row r;
		rc_row(&c, i, &r);
		assert_null(r.evidence);
		assert_string_equal(r.indicator, rs.v[i].indicator);
		num_equal(r.value, rs.v[i].value);
	}
	rc_chunk_release(&c);
	rc_summary_release(&sum);
	rc_enc_free(enc);
	buf_release(&blob);
	results_release(&rs);
}

static void one_row(void **state)
{
	(void)state;
	round_trip(1);
}

static void full_chunk(void **state)
{
	(void)state;
	round_trip(RC_MAX_ROWS);
}

/* Damage: a changed byte anywhere in a frame (zstd's checksum), a cut blob, another format. */
static void damaged(void **state)
{
	struct result_set rs;
	struct rc_enc *enc = rc_enc_new();
	struct rc_summary sum;
	struct rc_chunk c;
	struct buf blob = BUF_INIT;
	struct err e = ERR_INIT;
	(void)state;

	results_init(&rs);
	make_rows(&rs, 300);
	assert_int_equal(rc_encode(enc, rs.v, rs.nr, &blob, &sum, &e), 0);
	for (size_t at = 3; at < blob.len; at += 7) {
		char *copy = malloc(blob.len);
		memcpy(copy, blob.buf, blob.len);
		copy[at] ^= 0x5a;
		err_clear(&e);
		/* either refused, or (a changed header byte that still parses) never a crash */
		if (rc_decode(copy, blob.len, 1, &c, &e) == 0)
			rc_chunk_release(&c);
		else
			assert_int_equal(e.code, ERR_DATA);
		free(copy);
	}
	assert_int_equal(rc_decode(blob.buf, blob.len / 2, 1, &c, &e), ERR_DATA);
	assert_int_equal(rc_decode("XY\001\001", 4, 1, &c, &e), ERR_DATA);
	assert_string_equal(e.msg, "not a result chunk of format 1");
	/* a byte changed in the middle of the first frame: its checksum fails */
	blob.buf[blob.len / 4] ^= 1;
	assert_int_equal(rc_decode(blob.buf, blob.len, 1, &c, &e), ERR_DATA);
	rc_summary_release(&sum);
	rc_enc_free(enc);
	buf_release(&blob);
	results_release(&rs);
}

struct collect {
	struct result_set *want;
	size_t n;
};

static int check_row(void *arg, const struct svc_run *run, const struct result_row *row)
{
	struct collect *c = arg;
	(void)run;
	assert_true(c->n < c->want->nr);
	row_equal(row, &c->want->v[c->n]);
	c->n++;
	return 0;
}

/* RC_MAX_ROWS + 1 rows: two chunks, read back in order; with a cache, the same twice. */
static void store_two_chunks(void **state)
{
	struct err e = ERR_INIT;
	struct store *s;
	struct result_set rs;
	struct svc_result_filter f = { 0 };
	struct collect col;
	char path[300], kpath[320];
	int64_t id = 0, n = 0;
	size_t bytes, chunks;
	unsigned long hits, misses;
	(void)state;

	snprintf(path, sizeof(path), "%s/chunk.db", tmpdir);
	snprintf(kpath, sizeof(kpath), "%s.key", path);
	assert_int_equal(idhash_key_create(kpath, &e), 0);
	s = store_open(path, STORE_CREATE, &e);
	assert_non_null(s);
	assert_int_equal(rules_seed(s, &e), 0);
	results_init(&rs);
	make_rows(&rs, RC_MAX_ROWS + 1);
	assert_int_equal(eval_run_save(s, "balance", 2024, "{}", "fp", &rs, &id, &e), 0);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM result_chunk", &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_query_int(s, "SELECT sum(nrows) FROM result_chunk", &n, &e), 0);
	assert_int_equal(n, RC_MAX_ROWS + 1);
	f.run = id;
	col.want = &rs;
	col.n = 0;
	assert_int_equal(svc_results(s, &f, NULL, NULL, check_row, &col, &e), 0);
	assert_int_equal(col.n, RC_MAX_ROWS + 1);

	s->rcache = result_cache_new(64 << 20);
	for (int pass = 0; pass < 2; pass++) {
		col.n = 0;
		assert_int_equal(svc_results(s, &f, NULL, NULL, check_row, &col, &e), 0);
		assert_int_equal(col.n, RC_MAX_ROWS + 1);
	}
	result_cache_stats(s->rcache, &bytes, &chunks, &hits, &misses);
	assert_int_equal(chunks, 2);
	assert_int_equal(misses, 2);
	assert_int_equal(hits, 2);
	assert_true(bytes > 0);
	/* a budget smaller than one chunk: nothing stays, every answer still right */
	result_cache_free(s->rcache);
	s->rcache = result_cache_new(1);
	col.n = 0;
	assert_int_equal(svc_results(s, &f, NULL, NULL, check_row, &col, &e), 0);
	assert_int_equal(col.n, RC_MAX_ROWS + 1);
	result_cache_stats(s->rcache, &bytes, &chunks, &hits, &misses);
	assert_int_equal(chunks, 0);
	result_cache_free(s->rcache);
	s->rcache = NULL;

	/* deleting the run deletes its chunks */
	assert_int_equal(store_exec(s, "DELETE FROM eval_run", &e), 0);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM result_chunk", &n, &e), 0);
	assert_int_equal(n, 0);
	results_release(&rs);
	store_close(s);
}

/* row_ranges_diff: the spans where a row differs (key, a number's bits, verdict or
 * evidence), joined when they touch; every row past 32 ranges or for another length. */
static void ranges_diff(void **state)
{
	struct result_set was, now;
	struct row_ranges r = { .n = 0 };
	(void)state;

	results_init(&was);
	results_init(&now);
	make_rows(&was, 100);
	make_rows(&now, 100);
	row_ranges_diff(&r, &was, &now, 10);
	assert_int_equal(r.n, 0);
	now.v[3].evidence = "{\"name\":\"new\"}";  /* span [0, 10) */
	was.v[17].value = 0.0;
	now.v[17].value = -0.0;  /* equal as numbers, not bit for bit: [10, 20) */
	now.v[25].verdict = (enum verdict)((now.v[25].verdict + 1) % 4);  /* [20, 30): joined */
	now.v[61].unit_id = "X";  /* [60, 70) */
	row_ranges_diff(&r, &was, &now, 10);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.lo[0], 0);
	assert_int_equal(r.hi[0], 30);
	assert_int_equal(r.lo[1], 60);
	assert_int_equal(r.hi[1], 70);
	assert_true(row_ranges_meet(&r, 25, 26) && !row_ranges_meet(&r, 30, 60));
	/* 33 spans apart: more than the ranges hold */
	results_release(&now);
	results_init(&now);
	make_rows(&now, 100);
	r.n = 0;
	for (size_t i = 0; i < 99; i += 3)
		now.v[i].evidence = "{\"changed\":1}";
	row_ranges_diff(&r, &was, &now, 1);
	assert_int_equal(r.n, -1);
	r.n = 0;
	now.nr = 99;
	row_ranges_diff(&r, &was, &now, 10);
	assert_int_equal(r.n, -1);
	results_release(&was);
	results_release(&now);
}

/* results_add: each string is the set's own copy; one equal to the row before's is that
 * row's copy (an engine's rows share indicator, unit, stage and often evidence); one that
 * differs, or one equal only to a row further back, is copied. */
static void shared_strings(void **state)
{
	struct result_set rs;
	char ev[32] = "{\"n\":1}", unit[8] = "S1";
	const struct result_row *a, *b, *c, *d;
	(void)state;

	results_init(&rs);
	results_add_row(&rs, "X.ONE", "school", unit, "", 2024, 1, 1, 1, NAN, V_PASS, ev);
	b = results_add_row(&rs, "X.ONE", "school", unit, "", 2024, 2, 2, 1, NAN, V_PASS, ev);
	a = &rs.v[0];
	assert_ptr_not_equal(a->evidence, ev);
	assert_ptr_not_equal(a->unit_id, unit);
	assert_ptr_equal(b->evidence, a->evidence);
	assert_ptr_equal(b->indicator, a->indicator);
	assert_ptr_equal(b->unit_id, a->unit_id);
	strcpy(ev, "{\"n\":2}");       /* the engine's buffer, written again */
	strcpy(unit, "S2");
	c = results_add_row(&rs, "X.TWO", "school", unit, "", 2024, 3, 3, 1, NAN, V_FAIL, ev);
	strcpy(ev, "{\"n\":1}");
	d = results_add_row(&rs, "X.TWO", "school", unit, "", 2024, 4, 4, 1, NAN, V_FAIL, ev);
	a = &rs.v[0];                    /* the rows may have moved as the set grew */
	b = &rs.v[1];
	c = &rs.v[2];
	assert_string_equal(a->evidence, "{\"n\":1}");
	assert_string_equal(b->unit_id, "S1");
	assert_string_equal(c->evidence, "{\"n\":2}");
	assert_string_equal(c->indicator, "X.TWO");
	assert_string_equal(c->unit_id, "S2");
	assert_ptr_equal(c->unit_kind, b->unit_kind);
	assert_string_equal(d->evidence, "{\"n\":1}");
	assert_ptr_not_equal(d->evidence, a->evidence);
	assert_ptr_equal(d->unit_id, c->unit_id);
	results_release(&rs);
}

/* results_reserve: room made at once, so adding up to it never moves the rows; made again
 * past it with the rows kept. */
static void reserved(void **state)
{
	struct result_set rs;
	const struct result_row *v;
	(void)state;
	results_init(&rs);
	results_reserve(&rs, 50000); /* over 2 MiB of rows: xmalloc_big's block */
	assert_int_equal(rs.alloc, 50000);
	v = rs.v;
	for (int i = 0; i < 50000; i++)
		results_add_row(&rs, "X", "school", "S1", "", 2024, i, NAN, NAN, NAN, V_PASS, NULL);
	assert_ptr_equal(rs.v, v);
	assert_int_equal(rs.alloc, 50000);
	results_reserve(&rs, 10); /* less than it has: nothing */
	assert_ptr_equal(rs.v, v);
	results_reserve(&rs, 60000);
	assert_int_equal(rs.alloc, 60000);
	assert_int_equal(rs.nr, 50000);
	for (int i = 0; i < 50000; i += 4999)
		assert_true(rs.v[i].value == i);
	assert_string_equal(rs.v[49999].unit_id, "S1");
	results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_row),
		cmocka_unit_test(full_chunk),
		cmocka_unit_test(damaged),
		cmocka_unit_test(store_two_chunks),
		cmocka_unit_test(ranges_diff),
		cmocka_unit_test(shared_strings),
		cmocka_unit_test(reserved),
	};
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
