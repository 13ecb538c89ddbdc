#!/bin/sh
# t4001-auth.sh: users, sign-in, sessions and API tokens against a real server: one answer
# (and about one duration) for an unknown user and a wrong password, cookie attributes, CSRF
# on cookie writes, logout, token revocation, disabled users, password change ending
# sessions, idle expiry from the rule server.auth, and the slow-down per user and per
# address after repeated failures.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

eduhq init >/dev/null
run eduhq user add boss --role city_admin
is "$rc $(echo "$out" | head -1)" "0 user: added boss" "user add"
pw=$(echo "$out" | sed -n 's/^password: //p')
is "${#pw}" 16 "without --password-stdin a 16-character password is generated and shown once"
echo 'analyst-pass-1' | eduhq user add ana --role city_analyst --password-stdin >/dev/null
echo 'bob-password-1' | eduhq user add bob --role city_analyst --password-stdin >/dev/null
run sh -c "echo short | $EDUHQ user add x --role city_admin --password-stdin"
is "$rc:$err" "1:eduhq: password too short: at least 10 characters (rule server.auth)" "short passwords are refused"
run eduhq user add y --role county_user
is "$rc:$err" "2:eduhq: a county user needs an area (--area CODE) and no school" "a county user needs an area"
run sh -c "echo 'long-enough-1' | $EDUHQ user add y --role county_user --area 999999 --password-stdin"
is "$rc:$err" "1:eduhq: no area '999999'" "the area must exist"
run sh -c "echo 'long-enough-1' | $EDUHQ user add boss --role city_admin --password-stdin"
is "$rc:$err" "1:eduhq: user 'boss' already exists" "names are unique"
run eduhq user list
is "$out" "ana                  city_analyst  -            active   市局分析员
bob                  city_analyst  -            active   市局分析员
boss                 city_admin    -            active   市局管理员" "user list"

serve_start

# --- wrong password and unknown user: one answer, about one time ---
# the fastest of three tries each, so other work on the machine cannot make one slow; each
# from its own loopback address, so these failures stay under the per-address slow-down
signin_time() { # NAME BODY-FILE SOURCE: the least time_total of three wrong-password sign-ins
	for _i in 1 2 3; do
		curl -s -o "$2" -w '%{time_total}\n' --interface "$3" -X POST -H 'Content-Type: application/json' \
			-d "{\"name\":\"$1\",\"password\":\"not-the-password\"}" "$API/session"
	done | sort -n | head -1
}
t_wrong=$(signin_time ana "$T/w.body" 127.0.0.5)
t_unknown=$(signin_time nobody "$T/u.body" 127.0.0.6)
is "$(cat "$T/w.body")" '{"error":{"code":"bad_credentials","message":"wrong user name or password","details":[]}}' \
	"a wrong password: 401 bad_credentials"
is "$(cat "$T/u.body")" "$(cat "$T/w.body")" "an unknown user gets the same answer"
ok "$(echo "$t_unknown $t_wrong" | awk '{ exit !($1 >= $2 / 3 && $1 <= 3 * $2) }'; echo $?)" \
	"and takes about as long ($t_unknown s vs $t_wrong s: an Argon2id verification either way)"

# --- a cookie session ---
code=$(curl -s -D "$T/h" -o "$T/.body" -w '%{http_code}' -c "$T/cj.ana" -X POST -H 'Content-Type: application/json' \
	-d '{"name":"ana","password":"analyst-pass-1"}' "$API/session")
is "$code" 201 "sign-in: 201"
ok "$(grep -i '^set-cookie: eduhq_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200' "$T/h" >/dev/null; echo $?)" \
	"the cookie is HttpOnly, SameSite=Strict, with the absolute lifetime"
csrf_ana=$(jq -r .csrf_token "$T/.body")
capi ana GET /me
is "$code $(echo "$body" | jq -r '.name + " " + .via')" "200 ana session" "the cookie signs the next requests in"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -b "$T/cj.ana" -X POST -H 'Content-Type: application/json' -d '{}' "$API/me/tokens")
is "$code $(jq -r .error.code "$T/.body")" "403 csrf" "a cookie write without the CSRF token is refused"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -b "$T/cj.ana" -H 'X-CSRF-Token: 0000' -X POST -H 'Content-Type: application/json' -d '{}' "$API/me/tokens")
is "$code" 403 "and with a wrong one"
capi ana POST /me/tokens '{"label":"nightly script"}'
is "$code $(echo "$body" | jq -r '.token | test("^eduhq_[0-9a-f]{64}$")')" "201 true" "with the CSRF token: a new API token, shown once"
tok=$(echo "$body" | jq -r .token)
tid=$(echo "$body" | jq -r .id)
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM api_token WHERE token_hash = '$tok'")" 0 "the token itself is not stored"
api "$tok" GET /me/tokens
is "$code $(echo "$body" | jq -c '[.tokens[] | [.label, .revoked_at]]')" '200 [["nightly script",null]]' \
	"tokens are listed without their text"
api "$tok" POST /me/tokens '{}'
is "$code" 201 "a token needs no CSRF token (it is not a cookie)"
capi ana DELETE "/me/tokens/$tid"
is "$code" 204 "revoke a token"
api "$tok" GET /me
is "$code $(echo "$body" | jq -r .error.message)" "401 invalid or revoked API token" "a revoked token is refused"
cookie=$(awk '$6 == "eduhq_session" { print $7 }' "$T/cj.ana")
capi ana DELETE /session
is "$code" 204 "logout"
is "$(awk '$6 == "eduhq_session" { print $7 }' "$T/cj.ana")" "" "logout clears the cookie"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Cookie: eduhq_session=$cookie" "$API/me")
is "$code $(jq -r .error.message "$T/.body")" "401 the session has ended; sign in again" "the old cookie no longer works"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM app_session WHERE user_name = 'ana'")" 0 "and deleted from the database"

# --- revocation from the CLI, disabled users, password change ---
tok2=$(user_token ana)
api "$tok2" GET /me
is "$code" 200 "a token from the CLI works"
id2=$(sqlite3 "$EDUHQ_DB" "SELECT max(id) FROM api_token")
run eduhq user token ana --revoke "$id2"
is "$rc:$out" "0:user: token $id2 revoked" "user token --revoke"
api "$tok2" GET /me
is "$code" 401 "and the server refuses it at once"
tok3=$(user_token ana)
login ana analyst-pass-1
eduhq user disable ana >/dev/null
capi ana GET /me
is "$code" 401 "disabling a user ends its sessions"
api "$tok3" GET /me
is "$code" 401 "and its tokens stop working"
login ana analyst-pass-1
is "$code $(echo "$body" | jq -r .error.code)" "401 bad_credentials" "a disabled user cannot sign in (same answer)"
eduhq user enable ana >/dev/null
login ana analyst-pass-1
is "$code" 201 "enabled again"
echo 'analyst-pass-2' | eduhq user passwd ana --password-stdin >/dev/null
capi ana GET /me
is "$code" 401 "a new password ends the old sessions"
login ana analyst-pass-1
is "$code" 401 "the old password no longer works"
login ana analyst-pass-2
is "$code" 201 "the new one does"

# --- slow-down: per user and per address (sources 127.0.0.2-4 on loopback) ---
for i in 1 2 3 4 5; do
	curl -s -o /dev/null --interface 127.0.0.2 -X POST -H 'Content-Type: application/json' \
		-d '{"name":"bob","password":"wrong-wrong"}' "$API/session"
done
code=$(curl -s -D "$T/h" -o "$T/.body" -w '%{http_code}' --interface 127.0.0.3 -X POST -H 'Content-Type: application/json' \
	-d '{"name":"bob","password":"bob-password-1"}' "$API/session")
is "$code $(grep -i '^retry-after:' "$T/h" | tr -d '\r' | sed 's/89[89]$/900/') $(jq -r .error.message "$T/.body" | sed 's/89[89] sec/900 sec/')" \
	"429 Retry-After: 900 too many failed sign-ins; try again in 900 seconds" \
	"after 5 failures the user is slowed down, even from another address with the right password"
code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -X POST -H 'Content-Type: application/json' \
	-d '{"name":"ana","password":"analyst-pass-2"}' "$API/session")
is "$code" 429 "and so is the address the failures came from, for every user"
code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.4 -X POST -H 'Content-Type: application/json' \
	-d '{"name":"ana","password":"analyst-pass-2"}' "$API/session")
is "$code" 201 "another user from another address signs in"
serve_stop

# --- idle expiry from the rule server.auth (read at start) ---
eduhq rules set server.auth session_idle_minutes=0.05 >/dev/null
serve_start
login boss "$pw"
capi boss GET /me
is "$code" 200 "a fresh session works"
sleep 4
capi boss GET /me
is "$code $(echo "$body" | jq -r .error.message)" "401 the session has ended; sign in again" \
	"a session idle longer than session_idle_minutes has ended"

done_testing
