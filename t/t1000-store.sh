#!/bin/sh
# t1000-store.sh: init creates the schema and key file; WAL, 16 KiB pages for a new database
# (an existing one keeps its own) and foreign keys; migrations; a newer database is refused.
. "$(dirname "$0")/lib.sh"

run eduhq init
is "$rc" 0 "init succeeds"
is "$(sqlite3 "$EDUHQ_DB" "SELECT value FROM meta WHERE key='schema_version'")" 3 "schema version 3"
is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA journal_mode')" wal "database is in WAL mode"
is "$(sqlite3 "$EDUHQ_DB" 'PRAGMA page_size')" 16384 "a new database has 16 KiB pages"
is "$(stat -c %a "$EDUHQ_DB.key")" 600 "key file is mode 0600"
is "$(wc -c <"$EDUHQ_DB.key" | tr -d ' ')" 65 "key file holds 32 bytes in hex"
ok $(sqlite3 "$EDUHQ_DB" .schema | grep -q "id_hash" && echo 0 || echo 1) "teacher stores an ID hash"
ok $(sqlite3 "$EDUHQ_DB" "SELECT name FROM pragma_table_info('teacher')" | grep -qx 'id_number' && echo 1 || echo 0) \
	"no clear ID-number column exists"

run eduhq init
is "$rc:$err" "1:eduhq: database '$EDUHQ_DB' already exists" "init refuses an existing database"

sqlite3 "$EDUHQ_DB" "UPDATE meta SET value='99' WHERE key='schema_version'"
run eduhq rules
is "$rc" 1 "a newer database is refused"
is "$err" "eduhq: database '$EDUHQ_DB' has schema version 99, newer than this eduhq (3); use a newer eduhq" \
	"newer database message"

echo "not a database" >"$T/junk.db"
run eduhq --db "$T/junk.db" rules
is "$rc" 1 "a file that is not a database is refused"

EDUHQ_KEY_FILE="$T/k.key" run eduhq --db "$T/no/such/dir.db" init
is "$rc" 1 "init into a missing directory fails"
ok $([ ! -e "$T/k.key" ] && echo 0 || echo 1) "a failed init leaves no key file behind"

cp "$EDUHQ_DB.key" "$T/small.db.key"
sqlite3 "$EDUHQ_DB" ".backup '$T/small.db'"
sqlite3 "$T/small.db" "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL" >/dev/null
# as a database of schema version 2 was: migration 3 is applied on opening it
sqlite3 "$T/small.db" "DROP TABLE fact_part; UPDATE meta SET value = '2' WHERE key = 'schema_version'"
run eduhq --db "$T/small.db" rules set balance.cv_max primary=0.5
is "$rc" 0 "an existing database with 4 KiB pages is written to"
is "$(sqlite3 "$T/small.db" 'PRAGMA page_size')" 4096 "and keeps its page size"
is "$(sqlite3 "$T/small.db" "SELECT value FROM meta WHERE key = 'schema_version'") $(sqlite3 "$T/small.db" \
	"SELECT count(*) FROM sqlite_master WHERE name = 'fact_part'")" "3 1" \
	"a database of schema version 2 is migrated to 3 (table fact_part) on opening"

chmod 644 "$EDUHQ_DB.key"
done_testing
