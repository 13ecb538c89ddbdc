/* result_chunk.h: the stored form of a run's result rows: up to RC_MAX_ROWS rows, in
 * storage order, encoded as one byte string (a BLOB of table result_chunk) and decoded back
 * bit for bit. Pure: no SQL, no I/O.
 *
 * The encoding (version 1): "RC" 0x01, varint row count, varint length of frame A, frame A,
 * frame B; each frame one zstd frame with its checksum.
 *   A: varint count of distinct strings, each as its bytes and a NUL (the indicator, unit
 *      kind, unit id and stage of every row, in order of first use); then six sections, each
 *      varint byte length + bytes: per row 4 varint string codes (indicator, unit kind, unit
 *      id, stage), per row the year (varint, 0: none), per row the verdict (1 byte), per row
 *      the classes of its 4 numbers (2 bits each: 0 NULL, 1 the same bits as the row
 *      before's, 2 an integer as a zigzag varint, 3 the 8 bytes of the double), the varints,
 *      the doubles (little-endian).
 *   B: the evidence of every row, each followed by a NUL.
 * A number that is not finite is stored as NULL (as the result table stored NaN and
 * infinities) and read back as NAN; every other double keeps its bits (-0.0 included). */
#ifndef RESULT_CHUNK_H
#define RESULT_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "eval.h"

#define RC_MAX_ROWS 4096

/* What a query reads to skip a chunk without decoding it. Strings: kinds and indicators
 * owned here (",a,b," lists, in order of first use), unit_lo/unit_hi borrowed from the rows
 * encoded. */
struct rc_summary {
	size_t nrows;
	struct buf kinds, indicators;
	const char *unit_lo, *unit_hi;
	int year_lo, year_hi;   /* 0 for rows without a year */
};

/* The encoder's reusable state (compression context, scratch buffers, string table). */
struct rc_enc;
struct rc_enc *rc_enc_new(void);
void rc_enc_free(struct rc_enc *enc);

/* Encode rows[0..n) (1 <= n <= RC_MAX_ROWS) into out (replacing its contents) and describe
 * them in sum (initialised here; rc_summary_release() it). */
int rc_encode(struct rc_enc *enc, const struct result_row *rows, size_t n, struct buf *out,
	      struct rc_summary *sum, struct err *e);
void rc_summary_release(struct rc_summary *sum);

/* A decoded chunk: per row the codes of its strings in str[], its year, numbers, verdict and
 * evidence. Immutable once decoded (the server shares it between threads). */
struct rc_chunk {
	size_t nrows, nstr;
	const char **str;      /* the distinct strings */
	uint64_t *hash;        /* per string, for rc_find() */
	uint32_t *code;        /* 4 per row: indicator, unit kind, unit id, stage */
	int *year;             /* 0: none */
	double *num;           /* 4 per row: value, numerator, denominator, threshold */
	unsigned char *verdict;
	const char **evidence;
	size_t bytes;          /* memory held */
	char *a, *b;           /* the frames, decompressed */
};
enum { RC_IND = 0, RC_KIND, RC_UNIT, RC_STAGE };

/* Decode blob into c (initialised here). A malformed or damaged blob: ERR_DATA with what is
 * wrong (the caller names the run and chunk), c left empty. */
int rc_decode(const void *blob, size_t len, struct rc_chunk *c, struct err *e);
void rc_chunk_release(struct rc_chunk *c);
/* The code of string s in c, or -1 when no row of c has it. */
long rc_find(const struct rc_chunk *c, const char *s);
/* Row i of c as a result_row (strings borrowed from c). */
void rc_row(const struct rc_chunk *c, size_t i, struct result_row *r);

#endif
