/* result_chunk.h: the stored form of a run's result rows: up to RC_MAX_ROWS rows, in
 * storage order, encoded as one byte string (a BLOB of table result_chunk) and decoded back
 * bit for bit. Pure: no SQL, no I/O.
 *
 * The encoding (format 1): "RC" 0x01, varint row count, varint length of frame A, frame A,
 * frame B; each frame one zstd frame (level 1) with its checksum.
 *   A: varint count of distinct strings, each as its bytes and a NUL (the indicator, unit
 *      kind, unit id and stage of every row, in order of first use); then 15 sections, each a
 *      varint byte length and its bytes: per string column the rows' string codes (4
 *      sections of varints), the years (zigzag varints, 0: none), the verdicts (a byte each),
 *      per row the class of each of its 4 numbers (4 bytes), per number column the integers
 *      (4 sections of zigzag varints) and the other doubles (4 sections, 8 byte planes each:
 *      every first byte, then every second byte, ...).
 *   B: the evidence of every row, each followed by a NUL.
 * A number's class: NULL (anything not finite: the result table stored NaN and infinities as
 * NULL, and NAN is read back), the same bits as the column's last number, or as its last
 * number in a row of the same indicator (a threshold), an integer below 2^53 (not -0), the
 * value as numerator/denominator in one of 4 forms (n/d, n*100/d, n/d*100, n/(d/100)) when
 * that gives its very bits, or the 8 bytes. Every finite double keeps its bits, -0.0
 * included. */
#ifndef RESULT_CHUNK_H
#define RESULT_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "eval.h"

#define RC_MAX_ROWS 4096
/* The chunks that n rows are stored in. */
static inline int rc_chunks(size_t n) { return (int)((n + RC_MAX_ROWS - 1) / RC_MAX_ROWS); }

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
	const char **evidence; /* NULL when decoded without */
	size_t bytes;          /* memory held */
	char *a, *b;           /* the frames, decompressed */
};
enum { RC_IND = 0, RC_KIND, RC_UNIT, RC_STAGE };

/* Decode blob into c (initialised here), with the evidence or not (frame B is then neither
 * decompressed nor checked: for counting). A malformed or damaged blob: ERR_DATA with what
 * is wrong (the caller names the run and chunk), c left empty. */
int rc_decode(const void *blob, size_t len, int evidence, struct rc_chunk *c, struct err *e);
void rc_chunk_release(struct rc_chunk *c);
/* The code of string s in c, or -1 when no row of c has it. */
long rc_find(const struct rc_chunk *c, const char *s);
/* Row i of c as a result_row (strings borrowed from c; evidence NULL when c has none). */
void rc_row(const struct rc_chunk *c, size_t i, struct result_row *r);
/* Append c's rows to rs as results_add() would, each distinct string copied once; a row's
 * evidence "{}" when c has none. */
void rc_append(const struct rc_chunk *c, struct result_set *rs);

#endif
