/* fuzz_csv.c: libFuzzer harness for the CSV reader (src/csv.c). Built by scripts/fuzz.sh
 * with -DCSV_CHUNK=16 so that small inputs cross many read chunks.
 *
 * For each encoding mode (AUTO, UTF8, GB18030) the input is read twice, from memory
 * (csv_open_mem) and from a file (csv_open on a memfd), until the end or an error; both
 * readings must give the same rows and the same error, and every field must be
 * NUL-terminated at its length with non-decreasing line numbers.
 *
 * FUZZ_SOURCES: src/csv.c src/buf.c src/err.c src/xmalloc.c
 * FUZZ_CFLAGS: -DCSV_CHUNK=16
 * FUZZ_LIBS: */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(struct csv_reader *r, struct buf *out)
{
	struct err e = ERR_INIT;
	struct csv_row row;
	long last = 0;
	int rc;
	while ((rc = csv_read(r, &row, &e)) == 1) {
		if (row.line < 1 || row.line <= last)
			abort();
		last = row.line;
		buf_addf(out, "%ld:%zu:", row.line, row.nfields);
		for (size_t i = 0; i < row.nfields; i++) {
			if (row.f[i].s[row.f[i].len] != '\0')
				abort();
			buf_add(out, row.f[i].s, row.f[i].len);
			buf_addch(out, 0);
		}
	}
	buf_addf(out, "rc=%d:%s", rc, rc < 0 ? e.msg : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding encs[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030 };
	static int fd = -2;
	static char path[64];

	if (fd == -2) {
		fd = memfd_create("fuzz_csv", 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (fd >= 0) {
		if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
			abort();
	}
	for (size_t k = 0; k < sizeof(encs) / sizeof(encs[0]); k++) {
		struct err e = ERR_INIT;
		struct buf a = BUF_INIT, b = BUF_INIT;
		struct csv_reader *r = csv_open_mem((const char *)data, size, path, encs[k], &e);
		if (!r)
			abort(); /* opening memory cannot fail */
		drain(r, &a);
		if (csv_detected_encoding(r) == CSV_ENC_AUTO)
			abort();
		csv_close(r);
		if (fd >= 0) {
			r = csv_open(path, encs[k], &e);
			if (!r)
				abort();
			drain(r, &b);
			csv_close(r);
			if (a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
				fprintf(stderr, "memory and file readings differ:\n%s\n---\n%s\n", a.buf,
					b.buf);
				abort();
			}
		}
		buf_release(&a);
		buf_release(&b);
	}
	return 0;
}
