#!/bin/sh
# t4200-runs-compare.sh: GET /runs/compare?a=&b= says what changed between two stored runs,
# computed by the server in the caller's scope: per indicator each run's verdicts and how many
# rows are the same, changed (numbers or verdict), added or removed; the changed rows in key
# order with before and after; whether the data and the rule versions differ. Hand-computed
# on a two-county city: between the runs a school goes from 2 to 3 classes of 100 pupils
# (class over 45: 2 of 2 classes → 0 of 3), a new school of 30 pupils in 1 class opens in
# the other county, and the school size limit goes from 2000 to 2500 (a new rule version).
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18200 18209"
. "$(dirname "$0")/lib-serve.sh"

two_counties_city
printf 'school_code,year,grade,classes,pupils\n3301020001,2024,1,2,100\n3301020002,2024,1,1,40\n3301030001,2024,1,2,80\n' \
	>"$T/grade_return.csv"
import_or_bail "$T" grade_return
eduhq eval balance --year 2024 >/dev/null
eduhq rules set balance.school_size max=2500 >/dev/null
printf 'code,name,area_code,type,urban_rural\n3301030002,江西二小,330103,primary,111\n' >"$T/school.csv"
printf 'school_code,year,grade,classes,pupils\n3301020001,2024,1,3,100\n3301030002,2024,1,1,30\n' >"$T/grade_return.csv"
import_or_bail "$T" school grade_return
eduhq eval balance --year 2024 >/dev/null
serve_start

sum() { echo "$body" | jq -c ".indicators[] | select(.indicator == \"$1\") | [.same, .changed, .verdict_changed, .added, .removed]"; }
rows() { echo "$body" | jq -c '[.rows[] | [.unit_kind, .unit_id, (.a | if . then [.numerator, .denominator, .verdict] else null end), (.b | if . then [.numerator, .denominator, .verdict] else null end)]]'; }

api "$TOK_analyst" GET '/runs/compare?a=1&b=2'
is "$code $(echo "$body" | jq -c '[.a.id, .b.id, .same_data, .rules_changed]')" \
	'200 [1,2,false,[{"rule":"balance.school_size","a":1,"b":2}]]' "the runs, their data differ, one rule's version changed"
is "$(sum BAL.SIZE)" "[1,4,0,1,0]" \
	"school size: 3 schools' limit 2000 → 2500 and 江西区's school count 1 → 2 changed, the new school added, 江东区 the same"
is "$(sum BAL.CLASS.OVER)" "[2,3,2,1,0]" \
	"classes over 45: 江东区 and 江东一小 fail → pass, 江西区 2 → 3 classes, 江西二小 added; two schools the same"
is "$(echo "$body" | jq -c '.indicators[] | select(.indicator == "BAL.CLASS.OVER") | [.a, .b]')" \
	'[{"pass":3,"warn":0,"fail":2,"na":0},{"pass":6,"warn":0,"fail":0,"na":0}]' "each run's verdicts"
is "$(sum BAL.COUNTY)" "[2,0,0,0,0]" "an indicator that did not change is listed, all the same"
is "$(echo "$body" | jq -r '[.indicators[].indicator] | (. == sort) and (length == 22)')" true \
	"every indicator of either run, in code order"

api "$TOK_analyst" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER'
is "$(rows)" '[["county","330102",[2,3,"fail"],[0,4,"pass"]],["county","330103",[0,2,"pass"],[0,3,"pass"]],["school","3301020001",[2,2,"fail"],[0,3,"pass"]],["school","3301030002",null,[0,1,"pass"]]]' \
	"the changed rows in key order: 2/3 classes over → 0/4; 0/2 → 0/3; 2/2 → 0/3; added 0/1"
is "$(echo "$body" | jq -c '.rows[0].a')" '{"value":0.6666666667,"numerator":2,"denominator":3,"threshold":45,"verdict":"fail"}' \
	"each side: value, numerator, denominator, threshold, verdict"
is "$(echo "$body" | jq -c '[.indicators[].indicator]')" '["BAL.CLASS.OVER"]' "?indicator= compares that indicator only"

api "$TOK_analyst" GET '/runs/compare?a=2&b=1&indicator=BAL.CLASS.OVER'
is "$(sum BAL.CLASS.OVER) $(echo "$body" | jq -c '.rows[3] | [.unit_id, .a.denominator, .b]')" '[2,3,2,0,1] ["3301030002",1,null]' \
	"the other way round the new school is removed"

api "$TOK_analyst" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER&limit=3'
is "$(echo "$body" | jq -c '[(.rows | length), .next_cursor, (.indicators[0].changed)]')" '[3,"o3",3]' \
	"a page of 3 rows; the counts cover every row"
api "$TOK_analyst" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER&limit=3&cursor=o3'
is "$(echo "$body" | jq -c '[[.rows[].unit_id], .next_cursor]')" '[["3301030002"],null]' "the next page"

api "$TOK_analyst" GET '/runs/compare?a=2&b=2'
is "$(echo "$body" | jq -c '[.same_data, .rules_changed, ([.indicators[] | .changed + .added + .removed] | add), (.rows | length)]')" \
	'[true,[],0,0]' "a run against itself: nothing changed"

# scope: a county user compares its county, a school user its school
api "$TOK_county" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER'
is "$code $(rows)" '200 [["county","330102",[2,3,"fail"],[0,4,"pass"]],["school","3301020001",[2,2,"fail"],[0,3,"pass"]]]' \
	"江东区's user sees its county's rows only"
is "$(sum BAL.CLASS.OVER)" "[1,2,2,0,0]" "... and counts only them"
api "$TOK_county" GET '/runs/compare?a=1&b=2&area=330103'
is "$code $(echo "$body" | jq -c '[.indicators, .rows]')" '200 [[],[]]' "another county's area: nothing"
api "$TOK_school" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER'
is "$(rows)" '[["school","3301020001",[2,2,"fail"],[0,3,"pass"]]]' "a school user: its school"
api "$TOK_admin" GET '/runs/compare?a=1&b=2&indicator=BAL.CLASS.OVER&school=3301030002'
is "$(rows)" '[["school","3301030002",null,[0,1,"pass"]]]' "?school= narrows"

# errors
api "$TOK_analyst" GET '/runs/compare?a=1&b=9'
is "$code $(echo "$body" | jq -r .error.message)" "404 no evaluation run 9" "an unknown run"
api "$TOK_analyst" GET '/runs/compare?a=1'
is "$code $(echo "$body" | jq -r .error.message)" "400 give the two runs to compare: ?a=ID&b=ID" "b missing"
api "$TOK_analyst" GET '/runs/compare?a=1&b=2&cursor=x'
is "$code" 400 "a cursor the server did not give"
api - GET '/runs/compare?a=1&b=2'
is "$code" 401 "signed in only"

# the CLI compares the same way (svc_runs_compare)
run eduhq indicators --run 1 --against 2 --indicator BAL.CLASS.OVER --format csv
is "$rc $(echo "$out" | cut -d, -f3,7-9,11-13 | tr '\n' ' ')" \
	"0 unit_id,numerator_a,denominator_a,verdict_a,numerator_b,denominator_b,verdict_b 330102,2,3,fail,0,4,pass 330103,0,2,pass,0,3,pass 3301020001,2,2,fail,0,3,pass 3301030002,,,,0,1,pass " \
	"eduhq indicators --run 1 --against 2: the same rows"
run eduhq indicators --run 1 --against 2 --area 330103 --indicator BAL.CLASS.OVER --format csv
is "$(echo "$out" | cut -d, -f3 | tail -n +2 | tr '\n' ' ')" "330103 3301030002 " "--area narrows"
run eduhq indicators --against 2
is "$rc $(echo "$err" | head -1)" "2 eduhq: --against needs --run (and no --year or --verdict)" "--against needs --run"
run eduhq indicators --run 1 --against 7
is "$rc $(echo "$err" | head -1)" "1 eduhq: no evaluation run 7" "an unknown run"
done_testing
