/* eng_balance_int.h: internals shared by eng_balance.c and eng_balance_size.c; not an
 * interface (use eng_balance.h). */
#ifndef ENG_BALANCE_INT_H
#define ENG_BALANCE_INT_H

#include <stddef.h>

#include "eng_balance.h"
#include "eval.h"

struct buf;

/* Relative tolerance for "at least the standard" and "at most the threshold" comparisons, so
 * that a value equal to its threshold on paper is not failed by rounding. */
#define BAL_TOL 1e-9
#define N2012 8 /* the 2012 basic-balance CVs */

extern const char *const bal_stage_name[BAL_NSTAGES];

/* One school in one stage. */
struct rec {
	const struct bal_school *s;
	int stage;
	double pupils, share;
	int in_scope;             /* counted in CVs and county verdicts */
	const char *na_reason;    /* whole record n.a. (static text), or NULL */
	double num[BAL_NIND], val[BAL_NIND];
	const char *ind_na[BAL_NIND];
	double b2012[N2012];
	enum verdict school_verdict;
	int met;
};

/* Classes of one school-stage or county-stage: all, over the standard size, 大班额, 超大班额. */
struct class_count {
	double classes, over, large, super;
};

/* Does the school have the stage (by its type; for vocational and special schools, by
 * the grades reported)? */
int bal_has_stage(const struct bal_school *s, int stage);
/* Is the school out of the evaluation by its type (senior; special, vocational per
 * balance.scope)? */
int bal_excluded(const struct bal_params *p, const struct bal_school *s);
/* Pupils of grades lo..hi. */
double bal_sum_grades(const struct bal_school *s, int lo, int hi);
/* A JSON number with 6 significant digits; non-finite as null. */
void bal_jnum(struct buf *b, double v);
/* lead (a literal such as ",\"ratio\":"), then bal_jnum(v): one evidence field. */
void bal_jfield(struct buf *b, const char *lead, double v);
/* Open a school's evidence entry: {"school":"<code>","name":"<name>" (null without a name);
 * the caller adds its fields and the closing brace. */
void bal_jschool(struct buf *b, const struct bal_school *s);

/* eng_balance_size.c */
void bal_emit_school_classes(const struct bal_params *p, const struct rec *r, int year,
			     struct result_set *out, struct buf *ev, struct class_count *c);
void bal_emit_county_classes(const struct bal_params *p, const char *county, int st,
			     struct rec **rs, const struct class_count *cc, size_t n, int year,
			     struct result_set *out, struct buf *ev);
/* The county's retention rate over its schools ss[0..n) (all of them: it picks the ones
 * that count). */
void bal_emit_retention(const struct bal_params *p, const char *county,
			const struct bal_school *const *ss, size_t n, int year,
			struct result_set *out, struct buf *ev);
void bal_emit_sizes(const struct bal_params *p, const char *county,
		    const struct bal_school *const *ss, size_t n, int year,
		    struct result_set *out, struct buf *ev);

#endif
