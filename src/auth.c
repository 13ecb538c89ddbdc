/* auth.c: users (Argon2id passwords), sessions and API tokens stored hashed, the login
 * slow-down, and the server.auth policy. Every write is audited in its transaction. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "date.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

int auth_policy_load(struct store *s, struct auth_policy *p, struct err *e)
{
	static const char *const keys[] = { "session_idle_minutes", "session_absolute_hours",
		"password_min_length", "login_max_failures", "login_window_minutes", "lockout_minutes" };
	double v[6];
	struct rule_set *rs = rules_load(s, NULL, e);
	if (!rs)
		return e->code;
	for (int i = 0; i < 6; i++)
		if (rules_num(rs, "server.auth", keys[i], &v[i], e) < 0) {
			rules_free(rs);
			return e->code;
		}
	rules_free(rs);
	p->idle_seconds = (long)(v[0] * 60);
	p->absolute_seconds = (long)(v[1] * 3600);
	p->password_min_length = (int)v[2];
	p->max_failures = (int)v[3];
	p->window_seconds = (long)(v[4] * 60);
	p->lockout_seconds = (long)(v[5] * 60);
	return 0;
}

static int init_sodium(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "cannot initialise libsodium");
	return 0;
}

/* hex BLAKE2b-256 of a token */
static void token_hash(const char *token, char out[AUTH_TOKEN_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, AUTH_TOKEN_HEX, h, sizeof(h));
}

void auth_csrf_of(const char *token, char out[AUTH_TOKEN_HEX])
{
	static const char label[] = "eduhq csrf v1";
	unsigned char h[32];
	/* token: a 64-hex-digit session token (checked by the callers), used as the key */
	crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1,
			   (const unsigned char *)token, AUTH_TOKEN_HEX - 1);
	sodium_bin2hex(out, AUTH_TOKEN_HEX, h, sizeof(h));
}

int auth_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

void auth_random_password(char *out)
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 16; i++)
		out[i] = alpha[randombytes_uniform(sizeof(alpha) - 1)];
	out[16] = '\0';
}

static int hash_password(const struct auth_policy *p, const char *pw, char out[crypto_pwhash_STRBYTES],
			 struct err *e)
{
	if (init_sodium(e) < 0)
		return e->code;
	if ((int)strlen(pw) < p->password_min_length)
		return err_set(e, ERR_DATA, "password too short: at least %d characters (rule server.auth)",
			       p->password_min_length);
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, ERR_IO, "cannot hash the password (out of memory)");
	return 0;
}

int auth_dummy_hash(char *out, struct err *e)
{
	char pw[17];
	if (init_sodium(e) < 0)
		return e->code;
	auth_random_password(pw);
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, ERR_IO, "cannot hash the password (out of memory)");
	return 0;
}

/* A user row as JSON for the audit log (never the password hash). */
static char *user_json(struct store *s, const char *name)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, "SELECT role, scope_area_code, scope_school_code, "
						 "disabled FROM app_user WHERE name = ?1", &e);
	char *r = NULL;
	if (!st)
		return NULL;
	store_bind_text(st, 1, name);
	if (store_step(st, &e) == 1) {
		json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "name", name, "role",
				      store_column_text(st, 0), "area", store_column_text(st, 1),
				      "school", store_column_text(st, 2), "disabled",
				      (int)store_column_int(st, 3));
		r = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	store_finalize(st);
	return r;
}

/* Run one write statement binding texts (NULL binds NULL) and ints; *changed = rows. */
static int exec_write(struct store *s, const char *sql, const char *const *texts, int nt,
		      struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	int rc;
	if (!st)
		return e->code;
	for (int i = 0; i < nt; i++)
		store_bind_text(st, i + 1, texts[i]);
	rc = store_step(st, e);
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

/* The user-change skeleton: begin, before, write, after, audit, commit. */
static int user_change(struct store *s, const char *name, const char *action, const char *sql,
		       const char *const *texts, int nt, int end_sessions,
		       const struct actor *who, struct err *e)
{
	char *before = NULL, *after = NULL;
	int rc;
	if (store_begin(s, e) < 0)
		return e->code;
	before = user_json(s, name);
	if (!before && strcmp(action, "user.add")) {
		store_rollback(s);
		return err_set(e, ERR_NOTFOUND, "no user '%s'", name);
	}
	if (before && !strcmp(action, "user.add")) {
		free(before);
		store_rollback(s);
		return err_set(e, ERR_CONFLICT, "user '%s' already exists", name);
	}
	rc = exec_write(s, sql, texts, nt, e);
	if (rc == 0 && end_sessions)
		rc = exec_write(s, "DELETE FROM app_session WHERE user_name = ?1", &name, 1, e);
	if (rc == 0) {
		after = user_json(s, name);
		rc = audit_append(s, who->name, who->from, action, "app_user", name, before, after, e);
	}
	free(before);
	free(after);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int check_role_scope(struct store *s, enum role r, const char *area, const char *school,
			    struct err *e)
{
	int64_t n = 0;
	struct store_stmt *st;
	if (r == ROLE_COUNTY_USER && (!area || school))
		return err_set(e, ERR_USAGE, "a county user needs an area (--area CODE) and no school");
	if (r == ROLE_SCHOOL_USER && (!school || area))
		return err_set(e, ERR_USAGE, "a school user needs a school (--school CODE) and no area");
	if ((r == ROLE_CITY_ADMIN || r == ROLE_CITY_ANALYST) && (area || school))
		return err_set(e, ERR_USAGE, "a %s has no area or school", role_name(r));
	if (!area && !school)
		return 0;
	st = store_prepare(s, area ? "SELECT count(*) FROM area WHERE code = ?1"
				   : "SELECT count(*) FROM school WHERE code = ?1", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, area ? area : school);
	if (store_step(st, e) == 1)
		n = store_column_int(st, 0);
	store_finalize(st);
	if (!n)
		return err_set(e, ERR_DATA, area ? "no area '%s'" : "no school '%s'", area ? area : school);
	return 0;
}

static int valid_user_name(const char *name, struct err *e)
{
	size_t n = strlen(name);
	if (!n || n >= AUTH_NAME_MAX || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return err_set(e, ERR_DATA, "user name '%s': use 1-63 letters, digits, '.', '_' or '-'",
			       name);
	return 0;
}

int auth_user_add(struct store *s, const struct auth_policy *p, const char *name, enum role r,
		  const char *area, const char *school, const char *password,
		  const struct actor *who, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *v[5];
	if (valid_user_name(name, e) < 0 || check_role_scope(s, r, area, school, e) < 0 ||
	    hash_password(p, password, hash, e) < 0)
		return e->code;
	v[0] = name;
	v[1] = hash;
	v[2] = role_name(r);
	v[3] = area;
	v[4] = school;
	return user_change(s, name, "user.add",
			   "INSERT INTO app_user(name, password_hash, role, scope_area_code, "
			   "scope_school_code) VALUES (?1, ?2, ?3, ?4, ?5)", v, 5, 0, who, e);
}

int auth_user_passwd(struct store *s, const struct auth_policy *p, const char *name,
		     const char *password, const struct actor *who, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *v[2] = { name, hash };
	if (hash_password(p, password, hash, e) < 0)
		return e->code;
	return user_change(s, name, "user.passwd",
			   "UPDATE app_user SET password_hash = ?2 WHERE name = ?1", v, 2, 1, who, e);
}

int auth_user_set_disabled(struct store *s, const char *name, int disabled,
			   const struct actor *who, struct err *e)
{
	const char *v[1] = { name };
	return user_change(s, name, disabled ? "user.disable" : "user.enable",
			   disabled ? "UPDATE app_user SET disabled = 1 WHERE name = ?1"
				    : "UPDATE app_user SET disabled = 0 WHERE name = ?1",
			   v, 1, disabled, who, e);
}

int auth_user_set_role(struct store *s, const char *name, enum role r, const char *area,
		       const char *school, const struct actor *who, struct err *e)
{
	const char *v[4] = { name, role_name(r), area, school };
	if (check_role_scope(s, r, area, school, e) < 0)
		return e->code;
	return user_change(s, name, "user.role",
			   "UPDATE app_user SET role = ?2, scope_area_code = ?3, scope_school_code = ?4 "
			   "WHERE name = ?1", v, 4, 1, who, e);
}

int auth_user_list(struct store *s, const char *name,
		   int (*fn)(const struct user_info *u, void *data), void *data, struct err *e)
{
	struct store_stmt *st = store_prepare(s, name
		? "SELECT name, role, scope_area_code, scope_school_code, created_at, disabled "
		  "FROM app_user WHERE name = ?1"
		: "SELECT name, role, scope_area_code, scope_school_code, created_at, disabled "
		  "FROM app_user ORDER BY name", e);
	int rc, n = 0;
	if (!st)
		return e->code;
	if (name)
		store_bind_text(st, 1, name);
	while ((rc = store_step(st, e)) == 1) {
		struct user_info u = { store_column_text(st, 0), store_column_text(st, 1),
				       store_column_text(st, 2), store_column_text(st, 3),
				       store_column_text(st, 4), (int)store_column_int(st, 5) };
		n++;
		if (fn(&u, data))
			break;
	}
	store_finalize(st);
	if (rc < 0)
		return rc;
	if (name && !n)
		return err_set(e, ERR_NOTFOUND, "no user '%s'", name);
	return 0;
}

/* ---- API tokens ---- */

int auth_token_create(struct store *s, const char *user, const char *label,
		      const struct actor *who, char out[AUTH_API_TOKEN_LEN], long *id,
		      struct err *e)
{
	unsigned char raw[32];
	char hex[AUTH_TOKEN_HEX], hash[AUTH_TOKEN_HEX], key[32], *after;
	struct store_stmt *st;
	char *u;
	int rc;

	if (init_sodium(e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	if (!(u = user_json(s, user))) {
		store_rollback(s);
		return err_set(e, ERR_NOTFOUND, "no user '%s'", user);
	}
	free(u);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	snprintf(out, AUTH_API_TOKEN_LEN, "eduhq_%s", hex);
	token_hash(out, hash);
	st = store_prepare(s, "INSERT INTO api_token(user_name, label, token_hash) VALUES (?1, ?2, ?3)", e);
	if (!st) {
		store_rollback(s);
		return e->code;
	}
	store_bind_text(st, 1, user);
	store_bind_text(st, 2, label ? label : "");
	store_bind_text(st, 3, hash);
	rc = store_step(st, e);
	store_finalize(st);
	if (rc >= 0) {
		json_t *o;
		*id = (long)store_last_id(s);
		snprintf(key, sizeof(key), "%ld", *id);
		o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)*id, "user", user, "label",
			      label ? label : "");
		after = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		rc = audit_append(s, who->name, who->from, "token.create", "api_token", key, NULL,
				  after, e);
		free(after);
	}
	sodium_memzero(hex, sizeof(hex));
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int auth_token_revoke(struct store *s, long id, const char *user, const struct actor *who,
		      struct err *e)
{
	struct store_stmt *st;
	char key[32], *before = NULL;
	int rc;

	if (store_begin(s, e) < 0)
		return e->code;
	st = store_prepare(s, "SELECT user_name, label FROM api_token WHERE id = ?1 AND revoked_at IS NULL", e);
	if (!st) {
		store_rollback(s);
		return e->code;
	}
	store_bind_int(st, 1, id);
	if ((rc = store_step(st, e)) == 1 && (!user || !strcmp(user, store_column_text(st, 0)))) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "user",
				      store_column_text(st, 0), "label", store_column_text(st, 1));
		before = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	store_finalize(st);
	if (!before) {
		store_rollback(s);
		return rc < 0 ? rc : err_set(e, ERR_NOTFOUND, "no token %ld", id);
	}
	st = store_prepare(s, "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1", e);
	rc = st ? 0 : e->code;
	if (st) {
		char now[32];
		date_stamp(time(NULL), now);
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, now);
		rc = store_step(st, e);
		store_finalize(st);
	}
	snprintf(key, sizeof(key), "%ld", id);
	if (rc >= 0)
		rc = audit_append(s, who->name, who->from, "token.revoke", "api_token", key, before,
				  NULL, e);
	free(before);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int auth_token_list(struct store *s, const char *user,
		    int (*fn)(const struct token_info *t, void *data), void *data, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT id, user_name, label, created_at, revoked_at "
						 "FROM api_token WHERE user_name = ?1 ORDER BY id", e);
	int rc;
	if (!st)
		return e->code;
	store_bind_text(st, 1, user);
	while ((rc = store_step(st, e)) == 1) {
		struct token_info t = { (long)store_column_int(st, 0), store_column_text(st, 1),
					store_column_text(st, 2), store_column_text(st, 3),
					store_column_text(st, 4) };
		if (fn(&t, data))
			break;
	}
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

/* ---- sessions ---- */

static void principal_fill(struct principal *pr, const char *name, const char *role,
			   const char *area, const char *school)
{
	int r = role_parse(role);
	memset(pr, 0, sizeof(*pr));
	snprintf(pr->name, sizeof(pr->name), "%s", name);
	pr->role = r < 0 ? ROLE_SCHOOL_USER : (enum role)r;
	scope_of_role(pr->role, area, school, &pr->scope);
}

int auth_check_password(struct store *s, const char *name, const char *password,
			const char *dummy, struct principal *pr, struct err *e)
{
	struct store_stmt *st;
	char hash[crypto_pwhash_STRBYTES] = "";
	int rc, ok, disabled = 1;

	if (init_sodium(e) < 0)
		return e->code;
	st = store_prepare(s, "SELECT password_hash, role, scope_area_code, scope_school_code, disabled "
			      "FROM app_user WHERE name = ?1", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, name);
	if ((rc = store_step(st, e)) == 1) {
		snprintf(hash, sizeof(hash), "%s", store_column_text(st, 0));
		principal_fill(pr, name, store_column_text(st, 1), store_column_text(st, 2),
			       store_column_text(st, 3));
		disabled = (int)store_column_int(st, 4);
	}
	store_finalize(st);
	if (rc < 0)
		return rc;
	/* an unknown user costs one Argon2id verification too */
	ok = crypto_pwhash_str_verify(rc == 1 ? hash : dummy, password, strlen(password)) == 0;
	if (rc != 1 || !ok || disabled)
		return err_set(e, ERR_PERM, "wrong user name or password");
	return 0;
}

int auth_session_create(struct store *s, struct principal *pr, const char *from,
			char token[AUTH_TOKEN_HEX], struct err *e)
{
	unsigned char raw[32];
	struct store_stmt *st;
	time_t now = time(NULL);
	int rc;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, AUTH_TOKEN_HEX, raw, sizeof(raw));
	token_hash(token, pr->session_hash);
	auth_csrf_of(token, pr->csrf);
	pr->via_session = 1;
	pr->session_created = pr->session_seen = (long)now;
	if (store_begin(s, e) < 0)
		return e->code;
	st = store_prepare(s, "INSERT INTO app_session(token_hash, user_name, created_at, last_seen, "
			      "address) VALUES (?1, ?2, ?3, ?3, ?4)", e);
	rc = st ? 0 : e->code;
	if (st) {
		store_bind_text(st, 1, pr->session_hash);
		store_bind_text(st, 2, pr->name);
		store_bind_int(st, 3, now);
		store_bind_text(st, 4, from);
		rc = store_step(st, e);
		store_finalize(st);
	}
	/* the session's key in the log is a prefix of its hash: enough to tell sessions apart */
	if (rc >= 0) {
		char key[20];
		snprintf(key, sizeof(key), "%.16s", pr->session_hash);
		rc = audit_append(s, pr->name, from, "login", "app_session", key, NULL, NULL, e);
	}
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int auth_session_lookup(struct store *s, const struct auth_policy *p, const char *token,
			time_t now, struct principal *pr, int *touch, struct err *e)
{
	char hash[AUTH_TOKEN_HEX];
	struct store_stmt *st;
	int rc, ok = 0;

	*touch = 0;
	if (strlen(token) != AUTH_TOKEN_HEX - 1)
		return err_set(e, ERR_PERM, "not signed in");
	token_hash(token, hash);
	st = store_prepare(s, "SELECT u.name, u.role, u.scope_area_code, u.scope_school_code, "
			      "s.created_at, s.last_seen FROM app_session s JOIN app_user u "
			      "ON u.name = s.user_name WHERE s.token_hash = ?1 AND u.disabled = 0", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, hash);
	if ((rc = store_step(st, e)) == 1) {
		long created = (long)store_column_int(st, 4), seen = (long)store_column_int(st, 5);
		if (now - created < p->absolute_seconds && now - seen < p->idle_seconds) {
			principal_fill(pr, store_column_text(st, 0), store_column_text(st, 1),
				       store_column_text(st, 2), store_column_text(st, 3));
			pr->via_session = 1;
			snprintf(pr->session_hash, sizeof(pr->session_hash), "%s", hash);
			auth_csrf_of(token, pr->csrf);
			pr->session_created = created;
			pr->session_seen = seen;
			/* refresh last_seen at most once a minute: no write per request */
			*touch = now - seen >= 60 || p->idle_seconds <= 120;
			ok = 1;
		}
	}
	store_finalize(st);
	if (rc < 0)
		return rc;
	return ok ? 0 : err_set(e, ERR_PERM, "not signed in");
}

int auth_session_touch(struct store *s, const char *session_hash, time_t now, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "UPDATE app_session SET last_seen = ?2 WHERE token_hash = ?1", e);
	int rc;
	if (!st)
		return e->code;
	store_bind_text(st, 1, session_hash);
	store_bind_int(st, 2, now);
	rc = store_step(st, e);
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

int auth_session_end(struct store *s, const struct principal *pr, const char *from,
		     struct err *e)
{
	char key[20];
	const char *h = pr->session_hash;
	int rc;
	if (store_begin(s, e) < 0)
		return e->code;
	rc = exec_write(s, "DELETE FROM app_session WHERE token_hash = ?1", &h, 1, e);
	snprintf(key, sizeof(key), "%.16s", pr->session_hash);
	if (rc == 0)
		rc = audit_append(s, pr->name, from, "logout", "app_session", key, NULL, NULL, e);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int auth_token_lookup(struct store *s, const char *token, struct principal *pr, struct err *e)
{
	char hash[AUTH_TOKEN_HEX];
	struct store_stmt *st;
	int rc;
	if (strncmp(token, "eduhq_", 6) || strlen(token) != 6 + AUTH_TOKEN_HEX - 1)
		return err_set(e, ERR_PERM, "invalid API token");
	token_hash(token, hash);
	st = store_prepare(s, "SELECT u.name, u.role, u.scope_area_code, u.scope_school_code "
			      "FROM api_token t JOIN app_user u ON u.name = t.user_name "
			      "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled = 0", e);
	if (!st)
		return e->code;
	store_bind_text(st, 1, hash);
	if ((rc = store_step(st, e)) == 1)
		principal_fill(pr, store_column_text(st, 0), store_column_text(st, 1),
			       store_column_text(st, 2), store_column_text(st, 3));
	store_finalize(st);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : err_set(e, ERR_PERM, "invalid API token");
}

/* ---- login slow-down ---- */

void auth_throttle_init(struct auth_throttle *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->mu, NULL);
}

void auth_throttle_release(struct auth_throttle *t)
{
	pthread_mutex_destroy(&t->mu);
}

static unsigned slot_of(const char *key)
{
	unsigned h = 2166136261u;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % AUTH_THROTTLE_SLOTS;
}

/* The slot holding key, or (create) a free or the stalest slot near it. Lock held. */
static int find_slot(struct auth_throttle *t, const char *key, int create, time_t now)
{
	unsigned h = slot_of(key);
	int best = -1;
	for (int i = 0; i < 8; i++) {
		int k = (int)((h + (unsigned)i) % AUTH_THROTTLE_SLOTS);
		if (!strcmp(t->slot[k].key, key))
			return k;
		if (best < 0 || t->slot[k].first < t->slot[best].first)
			best = k;
	}
	if (!create)
		return -1;
	(void)now;
	snprintf(t->slot[best].key, sizeof(t->slot[best].key), "%s", key);
	t->slot[best].failures = 0;
	t->slot[best].first = 0;
	t->slot[best].locked_until = 0;
	return best;
}

long auth_throttle_wait(struct auth_throttle *t, const char *key, time_t now)
{
	long w = 0;
	int k;
	pthread_mutex_lock(&t->mu);
	k = find_slot(t, key, 0, now);
	if (k >= 0 && t->slot[k].locked_until > now)
		w = (long)(t->slot[k].locked_until - now);
	pthread_mutex_unlock(&t->mu);
	return w;
}

void auth_throttle_fail(struct auth_throttle *t, const struct auth_policy *p, const char *key,
			time_t now)
{
	int k;
	pthread_mutex_lock(&t->mu);
	k = find_slot(t, key, 1, now);
	if (now - t->slot[k].first > p->window_seconds) {
		t->slot[k].first = now;
		t->slot[k].failures = 0;
	}
	if (++t->slot[k].failures >= p->max_failures) {
		t->slot[k].locked_until = now + p->lockout_seconds;
		t->slot[k].failures = 0;
		t->slot[k].first = now;
	}
	pthread_mutex_unlock(&t->mu);
}

void auth_throttle_ok(struct auth_throttle *t, const char *key)
{
	int k;
	pthread_mutex_lock(&t->mu);
	k = find_slot(t, key, 0, 0);
	if (k >= 0)
		t->slot[k].key[0] = '\0';
	pthread_mutex_unlock(&t->mu);
}
