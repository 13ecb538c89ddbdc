/* audit.c: the audit log's keyed hash chain: append, verify (naming edited, inserted and
 * deleted entries) and list. See audit.h for the contract every writer follows. */
#include <pwd.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "idhash.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

#define AUDIT_HASH_BYTES 32
#define AUDIT_HASH_HEX (2 * AUDIT_HASH_BYTES + 1)
#define NFIELDS 9 /* at, user, address, action, table, key, before, after + id */

struct audit_key {
	unsigned char k[crypto_generichash_KEYBYTES];
};

/* The chain key: derived from the key file's secret, so the database alone cannot re-hash. */
static int load_key(struct store *s, struct audit_key *ak, struct err *e)
{
	struct idhash_key ik;
	char *path = idhash_key_path(s->path);
	static const char label[] = "eduhq audit chain v1";
	int rc = idhash_key_load(&ik, path, e);
	free(path);
	if (rc < 0) {
		err_prefix(e, "audit log");
		return rc;
	}
	crypto_generichash(ak->k, sizeof(ak->k), (const unsigned char *)label, sizeof(label) - 1,
			   ik.key, sizeof(ik.key));
	sodium_memzero(&ik, sizeof(ik));
	return 0;
}

static void feed(crypto_generichash_state *st, const char *v)
{
	/* length-prefixed, with NULL distinct from "" */
	unsigned char len[8];
	uint64_t n = v ? strlen(v) : UINT64_MAX;
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(st, len, sizeof(len));
	if (v)
		crypto_generichash_update(st, (const unsigned char *)v, strlen(v));
}

/* hash of entry en chained to prev (hex, "" for the first entry) */
static void entry_hash(const struct audit_key *ak, const char *prev, const struct audit_entry *en,
		       char out[AUDIT_HASH_HEX])
{
	crypto_generichash_state st;
	unsigned char h[AUDIT_HASH_BYTES];
	/* the id is not hashed: order is what the chain fixes, and an entry inserted by
	 * renumbering the later ones is then named as inserted, not as every entry after it */
	crypto_generichash_init(&st, ak->k, sizeof(ak->k), sizeof(h));
	feed(&st, prev);
	feed(&st, en->at);
	feed(&st, en->user);
	feed(&st, en->address);
	feed(&st, en->action);
	feed(&st, en->table);
	feed(&st, en->key);
	feed(&st, en->before);
	feed(&st, en->after);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, AUDIT_HASH_HEX, h, sizeof(h));
}

int audit_write_person(struct store *s, const struct actor *who, const char *action,
		       const char *table, const char *key, const char *before, const char *after,
		       struct err *e)
{
	char name[160];
	int cli = !who->from || !strcmp(who->from, "cli");
	snprintf(name, sizeof(name), "%s%s", cli ? "cli:" : "", who->name);
	return audit_append(s, name, cli ? "cli" : who->from, action, table, key, before, after, e);
}

void audit_cli_actor(char *out, size_t n)
{
	struct passwd *pw = getpwuid(getuid());
	const char *u = getenv("USER");
	if (!u || !*u)
		u = pw ? pw->pw_name : "unknown";
	snprintf(out, n, "cli:%s", u);
}

int audit_append(struct store *s, const char *actor, const char *from, const char *action,
		 const char *table, const char *key, const char *before, const char *after,
		 struct err *e)
{
	struct audit_key ak;
	struct audit_entry en = { 0 };
	struct store_stmt *st;
	char prev[AUDIT_HASH_HEX] = "", hash[AUDIT_HASH_HEX], at[32], head[128];
	long last = 0;
	int rc;

	if (load_key(s, &ak, e) < 0)
		return e->code;
	st = store_prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", e);
	if (!st)
		return e->code;
	if ((rc = store_step(st, e)) == 1) {
		last = (long)store_column_int(st, 0);
		snprintf(prev, sizeof(prev), "%s", store_column_text(st, 1));
	}
	store_finalize(st);
	if (rc < 0)
		return rc;
	date_stamp(time(NULL), at);
	en.id = last + 1;
	en.at = at;
	en.user = actor;
	en.address = from ? from : "";
	en.action = action;
	en.table = table ? table : "";
	en.key = key ? key : "";
	en.before = before;
	en.after = after;
	entry_hash(&ak, prev, &en, hash);
	sodium_memzero(&ak, sizeof(ak));

	st = store_prepare(s, "INSERT INTO audit_log(id, at, user_name, address, action, table_name, "
			      "row_key, before, after, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, en.id);
	store_bind_text(st, 2, en.at);
	store_bind_text(st, 3, en.user);
	store_bind_text(st, 4, en.address);
	store_bind_text(st, 5, en.action);
	store_bind_text(st, 6, en.table);
	store_bind_text(st, 7, en.key);
	store_bind_text(st, 8, en.before);
	store_bind_text(st, 9, en.after);
	store_bind_text(st, 10, hash);
	rc = store_step(st, e);
	store_finalize(st);
	if (rc < 0)
		return rc;
	snprintf(head, sizeof(head), "%ld %s", en.id, hash);
	return store_meta_set(s, "audit_head", head, e);
}

int audit_write(struct store *s, const struct actor *who, const char *action, const char *table,
		const char *key, const char *before, const char *after, struct err *e)
{
	return audit_append(s, who->name, who->from, action, table, key, before, after, e);
}

/* One row read for verification, owning its strings. */
struct vrow {
	int have;
	long id;
	char *f[NFIELDS]; /* at, user, address, action, table, key, before, after, hash */
};

static void vrow_clear(struct vrow *r)
{
	for (int i = 0; i < NFIELDS; i++) {
		free(r->f[i]);
		r->f[i] = NULL;
	}
	r->have = 0;
}

static int vrow_read(struct store_stmt *st, struct vrow *r, struct err *e)
{
	int rc = store_step(st, e);
	vrow_clear(r);
	if (rc != 1)
		return rc;
	r->have = 1;
	r->id = (long)store_column_int(st, 0);
	for (int i = 0; i < NFIELDS; i++) {
		const char *v = store_column_text(st, i + 1);
		r->f[i] = v ? xstrdup(v) : NULL;
	}
	return 1;
}

static void vrow_entry(const struct vrow *r, struct audit_entry *en)
{
	en->id = r->id;
	en->at = r->f[0];
	en->user = r->f[1];
	en->address = r->f[2];
	en->action = r->f[3];
	en->table = r->f[4];
	en->key = r->f[5];
	en->before = r->f[6];
	en->after = r->f[7];
	en->hash = r->f[8];
}

static int chains(const struct audit_key *ak, const char *prev, const struct vrow *r)
{
	struct audit_entry en;
	char h[AUDIT_HASH_HEX];
	if (!r->have || !r->f[8])
		return 0;
	vrow_entry(r, &en);
	entry_hash(ak, prev, &en, h);
	return !strcmp(h, r->f[8]);
}

int audit_verify(struct store *s, struct buf *report, long *n, struct err *e)
{
	struct audit_key ak;
	struct store_stmt *st;
	struct vrow cur = { 0 }, next = { 0 };
	char prev[AUDIT_HASH_HEX] = "", *head;
	long prev_id = 0, problems = 0;
	int rc;

	*n = 0;
	if (load_key(s, &ak, e) < 0)
		return e->code;
	st = store_prepare(s, "SELECT id, at, user_name, address, action, table_name, row_key, "
			      "before, after, hash FROM audit_log ORDER BY id", e);
	if (!st)
		return e->code;
	rc = vrow_read(st, &cur, e);
	if (rc > 0)
		rc = vrow_read(st, &next, e);
	while (rc >= 0 && cur.have) {
		(*n)++;
		if (cur.id != prev_id + 1) {
			if (cur.id - 1 == prev_id + 1)
				buf_addf(report, "entry %ld: deleted (the chain goes from %ld to %ld)\n",
					 prev_id + 1, prev_id, cur.id);
			else
				buf_addf(report, "entries %ld-%ld: deleted (the chain goes from %ld to %ld)\n",
					 prev_id + 1, cur.id - 1, prev_id, cur.id);
			problems++;
		} else if (!chains(&ak, prev, &cur)) {
			problems++;
			if (next.have && chains(&ak, prev, &next))
				buf_addf(report, "entry %ld: inserted (the next entry chains to the one before it)\n", cur.id);
			else
				buf_addf(report, "entry %ld: edited (its hash does not match its content)\n", cur.id);
		}
		prev_id = cur.id;
		snprintf(prev, sizeof(prev), "%s", cur.f[8] ? cur.f[8] : "");
		/* shift the window */
		vrow_clear(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
		if (cur.have)
			rc = vrow_read(st, &next, e);
	}
	vrow_clear(&cur);
	vrow_clear(&next);
	store_finalize(st);
	sodium_memzero(&ak, sizeof(ak));
	if (rc < 0)
		return rc;

	head = store_meta_get(s, "audit_head");
	{
		char want[128];
		snprintf(want, sizeof(want), "%ld %s", prev_id, prev);
		if (!head && prev_id) {
			buf_addf(report, "head: missing (meta.audit_head); the log ends at entry %ld\n", prev_id);
			problems++;
		} else if (head && strcmp(head, want)) {
			long hid = atol(head);
			if (hid > prev_id)
				buf_addf(report, "entries %ld-%ld: deleted (the recorded head is entry %ld)\n",
					 prev_id + 1, hid, hid);
			else if (hid < prev_id)
				buf_addf(report, "entries %ld-%ld: inserted after the recorded head (entry %ld)\n",
					 hid + 1, prev_id, hid);
			else
				buf_addf(report, "entry %ld: edited (its hash differs from the recorded head)\n", hid);
			problems++;
		}
	}
	free(head);
	return problems ? ERR_DATA : 0;
}

int audit_list(struct store *s, const struct audit_filter *f,
	       int (*fn)(const struct audit_entry *en, void *data), void *data, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	const char *vals[4] = { f->user, f->table, f->action, f->since };
	static const char *const conds[4] = { "user_name = ?%d", "table_name = ?%d", "action = ?%d",
					      "at >= ?%d" };
	int np = 0, rc, count = 0;

	buf_adds(&sql, "SELECT id, at, user_name, address, action, table_name, row_key, before, "
		       "after, hash FROM audit_log WHERE 1 = 1");
	for (int i = 0; i < 4; i++)
		if (vals[i]) {
			buf_adds(&sql, " AND ");
			buf_addf(&sql, conds[i], ++np);
		}
	if (f->before_id > 0)
		buf_addf(&sql, " AND id < ?%d", ++np);
	buf_addf(&sql, " ORDER BY id DESC LIMIT %ld", f->limit > 0 ? f->limit : 100);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	np = 0;
	for (int i = 0; i < 4; i++)
		if (vals[i])
			store_bind_text(st, ++np, vals[i]);
	if (f->before_id > 0)
		store_bind_int(st, ++np, f->before_id);
	while ((rc = store_step(st, e)) == 1) {
		struct audit_entry en;
		en.id = (long)store_column_int(st, 0);
		en.at = store_column_text(st, 1);
		en.user = store_column_text(st, 2);
		en.address = store_column_text(st, 3);
		en.action = store_column_text(st, 4);
		en.table = store_column_text(st, 5);
		en.key = store_column_text(st, 6);
		en.before = store_column_text(st, 7);
		en.after = store_column_text(st, 8);
		en.hash = store_column_text(st, 9);
		count++;
		if (fn(&en, data))
			break;
	}
	store_finalize(st);
	return rc < 0 ? rc : count;
}
