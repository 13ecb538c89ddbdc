#!/bin/sh
# bench/report.sh: time `eduhq report annual` on the province-scale demo (16 cities, ~19,000
# schools, ~490,000 result rows in the run) in each format, RUNS times each; prints the best
# and the worst wall time per format against the goal (the report in <= 5 s). The run is
# made once (`eval --as-of 2025-09-30`) when the database has none. Prints figures; asserts
# nothing.
# usage: bench/report.sh EDUHQ [PROVINCE_DB] [RUNS]   (without a database one is built)
set -eu
EDUHQ=$1
P=${2:-}
RUNS=${3:-3}
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-report.XXXXXX")
trap 'rm -rf "$D"' EXIT
if [ -z "$P" ]; then
	P="$D/p.db"
	"$EDUHQ" --db "$P" demo --scale province --out "$D/csv" >/dev/null
fi
cp "$P" "$D/b.db"
if ! "$EDUHQ" --db "$D/b.db" report annual --year 2024 --format html --out "$D/probe.html" >/dev/null 2>&1; then
	t0=$(date +%s.%N)
	"$EDUHQ" --db "$D/b.db" eval --as-of 2025-09-30 >/dev/null
	echo "eval (once, to have a run): $(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }') s"
fi
for f in html docx pdf; do
	best= worst=
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s.%N)
		line=$("$EDUHQ" --db "$D/b.db" report annual --year 2024 --format $f --out "$D/r.$f")
		t=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
		best=$(echo "${best:-$t} $t" | awk '{ print ($2 < $1) ? $2 : $1 }')
		worst=$(echo "${worst:-$t} $t" | awk '{ print ($2 > $1) ? $2 : $1 }')
	done
	echo "report $f: best $best s, worst $worst s of $RUNS (goal <= 5 s); $(wc -c <"$D/r.$f") bytes; $line"
done
