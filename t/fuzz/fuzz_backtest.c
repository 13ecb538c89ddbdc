/* fuzz_backtest.c: libFuzzer harness for `forecast backtest` input (src/backtest.c and the
 * forecast engine behind it). The input is an enrolment CSV, optionally followed by a line
 * "--" and a births CSV; both are loaded from memfds as the command loads its files, then
 * back-tested with "last" and with "pool" (a 2 x 2 grid, choosing and interval back-tests on)
 * over every origin, horizon 3, and formatted as JSON and as a table. Loader errors are
 * fine; a crash, a sanitizer report or a leak is not. Memory must stay proportional to the
 * input (the loader refuses scattered years), so the run must fit libFuzzer's RSS limit.
 *
 * FUZZ_SOURCES: src/backtest.c src/eng_forecast.c src/eng_forecast_auto.c src/csv.c src/arena.c src/buf.c src/err.c src/xmalloc.c
 * FUZZ_CFLAGS:
 * FUZZ_LIBS: -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backtest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding p[0..n-1]; its /proc path into path. -1 on failure. */
static int memfile(const uint8_t *p, size_t n, char *path, size_t len)
{
	int fd = memfd_create("bt", 0);
	if (fd < 0)
		return -1;
	if (n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static void run(const struct bt_data *d, const char *name)
{
	struct err e = ERR_INIT;
	struct bt_params p = { 0 };
	struct bt_result r;
	struct buf out = BUF_INIT;

	if (fc_estimator_parse(name, &p.est, &e) < 0)
		abort();
	p.horizon = 3;
	p.entry_age = 6;
	p.sel.origins = 3;
	p.sel.nalpha = p.sel.nweight = 2;
	p.sel.alpha[0] = 0.4;
	p.sel.alpha[1] = 1;
	p.sel.weight[0] = 0.5;
	p.sel.weight[1] = 1;
	p.sel.interval_origins = 3;
	p.bootstrap = 5;
	if (bt_run(d, &p, &r, &e) < 0)
		return;
	bt_format_json(&r, name, &out);
	bt_format_table(&r, name, &out);
	buf_release(&out);
	bt_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memmem(data, size, "\n--\n", 4);
	size_t n1 = sep ? (size_t)(sep - data) + 1 : size;
	char p1[64], p2[64];
	int f1, f2 = -1;
	struct err e = ERR_INIT;
	struct bt_data d;

	f1 = memfile(data, n1, p1, sizeof(p1));
	if (f1 < 0)
		return 0;
	if (sep)
		f2 = memfile(sep + 4, size - n1 - 3, p2, sizeof(p2));
	if (bt_load_enrollment(p1, &d, &e) == 0) {
		struct err e2 = ERR_INIT;
		if (f2 < 0 || bt_load_births(p2, &d, &e2) == 0) {
			run(&d, "last");
			run(&d, "pool");
		}
		bt_data_release(&d);
	}
	close(f1);
	if (f2 >= 0)
		close(f2);
	return 0;
}
