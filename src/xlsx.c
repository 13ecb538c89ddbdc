/* xlsx.c: read one worksheet of an XLSX workbook as rows of text (see xlsx.h), with
 * libzip for the container and expat for the XML.
 *
 * Open: xl/workbook.xml gives the sheets in order (and date1904), xl/_rels/workbook.xml.rels
 * maps a sheet's r:id to its part (relative "worksheets/sheet1.xml" as Excel writes it, or
 * absolute "/xl/worksheets/sheet1.xml" as WPS does) and names the shared-strings and styles
 * parts. The shared strings are loaded into one buffer; styles give, per cell format index,
 * whether the number format is a date. The sheet itself is streamed: expat is fed 64 KiB
 * chunks from zip_fread and suspended (XML_StopParser) at the end of each non-empty row, so
 * memory holds the shared strings and one row, never the sheet. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "buf.h"
#include "xlsx.h"
#include "xlsx_value.h"
#include "xmalloc.h"
#include "banned.h"

#define CHUNK (64 * 1024)
#define MAX_COLS 16384 /* XFD, Excel's last column */
#define MAX_ROWS 1048576 /* Excel's last row */
/* Memory stays bounded whatever the file: a cell holds at most Excel's 32767 characters,
 * a row at most 16 MiB of text, the shared strings at most 256 MiB (one shared string of
 * 1 GiB took 3 GB and the process was killed), counting 8 bytes per string. */
#define MAX_CELL_CHARS 32767
#define MAX_ROW_BYTES (16L << 20)
#define MAX_SST_BYTES (256L << 20)
/* and a bounded count of what the small parts declare (far above Excel's own limits) */
#define MAX_SHEETS 10000
#define MAX_RELS 10000
#define MAX_NUMFMTS 1000
#define MAX_XFS 65536

struct sheet_ent {
	char *name, *rid;
	int hidden; /* state="hidden" or "veryHidden" */
};

struct rel_ent {
	char *id, *target, *type;
};

struct xlsx_reader {
	char *path;
	zip_t *z;

	/* workbook */
	struct sheet_ent *sheets;
	size_t nsheets, sheets_alloc;
	struct rel_ent *rels;
	size_t nrels, rels_alloc;
	int date1904;

	/* shared strings: string i is sst.buf + sst_off[i], NUL-terminated */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, sst_alloc;

	/* styles: custom number formats, and per cellXfs index whether it is a date */
	int *fmt_id;
	char **fmt_code;
	size_t nfmt, fmt_alloc;
	unsigned char *xf_date;
	size_t nxf, xf_alloc;

	/* the sheet stream */
	char *part;
	zip_file_t *zf;
	XML_Parser xp;
	int suspended, final, done;

	/* parse state (shared by all the part parsers; each part resets what it uses) */
	int depth_rph;  /* inside <rPh> (phonetic run: not part of the text) */
	int capture;    /* collecting character data into `text` */
	int in_si, in_cellxfs, in_is;
	struct buf text;
	struct err *cb_err; /* set when a callback failed; parser stopped */
	XML_Parser cur;     /* the parser running the callbacks */
	const char *cur_name; /* and the part it reads */
	int cb_code;

	/* the current row */
	long row_num, prev_row;
	long col, prev_col, maxcol;
	char ctype[16];
	long cstyle;
	struct buf rowtext;
	struct cellpos {
		long col;
		size_t off, len;
	} *cells;
	size_t ncells, cells_alloc;
	struct csv_field *f;
	size_t falloc;
	int row_ready;
};

/* ---- helpers -------------------------------------------------------------------------- */

/* Local name of an element or attribute: "x:row" → "row", "r:id" → "id". The parsers do
 * not process namespaces (faster, and writers use the standard prefixes anyway). */
static const char *local(const char *name)
{
	const char *p = strchr(name, ':');
	return p ? p + 1 : name;
}

static const char *attr(const char **atts, const char *lname)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), lname))
			return atts[i + 1];
	return NULL;
}

/* A numeric attribute: strtol, which saturates where atol would overflow; clamped to the
 * int range so it also fits an int. */
static long num_attr(const char *s)
{
	long v = s ? strtol(s, NULL, 10) : 0;
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : v;
}

/* A callback failed: record "cannot read 'PATH': MSG" and abort the parse. */
static void cb_fail(struct xlsx_reader *r, XML_Parser p, const char *msg)
{
	if (r->cb_code)
		return;
	r->cb_code = ERR_DATA;
	err_set(r->cb_err, ERR_DATA, "cannot read '%s': %s", r->path, msg);
	XML_StopParser(p, XML_FALSE);
}

/* Refuse a part that declares more than max items ("xl/styles.xml: more than 65536 cell
 * formats"): a compressed part of a few KB can declare millions. 1 when refused. */
static int too_many(struct xlsx_reader *r, size_t n, size_t max, const char *what)
{
	char msg[160];
	if (n < max)
		return 0;
	snprintf(msg, sizeof(msg), "%s: more than %zu %s", r->cur_name, max, what);
	cb_fail(r, r->cur, msg);
	return 1;
}

/* Characters (not continuation bytes) of UTF-8 s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx_reader *r = ud;
	if (!r->capture || r->depth_rph)
		return;
	buf_add(&r->text, s, (size_t)len);
	/* bytes >= characters: count only past the limit in bytes (at most 4x it) */
	if (r->text.len > MAX_CELL_CHARS && utf8_chars(r->text.buf, r->text.len) > MAX_CELL_CHARS) {
		char msg[160];
		snprintf(msg, sizeof(msg), "%s:%lu: a cell longer than %d characters (Excel's limit)",
			 r->cur_name,
			 (unsigned long)XML_GetCurrentLineNumber(r->cur), MAX_CELL_CHARS);
		cb_fail(r, r->cur, msg);
		r->capture = 0;
	}
}

/* Parse a whole (small) part. Returns 1 parsed, 0 missing (when !required), <0 error. */
static int parse_part(struct xlsx_reader *r, const char *name, XML_StartElementHandler start,
		      XML_EndElementHandler end, int required, struct err *e)
{
	zip_file_t *zf = zip_fopen(r->z, name, ZIP_FL_NOCASE);
	XML_Parser p;
	int ret = 1;
	if (!zf) {
		if (!required)
			return 0;
		return err_set(e, ERR_DATA, "cannot read '%s': not an xlsx workbook (no %s)",
			       r->path, name);
	}
	p = XML_ParserCreate("UTF-8");
	r->cur = p;
	r->cur_name = name;
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, on_text);
	r->cb_err = e;
	r->cb_code = 0;
	r->capture = r->depth_rph = 0;
	buf_reset(&r->text);
	for (;;) {
		void *chunk = XML_GetBuffer(p, CHUNK);
		zip_int64_t n;
		if (!chunk)
			die("out of memory parsing '%s'", name);
		n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			ret = err_set(e, ERR_IO, "cannot read '%s': %s: %s", r->path, name,
				      zip_file_strerror(zf));
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (r->cb_code)
				ret = r->cb_code;
			else
				ret = err_set(e, ERR_DATA, "cannot read '%s': %s:%lu: %s", r->path,
					      name, (unsigned long)XML_GetCurrentLineNumber(p),
					      XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	zip_fclose(zf);
	return ret;
}

/* ---- workbook and relationships ------------------------------------------------------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	if (!strcmp(l, "sheet")) {
		const char *n = attr(atts, "name"), *id = attr(atts, "id");
		const char *state = attr(atts, "state");
		if (!n || !id || too_many(r, r->nsheets, MAX_SHEETS, "sheets"))
			return;
		ALLOC_GROW(r->sheets, r->nsheets + 1, r->sheets_alloc);
		r->sheets[r->nsheets].name = xstrdup(n);
		r->sheets[r->nsheets].rid = xstrdup(id);
		r->sheets[r->nsheets].hidden = state && strcmp(state, "visible");
		r->nsheets++;
	} else if (!strcmp(l, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		r->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	}
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *id, *target, *type;
	if (strcmp(local(name), "Relationship"))
		return;
	id = attr(atts, "Id");
	target = attr(atts, "Target");
	type = attr(atts, "Type");
	if (!id || !target || too_many(r, r->nrels, MAX_RELS, "relationships"))
		return;
	ALLOC_GROW(r->rels, r->nrels + 1, r->rels_alloc);
	r->rels[r->nrels].id = xstrdup(id);
	r->rels[r->nrels].target = xstrdup(target);
	r->rels[r->nrels].type = xstrdup(type ? type : "");
	r->nrels++;
}

static void no_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

/* The zip entry name of a workbook relationship target (new string). */
static char *part_name(const char *target)
{
	struct buf b = BUF_INIT;
	if (target[0] == '/') {
		buf_adds(&b, target + 1); /* absolute, as WPS writes it */
	} else {
		while (!strncmp(target, "./", 2))
			target += 2;
		if (!strncmp(target, "../", 3))
			buf_adds(&b, target + 3);
		else
			buf_addf(&b, "xl/%s", target);
	}
	return buf_detach(&b, NULL);
}

/* The part of the first relationship whose type ends with "/kind", or dflt. */
static char *rel_part(struct xlsx_reader *r, const char *kind, const char *dflt)
{
	size_t kl = strlen(kind);
	for (size_t i = 0; i < r->nrels; i++) {
		const char *t = r->rels[i].type;
		size_t tl = strlen(t);
		if (tl > kl && t[tl - kl - 1] == '/' && !strcmp(t + tl - kl, kind))
			return part_name(r->rels[i].target);
	}
	return xstrdup(dflt);
}

/* ---- shared strings ------------------------------------------------------------------- */

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	(void)atts;
	if (!strcmp(l, "si")) {
		r->in_si = 1;
		buf_reset(&r->text);
	} else if (!strcmp(l, "rPh")) {
		r->depth_rph++;
	} else if (!strcmp(l, "t") && r->in_si) {
		r->capture = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	if (!strcmp(l, "t")) {
		r->capture = 0;
	} else if (!strcmp(l, "rPh")) {
		r->depth_rph--;
	} else if (!strcmp(l, "si")) {
		if (r->sst.len + r->text.len + 8 * r->nsst >= (size_t)MAX_SST_BYTES) {
			char msg[160];
			snprintf(msg, sizeof(msg), "%s: shared strings longer than 256 MiB", r->cur_name);
			cb_fail(r, r->cur, msg);
			return;
		}
		ALLOC_GROW(r->sst_off, r->nsst + 1, r->sst_alloc);
		r->sst_off[r->nsst++] = r->sst.len;
		buf_add(&r->sst, r->text.buf, r->text.len);
		buf_addch(&r->sst, '\0');
		r->in_si = 0;
	}
}

/* ---- styles --------------------------------------------------------------------------- */

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	if (!strcmp(l, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (!id || !code || too_many(r, r->nfmt, MAX_NUMFMTS, "number formats"))
			return;
		ALLOC_GROW(r->fmt_id, r->nfmt + 1, r->fmt_alloc);
		r->fmt_code = xrealloc(r->fmt_code, r->fmt_alloc * sizeof(*r->fmt_code));
		r->fmt_id[r->nfmt] = (int)num_attr(id);
		r->fmt_code[r->nfmt] = xstrdup(code);
		r->nfmt++;
	} else if (!strcmp(l, "cellXfs")) {
		r->in_cellxfs = 1;
	} else if (!strcmp(l, "xf") && r->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");
		long fid = num_attr(id);
		int isdate = xlsx_builtin_is_date(fid);
		if (too_many(r, r->nxf, MAX_XFS, "cell formats"))
			return;
		for (size_t i = 0; i < r->nfmt; i++)
			if (r->fmt_id[i] == fid)
				isdate = xlsx_code_is_date(r->fmt_code[i]);
		ALLOC_GROW(r->xf_date, r->nxf + 1, r->xf_alloc);
		r->xf_date[r->nxf++] = (unsigned char)isdate;
	}
}

static void styles_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	if (!strcmp(local(name), "cellXfs"))
		r->in_cellxfs = 0;
}

/* ---- cell values ---------------------------------------------------------------------- */

/* The final text of the cell just ended, appended to the row. */
static void finish_cell(struct xlsx_reader *r, XML_Parser p)
{
	struct buf *t = &r->text;
	size_t off = r->rowtext.len;
	const char *ty = r->ctype;
	if (!strcmp(ty, "s")) {
		char *end;
		unsigned long i = strtoul(t->buf, &end, 10);
		if (!t->len)
			return;
		if (end == t->buf || *end || i >= r->nsst) {
			char msg[128];
			snprintf(msg, sizeof(msg), "%s: shared string index '%.40s' out of range",
				 r->part, t->buf);
			cb_fail(r, p, msg);
			return;
		}
		buf_adds(&r->rowtext, r->sst.buf + r->sst_off[i]);
	} else if (!strcmp(ty, "b")) {
		if (t->len)
			buf_adds(&r->rowtext, !strcmp(t->buf, "1") || !strcmp(t->buf, "true")
						       ? "TRUE" : "FALSE");
	} else if (!strcmp(ty, "n") || !ty[0]) {
		char *end;
		double v;
		int is_date = r->cstyle >= 0 && (size_t)r->cstyle < r->nxf && r->xf_date[r->cstyle];
		if (!t->len)
			return;
		if (!is_date && xlsx_plain_integer(t->buf, t->len)) {
			buf_add(&r->rowtext, t->buf, t->len); /* as printed: the common case, fast */
			goto stored;
		}
		v = strtod(t->buf, &end);
		if (end == t->buf || *end || !isfinite(v)) {
			buf_add(&r->rowtext, t->buf, t->len); /* not a number: keep the text */
		} else if (is_date && v >= 0 && v < (r->date1904 ? 2957004 : 2958466)) {
			/* a date up to 9999-12-31 */
			xlsx_add_date(&r->rowtext, v, r->date1904);
		} else {
			xlsx_add_number(&r->rowtext, v);
		}
	} else if (!strcmp(ty, "d")) {
		/* ISO 8601 date-time: keep the date part */
		buf_add(&r->rowtext, t->buf, t->len > 10 && t->buf[10] == 'T' ? 10 : t->len);
	} else {
		/* inlineStr, str (a formula's cached text), e (an error such as #N/A) */
		buf_add(&r->rowtext, t->buf, t->len);
	}
stored:
	if (r->rowtext.len == off)
		return; /* empty cell: a gap */
	ALLOC_GROW(r->cells, r->ncells + 1, r->cells_alloc);
	r->cells[r->ncells].col = r->col;
	r->cells[r->ncells].off = off;
	r->cells[r->ncells].len = r->rowtext.len - off;
	r->ncells++;
	buf_addch(&r->rowtext, '\0');
	if (r->col > r->maxcol)
		r->maxcol = r->col;
	if (r->rowtext.len > (size_t)MAX_ROW_BYTES) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s: row %ld longer than 16 MiB", r->part, r->row_num);
		cb_fail(r, p, msg);
	}
}

/* Column number (1-based) of a cell reference like "AB12"; 0 when it has no letters. */
static long ref_col(const char *ref)
{
	long c = 0;
	for (; *ref; ref++) {
		char ch = *ref;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			break;
		c = c * 26 + (ch - 'A' + 1);
		if (c > MAX_COLS)
			return MAX_COLS + 1;
	}
	return c;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	XML_Parser p = r->xp;
	if (!strcmp(l, "row")) {
		const char *n = attr(atts, "r");
		long num = num_attr(n);
		r->row_num = num > 0 ? num : r->prev_row + 1;
		if (r->row_num > MAX_ROWS) {
			/* also keeps prev_row + 1 from overflowing */
			char msg[128];
			snprintf(msg, sizeof(msg), "%s: row %s beyond row %d", r->part,
				 n && num > 0 ? "number" : "after the last numbered one", MAX_ROWS);
			cb_fail(r, p, msg);
			return;
		}
		r->prev_row = r->row_num;
		r->prev_col = 0;
		r->maxcol = 0;
		r->ncells = 0;
		buf_reset(&r->rowtext);
	} else if (!strcmp(l, "c")) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		long c = ref ? ref_col(ref) : 0;
		r->col = c > 0 ? c : r->prev_col + 1;
		if (r->col > MAX_COLS) {
			char msg[128];
			snprintf(msg, sizeof(msg), "%s: cell reference '%.20s' beyond column XFD",
				 r->part, ref ? ref : "?");
			cb_fail(r, p, msg);
			return;
		}
		r->prev_col = r->col;
		{
			size_t n = t ? strnlen(t, sizeof(r->ctype) - 1) : 0;
			memcpy(r->ctype, t ? t : "", n);
			r->ctype[n] = '\0';
		}
		r->cstyle = num_attr(s);
		r->in_is = 0;
		r->capture = 0;
		buf_reset(&r->text);
	} else if (!strcmp(l, "v")) {
		r->capture = 1;
	} else if (!strcmp(l, "is")) {
		r->in_is = 1;
	} else if (!strcmp(l, "t") && r->in_is) {
		r->capture = 1;
	} else if (!strcmp(l, "rPh")) {
		r->depth_rph++;
	}
}

static void sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *l = local(name);
	if (!strcmp(l, "v") || !strcmp(l, "t")) {
		r->capture = 0;
	} else if (!strcmp(l, "is")) {
		r->in_is = 0;
	} else if (!strcmp(l, "rPh")) {
		r->depth_rph--;
	} else if (!strcmp(l, "c")) {
		finish_cell(r, r->xp);
	} else if (!strcmp(l, "row")) {
		if (r->ncells && !r->cb_code) {
			r->row_ready = 1;
			XML_StopParser(r->xp, XML_TRUE);
		}
	}
}

/* ---- open/read/close ------------------------------------------------------------------ */

struct xlsx_reader *xlsx_open(const char *path, const char *sheet, struct err *e)
{
	struct xlsx_reader *r = xcalloc(1, sizeof(*r));
	const struct sheet_ent *sh = NULL;
	const char *rid;
	char *sst_part = NULL, *styles_part = NULL;
	int zerr = 0;

	r->path = xstrdup(path);
	buf_init(&r->sst, 0);
	buf_init(&r->text, 0);
	buf_init(&r->rowtext, 0);
	r->z = zip_open(path, ZIP_RDONLY, &zerr);
	if (!r->z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
			err_set(e, ERR_IO, "cannot open '%s': %s", path,
				zerr == ZIP_ER_NOENT ? strerror(ENOENT) : zip_error_strerror(&ze));
		else
			err_set(e, ERR_DATA, "cannot read '%s': not an xlsx workbook (%s)", path,
				zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	if (parse_part(r, "xl/workbook.xml", wb_start, no_end, 1, e) < 0 ||
	    parse_part(r, "xl/_rels/workbook.xml.rels", rels_start, no_end, 1, e) < 0)
		goto fail;

	if (!sheet) {
		/* the first visible sheet: a template's hidden sheets hold lists for drop-downs */
		for (size_t i = 0; !sh && i < r->nsheets; i++)
			if (!r->sheets[i].hidden)
				sh = &r->sheets[i];
		if (!sh && r->nsheets)
			sh = &r->sheets[0];
	} else {
		for (size_t i = 0; !sh && i < r->nsheets; i++)
			if (!strcmp(r->sheets[i].name, sheet))
				sh = &r->sheets[i];
		for (size_t i = 0; !sh && i < r->nsheets; i++)
			if (!strcasecmp(r->sheets[i].name, sheet))
				sh = &r->sheets[i];
	}
	if (!sh) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < r->nsheets; i++)
			buf_addf(&names, "%s%s", i ? ", " : "", r->sheets[i].name);
		if (sheet)
			err_set(e, ERR_DATA, "cannot find sheet '%s' in '%s' (sheets: %s)", sheet,
				path, names.buf);
		else
			err_set(e, ERR_DATA, "cannot find a sheet in '%s'", path);
		buf_release(&names);
		goto fail;
	}
	rid = sh->rid;
	for (size_t i = 0; i < r->nrels; i++)
		if (!strcmp(r->rels[i].id, rid))
			r->part = part_name(r->rels[i].target);
	if (!r->part) {
		err_set(e, ERR_DATA, "cannot read '%s': sheet '%s' has no part (relationship '%s')",
			path, sh->name, rid);
		goto fail;
	}

	sst_part = rel_part(r, "sharedStrings", "xl/sharedStrings.xml");
	styles_part = rel_part(r, "styles", "xl/styles.xml");
	if (parse_part(r, sst_part, sst_start, sst_end, 0, e) < 0 ||
	    parse_part(r, styles_part, styles_start, styles_end, 0, e) < 0)
		goto fail;
	free(sst_part);
	free(styles_part);
	sst_part = styles_part = NULL;

	r->zf = zip_fopen(r->z, r->part, ZIP_FL_NOCASE);
	if (!r->zf) {
		err_set(e, ERR_DATA, "cannot read '%s': not an xlsx workbook (no %s)", path, r->part);
		goto fail;
	}
	r->xp = XML_ParserCreate("UTF-8");
	r->cur = r->xp;
	r->cur_name = r->part;
	XML_SetUserData(r->xp, r);
	XML_SetElementHandler(r->xp, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(r->xp, on_text);
	r->capture = r->depth_rph = 0;
	buf_reset(&r->text);
	return r;
fail:
	free(sst_part);
	free(styles_part);
	xlsx_close(r);
	return NULL;
}

static int sheet_xml_error(struct xlsx_reader *r, struct err *e)
{
	if (r->cb_code)
		return r->cb_code;
	return err_set(e, ERR_DATA, "cannot read '%s': %s:%lu: %s", r->path, r->part,
		       (unsigned long)XML_GetCurrentLineNumber(r->xp),
		       XML_ErrorString(XML_GetErrorCode(r->xp)));
}

int xlsx_read(struct xlsx_reader *r, struct csv_row *row, struct err *e)
{
	enum XML_Status st;
	if (r->done)
		return 0;
	r->cb_err = e;
	r->cb_code = 0;
	r->row_ready = 0;
	if (r->suspended) {
		r->suspended = 0;
		st = XML_ResumeParser(r->xp);
		if (st == XML_STATUS_ERROR) {
			r->done = 1;
			return sheet_xml_error(r, e);
		}
		if (st == XML_STATUS_SUSPENDED)
			r->suspended = 1;
	}
	while (!r->row_ready) {
		void *chunk;
		zip_int64_t n;
		if (r->final) {
			r->done = 1;
			return 0;
		}
		chunk = XML_GetBuffer(r->xp, CHUNK);
		if (!chunk)
			die("out of memory parsing '%s'", r->part);
		n = zip_fread(r->zf, chunk, CHUNK);
		if (n < 0) {
			r->done = 1;
			return err_set(e, ERR_IO, "cannot read '%s': %s: %s", r->path, r->part,
				       zip_file_strerror(r->zf));
		}
		r->final = n == 0;
		st = XML_ParseBuffer(r->xp, (int)n, r->final);
		if (st == XML_STATUS_ERROR) {
			r->done = 1;
			return sheet_xml_error(r, e);
		}
		if (st == XML_STATUS_SUSPENDED)
			r->suspended = 1;
	}

	ALLOC_GROW(r->f, (size_t)r->maxcol, r->falloc);
	for (long i = 0; i < r->maxcol; i++) {
		r->f[i].s = "";
		r->f[i].len = 0;
	}
	for (size_t i = 0; i < r->ncells; i++) {
		struct csv_field *f = &r->f[r->cells[i].col - 1];
		f->s = r->rowtext.buf + r->cells[i].off;
		f->len = r->cells[i].len;
	}
	row->f = r->f;
	row->nfields = (size_t)r->maxcol;
	row->line = r->row_num;
	return 1;
}

void xlsx_close(struct xlsx_reader *r)
{
	if (!r)
		return;
	if (r->xp)
		XML_ParserFree(r->xp);
	if (r->zf)
		zip_fclose(r->zf);
	if (r->z)
		zip_discard(r->z);
	for (size_t i = 0; i < r->nsheets; i++) {
		free(r->sheets[i].name);
		free(r->sheets[i].rid);
	}
	free(r->sheets);
	for (size_t i = 0; i < r->nrels; i++) {
		free(r->rels[i].id);
		free(r->rels[i].target);
		free(r->rels[i].type);
	}
	free(r->rels);
	for (size_t i = 0; i < r->nfmt; i++)
		free(r->fmt_code[i]);
	free(r->fmt_code);
	free(r->fmt_id);
	free(r->xf_date);
	free(r->sst_off);
	buf_release(&r->sst);
	buf_release(&r->text);
	buf_release(&r->rowtext);
	free(r->cells);
	free(r->f);
	free(r->part);
	free(r->path);
	free(r);
}
