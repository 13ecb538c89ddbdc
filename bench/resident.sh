#!/bin/sh
# bench/resident.sh: the server's resident facts (issue 15) on the province-scale demo, on a
# copy of the database: a real `eduhq serve` on loopback, timed with curl. Prints the first
# evaluation (every mechanism loaded), one with nothing written, one after each of three
# teacher writes (an import of one teacher row) and after an import of 4,000 teachers, a
# posting written and one deleted, a title application, an activity, a grade_return write,
# a facility, a school's declared seats and then its name, an exam result, a group member,
# a births row, an assessment score, class hours and a hazard (each through the API), and
# each of the three what-ifs, then new rule versions (a balance rule, the tasks' rule, the
# years between titles, the city's years of rural service, the outcome's interval, a
# balance.method parameter balance's load does not read, what balance counts as a teacher,
# the rural location classes, the backbone levels, the groups' denominator, the title ladder,
# the groups' exam, the primary class size):
# wall time, and the server's split (bringing facts up to date / engines / storing the
# run's rows), which mechanisms were loaded again, which patched by row and which computed
# again on the facts they kept, the resident bytes, and the server's RSS (now and peak).
# With WHATIF_OUT=FILE, each what-if's answer (its timings aside) is appended to FILE, to
# compare two binaries' answers with cmp.
# With RENAMES=N, the school is renamed N times in a row (each followed by an evaluation).
# usage: bench/resident.sh [EDUHQ] [DB] [PORT]   (run from the top; PORT in 18800-18849)
set -eu
EDUHQ=${1:-build/eduhq}
SRC=${2:-build/prov.db}
PORT=${3:-18840}
DB=build/resident-bench.db
AS_OF=2025-09-30
API=http://127.0.0.1:$PORT/api/v1
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$SRC" "$DB"
cp "$SRC.key" "$DB.key"
q() { sqlite3 "$DB" "$@"; }
echo "pw-bench-resident-1" | "$EDUHQ" --db "$DB" user add benchres --role city_admin --password-stdin >/dev/null
TOK=$("$EDUHQ" --db "$DB" user token benchres | tail -1)
"$EDUHQ" --db "$DB" serve --listen 127.0.0.1:$PORT --threads 2 --log "$DB.log" >"$DB.out" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key" "$DB.log" "$DB.out" "$DB.body" "$DB.csv"' EXIT
for _ in $(seq 200); do grep -q '^eduhq: serving' "$DB.out" && break; sleep 0.05; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other work on the machine slows every figure)"
echo "province: $(q 'SELECT count(*) FROM school') schools, $(q 'SELECT count(*) FROM teacher') teachers; server on $DB (a copy of $SRC)"
rss() { awk '/^VmRSS|^VmHWM/ { printf "%s %d MB ", $1, $2 / 1024 }' /proc/$PID/status; }
call() { # call METHOD PATH [JSON]: wall seconds into $wall ("CODE in S s" in $said), answer in $DB.body
	said=$(curl -s -o "$DB.body" -w '%{http_code} in %{time_total} s' -X "$1" -H "Authorization: Bearer $TOK" \
		-H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$API$2")
	wall=${said#* in }
	wall=${wall% s}
}
eval_line() { # eval_line LABEL
	call POST /runs "{\"as_of\":\"$AS_OF\"}"
	jq -r --arg l "$1" --arg w "$wall" '"\($l): wall \($w) s; reload \(.seconds.load) s (both threads), engines \(.seconds.engines) s, store \(.seconds.save) s, commit \(.seconds.commit // "-") s (\(.results) rows); reloaded [\(.resident.reloaded | join(","))] patched [\((.resident.patched // []) | join(","))] computed again [\((.resident.recomputed // []) | join(","))]\(if .resident.all_stale then " (" + .resident.all_stale + ")" else "" end); resident \(.resident.bytes / 1048576 | floor) MB"' "$DB.body"
	echo "    server $(rss)"
}
whatif_line() { # whatif_line LABEL JSON
	call POST /whatif "$2"
	[ -z "${WHATIF_OUT:-}" ] || jq -c 'del(.seconds, .resident)' "$DB.body" >>"$WHATIF_OUT"
	jq -r --arg l "$1" --arg w "$wall" 'if .error then "\($l): \(.error.message)" else "\($l): wall \($w) s; reload \(.seconds.refresh) s, apply and compute \(.seconds.apply_and_compute) s; \(.counts.changed) rows changed, \(.counts.added) added, \(.counts.removed) removed; reloaded [\(.resident.reloaded | join(","))] patched [\((.resident.patched // []) | join(","))]" end' "$DB.body"
}

eval_line "first evaluation"
eval_line "nothing written"

# a teacher write: one teacher's education, imported through the API (the ID number is
# made up with a valid check digit: teacher rows carry it only hashed)
T=$(q "SELECT code FROM teacher WHERE education = 'bachelor' ORDER BY code LIMIT 1")
id17="39050219870112123"
chk=$(echo "$id17" | awk '{ split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0
	for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]; print substr("10X98765432", s % 11 + 1, 1) }')
teacher_write() { # teacher_write EDUCATION: the teacher's education set to it, then an evaluation
	q -csv -header "SELECT code, name, '$id17$chk' AS id_number, sex, birth_date, '$1' AS education, title, title_date,
		subject, full_time, backbone_level, certificate, hire_date FROM teacher WHERE code = '$T'" >"$DB.csv"
	w=$(curl -s -o "$DB.body" -w '%{http_code} in %{time_total} s' -H "Authorization: Bearer $TOK" \
		-H 'Content-Type: text/csv' --data-binary @"$DB.csv" "$API/tables/teacher/import?filename=t.csv")
	echo "teacher $T imported (education $1): $(jq -c '{rows, updated}' "$DB.body") $w"
	eval_line "after a teacher write"
}
# three times (to master, back to bachelor, to master again): the figures vary by run
teacher_write master
teacher_write bachelor
teacher_write master

# an import of 4,000 teachers spread over the table and over the counties (their education
# switched between bachelor and master): patched by row while that costs less than loading
# again (resident.c: patch_max)
q -csv -header "SELECT code, name, '$id17$chk' AS id_number, sex, birth_date, CASE education WHEN 'bachelor' THEN
	'master' ELSE 'bachelor' END AS education, title, title_date, subject, full_time, backbone_level, certificate,
	hire_date FROM teacher WHERE education IN ('bachelor', 'master') AND CAST(substr(code, 2) AS INTEGER) % 199 = 0
	ORDER BY code LIMIT 4000" >"$DB.csv"
w=$(curl -s -o "$DB.body" -w '%{http_code} in %{time_total} s' -H "Authorization: Bearer $TOK" \
	-H 'Content-Type: text/csv' --data-binary @"$DB.csv" "$API/tables/teacher/import?filename=t.csv")
echo "4,000 teachers imported: $(jq -c '{rows, updated}' "$DB.body") $w"
eval_line "after an import of 4,000 teachers"

# a posting write: the teacher posted at another school from before the school year (a new
# row through the registry), then that posting deleted
P=$(q "SELECT code FROM school WHERE type = 'primary' AND code NOT IN (SELECT school_code FROM posting
	WHERE teacher_code = '$T') ORDER BY code DESC LIMIT 1")
call PUT "/tables/posting/rows/$T,2024-08-01" "{\"teacher_code\":\"$T\",\"start_date\":\"2024-08-01\",\"school_code\":\"$P\",\"end_date\":\"\",\"kind\":\"appointment\"}"
echo "posting of $T at $P from 2024-08-01 written: $said"
eval_line "after a posting write"
call DELETE "/tables/posting/rows/$T,2024-08-01"
echo "that posting deleted: $said"
eval_line "after a posting deleted"

# a title application (the teachers engine reads the teacher again) and an activity's
# participations (it reads the year's activities again)
call PUT "/tables/title_application/rows/$T,2024,senior" "{\"teacher_code\":\"$T\",\"year\":2024,\"title\":\"senior\"}"
echo "title application of $T for 2024 written: $said"
eval_line "after a title application"
AC=$(q "SELECT code FROM activity WHERE year = 2024 ORDER BY code LIMIT 1")
call PUT "/tables/activity/rows/$AC" "$(q -json "SELECT * FROM activity WHERE code = '$AC'" | jq -c \
	'.[0] | map_values(if . == null then "" else tostring end) | .teacher_participations = "999"')"
echo "activity $AC: teacher participations set to 999: $said"
eval_line "after an activity write"

G=$(q "SELECT school_code || ',' || year || ',' || grade || '|' || classes || '|' || pupils FROM grade_return WHERE year = 2024 ORDER BY school_code LIMIT 1")
key=${G%%|*} rest=${G#*|} cls=${rest%%|*} pup=${rest#*|}
call PUT "/tables/grade_return/rows/$key" "{\"school_code\":\"${key%%,*}\",\"year\":\"2024\",\"grade\":\"$(echo "$key" | cut -d, -f3)\",\"classes\":\"$cls\",\"pupils\":\"$((pup + 1))\"}"
echo "grade return $key written (pupils $pup -> $((pup + 1))): $said"
eval_line "after a grade_return write"

S=$(q "SELECT code FROM school WHERE type = 'primary' ORDER BY code LIMIT 1")
row_write() { # row_write TABLE KEY WHERE COLUMN VALUE LABEL: one column through the API
	row=$(q -json "SELECT * FROM $1 WHERE $3" | jq -c --arg c "$4" --arg v "$5" \
		'.[0] | map_values(if . == null then "" else tostring end) | .[$c] = $v')
	call PUT "/tables/$1/rows/$2" "$row"
	echo "$1 $2: $4 set to $5: $said"
	eval_line "$6"
}
# a school's facility (balance patched by row)
row_write facility "$S,2024" "school_code = '$S' AND year = 2024" books 123456 "after a facility write"
# school writes: its declared seats (only seats reads them: patched by row, the others keep
# their facts), then its name (every mechanism that labels rows with it loads again)
row_write school "$S" "code = '$S'" declared_seats 4321 "after a school's declared seats written"
# (RENAMES times, default 1: each renamed again)
for i in $(seq "${RENAMES:-1}"); do
	row_write school "$S" "code = '$S'" name "$(q "SELECT name FROM school WHERE code = '$S'")（改）" \
		"after a school's name written"
done
# the other mechanisms' tables, one row each (the mechanism loads or runs again, or patches)
E=$(q "SELECT school_code || ',' || year || ',' || exam FROM exam_result ORDER BY year DESC, 1 LIMIT 1")
row_write exam_result "$E" "school_code || ',' || year || ',' || exam = '$E'" passed 1 "after an exam result written"
GM=$(q "SELECT group_code || ',' || school_code FROM group_member WHERE left_year IS NULL ORDER BY 1 LIMIT 1")
row_write group_member "$GM" "group_code = '${GM%%,*}' AND school_code = '${GM#*,}'" left_year 2025 \
	"after a group member left"
B=$(q "SELECT area_code || ',' || year FROM births ORDER BY year DESC, area_code LIMIT 1")
row_write births "$B" "area_code = '${B%%,*}' AND year = ${B#*,}" births \
	"$(q "SELECT births + 10 FROM births WHERE area_code = '${B%%,*}' AND year = ${B#*,}")" "after a births write"
AS=$(q "SELECT scheme_code || ',' || item_code || ',' || school_code FROM assessment_score ORDER BY 1 LIMIT 1")
row_write assessment_score "$AS" "scheme_code || ',' || item_code || ',' || school_code = '$AS'" score 1 \
	"after an assessment score written"
CH=$(q "SELECT school_code || ',' || year || ',' || course FROM curriculum_hours ORDER BY year DESC, 1 LIMIT 1")
row_write curriculum_hours "$CH" "school_code || ',' || year || ',' || course = '$CH'" hours_per_week 1 \
	"after a curriculum hours write"
call POST /hazards "{\"school\":\"$S\",\"category\":\"fire\",\"description\":\"bench\",\"found\":\"2025-09-01\",\"date\":\"2025-09-01\"}"
echo "hazard added at $S: $said"
eval_line "after a hazard write"

TP=$(q "SELECT s.code FROM school s WHERE s.is_teaching_point = 1 AND EXISTS (SELECT 1 FROM grade_return g
	WHERE g.school_code = s.code AND g.year = 2024) ORDER BY s.code LIMIT 1")
RECV=$(q "SELECT r.code FROM school r, school t WHERE t.code = '$TP' AND r.area_code = t.area_code
	AND r.is_teaching_point = 0 AND r.type = 'primary' AND EXISTS (SELECT 1 FROM grade_return g
	WHERE g.school_code = r.code AND g.year = 2024) ORDER BY r.code LIMIT 1")
[ -n "$RECV" ] || RECV=$(q "SELECT r.code FROM school r, area_county a, area_county b, school t WHERE t.code = '$TP'
	AND a.code = t.area_code AND b.code = r.area_code AND a.county_code = b.county_code AND r.is_teaching_point = 0
	AND r.type = 'primary' AND EXISTS (SELECT 1 FROM grade_return g WHERE g.school_code = r.code AND g.year = 2024)
	ORDER BY r.code LIMIT 1")
whatif_line "what-if: close teaching point $TP (pupils to $RECV)" \
	"{\"as_of\":\"$AS_OF\",\"close_teaching_point\":{\"school\":\"$TP\",\"receiving_school\":\"$RECV\"}}"
X=$(q "SELECT teacher_code || '|' || school_code FROM posting WHERE start_date <= '2024-09-01' AND (end_date IS NULL
	OR end_date >= '2024-09-01') AND teacher_code NOT IN (SELECT teacher_code FROM posting WHERE start_date > '2024-09-01')
	ORDER BY teacher_code LIMIT 1")
whatif_line "what-if: exchange of teacher ${X%%|*} from ${X#*|} to $RECV" \
	"{\"as_of\":\"$AS_OF\",\"teacher_exchange\":{\"teacher\":\"${X%%|*}\",\"from_school\":\"${X#*|}\",\"to_school\":\"$RECV\"}}"
AREA=$(q "SELECT area_code FROM school WHERE code = '$RECV'")
whatif_line "what-if: a new primary school in area $AREA" \
	"{\"as_of\":\"$AS_OF\",\"new_school\":{\"code\":\"${AREA%??????}9901\",\"name\":\"新校\",\"area_code\":\"$AREA\",\"type\":\"primary\",\"urban_rural\":\"111\",\"pupils\":{\"1\":90,\"2\":90},\"classes\":{\"1\":2,\"2\":2},\"teachers\":{\"total\":10,\"associate_plus\":10}}}"

# new rule versions in force (after the what-ifs): only the mechanisms whose facts were read
# with a parameter that moved are loaded (or run) again (the tasks' rule runs tasks again);
# those whose compute alone reads it are computed again on the facts they keep (every other
# rule here)
rule_line() { # rule_line CODE PARAMS LABEL
	call POST "/rules/$1" "{\"params\":$2,\"effective_date\":\"$AS_OF\"}"
	echo "a new version of $1 $2: $said"
	eval_line "after $3"
}
rule_line balance.cv_max '{"primary":0.45}' "a balance rule change"
rule_line tasks.lag '{"tolerance":0.2}' "a tasks rule change"
rule_line teachers.title_years '{"senior_from_first":4}' "a teachers rule change"
rule_line teachers.rural_service '{"city_min_years":3}' "the city's years of rural service"
rule_line groups.outcome '{"interval_level":0.9}' "the outcome's interval level"
rule_line balance.method '{"missing_facility":"exclude"}' "a balance.method parameter the load does not read"
rule_line balance.method '{"teacher_base":"all"}' "what balance counts as a teacher"
rule_line teachers.rural_service '{"rural_classes":"210,220,122"}' "the rural location classes"
rule_line teachers.exchange '{"backbone_levels":"city,province,national"}' "the backbone levels"
rule_line groups.coverage '{"denominator":"compulsory"}' "the groups' coverage denominator"
rule_line teachers.title_ladder '{"order":"third,second,first,senior"}' "the title ladder"
rule_line groups.outcome '{"exam":"gaokao"}' "the groups' outcome exam"
rule_line seats.class_size '{"primary":40}' "the primary class size"
echo "server at the end: $(rss)"
