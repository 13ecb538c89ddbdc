#!/bin/sh
# t1450-resident-eval.sh: the server keeps the mechanisms' facts resident between
# evaluations (resident.c) and brings them up to date after each write: after a write of
# each kind (a school, a teacher by import, a posting, a grade return, a hazard step, a CLI
# import, a commit by the sqlite3 shell) a server evaluation has exactly the fingerprint,
# rule versions and stored rows of a CLI evaluation of a copy of the same database, and
# reloads only the mechanisms that read the table written (everything after a commit made
# outside the server; after a rule change, those whose facts were read with the rule, those
# that only compute with it computed whole on the facts they keep), or, after a write of
# a few teachers, postings or grade returns, patches the facts of balance, seats, the
# teachers engine and groups by row (and of safety, after a step of the hazard ledger).
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18800 18824"
. "$(dirname "$0")/lib-serve.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
echo "password-admin-1" | eduhq user add admin --role city_admin --password-stdin >/dev/null
TOK=$(user_token admin)
serve_start
AS_OF=2025-09-30
ROWS="SELECT indicator, unit_kind, unit_id, stage, ifnull(year, 'N'), printf('%.17g|%.17g|%.17g|%.17g',
	value, numerator, denominator, threshold), verdict, evidence FROM result WHERE run_id = "
digest() { sha256sum | cut -c1-64; }

# server_eval: POST /runs; sets $run (id), $fp, $reloaded, $patched and $recomputed ("a,b"),
# $why (all_stale)
server_eval() {
	api "$TOK" POST /runs "{\"as_of\":\"$AS_OF\"}"
	[ "$code" = 201 ] || echo "# POST /runs: $code $body" >&2
	run=$(echo "$body" | jq -r .id)
	fp=$(echo "$body" | jq -r .data_fingerprint)
	reloaded=$(echo "$body" | jq -r '.resident.reloaded | join(",")')
	patched=$(echo "$body" | jq -r '.resident.patched | join(",")')
	recomputed=$(echo "$body" | jq -r '.resident.recomputed | join(",")')
	why=$(echo "$body" | jq -r '.resident.all_stale // ""')
}

# same LABEL: the server's run $run against a CLI evaluation of a copy of the database that
# computes everything (a backup is a read: the server sees no commit of it)
same() {
	rm -f "$T/copy.db"*
	sqlite3 "$EDUHQ_DB" ".backup '$T/copy.db'"
	cp "$EDUHQ_DB.key" "$T/copy.db.key"
	# computing, not taking back what the server stored: the results of its run (memo.c)
	# or, for seats, a forecast whose inputs fingerprint is the same (a forecast made from
	# facts patched wrong would be read back as if right)
	sqlite3 "$T/copy.db" "PRAGMA foreign_keys = ON; DELETE FROM forecast_vintage"
	"$EDUHQ" --db "$T/copy.db" eval --fresh --as-of $AS_OF --rules-as-of $AS_OF --format json >"$T/cli.json"
	cli=$(jq -r .run.id "$T/cli.json")
	is "$fp" "$(jq -r .run.data_fingerprint "$T/cli.json")" "$1: the fingerprint of a fresh load"
	is "$(sqlite3 "$EDUHQ_DB" "SELECT rule_versions FROM eval_run WHERE id = $run")" \
		"$(sqlite3 "$T/copy.db" "SELECT rule_versions FROM eval_run WHERE id = $cli")" "$1: the same rule versions"
	is "$(rsql "$ROWS $run ORDER BY id" | digest)" \
		"$(EDUHQ_DB=$T/copy.db; rsql "$ROWS $cli ORDER BY id" | digest)" "$1: the same rows, in the same order"
}

ALL=balance,seats,teachers,groups,vocational,assessment,curriculum,safety,tasks
server_eval
is "$reloaded|$why" "$ALL|first evaluation" "the first evaluation loads every mechanism"
ok $(echo "$body" | jq -e '.seconds | (.load >= 0 and .engines >= 0 and .save >= 0 and .commit >= 0)' \
	>/dev/null && echo 0 || echo 1) "its seconds: loading, engines, storing rows and the commit"
first=$fp
same "first evaluation"
is "$(rsql "$ROWS $run ORDER BY id" | digest)" \
	df3cc268a4aae21e65609c637281d85be72f6712005c4a0a51732a0100a6ee8e \
	"the server's rows are t1400's reference rows (the binary before the speed work)"
server_eval
is "$reloaded|$why|$fp" "||$first" "nothing written: nothing reloaded, the same fingerprint"

api "$TOK" PUT /tables/school/rows/3905020001 '{"code":"3905020001","name":"临江市江城区第一小学","area_code":"390502001000","type":"primary","ownership":"public","urban_rural":"111","is_weak":"0","is_teaching_point":"0","declared_seats":"1700","latitude":"28.266699","longitude":"116.996648"}'
is "$code" 200 "a school's declared seats written"
server_eval
is "$patched|$reloaded" "seats|" \
	"only seats reads a school's declared seats: patched by row; the others keep their facts (mechanism.columns)"
ok $([ "$fp" != "$first" ] && echo 0 || echo 1) "and the fingerprint moved"
same "after a school write"

# row_put TABLE KEY WHERE COLUMN VALUE: one column of a row updated through the API
row_put() {
	api "$TOK" PUT "/tables/$1/rows/$2" "$(sqlite3 -json "$EDUHQ_DB" "SELECT * FROM $1 WHERE $3" |
		jq -c --arg c "$4" --arg v "$5" '.[0] | map_values(if . == null then "" else tostring end) | .[$c] = $v')"
}
school_put() { row_put school 3905020001 "code = '3905020001'" "$@"; } # school_put COLUMN VALUE
prev=$fp
school_put longitude 117.001
is "$code" 200 "a school's longitude written"
server_eval
is "$patched|$reloaded|$why|$fp" "|||$prev" "a column no mechanism reads: nothing loaded again, the same fingerprint"
same "after a school's longitude written"
(head -1 "$T/csv/teacher.csv"; sed -n 3p "$T/csv/teacher.csv" | sed 's/^T0000002,[^,]*,/T0000002,王老师,/') >"$T/t.csv"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H "Content-Type: text/csv" \
	--data-binary @"$T/t.csv" "$API/tables/teacher/import?filename=t.csv")
is "$code $(jq -c '[.rows, .updated]' "$T/.body")" "200 [1,1]" "a teacher's name imported through the API"
server_eval
is "$patched|$reloaded|$why|$fp" "balance,teachers|||$prev" \
	"a teacher's name imported: the row patched into balance and the teachers engine, which read no name: the same fingerprint"
same "after a teacher's name written"
school_put is_weak 1
server_eval
is "$patched|$reloaded" "teachers|" "a school marked weak: only the teachers engine reads it, patched by row"
same "after a school marked weak"
school_put name 临江市江城区第一小学（新）
server_eval
is "$patched|$reloaded" "balance,seats,groups,assessment,curriculum,safety|vocational" \
	"a school renamed: the mechanisms that label rows with it (the split ones patched by row, vocational run again); the teachers engine and tasks read no name"
same "after a school renamed"
OTHER=$(sqlite3 "$EDUHQ_DB" "SELECT a.code FROM area_county a, area_county b WHERE b.code = (SELECT area_code FROM school
	WHERE code = '3905020001') AND a.county_code <> b.county_code AND a.code <> a.county_code ORDER BY a.code LIMIT 1")
school_put area_code "$OTHER"
server_eval
is "$patched|$reloaded" "|$ALL" "a school moved to another county: seats' planning areas change, every mechanism loaded again"
same "after a school moved to another county"

(head -1 "$T/csv/teacher.csv"; sed -n 2p "$T/csv/teacher.csv" | sed 's/,bachelor,/,master,/') >"$T/t.csv"
code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H "Content-Type: text/csv" \
	--data-binary @"$T/t.csv" "$API/tables/teacher/import?filename=t.csv")
is "$code $(jq -c '[.rows, .updated]' "$T/.body")" "200 [1,1]" "a teacher's education imported through the API"
server_eval
is "$patched|$reloaded|$why" "balance,teachers||" "a teacher write patches balance and teachers by row"
same "after a teacher write"
is "$(sqlite3 "$EDUHQ_DB" "SELECT after FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1" | jq -c .keys)" \
	'["T0000001"]' "the import's audit entry lists the row it wrote"

api "$TOK" PUT /tables/posting/rows/T0000001,2010-09-01 '{"teacher_code":"T0000001","start_date":"2010-09-01","school_code":"3905220009","end_date":"2016-08-31","kind":"appointment"}'
is "$code" 200 "a posting's end date written"
server_eval
is "$patched|$reloaded" "balance,teachers,groups|" "a posting write patches balance, teachers and groups"
same "after a posting write"

# Row-level patches: each write below changes results (the fingerprint moves, the rows too),
# and the patched facts give what a fresh load gives.
imp_teacher() { # imp_teacher FILE: import through the API
	code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H "Content-Type: text/csv" \
		--data-binary @"$1" "$API/tables/teacher/import?filename=t.csv")
}
patched_eval() { # patched_eval LABEL "PATCHED|RELOADED": an evaluation after a write that
	# changes results: what it patched and loaded again; the fingerprint and the rows moved;
	# a fresh load's run
	server_eval
	is "$patched|$reloaded" "$2" "$1: patched|loaded again"
	ok $([ "$fp" != "$fp0" ] && echo 0 || echo 1) "$1: the fingerprint moved"
	ok $([ "$(rsql "$ROWS $run ORDER BY id" | digest)" != "$(rsql "$ROWS $run0 ORDER BY id" | digest)" ] && echo 0 || echo 1) \
		"$1: the results changed"
	same "$1"
	fp0=$fp run0=$run
}
fp0=$fp run0=$run
# a school's location class (the teachers engine's rural service, groups' rural coverage)
# and ownership (groups counts public schools): patched in place
school_put urban_rural 220
patched_eval "a school now rural" "teachers,groups|"
school_put urban_rural 111
patched_eval "the school urban again" "teachers,groups|"
school_put ownership private
patched_eval "a school now private" "groups|"
(head -1 "$T/csv/teacher.csv"; sed -n 3p "$T/csv/teacher.csv" | sed 's/,first,2013-12-20,/,second,2013-12-20,/') >"$T/t.csv"
imp_teacher "$T/t.csv"
(head -1 "$T/csv/teacher.csv"; sed -n 3p "$T/csv/teacher.csv" | sed 's/,bachelor,first,2013-12-20,/,associate,second,2013-12-20,/') >"$T/t.csv"
imp_teacher "$T/t.csv"
is "$code $(jq -c '[.rows, .updated]' "$T/.body")" "200 [1,1]" "a teacher's title and education imported twice"
patched_eval "two writes of a teacher's title (balance counts it no more)" "balance,teachers|"

api "$TOK" PUT /tables/posting/rows/T0000002,2024-08-01 '{"teacher_code":"T0000002","start_date":"2024-08-01","school_code":"3905220009","end_date":"","kind":"appointment"}'
is "$code" 201 "a new posting that moves a teacher to another school before the school year"
patched_eval "a teacher moved by a new posting" "balance,teachers,groups|"

api "$TOK" DELETE /tables/posting/rows/T0000002,2024-08-01
is "$code" 204 "the posting deleted"
patched_eval "the teacher back (the posting deleted)" "balance,teachers,groups|"

# a teacher whose school is in a group, and another school of that group: groups counts an
# exchange between them
X=$(sqlite3 "$EDUHQ_DB" "SELECT p.teacher_code || ' ' || m2.school_code || ' ' || m1.group_code FROM posting p
	JOIN group_member m1 ON m1.school_code = p.school_code AND m1.left_year IS NULL AND m1.joined_year <= 2024
	JOIN group_member m2 ON m2.group_code = m1.group_code AND m2.school_code <> m1.school_code
	AND m2.left_year IS NULL AND m2.joined_year <= 2024 WHERE p.kind = 'appointment' AND p.start_date < '2024-09-02'
	AND p.end_date IS NULL AND NOT EXISTS (SELECT 1 FROM posting q WHERE q.teacher_code = p.teacher_code
	AND q.start_date > p.start_date) ORDER BY p.teacher_code DESC, m2.school_code LIMIT 1")
XT=${X%% *} XS=$(echo "$X" | cut -d' ' -f2) XG=${X##* }
api "$TOK" PUT "/tables/posting/rows/$XT,2024-09-02" "{\"teacher_code\":\"$XT\",\"start_date\":\"2024-09-02\",\"school_code\":\"$XS\",\"end_date\":\"2025-08-31\",\"kind\":\"exchange\"}"
is "$code" 201 "an exchange in the school year within a group"
before=$run0
patched_eval "an exchange within a group" "balance,teachers,groups|"
exch() { rsql "SELECT unit_id || ' ' || CAST(value AS INTEGER) FROM result WHERE run_id = $1 AND indicator = 'GRP.EXCH'"; }
is "$(exch "$run" | awk -v g="$XG" '$1 == g { $2-- } 1' | sort)" "$(exch "$before" | sort)" \
	"group $XG counts one more exchange, the others as many"

# seats' births (or population) and projects: read again whole after a write of one (a births
# row before the first year changes the array's shape: loaded again)
B=$(sqlite3 "$EDUHQ_DB" "SELECT area_code || ' ' || year || ' ' || births FROM births ORDER BY year DESC, area_code LIMIT 1")
set -- $B
api "$TOK" PUT "/tables/births/rows/$1,$2" "{\"area_code\":\"$1\",\"year\":\"$2\",\"births\":\"$(($3 + 397))\"}"
is "$code" 200 "a county's births updated"
patched_eval "a births row" "seats|"
P=$(sqlite3 "$EDUHQ_DB" "SELECT area_code || ' ' || year || ' ' || age || ' ' || persons FROM population ORDER BY year DESC, area_code, age LIMIT 1")
set -- $P
api "$TOK" PUT "/tables/population/rows/$1,$2,$3" "{\"area_code\":\"$1\",\"year\":\"$2\",\"age\":\"$3\",\"persons\":\"$(($4 + 11))\"}"
is "$code" 200 "a population row updated"
server_eval
is "$patched|$reloaded" "seats|" "a population row: seats patched"
same "a population row"
PJ=$(sqlite3 -json "$EDUHQ_DB" "SELECT * FROM project WHERE status <> 'cancelled' ORDER BY completion_year DESC, code LIMIT 1" |
	jq -c '.[0] | map_values(if . == null then "" else tostring end) | .seats = ((.seats | tonumber) + 900 | tostring)')
api "$TOK" PUT "/tables/project/rows/$(echo "$PJ" | jq -r .code)" "$PJ"
is "$code" 200 "a project's seats updated"
patched_eval "a project" "seats|tasks"
B1=$(sqlite3 "$EDUHQ_DB" "SELECT min(year) - 1 FROM births")
api "$TOK" PUT "/tables/births/rows/$1,$B1" "{\"area_code\":\"$1\",\"year\":\"$B1\",\"births\":\"1000\"}"
is "$code" 201 "births of a year before the first"
server_eval
is "$patched|$reloaded" "|seats" "births before the first year: seats loaded again"
same "births before the first year"
# a county's population at the entry age stands in for its births when it has none: every
# births row of one county deleted, then its population written
C=$(sqlite3 "$EDUHQ_DB" "SELECT area_code FROM births WHERE area_code <> '$1' ORDER BY area_code LIMIT 1")
for y in $(sqlite3 "$EDUHQ_DB" "SELECT year FROM births WHERE area_code = '$C' ORDER BY year"); do
	api "$TOK" DELETE "/tables/births/rows/$C,$y"
	[ "$code" = 204 ] || echo "# DELETE births $C,$y: $code" >&2
done
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM births WHERE area_code = '$C'")" 0 "county $C's births deleted"
patched_eval "a county without births" "seats|"
N=$(sqlite3 "$EDUHQ_DB" "SELECT persons FROM population WHERE area_code = '$C' AND year = 2020 AND age = 6")
api "$TOK" PUT "/tables/population/rows/$C,2020,6" "{\"area_code\":\"$C\",\"year\":\"2020\",\"age\":\"6\",\"persons\":\"$((N + 500))\"}"
is "$code" 200 "its population at the entry age updated"
patched_eval "a population row standing in for births" "seats|"

# groups' groups, members and exam results: read again whole after a write of any of them
E=$(sqlite3 "$EDUHQ_DB" "SELECT json_object('school_code', school_code, 'year', year, 'exam', exam, 'candidates',
	candidates, 'excellent', excellent + 3, 'passed', passed) FROM exam_result WHERE year = 2024 ORDER BY school_code LIMIT 1")
api "$TOK" PUT "/tables/exam_result/rows/$(echo "$E" | jq -r '[.school_code, .year, .exam] | join(",")')" "$E"
is "$code" 200 "an exam result's excellent candidates updated"
patched_eval "an exam result" "groups|"
GM=$(sqlite3 "$EDUHQ_DB" "SELECT group_code || ',' || school_code FROM group_member WHERE left_year IS NULL
	AND school_code NOT IN (SELECT lead_school_code FROM edu_group) ORDER BY 1 LIMIT 1")
api "$TOK" DELETE "/tables/group_member/rows/$GM"
is "$code" 204 "a group member deleted"
patched_eval "a school out of its group" "groups|"

# assessment and curriculum: a score read again in place, added where it sorts (one gone
# loads again); a school's hours of the year read again
SC=$(sqlite3 "$EDUHQ_DB" "SELECT scheme_code || ',' || item_code || ',' || school_code FROM assessment_score
	WHERE scheme_code = (SELECT code FROM assessment_scheme WHERE status = 'active' ORDER BY code LIMIT 1)
	ORDER BY 1 LIMIT 1 OFFSET 7")
SCJ="{\"scheme_code\":\"${SC%%,*}\",\"item_code\":\"$(echo "$SC" | cut -d, -f2)\",\"school_code\":\"${SC##*,}\",\"score\":\"12.5\"}"
api "$TOK" PUT "/tables/assessment_score/rows/$SC" "$SCJ"
is "$code" 200 "a school's score updated"
patched_eval "an assessment score" "assessment|"
api "$TOK" DELETE "/tables/assessment_score/rows/$SC"
is "$code" 204 "the score deleted"
patched_eval "a score gone (loaded again)" "|assessment"
api "$TOK" PUT "/tables/assessment_score/rows/$SC" "$SCJ"
is "$code" 201 "the score written again"
patched_eval "a new score" "assessment|"
CH=$(sqlite3 "$EDUHQ_DB" "SELECT json_object('school_code', school_code, 'year', year, 'course', course,
	'hours_per_week', 0.5, 'total_hours_per_week', total_hours_per_week) FROM curriculum_hours
	WHERE year = 2024 AND course = 'ethnic_unity' ORDER BY school_code LIMIT 1")
api "$TOK" PUT "/tables/curriculum_hours/rows/$(echo "$CH" | jq -r '[.school_code, .year, .course] | join(",")')" "$CH"
is "$code" 200 "a school's hours of a course updated"
patched_eval "curriculum hours" "curriculum|"

# the teachers engine's other tables: a title application reads the teacher again, an
# activity (or a school it covered, or a teacher named in it) the year's activities
TA=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM teacher WHERE title = 'first' AND code NOT IN
	(SELECT teacher_code FROM title_application WHERE year = 2024) ORDER BY code LIMIT 1")
api "$TOK" PUT "/tables/title_application/rows/$TA,2024,senior" "{\"teacher_code\":\"$TA\",\"year\":2024,\"title\":\"senior\"}"
is "$code" 201 "a new title application"
patched_eval "a teacher applies for a title" "teachers|"
api "$TOK" DELETE "/tables/title_application/rows/$TA,2024,senior"
is "$code" 204 "the application deleted"
patched_eval "the application withdrawn" "teachers|"
A=$(sqlite3 "$EDUHQ_DB" "SELECT json_object('code', code, 'year', year, 'kind', kind, 'date', date,
	'title', title, 'organizer_school_code', coalesce(organizer_school_code, ''), 'teacher_participations',
	teacher_participations + 7, 'rural_teacher_participations', rural_teacher_participations + 7)
	FROM activity WHERE year = 2024 AND kind = 'send_teaching' ORDER BY code LIMIT 1")
AC=$(echo "$A" | jq -r .code)
api "$TOK" PUT "/tables/activity/rows/$AC" "$A"
is "$code" 200 "an activity's participations updated"
patched_eval "an activity's participations" "teachers|"
AS=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM school WHERE code NOT IN (SELECT school_code FROM activity_school
	WHERE activity_code = '$AC') ORDER BY code LIMIT 1")
api "$TOK" PUT "/tables/activity_school/rows/$AC,$AS" "{\"activity_code\":\"$AC\",\"school_code\":\"$AS\"}"
is "$code" 201 "a school the activity covered"
patched_eval "a school covered by an activity" "teachers|"
RA=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM activity WHERE year = 2024 AND kind = 'research' ORDER BY code LIMIT 1")
RT=$(sqlite3 "$EDUHQ_DB" "SELECT p.teacher_code FROM posting p JOIN school s ON s.code = p.school_code
	WHERE s.urban_rural IN ('210', '220') AND p.kind = 'appointment' AND p.end_date IS NULL AND p.teacher_code NOT IN
	(SELECT x.teacher_code FROM activity_teacher x JOIN activity a ON a.code = x.activity_code WHERE a.year = 2024)
	AND NOT EXISTS (SELECT 1 FROM posting q WHERE q.teacher_code = p.teacher_code AND q.start_date > p.start_date)
	ORDER BY p.teacher_code LIMIT 1")
before=$run0
api "$TOK" PUT "/tables/activity_teacher/rows/$RA,$RT" "{\"activity_code\":\"$RA\",\"teacher_code\":\"$RT\"}"
is "$code" 201 "a rural teacher named in a research activity"
patched_eval "a rural teacher named in an activity" "teachers|"
is "$(rsql "SELECT numerator FROM result WHERE run_id = $run AND indicator = 'TCH.ACT.RURAL'")" \
	"$(rsql "SELECT numerator + 1 FROM result WHERE run_id = $before AND indicator = 'TCH.ACT.RURAL'")" \
	"one more rural teacher named"

(head -1 "$T/csv/teacher.csv"; sed -n 3p "$T/csv/teacher.csv" | sed 's/^T0000002,[^,]*,[^,]*,/T9999999,新教师,390502199001011237,/') >"$T/t.csv"
imp_teacher "$T/t.csv"
is "$code $(jq -c '[.rows, .inserted]' "$T/.body")" "200 [1,1]" "a new teacher imported"
server_eval
is "$patched|$reloaded" "|balance,teachers" "a new teacher: loaded again (a patch changes known rows only)"
same "after a new teacher"

# An import is patched by row while that costs less than loading again (resident.c:
# patch_max, a row for every PATCH_COST rows the load read, at least PATCH_MIN): the demo
# city's teachers engine and balance each read about 23,000 rows (a limit of about 180), so
# 100 rows are patched, and 230 (under the old fixed limit of 256) and 299 loaded again.
# Each import's audit entry lists its rows (up to IMPORT_KEYS).
import_keys() { sqlite3 "$EDUHQ_DB" "SELECT after FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1" | jq -c '.keys | length'; }
head -101 "$T/csv/teacher.csv" >"$T/t.csv"
imp_teacher "$T/t.csv"
is "$code $(jq -c .rows "$T/.body") $(import_keys)" "200 100 100" "100 teachers imported (unchanged), each listed"
server_eval
is "$patched|$reloaded" "balance,teachers|" "patched by row"
same "after a 100-row import"
head -231 "$T/csv/teacher.csv" >"$T/t.csv"
imp_teacher "$T/t.csv"
is "$code $(jq -c .rows "$T/.body") $(import_keys)" "200 230 230" "230 teachers imported (unchanged), each listed"
server_eval
is "$patched|$reloaded" "|balance,teachers" "past a row for every 128 the load read: loaded again"
same "after a 230-row import"
head -300 "$T/csv/teacher.csv" >"$T/t.csv"
imp_teacher "$T/t.csv"
is "$code $(jq -c .rows "$T/.body") $(import_keys)" "200 299 299" "299 teachers imported (unchanged), each listed"
server_eval
is "$patched|$reloaded" "|balance,teachers" "and its tables' mechanisms are loaded again"
same "after a 299-row import"

# seats: the county's history and the school's latest returns patched, the forecast made
# again and stored as a vintage, the one a fresh load of a copy (its vintages deleted, see
# same) makes: the same inputs fingerprint (the vintage's own, patched exactly) and values
seat_rows() { rsql "$ROWS $1 AND indicator LIKE 'SEAT.%' ORDER BY id" | digest; }
vintages() { sqlite3 "$1" "SELECT count(*) FROM forecast_vintage"; }
last_vintage() { # last_vintage DB: the latest vintage's key and a digest of its values
	sqlite3 "$1" "SELECT origin_year, method, horizon, births_scenario, inputs_fingerprint FROM forecast_vintage
		ORDER BY id DESC LIMIT 1"
	sqlite3 "$1" "SELECT area_code, grade, year, scenario, printf('%.17g', value) FROM forecast_value
		WHERE vintage_id = (SELECT max(id) FROM forecast_vintage) ORDER BY 1, 2, 3, 4" | digest
}
seats_moved() { # seats_moved LABEL: after patched_eval
	ok $([ "$(seat_rows "$run")" != "$s0" ] && echo 0 || echo 1) "$1: seats' results moved"
	is "$(vintages "$EDUHQ_DB")" "$((v0 + 1))" "$1: the new forecast stored as a vintage"
	is "$(last_vintage "$T/copy.db")" "$(last_vintage "$EDUHQ_DB")" "$1: the forecast a fresh load of a copy makes"
}
api "$TOK" PUT /tables/grade_return/rows/3905020001,2024,1 '{"school_code":"3905020001","year":"2024","grade":"1","classes":"6","pupils":"260","boys":"130","girls":"130","migrant":"35","boarders":"0"}'
is "$code" 200 "a grade return written"
fp0=$fp run0=$run s0=$(seat_rows "$run") v0=$(vintages "$EDUHQ_DB")
patched_eval "a grade return of the year" "balance,seats,groups|"
seats_moved "a grade return of the year"

api "$TOK" PUT /tables/grade_return/rows/3905020015,2022,7 '{"school_code":"3905020015","year":"2022","grade":"7","classes":"10","pupils":"448","boys":"233","girls":"215","migrant":"61","boarders":"0"}'
is "$code" 200 "a grade-7 return two years before written (balance's retention cohort)"
s0=$(seat_rows "$run") v0=$(vintages "$EDUHQ_DB")
patched_eval "a grade 7 two years before" "balance,seats,groups|"
seats_moved "a grade 7 two years before"

# balance's other rows of a school: its facility, a class section, its pupil transfers
S=$(sqlite3 "$EDUHQ_DB" "SELECT f.school_code FROM facility f JOIN class_section c ON c.school_code = f.school_code
	AND c.year = 2024 AND c.grade = 1 AND c.section = 1 WHERE f.year = 2024 ORDER BY f.school_code LIMIT 1")
row_put facility "$S,2024" "school_code = '$S' AND year = 2024" books 987654
is "$code" 200 "a school's facility written (its books)"
patched_eval "a school's facility" "balance|"
row_put class_section "$S,2024,1,1" "school_code = '$S' AND year = 2024 AND grade = 1 AND section = 1" pupils 66
is "$code" 200 "a class section's pupils written (a very large class)"
patched_eval "a class section" "balance|"
P=$(sqlite3 "$EDUHQ_DB" "SELECT school_code || ',' || year || ',' || grade || '|' || school_code || '|' || transfers_out FROM pupil_transfer
	WHERE year = 2024 AND grade = 9 AND school_code IN (SELECT school_code FROM grade_return WHERE year = 2024) ORDER BY school_code LIMIT 1")
PK=${P%%|*} PS=$(echo "$P" | cut -d'|' -f2) PO=${P##*|}
row_put pupil_transfer "$PK" "school_code = '$PS' AND year = 2024 AND grade = 9" transfers_out $((PO + 40))
is "$code" 200 "a school's pupils transferred out written"
patched_eval "a pupil transfer" "balance|"
api "$TOK" PUT "/tables/class_section/rows/$S,2024,1,99" "{\"school_code\":\"$S\",\"year\":\"2024\",\"grade\":\"1\",\"section\":\"99\",\"pupils\":\"30\"}"
is "$code" 201 "a new class section"
patched_eval "a new class section (balance's sections change in number: loaded again)" "|balance"

FIRST=$(sqlite3 "$EDUHQ_DB" "SELECT min(year) FROM grade_return")
api "$TOK" PUT "/tables/grade_return/rows/3905020001,$((FIRST - 1)),1" "{\"school_code\":\"3905020001\",\"year\":\"$((FIRST - 1))\",\"grade\":\"1\",\"classes\":\"5\",\"pupils\":\"200\",\"boys\":\"100\",\"girls\":\"100\",\"migrant\":\"0\",\"boarders\":\"0\"}"
is "$code" 201 "a grade return a year before the first"
patched_eval "a year before the first (seats' history grows: loaded again)" "balance,groups|seats"

api "$TOK" PUT /tables/school/rows/3905029901 '{"code":"3905029901","name":"临江市江城区新建小学","area_code":"390502001000","type":"primary","ownership":"public","urban_rural":"111","is_weak":"0","is_teaching_point":"0","declared_seats":"900","latitude":"28.266","longitude":"116.996"}'
is "$code" 201 "a new school"
server_eval
is "$patched|$reloaded" "balance|seats,teachers,groups,vocational,assessment,curriculum,safety,tasks" \
	"a new school: balance's schools are those with grade returns (patched: it stays out), the others load again"
same "after a new school"
fp0=$fp run0=$run
api "$TOK" PUT /tables/grade_return/rows/3905029901,2024,1 '{"school_code":"3905029901","year":"2024","grade":"1","classes":"1","pupils":"30","boys":"15","girls":"15","migrant":"0","boarders":"0"}'
is "$code" 201 "its first grade return"
patched_eval "a school's first return of the year (new to balance's schools)" "seats,groups|balance"

H=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM hazard WHERE state = 'assigned' ORDER BY code LIMIT 1")
api "$TOK" POST "/hazards/$H/start" '{"date":"2025-09-01"}'
is "$code" 200 "a hazard's rectification started (a ledger step)"
server_eval
is "$patched|$reloaded" "safety|tasks" "a hazard step: safety patched by row, tasks (which counts hazards) runs again"
same "after a hazard step"
api "$TOK" POST /hazards '{"school":"3905020002","category":"fire","description":"灭火器过期","major":true,"found":"2025-09-01","date":"2025-09-02"}'
is "$code" 201 "a new hazard (the ledger's first step)"
server_eval
is "$patched|$reloaded" "safety|tasks" "a new hazard: added to safety's facts"
same "after a new hazard"
# through the registry: a hazard whose code sorts among the others, then deleted
H2=$(sqlite3 "$EDUHQ_DB" "SELECT code FROM hazard ORDER BY code LIMIT 1 OFFSET 10")
api "$TOK" PUT "/tables/hazard/rows/${H2}A" "$(sqlite3 -json "$EDUHQ_DB" "SELECT * FROM hazard WHERE code = '$H2'" |
	jq -c --arg c "${H2}A" '.[0] | map_values(if . == null then "" else tostring end) | .code = $c')"
is "$code" 201 "a hazard written through the registry, its code among the others"
server_eval
is "$patched|$reloaded" "safety|tasks" "added to safety's facts where its code sorts"
same "after a hazard written among the others"
api "$TOK" DELETE "/tables/hazard/rows/${H2}A"
is "$code" 204 "that hazard deleted"
server_eval
is "$patched|$reloaded" "safety|tasks" "taken out of safety's facts"
same "after a hazard deleted"

(head -1 "$T/csv/grade_return.csv"; grep '^3905020002,2024,2,' "$T/csv/grade_return.csv" | sed 's/^\(3905020002,2024,2,[0-9]*,\)[0-9]*/\1300/') >"$T/g.csv"
eduhq import grade_return "$T/g.csv" >/dev/null
server_eval
is "$reloaded|$why" "$ALL|a commit made outside eduhq" "a CLI import (another process) reloads everything"
same "after a CLI import"

sqlite3 "$EDUHQ_DB" "UPDATE facility SET books = books + 1000 WHERE school_code = '3905020001'"
server_eval
is "$why" "a commit made outside eduhq" "a commit by the sqlite3 shell is seen (no audit entry)"
same "after a commit by the sqlite3 shell"

# a new rule version in force: only the mechanisms whose facts were read with the rule are
# loaded again, and those that only compute with it are computed whole on the facts they
# keep; the others keep their facts and results, and compute with the new versions from
# then on (their facts may still point into the set they were loaded with: a school's
# location class then patched into groups and the teachers engine)
# rule_eval CODE PARAMS "PATCHED|RELOADED|RECOMPUTED|WHY" LABEL: a new version of a rule
# in force, an evaluation: what it did, against a CLI evaluation that computes
rule_eval() {
	prev=$run
	api "$TOK" POST "/rules/$1" "{\"params\":$2,\"effective_date\":\"2025-08-01\"}"
	is "$code" 201 "$4: a version of $1 added"
	server_eval
	is "$patched|$reloaded|$recomputed|$why" "$3" "$4"
	same "$4"
}
moved() { # moved LABEL: the results of $run are not those of $prev
	ok $([ "$(rsql "$ROWS $run ORDER BY id" | digest)" != "$(rsql "$ROWS $prev ORDER BY id" | digest)" ] && echo 0 || echo 1) \
		"$1: the results moved"
}
rule_eval balance.cv_max '{"primary":0.45}' "||balance|" \
	"a new version of a rule balance computes with: its facts kept, its results computed whole"
moved "balance.cv_max"
(head -1 "$T/csv/teacher.csv"; sed -n 2p "$T/csv/teacher.csv") >"$T/t2.csv"
imp_teacher "$T/t2.csv"
is "$code" 200 "then a teacher's education imported back"
server_eval
is "$patched|$reloaded|$recomputed" "balance,teachers||" "and patched into balance's kept facts"
same "a teacher write after the rule change"
rule_eval balance.method '{"teacher_base":"full_time","one_school":"pass","missing_facility":"exclude"}' "||balance|" \
	"a new version of the rule balance's facts were read with, that parameter the same: its facts kept, its results computed whole"
rule_eval balance.method '{"teacher_base":"all","one_school":"pass","missing_facility":"exclude"}' "||balance|" \
	"then one that changes what a teacher counts as (balance keeps its part-time teachers' counts apart): its facts kept"
moved "balance.method teacher_base"
rule_eval teachers.title_years '{"senior_from_first":3}' "||teachers|" \
	"only the teachers engine computes with the years between titles: its facts kept, its results computed whole"
moved "teachers.title_years"
rule_eval teachers.rural_service '{"city_min_years":3}' "||teachers|" \
	"the city's years of rural service, which only the teachers engine's compute reads: its facts kept"
moved "teachers.rural_service city_min_years"
rule_eval teachers.rural_service '{"rural_classes":"210,220,122"}' "||teachers|" \
	"the location classes counted as rural, which the teachers engine's compute classifies its schools with: its facts kept"
rule_eval teachers.rural_service '{"rural_classes":"210"}' "||teachers|" \
	"a version that counts fewer classes as rural: its facts kept"
moved "teachers.rural_service rural_classes"
rule_eval teachers.exchange '{"backbone_levels":"province,national"}' "||teachers|" \
	"the backbone levels, which the teachers engine's compute classifies its teachers' levels with: its facts kept"
moved "teachers.exchange backbone_levels"
rule_eval groups.coverage '{"denominator":"compulsory","rural_classes":"210"}' "||groups|" \
	"the groups' denominator and rural classes, which its compute classifies its schools with: its facts kept"
moved "groups.coverage"
rule_eval teachers.title_ladder '{"order":"third,second,senior,full_senior"}' "||teachers|" \
	"the title ladder (first left out), which the teachers engine's compute ranks its teachers' titles with: its facts kept"
moved "teachers.title_ladder"
rule_eval groups.outcome '{"interval_level":0.9}' "||groups|" \
	"the outcome's interval level, which only the groups engine's compute reads: its facts kept"
moved "groups.outcome interval_level"
rule_eval groups.outcome '{"exam":"gaokao"}' "||groups|" \
	"the outcome's exam, whose results the groups engine's compute picks from every exam's kept: its facts kept"
moved "groups.outcome exam"
rule_eval seats.class_size '{"primary":40}' "||seats|" \
	"a class size, which seats' compute judges the seats with: its facts kept"
moved "seats.class_size"
api "$TOK" POST /rules/tasks.lag '{"params":{"tolerance":0.2},"effective_date":"2025-09-01"}'
is "$code" 201 "a version of the tasks' rule added"
server_eval
is "$patched|$reloaded|$why" "|tasks|" "only tasks run again"
same "after a tasks rule change"
school_put urban_rural 220
server_eval
is "$patched|$reloaded" "teachers,groups|" "then a school's location class: patched into the facts kept"
same "a school's location class after the rule changes"

server_eval
is "$reloaded|$why" "|" "and then nothing is stale again"

# the memory bound: with 1 MB the cache keeps what fits (the demo's facts and results take
# about 2.4 MB), drops the rest after each evaluation and loads it again next time
serve_stop
serve_start --facts-mb 1
server_eval
is "$(echo "$body" | jq -c '[.resident.limit, .resident.bytes <= .resident.limit]')" "[1048576,true]" \
	"--facts-mb 1: the resident bytes stay under the limit, reported with it"
server_eval
ok $([ -n "$reloaded" ] && [ -z "$why" ] && echo 0 || echo 1) "what was dropped is loaded again ($reloaded)"
same "under the memory bound"
done_testing
