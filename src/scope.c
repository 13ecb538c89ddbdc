/* scope.c: roles and the one scope filter every query over a registry table appends. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "scope.h"
#include "store.h"
#include "banned.h"

static const struct {
	const char *name, *zh;
} roles[ROLE_COUNT] = {
	[ROLE_CITY_ADMIN] = { "city_admin", "市局管理员" },
	[ROLE_CITY_ANALYST] = { "city_analyst", "市局分析员" },
	[ROLE_COUNTY_USER] = { "county_user", "县区用户" },
	[ROLE_SCHOOL_USER] = { "school_user", "学校用户" },
};

const char *role_name(enum role r) { return (unsigned)r < ROLE_COUNT ? roles[r].name : "?"; }
const char *role_zh(enum role r) { return (unsigned)r < ROLE_COUNT ? roles[r].zh : "?"; }

int role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (name && !strcmp(roles[i].name, name))
			return i;
	return -1;
}

void scope_of_role(enum role r, const char *area, const char *school, struct scope *sc)
{
	memset(sc, 0, sizeof(*sc));
	if (r == ROLE_COUNTY_USER && area) {
		sc->kind = SCOPE_AREA;
		snprintf(sc->code, sizeof(sc->code), "%s", area);
	} else if (r == ROLE_SCHOOL_USER && school) {
		sc->kind = SCOPE_SCHOOL;
		snprintf(sc->code, sizeof(sc->code), "%s", school);
	} else {
		sc->kind = SCOPE_ALL;
	}
}

/* The areas of the subtree rooted at ?p: itself, its children and grandchildren (the
 * hierarchy is city > county > town, so two levels below a county or the city suffice). */
static void area_subtree(struct buf *sql, int p)
{
	buf_addf(sql, "SELECT a0.code FROM area a0 WHERE a0.code = ?%d OR a0.parent_code = ?%d "
		      "OR a0.parent_code IN (SELECT a1.code FROM area a1 WHERE a1.parent_code = ?%d)",
		 p, p, p);
}

int scope_sql(struct buf *sql, enum row_scope rs, const char *expr, const struct scope *sc,
	      int param)
{
	if (sc->kind == SCOPE_ALL || rs == RS_CITY)
		return 0;
	buf_adds(sql, " AND (");
	switch (rs) {
	case RS_AREA:
		if (sc->kind == SCOPE_SCHOOL) {
			/* a school user sees no area-level rows: ?param still appears, unused */
			buf_addf(sql, "?%d = '' AND 1 = 0", param);
			break;
		}
		buf_addf(sql, "%s IN (", expr);
		area_subtree(sql, param);
		buf_adds(sql, ")");
		break;
	case RS_SCHOOL:
		if (sc->kind == SCOPE_SCHOOL) {
			buf_addf(sql, "%s = ?%d", expr, param);
			break;
		}
		buf_addf(sql, "%s IN (SELECT s0.code FROM school s0 WHERE s0.area_code IN (", expr);
		area_subtree(sql, param);
		buf_adds(sql, "))");
		break;
	case RS_TEACHER:
		buf_addf(sql, "%s IN (SELECT p0.teacher_code FROM posting p0 WHERE p0.end_date IS NULL "
			      "AND p0.school_code ", expr);
		if (sc->kind == SCOPE_SCHOOL) {
			buf_addf(sql, "= ?%d)", param);
			break;
		}
		buf_adds(sql, "IN (SELECT s0.code FROM school s0 WHERE s0.area_code IN (");
		area_subtree(sql, param);
		buf_adds(sql, ")))");
		break;
	default:
		break;
	}
	buf_adds(sql, ")");
	return 1;
}

int scope_contains(struct store *s, const struct table *t, const char *value,
		   const struct scope *sc, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int n, rc;

	if (sc->kind == SCOPE_ALL || t->scope == RS_CITY)
		return 1;
	if (!value)
		return 0;
	buf_adds(&sql, "SELECT 1 FROM meta WHERE key = 'schema_version'");
	n = scope_sql(&sql, t->scope, "?1", sc, 2);
	st = store_prepare(s, sql.buf, e);
	buf_release(&sql);
	if (!st)
		return e->code;
	store_bind_text(st, 1, value);
	if (n)
		store_bind_text(st, 2, sc->code);
	rc = store_step(st, e);
	store_finalize(st);
	return rc;
}

int scope_may_write(enum role r, const struct table *t)
{
	switch (r) {
	case ROLE_CITY_ADMIN: return 1;
	case ROLE_COUNTY_USER:
	case ROLE_SCHOOL_USER: return t->scope != RS_CITY;
	default: return 0;
	}
}
