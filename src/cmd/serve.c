/* cmd/serve.c: `eduhq serve`: run the JSON API (and the dashboard's files) until SIGTERM or
 * SIGINT, then drain the requests in flight and exit 0. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "http.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq serve [--listen ADDR:PORT] [--threads N] [--log FILE] [--secure-cookies] [--web DIR] [--facts-mb N]",
	NULL,
};

/* The bundle `make` builds beside the binary (BUILD/web), when it is there. */
static const char *default_web(char *out, size_t n)
{
	char exe[PATH_MAX], *slash;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	if ((size_t)snprintf(out, n, "%s/web/index.html", exe) >= n || access(out, R_OK))
		return NULL;
	out[strlen(out) - strlen("/index.html")] = '\0';
	return out;
}

int cmd_serve(struct ctx *c, int argc, const char **argv)
{
	struct http_config cfg = {
		.listen = "127.0.0.1:8080",
		.threads = 4,
		.max_body = 1 << 20,
		.max_upload = 64 << 20,
		.max_connections = 512,
		.per_ip_connections = 0, /* loopback clients (benchmarks, a proxy) share one address */
		.timeout_seconds = 30,
	};
	int max_upload_mb = 64, per_ip = 0, cache_mb = 128, facts_mb = 1024, sig;
	struct opt opts[] = {
		OPT_STRING("listen", &cfg.listen, "ADDR:PORT", "address to listen on (default 127.0.0.1:8080)"),
		OPT_INT("threads", &cfg.threads, "N", "worker threads, each with its own read connection (default 4)"),
		OPT_STRING("log", &cfg.log_path, "FILE", "access log (default stderr)"),
		OPT_BOOL("secure-cookies", &cfg.secure_cookies, "mark cookies Secure (serving behind TLS)"),
		OPT_INT("max-upload-mb", &max_upload_mb, "N", "largest import upload (default 64)"),
		OPT_INT("facts-mb", &facts_mb, "N", "memory for the mechanisms' resident facts and last results (default 1024; 0: no limit)"),
		OPT_INT("per-ip", &per_ip, "N", "connections allowed per client address (default no limit)"),
		OPT_INT("results-cache-mb", &cache_mb, "N", "memory for decoded result rows shared by the workers "
			"(default 128; 0: decode per request)"),
		OPT_STRING("web", &cfg.web_root, "DIR", "the dashboard's files (default: web/ beside the binary, when built)"),
		OPT_END(),
	};
	struct http_server srv;
	struct err e = ERR_INIT;
	char web[PATH_MAX];
	sigset_t set;

	opt_parse_none(c, argc, argv, opts, usage);
	if (cfg.threads < 1 || cfg.threads > 64)
		opt_usage_die(usage, "--threads must be 1-64");
	if (max_upload_mb < 1 || max_upload_mb > 4096)
		opt_usage_die(usage, "--max-upload-mb must be 1-4096");
	cfg.max_upload = (size_t)max_upload_mb << 20;
	if (cache_mb < 0 || cache_mb > 65536)
		opt_usage_die(usage, "--results-cache-mb must be 0-65536");
	cfg.results_cache = (size_t)cache_mb << 20;
	if (facts_mb < 0 || facts_mb > 1 << 20)
		opt_usage_die(usage, "--facts-mb must be 0-1048576");
	cfg.facts_limit = (size_t)facts_mb << 20;
	cfg.per_ip_connections = per_ip > 0 ? (unsigned)per_ip : 0;
	cfg.db_path = c->db_path;
	if (!cfg.web_root)
		cfg.web_root = default_web(web, sizeof(web));
	else if (!strcmp(cfg.web_root, "none"))
		cfg.web_root = NULL;
	/* the workers inherit the mask: only sigwait() below sees these */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (http_start(&srv, &cfg, &e) < 0)
		return cmd_error(&e);
	printf("eduhq: serving '%s' on http://%s/api/v1/ (%d threads)\n", c->db_path, cfg.listen, cfg.threads);
	if (cfg.web_root)
		printf("eduhq: dashboard http://%s/ (files: %s)\n", cfg.listen, cfg.web_root);
	fflush(stdout);
	sigwait(&set, &sig);
	fprintf(stderr, "eduhq: %s: draining\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_stop(&srv, 10);
	return 0;
}
