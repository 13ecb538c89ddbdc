#!/bin/sh
# t4004-malformed.sh: the malformed-request corpus of the fuzzer (t/fuzz/corpus_http: bad
# JSON, wrong types, huge numbers, ..%2f, invalid UTF-8, duplicate keys, deep nesting, empty
# captures) sent to a real server as the city administrator: every one is answered with a
# 4xx and the error shape, never a 5xx or a dropped connection, and the server lives on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

eduhq init >/dev/null
echo 'admin-password-1' | eduhq user add boss --role city_admin --password-stdin >/dev/null
TOK=$(user_token boss)
serve_start
for f in "$TOP"/t/fuzz/corpus_http/*; do
	name=$(basename "$f")
	m=$(sed -n 1p "$f")
	p=$(sed -n 2p "$f")
	tail -n +3 "$f" >"$T/body"
	[ "$name" = login ] && continue # the one well-formed request
	code=$(curl -s -o "$T/.body" -w '%{http_code}' --path-as-is -X "$m" -H "Authorization: Bearer $TOK" \
		-H 'Content-Type: application/json' --data-binary @"$T/body" "http://127.0.0.1:$PORT$p")
	ok "$(case $code in 4??) jq -e '.error.code and .error.message' "$T/.body" >/dev/null ;; *) false ;; esac; echo $?)" \
		"$name: $code $(jq -r '.error.code // empty' "$T/.body" 2>/dev/null)"
done
api "$TOK" GET /me
is "$code" 200 "the server still answers"
serve_stop
is "$srv_rc" 0 "and stops cleanly"
done_testing
