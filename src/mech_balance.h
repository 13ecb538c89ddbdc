/* mech_balance.h: the balance mechanism's resident facts (mech_balance.c loads them), as the
 * what-if evaluations (whatif.c) read and copy them. */
#ifndef MECH_BALANCE_H
#define MECH_BALANCE_H

#include <stddef.h>

#include "eng_balance.h"
#include "err.h"

struct store;

/* The engine's input for one school year: the schools in code order. A what-if builds its
 * own (a copy of schools, changed) and passes it to mech_balance_compute(). */
struct bal_facts {
	struct bal_school *schools;
	size_t n;
	int year;
};

/* The engine's school type of a registry type (school.type), as the loader maps it. */
enum bal_type bal_type_of(const char *type);
/* The schools of f in the n counties named (a NULL one names none; a school with no county
 * is in ""), a new array in *part with f's year. Balance computes each county from its own
 * schools alone (bal_run), so these give that county's rows. */
void bal_county_part(const struct bal_facts *f, const char *const *county, int n,
		     struct bal_facts *part);
/* dst's teacher counts plus sign times src's (counts only: teachers and its categories,
 * full-time and part-time). */
void bal_add_teachers(struct bal_school *dst, const struct bal_school *src, int sign);
/* Move teacher's counts (as the loader counts them: its categories, full-time or part-time)
 * from `from` to `to`; either may be NULL. ERR_DATA "teacher: no teacher 'X'" when there is
 * none. */
int bal_teacher_move(struct store *s, const char *teacher, struct bal_school *from,
		     struct bal_school *to, struct err *e);

#endif
