#!/bin/sh
# t2016-csv-injection.sh: CSV exports neutralise formulas (CSV injection, OWASP): a text
# value starting with = + - @ TAB CR, or with an apostrophe, is written behind an
# apostrophe, which a spreadsheet shows as text; import drops one leading apostrophe, so
# the export imports back to the same rows. Before, '=HYPERLINK(...)' went out as is.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/f"
import_or_bail "$T/f" area
q() { sqlite3 "$EDUHQ_DB" "$1"; }
q "INSERT INTO school(code, name, area_code, type, urban_rural) VALUES
   ('4410020001', '=HYPERLINK(\"http://x\",\"点击\")', '441002', 'primary', '111'),
   ('4410020002', '+86 电话', '441002', 'primary', '111'),
   ('4410020003', '-负数', '441002', 'primary', '111'),
   ('4410020004', '@SUM(A1)', '441002', 'primary', '111'),
   ('4410020005', char(9) || 'tab', '441002', 'primary', '111'),
   ('4410020006', '''已有撇号', '441002', 'primary', '111'),
   ('4410020007', '普通学校 = 1', '441002', 'primary', '111')"
before=$(q "SELECT code || '|' || name FROM school ORDER BY code")
run eduhq export school --out "$T/s.csv"
is "$rc" 0 "export"
is "$(cut -d, -f1-2 "$T/s.csv" | sed 1d | tr -d '\r' | tr '\t' T)" "4410020001,\"'=HYPERLINK(\"\"http://x\"\"
4410020002,'+86 电话
4410020003,'-负数
4410020004,'@SUM(A1)
4410020005,'Ttab
4410020006,''已有撇号
4410020007,普通学校 = 1" "cells that start like a formula get an apostrophe"
run eduhq export school --format json
is "$(printf "%s\n" "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')" '=HYPERLINK("http://x","点击")' \
	"JSON is not changed"

# the export imports back to the same rows, in a fresh database
eduhq --db "$T/b.db" init >/dev/null
eduhq --db "$T/b.db" import area "$T/f/area.csv" >/dev/null
run eduhq --db "$T/b.db" import school "$T/s.csv"
is "$rc" 0 "the export imports"
is "$(sqlite3 "$T/b.db" "SELECT code || '|' || name FROM school ORDER BY code")" "$before" "... to the same names"
# an apostrophe typed to keep a code as text is not part of the code
printf '%s\n%s\n' "code,name,area_code,type,urban_rural" "'4410020009,某校,'441002,primary,111" >"$T/apos.csv"
run eduhq --db "$T/b.db" import school "$T/apos.csv"
is "$rc:$(sqlite3 "$T/b.db" "SELECT area_code FROM school WHERE code = '4410020009'")" "0:441002" \
	"a leading apostrophe is dropped on import"
is "$(grep -c 'CSV injection' "$TOP/docs/data-dictionary.md")" 1 "the data dictionary says how"
done_testing
