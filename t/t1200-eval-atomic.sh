#!/bin/sh
# t1200-eval-atomic.sh: an evaluation run is one transaction: when storing it fails midway
# (after the seats mechanism has written its forecast vintage, while the results are being
# inserted) or the process is killed while committing, nothing of the run is stored; a later run
# stores everything. Also `indicators` scoped to an area subtree and to one school.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
counts() {
	sqlite3 "$EDUHQ_DB" "SELECT (SELECT count(*) FROM eval_run) || ' ' || (SELECT coalesce(sum(nrows), 0) FROM result_chunk)
		|| ' ' || (SELECT count(*) FROM forecast_vintage) || ' ' || (SELECT count(*) FROM forecast_value)"
}
is "$(counts)" "0 0 0 0" "no run stored yet"

# fail the third insert of a chunk of results (the teachers' rows, after balance and seats
# stored theirs): the vintage is already written by then
sqlite3 "$EDUHQ_DB" "CREATE TABLE fault (n INTEGER); INSERT INTO fault VALUES (0);
CREATE TRIGGER fault_result BEFORE INSERT ON result_chunk BEGIN
	UPDATE fault SET n = n + 1;
	SELECT RAISE(ABORT, 'injected failure') WHERE (SELECT n FROM fault) >= 3;
END;"
run eduhq eval
is "$rc" 1 "eval fails when a result cannot be stored"
ok $(echo "$err" | grep -q "injected failure" && echo 0 || echo 1) "the failure is reported ($err)"
is "$(counts)" "0 0 0 0" "nothing of the failed run is stored: no run, no result, no vintage"
is "$(sqlite3 "$EDUHQ_DB" 'SELECT n FROM fault')" 0 "even the trigger's own counter is rolled back"

# kill the process while it commits: strace sends SIGKILL at its 30th write to the WAL (a
# run writes about 60 pages there before the commit frame): deterministic, no timing
sqlite3 "$EDUHQ_DB" "DROP TRIGGER fault_result"
wal0=$(stat -c %s "$EDUHQ_DB-wal" 2>/dev/null || echo 0)
strace -f -o "$T/strace.out" -P "$EDUHQ_DB-wal" -e trace=pwrite64 -e inject=pwrite64:signal=SIGKILL:when=30 \
	"$EDUHQ" eval >/dev/null 2>&1
is "$?" 137 "the eval was killed by SIGKILL"
is "$(grep -c 'pwrite64(' "$T/strace.out")" 30 "at its 30th write to the WAL, mid-commit"
ok $([ "$(stat -c %s "$EDUHQ_DB-wal")" -gt "$wal0" ] && echo 0 || echo 1) "uncommitted pages had reached the WAL"
is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA integrity_check')" ok "the database is intact"
is "$(counts)" "0 0 0 0" "a killed run leaves nothing stored"

sqlite3 "$EDUHQ_DB" "DROP TABLE fault"
run eduhq eval
is "$rc" 0 "eval succeeds afterwards"
set -- $(counts)
is "$1" 1 "one run stored"
ok $([ "$2" -gt 100 ] && [ "$3" = 1 ] && [ "$4" -gt 0 ] && echo 0 || echo 1) \
	"its results and its forecast vintage are stored ($*)"

# scope: an area is its whole subtree (county rows, town rows, schools in its towns)
run eduhq indicators --area 390522 --format csv
units=$(echo "$out" | awk -F, 'NR > 1 { print $3 }' | sort -u | tr '\n' ' ')
is "$units" "county school " "a county's results: the county's rows and its schools' rows"
bad=$(echo "$out" | awk -F, 'NR > 1 && $3 == "school" { print $4 }' | sort -u | while read -r sc; do
	sqlite3 "$EDUHQ_DB" "WITH RECURSIVE sub(c) AS (SELECT '390522' UNION ALL SELECT a.code FROM area a JOIN sub ON a.parent_code = sub.c)
		SELECT count(*) FROM school WHERE code = '$sc' AND area_code IN (SELECT c FROM sub)" | grep -qx 0 && echo "$sc"; done)
is "$bad" "" "every school row lies in the county's subtree"
is "$(echo "$out" | awk -F, 'NR > 1 && $3 == "school"' | wc -l | tr -d ' ')" \
	"$(eduhq indicators --format csv | awk -F, 'NR > 1 && $3 == "school" { print $4 }' | while read -r sc; do
		sqlite3 "$EDUHQ_DB" "SELECT a.code, a.parent_code FROM school s JOIN area a ON a.code = s.area_code WHERE s.code = '$sc'"; done |
		grep -c '390522')" "and no school row of the county is missing"
sc=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM school ORDER BY code LIMIT 1")
run eduhq indicators --school "$sc" --format csv
is "$(echo "$out" | awk -F, 'NR > 1 { print $3 ":" $4 }' | sort -u)" "school:$sc" "one school sees only its own rows"
done_testing
