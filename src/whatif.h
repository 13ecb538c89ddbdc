/* whatif.h: what-if evaluations (issue 15): a proposed change (a new school, a teaching
 * point closed with its pupils sent to a receiving school, a teacher exchange) applied to a
 * copy of the resident facts it affects (resident.h), computed, and answered as the result
 * rows that change against the baseline. Nothing is stored and the database is not changed;
 * mechanisms the proposal does not touch are neither copied nor computed.
 *
 * The proposal (JSON object; field names are those of the registry where there is one):
 *   {"year": 2024, "as_of": "2025-09-30",           optional: as for POST /runs
 *    "new_school": {school registry columns: code, name, area_code, type, ... ;
 *                   "pupils": {"1": 40, ...}, "classes": {"1": 1, ...} per grade,
 *                   "teachers": 3 or {"total": 3, "associate_plus": 2, "bachelor_plus",
 *                   "backbone", "pe_art_fulltime", "first_title_plus"},
 *                   "facility": {the seven facility registry numbers}}}
 *   or "close_teaching_point": {"school": CODE, "receiving_school": CODE}
 *   or "teacher_exchange": {"teacher": CODE, "from_school": CODE, "to_school": CODE}
 * The changes to the facts:
 *   - new_school (balance): one more school of that county with the grade returns, teachers
 *     (a number: counted in no category) and facility given (none: no facility return, as
 *     rule balance.method missing_facility says); seats, groups and the others are not
 *     recomputed.
 *   - close_teaching_point (balance): the teaching point leaves; its pupils of each grade
 *     join the receiving school's classes of that grade (class count unchanged; the
 *     teaching point's classes come along only for a grade the receiving school has none
 *     of), each pupil into its smallest class section of the grade; its teachers and its
 *     retention cohort (grade 7 two years before, transfers) go with them; its buildings
 *     (facility) do not.
 *   - teacher_exchange (balance, teachers): an exchange posting at to_school for the school
 *     year (09-01 to 08-31) on top of the appointment at from_school: balance counts the
 *     teacher at to_school; the teachers engine sees one more exchange. */
#ifndef WHATIF_H
#define WHATIF_H

#include <jansson.h>

#include "err.h"

struct store;
struct buf;
struct facts_cache;
struct resident_info;

/* Validate proposal, apply it to copies of the facts of c brought up to date with s (read
 * in a transaction of s, which is rolled back: nothing is written) and append the answer to
 * out as a JSON object: year, kind, mechanisms computed, changed rows ({"before": row or
 * null, "after": row or null}, in indicator/unit order), counts and seconds. A bad proposal:
 * ERR_DATA (or ERR_USAGE for its shape) with a message naming the field, as
 * "close_teaching_point.receiving_school: no school 'X'". info may be NULL. */
int whatif_run(struct facts_cache *c, struct store *s, json_t *proposal, struct buf *out,
	       struct resident_info *info, struct err *e);

#endif
