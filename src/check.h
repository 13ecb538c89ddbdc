/* check.h: data-quality checks over the registry (`eduhq check`).
 *
 * check_load() reads the facts from the store into plain arrays (struct check_facts); the
 * check_* functions are pure: arrays in, findings appended to a check_report, no I/O. Each
 * finding names its severity, the check's code, the table and natural key of the rows
 * concerned, and a message. Thresholds come from the rules check.* (struct check_params). */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "arena.h"
#include "err.h"

struct store;
struct rule_set;

enum check_severity { CHECK_ERROR, CHECK_WARNING };

struct check_finding {
	enum check_severity severity;
	const char *check;   /* e.g. "duplicate_person" (static) */
	const char *table;   /* e.g. "teacher" (static) */
	const char *key;     /* natural key(s), e.g. "T001,T002" (report's arena) */
	const char *message; /* (report's arena) */
};

struct check_report {
	struct check_finding *v;
	size_t nr, alloc;
	size_t errors, warnings;
	struct arena arena;
};

void check_report_init(struct check_report *r);
void check_report_release(struct check_report *r);
/* "error" or "warning" (static storage). */
const char *check_severity_name(enum check_severity s);

/* Facts. Strings are borrowed (owned by check_facts' arena when loaded). */
struct chk_teacher {
	const char *code, *id_hash, *id_masked;
};
struct chk_posting {
	const char *teacher_code, *start_date, *end_date; /* end_date NULL: current */
	const char *school_code;
};
struct chk_school {
	const char *code, *type;
};
#define CHK_ABSENT (-1)
struct chk_return { /* one grade_return row */
	const char *school_code;
	int year, grade, classes, pupils;
	int boys, girls; /* CHK_ABSENT when NULL */
};
struct chk_facility {
	const char *school_code;
	int year;
};
struct chk_sections { /* class_section rows summed per school, year and grade */
	const char *school_code;
	int year, grade, sections, pupils;
};

struct check_facts {
	struct chk_teacher *teachers;
	size_t nteachers;
	struct chk_posting *postings;
	size_t npostings;
	struct chk_school *schools;
	size_t nschools;
	struct chk_return *returns;
	size_t nreturns;
	struct chk_facility *facilities;
	size_t nfacilities;
	struct chk_sections *sections;
	size_t nsections;
	struct arena arena;
};

struct check_params {
	double max_yoy;              /* check.enrolment_change.max_yoy */
	double class_min, class_max; /* check.class_pupils.min/max */
	const char *exclude_types;   /* check.missing_return.exclude_types, comma-separated */
	int year;                    /* 0: all years; missing_return uses the latest year */
};

/* Read the facts (all years) visible in a scope (scope.h): an area subtree, a school, or
 * (both NULL) everything; a scoped report checks only what its caller can see. Returns 0
 * or a negative ERR_* with e set. */
int check_load(struct store *s, const char *area, const char *school, struct check_facts *f,
	       struct err *e);
void check_facts_release(struct check_facts *f);
/* Fill p from the rules check.*; p->year is left alone. */
int check_params_from_rules(struct rule_set *rs, struct check_params *p, struct err *e);

/* The checks. Findings come out sorted by key. */
void check_duplicate_persons(const struct chk_teacher *t, size_t n, struct check_report *r);
void check_posting_overlaps(const struct chk_posting *p, size_t n, struct check_report *r);
/* Schools (not of an excluded type) with no grade return in `year` (0: the latest year
 * present in the returns; nothing when there are none). */
void check_missing_returns(const struct chk_school *s, size_t ns, const struct chk_return *g,
			   size_t ng, int year, const char *exclude_types, struct check_report *r);
/* School totals (sum over grades) changing by more than max_yoy from year-1 to year. */
void check_enrolment_change(const struct chk_return *g, size_t ng, int year, double max_yoy,
			    struct check_report *r);
void check_class_pupils(const struct chk_return *g, size_t ng, int year, double min,
			double max, struct check_report *r);
void check_missing_facilities(const struct chk_return *g, size_t ng,
			      const struct chk_facility *fa, size_t nf, int year,
			      struct check_report *r);
void check_sex_sum(const struct chk_return *g, size_t ng, int year, struct check_report *r);
void check_section_sum(const struct chk_return *g, size_t ng, const struct chk_sections *cs,
		       size_t ncs, int year, struct check_report *r);

/* All checks in order (the order of the report). */
void check_run(const struct check_facts *f, const struct check_params *p,
	       struct check_report *r);

#endif
