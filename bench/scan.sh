#!/bin/sh
# bench/scan.sh: the floor of a computing evaluation (bench/bench_scan.c): every row its
# loaders read, read once with nothing done with it, on one thread and on two; then
# `eduhq eval --fresh` on the same database, best of RUNS, for comparison (its run deleted
# again). Why computing everything cannot take 0.5 s on 2 cores (README, issue 15).
# usage: bench/scan.sh [BUILD-DIR] [DB] [RUNS]   (run from the top; DB a SQLite file)
set -eu
BUILD=${1:-build}
DB=${2:-build/prov.db}
RUNS=${3:-3}
make -s BUILD="$BUILD" "$BUILD/bench/bench_scan" >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD/bench/bench_scan" "$DB" "" 2 "$RUNS"
first=$(sqlite3 "$DB" "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
for i in $(seq "$RUNS"); do
	/usr/bin/time -f "%e" "$BUILD/eduhq" --db "$DB" eval --fresh 2>&1 >/dev/null | tail -1
done | sort -n | head -1 | sed 's/$/ s  eduhq eval --fresh, wall (best of '"$RUNS"')/'
sqlite3 "$DB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first; PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
