/* import_internal.h: what import.c (reading, validating) and import_write.c (the writer
 * thread) share: the per-import state. Not an interface for other modules. */
#ifndef IMPORT_INTERNAL_H
#define IMPORT_INTERNAL_H

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "idhash.h"
#include "import.h"
#include "table.h"

struct store_stmt;
struct wq;
struct wbatch;

/* A hash set of key strings; line: 0 = already in the database, >0 = first line in the file. */
struct kent {
	const char *k;
	uint64_t h;
	long line;
};

struct kset {
	struct kent *e;
	size_t n, cap;
};

/* A row waiting in a run (import_write.c): its key, and where its encoding is in m->run. */
struct runrow {
	const char *key;
	size_t off, len;
};

struct fk {
	int ncols;
	int col[4];          /* column indexes in the table */
	const char *ref_table;
	const char *ref_cols[4];
	int self;            /* references the table being imported */
	struct kset set;     /* keys known to exist (all of them once loaded) */
	struct store_stmt *probe; /* while probing: is this key stored? */
};

struct imp {
	const struct table *t;
	const struct import_opts *o;
	struct import_result *r;
	struct store *s;
	struct arena a;
	int nhdr;
	int *map;            /* header field -> column index, -1 ignored */
	const char **hname;  /* header field as written, per column index (NULL absent) */
	int *present;        /* per column: 1 if in the file or derived from one */
	int id_col, hash_col, mask_col; /* teacher: id_number, id_hash, id_masked */
	struct idhash_key idkey;
	int have_key;
	int hash_checked;    /* the first hash was compared with idhash_hash() */
	crypto_generichash_state hs0; /* BLAKE2b keyed with idkey, before any input */
	struct buf *cb;      /* canonical value per column */
	const char **vals;   /* per column: canonical value or NULL (empty, no default) */
	int key[8], nkey;
	const char *keyname[8]; /* the key columns' names */
	struct kset keys;    /* natural keys: in the database (line 0) or in the file */
	/* Loading an empty table from a file in ascending key order (the usual bulk case),
	 * keys cannot repeat: they are only listed (asc_k, asc_line), and put into `keys`
	 * when the first key out of order arrives. */
	int asc;
	const char **asc_k;
	long *asc_line;
	size_t nasc, capasc;
	/* Once the keys are out of order (on the same bulk path, and with no foreign key
	 * into the table itself), rows go to the writer in runs sorted by key: a B-tree
	 * takes sorted keys much faster than random ones. */
	int sorting;
	struct buf run;      /* the rows of the current run, encoded as in a batch */
	struct runrow *rr;
	size_t nrr, caprr;
	struct fk *fks;
	int nfks;
	struct store_stmt *ins, *upd;
	struct store_stmt *insn; /* IMPORT_MULTI rows at once (store_multi_insert_sql), or NULL */
	int copy;            /* new rows are streamed (store_copy_*) instead of inserted */
	int *bindcol;        /* SQL parameter i+1 -> column index */
	int nbind;
	int writing;         /* still writing (no error so far) */
	int xlsx;            /* reading a worksheet */
	struct wq *q;        /* rows on their way to the writer thread */
	pthread_t writer;
	int writer_on;       /* the writer thread is running */
	/* Rows left to check by seeking their keys in the database (IMPORT_PROBE_ROWS)
	 * before every stored key is loaded into `keys` and the foreign keys' sets; 0 once
	 * loaded. The writer starts only then: nothing else uses the connection meanwhile. */
	long probing;
	struct store_stmt *probe; /* is this natural key stored? (NULL: empty, or loaded) */
	struct wbatch *cur;  /* the batch being filled */
	struct buf kb, msg;
	/* A scoped caller (import_opts scope_area/scope_school; import_scope.c): */
	int scoped;
	int scope_col;       /* the column whose value places a row in a scope */
	const char *scope_noun; /* what that value names: area, school, teacher */
	struct kset scope_vals; /* the values in the scope */
	struct kset scope_own;  /* the stored keys of the table in the scope */
	int times;           /* EDUHQ_IMPORT_TIMES: print each phase's time */
	struct timespec t0, c0;
};


/* A file's first rows are checked against the stored keys by an index seek each, not by
 * loading every stored key first: a one-row update of the province's 958,096 teachers
 * would spend nearly a second loading them. Past this many rows, loading is cheaper. */
#define IMPORT_PROBE_ROWS 16384

/* New rows are inserted IMPORT_MULTI at a time (one statement run per chunk, not per row). */
#define IMPORT_MULTI 16

/* Find key k; if absent and add, insert it (copied into a, or k itself when a is NULL: then
 * k must be NUL-terminated and outlive the set) with `line`. Returns the entry or NULL when
 * absent and not added. *added tells whether it was inserted now. */
struct kent *kset_get(struct kset *ks, struct arena *a, const char *k, size_t n, int add,
		      long line, int *added);

/* The scope of a scoped caller (import_scope.c). setup loads the sets (no-op when the
 * caller is not scoped); value: 1 with *col and msg set when the row in m->vals is outside
 * the scope; stored: 1 with msg set when the stored row of key (as in m->keys) is. */
int import_scope_setup(struct imp *m, struct err *e);
int import_scope_value(struct imp *m, int *col, struct buf *msg);
int import_scope_stored(struct imp *m, const char *key, struct buf *msg);

/* The writer thread (import_write.c): open its queue, hand it validated rows (m->vals),
 * start it (rows wait in the queue until then: no more than IMPORT_PROBE_ROWS), then flush
 * and join it (starting it first if need be); a database failure is merged into m->r's
 * errors by line. */
void import_wq_open(struct imp *m);
/* key: the row's natural key as in m->keys, valid until the import ends. */
void import_queue_row(struct imp *m, long line, int existed, const char *key);
void import_wq_run(struct imp *m);
void import_wq_finish(struct imp *m);
void import_wq_free(struct wq *q);

#endif
