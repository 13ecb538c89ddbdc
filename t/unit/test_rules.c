/* test_rules.c: rules_seed/rules_load/rules_num/rules_str/rules_used_json against a real
 * temporary SQLite database: version picked by effective date, errors named verbatim. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "store.h"

#define TMPDIR_NAME "eduhq-test-rules"
#include "tmpdir.h"

static char path[300];

static struct store *fresh_store(void)
{
	struct err e = ERR_INIT;
	struct store *s;
	unlink(path);
	s = store_open(path, STORE_CREATE, &e);
	assert_non_null(s);
	assert_int_equal(rules_seed(s, &e), 0);
	return s;
}

static void exec_ok(struct store *s, const char *sql)
{
	struct err e = ERR_INIT;
	if (store_exec(s, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.msg);
}

static void seeded_values_read_back(void **state)
{
	struct err e = ERR_INIT;
	struct store *s = fresh_store();
	struct rule_set *rs = rules_load(s, "2026-01-01", &e);
	double d = 0;
	(void)state;
	assert_non_null(rs);
	assert_int_equal(rules_num(rs, "balance.cv_max", "primary", &d, &e), 0);
	assert_true(d == 0.50);
	assert_int_equal(rules_num(rs, "balance.school_standard", "L5_junior", &d, &e), 0);
	assert_true(d == 10.2);
	assert_int_equal(rules_num(rs, "balance.school_rule", "min_met", &d, &e), 0);
	assert_true(d == 6);
	assert_int_equal(rules_num(rs, "teachers.rural_service", "weak_ratio", &d, &e), 0);
	assert_true(d == 3);
	assert_string_equal(rules_str(rs, "teachers.rural_service", "rural_classes", &e), "210,220");
	assert_string_equal(rules_str(rs, "safety.major_hazard", "required", &e),
			    "measures,responsible,funds,deadline,contingency_plan");
	assert_int_equal((int)rules_builtin_count(), 37);
	rules_free(rs);
	store_close(s);
}

static void errors_name_rule_and_key(void **state)
{
	struct err e = ERR_INIT;
	struct store *s = fresh_store();
	struct rule_set *rs = rules_load(s, "2026-01-01", &e);
	double d = 42;
	(void)state;
	assert_int_equal(rules_num(rs, "no.such", "x", &d, &e), ERR_DATA);
	assert_string_equal(e.msg, "no rule 'no.such' in force");
	assert_int_equal(rules_num(rs, "balance.cv_max", "senior", &d, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'balance.cv_max' has no parameter 'senior'");
	assert_int_equal(rules_num(rs, "groups.coverage", "denominator", &d, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'groups.coverage' parameter 'denominator' is not a number");
	assert_null(rules_str(rs, "balance.cv_max", "primary", &e));
	assert_string_equal(e.msg, "rule 'balance.cv_max' parameter 'primary' is not a string");
	assert_true(d == 42);
	rules_free(rs);
	assert_null(rules_load(s, "2026-13-01", &e));
	assert_string_equal(e.msg, "'2026-13-01' is not a date (YYYY-MM-DD)");
	store_close(s);
}

/* rules_num() of CODE.KEY in the rule set in force at date (loaded and freed here). */
static int num_at(struct store *s, const char *date, const char *code, const char *key,
		  double *d)
{
	struct err e = ERR_INIT;
	struct rule_set *rs = rules_load(s, date, &e);
	int rc;
	assert_non_null(rs);
	rc = rules_num(rs, code, key, d, &e);
	rules_free(rs);
	return rc;
}

static void version_in_force_by_effective_date(void **state)
{
	struct store *s = fresh_store();
	double d;
	(void)state;
	exec_ok(s, "INSERT INTO rule_version(code, version, effective_date, params, source_doc, tag) "
		   "VALUES ('balance.cv_max', 2, '2025-01-01', '{\"primary\":0.4,\"junior\":0.45}', 'x', 'L'),"
		   " ('balance.cv_max', 3, '2030-01-01', '{\"primary\":0.3,\"junior\":0.45}', 'x', 'L'),"
		   " ('balance.cv_max', 4, '2025-01-01', '{\"primary\":0.42,\"junior\":0.45}', 'x', 'L')");
	assert_int_equal(num_at(s, "2024-12-31", "balance.cv_max", "primary", &d), 0);
	assert_true(d == 0.5);
	/* on 2025-01-01 versions 2 and 4 start; the later version (a correction) wins */
	assert_int_equal(num_at(s, "2025-01-01", "balance.cv_max", "primary", &d), 0);
	assert_true(d == 0.42);
	assert_int_equal(num_at(s, "2030-06-01", "balance.cv_max", "primary", &d), 0);
	assert_true(d == 0.3);
	/* before a rule's first effective date it is not in force at all */
	assert_int_equal(num_at(s, "2016-01-01", "balance.cv_max", "primary", &d), ERR_DATA);
	assert_int_equal(num_at(s, "2016-01-01", "seats.entry", "entry_age", &d), 0);
	assert_true(d == 6);
	store_close(s);
}

static void used_rules_are_recorded(void **state)
{
	struct err e = ERR_INIT;
	struct store *s = fresh_store();
	struct rule_set *rs;
	double d;
	char *j;
	(void)state;
	exec_ok(s, "INSERT INTO rule_version(code, version, effective_date, params, source_doc, tag) "
		   "VALUES ('tasks.lag', 2, '2025-08-01', '{\"tolerance\":0.05}', 'x', 'L')");
	rs = rules_load(s, NULL, &e);
	assert_non_null(rs);
	j = rules_used_json(rs);
	assert_string_equal(j, "{}");
	free(j);
	rules_num(rs, "tasks.lag", "tolerance", &d, &e);
	rules_num(rs, "balance.cv_max", "junior", &d, &e);
	rules_num(rs, "balance.cv_max", "primary", &d, &e);
	j = rules_used_json(rs);
	assert_string_equal(j, "{\"balance.cv_max\":1,\"tasks.lag\":2}");
	free(j);
	rules_free(rs);
	store_close(s);
}

static void assert_keys(const struct rule_set *rs, const char *want)
{
	char *k = rules_used_keys(rs);
	assert_string_equal(k, want);
	free(k);
}

/* The parameters read, by key: compared by value between two sets (the server keeps the
 * facts of a mechanism whose load read none of a new version's changed parameters). */
static void read_parameters_compared(void **state)
{
	static const char *const reads = ",balance.method:teacher_base,tasks.lag:tolerance,"
					  "teachers.title_years:no_such_step,";
	struct err e = ERR_INIT;
	struct store *s = fresh_store();
	struct rule_set *was, *now, *later;
	double d;
	(void)state;
	was = rules_load(s, "2026-01-01", &e);
	assert_non_null(was);
	assert_keys(was, ",");
	assert_non_null(rules_str(was, "balance.method", "teacher_base", &e));
	assert_non_null(rules_str(was, "balance.method", "teacher_base", &e));
	assert_int_equal(rules_num(was, "tasks.lag", "tolerance", &d, &e), 0);
	assert_int_equal(rules_num_opt(was, "teachers.title_years", "no_such_step", &d, &e), 0);
	assert_keys(was, reads);

	/* a version that changes only a parameter not read */
	exec_ok(s, "INSERT INTO rule_version(code, version, effective_date, params, source_doc, tag) "
		   "VALUES ('balance.method', 2, '2025-08-01', '{\"teacher_base\":\"full_time\","
		   "\"one_school\":\"na\",\"missing_facility\":\"na\"}', 'x', 'L')");
	now = rules_load(s, "2026-01-01", &e);
	assert_non_null(now);
	assert_int_equal(rules_same_used(was, now, NULL), 0);   /* a rule read moved */
	assert_int_equal(rules_same_used(was, now, reads), 1);  /* none of its parameters read */
	assert_int_equal(rules_same_used(was, now, ",balance.method,"), 0); /* read whole */
	assert_int_equal(rules_same_used(was, now, ",balance.method:one_school,"), 0);
	assert_int_equal(rules_same_used(was, now, ",no.such_rule:x,"), 1); /* in neither */

	/* then one that changes a parameter read */
	exec_ok(s, "INSERT INTO rule_version(code, version, effective_date, params, source_doc, tag) "
		   "VALUES ('balance.method', 3, '2025-09-01', '{\"teacher_base\":\"all\","
		   "\"one_school\":\"na\",\"missing_facility\":\"na\"}', 'x', 'L')");
	later = rules_load(s, "2026-01-01", &e);
	assert_non_null(later);
	assert_int_equal(rules_same_used(was, later, reads), 0);
	assert_int_equal(rules_same_used(was, later, ",tasks.lag:tolerance,"), 1);

	/* the marks carried to another set, and cleared */
	rules_mark_read(later, reads);
	assert_keys(later, reads);
	rules_set_used(later, NULL, 0);
	assert_keys(later, ",");
	rules_set_used(later, ",tasks.lag,", 1); /* read, its parameters not known */
	assert_keys(later, ",tasks.lag,");
	assert_int_equal(rules_num(later, "tasks.lag", "tolerance", &d, &e), 0);
	assert_keys(later, ",tasks.lag,"); /* and it stays read whole */
	rules_mark_read(later, ",balance.method,balance.method:teacher_base,");
	assert_keys(later, ",balance.method,tasks.lag,");
	rules_free(was);
	rules_free(now);
	rules_free(later);
	store_close(s);
}

static void dates_are_validated(void **state)
{
	(void)state;
	assert_true(rules_valid_date("2024-02-29"));
	assert_false(rules_valid_date("2023-02-29"));
	assert_false(rules_valid_date("2100-02-29"));
	assert_true(rules_valid_date("2000-02-29"));
	assert_false(rules_valid_date("2024-04-31"));
	assert_false(rules_valid_date("2024-4-01"));
	assert_false(rules_valid_date("2024-04-01x"));
	assert_false(rules_valid_date(NULL));
}

/* rules_apply: KEY=VALUE settings checked against the rule's parameter definitions. */
static void apply_checks_kinds_and_ranges(void **state)
{
	struct err e = ERR_INIT;
	char *t;
	const char *ok[] = { "primary=0.4", "junior=1" };
	const char *bad[] = { "primary=0.4", "junior=-0.1" };
	const char *nokey[] = { "foo=1" };
	const char *noeq[] = { "primary" };
	const char *ints[] = { "entry_age=7" };
	const char *big[] = { "entry_age=2147483648" };
	const char *list[] = { "primary=24,36,48" };
	(void)state;
	t = rules_apply("balance.cv_max", "{\"primary\":0.5,\"junior\":0.45}", 2, ok, &e);
	assert_non_null(t);
	assert_string_equal(t, "{\"primary\":0.4,\"junior\":1}");
	free(t);
	assert_null(rules_apply("balance.cv_max", "{\"primary\":0.5,\"junior\":0.45}", 2, bad, &e));
	assert_string_equal(e.msg, "rule 'balance.cv_max' parameter 'junior' expects a number from "
			    "0.01 to 5, not '-0.1'");
	assert_null(rules_apply("balance.cv_max", "{\"primary\":0.5}", 1, nokey, &e));
	assert_string_equal(e.msg, "rule 'balance.cv_max' has no parameter 'foo'");
	assert_null(rules_apply("balance.cv_max", "{\"primary\":0.5}", 1, noeq, &e));
	assert_int_equal(e.code, ERR_USAGE);
	assert_null(rules_apply("balance.cv_max", "[1]", 0, NULL, &e));
	assert_string_equal(e.msg, "rule 'balance.cv_max': stored params are not a JSON object");
	/* a key stored but not defined (a rule unknown to this eduhq) cannot be set */
	assert_null(rules_apply("no.rule", "{\"entry_age\":6}", 1, ints, &e));
	assert_string_equal(e.msg, "rule 'no.rule' has no parameter 'entry_age'");
	t = rules_apply("seats.entry", "{\"entry_age\":6}", 1, ints, &e);
	assert_string_equal(t, "{\"entry_age\":7}");
	free(t);
	assert_null(rules_apply("seats.entry", "{\"entry_age\":6}", 1, big, &e));
	t = rules_apply("seats.standard_school", "{\"primary\":\"24,36\"}", 1, list, &e);
	assert_string_equal(t, "{\"primary\":\"24,36,48\"}");
	free(t);
}

/* A stored value outside its range never reaches an engine. */
static void stored_values_are_checked_when_read(void **state)
{
	struct err e = ERR_INIT;
	struct store *s = fresh_store();
	struct rule_set *rs;
	double d = 0;
	(void)state;
	exec_ok(s, "INSERT INTO rule_version(code, version, effective_date, params, source_doc, "
		   "clause, tag, note, created_by) VALUES ('seats.entry', 2, '2020-01-01', "
		   "'{\"entry_age\":2147483648}', 'x', 'x', 'C', 'x', 'sql'), ('safety.building', 2, "
		   "'2020-01-01', '{\"critical_grade\":\"E\"}', 'x', 'x', 'C', 'x', 'sql')");
	rs = rules_load(s, "2026-01-01", &e);
	assert_non_null(rs);
	assert_int_equal(rules_num(rs, "seats.entry", "entry_age", &d, &e), ERR_DATA);
	assert_string_equal(e.msg, "rule 'seats.entry' version 2 parameter 'entry_age' expects an "
			    "integer from 3 to 10, not 2147483648");
	assert_null(rules_str(rs, "safety.building", "critical_grade", &e));
	assert_string_equal(e.msg, "rule 'safety.building' version 2 parameter 'critical_grade' "
			    "expects one of A, B, C, D, not \"E\"");
	rules_free(rs);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seeded_values_read_back),
		cmocka_unit_test(errors_name_rule_and_key),
		cmocka_unit_test(version_in_force_by_effective_date),
		cmocka_unit_test(used_rules_are_recorded),
		cmocka_unit_test(read_parameters_compared),
		cmocka_unit_test(dates_are_validated),
		cmocka_unit_test(apply_checks_kinds_and_ranges),
		cmocka_unit_test(stored_values_are_checked_when_read),
	};
	int rc;
	if (setup_tmpdir(NULL) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", tmpdir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	teardown_tmpdir(NULL); /* with the database's -wal and -shm files */
	return rc;
}
