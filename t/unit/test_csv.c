/* test_csv.c: unit tests for the CSV reader (src/csv.c): RFC 4180 quoting, line numbers,
 * encodings (BOM, GB18030, detection), error messages with line:col, chunk boundaries,
 * stdin, and bounded memory on a ~100 MB stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "xmalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Render every row as "LINE:[f1|f2|...]\n"; on error append "ERR:" and the message.
 * Returns the reader's return code of the last csv_read. */
static int dump_reader(struct csv_reader *r, struct buf *out)
{
	struct err e = ERR_INIT;
	struct csv_row row;
	int rc;
	while ((rc = csv_read(r, &row, &e)) == 1) {
		buf_addf(out, "%ld:[", row.line);
		for (size_t i = 0; i < row.nfields; i++) {
			assert_int_equal(strlen(row.f[i].s), row.f[i].len);
			buf_addf(out, "%s%s", i ? "|" : "", row.f[i].s);
		}
		buf_adds(out, "]\n");
	}
	if (rc < 0)
		buf_addf(out, "ERR:%s", e.msg);
	return rc;
}

/* Parse a memory buffer; the result as dump_reader writes it (new string, caller frees). */
static char *parse_mem(const char *data, size_t len, enum csv_encoding enc,
		       enum csv_encoding *detected)
{
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT;
	struct csv_reader *r = csv_open_mem(data, len, "t.csv", enc, &e);
	assert_non_null(r);
	dump_reader(r, &out);
	if (detected)
		*detected = csv_detected_encoding(r);
	csv_close(r);
	return buf_detach(&out, NULL);
}

#define check_mem(data, expect)                                                          \
	do {                                                                             \
		char *got_ = parse_mem((data), sizeof(data) - 1, CSV_ENC_AUTO, NULL);    \
		assert_string_equal(got_, (expect));                                     \
		free(got_);                                                              \
	} while (0)

static void quoted_fields_commas_and_doubled_quotes(void **state)
{
	(void)state;
	check_mem("a,b,c\n\"x,1\",\"he said \"\"hi\"\"\",\"\"\n",
		  "1:[a|b|c]\n2:[x,1|he said \"hi\"|]\n");
	/* a field that is only a doubled quote */
	check_mem("\"\"\"\"\n", "1:[\"]\n");
}

static void embedded_newlines_count_physical_lines(void **state)
{
	(void)state;
	/* record 2 spans lines 2-4; record 3 starts on line 5; CR LF inside quotes kept */
	check_mem("h1,h2\n\"multi\nline\nfield\",x\n\"crlf\r\ninside\",y\r\nlast,z\n",
		  "1:[h1|h2]\n2:[multi\nline\nfield|x]\n5:[crlf\r\ninside|y]\n7:[last|z]\n");
}

static void bom_is_stripped(void **state)
{
	enum csv_encoding enc;
	char *got;
	(void)state;
	check_mem("\xef\xbb\xbfid,name\n1,\xe5\xad\xa6\xe6\xa0\xa1\n",
		  "1:[id|name]\n2:[1|\xe5\xad\xa6\xe6\xa0\xa1]\n");
	got = parse_mem("\xef\xbb\xbf", 3, CSV_ENC_AUTO, &enc);
	assert_string_equal(got, "");
	assert_int_equal(enc, CSV_ENC_UTF8);
	free(got);
}

/* "学校标识码,学校名称\n1,二中\n" in GB18030 (from iconv -t gb18030), and in UTF-8 */
static const char gb_school[] = "\xd1\xa7\xd0\xa3\xb1\xea\xca\xb6\xc2\xeb,"
				"\xd1\xa7\xd0\xa3\xc3\xfb\xb3\xc6\n"
				"1,\xb6\xfe\xd6\xd0\n";
static const char utf8_school[] = "1:[学校标识码|学校名称]\n2:[1|二中]\n";

static void gb18030_is_detected_and_converted(void **state)
{
	enum csv_encoding enc;
	char *got;
	(void)state;
	got = parse_mem(gb_school, sizeof(gb_school) - 1, CSV_ENC_AUTO, &enc);
	assert_string_equal(got, utf8_school);
	assert_int_equal(enc, CSV_ENC_GB18030);
	free(got);
	got = parse_mem(gb_school, sizeof(gb_school) - 1, CSV_ENC_GB18030, &enc);
	assert_string_equal(got, utf8_school);
	free(got);
	/* valid UTF-8 stays UTF-8 */
	got = parse_mem("\xe5\xad\xa6\n", 4, CSV_ENC_AUTO, &enc);
	assert_string_equal(got, "1:[学]\n");
	assert_int_equal(enc, CSV_ENC_UTF8);
	free(got);
	/* 学校 alone ("\xd1\xa7\xd0\xa3") happens to be valid UTF-8 (two Cyrillic letters): the
	 * rule "all bytes valid UTF-8 means UTF-8" reads it so. */
	got = parse_mem("\xd1\xa7\xd0\xa3", 4, CSV_ENC_AUTO, &enc);
	assert_int_equal(enc, CSV_ENC_UTF8);
	free(got);
}

static void crlf_and_lone_cr_line_ends(void **state)
{
	(void)state;
	check_mem("a,b\r\n1,2\r\n", "1:[a|b]\n2:[1|2]\n");
	check_mem("a,b\r1,2\r", "1:[a|b]\n2:[1|2]\n");
}

static void empty_fields_ragged_rows_and_empty_lines(void **state)
{
	(void)state;
	/* empty lines (LF and CRLF) are skipped but counted; ragged rows returned as they are */
	check_mem(",,\n\na\n\r\n1,2,3,4\n,\n", "1:[||]\n3:[a]\n5:[1|2|3|4]\n6:[|]\n");
	/* last line without a newline, with and without quotes */
	check_mem("a,b\nc,d", "1:[a|b]\n2:[c|d]\n");
	check_mem("a,b\nc,\"d\"", "1:[a|b]\n2:[c|d]\n");
	check_mem("", "");
	check_mem("\n\n", "");
}

static void errors_name_line_and_column(void **state)
{
	(void)state;
	check_mem("a,b\n1,x\"y\n", "1:[a|b]\nERR:t.csv:2:4: unexpected quote in unquoted field");
	check_mem("a,b\n1,\"x\"y\n",
		  "1:[a|b]\nERR:t.csv:2:6: unexpected character after closing quote");
	/* the opening quote's position, on the line where the field started */
	check_mem("a,b\n学校,\"xy\n\nmore\n",
		  "1:[a|b]\nERR:t.csv:2:4: unterminated quoted field");
	/* columns count characters, not bytes: 学校 is 2 columns */
	check_mem("学校,\"x\" ,\n", "ERR:t.csv:1:7: unexpected character after closing quote");
	check_mem("h\n\"a\nb\"c\n", "1:[h]\nERR:t.csv:3:3: unexpected character after closing quote");
	/* 0x80 and 0xff are neither UTF-8 nor GB18030; the second line decodes as GB18030 */
	check_mem("a,b\n\xd1\xa7,\x80\n",
		  "1:[a|b]\nERR:t.csv:2:3: invalid byte sequence (neither UTF-8 nor GB18030)");
	check_mem("\xff", "ERR:t.csv:1:1: invalid byte sequence (neither UTF-8 nor GB18030)");
	/* UTF-16 without a BOM is "valid UTF-8" but for its NUL bytes; a NUL in quotes too */
	check_mem("a\0,\0b\0\n\0", "ERR:t.csv:1:2: unexpected NUL byte (UTF-16 is not "
					 "supported: save as UTF-8 or GB18030)");
	check_mem("x\n\"a\0\"\n", "1:[x]\nERR:t.csv:2:3: unexpected NUL byte (UTF-16 is not "
				  "supported: save as UTF-8 or GB18030)");
	/* UTF-16LE with its BOM: FF FE is neither encoding */
	check_mem("\xff\xfe" "a\0", "ERR:t.csv:1:1: invalid byte sequence (neither UTF-8 nor GB18030)");
}

static void forced_encodings_report_their_own_errors(void **state)
{
	char *got;
	(void)state;
	got = parse_mem("ok\nx\xc3\xfb\n", 7, CSV_ENC_UTF8, NULL);
	assert_string_equal(got, "1:[ok]\nERR:t.csv:2:2: invalid byte sequence (not UTF-8)");
	free(got);
	/* a UTF-8 sequence cut by the end of input */
	got = parse_mem("ab\xe5\xad", 4, CSV_ENC_UTF8, NULL);
	assert_string_equal(got, "ERR:t.csv:1:3: invalid byte sequence (not UTF-8)");
	free(got);
	got = parse_mem("a\n\xd1\xa7\x80", 5, CSV_ENC_GB18030, NULL);
	assert_string_equal(got, "1:[a]\nERR:t.csv:2:2: invalid byte sequence (not GB18030)");
	free(got);
	/* a BOM says UTF-8: a bad byte later is not taken for GB18030 */
	got = parse_mem("\xef\xbb\xbf" "a\n\xc3\xfb\n", 8, CSV_ENC_AUTO, NULL);
	assert_string_equal(got, "1:[a]\nERR:t.csv:2:1: invalid byte sequence (not UTF-8)");
	free(got);
}

/* ---- files ---------------------------------------------------------------------------- */

#define TMPDIR_NAME "csvtest"
#include "tmpdir.h"

/* Write data to a new temp file; returns its path (static buffer). */
static const char *write_tmp(const void *data, size_t len)
{
	static char path[300];
	int fd;
	snprintf(path, sizeof(path), "%s/f.XXXXXX", tmpdir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static char *parse_file(const char *path, enum csv_encoding enc, enum csv_encoding *detected)
{
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT;
	struct csv_reader *r = csv_open(path, enc, &e);
	if (!r) {
		buf_addf(&out, "OPEN:%s", e.msg);
		return buf_detach(&out, NULL);
	}
	dump_reader(r, &out);
	if (detected)
		*detected = csv_detected_encoding(r);
	csv_close(r);
	return buf_detach(&out, NULL);
}

static char *to_gb18030(const char *utf8, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t cap = len * 2 + 16, ol = cap;
	char *out = xmalloc(cap), *op = out, *ip = (char *)utf8;
	size_t il = len;
	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - ol;
	return out;
}

static void open_errors(void **state)
{
	char *got;
	(void)state;
	got = parse_file("/nonexistent/x.csv", CSV_ENC_AUTO, NULL);
	assert_string_equal(got, "OPEN:cannot open '/nonexistent/x.csv': No such file or directory");
	free(got);
}

/* Records that straddle the 64 KiB read chunks: a CR LF split across the boundary, a
 * doubled quote split across it, and a 300 KB quoted field with newlines (window growth);
 * the same content in GB18030 must read the same. */
static void chunk_boundaries_in_files(void **state)
{
	struct buf in = BUF_INIT, expect = BUF_INIT;
	const char *path;
	char *got, *gb;
	size_t gblen;
	enum csv_encoding enc;
	(void)state;

	/* Fields stay within a cell's 32767 characters (longer ones are refused): long lines
	 * are made of several fields. */
	/* line 1: 65535 bytes then CR LF: CR is the last byte of the first chunk */
	buf_addf(&expect, "1:[");
	for (int i = 0; i < 65535; i++) {
		char c = i % 30000 == 29999 ? ',' : (char)('a' + i % 26);
		buf_addch(&in, c);
		buf_addch(&expect, c == ',' ? '|' : c);
	}
	buf_adds(&expect, "]\n");
	buf_adds(&in, "\r\n");
	/* line 2: a quoted field whose doubled quote is split at offset 131072 */
	{
		struct buf f = BUF_INIT;
		size_t n = 0;
		buf_adds(&expect, "2:[");
		while (in.len < 131071 - 20000) { /* unquoted fields of 10000 */
			buf_addch(&in, 'p');
			buf_addch(&expect, 'p');
			if (++n % 10000 == 0) {
				buf_addch(&in, ',');
				buf_addch(&expect, '|');
			}
		}
		if (n % 10000) {
			buf_addch(&in, ',');
			buf_addch(&expect, '|');
		}
		buf_addch(&in, '"');
		while (in.len < 131071) {
			buf_addch(&in, 'q');
			buf_addch(&f, 'q');
		}
		buf_adds(&in, "\"\"tail\",学校\n");
		buf_adds(&f, "\"tail");
		buf_addf(&expect, "%s|学校]\n", f.buf);
		buf_release(&f);
	}
	/* line 3: 300 KB in ten quoted fields with 1000 embedded newlines; then line 1004 */
	{
		struct buf f = BUF_INIT;
		buf_adds(&expect, "3:[");
		for (int i = 0; i < 1000; i++) {
			if (i % 100 == 0)
				buf_addch(&in, '"');
			for (int k = 0; k < 60; k++)
				buf_adds(&f, "学校abc");
			buf_addch(&f, '\n');
			if (i % 100 == 99) {
				buf_add(&in, f.buf, f.len);
				buf_addf(&expect, "%s|", f.buf);
				buf_adds(&in, i == 999 ? "\"" : "\",");
				buf_reset(&f);
			}
		}
		buf_adds(&in, ",end\n二中,x\n");
		buf_adds(&expect, "end]\n1004:[二中|x]\n");
		buf_release(&f);
	}

	path = write_tmp(in.buf, in.len);
	got = parse_file(path, CSV_ENC_AUTO, &enc);
	assert_int_equal(enc, CSV_ENC_UTF8);
	assert_string_equal(got, expect.buf);
	free(got);
	unlink(path);

	/* the same in GB18030, with a 2-byte character cut at a chunk boundary somewhere */
	gb = to_gb18030(in.buf, in.len, &gblen);
	path = write_tmp(gb, gblen);
	got = parse_file(path, CSV_ENC_AUTO, &enc);
	assert_int_equal(enc, CSV_ENC_GB18030);
	assert_string_equal(got, expect.buf);
	free(got);
	unlink(path);
	free(gb);

	buf_release(&in);
	buf_release(&expect);
}

/* Many GB18030 rows: every chunk boundary position relative to the 2-byte characters. */
static void gb18030_file_many_rows(void **state)
{
	struct buf in = BUF_INIT;
	const char *path;
	struct err e = ERR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	char *gb;
	size_t gblen;
	long n = 0;
	int rc;
	(void)state;
	for (int i = 0; i < 20000; i++)
		buf_addf(&in, "%d,临江市第%d中学,\"备注,%d\"\n", i, i, i);
	gb = to_gb18030(in.buf, in.len, &gblen);
	path = write_tmp(gb, gblen);
	r = csv_open(path, CSV_ENC_AUTO, &e);
	assert_non_null(r);
	while ((rc = csv_read(r, &row, &e)) == 1) {
		char want[64];
		assert_int_equal(row.nfields, 3);
		assert_int_equal(row.line, n + 1);
		snprintf(want, sizeof(want), "临江市第%ld中学", n);
		assert_string_equal(row.f[1].s, want);
		snprintf(want, sizeof(want), "备注,%ld", n);
		assert_string_equal(row.f[2].s, want);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 20000);
	assert_int_equal(csv_detected_encoding(r), CSV_ENC_GB18030);
	csv_close(r);
	unlink(path);
	free(gb);
	buf_release(&in);
}

/* "-" reads stdin; a pipe is buffered in a temporary file for the detection pass. */
static void stdin_pipe_is_read(void **state)
{
	int saved = dup(0), p[2];
	char *got;
	enum csv_encoding enc;
	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], gb_school, sizeof(gb_school) - 1),
			 (ssize_t)(sizeof(gb_school) - 1));
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
	got = parse_file("-", CSV_ENC_AUTO, &enc);
	dup2(saved, 0);
	close(saved);
	assert_string_equal(got, utf8_school);
	assert_int_equal(enc, CSV_ENC_GB18030);
	free(got);

	/* stdin from a regular file, and an error message naming <stdin> */
	{
		const char *path = write_tmp("a\n\"x\n", 5);
		int fd = open(path, O_RDONLY);
		saved = dup(0);
		dup2(fd, 0);
		close(fd);
		got = parse_file("-", CSV_ENC_AUTO, NULL);
		dup2(saved, 0);
		close(saved);
		assert_string_equal(got, "1:[a]\nERR:<stdin>:2:1: unterminated quoted field");
		free(got);
		unlink(path);
	}
}

/* Stream a generated ~100 MB file; peak RSS must not grow by more than 32 MiB. */
static void streams_100mb_in_bounded_memory(void **state)
{
	char path[300];
	struct buf block = BUF_INIT;
	struct rusage ru;
	struct err e = ERR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	long before, after, rows = 0, per_block = 0, blocks = 0;
	double t0, t1;
	struct timespec ts;
	int fd, rc;
	(void)state;

	/* one ~1 MB block of teacher-like rows, written 100 times */
	while (block.len < 1000000) {
		buf_addf(&block, "T%08ld,张%ld,110105194912310%03ld,3101010%03ld,本科,\"一级, 数学\",2010-09-01\n",
			 per_block, per_block, per_block % 1000, per_block % 1000);
		per_block++;
	}
	snprintf(path, sizeof(path), "%s/big.XXXXXX", tmpdir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (blocks = 0; blocks < 100; blocks++)
		assert_int_equal(write(fd, block.buf, block.len), (ssize_t)block.len);
	close(fd);
	buf_release(&block);

	getrusage(RUSAGE_SELF, &ru);
	before = ru.ru_maxrss;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	r = csv_open(path, CSV_ENC_AUTO, &e);
	assert_non_null(r);
	while ((rc = csv_read(r, &row, &e)) == 1) {
		rows++;
		if (row.nfields != 7)
			fail_msg("row %ld has %zu fields", row.line, row.nfields);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(csv_detected_encoding(r), CSV_ENC_UTF8);
	csv_close(r);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	getrusage(RUSAGE_SELF, &ru);
	after = ru.ru_maxrss;
	unlink(path);

	assert_int_equal(rows, per_block * 100);
	print_message("# streamed 100 MB, %ld rows in %.2f s (%.0f MB/s), peak RSS +%ld KiB\n",
		      rows, t1 - t0, 100.0 / (t1 - t0), after - before);
	if (!UNDER_ASAN)
		assert_true(after - before <= 32 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_fields_commas_and_doubled_quotes),
		cmocka_unit_test(embedded_newlines_count_physical_lines),
		cmocka_unit_test(bom_is_stripped),
		cmocka_unit_test(gb18030_is_detected_and_converted),
		cmocka_unit_test(crlf_and_lone_cr_line_ends),
		cmocka_unit_test(empty_fields_ragged_rows_and_empty_lines),
		cmocka_unit_test(errors_name_line_and_column),
		cmocka_unit_test(forced_encodings_report_their_own_errors),
		cmocka_unit_test(open_errors),
		cmocka_unit_test(chunk_boundaries_in_files),
		cmocka_unit_test(gb18030_file_many_rows),
		cmocka_unit_test(stdin_pipe_is_read),
		cmocka_unit_test(streams_100mb_in_bounded_memory),
	};
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
