#!/bin/sh
# t3001-eval-balance-junior.sh: the balance loader on junior data: a nine-year school's
# assets split 1:1.1 between stages, retention net of recorded transfers, a value just under
# its standard (warn), and run selection by --year.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330104,江南县,county,330100,county
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301040001,江南九年一贯制学校,330104,nine_year,121
3301040002,江南初级中学,330104,junior,121
CSV
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301040001,2022,7,2,72
3301040002,2022,7,2,100
3301040001,2024,1,2,50
3301040001,2024,2,2,50
3301040001,2024,3,2,50
3301040001,2024,4,2,50
3301040001,2024,5,2,50
3301040001,2024,6,2,50
3301040001,2024,7,2,70
3301040001,2024,8,2,70
3301040001,2024,9,2,60
3301040002,2024,7,2,100
3301040002,2024,8,2,100
3301040002,2024,9,2,95
CSV
cat >"$T/pupil_transfer.csv" <<'CSV'
school_code,year,grade,transfers_in,transfers_out
3301040001,2022,7,2,0
3301040001,2023,8,0,4
3301040002,2024,9,0,3
3301040002,2023,9,5,0
CSV
cat >"$T/facility.csv" <<'CSV'
school_code,year,teaching_aux_area,indoor_sports_area,sports_ground_area,equipment_value,multimedia_rooms
3301040001,2024,5200,520,5200,1300000,26
3301040002,2024,2000,0,3000,800000,8
CSV
import_or_bail "$T" area school grade_return pupil_transfer facility

run eduhq eval balance
is "$rc" 0 "eval balance"

# nine-year: primary share 300/(300 + 1.1 x 200) = 15/26 of the assets
run eduhq indicators --school 3301040001 --indicator BAL.L5 --format csv
is "$(echo "$out" | cut -d, -f5,7,8,9,10,11 | sed 1d)" "primary,11,3300,300,7.5,pass
junior,12.1,2420,200,10.2,pass" "the nine-year school's sports area is split 1:1.1"
run eduhq indicators --school 3301040001 --indicator BAL.L4 --format csv
is "$(echo "$out" | cut -d, -f5,7 | sed 1d)" "primary,9
junior,9.9" "teaching area net of indoor sports, split the same way"

# the junior school: 3000 m2 for 295 pupils is 10.169, 99.7% of 10.2: unmet but above 85%
run eduhq indicators --school 3301040002 --indicator BAL.L5 --format csv
is "$(echo "$out" | cut -d, -f5,7,10,11 | sed 1d)" "junior,10.16949153,10.2,warn" \
	"a value just under its standard warns"

run eduhq indicators --area 330104 --indicator BAL.CV.L5 --format csv
is "$(echo "$out" | cut -d, -f5,7,10,11 | sed 1d)" "primary,0,0.5,pass
junior,0.08651639837,0.45,pass" "the junior CV of 12.1 (200 pupils) and 10.169 (295 pupils); one primary school: CV 0 (balance.method one_school pass)"

# retention: (60 + 95) / (72 + 2 - 4 + 100 - 3) = 155 / 167; the 2023 grade-9 transfer
# belongs to another cohort
run eduhq indicators --indicator BAL.RETENTION --format csv
is "$(echo "$out" | cut -d, -f4,5,7,8,9,10,11 | sed 1d)" "330104,junior,0.9281437126,155,167,0.95,fail" \
	"三年巩固率 net of the cohort's recorded transfers"
run eduhq indicators --indicator BAL.RETENTION --format json
ok $(echo "$out" | grep -q '"schools":\[{"school":"3301040001","name":"江南九年一贯制学校","grade7":72,"transfers_in":2,"transfers_out":4,"grade9":60},{"school":"3301040002","name":"江南初级中学","grade7":100,"transfers_in":0,"transfers_out":3,"grade9":95}\]' && echo 0 || echo 1) \
	"the failing retention lists each school's cohort"

# runs by year
run eduhq eval balance --year 2022
is "$(echo "$out" | head -1)" "run 2: year 2022, mechanisms balance, 57 results" "eval --year 2022"
run eduhq indicators --indicator BAL.RETENTION --format csv
is "$(echo "$out" | cut -d, -f1,6,11 | sed 1d)" "2,2022,na" "the latest run is the 2022 one"
run eduhq indicators --year 2024 --indicator BAL.RETENTION --format csv
is "$(echo "$out" | cut -d, -f1,6,11 | sed 1d)" "1,2024,fail" "--year picks the latest run of that year"

done_testing
