/* test_table.c: the column registry (src/table.c) agrees with the schema (src/schema.sql):
 * every registry table and column exists in SQL and every SQL column is in the registry
 * (teacher: id_number <-> id_hash + id_masked); keys, NOT NULL, defaults and enum value
 * lists match; all 36 registry tables of the schema are registered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"

/* The registry tables of schema.sql (not meta, rules, users, audit, runs, results). */
static const char *const registry_names[] = { "area", "area_boundary", "school", "grade_return",
	"class_section", "pupil_transfer", "facility", "building", "teacher", "posting",
	"title_application", "population", "births", "project", "edu_group", "group_member",
	"exam_result", "activity", "activity_school", "activity_teacher",
	"curriculum_hours", "assessment_scheme",
	"assessment_item", "assessment_score", "voc_catalog", "school_specialty", "specialty_year",
	"industry", "specialty_industry", "enterprise", "cooperation", "training_base",
	"internship", "employee_training", "hazard", "task", "task_progress", NULL };

static struct store *open_tmp(char *path)
{
	struct err e = ERR_INIT;
	struct store *s;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	s = store_open(path, STORE_CREATE, &e);
	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

static void drop_tmp(struct store *s, char *path)
{
	struct buf b = BUF_INIT;
	store_close(s);
	unlink(path);
	buf_addf(&b, "%s-wal", path);
	unlink(b.buf);
	buf_reset(&b);
	buf_addf(&b, "%s-shm", path);
	unlink(b.buf);
	buf_release(&b);
}

/* The quoted values of "NAME IN ('a', 'b', ...)" in sql, joined by '|'; "" if none. */
static void enum_in_sql(const char *sql, const char *name, struct buf *out)
{
	struct buf pat = BUF_INIT;
	const char *p;
	buf_addf(&pat, "%s IN (", name);
	for (p = strstr(sql, pat.buf); p; p = strstr(p + 1, pat.buf))
		if (p[-1] == ' ' || p[-1] == '(')
			break;
	buf_release(&pat);
	if (!p)
		return;
	p = strchr(p, '(') + 1;
	while (*p && *p != ')') {
		const char *q;
		while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t')
			p++;
		if (*p != '\'')
			break;
		q = strchr(p + 1, '\'');
		if (out->len)
			buf_addch(out, '|');
		buf_add(out, p + 1, (size_t)(q - p - 1));
		p = q + 1;
	}
}

static void registry_matches_schema(void **state)
{
	char path[] = "/tmp/test_table_XXXXXX";
	struct store *s = open_tmp(path);
	struct err e = ERR_INIT;
	(void)state;

	for (int i = 0; i < registry_ntables; i++) {
		const struct table *t = &registry_tables[i];
		struct buf q = BUF_INIT, sql = BUF_INIT;
		struct store_stmt *st;
		int nsql = 0, nreg = 0;

		buf_addf(&q, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '%s'", t->name);
		st = store_prepare(s, q.buf, &e);
		assert_non_null(st);
		if (store_step(st, &e) != 1)
			fail_msg("registry table '%s' is not in the schema", t->name);
		buf_adds(&sql, store_column_text(st, 0));
		store_finalize(st);

		buf_reset(&q);
		buf_addf(&q, "SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_info('%s')", t->name);
		st = store_prepare(s, q.buf, &e);
		assert_non_null(st);
		while (store_step(st, &e) == 1) {
			const char *name = store_column_text(st, 0);
			int notnull = (int)store_column_int(st, 1);
			int has_default = store_column_type(st, 2) != STORE_NULL;
			int pk = (int)store_column_int(st, 3) > 0;
			int c = table_col_index(t, name);
			const struct column *col;
			nsql++;
			if (c < 0 || strcmp(t->cols[c].name, name))
				fail_msg("%s.%s is in the schema but not in the registry", t->name, name);
			col = &t->cols[c];
			if (col->flags & TCOL_VIRTUAL)
				fail_msg("%s.%s is virtual but in the schema", t->name, name);
			if (pk != !!(col->flags & TCOL_KEY))
				fail_msg("%s.%s: key flag differs from the primary key", t->name, name);
			if (has_default != (col->def != NULL))
				fail_msg("%s.%s: default differs from the schema", t->name, name);
			if ((notnull && !has_default) != !!(col->flags & (TCOL_REQUIRED | TCOL_DERIVED)))
				fail_msg("%s.%s: required differs from NOT NULL", t->name, name);
			if (col->type == COL_ENUM) {
				struct buf want = BUF_INIT, got = BUF_INIT;
				for (const struct enum_val *v = col->values; v->value; v++)
					buf_addf(&want, "%s%s", want.len ? "|" : "", v->value);
				enum_in_sql(sql.buf, name, &got);
				if (strcmp(want.buf, got.buf))
					fail_msg("%s.%s: values '%s' in the registry, '%s' in the schema",
						 t->name, name, want.buf, got.buf);
				buf_release(&want);
				buf_release(&got);
			}
		}
		store_finalize(st);
		for (int c = 0; c < t->ncols; c++)
			if (!(t->cols[c].flags & TCOL_VIRTUAL))
				nreg++;
		if (nreg != nsql)
			fail_msg("%s: %d columns in the registry, %d in the schema", t->name, nreg, nsql);
		buf_release(&q);
		buf_release(&sql);
	}

	{
		int n = 0;
		for (; registry_names[n]; n++)
			if (!table_find(registry_names[n]))
				fail_msg("schema table '%s' is not in the registry", registry_names[n]);
		assert_int_equal(n, registry_ntables);
		assert_int_equal(registry_ntables, 37);
	}
	drop_tmp(s, path);
}

static void teacher_id_number_is_virtual(void **state)
{
	const struct table *t = table_find("teacher");
	int id, h, m;
	(void)state;
	assert_non_null(t);
	id = table_col_index(t, "id_number");
	h = table_col_index(t, "id_hash");
	m = table_col_index(t, "id_masked");
	assert_true(id >= 0 && h >= 0 && m >= 0);
	assert_true(t->cols[id].flags & TCOL_VIRTUAL);
	assert_int_equal(t->cols[id].check, CHK_ID_NUMBER);
	assert_true(t->cols[h].flags & TCOL_DERIVED);
	assert_true(t->cols[m].flags & TCOL_DERIVED);
	assert_int_equal(table_col_index(t, "身份证号"), id);
}

static void lookups(void **state)
{
	const struct table *t = table_find("school");
	int key[8];
	(void)state;
	assert_ptr_equal(table_find("学校"), t);
	assert_null(table_find("meta"));
	assert_int_equal(table_col_index(t, "学校标识码"), 0);
	assert_int_equal(table_col_index(t, "Area_Code"), 2);
	assert_int_equal(table_col_index(t, "nope"), -1);
	assert_string_equal(table_enum_zh(&t->cols[3], "nine_year"), "九年一贯制学校");
	assert_int_equal(table_key_cols(table_find("specialty_year"), key), 4);
	assert_int_equal(key[3], 3);
}

/* Every number column has a lower and an upper bound (a count beyond a sane bound crashed
 * an engine), integral for integers, all within +-1e15 where doubles hold integers exactly. */
static void every_number_is_bounded(void **state)
{
	(void)state;
	for (int i = 0; i < registry_ntables; i++) {
		const struct table *t = &registry_tables[i];
		for (int c = 0; c < t->ncols; c++) {
			const struct column *col = &t->cols[c];
			if (col->type != COL_INT && col->type != COL_REAL)
				continue;
			if ((col->flags & (TCOL_MIN | TCOL_MAX)) != (TCOL_MIN | TCOL_MAX))
				fail_msg("%s.%s has no lower or upper bound", t->name, col->name);
			if (!(col->min < col->max) || col->min < -1e15 || col->max > 1e15)
				fail_msg("%s.%s: bounds %g..%g", t->name, col->name, col->min, col->max);
			if (col->type == COL_INT && (col->min != (double)(long long)col->min ||
						     col->max != (double)(long long)col->max))
				fail_msg("%s.%s: integer column with fractional bounds", t->name, col->name);
		}
	}
}

/* Ranges and cross-column comparisons of integers are done in integers: as doubles,
 * 2^53 + 1 equals 2^53 and passed a <= check the database then failed. */
static void integers_compare_exactly(void **state)
{
	const struct column wide = { .name = "x", .type = COL_INT, .flags = TCOL_MIN | TCOL_MAX,
				     .min = 0, .max = 9007199254740992.0 };
	const struct column gt = { .name = "y", .type = COL_REAL, .flags = TCOL_MIN | TCOL_GT | TCOL_MAX,
				   .min = 0, .max = 10 };
	const struct table *sy = table_find("specialty_year");
	const char *v[11] = { 0 };
	char msg[96];
	int col;
	(void)state;
	assert_null(table_check_range(&wide, "9007199254740992", msg, sizeof(msg)));
	assert_string_equal(table_check_range(&wide, "9007199254740993", msg, sizeof(msg)),
			    "must be between 0 and 9007199254740992");
	assert_string_equal(table_check_range(&wide, "-1", msg, sizeof(msg)),
			    "must be between 0 and 9007199254740992");
	assert_true(table_cmp_values(&wide, "9007199254740993", "9007199254740992") > 0);
	assert_true(table_cmp_values(&wide, "9223372036854775807", "-9223372036854775808") > 0);
	assert_int_equal(table_cmp_values(&wide, "12", "12"), 0);
	assert_true(table_cmp_values(&gt, "2.5", "10") < 0);
	assert_string_equal(table_check_range(&gt, "0", msg, sizeof(msg)), "must be > 0");
	assert_string_equal(table_check_range(&gt, "10.5", msg, sizeof(msg)), "must be <= 10");
	assert_null(table_check_range(&gt, "10", msg, sizeof(msg)));
	/* employed + further_study near INT64_MAX overflowed the sum */
	assert_non_null(sy);
	v[5] = "10";
	v[6] = "9223372036854775807";
	v[7] = "9223372036854775807";
	assert_string_equal(sy->row_check(v, &col), "employed + further_study exceeds graduates");
	assert_int_equal(col, 7);
	v[6] = "4";
	v[7] = "6";
	assert_null(sy->row_check(v, &col));
	v[7] = "7";
	assert_non_null(sy->row_check(v, &col));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_matches_schema),
		cmocka_unit_test(teacher_id_number_is_virtual),
		cmocka_unit_test(lookups),
		cmocka_unit_test(every_number_is_bounded),
		cmocka_unit_test(integers_compare_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
