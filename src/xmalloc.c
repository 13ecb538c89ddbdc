/* xmalloc.c: allocation wrappers that never return NULL, and the fatal-error exits. */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xmalloc.h"
#include "banned.h"

static void *check(void *p, size_t n)
{
	if (!p && n)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1), n); }

void *xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1), nmemb * size);
}

/* Memory is slow to touch the first time on virtualised machines such as this project's: a
 * fault of a small page costs about 11 us (3 ms a megabyte; `sh bench/pagefault.sh`), and a
 * province evaluation touches over a hundred megabytes. A big block is therefore aligned
 * to a huge page, rounded up to whole ones and advised as such: one fault per 2 MiB where
 * the kernel allows it (transparent huge pages "madvise" or "always"; else only a hint). */
#define HUGE_PAGE ((size_t)2 << 20)

void *xmalloc_big(size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n >= HUGE_PAGE) {
		size_t m = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
		void *p = check(aligned_alloc(HUGE_PAGE, m), m);
		madvise(p, m, MADV_HUGEPAGE);
		return p;
	}
#endif
	return xmalloc(n);
}

void xmalloc_setup(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, (int)HUGE_PAGE);
#endif
}

/* A big array starts, or grows, in a new block of xmalloc_big's: realloc would copy it into
 * small pages, each faulted in turn. */
void *xrealloc(void *p, size_t n)
{
	if (!p)
		return xmalloc_big(n);
#ifdef __GLIBC__
	size_t old = n >= HUGE_PAGE ? malloc_usable_size(p) : n;

	if (old < n) {
		void *q = xmalloc_big(n);
		memcpy(q, p, old);
		free(p);
		return q;
	}
#endif
	return check(realloc(p, n ? n : 1), n);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void die(const char *fmt, ...)
{
	va_list ap;
	fputs("eduhq: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(128);
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
