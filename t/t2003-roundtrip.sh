#!/bin/sh
# t2003-roundtrip.sh: for EVERY registry table, export then import into an empty database
# (same ID-hash key file) gives identical rows; re-importing an export into its own database
# changes nothing; the same through GB18030 CSV and, where the reader supports it, XLSX.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

EDUHQ_KEY_FILE="$T/shared.key"
export EDUHQ_KEY_FILE
eduhq init >/dev/null
write_fixture "$T/fx"
import_fixture "$T/fx" >/dev/null
is "$?" 0 "the fixture imports"

dump_tables() { sqlite3 "$1" ".dump $FIXTURE_TABLES" | grep '^INSERT'; }
count_rows() { n=0; for t in $FIXTURE_TABLES; do n=$((n + $(sqlite3 "$1" "SELECT count(*) FROM $t"))); done; echo $n; }

# every table has rows, so the round trip below covers every table
empty=""
for t in $FIXTURE_TABLES; do
	[ "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM $t")" -gt 0 ] || empty="$empty $t"
done
is "$empty" "" "the fixture fills every registry table"
is "$(echo $FIXTURE_TABLES | wc -w | tr -d ' ')" 36 "all 36 registry tables"

roundtrip() { # FORMAT-NAME EXPORT-OPTION... ; uses $ext
	name=$1
	shift
	mkdir -p "$T/$name"
	eduhq --db "$T/$name.db" init >/dev/null
	bad=""
	for t in $FIXTURE_TABLES; do
		eduhq export "$t" "$@" --out "$T/$name/$t.$ext" 2>/dev/null || bad="$bad export:$t"
		eduhq --db "$T/$name.db" import "$t" "$T/$name/$t.$ext" >/dev/null 2>"$T/$name/$t.err" ||
			bad="$bad import:$t($(head -1 "$T/$name/$t.err"))"
	done
	is "$bad" "" "$name: every table exports and imports into an empty database"
	is "$(dump_tables "$T/$name.db")" "$(dump_tables "$EDUHQ_DB")" "$name: identical rows in every table"
}

ext=csv roundtrip csv
ext=csv roundtrip gb18030 --encoding gb18030
ok $(head -c 3 "$T/csv/area.csv" | od -An -tx1 | grep -q 'ef bb bf' && echo 0 || echo 1) "CSV starts with a UTF-8 BOM"
ok $(head -c 3 "$T/gb18030/area.csv" | od -An -tx1 | grep -q 'ef bb bf' && echo 1 || echo 0) "GB18030 CSV has no BOM"
is "$(iconv -f GB18030 -t UTF-8 <"$T/gb18030/area.csv" | sed -n 2p | tr -d '\r')" "441000,临江市,city,,," \
	"GB18030 CSV decodes to the same text"

# re-importing every export into the database it came from changes nothing
summary=""
for t in $FIXTURE_TABLES; do
	summary="$summary$(eduhq import "$t" "$T/csv/$t.csv" | sed 's/^[a-z_]*: [0-9]* rows: //')|"
done
n=$(echo $FIXTURE_TABLES | wc -w)
is "$(echo "$summary" | tr '|' '\n' | grep -c '^0 inserted, 0 updated, [0-9]* unchanged$')" "$n" \
	"every export re-imports as 0 inserted, 0 updated, N unchanged"

# Excel in a Chinese locale opens a CSV's ISO dates as dates and saves them back as
# "2002/9/1": such a file re-imports unchanged
eduhq export teacher --out "$T/excel-teacher.csv" 2>/dev/null
sed -E 's#([0-9]{4})-0?([0-9]{1,2})-0?([0-9]{1,2})#\1/\2/\3#g' "$T/excel-teacher.csv" >"$T/excel-teacher2.csv"
is "$(grep -c '/9/1' "$T/excel-teacher2.csv")" 3 "the dates look as Excel saves them"
run eduhq import teacher "$T/excel-teacher2.csv"
is "$rc:$out" "0:teacher: 3 rows: 0 inserted, 0 updated, 3 unchanged" "Excel-saved dates (YYYY/M/D) re-import unchanged"

# XLSX, when the XLSX reader is available
eduhq export school --format xlsx --out "$T/probe.xlsx" 2>/dev/null
eduhq --db "$T/probe.db" init >/dev/null
if eduhq --db "$T/probe.db" import area "$T/csv/area.csv" >/dev/null &&
	eduhq --db "$T/probe.db" import school "$T/probe.xlsx" >/dev/null 2>&1; then
	ext=xlsx roundtrip xlsx --format xlsx
else
	echo "# skipping the XLSX round trip: the XLSX reader is not available"
fi

done_testing
