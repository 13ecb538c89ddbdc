#!/bin/sh
# t3200-teachers.sh: `eduhq eval teachers` and `eduhq teachers eligibility` on a hand-made
# registry: the 2.0-year line one day short / exact / one day over, overlapping postings,
# weak-school years with the ratio (and with count_weak switched off), a rural teacher, an
# unmet years-in-title condition, exchange shares with both backbone denominators, ID
# numbers only masked, the command's errors verbatim, and a store that orders teacher codes
# otherwise than strcmp.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
# idn FIRST17: a 身份证号 with its GB 11643 check character
idn() {
	python3 -c 'import sys; s = sys.argv[1]; w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(s + "10X98765432"[sum(int(a) * b for a, b in zip(s, w)) % 11])' "$1"
}

cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西县,county,330100,county
CSV
# 0001 urban, 0002 urban weak (薄弱), 3301030001/0002 rural (210/220)
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural,is_weak
3301020001,江东一小,330102,primary,111,0
3301020002,江东二中,330102,junior,112,1
3301030001,江西村小,330103,primary,210,0
3301030002,江西中学,330103,junior,220,0
CSV
{
	echo "code,name,id_number,sex,birth_date,education,title,title_date,subject,backbone_level,hire_date"
	i=0
	for t in "T001,甲一" "T002,甲二" "T003,甲三" "T004,甲四" "T005,甲五" "T006,甲六" \
		"T007,甲七" "T008,甲八" "T009,甲九" "T010,甲十"; do
		i=$((i + 1))
		case ${t%%,*} in
		T007) title=first,2021-12-20 ;;
		T008) title=second,2016-12-20 ;;
		T009|T010) title=second,2018-12-20 ;;
		*) title=first,2015-12-20 ;;
		esac
		case ${t%%,*} in
		T007|T008|T009) bb=county ;;
		*) bb=none ;;
		esac
		echo "$t,$(idn "$(printf '33010219800101%03d' $i)"),M,1980-01-01,bachelor,$title,math,$bb,2005-09-01"
	done
} >"$T/teacher.csv"
masked() { echo "330102********$(grep "^$1," "$T/teacher.csv" | cut -d, -f3 | cut -c15-18)"; }
# T001/T002/T003: rural 2021-09-01 to 2023-08-30 / 08-31 / 09-01 (729 / 730 / 731 days;
#   no 29 February inside); T004: rural 2020-09-01..2022-06-30 (668 days) with support
#   teaching at another rural school 2021-03-01..06-30 inside it (counted once: 1.83 years);
# T005: weak 2011-09-01..2017-08-31 (2192 days) + rural 365 days: 365 + 2192/3 = 1095.7
#   days = 3.00 years; T006: home school rural; T007: no rural service, 一级 only since
#   2021-12-20; T008: not an applicant; T009: exchanged urban -> rural from 2024-09-01,
#   backbone; T010: exchanged urban -> urban 2024-09-01..2025-08-31.
cat >"$T/posting.csv" <<'CSV'
teacher_code,start_date,school_code,end_date,kind
T001,2010-09-01,3301020001,2021-08-31,appointment
T001,2021-09-01,3301030001,2023-08-30,exchange
T001,2023-08-31,3301020001,,appointment
T002,2010-09-01,3301020001,2021-08-31,appointment
T002,2021-09-01,3301030001,2023-08-31,exchange
T002,2023-09-01,3301020001,,appointment
T003,2010-09-01,3301020001,2021-08-31,appointment
T003,2021-09-01,3301030001,2023-09-01,exchange
T003,2023-09-02,3301020001,,appointment
T004,2010-09-01,3301020001,2020-08-31,appointment
T004,2020-09-01,3301030001,2022-06-30,appointment
T004,2021-03-01,3301030002,2021-06-30,support
T004,2022-07-01,3301020001,,appointment
T005,2011-09-01,3301020002,2017-08-31,appointment
T005,2017-09-01,3301030001,2018-08-31,exchange
T005,2018-09-01,3301020001,,appointment
T006,2005-09-01,3301030002,,appointment
T007,2015-09-01,3301020001,,appointment
T008,2012-09-01,3301020001,,appointment
T009,2012-09-01,3301020001,2024-08-31,appointment
T009,2024-09-01,3301030001,,exchange
T010,2016-09-01,3301020001,2024-08-31,appointment
T010,2024-09-01,3301020002,2025-08-31,exchange
CSV
{
	echo "teacher_code,year,title"
	for t in T001 T002 T003 T004 T005 T006 T007; do echo "$t,2024,senior"; done
} >"$T/title_application.csv"
import_or_bail "$T" area school teacher posting title_application

run eduhq teachers eligibility --format csv
is "$rc" 0 "eligibility exits 0"
is "$(echo "$out" | cut -d, -f1,4,5,6,7,10)" \
"teacher,school,title,applies_for,status,reasons
T001,3301020001,first,senior,eligible nationally only,rural service 1.99 of 2.0 years (city rule; national 1.0 met)
T002,3301020001,first,senior,eligible,
T003,3301020001,first,senior,eligible,
T004,3301020001,first,senior,eligible nationally only,rural service 1.83 of 2.0 years (city rule; national 1.0 met)
T005,3301020001,first,senior,eligible,
T006,3301030002,first,senior,eligible,
T007,3301020001,first,senior,not eligible,years as 一级 2.70 of 5.0; rural service 0.00 of 1.0 years (national rule; city rule 2.0)" \
	"every applicant with its status and every unmet condition"
is "$(echo "$out" | grep '^T001,' | cut -d, -f8,9)" "1.9973,8.7068" \
	"T001: 729/365 = 1.9973 rural years; 3178/365 = 8.7068 years as 一级"
is "$(echo "$out" | grep '^T005,' | cut -d, -f8)" "3.0018" "T005: (365 + 2192/3)/365 = 3.0018"
ok $(grep -v '^code' "$T/teacher.csv" | cut -d, -f3 | while read -r id; do
	echo "$out" | grep -q "$id" && echo leak; done | grep -q leak && echo 1 || echo 0) \
	"no clear ID number is printed"
is "$(echo "$out" | grep '^T001,' | cut -d, -f3)" "$(masked T001)" "the ID number is masked"

run eduhq teachers eligibility --status national-only
is "$(echo "$out" | grep '^T001 ')" \
	"T001       甲一     $(masked T001) 3301020001 一级→高级   eligible nationally only rural service 1.99 of 2.0 years (city rule; national 1.0 met)" \
	"a table row, Chinese text padded by its display width"
is "$(echo "$out" | sed '1d;$d' | cut -d' ' -f1 | tr '\n' ' ')" "T001 T004 " \
	"--status national-only lists the teachers failing only the city rule"
is "$(echo "$out" | tail -1)" \
	"2 candidates: 0 eligible, 2 eligible nationally only (fail only the city rule), 0 not eligible" \
	"with a summary line"

run eduhq teachers eligibility --school 3301030002 --format json
is "$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin)
c = d["candidates"][0]
print(d["year"], d["as_of"], len(d["candidates"]), c["teacher"], c["status"], c["rural_requirement"], c["id_masked"])')" \
	"2024 2024-09-01 1 T006 eligible False $(masked T006)" \
	"--school: the rural teacher has no rural-service condition"

run eduhq teachers eligibility --all --title 一级 --format csv
is "$(echo "$out" | cut -d, -f1,5,6,7)" "teacher,title,applies_for,status
T008,second,first,eligible
T009,second,first,eligible
T010,second,first,eligible" "--all --title 一级: the next step of every 二级 teacher"
# as of 2023-08-30, T003's rural posting (to 2023-09-01) has run 729 days
run eduhq teachers eligibility --as-of 2023-08-30 --format csv
is "$(echo "$out" | grep '^T003,' | cut -d, -f7,10)" \
	"eligible nationally only,rural service 1.99 of 2.0 years (city rule; national 1.0 met)" \
	"--as-of: service is counted up to that day"

# --- eval teachers ---
run eduhq eval teachers --year 2024
is "$rc" 0 "eval teachers exits 0"
q() { rsql "SELECT $1 FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND $2"; }
is "$(q "unit_id || ' ' || verdict" "indicator = 'TCH.ELIGIBLE' ORDER BY unit_id" | tr '\n' ' ')" \
	"T001 warn T002 pass T003 pass T004 warn T005 pass T006 pass T007 fail " \
	"TCH.ELIGIBLE: pass eligible, warn eligible nationally only, fail"
is "$(q "json_extract(evidence, '\$.national_only_teachers')" "indicator = 'TCH.APPLICANTS' AND unit_kind = 'city'")" \
	'["T001","T004"]' "the city row lists who fails only the city rule"
# county 330102 on 2024-08-31: at the same school >= 6 x 365 days: T005 (2192 days), T007,
# T008, T009, T010 = 5; exchanged T009, T010: 2/5 = 0.4; backbone among them T009: 1/2
is "$(q "value || ' ' || numerator || ' ' || denominator || ' ' || verdict" "indicator = 'TCH.EXCH.SHARE' AND unit_id = '330102'")" \
	"0.4 2.0 5.0 pass" "exchange share 2 of 5 eligible"
is "$(q "value || ' ' || denominator || ' ' || verdict" "indicator = 'TCH.EXCH.BACKBONE' AND unit_id = '330102'")" \
	"0.5 2.0 pass" "backbone share of the exchanged: 1/2"
is "$(q "value || ' ' || verdict" "indicator = 'TCH.EXCH.SHARE' AND unit_id = '330103'")" \
	"0.0 fail" "the rural county exchanged nobody of its 1 eligible teacher"
is "$(q "value" "indicator = 'TCH.EXCH.URBAN_RURAL' AND unit_kind = 'city'")" "1.0" \
	"one urban -> rural exchange"

# the other backbone denominator: eligible backbone teachers T007, T008, T009 -> 1/3
eduhq rules set teachers.exchange backbone_denominator=eligible_backbone --effective 2020-01-01 >/dev/null
run eduhq eval teachers --year 2024
is "$(q "round(value, 4) || ' ' || denominator || ' ' || verdict" "indicator = 'TCH.EXCH.BACKBONE' AND unit_id = '330102'")" \
	"0.3333 3.0 pass" "backbone share of the eligible backbone teachers: 1/3"
eduhq rules set teachers.exchange backbone_denominator=exchanged --effective 2020-01-03 >/dev/null

# parameter ranges: a value outside them is refused and adds no version
before=$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM rule_version")
run eduhq rules set teachers.exchange backbone_denominator=everyone
is "$rc:$err" "1:eduhq: rule 'teachers.exchange' parameter 'backbone_denominator' expects one of exchanged, eligible_backbone, not 'everyone'" \
	"an unknown backbone denominator is refused"
run eduhq rules set teachers.exchange min_share=1.5
is "$rc:$err" "1:eduhq: rule 'teachers.exchange' parameter 'min_share' expects a number from 0 to 1, not '1.5'" \
	"a share above 1 is refused"
run eduhq rules set teachers.title_years senior_from_first=-1
is "$rc:$err" "1:eduhq: rule 'teachers.title_years' parameter 'senior_from_first' expects an integer from 0 to 50, not '-1'" \
	"negative years are refused"
run eduhq rules set teachers.rural_service rural_classes=210,999
is "$rc:$err" "1:eduhq: rule 'teachers.rural_service' parameter 'rural_classes' expects a comma-separated list of 111, 112, 121, 122, 123, 210, 220, not '210,999'" \
	"a location class that does not exist is refused"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM rule_version")" "$before" "no version was added"

# weak-school years not counted: T005 keeps 1.00 year (national only)
eduhq rules set teachers.rural_service count_weak=0 --effective 2025-07-05 >/dev/null
run eduhq teachers eligibility --format csv
is "$(echo "$out" | grep '^T005,' | cut -d, -f7,10)" \
	"eligible nationally only,rural service 1.00 of 2.0 years (city rule; national 1.0 met)" \
	"count_weak=0: weak-school years no longer count"

# --- errors ---
run eduhq teachers eligibility --title 特级
is "$rc:$err" "2:eduhq: unknown title '特级' (known: 三级 (third), 二级 (second), 一级 (first), 高级 (senior), 正高级 (full_senior))" \
	"an unknown title is misuse, with the known ones"
run eduhq teachers eligibility --school 3301029999
is "$rc:$err" "1:eduhq: no school '3301029999'" "an unknown school"
run eduhq teachers eligibility --as-of 2024-02-30
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --as-of '2024-02-30' is not a date (YYYY-MM-DD)" "a bad date"
run eduhq teachers
is "$rc:$(echo "$err" | head -1)" "2:eduhq: teachers needs a subcommand: eligibility" "no subcommand"
run eduhq teachers frob
is "$rc:$(echo "$err" | head -1)" "2:eduhq: unknown teachers subcommand 'frob' (known: eligibility)" \
	"unknown subcommand"
run eduhq teachers eligibility --status maybe
is "$rc:$(echo "$err" | head -1)" "2:eduhq: option '--status' does not accept 'maybe'" "bad --status"

# a store that orders teacher codes otherwise than strcmp (a column's collation, as a
# PostgreSQL locale may): the loader sorts them, each keeping its own name and masked ID
cp "$EDUHQ_DB" "$T/nocase.db" && cp "$EDUHQ_DB.key" "$T/nocase.db.key" &&
sqlite3 "$T/nocase.db" "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql =
	replace(sql, 'code TEXT PRIMARY KEY', 'code TEXT COLLATE NOCASE PRIMARY KEY')
	WHERE name = 'teacher'" &&
sqlite3 "$T/nocase.db" "UPDATE teacher SET code = 't002' WHERE code = 'T002';
	UPDATE posting SET teacher_code = 't002' WHERE teacher_code = 'T002';
	UPDATE title_application SET teacher_code = 't002' WHERE teacher_code = 'T002'" ||
	echo "Bail out! a teacher table ordered by NOCASE"
is "$(sqlite3 "$T/nocase.db" "SELECT group_concat(code, ' ') FROM (SELECT code FROM teacher
	ORDER BY code LIMIT 3)")" "T001 t002 T003" "the store orders t002 second"
EDUHQ_DB=$T/nocase.db run eduhq teachers eligibility --format csv
is "$(echo "$out" | sed 1d | cut -d, -f1-3,7 | tr '\n' ' ')" \
	"T001,甲一,$(masked T001),eligible nationally only T003,甲三,$(masked T003),eligible T004,甲四,$(masked T004),eligible nationally only T005,甲五,$(masked T005),eligible nationally only T006,甲六,$(masked T006),eligible T007,甲七,$(masked T007),not eligible t002,甲二,$(masked T002),eligible " \
	"listed in strcmp order, t002 last with its own name, masked ID and status"

done_testing
