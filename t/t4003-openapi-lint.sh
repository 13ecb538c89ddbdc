#!/bin/sh
# t4003-openapi-lint.sh: the OpenAPI 3.1 document a real server serves at
# /api/v1/openapi.json passes an established linter (@redocly/cli, recommended-strict, from
# t/openapi/package.json), and the linter is not a rubber stamp: a copy without the error
# responses of one operation and with a duplicate operationId fails it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

L="$TOP/t/openapi"
if [ ! -x "$L/node_modules/.bin/redocly" ]; then
	(cd "$L" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 ||
		{ cat "$T/npm.log" >&2; echo "Bail out! npm ci in t/openapi failed"; exit 1; }
fi
lint() { (cd "$L" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true ./node_modules/.bin/redocly lint --config redocly.yaml "$1") >"$T/lint.out" 2>&1; }

eduhq init >/dev/null
serve_start
api - GET /openapi.json
is "$code" 200 "the document is served"
echo "$body" >"$T/openapi.json"
lint "$T/openapi.json"
rc=$?
is "$rc $(grep -c 'Your API description is valid' "$T/lint.out")" "0 1" "redocly lint (recommended-strict) passes"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/lint.out" >&2
is "$(echo "$body" | jq '[.paths[] | keys[]] | length')" \
	"$(grep -c '^	{ "[A-Z]*", "/api/v1' "$TOP/src/api.c")" "one operation per row of the route table"

jq 'del(.paths["/api/v1/me"].get.responses["401"], .paths["/api/v1/me"].get.responses["403"],
	.paths["/api/v1/me"].get.responses["400"]) | .paths["/api/v1/me"].get.operationId = "get_health"' \
	"$T/openapi.json" >"$T/bad.json"
lint "$T/bad.json"
is "$? $(grep -o 'Validation failed with [0-9]* errors' "$T/lint.out")" "1 Validation failed with 2 errors" \
	"a broken copy fails the lint"

done_testing
