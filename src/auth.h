/* auth.h: users, passwords, sessions and API tokens (SPEC §5.4, issue 10).
 *
 * Passwords are Argon2id hashes (libsodium crypto_pwhash_str). Session and API tokens are
 * random; only a BLAKE2b hash of each is stored, so a copy of the database opens no
 * session. Every change to users, sessions and tokens goes through audit_append() in the
 * same transaction. The thresholds (expiry, password length, failures before slow-down)
 * come from the rule server.auth (rules.c), loaded into struct auth_policy.
 *
 * Functions that write take the store to write with (the server's serialised writer); the
 * caller must not be inside a transaction. Lookups only read. */
#ifndef AUTH_H
#define AUTH_H

#include <pthread.h>
#include <time.h>

#include "audit.h"
#include "err.h"
#include "scope.h"

struct store;

#define AUTH_TOKEN_HEX 65      /* 32 random bytes as hex, plus NUL */
#define AUTH_API_TOKEN_LEN 72  /* "eduhq_" + 64 hex + NUL, with room */
#define AUTH_NAME_MAX 64

struct auth_policy {
	long idle_seconds;       /* a session unused this long ends */
	long absolute_seconds;   /* a session ends this long after login, used or not */
	int password_min_length;
	int max_failures;        /* failed logins within window before the slow-down */
	long window_seconds;
	long lockout_seconds;    /* wait imposed once max_failures is reached */
};

/* Load server.auth from the rules in force today. */
int auth_policy_load(struct store *s, struct auth_policy *p, struct err *e);

/* The authenticated caller of one request. */
struct principal {
	char name[AUTH_NAME_MAX];
	enum role role;
	struct scope scope;
	int via_session;          /* cookie session (CSRF applies), else API token */
	char session_hash[AUTH_TOKEN_HEX];
	char csrf[AUTH_TOKEN_HEX];
	long session_created, session_seen;
};


/* --- users --- */
struct user_info {
	const char *name, *role, *area, *school, *created_at;
	int disabled;
};

/* A random password of 16 characters from an unambiguous alphabet (out: at least 17). */
void auth_random_password(char *out);
/* New user; area for a county user, school for a school user, else both NULL. */
int auth_user_add(struct store *s, const struct auth_policy *p, const char *name, enum role r,
		  const char *area, const char *school, const char *password,
		  const struct actor *who, struct err *e);
/* New password; ends the user's sessions. */
int auth_user_passwd(struct store *s, const struct auth_policy *p, const char *name,
		     const char *password, const struct actor *who, struct err *e);
/* Disable (ends sessions; tokens stop working while disabled) or enable again. */
int auth_user_set_disabled(struct store *s, const char *name, int disabled,
			   const struct actor *who, struct err *e);
/* New role and scope; ends the user's sessions. */
int auth_user_set_role(struct store *s, const char *name, enum role r, const char *area,
		       const char *school, const struct actor *who, struct err *e);
/* Every user by name (name non-NULL: that one only; ERR_NOTFOUND if absent). */
int auth_user_list(struct store *s, const char *name,
		   int (*fn)(const struct user_info *u, void *data), void *data, struct err *e);

/* --- API tokens --- */
struct token_info {
	long id;
	const char *user, *label, *created_at, *revoked_at;
};
/* New token for user: out gets the token text, shown once; *id its number. */
int auth_token_create(struct store *s, const char *user, const char *label,
		      const struct actor *who, char out[AUTH_API_TOKEN_LEN], long *id,
		      struct err *e);
/* Revoke token id; when user is non-NULL it must be that user's (else ERR_NOTFOUND). */
int auth_token_revoke(struct store *s, long id, const char *user, const struct actor *who,
		      struct err *e);
int auth_token_list(struct store *s, const char *user,
		    int (*fn)(const struct token_info *t, void *data), void *data, struct err *e);

/* --- sessions --- */
/* A hash that crypto_pwhash_str_verify() can check in the same time as a real one, for
 * unknown users (out: crypto_pwhash_STRBYTES). */
int auth_dummy_hash(char *out, struct err *e);

/* Check name and password. Returns 0 and fills *pr, ERR_PERM for a wrong password, an
 * unknown or a disabled user (one answer, about one duration: dummy is verified when the
 * user is unknown), or another negative code. Reads only. */
int auth_check_password(struct store *s, const char *name, const char *password,
			const char *dummy, struct principal *pr, struct err *e);
/* Start a session for pr (after auth_check_password): token out (the cookie value). */
int auth_session_create(struct store *s, struct principal *pr, const char *from,
			char token[AUTH_TOKEN_HEX], struct err *e);
/* The session of a cookie token: 0 and *pr, ERR_PERM when unknown, expired or the user
 * disabled. Reads only; *touch is set when last_seen is old enough to be refreshed. */
int auth_session_lookup(struct store *s, const struct auth_policy *p, const char *token,
			time_t now, struct principal *pr, int *touch, struct err *e);
int auth_session_touch(struct store *s, const char *session_hash, time_t now, struct err *e);
/* End the session (logout). */
int auth_session_end(struct store *s, const struct principal *pr, const char *from,
		     struct err *e);
/* The caller behind an API token ("Authorization: Bearer eduhq_..."): 0 or ERR_PERM. */
int auth_token_lookup(struct store *s, const char *token, struct principal *pr, struct err *e);

/* The CSRF token of a session: a hash of the session token (hex, AUTH_TOKEN_HEX). */
void auth_csrf_of(const char *token, char out[AUTH_TOKEN_HEX]);
/* Constant-time comparison of two NUL-terminated strings. */
int auth_equal(const char *a, const char *b);

/* --- login slow-down: failures counted per user name and per client address --- */
#define AUTH_THROTTLE_SLOTS 4096
struct auth_throttle {
	pthread_mutex_t mu;
	struct {
		char key[96];
		int failures;
		time_t first, locked_until;
	} slot[AUTH_THROTTLE_SLOTS];
};
void auth_throttle_init(struct auth_throttle *t);
void auth_throttle_release(struct auth_throttle *t);
/* Seconds the caller must still wait before trying key again (0: may try). */
long auth_throttle_wait(struct auth_throttle *t, const char *key, time_t now);
void auth_throttle_fail(struct auth_throttle *t, const struct auth_policy *p, const char *key,
			time_t now);
void auth_throttle_ok(struct auth_throttle *t, const char *key);

#endif
