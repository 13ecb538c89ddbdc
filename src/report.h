/* report.h: the annual report (SPEC §2.9) as a document model built from ONE stored
 * evaluation run, and its writers (HTML, DOCX, PDF).
 *
 * report_load() reads the run's header and rows through the service layer (svc_results,
 * svc_rules_history) plus the registry's names for labels (areas, projects); report_build()
 * is pure: it turns those facts into blocks of text whose every number is a figure citing
 * one stored result row (indicator, unit, stage, year, which field) with a note: the
 * indicator's definition, the run, the data fingerprint, the rule version and its 文号, and
 * the CLI command that lists the rows. Sections whose mechanism is not in the run are left
 * out. The writers only lay the model out. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "eval.h"
#include "svc.h"

struct buf;
struct store;

enum report_lang { REPORT_ZH, REPORT_EN };

/* What of a result row a figure shows. */
enum report_field {
	RF_VALUE, RF_NUMERATOR, RF_DENOMINATOR, RF_THRESHOLD,
	RF_COUNT,     /* the number of rows of the indicator with the note's verdict */
	RF_EVIDENCE,  /* a number in the row's evidence object: key */
};

/* The source of one figure: a row (or, for RF_COUNT, the rows of an indicator with a
 * verdict), the field shown, and how to list it. */
struct report_note {
	const char *indicator, *unit_kind, *unit_id, *stage;
	int year;
	enum report_field field;
	const char *key;       /* RF_EVIDENCE: the evidence key; RF_COUNT: the verdict */
	const char *cmd;       /* `eduhq indicators --run N --indicator X [...]` */
	const char *link;      /* the dashboard's evidence view, e.g. /balance/390522?... */
	const char *rule;      /* "balance.cv_max v1 (教督〔2017〕6号 第五条)" or "" */
};

struct report_fig {
	size_t note;           /* index into notes (shown as note + 1) */
	double value;          /* the stored number, before scaling */
	const char *text;      /* as shown: "0.745", "68%", "1,397" */
};

/* A chart: series over categories, drawn as grouped bars or lines, with an optional
 * threshold line; one layout drawn as SVG (HTML) and PNG (DOCX). */
enum report_chart_kind { RC_BARS, RC_LINES };
struct report_series {
	const char *name;
	double *v;             /* ncat values; NAN: none */
	const char **ind;      /* the indicator of each value (for data attributes) */
	const char **unit;     /* "county:390522" ... */
};
struct report_chart {
	enum report_chart_kind kind;
	const char *title, *caption, *y_label;
	const char **cat;      /* category labels */
	size_t ncat;
	struct report_series *s;
	size_t ns;
	double threshold;      /* NAN: none */
	const char *threshold_label;
	int percent;           /* values are ratios shown as percent on the axis */
};

enum report_block_kind { RB_TITLE, RB_META, RB_H1, RB_H2, RB_PARA, RB_CHART, RB_NOTES_HEAD };
/* A segment of a block's text: plain text (fig < 0) or figure fig. */
struct report_seg {
	const char *text;
	long fig;
};
struct report_block {
	enum report_block_kind kind;
	struct report_seg *seg;
	size_t nseg, alloc;
	size_t chart;          /* RB_CHART */
};

/* The facts the report is built from. */
struct report_rule { const char *code, *source, *clause; int version; };
struct report_name { const char *code, *name; };
struct report_facts {
	struct svc_run run;
	struct result_row *rows;      /* kept rows of the run (not school or teacher rows) */
	size_t nrows, alloc;
	struct report_rule *rules;    /* the run's rule versions with their documents */
	size_t nrules;
	struct report_name *names;    /* area and project names */
	size_t nnames;
	const char *city;             /* the run's one city area code, or NULL */
	struct arena a;
};

struct report {
	enum report_lang lang;
	int year;
	const struct report_facts *f;
	const char *title;
	struct report_block *b;
	size_t nb, balloc;
	struct report_fig *fig;
	size_t nfig, falloc;
	struct report_note *note;
	size_t nnote, nalloc;
	struct report_chart *chart;
	size_t nchart, calloc;
	int h1_no, h2_no;      /* heading numbers while building */
	struct arena a;
};

/* Load the run: run_id when non-zero (which must be of school year `year`), else the newest
 * run of `year` that evaluated every mechanism, else the newest run of `year`. Errors
 * (ERR_NOTFOUND): "no evaluation run for school year Y; run 'eduhq eval --year Y' first",
 * "no evaluation run N", "run N evaluated school year X, not Y". */
int report_load(struct store *s, int year, int64_t run_id, struct report_facts *f,
		struct err *e);
void report_facts_release(struct report_facts *f);

/* Build the document model (pure). Release with report_release(). */
void report_build(struct report *r, const struct report_facts *f, int year,
		  enum report_lang lang);
void report_release(struct report *r);

/* Helpers the section builders (report_sections.c) use. */
const struct result_row *report_row(const struct report_facts *f, const char *ind,
				    const char *kind, const char *id, const char *stage, int year);
const char *report_name(const struct report_facts *f, const char *code);
double report_ev_num(const struct result_row *row, const char *key);
const char *report_L(const struct report *r, const char *zh, const char *en);
/* Start a block; append text (printf) and figures to the last block. */
struct report_block *report_block(struct report *r, enum report_block_kind k);
void report_text(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A figure of row (field, key) shown with dp decimals, as percent when pct. */
void report_fig(struct report *r, const struct result_row *row, enum report_field field,
		const char *key, int dp, int pct);
/* A count figure: the rows of ind (at unit kind `kind`, stage (NULL: any), year (0: any))
 * with verdict v. */
void report_count(struct report *r, const char *ind, const char *kind, const char *stage,
		  int year, enum verdict v);
struct report_chart *report_chart_new(struct report *r, enum report_chart_kind k, size_t ncat,
				      size_t ns);
void report_sections(struct report *r);

/* Note i as one line of text: "[n] CODE name。对象：KIND ID STAGE YEAR，字段：FIELD。运行 #R，
 * 数据指纹 F；规则：RULE vN (文号 clause)。明细：COMMAND；API：/api/v1/results?..." (English:
 * "Row: …, field: …. Run #R, … Rows: COMMAND; API: …"). */
void report_note_text(const struct report *r, size_t i, struct buf *out);
/* The definition of note i's indicator (code, names, unit, formula from the catalog) when no
 * earlier note has that indicator: 1 and the line appended, else 0. */
int report_def_text(const struct report *r, size_t i, struct buf *out);

/* Writers. HTML: one self-contained page (inline CSS, SVG charts), links to the dashboard
 * under base ("" for paths relative to the server). */
void report_html(const struct report *r, const char *base, struct buf *out);
/* The chart as inline SVG. */
void report_chart_svg(const struct report_chart *c, struct buf *out);
/* The chart as PNG bytes (cairo), appended to out; width and height in pixels. */
int report_chart_png(const struct report_chart *c, struct buf *out, int *w, int *h,
		     struct err *e);
/* Free cairo's and fontconfig's process-wide font caches (drawing a PNG fills them): for a
 * command that exits, so that leak checkers see nothing; never while another thread draws. */
void report_fonts_release(void);
/* DOCX (OOXML, GB/T 9704-2012 layout) bytes appended to out. */
int report_docx(const struct report *r, struct buf *out, struct err *e);
/* PDF bytes appended to out: the HTML (links under base) printed by headless Chromium (see
 * report_pdf.c for why). */
int report_pdf(const struct report *r, const char *base, struct buf *out, struct err *e);

/* The whole report in one call (what the CLI and the API do): load the run, build, write
 * format "docx", "html" or "pdf" into out. *nfig, *nnote, *nchart and run get the counts
 * and the run used (any may be NULL). */
struct report_info { int64_t run; int year; size_t nfig, nnote, nchart; };
int report_make(struct store *s, int year, int64_t run_id, const char *format,
		enum report_lang lang, const char *base, struct buf *out, struct report_info *info,
		struct err *e);

#endif
