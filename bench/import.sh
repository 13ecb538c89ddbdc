#!/bin/sh
# bench/import.sh: time `eduhq import teacher` of N generated rows (default 1,000,000, valid
# GB 11643 check digits) into a fresh database, against sqlite3's own `.import` of the same
# CSV into a table with the same columns and no constraints. Prints rows/s and the ratio.
# usage: bench/import.sh [EDUHQ] [N]
set -eu
EDUHQ=${1:-build/eduhq}
N=${2:-1000000}
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

gen_teachers "$N" >"$D/teacher.csv"
EDUHQ_KEY_FILE="$D/key"; export EDUHQ_KEY_FILE
"$EDUHQ" --db "$D/e.db" init >/dev/null

t0=$(now)
"$EDUHQ" --db "$D/e.db" import teacher "$D/teacher.csv"
t1=$(now)
cols="code, name, id_number, sex, birth_date, education, title, title_date, subject, full_time, backbone_level, certificate, hire_date"
sqlite3 "$D/s.db" "CREATE TABLE teacher($cols)"
t2=$(now)
sqlite3 "$D/s.db" ".mode csv" ".import --skip 1 $D/teacher.csv teacher"
t3=$(now)
# for context: the same plain table in WAL mode (as eduhq databases are) ...
sqlite3 "$D/w.db" "PRAGMA journal_mode = WAL" "CREATE TABLE teacher($cols)" >/dev/null
t4=$(now)
sqlite3 "$D/w.db" ".mode csv" ".import --skip 1 $D/teacher.csv teacher"
t5=$(now)
# ... and sqlite3's own .import of the stored columns into eduhq's real teacher table
# (WITHOUT ROWID, id_hash index, WAL; CHECKs off as eduhq's validated import does)
"$EDUHQ" --db "$D/e.db" export teacher --out "$D/stored.csv" 2>/dev/null
tail -n +2 "$D/stored.csv" | tr -d '\r' >"$D/stored2.csv"
"$EDUHQ" --db "$D/x.db" init >/dev/null
t6=$(now)
sqlite3 "$D/x.db" "PRAGMA ignore_check_constraints = 1" ".mode csv" ".import $D/stored2.csv teacher"
t7=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v f="$t4" -v g="$t5" -v h="$t6" -v i="$t7" -v n="$N" 'BEGIN {
	e = b - a; s = d - c; w = g - f; x = i - h
	printf "eduhq import teacher (validated, hashed, WAL): %d rows in %6.2f s (%.0f rows/s)\n", n, e, n / e
	printf "sqlite3 .import, plain table, new file:       %d rows in %6.2f s (%.0f rows/s)  ratio %.2f\n", n, s, n / s, e / s
	printf "sqlite3 .import, plain table, WAL:            %d rows in %6.2f s (%.0f rows/s)  ratio %.2f\n", n, w, n / w, e / w
	printf "sqlite3 .import, eduhq teacher table, WAL:    %d rows in %6.2f s (%.0f rows/s)  ratio %.2f\n", n, x, n / x, e / x
}'
