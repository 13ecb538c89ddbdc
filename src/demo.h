/* demo.h: the demo data generator behind `eduhq demo` (SPEC §6).
 *
 * demo_generate() writes one ordinary UTF-8 CSV file per registry table (header = the SQL
 * column names; the teacher file carries a clear `id_number` instead of id_hash/id_masked)
 * into a directory, in exactly the format users import. City scale builds 临江市; province
 * scale about 100 counties, 20,000 schools and 1,000,000 teachers, streamed row by row (memory
 * is bounded by the number of schools, never by teachers or returns). Deterministic: the
 * same seed gives byte-identical files. */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>

#include "err.h"

enum demo_scale { DEMO_CITY = 0, DEMO_PROVINCE = 1 };

struct demo_opts {
	int scale;        /* enum demo_scale */
	uint64_t seed;
	const char *dir;  /* created if missing */
};

struct demo_stats {
	long cities, counties, schools, compulsory, teachers, groups, specialties, rows;
};

/* The tables demo_generate writes, in an order that satisfies every foreign key
 * (NULL-terminated). The files are DIR/<table>.csv. */
extern const char *const demo_tables[];

int demo_generate(const struct demo_opts *o, struct demo_stats *st, struct err *e);

#endif
