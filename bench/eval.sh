#!/bin/sh
# bench/eval.sh: the whole `eduhq eval` (every engine) on the province-scale demo: wall time,
# peak memory and the load/engine/save split of each of RUNS runs computing everything
# (--fresh), then RUNS runs on unchanged data (each mechanism takes the previous run's results,
# src/memo.c), one after a hazard is written (safety and tasks compute) and one after a
# facility is written (balance computes, alone: on both cores, its teachers' part taken), then
# after a class section, a grade return, a teacher's name, a teacher's title, a school's
# declared seats and a school's name are written (in that order: each measures its own
# write, the runs before having taken in the ones before), the size a stored run adds,
# and, when a reference binary is given (one built before a change, e.g. from
# `git worktree add /tmp/ref57 57d8fdc && make -C /tmp/ref57 build/eduhq`), a run of it on
# REFERENCE-DB (default: DB; a database of its own format when the stored form changed, such
# as one made by the reference's `demo --scale province`: the data fingerprints of the two
# runs must be equal, so a reference from before the fingerprint's encoding changed (dd45477),
# runs on DB itself) with every result row compared to the new binary's, bit for bit: each
# side's rows as a table `result` (the old format's own table, or the new format's rows
# written out by `eduhq indicators --run N --format sql`) dumped by the same query, every
# number as the sqlite3 shell's ieee754(), its exact mantissa and exponent.
# Then bench/balance-ref.sql, the balance results written as plain SQL, run by the sqlite3
# shell on the same database and compared number for number with eduhq's.
# The runs are deleted again. The database is made once (eduhq demo --scale province).
# usage: bench/eval.sh [EDUHQ] [DB] [REFERENCE-EDUHQ] [RUNS] [REFERENCE-DB]   (from the top)
set -eu
EDUHQ=${1:-build/eduhq}
DB=${2:-build/prov/p.db}
BASE=${3:-}
RUNS=${4:-3}
REFDB=${5:-$DB}
AS_OF="--as-of 2025-09-30 --rules-as-of 2025-09-30"
if [ ! -f "$DB" ]; then
	mkdir -p "$(dirname "$DB")"
	"$EDUHQ" --db "$DB" demo --scale province --out "$(dirname "$DB")/csv" --quiet
fi
q() { sqlite3 "$DB" "$@"; }
rows() { # rows EDUHQ DB RUN: the digest and count of a run's rows, every number exact
	side=$2
	if [ -z "$(sqlite3 "$2" "SELECT name FROM sqlite_master WHERE name = 'result'")" ]; then
		side=$2.rows
		rm -f "$side"
		"$1" --db "$2" indicators --run "$3" --format sql | sqlite3 "$side"
	fi
	sqlite3 "$side" "SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'),
		ifnull(ieee754(value), 'N'), ifnull(ieee754(numerator), 'N'),
		ifnull(ieee754(denominator), 'N'), ifnull(ieee754(threshold), 'N'), verdict, evidence
		FROM result WHERE run_id = $3 ORDER BY id" >"$2.dump"
	echo "$(sha256sum <"$2.dump" | cut -c1-16) $(wc -l <"$2.dump")"
	[ "$side" = "$2" ] || rm -f "$side"
}
first=$(q "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
reffirst=$(sqlite3 "$REFDB" "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other work on the machine slows every figure)"
echo "province: $(q 'SELECT count(*) FROM school') schools, $(q 'SELECT count(*) FROM teacher') teachers; $EDUHQ eval $AS_OF"
if [ -n "$BASE" ]; then
	/usr/bin/time -f "%e %M %U %S" -o "$DB.time" "$BASE" --db "$REFDB" eval $AS_OF --timing >/dev/null 2>"$DB.timing"
	printf 'reference %-28s wall %5.2f s, cpu %5.2f s, peak %4d MB, %s\n' "$BASE" "$(cut -d' ' -f1 "$DB.time")" \
		"$(awk '{ print $3 + $4 }' "$DB.time")" $(($(cut -d' ' -f2 "$DB.time") / 1024)) \
		"$(sed 's/^timing: //' "$DB.timing")"
	baseid=$(sqlite3 "$REFDB" "SELECT max(id) FROM eval_run")
fi
measure() { # measure LABEL ARGS...: one eval, its figures on one line
	label=$1
	shift
	p0=$(q "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())")
	/usr/bin/time -f "%e %M %U %S" -o "$DB.time" "$EDUHQ" --db "$DB" eval $AS_OF --timing "$@" >/dev/null 2>"$DB.timing"
	printf '%s %-24s wall %5.2f s, cpu %5.2f s, peak %4d MB, %s; +%.1f MB\n' "$label" "$EDUHQ" \
		"$(cut -d' ' -f1 "$DB.time")" "$(awk '{ print $3 + $4 }' "$DB.time")" \
		$(($(cut -d' ' -f2 "$DB.time") / 1024)) \
		"$(sed 's/^timing: //' "$DB.timing")" \
		"$(echo "$(($(q "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())") - p0)) $(q "PRAGMA page_size")" | awk '{ print $1 * $2 / 1048576 }')"
}
for i in $(seq "$RUNS"); do
	measure "fresh $i" --fresh
done
cold=$(q "SELECT max(id) FROM eval_run")
for i in $(seq "$RUNS"); do
	measure "unchanged $i"
done
id=$(q "SELECT max(id) FROM eval_run")
c=$(rows "$EDUHQ" "$DB" "$cold")
w=$(rows "$EDUHQ" "$DB" "$id")
[ "$c" = "$w" ] && echo "unchanged data: the same rows as computing them, bit for bit (${w#* } rows)" ||
	echo "unchanged data: rows DIFFER from computing them ($c vs $w)"
rm -f "$DB.dump"
# a write the sqlite3 shell makes (a hazard's state set to what it is): the version of table
# hazard counts up, so safety and tasks compute again; the facts are the same
q "UPDATE hazard SET state = state WHERE code = (SELECT min(code) FROM hazard)"
measure "hazard written"
# and a facility row (books set to what they are): balance computes, the others reuse
q "UPDATE facility SET books = books WHERE school_code = (SELECT min(school_code) FROM facility)"
measure "facility written"
# more writes, each followed by an evaluation (only the mechanisms reading what changed
# compute; of the school and teacher tables only the columns a mechanism reads count, and
# only a change of one: these change a value, put back after)
q "UPDATE class_section SET pupils = pupils WHERE school_code = (SELECT min(school_code) FROM class_section)"
measure "class section written"
q "UPDATE grade_return SET pupils = pupils WHERE school_code = (SELECT min(school_code) FROM grade_return)"
measure "grade return written"
tw="WHERE code = (SELECT min(code) FROM teacher)"
sw="WHERE code = (SELECT min(code) FROM school)"
was=$(q "SELECT 'UPDATE teacher SET name = ' || quote(name) || ', title = ' || quote(title) || ' $tw;' FROM teacher $tw")
was="$was $(q "SELECT 'UPDATE school SET name = ' || quote(name) || ', declared_seats = ' || quote(declared_seats) || ' $sw;' FROM school $sw")"
q "UPDATE teacher SET name = name || '甲' $tw"
measure "teacher renamed"
q "UPDATE teacher SET title = CASE title WHEN 'senior' THEN 'first' ELSE 'senior' END $tw"
measure "teacher's title changed"
q "UPDATE school SET declared_seats = coalesce(declared_seats, 0) + 1 $sw"
measure "declared seats changed"
q "UPDATE school SET name = name || '甲' $sw"
measure "school renamed"
q "$was"
if [ -n "$BASE" ]; then
	fa=$(sqlite3 "$REFDB" "SELECT data_fingerprint FROM eval_run WHERE id = $baseid")
	fb=$(q "SELECT data_fingerprint FROM eval_run WHERE id = $id")
	a=$(rows "$BASE" "$REFDB" "$baseid")
	b=$(rows "$EDUHQ" "$DB" "$id")
	if [ "$fa" = "$fb" ]; then
		echo "data: the same facts (fingerprint $(echo "$fa" | cut -c1-16)...)"
	elif [ "$REFDB" = "$DB" ]; then
		# one database: the same facts; fingerprints differ across a change of their
		# encoding (the loaders branch's, for one)
		echo "data: the same database (fingerprints $(echo "$fa" | cut -c1-16)... and $(echo "$fb" | cut -c1-16)...: a reference from before the fingerprint's encoding changed)"
	else
		echo "data: DIFFERENT facts (fingerprints $fa vs $fb): the comparison below means nothing"
	fi
	if [ "$a" = "$b" ]; then
		echo "results: identical to the reference, every field bit for bit (${b#* } rows, digest ${b% *})"
	else
		echo "results: DIFFER from the reference ($a vs $b); first differences:"
		diff "$REFDB.dump" "$DB.dump" | head -4 | cut -c1-200
	fi
	rm -f "$REFDB.dump" "$DB.dump"
fi
echo "stored: $(q "SELECT count(*) || ' chunks, ' || sum(nrows) || ' rows, ' || sum(length(data)) || ' bytes of data' FROM result_chunk WHERE run_id = $id")"
if [ -f bench/balance-ref.sql ]; then
	sh bench/balance-ref.sh "$DB" "$EDUHQ" 1 || true
fi
rm -f "$DB.time" "$DB.timing"
q "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first; PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
[ "$REFDB" = "$DB" ] || sqlite3 "$REFDB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $reffirst; PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
