#!/bin/sh
# t4110-api-forecast.sh: GET /api/v1/forecast answers exactly the JSON of `eduhq forecast
# --format json` (one renderer, forecast_view.c), in the caller's scope: a county user sees
# its county (or its towns), another county answers like one that does not exist, a school
# user sees no planning area.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18150 18159"
. "$(dirname "$0")/lib-serve.sh"
q() { sqlite3 "$EDUHQ_DB" "$1"; }

eduhq demo --out "$T/demo" --quiet >/dev/null 2>&1 || { echo "Bail out! demo"; exit 1; }
for u in admin:city_admin county:county_user:--area:390522 school:school_user:--school:3905220001; do
	n=${u%%:*} rest=${u#*:}
	echo "password-$n-1" | eduhq user add $n --role $(echo "$rest" | tr ':' ' ') --password-stdin >/dev/null
	eval "TOK_$n=\$(user_token $n)"
done
serve_start

api "$TOK_admin" GET /forecast
is "$code $body" "200 $(eduhq forecast --format json)" "the city's forecast: the CLI's JSON, byte for byte"
api "$TOK_admin" GET '/forecast?area=390571&horizon=5&scenario=high&estimator=mean:3'
is "$code $body" "200 $(eduhq forecast --format json --area 390571 --horizon 5 --scenario high --estimator mean:3)" \
	"with an area, horizon, scenario and estimator"
api "$TOK_county" GET /forecast
is "$code $body" "200 $(eduhq forecast --format json --area 390522)" "a county user: its county only"
api "$TOK_county" GET '/forecast?level=town'
is "$(echo "$body" | jq -r '[.areas[].code] | join(" ")')" \
	"$(q "SELECT group_concat(code, ' ') FROM (SELECT code FROM area WHERE parent_code = '390522' ORDER BY code)")" \
	"at town level: its county's towns"
api "$TOK_county" GET '/forecast?area=390571'
c1=$code b1=$(echo "$body" | sed 's/390571/X/')
api "$TOK_county" GET '/forecast?area=999999'
is "$c1 $b1" "$code $(echo "$body" | sed 's/999999/X/')" "another county answers like one that does not exist"
is "$c1 $(echo "$b1" | jq -r .error.message)" "404 no planning area 'X' (a county or district code)" "404"
api "$TOK_school" GET /forecast
is "$code $(echo "$body" | jq -c .areas)" "200 []" "a school user sees no planning area"
api "$TOK_school" GET '/forecast?area=390522'
is "$code" 404 "not even its own county's"
api "$TOK_admin" GET '/forecast?scenario=worst'
is "$code $(echo "$body" | jq -r .error.message)" "400 scenario: 'worst' is not low, mid or high" "a bad scenario"
api "$TOK_admin" GET '/forecast?level=province'
is "$code $(echo "$body" | jq -r .error.message)" "400 level: 'province' is not county or town" "a bad level"
api "$TOK_admin" GET '/forecast?horizon=31'
is "$code $(echo "$body" | jq -r .error.message)" "400 query parameter 'horizon': expected an integer 1-30, not '31'" "a bad horizon"

done_testing
