/* bench_scan.c: the floor of a computing evaluation's loading. Every row the evaluation's
 * loaders read from the big tables, read once (balance and the teachers engine both read
 * the teacher and posting tables; here once), each column taken as text as the loaders
 * take it, nothing done with it: no fingerprint, no index, no engine. Through the store seam,
 * so a postgresql:// URL works too. Prints each query's rows and seconds alone, their sum
 * (the CPU the rows cost), then the wall of reading them all on THREADS threads, each on a
 * connection of its own taking the longest query left: what no loader can beat.
 * usage: bench_scan DB [YEAR] [THREADS] [RUNS]   (YEAR empty or left out: the latest year of
 * grade returns) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "store.h"
#include "xmalloc.h"

/* The union of what the loaders read of each table (eval --fresh, run with an SQL trace),
 * with their filters; ?1 is the year. */
static const char *const queries[] = {
	"SELECT code, education, title, title_date, backbone_level, subject, full_time "
	"FROM teacher ORDER BY code",
	"SELECT teacher_code, school_code, start_date, end_date, kind FROM posting "
	"ORDER BY teacher_code, start_date",
	"SELECT school_code, year, grade, classes, pupils FROM grade_return WHERE year <= ?1 "
	"ORDER BY school_code, year, grade",
	"SELECT school_code, grade, pupils FROM class_section WHERE year = ?1 "
	"ORDER BY school_code, grade, section",
	"SELECT school_code, teaching_aux_area, indoor_sports_area, sports_ground_area, "
	"equipment_value, multimedia_rooms, computers, books FROM facility WHERE year = ?1 "
	"ORDER BY school_code",
	"SELECT school_code, year, grade, transfers_in, transfers_out FROM pupil_transfer "
	"WHERE year BETWEEN ?1 - 2 AND ?1 ORDER BY school_code",
	"SELECT c.scheme_code, c.item_code, c.school_code, c.score FROM assessment_score c "
	"JOIN assessment_scheme s ON s.code = c.scheme_code WHERE s.year = ?1 "
	"ORDER BY c.scheme_code, c.school_code, c.item_code",
	"SELECT school_code, course, hours_per_week, total_hours_per_week FROM curriculum_hours "
	"WHERE year = ?1 ORDER BY school_code, course",
	"SELECT code, school_code, category, found_date, is_major, state, measures, responsible, "
	"funds, deadline, contingency_plan, closed_date FROM hazard ORDER BY code",
	"SELECT x.teacher_code FROM activity_teacher x JOIN activity a ON a.code = "
	"x.activity_code WHERE a.year = ?1 ORDER BY x.teacher_code",
	"SELECT teacher_code, title FROM title_application WHERE year = ?1 "
	"ORDER BY teacher_code, title",
	"SELECT code, name, area_code, type, urban_rural, is_weak, ownership, declared_seats, "
	"is_teaching_point FROM school ORDER BY code",
};
#define NQ (sizeof(queries) / sizeof(queries[0]))

struct shared {
	const char *db;
	int year;
	pthread_mutex_t mu;
	size_t next, order[NQ];
	double secs[NQ];
	long rows[NQ];
	unsigned sink;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Query q read whole on s: its rows (<0 on error, printed). */
static long scan(struct store *s, size_t q, int year, unsigned *sink)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, queries[q], &e);
	long n = 0;
	int r;

	if (!st) {
		fprintf(stderr, "bench_scan: %s\n", e.msg);
		return -1;
	}
	if (strstr(queries[q], "?1"))
		store_bind_int(st, 1, year);
	while ((r = store_step(st, &e)) == 1) {
		for (int c = 0, nc = store_column_count(st); c < nc; c++) {
			const char *t = store_column_text(st, c);
			*sink += t ? (unsigned char)*t : 0;
		}
		n++;
	}
	store_finalize(st);
	if (r < 0)
		fprintf(stderr, "bench_scan: %s\n", e.msg);
	return r < 0 ? -1 : n;
}

static void *worker(void *arg)
{
	struct shared *sh = arg;
	struct err e = ERR_INIT;
	struct store *s = store_open(sh->db, STORE_READONLY, &e);
	unsigned sink = 0;

	if (!s) {
		fprintf(stderr, "bench_scan: %s\n", e.msg);
		return NULL;
	}
	for (;;) {
		size_t q;
		pthread_mutex_lock(&sh->mu);
		q = sh->next < NQ ? sh->order[sh->next++] : NQ;
		pthread_mutex_unlock(&sh->mu);
		if (q == NQ)
			break;
		scan(s, q, sh->year, &sink);
	}
	store_close(s);
	pthread_mutex_lock(&sh->mu);
	sh->sink += sink;
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

int main(int argc, char **argv)
{
	struct shared sh = { .mu = PTHREAD_MUTEX_INITIALIZER };
	int threads = argc > 3 ? atoi(argv[3]) : 2, runs = argc > 4 ? atoi(argv[4]) : 3;
	double sum = 0, best = 1e9;
	struct err e = ERR_INIT;
	struct store *s;
	long total = 0;

	if (argc < 2 || threads < 1 || threads > 64 || runs < 1) {
		fprintf(stderr, "usage: bench_scan DB [YEAR] [THREADS] [RUNS]\n");
		return 2;
	}
	xmalloc_setup();
	sh.db = argv[1];
	if (!(s = store_open(sh.db, STORE_READONLY, &e))) {
		fprintf(stderr, "bench_scan: %s\n", e.msg);
		return 1;
	}
	if (argc > 2 && *argv[2]) {
		sh.year = atoi(argv[2]);
	} else {
		int64_t y = 0;
		if (store_query_int(s, "SELECT coalesce(max(year), 0) FROM grade_return", &y, &e) < 0) {
			fprintf(stderr, "bench_scan: %s\n", e.msg);
			return 1;
		}
		sh.year = (int)y;
	}
	/* each query alone, best of runs */
	for (size_t q = 0; q < NQ; q++) {
		sh.secs[q] = 1e9;
		for (int r = 0; r < runs; r++) {
			double t = now();
			if ((sh.rows[q] = scan(s, q, sh.year, &sh.sink)) < 0)
				return 1;
			t = now() - t;
			sh.secs[q] = t < sh.secs[q] ? t : sh.secs[q];
		}
		sum += sh.secs[q];
		total += sh.rows[q];
		printf("%9ld rows %7.3f s  %.60s\n", sh.rows[q], sh.secs[q], queries[q]);
	}
	store_close(s);
	printf("%9ld rows %7.3f s  in all, one thread (year %d, best of %d)\n", total, sum,
	       sh.year, runs);
	/* the longest first, on the threads */
	for (size_t q = 0; q < NQ; q++)
		sh.order[q] = q;
	for (size_t i = 1; i < NQ; i++)
		for (size_t k = i; k > 0 && sh.secs[sh.order[k]] > sh.secs[sh.order[k - 1]]; k--) {
			size_t t = sh.order[k];
			sh.order[k] = sh.order[k - 1];
			sh.order[k - 1] = t;
		}
	for (int r = 0; r < runs; r++) {
		pthread_t tid[64];
		double t = now();
		sh.next = 0;
		for (int i = 0; i < threads; i++)
			pthread_create(&tid[i], NULL, worker, &sh);
		for (int i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
		t = now() - t;
		best = t < best ? t : best;
	}
	printf("%9ld rows %7.3f s  wall on %d threads, longest query first (best of %d)\n", total,
	       best, threads, runs);
	return sh.sink == 0xdeadbeef; /* keeps the reads */
}
