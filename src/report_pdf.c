/* report_pdf.c: the annual report as PDF, by printing the HTML report with headless Chromium
 * (Debian's chromium package). Why Chromium rather than cairo/pango: the PDF is then exactly
 * the page the HTML shows (same CSS, same SVG charts), CJK text is shaped and line-broken by
 * a real layout engine with fontconfig's Noto CJK fallbacks, and text stays text (searchable,
 * pdftotext reads it back); laying out paragraphs with pango ourselves would be a second,
 * weaker typesetter. $EDUHQ_CHROMIUM names another binary. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "export.h"
#include "report.h"
#include "banned.h"

extern char **environ;

#define PDF_TIMEOUT_S 120

static int rm_rf_tmp(const char *dir)
{
	/* Chromium's profile directory: remove it with rm, a known tree under our mkdtemp */
	const char *argv[] = { "rm", "-rf", dir, NULL };
	pid_t pid;
	int st;
	if (posix_spawnp(&pid, "rm", NULL, NULL, (char *const *)argv, environ) != 0)
		return -1;
	return waitpid(pid, &st, 0) < 0 ? -1 : 0;
}

int report_pdf(const struct report *r, const char *base, struct buf *out, struct err *e)
{
	const char *bin = getenv("EDUHQ_CHROMIUM"), *tmp = getenv("TMPDIR");
	char dir[4096];
	struct buf html = BUF_INIT, a_pdf = BUF_INIT, a_url = BUF_INIT, a_prof = BUF_INIT,
		   page = BUF_INIT, pdf = BUF_INIT;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc = 0, waited = 0;
	FILE *f;

	if (!bin || !*bin)
		bin = "chromium";
	snprintf(dir, sizeof(dir), "%s/eduhq-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return err_set(e, ERR_IO, "cannot create a temporary directory: %s", strerror(errno));
	report_html(r, base, &html);
	buf_addf(&page, "%s/report.html", dir);
	buf_addf(&pdf, "%s/report.pdf", dir);
	if ((rc = export_write_file(page.buf, html.buf, html.len, e)) < 0)
		goto out;
	buf_addf(&a_pdf, "--print-to-pdf=%s", pdf.buf);
	buf_addf(&a_url, "file://%s", page.buf);
	buf_addf(&a_prof, "--user-data-dir=%s/profile", dir);
	{
		const char *argv[] = { bin, "--headless", "--no-sandbox", "--disable-gpu",
				       "--no-pdf-header-footer", "--disable-extensions",
				       "--no-first-run", "--disable-dev-shm-usage", a_prof.buf,
				       a_pdf.buf, a_url.buf, NULL };
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		st = posix_spawnp(&pid, bin, &fa, NULL, (char *const *)argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (st != 0) {
			rc = err_set(e, ERR_IO, "cannot run '%s' to print the PDF: %s (install "
				     "Debian's chromium, or set EDUHQ_CHROMIUM)", bin, strerror(st));
			goto out;
		}
	}
	while (waitpid(pid, &st, WNOHANG) == 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		if (++waited > PDF_TIMEOUT_S * 20) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			rc = err_set(e, ERR_IO, "'%s' did not print the PDF within %d s", bin,
				     PDF_TIMEOUT_S);
			goto out;
		}
		nanosleep(&ts, NULL);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !(f = fopen(pdf.buf, "rb"))) {
		rc = err_set(e, ERR_IO, "'%s' failed to print the PDF (status %d)", bin, st);
		goto out;
	}
	{
		size_t start = out->len, n;
		char chunk[65536];
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(out, chunk, n);
		fclose(f);
		if (out->len - start < 5 || memcmp(out->buf + start, "%PDF-", 5)) {
			buf_setlen(out, start);
			rc = err_set(e, ERR_IO, "'%s' printed no PDF", bin);
		}
	}
out:
	rm_rf_tmp(dir);
	buf_release(&html);
	buf_release(&a_pdf);
	buf_release(&a_url);
	buf_release(&a_prof);
	buf_release(&page);
	buf_release(&pdf);
	return rc;
}
