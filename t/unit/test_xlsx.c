/* test_xlsx.c: unit tests for the XLSX reader (src/xlsx.c) on real workbooks written by
 * libxlsxwriter (shared strings, numbers, dates, gaps, sheets by name) and on hand-made
 * archives in the shape WPS writes (inline strings, cells without r, absolute targets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "buf.h"
#include "xlsx.h"

#define TMPDIR_NAME "xlsxtest"
#include "tmpdir.h"

/* Every row of a sheet as "LINE:[f1|f2]\n", or "OPEN:msg" / "ERR:msg" (new string). */
static char *dump(const char *path, const char *sheet)
{
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT;
	struct csv_row row;
	struct xlsx_reader *r = xlsx_open(path, sheet, &e);
	int rc;
	if (!r) {
		buf_addf(&out, "OPEN:%s", e.msg);
		return buf_detach(&out, NULL);
	}
	while ((rc = xlsx_read(r, &row, &e)) == 1) {
		buf_addf(&out, "%ld:[", row.line);
		for (size_t i = 0; i < row.nfields; i++) {
			assert_int_equal(strlen(row.f[i].s), row.f[i].len);
			buf_addf(&out, "%s%s", i ? "|" : "", row.f[i].s);
		}
		buf_adds(&out, "]\n");
	}
	if (rc < 0)
		buf_addf(&out, "ERR:%s", e.msg);
	/* reading past the end stays at the end */
	if (rc == 0)
		assert_int_equal(xlsx_read(r, &row, &e), 0);
	xlsx_close(r);
	return buf_detach(&out, NULL);
}

#define check_dump(path, sheet, expect)                                                  \
	do {                                                                             \
		char *got_ = dump((path), (sheet));                                      \
		assert_string_equal(got_, (expect));                                     \
		free(got_);                                                              \
	} while (0)

static void make_path(char *path, size_t n, const char *name)
{
	snprintf(path, n, "%s/%s", tmpdir, name);
}

/* ---- libxlsxwriter fixtures ----------------------------------------------------------- */

static void write_school_workbook(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "学校");
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "教师");
	lxw_format *ymd = workbook_add_format(wb);
	lxw_format *b14 = workbook_add_format(wb);
	lxw_format *cn = workbook_add_format(wb);
	lxw_format *hm = workbook_add_format(wb);
	lxw_format *pct = workbook_add_format(wb);
	assert_non_null(wb);
	format_set_num_format(ymd, "yyyy-mm-dd");
	format_set_num_format_index(b14, 14); /* built-in m/d/yyyy */
	format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
	format_set_num_format(hm, "h:mm");    /* a time, not a date */
	format_set_num_format(pct, "0.00%");

	/* row 1: header, with a gap in column C */
	worksheet_write_string(ws, 0, 0, "学校标识码", NULL);
	worksheet_write_string(ws, 0, 1, "学校名称", NULL);
	worksheet_write_string(ws, 0, 3, "建校日期", NULL);
	/* row 2: numbers; an empty cell in the middle (C2); dates in three formats */
	worksheet_write_number(ws, 1, 0, 3101010001, NULL);
	worksheet_write_string(ws, 1, 1, "临江市第一中学", NULL);
	worksheet_write_number(ws, 1, 3, 45292, ymd); /* 2024-01-01 */
	worksheet_write_number(ws, 1, 4, 61, b14);    /* 1900-03-01 (after the fake 02-29) */
	worksheet_write_number(ws, 1, 5, 60, b14);    /* Excel's 1900-02-29 */
	worksheet_write_number(ws, 1, 6, 59.75, cn);  /* 1900-02-28, time dropped */
	worksheet_write_number(ws, 1, 7, 0.5, hm);    /* stays a number */
	worksheet_write_number(ws, 1, 8, 0.125, pct); /* stays a number */
	/* row 3 left empty; row 4: number formatting */
	worksheet_write_number(ws, 3, 0, 12, NULL);
	worksheet_write_number(ws, 3, 1, 12.5, NULL);
	worksheet_write_number(ws, 3, 2, 0.1, NULL);
	worksheet_write_number(ws, 3, 3, -3, NULL);
	worksheet_write_number(ws, 3, 4, 123456789012345.0, NULL);
	worksheet_write_number(ws, 3, 5, 1.0 / 3.0, NULL);
	worksheet_write_boolean(ws, 3, 6, 1, NULL);
	worksheet_write_boolean(ws, 3, 7, 0, NULL);
	worksheet_write_formula_num(ws, 3, 8, "=1+1", NULL, 2);
	worksheet_write_formula_str(ws, 3, 9, "=\"a\"&\"b\"", NULL, "ab");
	/* row 5: only a blank formatted cell: skipped as empty; row 6: the first cell is C6 */
	worksheet_write_blank(ws, 4, 0, ymd);
	worksheet_write_string(ws, 5, 2, "只有C", NULL);
	/* an 18-digit code stored as text keeps every digit */
	worksheet_write_string(ws, 6, 0, "91440300708461136T", NULL);
	worksheet_write_string(ws, 6, 1, "110105194912310021", NULL);

	worksheet_write_string(ws2, 0, 0, "姓名", NULL);
	worksheet_write_string(ws2, 1, 0, "张三", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static const char school_rows[] =
	"1:[学校标识码|学校名称||建校日期]\n"
	"2:[3101010001|临江市第一中学||2024-01-01|1900-03-01|1900-02-29|1900-02-28|0.5|0.125]\n"
	"4:[12|12.5|0.1|-3|123456789012345|0.333333333333333|TRUE|FALSE|2|ab]\n"
	"6:[||只有C]\n"
	"7:[91440300708461136T|110105194912310021]\n";

static void reads_values_dates_gaps_and_sheets(void **state)
{
	char path[300], msg[600];
	(void)state;
	make_path(path, sizeof(path), "school.xlsx");
	write_school_workbook(path);
	/* first sheet in workbook order when none is named, or by name */
	check_dump(path, NULL, school_rows);
	check_dump(path, "学校", school_rows);
	check_dump(path, "教师", "1:[姓名]\n2:[张三]\n");
	snprintf(msg, sizeof(msg), "OPEN:cannot find sheet 'Teachers' in '%s' (sheets: 学校, 教师)",
		 path);
	check_dump(path, "Teachers", msg);
	unlink(path);
}

/* Many rows: the parser is suspended and resumed across 64 KiB chunks. */
static void streams_many_rows(void **state)
{
	char path[300];
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct err e = ERR_INIT;
	struct xlsx_reader *r;
	struct csv_row row;
	long n = 0;
	int rc;
	(void)state;
	make_path(path, sizeof(path), "many.xlsx");
	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, NULL);
	for (int i = 0; i < 30000; i++) {
		char s[64];
		snprintf(s, sizeof(s), "教师%d", i);
		worksheet_write_string(ws, (lxw_row_t)i, 0, s, NULL);
		worksheet_write_number(ws, (lxw_row_t)i, 2, i * 0.5, NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	r = xlsx_open(path, NULL, &e);
	assert_non_null(r);
	while ((rc = xlsx_read(r, &row, &e)) == 1) {
		char want[64];
		assert_int_equal(row.line, n + 1);
		assert_int_equal(row.nfields, 3);
		snprintf(want, sizeof(want), "教师%ld", n);
		assert_string_equal(row.f[0].s, want);
		assert_string_equal(row.f[1].s, "");
		snprintf(want, sizeof(want), n % 2 ? "%ld.5" : "%ld", n / 2);
		assert_string_equal(row.f[2].s, want);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 30000);
	xlsx_close(r);
	unlink(path);
}

/* ---- hand-made archives --------------------------------------------------------------- */

static void write_zip(const char *path, const char *const *names, const char *const *texts,
		      size_t n)
{
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
		assert_non_null(src);
		assert_true(zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE NS_REL "/"

static const char wps_workbook[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
	"<workbookPr date1904=\"1\"/>"
	"<sheets><sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/>"
	"<sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wps_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_TYPE "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" REL_TYPE "styles\" Target=\"/xl/styles.xml\"/>"
	"</Relationships>";
/* rich text runs are concatenated; phonetic runs (rPh) are not text */
static const char wps_sst[] =
	"<sst xmlns=\"" NS_MAIN "\" count=\"2\" uniqueCount=\"2\">"
	"<si><t>说明文字</t></si>"
	"<si><r><rPr><b/></rPr><t>临江</t></r><r><t xml:space=\"preserve\">市 一中</t></r>"
	"<rPh sb=\"0\" eb=\"2\"><t>りんこう</t></rPh></si></sst>";
static const char wps_styles[] =
	"<styleSheet xmlns=\"" NS_MAIN "\">"
	"<numFmts count=\"1\"><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/>"
	"</numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"176\"/><xf numFmtId=\"2\"/></cellXfs>"
	"</styleSheet>";
static const char wps_sheet1[] =
	"<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
/* cells and rows without r follow the previous one; inline strings with runs */
static const char wps_sheet2[] =
	"<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
	"<row r=\"2\"><c t=\"inlineStr\"><is><t>学校</t></is></c><c t=\"inlineStr\"><is>"
	"<r><t>甲</t></r><r><t>乙</t></r></is></c><c r=\"E2\" t=\"s\"><v>1</v></c><c><v>7</v></c></row>"
	"<row><c r=\"B3\" s=\"1\"><v>43830</v></c><c s=\"2\"><v>43830</v></c>"
	"<c t=\"str\"><f>A1&amp;B1</f><v>公式值</v></c><c t=\"e\"><v>#N/A</v></c>"
	"<c t=\"b\"><v>0</v></c></row>"
	"<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t></t></is></c></row>"
	"<row r=\"10\"><c r=\"AA10\"><v>1.5E+3</v></c><c s=\"1\"><v>2957003</v></c>"
	"<c s=\"1\"><v>2957004</v></c></row>"
	"</sheetData></worksheet>";

static void reads_wps_shaped_archive(void **state)
{
	char path[300];
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/sharedStrings.xml", "xl/styles.xml",
				"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml" };
	const char *texts[] = { wps_workbook, wps_rels, wps_sst, wps_styles, wps_sheet1,
				wps_sheet2 };
	struct buf aa = BUF_INIT;
	char *expect;
	(void)state;
	make_path(path, sizeof(path), "wps.xlsx");
	write_zip(path, names, texts, 6);

	/* first in workbook order is 数据 (sheet2.xml); 1904 system: 43830 = 2024-01-01 */
	buf_adds(&aa, "2:[学校|甲乙|||临江市 一中|7]\n"
		      "3:[|2024-01-01|43830|公式值|#N/A|FALSE]\n"
		      "10:[");
	for (int i = 0; i < 26; i++) /* AA is column 27 */
		buf_addch(&aa, '|');
	/* the last day Excel knows, 9999-12-31, and the next serial, which stays a number */
	buf_adds(&aa, "1500|9999-12-31|2957004]\n");
	expect = buf_detach(&aa, NULL);
	check_dump(path, NULL, expect);
	free(expect);
	check_dump(path, "说明", "1:[说明文字]\n");
	unlink(path);
}

static void reports_broken_archives(void **state)
{
	char path[300], msg[600];
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet2.xml" };
	const char *texts[] = { wps_workbook, wps_rels,
				"<worksheet><sheetData><row><c><v>1</v></c></row><row></sheetData>" };
	const char *bad_sst[] = { wps_workbook, wps_rels,
				  "<worksheet><sheetData><row><c t=\"s\"><v>5</v></c></row>"
				  "</sheetData></worksheet>" };
	char *got;
	(void)state;
	make_path(path, sizeof(path), "broken.xlsx");
	write_zip(path, names, texts, 3);
	/* the first row is returned; the XML error comes with the part and its line */
	snprintf(msg, sizeof(msg),
		 "1:[1]\nERR:cannot read '%s': xl/worksheets/sheet2.xml:1: mismatched tag", path);
	check_dump(path, NULL, msg);
	/* the other sheet's part is missing */
	snprintf(msg, sizeof(msg),
		 "OPEN:cannot read '%s': not an xlsx workbook (no xl/worksheets/sheet1.xml)", path);
	check_dump(path, "说明", msg);

	write_zip(path, names, bad_sst, 3);
	snprintf(msg, sizeof(msg),
		 "ERR:cannot read '%s': xl/worksheets/sheet2.xml: shared string index '5' out of range",
		 path);
	check_dump(path, NULL, msg);

	/* not a zip at all */
	{
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs("a,b\n1,2\n", f);
		fclose(f);
	}
	got = dump(path, NULL);
	snprintf(msg, sizeof(msg), "OPEN:cannot read '%s': not an xlsx workbook (Not a zip archive)",
		 path);
	assert_string_equal(got, msg);
	free(got);
	unlink(path);
	check_dump("/nonexistent/x.xlsx", NULL,
		   "OPEN:cannot open '/nonexistent/x.xlsx': No such file or directory");
}

/* Row numbers beyond Excel's last row (1048576) are refused: a row numbered LONG_MAX
 * followed by one without r overflowed prev_row + 1 (UBSan); huge style indexes saturate. */
static void refuses_rows_beyond_the_last(void **state)
{
	char path[300], msg[600];
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet2.xml" };
	const char *huge[] = { wps_workbook, wps_rels,
			       "<worksheet><sheetData><row r=\"9223372036854775807\"><c><v>1</v></c></row>"
			       "<row><c><v>2</v></c></row></sheetData></worksheet>" };
	const char *after[] = { wps_workbook, wps_rels,
				"<worksheet><sheetData><row r=\"1048576\"><c s=\"99999999999999999999\">"
				"<v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>" };
	(void)state;
	make_path(path, sizeof(path), "rows.xlsx");
	write_zip(path, names, huge, 3);
	snprintf(msg, sizeof(msg),
		 "ERR:cannot read '%s': xl/worksheets/sheet2.xml: row number beyond row 1048576", path);
	check_dump(path, NULL, msg);
	write_zip(path, names, after, 3);
	snprintf(msg, sizeof(msg), "1048576:[1]\nERR:cannot read '%s': xl/worksheets/sheet2.xml: "
		 "row after the last numbered one beyond row 1048576", path);
	check_dump(path, NULL, msg);
	unlink(path);
}

/* A few compressed KB may declare millions of styles: the counts are capped. */
static void refuses_too_many_styles(void **state)
{
	char path[300], msg[600];
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
				"xl/worksheets/sheet2.xml" };
	const char *texts[4];
	struct buf st = BUF_INIT;
	(void)state;
	buf_adds(&st, "<styleSheet><cellXfs>");
	for (int i = 0; i < 65537; i++)
		buf_adds(&st, "<xf numFmtId=\"0\"/>");
	buf_adds(&st, "</cellXfs></styleSheet>");
	texts[0] = wps_workbook;
	texts[1] = wps_rels;
	texts[2] = st.buf;
	texts[3] = wps_sheet1;
	make_path(path, sizeof(path), "styles.xlsx");
	write_zip(path, names, texts, 4);
	snprintf(msg, sizeof(msg), "OPEN:cannot read '%s': xl/styles.xml: more than 65536 cell formats",
		 path);
	check_dump(path, NULL, msg);
	unlink(path);
	buf_release(&st);
}

/* An 18-digit number written out in full (as openpyxl writes a Python int) keeps all its
 * digits; one in E notation (as Excel writes it, 15 significant digits) stays a number. */
static void keeps_long_integers_as_written(void **state)
{
	char path[300];
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet2.xml" };
	const char *texts[] = { wps_workbook, wps_rels,
				"<worksheet><sheetData><row>"
				"<c><v>441002198001010019</v></c><c><v>-12345678901234567</v></c>"
				"<c><v>4.4100219800101E+17</v></c><c><v>3905020001</v></c>"
				"<c><v>0441</v></c></row></sheetData></worksheet>" };
	(void)state;
	make_path(path, sizeof(path), "long.xlsx");
	write_zip(path, names, texts, 3);
	check_dump(path, NULL,
		   "1:[441002198001010019|-12345678901234567|4.4100219800101e+17|3905020001|441]\n");
	unlink(path);
}

/* Without a sheet name the first visible sheet is read: a template often keeps the lists
 * for its drop-downs in a hidden sheet, sometimes the first one. */
static void skips_hidden_sheets(void **state)
{
	char path[300];
	static const char hidden_workbook[] =
		"<workbook xmlns:r=\"" NS_REL "\"><sheets>"
		"<sheet name=\"字典\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
		"<sheet name=\"数据\" sheetId=\"1\" state=\"visible\" r:id=\"rId1\"/>"
		"</sheets></workbook>";
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml" };
	const char *texts[] = { hidden_workbook, wps_rels,
				"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>数据</t></is>"
				"</c></row></sheetData></worksheet>",
				"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>字典</t></is>"
				"</c></row></sheetData></worksheet>" };
	(void)state;
	make_path(path, sizeof(path), "hidden.xlsx");
	write_zip(path, names, texts, 4);
	check_dump(path, NULL, "1:[数据]\n");
	check_dump(path, "字典", "1:[字典]\n"); /* still readable by name */
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_values_dates_gaps_and_sheets),
		cmocka_unit_test(streams_many_rows),
		cmocka_unit_test(reads_wps_shaped_archive),
		cmocka_unit_test(reports_broken_archives),
		cmocka_unit_test(keeps_long_integers_as_written),
		cmocka_unit_test(refuses_rows_beyond_the_last),
		cmocka_unit_test(refuses_too_many_styles),
		cmocka_unit_test(skips_hidden_sheets),
	};
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
