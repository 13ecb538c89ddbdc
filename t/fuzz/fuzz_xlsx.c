/* fuzz_xlsx.c: libFuzzer harness for the XLSX reader (src/xlsx.c).
 *
 * Fuzzing the zip container mostly exercises libzip, so the input is the XML: it is split
 * at each "\n--\n" into up to four parts, the sheet, xl/sharedStrings.xml, xl/styles.xml
 * and xl/workbook.xml (missing parts get a fixed default), packed into a stored (not
 * compressed) archive in a temporary file and read with xlsx_open + xlsx_read to the end.
 * Every field must be NUL-terminated at its length.
 *
 * FUZZ_SOURCES: src/xlsx.c src/xlsx_value.c src/buf.c src/err.c src/xmalloc.c
 * FUZZ_CFLAGS: $(pkg-config --cflags libzip expat)
 * FUZZ_LIBS: $(pkg-config --libs libzip expat) -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char dflt_workbook[] =
	"<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr/><sheets>"
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
	"</Relationships>";
static const char dflt_sst[] = "<sst xmlns=\"" NS_MAIN "\"><si><t>a</t></si></sst>";
static const char dflt_styles[] =
	"<styleSheet xmlns=\"" NS_MAIN "\"><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
	"</cellXfs></styleSheet>";

static char path[64];

static void remove_tmp(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[4] = { "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
				 "xl/styles.xml", "xl/workbook.xml" };
	const char *part[4] = { "", dflt_sst, dflt_styles, dflt_workbook };
	size_t plen[4] = { 0, sizeof(dflt_sst) - 1, sizeof(dflt_styles) - 1,
			   sizeof(dflt_workbook) - 1 };
	const char *p = (const char *)data, *end = p + size;
	struct err e = ERR_INIT;
	struct xlsx_reader *r;
	struct csv_row row;
	zip_t *z;
	int zerr;

	if (!path[0]) {
		int fd;
		snprintf(path, sizeof(path), "/tmp/fuzz_xlsx.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_tmp);
	}
	for (int i = 0; i < 4 && p <= end; i++) {
		const char *sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		const char *q = sep ? sep : end;
		part[i] = p;
		plen[i] = (size_t)(q - p);
		p = sep ? sep + 4 : end + 1;
	}
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		abort();
	for (int i = 0; i < 5; i++) {
		const char *n = i < 4 ? names[i] : "xl/_rels/workbook.xml.rels";
		zip_source_t *src = zip_source_buffer(z, i < 4 ? part[i] : rels,
						      i < 4 ? plen[i] : sizeof(rels) - 1, 0);
		zip_int64_t idx = zip_file_add(z, n, src, ZIP_FL_OVERWRITE);
		if (idx < 0)
			abort();
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) < 0)
		abort();

	r = xlsx_open(path, NULL, &e);
	if (r) {
		while (xlsx_read(r, &row, &e) == 1)
			for (size_t i = 0; i < row.nfields; i++)
				if (row.f[i].s[row.f[i].len] != '\0')
					abort();
		xlsx_close(r);
	}
	return 0;
}
