/* report_docx.c: the annual report as a Word document (OOXML, zipped with libzip in memory),
 * laid out as GB/T 9704-2012 党政机关公文格式 asks: A4; margins 天头 37 mm, 订口 28 mm (so
 * bottom 35 mm, right 26 mm for the 156 × 225 mm 版心); title 二号方正小标宋简体; body 三号仿宋_GB2312
 * on 22 lines of 28 characters... as Word lays them; level-1 headings 黑体, level-2 楷体;
 * page numbers 四号宋体 "— N —", odd pages right, even pages left. Each official font names a
 * fallback (fontTable altName) from Debian's fonts-noto-cjk for machines without it. Figures
 * are runs of the character style EduhqFigure followed by their note number; charts are PNG
 * pictures drawn by report_chart.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "report.h"
#include "xmalloc.h"
#include "banned.h"

#define MM(x) ((int)((x) * 1440 / 25.4 + 0.5)) /* millimetres to twips */
#define EMU_PER_MM 36000L

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char app_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>eduhq</Application></Properties>";

static const char settings_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:defaultTabStop w:val=\"640\"/><w:evenAndOddHeaders/>"
	"<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"</w:settings>";

/* The official fonts, each with the Noto CJK face Debian ships as its stand-in. */
static const char *const fonts[][2] = {
	{ "方正小标宋简体", "Noto Serif CJK SC" },
	{ "仿宋_GB2312", "Noto Serif CJK SC" },
	{ "黑体", "Noto Sans CJK SC" },
	{ "楷体_GB2312", "Noto Serif CJK SC" },
	{ "宋体", "Noto Serif CJK SC" },
	{ "Times New Roman", "Liberation Serif" },
};

static void font_table(struct buf *b)
{
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">");
	for (size_t i = 0; i < ARRAY_SIZE(fonts); i++)
		buf_addf(b, "<w:font w:name=\"%s\"><w:altName w:val=\"%s\"/><w:charset w:val=\"86\"/>"
			 "<w:family w:val=\"%s\"/></w:font>", fonts[i][0], fonts[i][1],
			 i == 2 ? "swiss" : "roman");
	for (size_t i = 0; i < 2; i++)
		buf_addf(b, "<w:font w:name=\"%s\"><w:charset w:val=\"86\"/></w:font>",
			 i ? "Noto Sans CJK SC" : "Noto Serif CJK SC");
	buf_adds(b, "</w:fonts>");
}

/* rFonts naming the official face for Chinese and Times New Roman for Latin digits. */
static void rfonts(struct buf *b, const char *zh)
{
	buf_addf(b, "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
		 "w:eastAsia=\"%s\" w:cs=\"Times New Roman\"/>", zh);
}

static void style(struct buf *b, const char *type, const char *id, const char *name,
		  const char *ppr, const char *font, int sz, const char *extra_rpr)
{
	buf_addf(b, "<w:style w:type=\"%s\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>", type, id, name);
	if (strcmp(id, "Normal"))
		buf_adds(b, "<w:basedOn w:val=\"Normal\"/>");
	if (ppr)
		buf_addf(b, "<w:pPr>%s</w:pPr>", ppr);
	buf_adds(b, "<w:rPr>");
	if (font)
		rfonts(b, font);
	if (extra_rpr)
		buf_adds(b, extra_rpr);
	if (sz)
		buf_addf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", sz, sz);
	buf_adds(b, "</w:rPr></w:style>");
}

static void styles(struct buf *b)
{
	/* 三号 = 16 pt (sz 32), 二号 = 22 pt (sz 44), 四号 = 14 pt; body lines exactly 28.95 pt
	 * (22 lines in the 225 mm 版心), first line indented two characters */
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		    "<w:docDefaults><w:rPrDefault><w:rPr>");
	rfonts(b, "仿宋_GB2312");
	buf_adds(b, "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" "
		    "w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults>");
	style(b, "paragraph", "Normal", "Normal",
	      "<w:spacing w:line=\"579\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" "
	      "w:firstLine=\"640\"/><w:jc w:val=\"both\"/>", "仿宋_GB2312", 32, NULL);
	style(b, "paragraph", "Title", "Title",
	      "<w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" w:lineRule=\"exact\"/>"
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
	      "方正小标宋简体", 44, NULL);
	style(b, "paragraph", "Heading1", "heading 1",
	      "<w:keepNext/><w:outlineLvl w:val=\"0\"/>", "黑体", 32, NULL);
	style(b, "paragraph", "Heading2", "heading 2",
	      "<w:keepNext/><w:outlineLvl w:val=\"1\"/>", "楷体_GB2312", 32, NULL);
	style(b, "paragraph", "EduhqMeta", "eduhq meta",
	      "<w:spacing w:line=\"400\" w:lineRule=\"exact\" w:after=\"240\"/>"
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>", "仿宋_GB2312", 24, NULL);
	style(b, "paragraph", "Caption", "caption",
	      "<w:spacing w:line=\"360\" w:lineRule=\"auto\" w:after=\"240\"/>"
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
	      "仿宋_GB2312", 22, NULL);
	style(b, "paragraph", "EduhqChart", "eduhq chart",
	      "<w:keepNext/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>", NULL, 0, NULL);
	style(b, "paragraph", "EduhqNote", "eduhq note",
	      "<w:spacing w:line=\"300\" w:lineRule=\"auto\" w:after=\"60\"/>"
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
	      "仿宋_GB2312", 21, NULL);
	style(b, "paragraph", "Footer", "footer",
	      "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>", "宋体", 28, NULL);
	buf_adds(b, "<w:style w:type=\"character\" w:styleId=\"EduhqFigure\"><w:name w:val=\"eduhq "
		    "figure\"/></w:style>"
		    "<w:style w:type=\"character\" w:styleId=\"EduhqNoteRef\"><w:name w:val=\"eduhq note "
		    "reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>"
		    "</w:styles>");
}

/* Page numbers: "— N —" in 四号 Arabic digits, odd pages right (footer1), even left (footer2),
 * one character in from the edge of the 版心. */
static void footer(struct buf *b, int even)
{
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		 "<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		 "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:ind w:%s=\"280\"/><w:jc w:val=\"%s\"/>"
		 "</w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
		 "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
		 "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>",
		 even ? "left" : "right", even ? "left" : "right"); /* (schema order: ind, jc) */
}

static void run_text(struct buf *b, const char *style_id, const char *text)
{
	buf_adds(b, "<w:r>");
	if (style_id)
		buf_addf(b, "<w:rPr><w:rStyle w:val=\"%s\"/></w:rPr>", style_id);
	buf_adds(b, "<w:t xml:space=\"preserve\">");
	buf_add_xml(b, text);
	buf_adds(b, "</w:t></w:r>");
}

static void para_segs(const struct report *r, const struct report_block *bl, struct buf *b)
{
	for (size_t i = 0; i < bl->nseg; i++) {
		const struct report_seg *s = &bl->seg[i];
		char ref[32];
		if (s->fig < 0) {
			run_text(b, NULL, s->text);
			continue;
		}
		run_text(b, "EduhqFigure", r->fig[s->fig].text);
		snprintf(ref, sizeof(ref), "[%zu]", r->fig[s->fig].note + 1);
		run_text(b, "EduhqNoteRef", ref);
	}
}

static void picture(struct buf *b, size_t n, int w, int h)
{
	long cx = 150 * EMU_PER_MM, cy = cx * h / w;
	buf_addf(b, "<w:p><w:pPr><w:pStyle w:val=\"EduhqChart\"/></w:pPr><w:r><w:drawing>"
		 "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"%ld\" "
		 "cy=\"%ld\"/><wp:docPr id=\"%zu\" name=\"chart%zu\"/>"
		 "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
		 "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		 "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		 "<pic:nvPicPr><pic:cNvPr id=\"%zu\" name=\"chart%zu.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		 "<pic:blipFill><a:blip r:embed=\"rIdImg%zu\"/><a:stretch><a:fillRect/></a:stretch>"
		 "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/>"
		 "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
		 "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
		 cx, cy, n + 1, n + 1, n + 1, n + 1, n + 1, cx, cy);
}

struct part {
	const char *name;
	struct buf data;
};

static int zip_parts(struct part *p, size_t np, struct buf *out, struct err *e)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	int r = 0;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)))
		goto zerr;
	zip_source_keep(src);
	if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		zip_source_free(src);
		goto zerr;
	}
	for (size_t i = 0; i < np; i++) {
		zip_source_t *s = zip_source_buffer(za, p[i].data.buf, p[i].data.len, 0);
		zip_int64_t idx;
		if (!s || (idx = zip_file_add(za, p[i].name, s, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(s);
			r = err_set(e, ERR_IO, "cannot build DOCX part '%s': %s", p[i].name,
				    zip_strerror(za));
			zip_discard(za);
			zip_source_free(src);
			return r;
		}
		/* a fixed time: the same run gives the same file */
		zip_file_set_mtime(za, (zip_uint64_t)idx, 315532800, 0);
	}
	if (zip_close(za) < 0) {
		r = err_set(e, ERR_IO, "cannot build DOCX: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		return r;
	}
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
		zip_source_free(src);
		return err_set(e, ERR_IO, "cannot read the DOCX back");
	}
	buf_grow(out, st.size);
	if (zip_source_read(src, out->buf + out->len, st.size) != (zip_int64_t)st.size)
		r = err_set(e, ERR_IO, "cannot read the DOCX back");
	else
		buf_setlen(out, out->len + st.size);
	zip_source_close(src);
	zip_source_free(src);
	return r;
zerr:
	r = err_set(e, ERR_IO, "cannot build DOCX: %s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return r;
}

int report_docx(const struct report *r, struct buf *out, struct err *e)
{
	enum { P_CT, P_RELS, P_CORE, P_APP, P_DOC, P_DOCRELS, P_STYLES, P_SETTINGS, P_FONTS,
	       P_FTR1, P_FTR2, P_FIXED };
	static const char *const names[] = { "[Content_Types].xml", "_rels/.rels",
		"docProps/core.xml", "docProps/app.xml", "word/document.xml",
		"word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
		"word/fontTable.xml", "word/footer1.xml", "word/footer2.xml" };
	size_t np = P_FIXED + r->nchart;
	struct part *p = xcalloc(np, sizeof(*p));
	struct buf *doc = &p[P_DOC].data, *rels = &p[P_DOCRELS].data;
	int rc = 0;

	for (size_t i = 0; i < np; i++) {
		buf_init(&p[i].data, 0);
		p[i].name = i < P_FIXED ? names[i] : NULL;
	}
	buf_adds(&p[P_CT].data, content_types);
	buf_adds(&p[P_RELS].data, root_rels);
	buf_adds(&p[P_APP].data, app_xml);
	buf_adds(&p[P_SETTINGS].data, settings_xml);
	font_table(&p[P_FONTS].data);
	styles(&p[P_STYLES].data);
	footer(&p[P_FTR1].data, 0);
	footer(&p[P_FTR2].data, 1);
	buf_adds(&p[P_CORE].data, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		 "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		 "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
	buf_add_xml(&p[P_CORE].data, r->title);
	buf_addf(&p[P_CORE].data, "</dc:title><dc:creator>eduhq</dc:creator><dc:description>run %lld, "
		 "data fingerprint %s</dc:description></cp:coreProperties>",
		 (long long)r->f->run.id, r->f->run.fingerprint);

	buf_adds(rels, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
		 "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
		 "<Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>"
		 "<Relationship Id=\"rIdFtr1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
		 "<Relationship Id=\"rIdFtr2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>");

	buf_adds(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		 "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
		 "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
		 "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\">"
		 "<w:body>");
	for (size_t i = 0; i < r->nb && rc == 0; i++) {
		const struct report_block *bl = &r->b[i];
		static const char *const pstyle[] = { [RB_TITLE] = "Title", [RB_META] = "EduhqMeta",
			[RB_H1] = "Heading1", [RB_H2] = "Heading2", [RB_PARA] = "Normal",
			[RB_NOTES_HEAD] = "Heading1" };
		if (bl->kind == RB_CHART) {
			const struct report_chart *c = &r->chart[bl->chart];
			struct part *img = &p[P_FIXED + bl->chart];
			char name[64];
			int w, h;
			if ((rc = report_chart_png(c, &img->data, &w, &h, e)) < 0)
				break;
			snprintf(name, sizeof(name), "word/media/chart%zu.png", bl->chart + 1);
			img->name = xstrdup(name);
			buf_addf(rels, "<Relationship Id=\"rIdImg%zu\" Type=\"http://schemas.openxmlformats."
				 "org/officeDocument/2006/relationships/image\" Target=\"media/chart%zu.png\"/>",
				 bl->chart + 1, bl->chart + 1);
			picture(doc, bl->chart, w, h); /* its title is drawn in the picture */
			buf_adds(doc, "<w:p><w:pPr><w:pStyle w:val=\"Caption\"/></w:pPr>");
			run_text(doc, NULL, c->caption);
			buf_adds(doc, "</w:p>");
			continue;
		}
		buf_addf(doc, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s</w:pPr>", pstyle[bl->kind],
			 bl->kind == RB_NOTES_HEAD ? "<w:pageBreakBefore/>" : "");
		para_segs(r, bl, doc);
		buf_adds(doc, "</w:p>");
		if (bl->kind == RB_NOTES_HEAD)
			for (size_t k = 0; k < r->nnote; k++) {
				struct buf t = BUF_INIT;
				report_note_text(r, k, &t);
				buf_adds(doc, "<w:p><w:pPr><w:pStyle w:val=\"EduhqNote\"/></w:pPr>");
				run_text(doc, NULL, t.buf);
				buf_adds(doc, "</w:p>");
				buf_release(&t);
			}
		if (bl->kind == RB_NOTES_HEAD) {
			buf_adds(doc, "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>");
			run_text(doc, NULL, r->lang == REPORT_EN ? "Indicator definitions" : "指标定义");
			buf_adds(doc, "</w:p>");
			for (size_t k = 0; k < r->nnote; k++) {
				struct buf t = BUF_INIT;
				if (report_def_text(r, k, &t)) {
					buf_adds(doc, "<w:p><w:pPr><w:pStyle w:val=\"EduhqNote\"/></w:pPr>");
					run_text(doc, NULL, t.buf);
					buf_adds(doc, "</w:p>");
				}
				buf_release(&t);
			}
		}
	}
	buf_addf(doc, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFtr1\"/>"
		 "<w:footerReference w:type=\"even\" r:id=\"rIdFtr2\"/>"
		 "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
		 "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" "
		 "w:footer=\"%d\" w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\"/>"
		 "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"0\"/>"
		 "</w:sectPr></w:body></w:document>", MM(37), MM(26), MM(35), MM(28), MM(28));
	buf_adds(rels, "</Relationships>");
	if (rc == 0)
		rc = zip_parts(p, np, out, e);
	for (size_t i = 0; i < np; i++) {
		buf_release(&p[i].data);
		if (i >= P_FIXED)
			free((char *)p[i].name);
	}
	free(p);
	return rc;
}
