#!/bin/sh
# t4000-serve.sh: `eduhq serve` on a real loopback port: the error shape and statuses (400,
# 401, 404, 405, 413, 415, 422), request parsing limits, the OpenAPI document, the access
# log, and SIGTERM draining a request in flight before exiting 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

eduhq init >/dev/null
echo 'admin-password-1' | eduhq user add admin --role city_admin --password-stdin >/dev/null
TOK=$(user_token admin)
serve_start

api - GET /health
is "$code $body" '200 {"status":"ok","schema_version":3}' "health answers without sign-in"

api - GET /nope
is "$code $body" '404 {"error":{"code":"not_found","message":"no route /api/v1/nope","details":[]}}' \
	"an unknown route is 404 with the error shape"
code=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' -X PUT "$API/me")
is "$code $(grep -i '^allow:' "$T/h" | tr -d '\r')" "405 Allow: GET" "a known path with another method is 405 with Allow"
api - GET /me
is "$code $(echo "$body" | jq -r .error.code)" "401 unauthenticated" "no credentials: 401"
api eduhq_0000000000000000000000000000000000000000000000000000000000000000 GET /me
is "$code $body" '401 {"error":{"code":"unauthenticated","message":"invalid or revoked API token","details":[]}}' \
	"an unknown API token: 401"
api "$TOK" GET /me
is "$code $(echo "$body" | jq -c '[.name,.role,.scope.kind,.via]')" '200 ["admin","city_admin","all","token"]' \
	"an API token identifies its user"

# --- bodies ---
code=$(curl -s -o "$T/.body" -w '%{http_code}' -X POST -H 'Content-Type: text/plain' -d '{}' "$API/session")
is "$code $(jq -r .error.code "$T/.body")" "415 unsupported_media_type" "a JSON route refuses another media type"
api - POST /session '{"name": "admin", '
is "$code $(echo "$body" | jq -r .error.code)" "400 bad_json" "malformed JSON: 400"
api - POST /session '{"name":"a","name":"b","password":"x"}'
is "$code $(echo "$body" | jq -r .error.message)" "400 body: line 1 column 18: duplicate object key near '\"name\"'" \
	"duplicate keys are refused"
api - POST /session '[1,2]'
is "$code $body" '400 {"error":{"code":"bad_json","message":"the body must be a JSON object","details":[]}}' \
	"a body that is not an object"
api - POST /session '{"name":7,"password":"x","extra":1}'
is "$code $body" '422 {"error":{"code":"invalid","message":"the body has 2 invalid fields","details":[{"field":"extra","message":"unknown field"},{"field":"name","message":"must be a string"}]}}' \
	"wrong types and unknown fields: 422 naming each field"
api - POST /session '{"name":"admin","password":1e999999}'
is "$code $(echo "$body" | jq -r .error.code)" "400 bad_json" "a huge number is refused, not a 500"
printf '{"name":"\377\376","password":"x"}' >"$T/bad-utf8.json"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$T/bad-utf8.json" "$API/session")
is "$code $(jq -r .error.code "$T/.body")" "400 bad_json" "invalid UTF-8 in the body: 400"
head -c 1200000 /dev/zero | tr '\0' 'a' >"$T/big.json"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$T/big.json" "$API/session")
is "$code $(jq -r .error.code "$T/.body")" "413 too_large" "a body over 1 MiB: 413"

head -c 30000000 /dev/zero >"$T/big.csv"
r=$(curl -s -o "$T/.body" -w '%{http_code} %{size_upload}' -X POST -H 'Content-Type: text/csv' \
	--data-binary @"$T/big.csv" "$API/tables/area/import")
is "${r% *} $(jq -r .error.code "$T/.body")" "401 unauthenticated" "an upload is refused before its body is read"
ok "$([ "${r#* }" -lt 30000000 ]; echo $?)" "(curl sent ${r#* } of 30000000 bytes)"
rm -f "$T/big.csv"

# --- paths and query strings ---
code=$(curl -s -o "$T/.body" -w '%{http_code}' --path-as-is "$API/..%2f..%2fetc/passwd")
is "$code $(jq -r .error.code "$T/.body")" "404 not_found" "..%2f in a path is just an unknown route"
code=$(curl -s -o "$T/.body" -w '%{http_code}' "$API/users/%ff%fe" -H "Authorization: Bearer $TOK")
is "$code $(jq -r .error.message "$T/.body")" "400 the path is not valid UTF-8" "invalid UTF-8 in the path: 400"
api "$TOK" GET '/audit?limit=99999999999999999999999'
is "$code $(echo "$body" | jq -r .error.message)" \
	"400 query parameter 'limit': expected an integer 1-1000, not '99999999999999999999999'" "a huge query number: 400"
api "$TOK" GET '/audit?limit=%ff'
is "$code $(echo "$body" | jq -r .error.message)" "400 a query parameter is not valid UTF-8" "invalid UTF-8 in the query: 400"

# --- OpenAPI ---
api - GET /openapi.json
is "$code $(echo "$body" | jq -r '.openapi + " " + .info.title')" "200 3.1.0 eduhq API" "the OpenAPI document is served"
is "$(echo "$body" | jq -r '.paths["/api/v1/users/{name}"].patch["x-eduhq-permission"]')" admin \
	"each operation carries its route's permission"

# --- access log: time, user, address, method, path, status, bytes, ms ---
line=$(grep ' GET /api/v1/me 200 ' "$T/access.log" | head -1)
ok "$(echo "$line" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z admin 127\.0\.0\.1 GET /api/v1/me 200 [0-9]+ [0-9.]+$'; echo $?)" \
	"an access-log line per request: $line"

# --- SIGTERM drains a request in flight, then exit 0 ---
head -c 300000 /dev/zero | tr '\0' ' ' >"$T/slow.json"
printf '{"name":"admin","password":"admin-password-1"}' >>"$T/slow.json"
curl -s -o "$T/slow.body" -w '%{http_code}' --limit-rate 100k -X POST -H 'Content-Type: application/json' \
	--data-binary @"$T/slow.json" "$API/session" >"$T/slow.code" &
cpid=$!
sleep 1
kill -TERM "$SRV_PID"
wait "$cpid"
is "$(cat "$T/slow.code") $(jq -r .name "$T/slow.body")" "201 admin" "a slow upload in flight at SIGTERM still gets its answer"
wait "$SRV_PID"
is "$?" 0 "the server exits 0 after draining"
SRV_PID=
code=$(curl -s -o /dev/null -w '%{http_code}' "$API/health")
is "$code" 000 "and no longer listens"

done_testing
