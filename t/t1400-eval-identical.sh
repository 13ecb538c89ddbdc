#!/bin/sh
# t1400-eval-identical.sh: a faster evaluation gives the same results. The digests below
# were taken with the binary before the speed work (issue 15, commit a4db6a9) on the demo
# city, judged and ruled at a fixed date: every result row as `eval --format json` prints it,
# every stored row at full precision (17 digits), and what `indicators` reads back (CSV, an
# area subtree as JSON, one school as a table). Also: the data fingerprint is the same for
# the same facts and changes with any fact an engine reads.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
digest() { sha256sum | cut -c1-64; }

eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json >"$T/run1.json"
is "$(jq -c '{summary, results}' "$T/run1.json" | digest)" \
	a7613477cb74536bbd98b2a25572255cef5696595929cd2166b407a49840a1ce \
	"every result row of eval --format json as before"
is "$(rsql "SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'),
	printf('%.17g|%.17g|%.17g|%.17g', value, numerator, denominator, threshold), verdict,
	evidence FROM result WHERE run_id = 1 ORDER BY id" | digest)" \
	df3cc268a4aae21e65609c637281d85be72f6712005c4a0a51732a0100a6ee8e \
	"every stored row bit for bit, in the same order"
is "$(eduhq indicators --format csv | digest)" \
	017a0d8cbac59e30080398eb6a012b5272dac1f351a6cf7608da686540cdaaa1 "indicators --format csv as before"
is "$(eduhq indicators --area 390522 --format json | jq -c 'del(.runs)' | digest)" \
	70ed386243ff6c79f6c28fb8be4e285c09ce5f52f21d0d09320144cfe247382f "indicators --area (JSON) as before"
is "$(eduhq indicators --school 3905220001 | digest)" \
	8565d2cf3a26b7bc3ca8ba245bd440bc5de7aef963cbfc0df3ce71613087abc9 "indicators --school (table) as before"

fp() { jq -r .run.data_fingerprint "$1"; }
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json >"$T/run2.json"
is "$(fp "$T/run2.json")" "$(fp "$T/run1.json")" "the same facts give the same fingerprint"
ok $(echo "$(fp "$T/run1.json")" | grep -qE '^[0-9a-f]{64}$' && echo 0 || echo 1) "the fingerprint is 64 hex digits"

# one fact each engine family reads, changed and changed back: the fingerprint follows
changed() { # changed LABEL SQL-CHANGE SQL-UNDO
	sqlite3 "$EDUHQ_DB" "$2"
	eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json >"$T/x.json"
	ok $([ "$(fp "$T/x.json")" != "$(fp "$T/run1.json")" ] && echo 0 || echo 1) "a changed $1 changes the fingerprint"
	sqlite3 "$EDUHQ_DB" "$3"
	eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json >"$T/x.json"
	is "$(fp "$T/x.json")" "$(fp "$T/run1.json")" "changed back, the $1 gives the first fingerprint again"
}
changed "teacher title" "UPDATE teacher SET title = 'second' WHERE code = 'T0000001'" \
	"UPDATE teacher SET title = 'senior' WHERE code = 'T0000001'"
done_testing
