#!/bin/sh
# t3101-seats-demo.sh: `eduhq eval seats` and `eduhq forecast` on the demo city: the high-tech
# zone's primary shortage, reduced by the three nine-year schools due in 2026; the counties'
# surpluses with merger candidates; births scenarios labelled; forecast vintages scored.
. "$(dirname "$0")/lib.sh"

run eduhq init
run eduhq forecast
is "$rc:$err" "1:eduhq: no grade returns: nothing to forecast" "an empty registry has nothing to forecast"
rm -f "$EDUHQ_DB" "$EDUHQ_DB.key"

run eduhq demo --out "$T/demo" --quiet
is "$rc" 0 "demo city imported"
q() { rsql "$1"; }

run eduhq eval seats
is "$rc" 0 "eval seats exits 0"
run_id=$(q "SELECT max(id) FROM eval_run")
gap() { # gap AREA STAGE YEAR
	q "SELECT round(value) FROM result WHERE run_id = $run_id AND indicator = 'SEAT.GAP'
	   AND unit_id = '$1' AND stage = '$2' AND year = $3"
}
g25=$(gap 390571 primary 2025)
g26=$(gap 390571 primary 2026)
ok $([ "${g25%.*}" -gt 0 ] && echo 0 || echo 1) "high-tech zone: primary shortage in 2025 ($g25)"
is "$(q "SELECT verdict FROM result WHERE run_id = $run_id AND indicator = 'SEAT.GAP'
	AND unit_id = '390571' AND stage = 'primary' AND year = 2025")" fail "the shortage fails"
is "$(q "SELECT json_extract(evidence, '\$.project_seats') || ' ' ||
	json_array_length(json_extract(evidence, '\$.projects')) FROM result WHERE run_id = $run_id
	AND indicator = 'SEAT.GAP' AND unit_id = '390571' AND stage = 'primary' AND year = 2026")" \
	"2700 3" "2026: the three nine-year schools add 3 x 900 primary seats"
ok $([ "$(echo "$g26 < $g25 - 2000" | bc)" = 1 ] && echo 0 || echo 1) \
	"... which reduce the gap ($g25 -> $g26)"
is "$(q "SELECT count(*) FROM result WHERE run_id = $run_id AND indicator = 'SEAT.PROPOSAL'
	AND unit_id = '390571' AND stage = 'primary' AND year = 2025 AND value > 0")" 1 \
	"a proposal for the zone's primary shortage"
for c in 390521 390522 390523; do
	is "$(q "SELECT count(*) FROM result WHERE run_id = $run_id AND indicator = 'SEAT.SURPLUS'
		AND unit_id = '$c' AND stage = 'primary' AND verdict = 'warn'
		AND json_array_length(json_extract(evidence, '\$.merger_candidates')) > 0")" 1 \
		"county $c: persistent primary surplus with merger candidates"
done
city=$(q "SELECT round(sum(value)) FROM result WHERE run_id = $run_id AND indicator = 'SEAT.GAP'
	AND stage = 'primary' AND year = 2025")
ok $([ "${city%.*}" -lt 0 ] && echo 0 || echo 1) \
	"summed over the city primary 2025 has spare seats ($city): netting would hide the zone"

# births after the origin (2024) are a labelled scenario: grade 1 of 2031 is born in 2025
run eduhq forecast --area 390571 --format csv
is "$rc" 0 "forecast csv"
is "$(echo "$out" | head -1)" "area_code,area_name,stage,year,forecast,seats,gap,match,lo80,hi80,lo95,hi95,shortage,births_scenario" \
	"csv header"
is "$(echo "$out" | grep '^390571,[^,]*,primary,2030,' | awk -F, '{print $NF}')" "" \
	"2030 primary uses observed births only"
is "$(echo "$out" | grep '^390571,[^,]*,primary,2031,' | awk -F, '{print $NF}')" "mid" \
	"2031 primary uses the mid births scenario"
low=$(eduhq forecast --area 390571 --format csv --scenario low | grep ',primary,2034,' | cut -d, -f5)
high=$(eduhq forecast --area 390571 --format csv --scenario high | grep ',primary,2034,' | cut -d, -f5)
ok $([ "$(echo "$low < $high" | bc)" = 1 ] && echo 0 || echo 1) "low < high scenario ($low < $high)"
run eduhq forecast --area 390571 --horizon 1 --format json
is "$(echo "$out" | grep -o '"areas":\[{"code":"390571"' )" '"areas":[{"code":"390571"' "json names the area"
run eduhq forecast --area 999999
is "$rc:$err" "1:eduhq: no planning area '999999' (a county or district code)" "unknown area"

# town/street planning areas (the demo records births per county only: towns use levels)
run eduhq forecast --level town --area 390571001000 --horizon 1 --format csv
is "$(echo "$out" | cut -d, -f1-4 | tail -n +2 | tr '\n' ' ')" \
	"390571001000,杨柳街道,primary,2025 390571001000,杨柳街道,junior,2025 390571001000,杨柳街道,senior,2025 " \
	"a town's forecast"
run eduhq forecast --level town --area 390571
is "$rc:$err" "1:eduhq: no planning area '390571' (a town or street code)" "a county is not a town"

# the biennial assessment: a vintage from 2020, scored when 2021-2024 actuals exist
run eduhq eval seats --year 2020
is "$rc" 0 "eval seats --year 2020"
run eduhq eval seats
last=$(q "SELECT max(id) FROM eval_run")
is "$(q "SELECT group_concat(year) FROM (SELECT year FROM result WHERE run_id = $last AND
	indicator = 'SEAT.VINTAGE.MAPE' AND json_extract(evidence, '\$.origin_year') = 2020
	ORDER BY year)")" "2021,2022,2023,2024" "the 2020 vintage is scored at leads 1-4"
is "$(q "SELECT count(*) FROM forecast_vintage")" 2 "two vintages stored (a rerun adds none)"
is "$(q "SELECT count(*) FROM forecast_value WHERE vintage_id = (SELECT id FROM forecast_vintage
	WHERE origin_year = 2020) AND year = 2021")" "$((6 * 12))" "vintage rows: 6 counties x 12 grades a year"
done_testing
