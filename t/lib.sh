# t/lib.sh: TAP helpers for the black-box tests. Source it first; it makes a scratch
# directory ($T), puts the eduhq under test on PATH as `eduhq`, and cleans up on exit.
set -u
: "${EDUHQ:?run through make test (EDUHQ names the binary)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-t.XXXXXX")
trap 'rm -rf "$T"' EXIT
TOP=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$TOP/../shared" 2>/dev/null && pwd || echo "$TOP/../shared")
export EDUHQ_DB="$T/eduhq.db"
# every evaluation checks that each mechanism's loader reads only the tables its entry in
# mechanisms[] declares (the server's resident facts are reloaded by those declarations)
export EDUHQ_CHECK_TABLES=1
eduhq() { "$EDUHQ" "$@"; }
_n=0
_failed=0

plan() { echo "1..$1"; }
done_testing() { echo "1..$_n"; [ "$_failed" = 0 ]; }
ok() { # ok COND-STATUS NAME
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=1; fi
}
# is GOT EXPECTED NAME
is() {
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | sed '2,$s/^/#   /' >&2
		_failed=1
	fi
}
# run CMD...: run, capturing $out (stdout), $err (stderr) and $rc (status)
run() {
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
# db_dump: a canonical dump of the test database, to prove it unchanged
db_dump() { sqlite3 "$EDUHQ_DB" .dump; }
# import_or_bail DIR TABLE...: import DIR/TABLE.csv for each table in order; on a failure
# show eduhq's stderr and stop the test with "Bail out!".
import_or_bail() {
	_d=$1
	shift
	for _t in "$@"; do
		eduhq import "$_t" "$_d/$_t.csv" >/dev/null 2>"$T/.imp.err" ||
			{ cat "$T/.imp.err" >&2; echo "Bail out! import $_t"; exit 1; }
	done
}
# rsql SQL...: sqlite3 on the test database with a side file attached ($T/results.db, schema
# r) that holds table `result` as it was before results were stored as chunks (id in storage
# order, run_id, indicator, unit_kind, unit_id, stage, year, value, numerator, denominator,
# threshold, verdict, evidence): every row of every stored run, written by `eduhq indicators
# --run N --format sql` (numbers bit for bit) and made again whenever the runs change, so a
# test's query of `result` reads the stored rows.
rsql() {
	_sig="$EDUHQ_DB $(sqlite3 "$EDUHQ_DB" "SELECT group_concat(id || ' ' || created_at || ' ' || data_fingerprint || ' ' || rule_versions, ';') FROM eval_run")"
	if [ ! -f "$T/results.db" ] || [ "$_sig" != "$(cat "$T/.results.sig" 2>/dev/null)" ]; then
		rm -f "$T/results.db"
		sqlite3 "$T/results.db" "CREATE TABLE result (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
			indicator TEXT NOT NULL, unit_kind TEXT NOT NULL, unit_id TEXT NOT NULL, stage TEXT NOT NULL
			DEFAULT '', year INTEGER, value REAL, numerator REAL, denominator REAL, threshold REAL,
			verdict TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '{}')"
		for _r in $(sqlite3 "$EDUHQ_DB" "SELECT id FROM eval_run ORDER BY id"); do
			"$EDUHQ" indicators --run "$_r" --format sql >"$T/.results.sql" ||
				{ echo "Bail out! indicators --run $_r --format sql"; exit 1; }
			sqlite3 "$T/results.db" <"$T/.results.sql"
		done
		echo "$_sig" >"$T/.results.sig"
	fi
	sqlite3 -cmd "ATTACH '$T/results.db' AS r" "$EDUHQ_DB" "$@"
}
