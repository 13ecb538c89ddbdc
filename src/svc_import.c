/* svc_import.c: an import as one audited write: the file's rows (import.c) and the audit
 * entry naming the file, its SHA-256 and the counts commit together or not at all. Used by
 * `eduhq import`, `eduhq demo` and the API's upload. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "audit.h"
#include "import.h"
#include "store.h"
#include "svc.h"
#include "table.h"
#include "banned.h"

/* hex SHA-256 of a file, "" when unreadable */
static void file_sha256(const char *path, char out[crypto_hash_sha256_BYTES * 2 + 1])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES], buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	out[0] = '\0';
	if (!f)
		return;
	crypto_hash_sha256_init(&st);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_hash_sha256_update(&st, buf, n);
	fclose(f);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, crypto_hash_sha256_BYTES * 2 + 1, h, sizeof(h));
}

int svc_import(struct store *s, const struct table *t, const struct import_opts *o,
	       const char *name, const struct actor *who, struct import_result *r, struct err *e)
{
	char sha[crypto_hash_sha256_BYTES * 2 + 1], *after;
	json_t *j;
	int rc;

	if (o->dry_run) /* changes nothing: nothing to record */
		return import_file(s, t, o, r, e);
	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "cannot initialise libsodium");
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	if ((rc = import_file(s, t, o, r, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	file_sha256(o->path, sha);
	j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", name, "sha256", sha, "rows",
		      (json_int_t)r->rows, "inserted", (json_int_t)r->inserted, "updated",
		      (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged);
	if (r->nkeys >= 0) { /* the rows, when few (struct import_result), all or none */
		json_t *keys = json_array();
		long i = 0;
		while (i < r->nkeys && json_array_append_new(keys, json_string(r->keys[i])) == 0)
			i++;
		if (i == r->nkeys)
			json_object_set_new(j, "keys", keys);
		else
			json_decref(keys);
	}
	after = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	rc = audit_write(s, who, "import", t->name, name, NULL, after, e);
	free(after);
	if (rc < 0 || (rc = store_commit(s, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}
