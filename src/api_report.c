/* api_report.c: GET /api/v1/reports/annual?year=Y[&format=docx|html|pdf][&lang=zh|en][&run=ID]:
 * the annual report (report.h) as a download, for the city's roles (the report is
 * city-wide, so a county or school user is refused, as for `check`). HTML links stay paths
 * on this server. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "http.h"
#include "report.h"
#include "banned.h"

static const char *const ctypes[][2] = {
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "html", "text/html; charset=utf-8" },
	{ "pdf", "application/pdf" },
};

void api_report_annual(struct req *r)
{
	const char *format = req_query(r, "format"), *lang = req_query(r, "lang");
	const char *ctype = NULL;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	char disp[96];
	long year, run;

	if (api_query_long(r, "year", 0, 1990, 2100, &year) ||
	    api_query_long(r, "run", 0, 0, 1L << 50, &run))
		return;
	if (!year) {
		resp_error(r, 400, "bad_request", NULL, "year is required");
		return;
	}
	if (!format)
		format = "docx";
	for (size_t i = 0; i < sizeof(ctypes) / sizeof(ctypes[0]); i++)
		if (!strcmp(format, ctypes[i][0]))
			ctype = ctypes[i][1];
	if (!ctype) {
		resp_error(r, 400, "bad_request", NULL, "format must be docx, html or pdf");
		return;
	}
	if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
		resp_error(r, 400, "bad_request", NULL, "lang must be zh or en");
		return;
	}
	if (report_make(r->rd, (int)year, run, format, lang && !strcmp(lang, "en") ? REPORT_EN : REPORT_ZH,
			"", &b, NULL, &e) < 0) {
		buf_release(&b);
		api_err(r, &e);
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"eduhq-report-%ld.%s\"", year, format);
	resp_header(r, "Content-Disposition", disp);
	resp_buf(r, 200, ctype, &b);
}
