/* eng_safety.h: the safety ledger's states and the safety engine (SPEC §2.7).
 *
 * A hazard moves found -> registered -> assigned -> rectifying -> accepted -> closed; the
 * steps and their checks are in hazard.h (the ledger module). The engine is pure: hazards,
 * buildings and schools in, result rows out: open hazards by category and severity, overdue
 * hazards, the rectification rate and the mean days to close per school and county, major
 * hazards missing one of the five items (五落实), and D-grade buildings in use. */
#ifndef ENG_SAFETY_H
#define ENG_SAFETY_H

#include <stddef.h>

struct result_set;
struct err;

enum hz_state { HZ_FOUND, HZ_REGISTERED, HZ_ASSIGNED, HZ_RECTIFYING, HZ_ACCEPTED, HZ_CLOSED,
		HZ_NSTATES };

/* "found", ... (static), and its Chinese name. */
const char *hz_state_name(enum hz_state s);
const char *hz_state_zh(enum hz_state s);
/* The state named s, or -1. */
int hz_state_parse(const char *s);

/* The assignment fields a rule can require, as a bit mask. */
enum hz_field { HZF_MEASURES = 1, HZF_RESPONSIBLE = 2, HZF_FUNDS = 4, HZF_DEADLINE = 8,
		HZF_CONTINGENCY = 16, HZF_NFIELDS = 5 };
/* Column name ("measures", ..., "contingency_plan") and Chinese name of field bit i. */
const char *hz_field_name(int i);
const char *hz_field_zh(int i);
/* Parse "measures,responsible,..." into *mask: 0, or -1 with e naming the unknown field. */
int hz_fields_parse(const char *list, unsigned *mask, struct err *e);

/* Hazard categories of SPEC §2.7 (the hazard table's category codes), NULL-terminated. */
extern const char *const hz_categories[];

struct sf_school {
	const char *code, *name;
	const char *county;           /* county-level area code, "" when unknown */
};

struct sf_hazard {
	const char *code;
	int school;                   /* index into the schools */
	int category;                 /* index into hz_categories */
	int major;
	enum hz_state state;
	long found, deadline, closed; /* day numbers (date.h); -1 when absent */
	unsigned have;                /* HZF_* fields present */
};

struct sf_building {
	const char *code, *name;
	int school;
	char grade;                   /* 'A'..'D' */
	int in_use;
};

struct sf_params {
	long as_of;                   /* day number of the evaluation date */
	char critical_grade;          /* safety.building critical_grade ('D') */
	unsigned major_required;      /* safety.major_hazard required */
};

struct sf_input {
	const struct sf_school *schools;
	int nschools;
	const struct sf_hazard *hazards;
	size_t nhazards;
	const struct sf_building *buildings;
	size_t nbuildings;
};

/* 1 when the hazard is overdue at day as_of: it has a deadline, as_of is after it, and it is
 * neither accepted nor closed. On the deadline day itself it is not overdue. */
int hz_overdue(const struct sf_hazard *h, long as_of);

/* SAFE.* rows (see docs/indicators.md); year is stamped on every row. */
void safety_run(const struct sf_input *in, const struct sf_params *p, int year,
		struct result_set *out);

#endif
