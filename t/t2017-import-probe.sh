#!/bin/sh
# t2017-import-probe.sh: into a table that has rows, an import checks its first
# IMPORT_PROBE_ROWS (16,384) rows by seeking each key (natural key: stored or new; foreign
# keys: stored or not) instead of loading every stored key first, then loads them and goes
# on. Counts, duplicates and missing references are the same on either side of the switch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/fx"
for t in area school teacher; do eduhq import $t "$T/fx/$t.csv" >/dev/null; done
cd "$T" || exit 1
hdr=$(head -1 fx/teacher.csv)
row() { grep "^$1," fx/teacher.csv; }

# a small file: one stored row changed, one stored row as it is, one new row
{ echo "$hdr"; row T0001 | sed 's/,王芳,/,王芳芳,/'; row T0002
  row T0003 | sed 's/^T0003,/T0009,/; s/199006150031/199006150058/'; } >small.csv
run eduhq import teacher small.csv
is "$rc:$out" "0:teacher: 3 rows: 1 inserted, 1 updated, 1 unchanged" "a small file: stored keys found by seeking"
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(code || name, ' ') FROM (SELECT * FROM teacher ORDER BY code)")" \
	"T0001王芳芳 T0002李强 T0003赵敏 T0009赵敏" "its rows stored"

# 20,002 rows: a stored teacher on line 2 (probed), 20,000 new ones, a stored teacher on
# line 20,003 (after the switch at row 16,384, found in the loaded keys)
gen_teachers 20000 | tail -n +2 >g.rows
{ echo "code,name,id_number,sex,birth_date,education,title,subject,hire_date"
  echo "T0001,王一,441002198001010019,F,1980-01-01,bachelor,senior,chinese,2002-09-01"
  cat g.rows
  echo "T0003,赵三,441002199006150031,F,1990-06-15,associate,second,pe,2012-09-01"; } >big.csv
run eduhq import teacher big.csv
is "$rc:$out" "0:teacher: 20002 rows: 20000 inserted, 2 updated, 0 unchanged" \
	"stored keys before and after the switch are updates; the others inserts"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*), sum(code GLOB 'G*'), group_concat(CASE WHEN code GLOB 'T*' THEN code || name END, ' ') FROM (SELECT * FROM teacher ORDER BY code)")" \
	"20004|20000|T0001王一 T0002李强 T0003赵三 T0009赵敏" "every row stored once"

# duplicates on either side of the switch: T0002 first on line 2 (a probed, stored key),
# G0000005 first on line 7 (probed), G0000016383 first on line 16,385
{ echo "code,name,id_number,sex,birth_date,education,title,subject,hire_date"
  echo "T0002,李二,441002198512310021,M,1985-12-31,master,first,math,2010-09-01"
  head -n 17000 g.rows
  echo "T0002,李二,441002198512310021,M,1985-12-31,master,first,math,2010-09-01"
  sed -n 5p g.rows
  sed -n 16383p g.rows; } >dup.csv
before=$(db_dump)
run eduhq import teacher dup.csv
is "$rc" 1 "duplicates: exit 1"
is "$err" "dup.csv:17003: column code: duplicate key 'T0002' (first on line 2)
dup.csv:17004: column code: duplicate key 'G0000005' (first on line 7)
dup.csv:17005: column code: duplicate key 'G0016383' (first on line 16385)
eduhq: 3 errors in 'dup.csv'; nothing imported" "each names its first line, on either side of the switch"
is "$(db_dump)" "$before" "nothing changed"

# foreign keys: a teacher that is not stored on line 2 (probed) and on line 17,003 (after
# the switch), a school that is not on line 17,004; stored ones on every other line
awk -F, 'NR <= 17000 { printf "%s,2024-09-01,4410020001,,appointment\n", $1 }' g.rows >p.rows
{ echo "teacher_code,start_date,school_code,end_date,kind"
  echo "X0001,2024-09-01,4410020001,,appointment"
  cat p.rows
  echo "X0002,2024-09-01,4410020001,,appointment"
  echo "T0001,2024-09-01,9999999999,,appointment"; } >post.csv
run eduhq import posting post.csv
is "$err" "post.csv:2: column teacher_code: 'X0001' not found in teacher.code
post.csv:17003: column teacher_code: 'X0002' not found in teacher.code
post.csv:17004: column school_code: '9999999999' not found in school.code
eduhq: 3 errors in 'post.csv'; nothing imported" "a missing reference is found on either side of the switch"
grep -v '^X000\|9999999999' post.csv >post-ok.csv
run eduhq import posting post-ok.csv
is "$rc:$out" "0:posting: 17000 rows: 17000 inserted, 0 updated, 0 unchanged" "without them, the postings import"

# a small file of postings into the table that now has rows: references found by seeking
{ echo "teacher_code,start_date,school_code,end_date,kind"
  echo "G0000001,2024-09-01,4410020001,2025-08-31,appointment"
  echo "T0009,2024-09-01,4410230001,,appointment"
  echo "T0009,2025-09-01,4410239999,,appointment"; } >post-small.csv
run eduhq import posting post-small.csv
is "$err" "post-small.csv:4: column school_code: '4410239999' not found in school.code
eduhq: 1 error in 'post-small.csv'; nothing imported" "a small file: the missing school found by seeking"
sed -i '$d' post-small.csv
run eduhq import posting post-small.csv
is "$rc:$out" "0:posting: 2 rows: 1 inserted, 1 updated, 0 unchanged" "and without it, one update and one insert"

done_testing
