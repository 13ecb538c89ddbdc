#!/bin/sh
# t5000-web.sh: the dashboard in a real browser: Debian's chromium, headless, driven by
# playwright-core (web/package.json) through t/web/browser.mjs, against a real `eduhq serve`
# of the bundle `make` built, on the demo database with one user per role. The checks and
# their TAP lines are browser.mjs's; screenshots go to BUILD/screenshots (out of git).
# Runs in the plain `make test` pass only: under SANITIZE no bundle is built (EDUHQ_WEB is
# unset) and the test skips, as it does on a machine without chromium.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

if [ -z "${EDUHQ_WEB:-}" ]; then
	echo "1..0 # SKIP the browser test runs in the plain pass (make test), not under SANITIZE"
	exit 0
fi
CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
	echo "1..0 # SKIP chromium is not installed (scripts/install-deps.sh installs it)"
	exit 0
fi
[ -f "$EDUHQ_WEB/index.html" ] || { echo "Bail out! no dashboard bundle in $EDUHQ_WEB (run make)"; exit 1; }
[ -d "$TOP/web/node_modules/playwright-core" ] || { echo "Bail out! web/node_modules missing (run make)"; exit 1; }

# the demo city, evaluated, and one user per role (as `make demo` makes them)
eduhq demo --out "$T/demo" --quiet >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
eduhq eval --as-of 2025-09-30 >/dev/null 2>&1 || { echo "Bail out! eval"; exit 1; }
school=$(eduhq export school --format csv | awk -F, 'NR > 1 && $1 ~ /^390522/ { print $1; exit }')
users="[]"
adduser() { # NAME ROLE [--area X | --school X]
	pw=$(eduhq user add "$@" | sed -n 's/^password: //p')
	users=$(echo "$users" | jq -c --arg n "$1" --arg p "$pw" --arg r "$3" --arg s "${5:-}" \
		'. + [{name: $n, password: $p, role: $r, scope: $s}]')
}
adduser city-admin --role city_admin
adduser city-analyst --role city_analyst
adduser qingshan --role county_user --area 390522
adduser "school-$school" --role school_user --school "$school"
echo "$users" >"$T/users.json"

# the map's boundaries are checked at import: a geometry that is no polygon is refused
printf 'area_code,geojson\n390502,"{""type"":""Point"",""coordinates"":[1,2]}"\n' >"$T/bb.csv"
run eduhq import area_boundary "$T/bb.csv"
is "$rc $(echo "$err" | head -1)" \
	"1 $T/bb.csv:2: column geojson: not a GeoJSON Polygon or MultiPolygon geometry ({\"type\":\"Polygon\",\"coordinates\":...})" \
	"a boundary that is not a polygon is refused with its line and column"

serve_start --web "$EDUHQ_WEB"
SHOTS="$EDUHQ_BUILD/screenshots"
rm -rf "$SHOTS" && mkdir -p "$SHOTS"
# browser.mjs numbers its TAP lines on from this script's and prints the plan
BASE="http://127.0.0.1:$PORT" USERS="$T/users.json" SHOTS="$SHOTS" CHROMIUM="$CHROMIUM" TOP="$TOP" TAP_FROM=$_n \
	node "$TOP/t/web/browser.mjs" 2>"$T/node.err"
rc=$?
[ -s "$T/node.err" ] && sed 's/^/# node: /' "$T/node.err" >&2
# on a failure, what the server answered with an error (the access log's status field)
[ "$rc" = 0 ] || awk '$6 >= 400 { print "# served: " $0 }' "$T/access.log" >&2
[ "$rc" = 0 ] && [ "$_failed" = 0 ]
