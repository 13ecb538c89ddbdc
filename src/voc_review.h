/* voc_review.h: the annual specialty review a vocational office (职成科) hands to its
 * director (`eduhq vocational review`): per city, the specialties to close (撤销), to stop
 * enrolling (停招) and to warn (预警), each with its years of figures and the rule's
 * explanation; the specialty-industry match rate by count and by enrolment with the
 * unmatched specialties; the specialties opened and closed in the year.
 *
 * It loads the rule table and the registry through the vocational mechanism's loader and
 * decides with the same engine as `eduhq eval vocational`, so both always agree. */
#ifndef VOC_REVIEW_H
#define VOC_REVIEW_H

#include <stddef.h>

#include "arena.h"
#include "eng_vocational.h"
#include "err.h"
#include "mech_vocational.h"

struct buf;
struct store;

struct voc_review_city {
	const char *code, *name;          /* name may be NULL */
	struct voc_match match;
	int match_ok, match_w_ok;         /* at least the target */
	size_t *listed[3];                /* specialty indexes: close/stop, ... see below */
	size_t nlisted[3];
	size_t *unmatched, nunmatched;
	size_t *opened, nopened, *closed, nclosed;
};

/* The sections of a city, in print order. */
enum voc_section { VOC_SEC_CLOSE, VOC_SEC_STOP, VOC_SEC_WARN };
extern const char *const voc_section_names[3];    /* "close", "stop_enrolment", "warn" */
extern const char *const voc_section_zh[3];       /* "撤销", "停招", "预警" */

struct voc_review {
	int year;
	struct voc_params p;
	char *rule_versions;              /* {"vocational.employment":1,...}, new */
	struct voc_data data;
	struct voc_decision *d;           /* one per data.f.specs */
	struct arena arena;
	struct voc_review_city *cities;
	size_t ncities;
};

/* Build the review of school year `year` (0: the latest year with specialty returns) with
 * the rules in force at as_of (NULL: today). ERR_DATA when there is no return at all. */
int voc_review_load(struct store *s, const char *as_of, int year, struct voc_review *r,
		    struct err *e);
void voc_review_release(struct voc_review *r);

/* The school's name (borrowed, "" when unknown). */
const char *voc_review_school_name(const struct voc_review *r, const char *school);
/* The figures of specialty i in year y, or NULL. */
const struct voc_year *voc_review_year(const struct voc_review *r, size_t i, int y);

/* The whole review as one JSON object, appended to out. */
void voc_review_json(const struct voc_review *r, struct buf *out);

#endif
