/* scope.c: roles and the one scope filter every query over a registry table appends. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "scope.h"
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

int scope_cond(struct buf *sql, const struct table *t, const char *alias, const struct scope *sc,
	       int param)
{
	const char *col = t->scope_col;
	enum row_scope rs = t->scope;
	if (sc->kind == SCOPE_ALL || rs == RS_CITY)
		return 0;
	if (sc->kind == SCOPE_AREA && t->scope_area) {
		/* a row that is itself a school: its area decides, so a new one can be added */
		rs = RS_AREA;
		col = t->scope_area;
	}
	buf_adds(sql, " AND (");
	switch (rs) {
	case RS_AREA:
		if (sc->kind == SCOPE_SCHOOL) {
			/* a school user sees no area-level rows: ?param still appears, unused */
			buf_addf(sql, "CAST(?%d AS TEXT) = '' AND 1 = 0", param);
			break;
		}
		buf_addf(sql, "%s.%s IN (", alias, col);
		area_subtree(sql, param);
		buf_adds(sql, ")");
		break;
	case RS_SCHOOL:
		if (sc->kind == SCOPE_SCHOOL) {
			buf_addf(sql, "%s.%s = ?%d", alias, col, param);
			break;
		}
		buf_addf(sql, "%s.%s IN (SELECT s0.code FROM school s0 WHERE s0.area_code IN (", alias, col);
		area_subtree(sql, param);
		buf_adds(sql, "))");
		break;
	case RS_TEACHER:
		buf_addf(sql, "%s.%s IN (SELECT p0.teacher_code FROM posting p0 WHERE p0.end_date IS NULL "
			      "AND p0.school_code ", alias, col);
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

void scope_cond_pair(struct buf *sql, const struct table *t, const char *alias, const char *area,
		     const char *school, int pa, int ps)
{
	struct scope one = { SCOPE_SCHOOL, "" };
	if (school && *school)
		scope_cond(sql, t, alias, &one, ps);
	if (area && *area) {
		one.kind = SCOPE_AREA;
		scope_cond(sql, t, alias, &one, pa);
	}
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
