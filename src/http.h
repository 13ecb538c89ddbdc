/* http.h: the HTTP server core of `eduhq serve` (libmicrohttpd): a worker-thread pool,
 * one read-only database connection per worker, one writer connection used under a lock
 * (writes serialised), request limits, the access log and a draining shutdown.
 *
 * The core knows nothing of routes: it reads a request (method, path, query, headers, body
 * up to the limit the route allows), hands it to api_dispatch() (api.c) and sends what the
 * handler put in the response fields. */
#ifndef HTTP_H
#define HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "err.h"

struct store;
struct route;
struct api_cache;
struct facts_cache;
struct MHD_Connection;

struct http_config {
	const char *db_path;
	const char *listen;        /* "ADDR:PORT" */
	int threads;               /* worker threads = read connections */
	const char *log_path;      /* access log, NULL: stderr */
	int secure_cookies;        /* add Secure to cookies (behind TLS) */
	size_t max_body;           /* JSON bodies */
	size_t max_upload;         /* file uploads (import) */
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned timeout_seconds;  /* idle or slow client */
	const char *web_root;      /* the dashboard's files (served outside /api/), NULL: none */
	size_t results_cache;      /* bytes of decoded result chunks kept (result_store.h); 0: none */
	size_t facts_limit;        /* bytes the resident facts may take (resident.h), 0: none */
};

struct http_server {
	struct http_config cfg;
	struct auth_policy policy;
	struct auth_throttle throttle;
	char dummy_hash[128];      /* Argon2id hash of nothing, for unknown users */
	void *daemon;              /* struct MHD_Daemon */
	/* read connections, one per worker */
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
	struct store **readers;
	int *reader_busy;
	int nreaders;
	/* the one writer */
	pthread_mutex_t write_mu;
	struct store *writer;
	FILE *log;
	int log_owned;
	int inflight;              /* requests begun and not completed (atomic) */
	struct api_cache *cache;   /* computed answers (api_cache.c) */
	struct result_cache *rcache; /* decoded result chunks, shared by the read connections */
	struct facts_cache *facts; /* the mechanisms' resident facts (resident.c), used under
				    * the writer lock */
};

/* One request and its response; lives from the first byte to the completion callback. */
struct req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	char *path;                 /* arena copy */
	char addr[64];
	const struct route *route;  /* NULL: no route (404/405 already decided) */
	const char *params[4];      /* path captures, arena strings */
	struct buf body;
	int too_large;
	json_t *json;               /* the parsed body of an RF_JSON_BODY route */
	struct principal who;
	int authed;
	struct store *rd;           /* a read connection, held while the handler runs */
	struct arena arena;
	struct timespec t0;
	/* response */
	int status;
	struct buf out;
	const char *ctype;
	char set_cookie[256];
	char header_name[32], header_value[128]; /* one extra header (Allow, Retry-After, ...) */
	const char *cache_control;  /* NULL: no-store (every API answer) */
	const char *content_encoding; /* a precompressed file's coding (http_static.c) */
	int vary;                   /* Vary: Accept-Encoding */
	int body_fd;                /* > 0: the body is this file, sent from disk (resp_fd) */
	size_t body_fd_size;
	const char *cache_key;      /* RF_CACHE routes: the answer's key and data version */
	long cache_version;
	int responded;
};

/* Start serving (returns once listening). Fills e on failure (address in use, database). */
int http_start(struct http_server *srv, const struct http_config *cfg, struct err *e);
/* Stop accepting, wait up to drain_seconds for requests in flight, stop and free. */
void http_stop(struct http_server *srv, int drain_seconds);

/* The writer, locked: every write goes through it. Unlock when done (after COMMIT). */
struct store *http_writer_lock(struct http_server *srv);
void http_writer_unlock(struct http_server *srv);

/* Answer a request outside /api/ from the files under root (http_static.c). */
void http_static(struct req *r, const char *root);

/* Request accessors (borrowed strings valid for the request). */
const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
/* Call fn for each query argument; fn returning non-zero stops. */
void req_query_each(struct req *r, int (*fn)(void *data, const char *key, const char *value),
		    void *data);
const char *req_cookie(struct req *r, const char *name);

/* Set a JSON response from text (copied) or from a buf (taken). */
void resp_text(struct req *r, int status, const char *ctype, const char *text, size_t len);
void resp_buf(struct req *r, int status, const char *ctype, struct buf *b);
/* The SPEC §5.4 error: {"error":{"code":CODE,"message":MSG,"details":[...]}}; details is a
 * JSON array text or NULL. */
void resp_error(struct req *r, int status, const char *code, const char *details,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void resp_header(struct req *r, const char *name, const char *value);
/* Answer with the contents of an open file (taken: closed once sent), streamed from disk
 * by the server rather than held in memory: large exports. */
void resp_fd(struct req *r, int status, const char *ctype, int fd, size_t size);

#endif
