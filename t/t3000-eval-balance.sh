#!/bin/sh
# t3000-eval-balance.sh: `eduhq eval balance` and `eduhq indicators` on a small imported
# city: CVs with their evidence, teachers by current posting, scope, class sizes, missing
# facilities, the data fingerprint, rule versions, and run selection.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1

run eduhq eval
is "$rc:$err" "1:eduhq: no grade returns in the database; import grade_return first or pass --year" \
	"eval without grade returns is a data error"
run eduhq eval frobnicate
is "$rc" 2 "an unknown mechanism is misuse"
is "${err%%(*}" "eduhq: unknown mechanism 'frobnicate' " "the unknown mechanism is named"
run eduhq indicators
is "$rc:$err" "1:eduhq: no evaluation run; run 'eduhq eval' first" "indicators before any run"

cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西县,county,330100,county
330102001,江东街道,town,330102,street
330103001,江西镇,town,330103,town
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural,is_teaching_point
3301020001,江东一小,330102,primary,111,0
3301020002,江东二小,330102001,primary,111,0
3301020003,江东三小,330102001,primary,112,0
3301020004,江东教学点,330102001,primary,220,1
3301030001,江西一小,330103,primary,121,0
3301030002,江西二小,330103001,primary,210,0
CSV
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2023,1,2,90
3301020001,2024,1,2,100
3301020002,2024,1,4,200
3301020003,2024,1,2,100
3301020004,2024,1,1,20
3301030001,2024,1,2,80
3301030002,2024,1,2,80
CSV
# classes: 50 per class in schools 1-3 (over 45)
# L5 (sports per pupil): 9, 8, 0 in 330102 (weights 100, 200, 100); 8 and no facility row
# in 330103
cat >"$T/facility.csv" <<'CSV'
school_code,year,teaching_aux_area,indoor_sports_area,sports_ground_area,equipment_value,multimedia_rooms
3301020001,2024,600,100,800,250000,3
3301020002,2024,1000,0,1600,500000,6
3301020003,2024,500,0,0,250000,3
3301020004,2024,100,0,2000,50000,1
3301030001,2024,400,0,640,200000,2
CSV
cat >"$T/class_section.csv" <<'CSV'
school_code,year,grade,section,pupils
3301030001,2024,1,1,56
3301030001,2024,1,2,24
CSV
cat >"$T/teacher.csv" <<'CSV'
code,name,id_number,sex,birth_date,education,title,subject,full_time,backbone_level,hire_date
T001,张一,330102198001010018,M,1980-01-01,bachelor,first,pe,1,county,2002-09-01
T002,李二,33010219850202002X,F,1985-02-02,associate,second,math,1,none,2006-09-01
T003,王三,330102199003030033,M,1990-03-03,bachelor,second,chinese,1,none,2012-09-01
T004,赵四,330102199204040043,F,1992-04-04,master,first,english,1,city,2015-09-01
CSV
# T003 left school 2 before the 2024 year began; T004 is on an exchange at school 3 on top of
# the appointment at school 2: the later posting counts
cat >"$T/posting.csv" <<'CSV'
teacher_code,start_date,school_code,end_date,kind
T001,2002-09-01,3301020001,,appointment
T002,2006-09-01,3301020001,,appointment
T003,2012-09-01,3301020002,2024-07-01,appointment
T003,2024-08-01,3301020003,,appointment
T004,2015-09-01,3301020002,,appointment
T004,2024-08-15,3301020003,,exchange
CSV
import_or_bail "$T" area school grade_return facility class_section teacher posting

run eduhq eval balance
is "$rc" 0 "eval balance succeeds"
is "$(echo "$out" | head -1)" "run 1: year 2024, mechanisms balance, 92 results" \
	"the summary names the run, the latest year and the count"
is "$(echo "$out" | sed -n 2p)" 'rules used: {"balance.basic_2012":1,"balance.class_size":1,"balance.combined_split":1,"balance.cv_max":1,"balance.method":1,"balance.retention":1,"balance.school_rule":1,"balance.school_size":1,"balance.school_standard":1,"balance.scope":1}' \
	"the summary lists the rule versions used"
fp1=$(echo "$out" | sed -n 's/^data fingerprint: //p')
is "${#fp1}" 64 "a 256-bit data fingerprint"
is "$(echo "$out" | sed -n 4p)" "balance: 92 results: 44 pass, 0 warn, 33 fail, 15 n.a." \
	"per-mechanism verdict counts"
ok $(echo "$out" | grep -qx '    BAL.CV.L5        county 330102 primary  2024 value 0.581 threshold 0.5' && echo 0 || echo 1) \
	"the failing L5 CV of 330102 is listed"
ok $(echo "$out" | grep -q 'BAL.CV.L5 .*330103' && echo 1 || echo 0) "330103 is not failing L5"

run eduhq indicators --indicator BAL.CV.L5 --format csv
is "$(echo "$out" | cut -d, -f1-11)" "run,indicator,unit_kind,unit_id,stage,year,value,numerator,denominator,threshold,verdict
1,BAL.CV.L5,county,330102,primary,2024,0.5810335619,3.631459762,6.25,0.5,fail
1,BAL.CV.L5,county,330103,primary,2024,,,,0.5,na" "the L5 CVs: weighted, and n.a. with one school"

run eduhq indicators --indicator BAL.CV.L5 --area 330103
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
BAL.CV.L5        county  330103       primary  2024             -        0.5 na
    no facility return for 1 of 2 schools" "an n.a. CV shows its reason (a school without a facility return, balance.method)"

run eduhq indicators --indicator BAL.CV.L5 --area 330102
is "$(echo "$out" | tail -1)" "    CV 0.581 above 0.50; pulling up most: 3301020003 江东三小 (0, CV 0.057 without)" \
	"a failing CV shows the school pulling it up, by code and name"
run eduhq indicators --indicator BAL.CV.L5 --area 330102 --format json
ok $(echo "$out" | grep -q '"schools":\[{"school":"3301020001","name":"江东一小","pupils":100,"value":9},{"school":"3301020002","name":"江东二小","pupils":200,"value":8},{"school":"3301020003","name":"江东三小","pupils":100,"value":0}\]' && echo 0 || echo 1) \
	"the evidence lists every school's value"
ok $(echo "$out" | grep -q '"pulling_up":\[{"school":"3301020003","name":"江东三小","value":0,"cv_without":0.0565685,"cv_drop":0.524465}\]' && echo 0 || echo 1) \
	"the evidence says how much the CV falls without the school"
printf '%s' "$out" >"$T/ind.json"
is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/ind.json'))")" 1 "indicators --format json is JSON"

# teachers by the posting current on 2024-09-01
run eduhq indicators --indicator BAL.L1 --format csv
is "$(echo "$out" | cut -d, -f4,7,8,9,11 | sed 1d)" "3301020001,2,2,100,fail
3301020002,0,0,200,fail
3301020003,2,2,100,fail
3301030001,0,0,80,fail
3301030002,0,0,80,fail" "L1 counts the teachers of the current postings"
run eduhq indicators --indicator BAL.L2 --school 3301020003 --format csv
is "$(echo "$out" | cut -d, -f4,7 | sed 1d)" "3301020003,1" "a city backbone teacher counts for L2"

run eduhq indicators --school 3301020004
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
BAL.SCHOOL       school  3301020004   primary  2024             -          6 na
    out of scope: teaching point with 20 pupils (fewer than 50)
BAL.CLASS.OVER   school  3301020004   primary  2024         0.000         45 pass
BAL.CLASS.LARGE  school  3301020004   primary  2024         0.000         56 pass
BAL.CLASS.SUPER  school  3301020004   primary  2024         0.000         66 pass" \
	"a teaching point under 50 pupils is out of scope"

run eduhq indicators --school 3301030002 --indicator BAL.L5
is "$(echo "$out" | sed 1d)" "BAL.L5           school  3301030002   primary  2024             -        7.5 na
    no facility return for 2024" "a missing facility row is n.a. with the reason"

run eduhq indicators --indicator BAL.CLASS.OVER --format csv
is "$(echo "$out" | cut -d, -f3,4,7,8,9,11 | sed 1d)" "school,3301020001,1,2,2,fail
school,3301020002,1,4,4,fail
school,3301020003,1,2,2,fail
school,3301020004,0,0,1,pass
county,330102,1,8,8,fail
school,3301030001,0.5,1,2,fail
school,3301030002,0,0,2,pass
county,330103,0.25,1,4,fail" "classes over 45: estimated from returns, or counted from sections"
run eduhq indicators --indicator BAL.CLASS.LARGE --area 330103 --format csv
is "$(echo "$out" | cut -d, -f4,8,11,12- | sed 1d)" '3301030001,1,fail,"{""limit"":56,""source"":""class_section"",""classes"":[{""grade"":1,""pupils"":56}]}"
3301030002,0,pass,{}
330103,1,fail,"{""limit"":56,""schools"":[{""school"":""3301030001"",""name"":""江西一小"",""classes"":2,""count"":1}]}"' \
	"大班额 from class sections, with the evidence"

# the same data gives the same fingerprint; a changed row changes it and the result
run eduhq eval balance
is "$(echo "$out" | sed -n 's/^data fingerprint: //p')" "$fp1" "same data, same fingerprint"
cat >"$T/facility2.csv" <<'CSV'
school_code,year,teaching_aux_area,indoor_sports_area,sports_ground_area,equipment_value,multimedia_rooms
3301020003,2024,500,0,400,250000,3
CSV
eduhq import facility "$T/facility2.csv" >/dev/null
run eduhq eval balance
ok $([ "$(echo "$out" | sed -n 's/^data fingerprint: //p')" != "$fp1" ] && echo 0 || echo 1) \
	"a changed facility row changes the fingerprint"
ok $(echo "$out" | grep -q 'BAL.CV.L5 ' && echo 1 || echo 0) "and the next eval no longer fails L5"
run eduhq indicators --indicator BAL.CV.L5 --area 330102 --format csv
is "$(echo "$out" | cut -d, -f1,7,11 | sed 1d)" "3,0.2648670948,pass" "the latest run shows the new CV"
run eduhq indicators --run 1 --indicator BAL.CV.L5 --area 330102 --format csv
is "$(echo "$out" | cut -d, -f1,7,11 | sed 1d)" "1,0.5810335619,fail" "--run reads an older run"
run eduhq indicators --run 99
is "$rc:$err" "1:eduhq: no evaluation run 99" "an unknown run is an error"
run eduhq indicators --year 2023
is "$rc:$err" "1:eduhq: no evaluation run for 2023; run 'eduhq eval --year 2023' first" \
	"no run for a year"

# a city rule version is used by the next eval
eduhq rules set balance.cv_max primary=0.2 --effective 2024-01-01 >/dev/null
run eduhq eval balance --format json
is "$rc" 0 "eval --format json"
printf '%s' "$out" >"$T/run.json"
is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/run.json')),
	json_extract(readfile('$T/run.json'), '\$.run.id'),
	json_extract(readfile('$T/run.json'), '\$.run.rule_versions.\"balance.cv_max\"'),
	json_extract(readfile('$T/run.json'), '\$.summary.balance.results')")" "1|4|2|92" \
	"the JSON run carries its id, rule versions and summary"
run eduhq indicators --indicator BAL.CV.L5 --area 330102 --format csv
is "$(echo "$out" | cut -d, -f10,11 | sed 1d)" "0.2,fail" "the new threshold applies"
run eduhq eval balance --rules-as-of 2023-12-31
run eduhq indicators --indicator BAL.CV.L5 --area 330102 --format csv
is "$(echo "$out" | cut -d, -f10,11 | sed 1d)" "0.5,pass" "--rules-as-of uses the rules of a date"

run eduhq eval balance --timing
ok $(echo "$err" | grep -Eq '^timing: load [0-9.]+ s, engine [0-9.]+ s, save [0-9.]+ s \(92 results\)$' && echo 0 || echo 1) \
	"--timing reports load and engine time on stderr"

done_testing
