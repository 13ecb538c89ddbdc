#!/bin/sh
# bench/api.sh: the API under wrk (Debian package) on the province-scale database,
# authenticated with an API token, over loopback on 2 cores:
#   1. one school's results          GET /api/v1/results?school=CODE&limit=1000
#   2. one county's CV results       GET /api/v1/results?area=COUNTY&indicator=BAL.CV.L5
#   3. a page of 100 schools         GET /api/v1/tables/school/rows?limit=100&cursor=o1000
# and the server's memory (RSS) every minute of a 5-minute run of the three together.
# Prints requests/s and latency percentiles (wrk --latency). Not a timed test.
# usage: bench/api.sh [BUILD-DIR] [DB] [SECONDS] [SOAK-SECONDS]   (run from the top)
# DB defaults to BUILD/prov.db, made (demo --scale province + eval) when missing.
set -eu
BUILD=${1:-build}
DB=${2:-$BUILD/prov.db}
SECS=${3:-20}
SOAK=${4:-300}
PORT=${EDUHQ_BENCH_PORT:-18099}
command -v wrk >/dev/null || { echo "bench/api.sh: apt-get install wrk" >&2; exit 1; }
make -s BUILD="$BUILD" "$BUILD/eduhq" >/dev/null
E="$BUILD/eduhq"
if [ ! -f "$DB" ]; then
	"$E" --db "$DB" demo --scale province --out "$BUILD/prov-data" --quiet >/dev/null
	"$E" --db "$DB" eval >/dev/null
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench.XXXXXX")
"$E" --db "$DB" user list | grep -q '^bench ' ||
	"$E" --db "$DB" user add bench --role city_analyst >/dev/null
TOK=$("$E" --db "$DB" user token bench --label bench | tail -1)
"$E" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads 2 --log /dev/null >"$D/serve.out" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$D"' EXIT
sleep 1
school=$(sqlite3 "$DB" "SELECT unit_id FROM result WHERE unit_kind = 'school' AND run_id = (SELECT max(id) FROM eval_run) LIMIT 1")
county=$(sqlite3 "$DB" "SELECT code FROM area WHERE level = 'county' ORDER BY code LIMIT 1 OFFSET 5")
echo "province: $(sqlite3 "$DB" 'SELECT count(*) FROM school') schools, $(sqlite3 "$DB" 'SELECT count(*) FROM result') results; school $school, county $county"
B="http://127.0.0.1:$PORT/api/v1"
for url in "$B/results?school=$school&limit=1000" "$B/results?area=$county&indicator=BAL.CV.L5" \
	"$B/tables/school/rows?limit=100&cursor=o1000"; do
	code=$(curl -s -o "$D/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" "$url")
	echo "== $url: $code, $(wc -c <"$D/body") bytes"
	wrk -t2 -c16 -d"${SECS}s" --latency -H "Authorization: Bearer $TOK" "$url" |
		grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
done

# memory over a longer mixed run
cat >"$D/mix.lua" <<X
local paths = { "/api/v1/results?school=$school&limit=1000",
  "/api/v1/results?area=$county&indicator=BAL.CV.L5", "/api/v1/tables/school/rows?limit=100&cursor=o1000" }
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[i % 3 + 1]) end
X
echo "== mixed, ${SOAK}s: server RSS (KB) every 60 s"
wrk -t2 -c16 -d"${SOAK}s" -s "$D/mix.lua" -H "Authorization: Bearer $TOK" "http://127.0.0.1:$PORT" >"$D/mix.out" &
W=$!
t=0
while kill -0 $W 2>/dev/null; do
	echo "  t=${t}s rss $(awk '/VmRSS/ { print $2 }' /proc/$SRV/status)"
	sleep 60
	t=$((t + 60))
done
wait $W
grep -E 'Requests/sec' "$D/mix.out"
