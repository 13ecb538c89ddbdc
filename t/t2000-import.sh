#!/bin/sh
# t2000-import.sh: import happy paths: English and Chinese headers in any order, the summary
# line, upsert (re-import unchanged, a changed row updated), --dry-run, BOM, CRLF, GB18030,
# quoted fields, defaults, Chinese enum meanings, the teacher ID number hashed and masked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/fx"

run eduhq import area "$T/fx/area.csv"
is "$rc:$out" "0:area: 4 rows: 4 inserted, 0 updated, 0 unchanged" "area imports; one summary line"
is "$(sqlite3 "$EDUHQ_DB" "SELECT code, parent_code, quote(kind), quote(urban_rural) FROM area ORDER BY code" | tr '\n' ' ')" \
	"441000||''|NULL 441002|441000|'district'|'111' 441023|441000|'county'|NULL 441023100000|441023|'town'|'121' " \
	"empty kind takes its default '', empty urban_rural is NULL"

run eduhq import area "$T/fx/area.csv"
is "$rc:$out" "0:area: 4 rows: 0 inserted, 0 updated, 4 unchanged" "re-import changes nothing"

# Chinese labels, another column order, Chinese enum meanings, 是/否
cat >"$T/school.csv" <<'X'
学校名称,学校标识码,办学类型,所属区划代码,城乡分类代码,是否薄弱学校
第一小学,4410020001,小学,441002,主城区,否
江东中学,4410020002,初级中学,441002,111,是
X
run eduhq import school "$T/school.csv"
is "$rc:$out" "0:school: 2 rows: 2 inserted, 0 updated, 0 unchanged" "Chinese headers import"
is "$(sqlite3 "$EDUHQ_DB" "SELECT code, name, type, ownership, urban_rural, is_weak FROM school ORDER BY code" | tr '\n' ' ')" \
	"4410020001|第一小学|primary|public|111|0 4410020002|江东中学|junior|public|111|1 " \
	"Chinese meanings stored as codes; ownership defaults to public"

# mixed English and Chinese headers; one row changed, one unchanged, one new
cat >"$T/school2.csv" <<'X'
code,学校名称,type,area_code,urban_rural,is_weak
4410020001,第一小学,primary,441002,111,0
4410020002,江东实验中学,junior,441002,111,1
4410230001,青山小学,primary,441023,210,1
X
run eduhq import school "$T/school2.csv"
is "$rc:$out" "0:school: 3 rows: 1 inserted, 1 updated, 1 unchanged" "a changed row is updated, a new one inserted"
is "$(sqlite3 "$EDUHQ_DB" "SELECT name FROM school WHERE code='4410020002'")" "江东实验中学" "the update is stored"

# --dry-run validates, reports, changes nothing
before=$(db_dump)
sed 's/青山小学/青山中心小学/' "$T/school2.csv" >"$T/school3.csv"
run eduhq import school "$T/school3.csv" --dry-run
is "$rc:$out" "0:school: 3 rows valid: 0 to insert, 1 to update, 2 unchanged (dry run: nothing imported)" \
	"--dry-run says so"
is "$(db_dump)" "$before" "--dry-run changes nothing"

# BOM + CRLF
printf '\357\273\277code,name,level,parent_code\r\n441003,江南区,county,441000\r\n' >"$T/bom.csv"
run eduhq import area "$T/bom.csv"
is "$rc:$out" "0:area: 1 rows: 1 inserted, 0 updated, 0 unchanged" "UTF-8 BOM and CRLF file imports"
is "$(sqlite3 "$EDUHQ_DB" "SELECT name || '|' || length(name) FROM area WHERE code='441003'")" "江南区|3" \
	"no BOM or CR left in values"

# GB18030 (what Excel/WPS save in China), detected automatically
printf 'code,name,level,parent_code\n441004,江北区,county,441000\n' | iconv -f UTF-8 -t GB18030 >"$T/gb.csv"
run eduhq import area "$T/gb.csv"
is "$rc:$out" "0:area: 1 rows: 1 inserted, 0 updated, 0 unchanged" "GB18030 file imports"
is "$(sqlite3 "$EDUHQ_DB" "SELECT name FROM area WHERE code='441004'")" "江北区" "GB18030 converted to UTF-8"

# blank lines are skipped; quoted fields keep commas, quotes and newlines
printf 'code,name,level,parent_code\n\n441005,"A ""B"", C\nD",county,441000\n,,,\n' >"$T/q.csv"
run eduhq import area "$T/q.csv"
is "$rc:$out" "0:area: 1 rows: 1 inserted, 0 updated, 0 unchanged" "blank rows skipped"
is "$(sqlite3 "$EDUHQ_DB" "SELECT name FROM area WHERE code='441005'")" 'A "B", C
D' "quoted field with comma, quote and newline"

# teacher: id_number is validated, hashed and masked, never stored in clear
run eduhq import teacher "$T/fx/teacher.csv"
is "$rc:$out" "0:teacher: 3 rows: 3 inserted, 0 updated, 0 unchanged" "teachers import"
is "$(sqlite3 "$EDUHQ_DB" "SELECT id_masked FROM teacher ORDER BY code" | tr '\n' ' ')" \
	"441002********0019 441002********0021 441002********0031 " "masked ID numbers"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(DISTINCT id_hash), min(length(id_hash)) FROM teacher")" "3|32" \
	"hashed ID numbers"
ok $(grep -c 441002198001010019 "$EDUHQ_DB" "$EDUHQ_DB-wal" 2>/dev/null | grep -qv ':0$' && echo 1 || echo 0) \
	"no clear ID number in the database files"
run eduhq import teacher "$T/fx/teacher.csv"
is "$out" "teacher: 3 rows: 0 inserted, 0 updated, 3 unchanged" "teacher re-import unchanged"

# restore path: id_hash + id_masked from an export
eduhq export teacher --out "$T/teacher-export.csv" 2>/dev/null
ok $(grep -q 441002198001010019 "$T/teacher-export.csv" && echo 1 || echo 0) "the export has no clear ID"
run eduhq import teacher "$T/teacher-export.csv"
is "$rc:$out" "0:teacher: 3 rows: 0 inserted, 0 updated, 3 unchanged" "an export re-imports unchanged"

# XLSX (detected by content, whatever the name), the first sheet or --sheet NAME
eduhq export school --format xlsx --out "$T/school.xlsx" 2>/dev/null
eduhq --db "$T/x.db" init >/dev/null
eduhq --db "$T/x.db" import area "$T/fx/area.csv" >/dev/null
cp "$T/school.xlsx" "$T/school-xlsx.dat"
run eduhq --db "$T/x.db" import school "$T/school-xlsx.dat"
is "$rc:$out" "0:school: 3 rows: 3 inserted, 0 updated, 0 unchanged" "XLSX import (trailing empty cells allowed)"
run eduhq --db "$T/x.db" import school "$T/school.xlsx" --sheet school
is "$rc:$out" "0:school: 3 rows: 0 inserted, 0 updated, 3 unchanged" "XLSX import by sheet name"
is "$(sqlite3 "$T/x.db" "SELECT code, name, is_weak FROM school ORDER BY code" | tr '\n' ' ')" \
	"$(sqlite3 "$EDUHQ_DB" "SELECT code, name, is_weak FROM school ORDER BY code" | tr '\n' ' ')" "XLSX rows as exported"

# a file with only some columns updates only those
eduhq import grade_return "$T/fx/grade_return.csv" >/dev/null
printf 'school_code,year,grade,pupils,classes\n4410020001,2024,1,271,6\n4410020001,2024,2,268,6\n' >"$T/partial.csv"
run eduhq import grade_return "$T/partial.csv"
is "$rc:$out" "0:grade_return: 2 rows: 0 inserted, 1 updated, 1 unchanged" "partial file: one row updated"
is "$(sqlite3 "$EDUHQ_DB" "SELECT pupils, boys, girls, migrant FROM grade_return WHERE grade = 1")" "271|140|130|12" \
	"columns not in the file keep their values"

# integers are compared and keyed by value: 007 and +7 are 7
printf 'area_code,year,age,persons\n441002,2024,007,+5230\n' >"$T/pop1.csv"
printf 'area_code,year,age,persons\n441002,2024,7,5230\n' >"$T/pop2.csv"
run eduhq import population "$T/pop1.csv"
is "$rc:$out" "0:population: 1 rows: 1 inserted, 0 updated, 0 unchanged" "leading zeros and signs accepted"
run eduhq import population "$T/pop2.csv"
is "$rc:$out" "0:population: 1 rows: 0 inserted, 0 updated, 1 unchanged" "... and stored as plain integers"

# --ignore-unknown
printf 'code,name,level,parent_code,remark\n441006,江西区,county,441000,x\n' >"$T/unk.csv"
run eduhq import area "$T/unk.csv" --ignore-unknown
is "$rc:$out" "0:area: 1 rows: 1 inserted, 0 updated, 0 unchanged" "--ignore-unknown skips unknown columns"

# a table can be named in Chinese too; misuse exits 2
run eduhq import 行政区划 "$T/unk.csv" --ignore-unknown
is "$rc:$out" "0:area: 1 rows: 0 inserted, 0 updated, 1 unchanged" "table by its Chinese name"
run eduhq import frob "$T/unk.csv"
is "$rc:$(echo "$err" | head -1)" "2:eduhq: no table 'frob' to import (see docs/data-dictionary.md)" "unknown table exits 2"
run eduhq import area
is "$rc:$(echo "$err" | head -1)" "2:eduhq: import needs a TABLE and a FILE" "missing FILE exits 2"
run eduhq import area "$T/none.csv"
is "$rc:$err" "1:eduhq: cannot open '$T/none.csv': No such file or directory" "missing file"

done_testing
