/* result_chunk.c: encoding and decoding a chunk of result rows (the format is described in
 * result_chunk.h). Columns rather than rows, so that zstd sees like next to like: the
 * evidence JSON of a chunk (about 80 % of its bytes) compresses 20-25 times. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "result_chunk.h"
#include "xmalloc.h"
#include "banned.h"

#define RC_LEVEL 1                  /* zstd level: 2 GB/s here, and already 24x on evidence */
#define RC_SLOTS (8 * RC_MAX_ROWS)  /* string table slots: > 4 strings per row, half full */
#define RC_MAX_FRAME (256u << 20)   /* a decoded frame larger than this is damage */
#define RC_MAX_STR (4 * RC_MAX_ROWS)

/* Frame A's sections after the strings. */
enum {
	S_CODE = 0,      /* 4: per row one varint string code per string column */
	S_YEAR = 4,      /* per row a zigzag varint */
	S_VERDICT,       /* per row a byte */
	S_TAG,           /* per row 4 bytes: the class of each number */
	S_INT,           /* 4: per number column, its zigzag varints */
	S_RAW = S_INT + 4, /* 4: per number column, its doubles as 8 byte planes */
	NSEC = S_RAW + 4,
};

/* A number's class: how it is stored. */
enum {
	C_NULL = 0,      /* not finite: NULL */
	C_PREV,          /* the bits of the last number of this column */
	C_SAME_IND,      /* the bits of the last number of this column with the same indicator */
	C_INT,           /* an integer below 2^53 (not -0): a varint */
	C_RAW,           /* the 8 bytes */
	C_DIV,           /* the value only, from this row's numerator n and denominator d: */
	C_DIV_LAST = C_DIV + 3,   /* n/d, n*100/d, n/d*100, n/(d/100) */
};

struct rc_enc {
	ZSTD_CCtx *z;
	struct buf a, b, sec[NSEC];
	uint64_t *ind_bits;             /* per indicator code and number: the last bits */
	unsigned char *ind_have;
	const char **str;               /* the chunk's distinct strings, by code */
	uint64_t *str_hash;
	size_t nstr;
	uint32_t slot[RC_SLOTS];        /* code + 1, 0 empty */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct rc_enc *rc_enc_new(void)
{
	struct rc_enc *enc = xcalloc(1, sizeof(*enc));
	enc->z = ZSTD_createCCtx();
	if (!enc->z)
		die("out of memory");
	ZSTD_CCtx_setParameter(enc->z, ZSTD_c_compressionLevel, RC_LEVEL);
	ZSTD_CCtx_setParameter(enc->z, ZSTD_c_checksumFlag, 1);
	buf_init(&enc->a, 0);
	buf_init(&enc->b, 0);
	for (size_t i = 0; i < ARRAY_SIZE(enc->sec); i++)
		buf_init(&enc->sec[i], 0);
	enc->str = xmalloc(RC_MAX_STR * sizeof(*enc->str));
	enc->str_hash = xmalloc(RC_MAX_STR * sizeof(*enc->str_hash));
	enc->ind_bits = xmalloc(4 * RC_MAX_STR * sizeof(*enc->ind_bits));
	enc->ind_have = xmalloc(4 * RC_MAX_STR);
	return enc;
}

void rc_enc_free(struct rc_enc *enc)
{
	if (!enc)
		return;
	ZSTD_freeCCtx(enc->z);
	buf_release(&enc->a);
	buf_release(&enc->b);
	for (size_t i = 0; i < ARRAY_SIZE(enc->sec); i++)
		buf_release(&enc->sec[i]);
	free(enc->str);
	free(enc->str_hash);
	free(enc->ind_bits);
	free(enc->ind_have);
	free(enc);
}

void rc_summary_release(struct rc_summary *sum)
{
	buf_release(&sum->kinds);
	buf_release(&sum->indicators);
}

static void put_varint(struct buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	while (v >= 0x80) {
		t[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	t[n++] = (unsigned char)v;
	buf_add(b, t, n);
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

/* The code of s in the chunk's string table, added when new. */
static uint32_t str_code(struct rc_enc *enc, const char *s)
{
	uint64_t h = hash_str(s);
	size_t i = (size_t)h & (RC_SLOTS - 1);
	while (enc->slot[i]) {
		uint32_t c = enc->slot[i] - 1;
		if (enc->str_hash[c] == h && !strcmp(enc->str[c], s))
			return c;
		i = (i + 1) & (RC_SLOTS - 1);
	}
	enc->str[enc->nstr] = s;
	enc->str_hash[enc->nstr] = h;
	enc->slot[i] = (uint32_t)++enc->nstr;
	return (uint32_t)(enc->nstr - 1);
}

/* Add ",s" to a ",a,b," list unless there. */
static void list_add(struct buf *l, const char *s)
{
	size_t n = strlen(s);
	const char *p;
	if (!l->len)
		buf_addch(l, ',');
	for (p = strstr(l->buf, s); p && *p; p = strstr(p + 1, s))
		if (p > l->buf && p[-1] == ',' && p[n] == ',')
			return;
	buf_adds(l, s);
	buf_addch(l, ',');
}

/* zstd frame of in appended to out */
static int compress_into(struct rc_enc *enc, const struct buf *in, struct buf *out, struct err *e)
{
	size_t cap = ZSTD_compressBound(in->len), n;
	buf_grow(out, cap);
	n = ZSTD_compress2(enc->z, out->buf + out->len, cap, in->buf, in->len);
	if (ZSTD_isError(n))
		return err_set(e, ERR_DATA, "cannot compress results: %s", ZSTD_getErrorName(n));
	buf_setlen(out, out->len + n);
	return 0;
}

static double derived(int form, double n, double d)
{
	switch (form) {
	case 0: return n / d;
	case 1: return n * 100 / d;
	case 2: return n / d * 100;
	default: return n / (d / 100);
	}
}

static uint64_t bits_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

/* The class of number k (d, its bits) of a row; row holds its four numbers. */
static int num_class(int k, double d, uint64_t bits, const double *row, int have_prev,
		     uint64_t prev, int have_ind, uint64_t ind)
{
	if (!isfinite(d))
		return C_NULL;
	if (have_prev && bits == prev)
		return C_PREV;
	if (have_ind && bits == ind)
		return C_SAME_IND;
	if (k == 0 && isfinite(row[1]) && isfinite(row[2]))
		for (int f = 0; f <= C_DIV_LAST - C_DIV; f++)
			if (bits_of(derived(f, row[1], row[2])) == bits)
				return C_DIV + f;
	if (d == trunc(d) && fabs(d) < 9007199254740992.0 && !(d == 0 && signbit(d)))
		return C_INT;
	return C_RAW;
}

/* Append the 8 bytes of each double of raw (n of them, little-endian) as 8 planes: all
 * first bytes, then all second bytes, ...: exponents and signs line up for zstd. */
static void add_planes(struct buf *out, const struct buf *raw)
{
	size_t n = raw->len / 8, at = out->len;
	buf_grow(out, raw->len);
	for (size_t j = 0; j < 8; j++)
		for (size_t i = 0; i < n; i++)
			out->buf[at + j * n + i] = raw->buf[i * 8 + j];
	buf_setlen(out, at + raw->len);
}

int rc_encode(struct rc_enc *enc, const struct result_row *rows, size_t n, struct buf *out,
	      struct rc_summary *sum, struct err *e)
{
	struct buf *sec = enc->sec;
	uint64_t prev[4] = { 0 };
	int have_prev[4] = { 0 };
	const char *last[4] = { NULL };
	uint32_t last_code[4] = { 0 };

	memset(sum, 0, sizeof(*sum));
	buf_init(&sum->kinds, 0);
	buf_init(&sum->indicators, 0);
	if (n < 1 || n > RC_MAX_ROWS)
		BUG("rc_encode of %zu rows", n);
	sum->nrows = n;
	memset(enc->slot, 0, sizeof(enc->slot));
	memset(enc->ind_have, 0, 4 * RC_MAX_STR);
	enc->nstr = 0;
	buf_reset(&enc->a);
	buf_reset(&enc->b);
	for (size_t i = 0; i < NSEC; i++)
		buf_reset(&sec[i]);
	for (size_t i = 0; i < n; i++) {
		const struct result_row *r = &rows[i];
		const char *s[4] = { r->indicator, r->unit_kind, r->unit_id, r->stage ? r->stage : "" };
		const double d[4] = { r->value, r->numerator, r->denominator, r->threshold };
		const char *ev = r->evidence ? r->evidence : "{}";
		unsigned char tag[4];
		for (int k = 0; k < 4; k++) {
			/* consecutive rows mostly share their kind, stage and unit */
			if (!last[k] || (last[k] != s[k] && strcmp(last[k], s[k]))) {
				last_code[k] = str_code(enc, s[k]);
				if (k == RC_KIND && (!last[k] || strcmp(last[k], s[k])))
					list_add(&sum->kinds, s[k]);
				if (k == RC_IND)
					list_add(&sum->indicators, s[k]);
			}
			last[k] = s[k];
			put_varint(&sec[S_CODE + k], last_code[k]);
		}
		if (!sum->unit_lo || strcmp(r->unit_id, sum->unit_lo) < 0)
			sum->unit_lo = r->unit_id;
		if (!sum->unit_hi || strcmp(r->unit_id, sum->unit_hi) > 0)
			sum->unit_hi = r->unit_id;
		if (i == 0 || r->year < sum->year_lo)
			sum->year_lo = r->year;
		if (i == 0 || r->year > sum->year_hi)
			sum->year_hi = r->year;
		put_varint(&sec[S_YEAR], zigzag(r->year));
		buf_addch(&sec[S_VERDICT], (int)r->verdict);
		for (int k = 0; k < 4; k++) {
			size_t ik = 4 * (size_t)last_code[RC_IND] + (size_t)k;
			uint64_t b = bits_of(d[k]);
			int cl = num_class(k, d[k], b, d, have_prev[k], prev[k], enc->ind_have[ik],
					   enc->ind_bits[ik]);
			tag[k] = (unsigned char)cl;
			if (cl == C_INT) {
				put_varint(&sec[S_INT + k], zigzag((int64_t)d[k]));
			} else if (cl == C_RAW) {
				unsigned char le[8];
				for (int j = 0; j < 8; j++)
					le[j] = (unsigned char)(b >> (8 * j));
				buf_add(&enc->sec[S_RAW + k], le, 8);
			}
			if (cl != C_NULL) {
				prev[k] = b;
				have_prev[k] = 1;
				enc->ind_bits[ik] = b;
				enc->ind_have[ik] = 1;
			}
		}
		buf_add(&sec[S_TAG], tag, 4);
		buf_add(&enc->b, ev, strlen(ev) + 1);
	}
	put_varint(&enc->a, enc->nstr);
	for (size_t i = 0; i < enc->nstr; i++)
		buf_add(&enc->a, enc->str[i], strlen(enc->str[i]) + 1);
	for (size_t i = 0; i < NSEC; i++) {
		put_varint(&enc->a, sec[i].len);
		if (i >= S_RAW)
			add_planes(&enc->a, &sec[i]);
		else
			buf_add(&enc->a, sec[i].buf, sec[i].len);
	}
	buf_reset(out);
	buf_add(out, "RC\001", 3);
	put_varint(out, n);
	{
		struct buf fa = BUF_INIT;
		int rc = compress_into(enc, &enc->a, &fa, e);
		if (rc == 0) {
			put_varint(out, fa.len);
			buf_add(out, fa.buf, fa.len);
			rc = compress_into(enc, &enc->b, out, e);
		}
		buf_release(&fa);
		if (rc < 0) {
			rc_summary_release(sum);
			return rc;
		}
	}
	return 0;
}

/* ---- decoding ---- */

struct rd {
	const unsigned char *p, *end;
};

static int get_varint(struct rd *r, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
		unsigned char c = *r->p++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* The next section: a varint length and that many bytes. */
static int get_section(struct rd *r, struct rd *sec)
{
	uint64_t n;
	if (get_varint(r, &n) < 0 || n > (uint64_t)(r->end - r->p))
		return -1;
	sec->p = r->p;
	sec->end = r->p + n;
	r->p += n;
	return 0;
}

static char *decompress(const unsigned char *p, size_t n, size_t *out_len, struct err *e)
{
	unsigned long long size = ZSTD_getFrameContentSize(p, n);
	char *out;
	size_t got;
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > RC_MAX_FRAME) {
		err_set(e, ERR_DATA, "not a zstd frame of known size");
		return NULL;
	}
	out = xmalloc((size_t)size + 1);
	got = ZSTD_decompress(out, (size_t)size + 1, p, n);
	if (ZSTD_isError(got) || got != size) {
		err_set(e, ERR_DATA, "%s", ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame");
		free(out);
		return NULL;
	}
	out[size] = '\0';
	*out_len = (size_t)size;
	return out;
}

static int bad(struct rc_chunk *c, struct err *e, const char *what)
{
	rc_chunk_release(c);
	return err_set(e, ERR_DATA, "%s", what);
}

/* The numbers: columns 1-3 of a row before its value, which may derive from them. */
static int decode_numbers(struct rc_chunk *c, struct rd *tags, struct rd *ints, struct rd *raws)
{
	static const int order[4] = { 1, 2, 3, 0 };
	uint64_t prev[4] = { 0 }, *ind_bits = xmalloc(4 * c->nstr * sizeof(*ind_bits));
	int have_prev[4] = { 0 }, rc = -1;
	unsigned char *ind_have = xcalloc(4 * c->nstr + 1, 1);
	size_t nraw[4];

	if ((size_t)(tags->end - tags->p) != 4 * c->nrows)
		goto out;
	for (int k = 0; k < 4; k++) {
		if ((raws[k].end - raws[k].p) % 8)
			goto out;
		nraw[k] = (size_t)(raws[k].end - raws[k].p) / 8;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		const unsigned char *tag = tags->p + 4 * i;
		double *row = &c->num[4 * i];
		for (int o = 0; o < 4; o++) {
			int k = order[o], cl = tag[k];
			size_t ik = 4 * (size_t)c->code[4 * i + RC_IND] + (size_t)k;
			uint64_t u, bits = 0;
			double d = NAN;
			if (cl == C_PREV) {
				if (!have_prev[k])
					goto out;
				bits = prev[k];
			} else if (cl == C_SAME_IND) {
				if (!ind_have[ik])
					goto out;
				bits = ind_bits[ik];
			} else if (cl == C_INT) {
				if (get_varint(&ints[k], &u) < 0)
					goto out;
				bits = bits_of((double)unzigzag(u));
			} else if (cl == C_RAW) {
				/* the j-th byte of the m-th double is in plane j at m */
				size_t m = nraw[k] - (size_t)(raws[k].end - raws[k].p) / 8;
				const unsigned char *base = raws[k].end - 8 * nraw[k];
				if (raws[k].p >= raws[k].end)
					goto out;
				for (int j = 0; j < 8; j++)
					bits |= (uint64_t)base[(size_t)j * nraw[k] + m] << (8 * j);
				raws[k].p += 8;
			} else if (cl >= C_DIV && cl <= C_DIV_LAST && k == 0) {
				bits = bits_of(derived(cl - C_DIV, row[1], row[2]));
			} else if (cl != C_NULL) {
				goto out;
			}
			if (cl != C_NULL) {
				memcpy(&d, &bits, sizeof(d));
				prev[k] = bits;
				have_prev[k] = 1;
				ind_bits[ik] = bits;
				ind_have[ik] = 1;
			}
			row[k] = d;
		}
	}
	rc = 0;
	for (int k = 0; k < 4; k++)
		if (ints[k].p != ints[k].end || raws[k].p != raws[k].end)
			rc = -1;
out:
	free(ind_bits);
	free(ind_have);
	return rc;
}

int rc_decode(const void *blob, size_t len, int evidence, struct rc_chunk *c, struct err *e)
{
	struct rd r = { blob, (const unsigned char *)blob + len }, a, sec[NSEC];
	uint64_t nrows, alen, nstr;
	size_t la, lb = 0;
	char *nul;

	memset(c, 0, sizeof(*c));
	if (len < 4 || memcmp(blob, "RC\001", 3))
		return err_set(e, ERR_DATA, "not a result chunk of format 1");
	r.p += 3;
	if (get_varint(&r, &nrows) < 0 || nrows < 1 || nrows > RC_MAX_ROWS ||
	    get_varint(&r, &alen) < 0 || alen > (uint64_t)(r.end - r.p))
		return err_set(e, ERR_DATA, "bad chunk header");
	if (!(c->a = decompress(r.p, (size_t)alen, &la, e)))
		return e->code;
	r.p += alen;
	if (evidence && !(c->b = decompress(r.p, (size_t)(r.end - r.p), &lb, e))) {
		rc_chunk_release(c);
		return e->code;
	}
	c->nrows = (size_t)nrows;
	a.p = (const unsigned char *)c->a;
	a.end = a.p + la;
	if (get_varint(&a, &nstr) < 0 || nstr > 4 * nrows)
		return bad(c, e, "bad string table");
	c->nstr = (size_t)nstr;
	c->str = xmalloc((c->nstr + 1) * sizeof(*c->str));
	c->hash = xmalloc((c->nstr + 1) * sizeof(*c->hash));
	for (size_t i = 0; i < c->nstr; i++) {
		const unsigned char *z = memchr(a.p, 0, (size_t)(a.end - a.p));
		if (!z)
			return bad(c, e, "bad string table");
		c->str[i] = (const char *)a.p;
		c->hash[i] = hash_str(c->str[i]);
		a.p = z + 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sec); i++)
		if (get_section(&a, &sec[i]) < 0)
			return bad(c, e, "bad section");
	if (a.p != a.end)
		return bad(c, e, "trailing bytes");
	c->code = xmalloc(4 * c->nrows * sizeof(*c->code));
	c->year = xmalloc(c->nrows * sizeof(*c->year));
	c->num = xmalloc(4 * c->nrows * sizeof(*c->num));
	c->verdict = xmalloc(c->nrows);
	if (evidence)
		c->evidence = xmalloc(c->nrows * sizeof(*c->evidence));
	for (size_t i = 0; i < 4 * c->nrows; i++) {
		uint64_t v;
		if (get_varint(&sec[S_CODE + i % 4], &v) < 0 || v >= nstr)
			return bad(c, e, "bad string code");
		c->code[i] = (uint32_t)v;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		uint64_t v;
		int64_t y;
		if (get_varint(&sec[S_YEAR], &v) < 0 || (y = unzigzag(v)) < -99999 || y > 99999)
			return bad(c, e, "bad year");
		c->year[i] = (int)y;
	}
	for (int k = 0; k < 4; k++)
		if (sec[S_CODE + k].p != sec[S_CODE + k].end)
			return bad(c, e, "bad column lengths");
	if (sec[S_YEAR].p != sec[S_YEAR].end || (size_t)(sec[S_VERDICT].end - sec[S_VERDICT].p) != c->nrows)
		return bad(c, e, "bad column lengths");
	for (size_t i = 0; i < c->nrows; i++) {
		if (sec[S_VERDICT].p[i] > V_FAIL)
			return bad(c, e, "bad verdict");
		c->verdict[i] = sec[S_VERDICT].p[i];
	}
	if (decode_numbers(c, &sec[S_TAG], &sec[S_INT], &sec[S_RAW]) < 0)
		return bad(c, e, "bad numbers");
	nul = c->b;
	for (size_t i = 0; evidence && i < c->nrows; i++) {
		char *end = memchr(nul, 0, lb - (size_t)(nul - c->b));
		if (!end)
			return bad(c, e, "bad evidence");
		c->evidence[i] = nul;
		nul = end + 1;
	}
	if (evidence && (size_t)(nul - c->b) != lb)
		return bad(c, e, "bad evidence");
	c->bytes = la + lb + c->nrows * (4 * sizeof(*c->code) + sizeof(*c->year) + 4 * sizeof(double) +
					 1 + sizeof(char *)) + c->nstr * (sizeof(char *) + 8);
	return 0;
}

void rc_chunk_release(struct rc_chunk *c)
{
	free(c->str);
	free(c->hash);
	free(c->code);
	free(c->year);
	free(c->num);
	free(c->verdict);
	free(c->evidence);
	free(c->a);
	free(c->b);
	memset(c, 0, sizeof(*c));
}

long rc_find(const struct rc_chunk *c, const char *s)
{
	uint64_t h = hash_str(s);
	for (size_t i = 0; i < c->nstr; i++)
		if (c->hash[i] == h && !strcmp(c->str[i], s))
			return (long)i;
	return -1;
}

void rc_row(const struct rc_chunk *c, size_t i, struct result_row *r)
{
	const uint32_t *k = &c->code[4 * i];
	const double *d = &c->num[4 * i];
	r->indicator = c->str[k[RC_IND]];
	r->unit_kind = c->str[k[RC_KIND]];
	r->unit_id = c->str[k[RC_UNIT]];
	r->stage = c->str[k[RC_STAGE]];
	r->year = c->year[i];
	r->value = d[0];
	r->numerator = d[1];
	r->denominator = d[2];
	r->threshold = d[3];
	r->verdict = (enum verdict)c->verdict[i];
	r->evidence = c->evidence ? c->evidence[i] : NULL;
}

void rc_append(const struct rc_chunk *c, struct result_set *rs)
{
	const char **str = xmalloc((c->nstr + 1) * sizeof(*str));

	for (size_t k = 0; k < c->nstr; k++)
		str[k] = arena_strdup(&rs->arena, c->str[k]);
	ALLOC_GROW(rs->v, rs->nr + c->nrows, rs->alloc);
	for (size_t i = 0; i < c->nrows; i++) {
		struct result_row *r = &rs->v[rs->nr++];
		const uint32_t *k = &c->code[4 * i];
		rc_row(c, i, r);
		r->indicator = str[k[RC_IND]];
		r->unit_kind = str[k[RC_KIND]];
		r->unit_id = str[k[RC_UNIT]];
		r->stage = str[k[RC_STAGE]];
		r->evidence = c->evidence && *c->evidence[i] ? arena_strdup(&rs->arena,
									   c->evidence[i]) : "{}";
	}
	free(str);
}
