#!/bin/sh
# bench/ledger.sh: time the assessment, curriculum, safety and tasks engines on the
# province-scale demo (16 cities: ~19,000 schools, 21,600 hazards, 192 plan tasks), and the
# whole `eduhq eval` (every engine). Each mechanism runs RUNS times; the best engine time
# (load and save excluded, as `eval --timing` reports them) is printed, then their sum,
# which the goal (< 0.5 s together) is about. Prints figures; asserts nothing.
# usage: bench/ledger.sh EDUHQ [PROVINCE_DB] [RUNS]   (without a database one is built)
set -eu
EDUHQ=$1
P=${2:-}
RUNS=${3:-3}
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-ledger.XXXXXX")
trap 'rm -rf "$D"' EXIT
if [ -z "$P" ]; then
	P="$D/p.db"
	"$EDUHQ" --db "$P" demo --scale province --out "$D/csv" >/dev/null
fi
# a copy, so that the stored runs do not grow the caller's database
cp "$P" "$D/b.db"
ASOF=2025-09-30
total=0
for m in assessment curriculum safety tasks; do
	best=
	for _ in $(seq "$RUNS"); do
		line=$("$EDUHQ" --db "$D/b.db" eval $m --as-of $ASOF --timing --fresh 2>&1 >/dev/null | grep '^timing')
		e=$(echo "$line" | sed 's/.*engine \([0-9.]*\) s.*/\1/')
		best=$(echo "${best:-$e} $e" | awk '{ print ($2 < $1) ? $2 : $1 }')
	done
	echo "$m: engine $best s (best of $RUNS); last run: $line"
	total=$(echo "$total $best" | awk '{ printf "%.3f", $1 + $2 }')
done
echo "assessment + curriculum + safety + tasks engines together: $total s (goal < 0.5 s)"
t0=$(date +%s.%N)
line=$("$EDUHQ" --db "$D/b.db" eval --as-of $ASOF --timing --fresh 2>&1 >/dev/null | grep '^timing')
t1=$(date +%s.%N)
echo "whole eduhq eval (every engine): $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s wall; $line"
