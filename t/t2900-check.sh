#!/bin/sh
# t2900-check.sh: `eduhq check` reports each data-quality problem with severity, check code,
# table, natural key and message; exit 1 on errors, 0 on a clean registry; --year limits the
# year-based checks; the thresholds come from the rules check.*. The registries are built
# with `eduhq import`, as real data is.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null
run eduhq check
is "$rc:$out" "0:check: 0 errors, 0 warnings" "an empty registry is clean"

# A clean registry as import files (areas, schools, returns, facilities, class sections,
# teachers with their ID numbers, postings); T003's postings meet on a handover day.
mkdir "$T/good" "$T/bad"
cd "$T/good" || exit 1
cat >area.csv <<'EOF'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江城区,county,330100,district
EOF
cat >school.csv <<'EOF'
学校标识码,学校名称,所属区划代码,办学类型,城乡分类代码
3301000001,一小,330102,primary,111
3301000002,二小,330102,primary,111
3301000003,一中,330102,junior,111
3301000004,职校,330102,vocational,111
3301000005,三小,330102,primary,210
EOF
cat >grade_return.csv <<'EOF'
school_code,year,grade,classes,pupils,boys,girls
3301000001,2023,1,2,80,40,40
3301000001,2024,1,2,84,42,42
3301000002,2023,1,2,100,,
3301000002,2024,1,3,120,60,60
3301000003,2023,7,4,180,90,90
3301000003,2024,7,4,178,,
3301000005,2023,1,1,60,30,30
3301000005,2024,1,2,70,35,35
EOF
cat >facility.csv <<'EOF'
school_code,year,teaching_aux_area,sports_ground_area,equipment_value,multimedia_rooms
3301000001,2023,1000,2000,100000,4
3301000001,2024,1000,2000,100000,4
3301000002,2023,1000,2000,100000,4
3301000002,2024,1000,2000,100000,4
3301000003,2023,1000,2000,100000,4
3301000003,2024,1000,2000,100000,4
3301000005,2023,500,900,50000,2
3301000005,2024,500,900,50000,2
EOF
cat >class_section.csv <<'EOF'
school_code,year,grade,section,pupils
3301000001,2023,1,1,40
3301000001,2023,1,2,40
3301000001,2024,1,1,40
3301000001,2024,1,2,44
EOF
cat >teacher.csv <<'EOF'
code,name,id_number,sex,birth_date,education,title,subject,hire_date
T001,张三,330102198001010018,M,1980-01-01,bachelor,first,math,2010-09-01
T003,李四,330102198505050021,F,1985-05-05,master,second,chinese,2015-09-01
EOF
cat >posting.csv <<'EOF'
teacher_code,start_date,school_code,end_date,kind
T001,2010-09-01,3301000001,2019-08-31,appointment
T001,2019-09-01,3301000002,,appointment
T003,2015-09-01,3301000001,2020-09-01,appointment
T003,2020-09-01,3301000005,,exchange
EOF

# The same registry with one of each problem:
#  S1 3301000001: its 2024 class sections hold 83 pupils, the grade return 84
#  S2 3301000002: 80 -> 120 pupils (+50%) and no facilities for 2024
#  S3 3301000003: no grade return for 2024 (the latest year)
#  S4 3301000004: vocational, files no grade return (not reported)
#  S5 3301000005: 70 pupils in one class in 2024; boys + girls != pupils in 2023
#  T001 and T002 are one person (one ID number); T001's postings overlap
cp area.csv school.csv "$T/bad/"
sed -e 's/^3301000002,2023,1,2,100/3301000002,2023,1,2,80/' -e '/^3301000003,2024/d' \
	-e 's/^3301000005,2023,1,1,60,30,30/3301000005,2023,1,1,60,30,31/' \
	-e 's/^3301000005,2024,1,2,70/3301000005,2024,1,1,70/' grade_return.csv >"$T/bad/grade_return.csv"
grep -v '^330100000[23],2024' facility.csv >"$T/bad/facility.csv"
sed 's/^3301000001,2024,1,2,44/3301000001,2024,1,2,43/' class_section.csv >"$T/bad/class_section.csv"
{ cat teacher.csv; echo 'T002,张三,330102198001010018,M,1980-01-01,bachelor,first,math,2012-09-01'; } \
	>"$T/bad/teacher.csv"
{ sed 's/^T001,2019-09-01/T001,2019-06-01/' posting.csv; echo 'T002,2012-09-01,3301000001,,appointment'; } \
	>"$T/bad/posting.csv"
cd "$T" || exit 1

load() { # load DIR: import its files into the test database, in dependency order
	for t in area school grade_return facility class_section teacher posting; do
		eduhq import $t "$1/$t.csv" >/dev/null || echo "import $t from $1 failed"
	done
}
is "$(load "$T/bad")" "" "the registry with problems imports"

run eduhq check
is "$rc" 1 "errors make check exit 1"
is "$out" "error duplicate_person teacher T001,T002: one person (ID 330102********0018) registered under 2 teacher codes
error posting_overlap posting T001/2010-09-01,T001/2019-06-01: teacher T001 posted at 3301000001 from 2010-09-01 to 2019-08-31 and at 3301000002 from 2019-06-01 to now
error missing_return grade_return 3301000003/2024: junior school has no grade return for 2024
warning missing_facility facility 3301000002/2024: no facilities for 2024 though the school has a grade return
warning enrolment_change grade_return 3301000002/2024: 120 pupils in 2024 against 80 in 2023 (+50.0%), more than 30%
error class_pupils grade_return 3301000005/2024/1: 70 pupils in 1 class (70.0 a class), outside 1-66
error sex_sum grade_return 3301000005/2023/1: boys 30 + girls 31 = 61, not the 60 pupils
error section_sum class_section 3301000001/2024/1: 2 class sections with 83 pupils, the grade return says 2 classes with 84 pupils
check: 6 errors, 2 warnings" "one finding per problem, in check order"
ok $(echo "$out" | grep -q '330102198001010018' && echo 1 || echo 0) "no clear ID number in the report"

run eduhq check --year 2023
is "$rc:$out" "1:error duplicate_person teacher T001,T002: one person (ID 330102********0018) registered under 2 teacher codes
error posting_overlap posting T001/2010-09-01,T001/2019-06-01: teacher T001 posted at 3301000001 from 2010-09-01 to 2019-08-31 and at 3301000002 from 2019-06-01 to now
error sex_sum grade_return 3301000005/2023/1: boys 30 + girls 31 = 61, not the 60 pupils
check: 3 errors, 0 warnings" "--year limits the year-based checks to that year"

run eduhq check --format json
is "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); f=d["findings"][2]; print(d["year"], d["errors"], d["warnings"], len(d["findings"]), f["severity"], f["check"], f["table"], f["key"])')" \
	"None 6 2 8 error missing_return grade_return 3301000003/2024" "--format json"

# Thresholds come from the rules.
eduhq rules set check.class_pupils max=70 >/dev/null
eduhq rules set check.enrolment_change max_yoy=0.5 >/dev/null
run eduhq check
ok $(echo "$out" | grep -q 'class_pupils\|enrolment_change' && echo 1 || echo 0) \
	"raised thresholds silence class_pupils and enrolment_change"
is "$(echo "$out" | tail -1)" "check: 5 errors, 1 warning" "counts follow"

run eduhq check --year 1800
is "$rc" 2 "a year out of range is misuse"
run eduhq check extra
is "$rc" 2 "check takes no arguments"

# The clean registry: no finding, exit 0.
export EDUHQ_DB="$T/good.db"
eduhq init >/dev/null
is "$(load "$T/good")" "" "the clean registry imports"
run eduhq check
is "$rc:$out" "0:check: 0 errors, 0 warnings" "a clean registry: exit 0"

done_testing
