/* xmalloc.c: allocation wrappers that never return NULL, and the fatal-error exits. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xmalloc.h"
#include "banned.h"

static void *check(void *p, size_t n)
{
	if (!p && n)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1), n); }
void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1), n); }

void *xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1), nmemb * size);
}

void *xmalloc_big(size_t n)
{
	char *p = xmalloc(n);
#ifdef MADV_HUGEPAGE
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t b = ((uintptr_t)p + page - 1) / page * page, e = ((uintptr_t)p + n) / page * page;
	/* only a hint: where the kernel has no huge pages nothing changes */
	if (n >= 2u << 20 && e > b)
		madvise((void *)b, e - b, MADV_HUGEPAGE);
#endif
	return p;
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
