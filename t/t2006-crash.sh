#!/bin/sh
# t2006-crash.sh: kill -9 an import of 300,000 rows (60,000 under ASan) half-way: the database opens, passes
# PRAGMA integrity_check and holds exactly what it held before; the same file then imports.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/fx"
# teacher is empty: the import takes the bulk path (its index dropped and rebuilt inside
# the transaction), so the crash also proves that DDL is rolled back
for t in area school; do eduhq import $t "$T/fx/$t.csv" >/dev/null; done
# 300,000 rows; fewer under ASan (ten times slower), still killed half-way
n=300000
ldd "$EDUHQ" 2>/dev/null | grep -q libasan && n=60000
gen_teachers $n >"$T/big.csv"
size=$(stat -c %s "$T/big.csv")
before=$(db_dump)

"$EDUHQ" import teacher "$T/big.csv" >"$T/bg.out" 2>&1 &
pid=$!
# wait until the reader is past the middle of the file (its offset in /proc), then kill
half=0
i=0
while [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do
	for fd in /proc/$pid/fd/*; do
		if [ "$(readlink "$fd" 2>/dev/null)" = "$T/big.csv" ]; then
			pos=$(awk '/^pos:/ { print $2 }' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null)
			[ "${pos:-0}" -gt $((size / 2)) ] && half=1
		fi
	done
	[ $half = 1 ] && break
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
killed=$?
wait $pid 2>/dev/null
ok $([ $half = 1 ] && [ $killed = 0 ] && echo 0 || echo 1) "the import was killed half-way"

is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA integrity_check')" ok "integrity_check says ok"
is "$(db_dump)" "$before" "the database holds exactly what it held before"
ok $(sqlite3 "$EDUHQ_DB" .schema | grep -q 'CREATE INDEX teacher_id_hash' && echo 0 || echo 1) "the index is still there"
run eduhq import teacher "$T/fx/teacher.csv"
is "$rc:$out" "0:teacher: 3 rows: 3 inserted, 0 updated, 0 unchanged" "the database opens and imports"
run eduhq import teacher "$T/big.csv"
is "$rc:$out" "0:teacher: $n rows: $n inserted, 0 updated, 0 unchanged" "the same file then imports"
is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA integrity_check')" ok "integrity_check after the full import"

done_testing
