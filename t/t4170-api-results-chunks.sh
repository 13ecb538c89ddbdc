#!/bin/sh
# t4170-api-results-chunks.sh: the server's result routes over stored chunks and its cache of
# decoded chunks: a school's rows, a county user's own rows and the verdict summary equal
# the CLI's; asked again (from the cache) the same; a run stored by another process is
# answered at once; a deleted run's id is not given again, so the cache never answers for
# it; a damaged chunk is a 500 with the run and chunk in the server's log, and the other
# routes keep answering.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18700 18709"
. "$(dirname "$0")/lib-serve.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
AS="--as-of 2025-09-30 --rules-as-of 2025-09-30"
eduhq eval $AS >/dev/null
head -c 18 /dev/urandom | base64 | eduhq user add an --role city_analyst --password-stdin >/dev/null
head -c 18 /dev/urandom | base64 | eduhq user add cu --role county_user --area 390522 --password-stdin >/dev/null
TOK_an=$(user_token an)
TOK_cu=$(user_token cu)
serve_start --results-cache-mb 16
rows() { echo "$body" | jq -c .results; }
cli() { eduhq indicators "$@" --format json | jq -c .results; }

api "$TOK_an" GET "/results?school=3905220001&limit=1000"
first=$body
is "$code $(echo "$body" | jq '.results | length')" "200 23" "a school's 23 rows"
is "$(rows)" "$(cli --school 3905220001)" "... the rows the CLI reads"
api "$TOK_an" GET "/results?school=3905220001&limit=1000"
is "$body" "$first" "asked again (decoded chunks from the cache): the same answer"
api "$TOK_an" GET "/results?school=3905220001&limit=5&cursor=o20"
is "$(rows)" "$(cli --school 3905220001 | jq -c '.[20:]')" "a page from an offset: the last 3 rows"
api "$TOK_cu" GET "/results?indicator=BAL.CV.L5"
is "$(rows)" "$(cli --area 390522 --indicator BAL.CV.L5)" "a county user's own CV rows"
is "$(echo "$body" | jq -r '[.results[] | .verdict] | join(" ")')" "fail pass" "... primary fails, junior passes"
api "$TOK_an" GET "/results/summary"
is "$(echo "$body" | jq -c '.mechanisms[] | select(.mechanism == "balance") | [.run, .pass, .fail, .warn, .na]')" \
	"[1,$(for v in pass fail warn na; do eduhq indicators --verdict $v --format csv | grep -c '^1,BAL\.'; done | paste -sd,)]" \
	"the verdict summary counts the rows by verdict"

# another process stores run 2: the next request reads it
eduhq eval $AS >/dev/null
api "$TOK_an" GET "/results?school=3905220001&limit=1000"
is "$(echo "$body" | jq -c '[.runs[].id]') $(rows | sha256sum)" "[2] $(echo "$first" | jq -c .results | sha256sum)" \
	"a new run is answered at once, with the same rows"
# deleted by hand: run 1 answers again; the next run is 3, never 2 again
sqlite3 "$EDUHQ_DB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id = 2"
api "$TOK_an" GET "/results?school=3905220001&limit=1000"
is "$(echo "$body" | jq -c '[.runs[].id]')" "[1]" "run 2 deleted: run 1 answers"
eduhq eval $AS >/dev/null
api "$TOK_an" GET "/results?school=3905220001&limit=1000"
is "$(echo "$body" | jq -c '[.runs[].id]') $(rows | sha256sum)" "[3] $(echo "$first" | jq -c .results | sha256sum)" \
	"the next run is 3, read from its own chunks"

# a damaged chunk not decoded yet (run 3's plan tasks): an internal error, logged
sqlite3 "$EDUHQ_DB" "UPDATE result_chunk SET data = substr(data, 1, 50) || x'00' || substr(data, 52) WHERE run_id = 3 AND seq = 8"
api "$TOK_an" GET "/results?indicator=TASK.PROGRESS"
is "$code $(echo "$body" | jq -r .error.code)" "500 internal" "a damaged chunk: 500"
ok $(grep -q "error: GET /api/v1/results: run 3: result chunk 8 is damaged: " "$T/access.log" && echo 0 || echo 1) \
	"the server's log names the run and the chunk"
api "$TOK_an" GET "/results?school=3905220001&limit=1000"
is "$code $(echo "$body" | jq '.results | length')" "200 23" "other chunks still answer"
serve_stop
is "$srv_rc" 0 "the server stops cleanly"
done_testing
