/* http.c: the server core on libmicrohttpd: request intake with limits, the read
 * connection pool and the serialised writer, responses, the access log and draining stop. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "date.h"
#include "http.h"
#include "result_store.h"
#include "resident.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* ---- database connections ---- */

static struct store *reader_get(struct http_server *srv)
{
	struct store *s = NULL;
	pthread_mutex_lock(&srv->pool_mu);
	for (;;) {
		for (int i = 0; i < srv->nreaders; i++)
			if (!srv->reader_busy[i]) {
				srv->reader_busy[i] = 1;
				s = srv->readers[i];
				break;
			}
		if (s)
			break;
		pthread_cond_wait(&srv->pool_cv, &srv->pool_mu);
	}
	pthread_mutex_unlock(&srv->pool_mu);
	return s;
}

static void reader_put(struct http_server *srv, struct store *s)
{
	pthread_mutex_lock(&srv->pool_mu);
	for (int i = 0; i < srv->nreaders; i++)
		if (srv->readers[i] == s)
			srv->reader_busy[i] = 0;
	pthread_cond_signal(&srv->pool_cv);
	pthread_mutex_unlock(&srv->pool_mu);
}

struct store *http_writer_lock(struct http_server *srv)
{
	pthread_mutex_lock(&srv->write_mu);
	return srv->writer;
}

void http_writer_unlock(struct http_server *srv)
{
	pthread_mutex_unlock(&srv->write_mu);
}

/* ---- request accessors ---- */

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct each_ctx {
	int (*fn)(void *data, const char *key, const char *value);
	void *data;
};

static enum MHD_Result each_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct each_ctx *c = cls;
	(void)kind;
	return c->fn(c->data, key, value ? value : "") ? MHD_NO : MHD_YES;
}

void req_query_each(struct req *r, int (*fn)(void *data, const char *key, const char *value),
		    void *data)
{
	struct each_ctx c = { fn, data };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_cb, &c);
}

/* ---- responses ---- */

void resp_buf(struct req *r, int status, const char *ctype, struct buf *b)
{
	buf_release(&r->out);
	r->out = *b;
	buf_init(b, 0);
	r->status = status;
	r->ctype = ctype;
	r->responded = 1;
}

void resp_fd(struct req *r, int status, const char *ctype, int fd, size_t size)
{
	buf_release(&r->out);
	if (r->body_fd > 0)
		close(r->body_fd);
	r->body_fd = fd;
	r->body_fd_size = size;
	r->status = status;
	r->ctype = ctype;
	r->responded = 1;
}

void resp_text(struct req *r, int status, const char *ctype, const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	buf_add(&b, text, len);
	resp_buf(r, status, ctype, &b);
}

void resp_header(struct req *r, const char *name, const char *value)
{
	snprintf(r->header_name, sizeof(r->header_name), "%s", name);
	snprintf(r->header_value, sizeof(r->header_value), "%s", value);
}

void resp_error(struct req *r, int status, const char *code, const char *details,
		const char *fmt, ...)
{
	struct buf msg = BUF_INIT, b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	buf_adds(&b, "{\"error\":{\"code\":");
	buf_add_json_str(&b, code);
	buf_adds(&b, ",\"message\":");
	buf_add_json_str(&b, msg.buf);
	buf_adds(&b, ",\"details\":");
	buf_adds(&b, details ? details : "[]");
	buf_adds(&b, "}}\n");
	buf_release(&msg);
	resp_buf(r, status, "application/json", &b);
}

static enum MHD_Result send_response(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = r->out.len;
	char *body;

	if (r->body_fd > 0) {
		resp = MHD_create_response_from_fd(r->body_fd_size, r->body_fd);
		if (!resp)
			return MHD_NO; /* the completion closes the file */
		r->body_fd = 0; /* the response owns it now */
		buf_release(&r->out);
		r->out.len = r->body_fd_size; /* for the access log */
	} else {
		body = buf_detach(&r->out, NULL);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			free(body);
			return MHD_NO;
		}
		r->out.len = len; /* remembered for the access log; buffer is gone */
	}
	if (r->status != 204)
		MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "application/json");
	MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
	if (r->content_encoding)
		MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
	if (r->vary)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->header_name[0])
		MHD_add_response_header(resp, r->header_name, r->header_value);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the request lifecycle ---- */

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out, (socklen_t)n);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out, (socklen_t)n);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct req *r = *con_cls;
	(void)version;

	if (!r) {
		const char *cl;
		r = xcalloc(1, sizeof(*r));
		*con_cls = r;
		r->srv = srv;
		r->conn = conn;
		__atomic_add_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
		r->method = method;
		clock_gettime(CLOCK_MONOTONIC, &r->t0);
		arena_init(&r->arena, 4096);
		r->path = arena_strdup(&r->arena, url);
		buf_init(&r->body, 0);
		buf_init(&r->out, 0);
		client_addr(conn, r->addr, sizeof(r->addr));
		if (srv->cfg.web_root && strncmp(r->path, "/api/", 5) && strcmp(r->path, "/api"))
			http_static(r, srv->cfg.web_root);
		else
			api_route(r);
		if (!r->responded && (cl = req_header(r, "Content-Length")) != NULL) {
			size_t lim = r->route && (r->route->flags & RF_UPLOAD) ? srv->cfg.max_upload
										      : srv->cfg.max_body;
			char *end;
			unsigned long long n = strtoull(cl, &end, 10);
			if (*end || end == cl || n > lim)
				resp_error(r, 413, "too_large", NULL, "request body over %zu bytes", lim);
		}
		if (!r->responded && r->route && (r->route->flags & RF_UPLOAD)) {
			/* who may upload is known before megabytes are read */
			r->rd = reader_get(srv);
			api_preauth(r);
			reader_put(srv, r->rd);
			r->rd = NULL;
		}
		if (r->responded)
			return send_response(r);
		return MHD_YES;
	}
	if (*upload_size && r->responded) { /* answered already: the rest is dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t lim = r->route && (r->route->flags & RF_UPLOAD) ? srv->cfg.max_upload : srv->cfg.max_body;
		if (!r->too_large && r->body.len + *upload_size <= lim)
			buf_add(&r->body, upload_data, *upload_size);
		else
			r->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->responded) /* answered on the first call; MHD comes back once the body is read */
		return MHD_YES;
	if (r->too_large) {
		resp_error(r, 413, "too_large", NULL, "request body too large");
	} else {
		r->rd = reader_get(srv);
		api_dispatch(r);
		reader_put(srv, r->rd);
		r->rd = NULL;
		if (!r->responded)
			resp_error(r, 500, "internal", NULL, "no response");
	}
	return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct req *r = *con_cls;
	struct timespec t1;
	char at[32];
	double ms;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
	date_stamp(time(NULL), at);
	/* one line per request: time, user, address, method, path, status, bytes, milliseconds */
	fprintf(srv->log, "%s %s %s %s %s %d %zu %.3f\n", at, r->authed ? r->who.name : "-",
		r->addr, r->method, r->path, r->status, r->out.len, ms);
	buf_release(&r->body);
	buf_release(&r->out);
	if (r->body_fd > 0)
		close(r->body_fd);
	json_decref(r->json);
	arena_release(&r->arena);
	free(r);
	*con_cls = NULL;
	__atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return err_set(e, ERR_USAGE, "--listen '%s': expected ADDR:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return err_set(e, ERR_USAGE, "--listen '%s': expected an IPv4 ADDR:PORT", listen);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static void free_stores(struct http_server *srv)
{
	for (int i = 0; i < srv->nreaders; i++)
		store_close(srv->readers[i]);
	result_cache_free(srv->rcache);
	srv->rcache = NULL;
	free(srv->readers);
	free(srv->reader_busy);
	srv->readers = NULL;
	srv->nreaders = 0;
	store_close(srv->writer);
	srv->writer = NULL;
}

int http_start(struct http_server *srv, const struct http_config *cfg, struct err *e)
{
	struct sockaddr_in sa;
	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	if (parse_listen(cfg->listen, &sa, e) < 0)
		return e->code;
	pthread_mutex_init(&srv->pool_mu, NULL);
	pthread_cond_init(&srv->pool_cv, NULL);
	pthread_mutex_init(&srv->write_mu, NULL);
	auth_throttle_init(&srv->throttle);
	srv->log = stderr;
	if (cfg->log_path) {
		if (!(srv->log = fopen(cfg->log_path, "a"))) {
			srv->log = stderr;
			return err_set(e, ERR_IO, "cannot open log '%s'", cfg->log_path);
		}
		setvbuf(srv->log, NULL, _IOLBF, 0);
		srv->log_owned = 1;
	}
	if (!(srv->writer = store_open(cfg->db_path, STORE_KEEP, e)) ||
	    auth_policy_load(srv->writer, &srv->policy, e) < 0 || auth_dummy_hash(srv->dummy_hash, e) < 0)
		goto fail;
	srv->cache = api_cache_new();
	srv->facts = facts_cache_new(cfg->facts_limit);
	srv->nreaders = cfg->threads;
	srv->readers = xcalloc((size_t)srv->nreaders, sizeof(*srv->readers));
	srv->reader_busy = xcalloc((size_t)srv->nreaders, sizeof(int));
	if (cfg->results_cache)
		srv->rcache = result_cache_new(cfg->results_cache);
	for (int i = 0; i < srv->nreaders; i++) {
		if (!(srv->readers[i] = store_open(cfg->db_path, STORE_READONLY | STORE_KEEP, e)))
			goto fail;
		srv->readers[i]->rcache = srv->rcache;
	}
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL,
		on_request, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), /* request line + headers */
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_END);
	if (!srv->daemon) {
		err_set(e, ERR_IO, "cannot listen on %s (address in use or not allowed)", cfg->listen);
		goto fail;
	}
	return 0;
fail:
	free_stores(srv);
	api_cache_free(srv->cache);
	facts_cache_free(srv->facts);
	if (srv->log_owned)
		fclose(srv->log);
	return e->code ? e->code : ERR_IO;
}

void http_stop(struct http_server *srv, int drain_seconds)
{
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* requests in flight finish; idle keep-alive connections are closed by the stop */
	for (int i = 0; i < drain_seconds * 100 && __atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	MHD_stop_daemon(srv->daemon);
	free_stores(srv);
	api_cache_free(srv->cache);
	facts_cache_free(srv->facts);
	auth_throttle_release(&srv->throttle);
	pthread_mutex_destroy(&srv->pool_mu);
	pthread_cond_destroy(&srv->pool_cv);
	pthread_mutex_destroy(&srv->write_mu);
	if (srv->log_owned)
		fclose(srv->log);
	else
		fflush(srv->log);
}
