#!/bin/sh
# t3061-balance-loader-edges.sh: the balance loader on hand-made facts. A school in a
# 12-digit area below a 9-digit town belongs to the town's county (it was put in an invented
# "county", the town, because the loader walked up one level only); a junior school whose
# cohort vanished without a return this year stays in the retention denominator; L1 counts
# 专任 teachers only unless balance.method says all; the facility column sports_ground_area
# is labelled as the outdoor ground (the label said （馆）, so the gym was counted twice).
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
q() { rsql "$1"; }
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330102001,东城街道,town,330102,street
330102001001,东城社区,town,330102001,street
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020001,区一小,330102,primary,111
3301020002,社区小学,330102001001,primary,111
3301020003,撤并初中,330102001,junior,111
3301020004,区一中,330102,junior,111
CSV
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2024,1,2,100
3301020002,2024,1,1,40
3301020003,2022,7,1,20
3301020004,2022,7,2,100
3301020004,2024,7,2,100
3301020004,2024,8,2,100
3301020004,2024,9,2,96
CSV
H=code,name,id_number,sex,birth_date,education,title,subject,full_time,hire_date
cat >"$T/teacher.csv" <<CSV
$H
T1,甲,110101199003071233,M,1990-03-07,bachelor,first,math,1,2012-09-01
T2,乙,33010219850612001X,F,1985-06-12,bachelor,first,math,0,2012-09-01
CSV
cat >"$T/posting.csv" <<'CSV'
teacher_code,start_date,school_code,kind
T1,2020-09-01,3301020001,appointment
T2,2020-09-01,3301020001,appointment
CSV
import_or_bail "$T" area school grade_return teacher posting

run eduhq eval balance --year 2024
is "$rc" 0 "eval balance"
is "$(q "SELECT DISTINCT unit_id FROM result WHERE unit_kind = 'county' ORDER BY 1" | tr '\n' ' ')" "330102 " \
	"every school is in county 330102, none in the town 330102001"
is "$(q "SELECT denominator FROM result WHERE indicator = 'BAL.CLASS.OVER' AND unit_kind = 'county' AND stage = 'primary'")" 3.0 \
	"the 12-digit area's school counts in the county: 2 + 1 classes"
is "$(q "SELECT numerator || '/' || denominator || ' ' || verdict FROM result WHERE indicator = 'BAL.RETENTION' AND unit_id = '330102'")" \
	"96.0/120.0 fail" "a cohort gone without a return stays in the denominator: 96/(100+20)"
is "$(q "SELECT count(*) FROM result WHERE unit_id = '3301020003'")" 0 "... without school rows for it"
is "$(q "SELECT value FROM result WHERE indicator = 'BAL.L1' AND unit_id = '3301020001'")" 1.0 \
	"L1 counts the 专任 teacher only: 1 per 100 pupils"
eduhq rules set balance.method teacher_base=all >/dev/null
eduhq eval balance --year 2024 >/dev/null
is "$(q "SELECT value FROM result WHERE indicator = 'BAL.L1' AND unit_id = '3301020001' AND run_id = (SELECT max(id) FROM eval_run)")" 2.0 \
	"teacher_base all counts the part-time one too"

# the seat planner rolls areas up the same way (it also walked up one level)
run eduhq eval seats --year 2024
is "$rc:$(q "SELECT DISTINCT unit_id FROM result WHERE indicator LIKE 'SEAT.%' AND run_id = (SELECT max(id) FROM eval_run)" | tr '\n' ' ')" \
	"0:330102 " "seat rows only for county 330102"
is "$(q "SELECT json_extract(evidence, '\$.seats') FROM result WHERE indicator = 'SEAT.GAP' AND stage = 'primary' AND run_id = (SELECT max(id) FROM eval_run) ORDER BY year LIMIT 1")" \
	135 "its seats include the 12-digit area's school: (2 + 1) classes x 45"

# the facility column is the outdoor ground, by name and label
is "$(grep '^| `sports_ground_area`' "$TOP/docs/data-dictionary.md" | cut -d'|' -f3)" " 体育运动场面积 " \
	"sports_ground_area is labelled 体育运动场面积"
printf '%s\n%s\n' "学校标识码,学年,教学及辅助用房面积,体育运动场（馆）面积,教学仪器设备资产值,网络多媒体教室数" \
	"3301020001,2024,1000,2000,100000,4" >"$T/fac.csv"
run eduhq import facility "$T/fac.csv"
is "$rc:$(echo "$err" | head -1)" "1:$T/fac.csv:1: column 体育运动场（馆）面积: unknown column" \
	"the old label that invited counting the gym twice is not accepted"
done_testing
