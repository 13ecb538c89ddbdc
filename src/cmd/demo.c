/* cmd/demo.c: `eduhq demo`: write the demo city's (or province's) CSV files, one per registry
 * table, create the database if missing (as `eduhq init` does), import every file through
 * the normal validated import path, and print an overview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "cmd.h"
#include "demo.h"
#include "idhash.h"
#include "import.h"
#include "store.h"
#include "svc.h"
#include "table.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq demo [--scale city|province] [--seed N] [--out DIR] [--no-import] [--quiet]",
	NULL,
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int overview(struct store *s, const char *dir)
{
	struct svc_overview o;
	struct err e = ERR_INIT;

	if (svc_overview(s, NULL, &o, &e) < 0)
		return cmd_error(&e);
	printf("\n%s: %ld %s, %ld counties/districts, %ld towns/streets\n",
	       o.cities == 1 ? "临江市 (Linjiang, demo city)" : "demo province", o.cities,
	       o.cities == 1 ? "city" : "cities", o.counties, o.towns);
	printf("  schools      %ld (public compulsory %ld, of which teaching points %ld; senior %ld; "
	       "vocational %ld)\n", o.schools, o.public_compulsory, o.teaching_points, o.senior,
	       o.vocational);
	printf("  pupils       %ld in school year %d\n", o.pupils, o.pupils_year);
	printf("  teachers     %ld with %ld postings; %ld exchanges in school year %d\n", o.teachers,
	       o.postings, o.exchanges, o.pupils_year);
	printf("  groups       %ld education groups covering %ld schools\n", o.groups,
	       o.grouped_schools);
	printf("  coverage     %ld of %ld %s (%.0f%%, rule groups.coverage)\n",
	       o.coverage_numerator, o.coverage_denominator, o.coverage_denominator_name,
	       o.coverage_denominator ? 100.0 * (double)o.coverage_numerator /
						(double)o.coverage_denominator : 0.0);
	printf("  vocational   %ld specialties, %ld partner enterprises, %ld training bases\n",
	       o.specialties, o.enterprises, o.training_bases);
	printf("  projects     %ld construction projects; hazards %ld; plan tasks %ld\n", o.projects,
	       o.hazards, o.tasks);
	printf("  files        %s/*.csv (edit one in Excel, then 'eduhq import TABLE FILE')\n", dir);
	return 0;
}

int cmd_demo(struct ctx *c, int argc, const char **argv)
{
	const char *scale = "city", *dir = "demo-data";
	static const char *const scales[] = { "city", "province", NULL };
	int seed = 1, no_import = 0, quiet = 0, rc = 0;
	char actor[96];
	struct actor who = { actor, "cli" };
	struct opt opts[] = {
		OPT_STRING("scale", &scale, "SCALE", "city (临江市, default) or province (~1M teachers)"),
		OPT_INT("seed", &seed, "N", "random seed (default 1): the same seed, the same files"),
		OPT_STRING("out", &dir, "DIR", "where to write the CSV files (default ./demo-data)"),
		OPT_BOOL("no-import", &no_import, "only write the files"),
		OPT_BOOL("quiet", &quiet, "no per-table import lines"),
		OPT_END(),
	};
	struct demo_opts o = { 0 };
	struct demo_stats st;
	struct err e = ERR_INIT;
	struct store *s;
	double t0, t1, t2;

	opt_parse_none(c, argc, argv, opts, usage);
	opt_check_choice(usage, "scale", scale, scales);
	if (seed < 0)
		opt_usage_die(usage, "--seed must be a non-negative integer");
	o.scale = !strcmp(scale, "province") ? DEMO_PROVINCE : DEMO_CITY;
	o.seed = (uint64_t)seed;
	o.dir = dir;

	t0 = now_s();
	if (demo_generate(&o, &st, &e) < 0)
		return cmd_error(&e);
	t1 = now_s();
	printf("wrote %ld rows into %s/ (%ld schools, %ld teachers) in %.1f s\n", st.rows, dir,
	       st.schools, st.teachers, t1 - t0);
	if (no_import)
		return 0;

	if (store_exists(c->db_path)) {
		s = cmd_open_store(c);
		if (!s)
			return 1;
	} else {
		char *kpath = idhash_key_path(c->db_path);
		s = cmd_create_db(c->db_path, kpath, &e);
		free(kpath);
		if (!s)
			return cmd_error(&e);
		printf("initialised '%s'\n", c->db_path);
	}
	audit_cli_actor(actor, sizeof(actor));
	for (const char *const *tn = demo_tables; *tn; tn++) {
		const struct table *t = table_find(*tn);
		struct import_opts io = { 0 };
		struct import_result r;
		struct buf path = BUF_INIT;
		if (!t) {
			err_set(&e, ERR_DATA, "no table '%s' to import", *tn);
			rc = cmd_error(&e);
			break;
		}
		buf_addf(&path, "%s/%s.csv", dir, *tn);
		io.path = path.buf;
		import_result_init(&r);
		if (svc_import(s, t, &io, io.path, &who, &r, &e) < 0) {
			if (r.nerrors) {
				fputs(r.msgs.buf, stderr);
				fprintf(stderr, "eduhq: '%s' has %ld errors\n", path.buf, r.nerrors);
				rc = 1;
			} else {
				rc = cmd_error(&e);
			}
			import_result_release(&r);
			buf_release(&path);
			break;
		}
		if (!quiet)
			printf("%s: %ld rows: %ld inserted, %ld updated, %ld unchanged\n", t->name,
			       r.rows, r.inserted, r.updated, r.unchanged);
		import_result_release(&r);
		buf_release(&path);
	}
	t2 = now_s();
	if (!rc) {
		printf("imported into '%s' in %.1f s\n", c->db_path, t2 - t1);
		rc = overview(s, dir);
	}
	store_close(s);
	return rc;
}
