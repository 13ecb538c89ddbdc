/* mech_teachers.h: the teachers mechanism (SPEC §2.4): loads schools, teachers, posting
 * histories, the year's title applications and research activities from the store and the
 * parameters from the rule table, runs eng_teachers; and the candidate listing behind
 * `eduhq teachers eligibility`. */
#ifndef MECH_TEACHERS_H
#define MECH_TEACHERS_H

#include <stddef.h>

#include "arena.h"
#include "eng_teachers.h"
#include "err.h"
#include "eval.h"

struct store;
struct rule_set;
struct eval_fp;

/* A teacher's name and masked ID (never the clear number), for the eligibility listing. */
struct tch_name {
	const char *name, *id_masked;
};

/* The facts of one school year, as the engine takes them. Strings live in the arena. */
struct tch_view {
	struct arena arena;
	int year;
	struct tch_params params;    /* with TCH_ALL_PARAMS (see backbone) */
	struct tch_input in;
	struct tch_school *schools;
	const char **county_code;
	struct tch_teacher *teachers;
	struct tch_name *names;      /* with TCH_NAMES, per teacher; else NULL */
	struct tch_posting *postings;
	size_t npostings;
	struct tch_activity *activities;
	int *activity_schools;
	struct arena act_arena;      /* the activities' strings: read again whole on a write */
	struct eval_fp_unit act_unit; /* the fingerprint unit of the activities (eval.h) */
	/* With TCH_UNITS: per teacher, the sum of the fingerprint units of its row, its
	 * postings and its title applications (eval.h), for its patch (mech_teachers_rows);
	 * NULL without, or when the order of the store did not keep a teacher's rows together. */
	struct eval_fp_unit *unit;
	struct eval_fp_unit *sunit;  /* with TCH_UNITS, per school its row's unit, or NULL */
	const char **levels;         /* the backbone levels met, each once (tch_teacher.level) */
	size_t nlevels, alevels;
	const char *titles[TCH_MAXTEXTS]; /* the titles met, each once (tch_teacher.title) */
	int ntitles;
	unsigned char *backbone;     /* with TCH_ALL_PARAMS: in.backbone and in.rank (and the
				      * schools' rural flags set), params read; else the
				      * mechanism reads the rules and classifies in compute */
	int rank[TCH_MAXTEXTS];
};

/* tch_view_load's flags. */
enum {
	/* Keep each teacher's name and id_masked (tch_view.names, for the eligibility listing):
	 * the engine never reads them, and copying them is a tenth of a province's load. */
	TCH_NAMES = 1,
	/* Keep each teacher's fingerprint units (the server's resident facts, patched by row). */
	TCH_UNITS = 2,
	/* Read the parameters (the title ladder, the rural service and exchange numbers, the
	 * years between titles, the activities' target, the location classes counted as rural
	 * and the backbone levels), for tch_candidates; the mechanism reads them in compute. */
	TCH_ALL_PARAMS = 4,
};

/* Load from the store for school year `year`; fp (may be NULL) is fed the facts read. On
 * failure v is released (releasing it again is harmless). */
int tch_view_load(struct store *s, struct rule_set *rules, int year, unsigned flags,
		  struct eval_fp *fp, struct tch_view *v, struct err *e);
void tch_view_release(struct tch_view *v);

int mech_teachers_run(struct eval_ctx *ec, struct result_set *out, struct err *e);

/* `eduhq teachers eligibility`: who is listed and as of which day. */
struct tch_filter {
	const char *school;       /* home school code, or NULL */
	int title;                /* ladder index of the step evaluated, or -1 for any */
	int all;                  /* every titled teacher, not only the year's applicants */
	int asof;                 /* day number */
	int status;               /* enum tch_status to keep, or TS_NONE for any */
};
struct tch_candidate {
	const struct tch_teacher *t;
	const char *name, *id_masked; /* "" when the view was loaded without TCH_NAMES */
	struct tch_elig elig;
};
/* The candidates in teacher-code order: *out new (caller frees), *n their number. */
void tch_candidates(const struct tch_view *v, const struct tch_filter *f,
		    struct tch_candidate **out, size_t *n);
/* The school year `eduhq teachers eligibility` evaluates by default: the latest with title
 * applications, else the latest with grade returns; 0 when neither exists. */
int tch_default_year(struct store *s, int *year, struct err *e);
/* 1 when the view has a school with this code. */
int tch_view_has_school(const struct tch_view *v, const char *code);
/* The index of the school (in v->schools) or teacher (in v->teachers) with this code, or
 * -1 (for what-ifs: whatif.c). */
int tch_view_school(const struct tch_view *v, const char *code);
long tch_view_teacher(const struct tch_view *v, const char *code);
/* Ladder index of a title given as its code (senior) or Chinese name (高级); -1 if none. */
int tch_title_index(const struct tch_params *p, const char *name);

#endif
