#!/bin/sh
# t3020-eval-demo.sh: `eduhq eval balance` on the demo city (临江市): the county built to fail
# the primary L5 CV (sports area per pupil) fails it with its evidence; every other county
# passes every CV.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }

run eduhq eval balance
is "$rc" 0 "eval balance on the demo city"
is "$(echo "$out" | grep 'BAL\.CV\.' | sed 's/  */ /g')" \
	" BAL.CV.L5 county 390522 primary 2024 value $(eduhq indicators --indicator BAL.CV.L5 --area 390522 --format csv | awk -F, '$5 == "primary" { printf "%.3f", $7 }') threshold 0.5" \
	"the summary lists one failing CV: L5 of 青山县 (390522), primary"

run eduhq indicators --format csv
cv=$(echo "$out" | awk -F, '$2 ~ /^BAL\.CV\./ && $3 == "county"')
is "$(echo "$cv" | awk -F, '$11 == "fail" { print $2, $4, $5 }')" "BAL.CV.L5 390522 primary" \
	"only 390522 fails, and only L5 primary"
is "$(echo "$cv" | awk -F, '$11 != "pass" && $11 != "fail"' | wc -l)" 0 "no CV is n.a. or warned"
is "$(echo "$cv" | awk -F, '{ print $4 }' | sort -u | tr '\n' ' ')" \
	"$(sqlite3 "$EDUHQ_DB" "SELECT code FROM area WHERE level = 'county' ORDER BY 1" | tr '\n' ' ')" \
	"every county has CV verdicts"
ok $([ "$(echo "$cv" | awk -F, '$11 == "pass"' | wc -l)" -ge 60 ] && echo 0 || echo 1) \
	"the other counties pass every CV, both stages"
is "$(echo "$out" | awk -F, '$2 == "BAL.COUNTY" && $4 == "390522" && $5 == "primary" { print $11 }')" \
	fail "青山县's overall primary verdict fails"

run eduhq indicators --indicator BAL.COUNTY --area 390522 --format json
ok $(echo "$out" | grep -q '"failing":\["BAL.CV.L5"\]' && echo 0 || echo 1) \
	"the overall verdict names the failing L5 CV"

run eduhq indicators --indicator BAL.CV.L5 --area 390522 --format json
printf '%s' "$out" >"$T/l5.json"
q() { sqlite3 :memory: "SELECT $1 FROM json_each(json_extract(readfile('$T/l5.json'), '\$.results'))
	WHERE json_extract(value, '\$.stage') = 'primary'"; }
is "$(q "json_extract(value, '\$.evidence.threshold')")" 0.5 "the evidence gives the threshold"
n_schools=$(q "json_array_length(json_extract(value, '\$.evidence.schools'))")
ok $([ "$n_schools" -ge 5 ] && echo 0 || echo 1) "the evidence lists the school values ($n_schools schools)"
is "$(q "json_array_length(json_extract(value, '\$.evidence.pulling_up'))")" 5 \
	"and the five schools pulling the CV up most"
is "$(q "json_extract(value, '\$.evidence.pulling_up[0].cv_without') < json_extract(value, '\$.value')
	AND json_extract(value, '\$.evidence.pulling_up[0].cv_drop') >= json_extract(value, '\$.evidence.pulling_up[4].cv_drop')")" \
	1 "each with the CV without it, largest drop first"
is "$(q "substr(json_extract(value, '\$.evidence.pulling_up[0].school'), 1, 6)")" 390522 \
	"the pulling schools are the county's"
top=$(q "json_extract(value, '\$.evidence.pulling_up[0].school')")
top_name=$(sqlite3 "$EDUHQ_DB" "SELECT name FROM school WHERE code = '$top'")
is "$(q "json_extract(value, '\$.evidence.pulling_up[0].name')")" "$top_name" \
	"each named as in the school registry ($top_name)"

run eduhq indicators --indicator BAL.CV.L5 --area 390522
ok $(echo "$out" | grep -q "^    CV 0\\.[0-9]* above 0\\.50; pulling up most: $top $top_name (" && echo 0 || echo 1) \
	"the table shows the evidence line, schools by code and name"

done_testing
