#!/bin/sh
# t2007-import-bulk.sh: the bulk-load paths of import: an empty table loaded from a file in
# key order (duplicates then need no hash set until the order breaks), new rows inserted
# IMPORT_MULTI (16) per statement (counts; a database failure still names its own line),
# and the secondary indexes dropped and rebuilt inside the transaction.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
cd "$T" || exit 1

# 40 cities in key order: 3 statements of 16 rows would need 48; 40 = 2 x 16 + 8 single
awk 'BEGIN { print "code,name,level"; for (i = 1; i <= 40; i++) printf "44%02d00,市%d,city\n", i, i }' >cities.csv
run eduhq import area cities.csv
is "$rc:$out" "0:area: 40 rows: 40 inserted, 0 updated, 0 unchanged" "40 rows in key order: all inserted"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*), min(code), max(code), sum(name = '市' || (0 + substr(code, 3, 2))) FROM area")" \
	"40|440100|444000|40" "every row stored with its own values"

# a second empty table: keys out of order from the third row on; a duplicate of a key
# seen while the order held, and one seen after
printf 'code,name\n20,b\n30,c\n10,a\n30,x\n10,y\n' >ind.csv
run eduhq import industry ind.csv
is "$rc" 1 "duplicates after the order breaks: exit 1"
is "$err" "ind.csv:5: column code: duplicate key '30' (first on line 3)
ind.csv:6: column code: duplicate key '10' (first on line 4)
eduhq: 2 errors in 'ind.csv'; nothing imported" "each duplicate names its first line"

printf 'code,name\n20,b\n20,c\n' >ind2.csv
run eduhq import industry ind2.csv
is "$err" "ind2.csv:3: column code: duplicate key '20' (first on line 2)
eduhq: 1 error in 'ind2.csv'; nothing imported" "a repeated key right after itself"

printf 'code,name\n20,b\n30,c\n10,a\n25,d\n' >ind3.csv
run eduhq import industry ind3.csv
is "$rc:$out" "0:industry: 4 rows: 4 inserted, 0 updated, 0 unchanged" "keys out of order, no duplicate: imported"
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(code || name, ' ') FROM (SELECT * FROM industry ORDER BY code)")" \
	"10a 20b 25d 30c" "rows stored"

# the index dropped for the bulk load is back, with the same definition
is "$(sqlite3 "$EDUHQ_DB" "SELECT sql FROM sqlite_master WHERE name = 'teacher_id_hash'")" \
	"CREATE INDEX teacher_id_hash ON teacher(id_hash)" "teacher_id_hash exists before"
printf 'code,name,id_number,sex,birth_date,education,title,subject,hire_date\n' >t.csv
printf 'T2,乙,441002198512310021,M,1985-12-31,master,first,math,2010-09-01\n' >>t.csv
printf 'T1,甲,441002198001010019,F,1980-01-01,bachelor,second,chinese,2002-09-01\n' >>t.csv
run eduhq import teacher t.csv
is "$rc:$out" "0:teacher: 2 rows: 2 inserted, 0 updated, 0 unchanged" "teachers imported"
is "$(sqlite3 "$EDUHQ_DB" "SELECT sql FROM sqlite_master WHERE name = 'teacher_id_hash'")" \
	"CREATE INDEX teacher_id_hash ON teacher(id_hash)" "teacher_id_hash rebuilt"
is "$(sqlite3 "$EDUHQ_DB" "SELECT code, id_masked FROM teacher INDEXED BY teacher_id_hash WHERE id_hash > '' ORDER BY code" | tr '\n' ' ')" \
	"T1|441002********0019 T2|441002********0021 " "the index holds every row; ID numbers masked"

# A database failure inside a 16-row statement names the failing row's line, with
# SQLite's message, as a single-row insert would. A file without employed: the schema's
# CHECK (in_trade <= employed) sees the default 0, which the registry cannot check.
write_fixture "$T/fx"
for t in area school voc_catalog school_specialty; do eduhq import $t "$T/fx/$t.csv" >/dev/null; done
check_fails() { # NAME BAD-YEAR LINE
	awk -v bad="$2" 'BEGIN { print "school_code,catalog_version,specialty_code,year,in_trade"
		for (y = 2001; y <= 2020; y++) printf "4410230009,2021,660101,%d,%d\n", y, y == bad ? 3 : 0 }' >sy.csv
	before=$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM specialty_year")
	run eduhq import specialty_year sy.csv
	is "$rc" 1 "$1: exit 1"
	is "$err" "sy.csv:$3: database '$EDUHQ_DB': CHECK constraint failed: employed + further_study <= graduates AND in_trade <= employed AND satisfied <= surveyed
eduhq: 1 error in 'sy.csv'; nothing imported" "$1: the failing row's line"
	is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM specialty_year")" "$before" "$1: nothing stored"
}
check_fails "first row of a 16-row statement" 2001 2
check_fails "last row of a 16-row statement" 2016 17
check_fails "a row after the first statement" 2018 19
# keys out of order: the rows after the first such go to the writer in runs sorted by key;
# a failure there still names its line (2005 is on line 17, the 5th row in key order)
awk 'BEGIN { print "school_code,catalog_version,specialty_code,year,in_trade"
	for (y = 2020; y >= 2001; y--) printf "4410230009,2021,660101,%d,%d\n", y, y == 2005 ? 3 : 0 }' >sy.csv
run eduhq import specialty_year sy.csv
is "$err" "sy.csv:17: database '$EDUHQ_DB': CHECK constraint failed: employed + further_study <= graduates AND in_trade <= employed AND satisfied <= surveyed
eduhq: 1 error in 'sy.csv'; nothing imported" "rows sorted by key: the failing row's line"
awk 'BEGIN { print "school_code,catalog_version,specialty_code,year,in_trade"
	for (y = 2001; y <= 2020; y++) printf "4410230009,2021,660101,%d,0\n", y }' >sy.csv
run eduhq import specialty_year sy.csv
is "$rc:$out" "0:specialty_year: 20 rows: 20 inserted, 0 updated, 0 unchanged" "the same file without the bad row imports"

# A table with a foreign key into itself keeps the file's order (a parent row before the
# rows that refer to it), even when that is not the key order.
EDUHQ_DB="$T/b.db"
eduhq init >/dev/null
printf 'code,name,level,parent_code\n449999,甲市,city,\n441900,乙市,city,\n441002,乙区,county,441900\n' >self.csv
run eduhq import area self.csv
is "$rc:$out" "0:area: 3 rows: 3 inserted, 0 updated, 0 unchanged" "a child after its parent, keys out of order"
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(code || '<' || ifnull(parent_code, ''), ' ') FROM (SELECT * FROM area ORDER BY code)")" \
	"441002<441900 441900< 449999<" "rows stored"

done_testing
