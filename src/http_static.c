/* http_static.c: the dashboard's files for `eduhq serve --web DIR`: every path outside
 * /api/ is a file under DIR (GET and HEAD only). Hashed assets (/assets/) are cached for a
 * year, everything else revalidated; a precompressed NAME.br or NAME.gz is sent when the
 * client accepts it; a path that names no file and has no extension answers index.html
 * (the single-page app's history-mode routes). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "banned.h"

static const struct { const char *ext, *type; } types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *S_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* A regular file's whole contents into b; 0, or -1 when absent or not a regular file. */
static int S_read(const char *path, struct buf *b)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n = read(fd, b->buf + b->len, b->alloc - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (b->len + 1 >= b->alloc)
			buf_grow(b, 4096);
	}
	b->buf[b->len] = '\0';
	close(fd);
	return 0;
}

static int S_accepts(const char *accept, const char *coding)
{
	const char *p = accept;
	size_t n = strlen(coding);
	while (p && (p = strstr(p, coding)) != NULL) {
		int start = p == accept || p[-1] == ' ' || p[-1] == ',';
		int end = !p[n] || p[n] == ',' || p[n] == ';' || p[n] == ' ';
		if (start && end)
			return strncmp(p + n, ";q=", 3) || strtod(p + n + 3, NULL) > 0;
		p += n;
	}
	return 0;
}

/* The file for path: NAME.br/NAME.gz when accepted and present, else NAME. 0 or -1. */
static int S_load(struct req *r, const char *root, const char *path, const char *accept)
{
	static const struct { const char *coding, *suffix; } pre[] = { { "br", ".br" }, { "gzip", ".gz" } };
	char full[4096];
	for (size_t i = 0; i < 2; i++) {
		if (!accept || !S_accepts(accept, pre[i].coding))
			continue;
		snprintf(full, sizeof(full), "%s%s%s", root, path, pre[i].suffix);
		if (S_read(full, &r->out) == 0) {
			r->content_encoding = pre[i].coding;
			return 0;
		}
	}
	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >= sizeof(full))
		return -1;
	return S_read(full, &r->out);
}

void http_static(struct req *r, const char *root)
{
	const char *path = r->path, *accept = req_header(r, "Accept-Encoding");
	const char *last = strrchr(path, '/');

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		snprintf(r->header_name, sizeof(r->header_name), "Allow");
		snprintf(r->header_value, sizeof(r->header_value), "GET, HEAD");
		resp_error(r, 405, "method_not_allowed", NULL, "%s is not allowed on %s (allowed: GET, HEAD)",
			   r->method, path);
		return;
	}
	if (path[0] != '/' || strstr(path, "/.") || strchr(path, '\\') || strlen(path) > 1024) {
		resp_error(r, 404, "not_found", NULL, "no file %s", path);
		return;
	}
	r->vary = 1;
	if (!strcmp(path, "/"))
		path = "/index.html";
	if (S_load(r, root, path, accept) == 0) {
		r->cache_control = !strncmp(path, "/assets/", 8) ? "public, max-age=31536000, immutable"
								  : "no-cache";
		r->status = 200;
		r->ctype = S_type(path);
		r->responded = 1;
		return;
	}
	r->content_encoding = NULL;
	buf_reset(&r->out);
	/* history mode: /balance/390522 is the app's route, /assets/x.js a missing file */
	if (strchr(last, '.') || !strncmp(path, "/assets/", 8) ||
	    S_load(r, root, "/index.html", accept) < 0) {
		r->content_encoding = NULL;
		buf_reset(&r->out);
		resp_error(r, 404, "not_found", NULL, "no file %s", path);
		return;
	}
	r->cache_control = "no-cache";
	r->status = 200;
	r->ctype = S_type("/index.html");
	r->responded = 1;
}
