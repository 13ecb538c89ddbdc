/* svc_overview.c: the registry at a glance, in a scope (what `eduhq demo` prints and the
 * dashboard's first page shows): counts of areas, schools, pupils, teachers, groups,
 * vocational facts, projects, hazards and tasks, and group coverage over the denominator
 * the groups.coverage rule names. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "xmalloc.h"
#include "store.h"
#include "svc.h"
#include "banned.h"

/* ?1 the scope's area (its subtree is `sub`), ?2 its school, ?3 the school year, ?4 and ?5
 * its first and last day (exchanges). A query's scope condition is written for its row alias r. */
#define SUB "WITH RECURSIVE sub(code) AS (SELECT code FROM area WHERE code = ?1 UNION ALL " \
	"SELECT a.code FROM area a JOIN sub ON a.parent_code = sub.code) "
#define IN_SCOPE(col) "(?1 IS NULL OR " col " IN (SELECT s.code FROM school s WHERE " \
	"s.area_code IN (SELECT code FROM sub))) AND (CAST(?2 AS TEXT) IS NULL OR " col " = ?2)"
#define AREA_ONLY(col) "CAST(?2 AS TEXT) IS NULL AND (?1 IS NULL OR " col " IN (SELECT code " \
	"FROM sub))"
#define UNSCOPED "CAST(?1 AS TEXT) IS NULL AND CAST(?2 AS TEXT) IS NULL"

/* The schools each coverage denominator counts (alias r), by the rule's value. */
static const struct {
	const char *value, *name, *cond;
} denominators[] = {
	{ "public_compulsory", "public compulsory schools",
	  "r.ownership = 'public' AND r.type IN ('primary', 'junior', 'nine_year')" },
	{ "compulsory", "compulsory schools", "r.type IN ('primary', 'junior', 'nine_year')" },
	{ "all", "all schools", "1 = 1" },
};

static int count(struct store *s, const struct svc_scope *sc, int year, const char *cond_sql,
		 long *out, struct err *e)
{
	char from[32], to[32];
	struct store_stmt *st = store_prepare(s, cond_sql, e);
	int r;
	if (!st)
		return e->code;
	snprintf(from, sizeof(from), "%d-08-01", year);
	snprintf(to, sizeof(to), "%d-07-31", year + 1);
	store_bind_text(st, 1, sc && sc->area && *sc->area ? sc->area : NULL);
	store_bind_text(st, 2, sc && sc->school && *sc->school ? sc->school : NULL);
	if (strstr(cond_sql, "?3"))
		store_bind_int(st, 3, year);
	if (strstr(cond_sql, "?4")) {
		store_bind_text(st, 4, from);
		store_bind_text(st, 5, to);
	}
	r = store_step(st, e);
	*out = r == 1 ? (long)store_column_int(st, 0) : 0;
	store_finalize(st);
	return r < 0 ? r : 0;
}

int svc_overview(struct store *s, const struct svc_scope *sc, struct svc_overview *o,
		 struct err *e)
{
	static const struct {
		size_t off;
		const char *sql;
	} q[] = {
#define F(field) offsetof(struct svc_overview, field)
		{ F(cities), SUB "SELECT count(*) FROM area r WHERE r.level = 'city' AND " AREA_ONLY("r.code") },
		{ F(counties), SUB "SELECT count(*) FROM area r WHERE r.level = 'county' AND " AREA_ONLY("r.code") },
		{ F(towns), SUB "SELECT count(*) FROM area r WHERE r.level = 'town' AND " AREA_ONLY("r.code") },
		{ F(schools), SUB "SELECT count(*) FROM school r WHERE " IN_SCOPE("r.code") },
		{ F(public_compulsory), SUB "SELECT count(*) FROM school r WHERE r.ownership = 'public' "
		  "AND r.type IN ('primary', 'junior', 'nine_year') AND " IN_SCOPE("r.code") },
		{ F(teaching_points), SUB "SELECT count(*) FROM school r WHERE r.is_teaching_point = 1 "
		  "AND " IN_SCOPE("r.code") },
		{ F(senior), SUB "SELECT count(*) FROM school r WHERE r.type = 'senior' AND "
		  IN_SCOPE("r.code") },
		{ F(vocational), SUB "SELECT count(*) FROM school r WHERE r.type = 'vocational' AND "
		  IN_SCOPE("r.code") },
		{ F(teachers), SUB "SELECT count(*) FROM teacher t WHERE (?1 IS NULL AND "
		  "CAST(?2 AS TEXT) IS NULL) OR "
		  "EXISTS (SELECT 1 FROM posting r WHERE r.teacher_code = t.code AND r.end_date IS NULL "
		  "AND " IN_SCOPE("r.school_code") ")" },
		{ F(postings), SUB "SELECT count(*) FROM posting r WHERE " IN_SCOPE("r.school_code") },
		{ F(exchanges), SUB "SELECT count(*) FROM posting r WHERE r.kind = 'exchange' AND "
		  "r.start_date BETWEEN ?4 AND ?5 AND " IN_SCOPE("r.school_code") },
		{ F(groups), SUB "SELECT count(*) FROM edu_group g WHERE EXISTS (SELECT 1 FROM "
		  "group_member r WHERE r.group_code = g.code AND " IN_SCOPE("r.school_code") ")" },
		{ F(grouped_schools), SUB "SELECT count(DISTINCT r.school_code) FROM group_member r "
		  "WHERE r.left_year IS NULL AND " IN_SCOPE("r.school_code") },
		{ F(specialties), SUB "SELECT count(*) FROM school_specialty r WHERE "
		  IN_SCOPE("r.school_code") },
		{ F(enterprises), SUB "SELECT count(*) FROM enterprise r WHERE " AREA_ONLY("r.area_code") },
		{ F(training_bases), SUB "SELECT count(*) FROM training_base r WHERE "
		  IN_SCOPE("r.school_code") },
		{ F(projects), SUB "SELECT count(*) FROM project r WHERE " AREA_ONLY("r.area_code") },
		{ F(hazards), SUB "SELECT count(*) FROM hazard r WHERE " IN_SCOPE("r.school_code") },
		{ F(tasks), "SELECT count(*) FROM task WHERE " UNSCOPED },
#undef F
	};
	struct rule_set *rules;
	const char *den;
	char sql[512];
	long y = 0;
	size_t d;

	memset(o, 0, sizeof(*o));
	if (count(s, NULL, 0, "SELECT max(year) FROM grade_return",
		  &y, e) < 0)
		return e->code;
	o->pupils_year = (int)y;
	for (size_t i = 0; i < ARRAY_SIZE(q); i++)
		if (count(s, sc, o->pupils_year, q[i].sql, (long *)((char *)o + q[i].off), e) < 0)
			return e->code;
	if (count(s, sc, o->pupils_year, SUB "SELECT sum(r.pupils) FROM grade_return r WHERE r.year = ?3 AND "
		  IN_SCOPE("r.school_code"), &o->pupils, e) < 0)
		return e->code;

	/* coverage over the rule's denominator */
	if (!(rules = rules_load(s, NULL, e)))
		return e->code;
	den = rules_str(rules, "groups.coverage", "denominator", e);
	for (d = 0; den && d < ARRAY_SIZE(denominators) && strcmp(denominators[d].value, den); d++)
		;
	if (!den || d == ARRAY_SIZE(denominators)) {
		if (den)
			err_set(e, ERR_DATA, "rule 'groups.coverage': unknown denominator '%s' (known: "
				"public_compulsory, compulsory, all)", den);
		rules_free(rules);
		return e->code;
	}
	rules_free(rules);
	o->coverage_denominator_name = denominators[d].name;
	snprintf(sql, sizeof(sql), SUB "SELECT count(*) FROM school r WHERE %s AND "
		 IN_SCOPE("r.code"), denominators[d].cond);
	if (count(s, sc, 0, sql, &o->coverage_denominator, e) < 0)
		return e->code;
	snprintf(sql, sizeof(sql), SUB "SELECT count(*) FROM school r WHERE %s AND "
		 IN_SCOPE("r.code") " AND r.code IN (SELECT m.school_code FROM group_member m "
		 "WHERE m.left_year IS NULL)", denominators[d].cond);
	return count(s, sc, 0, sql, &o->coverage_numerator, e);
}
