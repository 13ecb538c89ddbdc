/* result_store.h: a run's result rows in the store (table result_chunk): saving them as
 * chunks, reading a run's chunk list and one chunk decoded, and the cache of decoded chunks
 * a server keeps (struct store's rcache) so that a query costs no decoding when it asks for
 * what another has asked for.
 *
 * A run id is never given again once its run is deleted (eval_run's AUTOINCREMENT), and a
 * stored run never changes: a cache entry keyed by run id and chunk number stays right for
 * as long as that run exists, and a query reaches the cache only through a run it has just
 * read from eval_run. */
#ifndef RESULT_STORE_H
#define RESULT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eval.h"
#include "result_chunk.h"

struct store;
struct store_stmt;

/* The columns of a result_chunk row after (run_id, seq): what rs_save() writes and
 * rs_copy() copies. */
#define RC_CHUNK_COLS "nrows, unit_kinds, indicators, unit_lo, unit_hi, year_lo, year_hi, data"

/* Append rs's rows to run_id's stored rows (after the chunks it has), inside the caller's
 * transaction. */
int rs_save(struct store *s, int64_t run_id, const struct result_set *rs, struct err *e);
/* Copy n chunks of from_run from its chunk from_first on as run_id's from first on: how
 * many it copied (fewer when from_run lacks some), or <0. */
int rs_copy(struct store *s, int64_t from_run, int from_first, int64_t run_id, int first,
	    int n, struct err *e);
/* rs_save() as chunks first, first + 1, ... of run_id, for rows that are those of a stored
 * run's chunks from_first on (from_run's, as many rows) but for those in changed: the chunks
 * changed meets are encoded, the others copied. 1 (nothing written) when changed is every
 * row or from_run's chunks are not all there. */
int rs_save_changed(struct store *s, int64_t run_id, int first, const struct result_set *rs,
		    int64_t from_run, int from_first, const struct row_ranges *changed,
		    struct err *e);

/* One chunk's summary row (result_chunk without its data). */
struct rs_meta {
	int seq;
	size_t nrows;
	const char *kinds, *indicators, *unit_lo, *unit_hi;
	int year_lo, year_hi;
};
/* A run's chunks in storage order. */
struct rs_run {
	int64_t id;
	struct rs_meta *v;
	size_t nr;
	char *text;         /* the strings of v */
	size_t bytes;
	int refs, dead;     /* when cached */
	uint64_t used_at;
};

/* Run id's chunk list: from the cache when s has one, else read (new). Release it with
 * rs_run_put(). */
int rs_run_get(struct store *s, int64_t id, struct rs_run **out, struct err *e);
void rs_run_put(struct store *s, struct rs_run *r);

/* Chunk m of run id decoded: from the cache or read and decoded; without its evidence when
 * evidence is 0 (and then not cached: counting a whole run does not fill the cache). *fetch
 * is a statement kept by the caller between calls (NULL at first; store_finalize() it after). A missing or
 * damaged chunk: ERR_DB "run N: result chunk S is damaged: ...". Release with
 * rs_chunk_put(). */
const struct rc_chunk *rs_chunk_get(struct store *s, struct store_stmt **fetch, int64_t id,
				    const struct rs_meta *m, int evidence, struct err *e);
void rs_chunk_put(struct store *s, const struct rc_chunk *c);

/* The cache: decoded chunks up to budget bytes (least recently used first out), and the
 * chunk lists of the last runs asked for. Thread-safe; entries in use are freed when the last
 * user puts them back. */
struct result_cache;
struct result_cache *result_cache_new(size_t budget);
void result_cache_free(struct result_cache *c);
/* What it holds now and how often it answered (for bench and tests). */
void result_cache_stats(struct result_cache *c, size_t *bytes, size_t *chunks,
			unsigned long *hits, unsigned long *misses);

#endif
