/* arena.h: a bump allocator for memory that dies together (one request, one import).
 *
 * Contract: arena_alloc() returns memory owned by the arena, aligned for any type, zeroed;
 * it is freed all at once by arena_release(). Never NULL (dies on OOM). */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t block_size;
	size_t total; /* bytes handed out, for tests and benchmarks */
};

#define ARENA_INIT { NULL, 0, 0 }

void arena_init(struct arena *a, size_t block_size);
void *arena_alloc(struct arena *a, size_t n);
/* Copy of s (or its first n bytes) in the arena, NUL-terminated. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_release(struct arena *a);
/* Move every block of src into dst (dst's memory then includes src's); src is left empty. */
void arena_adopt(struct arena *dst, struct arena *src);

#endif
