#!/bin/sh
# bench/web.sh: the dashboard's budgets on the province-scale database (bench/web.mjs says
# what is measured): the overview's first load in gzipped JS+CSS, its render time, every
# page's API calls at p50/p95. Headless chromium on loopback, 2 server threads.
# usage: bench/web.sh [BUILD-DIR] [DB] [RUNS]   (run from the top; prints figures, asserts nothing)
# DB defaults to BUILD/prov.db, made (demo --scale province + eval) when missing.
set -eu
BUILD=${1:-build}
DB=${2:-$BUILD/prov.db}
RUNS=${3:-10}
PORT=${EDUHQ_BENCH_PORT:-18098}
make -s BUILD="$BUILD" >/dev/null
E="$BUILD/eduhq"
if [ ! -f "$DB" ]; then
	"$E" --db "$DB" demo --scale province --out "$BUILD/prov-data" --quiet >/dev/null
	"$E" --db "$DB" eval >/dev/null
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-web.XXXXXX")
PW=bench-web-password-1
if "$E" --db "$DB" user list | grep -q '^bench-web '; then
	echo "$PW" | "$E" --db "$DB" user passwd bench-web --password-stdin >/dev/null
else
	echo "$PW" | "$E" --db "$DB" user add bench-web --role city_admin --password-stdin >/dev/null
fi
"$E" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads 2 --log /dev/null --web "$BUILD/web" >"$D/serve.out" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$D"' EXIT
sleep 1
county=$(sqlite3 "$DB" "SELECT code FROM area WHERE level = 'county' ORDER BY code LIMIT 1 OFFSET 5")
echo "province: $(sqlite3 "$DB" 'SELECT count(*) FROM school') schools, $(sqlite3 "$DB" 'SELECT sum(nrows) FROM result_chunk') results; load average $(cut -d' ' -f1-3 /proc/loadavg)"
BASE="http://127.0.0.1:$PORT" NAME=bench-web PASSWORD=$PW WEB="$(cd "$BUILD/web" && pwd)" COUNTY=$county RUNS=$RUNS \
	CHROMIUM=$(command -v chromium) TOP=$(pwd) node bench/web.mjs
