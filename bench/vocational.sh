#!/bin/sh
# bench/vocational.sh: time the vocational evaluation.
#  1. the pure engine on synthetic provinces (bench/bench_vocational.c), compiled against
#     BUILD/libeduhq.a: 25 cities x 20 schools x 40 specialties x 10 years (20,000
#     specialties, about the largest real province), and four times that;
#  2. with a database given, `eduhq eval vocational --timing` on it (load, engine and save
#     times), e.g. the province demo (`eduhq demo --scale province`): the figure the goal
#     (engine < 0.2 s, loading excluded) is about.
# usage: bench/vocational.sh [BUILD-DIR] [DB]   (run from the top)
set -eu
BUILD=${1:-build}
DB=${2:-}

make -s BUILD="$BUILD" "$BUILD/bench/bench_vocational" "$BUILD/eduhq" >/dev/null
"$BUILD/bench/bench_vocational" 25 20 40 10 5
"$BUILD/bench/bench_vocational" 100 20 40 10 3

if [ -n "$DB" ]; then
	echo "database $DB: $(sqlite3 "$DB" 'SELECT count(*) FROM school_specialty') specialties, $(sqlite3 "$DB" 'SELECT count(*) FROM specialty_year') annual returns"
	"$BUILD/eduhq" --db "$DB" eval vocational --timing 2>&1 >/dev/null | grep '^timing'
fi
