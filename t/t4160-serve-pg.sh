#!/bin/sh
# t4160-serve-pg.sh: `eduhq serve` on PostgreSQL answers what it answers on SQLite. The demo
# city goes into a SQLite file and into a throwaway PostgreSQL cluster (t/lib-pg.sh); the
# same sequence of requests (reads and writes, by every role, in and out of scope: registry
# lists, pages, keys, exports as CSV, JSON and XLSX, row writes, scoped uploads, results,
# runs, what-ifs, the forecast, the data-quality report, rules, the hazard ledger, plan tasks, users,
# the audit log, sign-in) is sent to a server on each; every answer (status and body, times
# and ids aside) must be the same. Then the audit chain verifies on PostgreSQL.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18100 18139"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-pg.sh"
pg_start 15437
trap '_serve_cleanup; pg_stop' EXIT
export EDUHQ_KEY_FILE="$T/eduhq.key"
SQ="$T/sq.db"

# setup DB TAG: the demo city, an evaluation and one user per role, tokens TOK_TAG_ROLE
setup() {
	"$EDUHQ" --db "$1" demo --out "$T/csv-$2" --quiet >/dev/null 2>"$T/e" ||
		{ cat "$T/e" >&2; echo "Bail out! demo on $2"; exit 1; }
	"$EDUHQ" --db "$1" eval --rules-as-of 2025-09-01 >/dev/null 2>&1
	for u in admin:city_admin analyst:city_analyst county:county_user:--area:390522 \
		school:school_user:--school:3905220001; do
		n=${u%%:*} rest=${u#*:}
		echo "password-$n-1" | "$EDUHQ" --db "$1" user add $n --role $(echo "$rest" | tr ':' ' ') \
			--password-stdin >/dev/null
		eval "TOK_$2_$n=\$(\"\$EDUHQ\" --db \"\$1\" user token $n | tail -1)"
	done
}
setup "$SQ" sq
setup "$PGURL" pg
OUT=$(sqlite3 "$SQ" "SELECT code FROM school WHERE area_code NOT LIKE '390522%' AND type = 'primary' ORDER BY code LIMIT 1")
INAREA=$(sqlite3 "$SQ" "SELECT area_code FROM school WHERE code = '3905220001'")
printf 'school_code,year,grade,classes,pupils\n3905220001,2026,1,3,120\n3905220002,2026,1,2,80\n' >"$T/gr-in.csv"
printf 'school_code,year,grade,classes,pupils\n3905220001,2026,2,3,120\n%s,2026,2,2,80\n' "$OUT" >"$T/gr-out.csv"

# ROLE | METHOD | PATH | BODY (JSON, @FILE an upload, - none); "xlsx" in the path: the sheet
REQS="
analyst | GET    | /tables/school/rows?limit=5 | -
analyst | GET    | /tables/school/rows?limit=5&cursor=o5&sort=-name | -
county  | GET    | /tables/school/rows?limit=1000 | -
county  | GET    | /tables/teacher/rows?limit=30 | -
school  | GET    | /tables/posting/rows?limit=1000 | -
county  | GET    | /tables/area/rows?limit=1000 | -
school  | GET    | /tables/school/rows/3905220001 | -
county  | GET    | /tables/school/rows/$OUT | -
county  | GET    | /tables/grade_return/rows?school_code=3905220002&sort=-year | -
county  | GET    | /tables/grade_return/export | -
school  | GET    | /tables/grade_return/export?format=json | -
county  | GET    | /tables/building/export?format=xlsx | -
analyst | GET    | /tables/school | -
county  | PUT    | /tables/school/rows/3905220001 | {\"name\":\"青山县第一小学（新）\",\"area_code\":\"$INAREA\",\"type\":\"primary\",\"urban_rural\":\"210\"}
county  | PUT    | /tables/school/rows/$OUT | {\"name\":\"x\",\"area_code\":\"$INAREA\",\"type\":\"primary\",\"urban_rural\":\"210\"}
county  | POST   | /tables/school/rows | {\"code\":\"3905229901\",\"name\":\"新校\",\"area_code\":\"$INAREA\",\"type\":\"primary\",\"urban_rural\":\"210\"}
county  | POST   | /tables/school/rows | {\"code\":\"3905229901\",\"name\":\"新校\",\"area_code\":\"$INAREA\",\"type\":\"primary\",\"urban_rural\":\"210\"}
county  | POST   | /tables/school/rows | {\"code\":\"39052299\",\"name\":\"\",\"area_code\":\"$INAREA\",\"type\":\"college\"}
county  | DELETE | /tables/school/rows/3905229901 | -
county  | DELETE | /tables/area/rows/390522 | -
county  | POST   | /tables/grade_return/import?filename=in.csv | @gr-in.csv
county  | POST   | /tables/grade_return/import?filename=out.csv | @gr-out.csv
school  | POST   | /tables/grade_return/import?filename=out.csv&dry_run=1 | @gr-out.csv
county  | GET    | /tables/grade_return/rows?year=2026 | -
school  | GET    | /results?school=3905220001&limit=1000 | -
analyst | GET    | /results?area=390522&indicator=BAL.CV.L5 | -
county  | GET    | /results?limit=200&cursor=o100 | -
county  | GET    | /results?school=$OUT | -
analyst | GET    | /runs | -
analyst | GET    | /runs/1 | -
analyst | POST   | /runs | {\"mechanisms\":[\"balance\",\"seats\"]}
analyst | POST   | /whatif | {\"year\":2024,\"teacher_exchange\":{\"teacher\":\"T0000002\",\"from_school\":\"3905020001\",\"to_school\":\"3905220001\"}}
admin   | POST   | /whatif | {\"year\":2024,\"close_teaching_point\":{\"school\":\"3905220011\",\"receiving_school\":\"3905220001\"}}
admin   | POST   | /whatif | {\"year\":2024,\"close_teaching_point\":{\"school\":\"3905220011\",\"receiving_school\":\"X\"}}
analyst | POST   | /runs | {\"mechanisms\":[\"balance\",\"teachers\"]}
county  | GET    | /results?indicator=BAL.CV.L5&verdict=fail | -
school  | GET    | /indicators | -
county  | GET    | /forecast?area=390522 | -
analyst | GET    | /forecast?area=390522&level=town | -
county  | GET    | /check | -
school  | GET    | /check?year=2024 | -
admin   | GET    | /check | -
county  | GET    | /rules | -
admin   | POST   | /rules/tasks.lag | {\"params\":{\"tolerance\":0.12}}
admin   | POST   | /rules/tasks.lag | {\"params\":{\"tolerance\":7}}
county  | GET    | /rules/tasks.lag/history | -
county  | POST   | /hazards | {\"school\":\"3905220001\",\"category\":\"fire\",\"description\":\"灭火器过期\",\"major\":true,\"found\":\"2025-03-01\",\"date\":\"2025-03-02\"}
county  | POST   | /hazards | {\"school\":\"$OUT\",\"category\":\"fire\",\"description\":\"x\"}
county  | GET    | /hazards?school=3905220001 | -
county  | POST   | /hazards/HZ3905220001-001/assign | {\"responsible\":\"张\",\"measures\":\"换\",\"deadline\":\"2025-04-01\",\"funds\":8000,\"contingency_plan\":\"预案\",\"date\":\"2025-03-03\"}
county  | GET    | /hazards?limit=20 | -
school  | GET    | /hazards?state=registered&limit=50 | -
county  | GET    | /tasks | -
admin   | POST   | /tasks | {\"code\":\"TK-PG\",\"name\":\"x\",\"owner_unit\":\"青山县\",\"target\":100,\"start_date\":\"2025-01-01\",\"deadline\":\"2025-12-31\",\"area_code\":\"390522\"}
county  | POST   | /tasks/TK-PG/progress | {\"value\":40,\"date\":\"2025-06-30\"}
county  | GET    | /tasks/TK-PG?as_of=2025-07-01 | -
county  | GET    | /tasks?status=lagging&as_of=2025-09-30 | -
admin   | GET    | /users | -
admin   | POST   | /users | {\"name\":\"wang\",\"password\":\"password-wang-1\",\"role\":\"county_user\",\"area\":\"390522\"}
admin   | PATCH  | /users/wang | {\"disabled\":true}
admin   | GET    | /users/wang | -
school  | GET    | /me | -
school  | GET    | /users | -
admin   | GET    | /audit?limit=40 | -
"

# norm: a body with what differs between two databases by nature taken out (times, ids of
# runs and entries, hashes, tokens); numbers as numbers (100.0 = 100)
norm() {
	jq -S -c 'walk(if type == "object" then del(.created_at, .at, .recorded_at, .updated_at, .last_used,
		.last_used_at, .expires_at, .csrf_token, .hash, .id, .run_id, .duration_seconds, .seconds, .refresh_seconds,
		.fingerprint, .data_fingerprint, .created) else . end)' 2>/dev/null || cat
}

# send TAG: every request to the server running now, one line per answer into $T/out.TAG
send() {
	tag=$1
	: >"$T/out.$tag"
	echo "$REQS" | grep -v '^$' | while IFS='|' read -r role m p b; do
		role=$(echo $role) m=$(echo $m) p=$(echo $p) b=$(echo "$b" | sed 's/^ *//; s/ *$//')
		eval "tok=\$TOK_${tag}_$role"
		case $b in
		-) set -- ;;
		@*) set -- -H 'Content-Type: text/csv' --data-binary "@$T/${b#@}" ;;
		*) set -- -H 'Content-Type: application/json' --data-binary "$b" ;;
		esac
		c=$(curl -s -o "$T/.b" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $tok" "$@" "$API$p")
		case $p in
		*xlsx*) body=$(unzip -p "$T/.b" xl/worksheets/sheet1.xml | md5sum) ;;
		*) body=$(norm <"$T/.b" | tr '\n' ' ') ;;
		esac
		printf '%s\n' "$role $m $p: $c $body" >>"$T/out.$tag"
	done
	# sign-in with a password, and a cookie session's identity
	login county password-county-1
	capi county GET /me
	printf 'login: %s\n' "$(printf '%s' "$body" | norm)" >>"$T/out.$tag"
}

export EDUHQ_DB="$SQ"
serve_start
send sq
serve_stop
export EDUHQ_DB="$PGURL"
serve_start
send pg
serve_stop
is "$srv_rc" 0 "the server on PostgreSQL stops cleanly"

n=$(wc -l <"$T/out.sq")
is "$(wc -l <"$T/out.pg")" "$n" "every request answered on both"
i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	a=$(sed -n "${i}p" "$T/out.pg") b=$(sed -n "${i}p" "$T/out.sq")
	is "$(echo "$a" | cut -c1-3000)" "$(echo "$b" | cut -c1-3000)" "PostgreSQL = SQLite: $(echo "$b" | cut -d: -f1-2 | cut -c1-90)"
done

# the answers were not all alike errors: spot checks of what they say
is "$(grep -c ': 2[0-9][0-9] ' "$T/out.pg") $(grep -c ': 4[0-9][0-9] ' "$T/out.pg") $(grep -c ': 5[0-9][0-9] ' "$T/out.pg")" \
	"52 12 0" "successes and refusals as expected, no server error"
is "$(grep "^county POST /tables/grade_return/import?filename=out.csv:" "$T/out.pg" | grep -o 'out.csv:3: column school_code: [^"]*')" \
	"out.csv:3: column school_code: school '$OUT' is outside your scope" "a scoped upload names the row outside the scope"
is "$(psql_q "SELECT count(*) FROM grade_return WHERE year = 2026")" 2 "the good upload is in PostgreSQL, the bad one is not"
is "$(psql_q "SELECT name FROM school WHERE code = '3905220001'")" "青山县第一小学（新）" "the row write too"
run eduhq --db "$PGURL" audit verify
is "$rc" 0 "the audit chain verifies on PostgreSQL"

# a write made with psql leaves no audit entry: the server sees it by the versions of the
# tables each mechanism reads (src/memo.c), and its run is a fresh CLI run's
serve_start
api "$TOK_pg_analyst" POST /runs '{"as_of":"2025-09-30"}'
psql_q "UPDATE hazard SET state = 'closed' WHERE code = (SELECT min(code) FROM hazard WHERE state <> 'closed')" >/dev/null
api "$TOK_pg_analyst" POST /runs '{"as_of":"2025-09-30"}'
is "$code $(echo "$body" | jq -c '.resident.reloaded')" '201 ["safety","tasks"]' \
	"after a psql write to hazard, the server loads safety and tasks again"
# and a teacher write is never patched by row there: with no data version, the audit log
# cannot show that it names every row written since (resident.c)
(head -1 "$T/csv-pg/teacher.csv"; sed -n 2p "$T/csv-pg/teacher.csv" | sed 's/,bachelor,/,master,/') >"$T/t.csv"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $TOK_pg_admin" -H "Content-Type: text/csv" \
	--data-binary @"$T/t.csv" "$API/tables/teacher/import?filename=t.csv")
is "$code" 200 "a teacher imported through the API on PostgreSQL"
api "$TOK_pg_analyst" POST /runs '{"as_of":"2025-09-30"}'
is "$code $(echo "$body" | jq -c '[.resident.reloaded, .resident.patched]')" '201 [["balance","teachers"],[]]' \
	"balance and teachers are loaded again, not patched"
srv=$(echo "$body" | jq -r .id)
serve_stop
eduhq --db "$PGURL" eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --fresh >/dev/null
cli=$(psql_q "SELECT max(id) FROM eval_run")
sql_of() { "$EDUHQ" --db "$PGURL" indicators --run "$1" --format sql | sed "s/VALUES ($1,/VALUES (N,/"; }
is "$(sql_of "$srv" | sha256sum)" "$(sql_of "$cli" | sha256sum)" "its rows are a fresh CLI run's, bit for bit"
is "$(psql_q "SELECT count(DISTINCT data_fingerprint) FROM eval_run WHERE id IN ($srv, $cli)")" 1 "and so is its fingerprint"

done_testing
