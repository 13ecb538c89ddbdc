#!/bin/sh
# t1401-eval-two-threads.sh: a run of several mechanisms shares them between two threads (the
# second on its own connection reading the run's snapshot); the run is the same as the
# mechanisms run one by one: the same rows in mechanism order, the same rule versions; a
# mechanism failing on the second thread fails the run, names the mechanism and stores
# nothing; with two failing, the first in mechanism order is the one reported. Balance
# computed alone reads its schools' rows on a second thread: the same facts and rows, and a
# failure there fails the run.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
J="--as-of 2025-09-30 --rules-as-of 2025-09-30 --format json"
rows() { jq -c '.results[]' "$1"; }

eduhq eval $J >"$T/all.json"
: >"$T/one.rows"
for m in balance seats teachers groups vocational assessment curriculum safety tasks; do
	eduhq eval "$m" $J >"$T/$m.json"
	rows "$T/$m.json" >"$T/$m.rows"
	cat "$T/$m.rows" >>"$T/one.rows"
done
rows "$T/all.json" >"$T/all.rows"
is "$(wc -l <"$T/all.rows" | tr -d ' ')" "$(wc -l <"$T/one.rows" | tr -d ' ')" \
	"as many rows as the nine mechanisms run one by one"
ok $(cmp -s "$T/all.rows" "$T/one.rows" && echo 0 || echo 1) \
	"the same rows in mechanism order as the nine run one by one"
is "$(jq -c '.run.rule_versions' "$T/all.json")" \
	"$(for m in balance seats teachers groups vocational assessment curriculum safety tasks; do
		jq -c '.run.rule_versions' "$T/$m.json"; done | jq -s -c 'add | to_entries | sort_by(.key) | from_entries')" \
	"the rule versions used are those of every mechanism, the second thread's too"
is "$(jq -c '.summary | keys_unsorted' "$T/all.json")" \
	'["balance","seats","teachers","groups","vocational","assessment","curriculum","safety","tasks"]' \
	"the summary in mechanism order"

# balance computed alone reads its schools' rows on a second thread and connection (a core is
# spare); computed beside the others, all on one: the same facts either way
digest() { sqlite3 "$EDUHQ_DB" "SELECT digest FROM eval_memo WHERE mechanism = 'balance' AND run_id = (SELECT max(id) FROM eval_run)"; }
eduhq eval --fresh $J >"$T/all-fresh.json"
d_all=$(digest)
eduhq eval balance --fresh $J >"$T/balance-fresh.json"
is "$(digest)" "$d_all" "balance alone (its rows on a second thread) reads facts of the same fingerprint as beside the others"
ok $(rows "$T/balance-fresh.json" | cmp -s - "$T/balance.rows" && echo 0 || echo 1) \
	"and gives the same rows as balance's part of the run of all"
sqlite3 "$EDUHQ_DB" "ALTER TABLE class_section RENAME TO class_section_gone"
runs0=$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM eval_run")
run eduhq eval balance --fresh
is "$rc:$err" "1:eduhq: balance: database '$EDUHQ_DB': no such table: class_section" \
	"a table missing for balance's second thread fails the run and names the mechanism"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM eval_run")" "$runs0" "nothing of it is stored"
sqlite3 "$EDUHQ_DB" "ALTER TABLE class_section_gone RENAME TO class_section"

# tasks is the last mechanism: the second thread takes it first
runs0=$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM eval_run")
sqlite3 "$EDUHQ_DB" "ALTER TABLE task_progress RENAME TO task_progress_gone"
run eduhq eval
is "$rc" 1 "a mechanism failing on the second thread fails the run"
is "$err" "eduhq: tasks: database '$EDUHQ_DB': no such table: task_progress" "its message names the mechanism"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM eval_run")" "$runs0" "nothing of the failed run is stored"
# two failing: the first in mechanism order is reported, whichever thread failed first
sqlite3 "$EDUHQ_DB" "ALTER TABLE facility RENAME TO facility_gone"
for i in 1 2 3; do
	run eduhq eval
	is "$rc:$err" "1:eduhq: balance: database '$EDUHQ_DB': no such table: facility" \
		"two mechanisms failing: the first in mechanism order is reported (try $i)"
done
sqlite3 "$EDUHQ_DB" "ALTER TABLE facility_gone RENAME TO facility"
sqlite3 "$EDUHQ_DB" "ALTER TABLE task_progress_gone RENAME TO task_progress"
run eduhq eval
is "$rc" 0 "with the table back the run succeeds"
done_testing
