/* report_sections.h: what the report's section writers share (report_sections.c,
 * report_problems.c): sentence helpers over the run's facts. Strings returned are the
 * report's (its arena) or static. */
#ifndef REPORT_SECTIONS_H
#define REPORT_SECTIONS_H

#include <stddef.h>

#include "report.h"

/* Plain text in the report's language. */
#define TX(zh, en) report_text(r, "%s", report_L(r, (zh), (en)))
/* The unit id of the run's city-wide rows: its one city, or "" for the rows over all the
 * data of a run with several cities (a province's), whose per-city rows are not summed. */
#define CITY(r) ((r)->f->city ? (r)->f->city : "")
#define MAX_LIST 10 /* units listed by name in one sentence; the rest are counted */

/* Is mechanism m in the run? */
int rs_has_mech(const struct report *r, const char *m);
const char *rs_stage_name(const struct report *r, const char *s);
/* A unit's name (with its code when the run covers several cities). */
const char *rs_name_of(struct report *r, const char *code);
const char *rs_ind_name(const struct report *r, const char *code);
/* A string member of a row's evidence ("" if absent). */
const char *rs_ev_str(struct report *r, const struct result_row *w, const char *key);
/* The `key` members of the objects of evidence array `arr`, joined (at most MAX_LIST). */
const char *rs_ev_names(struct report *r, const struct result_row *w, const char *arr,
			const char *key);
/* Numbered headings: 一、 / （一） (1. / 1.1 in English); a new paragraph. */
void rs_h1(struct report *r, const char *zh, const char *en);
void rs_h2(struct report *r, const char *zh, const char *en);
void rs_para(struct report *r);
/* A row's field in the form that suits its indicator (CV 3 decimals, ratios percent, ...). */
void rs_fig_auto(struct report *r, const struct result_row *w, enum report_field f);
/* Up to max county rows of ind (of stage, NULL: any) into out; their number. */
size_t rs_counties(const struct report *r, const char *ind, const char *stage,
		   const struct result_row **out, size_t max);

void report_problems(struct report *r);
void report_next_steps(struct report *r);

#endif
