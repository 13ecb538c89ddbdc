#!/bin/sh
# t3150-forecast-vintage.sh: the forecast vintage (issue 14): `eduhq forecast` prints the
# stored vintage of the latest `eval seats` when the data have not changed (read back from the
# store, not recomputed) and recomputes after an import changes them; prediction intervals in
# the table, JSON, CSV and the seat gaps ("certain" shortages); the method is the rule
# seats.forecast, recorded with each run.
. "$(dirname "$0")/lib.sh"

run eduhq demo --out "$T/demo" --quiet
is "$rc" 0 "demo city imported"
q() { rsql "$1"; }
f2025() { echo "$1" | awk '$1 == "390571" && $2 == "primary" && $3 == 2025 { print $4 }'; }

run eduhq forecast --area 390571
computed=$out
is "$(echo "$out" | sed -n 2p)" \
	"computed now: no stored vintage for these data (eduhq eval seats stores one)" \
	"nothing stored yet: computed now"
is "$(echo "$out" | sed -n 3p)" \
	"area         stage   year  forecast    80% interval     seats       gap  match" \
	"the table has the 80 % interval"
run eduhq eval seats
is "$rc" 0 "eval seats stores a vintage"
vid=$(q "SELECT max(id) FROM forecast_vintage")
created=$(q "SELECT created_at FROM forecast_vintage WHERE id = $vid")
is "$(q "SELECT count(*) FROM forecast_interval WHERE vintage_id = $vid")" 30 \
	"its intervals are stored: 3 stages x 10 leads"
ok $(q "SELECT rule_versions FROM eval_run ORDER BY id DESC LIMIT 1" | grep -q '"seats.forecast":1' &&
	echo 0 || echo 1) "the run records the forecast rule's version"

run eduhq forecast --area 390571
is "$(echo "$out" | sed -n 2p)" \
	"stored vintage $vid of $created: the data have not changed since, printed as stored" \
	"unchanged data: the stored vintage, said so"
is "$(echo "$out" | tail -n +3)" "$(echo "$computed" | tail -n +3)" \
	"the stored vintage has the figures computed before"
# read back, not recomputed: a stored value changed by hand is what is printed
q "UPDATE forecast_value SET value = value + 1000 WHERE vintage_id = $vid AND area_code = '390571'
   AND grade = 1 AND year = 2025"
before=$(f2025 "$computed")
run eduhq forecast --area 390571
is "$(f2025 "$out")" "$((before + 1000))" "the stored figure is printed ($before + 1000)"
run eduhq forecast --area 390571 --format json
ok $(echo "$out" | grep -q "\"vintage\":$vid,\"vintage_created\":\"$created\"" && echo 0 || echo 1) \
	"json names the vintage"

# an import that changes the data: recomputed, and said so
sed '2s/^3905020001,2015,1,6,249,126,/3905020001,2015,1,6,250,127,/' "$T/demo/grade_return.csv" \
	>"$T/gr.csv"
run eduhq import grade_return "$T/gr.csv"
is "$rc" 0 "import of one changed grade return"
run eduhq forecast --area 390571
is "$(echo "$out" | sed -n 2p)" \
	"recomputed: the data have changed since stored vintage $vid of $created" \
	"changed data: recomputed, said so"
ok $([ "$(f2025 "$out")" != "$((before + 1000))" ] && echo 0 || echo 1) \
	"the recomputed figure ($(f2025 "$out")) is not the stored one"
run eduhq forecast --area 390571 --format json
ok $(echo "$out" | grep -q "\"vintage\":null,\"changed_since_vintage\":$vid" && echo 0 || echo 1) \
	"json: no vintage, changed since the stored one"

# intervals: lo80 <= forecast <= hi80, inside the 95 % one; the zone's 2025 shortage is
# certain (the whole interval above the seats)
row=$(echo "$out" | grep -o '{"stage":"primary","year":2025,[^}]*}')
lohi=$(echo "$row" | sed 's/.*"forecast":\([0-9.]*\).*"interval_80":\[\([0-9.]*\),\([0-9.]*\)\],"interval_95":\[\([0-9.]*\),\([0-9.]*\)\].*/\4 \2 \1 \3 \5/')
ok $(echo "$lohi" | awk '{ exit !($1 <= $2 && $2 <= $3 && $3 <= $4 && $4 <= $5 && $1 < $5) }'; echo $?) \
	"lo95 <= lo80 <= forecast <= hi80 <= hi95 ($lohi)"
is "$(echo "$row" | grep -o '"shortage":"[a-z]*"')" '"shortage":"certain"' "json: a certain shortage"
run eduhq forecast --area 390571 --format csv
is "$(echo "$out" | head -1)" \
	"area_code,area_name,stage,year,forecast,seats,gap,match,lo80,hi80,lo95,hi95,shortage,births_scenario" \
	"csv header with the intervals"
is "$(echo "$out" | grep '^390571,[^,]*,primary,2025,' | cut -d, -f13)" "certain" "csv: certain"
run eduhq eval seats
is "$(q "SELECT json_extract(evidence, '\$.shortage') FROM result WHERE run_id = (SELECT max(id)
	FROM eval_run) AND indicator = 'SEAT.GAP' AND unit_id = '390571' AND stage = 'primary'
	AND year = 2025")" certain "the seat gap's evidence says certain"
is "$(q "SELECT json_array_length(json_extract(evidence, '\$.interval_80')) FROM result WHERE
	run_id = (SELECT max(id) FROM eval_run) AND indicator = 'SEAT.GAP' AND unit_id = '390571'
	AND stage = 'primary' AND year = 2025")" 2 "... with its 80 % interval"

# the biennial assessment looks back: a 2020 vintage scored on the actuals since, with the
# share of them inside its 80 % intervals
run eduhq eval seats --year 2020
run eduhq eval seats
is "$(q "SELECT count(*) FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND
	indicator = 'SEAT.VINTAGE.MAPE' AND json_extract(evidence, '\$.origin_year') = 2020
	AND json_extract(evidence, '\$.coverage_80') BETWEEN 0 AND 100
	AND json_extract(evidence, '\$.interval_cells') > 0")" 4 \
	"the 2020 vintage's interval coverage at leads 1-4"

# the method is the rule: max_horizon caps --horizon, estimator is the default
run eduhq forecast --horizon 11
is "$rc:$err" "2:eduhq: horizon 11: longer than rule seats.forecast max_horizon 10" \
	"max_horizon caps the horizon"
run eduhq rules set seats.forecast estimator=auto:2
run eduhq forecast --area 390571 --horizon 1
is "$(echo "$out" | head -1 | cut -d';' -f1)" \
	"forecast from the 2024 returns, estimator auto:2 (chose ses:0.15+mean:3)" \
	"the rule's estimator is the default"
run eduhq rules set seats.forecast estimator=median
run eduhq forecast --horizon 1
is "$rc:$err" "2:eduhq: unknown estimator 'median' (last, mean:K, wiche, ses:ALPHA, trend:K:PHI, holt:ALPHA:BETA:PHI, combo, pool, pool:ALPHA:W, auto, auto:N, auto:area, A+B mixes; suffix /g: levels by growth)" \
	"a bad estimator in the rule is named"
run eduhq rules set seats.forecast estimator=pool pool_alphas=0,1
is "$rc:$err" "1:eduhq: rule 'seats.forecast' parameter 'pool_alphas' expects 1 to 20 comma-separated numbers from 0.01 to 1, not '0,1'" \
	"a bad grid is refused when set, naming the rule"
done_testing
