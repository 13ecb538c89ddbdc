/* fuzz_rules.c: libFuzzer harness for the `rules set` parameter parser, rules_apply()
 * (src/rules.c): KEY=VALUE settings checked against the rule's parameter definitions.
 *
 * The input is split at newlines: line 1 names the rule, line 2 is the previous version's
 * params (JSON text), each further line is one KEY=VALUE. When rules_apply() accepts, its
 * result must be a JSON object holding every key of the previous params, and applying the
 * same settings to the result must give the result again (setting is idempotent). The
 * store is never opened: eduhq_schema_sql below only satisfies the linker for store.c.
 *
 * FUZZ_SOURCES: src/rules.c src/store.c src/store_sqlite.c src/buf.c src/err.c src/xmalloc.c
 * FUZZ_CFLAGS: $(pkg-config --cflags jansson sqlite3)
 * FUZZ_LIBS: $(pkg-config --libs jansson sqlite3) -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rules.h"

const char eduhq_schema_sql[] = "";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, *lines[34];
	int n = 0;
	struct err e = ERR_INIT;
	char *out, *again;

	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; n < 34; n++) {
		char *nl = strchr(p, '\n');
		lines[n] = p;
		if (!nl) {
			n++;
			break;
		}
		*nl = '\0';
		p = nl + 1;
	}
	if (n < 2) {
		free(text);
		return 0;
	}
	out = rules_apply(lines[0], lines[1], n - 2, (const char *const *)lines + 2, &e);
	if (!out) {
		if (!e.code || !e.msg[0])
			abort(); /* a refusal always says why */
		free(text);
		return 0;
	}
	{
		json_error_t je;
		json_t *old = json_loads(lines[1], 0, &je), *res = json_loads(out, 0, &je);
		const char *k;
		json_t *v;
		if (!old || !res || !json_is_object(res))
			abort();
		json_object_foreach(old, k, v)
			if (!json_object_get(res, k))
				abort();
		json_decref(old);
		json_decref(res);
	}
	again = rules_apply(lines[0], out, n - 2, (const char *const *)lines + 2, &e);
	if (!again || strcmp(again, out)) {
		fprintf(stderr, "not idempotent:\n%s\n%s\n", out, again ? again : e.msg);
		abort();
	}
	free(again);
	free(out);
	free(text);
	return 0;
}
