/* test_svc.c: the service layer against a real temporary SQLite database: registry rows
 * (validation with structured errors, referenced keys, scopes), result queries in a scope,
 * overview figures, rule versions, and an evaluation run that fails midway storing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "eval.h"
#include "rules.h"
#include "store.h"
#include "audit.h"
#include "idhash.h"
#include "svc.h"
#include "table.h"

#define TMPDIR_NAME "eduhq-test-svc"
#include "tmpdir.h"

static char path[300];

static struct store *fresh_store(void)
{
	struct err e = ERR_INIT;
	struct store *s;
	char kpath[320];
	snprintf(path, sizeof(path), "%s/svc.db", tmpdir);
	unlink(path);
	/* the key file: ID hashing and the audit chain's key */
	snprintf(kpath, sizeof(kpath), "%s.key", path);
	unlink(kpath);
	assert_int_equal(idhash_key_create(kpath, &e), 0);
	s = store_open(path, STORE_CREATE, &e);
	assert_non_null(s);
	assert_int_equal(rules_seed(s, &e), 0);
	return s;
}

static const struct actor test_actor = { "test", "unit" };

/* Upsert a row given as "col=value" pairs; returns the result, errs filled. */
static int put(struct store *s, const char *table, const struct svc_scope *sc,
	       struct row_errors *errs, int *created, ...)
{
	const struct table *t = table_find(table);
	const char *raw[64] = { 0 };
	struct err e = ERR_INIT;
	va_list ap;
	const char *kv;
	char keys[64][64];
	int n = 0, rc;

	assert_non_null(t);
	va_start(ap, created);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		const char *eq = strchr(kv, '=');
		int c;
		snprintf(keys[n], sizeof(keys[n]), "%.*s", (int)(eq - kv), kv);
		c = table_col_index(t, keys[n]);
		assert_true(c >= 0);
		raw[c] = eq + 1;
		n++;
	}
	va_end(ap);
	rc = registry_upsert(s, t, raw, sc, &test_actor, errs, created, &e);
	return rc;
}

static void seed_places(struct store *s)
{
	struct row_errors errs = { 0 };
	int created = 0;
	assert_int_equal(put(s, "area", NULL, &errs, &created, "code=390500", "name=临江市",
			     "level=city", NULL), 0);
	assert_int_equal(created, 1);
	assert_int_equal(put(s, "area", NULL, &errs, &created, "code=390502", "name=江城区",
			     "level=county", "parent_code=390500", NULL), 0);
	assert_int_equal(put(s, "area", NULL, &errs, &created, "code=390503", "name=滨江区",
			     "level=county", "parent_code=390500", NULL), 0);
	assert_int_equal(put(s, "area", NULL, &errs, &created, "code=390502001000",
			     "name=城东街道", "level=town", "parent_code=390502", "urban_rural=111",
			     NULL), 0);
	assert_int_equal(put(s, "school", NULL, &errs, &created, "code=3905020001",
			     "name=第一小学", "area_code=390502001000", "type=primary",
			     "urban_rural=111", NULL), 0);
	assert_int_equal(put(s, "school", NULL, &errs, &created, "code=3905030001",
			     "name=滨江小学", "area_code=390503", "type=primary", "urban_rural=121",
			     NULL), 0);
	assert_int_equal(errs.nr, 0);
	row_errors_release(&errs);
}

struct rows {
	struct buf b;
	int n;
};

static int collect(void *arg, const struct table *t, const char *const *vals)
{
	struct rows *r = arg;
	buf_addf(&r->b, "%s%s", r->n++ ? ";" : "", vals[table_col_of(t, "code")]);
	return 0;
}

static void registry_rows_in_scope(void **state)
{
	struct store *s = fresh_store();
	struct rows r = { BUF_INIT, 0 };
	struct err e = ERR_INIT;
	struct svc_scope county = { "390502", NULL }, one = { NULL, "3905030001" };
	const char *key[1] = { "3905020001" };
	(void)state;

	seed_places(s);
	assert_int_equal(registry_list(s, table_find("school"), NULL, collect, &r, &e), 0);
	assert_string_equal(r.b.buf, "3905020001;3905030001");
	buf_reset(&r.b);
	r.n = 0;
	/* a county sees the school of its town, not the other county's */
	assert_int_equal(registry_list(s, table_find("school"), &county, collect, &r, &e), 0);
	assert_string_equal(r.b.buf, "3905020001");
	buf_reset(&r.b);
	r.n = 0;
	assert_int_equal(registry_list(s, table_find("area"), &county, collect, &r, &e), 0);
	assert_string_equal(r.b.buf, "390502;390502001000");
	buf_reset(&r.b);
	r.n = 0;
	assert_int_equal(registry_list(s, table_find("school"), &one, collect, &r, &e), 0);
	assert_string_equal(r.b.buf, "3905030001");
	/* a school user sees no area rows (areas are not a school's data) */
	buf_reset(&r.b);
	r.n = 0;
	assert_int_equal(registry_list(s, table_find("area"), &one, collect, &r, &e), 0);
	assert_int_equal(r.n, 0);
	/* get: in scope or not */
	buf_reset(&r.b);
	r.n = 0;
	assert_int_equal(registry_get(s, table_find("school"), key, &county, collect, &r, &e), 1);
	assert_string_equal(r.b.buf, "3905020001");
	assert_int_equal(registry_get(s, table_find("school"), key, &one, collect, &r, &e), 0);
	buf_release(&r.b);
	store_close(s);
}

static void upsert_validates_with_structured_errors(void **state)
{
	struct store *s = fresh_store();
	struct row_errors errs = { 0 };
	struct svc_scope other = { "390503", NULL };
	struct err e = ERR_INIT;
	const char *key[1] = { "3905020001" };
	int created = -1;
	(void)state;

	seed_places(s);
	assert_int_equal(put(s, "school", NULL, &errs, &created, "code=3905020009",
			     "name=坏学校", "area_code=390502", "type=college", "urban_rural=111",
			     "declared_seats=-5", NULL), ERR_DATA);
	assert_int_equal(errs.nr, 2);
	assert_string_equal(errs.v[0].table, "school");
	assert_string_equal(errs.v[0].key, "3905020009");
	assert_string_equal(errs.v[0].column, "type");
	assert_string_equal(errs.v[0].code, "not_allowed");
	assert_non_null(strstr(errs.v[0].en, "'college': not one of primary (小学)"));
	assert_string_equal(errs.v[0].zh, "办学类型：'college' 不是允许的取值");
	assert_string_equal(errs.v[1].column, "declared_seats");
	assert_string_equal(errs.v[1].code, "range");
	assert_string_equal(errs.v[1].en, "'-5': must be between 0 and 100000");
	row_errors_release(&errs);

	/* a referenced area that does not exist */
	assert_int_equal(put(s, "school", NULL, &errs, &created, "code=3905020009",
			     "name=新学校", "area_code=390599", "type=primary", "urban_rural=111",
			     NULL), ERR_DATA);
	assert_int_equal(errs.nr, 1);
	assert_string_equal(errs.v[0].code, "not_found");
	assert_string_equal(errs.v[0].en, "'390599' not found in area.code");
	row_errors_release(&errs);

	/* update in place: created 0, the new name stored */
	assert_int_equal(put(s, "school", NULL, &errs, &created, "code=3905020001",
			     "name=第一实验小学", "area_code=390502001000", "type=primary",
			     "urban_rural=111", NULL), 0);
	assert_int_equal(created, 0);
	{
		/* the change is in the audit log, with the row before and after */
		int64_t n = 0;
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM audit_log WHERE action = 'update' "
					     "AND table_name = 'school' AND row_key = '3905020001' AND "
					     "user_name = 'test' AND address = 'unit' AND before LIKE '%\"name\":\"%' "
					     "AND after LIKE '%第一实验小学%'", &n, &e), 0);
		assert_int_equal(n, 1);
	}
	/* out of scope: another county's school, or moving a row into it */
	assert_int_equal(put(s, "school", &other, &errs, &created, "code=3905020001",
			     "name=x", "area_code=390503", "type=primary", "urban_rural=111", NULL),
			 ERR_PERM);
	assert_int_equal(put(s, "school", &other, &errs, &created, "code=3905030002",
			     "name=x", "area_code=390502", "type=primary", "urban_rural=111", NULL),
			 ERR_PERM);
	assert_int_equal(registry_delete(s, table_find("school"), key, &other, &test_actor, &e), 0);
	/* an area that schools refer to cannot go */
	{
		const char *akey[1] = { "390503" };
		assert_int_equal(registry_delete(s, table_find("area"), akey, NULL, &test_actor, &e), ERR_DATA);
		assert_non_null(strstr(e.msg, "area 390503 cannot be deleted: other rows refer to it"));
	}
	assert_int_equal(registry_delete(s, table_find("school"), key, NULL, &test_actor, &e), 1);
	{
		int64_t n = 0;
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM audit_log WHERE action = 'delete' "
					     "AND row_key = '3905020001' AND after IS NULL", &n, &e), 0);
		assert_int_equal(n, 1);
	}
	assert_int_equal(registry_get(s, table_find("school"), key, NULL, NULL, NULL, &e), 0);
	assert_int_equal(registry_delete(s, table_find("school"), key, NULL, &test_actor, &e), 0);
	store_close(s);
}

static void validate_row_reports_every_column(void **state)
{
	const struct table *t = table_find("area");
	const char *raw[16] = { 0 };
	struct table_row row;
	struct row_errors errs = { 0 };
	(void)state;

	raw[table_col_of(t, "code")] = "39050";
	raw[table_col_of(t, "level")] = "province";
	table_row_init(&row, t);
	assert_int_equal(table_validate_row(t, raw, &row, &errs), ERR_DATA);
	assert_int_equal(errs.nr, 3);
	assert_string_equal(errs.v[0].column, "code");
	assert_string_equal(errs.v[0].code, "bad_code");
	assert_string_equal(errs.v[1].column, "name");
	assert_string_equal(errs.v[1].code, "missing");
	assert_string_equal(errs.v[1].en, "missing value");
	assert_string_equal(errs.v[1].zh, "区划名称：缺少取值");
	assert_string_equal(errs.v[2].column, "level");
	row_errors_release(&errs);
	table_row_release(&row);

	/* canonical forms: leading zeros, 是/否, Chinese enum meanings, defaults */
	t = table_find("school");
	memset(raw, 0, sizeof(raw));
	raw[table_col_of(t, "code")] = " 3905020001 ";
	raw[table_col_of(t, "name")] = "一小";
	raw[table_col_of(t, "area_code")] = "390502";
	raw[table_col_of(t, "type")] = "小学";
	raw[table_col_of(t, "urban_rural")] = "111";
	raw[table_col_of(t, "is_weak")] = "是";
	raw[table_col_of(t, "declared_seats")] = "0120";
	table_row_init(&row, t);
	assert_int_equal(table_validate_row(t, raw, &row, &errs), 0);
	assert_string_equal(row.vals[table_col_of(t, "code")], "3905020001");
	assert_string_equal(row.vals[table_col_of(t, "type")], "primary");
	assert_string_equal(row.vals[table_col_of(t, "is_weak")], "1");
	assert_string_equal(row.vals[table_col_of(t, "ownership")], "public");
	assert_string_equal(row.vals[table_col_of(t, "declared_seats")], "120");
	assert_null(row.vals[table_col_of(t, "latitude")]);
	table_row_release(&row);
}

struct got {
	struct buf b;
};

static int got_row(void *arg, const struct svc_run *run, const struct result_row *r)
{
	struct got *g = arg;
	buf_addf(&g->b, "%lld:%s:%s:%s;", (long long)run->id, r->indicator, r->unit_id,
		 verdict_name(r->verdict));
	return 0;
}

static void results_in_scope(void **state)
{
	struct store *s = fresh_store();
	struct result_set rs;
	struct err e = ERR_INIT;
	struct got g = { BUF_INIT };
	struct svc_result_filter f = { 0 };
	struct svc_scope county = { "390502", NULL }, one = { NULL, "3905030001" };
	int64_t id = 0;
	(void)state;

	seed_places(s);
	results_init(&rs);
	results_add_row(&rs, "BAL.CV.L1", "county", "390502", "primary", 2024, 0.3, NAN, NAN, 0.5,
			V_PASS, NULL);
	results_add_row(&rs, "BAL.CV.L1", "county", "390503", "primary", 2024, 0.6, NAN, NAN, 0.5,
			V_FAIL, NULL);
	results_add_row(&rs, "BAL.SCHOOL", "school", "3905020001", "primary", 2024, 7, NAN, NAN,
			6, V_PASS, NULL);
	results_add_row(&rs, "BAL.SCHOOL", "school", "3905030001", "primary", 2024, 5, NAN, NAN,
			6, V_FAIL, NULL);
	assert_int_equal(eval_run_save(s, "balance", 2024, "{}", "fp", &rs, &id, &e), 0);
	results_release(&rs);

	assert_int_equal(svc_results(s, &f, NULL, NULL, got_row, &g, &e), 0);
	assert_string_equal(g.b.buf, "1:BAL.CV.L1:390502:pass;1:BAL.CV.L1:390503:fail;"
			    "1:BAL.SCHOOL:3905020001:pass;1:BAL.SCHOOL:3905030001:fail;");
	buf_reset(&g.b);
	assert_int_equal(svc_results(s, &f, &county, NULL, got_row, &g, &e), 0);
	assert_string_equal(g.b.buf, "1:BAL.CV.L1:390502:pass;1:BAL.SCHOOL:3905020001:pass;");
	buf_reset(&g.b);
	assert_int_equal(svc_results(s, &f, &one, NULL, got_row, &g, &e), 0);
	assert_string_equal(g.b.buf, "1:BAL.SCHOOL:3905030001:fail;");
	buf_reset(&g.b);
	f.verdict = "fail";
	assert_int_equal(svc_results(s, &f, NULL, NULL, got_row, &g, &e), 0);
	assert_string_equal(g.b.buf, "1:BAL.CV.L1:390503:fail;1:BAL.SCHOOL:3905030001:fail;");
	f.run = 7;
	assert_int_equal(svc_results(s, &f, NULL, NULL, got_row, &g, &e), ERR_NOTFOUND);
	assert_string_equal(e.msg, "no evaluation run 7");
	buf_release(&g.b);
	store_close(s);
}

/* A mechanism that writes (as seats writes its vintage) and then fails. */
static int writes_then_fails(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	results_add_row(out, "X", "city", "390500", "", 2024, 1, NAN, NAN, NAN, V_PASS, NULL);
	if (store_meta_set(ec->store, "written_by_mechanism", "yes", e) < 0)
		return e->code;
	return err_set(e, ERR_DATA, "failed on purpose");
}

static int writes_ok(struct eval_ctx *ec, struct result_set *out, struct err *e)
{
	results_add_row(out, "X", "city", "390500", "", ec->year, 1, NAN, NAN, NAN, V_PASS, NULL);
	return store_meta_set(ec->store, "written_by_mechanism", "yes", e);
}

static void eval_run_is_atomic(void **state)
{
	static const struct mechanism bad = { .name = "bad", .summary = "fails",
					      .run = writes_then_fails };
	static const struct mechanism good = { .name = "good", .summary = "works",
					       .run = writes_ok };
	const struct mechanism *run1[] = { &good, &bad, NULL }, *run2[] = { &good, NULL };
	struct store *s = fresh_store();
	struct eval_out o;
	struct err e = ERR_INIT;
	int64_t n = -1;
	char *v;
	(void)state;

	assert_int_equal(eval_run(s, run1, 2024, NULL, NULL, 0, &o, &e), ERR_DATA);
	assert_string_equal(e.msg, "bad: failed on purpose");
	eval_out_release(&o);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM eval_run", &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM result_chunk", &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(store_meta_get(s, "written_by_mechanism"));
	assert_int_equal(s->depth, 0);

	assert_int_equal(eval_run(s, run2, 2024, "2025-01-01", NULL, 0, &o, &e), 0);
	assert_int_equal(o.run.id, 1);
	assert_int_equal(o.run.year, 2024);
	assert_string_equal(o.run.mechanisms, "good");
	assert_int_equal(o.nmech, 1);
	assert_int_equal(o.mech[0].last - o.mech[0].first, 1);
	assert_non_null(o.run.created_at);
	eval_out_release(&o);
	v = store_meta_get(s, "written_by_mechanism");
	assert_string_equal(v, "yes");
	free(v);
	/* no year and no grade returns: an error before anything runs */
	assert_int_equal(eval_run(s, run2, 0, NULL, NULL, 0, &o, &e), ERR_DATA);
	assert_string_equal(e.msg, "no grade returns in the database; import grade_return first "
			    "or pass --year");
	eval_out_release(&o);
	store_close(s);
}

static void overview_in_scope(void **state)
{
	struct store *s = fresh_store();
	struct svc_overview o;
	struct svc_scope county = { "390502", NULL };
	struct err e = ERR_INIT;
	(void)state;

	seed_places(s);
	assert_int_equal(svc_overview(s, NULL, &o, &e), 0);
	assert_int_equal(o.cities, 1);
	assert_int_equal(o.counties, 2);
	assert_int_equal(o.towns, 1);
	assert_int_equal(o.schools, 2);
	assert_int_equal(o.public_compulsory, 2);
	assert_int_equal(o.coverage_denominator, 2);
	assert_string_equal(o.coverage_denominator_name, "public compulsory schools");
	assert_int_equal(svc_overview(s, &county, &o, &e), 0);
	assert_int_equal(o.cities, 0);
	assert_int_equal(o.counties, 1);
	assert_int_equal(o.towns, 1);
	assert_int_equal(o.schools, 1);
	/* the denominator follows the rule */
	{
		const char *kv[] = { "denominator=all" };
		struct svc_rule_change ch = { .effective = "2025-08-01", .user = "test" };
		int ver = 0;
		assert_int_equal(rules_set_version(s, "groups.coverage", 1, kv, &ch, &ver, &e), 0);
		assert_int_equal(ver, 2);
	}
	assert_int_equal(svc_overview(s, NULL, &o, &e), 0);
	assert_string_equal(o.coverage_denominator_name, "all schools");
	store_close(s);
}

static void rules_versions(void **state)
{
	struct store *s = fresh_store();
	struct svc_rules l;
	struct err e = ERR_INIT;
	const char *kv[] = { "primary=0.48" }, *bad[] = { "nosuch=1" }, *nan[] = { "primary=x" };
	struct svc_rule_change ch = { .effective = "2026-01-01", .source = "市教育局文件" };
	int ver = 0;
	(void)state;

	assert_int_equal(rules_set_version(s, "balance.cv_max", 1, kv, &ch, &ver, &e), 0);
	assert_int_equal(ver, 2);
	assert_int_equal(svc_rules_in_force(s, "2025-12-31", "balance.cv_max", &l, &e), 0);
	assert_int_equal(l.v[0].version, 1);
	svc_rules_release(&l);
	assert_int_equal(svc_rules_in_force(s, "2026-01-01", "balance.cv_max", &l, &e), 0);
	assert_int_equal(l.v[0].version, 2);
	assert_string_equal(l.v[0].params, "{\"primary\":0.48,\"junior\":0.45}");
	assert_string_equal(l.v[0].source, "市教育局文件");
	assert_string_equal(l.v[0].created_by, "cli");
	svc_rules_release(&l);
	assert_int_equal(svc_rules_history(s, "balance.cv_max", &l, &e), 0);
	assert_int_equal(l.nr, 2);
	svc_rules_release(&l);
	assert_int_equal(rules_set_version(s, "balance.cv_max", 1, bad, &ch, &ver, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'balance.cv_max' has no parameter 'nosuch'");
	assert_int_equal(rules_set_version(s, "balance.cv_max", 1, nan, &ch, &ver, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'balance.cv_max' parameter 'primary' expects a number from 0.01 to 5, "
			    "not 'x'");
	assert_int_equal(rules_set_version(s, "no.such", 1, kv, &ch, &ver, &e), ERR_NOTFOUND);
	assert_string_equal(e.msg, "no rule 'no.such'");
	assert_int_equal(svc_rules_in_force(s, "2000-01-01", "balance.cv_max", &l, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'balance.cv_max' has no version in force on 2000-01-01");
	assert_int_equal(s->depth, 0);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_rows_in_scope),
		cmocka_unit_test(upsert_validates_with_structured_errors),
		cmocka_unit_test(validate_row_reports_every_column),
		cmocka_unit_test(results_in_scope),
		cmocka_unit_test(eval_run_is_atomic),
		cmocka_unit_test(overview_in_scope),
		cmocka_unit_test(rules_versions),
	};
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
