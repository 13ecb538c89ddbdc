/* api_openapi.c: the OpenAPI 3.1 document, generated from the route table api_routes[]
 * (one source of truth: a route added to the table is documented by that alone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "version.h"
#include "xmalloc.h"
#include "banned.h"

static json_t *error_ref(void)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "error",
			 "content", "application/json", "schema", "$ref", "#/components/schemas/Error");
}

/* "name:type:description;..." -> callback per item */
static void each_spec(const char *spec, void (*fn)(const char *name, const char *type,
						    const char *desc, void *data), void *data)
{
	char *copy, *item, *save = NULL;
	if (!spec)
		return;
	copy = xstrdup(spec);
	for (item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *t = strchr(item, ':'), *d = t ? strchr(t + 1, ':') : NULL;
		if (!t || !d)
			BUG("route spec item '%s' is not name:type:description", item);
		*t++ = '\0';
		*d++ = '\0';
		fn(item, t, d, data);
	}
	free(copy);
}

static void add_query(const char *name, const char *type, const char *desc, void *data)
{
	json_array_append_new(data, json_pack("{s:s, s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "query",
					      "description", desc, "required", 0, "schema", "type", type));
}

static void add_prop(const char *name, const char *type, const char *desc, void *data)
{
	json_object_set_new(data, name, json_pack("{s:s, s:s}", "type", type, "description", desc));
}

/* "/api/v1/tables/{table}" -> operationId "get_tables_table" */
static char *operation_id(const struct route *rt)
{
	char buf[160];
	size_t n = 0;
	const char *p = rt->pattern + strlen("/api/v1");
	for (const char *m = rt->method; *m && n < sizeof(buf) - 1; m++)
		buf[n++] = (char)(*m | 0x20);
	for (; *p && n < sizeof(buf) - 1; p++) {
		if (*p == '/' || *p == '.' || *p == '-')
			buf[n++] = '_';
		else if (*p != '{' && *p != '}')
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

static json_t *operation(const struct route *rt)
{
	json_t *op = json_object(), *params = json_array(), *resp = json_object();
	char *id = operation_id(rt);
	const char *p;
	json_object_set_new(op, "operationId", json_string(id));
	free(id);
	json_object_set_new(op, "summary", json_string(rt->summary));
	json_object_set_new(op, "tags", json_pack("[s]", rt->tag));
	json_object_set_new(op, "x-eduhq-permission", json_string(api_perm_name(rt->perm)));
	json_object_set_new(op, "x-eduhq-scope", json_string(api_scope_rule_name(rt->scope)));
	if (rt->flags & RF_CACHE) /* kept until the data change: api_cache.c */
		json_object_set_new(op, "x-eduhq-cached", json_true());
	if (rt->perm == PERM_PUBLIC)
		json_object_set_new(op, "security", json_array());
	for (p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		char name[32];
		size_t n = (size_t)(strchr(p, '}') - p - 1);
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "path",
							"required", 1, "schema", "type", "string"));
	}
	each_spec(rt->query, add_query, params);
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (rt->flags & RF_JSON_BODY) {
		json_t *props = json_object();
		each_spec(rt->body, add_prop, props);
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s, s:o}}}}", "required", 1,
			"content", "application/json", "schema", "type", "object", "properties", props));
	} else if (rt->flags & RF_UPLOAD) {
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}}}",
			"required", 1, "content", "text/csv", "schema", "type", "string", "format", "binary",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "schema", "type",
			"string", "format", "binary"));
	}
	if (rt->flags & RF_NO_CONTENT)
		json_object_set_new(resp, "204", json_pack("{s:s}", "description", "done"));
	else
		json_object_set_new(resp, (rt->flags & RF_CREATED) ? "201" : "200",
				    json_pack("{s:s, s:{s:{s:{}}}}", "description", "success", "content",
					      "application/json", "schema"));
	json_object_set_new(resp, "400", error_ref());
	if (rt->perm != PERM_PUBLIC) {
		json_object_set_new(resp, "401", error_ref());
		json_object_set_new(resp, "403", error_ref());
	}
	if (strchr(rt->pattern, '{'))
		json_object_set_new(resp, "404", error_ref());
	if (rt->flags & (RF_JSON_BODY | RF_UPLOAD)) {
		json_object_set_new(resp, "413", error_ref());
		json_object_set_new(resp, "415", error_ref());
		json_object_set_new(resp, "422", error_ref());
	}
	if (!strcmp(rt->pattern, "/api/v1/session") && !strcmp(rt->method, "POST"))
		json_object_set_new(resp, "429", error_ref());
	json_object_set_new(op, "responses", resp);
	return op;
}

json_t *api_openapi(void)
{
	json_t *doc, *paths = json_object();
	for (int i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		char method[16];
		size_t n;
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		for (n = 0; rt->method[n] && n < sizeof(method) - 1; n++)
			method[n] = (char)(rt->method[n] | 0x20);
		method[n] = '\0';
		json_object_set_new(item, method, operation(rt));
	}
	doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o}",
		"openapi", "3.1.0",
		"info", "title", "eduhq API", "version", EDUHQ_VERSION, "description",
		"教育高质量发展监测与决策平台: registry, rules, evaluations and results. Generated from "
		"the route table (src/api.c). Errors are {\"error\":{\"code\",\"message\",\"details\"}}. "
		"Sign in with POST /api/v1/session (cookie; send X-CSRF-Token on writes) or send an "
		"API token as 'Authorization: Bearer TOKEN'.",
		"license", "name", "Proprietary", "identifier", "LicenseRef-eduhq",
		"servers", "url", "/",
		"paths", paths);
	json_object_set_new(doc, "security", json_pack("[{s:[]}, {s:[]}]", "cookieAuth", "bearerAuth"));
	json_object_set_new(doc, "components", json_pack(
		"{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}, s:{s:{s:s, s:[s], s:{s:{s:s, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}}}",
		"securitySchemes",
		"cookieAuth", "type", "apiKey", "in", "cookie", "name", "eduhq_session",
		"bearerAuth", "type", "http", "scheme", "bearer",
		"schemas", "Error", "type", "object", "required", "error", "properties", "error",
		"type", "object", "required", "code", "message", "details", "properties",
		"code", "type", "string", "message", "type", "string", "details", "type", "array"));
	return doc;
}
