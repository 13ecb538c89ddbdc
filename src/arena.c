/* arena.c: block-chained bump allocation; large requests get a block of their own. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xmalloc.h"
#include "banned.h"

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

#define ALIGN (_Alignof(max_align_t))

void arena_init(struct arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->total = 0;
}

/* n bytes (not zeroed) at alignment align (a power of two, at most ALIGN). */
static void *bump(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	void *p;

	if (!a->block_size)
		a->block_size = 64 * 1024;
	if (!b || at > b->size || b->size - at < n) {
		size_t size = n > a->block_size ? n : a->block_size;
		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		if (a->head && n > a->block_size) {
			/* keep the partly used block at the head for small requests */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		at = 0;
	}
	p = (char *)b->data + at;
	b->used = at + n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = bump(a, (n + ALIGN - 1) / ALIGN * ALIGN, ALIGN);
	a->total += n;
	memset(p, 0, n);
	return p;
}

/* Strings are packed: no alignment, only their bytes zeroed (the NUL). */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = bump(a, len + 1, 1);
	a->total += len + 1;
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, SIZE_MAX); }

void arena_release(struct arena *a)
{
	while (a->head) {
		struct arena_block *next = a->head->next;
		free(a->head);
		a->head = next;
	}
	a->total = 0;
}

void arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_block **tail = &dst->head;
	while (*tail)
		tail = &(*tail)->next; /* after dst's blocks: its head stays the one it fills */
	*tail = src->head;
	dst->total += src->total;
	src->head = NULL;
	src->total = 0;
}
