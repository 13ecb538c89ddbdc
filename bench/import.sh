#!/bin/sh
# bench/import.sh: time `eduhq import teacher` of N generated rows (default 1,000,000, valid
# GB 11643 check digits, in key order) into a fresh database, against sqlite3's own `.import`
# of the same CSV into a new file database with a table of the same columns and no
# constraints (the baseline), R times each (default 3), alternating. Prints every run with
# eduhq's phases (EDUHQ_IMPORT_TIMES: setup; load = read, validate and insert, overlapped in
# two threads; drain = the writer's tail; index = rebuilding teacher_id_hash; commit, with
# its WAL checkpoint), then min and median of each and the ratios eduhq / sqlite3. For
# context, also sqlite3 .import into the plain table in a WAL database (eduhq's mode).
# Then small files into the full table: one teacher changed, and 1,000 teachers changed, R
# times each (and alternately with REF, another eduhq binary, when given).
# usage: bench/import.sh [EDUHQ] [N] [R] [REF]
set -eu
EDUHQ=${1:-build/eduhq}
N=${2:-1000000}
R=${3:-3}
REF=${4:-}
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT

# teacher CSV: code,name,id_number,sex,birth_date,education,title,subject,hire_date,...
gen_teachers() { # N
	awk -v n="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		split("1 0 X 9 8 7 6 5 4 3 2", cc, " ")
		split("chinese math english pe music art science", subj, " ")
		split("none third second first senior", tit, " ")
		split("associate bachelor master", edu, " ")
		print "code,name,id_number,sex,birth_date,education,title,title_date,subject,full_time,backbone_level,certificate,hire_date"
		for (i = 1; i <= n; i++) {
			y = 1960 + i % 40; m = 1 + i % 12; d = 1 + i % 28
			s17 = sprintf("441002%04d%02d%02d%03d", y, m, d, i % 1000)
			sum = 0
			for (k = 1; k <= 17; k++) sum += substr(s17, k, 1) * w[k]
			sex = (i % 2) ? "M" : "F"
			printf "T%07d,教师%d,%s%s,%s,%04d-%02d-%02d,%s,%s,,%s,1,none,primary,%04d-09-01\n", \
				i, i, s17, cc[sum % 11 + 1], sex, y, m, d, edu[i % 3 + 1], tit[i % 5 + 1], \
				subj[i % 7 + 1], y + 22
		}
	}'
}

now() { date +%s.%N; }
cols="code, name, id_number, sex, birth_date, education, title, title_date, subject, full_time, backbone_level, certificate, hire_date"

gen_teachers "$N" >"$D/teacher.csv"
EDUHQ_KEY_FILE="$D/key"; export EDUHQ_KEY_FILE
: >"$D/e.times"; : >"$D/s.times"; : >"$D/w.times"
i=1
while [ "$i" -le "$R" ]; do
	rm -f "$D"/*.db "$D"/*.db-wal "$D"/*.db-shm
	"$EDUHQ" --db "$D/e.db" init >/dev/null
	t0=$(now)
	EDUHQ_IMPORT_TIMES=1 "$EDUHQ" --db "$D/e.db" import teacher "$D/teacher.csv" >/dev/null 2>"$D/phases"
	t1=$(now)
	[ "$(sqlite3 "$D/e.db" "SELECT count(*) FROM teacher")" -eq "$N" ] ||
		{ echo "bench: eduhq did not store $N rows" >&2; exit 1; }
	sqlite3 "$D/s.db" "CREATE TABLE teacher($cols)"
	t2=$(now)
	sqlite3 "$D/s.db" ".mode csv" ".import --skip 1 $D/teacher.csv teacher"
	t3=$(now)
	sqlite3 "$D/w.db" "PRAGMA journal_mode = WAL" "CREATE TABLE teacher($cols)" >/dev/null
	t4=$(now)
	sqlite3 "$D/w.db" ".mode csv" ".import --skip 1 $D/teacher.csv teacher"
	t5=$(now)
	echo "$t1 - $t0" | bc >>"$D/e.times"
	echo "$t3 - $t2" | bc >>"$D/s.times"
	echo "$t5 - $t4" | bc >>"$D/w.times"
	printf 'run %d: eduhq %6.2f s (%s), sqlite3 .import %6.2f s, WAL %6.2f s\n' "$i" \
		"$(tail -n 1 "$D/e.times")" \
		"$(awk '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $3 }' "$D/phases")" \
		"$(tail -n 1 "$D/s.times")" "$(tail -n 1 "$D/w.times")"
	i=$((i + 1))
done

stats() { # FILE: "min median"
	sort -n "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m }'
}
set -- $(stats "$D/e.times") $(stats "$D/s.times") $(stats "$D/w.times")
awk -v n="$N" -v r="$R" -v emin="$1" -v emed="$2" -v smin="$3" -v smed="$4" -v wmin="$5" -v wmed="$6" 'BEGIN {
	printf "%d rows, %d runs each: min / median\n", n, r
	printf "eduhq import teacher (validated, hashed, WAL): %6.2f s / %6.2f s  (%.0f / %.0f rows/s)\n", emin, emed, n / emin, n / emed
	printf "sqlite3 .import, plain table, new file:       %6.2f s / %6.2f s  (%.0f / %.0f rows/s)\n", smin, smed, n / smin, n / smed
	printf "sqlite3 .import, plain table, WAL:            %6.2f s / %6.2f s\n", wmin, wmed
	printf "ratio eduhq / sqlite3 .import (new file):      %.2f (min) / %.2f (median)   goal <= 1.5\n", emin / smin, emed / smed
	printf "ratio eduhq / sqlite3 .import (WAL):           %.2f (min) / %.2f (median)\n", emin / wmin, emed / wmed
}'

# Small files into the table of N rows: a principal's correction, a county's update. Each
# row changes a stored teacher (its education), so each is an UPDATE.
small() { # ROWS: a CSV of the first ROWS teachers with another education
	head -n $(($1 + 1)) "$D/teacher.csv" | awk -F, -v OFS=, 'NR > 1 { $6 = ($6 == "master") ? "doctor" : "master" } 1'
}
small 1 >"$D/one.csv"
small 1000 >"$D/thousand.csv"
for f in one thousand; do
	i=1
	while [ "$i" -le "$R" ]; do
		for b in "$EDUHQ" $REF; do
			t0=$(now)
			out=$("$b" --db "$D/e.db" import teacher "$D/$f.csv")
			t1=$(now)
			printf '%s-row update into %d rows, %s: %.3f s (%s)\n' "$(($(wc -l <"$D/$f.csv") - 1))" "$N" \
				"$b" "$(echo "$t1 - $t0" | bc)" "$out"
		done
		i=$((i + 1))
	done
done
