/* table.h: the declarative registry of every importable table (SPEC §5.2, ENGINEERING
 * "tables, not chains").
 *
 * One `struct table` per registry table of schema.sql says: its Chinese name, its natural
 * key, and per column the canonical English name (= the SQL column), the Chinese label a
 * 教育统计 user knows, the type, whether it is required, allowed values (with Chinese
 * meanings), range, format validator, foreign key and a one-line meaning. Import, export,
 * validation, --help and docs/data-dictionary.md are all driven by it.
 *
 * The teacher table is special: its import column `id_number` (身份证号, TCOL_VIRTUAL) is
 * not stored; it becomes id_hash + id_masked (TCOL_DERIVED). A file may instead carry
 * id_hash + id_masked (a restore from an export, which requires the same key file). */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>

struct buf;

enum col_type { COL_TEXT, COL_INT, COL_REAL, COL_DATE, COL_BOOL, COL_ENUM };

enum col_check {
	CHK_NONE,
	CHK_SCHOOL_CODE, /* 学校标识码, 10 digits */
	CHK_AREA_CODE,   /* 6, 9 or 12 digits */
	CHK_ID_NUMBER,   /* 身份证号, GB 11643 */
	CHK_CREDIT_CODE, /* 统一社会信用代码, GB 32100 */
	CHK_VOC_CODE,    /* 专业代码, 6 digits */
	CHK_ID_HASH,     /* 32 lower-case hex digits */
	CHK_ID_MASKED,   /* 6 digits, 8 '*', 3 digits, check character */
};

enum col_flags {
	TCOL_REQUIRED = 1,  /* NOT NULL without a default: must be in the file, never empty */
	TCOL_KEY = 2,       /* part of the natural key (primary key) */
	TCOL_MIN = 4,       /* value >= min */
	TCOL_MAX = 8,       /* value <= max */
	TCOL_GT = 16,       /* value > min (with TCOL_MIN) */
	TCOL_VIRTUAL = 32,  /* import-only, not an SQL column (teacher.id_number) */
	TCOL_DERIVED = 64,  /* SQL column computed from a virtual one (id_hash, id_masked) */
};

struct enum_val {
	const char *value; /* as stored */
	const char *zh;    /* Chinese meaning; also accepted on import */
};

struct column {
	const char *name;    /* canonical English name = SQL column */
	const char *zh;      /* Chinese label, accepted as header */
	enum col_type type;
	unsigned flags;
	const struct enum_val *values; /* COL_ENUM: NULL-terminated */
	double min, max;               /* with TCOL_MIN / TCOL_MAX */
	enum col_check check;
	const char *ref;     /* single-column foreign key "table.column", or NULL */
	const char *def;     /* SQL default used for an empty field, or NULL */
	const char *ge;      /* value must be >= this other column (when both present) */
	const char *le;      /* value must be <= this other column */
	const char *meaning;
};

/* A composite foreign key (single-column ones are column.ref). */
struct fkey {
	const char *cols[4];
	const char *ref_table;
	const char *ref_cols[4];
};

/* A row rule across columns. vals[i] is the canonical text of column i (NULL when absent
 * or empty). Returns NULL if fine, else a message and *col the column index to blame. */
typedef const char *(*row_check_fn)(const char *const *vals, int *col);

/* How a table's rows map to a scope (scope.h): through a column naming a school, an area,
 * or a teacher (whose scope is the school of the current posting), or not at all (city-wide
 * reference data: every role reads it, only the city administrator writes it). */
enum row_scope { RS_CITY = 0, RS_SCHOOL, RS_AREA, RS_TEACHER };

struct table {
	const char *name;
	const char *zh;
	const char *meaning;
	const struct column *cols;
	int ncols;
	const struct fkey *fks; /* composite foreign keys */
	int nfks;
	row_check_fn row_check;
	enum row_scope scope;   /* how a row maps to a scope ... */
	const char *scope_col;  /* ... through this column (not RS_CITY) */
	const char *scope_area; /* for an area scope, this area column instead (the school
				 * table: a new school is in a county by its area) */
};

extern const struct table registry_tables[];
extern const int registry_ntables;

/* The table named `name` (English or Chinese), or NULL. Borrowed, static. */
const struct table *table_find(const char *name);
/* Index of column `name` in t (English name or Chinese label), or -1. */
int table_col_index(const struct table *t, const char *name);
/* Number of key columns and their indexes in key order (idx has room for 8). */
int table_key_cols(const struct table *t, int *idx);
/* The Chinese meaning of an enum value, or NULL. */
const char *table_enum_zh(const struct column *c, const char *value);
/* Type name for docs and messages: "text", "integer", "number", "date", "0/1", "code". */
const char *table_type_name(const struct column *c);

/* ---- validation (table_validate.c) ---- */

/* One problem with a value or a row, for people (en, zh) and programs (code). */
struct row_error {
	const char *table;     /* static */
	char key[128];         /* the row's natural key as given, "a/b" ("" per value) */
	const char *column;    /* canonical column name; NULL for the row as a whole */
	const char *code;      /* static: missing, not_integer, not_number, bad_date,
				* year_range, not_bool, not_allowed, bad_code, range, order,
				* row_rule; svc_registry adds not_found, duplicate, in_use */
	char en[400];          /* "'x': not an integer" (import prefixes FILE:LINE: column C:) */
	char zh[400];          /* "学生数：'x' 不是整数" */
};

struct row_errors {
	struct row_error *v;
	size_t nr, alloc;
};
void row_errors_release(struct row_errors *l);

/* Canonical values of one row: vals[c] points into cb[c], at a default, or is NULL. */
struct table_row {
	const struct table *t;
	struct buf *cb;
	const char **vals;
};
void table_row_init(struct table_row *r, const struct table *t);
void table_row_release(struct table_row *r);

/* Validate raw value v[0..n) of column c: the canonical text goes to out and *val (out->buf,
 * the column's default when empty, or NULL). required: an empty value is an error. Returns 0
 * or -1 with err filled (err->key left as is). */
int table_check_value(const struct table *t, int c, const char *v, size_t n, int required,
		      struct buf *out, const char **val, struct row_error *err);
/* Cross-column order (column.ge/.le) of canonical vals, from column `from` on: the index of
 * the first column that breaks it (err filled), or -1. */
int table_check_cross(const struct table *t, const char *const *vals, int from,
		      struct row_error *err);
/* Validate a whole row: raw has t->ncols values by column index (NULL or "" = empty);
 * virtual columns are skipped (their derived columns are validated as given). Canonical
 * values go to out (table_row_init'ed for t); every problem is appended to errs. Returns 0
 * or ERR_DATA. */
int table_validate_row(const struct table *t, const char *const *raw, struct table_row *out,
		       struct row_errors *errs);
/* Index of canonical column `name`; BUG() when absent. */
int table_col_of(const struct table *t, const char *name);
/* Strip blanks (ASCII white space, U+3000, U+00A0) from both ends of *s[0..*n). */
void table_trim_blanks(const char **s, size_t *n);

/* Range check of canonical value v of column c (TCOL_MIN / TCOL_MAX / TCOL_GT), in
 * integers for an integer column: NULL when within, else a message written into msg
 * ("must be between 0 and 100000"). */
const char *table_check_range(const struct column *c, const char *v, char *msg, size_t n);
/* Compare two canonical values of column c: integers as integers (exact beyond 2^53),
 * numbers as numbers, anything else as text. <0, 0, >0. */
int table_cmp_values(const struct column *c, const char *a, const char *b);

/* CSV injection (OWASP): a spreadsheet runs a cell starting with = + - @ (or TAB, CR) as a
 * formula. A CSV export writes a text value starting with one of those, or with an
 * apostrophe, behind an apostrophe (the spreadsheet's "this is text" mark, not shown);
 * import drops one leading apostrophe from any value, so the round trip is exact.
 * table_csv_guard: 1 when the text value v of column c needs the apostrophe. */
int table_csv_guard(const struct column *c, const char *v);
/* The value without its leading text-mark apostrophe, if any (a suffix of v). */
const char *table_unguard(const char *v);

/* Append the Markdown data dictionary (docs/data-dictionary.md) for every table. */
void table_dictionary_md(struct buf *out);

#endif
