/* scope.h: roles and scopes (SPEC §5.4): who may see and change which rows.
 *
 * A scope is everything (city roles), an area subtree (county user) or one school (school
 * user). Each registry table says how its rows map to a scope (table.h enum row_scope);
 * scope_cond() turns (table, scope) into one SQL condition that every query over that table
 * appends, so the rule lives here once and no handler repeats it. A row outside the
 * caller's scope is treated exactly like a row that does not exist. */
#ifndef SCOPE_H
#define SCOPE_H

#include "err.h"
#include "table.h"

struct buf;

enum role { ROLE_CITY_ADMIN, ROLE_CITY_ANALYST, ROLE_COUNTY_USER, ROLE_SCHOOL_USER, ROLE_COUNT };

enum scope_kind { SCOPE_ALL, SCOPE_AREA, SCOPE_SCHOOL };

struct scope {
	enum scope_kind kind;
	char code[16]; /* area code (SCOPE_AREA) or school code (SCOPE_SCHOOL) */
};

/* "city_admin", ...; role_parse returns -1 for an unknown name. */
const char *role_name(enum role r);
int role_parse(const char *name);
/* Chinese name of a role, for CLI listings. */
const char *role_zh(enum role r);
/* The scope a role carries: SCOPE_ALL for city roles, else the area or school code. */
void scope_of_role(enum role r, const char *area, const char *school, struct scope *sc);

/* Append " AND (cond)" restricting rows of table t (as alias in the query) to scope sc,
 * through the table's scope column (table.h). The scope code is placeholder ?param.
 * Returns the number of placeholders used (0 or 1): the caller binds sc->code to ?param
 * when 1. Nothing is appended for SCOPE_ALL or a city-wide table. */
int scope_cond(struct buf *sql, const struct table *t, const char *alias, const struct scope *sc,
	       int param);

/* scope_cond() for a caller restricted to an area subtree, a school, or both (NULL or ""
 * fields: no restriction): the area bound as ?pa, the school as ?ps, each only when given
 * (svc.h struct svc_scope). */
void scope_cond_pair(struct buf *sql, const struct table *t, const char *alias, const char *area,
		     const char *school, int pa, int ps);

/* Whether the role may write rows of table t at all (scope still applies per row): the
 * city administrator writes every table; county and school users write the tables whose
 * rows map to a scope; the analyst writes none. */
int scope_may_write(enum role r, const struct table *t);

#endif
