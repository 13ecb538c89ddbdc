/* api_auth.c: handlers for the service routes, sign-in and sessions, the caller's API
 * tokens, user administration and the audit log (auth.c and audit.c do the work). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "auth.h"
#include "json_valid.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

void api_openapi_get(struct req *r)
{
	api_json(r, 200, api_openapi());
}

void api_health(struct req *r)
{
	struct err e = ERR_INIT;
	int64_t v = 0;
	if (store_query_int(r->rd, "SELECT value FROM meta WHERE key = 'schema_version'", &v, &e) < 0) {
		api_err(r, &e);
		return;
	}
	api_json(r, 200, json_pack("{s:s, s:I}", "status", "ok", "schema_version", (json_int_t)v));
}

static json_t *scope_json(const struct scope *sc)
{
	static const char *const kinds[] = { "all", "area", "school" };
	return json_pack("{s:s, s:s?}", "kind", kinds[sc->kind], "code", sc->kind == SCOPE_ALL ? NULL : sc->code);
}

static json_t *principal_json(const struct principal *pr)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:s}", "name", pr->name, "role", role_name(pr->role),
			      "role_zh", role_zh(pr->role), "scope", scope_json(&pr->scope), "via",
			      pr->via_session ? "session" : "token");
	if (pr->via_session)
		json_object_set_new(o, "csrf_token", json_string(pr->csrf));
	return o;
}

void api_login(struct req *r)
{
	static const struct api_field f[] = { { "name", 's', 1 }, { "password", 's', 1 } };
	struct http_server *srv = r->srv;
	struct err e = ERR_INIT;
	struct principal pr;
	char ku[128], ka[96], token[AUTH_TOKEN_HEX], wait_s[32];
	json_t *v[2];
	const char *name, *pw;
	time_t now = time(NULL);
	long wait;
	struct store *w;
	int rc;

	if (api_fields(r, api_body(r), f, 2, v))
		return;
	name = json_string_value(v[0]);
	pw = json_string_value(v[1]);
	snprintf(ku, sizeof(ku), "u:%.100s", name);
	snprintf(ka, sizeof(ka), "a:%s", r->addr);
	/* the slow-down answers before the password is looked at: same for every name */
	wait = auth_throttle_wait(&srv->throttle, ku, now);
	if (auth_throttle_wait(&srv->throttle, ka, now) > wait)
		wait = auth_throttle_wait(&srv->throttle, ka, now);
	if (wait > 0) {
		snprintf(wait_s, sizeof(wait_s), "%ld", wait);
		resp_header(r, "Retry-After", wait_s);
		resp_error(r, 429, "too_many_attempts", NULL,
			   "too many failed sign-ins; try again in %ld seconds", wait);
		return;
	}
	rc = auth_check_password(r->rd, name, pw, srv->dummy_hash, &pr, &e);
	if (rc == ERR_PERM) {
		auth_throttle_fail(&srv->throttle, &srv->policy, ku, now);
		auth_throttle_fail(&srv->throttle, &srv->policy, ka, now);
		resp_error(r, 401, "bad_credentials", NULL, "wrong user name or password");
		return;
	}
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	auth_throttle_ok(&srv->throttle, ku);
	w = http_writer_lock(srv);
	rc = auth_session_create(w, &pr, r->addr, token, &e);
	http_writer_unlock(srv);
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	snprintf(r->set_cookie, sizeof(r->set_cookie),
		 "eduhq_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", token,
		 srv->policy.absolute_seconds, srv->cfg.secure_cookies ? "; Secure" : "");
	r->who = pr;
	r->authed = 1;
	api_json(r, 201, principal_json(&pr));
}

void api_logout(struct req *r)
{
	struct err e = ERR_INIT;
	struct store *w;
	int rc = 0;
	if (r->who.via_session) {
		w = http_writer_lock(r->srv);
		rc = auth_session_end(w, &r->who, r->addr, &e);
		http_writer_unlock(r->srv);
	}
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	snprintf(r->set_cookie, sizeof(r->set_cookie),
		 "eduhq_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
		 r->srv->cfg.secure_cookies ? "; Secure" : "");
	resp_text(r, 204, NULL, "", 0);
}

void api_me(struct req *r)
{
	api_json(r, 200, principal_json(&r->who));
}

static int token_to_json(const struct token_info *t, void *data)
{
	json_array_append_new(data, json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)t->id, "label",
					      t->label, "created_at", t->created_at, "revoked_at",
					      t->revoked_at));
	return 0;
}

void api_tokens_list(struct req *r)
{
	struct err e = ERR_INIT;
	json_t *arr = json_array();
	if (auth_token_list(r->rd, r->who.name, token_to_json, arr, &e) < 0) {
		json_decref(arr);
		api_err(r, &e);
		return;
	}
	api_json(r, 200, json_pack("{s:o}", "tokens", arr));
}

void api_tokens_create(struct req *r)
{
	static const struct api_field f[] = { { "label", 's', 0 } };
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	char tok[AUTH_API_TOKEN_LEN];
	json_t *v[1];
	long id;
	int rc;
	if (api_fields(r, api_body(r), f, 1, v))
		return;
	rc = auth_token_create(http_writer_lock(r->srv), r->who.name, v[0] ? json_string_value(v[0]) : NULL,
			       &who, tok, &id, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	api_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "token", tok, "note",
				   "shown once: store it now; send it as 'Authorization: Bearer TOKEN'"));
}

void api_tokens_revoke(struct req *r)
{
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	char *end;
	long id = strtol(r->params[0], &end, 10);
	int rc;
	if (*end || id <= 0) {
		resp_error(r, 404, "not_found", NULL, "no token '%s'", r->params[0]);
		return;
	}
	/* another user's token is answered as absent */
	rc = auth_token_revoke(http_writer_lock(r->srv), id, r->who.name, &who, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		api_err(r, &e);
		return;
	}
	resp_text(r, 204, NULL, "", 0);
}

static int user_to_json(const struct user_info *u, void *data)
{
	json_array_append_new(data, json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:s}", "name", u->name, "role",
					      u->role, "area", u->area, "school", u->school,
					      "disabled", u->disabled, "created_at", u->created_at));
	return 0;
}

void api_users_list(struct req *r)
{
	struct err e = ERR_INIT;
	json_t *arr = json_array();
	if (auth_user_list(r->rd, NULL, user_to_json, arr, &e) < 0) {
		json_decref(arr);
		api_err(r, &e);
		return;
	}
	api_json(r, 200, json_pack("{s:o}", "users", arr));
}

void api_users_get(struct req *r)
{
	struct err e = ERR_INIT;
	json_t *arr = json_array();
	if (auth_user_list(r->rd, r->params[0], user_to_json, arr, &e) < 0) {
		json_decref(arr);
		api_err(r, &e);
		return;
	}
	api_json(r, 200, json_incref(json_array_get(arr, 0)));
	json_decref(arr);
}

static int role_arg(struct req *r, json_t *v, enum role *out)
{
	int role = role_parse(json_string_value(v));
	if (role < 0) {
		resp_error(r, 422, "invalid", "[{\"field\":\"role\",\"message\":\"unknown role\"}]",
			   "role must be city_admin, city_analyst, county_user or school_user");
		return 1;
	}
	*out = (enum role)role;
	return 0;
}

/* A refused user write: a bad value in the body is the request's data (422), not usage. */
static void user_err(struct req *r, struct err *e)
{
	if (e->code == ERR_USAGE)
		e->code = ERR_DATA;
	api_err(r, e);
}

void api_users_create(struct req *r)
{
	static const struct api_field f[] = { { "name", 's', 1 }, { "password", 's', 1 }, { "role", 's', 1 },
					      { "area", 's', 0 }, { "school", 's', 0 } };
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	json_t *v[5];
	enum role role;
	int rc;
	if (api_fields(r, api_body(r), f, 5, v) || role_arg(r, v[2], &role))
		return;
	rc = auth_user_add(http_writer_lock(r->srv), &r->srv->policy, json_string_value(v[0]), role,
			   json_string_value(v[3]), json_string_value(v[4]), json_string_value(v[1]),
			   &who, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		user_err(r, &e);
		return;
	}
	r->params[0] = json_string_value(v[0]);
	api_users_get(r);
	r->status = 201;
}

void api_users_update(struct req *r)
{
	static const struct api_field f[] = { { "password", 's', 0 }, { "disabled", 'b', 0 }, { "role", 's', 0 },
					      { "area", 's', 0 }, { "school", 's', 0 } };
	struct err e = ERR_INIT;
	struct actor who = api_actor(r);
	struct store *w;
	json_t *v[5];
	enum role role = ROLE_CITY_ADMIN;
	int rc = 0;
	if (api_fields(r, api_body(r), f, 5, v) || (v[2] && role_arg(r, v[2], &role)))
		return;
	if (!v[2] && (v[3] || v[4])) {
		resp_error(r, 422, "invalid", "[{\"field\":\"role\",\"message\":\"required with area or school\"}]",
			   "give the role together with its area or school");
		return;
	}
	w = http_writer_lock(r->srv);
	if (v[0])
		rc = auth_user_passwd(w, &r->srv->policy, r->params[0], json_string_value(v[0]), &who, &e);
	if (rc == 0 && v[2])
		rc = auth_user_set_role(w, r->params[0], role, json_string_value(v[3]),
					json_string_value(v[4]), &who, &e);
	if (rc == 0 && v[1])
		rc = auth_user_set_disabled(w, r->params[0], json_is_true(v[1]), &who, &e);
	http_writer_unlock(r->srv);
	if (rc < 0) {
		user_err(r, &e);
		return;
	}
	api_users_get(r);
}

struct audit_page {
	struct buf b;
	long n, last_id;
};

/* A row before or after as stored: JSON sent on as it is when it is whole (json_valid, no
 * parse and print), else, damaged in the database, as the text it is, so the page stays
 * whole (`eduhq audit verify` names the entry). */
static void stored_json(struct buf *b, const char *key, const char *text)
{
	buf_addf(b, ",\"%s\":", key);
	if (!text)
		buf_adds(b, "null");
	else if (json_valid(text))
		buf_adds(b, text);
	else
		buf_add_json_str(b, text);
}

static int entry_json(const struct audit_entry *en, void *data)
{
	struct audit_page *p = data;
	const char *const field[] = { "at", en->at, "user", en->user, "address", en->address,
				      "action", en->action, "table", en->table, "key", en->key };
	buf_addf(&p->b, "%s{\"id\":%ld", p->n++ ? "," : "", en->id);
	for (size_t i = 0; i < ARRAY_SIZE(field); i += 2) {
		buf_addf(&p->b, ",\"%s\":", field[i]);
		buf_add_json_str(&p->b, field[i + 1]);
	}
	stored_json(&p->b, "before", en->before);
	stored_json(&p->b, "after", en->after);
	buf_addch(&p->b, '}');
	p->last_id = en->id;
	return 0;
}

void api_audit_list(struct req *r)
{
	struct audit_filter f = { 0 };
	struct audit_page p = { BUF_INIT, 0, 0 };
	struct err e = ERR_INIT;
	long n;
	if (api_query_long(r, "limit", 100, 1, 1000, &f.limit) ||
	    api_query_long(r, "before_id", 0, 0, 1L << 50, &f.before_id))
		return;
	f.user = req_query(r, "user");
	f.table = req_query(r, "table");
	f.action = req_query(r, "action");
	f.since = req_query(r, "since");
	buf_adds(&p.b, "{\"entries\":[");
	if ((n = audit_list(r->rd, &f, entry_json, &p, &e)) < 0) {
		buf_release(&p.b);
		api_err(r, &e);
		return;
	}
	buf_addch(&p.b, ']');
	if (n == f.limit)
		buf_addf(&p.b, ",\"next_before_id\":%ld", p.last_id);
	buf_adds(&p.b, "}\n");
	resp_buf(r, 200, "application/json", &p.b);
}
