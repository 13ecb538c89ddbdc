/* export.c: write a registry table as CSV (UTF-8 with BOM, or GB18030), XLSX or JSON, rows
 * ordered by natural key, to stdout or durably to a file (see export.h). */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "buf.h"
#include "export.h"
#include "idhash.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"
#include "banned.h"

/* Output sink: stdout or a temporary file that becomes `path` on success. */
struct sink {
	FILE *f;
	const char *path; /* final name, NULL for stdout */
	char *tmp;        /* temporary name */
	iconv_t cd;       /* UTF-8 -> GB18030, or (iconv_t)-1 */
	struct buf conv;
};

/* mkstemp() makes 0600 files; an export gets the mode a plain fopen() would give. */
static void set_umask_mode(int fd)
{
	mode_t u = umask(0);
	umask(u);
	if (fchmod(fd, 0666 & ~u) < 0) {
		/* keep the private mode; the data is written either way */
	}
}

static char *tmp_name_for(const char *path)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		buf_add(&b, path, (size_t)(slash - path + 1));
	buf_addf(&b, ".%s.XXXXXX", slash ? slash + 1 : path);
	return buf_detach(&b, NULL);
}

static int sink_open(struct sink *k, const char *path, int gb18030, struct err *e)
{
	memset(k, 0, sizeof(*k));
	k->cd = (iconv_t)-1;
	buf_init(&k->conv, 0);
	if (gb18030 && (k->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)
		return err_set(e, ERR_IO, "cannot convert to GB18030: %s", strerror(errno));
	if (!path) {
		k->f = stdout;
		return 0;
	}
	k->path = path;
	k->tmp = tmp_name_for(path);
	int fd = mkstemp(k->tmp);
	if (fd >= 0)
		set_umask_mode(fd);
	if (fd < 0 || !(k->f = fdopen(fd, "wb"))) {
		err_set(e, ERR_IO, "cannot create a file next to '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(k->tmp);
		k->tmp = NULL;
		return ERR_IO;
	}
	return 0;
}

/* Write b (whole rows) and empty it. */
static int sink_write(struct sink *k, struct buf *b, struct err *e)
{
	const char *p = b->buf;
	size_t n = b->len;
	if (k->cd != (iconv_t)-1) {
		char *in = b->buf, *out;
		size_t inleft = b->len, outleft;
		buf_reset(&k->conv);
		buf_grow(&k->conv, b->len * 2 + 16);
		out = k->conv.buf;
		outleft = k->conv.alloc - 1;
		if (iconv(k->cd, &in, &inleft, &out, &outleft) == (size_t)-1)
			return err_set(e, ERR_DATA, "cannot convert to GB18030: %s", strerror(errno));
		p = k->conv.buf;
		n = (size_t)(out - k->conv.buf);
	}
	if (n && fwrite(p, 1, n, k->f) != n)
		return err_set(e, ERR_IO, "cannot write '%s': %s", k->path ? k->path : "stdout", strerror(errno));
	buf_reset(b);
	return 0;
}

/* fsync the directory holding path, so that a rename into it survives a crash. */
static int sync_dir(const char *path, struct err *e)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	/* EINVAL: a file system that cannot sync a directory; nothing more to do there */
	if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
		rc = err_set(e, ERR_IO, "cannot write '%s': %s: %s", path, dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int durable_close(FILE *f, const char *tmp, const char *path, struct err *e)
{
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		fclose(f);
		unlink(tmp);
		return ERR_IO;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		return ERR_IO;
	}
	return sync_dir(path, e);
}

static int sink_close(struct sink *k, int ok, struct err *e)
{
	int rc = 0;
	if (k->cd != (iconv_t)-1)
		iconv_close(k->cd);
	buf_release(&k->conv);
	if (!k->path) {
		if (fflush(stdout) != 0 && ok)
			rc = err_set(e, ERR_IO, "cannot write stdout: %s", strerror(errno));
		return rc;
	}
	if (ok)
		rc = durable_close(k->f, k->tmp, k->path, e);
	else {
		fclose(k->f);
		unlink(k->tmp);
	}
	free(k->tmp);
	return rc;
}

int export_write_file(const char *path, const char *data, size_t len, struct err *e)
{
	struct sink k;
	struct buf b = BUF_INIT;
	int rc;
	if ((rc = sink_open(&k, path, 0, e)) < 0)
		return rc;
	buf_add(&b, data, len);
	rc = sink_write(&k, &b, e);
	buf_release(&b);
	return sink_close(&k, rc == 0, e) < 0 ? e->code : rc;
}

/* The shortest text that reads back as the same double. */
static void add_real(struct buf *b, double v)
{
	char tmp[40];
	for (int p = 15; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_adds(b, tmp);
}

/* SELECT of the stored columns in registry order, ordered by the natural key. */
static struct store_stmt *select_rows(struct store *s, const struct table *t, int *cols, int *ncols,
				      struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int key[8], nk = table_key_cols(t, key);
	*ncols = 0;
	buf_adds(&sql, "SELECT ");
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].flags & TCOL_VIRTUAL)
			continue;
		buf_addf(&sql, "%s%s", *ncols ? ", " : "", t->cols[i].name);
		cols[(*ncols)++] = i;
	}
	buf_addf(&sql, " FROM %s ORDER BY ", t->name);
	for (int k = 0; k < nk; k++)
		buf_addf(&sql, "%s%s", k ? ", " : "", t->cols[key[k]].name);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	return st;
}

#define XLSX_CELL_MAX 32767 /* characters in a cell (Excel's limit, libxlsxwriter's check) */

struct export_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *textfmt;
	lxw_row_t row;          /* the row being written (1: the first after the header) */
	const struct table *t;
	const char *name;       /* the file named in messages */
};

struct export_xlsx *export_xlsx_open(const char *file, const char *name, const struct table *t,
				     struct err *e)
{
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	struct export_xlsx *x = xcalloc(1, sizeof(*x));
	int c = 0;

	x->wb = workbook_new_opt(file, &wo);
	if (!x->wb) {
		free(x);
		err_set(e, ERR_IO, "cannot create '%s'", name);
		return NULL;
	}
	x->t = t;
	x->name = name;
	x->row = 1;
	x->ws = workbook_add_worksheet(x->wb, t->name);
	x->textfmt = workbook_add_format(x->wb);
	format_set_num_format(x->textfmt, "@");
	for (int i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & TCOL_VIRTUAL))
			worksheet_write_string(x->ws, 0, (lxw_col_t)c++, t->cols[i].name, NULL);
	return x;
}

int export_xlsx_cell(struct export_xlsx *x, int c, int col, const char *text, double num,
		     struct err *e)
{
	const struct column *cl = &x->t->cols[col];
	lxw_error le;
	if (cl->type == COL_INT || cl->type == COL_BOOL || cl->type == COL_REAL)
		le = worksheet_write_number(x->ws, x->row, (lxw_col_t)c, num, NULL);
	else
		le = worksheet_write_string(x->ws, x->row, (lxw_col_t)c, text, x->textfmt);
	/* a cell that does not fit is an error, never a silently empty cell */
	if (le == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return err_set(e, ERR_DATA, "cannot write '%s': %s has more rows than an XLSX "
			       "sheet holds (%u); use --format csv", x->name, x->t->name,
			       (unsigned)LXW_ROW_MAX - 1);
	if (le == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return err_set(e, ERR_DATA, "cannot write '%s': %s.%s on row %lu is longer "
			       "than an XLSX cell holds (%d characters); use --format csv",
			       x->name, x->t->name, cl->name, (unsigned long)x->row + 1, XLSX_CELL_MAX);
	if (le != LXW_NO_ERROR)
		return err_set(e, ERR_IO, "cannot write '%s': %s", x->name, lxw_strerror(le));
	return 0;
}

void export_xlsx_next_row(struct export_xlsx *x)
{
	x->row++;
}

int export_xlsx_close(struct export_xlsx *x, long *nrows, struct err *e)
{
	int r = 0;
	if (nrows)
		*nrows = (long)x->row - 1;
	if (workbook_close(x->wb) != LXW_NO_ERROR)
		r = e ? err_set(e, ERR_IO, "cannot write '%s'", x->name) : ERR_IO;
	free(x);
	return r;
}

int export_xlsx_vals(struct export_xlsx *x, const char *const *vals, struct err *e)
{
	const struct table *t = x->t;
	for (int i = 0, c = 0; i < t->ncols; i++) {
		if (t->cols[i].flags & TCOL_VIRTUAL)
			continue;
		if (vals[i] && export_xlsx_cell(x, c, i, vals[i], strtod(vals[i], NULL), e) < 0)
			return e->code;
		c++;
	}
	export_xlsx_next_row(x);
	return 0;
}

static int export_xlsx(struct store_stmt *st, const struct table *t, const int *cols, int n,
		       const char *path, long *nrows, struct err *e)
{
	char *tmp = tmp_name_for(path);
	struct export_xlsx *x;
	int fd = mkstemp(tmp), r;
	FILE *f;

	if (fd < 0) {
		free(tmp);
		return err_set(e, ERR_IO, "cannot create a file next to '%s': %s", path, strerror(errno));
	}
	set_umask_mode(fd);
	close(fd);
	x = export_xlsx_open(tmp, path, t, e);
	if (!x) {
		unlink(tmp);
		free(tmp);
		return e->code;
	}
	while ((r = store_step(st, e)) == 1) {
		for (int c = 0; c < n && r == 1; c++)
			if (store_column_type(st, c) != STORE_NULL &&
			    export_xlsx_cell(x, c, cols[c], store_column_text(st, c),
					     store_column_double(st, c), e) < 0)
				r = e->code;
		if (r != 1)
			break;
		export_xlsx_next_row(x);
	}
	if (export_xlsx_close(x, nrows, r < 0 ? NULL : e) < 0 && r >= 0)
		r = e->code;
	if (r < 0) {
		unlink(tmp);
		free(tmp);
		return r;
	}
	if (!(f = fopen(tmp, "rb"))) {
		err_set(e, ERR_IO, "cannot reopen '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		return ERR_IO;
	}
	r = durable_close(f, tmp, path, e);
	free(tmp);
	return r;
}

static int export_rows(struct store *s, const struct table *t, const struct export_opts *o,
		       int *cols, long *nrows, struct err *e)
{
	int n, r;
	struct store_stmt *st = select_rows(s, t, cols, &n, e);
	struct sink k;
	struct buf b = BUF_INIT, g = BUF_INIT;
	long rows = 0;

	*nrows = 0;
	if (!st)
		return e->code;
	if (o->format == EXPORT_XLSX) {
		r = export_xlsx(st, t, cols, n, o->out, nrows, e);
		store_finalize(st);
		return r;
	}
	if ((r = sink_open(&k, o->out, o->format == EXPORT_CSV && o->gb18030, e)) < 0) {
		store_finalize(st);
		return r;
	}
	if (o->format == EXPORT_CSV) {
		if (!o->gb18030)
			buf_adds(&b, "\xEF\xBB\xBF");
		for (int c = 0; c < n; c++)
			buf_addf(&b, "%s%s", c ? "," : "", t->cols[cols[c]].name);
		buf_adds(&b, "\r\n");
	} else {
		buf_adds(&b, "[");
	}
	while ((r = store_step(st, e)) == 1) {
		if (o->format == EXPORT_JSON)
			buf_adds(&b, rows ? ",\n{" : "\n{");
		for (int c = 0; c < n; c++) {
			const struct column *col = &t->cols[cols[c]];
			enum store_type ty = store_column_type(st, c);
			if (o->format == EXPORT_JSON) {
				buf_add_json_str(&b, col->name);
				buf_addch(&b, ':');
				if (ty == STORE_NULL)
					buf_adds(&b, "null");
				else if (col->type == COL_REAL)
					add_real(&b, store_column_double(st, c));
				else if (col->type == COL_INT || col->type == COL_BOOL)
					buf_adds(&b, store_column_text(st, c));
				else
					buf_add_json_str(&b, store_column_text(st, c));
				if (c + 1 < n)
					buf_addch(&b, ',');
				continue;
			}
			if (c)
				buf_addch(&b, ',');
			if (ty == STORE_NULL)
				continue;
			if (col->type == COL_REAL) {
				add_real(&b, store_column_double(st, c));
			} else {
				const char *v = store_column_text(st, c);
				if (table_csv_guard(col, v)) { /* no formula: see table.h */
					buf_reset(&g);
					buf_addch(&g, '\'');
					buf_adds(&g, v);
					v = g.buf;
				}
				buf_add_csv_field(&b, v);
			}
		}
		if (o->format == EXPORT_JSON)
			buf_addch(&b, '}');
		else
			buf_adds(&b, "\r\n");
		rows++;
		if (b.len > 65536 && (r = sink_write(&k, &b, e)) < 0)
			break;
	}
	if (r == 0 && o->format == EXPORT_JSON)
		buf_adds(&b, rows ? "\n]\n" : "]\n");
	if (r == 0)
		r = sink_write(&k, &b, e);
	store_finalize(st);
	buf_release(&b);
	buf_release(&g);
	if (sink_close(&k, r == 0, e) < 0 && r == 0)
		r = e->code;
	*nrows = rows;
	return r;
}

/* realpath() of path, or of its directory joined with its last part when it does not exist
 * yet; NULL when the directory is not there either. New string. */
static char *resolve(const char *path)
{
	char *r = realpath(path, NULL), *dir, *full;
	const char *slash = strrchr(path, '/');
	struct buf b = BUF_INIT;
	if (r)
		return r;
	dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	full = realpath(dir, NULL);
	free(dir);
	if (!full)
		return NULL;
	buf_addf(&b, "%s/%s", full, slash ? slash + 1 : path);
	free(full);
	return buf_detach(&b, NULL);
}

int export_check_target(const char *path, const char *db_path, struct err *e)
{
	struct stat st;
	int rc = 0;
	char *target;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return err_set(e, ERR_USAGE, "refusing to replace '%s': not a regular file (without "
			       "--out the export goes to stdout)", path);
	if (!db_path || !(target = resolve(path)))
		return 0;
	{
		/* the database, its WAL, shared memory and journal files, its key file */
		static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
		char *key = idhash_key_path(db_path);
		for (size_t i = 0; i <= ARRAY_SIZE(suffix) && !rc; i++) {
			struct buf b = BUF_INIT;
			char *prot;
			struct stat ps;
			if (i < ARRAY_SIZE(suffix))
				buf_addf(&b, "%s%s", db_path, suffix[i]);
			else
				buf_adds(&b, key);
			prot = resolve(b.buf);
			if ((prot && !strcmp(prot, target)) ||
			    (stat(b.buf, &ps) == 0 && stat(path, &st) == 0 && ps.st_dev == st.st_dev &&
			     ps.st_ino == st.st_ino))
				rc = err_set(e, ERR_USAGE, "refusing to overwrite '%s': it is the %s",
					     path, i == 0 ? "database" : i < ARRAY_SIZE(suffix)
					     ? "database's WAL, shared-memory or journal file"
					     : "database's ID-hash key file");
			free(prot);
			buf_release(&b);
		}
		free(key);
	}
	free(target);
	return rc;
}

int export_table(struct store *s, const struct table *t, const struct export_opts *o,
		 long *nrows, struct err *e)
{
	int *cols;
	if (o->out && export_check_target(o->out, s->path, e) < 0)
		return e->code;
	cols = xcalloc((size_t)t->ncols, sizeof(*cols)); /* the columns selected */
	int r = export_rows(s, t, o, cols, nrows, e);
	free(cols);
	return r;
}
