/* cmd/init.c: `eduhq init`: create an empty database with the schema, the national and city
 * rule defaults, and the ID-hash key file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "idhash.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = { "eduhq init [--db PATH] [--key-file PATH]", NULL };

/* The database records which key it belongs to (see idhash.h). */
static int record_key_id(struct store *s, const char *kpath, struct err *e)
{
	char id[IDHASH_KEY_ID_LEN + 1];
	int rc = idhash_key_file_id(kpath, id, e);
	return rc < 0 ? rc : store_meta_set(s, "key_id", id, e);
}

struct store *cmd_create_db(const char *db_path, const char *kpath, struct err *e)
{
	struct store *s;
	int new_key = access(kpath, F_OK) != 0;
	if (new_key && idhash_key_create(kpath, e) < 0)
		return NULL;
	s = store_open(db_path, STORE_CREATE, e);
	if (!s || rules_seed(s, e) < 0 || record_key_id(s, kpath, e) < 0) {
		store_close(s);
		store_remove(db_path);
		if (new_key) /* leave nothing behind: a later init makes a fresh key */
			unlink(kpath);
		return NULL;
	}
	return s;
}

int cmd_init(struct ctx *c, int argc, const char **argv)
{
	const char *key_file = NULL;
	struct opt opts[] = {
		OPT_STRING("key-file", &key_file, "PATH",
			   "where to create the ID-hash key (default $EDUHQ_KEY_FILE, else DB.key)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct store *s;
	char *kpath;

	opt_parse_none(c, argc, argv, opts, usage);
	if (store_exists(c->db_path)) {
		err_set(&e, ERR_DATA, "database '%s' already exists", c->db_path);
		return cmd_error(&e);
	}
	kpath = key_file ? xstrdup(key_file) : idhash_key_path(c->db_path);
	s = cmd_create_db(c->db_path, kpath, &e);
	if (!s) {
		free(kpath);
		return cmd_error(&e);
	}
	printf("initialised '%s' (schema version %d); ID-hash key in '%s'\n", c->db_path,
	       store_schema_version(s), kpath);
	store_close(s);
	free(kpath);
	return 0;
}
