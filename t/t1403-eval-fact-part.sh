#!/bin/sh
# t1403-eval-fact-part.sh: balance keeps its teachers' part between evaluations (memo.h, table
# fact_part): each school's teacher counts from the teacher and posting tables, for those
# tables' versions (of the teacher table, its inserts and deletes and its updates of the
# columns balance reads). After a write to its other tables balance computes taking the part: the
# same rows and fingerprint as computing from the tables (--fresh), a teacher posted at a
# school that has no return in the year counting there once it has one. A stale part put in
# the current one's place shows in the results (the part is what balance takes); a write to
# teacher column balance reads or to posting makes it anew, one to another column does not; --fresh reads the tables and stores the part again; a
# part that is not one this build made is not taken. Each year keeps its own part.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
ev() {
	eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --timing "$@" >/dev/null 2>"$T/ev.err" ||
		{ cat "$T/ev.err" >&2; echo "Bail out! eval $*"; exit 1; }
	timing=$(grep '^timing: threads' "$T/ev.err")
	run_id=$(sqlite3 "$EDUHQ_DB" "SELECT max(id) FROM eval_run")
}
computed() { echo "$timing" | grep -oE '[a-z]+ [0-9.]+\+[0-9.]+' | cut -d' ' -f1 | sort | tr '\n' ' ' | sed 's/ $//'; }
kept() { echo "$timing" | grep -oE 'with [a-z.]+ kept' | sed 's/^with //'; } # --timing names it
# balance's stored rows of run $1 exactly (numbers as ieee754), and its fingerprint digest
rows() {
	rsql "SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'), ifnull(ieee754(value), 'N'),
		ifnull(ieee754(numerator), 'N'), ifnull(ieee754(denominator), 'N'),
		ifnull(ieee754(threshold), 'N'), verdict, evidence FROM result WHERE run_id = $1
		AND indicator LIKE 'BAL.%' ORDER BY id" | sha256sum | cut -c1-64
	sqlite3 "$EDUHQ_DB" "SELECT digest FROM eval_memo WHERE mechanism = 'balance' AND run_id = $1"
}
part() { sqlite3 "$EDUHQ_DB" "SELECT $1 FROM fact_part WHERE name = 'balance.teachers $year'"; }
version() { sqlite3 "$EDUHQ_DB" "SELECT version FROM table_version WHERE name = '$1'"; }
facility() { # a facility row of the year written in the shell: balance computes again
	sqlite3 "$EDUHQ_DB" "UPDATE facility SET books = books + $1 WHERE year = $year AND
		school_code = (SELECT min(school_code) FROM facility WHERE year = $year)"
}
# fresh_is LABEL: run $run_id's balance is a --fresh run's on the same data
fresh_is() {
	took=$run_id
	ev balance --fresh
	is "$(rows "$took")" "$(rows "$run_id")" "$1"
}

ev
year=$(sqlite3 "$EDUHQ_DB" "SELECT year FROM eval_run WHERE id = $run_id")
is "$(part "count(*)")" 1 "a run stores balance's teachers' part"
is "$(part inputs | sed 's/.* part /part /')" \
	"part balance.teachers tables teacher+=$(version teacher+) teacher@balance=$(version teacher@balance) posting=$(version posting)" \
	"for the versions of the teacher (its rows, the columns balance reads) and posting tables"
made=$(part "hex(data)")

facility 1
ev
is "$(computed)" balance "after a facility write only balance computes"
is "$(kept)" "balance.teachers kept" "it takes the part (--timing says so)"
is "$(part "hex(data)")" "$made" "which is not stored again"
fresh_is "the same rows and fingerprint as computing from the tables"
inputs=$(part inputs)
eduhq eval --as-of 2025-10-31 --rules-as-of 2025-09-30 >/dev/null
eduhq eval --as-of 2025-09-30 --rules-as-of 2026-12-31 >/dev/null
is "$(part inputs)" "$inputs" "another judging date or rule date: the same part (neither enters it)"

# a teacher posted at a school with no return in the year: its counts are kept in the part
# under the school's code, and count there once the school has a return
codes=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM teacher WHERE code NOT IN (SELECT teacher_code FROM posting
	WHERE start_date >= '$year-08-31') ORDER BY code LIMIT 3" | tr '\n' ' ')
sqlite3 "$EDUHQ_DB" "INSERT INTO school (code, name, area_code, type, urban_rural)
	SELECT '9999999999', 'New school', area_code, 'primary', '111' FROM school ORDER BY code LIMIT 1;
	INSERT INTO posting (teacher_code, start_date, school_code, kind) SELECT code, '$year-08-31',
	'9999999999', 'appointment' FROM teacher WHERE ' $codes' LIKE '% ' || code || ' %';
	UPDATE teacher SET education = 'doctor', full_time = 1 WHERE ' $codes' LIKE '% ' || code || ' %'"
ev
is "$(part "instr(data, CAST('9999999999' AS BLOB)) > 0")" 1 \
	"a part made after a posting at a school with no return in the year holds that school's counts"
sqlite3 "$EDUHQ_DB" "INSERT INTO grade_return (school_code, year, grade, classes, pupils)
	VALUES ('9999999999', $year, 1, 1, 30)"
made=$(part "hex(data)")
ev
is "$(kept)" "balance.teachers kept" "after a grade return is written, balance takes the part"
is "$(rsql "SELECT count(*) FROM result WHERE run_id = $run_id AND unit_id = '9999999999'
	AND indicator = 'BAL.L1' AND numerator = 3")" 1 \
	"the new school's three teachers count there (L1: teachers above the required education)"
fresh_is "the same rows and fingerprint as computing from the tables"

# a stale part in the current one's place: its counts and fingerprint are what balance takes
old=$(part "hex(data)")
inputs=$(part inputs)
sqlite3 "$EDUHQ_DB" "UPDATE teacher SET name = name || '甲', backbone_level = backbone_level WHERE ' $codes' LIKE '% ' || code || ' %'"
ev
is "$(computed)" "" "three teachers renamed (nothing balance or the teachers engine reads): nothing computes"
is "$(part inputs)" "$inputs" "and the part is the same"
v=$(version teacher@balance)
sqlite3 "$EDUHQ_DB" "UPDATE teacher SET backbone_level = 'national' WHERE ' $codes' LIKE '% ' || code || ' %'"
ev
is "$(kept)" "" "three teachers' backbone level written: balance takes no part"
is "$(part inputs | sed 's/.* teacher@balance=\([0-9]*\) .*/\1/')" "$((v + 3))" \
	"and makes it anew, for the new version"
new=$(part "hex(data)")
ok $([ "$new" != "$old" ] && echo 0 || echo 1) "with the new counts"
fresh_is "the same rows and fingerprint as computing from the tables"
sqlite3 "$EDUHQ_DB" "UPDATE fact_part SET data = X'$old'"
facility 1
ev
stale=$run_id
ev balance --fresh
ok $([ "$(rows "$stale")" != "$(rows "$run_id")" ] && echo 0 || echo 1) \
	"a stale part put in place of the current one shows in the results: the part is what is taken"
is "$(kept)" "" "--fresh takes no part"
is "$(part "hex(data)")" "$new" "it reads the tables and stores the part again"
facility 1
ev
fresh_is "the part --fresh stored is taken: the same rows as computing"

# a part this build did not make (cut short) is not taken: the tables are read
sqlite3 "$EDUHQ_DB" "UPDATE fact_part SET data = substr(data, 1, 60)"
facility 1
ev
is "$(computed) $(kept)" "balance " "a damaged part: balance computes, taking no part"
fresh_is "reading the tables: the same rows as computing"
is "$(part "length(data) > 60")" 1 "and stores a whole part again"

# another year's evaluation keeps its own part beside this year's: back in this year, after a
# facility write balance takes this year's part again
made=$(part "hex(data)")
eduhq eval balance --year $((year - 1)) --as-of 2025-09-30 --rules-as-of 2025-09-30 >/dev/null
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(name, ',') FROM (SELECT name FROM fact_part ORDER BY name)")" \
	"balance.teachers $((year - 1)),balance.teachers $year" "the year before stores a part of its own"
is "$(part "hex(data)")" "$made" "this year's is kept as it was"
facility 1
ev
is "$(computed) $(kept)" "balance balance.teachers kept" "and taken after a write back in this year"
fresh_is "the same rows and fingerprint as computing from the tables"
done_testing
