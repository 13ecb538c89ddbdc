/* idhash.c: keyed hashing and masking of personal ID numbers, and the key file. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "idhash.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

char *idhash_key_path(const char *db_path)
{
	const char *env = getenv("EDUHQ_KEY_FILE");
	struct buf b = BUF_INIT;
	const char *name;
	if (env && *env)
		return xstrdup(env);
	if (store_is_url(db_path)) {
		/* a server database: NAME.key in the current directory, NAME the database's */
		size_t n;
		name = strrchr(db_path, '/');
		name = name && name[1] && name[1] != '?' ? name + 1 : "eduhq";
		n = strcspn(name, "?");
		buf_addf(&b, "%.*s.key", (int)n, name);
		return buf_detach(&b, NULL);
	}
	buf_addf(&b, "%s.key", db_path);
	return buf_detach(&b, NULL);
}

int idhash_key_create(const char *path, struct err *e)
{
	unsigned char key[IDHASH_KEY_BYTES];
	char hex[2 * IDHASH_KEY_BYTES + 2];
	int fd;
	ssize_t len;

	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "cannot initialise libsodium");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot create key file '%s': %s", path, strerror(errno));
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	len = (ssize_t)strlen(hex);
	hex[len++] = '\n';
	if (write(fd, hex, (size_t)len) != len || fsync(fd) < 0) {
		close(fd);
		unlink(path);
		return err_set(e, ERR_IO, "cannot write key file '%s'", path);
	}
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	close(fd);
	return 0;
}

int idhash_key_load(struct idhash_key *k, const char *path, struct err *e)
{
	char hex[2 * IDHASH_KEY_BYTES + 8];
	struct stat st;
	size_t binlen = 0;
	FILE *f;

	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "cannot initialise libsodium");
	f = fopen(path, "r");
	if (!f)
		return err_set(e, ERR_IO, "cannot open key file '%s': %s (set EDUHQ_KEY_FILE)",
			       path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
		fclose(f);
		return err_set(e, ERR_IO, "key file '%s' is readable by others; chmod 600 it", path);
	}
	if (!fgets(hex, sizeof(hex), f) ||
	    sodium_hex2bin(k->key, sizeof(k->key), hex, strcspn(hex, "\r\n"), NULL, &binlen, NULL) ||
	    binlen != sizeof(k->key)) {
		sodium_memzero(hex, sizeof(hex));
		fclose(f);
		return err_set(e, ERR_IO, "key file '%s' is malformed", path);
	}
	sodium_memzero(hex, sizeof(hex)); /* no copy of the key left on the stack */
	fclose(f);
	return 0;
}

void idhash_hash(const struct idhash_key *k, const char *id, char *out)
{
	unsigned char h[IDHASH_HEX_LEN / 2];
	char norm[64];
	size_t n = 0;
	for (; *id && n + 1 < sizeof(norm); id++)
		if (!isspace((unsigned char)*id))
			norm[n++] = (char)toupper((unsigned char)*id);
	norm[n] = '\0';
	crypto_generichash(h, sizeof(h), (const unsigned char *)norm, n, k->key, sizeof(k->key));
	sodium_bin2hex(out, IDHASH_HEX_LEN + 1, h, sizeof(h));
}

void idhash_key_id(const struct idhash_key *k, char *out)
{
	static const char what[] = "eduhq key identifier";
	unsigned char h[IDHASH_KEY_ID_LEN / 2];
	crypto_generichash(h, sizeof(h), (const unsigned char *)what, sizeof(what) - 1, k->key,
			   sizeof(k->key));
	sodium_bin2hex(out, IDHASH_KEY_ID_LEN + 1, h, sizeof(h));
}

int idhash_key_file_id(const char *kpath, char *out, struct err *e)
{
	struct idhash_key k;
	int rc = idhash_key_load(&k, kpath, e);
	if (rc == 0)
		idhash_key_id(&k, out);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* A key identifier as people read it, in groups of four ("2715-6614-9962-201c"): a run of
 * 15 digits would otherwise be masked in messages as if it were an ID number. */
static void key_id_groups(const char *id, char *out, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; id[i] && j + 2 < n; i++) {
		if (i && i % 4 == 0)
			out[j++] = '-';
		out[j++] = id[i];
	}
	out[j] = '\0';
}

int idhash_key_match(const struct idhash_key *k, const char *recorded, const char *kpath,
		     const char *db_path, struct err *e)
{
	char id[IDHASH_KEY_ID_LEN + 1], a[48], b[48];
	idhash_key_id(k, id);
	if (!strcmp(id, recorded))
		return 0;
	key_id_groups(id, a, sizeof(a));
	key_id_groups(recorded, b, sizeof(b));
	return err_set(e, ERR_DATA, "key file '%s' is not the key of database '%s' (key %s, the "
		       "database was made with key %s); set EDUHQ_KEY_FILE to its own key file",
		       kpath, db_path, a, b);
}

void idhash_mask(const char *id, char *out)
{
	size_t n = strlen(id);
	if (n != 18) {
		snprintf(out, 19, "%s", n >= 4 ? "****" : "");
		return;
	}
	snprintf(out, 19, "%.6s********%.4s", id, id + 14);
	if (out[17] == 'x')
		out[17] = 'X';
}
