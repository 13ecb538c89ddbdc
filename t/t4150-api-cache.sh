#!/bin/sh
# t4150-api-cache.sh: the computed read routes (plan tasks, the data-quality report, the
# forecast) are answered from the server's cache while the data are unchanged, and computed
# afresh after any write: through the API, or by another process (the CLI) into the same
# database. The cache keeps one answer per caller's scope: a school user never gets its
# county's report. The OpenAPI document marks the cached routes.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18140 18149"
. "$(dirname "$0")/lib-serve.sh"

two_counties_city
q() { sqlite3 "$EDUHQ_DB" "$1"; }
eduhq task add TK-1 --name 新建学位 --owner 江东区 --target 100 --start 2025-01-01 --deadline 2025-12-31 \
	--area 330102 >/dev/null
printf 'school_code,year,grade,classes,pupils\n3301020001,2025,1,1,70\n3301020002,2025,1,1,70\n' >"$T/gr.csv"
eduhq import grade_return "$T/gr.csv" >/dev/null
serve_start

# get TOKEN PATH: sets $code, $body and $cache (the X-Cache header, "-" when absent)
get() {
	code=$(curl -s -D "$T/.hdr" -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $1" "$API$2")
	body=$(cat "$T/.body")
	cache=$(tr -d '\r' <"$T/.hdr" | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
	cache=${cache:--}
}
value() { echo "$body" | jq -c '[.tasks[] | select(.code == "TK-1") | .value]'; }

get "$TOK_county" /tasks
first=$body
is "$code $cache $(value)" "200 - [0]" "the first call computes"
get "$TOK_county" /tasks
is "$code $cache" "200 hit" "the second is answered from the cache"
is "$body" "$first" "with the same answer"

api "$TOK_county" POST /tasks/TK-1/progress '{"value":30,"date":"2025-02-20"}'
is "$code" 201 "a write through the API"
get "$TOK_county" /tasks
is "$cache $(value)" "- [30]" "is seen at once"
get "$TOK_county" /tasks/TK-1
get "$TOK_county" /tasks/TK-1
is "$code $cache $(echo "$body" | jq -c '[.entries[].value]')" "200 hit [30]" "one task: cached too"

eduhq task progress TK-1 --value 45 --date 2025-03-01 >/dev/null
get "$TOK_county" /tasks
is "$cache $(value)" "- [45]" "a write by another process (the CLI) is seen at once"
get "$TOK_county" /tasks/TK-1
is "$cache $(echo "$body" | jq -c '[.entries[].value]')" "- [30,45]" "by every cached answer"
O=%E6%B1%9F%E4%B8%9C%E5%8C%BA # 江东区
get "$TOK_county" "/tasks?owner=$O&as_of=2025-06-30"
is "$code $(value)" "200 [45]" "the owner's tasks on a date"
get "$TOK_county" "/tasks?owner=$O%26as_of%3D2025-06-30"
is "$code $cache $(value)" "200 - []" "an owner named with & and = in it is another query, not the one it spells"

# one answer per scope
get "$TOK_county" /check
get "$TOK_county" /check
is "$code $cache $(echo "$body" | jq -r '[.findings[] | select(.check == "class_pupils") | .key] | join(" ")')" \
	"200 hit 3301020001/2025/1 3301020002/2025/1" "the county's report, cached"
get "$TOK_school" /check
is "$code $cache $(echo "$body" | jq -r '[.findings[] | select(.check == "class_pupils") | .key] | join(" ")')" "200 - 3301020001/2025/1" \
	"a school user gets its own, not the county's cached one"
get "$TOK_school" '/check?year=2023'
is "$cache $(echo "$body" | jq -r '[.findings[].key] | join(" ")')" "- 3301020001/2023" "nor another query's"

api - GET /openapi.json
is "$(echo "$body" | jq -r '[.paths | to_entries[] | .key as $p | .value | to_entries[] | select(.value["x-eduhq-cached"]) | .key + " " + $p] | join(", ")')" \
	"get /api/v1/rules, get /api/v1/runs/compare, get /api/v1/forecast, get /api/v1/indicators, get /api/v1/check, get /api/v1/hazards, get /api/v1/tasks, get /api/v1/tasks/{code}, get /api/v1/overview, get /api/v1/results/summary" \
	"the OpenAPI document marks the cached routes"

done_testing
