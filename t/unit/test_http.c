/* test_http.c: the route table and what is generated from it: the OpenAPI document has
 * exactly one operation per route, with its permission and scope rule; path parameters
 * match the pattern's captures; the role/permission table; and the scope condition that
 * every registry query appends (scope.c), per kind of table and scope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "scope.h"
#include "table.h"

static void openapi_matches_route_table(void **state)
{
	json_t *doc = api_openapi(), *paths = json_object_get(doc, "paths"), *item;
	const char *path;
	size_t nops = 0;
	(void)state;
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	for (int i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		char method[16];
		size_t n;
		json_t *op;
		for (n = 0; rt->method[n]; n++)
			method[n] = (char)(rt->method[n] | 0x20);
		method[n] = '\0';
		op = json_object_get(json_object_get(paths, rt->pattern), method);
		if (!op)
			fail_msg("route %s %s is not in the document", rt->method, rt->pattern);
		assert_string_equal(json_string_value(json_object_get(op, "x-eduhq-permission")),
				    api_perm_name(rt->perm));
		assert_string_equal(json_string_value(json_object_get(op, "x-eduhq-scope")),
				    api_scope_rule_name(rt->scope));
		assert_string_equal(json_string_value(json_object_get(op, "summary")), rt->summary);
		/* one path parameter per {capture} */
		{
			size_t caps = 0, params = 0, k;
			json_t *p;
			for (const char *c = strchr(rt->pattern, '{'); c; c = strchr(c + 1, '{'))
				caps++;
			json_array_foreach(json_object_get(op, "parameters"), k, p)
				params += !strcmp(json_string_value(json_object_get(p, "in")), "path");
			assert_int_equal(caps, params);
		}
		/* every route documents its errors */
		assert_non_null(json_object_get(json_object_get(op, "responses"), "400"));
		if (rt->perm != PERM_PUBLIC)
			assert_non_null(json_object_get(json_object_get(op, "responses"), "401"));
	}
	json_object_foreach(paths, path, item)
		nops += json_object_size(item);
	assert_int_equal(nops, (size_t)api_nroutes);
	json_decref(doc);
}

static void permissions_by_role(void **state)
{
	/* rows: PERM_*; columns: admin, analyst, county, school */
	static const int want[][4] = {
		[PERM_PUBLIC] = { 1, 1, 1, 1 },    [PERM_SIGNED_IN] = { 1, 1, 1, 1 },
		[PERM_READ] = { 1, 1, 1, 1 },      [PERM_WRITE] = { 1, 0, 1, 1 },
		[PERM_EVAL] = { 1, 1, 0, 0 },      [PERM_ADMIN] = { 1, 0, 0, 0 },
	};
	(void)state;
	for (int p = PERM_PUBLIC; p <= PERM_ADMIN; p++)
		for (int r = 0; r < ROLE_COUNT; r++)
			assert_int_equal(api_role_allowed((enum perm)p, (enum role)r), want[p][r]);
	assert_int_equal(role_parse("county_user"), ROLE_COUNTY_USER);
	assert_int_equal(role_parse("root"), -1);
}

static void scope_conditions(void **state)
{
	struct scope all = { SCOPE_ALL, "" }, county = { SCOPE_AREA, "390522" },
		     one = { SCOPE_SCHOOL, "3905220001" };
	struct buf b = BUF_INIT;
	(void)state;
	/* everything, and city-wide tables: no condition */
	assert_int_equal(scope_cond(&b, table_find("school"), "r", &all, 2), 0);
	assert_int_equal(scope_cond(&b, table_find("industry"), "r", &county, 2), 0);
	assert_string_equal(b.buf, "");
	/* a school's rows for a school user */
	assert_int_equal(scope_cond(&b, table_find("facility"), "r", &one, 3), 1);
	assert_string_equal(b.buf, " AND (r.school_code = ?3)");
	buf_reset(&b);
	/* a school row for a county user goes by its area (a new school can be added) */
	scope_cond(&b, table_find("school"), "r", &county, 1);
	assert_string_equal(b.buf, " AND (r.area_code IN (SELECT a0.code FROM area a0 WHERE a0.code = ?1 "
			    "OR a0.parent_code = ?1 OR a0.parent_code IN (SELECT a1.code FROM area a1 "
			    "WHERE a1.parent_code = ?1)))");
	buf_reset(&b);
	scope_cond(&b, table_find("school"), "r", &one, 1);
	assert_string_equal(b.buf, " AND (r.code = ?1)");
	buf_reset(&b);
	/* a teacher by the current posting */
	scope_cond(&b, table_find("teacher"), "r", &one, 4);
	assert_string_equal(b.buf, " AND (r.code IN (SELECT p0.teacher_code FROM posting p0 WHERE "
			    "p0.end_date IS NULL AND p0.school_code = ?4))");
	buf_reset(&b);
	/* area rows are nobody's for a school user */
	scope_cond(&b, table_find("population"), "r", &one, 2);
	assert_string_equal(b.buf, " AND (CAST(?2 AS TEXT) = '' AND 1 = 0)");
	buf_release(&b);
	/* writes: the analyst writes nothing, county and school users no city-wide table */
	assert_int_equal(scope_may_write(ROLE_CITY_ADMIN, table_find("industry")), 1);
	assert_int_equal(scope_may_write(ROLE_COUNTY_USER, table_find("industry")), 0);
	assert_int_equal(scope_may_write(ROLE_SCHOOL_USER, table_find("facility")), 1);
	assert_int_equal(scope_may_write(ROLE_CITY_ANALYST, table_find("facility")), 0);
}

static void every_table_has_a_scope_column(void **state)
{
	(void)state;
	for (int i = 0; i < registry_ntables; i++) {
		const struct table *t = &registry_tables[i];
		if (t->scope == RS_CITY)
			continue;
		if (table_col_index(t, t->scope_col) < 0)
			fail_msg("table %s: scope column %s is not a column", t->name, t->scope_col);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(openapi_matches_route_table),
		cmocka_unit_test(permissions_by_role),
		cmocka_unit_test(scope_conditions),
		cmocka_unit_test(every_table_has_a_scope_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
