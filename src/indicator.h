/* indicator.h: the indicator catalog (SPEC §4): one declarative table of every indicator an
 * engine produces: code, Chinese and English name, unit, level, formula in words, and the rule
 * code its parameters come from. `eduhq indicators --catalog` prints it and docs/indicators.md
 * is generated from it. Each engineer adds the rows of their mechanism. */
#ifndef INDICATOR_H
#define INDICATOR_H

struct buf;

struct indicator {
	const char *code;       /* e.g. "BAL.CV.L5" */
	const char *mechanism;  /* the mechanism producing it (eval.h mechanisms[]) */
	const char *name_zh;
	const char *name_en;
	const char *unit;       /* "m²/pupil", "per 100 pupils", "ratio", ... */
	const char *level;      /* unit kind of its rows: school, county, city, ... */
	const char *formula;    /* in words, with the verdict rule */
	const char *rule;       /* rule code(s) its parameters are read from, "" if none */
};

/* Ends with a row whose code is NULL. */
extern const struct indicator indicator_catalog[];

/* The entry for code, or NULL. */
const struct indicator *indicator_find(const char *code);

/* The catalog as a Markdown document (docs/indicators.md), appended to out. */
void indicator_catalog_md(struct buf *out);

#endif
