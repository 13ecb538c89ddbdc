#!/bin/sh
# t2014-key-id.sh: a database records which ID-hash key it belongs to (meta key_id, a keyed
# hash of a constant), and a teacher import with another database's key file is refused
# (it silently rewrote every id_hash with the wrong key). A zero-byte or foreign file as
# --db is refused instead of getting a schema without rules or key.
. "$(dirname "$0")/lib.sh"

A="$T/a.db" B="$T/b.db"
eduhq --db "$A" init >/dev/null
eduhq --db "$B" init >/dev/null
q() { sqlite3 "$1" "$2"; }
# messages print key identifiers in groups of four: never a digit run to be masked
ida=$(q "$A" "SELECT value FROM meta WHERE key = 'key_id'")
idb=$(q "$B" "SELECT value FROM meta WHERE key = 'key_id'")
groups() { echo "$1" | sed 's/..../&-/g; s/-$//'; }
is "${#ida}:${#idb}" "16:16" "init records a 16-hex-digit key identifier"
ok $([ "$ida" != "$idb" ] && echo 0 || echo 1) "... different for different keys"

printf '%s\n%s\n' "code,name,id_number,sex,birth_date,education,title,subject,hire_date" \
	"T1,张三,110101199003071233,M,1990-03-07,bachelor,first,math,2012-09-01" >"$T/t.csv"
eduhq --db "$B" import teacher "$T/t.csv" >/dev/null
before=$(sqlite3 "$B" .dump)
EDUHQ_KEY_FILE="$A.key" run eduhq --db "$B" import teacher "$T/t.csv"
is "$rc:$err" "1:eduhq: key file '$A.key' is not the key of database '$B' (key $(groups "$ida"), the database was made with key $(groups "$idb")); set EDUHQ_KEY_FILE to its own key file" \
	"another database's key is refused"
is "$(sqlite3 "$B" .dump)" "$before" "... and no id_hash changes"
run eduhq --db "$B" import teacher "$T/t.csv"
is "$rc" 0 "the database's own key works"

# a database from before key identifiers learns its key at the first import (not a dry run)
q "$A" "DELETE FROM meta WHERE key = 'key_id'"
eduhq --db "$A" import teacher "$T/t.csv" --dry-run >/dev/null
is "$(q "$A" "SELECT count(*) FROM meta WHERE key = 'key_id'")" 0 "a dry run records nothing"
eduhq --db "$A" import teacher "$T/t.csv" >/dev/null
is "$(q "$A" "SELECT value FROM meta WHERE key = 'key_id'")" "$ida" "the first import records the key"

# a zero-byte file and a file that is no database
: >"$T/zero.db"
run eduhq --db "$T/zero.db" rules
is "$rc:$err" "1:eduhq: '$T/zero.db' is not an eduhq database (empty or another kind of file); 'eduhq init' creates one" \
	"a zero-byte --db is refused"
is "$(wc -c <"$T/zero.db" | tr -d ' '):$(ls "$T" | grep -c 'zero.db.key')" "0:0" "... left empty, no key made"
sqlite3 "$T/other.db" "CREATE TABLE x(a); INSERT INTO x VALUES (1)"
run eduhq --db "$T/other.db" import teacher "$T/t.csv"
is "$rc:$err" "1:eduhq: '$T/other.db' is not an eduhq database (empty or another kind of file); 'eduhq init' creates one" \
	"another SQLite database is refused"
is "$(sqlite3 "$T/other.db" "SELECT count(*) FROM sqlite_master")" 1 "... and gets no schema"
done_testing
