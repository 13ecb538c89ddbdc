#!/bin/sh
# bench/demo.sh: build the province-scale demo data set (about 100 counties, 20,000 schools,
# 1,000,000 teachers with postings, 10 school years) and report generation time, import time,
# rows and database size. Runs niced; takes minutes on 2 cores.
# usage: bench/demo.sh [EDUHQ] [DIR]   (DIR default: a temporary directory, removed after)
set -eu
EDUHQ=${1:-build/eduhq}
if [ $# -ge 2 ]; then
	D=$2
	mkdir -p "$D"
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-demo.XXXXXX")
	trap 'rm -rf "$D"' EXIT
fi
rm -f "$D/province.db" "$D/province.db-wal" "$D/province.db-shm" "$D/province.db.key"

out=$(nice "$EDUHQ" --db "$D/province.db" demo --scale province --out "$D/data" --quiet)
echo "$out" | sed -n '/^wrote /p;/^imported /p'
gen=$(echo "$out" | sed -n 's/^wrote \([0-9]*\) rows .* in \([0-9.]*\) s$/\1 \2/p')
imp=$(echo "$out" | sed -n "s/^imported into .* in \([0-9.]*\) s$/\1/p")
set -- $gen
rows=$1 gen_s=$2
csv_mb=$(du -sm "$D/data" | cut -f1)
db_mb=$(( $(stat -c %s "$D/province.db") / 1048576 ))
echo "$out" | sed -n '/^  schools/p;/^  teachers/p;/^  pupils/p'
printf 'province demo: %s rows, %s MB of CSV; generation %s s, import %s s (%.0f rows/s), database %s MB\n' \
	"$rows" "$csv_mb" "$gen_s" "$imp" "$(echo "$rows $imp" | awk '{print $1 / $2}')" "$db_mb"
