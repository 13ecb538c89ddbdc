#!/bin/sh
# t1460-eval-memo.sh: a mechanism whose inputs are unchanged since a stored run takes that
# run's results instead of loading and computing (src/memo.c): the same rows bit for bit, the
# same fingerprint and rule versions. Any write to a table it reads (from eduhq or the sqlite3
# shell; of the school and teacher tables, an insert, a delete or a change of a column it
# reads), another judging date or year, another build, a table made again without its
# triggers, or --fresh makes it compute; deleting the run it took from does no harm. The
# versions a run's memo holds are those after its own writes (seats stores a forecast
# vintage, which gives the same results read back), so a second run takes seats too.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
ALL="assessment balance curriculum groups safety seats tasks teachers vocational"
# ev ARGS...: eval at a fixed date; $timing is its --timing thread line
ev() {
	eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --timing "$@" >"$T/ev.out" 2>"$T/ev.err" ||
		{ cat "$T/ev.err" >&2; echo "Bail out! eval $*"; exit 1; }
	timing=$(grep '^timing: threads' "$T/ev.err")
	run_id=$(sqlite3 "$EDUHQ_DB" "SELECT max(id) FROM eval_run")
}
# the mechanisms the last ev computed, and those it took from a run ("NAME:RUN")
computed() { echo "$timing" | grep -oE '[a-z]+ [0-9.]+\+[0-9.]+' | cut -d' ' -f1 | sort | tr '\n' ' ' | sed 's/ $//'; }
reused() { echo "$timing" | grep -oE '[a-z]+ [0-9.]+ from run [0-9]+' | awk '{ print $1 ":" $5 }' | sort | tr '\n' ' ' | sed 's/ $//'; }
# every stored row of run $1 exactly (numbers as ieee754), in storage order
rows() {
	rsql "SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'), ifnull(ieee754(value), 'N'),
		ifnull(ieee754(numerator), 'N'), ifnull(ieee754(denominator), 'N'),
		ifnull(ieee754(threshold), 'N'), verdict, evidence FROM result WHERE run_id = $1 ORDER BY id" |
		sha256sum | cut -c1-64
}
header() { sqlite3 "$EDUHQ_DB" "SELECT data_fingerprint || ' ' || rule_versions FROM eval_run WHERE id = $1"; }
version() { sqlite3 "$EDUHQ_DB" "SELECT version FROM table_version WHERE name = '$1'"; }

ev
is "$(computed)" "$ALL" "a first run computes every mechanism"
is "$(reused)" "" "and takes nothing from another run"
first=$run_id
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM forecast_vintage")" 1 \
	"(it stored a forecast vintage: seats's memo is for the versions after that write)"
ev
is "$(computed)" "" "a second run on the same data computes nothing"
is "$(reused)" "$(for m in $ALL; do printf '%s:%s ' "$m" "$first"; done | sed 's/ $//')" \
	"it takes every mechanism's results from the first run"
is "$(rows "$run_id")" "$(rows "$first")" "the same rows, bit for bit, evidence included"
is "$(header "$run_id")" "$(header "$first")" "the same fingerprint and rule versions"
is "$(sed 1d "$T/ev.out")" "$(eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --fresh | sed 1d)" \
	"the same summary as a fresh run's"
# the summary of a reused run decodes only the rows it lists: its counts are the stored rows'
is "$(sed -n 's/^run [0-9]*: .*, \([0-9]*\) results$/\1/p' "$T/ev.out") $(grep -c '^    ' "$T/ev.out")" \
	"$(rsql "SELECT count(*), sum(verdict = 'fail' AND unit_kind IN ('county', 'city', 'specialty'))
		FROM result WHERE run_id = $run_id" | tr '|' ' ')" \
	"its results and failing county, city and specialty verdicts counted as stored"
is "$(grep '^safety: ' "$T/ev.out")" "$(rsql "SELECT 'safety: ' || count(*) || ' results: ' ||
	sum(verdict = 'pass') || ' pass, ' || sum(verdict = 'warn') || ' warn, ' ||
	sum(verdict = 'fail') || ' fail, ' || sum(verdict = 'na') || ' n.a.' FROM result
	WHERE run_id = $run_id AND indicator LIKE 'SAFE.%'")" "a mechanism's verdicts counted as stored"

# JSON prints every row with its evidence: a reused run's is a fresh run's
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json | jq -c '{summary, results}' >"$T/reused.json"
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json --fresh | jq -c '{summary, results}' >"$T/fresh.json"
is "$(sha256sum <"$T/reused.json")" "$(sha256sum <"$T/fresh.json")" "eval --format json: the same rows and evidence as --fresh"
ok $([ "$(jq '.results | length' "$T/fresh.json")" -gt 1000 ] && echo 0 || echo 1) "(a whole run)"

ev --fresh
is "$(computed)" "$ALL" "--fresh computes every mechanism"
fresh=$run_id

# a write through the sqlite3 shell: only the mechanisms reading that table compute again
v=$(version hazard)
sqlite3 "$EDUHQ_DB" "UPDATE hazard SET state = 'closed' WHERE code = (SELECT min(code) FROM hazard WHERE state <> 'closed')"
is "$(version hazard)" "$((v + 1))" "a row updated in the sqlite3 shell counts the table's version up"
ev
is "$(computed)" "safety tasks" "after a hazard changed, only safety and tasks (which read hazards) compute"
is "$(reused)" "$(for m in assessment balance curriculum groups seats teachers vocational; do printf '%s:%s ' "$m" "$fresh"; done | sed 's/ $//')" \
	"the others take the latest run's results"
changed=$run_id
ev --fresh
is "$(rows "$changed")" "$(rows "$run_id")" "its rows are a fresh run's on the changed data"
is "$(header "$changed")" "$(header "$run_id")" "and so are its fingerprint and rule versions"
ok $([ "$(header "$changed")" != "$(header "$first")" ] && echo 0 || echo 1) "the fingerprint moved with the hazard"

# a write through eduhq (an import) counts too
sed -n 1p "$T/csv/curriculum_hours.csv" >"$T/ch.csv"
sed -n 2p "$T/csv/curriculum_hours.csv" | awk -F, -v OFS=, '{ $4 = $4 + 1; print }' >>"$T/ch.csv"
v=$(version curriculum_hours)
eduhq import curriculum_hours "$T/ch.csv" >/dev/null 2>"$T/imp.err" || cat "$T/imp.err" >&2
is "$(version curriculum_hours)" "$((v + 1))" "an import that changes one row counts the version up once"
ev
is "$(computed)" "curriculum" "after an import of curriculum hours, only curriculum computes"

# another judging date, another year: everything computes
eduhq eval --as-of 2025-10-31 --rules-as-of 2025-09-30 --timing >/dev/null 2>"$T/ev.err"
timing=$(grep '^timing: threads' "$T/ev.err")
is "$(computed)" "$ALL" "another judging date (--as-of) computes every mechanism"
year=$(sqlite3 "$EDUHQ_DB" "SELECT year FROM eval_run WHERE id = $first")
ev --year $((year - 1))
is "$(computed)" "$ALL" "another year computes every mechanism"

# the run taken from is deleted: the next takes the one before, or computes
ev
is "$(computed)" "seats" "(seats again: the other year's run stored a vintage)"
sqlite3 "$EDUHQ_DB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $fresh"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM eval_memo WHERE run_id >= $fresh")" 0 \
	"a deleted run's memo goes with it"
left=$(sqlite3 "$EDUHQ_DB" "SELECT max(id) FROM eval_run")
ev
is "$(computed)" "curriculum safety seats tasks" "with those runs gone, what changed since the others computes again"
is "$(reused)" "$(for m in assessment balance groups teachers vocational; do printf '%s:%s ' "$m" "$left"; done | sed 's/ $//')" \
	"and the rest comes from the latest run left"

# of the school and teacher tables only the columns a mechanism reads count for it (its
# entry in mechanisms[]): their updates that change one, and inserts and deletes
sqlite3 "$EDUHQ_DB" "UPDATE teacher SET name = name || '乙', certificate = certificate WHERE code = (SELECT min(code) FROM teacher)"
ev
is "$(computed)" "" "a teacher renamed (no mechanism reads names): nothing computes"
sqlite3 "$EDUHQ_DB" "UPDATE teacher SET education = education, title = title WHERE code = (SELECT min(code) FROM teacher)"
ev
is "$(computed)" "" "a teacher's education and title set to what they are: nothing computes"
sqlite3 "$EDUHQ_DB" "UPDATE teacher SET education = CASE education WHEN 'master' THEN 'bachelor' ELSE 'master' END
	WHERE code = (SELECT min(code) FROM teacher)"
ev
is "$(computed)" "balance teachers" "a teacher's education changed: balance and the teachers engine compute"
sqlite3 "$EDUHQ_DB" "UPDATE school SET declared_seats = coalesce(declared_seats, 0) + 1, latitude = latitude
	WHERE code = (SELECT min(code) FROM school)"
ev
is "$(computed)" "seats" "a school's declared seats changed: only seats (the one that reads them) computes"
changed=$run_id
ev --fresh
is "$(rows "$changed")" "$(rows "$run_id")" "the rows are a fresh run's on the changed data"
digest() { sqlite3 "$EDUHQ_DB" "SELECT digest FROM eval_memo WHERE mechanism = '$1' AND run_id = $2"; }
is "$(digest seats "$changed")" "$(digest seats "$run_id")" \
	"and so is seats' fingerprint (computing alone, it read its grade returns on a thread of their own)"
sqlite3 "$EDUHQ_DB" "INSERT INTO school (code, name, area_code, type, urban_rural) SELECT '9999999998', 'New', area_code,
	'primary', '111' FROM school ORDER BY code LIMIT 1"
ev
is "$(computed)" "$ALL" "a school inserted: every mechanism (each reads schools) computes"
sqlite3 "$EDUHQ_DB" "DELETE FROM school WHERE code = '9999999998'"
ev
is "$(computed)" "$ALL" "and deleted again: every mechanism computes"

# a table made again in the shell loses its triggers: nothing is taken until eduhq has made
# them again, and a write to it then counts
sqlite3 "$EDUHQ_DB" "CREATE TABLE b2 AS SELECT * FROM building; DROP TABLE building; ALTER TABLE b2 RENAME TO building"
ev
is "$(computed)" "$ALL" "a table made again (schema changed): every mechanism computes"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'building'")" 3 \
	"and its version triggers are made again"
sqlite3 "$EDUHQ_DB" "UPDATE building SET safety_grade = safety_grade WHERE code = (SELECT min(code) FROM building)"
ev
is "$(computed)" "safety" "a write to it then counts: safety computes"

# another build of eduhq: nothing is taken (the engines may differ)
# another build of eduhq: nothing is taken (the engines may differ); the build is known by
# the executable's build id
objcopy --remove-section .note.gnu.build-id "$EDUHQ" "$T/eduhq-no-id"
# the same note with another 20-byte id
printf '\004\000\000\000\024\000\000\000\003\000\000\000GNU\000eduhq-another-build!' >"$T/note"
objcopy --update-section .note.gnu.build-id="$T/note" "$EDUHQ" "$T/eduhq-other-id"
own=$EDUHQ
EDUHQ="$T/eduhq-other-id"
ev
is "$(computed)" "$ALL" "another build id computes every mechanism"
ev
is "$(computed)" "" "(and takes them again next time)"
EDUHQ="$T/eduhq-no-id"
ev
is "$(computed)" "$ALL" "a binary without a build id computes every mechanism"
ev
is "$(computed)" "$ALL" "every time"
EDUHQ=$own
ev
is "$(computed)" "" "this build takes every result from its own last run"

done_testing
