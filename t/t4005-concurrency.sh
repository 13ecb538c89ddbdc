#!/bin/sh
# t4005-concurrency.sh: eight clients read and write through one server for 30 seconds
# (EDUHQ_STRESS_SECONDS): four create rows as the city administrator, four as a county user
# in its county, all of them also list schools and read results between writes. No request
# fails, no write is lost (the rows and the audit entries match the 201s counted by the
# clients), the database passes PRAGMA integrity_check and the audit chain verifies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
q() { sqlite3 "$EDUHQ_DB" "$1"; }
SECS=${EDUHQ_STRESS_SECONDS:-30}

eduhq demo --out "$T/demo" --quiet >/dev/null 2>&1 || { echo "Bail out! demo"; exit 1; }
eduhq eval balance >/dev/null
echo 'admin-password-1' | eduhq user add boss --role city_admin --password-stdin >/dev/null
echo 'county-password-1' | eduhq user add qs --role county_user --area 390522 --password-stdin >/dev/null
TA=$(user_token boss)
TC=$(user_token qs)
n0=$(q "SELECT count(*) FROM audit_log")
serve_start --threads 4

# client I TOKEN KIND: writes rows until the deadline, counting created ones
client() {
	i=$1 tok=$2 kind=$3 n=0 made=0 bad=0
	end=$(($(date +%s) + SECS))
	while [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		if [ "$kind" = industry ]; then
			c=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $tok" \
				-H 'Content-Type: application/json' -d '{"name":"并发产业"}' "$API/tables/industry/rows/C$i-$n")
		else
			c=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $tok" \
				-H 'Content-Type: application/json' \
				-d '{"school_code":"3905220001","name":"并发楼","floor_area":100,"safety_grade":"A"}' \
				"$API/tables/building/rows/C$i-$n")
		fi
		[ "$c" = 201 ] && made=$((made + 1)) || bad=$((bad + 1))
		c1=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$API/tables/school/rows?limit=50&cursor=o$((n % 3 * 50))")
		c2=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$API/results?school=3905220001")
		[ "$c1$c2" = 200200 ] || bad=$((bad + 1))
	done
	echo "$made $bad" >"$T/client.$i"
}
pids=
for i in 1 2 3 4; do client $i "$TA" industry & pids="$pids $!"; done
for i in 5 6 7 8; do client $i "$TC" building & pids="$pids $!"; done
wait $pids # not the server, which runs in the background too

made=$(cat "$T"/client.* | awk '{ s += $1 } END { print s }')
bad=$(cat "$T"/client.* | awk '{ s += $2 } END { print s }')
ok "$([ "$made" -gt 100 ]; echo $?)" "the clients created $made rows in ${SECS}s"
is "$bad" 0 "no request failed"
serve_stop
is "$(($(q "SELECT count(*) FROM industry WHERE code LIKE 'C%'") + $(q "SELECT count(*) FROM building WHERE code LIKE 'C%'")))" \
	"$made" "every created row is stored (no lost write)"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'insert' AND row_key LIKE 'C%'")" "$made" \
	"and has its audit entry"
is "$(q "SELECT count(*) FROM audit_log") " "$((n0 + made)) " "nothing else was written"
is "$(q 'PRAGMA integrity_check')" ok "PRAGMA integrity_check"
run eduhq audit verify
is "$rc" 0 "the audit chain verifies"
done_testing
