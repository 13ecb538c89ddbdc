#!/bin/sh
# t4180-api-whatif.sh: POST /whatif against a real `eduhq serve` on the demo city: each of
# the three proposals applied to the server's resident facts, the changed rows checked
# against values computed by hand from the registry; the database unchanged; after a write
# the what-if computes on the written data; who may ask; bad proposals refused naming the
# field.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18825 18849"
. "$(dirname "$0")/lib-serve.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
q() { sqlite3 "$EDUHQ_DB" "$1"; }
for u in admin:city_admin analyst:city_analyst county:county_user:--area:390521 school:school_user:--school:3905210001; do
	nm=${u%%:*} rest=${u#*:}
	echo "password-$nm-1" | eduhq user add $nm --role $(echo "$rest" | tr ':' ' ') --password-stdin >/dev/null
	eval "TOK_$nm=\$(user_token $nm)"
done
serve_start
api "$TOK_admin" POST /runs '{"as_of":"2025-09-30"}'
RUN=$(echo "$body" | jq -r .id)
state() { q "SELECT (SELECT count(*) FROM eval_run), (SELECT count(*) FROM result_chunk), (SELECT max(id) FROM audit_log)"; }
before=$(state)
whatif() { api "${2:-$TOK_admin}" POST /whatif "$1"; }
# row IND KIND UNIT: [numerator, denominator, value] before and after of a changed row
row() {
	echo "$body" | jq -c --arg i "$1" --arg k "$2" --arg u "$3" '.changed[] | select((.before // .after) |
		.indicator == $i and .unit_kind == $k and .unit_id == $u) | [(.before | if . then [.numerator,
		.denominator, .value] else null end), (.after | if . then [.numerator, .denominator, .value] else null end)]'
}

# --- closing the teaching point 双河乡枫林村教学点 (3905210011): its 21 pupils (grades 1-4:
# 6, 4, 4, 7, one class each) go to 江北县第一小学 (3905210001, 1293 pupils, 4 classes a grade)
TP=3905210011 RECV=3905210001
is "$(q "SELECT group_concat(pupils) FROM (SELECT pupils FROM grade_return WHERE school_code = '$TP' AND year = 2024 ORDER BY grade)")" \
	"6,4,4,7" "the teaching point's pupils by grade (2024)"
whatif '{"as_of":"2025-09-30","close_teaching_point":{"school":"'$TP'","receiving_school":"'$RECV'"}}'
is "$code $(echo "$body" | jq -c '[.year, .kind, .mechanisms]')" '200 [2024,"close_teaching_point",["balance"]]' \
	"a teaching point closed: balance computed"
is "$(row BAL.SIZE school $RECV)" '[[1293,null,1293],[1314,null,1314]]' "the receiving school has 1293 + 21 = 1314 pupils"
# sections of 3905210001 (class_section 2024): grade 1 51 51 50 50, grade 2 56 x4, grade 3 58 58 57 57,
# grade 4 55 54 54 54, grades 5-6 under 56. Each pupil joins the smallest section of its grade:
# grade 1 +6 -> 52 x4, grade 2 +4 -> 57 x4, grade 3 +4 -> 59 59 58 58, grade 4 +7 -> 56 x4.
# Large classes (56 or more): 8 of 24 before (grades 2 and 3), 12 of 24 after (grades 2, 3, 4).
is "$(row BAL.CLASS.LARGE school $RECV)" '[[8,24,0.3333333333],[12,24,0.5]]' \
	"large classes at the receiving school: 8/24 -> 12/24, computed by hand from its sections"
tp_assoc=$(q "SELECT count(*) FROM posting p JOIN teacher t ON t.code = p.teacher_code WHERE p.school_code = '$TP'
	AND p.start_date <= '2024-09-01' AND (p.end_date IS NULL OR p.end_date >= '2024-09-01')
	AND t.education IN ('associate', 'bachelor', 'master', 'doctor')")
is "$(row BAL.L1 school $RECV | jq -c '[.[0][0], .[1][0], .[1][1]]')" "[69,$((69 + tp_assoc)),1314]" \
	"L1 at the receiving school: its 69 qualified teachers plus the teaching point's $tp_assoc, per 1314 pupils"
is "$(row BAL.L1 school $RECV | jq '.[1][2] - (.[1][0] / .[1][1] * 100) | fabs < 1e-8')" true "L1 = teachers / pupils x 100"
stored=$(rsql "SELECT count(*) FROM result WHERE run_id = $RUN AND unit_id = '$TP' AND indicator LIKE 'BAL.%'")
is "$(echo "$body" | jq --arg u $TP '[.changed[] | select(.before.unit_id == $u and .after == null)] | length') $(echo "$body" | jq .counts.removed)" \
	"$stored $stored" "every one of the teaching point's $stored balance rows vanishes, and nothing else"
is "$(echo "$body" | jq -c '[.changed[] | select(.after.unit_id == "'$TP'")] | length')" 0 "no row of it is left"
ok $(echo "$body" | jq -e '[.changed[] | select(.before.unit_kind == "county")] | all(.before.unit_id == "390521")' >/dev/null && echo 0 || echo 1) \
	"only the county of the two schools changes"

# --- a teacher exchange: T0000002 (bachelor, PE, full-time, no backbone title) from
# 江城区第一小学 3905020001 (county 390502) to 3905210001 for the school year
is "$(q "SELECT education || ' ' || subject || ' ' || full_time || ' ' || backbone_level FROM teacher WHERE code = 'T0000002'")" \
	"bachelor pe 1 none" "the exchanged teacher's categories"
whatif '{"as_of":"2025-09-30","teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}'
is "$code $(echo "$body" | jq -c '[.mechanisms, .counts]')" '200 [["balance","teachers"],{"changed":16,"added":0,"removed":0}]' \
	"an exchange: balance and teachers computed, 16 rows change"
is "$(row BAL.L1 school 3905020001 | jq -c '[.[0][0], .[1][0], .[1][1]]') $(row BAL.L1 school 3905210001 | jq -c '[.[0][0], .[1][0], .[1][1]]')" \
	"[82,81,1561] [69,70,1293]" "L1 (qualified teachers per 100 pupils): one fewer at the sending school, one more at the receiving"
is "$(row BAL.L3 school 3905020001 | jq -c '[.[0][0] - .[1][0], (.[1][2] - .[1][0] / .[1][1] * 100 | fabs < 1e-8)]') $(row BAL.L3 school 3905210001 | jq -c '[.[1][0] - .[0][0]]')" \
	"[1,true] [1]" "L3 (PE and arts teachers): the same move of one"
is "$(row BAL.L2 school 3905020001)" "" "L2 (backbone teachers) does not change: the teacher has no backbone title"
is "$(row TCH.EXCH.SHARE county 390502 | jq -c .)" '[[44,1992,0.02208835341],[45,1992,0.02259036145]]' \
	"the county's exchange share: 44/1992 -> 45/1992"
is "$(row TCH.EXCH.SHARE city 390500 | jq -c '[.[0][0], .[1][0], .[1][1]]')" "[120,121,7424]" "and the city's: 120 -> 121 of 7424"
first=$(echo "$body" | jq -c '[.counts, .changed]')
whatif '{"as_of":"2025-09-30","teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}'
is "$(echo "$body" | jq -c '[.counts, .changed]')" "$first" \
	"the same exchange again answers the same rows: the teacher changed in the resident facts was put back"

# --- a new school in 江北县 (390521): 90 pupils in grades 1 and 2, two classes each, ten
# teachers (9 qualified, 1 backbone, 2 PE/arts), its buildings and equipment
whatif '{"as_of":"2025-09-30","new_school":{"code":"3905219901","name":"江北县新区小学","area_code":"390521102000","type":"primary","urban_rural":"111","declared_seats":540,"pupils":{"1":90,"2":90},"classes":{"1":2,"2":2},"teachers":{"total":10,"associate_plus":9,"backbone":1,"pe_art_fulltime":2},"facility":{"teaching_aux_area":900,"indoor_sports_area":360,"sports_ground_area":1800,"equipment_value":540000,"multimedia_rooms":5,"computers":40,"books":5400}}}'
is "$code $(echo "$body" | jq -c '[.changed[] | select(.after.unit_id == "3905219901") | [.after.indicator, .after.value]]')" \
	'200 [["BAL.CLASS.LARGE",0],["BAL.CLASS.OVER",0],["BAL.CLASS.SUPER",0],["BAL.L1",5],["BAL.L2",0.5555555556],["BAL.L3",1.111111111],["BAL.L4",3],["BAL.L5",12],["BAL.L6",3000],["BAL.L7",2.777777778],["BAL.SCHOOL",5],["BAL.SIZE",180]]' \
	"the new school's rows by hand: L1 9/180x100, L2 1/180x100, L3 2/180x100, L4 (900-360)/180, L5 (360+1800)/180, L6 540000/180, L7 5/180x100; 5 of 7 standards met (L2 under 1, L4 under 4.5); 180 pupils"
is "$(echo "$body" | jq '[.changed[] | select(.before != null and .before.unit_kind != "county")] | length')" 0 \
	"no other school changes"
is "$(row BAL.CV.L1 county 390521 | jq '.[0][2] != .[1][2]')" true "the county's L1 CV moves"
# seats: its 540 declared seats, all primary (its classes are), in the county's capacity every
# forecast year: each primary SEAT.GAP row's seats (denominator) up by 540, its gap down by 540
is "$(echo "$body" | jq -c '[.mechanisms, ([.changed[] | select(.after.indicator == "SEAT.GAP" and
	.after.stage == "primary") | [.after.unit_id, (.after.denominator - .before.denominator),
	(.before.value - .after.value)] | map(if type == "number" then . * 1000 | round / 1000 else . end)] | unique)]')" \
	'[["balance","seats"],[["390521",540,540]]]' "seats: the county's primary seats up by the 540 declared, each year's gap down by 540"
is "$(echo "$body" | jq -c '[.changed[] | (.before // .after) | select(.indicator | startswith("SEAT.")) | .unit_id] | unique')" \
	'["390521"]' "no other county's seats rows change"

is "$(state)" "$before" "no what-if stored a run or a result, or wrote an audit entry"

# --- after a write, the what-if computes on the written data (balance patched by row)
api "$TOK_admin" PUT /tables/grade_return/rows/$RECV,2024,1 '{"school_code":"'$RECV'","year":"2024","grade":"1","classes":"4","pupils":"212","boys":"110","girls":"102","migrant":"0","boarders":"0"}'
is "$code" 200 "10 more first-graders written at the receiving school"
whatif '{"as_of":"2025-09-30","close_teaching_point":{"school":"'$TP'","receiving_school":"'$RECV'"}}'
is "$(row BAL.SIZE school $RECV | jq -c '[.[0][0], .[1][0]]') $(echo "$body" | jq -c '[.resident.patched, .resident.reloaded]')" '[1303,1324] [["balance"],[]]' \
	"the baseline has the write (1303): balance was patched, nothing loaded again"
ok $(echo "$body" | jq -e '.seconds.apply_and_compute >= 0 and .resident.bytes > 0' >/dev/null && echo 0 || echo 1) \
	"the answer reports its seconds and the resident bytes"

# --- who may ask
whatif '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}' "$TOK_analyst"
is "$code" 200 "the city analyst may"
whatif '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}' "$TOK_county"
is "$code" 403 "a county user may not"
whatif '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}' "$TOK_school"
is "$code" 403 "a school user may not"
whatif '{"teacher_exchange":{}}' -
is "$code" 401 "nor anyone signed out"

# --- bad proposals: 422 naming the field; nothing changes
bad() { # bad JSON MESSAGE
	whatif "$1"
	is "$code $(echo "$body" | jq -r .error.message)" "422 $2" "refused: $2"
}
before=$(state)
bad '{"close_teaching_point":{"school":"'$TP'","receiving_school":"39052100XX"}}' \
	"close_teaching_point.receiving_school: no school '39052100XX'"
bad '{"close_teaching_point":{"school":"'$RECV'","receiving_school":"3905210002"}}' \
	"close_teaching_point.school: '$RECV' is not a teaching point (教学点)"
bad '{"close_teaching_point":{"school":"'$TP'","receiving_school":"'$TP'"}}' \
	"close_teaching_point.receiving_school: the teaching point itself"
bad '{"close_teaching_point":{"school":"'$TP'"}}' "close_teaching_point.receiving_school: required"
bad '{"teacher_exchange":{"teacher":"TX","from_school":"3905020001","to_school":"3905210001"}}' \
	"teacher_exchange.teacher: no teacher 'TX'"
bad '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020002","to_school":"3905210001"}}' \
	"teacher_exchange.from_school: teacher 'T0000002' is posted at '3905020001' on 2024-09-01, not at '3905020002'"
bad '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"X"}}' \
	"teacher_exchange.to_school: no school 'X'"
bad '{"teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001","days":3}}' \
	"teacher_exchange.days: unknown field"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390599001000","type":"primary","urban_rural":"111"}}' \
	"new_school.area_code: no area '390599001000'"
bad '{"new_school":{"code":"3905210001","name":"x","area_code":"390521102000","type":"primary","urban_rural":"111"}}' \
	"new_school.code: school '3905210001' exists"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390521102000","type":"castle","urban_rural":"111"}}' \
	"new_school.type: 'castle': not one of primary (小学), junior (初级中学), nine_year (九年一贯制学校), complete_middle (完全中学), twelve_year (十二年一贯制学校), senior (高级中学), vocational (中等职业学校), special (特殊教育学校)"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390521102000","type":"primary","urban_rural":"111","pupils":{"13":5}}}' \
	"new_school.pupils: '13' is not a grade (1-12)"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390521102000","type":"primary","urban_rural":"111","pupils":{"1":5}}}' \
	"new_school.classes.1: pupils in grade 1 need a class"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390521102000","type":"primary","urban_rural":"111","teachers":{"total":1,"backbone":2}}}' \
	"new_school.teachers.backbone: more than total"
bad '{"new_school":{"code":"3905219901","name":"x","area_code":"390521102000","type":"primary","urban_rural":"111","colour":"red"}}' \
	"new_school.colour: not a column of school"
bad '{}' "new_school: one of new_school, close_teaching_point, teacher_exchange"
bad '{"close_teaching_point":{},"teacher_exchange":{}}' \
	"proposal: one of new_school, close_teaching_point, teacher_exchange"
bad '{"year":1800,"close_teaching_point":{}}' "year: 1990-2100"
is "$(state)" "$before" "and nothing was written"

# --- the CLI: the same proposal from a file, the same rows
P='{"as_of":"2025-09-30","teacher_exchange":{"teacher":"T0000002","from_school":"3905020001","to_school":"3905210001"}}'
echo "$P" >"$T/p.json"
whatif "$P"
is "$(eduhq eval --what-if "$T/p.json" | jq -c '[.counts, .changed]')" "$(echo "$body" | jq -c '[.counts, .changed]')" \
	"eduhq eval --what-if FILE answers the rows the API does"
printf '{"teacher_exchange":\n  {"teacher": }}\n' >"$T/bad.json"
run eduhq eval --what-if "$T/bad.json"
is "$rc $err" "2 eduhq: $T/bad.json:2:15: unexpected token near '}'" "a malformed file: its line and column"
echo '{"teacher_exchange":{"teacher":"TX","from_school":"3905020001","to_school":"3905210001"}}' >"$T/bad.json"
run eduhq eval --what-if "$T/bad.json"
is "$rc $err" "1 eduhq: teacher_exchange.teacher: no teacher 'TX'" "a bad proposal: the API's message"
is "$(state)" "$before" "and the CLI stored nothing either"
done_testing
