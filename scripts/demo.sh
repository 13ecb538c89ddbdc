#!/bin/sh
# demo.sh: `make demo`: create the demo city 临江市 in ./eduhq.db (replacing an earlier demo)
# from CSV files written to ./demo-data/, evaluate it, write the 2024 annual report there
# (report-2024.docx, .html, .pdf), create one demo user per role, print their names and
# passwords, and serve the dashboard (WEB, the bundle `make` built) and the API on
# 127.0.0.1:8080 until Ctrl-C.
set -eu
EDUHQ=$1
WEB=${2:-}
LISTEN=${EDUHQ_DEMO_LISTEN:-127.0.0.1:8080}
rm -f eduhq.db eduhq.db-wal eduhq.db-shm
"$EDUHQ" --db eduhq.db demo --out demo-data --quiet
# The demo's ledger and plan tasks are dated 2025: judge them (overdue, lagging) at the end of
# its 2025 quarter 3 rather than today.
if verdicts=$("$EDUHQ" --db eduhq.db eval --as-of 2025-09-30 2>&1); then
	echo
	echo "headline verdicts (eduhq eval; every failing row: ./eduhq indicators --verdict fail):"
	# each mechanism's counts and its first three failing or warning rows
	echo "$verdicts" | awk '/^[a-z_]+: [0-9]+ results/ { n = 0; print; next }
		/^    / && n < 3 { n++; print }' | sed 's/^/  /'
fi
# the annual report of 2024 from that run, in the three formats, beside the CSV files
echo
echo "annual report 2024 (eduhq report annual --year 2024):"
for f in docx html pdf; do
	if line=$("$EDUHQ" --db eduhq.db report annual --year 2024 --format $f \
		--base-url "http://$LISTEN" --out demo-data/report-2024.$f 2>&1); then
		echo "  $line"
	else
		echo "  $f not written: $line"
	fi
done
cat <<'X'

next:
  ./eduhq export school | head              any table as CSV (or --format xlsx|json)
  ./eduhq indicators --area 390522          青山县: the county failing the L5 sports-area CV
  ./eduhq forecast --area 390571            the high-tech zone's seat shortage
  edit demo-data/facility.csv in Excel or WPS, then: ./eduhq import facility demo-data/facility.csv
X

# one demo user per role; the passwords are new each time and shown only here
school=$("$EDUHQ" --db eduhq.db export school --format csv | awk -F, 'NR > 1 && $1 ~ /^390522/ { print $1; exit }')
echo
echo "demo users (role, scope, password):"
adduser() { # NAME ROLE [--area X | --school X]
	pw=$("$EDUHQ" --db eduhq.db user add "$@" | sed -n 's/^password: //p')
	printf '  %-18s %-13s %-11s %s\n' "$1" "$3" "${5:-city}" "$pw"
}
adduser city-admin --role city_admin
adduser city-analyst --role city_analyst
adduser qingshan --role county_user --area 390522
adduser school-$school --role school_user --school "$school"
cat <<X

dashboard: http://$LISTEN/  (sign in with a name and password above; 中文 / English switch
           at the top right; the county user sees only 青山县, the school user its return)
API:       http://$LISTEN/api/v1/openapi.json (every route); Ctrl-C stops the server
X
if [ -n "$WEB" ] && [ -f "$WEB/index.html" ]; then
	exec "$EDUHQ" --db eduhq.db serve --listen "$LISTEN" --web "$WEB"
fi
exec "$EDUHQ" --db eduhq.db serve --listen "$LISTEN"
