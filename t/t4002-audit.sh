#!/bin/sh
# t4002-audit.sh: every write, through the API or the CLI, leaves one audit entry (who,
# from where, what, the row before and after); `eduhq audit verify` passes on the untouched
# log and names the entry when one is edited, deleted or inserted with sqlite3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-import.sh"
q() { sqlite3 "$EDUHQ_DB" "$1"; }

eduhq init >/dev/null
# CLI writes: import, rules set, eval, users, tokens
write_fixture "$T/fx"
import_fixture "$T/fx" >/dev/null
eduhq rules set tasks.lag tolerance=0.05 >/dev/null
echo 'admin-password-1' | eduhq user add boss --role city_admin --password-stdin >/dev/null
TOK=$(user_token boss)
eduhq eval balance >/dev/null 2>&1
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'import'") $(q "SELECT group_concat(action || ' ' || table_name, ', ') FROM (SELECT * FROM audit_log WHERE id > 36 ORDER BY id)")" \
	"36 rules.set rule_version, user.add app_user, token.create api_token, eval.run eval_run" \
	"CLI writes are audited: import, rules set, user add, token, eval"
is "$(q "SELECT user_name || ' ' || address || ' ' || row_key FROM audit_log WHERE id = 1")" \
	"cli:$(id -un) cli $T/fx/area.csv" "an import names the file"
is "$(q "SELECT json_extract(after, '$.rows') || ' ' || length(json_extract(after, '$.sha256')) FROM audit_log WHERE id = 1")" \
	"$(($(wc -l <"$T/fx/area.csv") - 1)) 64" "with its row count and SHA-256"
is "$(q "SELECT json_extract(before, '$.params.tolerance') || ' -> ' || json_extract(after, '$.params.tolerance') FROM audit_log WHERE action = 'rules.set'")" \
	"0.0 -> 0.05" "rules set: the parameters before and after"
run eduhq import school "$T/fx/school.csv" --dry-run
is "$(q "SELECT count(*) FROM audit_log")" 40 "a dry run records nothing"

# API writes
serve_start
school=$(q "SELECT code FROM school ORDER BY code LIMIT 1")
n0=$(q "SELECT count(*) FROM audit_log")
api "$TOK" PUT "/tables/school/rows/$school" "$(q "SELECT json_object('name', '改名学校', 'area_code', area_code, 'type', type, 'urban_rural', urban_rural) FROM school WHERE code = '$school'")"
is "$code" 200 "update a row"
is "$(q "SELECT action || ' ' || table_name || ' ' || row_key || ' ' || user_name || ' ' || address || ' ' || json_extract(after, '$.name') FROM audit_log ORDER BY id DESC LIMIT 1")" \
	"update school $school boss 127.0.0.1 改名学校" "the update's entry: who, from where, what, after"
ok "$(q "SELECT json_extract(before, '$.name') <> '改名学校' FROM audit_log ORDER BY id DESC LIMIT 1" | grep -qx 1; echo $?)" \
	"and the row before"
api "$TOK" PUT "/tables/school/rows/$school" "$(q "SELECT json_object('name', '改名学校', 'area_code', area_code, 'type', type, 'urban_rural', urban_rural) FROM school WHERE code = '$school'")"
is "$(q "SELECT count(*) FROM audit_log") $code" "$((n0 + 1)) 200" "a write that changes nothing records nothing"
api "$TOK" POST /tables/industry/rows '{"code":"IND9","name":"测试产业"}'
api "$TOK" DELETE /tables/industry/rows/IND9
is "$code" 204 "delete a row"
is "$(q "SELECT action || ' ' || row_key || ' ' || json_extract(before, '$.name') || ' ' || coalesce(after, 'null') FROM audit_log ORDER BY id DESC LIMIT 1")" \
	"delete IND9 测试产业 null" "the delete's entry keeps the row before"
api "$TOK" POST /rules/tasks.lag '{"params":{"tolerance":0.1}}'
api "$TOK" POST /runs '{"mechanisms":["balance"]}'
api "$TOK" POST /users '{"name":"ana","password":"analyst-pass-1","role":"city_analyst"}'
api "$TOK" PATCH /users/ana '{"disabled":true}'
api "$TOK" POST /me/tokens '{}'
tid=$(echo "$body" | jq .id)
api "$TOK" DELETE "/me/tokens/$tid"
printf 'code,name,is_key\r\nIND8,新产业,1\r\n' >"$T/ind.csv"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: text/csv' \
	--data-binary @"$T/ind.csv" "$API/tables/industry/import?filename=ind.csv")
is "$code" 200 "an upload imports"
api "$TOK" POST /hazards "{\"school\":\"$school\",\"category\":\"fire\",\"description\":\"x\",\"code\":\"HZ-A\",\"found\":\"2025-01-01\"}"
api "$TOK" POST /hazards/HZ-A/assign '{"responsible":"r","measures":"m","deadline":"2099-12-31"}'
api "$TOK" POST /tasks '{"code":"TK-A","name":"x","owner_unit":"y","target":1,"start_date":"2025-01-01","deadline":"2030-12-31"}'
api "$TOK" POST /tasks/TK-A/progress '{"value":1}'
is "$code" 201 "ledger writes"
is "$(q "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE id > $n0 ORDER BY id)")" \
	"update insert delete rules.set eval.run user.add user.disable token.create token.revoke import hazard.add hazard.assigned task.add task.progress" \
	"every API write route left its entry"
api "$TOK" GET '/audit?action=delete'
is "$code $(echo "$body" | jq -c '[.entries[] | [.action, .table, .key, .user]]')" \
	'200 [["delete","industry","IND9","boss"]]' "GET /audit filters entries"
api "$TOK" GET '/audit?table=school&action=update&limit=1'
is "$code $(echo "$body" | jq -c '.entries[0] | [.key, (.before | type), .after.name]')" "200 [\"$school\",\"object\",\"改名学校\"]" \
	"rows before and after are JSON objects"
dmg=$(echo "$body" | jq .entries[0].id)
q "CREATE TABLE keep AS SELECT after FROM audit_log WHERE id = $dmg; UPDATE audit_log SET after = '{\"name\":\"改' WHERE id = $dmg"
api "$TOK" GET '/audit?table=school&action=update&limit=1'
is "$code $(echo "$body" | jq -c '.entries[0] | [.id, (.before | type), .after]')" "200 [$dmg,\"object\",\"{\\\"name\\\":\\\"改\"]" \
	"a row damaged in the database comes as the text it is; the page stays whole"
q "UPDATE audit_log SET after = (SELECT after FROM keep) WHERE id = $dmg; DROP TABLE keep"
serve_stop

# --- the chain ---
run eduhq audit verify
total=$(q "SELECT count(*) FROM audit_log")
is "$rc $(echo "$out" | sed 's/head [0-9]* [0-9a-f]*/head H/')" "0 audit: $total entries verify; head H" "the untouched log verifies"
cp "$EDUHQ_DB" "$T/clean.db"

q "UPDATE audit_log SET user_name = 'someone' WHERE id = 3"
run eduhq audit verify
is "$rc:$out" "1:entry 3: edited (its hash does not match its content)
audit: the chain of $total entries does not verify" "an edited entry is named"

cp "$T/clean.db" "$EDUHQ_DB"
q "DELETE FROM audit_log WHERE id = 4"
run eduhq audit verify
is "$rc:$(echo "$out" | head -1)" "1:entry 4: deleted (the chain goes from 3 to 5)" "a deleted entry is named"

cp "$T/clean.db" "$EDUHQ_DB"
q "DELETE FROM audit_log WHERE id = $total"
run eduhq audit verify
is "$rc:$(echo "$out" | head -1)" "1:entries $total-$total: deleted (the recorded head is entry $total)" \
	"the last entry deleted is found through the recorded head"

cp "$T/clean.db" "$EDUHQ_DB"
q "UPDATE audit_log SET id = id + 1 WHERE id >= 5" 2>/dev/null ||
	q "CREATE TEMP TABLE x AS SELECT * FROM audit_log WHERE id >= 5; DELETE FROM audit_log WHERE id >= 5; INSERT INTO audit_log SELECT id + 1, at, user_name, address, action, table_name, row_key, before, after, hash FROM x"
q "INSERT INTO audit_log(id, at, user_name, address, action, table_name, row_key, before, after, hash) SELECT 5, at, 'intruder', address, action, table_name, row_key, before, after, hash FROM audit_log WHERE id = 4"
q "UPDATE meta SET value = (SELECT id || ' ' || hash FROM audit_log ORDER BY id DESC LIMIT 1) WHERE key = 'audit_head'"
run eduhq audit verify
is "$rc:$(echo "$out" | head -1)" "1:entry 5: inserted (the next entry chains to the one before it)" \
	"an inserted entry is named"

cp "$T/clean.db" "$EDUHQ_DB"
q "INSERT INTO audit_log(id, at, user_name, address, action, table_name, row_key, hash) VALUES ($total + 1, '2026-01-01T00:00:00Z', 'x', '', 'update', 'school', 'k', 'ab')"
run eduhq audit verify
is "$rc:$(echo "$out" | head -2)" "1:entry $((total + 1)): edited (its hash does not match its content)
entries $((total + 1))-$((total + 1)): inserted after the recorded head (entry $total)" "an entry appended by hand is found"

cp "$T/clean.db" "$EDUHQ_DB"
mv "$EDUHQ_DB.key" "$T/key"
run eduhq audit verify
is "$rc" 1 "without the key file nothing verifies (the chain's key is not in the database)"
mv "$T/key" "$EDUHQ_DB.key"

run eduhq audit --table school --limit 1
is "$rc $(echo "$out" | awk '{ print $3, $5, $6, $7 }')" "0 boss update school $school" "eduhq audit lists entries"

done_testing
