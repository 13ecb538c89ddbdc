/* import.h: validated import of a CSV or XLSX file into one registry table (SPEC §5.2).
 *
 * The header names columns by English name or Chinese label (table.h). Every row is
 * validated (types, ranges, enumerations, dates, check digits, foreign keys against the
 * database and earlier rows, duplicate keys); rows are upserted by natural key inside one
 * transaction that is committed only if no row had an error. Foreign keys are checked in C
 * against hash sets of the referenced keys, loaded once. */
#ifndef IMPORT_H
#define IMPORT_H

#include "buf.h"
#include "csv.h"
#include "err.h"

struct store;
struct table;

#define IMPORT_MAX_ERRORS 100

struct import_opts {
	const char *path;      /* the file; also the name used in messages */
	const char *sheet;     /* XLSX sheet name, or NULL for the first */
	enum csv_encoding enc; /* CSV only */
	int dry_run;           /* validate (and try the writes), then roll back */
	int ignore_unknown;    /* skip unknown columns instead of failing */
	/* A scoped caller (a county or school user; scope.h): every row must lie in this area
	 * subtree or at this school, and so must a stored row it replaces (NULL or "": no
	 * restriction). A row outside is an error of the file like any other. */
	const char *scope_area, *scope_school;
};

struct import_result {
	long rows;             /* data rows read (blank rows skipped) */
	long inserted, updated, unchanged;
	long nerrors;          /* all errors found */
	struct buf msgs;       /* the first IMPORT_MAX_ERRORS errors, "FILE:LINE: ...\n" each, by line */
	/* The keys of the file's rows (the key columns joined by '/', as the audit log names a
	 * row), in file order, while there are at most IMPORT_KEYS; past that NULL and nkeys
	 * -1. svc_import lists them in its audit entry: the server patches its resident facts
	 * by them (resident.c). */
	char **keys;
	long nkeys;
};
#define IMPORT_KEYS 4096

void import_result_init(struct import_result *r);
void import_result_release(struct import_result *r);

/* Import o->path into table t. Returns 0 when committed (or validated, with dry_run);
 * ERR_DATA when the file has errors (r->msgs, r->nerrors; nothing changed); another
 * negative code with e set on I/O, key-file, usage or database failure. */
int import_file(struct store *s, const struct table *t, const struct import_opts *o,
		struct import_result *r, struct err *e);

#endif
