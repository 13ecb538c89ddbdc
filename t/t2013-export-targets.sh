#!/bin/sh
# t2013-export-targets.sh: `export --out` never destroys what it must not: the database, its
# WAL and shared-memory files, its ID-hash key file, or anything that is not a regular file
# (as root, --out /dev/null replaced the device with a regular file). Each was overwritten
# with exit 0 before; now refused with exit 2 and left as it was.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/f"
import_or_bail "$T/f" area school
sum() { cksum <"$1"; }
db=$(sum "$EDUHQ_DB") key=$(sum "$EDUHQ_DB.key")

refused() { # refused OUT EXPECTED-ERROR NAME [FORMAT]
	run eduhq export school --format "${4:-csv}" --out "$1"
	is "$rc:$err" "2:eduhq: $2" "$3"
}
refused "$EDUHQ_DB" "refusing to overwrite '$EDUHQ_DB': it is the database" "the database"
refused "$EDUHQ_DB" "refusing to overwrite '$EDUHQ_DB': it is the database" "the database (xlsx)" xlsx
refused "$EDUHQ_DB.key" "refusing to overwrite '$EDUHQ_DB.key': it is the database's ID-hash key file" "the key file"
refused "$EDUHQ_DB-wal" "refusing to overwrite '$EDUHQ_DB-wal': it is the database's WAL, shared-memory or journal file" \
	"the WAL file, present or not"
refused "$EDUHQ_DB-shm" "refusing to overwrite '$EDUHQ_DB-shm': it is the database's WAL, shared-memory or journal file" \
	"the shared-memory file"
mkdir "$T/sub"
refused "$T/sub/../eduhq.db" "refusing to overwrite '$T/sub/../eduhq.db': it is the database" "the database by another name"
ln "$EDUHQ_DB.key" "$T/hardlink"
refused "$T/hardlink" "refusing to overwrite '$T/hardlink': it is the database's ID-hash key file" "a hard link to the key"
EDUHQ_KEY_FILE="$T/other.key" run eduhq export school --out "$T/other.key"
is "$rc:$err" "2:eduhq: refusing to overwrite '$T/other.key': it is the database's ID-hash key file" \
	"the key file named by EDUHQ_KEY_FILE"
run eduhq export --dictionary --out "$EDUHQ_DB"
is "$rc:$err" "2:eduhq: refusing to overwrite '$EDUHQ_DB': it is the database" "the dictionary export too"

mkfifo "$T/fifo"
refused "$T/fifo" "refusing to replace '$T/fifo': not a regular file (without --out the export goes to stdout)" "a FIFO"
ln -s "$T/f/area.csv" "$T/link"
refused "$T/link" "refusing to replace '$T/link': not a regular file (without --out the export goes to stdout)" "a symlink"
refused "$T/sub" "refusing to replace '$T/sub': not a regular file (without --out the export goes to stdout)" "a directory"
if [ "$(id -u)" = 0 ]; then
	mknod "$T/null" c 1 3
	refused "$T/null" "refusing to replace '$T/null': not a regular file (without --out the export goes to stdout)" \
		"a character device (as root)"
	ok $([ -c "$T/null" ] && echo 0 || echo 1) "... which stays a device"
else
	ok 0 "# skip not root: no device node"
	ok 0 "# skip"
fi
is "$(sum "$EDUHQ_DB"):$(sum "$EDUHQ_DB.key")" "$db:$key" "database and key file unchanged"
ok $([ -p "$T/fifo" ] && [ -L "$T/link" ] && echo 0 || echo 1) "FIFO and symlink still there"
# the demo writes its CSV files through temporary files, never through a symlink left there
mkdir "$T/demo"
echo precious >"$T/victim"
ln -s "$T/victim" "$T/demo/area.csv.tmp"
run eduhq --db "$T/demo.db" demo --out "$T/demo" --quiet
is "$rc:$err:$(cat "$T/victim")" "1:eduhq: cannot create '$T/demo/area.csv.tmp': Too many levels of symbolic links:precious" \
	"demo refuses to write through a symlink"

run eduhq export school --out "$T/school.csv"
is "$rc:$(head -1 "$T/school.csv" | tr -d '\r\357\273\277')" \
	"0:code,name,area_code,type,ownership,urban_rural,is_weak,is_teaching_point,declared_seats,latitude,longitude" \
	"a plain file is written"
run eduhq export school --out "$T/school.csv"
is "$rc" 0 "... and replaced"
done_testing
