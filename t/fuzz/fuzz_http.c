/* fuzz_http.c: libFuzzer harness for request parsing in the API (src/api.c): the route
 * match of a path (captures, 404/405, UTF-8 checks), the JSON body parser (strict UTF-8, no
 * duplicate keys, an object) and the body field checks every handler uses (api_fields),
 * with the field lists of the routes that take a body.
 *
 * Input: METHOD, a newline, PATH, a newline, then the body. Invariants: every request is
 * answered by a route (r->route) or with a status in 400..405 and the error shape; a parsed
 * body is an object; field checks answer 422 or accept.
 *
 * FUZZ_SOURCES:
 * FUZZ_CFLAGS: $(pkg-config --cflags jansson libmicrohttpd libsodium)
 * FUZZ_LIBS: $(find src -maxdepth 1 -name '*.c' ! -name main.c) $(pkg-config --libs sqlite3 jansson libmicrohttpd libsodium libzip expat xlsxwriter) -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the schema is not needed: no store is opened */
const char eduhq_schema_sql[] = "";

static const struct api_field login[] = { { "name", 's', 1 }, { "password", 's', 1 } };
static const struct api_field user[] = { { "name", 's', 1 }, { "password", 's', 1 }, { "role", 's', 1 },
					 { "area", 's', 0 }, { "school", 's', 0 } };
static const struct api_field patch[] = { { "password", 's', 0 }, { "disabled", 'b', 0 }, { "role", 's', 0 },
					  { "area", 's', 0 }, { "school", 's', 0 } };
static const struct api_field rule[] = { { "params", 'o', 1 }, { "effective_date", 's', 0 },
					 { "tag", 's', 0 } };
static const struct api_field run[] = { { "mechanisms", 'a', 0 }, { "year", 'i', 0 }, { "as_of", 's', 0 } };

static void check_answer(const struct req *r)
{
	if (r->status < 400 || r->status > 405 || !strstr(r->out.buf, "{\"error\":{\"code\":"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl1, *nl2;
	struct req r;
	char method[16];

	if (!(nl1 = memchr(p, '\n', size)) || nl1 - p >= (long)sizeof(method) ||
	    !(nl2 = memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1))))
		return 0;
	memset(&r, 0, sizeof(r));
	memcpy(method, p, (size_t)(nl1 - p));
	method[nl1 - p] = '\0';
	arena_init(&r.arena, 4096);
	buf_init(&r.body, 0);
	buf_init(&r.out, 0);
	r.method = method;
	r.path = arena_strndup(&r.arena, nl1 + 1, (size_t)(nl2 - nl1 - 1));
	buf_add(&r.body, nl2 + 1, (size_t)(end - nl2 - 1));

	api_route(&r);
	if (r.responded) {
		check_answer(&r);
	} else {
		if (!r.route)
			abort();
		for (int i = 0; i < 4 && r.params[i]; i++)
			if (!*r.params[i] || strchr(r.params[i], '/'))
				abort(); /* a capture is one non-empty segment */
		if (api_parse_body(&r)) {
			check_answer(&r);
		} else {
			json_t *v[6];
			if (!json_is_object(r.json))
				abort();
			/* the field checks of the routes with a body, on this body */
			r.route = &api_routes[0];
			if (api_fields(&r, r.json, login, 2, v) == 0 && (!json_is_string(v[0]) || !json_is_string(v[1])))
				abort();
			buf_reset(&r.out);
			r.responded = 0;
			api_fields(&r, r.json, user, 5, v);
			api_fields(&r, r.json, patch, 5, v);
			if (api_fields(&r, r.json, rule, 3, v) == 0 && !json_is_object(v[0]))
				abort();
			if (api_fields(&r, r.json, run, 3, v) == 0 && v[0] && !json_is_array(v[0]))
				abort();
		}
	}
	json_decref(r.json);
	buf_release(&r.body);
	buf_release(&r.out);
	arena_release(&r.arena);
	return 0;
}
