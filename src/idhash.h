/* idhash.h: personal ID numbers (身份证号) are never stored or printed in clear.
 *
 * A keyed BLAKE2b hash (libsodium crypto_generichash) identifies a person; the key lives in a
 * separate file (mode 0600), never in the database, so a copied database alone does not let
 * anyone test guesses. The masked form keeps the 6-digit area and the last 4 characters. */
#ifndef IDHASH_H
#define IDHASH_H

#include <stddef.h>

#include "err.h"

#define IDHASH_KEY_BYTES 32
#define IDHASH_HEX_LEN 32 /* 16-byte hash as hex */

struct idhash_key {
	unsigned char key[IDHASH_KEY_BYTES];
};

/* Key file path for a database: $EDUHQ_KEY_FILE if set, else DB_PATH + ".key". New string. */
char *idhash_key_path(const char *db_path);
/* Create a new random key file (mode 0600, refuses to overwrite). */
int idhash_key_create(const char *path, struct err *e);
/* Load the key; error if missing, unreadable, malformed or readable by others. */
int idhash_key_load(struct idhash_key *k, const char *path, struct err *e);

/* A database records the identifier of its key (meta key_id, written by `eduhq init`), so
 * that a key file of another database is refused instead of silently hashing every ID
 * differently. The identifier is a keyed hash of a constant: it tells keys apart without
 * revealing anything about the key. out: IDHASH_KEY_ID_LEN + 1 bytes of hex. */
#define IDHASH_KEY_ID_LEN 16
void idhash_key_id(const struct idhash_key *k, char *out);
/* The identifier of the key in file kpath (loaded and forgotten). */
int idhash_key_file_id(const char *kpath, char *out, struct err *e);
/* 0 when k's identifier is `recorded`; else ERR_DATA naming the key file and database. */
int idhash_key_match(const struct idhash_key *k, const char *recorded, const char *kpath,
		     const char *db_path, struct err *e);

/* out: IDHASH_HEX_LEN + 1 bytes. id is normalised (upper-case X) before hashing. */
void idhash_hash(const struct idhash_key *k, const char *id, char *out);
/* out: at least 19 bytes: "330102********123X". */
void idhash_mask(const char *id, char *out);

#endif
