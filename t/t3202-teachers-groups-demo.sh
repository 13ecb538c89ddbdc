#!/bin/sh
# t3202-teachers-groups-demo.sh: the teachers and groups engines on the demo city 临江市:
# `eduhq eval` with no argument runs them; coverage 85/125 = 68% of the public compulsory
# schools; 120 urban->rural exchanges in 2024 with a quarter backbone teachers; the 50 senior
# applicants (30 eligible, 12 eligible nationally but not under the city's 2 years, 8 not
# eligible), the 12 listed by `teachers eligibility`; rural members' 优秀率 12% -> 28% against
# 11.5% -> 14% outside groups, a distinguishable difference in differences.
. "$(dirname "$0")/lib.sh"

run eduhq demo --out "$T/demo" --quiet
is "$rc" 0 "demo city imported"
run eduhq eval
is "$rc" 0 "eval with no argument"
run_id=$(sqlite3 "$EDUHQ_DB" "SELECT max(id) FROM eval_run")
is "$(sqlite3 "$EDUHQ_DB" "SELECT mechanisms FROM eval_run WHERE id = $run_id" | tr , '\n' | grep -cx 'teachers\|groups')" \
	2 "runs every mechanism, teachers and groups among them"
echo "$out" | grep -q '^teachers: [0-9]* results' && echo "$out" | grep -q '^groups: [0-9]* results'
ok $? "the summary has a line for each"
q() { rsql "SELECT $1 FROM result WHERE run_id = $run_id AND $2"; }

is "$(q "value || ' ' || numerator || '/' || denominator || ' ' || json_extract(evidence, '\$.denominator')" \
	"indicator = 'GRP.COVERAGE' AND unit_kind = 'city'")" "0.68 85.0/125.0 public_compulsory" \
	"15 groups cover 85 of the 125 public compulsory schools: 68%, denominator named"
is "$(q "count(*)" "indicator = 'GRP.MEMBERS'")" 15 "one row per group"
is "$(q "value || ' ' || year" "indicator = 'TCH.EXCH.URBAN_RURAL' AND unit_kind = 'city'")" \
	"120.0 2024" "120 urban->rural exchanges in 2024"
is "$(q "value || ' ' || numerator || '/' || denominator || ' ' || verdict" \
	"indicator = 'TCH.EXCH.BACKBONE' AND unit_kind = 'city'")" "0.25 30.0/120.0 pass" \
	"a quarter of those exchanged are backbone teachers (>= 20%)"
is "$(q "numerator || '/' || denominator || ' ' || json_extract(evidence, '\$.national_only') || ' ' || json_extract(evidence, '\$.not_eligible')" \
	"indicator = 'TCH.APPLICANTS' AND unit_kind = 'city'")" "30.0/50.0 12 8" \
	"50 applicants: 30 eligible, 12 eligible nationally only, 8 not eligible"

run eduhq teachers eligibility --status national-only --format csv
is "$rc" 0 "the teachers failing only the city rule"
listed=$(echo "$out" | sed 1d | cut -d, -f1 | tr '\n' ' ')
is "$(echo "$out" | sed 1d | wc -l | tr -d ' ')" 12 "12 are listed"
is "$(q "json_extract(evidence, '\$.national_only_teachers')" "indicator = 'TCH.APPLICANTS' AND unit_kind = 'city'" |
	tr -d '[]"' | tr ',' ' ') " "$listed" "the same teachers as the run's evidence"
is "$(echo "$out" | sed 1d | cut -d, -f5,6,7,10 | sort -u)" \
	"first,senior,eligible nationally only,rural service 1.49 of 2.0 years (city rule; national 1.0 met)" \
	"each: 一级 -> 高级 with a year and a half of rural service, short of the city's 2.0"
sed 1d "$T/demo/teacher.csv" | cut -d, -f3 >"$T/ids"
ok $(echo "$out" | grep -F -q -f "$T/ids" && echo 1 || echo 0) "no clear ID number in the listing"
is "$(echo "$out" | sed 1d | cut -d, -f3 | grep -c '^3905[0-9][0-9]\*\{8\}[0-9]\{3\}[0-9X]$')" 12 \
	"each shown masked"
run eduhq teachers eligibility --status not-eligible --format csv
is "$(echo "$out" | sed 1d | cut -d, -f10 | sort -u)" \
	"rural service 0.49 of 1.0 years (national rule; city rule 2.0)" \
	"the 8 others lack even the national year (one term of support teaching)"
is "$(echo "$out" | sed 1d | wc -l | tr -d ' ')" 8 "8 not eligible"

is "$(q "numerator || '/' || denominator || ' ' || round(value, 3) || ' ' || verdict" "indicator = 'TCH.ACT.RURAL'")" \
	"989.0/1032.0 0.958 pass" "989 of the 1,032 rural teachers took part in research activities (>= 95%)"
is "$(q "value || ' ' || numerator" "indicator = 'TCH.ACT.SEND'")" "36.0 48.0" \
	"36 送教下乡 in 2024 covering 48 schools"

is "$(q "round(value, 2)" "indicator = 'GRP.RURAL.EXCELLENT' AND year = 2022") $(q "round(value, 2)" "indicator = 'GRP.RURAL.EXCELLENT' AND year = 2024")" \
	"0.12 0.28" "rural members' 优秀率 12% (2022) -> 28% (2024)"
is "$(q "round(value, 3)" "indicator = 'GRP.CONTROL.EXCELLENT' AND year = 2022") $(q "round(value, 2)" "indicator = 'GRP.CONTROL.EXCELLENT' AND year = 2024")" \
	"0.115 0.14" "comparable rural schools outside groups 11.5% -> 14%"
is "$(q "round(value, 3) || ' ' || verdict || ' ' || json_extract(evidence, '\$.statement')" "indicator = 'GRP.DID'")" \
	"0.135 pass rural members improved more than comparable rural schools outside groups" \
	"the rise is not only the city-wide one: DiD 0.159 - 0.024 = 0.135"

done_testing
