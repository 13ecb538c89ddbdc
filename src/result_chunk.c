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

struct rc_enc {
	ZSTD_CCtx *z;
	struct buf a, b, sec[6];
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
	enc->str = xmalloc(4 * RC_MAX_ROWS * sizeof(*enc->str));
	enc->str_hash = xmalloc(4 * RC_MAX_ROWS * sizeof(*enc->str_hash));
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

static int num_class(double d, uint64_t bits, int have_prev, uint64_t prev)
{
	if (!isfinite(d))
		return 0;
	if (have_prev && bits == prev)
		return 1;
	if (d == trunc(d) && fabs(d) < 9007199254740992.0 && !(d == 0 && signbit(d)))
		return 2;
	return 3;
}

int rc_encode(struct rc_enc *enc, const struct result_row *rows, size_t n, struct buf *out,
	      struct rc_summary *sum, struct err *e)
{
	struct buf *codes = &enc->sec[0], *years = &enc->sec[1], *verdicts = &enc->sec[2],
		   *tags = &enc->sec[3], *ints = &enc->sec[4], *raws = &enc->sec[5];
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
	enc->nstr = 0;
	buf_reset(&enc->a);
	buf_reset(&enc->b);
	for (size_t i = 0; i < ARRAY_SIZE(enc->sec); i++)
		buf_reset(&enc->sec[i]);
	for (size_t i = 0; i < n; i++) {
		const struct result_row *r = &rows[i];
		const char *s[4] = { r->indicator, r->unit_kind, r->unit_id, r->stage ? r->stage : "" };
		const double d[4] = { r->value, r->numerator, r->denominator, r->threshold };
		const char *ev = r->evidence ? r->evidence : "{}";
		unsigned tag = 0;
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
			put_varint(codes, last_code[k]);
		}
		if (!sum->unit_lo || strcmp(r->unit_id, sum->unit_lo) < 0)
			sum->unit_lo = r->unit_id;
		if (!sum->unit_hi || strcmp(r->unit_id, sum->unit_hi) > 0)
			sum->unit_hi = r->unit_id;
		if (i == 0 || r->year < sum->year_lo)
			sum->year_lo = r->year;
		if (i == 0 || r->year > sum->year_hi)
			sum->year_hi = r->year;
		put_varint(years, zigzag(r->year));
		buf_addch(verdicts, (int)r->verdict);
		for (int k = 0; k < 4; k++) {
			uint64_t bits;
			int cl;
			memcpy(&bits, &d[k], sizeof(bits));
			cl = num_class(d[k], bits, have_prev[k], prev[k]);
			tag |= (unsigned)cl << (2 * k);
			if (cl == 2) {
				put_varint(ints, zigzag((int64_t)d[k]));
			} else if (cl == 3) {
				unsigned char le[8];
				for (int j = 0; j < 8; j++)
					le[j] = (unsigned char)(bits >> (8 * j));
				buf_add(raws, le, 8);
			}
			if (cl) {
				prev[k] = bits;
				have_prev[k] = 1;
			}
		}
		buf_addch(tags, (int)tag);
		buf_add(&enc->b, ev, strlen(ev) + 1);
	}
	put_varint(&enc->a, enc->nstr);
	for (size_t i = 0; i < enc->nstr; i++)
		buf_add(&enc->a, enc->str[i], strlen(enc->str[i]) + 1);
	for (size_t i = 0; i < ARRAY_SIZE(enc->sec); i++) {
		put_varint(&enc->a, enc->sec[i].len);
		buf_add(&enc->a, enc->sec[i].buf, enc->sec[i].len);
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

static int decode_numbers(struct rc_chunk *c, struct rd *tags, struct rd *ints, struct rd *raws)
{
	uint64_t prev[4] = { 0 };
	int have_prev[4] = { 0 };
	if ((size_t)(tags->end - tags->p) != c->nrows)
		return -1;
	for (size_t i = 0; i < c->nrows; i++) {
		unsigned tag = *tags->p++;
		for (int k = 0; k < 4; k++) {
			int cl = (int)(tag >> (2 * k)) & 3;
			double d = NAN;
			uint64_t u, bits = 0;
			if (cl == 1) {
				if (!have_prev[k])
					return -1;
				bits = prev[k];
			} else if (cl == 2) {
				if (get_varint(ints, &u) < 0)
					return -1;
				d = (double)unzigzag(u);
				memcpy(&bits, &d, sizeof(bits));
			} else if (cl == 3) {
				if (raws->end - raws->p < 8)
					return -1;
				for (int j = 0; j < 8; j++)
					bits |= (uint64_t)raws->p[j] << (8 * j);
				raws->p += 8;
			}
			if (cl) {
				memcpy(&d, &bits, sizeof(d));
				prev[k] = bits;
				have_prev[k] = 1;
			}
			c->num[4 * i + (size_t)k] = d;
		}
	}
	return ints->p == ints->end && raws->p == raws->end ? 0 : -1;
}

int rc_decode(const void *blob, size_t len, struct rc_chunk *c, struct err *e)
{
	struct rd r = { blob, (const unsigned char *)blob + len }, a, sec[6];
	uint64_t nrows, alen, nstr;
	size_t la, lb;
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
	if (!(c->b = decompress(r.p, (size_t)(r.end - r.p), &lb, e))) {
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
	c->evidence = xmalloc(c->nrows * sizeof(*c->evidence));
	for (size_t i = 0; i < 4 * c->nrows; i++) {
		uint64_t v;
		if (get_varint(&sec[0], &v) < 0 || v >= nstr)
			return bad(c, e, "bad string code");
		c->code[i] = (uint32_t)v;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		uint64_t v;
		int64_t y;
		if (get_varint(&sec[1], &v) < 0 || (y = unzigzag(v)) < -99999 || y > 99999)
			return bad(c, e, "bad year");
		c->year[i] = (int)y;
	}
	if (sec[0].p != sec[0].end || sec[1].p != sec[1].end ||
	    (size_t)(sec[2].end - sec[2].p) != c->nrows)
		return bad(c, e, "bad column lengths");
	for (size_t i = 0; i < c->nrows; i++) {
		if (sec[2].p[i] > V_FAIL)
			return bad(c, e, "bad verdict");
		c->verdict[i] = sec[2].p[i];
	}
	if (decode_numbers(c, &sec[3], &sec[4], &sec[5]) < 0)
		return bad(c, e, "bad numbers");
	nul = c->b;
	for (size_t i = 0; i < c->nrows; i++) {
		char *end = memchr(nul, 0, lb - (size_t)(nul - c->b));
		if (!end)
			return bad(c, e, "bad evidence");
		c->evidence[i] = nul;
		nul = end + 1;
	}
	if ((size_t)(nul - c->b) != lb)
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
	r->evidence = c->evidence[i];
}
