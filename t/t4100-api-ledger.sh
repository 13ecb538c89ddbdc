#!/bin/sh
# t4100-api-ledger.sh: the hazard ledger and the plan tasks through the API, against a real
# `eduhq serve`: each step with the CLI's rules and messages, recorded under the signed-in
# user and audited with the client's address; county and school users only on their own
# scope (another county's hazard answers exactly like one that does not exist, a hazard at
# another county's school is refused), the analyst reads only; lists with filters.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18100 18149"
. "$(dirname "$0")/lib-serve.sh"

two_counties_city
q() { sqlite3 "$EDUHQ_DB" "$1"; }
eduhq hazard add --school 3301030001 --category fire --description 西区隐患 --code HZ-WEST --found 2025-03-01 \
	--date 2025-03-01 --as 西区 >/dev/null
serve_start

# --- hazards: a major hazard walked through every step by the county user ---
api "$TOK_county" POST /hazards '{"school":"3301020001","category":"fire","description":"灭火器过期","major":true,"found":"2025-03-01","date":"2025-03-02"}'
is "$code $(echo "$body" | jq -c '[.code, .state, .state_zh, .is_major, .school_code, .found_date]')" \
	'201 ["HZ3301020001-001","registered","已登记",true,"3301020001","2025-03-01"]' "a county user adds a hazard at its county's school"
H=HZ3301020001-001
before=$(db_dump)
api "$TOK_county" POST /hazards '{"school":"3301030001","category":"fire","description":"x"}'
is "$code $(echo "$body" | jq -r .error.message)" "403 school '3301030001' is outside your scope" \
	"a hazard at another county's school is refused"
api "$TOK_county" POST /hazards '{"school":"3301039999","category":"fire","description":"x"}'
is "$code $(echo "$body" | jq -r .error.message)" "403 school '3301039999' is outside your scope" \
	"and one at a school that does not exist answers the same"
api "$TOK_admin" POST /hazards '{"school":"3301039999","category":"fire","description":"x"}'
is "$code $(echo "$body" | jq -r .error.message)" "422 no school '3301039999'" "the city admin is told the school does not exist"
api "$TOK_county" POST /hazards '{"school":"3301020001","category":"flood","description":"x"}'
is "$code $(echo "$body" | jq -r .error.message)" \
	"422 unknown hazard category 'flood' (known: drowning, building, fire, food, traffic, bullying, lab_chemicals, special_equipment, gas_electric, dormitory, surroundings, natural_disaster, epidemic, mental_health)" \
	"an unknown category: the CLI's message"
api "$TOK_county" POST /hazards '{"school":"3301020001","category":"fire"}'
is "$code $(echo "$body" | jq -c '.error.details')" '422 [{"field":"description","message":"required"}]' \
	"a missing field is named"
api "$TOK_analyst" POST /hazards '{"school":"3301020001","category":"fire","description":"x"}'
is "$code" 403 "the analyst adds nothing"
api "$TOK_county" POST /hazards/$H/close '{}'
is "$code $(echo "$body" | jq -r .error.message)" \
	"422 cannot close hazard '$H': it is registered (已登记); close needs accepted (已验收)" "an illegal step: the CLI's message"
api "$TOK_county" POST /hazards/$H/assign '{"responsible":"张校长","measures":"更换灭火器","deadline":"2025-04-30","funds":8000,"date":"2025-03-03"}'
is "$code $(echo "$body" | jq -r .error.message)" \
	"422 cannot assign major hazard '$H' (重大隐患): missing contingency_plan (应急预案); a major hazard needs all of (五落实) measures (整改措施), responsible (责任人), funds (整改资金), deadline (整改时限), contingency_plan (应急预案)" \
	"the five-item rule"
api "$TOK_county" POST /hazards/$H/assign '{"responsible":"张校长","measures":"更换灭火器","deadline":"2025-04-30","funds":"8000"}'
is "$code $(echo "$body" | jq -c '.error.details')" '422 [{"field":"funds","message":"must be a number"}]' "funds must be a number"
api "$TOK_county" POST /hazards/$H/start '{"date":"2025-13-01"}'
is "$code $(echo "$body" | jq -r .error.message)" "422 date: '2025-13-01' is not a date (YYYY-MM-DD)" "a bad date"
is "$(db_dump)" "$before" "nothing changed"

api "$TOK_county" POST /hazards/$H/assign '{"responsible":"张校长","measures":"更换灭火器","deadline":"2025-04-30","funds":8000,"contingency_plan":"停用三楼","date":"2025-03-03"}'
is "$code $(echo "$body" | jq -c '[.state, .responsible, .funds, .deadline, .contingency_plan]')" \
	'200 ["assigned","张校长",8000,"2025-04-30","停用三楼"]' "assigned with the five items"
api "$TOK_school" POST /hazards/$H/start '{"date":"2025-03-10"}'
is "$code $(echo "$body" | jq -r .state)" "200 rectifying" "the school user starts its school's hazard"
api "$TOK_analyst" POST /hazards/$H/accept '{"date":"2025-05-06"}'
is "$code" 403 "the analyst makes no step"
api "$TOK_admin" POST /hazards/$H/accept '{"date":"2025-05-06"}'
is "$code $(echo "$body" | jq -r .state)" "200 accepted" "the city admin accepts"
api "$TOK_county" POST /hazards/$H/close '{"date":"2025-05-08"}'
is "$code $(echo "$body" | jq -c '[.state, .closed_date, .overdue]')" '200 ["closed","2025-05-08",false]' "closed"
api "$TOK_county" GET /hazards/$H
is "$code $(echo "$body" | jq -r '.steps[] | "\(.seq) \(.from_state // "-") \(.to_state) \(.date) \(.actor)"' | tr '\n' ';')" \
	"200 1 - found 2025-03-01 county;2 found registered 2025-03-02 county;3 registered assigned 2025-03-03 county;4 assigned rectifying 2025-03-10 school;5 rectifying accepted 2025-05-06 admin;6 accepted closed 2025-05-08 county;" \
	"every step with the signed-in user who made it and its date"
is "$(echo "$body" | jq -c '.steps[2].detail')" \
	'{"measures":"更换灭火器","responsible":"张校长","deadline":"2025-04-30","contingency_plan":"停用三楼","funds":8000}' \
	"a step's detail"
is "$(q "SELECT count(*) FROM hazard_event WHERE hazard_code = '$H' AND recorded_at LIKE '20__-__-__T__:__:__Z'")" 6 \
	"and when each was recorded"

# --- scope: another county's hazard is absent ---
api "$TOK_county" GET /hazards/HZ-WEST
b1=$(echo "$body" | sed 's/HZ-WEST/KEY/')
c1=$code
api "$TOK_county" GET /hazards/HZ-NONE
is "$c1 $b1" "$code $(echo "$body" | sed 's/HZ-NONE/KEY/')" "another county's hazard answers exactly like one that does not exist"
is "$c1 $(echo "$b1" | jq -r .error.message)" "404 no hazard 'KEY'" "a 404"
api "$TOK_county" POST /hazards/HZ-WEST/assign '{"responsible":"x","measures":"y","deadline":"2025-04-30"}'
is "$code $(echo "$body" | jq -r .error.message)" "404 no hazard 'HZ-WEST'" "and cannot be stepped"
api "$TOK_admin" GET /hazards/HZ-WEST
is "$code $(echo "$body" | jq -r .steps[1].actor)" "200 西区" "the CLI's step under --as"

# --- lists ---
api "$TOK_admin" POST /hazards '{"school":"3301020002","category":"drowning","description":"水塘","code":"HZ-2","unregistered":true,"found":"2025-03-05"}'
is "$code $(echo "$body" | jq -r .state)" "201 found" "unregistered leaves it found"
api "$TOK_admin" POST /hazards/HZ-2/register '{"date":"2025-03-06"}'
api "$TOK_admin" POST /hazards/HZ-2/assign '{"responsible":"李","measures":"护栏","deadline":"2025-04-01","date":"2025-03-07"}'
is "$code $(echo "$body" | jq -r .state)" "200 assigned" "a general hazard needs three items"
api "$TOK_admin" GET '/hazards'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "HZ-2 HZ-WEST $H" "the admin lists every hazard"
api "$TOK_county" GET '/hazards'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "HZ-2 $H" "a county user only its county's"
api "$TOK_school" GET '/hazards'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "$H" "a school user only its school's"
api "$TOK_admin" GET '/hazards?overdue=1&as_of=2025-04-01'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")') $(echo "$body" | jq -r .as_of)" " 2025-04-01" "not overdue on its deadline day"
api "$TOK_admin" GET '/hazards?overdue=1&as_of=2025-04-02'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "HZ-2" "overdue the day after"
api "$TOK_admin" GET '/hazards?state=registered'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "HZ-WEST" "by state"
api "$TOK_admin" GET '/hazards?major=1&school=3301020001'
is "$(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "$H" "major, by school"
api "$TOK_admin" GET '/hazards?state=fixed'
is "$code $(echo "$body" | jq -r .error.message)" \
	"400 state: unknown state 'fixed' (found, registered, assigned, rectifying, accepted, closed)" "an unknown state"
api "$TOK_analyst" GET '/hazards?category=drowning'
is "$code $(echo "$body" | jq -r '[.hazards[].code] | join(" ")')" "200 HZ-2" "the analyst reads, by category"

# --- plan tasks ---
TASK='{"code":"TK-1","name":"新增学位","owner_unit":"规划科","target":100,"unit":"个","start_date":"2025-01-01","deadline":"2025-04-11","area_code":"330102"}'
api "$TOK_county" POST /tasks "$TASK"
is "$code" 403 "a county user adds no task"
api "$TOK_admin" POST /tasks "$TASK"
is "$code $(echo "$body" | jq -c '[.code, .target, .area_code]')" '201 ["TK-1",100,"330102"]' "the city admin adds one"
api "$TOK_admin" POST /tasks "$TASK"
is "$code $(echo "$body" | jq -r .error.message)" "422 task 'TK-1' already exists" "a taken code: the CLI's message"
api "$TOK_admin" POST /tasks '{"code":"TK-2","name":"西区","owner_unit":"江西区","target":10,"start_date":"2025-01-01","deadline":"2025-02-01","area_code":"330103"}'
api "$TOK_admin" POST /tasks '{"code":"TK-3","name":"x","owner_unit":"y","target":1,"start_date":"2025-02-01","deadline":"2025-01-31"}'
is "$code $(echo "$body" | jq -r .error.message)" "422 task 'TK-3': deadline 2025-01-31 is before its start 2025-02-01" "a deadline before the start"
api "$TOK_county" POST /tasks/TK-1/progress '{"value":30,"date":"2025-02-20","note":"第一批"}'
is "$code $(echo "$body" | jq -c '[.task_code, .value, .recorded_by, .replaced]')" '201 ["TK-1",30,"county",false]' \
	"a county user records progress of its county's task"
api "$TOK_county" POST /tasks/TK-1/progress '{"value":40,"date":"2025-02-20"}'
is "$code $(echo "$body" | jq -r .replaced)" "201 true" "a second entry for the date replaces the first"
before=$(db_dump)
api "$TOK_county" POST /tasks/TK-2/progress '{"value":3,"date":"2025-01-20"}'
is "$code $(echo "$body" | jq -r .error.message)" "403 task 'TK-2' is outside your scope" "not another county's task"
api "$TOK_school" POST /tasks/TK-1/progress '{"value":3,"date":"2025-01-20"}'
is "$code $(echo "$body" | jq -r .error.message)" "403 task 'TK-1' is outside your scope" "a school user records no task"
api "$TOK_analyst" POST /tasks/TK-1/progress '{"value":3,"date":"2025-01-20"}'
is "$code" 403 "nor does the analyst"
api "$TOK_admin" POST /tasks/TK-1/progress '{"value":50,"date":"2024-12-31"}'
is "$code $(echo "$body" | jq -r .error.message)" "422 task 'TK-1' starts on 2025-01-01; no progress on 2024-12-31" "no progress before the start"
api "$TOK_admin" POST /tasks/TK-9/progress '{"value":1}'
is "$code $(echo "$body" | jq -r .error.message)" "404 no task 'TK-9'" "an unknown task"
is "$(db_dump)" "$before" "nothing changed"
# 2025-01-01 .. 2025-04-11 is 100 days: on 2025-02-20 (day 50) the line is at 50 %; 40 lags at 10 % tolerance
api "$TOK_school" GET '/tasks?status=lagging&as_of=2025-02-20'
is "$code $(echo "$body" | jq -c '[.tasks[] | [.code, .status, .share, .expected]]')" '200 [["TK-1","lagging",0.4,0.5]]' \
	"lagging tasks, read by every role"
api "$TOK_analyst" GET '/tasks/TK-1?as_of=2025-02-20'
is "$code $(echo "$body" | jq -c '[.status, .progress_from, [.entries[] | [.date, .value, .recorded_by]]]')" \
	'200 ["lagging","entries",[["2025-02-20",40,"county"]]]' "one task with its entries and who recorded them"
api "$TOK_admin" GET '/tasks?status=late'
is "$code $(echo "$body" | jq -r .error.message)" "400 status: 'late' is not one of met, on_track, lagging, overdue" "an unknown status"

# --- the audit log: every write under the signed-in user, from the client's address ---
is "$(q "SELECT action || ' ' || user_name || ' ' || address || ' ' || row_key FROM audit_log WHERE action LIKE 'hazard.%' OR action LIKE 'task.%' ORDER BY id" | tr '\n' ';')" \
	"hazard.add cli:西区 cli HZ-WEST;hazard.add county 127.0.0.1 $H;hazard.assigned county 127.0.0.1 $H;hazard.rectifying school 127.0.0.1 $H;hazard.accepted admin 127.0.0.1 $H;hazard.closed county 127.0.0.1 $H;hazard.add admin 127.0.0.1 HZ-2;hazard.registered admin 127.0.0.1 HZ-2;hazard.assigned admin 127.0.0.1 HZ-2;task.add admin 127.0.0.1 TK-1;task.add admin 127.0.0.1 TK-2;task.progress county 127.0.0.1 TK-1,2025-02-20;task.progress county 127.0.0.1 TK-1,2025-02-20;" \
	"one entry per write, none for a refused one"
is "$(q "SELECT after FROM audit_log WHERE action = 'hazard.closed'" | jq -c '[.state, .closed_date]')" '["closed","2025-05-08"]' \
	"with the row after"
serve_stop
run eduhq audit verify
is "$rc" 0 "the chain verifies"

done_testing
