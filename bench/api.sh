#!/bin/sh
# bench/api.sh: the API under wrk (Debian package) on the province-scale database, over
# loopback on 2 cores, authenticated with API tokens of each role (the scoped routes as a
# county or school user, so the scope filter is measured too). One wrk run per route
# family; prints one line each: the first request's time in ms (for the cached routes,
# RF_CACHE in src/api.c, the answer computed cold), requests/s and latency p50/p90/p99
# (wrk --latency), the response size, and whether it meets the goal of issue 10 (p99 <= 10
# ms at >= 5,000 requests/s). Then the server's memory (RSS) every minute of a mixed run.
# Not a timed test.
# usage: bench/api.sh [BUILD-DIR] [DB] [SECONDS] [SOAK-SECONDS] [FAMILY-REGEX]   (from the top)
# DB defaults to BUILD/prov.db, made (demo --scale province + eval) when missing; SOAK 0
# skips the mixed run; FAMILY-REGEX runs only the matching families.
set -eu
BUILD=${1:-build}
DB=${2:-$BUILD/prov.db}
SECS=${3:-10}
SOAK=${4:-300}
ONLY=${5:-.}
PORT=${EDUHQ_BENCH_PORT:-18099}
command -v wrk >/dev/null || { echo "bench/api.sh: apt-get install wrk" >&2; exit 1; }
make -s BUILD="$BUILD" "$BUILD/eduhq" >/dev/null
E="$BUILD/eduhq"
if [ ! -f "$DB" ]; then
	"$E" --db "$DB" demo --scale province --out "$BUILD/prov-data" --quiet >/dev/null
	"$E" --db "$DB" eval >/dev/null
fi
q() { sqlite3 "$DB" "$1"; }
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench.XXXXXX")
run=$(q "SELECT max(id) FROM eval_run")
# the run before it, for the comparison (the run itself when it is the only one)
prev=$(q "SELECT coalesce((SELECT id FROM eval_run WHERE id < $run ORDER BY id DESC LIMIT 1), $run)")
# a school with results: the first school row of the latest run
school=$("$E" --db "$DB" indicators --run "$run" --format csv | awk -F, 'NR > 1 && $3 == "school" { print $4; exit }')
county=$(q "SELECT code FROM area WHERE level = 'county' ORDER BY code LIMIT 1 OFFSET 5")
cschool=$(q "SELECT s.code FROM school s JOIN area a ON a.code = s.area_code WHERE a.code = '$county' OR a.parent_code = '$county' ORDER BY s.code LIMIT 1 OFFSET 3")
hazard=$(q "SELECT h.code FROM hazard h JOIN school s ON s.code = h.school_code WHERE s.code = '$cschool' LIMIT 1")
[ -n "$hazard" ] || hazard=$(q "SELECT h.code FROM hazard h JOIN school s ON s.code = h.school_code JOIN area a ON a.code = s.area_code WHERE a.code = '$county' OR a.parent_code = '$county' LIMIT 1")
task=$(q "SELECT code FROM task ORDER BY code LIMIT 1")
# one user per role (made once), a fresh token each
for u in analyst:city_analyst admin:city_admin county:county_user:--area:$county school:school_user:--school:$cschool; do
	n=bench_${u%%:*} rest=${u#*:}
	q "SELECT 1 FROM app_user WHERE name = '$n'" 2>/dev/null | grep -q 1 ||
		head -c 24 /dev/urandom | base64 | "$E" --db "$DB" user add "$n" --role $(echo "$rest" | tr ':' ' ') \
			--password-stdin >/dev/null
	eval "TOK_${u%%:*}=\$(\"\$E\" --db \"\$DB\" user token $n --label bench | tail -1)"
done
"$E" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads 2 --log /dev/null >"$D/serve.out" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$D"' EXIT
for i in $(seq 100); do grep -q '^eduhq: serving' "$D/serve.out" && break; sleep 0.1; done
echo "province: $(q 'SELECT count(*) FROM school') schools, $(q 'SELECT count(*) FROM teacher') teachers, $(q 'SELECT sum(nrows) FROM result_chunk') results; county $county, school $school / $cschool"
echo "wrk -t2 -c16 -d${SECS}s per family; server --threads 2; goal p99 <= 10 ms at >= 5,000 req/s; load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the 2 cores inflates p99)"
B="http://127.0.0.1:$PORT/api/v1"
# the write: a county user puts its school back as it is (validated, scope-checked, written
# in a transaction; unchanged, so no audit entry grows the log)
body=$(curl -s -H "Authorization: Bearer $TOK_county" "$B/tables/school/rows/$cschool" |
	jq -c 'del(.code) | with_entries(select(.value != null))')
cat >"$D/put.lua" <<X
wrk.method = "PUT"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
X
printf '%-34s %-8s %8s %8s %8s %8s %8s %8s  %s\n' family role first req/s p50 p90 p99 bytes goal
# FAMILY | ROLE | PATH (under /api/v1) | wrk script
while IFS='|' read -r fam role path script; do
	fam=$(echo $fam) role=$(echo $role) path=$(echo $path) script=$(echo $script)
	[ -n "$fam" ] && echo "$fam" | grep -Eq "$ONLY" || continue
	eval "tok=\$TOK_$role"
	if [ -n "$script" ]; then
		code=$(curl -s -o "$D/body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
			-H "Authorization: Bearer $tok" --data-binary "$body" "$B$path")
		first=-
		set -- -s "$D/$script"
	else
		code=$(curl -s -o "$D/body" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $tok" "$B$path")
		first=$(awk -v t="${code#* }" 'BEGIN { printf "%.2f", t * 1000 }')
		code=${code% *}
		set --
	fi
	case $code in 2*) ;; *) echo "$fam: $path answered $code: $(head -c 300 "$D/body")" >&2; continue ;; esac
	wrk -t2 -c16 -d"${SECS}s" --latency "$@" -H "Authorization: Bearer $tok" "$B$path" >"$D/wrk.out"
	ms() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
		printf "%.2f", v }' "$D/wrk.out"; }
	rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$D/wrk.out")
	p99=$(ms 99%)
	goal=$(awk -v r="$rps" -v p="$p99" 'BEGIN { print (r >= 5000 && p <= 10) ? "met" : "MISSED" }')
	bad=$(grep -E 'Non-2xx|Socket errors' "$D/wrk.out" | tr -s ' ' | tr '\n' ' ' || true)
	printf '%-34s %-8s %8s %8s %8s %8s %8s %8s  %s %s\n' "$fam" "$role" "$first" "$rps" "$(ms 50%)" "$(ms 90%)" "$p99" \
		"$(wc -c <"$D/body")" "$goal" "$bad"
done <<X
results: one school              | analyst | /results?school=$school&limit=1000
results: one county's CV         | analyst | /results?area=$county&indicator=BAL.CV.L5
results: a county's own          | county  | /results?indicator=BAL.CV.L5
results: verdict summary         | analyst | /results/summary
results: a county's summary      | county  | /results/summary
registry: page of 100 schools    | analyst | /tables/school/rows?limit=100&cursor=o1000
registry: county's 100 schools   | county  | /tables/school/rows?limit=100
registry: one row by key         | county  | /tables/school/rows/$cschool
registry: filtered rows          | school  | /tables/grade_return/rows?school_code=$cschool
registry: a school's export CSV  | school  | /tables/grade_return/export
registry: table metadata         | school  | /tables/school
registry: write a row (PUT)      | county  | /tables/school/rows/$cschool | put.lua
rules: list                      | county  | /rules
rules: one rule's history        | county  | /rules/balance.cv_max/history
runs: list                       | analyst | /runs
runs: one run                    | analyst | /runs/$run
runs: compare two                | analyst | /runs/compare?a=$prev&b=$run
indicators: catalog              | school  | /indicators
forecast: one county             | county  | /forecast?area=$county
check: one school                | school  | /check
check: one county                | county  | /check
ledger: a county's hazards       | county  | /hazards?limit=100
ledger: one hazard with steps    | county  | /hazards/$hazard
ledger: tasks                    | county  | /tasks
ledger: one task                 | county  | /tasks/$task
session: me                      | school  | /me
users: list                      | admin   | /users
audit: a page                    | admin   | /audit?limit=100
X
echo "server RSS after these families: $(awk '/VmRSS/ { print $2 }' /proc/$SRV/status) KB (decoded results cached: serve --results-cache-mb, default 128)"

[ "$SOAK" -gt 0 ] || exit 0
# memory over a longer mixed run
cat >"$D/mix.lua" <<X
local paths = { "/api/v1/results?school=$school&limit=1000",
  "/api/v1/results?area=$county&indicator=BAL.CV.L5", "/api/v1/tables/school/rows?limit=100&cursor=o1000" }
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[i % 3 + 1]) end
X
echo "== mixed, ${SOAK}s: server RSS (KB) every 60 s"
wrk -t2 -c16 -d"${SOAK}s" -s "$D/mix.lua" -H "Authorization: Bearer $TOK_analyst" "http://127.0.0.1:$PORT" >"$D/mix.out" &
W=$!
t=0
while kill -0 $W 2>/dev/null; do
	echo "  t=${t}s rss $(awk '/VmRSS/ { print $2 }' /proc/$SRV/status)"
	sleep 60
	t=$((t + 60))
done
wait $W
grep -E 'Requests/sec' "$D/mix.out"
