/* codeidx.h: an index from code strings (school, teacher codes) to their positions in a
 * loader's array, for the rows that name them in no useful order (a posting's school): one
 * hash probe instead of a binary search of string compares.
 *
 * The index borrows the codes (they must outlive it); a code added twice keeps its first
 * position. */
#ifndef CODEIDX_H
#define CODEIDX_H

#include <stddef.h>

struct codeidx {
	const char **key;
	int *pos;
	size_t mask;   /* slots - 1; slots a power of two, at least twice the codes */
};

/* An index for up to n codes. */
void codeidx_init(struct codeidx *x, size_t n);
void codeidx_add(struct codeidx *x, const char *code, int pos);
/* The position of code, or -1 (also for NULL). */
int codeidx_find(const struct codeidx *x, const char *code);
void codeidx_release(struct codeidx *x);

#endif
