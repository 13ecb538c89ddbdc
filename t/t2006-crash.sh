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
before=$(db_dump)
wal0=$(stat -c %s "$EDUHQ_DB-wal" 2>/dev/null || echo 0)

# Feed the import through a pipe: once the first half of the rows is written and consumed
# (a pipe write returns only when the reader has taken all but one pipe buffer), the import is
# blocked reading, mid-transaction, and cannot have committed: no race with a fast machine.
# A small page cache makes the uncommitted rows spill into the WAL before the kill.
mkfifo "$T/pipe"
EDUHQ_IMPORT_CACHE_KIB=2048 "$EDUHQ" import teacher - --encoding utf8 <"$T/pipe" >"$T/bg.out" 2>&1 &
pid=$!
exec 3>"$T/pipe"
head -n $((n / 2 + 1)) "$T/big.csv" >&3
# Let the writer thread take what the reader validated: wait (up to 60 s, for a loaded
# machine under ASan) until uncommitted pages reach the WAL, then until it stops growing.
wal1=$wal0 i=0
while [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
	w=$(stat -c %s "$EDUHQ_DB-wal" 2>/dev/null || echo 0)
	[ "$w" -gt "$wal0" ] && [ "$w" = "$wal1" ] && break
	wal1=$w
done
half=0
kill -0 $pid 2>/dev/null && half=1
kill -9 $pid 2>/dev/null
killed=$?
exec 3>&-
wait $pid 2>/dev/null
ok $([ $half = 1 ] && [ $killed = 0 ] && echo 0 || echo 1) "the import was killed half-way"
ok $([ "$wal1" -gt "$wal0" ] && echo 0 || echo 1) \
	"uncommitted rows had reached the disk (WAL $wal0 -> $wal1 bytes) when it was killed"

is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA integrity_check')" ok "integrity_check says ok"
is "$(db_dump)" "$before" "the database holds exactly what it held before"
ok $(sqlite3 "$EDUHQ_DB" .schema | grep -q 'CREATE INDEX teacher_id_hash' && echo 0 || echo 1) "the index is still there"
run eduhq import teacher "$T/fx/teacher.csv"
is "$rc:$out" "0:teacher: 3 rows: 3 inserted, 0 updated, 0 unchanged" "the database opens and imports"
run eduhq import teacher "$T/big.csv"
is "$rc:$out" "0:teacher: $n rows: $n inserted, 0 updated, 0 unchanged" "the same file then imports"
is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA integrity_check')" ok "integrity_check after the full import"

done_testing
