/* report_chart.c: the report's charts (grouped bars or lines over categories, a dashed
 * threshold line, a legend), laid out once against a small drawing interface and drawn by two
 * backends: SVG text for the HTML report and a cairo PNG for the DOCX (and so the PDF shows
 * what the HTML shows). Colours follow the dashboard's ECharts palette. */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "report.h"
#include "xmalloc.h"
#include "banned.h"

#define CW 680.0
#define CH 340.0
#define ML 62.0
#define MR 16.0
#define MT 40.0
#define MB 70.0

static const char *const palette[] = { "#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de",
				       "#3ba272", "#fc8452", "#9a60b4" };
#define THRESHOLD_COLOUR "#d9001b"
#define AXIS_COLOUR "#6e7079"

struct canvas {
	void (*rect)(struct canvas *c, double x, double y, double w, double h, const char *col,
		     const char *ind, const char *unit, double v);
	void (*line)(struct canvas *c, double x1, double y1, double x2, double y2, const char *col,
		     double width, int dashed);
	void (*dot)(struct canvas *c, double x, double y, const char *col, const char *ind,
		    const char *unit, double v);
	void (*text)(struct canvas *c, double x, double y, const char *s, double size, int anchor,
		     const char *col);
	void *arg;
};

/* A "nice" axis maximum and step (1, 2 or 5 times a power of ten). */
static void axis(double max, double *top, double *step)
{
	double raw = max / 5, p, f;
	if (!(raw > 0))
		raw = 0.2;
	p = pow(10, floor(log10(raw)));
	f = raw / p;
	*step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
	*top = ceil(max / *step) * *step;
	if (*top <= 0)
		*top = *step;
}

static void layout(const struct report_chart *ch, struct canvas *cv)
{
	double max = isnan(ch->threshold) ? 0 : ch->threshold, top, step;
	double pw = CW - ML - MR, ph = CH - MT - MB, gw;
	char lab[64];

	for (size_t s = 0; s < ch->ns; s++)
		for (size_t k = 0; k < ch->ncat; k++)
			if (!isnan(ch->s[s].v[k]) && ch->s[s].v[k] > max)
				max = ch->s[s].v[k];
	axis(max * 1.05, &top, &step);
	cv->text(cv, CW / 2, 22, ch->title, 15, 1, "#333333");
	/* y axis: grid lines and labels */
	for (double t = 0; t <= top + step / 2; t += step) {
		double y = MT + ph - t / top * ph;
		cv->line(cv, ML, y, ML + pw, y, "#e0e6f1", 1, 0);
		if (ch->percent)
			snprintf(lab, sizeof(lab), "%.0f%%", t * 100);
		else
			snprintf(lab, sizeof(lab), step < 0.1 ? "%.2f" : step < 1 ? "%.1f" : "%.0f", t);
		cv->text(cv, ML - 6, y + 4, lab, 11, 2, AXIS_COLOUR);
	}
	cv->text(cv, ML - 6, MT - 10, ch->y_label, 11, 2, AXIS_COLOUR);
	cv->line(cv, ML, MT + ph, ML + pw, MT + ph, AXIS_COLOUR, 1, 0);
	gw = ch->ncat ? pw / (double)ch->ncat : pw;
	for (size_t k = 0; k < ch->ncat; k++)
		cv->text(cv, ML + gw * ((double)k + 0.5), MT + ph + 16, ch->cat[k], 11, 1, "#333333");
	for (size_t s = 0; s < ch->ns; s++) {
		const char *col = palette[s % ARRAY_SIZE(palette)];
		double px = 0, py = 0;
		int have = 0;
		for (size_t k = 0; k < ch->ncat; k++) {
			double v = ch->s[s].v[k];
			if (isnan(v)) {
				have = 0;
				continue;
			}
			if (ch->kind == RC_BARS) {
				double bw = gw * 0.8 / (double)ch->ns;
				double x = ML + gw * (double)k + gw * 0.1 + bw * (double)s;
				cv->rect(cv, x, MT + ph - v / top * ph, bw * 0.9, v / top * ph, col,
					 ch->s[s].ind[k], ch->s[s].unit[k], v);
			} else {
				double x = ML + gw * ((double)k + 0.5), y = MT + ph - v / top * ph;
				if (have)
					cv->line(cv, px, py, x, y, col, 2.5, 0);
				cv->dot(cv, x, y, col, ch->s[s].ind[k], ch->s[s].unit[k], v);
				px = x;
				py = y;
				have = 1;
			}
		}
		/* legend, in rows of up to 4 */
		{
			double lx = ML + (double)(s % 4) * (pw / 4), ly = CH - 30 + (double)(s / 4) * 16;
			cv->line(cv, lx, ly - 4, lx + 18, ly - 4, col, 8, 0);
			cv->text(cv, lx + 24, ly, ch->s[s].name, 11, 0, "#333333");
		}
	}
	if (!isnan(ch->threshold)) {
		double y = MT + ph - ch->threshold / top * ph;
		cv->line(cv, ML, y, ML + pw, y, THRESHOLD_COLOUR, 1.5, 1);
		snprintf(lab, sizeof(lab), "%s %g", ch->threshold_label ? ch->threshold_label : "",
			 ch->threshold);
		cv->text(cv, ML + pw - 2, y - 5, lab, 11, 2, THRESHOLD_COLOUR);
	}
}

/* ---- SVG ---- */

static void svg_data(struct buf *b, const char *ind, const char *unit, double v)
{
	if (!ind)
		return;
	buf_adds(b, " data-ind=\"");
	buf_add_xml(b, ind);
	buf_adds(b, "\" data-unit=\"");
	buf_add_xml(b, unit);
	buf_addf(b, "\" data-value=\"%.17g\"", v);
}

static void svg_rect(struct canvas *c, double x, double y, double w, double h, const char *col,
		     const char *ind, const char *unit, double v)
{
	struct buf *b = c->arg;
	buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", x, y,
		 w, h, col);
	svg_data(b, ind, unit, v);
	buf_adds(b, "/>\n");
}

static void svg_line(struct canvas *c, double x1, double y1, double x2, double y2,
		     const char *col, double width, int dashed)
{
	buf_addf(c->arg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		 "stroke-width=\"%.1f\"%s/>\n", x1, y1, x2, y2, col, width,
		 dashed ? " stroke-dasharray=\"6 4\"" : "");
}

static void svg_dot(struct canvas *c, double x, double y, const char *col, const char *ind,
		    const char *unit, double v)
{
	struct buf *b = c->arg;
	buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"", x, y, col);
	svg_data(b, ind, unit, v);
	buf_adds(b, "/>\n");
}

static void svg_text(struct canvas *c, double x, double y, const char *s, double size,
		     int anchor, const char *col)
{
	static const char *const a[] = { "start", "middle", "end" };
	struct buf *b = c->arg;
	buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"%s\" fill=\"%s\">",
		 x, y, size, a[anchor], col);
	buf_add_xml(b, s);
	buf_adds(b, "</text>\n");
}

void report_chart_svg(const struct report_chart *ch, struct buf *out)
{
	struct canvas cv = { svg_rect, svg_line, svg_dot, svg_text, out };
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.0f "
		 "%.0f\" width=\"%.0f\" height=\"%.0f\" font-family=\"'Noto Sans CJK SC','Microsoft "
		 "YaHei',sans-serif\">\n", CW, CH, CW, CH);
	layout(ch, &cv);
	buf_adds(out, "</svg>\n");
}

/* ---- cairo PNG ---- */

#define PNG_SCALE 2.0 /* pixels per layout unit: sharp when printed */

static void cairo_colour(cairo_t *cr, const char *hex)
{
	unsigned rgb = 0;
	sscanf(hex + 1, "%6x", &rgb);
	cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
}

static void cr_rect(struct canvas *c, double x, double y, double w, double h, const char *col,
		    const char *ind, const char *unit, double v)
{
	cairo_t *cr = c->arg;
	(void)ind, (void)unit, (void)v;
	cairo_colour(cr, col);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void cr_line(struct canvas *c, double x1, double y1, double x2, double y2,
		    const char *col, double width, int dashed)
{
	cairo_t *cr = c->arg;
	static const double dash[] = { 6, 4 };
	cairo_colour(cr, col);
	cairo_set_line_width(cr, width);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x1, y1);
	cairo_line_to(cr, x2, y2);
	cairo_stroke(cr);
	cairo_set_dash(cr, dash, 0, 0);
}

static void cr_dot(struct canvas *c, double x, double y, const char *col, const char *ind,
		   const char *unit, double v)
{
	cairo_t *cr = c->arg;
	(void)ind, (void)unit, (void)v;
	cairo_colour(cr, col);
	cairo_arc(cr, x, y, 4, 0, 2 * M_PI);
	cairo_fill(cr);
}

static void cr_text(struct canvas *c, double x, double y, const char *s, double size,
		    int anchor, const char *col)
{
	cairo_t *cr = c->arg;
	cairo_text_extents_t ext;
	cairo_colour(cr, col);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &ext);
	cairo_move_to(cr, x - (anchor == 1 ? ext.x_advance / 2 : anchor == 2 ? ext.x_advance : 0), y);
	cairo_show_text(cr, s);
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int report_chart_png(const struct report_chart *ch, struct buf *out, int *w, int *h,
		     struct err *e)
{
	cairo_surface_t *sf;
	cairo_t *cr;
	struct canvas cv = { cr_rect, cr_line, cr_dot, cr_text, NULL };
	cairo_status_t st;

	*w = (int)(CW * PNG_SCALE);
	*h = (int)(CH * PNG_SCALE);
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
	cr = cairo_create(sf);
	cairo_scale(cr, PNG_SCALE, PNG_SCALE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "Noto Sans CJK SC", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cv.arg = cr;
	layout(ch, &cv);
	cairo_destroy(cr);
	st = cairo_surface_write_to_png_stream(sf, png_write, out);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS)
		return err_set(e, ERR_IO, "cannot draw chart '%s': %s", ch->title,
			       cairo_status_to_string(st));
	return 0;
}

void report_fonts_release(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
