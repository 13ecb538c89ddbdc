#!/bin/sh
# t3201-groups.sh: `eduhq eval groups` on a hand-made registry: coverage with a school that
# left its group and a private member outside the denominator (city and counties, the
# denominator named, another denominator by rule), per-group figures with an exchange inside
# the group, the change since joining, and the difference in differences with its interval,
# hand-computed, then a case the data cannot tell apart.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西县,county,330100,county
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,ownership,urban_rural
3301020001,江东一小,330102,primary,public,111
3301020002,江东二中,330102,junior,public,111
3301020003,江东私立小学,330102,primary,private,111
3301020004,江东高中,330102,senior,public,111
3301030001,村中甲,330103,junior,public,210
3301030002,村中乙,330103,junior,public,220
3301030003,村中丙,330103,junior,public,210
3301030004,村中丁,330103,junior,public,220
CSV
cat >"$T/edu_group.csv" <<'CSV'
code,name,lead_school_code,founded_year
G1,江东一小教育集团,3301020001,2020
CSV
# 江东二中 left in 2023; the private school is a member outside the denominator
cat >"$T/group_member.csv" <<'CSV'
group_code,school_code,joined_year,left_year
G1,3301020001,2020,
G1,3301020002,2020,2023
G1,3301020003,2020,
G1,3301030001,2021,
G1,3301030002,2020,
CSV
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2024,1,4,180
3301030001,2024,7,2,100
3301030002,2024,7,2,100
CSV
# 甲 10/100 -> 30/100, 乙 20/100 -> 30/100 (members); 丙 10/100 -> 12/100, 丁 20/100 ->
# 24/100 (in no group). Pooled: members 0.15 -> 0.30 (+0.15), others 0.15 -> 0.18 (+0.03):
# DiD = 0.15 - 0.03 = 0.12. 甲 joined in 2021: its change since joining is from 2021 (15%).
cat >"$T/exam_result.csv" <<'CSV'
school_code,year,exam,candidates,excellent
3301030001,2021,zhongkao,100,15
3301030001,2022,zhongkao,100,10
3301030001,2024,zhongkao,100,30
3301030002,2022,zhongkao,100,20
3301030002,2024,zhongkao,100,30
3301030003,2022,zhongkao,100,10
3301030003,2024,zhongkao,100,12
3301030004,2022,zhongkao,100,20
3301030004,2024,zhongkao,100,24
3301030004,2024,gaokao,100,99
CSV
cat >"$T/teacher.csv" <<'CSV'
code,name,id_number,sex,birth_date,education,title,subject,hire_date
T001,张一,330102198001010018,M,1980-01-01,bachelor,first,math,2010-09-01
CSV
cat >"$T/posting.csv" <<'CSV'
teacher_code,start_date,school_code,end_date,kind
T001,2010-09-01,3301020001,2024-08-31,appointment
T001,2024-09-01,3301030001,,exchange
CSV
import_or_bail "$T" area school edu_group group_member grade_return exam_result teacher posting

run eduhq eval groups --year 2024
is "$rc" 0 "eval groups exits 0"
q() { rsql "SELECT $1 FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND $2"; }
# denominator: the 6 public compulsory schools (not the private one, not the senior one);
# members in 2024: 江东一小, 甲, 乙 (江东二中 left in 2023)
is "$(q "value || ' ' || numerator || ' ' || denominator || ' ' || json_extract(evidence, '\$.denominator') || ' ' || json_extract(evidence, '\$.members_outside_denominator')" \
	"indicator = 'GRP.COVERAGE' AND unit_kind = 'city'")" "0.5 3.0 6.0 public_compulsory 1" \
	"coverage 3/6 with its denominator named; the private member outside it"
is "$(q "unit_id || ' ' || numerator || '/' || denominator" "indicator = 'GRP.COVERAGE' AND unit_kind = 'county' ORDER BY unit_id" | tr '\n' ' ')" \
	"330102 1.0/2.0 330103 2.0/4.0 " "coverage per county"
run eduhq eval groups --year 2022
is "$(q "numerator || '/' || denominator" "indicator = 'GRP.COVERAGE' AND unit_kind = 'city'")" \
	"4.0/6.0" "in 2022 the school that left still counts"
run eduhq eval groups --year 2024
is "$(q "value || ' ' || numerator || ' ' || json_extract(evidence, '\$.lead') || ' ' || json_extract(evidence, '\$.rural') || ' ' || json_extract(evidence, '\$.urban') || ' ' || json_extract(evidence, '\$.pupils')" \
	"indicator = 'GRP.MEMBERS' AND unit_id = 'G1'")" "4.0 2.0 3301020001 2 2 380" \
	"G1: 4 members (2 rural, 2 urban), its lead, 380 pupils"
is "$(q "value" "indicator = 'GRP.EXCH' AND unit_id = 'G1'")" "1.0" "one exchange inside the group"
is "$(q "round(value, 4) || ' ' || json_extract(evidence, '\$.base_year')" "indicator = 'GRP.CHANGE' AND unit_id = '3301030001'")" \
	"0.15 2021" "甲: +0.15 since joining in 2021"
is "$(q "round(value, 4)" "indicator = 'GRP.RURAL.EXCELLENT' AND year = 2022") $(q "round(value, 4)" "indicator = 'GRP.RURAL.EXCELLENT' AND year = 2024")" \
	"0.15 0.3" "rural members' pooled rate 15% -> 30%"
is "$(q "round(value, 6) || ' ' || round(numerator, 6) || ' ' || round(denominator, 6) || ' ' || verdict" "indicator = 'GRP.DID'")" \
	"0.12 0.15 0.03 pass" "difference in differences: 0.15 - 0.03 = 0.12, distinguishable"
lo=$(q "json_extract(evidence, '\$.interval_low')" "indicator = 'GRP.DID'")
hi=$(q "json_extract(evidence, '\$.interval_high')" "indicator = 'GRP.DID'")
ok $(echo "$lo >= 0.06 && $hi <= 0.18 && $lo > 0" | bc | grep -q 1 && echo 0 || echo 1) \
	"the interval [$lo, $hi] lies within the resamples' extremes [0.06, 0.18], above 0"
is "$(q "json_extract(evidence, '\$.bootstrap_reps') || ' ' || json_extract(evidence, '\$.seed') || ' ' || json_extract(evidence, '\$.level')" "indicator = 'GRP.DID'")" \
	"1999 20240901 0.95" "the resamples, seed and level are in the evidence"
run eduhq eval groups --year 2024
is "$(q "json_extract(evidence, '\$.interval_low') || ' ' || json_extract(evidence, '\$.interval_high')" "indicator = 'GRP.DID'")" \
	"$lo $hi" "the fixed seed gives the same interval again"

# 乙 falls to 10/100 in 2024: members 0.15 -> 0.20 (+0.05), DiD 0.02; resampling 乙 twice
# gives 0.20 - 0.10... below 0: the interval includes 0
printf 'school_code,year,exam,candidates,excellent\n3301030002,2024,zhongkao,100,10\n' >"$T/ex2.csv"
eduhq import exam_result "$T/ex2.csv" >/dev/null
run eduhq eval groups --year 2024
is "$(q "round(value, 6) || ' ' || verdict || ' ' || json_extract(evidence, '\$.statement')" "indicator = 'GRP.DID'")" \
	"0.02 na the interval includes 0: the data cannot tell the group effect apart from the change in comparable schools outside groups" \
	"when the interval includes 0 the plain statement says so"

# another denominator: every public school (7 with the senior school): 3/7
eduhq rules set groups.coverage denominator=public --effective 2025-07-05 >/dev/null
run eduhq eval groups --year 2024
is "$(q "numerator || '/' || denominator || ' ' || json_extract(evidence, '\$.denominator')" "indicator = 'GRP.COVERAGE' AND unit_kind = 'city'")" \
	"3.0/7.0 public" "the rule's denominator is used and named"
run eduhq rules set groups.coverage denominator=schools
is "$rc:$err" "1:eduhq: rule 'groups.coverage' parameter 'denominator' expects one of public_compulsory, compulsory, public, all, not 'schools'" \
	"an unknown denominator is refused"
run eduhq rules set groups.outcome interval_level=1
is "$rc:$err" "1:eduhq: rule 'groups.outcome' parameter 'interval_level' expects a number from 0.5 to 0.999, not '1'" \
	"an interval level of 1 is refused"

done_testing
