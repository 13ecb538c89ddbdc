/* xmalloc.h: allocation that dies on out-of-memory, die() and BUG(). */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

/* All return new memory owned by the caller; none returns NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* xmalloc for one array of many megabytes written right away (a loader's million rows): on
 * Linux it asks for transparent huge pages (aligned, whole ones), so filling it takes a page
 * fault per 2 MB instead of one per 4 KB page (each costs microseconds, more on a virtual
 * machine). xrealloc starts or grows an array of 2 MB or more in such a block. */
void *xmalloc_big(size_t n);
/* The process's allocator set for them, first thing in main(): a block of 2 MB or more is
 * mapped on its own and unmapped when freed (glibc would otherwise raise that threshold as
 * big blocks are freed, and keep their memory in the heap). */
void xmalloc_setup(void);
char *xstrndup(const char *s, size_t n);

/* Print "eduhq: fatal: MSG" to stderr and exit(128). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A broken invariant: print file:line and abort(). */
_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)

/* Grow array x (of nr used, alloc allocated) so that it holds at least n items. */
#define ALLOC_GROW(x, n, alloc)                                                   \
	do {                                                                      \
		if ((size_t)(n) > (size_t)(alloc)) {                              \
			size_t a_ = (size_t)(alloc) * 3 / 2 + 16;                 \
			if (a_ < (size_t)(n))                                     \
				a_ = (size_t)(n);                                 \
			(x) = xrealloc((x), a_ * sizeof(*(x)));                   \
			(alloc) = a_;                                             \
		}                                                                 \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
