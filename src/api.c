/* api.c: the route table of /api/v1 and the one place where every request is routed,
 * authenticated, checked against its route's permission and CSRF, and its body parsed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "buf.h"
#include "store.h"
#include "svc.h"
#include "xmalloc.h"
#include "banned.h"

#define Q_PAGE "limit:integer:rows per page (1-1000, default 100);cursor:string:the next_cursor of the previous page"

const struct route api_routes[] = {
	/* service */
	{ "GET", "/api/v1/openapi.json", api_openapi_get, PERM_PUBLIC, SR_NONE, 0, "service",
	  "this API's OpenAPI 3.1 description, generated from the route table", NULL, NULL },
	{ "GET", "/api/v1/health", api_health, PERM_PUBLIC, SR_NONE, 0, "service",
	  "liveness: the server answers and the database opens", NULL, NULL },
	/* session and identity */
	{ "POST", "/api/v1/session", api_login, PERM_PUBLIC, SR_NONE, RF_JSON_BODY | RF_CREATED, "session",
	  "sign in: sets the session cookie, returns the CSRF token for cookie writes", NULL,
	  "name:string:user name;password:string:password" },
	{ "DELETE", "/api/v1/session", api_logout, PERM_SIGNED_IN, SR_NONE, RF_NO_CONTENT, "session",
	  "sign out: ends the session", NULL, NULL },
	{ "GET", "/api/v1/me", api_me, PERM_SIGNED_IN, SR_NONE, 0, "session",
	  "the caller: name, role, scope (and CSRF token with a cookie session)", NULL, NULL },
	{ "GET", "/api/v1/me/tokens", api_tokens_list, PERM_SIGNED_IN, SR_NONE, 0, "session",
	  "the caller's API tokens (never their text)", NULL, NULL },
	{ "POST", "/api/v1/me/tokens", api_tokens_create, PERM_SIGNED_IN, SR_NONE, RF_JSON_BODY | RF_CREATED, "session",
	  "a new API token for the caller, shown once", NULL, "label:string:what the token is for" },
	{ "DELETE", "/api/v1/me/tokens/{id}", api_tokens_revoke, PERM_SIGNED_IN, SR_NONE, RF_NO_CONTENT, "session",
	  "revoke one of the caller's API tokens", NULL, NULL },
	/* users and audit (city admin) */
	{ "GET", "/api/v1/users", api_users_list, PERM_ADMIN, SR_NONE, 0, "users",
	  "every user with role and scope", NULL, NULL },
	{ "POST", "/api/v1/users", api_users_create, PERM_ADMIN, SR_NONE, RF_JSON_BODY | RF_CREATED, "users",
	  "create a user", NULL,
	  "name:string:user name;password:string:initial password;role:string:city_admin, city_analyst, county_user or school_user;"
	  "area:string:a county user's area;school:string:a school user's school" },
	{ "GET", "/api/v1/users/{name}", api_users_get, PERM_ADMIN, SR_NONE, 0, "users",
	  "one user", NULL, NULL },
	{ "PATCH", "/api/v1/users/{name}", api_users_update, PERM_ADMIN, SR_NONE, RF_JSON_BODY, "users",
	  "change a user: password, disabled, role and scope (each optional)", NULL,
	  "password:string:new password;disabled:boolean:disable or enable;role:string:new role;"
	  "area:string:new area (county user);school:string:new school (school user)" },
	{ "GET", "/api/v1/audit", api_audit_list, PERM_ADMIN, SR_NONE, 0, "audit",
	  "audit-log entries, newest first",
	  "user:string:by this user;table:string:about this table;action:string:this action;"
	  "since:string:at or after this date;before_id:integer:entries older than this id (paging);"
	  "limit:integer:entries per page (1-1000, default 100)", NULL },
	/* the registry: every table of the column registry (src/table.c) */
	{ "GET", "/api/v1/tables", api_tables_list, PERM_READ, SR_NONE, 0, "registry",
	  "the registry tables: names (中文), natural keys, how rows map to a scope", NULL, NULL },
	{ "GET", "/api/v1/tables/{table}", api_table_get, PERM_READ, SR_NONE, 0, "registry",
	  "one table's columns: English and Chinese labels, types, allowed values, ranges (for forms)", NULL, NULL },
	{ "GET", "/api/v1/tables/{table}/rows", api_rows_list, PERM_READ, SR_TABLE, 0, "registry",
	  "rows in the caller's scope; any other query parameter COLUMN=VALUE filters on that column",
	  Q_PAGE ";sort:string:order by this column (-column: descending), by default the natural key", NULL },
	{ "POST", "/api/v1/tables/{table}/rows", api_row_create, PERM_WRITE, SR_TABLE, RF_JSON_BODY | RF_CREATED, "registry",
	  "create a row (validated as an import row); 409 when the key exists", NULL,
	  "COLUMN:string:a value per column (English name), as in an import file" },
	{ "GET", "/api/v1/tables/{table}/rows/{key}", api_row_get, PERM_READ, SR_TABLE, 0, "registry",
	  "one row by natural key (parts joined by ','); out of scope answers as absent", NULL, NULL },
	{ "PUT", "/api/v1/tables/{table}/rows/{key}", api_row_put, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "registry",
	  "create or replace the row with this key (validated as an import row)", NULL,
	  "COLUMN:string:a value per column (English name), as in an import file" },
	{ "DELETE", "/api/v1/tables/{table}/rows/{key}", api_row_delete, PERM_WRITE, SR_TABLE, RF_NO_CONTENT, "registry",
	  "delete the row with this key; 422 when other rows refer to it", NULL, NULL },
	{ "GET", "/api/v1/tables/{table}/export", api_rows_export, PERM_READ, SR_TABLE, 0, "registry",
	  "the rows in scope as CSV (UTF-8 with BOM, re-importable), XLSX (sent from disk) or JSON",
	  "format:string:csv (default), xlsx or json;sort:string:as for rows", NULL },
	{ "POST", "/api/v1/tables/{table}/import", api_rows_import, PERM_WRITE, SR_TABLE, RF_UPLOAD, "registry",
	  "import a CSV or XLSX file: all rows or none, errors as FILE:LINE: column NAME: message; "
	  "a county or school user's rows (and the stored rows they replace) must be in its scope",
	  "dry_run:integer:1 validates only;filename:string:the name used in messages", NULL },
	/* rules */
	{ "GET", "/api/v1/rules", api_rules_list, PERM_READ, SR_NONE, RF_CACHE, "rules",
	  "the version in force of every rule: parameters, source document (文号), clause, tag",
	  "as_of:string:the date (YYYY-MM-DD, default today)", NULL },
	{ "GET", "/api/v1/rules/{code}", api_rule_get, PERM_READ, SR_NONE, 0, "rules",
	  "the version of one rule in force", "as_of:string:the date (YYYY-MM-DD, default today)", NULL },
	{ "GET", "/api/v1/rules/{code}/history", api_rule_history, PERM_READ, SR_NONE, 0, "rules",
	  "every version of one rule, oldest first", NULL, NULL },
	{ "POST", "/api/v1/rules/{code}", api_rule_set, PERM_ADMIN, SR_NONE, RF_JSON_BODY | RF_CREATED, "rules",
	  "add a version: the previous parameters with these changed (a version is never edited)", NULL,
	  "params:object:parameters to change;effective_date:string:YYYY-MM-DD (default today);"
	  "source:string:source document;clause:string:clause;tag:string:A, B, C or L;note:string:note" },
	/* evaluations and results */
	{ "POST", "/api/v1/runs", api_run_create, PERM_EVAL, SR_NONE, RF_JSON_BODY | RF_CREATED, "evaluations",
	  "run the engines now (synchronous) and store the run; answers its id and counts", NULL,
	  "mechanisms:array:mechanism names (default all);year:integer:school year (default the latest);"
	  "as_of:string:rules in force on this date (default today)" },
	{ "POST", "/api/v1/whatif", api_whatif, PERM_EVAL, SR_NONE, RF_JSON_BODY, "evaluations",
	  "a what-if: one proposed change applied to a copy of the server's resident facts and "
	  "computed; answers the result rows that change against the current data (nothing stored)", NULL,
	  "new_school:object:school registry columns (code, name, area_code, type, ...) with pupils and classes "
	  "({\"1\": n, ...} per grade), teachers (a number) and facility (the facility numbers);"
	  "close_teaching_point:object:school (a teaching point) and receiving_school, where its pupils go;"
	  "teacher_exchange:object:teacher, from_school (its posting on 09-01) and to_school;"
	  "year:integer:school year (default the latest);as_of:string:rules in force on this date (default today)" },
	{ "GET", "/api/v1/runs", api_runs_list, PERM_READ, SR_NONE, 0, "evaluations",
	  "stored runs, newest first",
	  "limit:integer:runs per page (1-1000, default 100);before_id:integer:runs older than this id", NULL },
	{ "GET", "/api/v1/runs/compare", api_runs_compare, PERM_READ, SR_RESULT, RF_CACHE, "evaluations",
	  "what changed from run a to run b in the caller's scope: per indicator each run's verdicts and how "
	  "many rows changed, were added or removed; the changed rows in key order, before and after; whether "
	  "the data fingerprint and which rule versions differ",
	  "a:integer:the earlier run;b:integer:the later run;indicator:string:indicator code;"
	  "area:string:an area and everything under it;school:string:one school;"
	  "limit:integer:changed rows per page (1-10000, default 500);cursor:string:the next_cursor of the previous page", NULL },
	{ "GET", "/api/v1/runs/{id}", api_run_get, PERM_READ, SR_NONE, 0, "evaluations",
	  "one run: mechanisms, year, rule versions, data fingerprint", NULL, NULL },
	{ "GET", "/api/v1/results", api_results, PERM_READ, SR_RESULT, 0, "evaluations",
	  "result rows with evidence, in the caller's scope (default: the latest run of each mechanism)",
	  "run:integer:this run;year:integer:the latest run for this school year;indicator:string:indicator code;"
	  "verdict:string:pass, warn, fail or na;area:string:an area and everything under it;"
	  "school:string:one school;limit:integer:rows per page (1-10000, default 100);"
	  "cursor:string:the next_cursor of the previous page", NULL },
	{ "GET", "/api/v1/forecast", api_forecast, PERM_READ, SR_AREA, RF_CACHE, "evaluations",
	  "the enrolment forecast against seats per planning area, stage and year, with 80 %/95 % intervals "
	  "(the JSON of eduhq forecast --format json); a county user sees its county",
	  "area:string:one planning area (county, or town with level=town);level:string:county (default) or town;"
	  "year:integer:forecast from the returns up to this school year (default the latest);"
	  "horizon:integer:years ahead (default the rule's max_horizon);estimator:string:ratio estimator "
	  "(default rule seats.forecast);scenario:string:births scenario low, mid (default) or high", NULL },
	{ "GET", "/api/v1/indicators", api_indicators, PERM_READ, SR_NONE, RF_CACHE, "evaluations",
	  "the indicator catalog: codes, 中英文名称, units, formulas, rules", NULL, NULL },
	{ "GET", "/api/v1/check", api_check, PERM_READ, SR_TABLE, RF_CACHE, "evaluations",
	  "the data-quality report (duplicates, overlaps, missing returns, outliers) over the rows "
	  "in the caller's scope: a county or school user checks its own before the city does",
	  "year:integer:school year (default all)", NULL },
	/* the safety ledger and plan tasks: step by step, each step checked and audited */
	{ "GET", "/api/v1/hazards", api_hazards_list, PERM_READ, SR_TABLE, RF_CACHE, "ledger",
	  "hazards in the caller's scope, by code, with whether each is overdue",
	  "school:string:one school's;state:string:found, registered, assigned, rectifying, accepted or closed;"
	  "category:string:one category;major:integer:1 major hazards (重大隐患), 0 the others;"
	  "overdue:integer:1 overdue, 0 not;as_of:string:judge overdue on this date (default today)", NULL },
	{ "POST", "/api/v1/hazards", api_hazard_add, PERM_WRITE, SR_TABLE, RF_JSON_BODY | RF_CREATED, "ledger",
	  "enter a hazard found at a school of the caller's scope (registered, unless unregistered)", NULL,
	  "school:string:school code (学校标识码);category:string:drowning, building, fire, ...;"
	  "description:string:what was found;major:boolean:a major hazard (重大隐患);"
	  "found:string:date found (default: date);code:string:hazard code (default HZ<school>-NNN);"
	  "unregistered:boolean:record it as found only;date:string:date of the registration (default today)" },
	{ "GET", "/api/v1/hazards/{code}", api_hazard_get, PERM_READ, SR_TABLE, 0, "ledger",
	  "one hazard and every step: who, its date, when recorded; out of scope answers as absent", NULL, NULL },
	{ "POST", "/api/v1/hazards/{code}/register", api_hazard_register, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "ledger",
	  "found -> registered (登记)", NULL, "date:string:date of the step (default today)" },
	{ "POST", "/api/v1/hazards/{code}/assign", api_hazard_assign, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "ledger",
	  "registered -> assigned (交办); a major hazard needs all five items (五落实)", NULL,
	  "date:string:date of the step (default today);responsible:string:responsible person or unit (责任人);"
	  "measures:string:rectification measures (整改措施);deadline:string:deadline (整改时限);"
	  "funds:number:funds in yuan (整改资金);contingency_plan:string:contingency plan (应急预案)" },
	{ "POST", "/api/v1/hazards/{code}/start", api_hazard_start, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "ledger",
	  "assigned -> rectifying (开始整改)", NULL, "date:string:date of the step (default today)" },
	{ "POST", "/api/v1/hazards/{code}/accept", api_hazard_accept, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "ledger",
	  "rectifying -> accepted (验收)", NULL, "date:string:date of the step (default today)" },
	{ "POST", "/api/v1/hazards/{code}/close", api_hazard_close, PERM_WRITE, SR_TABLE, RF_JSON_BODY, "ledger",
	  "accepted -> closed (销号)", NULL, "date:string:date of the step (default today)" },
	{ "GET", "/api/v1/tasks", api_tasks_list, PERM_READ, SR_NONE, RF_CACHE, "ledger",
	  "plan tasks with their status (met, on_track, lagging, overdue) on a date",
	  "status:string:only this status;owner:string:only this unit's;as_of:string:judge on this date (default today)", NULL },
	{ "POST", "/api/v1/tasks", api_task_add, PERM_ADMIN, SR_NONE, RF_JSON_BODY | RF_CREATED, "ledger",
	  "add a plan task", NULL,
	  "code:string:task code;name:string:task (任务名称);owner_unit:string:unit responsible (责任单位);"
	  "target:number:target value;start_date:string:YYYY-MM-DD;deadline:string:YYYY-MM-DD;"
	  "baseline:number:value at the start (default 0);unit:string:unit of the target;"
	  "parent_code:string:parent task;formula:string:take progress from the registry;area_code:string:area a formula counts" },
	{ "GET", "/api/v1/tasks/{code}", api_task_get, PERM_READ, SR_NONE, RF_CACHE, "ledger",
	  "one task: status, sub-tasks and every progress entry with who recorded it",
	  "as_of:string:judge on this date (default today)", NULL },
	{ "POST", "/api/v1/tasks/{code}/progress", api_task_progress, PERM_WRITE, SR_TASK, RF_JSON_BODY | RF_CREATED, "ledger",
	  "record the cumulative value reached on a date (replaces that date's entry); a county user for tasks of its area", NULL,
	  "value:number:cumulative value reached (完成值);date:string:YYYY-MM-DD (default today);note:string:note" },
	/* the dashboard */
	{ "GET", "/api/v1/overview", api_overview, PERM_READ, SR_TABLE, RF_CACHE, "dashboard",
	  "headline figures of the registry in the caller's scope: schools, pupils, teachers, exchanges, "
	  "groups and their coverage with its denominator, specialties, hazards, tasks", NULL, NULL },
	{ "GET", "/api/v1/results/summary", api_results_summary, PERM_READ, SR_RESULT, RF_CACHE, "dashboard",
	  "per mechanism, the result rows of its latest run in the caller's scope by verdict", NULL, NULL },
	/* the annual report (issue 17) */
	{ "GET", "/api/v1/reports/annual", api_report_annual, PERM_EVAL, SR_NONE, 0, "reports",
	  "the annual report of one stored run as a DOCX, HTML or PDF download",
	  "year:integer:school year (required);format:string:docx (default), html or pdf;"
	  "lang:string:zh (default) or en;run:integer:this run (default the newest complete run of the year)",
	  NULL },
};
const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));

int api_role_allowed(enum perm p, enum role role)
{
	switch (p) {
	case PERM_PUBLIC:
	case PERM_SIGNED_IN:
	case PERM_READ: return 1;
	case PERM_WRITE: return role != ROLE_CITY_ANALYST;
	case PERM_EVAL: return role == ROLE_CITY_ADMIN || role == ROLE_CITY_ANALYST;
	case PERM_ADMIN: return role == ROLE_CITY_ADMIN;
	}
	return 0;
}

const char *api_perm_name(enum perm p)
{
	static const char *const n[] = { "public", "signed_in", "read", "write", "eval", "admin" };
	return (unsigned)p < ARRAY_SIZE(n) ? n[p] : "?";
}

const char *api_scope_rule_name(enum scope_rule s)
{
	static const char *const n[] = { "none", "table", "result", "task_area", "area" };
	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

/* strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no NUL or controls */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n, cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
		else return 0;
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Match path against pattern; captures into caps (arena copies). */
static int match(struct req *r, const char *pat, const char *path, const char **caps)
{
	int nc = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *pe = strchr(pat, '}'), *se = strchr(path, '/');
			size_t n = se ? (size_t)(se - path) : strlen(path);
			if (!pe || n == 0 || nc == 4)
				return 0;
			caps[nc++] = arena_strndup(&r->arena, path, n);
			pat = pe + 1;
			path += n;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return !*pat && !*path;
}

void api_route(struct req *r)
{
	char allow[96] = "";
	const char *caps[4];
	if (!valid_utf8(r->path)) {
		resp_error(r, 400, "bad_request", NULL, "the path is not valid UTF-8");
		return;
	}
	for (int i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		memset(caps, 0, sizeof(caps)); /* no capture left over from another pattern */
		if (!match(r, rt->pattern, r->path, caps))
			continue;
		if (!strcmp(rt->method, r->method) || (!strcmp(r->method, "HEAD") && !strcmp(rt->method, "GET"))) {
			r->route = rt;
			memcpy(r->params, caps, sizeof(caps));
			return;
		}
		if (!strstr(allow, rt->method))
			snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
				 allow[0] ? ", " : "", rt->method);
	}
	if (allow[0]) {
		resp_header(r, "Allow", allow);
		resp_error(r, 405, "method_not_allowed", NULL, "%s is not allowed on %s (allowed: %s)",
			   r->method, r->path, allow);
		return;
	}
	resp_error(r, 404, "not_found", NULL, "no route %s", r->path);
}

static int check_query_utf8(void *data, const char *key, const char *value)
{
	int *bad = data;
	if (!valid_utf8(key) || !valid_utf8(value))
		*bad = 1;
	return *bad;
}

/* Who is calling: an API token (Authorization: Bearer) or a session cookie. */
static int authenticate(struct req *r)
{
	struct err e = ERR_INIT;
	const char *authz = req_header(r, "Authorization"), *cookie = req_cookie(r, "eduhq_session");
	int touch = 0;
	time_t now = time(NULL);

	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) || auth_token_lookup(r->rd, authz + 7, &r->who, &e) < 0) {
			resp_header(r, "WWW-Authenticate", "Bearer");
			resp_error(r, 401, "unauthenticated", NULL, "invalid or revoked API token");
			return -1;
		}
	} else if (!cookie || auth_session_lookup(r->rd, &r->srv->policy, cookie, now, &r->who,
						  &touch, &e) < 0) {
		resp_error(r, 401, "unauthenticated", NULL,
			   cookie ? "the session has ended; sign in again" : "sign in first (POST /api/v1/session) or send an API token");
		return -1;
	}
	if (touch) {
		struct store *w = http_writer_lock(r->srv);
		struct err e2 = ERR_INIT;
		auth_session_touch(w, r->who.session_hash, now, &e2); /* best effort */
		http_writer_unlock(r->srv);
	}
	r->authed = 1;
	return 0;
}

int api_preauth(struct req *r)
{
	const struct route *rt = r->route;
	if (rt->perm == PERM_PUBLIC)
		return 0;
	if (authenticate(r) < 0)
		return 1;
	if (!api_role_allowed(rt->perm, r->who.role)) {
		resp_error(r, 403, "forbidden", NULL, "a %s may not %s %s", role_name(r->who.role),
			   r->method, rt->pattern);
		return 1;
	}
	return 0;
}

void api_dispatch(struct req *r)
{
	const struct route *rt = r->route;
	int bad = 0;

	req_query_each(r, check_query_utf8, &bad);
	if (bad) {
		resp_error(r, 400, "bad_request", NULL, "a query parameter is not valid UTF-8");
		return;
	}
	if (!r->authed && api_preauth(r))
		return;
	if (r->authed && r->who.via_session && strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		const char *t = req_header(r, "X-CSRF-Token");
		if (!t || !auth_equal(t, r->who.csrf)) {
			resp_error(r, 403, "csrf", NULL,
				   "a write with a session cookie needs the X-CSRF-Token header (from sign-in or GET /api/v1/me)");
			return;
		}
	}
	if (rt->flags & RF_JSON_BODY) {
		const char *ct = req_header(r, "Content-Type");
		if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
			resp_error(r, 415, "unsupported_media_type", NULL, "send the body as application/json");
			return;
		}
		if (api_parse_body(r))
			return;
	}
	if ((rt->flags & RF_CACHE) && api_cache_get(r))
		return;
	rt->fn(r);
	if (rt->flags & RF_CACHE)
		api_cache_put(r);
}

int api_parse_body(struct req *r)
{
	json_error_t je;
	json_t *j;
	if (memchr(r->body.buf, '\0', r->body.len) || !valid_utf8(r->body.buf)) {
		resp_error(r, 400, "bad_json", NULL, "the body is not valid UTF-8 text");
		return 1;
	}
	j = json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		resp_error(r, 400, "bad_json", NULL, "body: line %d column %d: %s", je.line, je.column,
			   je.text);
		return 1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		resp_error(r, 400, "bad_json", NULL, "the body must be a JSON object");
		return 1;
	}
	r->json = j;
	return 0;
}

/* ---- handler helpers ---- */

void api_json(struct req *r, int status, json_t *v)
{
	struct buf b = BUF_INIT;
	char *txt = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(v);
	if (status == 200 && (r->route->flags & RF_CREATED))
		status = 201;
	buf_adds(&b, txt);
	buf_addch(&b, '\n');
	free(txt);
	resp_buf(r, status, "application/json", &b);
}

json_t *api_body(struct req *r)
{
	return r->json;
}

void api_err(struct req *r, const struct err *e)
{
	switch (e->code) {
	case ERR_NOTFOUND: resp_error(r, 404, "not_found", NULL, "%s", e->msg); break;
	case ERR_DATA: resp_error(r, 422, "invalid", NULL, "%s", e->msg); break;
	case ERR_PERM: resp_error(r, 403, "forbidden", NULL, "%s", e->msg); break;
	case ERR_CONFLICT: resp_error(r, 409, "conflict", NULL, "%s", e->msg); break;
	case ERR_USAGE: resp_error(r, 400, "bad_request", NULL, "%s", e->msg); break;
	default:
		fprintf(r->srv->log, "error: %s %s: %s\n", r->method, r->path, e->msg);
		resp_error(r, 500, "internal", NULL, "internal error; see the server log");
		break;
	}
}

int api_query_long(struct req *r, const char *name, long def, long min, long max, long *out)
{
	const char *v = req_query(r, name);
	char *end;
	long n;
	*out = def;
	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		resp_error(r, 400, "bad_request", NULL, "query parameter '%s': expected an integer %ld-%ld, not '%s'",
			   name, min, max, v);
		return 1;
	}
	*out = n;
	return 0;
}

void api_svc_scope(struct req *r, struct svc_scope *sc)
{
	sc->area = r->who.scope.kind == SCOPE_AREA ? r->who.scope.code : NULL;
	sc->school = r->who.scope.kind == SCOPE_SCHOOL ? r->who.scope.code : NULL;
}

struct actor api_actor(struct req *r)
{
	struct actor a = { r->who.name, r->addr };
	return a;
}

int api_fields(struct req *r, json_t *body, const struct api_field *f, int n, json_t **vals)
{
	json_t *details = json_array();
	const char *key;
	json_t *v;
	char *txt;

	json_object_foreach(body, key, v) {
		int known = 0;
		for (int i = 0; i < n; i++)
			known |= !strcmp(f[i].name, key);
		if (!known)
			json_array_append_new(details, json_pack("{s:s, s:s}", "field", key, "message", "unknown field"));
	}
	for (int i = 0; i < n; i++) {
		const char *want = NULL;
		vals[i] = json_object_get(body, f[i].name);
		if (!vals[i] || json_is_null(vals[i])) {
			vals[i] = NULL;
			if (f[i].required)
				want = "required";
		} else if (f[i].type == 's' && !json_is_string(vals[i])) {
			want = "must be a string";
		} else if (f[i].type == 'b' && !json_is_boolean(vals[i])) {
			want = "must be true or false";
		} else if (f[i].type == 'i' && !json_is_integer(vals[i])) {
			want = "must be an integer";
		} else if (f[i].type == 'n' && !json_is_number(vals[i])) {
			want = "must be a number";
		} else if (f[i].type == 'n' && !isfinite(json_number_value(vals[i]))) {
			want = "must be a finite number";
		} else if (f[i].type == 'o' && !json_is_object(vals[i])) {
			want = "must be an object";
		} else if (f[i].type == 'a' && !json_is_array(vals[i])) {
			want = "must be an array";
		}
		if (want)
			json_array_append_new(details, json_pack("{s:s, s:s}", "field", f[i].name, "message", want));
	}
	if (!json_array_size(details)) {
		json_decref(details);
		return 0;
	}
	txt = json_dumps(details, JSON_COMPACT | JSON_PRESERVE_ORDER);
	resp_error(r, 422, "invalid", txt, "the body has %zu invalid field%s", json_array_size(details),
		   json_array_size(details) == 1 ? "" : "s");
	free(txt);
	json_decref(details);
	return 1;
}
