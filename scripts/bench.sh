#!/bin/sh
# bench.sh: `make bench`: every benchmark, on one province-scale data set built once.
# Prints figures; nothing is asserted. Takes a few minutes on 2 cores.
# usage: scripts/bench.sh ABS_PATH_TO_EDUHQ
set -eu
EDUHQ=$1
B=$(dirname "$EDUHQ")
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-all.XXXXXX")
trap 'rm -rf "$D"' EXIT

echo "== what first touching memory costs (small pages against xmalloc_big's huge ones)"
sh "$TOP/bench/pagefault.sh" "$B" 128 3
echo "== import: 1,000,000 teacher rows, validated, against sqlite3 .import"
sh "$TOP/bench/import.sh" "$EDUHQ" 1000000 3
echo "== demo: province-scale generation and import"
sh "$TOP/bench/demo.sh" "$EDUHQ" "$D"
P="$D/province.db"
echo "== check on the province"
t0=$(date +%s.%N)
"$EDUHQ" --db "$P" check >"$D/check.out" || true
echo "check: $(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }') s; $(tail -1 "$D/check.out")"
echo "== engines on the province (load, engine and save times)"
for m in balance seats vocational; do
	printf '%s: ' $m
	"$EDUHQ" --db "$P" eval $m --timing 2>&1 >/dev/null | grep '^timing'
done
echo "== teachers and groups engines on the province (goal: engines < 1 s, < 3 s with loading)"
sh "$TOP/bench/teachers.sh" "$EDUHQ" "$P" 3
echo "== assessment, curriculum, safety and tasks engines; the whole eval"
sh "$TOP/bench/ledger.sh" "$EDUHQ" "$P" 3
echo "== the annual report on the province (goal <= 5 s)"
sh "$TOP/bench/report.sh" "$EDUHQ" "$P" 3
cd "$TOP"
echo "== the floor of computing everything: every row the loaders read, read once"
sh bench/scan.sh "$B" "$P" 3
echo "== engines on synthetic province-sized arrays"
sh bench/balance.sh "$B" 100 200 | grep -v '^province demo'
sh bench/forecast.sh "$B"
echo "== both backends: province import and eval on SQLite and PostgreSQL"
sh "$TOP/bench/pg.sh" "$EDUHQ" "$D/pg"
sh bench/vocational.sh "$B"
