#!/bin/sh
# t3400-eval-assessment.sh: `eduhq eval assessment curriculum` on a small imported city:
# a hand-computed ranking with ties per county and city, the 思政 sub-score, a draft at 12%
# 思政 and a scheme whose sums are off by 0.1 refused with the reason, and the curriculum
# checks with the failing schools and their hours.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西县,county,330100,county
330103001,江西镇,town,330103,town
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020001,江东一小,330102,primary,111
3301020002,江东二小,330102,primary,111
3301020003,江东一中,330102,junior,111
3301030001,江西九年制,330103001,nine_year,121
3301030002,江西二小,330103001,primary,210
CSV
# A 60, B 40 (思政: B1 30 + B2 10 under B); the draft: B at 12
cat >"$T/assessment_scheme.csv" <<'CSV'
code,year,name,status
AS1,2024,考核方案,active
AS1D,2024,考核方案（征求意见稿）,draft
CSV
cat >"$T/assessment_item.csv" <<'CSV'
scheme_code,item_code,parent_item_code,name,weight,is_sizheng
AS1,A,,办学质量,60,0
AS1,B,,思政课程,40,1
AS1,B1,B,课堂教学,30,0
AS1,B2,B,实践活动,10,0
AS1D,A,,办学质量,88,0
AS1D,B,,思政课程,12,1
CSV
# totals: 一小 0.6*80+0.3*90+0.1*90 = 84; 二小 0.6*90+0.3*70+0.1*90 = 84;
# 一中 0.6*70+0.3*70+0.1*70 = 70; 九年制 0.6*100+0.3*50+0.1*50 = 80; 江西二小 0.6*50+0.4*100 = 70
cat >"$T/assessment_score.csv" <<'CSV'
scheme_code,item_code,school_code,score
AS1,A,3301020001,80
AS1,B1,3301020001,90
AS1,B2,3301020001,90
AS1,A,3301020002,90
AS1,B1,3301020002,70
AS1,B2,3301020002,90
AS1,A,3301020003,70
AS1,B1,3301020003,70
AS1,B2,3301020003,70
AS1,A,3301030001,100
AS1,B1,3301030001,50
AS1,B2,3301030001,50
AS1,A,3301030002,50
AS1,B1,3301030002,100
AS1,B2,3301030002,100
CSV
cat >"$T/curriculum_hours.csv" <<'CSV'
school_code,year,course,hours_per_week,total_hours_per_week
3301020001,2024,ethnic_unity,1,30
3301020001,2024,morality_law,2,30
3301020002,2024,ethnic_unity,0.5,30
3301020002,2024,morality_law,2,30
3301020003,2024,ethnic_unity,1,34
3301020003,2024,morality_law,2,34
3301030001,2024,ethnic_unity,1.5,32
3301030001,2024,morality_law,3,32
CSV
import_or_bail "$T" area school assessment_scheme assessment_item assessment_score curriculum_hours

run eduhq eval assessment curriculum --year 2024
is "$rc" 0 "eval assessment curriculum"
is "$(echo "$out" | grep -E '^(assessment|curriculum):')" \
"assessment: 24 results: 1 pass, 0 warn, 1 fail, 22 n.a.
curriculum: 13 results: 5 pass, 0 warn, 4 fail, 4 n.a." "the summary counts"

csv() { eduhq indicators --indicator "$1" --format csv | awk -F, 'NR>1{print $4 ":" $7}' | sort | tr '\n' ' '; }
is "$(csv ASSESS.TOTAL)" "3301020001:84 3301020002:84 3301020003:70 3301030001:80 3301030002:70 " \
	"weighted totals"
is "$(csv ASSESS.RANK.CITY)" "3301020001:1 3301020002:1 3301020003:4 3301030001:3 3301030002:4 " \
	"city ranks: ties share a rank, the next is skipped"
is "$(csv ASSESS.RANK.COUNTY)" "3301020001:1 3301020002:1 3301020003:3 3301030001:1 3301030002:2 " \
	"county ranks"
is "$(csv ASSESS.SIZHENG)" "3301020001:90 3301020002:75 3301020003:70 3301030001:50 3301030002:100 " \
	"思政 sub-scores (B1 and B2 under the tagged B)"
is "$(eduhq indicators --indicator ASSESS.COUNTY --format csv | awk -F, 'NR>1{printf "%s:%.4f:%s ", $4, $7, $8}')" \
	"330102:79.3333:1 330103:75.0000:2 " "county means ranked in the city"
run eduhq indicators --indicator ASSESS.SCHEME
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
ASSESS.SCHEME    scheme  AS1                   2024         0.400       0.15 pass
ASSESS.SCHEME    scheme  AS1D                  2024         0.120       0.15 fail
    the scheme cannot be used (no scores are computed): 思政 items weigh 12 of 100 (12%), below the minimum 15%" \
	"the draft at 12% 思政 is refused, saying why"

# sums off by 0.1: the scheme cannot be used, and no school is scored
sqlite3 "$EDUHQ_DB" "UPDATE assessment_item SET weight = 9.9 WHERE scheme_code = 'AS1' AND item_code = 'B2'"
run eduhq eval assessment --year 2024
is "$(eduhq indicators --indicator ASSESS.SCHEME --verdict fail | sed -n 3p)" \
	"    the scheme cannot be used (no scores are computed): items under 'B' (思政课程) weigh 39.9, not its 40" \
	"children off by 0.1 refused"
is "$(eduhq indicators --indicator ASSESS.TOTAL --format csv | wc -l | tr -d ' ')" 1 "no totals from a refused scheme"
sqlite3 "$EDUHQ_DB" "UPDATE assessment_item SET weight = 39.9 WHERE scheme_code = 'AS1' AND item_code = 'B';
	UPDATE assessment_item SET weight = 29.9 WHERE scheme_code = 'AS1' AND item_code = 'B1';
	UPDATE assessment_item SET weight = 10 WHERE scheme_code = 'AS1' AND item_code = 'B2'"
run eduhq eval assessment --year 2024
is "$(eduhq indicators --indicator ASSESS.SCHEME --verdict fail | sed -n 3p)" \
	"    the scheme cannot be used (no scores are computed): top-level items weigh 99.9, not 100" \
	"a total off by 0.1 refused"
# the rule's minimum is a parameter: at 45% even the active scheme fails
eduhq rules set assessment.scheme sizheng_min_weight=0.45 >/dev/null 2>&1
sqlite3 "$EDUHQ_DB" "UPDATE assessment_item SET weight = 40 WHERE scheme_code = 'AS1' AND item_code = 'B';
	UPDATE assessment_item SET weight = 30 WHERE scheme_code = 'AS1' AND item_code = 'B1'"
run eduhq eval assessment --year 2024
is "$(eduhq indicators --indicator ASSESS.SCHEME --format csv | awk -F, 'NR>1{print $4 ":" $10 ":" $11}' | tr '\n' ' ')" \
	"AS1:0.45:fail AS1D:0.45:fail " "the 思政 minimum comes from the rule table"

# curriculum: the failing schools with their hours
run eduhq indicators --indicator CUR.ETHNIC --verdict fail
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
CUR.ETHNIC       school  3301020002            2024         0.500          1 fail
    0.5 h/week, below 1" "the school below 1 h/week of 铸牢中华民族共同体意识, with its hours"
is "$(csv CUR.ETHNIC)" "3301020001:1 3301020002:0.5 3301020003:1 3301030001:1.5 3301030002: " \
	"exactly 1 h passes; a school without a return is n.a."
is "$(eduhq indicators --indicator CUR.ETHNIC.COUNTY --format csv | awk -F, 'NR>1{print $4 ":" $8 "/" $9 ":" $11}' | tr '\n' ' ')" \
	"330102:1/3:fail 330103:0/1:pass " "county counts of schools below"
is "$(eduhq indicators --indicator CUR.ML.SHARE --format csv | awk -F, 'NR>1{printf "%s:%.4f:%s ", $4, $7, $11}')" \
	"3301020001:0.0667:na 3301020002:0.0667:na 3301020003:0.0588:na 3301030001:0.0938:fail " \
	"道德与法治 share: the nine-year school at 9.4% fails, single-stage schools are judged by county"
# 330102: primary 一小 二小 (2/30), junior 一中 (2/34): (6*2 + 3*2) / (6*30 + 3*34) = 18/282
is "$(eduhq indicators --indicator CUR.ML.COUNTY --format csv | awk -F, 'NR>1{printf "%s:%.6f:%s ", $4, $7, $11}')" \
	"330102:0.063830:pass 330103:0.093750:fail " "county nine-year shares"
done_testing
