/* api.h: the one route table of the JSON API (/api/v1) and what a handler receives.
 *
 * Every route is a row of api_routes[] (api.c): method, path pattern ({name} captures a
 * segment), handler, permission (which roles may call it), scope rule (how the caller's
 * scope applies), flags, and the words the OpenAPI document is generated from
 * (api_openapi.c). api_dispatch() matches the route (404, 405), authenticates (401), checks
 * the permission (403) and CSRF (403), parses a JSON body (400, 413, 415) and calls the
 * handler. Handlers never check roles; they pass r->who.scope to the service functions,
 * which apply the one scope filter (scope.h). */
#ifndef API_H
#define API_H

#include <jansson.h>

#include "http.h"

enum perm {
	PERM_PUBLIC,     /* no sign-in */
	PERM_SIGNED_IN,  /* any role, about itself */
	PERM_READ,       /* any role; rows filtered by scope */
	PERM_WRITE,      /* city admin, county and school users; scope checked per row */
	PERM_EVAL,       /* city admin and analyst */
	PERM_ADMIN,      /* city admin only */
};

enum scope_rule {
	SR_NONE,         /* not scoped data (catalog, rules, the caller's own session) */
	SR_TABLE,        /* registry rows through the table's scope column (table.h) */
	SR_RESULT,       /* results through their unit (school, county, teacher) */
	SR_TASK,         /* plan tasks through their area: written by a county user of it */
	SR_AREA,         /* planning areas of the caller's area subtree (none for a school) */
};

enum route_flags {
	RF_JSON_BODY = 1,   /* takes a JSON object body */
	RF_UPLOAD = 2,      /* takes a file body (CSV/XLSX), max_upload applies */
	RF_CREATED = 4,     /* answers 201 */
	RF_NO_CONTENT = 8,  /* answers 204 */
	RF_CACHE = 16,      /* a computed answer, kept until the data change (api_cache.c) */
};

typedef void (*api_fn)(struct req *r);

struct route {
	const char *method;
	const char *pattern;
	api_fn fn;
	enum perm perm;
	enum scope_rule scope;
	unsigned flags;
	const char *tag;        /* OpenAPI tag */
	const char *summary;
	const char *query;      /* query parameters: "name:type:description;..." */
	const char *body;       /* request body fields: "name:type:description;..." */
};

extern const struct route api_routes[];
extern const int api_nroutes;

/* Whether role may call a route of permission p. */
int api_role_allowed(enum perm p, enum role role);
const char *api_perm_name(enum perm p);
const char *api_scope_rule_name(enum scope_rule s);

/* Route the request (first call: sets r->route or answers 404/405) and, once the body is
 * in, run it (authentication, permission, CSRF, body, handler). */
void api_route(struct req *r);
void api_dispatch(struct req *r);
/* Authenticate the caller and check the route's permission (401, 403): run by dispatch, and
 * for uploads as soon as the headers are in, before the body is read. 0 or 1 (answered). */
int api_preauth(struct req *r);
/* Parse r->body as a JSON object into r->json (strict UTF-8, no NUL, no duplicate keys);
 * 0, or 1 when a 400 was answered. */
int api_parse_body(struct req *r);

/* The OpenAPI 3.1 document of api_routes[] (new JSON object). */
json_t *api_openapi(void);

/* Handler helpers. */
/* Send a JSON value (stolen). */
void api_json(struct req *r, int status, json_t *v);
/* The request body as a JSON object (parsed by dispatch for RF_JSON_BODY routes). */
json_t *api_body(struct req *r);
/* Fields of a JSON body: type 's' string, 'b' boolean, 'i' integer, 'o' object, 'a' array;
 * required or not.
 * 'n' a finite number.
 * Fills vals (borrowed from body, NULL when absent). Unknown fields, wrong types and missing
 * required fields answer 422 with one detail per field; returns 0 when fine, 1 when
 * answered. */
struct api_field {
	const char *name;
	char type;
	int required;
};
int api_fields(struct req *r, json_t *body, const struct api_field *f, int n, json_t **vals);
/* Map an err to its HTTP error (ERR_NOTFOUND 404, ERR_DATA 422, ERR_PERM 403, ERR_CONFLICT
 * 409, ERR_USAGE 400, else 500 with a generic message). */
void api_err(struct req *r, const struct err *e);
/* The integer query parameter name, or def; 1 and a 400 answer when malformed or outside
 * min..max. */
int api_query_long(struct req *r, const char *name, long def, long min, long max, long *out);
/* The actor for audit entries: the caller and its address. */
struct actor api_actor(struct req *r);

/* Handlers (api_auth.c, api_registry.c, api_eval.c). */
void api_openapi_get(struct req *r);
void api_health(struct req *r);
void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_tokens_list(struct req *r);
void api_tokens_create(struct req *r);
void api_tokens_revoke(struct req *r);
void api_users_list(struct req *r);
void api_users_create(struct req *r);
void api_users_get(struct req *r);
void api_users_update(struct req *r);
void api_audit_list(struct req *r);
void api_tables_list(struct req *r);
void api_table_get(struct req *r);
void api_rows_list(struct req *r);
void api_row_get(struct req *r);
void api_row_create(struct req *r);
void api_row_put(struct req *r);
void api_row_delete(struct req *r);
void api_rows_export(struct req *r);
void api_report_annual(struct req *r);
void api_rows_import(struct req *r);
void api_rules_list(struct req *r);
void api_rule_get(struct req *r);
void api_rule_history(struct req *r);
void api_rule_set(struct req *r);
void api_runs_list(struct req *r);
void api_run_get(struct req *r);
void api_runs_compare(struct req *r);
void api_run_create(struct req *r);
void api_whatif(struct req *r);
void api_results(struct req *r);
void api_indicators(struct req *r);
void api_check(struct req *r);
void api_overview(struct req *r);
void api_results_summary(struct req *r);
void api_forecast(struct req *r);
void api_hazards_list(struct req *r);
void api_hazard_add(struct req *r);
void api_hazard_get(struct req *r);
void api_hazard_register(struct req *r);
void api_hazard_assign(struct req *r);
void api_hazard_start(struct req *r);
void api_hazard_accept(struct req *r);
void api_hazard_close(struct req *r);
void api_tasks_list(struct req *r);
void api_task_add(struct req *r);
void api_task_get(struct req *r);
void api_task_progress(struct req *r);

/* The caller's scope for the service layer (svc.h). */
struct svc_scope;
void api_svc_scope(struct req *r, struct svc_scope *sc);

/* The answers of RF_CACHE routes (api_cache.c): get answers r from the cache (1) or notes
 * its key and the data version for put (0); put keeps r's answer when it is a 200. */
struct api_cache *api_cache_new(void);
void api_cache_free(struct api_cache *c);
int api_cache_get(struct req *r);
void api_cache_put(struct req *r);

#endif
