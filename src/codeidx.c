/* codeidx.c: open-addressing hash index from code strings to array positions (FNV-1a,
 * linear probing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codeidx.h"
#include "xmalloc.h"
#include "banned.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ^ (h >> 29);
}

void codeidx_init(struct codeidx *x, size_t n)
{
	size_t slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	x->key = xcalloc(slots, sizeof(*x->key));
	x->pos = xcalloc(slots, sizeof(*x->pos));
	x->mask = slots - 1;
}

void codeidx_add(struct codeidx *x, const char *code, int pos)
{
	size_t i = (size_t)hash(code) & x->mask;
	while (x->key[i]) {
		if (!strcmp(x->key[i], code))
			return;
		i = (i + 1) & x->mask;
	}
	x->key[i] = code;
	x->pos[i] = pos;
}

int codeidx_find(const struct codeidx *x, const char *code)
{
	size_t i;

	if (!code || !x->key)
		return -1;
	for (i = (size_t)hash(code) & x->mask; x->key[i]; i = (i + 1) & x->mask)
		if (!strcmp(x->key[i], code))
			return x->pos[i];
	return -1;
}

void codeidx_release(struct codeidx *x)
{
	free(x->key);
	free(x->pos);
	memset(x, 0, sizeof(*x));
}
