#!/bin/sh
# bench/balance-ref.sh: `eduhq eval balance` against bench/balance-ref.sql (the same results
# as plain SQL in the sqlite3 shell) on the same database: each end to end (process start to
# exit), best of RUNS, side by side: eduhq computing (--fresh) and eduhq taking the results of
# its previous run, nothing having changed (src/memo.c), and eduhq computing after a facility
# row is written (the sqlite3 shell sets a school's books to what they are: balance computes,
# its teachers' part taken from the run before, memo.h); then every school's L1-L7 (value,
# numerator, denominator) and every county CV of that last run compared number for number
# (relative difference over 1e-9 counts as a mismatch, as does a value on one side only).
# eduhq's runs are deleted again.
# usage: bench/balance-ref.sh DB [EDUHQ] [RUNS]   (run from the top; DB: e.g. the province demo)
set -eu
DB=$1
EDUHQ=${2:-build/eduhq}
RUNS=${3:-3}
q() { sqlite3 "$DB" "$@"; }
now() { date +%s.%N; }
best() { sort -n | head -1; }
first=$(q "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
: >"$DB.sqlt"
: >"$DB.eqt"
: >"$DB.eqw"
: >"$DB.eqf"
for i in $(seq "$RUNS"); do
	t0=$(now)
	q ".read bench/balance-ref.sql" "SELECT count(*) FROM ref" >/dev/null
	t1=$(now)
	"$EDUHQ" --db "$DB" eval balance --fresh --rules-as-of "$(date +%F)" >/dev/null
	t2=$(now)
	"$EDUHQ" --db "$DB" eval balance --rules-as-of "$(date +%F)" >/dev/null
	t3=$(now)
	q "UPDATE facility SET books = books WHERE school_code = (SELECT min(school_code) FROM facility)"
	t4=$(now)
	"$EDUHQ" --db "$DB" eval balance --rules-as-of "$(date +%F)" >/dev/null
	t5=$(now)
	echo "$t0 $t1" | awk '{ print $2 - $1 }' >>"$DB.sqlt"
	echo "$t1 $t2" | awk '{ print $2 - $1 }' >>"$DB.eqt"
	echo "$t2 $t3" | awk '{ print $2 - $1 }' >>"$DB.eqw"
	echo "$t4 $t5" | awk '{ print $2 - $1 }' >>"$DB.eqf"
done
s=$(best <"$DB.sqlt")
e=$(best <"$DB.eqt")
w=$(best <"$DB.eqw")
f=$(best <"$DB.eqf")
printf 'balance, end to end (best of %d): sqlite3 shell + bench/balance-ref.sql %.2f s; eduhq eval balance --fresh %.2f s (%.1fx), eduhq eval balance, unchanged data %.2f s (%.1fx), after a facility write (teachers kept) %.2f s (%.1fx)\n' \
	"$RUNS" "$s" "$e" "$(echo "$s $e" | awk '{ print $1 / $2 }')" "$w" "$(echo "$s $w" | awk '{ print $1 / $2 }')" \
	"$f" "$(echo "$s $f" | awk '{ print $1 / $2 }')"
run=$(q "SELECT max(id) FROM eval_run")
[ -n "$run" ] || { echo "no eduhq run to compare"; exit 1; }
# eduhq's rows as a table `result` in a side file (the rows are stored as chunks)
rm -f "$DB.results"
"$EDUHQ" --db "$DB" indicators --run "$run" --format sql | sqlite3 "$DB.results"
sqlite3 -cmd "ATTACH '$DB.results' AS r" "$DB" ".read bench/balance-ref.sql" "
CREATE INDEX temp.ref_key ON ref(indicator, unit_kind, unit_id, stage);
CREATE TEMP TABLE e AS SELECT indicator, unit_kind, unit_id, stage, value, numerator, denominator
	FROM result WHERE run_id = $run AND (indicator GLOB 'BAL.L[1-7]' OR indicator GLOB 'BAL.CV.L[1-7]');
CREATE INDEX temp.e_key ON e(indicator, unit_kind, unit_id, stage);
CREATE TEMP TABLE j AS SELECT r.*, e.value AS ev, e.numerator AS en, e.denominator AS ed,
	e.indicator IS NULL AS lonely FROM ref r LEFT JOIN e USING (indicator, unit_kind, unit_id, stage);
CREATE TEMP TABLE bad AS SELECT * FROM j WHERE lonely
	OR (value IS NULL) <> (ev IS NULL) OR abs(value - ev) > 1e-9 * max(abs(value), abs(ev))
	OR (numerator IS NOT NULL AND ((en IS NULL) OR abs(numerator - en) > 1e-9 * max(abs(numerator), abs(en))))
	OR (denominator IS NOT NULL AND ((ed IS NULL) OR abs(denominator - ed) > 1e-9 * max(abs(denominator), abs(ed))));
SELECT printf('compared: %d rows of the SQL (%d school values, %d county CVs), %d of eduhq''s; mismatches: %d; eduhq rows the SQL lacks: %d',
	(SELECT count(*) FROM ref), (SELECT count(*) FROM ref WHERE unit_kind = 'school'),
	(SELECT count(*) FROM ref WHERE unit_kind = 'county'), (SELECT count(*) FROM e),
	(SELECT count(*) FROM bad),
	(SELECT count(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM ref r WHERE r.indicator = e.indicator
		AND r.unit_kind = e.unit_kind AND r.unit_id = e.unit_id AND r.stage = e.stage)));
SELECT 'mismatch: ' || indicator || ' ' || unit_id || ' ' || stage || ' sql ' || ifnull(value, 'NULL') || ' eduhq ' || ifnull(ev, 'NULL')
	FROM bad LIMIT 5;"
rm -f "$DB.sqlt" "$DB.eqt" "$DB.eqw" "$DB.eqf" "$DB.results"
q "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first" >/dev/null
