/* mech_vocational.h: the vocational mechanism (SPEC §2.5): reads the rule parameters and the
 * registry's specialties, annual figures, key-industry mapping and cooperation into the
 * engine's facts (eng_vocational.h), and runs the engine. The review listing
 * (voc_review.h) loads through the same functions. */
#ifndef MECH_VOCATIONAL_H
#define MECH_VOCATIONAL_H

#include "arena.h"
#include "eng_vocational.h"
#include "err.h"
#include "eval.h"

struct store;
struct rule_set;
struct eval_fp;

/* The loaded facts; every string and array is owned by the struct. */
struct voc_data {
	struct arena arena;
	struct voc_facts f;
	struct voc_school *schools;
	struct voc_specialty *specs;
	struct voc_year *years;
	struct voc_coop *coops;
	struct voc_base *bases;
	struct voc_count *interns, *trainings;
};

/* Copy every parameter from the rule table into p (rules.h records the rules as used).
 * An unknown condition, peer set, action or no_graduates value is ERR_DATA naming it. */
int voc_load_params(struct rule_set *rules, struct voc_params *p, struct err *e);

/* Load the facts up to school year `year` (returns of later years are not read; interns and
 * training only of the year). fp (may be NULL) is fed every row read. */
int voc_data_load(struct store *s, int year, struct eval_fp *fp, struct voc_data *d,
		  struct err *e);
void voc_data_release(struct voc_data *d);

int mech_vocational_run(struct eval_ctx *ec, struct result_set *out, struct err *e);

#endif
