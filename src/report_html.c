/* report_html.c: the annual report as one self-contained HTML page: inline CSS laid out like
 * the printed document (A4, 仿宋 body, 黑体/楷体 headings), charts as inline SVG, each figure
 * a link to the dashboard's evidence view carrying its row (data-* attributes) and a note
 * number pointing to the data notes. The PDF is this page printed. */
#include <string.h>

#include "buf.h"
#include "report.h"
#include "banned.h"

static const char css[] =
	"@page{size:A4;margin:37mm 26mm 35mm 28mm;@bottom-center{content:'— ' counter(page) ' —';"
	"font-family:'SimSun','宋体','Noto Serif CJK SC',serif;font-size:14pt}}"
	"body{font-family:'FangSong','仿宋_GB2312','仿宋','Noto Serif CJK SC',serif;font-size:16pt;"
	"line-height:1.8;color:#000;max-width:156mm;margin:2em auto}"
	"h1{font-family:'方正小标宋简体','FZXiaoBiaoSong-B05S','Noto Serif CJK SC',serif;"
	"font-weight:bold;font-size:22pt;text-align:center;line-height:1.5}"
	"h2{font-family:'SimHei','黑体','Noto Sans CJK SC',sans-serif;font-size:16pt;font-weight:normal;"
	"margin:.6em 0 0;text-indent:2em}"
	"h3{font-family:'KaiTi','楷体_GB2312','楷体','Noto Serif CJK SC',serif;font-size:16pt;"
	"font-weight:normal;margin:.4em 0 0;text-indent:2em}"
	"p{text-indent:2em;margin:0;text-align:justify}"
	"p.meta{font-size:12pt;text-indent:0;color:#444;margin-bottom:1em;text-align:left;"
	"word-break:break-all}"
	"a.fig{color:inherit;text-decoration:none;border-bottom:1px dotted #1f5fbf}"
	"sup{font-size:9pt;color:#1f5fbf}"
	"figure{margin:1em 0;text-align:center;page-break-inside:avoid}"
	"figcaption{font-size:11pt;color:#444}"
	"svg.chart{max-width:100%;height:auto}"
	"ol.notes{font-size:10.5pt;line-height:1.5;padding-left:0;list-style:none;"
	"word-break:break-all}"
	"ol.notes li,ul.notes li{margin:.3em 0}"
	"ul.notes{font-size:10.5pt;line-height:1.5;padding-left:1em}"
	"ol.notes code{font-family:'Noto Sans Mono CJK SC',monospace;font-size:9.5pt}";

static void segs(const struct report *r, const struct report_block *b, const char *base,
		 struct buf *out)
{
	for (size_t i = 0; i < b->nseg; i++) {
		const struct report_seg *s = &b->seg[i];
		const struct report_fig *f;
		const struct report_note *n;
		if (s->fig < 0) {
			buf_add_xml(out, s->text);
			continue;
		}
		f = &r->fig[s->fig];
		n = &r->note[f->note];
		buf_adds(out, "<a class=\"fig\" href=\"");
		buf_add_xml(out, base);
		buf_add_xml(out, n->link);
		buf_addf(out, "\" data-note=\"%zu\" data-ind=\"", f->note + 1);
		buf_add_xml(out, n->indicator);
		buf_adds(out, "\" data-unit=\"");
		buf_add_xml(out, n->unit_kind);
		buf_addch(out, ':');
		buf_add_xml(out, n->unit_id);
		buf_adds(out, "\" data-stage=\"");
		buf_add_xml(out, n->stage);
		buf_addf(out, "\" data-year=\"%d\" data-value=\"%.17g\">", n->year, f->value);
		buf_add_xml(out, f->text);
		buf_addf(out, "</a><sup><a href=\"#n%zu\">[%zu]</a></sup>", f->note + 1, f->note + 1);
	}
}

void report_html(const struct report *r, const char *base, struct buf *out)
{
	static const char *const tag[] = { [RB_TITLE] = "h1", [RB_META] = "p class=\"meta\"",
					   [RB_H1] = "h2", [RB_H2] = "h3", [RB_PARA] = "p" };
	static const char *const end[] = { [RB_TITLE] = "h1", [RB_META] = "p", [RB_H1] = "h2",
					   [RB_H2] = "h3", [RB_PARA] = "p" };
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"eduhq-run\" content=\"%lld\">\n<meta name=\"eduhq-fingerprint\" "
		 "content=\"%s\">\n<title>", r->lang == REPORT_EN ? "en" : "zh-CN",
		 (long long)r->f->run.id, r->f->run.fingerprint);
	buf_add_xml(out, r->title);
	buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	for (size_t i = 0; i < r->nb; i++) {
		const struct report_block *b = &r->b[i];
		if (b->kind == RB_CHART) {
			const struct report_chart *c = &r->chart[b->chart];
			buf_adds(out, "<figure>\n");
			report_chart_svg(c, out);
			buf_adds(out, "<figcaption>");
			buf_add_xml(out, c->caption);
			buf_adds(out, "</figcaption>\n</figure>\n");
			continue;
		}
		if (b->kind == RB_NOTES_HEAD) {
			buf_adds(out, "<h2 id=\"notes\">");
			segs(r, b, base, out);
			buf_adds(out, "</h2>\n<ol class=\"notes\">\n");
			for (size_t k = 0; k < r->nnote; k++) {
				struct buf t = BUF_INIT;
				report_note_text(r, k, &t);
				buf_addf(out, "<li id=\"n%zu\">", k + 1);
				buf_add_xml(out, t.buf);
				buf_adds(out, " <a href=\"");
				buf_add_xml(out, base);
				buf_add_xml(out, r->note[k].link);
				buf_adds(out, r->lang == REPORT_EN ? "\">evidence</a></li>\n"
								   : "\">证据</a></li>\n");
				buf_release(&t);
			}
			buf_adds(out, "</ol>\n<h2 id=\"definitions\">");
			buf_add_xml(out, r->lang == REPORT_EN ? "Indicator definitions" : "指标定义");
			buf_adds(out, "</h2>\n<ul class=\"notes\">\n");
			for (size_t k = 0; k < r->nnote; k++) {
				struct buf t = BUF_INIT;
				if (report_def_text(r, k, &t)) {
					buf_adds(out, "<li>");
					buf_add_xml(out, t.buf);
					buf_adds(out, "</li>\n");
				}
				buf_release(&t);
			}
			buf_adds(out, "</ul>\n");
			continue;
		}
		buf_addf(out, "<%s>", tag[b->kind]);
		segs(r, b, base, out);
		buf_addf(out, "</%s>\n", end[b->kind]);
	}
	buf_adds(out, "</body>\n</html>\n");
}
