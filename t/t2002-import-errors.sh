#!/bin/sh
# t2002-import-errors.sh: every import error path reports `FILE:LINE: column NAME: message`
# (values quoted, ID numbers masked), exits 1 and leaves the database unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/fx"
for t in area school voc_catalog school_specialty specialty_year; do eduhq import $t "$T/fx/$t.csv" >/dev/null; done
cd "$T" || exit 1

# fails NAME TABLE FILE EXPECTED-STDERR [OPTION...]
fails() {
	name=$1 table=$2 file=$3 want=$4
	shift 4
	before=$(db_dump)
	run eduhq import "$table" "$file" "$@"
	is "$rc" 1 "$name: exit 1"
	is "$err" "$want" "$name: message"
	is "$(db_dump)" "$before" "$name: database unchanged"
}

printf 'code,name,level,parent_code\n441099,\377\377,county,441000\n' >enc.csv
fails "bytes invalid in UTF-8 and GB18030" area enc.csv \
"enc.csv:2:8: invalid byte sequence (neither UTF-8 nor GB18030)
eduhq: 1 error in 'enc.csv'; nothing imported"

printf 'code,name,level,parent_code\n441098,江北区,county,441000\n' | iconv -f UTF-8 -t GB18030 >gb.csv
fails "GB18030 file read as --encoding utf8" area gb.csv \
"gb.csv:2:8: invalid byte sequence (not UTF-8)
eduhq: 1 error in 'gb.csv'; nothing imported" --encoding utf8

printf 'code,name,level,parent_code,备注\n441099,x,county,441000,y\n' >unknown.csv
fails "unknown column" area unknown.csv \
"unknown.csv:1: column 备注: unknown column
eduhq: 1 error in 'unknown.csv'; nothing imported"

# trailing empty columns, as a spreadsheet saves them to CSV, are no columns; a value
# under a column with no name is an error (not quoted: it could be an ID number)
printf 'code,name,level,parent_code,,\r\n441099,江北区,county,441000,,\r\n,,,,,\r\n' >trail.csv
run eduhq import area trail.csv --dry-run
is "$rc:$out" "0:area: 1 rows valid: 1 to insert, 0 to update, 0 unchanged (dry run: nothing imported)" \
	"trailing empty header fields are ignored"
# full-width (U+3000) and no-break (U+00A0) spaces around header names, codes and enum
# values are blanks, as ASCII ones are
printf '\343\200\200区划代码\343\200\200,\302\240name,level,parent_code\n\343\200\200441099\302\240,江北区,county\343\200\200, 441000\n' >blanks.csv
run eduhq import area blanks.csv --dry-run
is "$rc:$out" "0:area: 1 rows valid: 1 to insert, 0 to update, 0 unchanged (dry run: nothing imported)" \
	"full-width and no-break spaces are trimmed"
printf 'code,name,level,parent_code,,\n441099,江北区,county,441000,,x\n' >noname.csv
fails "a value in a column with no name" area noname.csv \
"noname.csv:2: field 6 has a value but its column has no name
eduhq: 1 error in 'noname.csv'; nothing imported"

printf 'code,区划名称,parent_code\n441099,x,441000\n' >missing.csv
fails "missing required column" area missing.csv \
"missing.csv:1: missing required column 'level' (区划层级)
eduhq: 1 error in 'missing.csv'; nothing imported"

printf 'code,name,name\n441099,x,y\n' >dupcol.csv
fails "duplicate column" area dupcol.csv \
"dupcol.csv:1: column name: duplicate column (also 'name')
dupcol.csv:1: missing required column 'level' (区划层级)
eduhq: 2 errors in 'dupcol.csv'; nothing imported"

printf 'code,name,level,parent_code\n441099,江北区,county,441000\n441097,,county,441000\n' >value.csv
fails "missing required value (valid rows before it are not imported either)" area value.csv \
"value.csv:3: column name: missing value
eduhq: 1 error in 'value.csv'; nothing imported"

printf 'school_code,year,grade,classes,pupils\n4410020001,2024,1,six,270\n4410020001,2024.5,2,6,1e3\n' >type.csv
fails "wrong type" grade_return type.csv \
"type.csv:2: column classes: 'six': not an integer
type.csv:3: column year: '2024.5': not an integer
type.csv:3: column pupils: '1e3': not an integer
eduhq: 3 errors in 'type.csv'; nothing imported"

printf 'school_code,year,grade,classes,pupils\n4410020001,2024,13,6,-1\n4410020001,1989,1,6,270\n' >range.csv
fails "out of range" grade_return range.csv \
"range.csv:2: column grade: '13': must be between 1 and 12
range.csv:2: column pupils: '-1': must be between 0 and 100000
range.csv:3: column year: '1989': must be between 1990 and 2100
eduhq: 3 errors in 'range.csv'; nothing imported"

printf 'code,name,area_code,type,urban_rural,is_weak\n4410020009,x,441002,college,111,2\n' >enum.csv
fails "enumeration and 0/1 values" school enum.csv \
"enum.csv:2: column type: 'college': not one of primary (小学), junior (初级中学), nine_year (九年一贯制学校), complete_middle (完全中学), twelve_year (十二年一贯制学校), senior (高级中学), vocational (中等职业学校), special (特殊教育学校)
enum.csv:2: column is_weak: '2': must be 0 or 1 (是/否)
eduhq: 2 errors in 'enum.csv'; nothing imported"

printf 'code,name,id_number,sex,birth_date,education,title,subject,hire_date\nT9,甲,110105194912310021,M,1949-12-31,bachelor,first,math,1970-09-01\nT8,乙,11010519491231002y,M,1949-12-31,bachelor,first,math,1970-09-01\nT7,丙,1101051949123100,M,1949-12-31,bachelor,first,math,1970-09-01\n' >id.csv
fails "ID number check digit (never printed in clear)" teacher id.csv \
"id.csv:2: column id_number: '110105********0021': check digit should be 'X'
id.csv:3: column id_number: '110105********002Y': last character must be a digit or 'X'
id.csv:4: column id_number: '****': must be 18 characters
eduhq: 3 errors in 'id.csv'; nothing imported"
ok $(grep -q 110105194912310021 "$T/.err" && echo 1 || echo 0) "the clear ID number is not printed"

# an impossible birth date: the message must not quote it, since with the masked number
# (characters 1-6 and 15-18) it would give the whole 身份证号 away
printf 'code,name,id_number,sex,birth_date,education,title,subject,hire_date\nT9,甲,441002198013450019,M,1980-01-01,bachelor,first,math,2002-09-01\n' >idbirth.csv
fails "ID number with an impossible birth date" teacher idbirth.csv \
"idbirth.csv:2: column id_number: '441002********0019': birth date (characters 7-14) is not a date
eduhq: 1 error in 'idbirth.csv'; nothing imported"
ok $(grep -q 19801345 "$T/.err" && echo 1 || echo 0) "the birth date digits are not printed"

# XLSX: an ID number typed into a number cell. Excel keeps 15 digits and writes E notation:
# say so. A tool such as openpyxl writes all 18 digits: those are kept and imported.
mkdir -p "$T/idx/xl/_rels" "$T/idx/xl/worksheets"
printf '<workbook xmlns:r="r"><sheets><sheet name="教师" sheetId="1" r:id="rId1"/></sheets></workbook>' >"$T/idx/xl/workbook.xml"
printf '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>' >"$T/idx/xl/_rels/workbook.xml.rels"
hdr='<row r="1">'
for h in code name 身份证号 sex birth_date education title subject hire_date; do hdr="$hdr<c t=\"inlineStr\"><is><t>$h</t></is></c>"; done
tail='<c t="inlineStr"><is><t>M</t></is></c><c t="inlineStr"><is><t>1980-01-01</t></is></c><c t="inlineStr"><is><t>bachelor</t></is></c><c t="inlineStr"><is><t>first</t></is></c><c t="inlineStr"><is><t>math</t></is></c><c t="inlineStr"><is><t>2002-09-01</t></is></c></row>'
printf '<worksheet><sheetData>%s</row><row r="2"><c t="inlineStr"><is><t>T8</t></is></c><c t="inlineStr"><is><t>乙</t></is></c><c><v>4.4100219800101E+17</v></c>%s<row r="3"><c t="inlineStr"><is><t>T9</t></is></c><c t="inlineStr"><is><t>甲</t></is></c><c><v>441002198001010019</v></c>%s</sheetData></worksheet>' \
	"$hdr" "$tail" "$tail" >"$T/idx/xl/worksheets/sheet1.xml"
(cd "$T/idx" && zip -q -r ../idnum.xlsx xl)
fails "ID number stored as a number in E notation (XLSX)" teacher idnum.xlsx \
"idnum.xlsx:2: column 身份证号: '****': a number in E notation: the spreadsheet cell held the code as a number and its last digits are lost; format the column as text (文本) and enter the codes again
eduhq: 1 error in 'idnum.xlsx'; nothing imported"
printf '<worksheet><sheetData>%s</row><row r="3"><c t="inlineStr"><is><t>T9</t></is></c><c t="inlineStr"><is><t>甲</t></is></c><c><v>441002198001010019</v></c>%s</sheetData></worksheet>' \
	"$hdr" "$tail" >"$T/idx/xl/worksheets/sheet1.xml"
rm -f idnum.xlsx && (cd "$T/idx" && zip -q -r ../idnum.xlsx xl)
run eduhq import teacher idnum.xlsx
is "$rc:$out" "0:teacher: 1 rows: 1 inserted, 0 updated, 0 unchanged" "an 18-digit number written in full imports"
is "$(sqlite3 "$EDUHQ_DB" "SELECT id_masked FROM teacher WHERE code = 'T9'")" "441002********0019" "with all its digits"
sqlite3 "$EDUHQ_DB" "DELETE FROM teacher"

printf 'credit_code,name\n91441000MA4W00001K,甲\n' >credit.csv
fails "credit code check character" enterprise credit.csv \
"credit.csv:2: column credit_code: '91441000MA4W00001K': check character should be 'J'
eduhq: 1 error in 'credit.csv'; nothing imported"

printf 'code,name,area_code,type,urban_rural\n441002001,x,441002,primary,111\n44100200010,y,44100,primary,111\n' >code.csv
fails "school and area codes" school code.csv \
"code.csv:2: column code: '441002001': must be 10 digits
code.csv:3: column code: '44100200010': must be 10 digits
code.csv:3: column area_code: '44100': must be 6, 9 or 12 digits
eduhq: 3 errors in 'code.csv'; nothing imported"

printf 'task_code,date,value\nK1,2023-02-29,1\nK1,03/01/2023,2\nK1,3023-03-01,3\nK1,2023/2/29,4\n' >date.csv
printf 'code,name,owner_unit,target,start_date,deadline\nK1,任务,局,5,2025-01-01,2024-12-31\n' >task.csv
fails "deadline before the start" task task.csv \
"task.csv:2: column deadline: '2024-12-31': must be >= start_date ('2025-01-01')
eduhq: 1 error in 'task.csv'; nothing imported"
fails "bad dates (and a dangling task)" task_progress date.csv \
"date.csv:2: column date: '2023-02-29': is not a date in the calendar
date.csv:2: column task_code: 'K1' not found in task.code
date.csv:3: column date: '03/01/2023': must be a date YYYY-MM-DD
date.csv:3: column task_code: 'K1' not found in task.code
date.csv:4: column date: '3023-03-01': year must be between 1000 and 2999
date.csv:4: column task_code: 'K1' not found in task.code
date.csv:5: column date: '2023/2/29': is not a date in the calendar
date.csv:5: column task_code: 'K1' not found in task.code
eduhq: 8 errors in 'date.csv'; nothing imported"

printf 'code,name,area_code,type,urban_rural\n4410990001,x,441099,primary,111\n' >ref.csv
fails "dangling reference" school ref.csv \
"ref.csv:2: column area_code: '441099' not found in area.code
eduhq: 1 error in 'ref.csv'; nothing imported"

printf 'school_code,catalog_version,specialty_code,opened_year\n4410230009,2021,999999,2020\n4410230009,2020,660101,2020\n' >cref.csv
fails "dangling composite reference" school_specialty cref.csv \
"cref.csv:2: column specialty_code: ('2021', '999999') not found in voc_catalog(version, code)
cref.csv:3: column specialty_code: ('2020', '660101') not found in voc_catalog(version, code)
eduhq: 2 errors in 'cref.csv'; nothing imported"

printf 'code,name,level,parent_code\n441090,甲,county,441091\n441091,乙,county,441000\n441092,丙,town,441091\n' >order.csv
fails "a reference must be in the database or earlier in the file" area order.csv \
"order.csv:2: column parent_code: '441091' not found in area.code
eduhq: 1 error in 'order.csv'; nothing imported"

printf 'code,name,level,parent_code\n441090,甲,county,441000\n441091,乙,county,441000\n441090,丙,county,441000\n' >dup.csv
fails "duplicate key in the file" area dup.csv \
"dup.csv:4: column code: duplicate key '441090' (first on line 2)
eduhq: 1 error in 'dup.csv'; nothing imported"

printf 'school_code,year,grade,classes,pupils\n4410020001,2024,1,6,270\n4410020001,2024,2,6,270\n4410020001,2024,1,7,280\n' >dup2.csv
fails "duplicate composite key" grade_return dup2.csv \
"dup2.csv:4: duplicate key ('4410020001', '2024', '1') (first on line 2)
eduhq: 1 error in 'dup2.csv'; nothing imported"

printf 'code,name,level,parent_code\n441090,甲,county,441000\n441091,乙,county\n441092,丙,county,441000,x\n' >count.csv
fails "wrong field count" area count.csv \
"count.csv:3: expected 4 fields, found 3
count.csv:4: expected 4 fields, found 5
eduhq: 2 errors in 'count.csv'; nothing imported"

printf 'code,name,level,parent_code\n441000,市,city,441002\n441093,县,county,\n' >rule.csv
fails "row rule: city has no parent, county needs one" area rule.csv \
"rule.csv:2: column parent_code: a city has no parent area
rule.csv:3: column parent_code: a county or town needs a parent area
eduhq: 2 errors in 'rule.csv'; nothing imported"

printf 'school_code,year,exam,candidates,excellent\n4410020001,2024,zhongkao,50,51\n' >exam.csv
fails "excellent exceeds candidates" exam_result exam.csv \
"exam.csv:2: column excellent: '51': must be <= candidates ('50')
eduhq: 1 error in 'exam.csv'; nothing imported"

printf 'school_code,catalog_version,specialty_code,year,in_trade\n4410230009,2021,660101,2024,30\n' >partial.csv
fails "a partial file is checked by the schema against the stored row" specialty_year partial.csv \
"partial.csv:2: database '$EDUHQ_DB': CHECK constraint failed: employed + further_study <= graduates AND in_trade <= employed AND satisfied <= surveyed
eduhq: 1 error in 'partial.csv'; nothing imported"

eduhq export teacher >/dev/null
printf 'code,name,id_number,id_hash,sex,birth_date,education,title,subject,hire_date\n' >both.csv
fails "id_number and id_hash together" teacher both.csv \
"both.csv:1: column id_hash: not allowed together with id_number
eduhq: 1 error in 'both.csv'; nothing imported"

printf 'code,name,level,parent_code\n441099,x,county,441000\n441098,,county,441000\n' >dry.csv
fails "--dry-run reports errors too" area dry.csv \
"dry.csv:3: column name: missing value
eduhq: 1 error in 'dry.csv'; nothing imported" --dry-run

eduhq export area --format xlsx --out "$T/area.xlsx" 2>/dev/null
fails "wrong sheet (XLSX)" area area.xlsx "eduhq: cannot find sheet 'Sheet9' in 'area.xlsx' (sheets: area)" --sheet Sheet9

# an old .xls workbook (an OLE2 compound file) is named as such, not as a bad CSV
printf '\320\317\021\340\241\261\032\341\000\000\000\000\000\000\000\000\076\000\003\000\376\377' >old.xls
fails "an old-format .xls workbook" area old.xls \
"eduhq: cannot read 'old.xls': an old-format Excel workbook (.xls) or a password-protected one; save it as .xlsx (Excel 工作簿) or CSV"

# the cap: at most 100 errors, then a count of the rest
{ echo 'code,name,level,parent_code'; i=0; while [ $i -lt 150 ]; do echo "44$(printf %04d $i),,county,441000"; i=$((i + 1)); done; } >many.csv
before=$(db_dump)
run eduhq import area many.csv
is "$rc" 1 "150 errors: exit 1"
is "$(echo "$err" | wc -l | tr -d ' ')" 102 "100 errors, the count of the rest and the summary"
is "$(echo "$err" | sed -n '1p;100p;101p;102p')" "many.csv:2: column name: missing value
many.csv:101: column name: missing value
... and 50 more errors
eduhq: 150 errors in 'many.csv'; nothing imported" "sorted by line, capped at 100"
is "$(db_dump)" "$before" "150 errors: database unchanged"

run eduhq import area many.csv --sheet Sheet1
is "$rc:$err" "2:eduhq: --sheet applies only to XLSX files; 'many.csv' is CSV" "--sheet on a CSV is misuse"

done_testing
