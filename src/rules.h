/* rules.h: the versioned rule table (SPEC §2): every threshold, ratio and exclusion an
 * engine uses, with its source document, clause, tag and effective date. */
#ifndef RULES_H
#define RULES_H

#include "err.h"

struct store;

/* Insert version 1 of every built-in rule (national defaults and city [L] parameters). */
int rules_seed(struct store *s, struct err *e);

#endif
