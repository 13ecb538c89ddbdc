#!/bin/sh
# bench/balance.sh: time the balance evaluation at province scale.
#  1. the pure engine on a synthetic province (bench/bench_balance.c, 20,000 schools in 100
#     counties), compiled against BUILD/libeduhq.a: the figure the goal (< 0.5 s) is about;
#  2. when `eduhq demo --scale province` works, `eduhq eval balance --timing` on it, which
#     prints load, engine and save times separately.
# usage: bench/balance.sh [BUILD-DIR] [COUNTIES SCHOOLS-PER-COUNTY]   (run from the top)
set -eu
BUILD=${1:-build}
COUNTIES=${2:-100}
PER=${3:-200}
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT

make -s BUILD="$BUILD" "$BUILD/bench/bench_balance" "$BUILD/eduhq" >/dev/null
"$BUILD/bench/bench_balance" "$COUNTIES" "$PER" 5

if "$BUILD/eduhq" demo --help >/dev/null 2>&1 &&
	"$BUILD/eduhq" --db "$D/p.db" demo --scale province --out "$D/csv" >"$D/demo.log" 2>&1; then
	echo "province demo: $(sqlite3 "$D/p.db" 'SELECT count(*) FROM school') schools"
	"$BUILD/eduhq" --db "$D/p.db" eval balance --timing >/dev/null
else
	echo "province demo not available: $(tail -1 "$D/demo.log" 2>/dev/null || echo '?')"
fi
