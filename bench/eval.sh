#!/bin/sh
# bench/eval.sh: the whole `eduhq eval` (every engine) on the province-scale demo: wall time,
# peak memory and the load/engine/save split of each of RUNS runs, the size a stored run adds,
# and, when a reference binary is given (one built before a change, e.g. from
# `git worktree add /tmp/base a4db6a9 && make -C /tmp/base`), a run of it on the same
# database with every stored result row compared to the new binary's, bit for bit.
# Then bench/balance-ref.sql, the balance results written as plain SQL, run by the sqlite3
# shell on the same database and compared number for number with eduhq's.
# The runs are deleted again. The database is made once (eduhq demo --scale province).
# usage: bench/eval.sh [EDUHQ] [DB] [REFERENCE-EDUHQ] [RUNS]   (run from the top)
set -eu
EDUHQ=${1:-build/eduhq}
DB=${2:-build/prov/p.db}
BASE=${3:-}
RUNS=${4:-3}
AS_OF="--as-of 2025-09-30 --rules-as-of 2025-09-30"
if [ ! -f "$DB" ]; then
	mkdir -p "$(dirname "$DB")"
	"$EDUHQ" --db "$DB" demo --scale province --out "$(dirname "$DB")/csv" --quiet
fi
q() { sqlite3 "$DB" "$@"; }
rows() { # the digest of run $1's stored rows, every number at 17 digits (as t1400)
	q "SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'),
	printf('%.17g|%.17g|%.17g|%.17g', value, numerator, denominator, threshold), verdict,
	evidence FROM result WHERE run_id = $1 ORDER BY id" | sha256sum | cut -c1-16
}
first=$(q "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other work on the machine slows every figure)"
echo "province: $(q 'SELECT count(*) FROM school') schools, $(q 'SELECT count(*) FROM teacher') teachers; $EDUHQ eval $AS_OF"
if [ -n "$BASE" ]; then
	/usr/bin/time -f "%e %M %U %S" -o "$DB.time" "$BASE" --db "$DB" eval $AS_OF --timing >/dev/null 2>"$DB.timing"
	printf 'reference %-28s wall %5.2f s, cpu %5.2f s, peak %4d MB, %s\n' "$BASE" "$(cut -d' ' -f1 "$DB.time")" \
		"$(awk '{ print $3 + $4 }' "$DB.time")" $(($(cut -d' ' -f2 "$DB.time") / 1024)) \
		"$(sed 's/^timing: //' "$DB.timing")"
	baseid=$(q "SELECT max(id) FROM eval_run")
fi
for i in $(seq "$RUNS"); do
	p0=$(q "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())")
	/usr/bin/time -f "%e %M %U %S" -o "$DB.time" "$EDUHQ" --db "$DB" eval $AS_OF --timing >/dev/null 2>"$DB.timing"
	printf 'run %d %-34s wall %5.2f s, cpu %5.2f s, peak %4d MB, %s; +%d MB\n' "$i" "$EDUHQ" \
		"$(cut -d' ' -f1 "$DB.time")" "$(awk '{ print $3 + $4 }' "$DB.time")" \
		$(($(cut -d' ' -f2 "$DB.time") / 1024)) \
		"$(sed 's/^timing: //' "$DB.timing")" \
		$((($(q "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())") - p0) * $(q "PRAGMA page_size") / 1048576))
done
id=$(q "SELECT max(id) FROM eval_run")
if [ -n "$BASE" ]; then
	a=$(rows "$baseid")
	b=$(rows "$id")
	[ "$a" = "$b" ] && echo "results: identical to the reference ($(q "SELECT count(*) FROM result WHERE run_id = $id") rows, digest $a)" ||
		echo "results: DIFFER from the reference ($a vs $b)"
fi
if [ -f bench/balance-ref.sql ]; then
	sh bench/balance-ref.sh "$DB" "$EDUHQ" 1 || true
fi
rm -f "$DB.time" "$DB.timing"
q "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first; PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
