/* bench_pagefault.c: what first touching memory costs on this machine, the reason for
 * xmalloc_big's huge pages (src/xmalloc.c). For MB megabytes (default 128), the first and
 * the best of RUNS: the time to write one byte a page of a fresh block from xmalloc (small
 * pages: a fault each) and of one from xmalloc_big (huge pages where the kernel allows),
 * then to write the whole block again (no fault left), and the faults counted (getrusage).
 * usage: bench_pagefault [MB] [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "xmalloc.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long faults(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt;
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 128, n = mb << 20;
	int runs = argc > 2 ? atoi(argv[2]) : 3;

	xmalloc_setup();
	for (int big = 0; big < 2; big++) {
		double best = 1e9, again = 1e9, first = 0;
		long nf = 0;
		for (int r = 0; r < runs; r++) {
			volatile char *p = big ? xmalloc_big(n) : xmalloc(n);
			long f0 = faults();
			double t0 = now(), t1, t2;
			for (size_t i = 0; i < n; i += 4096)
				p[i] = 1;
			t1 = now();
			memset((char *)p, 2, n);
			t2 = now();
			nf = faults() - f0;
			first = r ? first : t1 - t0;
			best = t1 - t0 < best ? t1 - t0 : best;
			again = t2 - t1 < again ? t2 - t1 : again;
			free((char *)p);
		}
		printf("%-12s %zu MB: first touch %.1f ms, best %.1f ms (%.2f us a 4 KiB page, "
		       "%.2f ms a MB), %ld faults; written again %.1f ms\n",
		       big ? "xmalloc_big" : "xmalloc", mb, first * 1e3, best * 1e3,
		       best * 1e6 / (double)(n >> 12), best * 1e3 / (double)mb, nf, again * 1e3);
	}
	return 0;
}
