#!/bin/sh
# t1302-cli-pg.sh: the commands on PostgreSQL print what they print on SQLite, for the demo
# city: eval (summary and JSON results), indicators in a scope and with filters, rules set /
# show / history, check, forecast, export; a failing eval stores nothing on PostgreSQL too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pg.sh"
pg_start 15434
# no autovacuum: the planner's row counts below come from eduhq's own ANALYZE, or from nothing
psql_q "ALTER SYSTEM SET autovacuum = off" >/dev/null
psql_q "SELECT pg_reload_conf()" >/dev/null
export EDUHQ_KEY_FILE="$T/eduhq.key"
SQ="$T/sq.db"
eduhq --db "$PGURL" demo --out "$T/csv" --quiet >/dev/null 2>"$T/e1" || { cat "$T/e1" >&2; echo "Bail out! demo pg"; exit 1; }
eduhq --db "$SQ" demo --out "$T/csv" --quiet >/dev/null 2>"$T/e2" || { cat "$T/e2" >&2; echo "Bail out! demo sqlite"; exit 1; }

# both: run the command on each backend; the outputs must be equal (timestamps and the
# database name aside)
both() {
	name=$1
	shift
	"$EDUHQ" --db "$PGURL" "$@" >"$T/pg.out" 2>&1
	a=$?
	"$EDUHQ" --db "$SQ" "$@" >"$T/sq.out" 2>&1
	b=$?
	for f in pg sq; do
		sed -e 's/"created_at":"[^"]*"/"created_at":""/g' -e 's/^created: *20[0-9-]*T[0-9:]*Z/created: TIME/' -e 's/ at 20[0-9-]*T[0-9:]*Z//' -e 's/ of 20[0-9-]*T[0-9:]*Z:/ of TIME:/' \
			"$T/$f.out" >"$T/$f.norm"
	done
	if [ "$a:$(cat "$T/pg.norm")" = "$b:$(cat "$T/sq.norm")" ]; then
		ok 0 "$name ($(wc -l <"$T/pg.out" | tr -d ' ') lines)"
	else
		ok 1 "$name"
		diff "$T/pg.norm" "$T/sq.norm" | head -5 | sed 's/^/# /' >&2
	fi
}

both "eval: the same summary" eval --rules-as-of 2025-09-01
both "eval --format json: the same run and every result" eval --rules-as-of 2025-09-01 --format json
both "indicators, all rows, CSV" indicators --format csv
both "indicators in a county's scope" indicators --area 390522
both "indicators of one school, JSON" indicators --school 3905220001 --format json
both "indicators filtered by indicator and verdict" indicators --indicator BAL.CV.L5 --verdict fail
both "indicators of a run that does not exist" indicators --run 99
both "rules" rules
both "rules set" rules set balance.cv_max primary=0.48 --effective 2026-01-01 --source 市教育局文件
both "rules history" rules history balance.cv_max --format json
both "rules show as of a date" rules show balance.cv_max --as-of 2026-02-01
both "check" check
both "forecast" forecast --area 390571
both "export teacher as CSV" export teacher
both "export school as JSON" export school --format json
both "every stored row, numbers exact (indicators --format sql)" indicators --run 1 --format sql
both "eval balance --fresh (alone: its teachers merged in two halves at once), every result" \
	eval balance --fresh --rules-as-of 2025-09-01 --format json
both "eval seats --fresh (alone: its grade returns read beside the rest), every result" \
	eval seats --fresh --rules-as-of 2025-09-01 --format json

# a failing eval (a result the database refuses) stores nothing
psql_q "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
	RAISE EXCEPTION 'refused by the database'; END \$\$;
	CREATE TRIGGER refuse BEFORE INSERT ON result_chunk FOR EACH ROW EXECUTE FUNCTION refuse();" >/dev/null
runs=$(psql_q "SELECT count(*) || ' ' || (SELECT count(*) FROM result_chunk) || ' ' || (SELECT count(*) FROM forecast_vintage) FROM eval_run")
run eduhq --db "$PGURL" eval
is "$rc" 1 "an eval whose results are refused fails"
ok $(echo "$err" | grep -q "refused by the database" && echo 0 || echo 1) "and says why"
is "$(psql_q "SELECT count(*) || ' ' || (SELECT count(*) FROM result_chunk) || ' ' || (SELECT count(*) FROM forecast_vintage) FROM eval_run")" \
	"$runs" "nothing of it is stored: runs, results, vintages as before ($runs)"

# results taken from an earlier run (src/memo.c): a statement trigger per table counts every
# write, psql's too
psql_q "DROP TRIGGER refuse ON result_chunk" >/dev/null
pgev() { # the mechanisms an eval on PostgreSQL computed (the others it took from a run)
	"$EDUHQ" --db "$PGURL" eval --rules-as-of 2025-09-01 --as-of 2025-09-30 --timing "$@" 2>&1 >/dev/null |
		grep '^timing: threads' | grep -oE '[a-z]+ [0-9.]+\+[0-9.]+' | cut -d' ' -f1 | sort | tr '\n' ' ' | sed 's/ $//'
}
pgev >/dev/null
pgev >/dev/null
is "$(pgev)" "" "PostgreSQL: an eval on unchanged data computes nothing"
sql_of() { "$EDUHQ" --db "$PGURL" indicators --run "$1" --format sql | sed "s/VALUES ($1,/VALUES (N,/"; }
v=$(psql_q "SELECT version FROM table_version WHERE name = 'hazard'")
psql_q "UPDATE hazard SET state = 'closed' WHERE code = (SELECT min(code) FROM hazard WHERE state <> 'closed')" >/dev/null
is "$(psql_q "SELECT version FROM table_version WHERE name = 'hazard'")" "$((v + 1))" "an UPDATE in psql counts the table's version up once"
is "$(pgev)" "safety tasks" "then only safety and tasks compute"
a=$(psql_q "SELECT max(id) FROM eval_run")
pgev --fresh >/dev/null
is "$(sql_of "$a" | sha256sum)" "$(sql_of $((a + 1)) | sha256sum)" "and the run's rows are a fresh run's, bit for bit"

# balance's teachers' part (memo.h, table fact_part) on PostgreSQL: after a facility write
# balance computes taking it (a bytea), and gives a fresh run's rows; a stale part put in its
# place shows in the results, so it is the part that was taken. (Each write is made in the
# SQLite database too, compared with below.)
write() { psql_q "$1" >/dev/null; sqlite3 "$SQ" "$1"; }
fac() { write "UPDATE facility SET books = books + 1 WHERE school_code = (SELECT min(school_code) FROM facility)"; }
fac
is "$(pgev)" "balance" "a facility written in psql: balance computes"
a=$(psql_q "SELECT max(id) FROM eval_run")
pgev --fresh >/dev/null
is "$(sql_of "$a" | sha256sum)" "$(sql_of $((a + 1)) | sha256sum)" "taking its teachers' part: a fresh run's rows, bit for bit"
old=$(psql_q "SELECT encode(data, 'hex') FROM fact_part WHERE name LIKE 'balance.teachers %'")
write "UPDATE teacher SET backbone_level = 'national' WHERE code = (SELECT min(teacher_code) FROM posting WHERE end_date IS NULL)"
pgev >/dev/null
psql_q "UPDATE fact_part SET data = decode('$old', 'hex')" >/dev/null
fac
is "$(pgev)" "balance" "(a stale teachers' part put in place, a facility written: balance computes)"
a=$(psql_q "SELECT max(id) FROM eval_run")
pgev --fresh >/dev/null
ok $([ "$(sql_of "$a" | grep BAL | sha256sum)" != "$(sql_of $((a + 1)) | grep BAL | sha256sum)" ] && echo 0 || echo 1) \
	"the stale part shows in balance's results: the part is what PostgreSQL gave back"

# of the school and teacher tables, an UPDATE statement that sets no column a mechanism reads
# leaves it as it is; one that sets one of them counts, changed or not
write "UPDATE teacher SET name = name || '乙' WHERE code = (SELECT min(code) FROM teacher)"
is "$(pgev)" "" "a teacher renamed in psql: nothing computes"
write "UPDATE school SET declared_seats = coalesce(declared_seats, 0) + 1 WHERE code = (SELECT min(code) FROM school)"
is "$(pgev)" "seats" "a school's declared seats set in psql: only seats computes"
write "UPDATE teacher SET education = education WHERE code = (SELECT min(code) FROM teacher)"
is "$(pgev)" "balance teachers" "a teacher's education set (to what it is): balance and the teachers engine compute"

# The loaders size their arrays by store_row_estimate: on PostgreSQL the planner's row count,
# which every bulk load's ANALYZE makes exact. Rows written since (no ANALYZE) make it
# short, and the loaders grow past it: 1,000 more teachers with their postings, written on
# both backends, give the same results.
is "$(psql_q "SELECT reltuples::bigint = (SELECT count(*) FROM teacher) FROM pg_class WHERE oid = 'teacher'::regclass")" t \
	"the planner's row count is the table's"
is "$(psql_q "SELECT count(DISTINCT tablename) FROM pg_stats WHERE tablename IN ('teacher', 'posting', 'grade_return')")" 3 \
	"a bulk load is analyzed: the planner has column statistics for what was loaded"
more="INSERT INTO teacher (code, name, id_hash, id_masked, sex, birth_date, education, title, title_date,
	subject, full_time, backbone_level, certificate, hire_date) SELECT 'X' || code, name, id_hash, id_masked, sex,
	birth_date, education, title, title_date, subject, full_time, backbone_level, certificate, hire_date
	FROM teacher WHERE code < 'T0001001';
	INSERT INTO posting (teacher_code, start_date, school_code, end_date, kind) SELECT 'X' || teacher_code,
	start_date, school_code, end_date, kind FROM posting WHERE teacher_code < 'T0001001'"
psql_q "$more" >/dev/null
sqlite3 "$SQ" "$more"
is "$(psql_q "SELECT count(*) - (SELECT reltuples::bigint FROM pg_class WHERE oid = 'teacher'::regclass) FROM teacher")" 1000 \
	"the estimate is now 1,000 short"
for m in teachers balance; do
	j() { "$EDUHQ" --db "$1" eval $m --rules-as-of 2025-09-01 --as-of 2025-09-30 --format json | jq -c 'del(.run.id, .run.created_at)'; }
	is "$(j "$PGURL" | sha256sum)" "$(j "$SQ" | sha256sum)" "$m: the same fingerprint and every result as SQLite's"
done
done_testing
