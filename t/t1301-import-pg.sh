#!/bin/sh
# t1301-import-pg.sh: import into PostgreSQL (a throwaway cluster): every fixture table through
# COPY with the same summaries as SQLite; re-import unchanged, a changed row updated; a file
# with errors or a row the database refuses mid-COPY changes nothing and names the line;
# exports identical to SQLite's; the demo city imports and its overview matches SQLite's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"
. "$(dirname "$0")/lib-pg.sh"
pg_start 15433
export EDUHQ_KEY_FILE="$T/eduhq.key"
SQ="$T/sq.db"
write_fixture "$T/fx"

run eduhq --db "$PGURL" init
is "$rc" 0 "init creates the schema in PostgreSQL ($err)"
run eduhq --db "$PGURL" init
is "$rc:$err" "1:eduhq: database '$PGURL' already exists" "init refuses an initialised database"
eduhq --db "$SQ" init >/dev/null

# every table: the same summary line on both backends
same=0 n=0
for t in $FIXTURE_TABLES; do
	a=$(eduhq --db "$PGURL" import $t "$T/fx/$t.csv" 2>&1)
	b=$(eduhq --db "$SQ" import $t "$T/fx/$t.csv" 2>&1)
	n=$((n + 1))
	if [ "$a" = "$b" ]; then same=$((same + 1)); else echo "# $t: pg '$a' sqlite '$b'" >&2; fi
done
is "$same" "$n" "all $n fixture tables import with the same summaries"
is "$(psql_q "SELECT count(*) FROM school")" 4 "the schools are in PostgreSQL"
is "$(psql_q "SELECT code, id_masked FROM teacher ORDER BY code LIMIT 1")" \
	"$(sqlite3 "$SQ" "SELECT code, id_masked FROM teacher ORDER BY code LIMIT 1")" \
	"the teacher's masked ID is the same"
is "$(psql_q "SELECT code || ' ' || id_hash FROM teacher ORDER BY code" | tr '\n' ' ')" \
	"$(sqlite3 "$SQ" "SELECT code || ' ' || id_hash FROM teacher ORDER BY code" | tr '\n' ' ')" \
	"and so is every ID hash (one key file)"

# a table loaded empty gets its keys, indexes and CHECK constraints back, enforced
is "$(psql_q "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'school'")" \
	"school_area school_pkey" "the school table has its indexes after a bulk load"
is "$(psql_q "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'school'::regclass AND contype = 'f'")" \
	"school_area_code_fkey" "and its foreign key"
psql_q "UPDATE school SET type = 'college' WHERE code = '4410020001'" >/dev/null 2>"$T/chk.err"
ok $(grep -q 'violates check constraint "school_type_check"' "$T/chk.err" && echo 0 || echo 1) \
	"and its CHECK constraints refuse a bad write"
psql_q "INSERT INTO grade_return (school_code, year, grade, classes, pupils) VALUES ('4499999999', 2024, 1, 1, 1)" >/dev/null 2>"$T/fk.err"
ok $(grep -q 'violates foreign key constraint' "$T/fk.err" && echo 0 || echo 1) \
	"a foreign key restored after a bulk load refuses a dangling row"

run eduhq --db "$PGURL" import area "$T/fx/area.csv"
is "$rc:$out" "0:area: 4 rows: 0 inserted, 0 updated, 4 unchanged" "re-import changes nothing"
sed 's/青山镇/青山街道/' "$T/fx/area.csv" >"$T/area2.csv"
run eduhq --db "$PGURL" import area "$T/area2.csv"
is "$rc:$out" "0:area: 4 rows: 0 inserted, 1 updated, 3 unchanged" "a changed row is updated"

# exports are identical, column for column
for t in area school teacher facility; do
	eduhq --db "$SQ" import $t "$T/area2.csv" >/dev/null 2>&1
	eduhq --db "$PGURL" export $t --out "$T/pg-$t.csv" >/dev/null 2>&1
	eduhq --db "$SQ" export $t --out "$T/sq-$t.csv" >/dev/null 2>&1
done
eduhq --db "$SQ" import area "$T/area2.csv" >/dev/null
eduhq --db "$PGURL" export area --out "$T/pg-area.csv" >/dev/null 2>&1
eduhq --db "$SQ" export area --out "$T/sq-area.csv" >/dev/null 2>&1
for t in area school teacher facility; do
	ok $(cmp -s "$T/pg-$t.csv" "$T/sq-$t.csv" && echo 0 || echo 1) "export $t is identical on both backends"
done

# a file with validation errors: the same messages, nothing changed
before=$(psql_q "SELECT count(*) || ' ' || max(name) FROM school")
cat >"$T/bad.csv" <<'X'
code,name,area_code,type,urban_rural
4410020003,新学校,441002,primary,111
4410020004,,441099,college,111
X
run eduhq --db "$PGURL" import school "$T/bad.csv"
pgerr=$err
run eduhq --db "$SQ" import school "$T/bad.csv"
is "$pgerr" "$err" "the same error messages as SQLite"
ok $(echo "$pgerr" | grep -q "bad.csv:3: column type: 'college': not one of" && echo 0 || echo 1) "they name file, line and column"
is "$(psql_q "SELECT count(*) || ' ' || max(name) FROM school")" "$before" "nothing was imported"

# a row the database itself refuses half-way through the COPY (a trigger stands for a
# constraint the registry does not know): the line is named, nothing is stored
psql_q "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
	IF NEW.name = '拒绝' THEN RAISE EXCEPTION 'refused by the database'; END IF; RETURN NEW; END \$\$;
	CREATE TRIGGER refuse BEFORE INSERT ON school FOR EACH ROW EXECUTE FUNCTION refuse();" >/dev/null
{ echo "code,name,area_code,type,urban_rural"
  i=10; while [ $i -lt 60 ]; do echo "44100200$i,学校$i,441002,primary,111"; i=$((i + 1)); done
  echo "4410020060,拒绝,441002,primary,111"
  echo "4410020061,学校61,441002,primary,111"; } >"$T/many.csv"
run eduhq --db "$PGURL" import school "$T/many.csv"
is "$rc" 1 "the import fails"
ok $(echo "$err" | grep -q "many.csv:52: .*refused by the database" && echo 0 || echo 1) \
	"the error names line 52, the refused row ($(echo "$err" | head -1))"
is "$(psql_q "SELECT count(*) || ' ' || max(name) FROM school")" "$before" "nothing of the file is stored"
psql_q "DROP TRIGGER refuse ON school" >/dev/null
run eduhq --db "$PGURL" import school "$T/many.csv"
is "$rc:$out" "0:school: 52 rows: 52 inserted, 0 updated, 0 unchanged" "without the trigger the file imports"

# the demo city
createdb -h "$PGDIR" -p "$PGPORT" -U eduhq demo
D="postgresql://eduhq@/demo?host=$PGDIR&port=$PGPORT"
run eduhq --db "$D" demo --out "$T/demo" --quiet
is "$rc" 0 "the demo city imports into PostgreSQL"
eduhq --db "$T/demo.db" demo --out "$T/demo" --quiet >"$T/sq-demo.out"
is "$(echo "$out" | sed -n '/^$/,$p')" "$(sed -n '/^$/,$p' "$T/sq-demo.out")" "its overview is the same as on SQLite"
done_testing
