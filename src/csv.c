/* csv.c: the streaming RFC 4180 CSV reader behind `eduhq import` (see csv.h).
 *
 * Design. The input is turned into a window of valid UTF-8 bytes (raw[0..vend)): read
 * straight from the file/memory when it is UTF-8, or converted from GB18030 with iconv in
 * 64 KiB chunks. A record is parsed from its first byte (rs) to its terminator; when the
 * window ends inside a record and more input may come, the window is compacted (the record
 * moves to the front), grown if the record fills it, refilled, and the record is parsed
 * again from its start. So memory is bounded by the longest record (plus one chunk), and a
 * record's raw bytes stay in the window while it is parsed, which lets errors report
 * character columns without counting them in the hot loop.
 *
 * Encoding detection (CSV_ENC_AUTO): a UTF-8 BOM means UTF-8. Otherwise a first streaming
 * pass checks whether the whole input is valid UTF-8; if it is not, the input is GB18030.
 * For a regular file the pass reads it with pread(), leaving the offset at 0. For anything
 * else (stdin, a pipe) the pass copies the input to an unlinked temporary file (tmpfile())
 * that the second pass then reads, so stdin is never held in memory. For memory input the
 * pass scans the buffer. Forced encodings skip the pass and validate as they go.
 *
 * A file detected as GB18030 must not carry UTF-8 lines too (rows pasted from another
 * file): they would decode as mojibake. Each record with non-ASCII text is converted back
 * to its GB18030 bytes; when those are valid UTF-8 with CJK characters, and the GB18030
 * reading has characters outside GB2312 (what a UTF-8 line misread gives, and real GB18030
 * data rarely has), the file is refused naming that line and the first line that is not
 * UTF-8. So the encoding is one decision for the whole file.
 *
 * Errors ("FILE:LINE:COL: ...", columns in characters): an unterminated quoted field (at its
 * opening quote), a quote inside an unquoted field, a character after a closing quote, a
 * byte sequence invalid in the encoding, a NUL byte (UTF-16 input). The name is the path
 * given, "<stdin>" for "-".
 *
 * Field text is copied into one reusable row buffer (quotes unescaped, NUL-terminated);
 * the field array is reused too: no allocation per field or per row in the steady state. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "xmalloc.h"
#include "banned.h"

/* Read size; the fuzz build makes it tiny (-DCSV_CHUNK=16) so that every path through a
 * chunk boundary is exercised by small inputs. */
#ifndef CSV_CHUNK
#define CSV_CHUNK (64 * 1024)
#endif
#define CHUNK CSV_CHUNK
#define NEED_MORE 2
/* Memory stays bounded whatever the file: a field holds at most a spreadsheet cell's 32767
 * characters, a record at most 16384 fields and 64 MiB (the window grows to the longest
 * record). */
#define MAX_FIELD_CHARS 32767
#define MAX_RECORD_BYTES (64L << 20)
#define MAX_FIELDS 16384 /* a spreadsheet's columns, A to XFD */

struct csv_reader {
	char *name;
	int fd;     /* -1: memory input */
	int own_fd; /* close fd in csv_close */
	const unsigned char *mem; /* memory input */
	size_t memlen, mempos;
	enum csv_encoding enc;     /* the encoding in use (never AUTO after open) */
	int auto_detected;         /* AUTO and no BOM: errors say "neither UTF-8 nor GB18030" */
	/* auto_detected GB18030: where the input first is not UTF-8 (an offset into the
	 * source), and the converters that tell a UTF-8 line among GB18030 ones (mixed_line) */
	long long bad_off;
	iconv_t to_gb, to_gb2312;
	char *mixbuf;
	size_t mixcap;
	int validate;              /* UTF-8 input whose bytes are still to be checked */

	/* The window of decoded UTF-8: raw[rs..vend) not consumed yet; raw[vend..rend) read
	 * but not checked yet (an incomplete UTF-8 sequence). */
	const unsigned char *raw;
	unsigned char *own; /* raw when the reader owns the window */
	size_t cap, rend, vend, rs;
	int eof;     /* no more bytes will arrive */
	int bad;     /* the bytes at vend are invalid */
	int started; /* BOM handled */

	/* GB18030 conversion */
	iconv_t cd;
	unsigned char *in;
	size_t inlen;
	int in_eof;

	/* the current row */
	char *rowbuf;
	size_t rowcap;
	struct csv_field *f;
	size_t falloc;
	long line; /* physical line at rs */
};

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* Length of the prefix of s[0..n) made of complete, valid UTF-8 sequences. If it is
 * shorter than n, *bad says whether s[len] starts an invalid sequence (1) or an incomplete
 * one cut by the end of the buffer (0). */
static size_t utf8_scan(const unsigned char *s, size_t n, int *bad)
{
	size_t i = 0;
	*bad = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			/* ASCII fast path: 8 bytes at a time */
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			*bad = 1;
			return i;
		}
		for (size_t k = 1; k <= need; k++) {
			unsigned d;
			if (i + k >= n)
				return i; /* incomplete */
			d = s[i + k];
			if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf)) {
				*bad = 1;
				return i;
			}
		}
		i += need + 1;
	}
	return i;
}

/* ---- input ---------------------------------------------------------------------------- */

static int io_error(struct csv_reader *r, struct err *e)
{
	return err_set(e, ERR_IO, "cannot read '%s': %s", r->name, strerror(errno));
}

/* Read up to n bytes from the source; 0 at end, -1 on error (errno set). */
static ssize_t src_read(struct csv_reader *r, void *buf, size_t n)
{
	if (r->fd < 0) {
		size_t k = r->memlen - r->mempos;
		if (k > n)
			k = n;
		memcpy(buf, r->mem + r->mempos, k);
		r->mempos += k;
		return (ssize_t)k;
	}
	for (;;) {
		ssize_t k = read(r->fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		return k;
	}
}

/* Make room in the window: drop consumed bytes, grow when less than a quarter (or less
 * than 16 bytes, room for any converted character) is free. */
static void make_room(struct csv_reader *r)
{
	if (r->rs) {
		memmove(r->own, r->own + r->rs, r->rend - r->rs);
		r->rend -= r->rs;
		r->vend -= r->rs;
		r->rs = 0;
	}
	if (r->cap - r->rend < r->cap / 4 || r->cap - r->rend < 16) {
		r->cap *= 2;
		r->own = xrealloc(r->own, r->cap);
	}
	r->raw = r->own;
}

static int fill_utf8(struct csv_reader *r, struct err *e)
{
	ssize_t k = src_read(r, r->own + r->rend, r->cap - r->rend);
	if (k < 0)
		return io_error(r, e);
	if (k == 0)
		r->eof = 1;
	r->rend += (size_t)k;
	if (!r->validate) {
		r->vend = r->rend;
	} else {
		int bad;
		r->vend += utf8_scan(r->raw + r->vend, r->rend - r->vend, &bad);
		if (bad || (r->eof && r->vend < r->rend))
			r->bad = 1;
	}
	return 0;
}

static int fill_gb(struct csv_reader *r, struct err *e)
{
	size_t before = r->rend;
	while (r->rend == before && !r->eof && !r->bad) {
		char *ip, *op;
		size_t il, ol;
		if (r->inlen < CHUNK && !r->in_eof) {
			ssize_t k = src_read(r, r->in + r->inlen, CHUNK - r->inlen);
			if (k < 0)
				return io_error(r, e);
			if (k == 0)
				r->in_eof = 1;
			r->inlen += (size_t)k;
		}
		if (!r->inlen) {
			r->eof = 1;
			break;
		}
		ip = (char *)r->in;
		il = r->inlen;
		op = (char *)r->own + r->rend;
		ol = r->cap - r->rend;
		if (iconv(r->cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == EILSEQ || (errno == EINVAL && r->in_eof))
				r->bad = 1;
			else if (errno != EINVAL && errno != E2BIG)
				return io_error(r, e);
		}
		r->rend = (size_t)((unsigned char *)op - r->own);
		memmove(r->in, ip, il);
		r->inlen = il;
		if (!il && r->in_eof)
			r->eof = 1;
	}
	r->vend = r->rend;
	return 0;
}

/* Read more input into the window. */
static int refill(struct csv_reader *r, struct err *e)
{
	make_room(r);
	return r->enc == CSV_ENC_GB18030 ? fill_gb(r, e) : fill_utf8(r, e);
}

/* ---- open/close ----------------------------------------------------------------------- */

static struct csv_reader *reader_new(const char *name, enum csv_encoding enc)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(name);
	r->fd = -1;
	r->enc = enc;
	r->cd = (iconv_t)-1;
	r->to_gb = r->to_gb2312 = (iconv_t)-1;
	r->bad_off = -1;
	r->line = 1;
	return r;
}

/* Decide the encoding and set up the window; the source is positioned at its start. */
static int setup(struct csv_reader *r, int has_bom, int all_utf8, struct err *e)
{
	if (r->enc == CSV_ENC_AUTO) {
		if (all_utf8) {
			r->enc = CSV_ENC_UTF8;
		} else if (has_bom) {
			r->enc = CSV_ENC_UTF8;
			r->validate = 1;
		} else {
			r->enc = CSV_ENC_GB18030;
			r->auto_detected = 1;
			r->to_gb = iconv_open("GB18030", "UTF-8");
			r->to_gb2312 = iconv_open("GB2312", "UTF-8");
		}
	} else if (r->enc == CSV_ENC_UTF8) {
		r->validate = 1;
	}
	if (r->enc == CSV_ENC_GB18030) {
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1)
			return err_set(e, ERR_IO, "cannot convert '%s' from GB18030: %s", r->name,
				       strerror(errno));
		r->in = xmalloc(CHUNK);
	}
	if (r->fd < 0 && r->enc == CSV_ENC_UTF8) {
		/* memory UTF-8 input is read in place */
		int bad = 0;
		r->raw = r->mem;
		r->rend = r->memlen;
		r->vend = r->validate ? utf8_scan(r->mem, r->memlen, &bad) : r->memlen;
		r->bad = r->vend < r->memlen;
		r->eof = 1;
		r->mempos = r->memlen;
	} else {
		r->cap = CHUNK;
		r->own = xmalloc(r->cap);
		r->raw = r->own;
	}
	return 0;
}

static int has_bom(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
}

struct csv_reader *csv_open_mem(const char *data, size_t len, const char *name,
				enum csv_encoding enc, struct err *e)
{
	struct csv_reader *r = reader_new(name, enc);
	int bom = has_bom((const unsigned char *)data, len), all = 0;
	r->mem = (const unsigned char *)data;
	r->memlen = len;
	if (enc == CSV_ENC_AUTO && !bom) {
		int bad;
		size_t ok = utf8_scan(r->mem, len, &bad);
		all = ok == len;
		r->bad_off = all ? -1 : (long long)ok;
	}
	if (setup(r, bom, all, e) < 0) {
		csv_close(r);
		return NULL;
	}
	return r;
}

/* The detection pass over a file descriptor: is it all UTF-8, does it start with a BOM?
 * When copy_fd >= 0 every byte read (read(2)) is also written there; otherwise the file is
 * regular and read with pread(2), so its offset stays at 0 for the second pass (and
 * /proc/PID/fdinfo shows the progress of the real reading only). */
static int detect_fd(struct csv_reader *r, int copy_fd, int *bom, int *all, struct err *e)
{
	unsigned char *b = xmalloc(CHUNK);
	unsigned char head[3];
	size_t have = 0, nhead = 0;
	off_t off = 0, done = 0; /* done: bytes before b[0] */
	int bad = 0, ret = 0;
	*bom = 0;
	*all = 1;
	for (;;) {
		size_t ok;
		ssize_t k = copy_fd >= 0 ? read(r->fd, b + have, CHUNK - have)
					 : pread(r->fd, b + have, CHUNK - have, off);
		if (k > 0)
			off += k;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			ret = io_error(r, e);
			break;
		}
		if (copy_fd >= 0 && k > 0) {
			const unsigned char *p = b + have;
			size_t left = (size_t)k;
			while (left) {
				ssize_t w = write(copy_fd, p, left);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					ret = err_set(e, ERR_IO, "cannot buffer '%s' in a temporary file: %s",
						      r->name, strerror(errno));
					goto out;
				}
				p += w;
				left -= (size_t)w;
			}
		}
		for (size_t i = 0; nhead < 3 && i < (size_t)k; i++)
			head[nhead++] = b[have + i];
		*bom = has_bom(head, nhead);
		have += (size_t)k;
		if (k == 0) {
			if (*all && have) {
				*all = 0; /* truncated sequence at the end */
				r->bad_off = (long long)done;
			}
			break;
		}
		if (*all) {
			ok = utf8_scan(b, have, &bad);
			if (bad) {
				*all = 0;
				r->bad_off = (long long)(done + (off_t)ok);
				if (copy_fd < 0)
					break; /* the answer is known; no need to read on */
			}
			memmove(b, b + ok, have - ok);
			have -= ok;
			done += (off_t)ok;
		} else {
			have = 0;
		}
	}
out:
	free(b);
	return ret;
}

struct csv_reader *csv_open(const char *path, enum csv_encoding enc, struct err *e)
{
	struct csv_reader *r;
	struct stat st;
	int bom = 0, all = 0;
	int is_stdin = !strcmp(path, "-");

	r = reader_new(is_stdin ? "<stdin>" : path, enc);
	if (is_stdin) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
			goto fail;
		}
		r->own_fd = 1;
	}
	if (fstat(r->fd, &st) < 0) {
		io_error(r, e);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, ERR_IO, "cannot read '%s': is a directory", r->name);
		goto fail;
	}
	if (enc == CSV_ENC_AUTO) {
		if (S_ISREG(st.st_mode) && lseek(r->fd, 0, SEEK_CUR) == 0) {
			if (detect_fd(r, -1, &bom, &all, e) < 0)
				goto fail;
		} else {
			/* stdin or a pipe: keep a copy in an unlinked temporary file */
			FILE *tmp = tmpfile();
			int tfd;
			if (!tmp) {
				err_set(e, ERR_IO, "cannot buffer '%s' in a temporary file: %s",
					r->name, strerror(errno));
				goto fail;
			}
			tfd = dup(fileno(tmp));
			fclose(tmp);
			if (tfd < 0) {
				io_error(r, e);
				goto fail;
			}
			if (detect_fd(r, tfd, &bom, &all, e) < 0 || lseek(tfd, 0, SEEK_SET) < 0) {
				if (!e->code)
					io_error(r, e);
				close(tfd);
				goto fail;
			}
			if (r->own_fd)
				close(r->fd);
			r->fd = tfd;
			r->own_fd = 1;
		}
	}
	if (setup(r, bom, all, e) < 0)
		goto fail;
	return r;
fail:
	csv_close(r);
	return NULL;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->to_gb != (iconv_t)-1)
		iconv_close(r->to_gb);
	if (r->to_gb2312 != (iconv_t)-1)
		iconv_close(r->to_gb2312);
	free(r->mixbuf);
	free(r->in);
	free(r->own);
	free(r->rowbuf);
	free(r->f);
	free(r->name);
	free(r);
}

enum csv_encoding csv_detected_encoding(const struct csv_reader *r) { return r->enc; }

/* ---- parsing -------------------------------------------------------------------------- */

/* Bytes that end an unquoted field or are an error in it. A NUL byte is never text: it
 * means UTF-16 (or a binary file), which would otherwise pass as "valid UTF-8". */
static const unsigned char special[256] = {
	['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1, ['\0'] = 1,
};
/* Bytes that stop the copy loop inside a quoted field. */
static const unsigned char qspecial[256] = {
	['\n'] = 1, ['\r'] = 1, ['"'] = 1, ['\0'] = 1,
};
#define NUL_MSG "unexpected NUL byte (UTF-16 is not supported: save as UTF-8 or GB18030)"

/* Column (1-based, in characters) of byte p on the line starting at byte ls. */
static long col_of(const unsigned char *b, size_t ls, size_t p)
{
	long col = 1;
	for (size_t i = ls; i < p; i++)
		col += (b[i] & 0xc0) != 0x80;
	return col;
}

static int parse_error(struct csv_reader *r, struct err *e, long line, size_t ls, size_t p,
		       const char *msg)
{
	return err_set(e, ERR_DATA, "%s:%ld:%ld: %s", r->name, line, col_of(r->raw, ls, p), msg);
}

static int invalid_bytes(struct csv_reader *r, struct err *e, long line, size_t ls, size_t p)
{
	const char *m = r->auto_detected ? "invalid byte sequence (neither UTF-8 nor GB18030)"
		: r->enc == CSV_ENC_GB18030 ? "invalid byte sequence (not GB18030)"
					    : "invalid byte sequence (not UTF-8)";
	return parse_error(r, e, line, ls, p, m);
}

/* Parse one record starting at r->rs. Returns 1 (row filled), 0 (end of input),
 * NEED_MORE (the window ends inside the record and more input may come) or an error. */
static int parse_record(struct csv_reader *r, struct csv_row *row, struct err *e)
{
	const unsigned char *b = r->raw;
	size_t end = r->vend, p = r->rs, ls;
	int more = !r->eof && !r->bad;
	size_t nf = 0, out = 0, rstart;
	long line;
	char *o;

	/* skip completely empty lines */
	for (;;) {
		if (p >= end) {
			if (more)
				return NEED_MORE;
			if (r->bad)
				return invalid_bytes(r, e, r->line, p, p);
			return 0;
		}
		if (b[p] == '\n') {
			p++;
		} else if (b[p] == '\r') {
			if (p + 1 >= end && more)
				return NEED_MORE;
			p++;
			if (p < end && b[p] == '\n')
				p++;
		} else {
			break;
		}
		r->line++;
		r->rs = p;
	}

	/* the row's text is never longer than twice the window's remaining bytes */
	if (r->rowcap < 2 * (end - p) + 2) {
		r->rowcap = 2 * (end - p) + 2;
		if (r->rowcap < CHUNK)
			r->rowcap = CHUNK;
		free(r->rowbuf);
		r->rowbuf = xmalloc(r->rowcap);
	}
	o = r->rowbuf;
	line = r->line;
	ls = p;
	rstart = p;

	for (;;) {
		size_t q, fstart = p, fls = ls;
		long fline = line;
		int quoted;
		if (nf == MAX_FIELDS)
			return parse_error(r, e, line, ls, p, "more than 16384 fields (a spreadsheet's "
					   "last column is XFD)");
		ALLOC_GROW(r->f, nf + 1, r->falloc);
		r->f[nf].s = o + out;
		quoted = p < end && b[p] == '"';
		if (quoted) {
			size_t qpos = p, qls = ls;
			long qline = line;
			p++;
			for (;;) {
				q = p;
				while (q < end && !qspecial[b[q]])
					q++;
				memcpy(o + out, b + p, q - p);
				out += q - p;
				p = q;
				if (p >= end) {
					if (more)
						return NEED_MORE;
					if (r->bad)
						return invalid_bytes(r, e, line, ls, p);
					return parse_error(r, e, qline, qls, qpos,
							   "unterminated quoted field");
				}
				if (b[p] == '"') {
					if (p + 1 >= end && more)
						return NEED_MORE;
					if (p + 1 < end && b[p + 1] == '"') {
						o[out++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (!b[p])
					return parse_error(r, e, line, ls, p, NUL_MSG);
				/* a line break inside the quotes is part of the field */
				if (b[p] == '\r') {
					if (p + 1 >= end && more)
						return NEED_MORE;
					o[out++] = '\r';
					p++;
					if (p < end && b[p] == '\n')
						o[out++] = (char)b[p++];
				} else {
					o[out++] = '\n';
					p++;
				}
				line++;
				ls = p;
			}
		} else {
			q = p;
			while (q < end && !special[b[q]])
				q++;
			memcpy(o + out, b + p, q - p);
			out += q - p;
			p = q;
		}
		r->f[nf].len = (size_t)(o + out - r->f[nf].s);
		if (r->f[nf].len > MAX_FIELD_CHARS) {
			size_t chars = 0;
			for (size_t i = 0; i < r->f[nf].len; i++)
				chars += ((unsigned char)r->f[nf].s[i] & 0xc0) != 0x80;
			if (chars > MAX_FIELD_CHARS)
				return parse_error(r, e, fline, fls, fstart, "field longer than 32767 "
						   "characters (a spreadsheet cell's limit)");
		}
		o[out++] = '\0';
		nf++;
		if (p >= end) {
			if (more)
				return NEED_MORE;
			if (r->bad)
				return invalid_bytes(r, e, line, ls, p);
			break;
		}
		if (b[p] == ',') {
			p++;
			continue;
		}
		if (b[p] == '\n' || b[p] == '\r')
			break;
		if (quoted)
			return parse_error(r, e, line, ls, p,
					   "unexpected character after closing quote");
		if (b[p] == '"')
			return parse_error(r, e, line, ls, p, "unexpected quote in unquoted field");
		return parse_error(r, e, line, ls, p, NUL_MSG); /* the only other special byte */
	}

	if (p - rstart > (size_t)MAX_RECORD_BYTES)
		return err_set(e, ERR_DATA, "%s:%ld: a record longer than 64 MiB", r->name, r->line);
	/* consume the line terminator */
	if (p < end) {
		if (b[p] == '\r') {
			if (p + 1 >= end && more)
				return NEED_MORE;
			p++;
			if (p < end && b[p] == '\n')
				p++;
		} else {
			p++;
		}
		line++;
	}
	row->f = r->f;
	row->nfields = nf;
	row->line = r->line;
	r->line = line;
	r->rs = p;
	return 1;
}

/* Line number of source offset off (the first byte that is not UTF-8). */
static long line_at(struct csv_reader *r, long long off)
{
	long line = 1;
	if (r->fd < 0) {
		for (long long i = 0; i < off && (size_t)i < r->memlen; i++)
			line += r->mem[i] == '\n';
	} else {
		unsigned char b[4096];
		long long at = 0;
		while (at < off) {
			size_t want = off - at < (long long)sizeof(b) ? (size_t)(off - at) : sizeof(b);
			ssize_t k = pread(r->fd, b, want, (off_t)at);
			if (k <= 0)
				break;
			for (ssize_t i = 0; i < k; i++)
				line += b[i] == '\n';
			at += k;
		}
	}
	return line;
}

/* Convert s[0..n) with cd into r->mixbuf; the converted length, or -1 when some character
 * cannot be converted. */
static long convert(struct csv_reader *r, iconv_t cd, const unsigned char *s, size_t n)
{
	char *ip = (char *)s, *op;
	size_t il = n, ol;
	if (r->mixcap < 4 * n + 16) {
		r->mixcap = 4 * n + 16;
		r->mixbuf = xrealloc(r->mixbuf, r->mixcap);
	}
	op = r->mixbuf;
	ol = r->mixcap;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return -1;
	return (long)(op - r->mixbuf);
}

/* Is the record text s[0..n) (decoded from GB18030) a UTF-8 line misread? See the top. */
static int mixed_line(struct csv_reader *r, const unsigned char *s, size_t n)
{
	size_t i = 0;
	long k;
	int bad, cjk = 0;
	while (i < n && s[i] < 0x80)
		i++;
	if (i == n || r->to_gb == (iconv_t)-1 || r->to_gb2312 == (iconv_t)-1)
		return 0;
	if ((k = convert(r, r->to_gb, s, n)) < 0 ||
	    utf8_scan((unsigned char *)r->mixbuf, (size_t)k, &bad) != (size_t)k)
		return 0; /* its bytes are not UTF-8: a GB18030 line */
	for (long j = 0; j < k; j++)
		if ((unsigned char)r->mixbuf[j] >= 0xe4 && (unsigned char)r->mixbuf[j] <= 0xe9)
			cjk = 1;
	return cjk && convert(r, r->to_gb2312, s, n) < 0;
}

int csv_read(struct csv_reader *r, struct csv_row *row, struct err *e)
{
	int ret;
	if (!r->started) {
		/* strip a UTF-8 BOM (also one that GB18030 input decodes to) */
		while (r->vend < 3 && !r->eof && !r->bad)
			if ((ret = refill(r, e)) < 0)
				return ret;
		if (has_bom(r->raw, r->vend))
			r->rs = 3;
		r->started = 1;
	}
	while ((ret = parse_record(r, row, e)) == NEED_MORE) {
		if (r->vend - r->rs > (size_t)MAX_RECORD_BYTES) /* stop reading early */
			return err_set(e, ERR_DATA, "%s:%ld: a record longer than 64 MiB", r->name,
				       r->line);
		if ((ret = refill(r, e)) < 0)
			return ret;
	}
	if (ret == 1 && r->auto_detected) {
		/* the fields lie one after the other in rowbuf, each NUL-terminated */
		size_t len = 0;
		for (size_t f = 0; f < row->nfields; f++)
			len += row->f[f].len + 1;
		if (mixed_line(r, (const unsigned char *)row->f[0].s, len))
			return err_set(e, ERR_DATA, "%s:%ld: this line is UTF-8, but line %ld is not: "
				       "the file mixes UTF-8 and GB18030; save it in one encoding",
				       r->name, row->line, line_at(r, r->bad_off));
	}
	return ret;
}
