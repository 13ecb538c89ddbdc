/* api_cache.c: the answers of the computed read routes (RF_CACHE in the route table: the
 * forecast, the plan tasks' statuses, the data-quality report, the hazard ledger with its
 * overdue judgement, the rules in force, the indicator catalog), kept until the data change.
 *
 * Those answers are computed from much of the registry on every call (a forecast of a
 * county loads and projects the whole province: ~1 s), yet the data change rarely (returns
 * once a year, ledger steps now and then). Every write appends to the audit log in its own
 * transaction (audit.h: imports, edits, ledger steps, rules, runs, users), so the id of the
 * last audit entry is a version of the data: an answer is reused while it is unchanged, for
 * the same route, query, caller's role and scope, and day (answers judged "as of today").
 * The version is read before the answer is computed, so a write that lands in between
 * makes the stored answer look older than it is, never newer: it is recomputed next time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "buf.h"
#include "http.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

#define CACHE_SLOTS 256            /* answers kept (a slot is reused by a later key) */
#define CACHE_MAX_BODY (1u << 20)  /* larger answers are not kept: memory stays bounded */

struct cslot {
	char *key;
	long version;
	int status;
	const char *ctype;
	char *body;
	size_t len;
};

struct api_cache {
	pthread_mutex_t mu;
	struct cslot s[CACHE_SLOTS];
};

struct api_cache *api_cache_new(void)
{
	struct api_cache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void api_cache_free(struct api_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(c->s[i].key);
		free(c->s[i].body);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* "&" KEY "=" VALUE with '&', '=' and '%' in either escaped, so that two different queries
 * never make one key (?a=1%26b%3D2 is not ?a=1&b=2) */
static void add_escaped(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		if (*s == '&' || *s == '=' || *s == '%')
			buf_addf(b, "%%%02X", (unsigned char)*s);
		else
			buf_addch(b, *s);
}

static int add_arg(void *data, const char *key, const char *value)
{
	buf_addch(data, '&');
	add_escaped(data, key);
	buf_addch(data, '=');
	add_escaped(data, value);
	return 0;
}

/* The data version: the last audit entry's id (0 for none), -1 when unreadable. */
static long data_version(struct store *s)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, "SELECT max(id) FROM audit_log", &e);
	long v = -1;
	if (st && store_step(st, &e) == 1)
		v = store_column_type(st, 0) == STORE_NULL ? 0 : (long)store_column_int(st, 0);
	store_finalize(st);
	return v;
}

int api_cache_get(struct req *r)
{
	struct api_cache *c = r->srv->cache;
	struct buf k = BUF_INIT, b = BUF_INIT;
	struct cslot *sl;
	char day[16];
	time_t now = time(NULL);
	struct tm tm;
	int hit = 0;

	if (!c || (r->cache_version = data_version(r->rd)) < 0)
		return 0;
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	buf_addf(&k, "%s %s %d %s %s", r->method, r->path, (int)r->who.role, r->who.scope.code, day);
	req_query_each(r, add_arg, &k);
	r->cache_key = arena_strdup(&r->arena, k.buf);
	sl = &c->s[fnv(k.buf) % CACHE_SLOTS];
	pthread_mutex_lock(&c->mu);
	if (sl->key && !strcmp(sl->key, k.buf) && sl->version == r->cache_version) {
		buf_add(&b, sl->body, sl->len);
		r->status = sl->status;
		r->ctype = sl->ctype;
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	buf_release(&k);
	if (hit) {
		resp_buf(r, r->status, r->ctype, &b);
		resp_header(r, "X-Cache", "hit");
	}
	return hit;
}

void api_cache_put(struct req *r)
{
	struct api_cache *c = r->srv->cache;
	struct cslot *sl;
	if (!c || !r->cache_key || r->status != 200 || r->body_fd > 0 || r->out.len > CACHE_MAX_BODY)
		return;
	sl = &c->s[fnv(r->cache_key) % CACHE_SLOTS];
	pthread_mutex_lock(&c->mu);
	free(sl->key);
	free(sl->body);
	sl->key = xstrdup(r->cache_key);
	sl->version = r->cache_version;
	sl->status = r->status;
	sl->ctype = r->ctype;
	sl->body = xmalloc(r->out.len + 1);
	memcpy(sl->body, r->out.buf, r->out.len);
	sl->len = r->out.len;
	pthread_mutex_unlock(&c->mu);
}
