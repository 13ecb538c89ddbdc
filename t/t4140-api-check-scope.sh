#!/bin/sh
# t4140-api-check-scope.sh: GET /check (the data-quality report) for every role, against a
# real `eduhq serve`: the city roles get the CLI's report; a county user's report checks only
# its county's rows (a duplicate person across two counties is the city's to see, one inside
# the county is its own), a school user's only its school's; no finding names a row the
# caller cannot read.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18190 18199"
. "$(dirname "$0")/lib-serve.sh"

two_counties_city
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2024,1,2,84
3301020001,2025,1,1,70
3301020002,2024,1,2,80
3301030001,2025,1,1,70
CSV
cat >"$T/facility.csv" <<'CSV'
school_code,year,teaching_aux_area,sports_ground_area,equipment_value,multimedia_rooms
3301020001,2024,1000,2000,100000,4
3301020001,2025,1000,2000,100000,4
3301020002,2024,1000,2000,100000,4
3301030001,2025,1000,2000,100000,4
CSV
# T001 (江东一小) and T002 (江西一小) are one person across the two counties;
# T003 and T004 (both 江东二小) one person inside 江东区
cat >"$T/teacher.csv" <<'CSV'
code,name,id_number,sex,birth_date,education,title,subject,hire_date
T001,张三,330102198001010018,M,1980-01-01,bachelor,first,math,2010-09-01
T002,张三,330102198001010018,M,1980-01-01,bachelor,first,math,2012-09-01
T003,李四,330102198505050021,F,1985-05-05,master,second,chinese,2015-09-01
T004,李四,330102198505050021,F,1985-05-05,master,second,chinese,2016-09-01
CSV
cat >"$T/posting.csv" <<'CSV'
teacher_code,start_date,school_code,end_date,kind
T001,2010-09-01,3301020001,,appointment
T002,2012-09-01,3301030001,,appointment
T003,2015-09-01,3301020002,,appointment
T004,2016-09-01,3301020002,,appointment
CSV
import_or_bail "$T" grade_return facility teacher posting
serve_start

findings() { echo "$body" | jq -r '.findings[] | .check + " " + .table + " " + .key'; }

api "$TOK_admin" GET /check
is "$code $(echo "$body" | jq -c '[.errors, .warnings]')" "200 [5,0]" "the city administrator: the whole city"
eduhq check --format json >"$T/cli.json"
is "$(findings)" "$(jq -r '.findings[] | .check + " " + .table + " " + .key' "$T/cli.json")" "the CLI's report"
is "$(findings)" "duplicate_person teacher T001,T002
duplicate_person teacher T003,T004
missing_return grade_return 3301020002/2025
class_pupils grade_return 3301020001/2025/1
class_pupils grade_return 3301030001/2025/1" "every problem of the city"
api "$TOK_analyst" GET /check
is "$code $(findings | wc -l)" "200 5" "the analyst reads the same"

api "$TOK_county" GET /check
is "$code $(echo "$body" | jq -c '[.errors, .warnings]')" "200 [3,0]" "a county user: its county's report"
is "$(findings)" "duplicate_person teacher T003,T004
missing_return grade_return 3301020002/2025
class_pupils grade_return 3301020001/2025/1" "its duplicate, its missing return, its class; nothing of 江西区"
is "$(echo "$body" | jq -r '.findings[0].message')" \
	"one person (ID 330102********0021) registered under 2 teacher codes" "the ID number masked"
ok $(echo "$body" | grep -q 'T002\|3301030001' && echo 1 || echo 0) "no row of another county named"

api "$TOK_school" GET /check
is "$code $(findings)" "200 class_pupils grade_return 3301020001/2025/1" "a school user: its own school only"
api "$TOK_school" GET '/check?year=2024'
is "$code $(echo "$body" | jq -c '[.errors, .warnings, .findings]')" "200 [0,0,[]]" "a year with nothing wrong"
api "$TOK_county" GET '/check?year=abc'
is "$code $(echo "$body" | jq -r .error.message)" \
	"400 query parameter 'year': expected an integer 0-2100, not 'abc'" "a bad year"

done_testing
