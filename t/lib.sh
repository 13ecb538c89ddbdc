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
# rsql SQL...: sqlite3 on the test database with a side file attached (schema r) that holds
# table `result` as it was before results were stored as chunks (id in storage order,
# run_id, indicator, unit_kind, unit_id, stage, year, value, numerator, denominator,
# threshold, verdict, evidence): every row of every stored run, written by `eduhq indicators
# --run N --format sql` (numbers bit for bit), so a test's query of `result` reads the stored
# rows. The side file is the database's own ($T/results-CKSUM.db) and is brought up to date
# run by run: a run stored since is added, one gone (or another under its id) removed.
# (Writing every run out again whenever one was added made a test of many runs quadratic.)
rsql() {
	_rdb="$T/results-$(printf '%s' "$EDUHQ_DB" | cksum | cut -d' ' -f1).db"
	[ -f "$_rdb" ] || sqlite3 "$_rdb" "CREATE TABLE result (id INTEGER PRIMARY KEY, run_id
		INTEGER NOT NULL, indicator TEXT NOT NULL, unit_kind TEXT NOT NULL, unit_id TEXT NOT
		NULL, stage TEXT NOT NULL DEFAULT '', year INTEGER, value REAL, numerator REAL,
		denominator REAL, threshold REAL, verdict TEXT NOT NULL, evidence TEXT NOT NULL
		DEFAULT '{}'); CREATE TABLE run (id INTEGER PRIMARY KEY, sig TEXT NOT NULL)"
	_sig="id || '|' || created_at || ' ' || data_fingerprint || ' ' || rule_versions"
	sqlite3 "$EDUHQ_DB" "SELECT $_sig FROM eval_run" | sort >"$T/.runs.now"
	sqlite3 "$_rdb" "SELECT id || '|' || sig FROM run" | sort >"$T/.runs.had"
	for _r in $(comm -23 "$T/.runs.had" "$T/.runs.now" | cut -d'|' -f1); do
		sqlite3 "$_rdb" "DELETE FROM result WHERE run_id = $_r; DELETE FROM run WHERE id = $_r"
	done
	for _r in $(comm -13 "$T/.runs.had" "$T/.runs.now" | cut -d'|' -f1 | sort -n); do
		"$EDUHQ" indicators --run "$_r" --format sql >"$T/.results.sql" ||
			{ echo "Bail out! indicators --run $_r --format sql"; exit 1; }
		sqlite3 "$_rdb" <"$T/.results.sql"
		sqlite3 -cmd "ATTACH '$EDUHQ_DB' AS m" "$_rdb" "INSERT INTO run SELECT id,
			substr($_sig, length(id) + 2) FROM m.eval_run WHERE id = $_r"
	done
	sqlite3 -cmd "ATTACH '$_rdb' AS r" "$EDUHQ_DB" "$@"
}
