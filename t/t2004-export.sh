#!/bin/sh
# t2004-export.sh: export formats: CSV (BOM, English header, RFC 4180 quoting, CRLF, rows by
# natural key), JSON (an array of objects, numbers and nulls typed), XLSX (a zip with text
# cells for codes); teacher never exports a clear ID; file output replaces atomically.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/fx"
import_fixture "$T/fx" >/dev/null

run eduhq export school
is "$rc" 0 "export to stdout"
is "$(echo "$out" | head -1 | head -c 12 | od -An -c | tr -s ' ')" " 357 273 277 c o d e , n a m e" \
	"UTF-8 BOM, then the English header"
is "$(echo "$out" | sed -n 3p | tr -d '\r')" '4410020002,"江东区""实验""中学, 初中部",441002,junior,public,111,1,0,,,' \
	"RFC 4180 quoting, empty NULLs, default filled"
is "$(echo "$out" | sed -n 2p | od -An -c | tr -d ' \n' | tail -c 4)" '\r\n' "CRLF line ends"
is "$(echo "$out" | tr -d '\r' | sed -n 5p)" "4410230009,青山县职业技术学校,441023,vocational,private,121,0,0,1500,0.1,-1e-06" \
	"reals print in the shortest exact form"
is "$(echo "$out" | cut -d, -f1 | tail -n +2 | tr -d '\r' | tr '\n' ' ')" "4410020001 4410020002 4410230001 4410230009 " \
	"rows ordered by natural key"

run eduhq export grade_return --format json
is "$(echo "$out" | head -2)" '[
{"school_code":"4410020001","year":2024,"grade":1,"classes":6,"pupils":270,"boys":140,"girls":130,"migrant":12,"boarders":null},' \
	"JSON: an array of typed objects"
is "$(echo "$out" | tail -1)" "]" "JSON array closed"
run eduhq export births --format json
is "$(echo "$out" | tr -d '\n')" '[{"area_code":"441002","year":2018,"births":5600},{"area_code":"441023","year":2018,"births":2100}]' \
	"JSON of a small table"

run eduhq export teacher
ok $(echo "$out" | grep -q '441002198001010019' && echo 1 || echo 0) "teacher export has no clear ID number"
is "$(echo "$out" | head -1 | tr -d '\r' | sed 's/^\xef\xbb\xbf//')" \
	"code,name,id_hash,id_masked,sex,birth_date,education,title,title_date,subject,full_time,backbone_level,certificate,hire_date" \
	"teacher exports id_hash and id_masked"

run eduhq export enterprise --format xlsx --out "$T/e.xlsx"
is "$rc:$err" "0:enterprise: 2 rows written to '$T/e.xlsx'" "XLSX export"
is "$(head -c 4 "$T/e.xlsx" | od -An -c | tr -d ' ')" 'PK003004' "XLSX is a zip"
ok $(unzip -p "$T/e.xlsx" xl/worksheets/sheet1.xml | grep -q '91441000MA4W00001J' && echo 0 || echo 1) \
	"18-character codes stored as text"
is "$(ls -a "$T" | grep -c '^\.e\.xlsx')" 0 "no temporary file left"

echo old >"$T/out.csv"
run eduhq export area --out "$T/out.csv"
is "$rc:$err" "0:area: 4 rows written to '$T/out.csv'" "CSV to a file"
is "$(tail -n +2 "$T/out.csv" | head -1 | tr -d '\r')" "441000,临江市,city,,," "the file is replaced"
is "$(stat -c %a "$T/out.csv")" "$(umask 0; umask 022; touch "$T/mode"; stat -c %a "$T/mode")" "the file has the usual mode"

# durable: the file is synced, renamed into place, then its directory is synced (else the
# rename can be lost in a crash). Seen with strace where it can trace.
mkdir -p "$T/sub"
if strace -o /dev/null true 2>/dev/null; then
	for f in csv xlsx; do
		(cd "$T" && strace -o "$T/trace" -e trace=fsync,rename,openat "$EDUHQ" export area \
			--format $f --out sub/d.$f 2>/dev/null)
		is "$(sed -n 's/^\(rename\)(.*/\1/p; s/^openat(AT_FDCWD, "sub", .*O_DIRECTORY.*/opendir sub/p; s/^\(fsync\)(.*/\1/p' "$T/trace" | tail -4 | tr '\n' ' ')" \
			"fsync rename opendir sub fsync " "$f export: file synced, renamed, directory synced"
	done
else
	for f in csv xlsx; do _n=$((_n + 1)); echo "ok $_n # skip strace cannot trace here"; done
fi

# a text longer than an XLSX cell holds fails the export: never a silently empty cell
eduhq --db "$T/long.db" init >/dev/null
# (import refuses a cell over 32767 characters: t2015; stored here by SQL)
sqlite3 "$T/long.db" "INSERT INTO area(code, name, level) VALUES ('441000', replace(hex(zeroblob(20000)), '0', 'x'), 'city')"
run eduhq --db "$T/long.db" export area --format xlsx --out "$T/sub/long.xlsx"
is "$rc:$err" "1:eduhq: cannot write '$T/sub/long.xlsx': area.name on row 2 is longer than an XLSX cell holds (32767 characters); use --format csv" \
	"an over-long cell fails the XLSX export"
is "$(ls -A "$T/sub" | grep -c long)" 0 "and leaves no file behind"

run eduhq export area --format xlsx
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --format xlsx needs --out FILE" "xlsx needs --out"
run eduhq export area --format json --encoding gb18030
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --encoding applies only to --format csv" "encoding only for CSV"
run eduhq export nosuch
is "$rc:$(echo "$err" | head -1)" "2:eduhq: no table 'nosuch' to export (see docs/data-dictionary.md)" "unknown table"
run eduhq export area --out "$T/no/such/dir/a.csv"
is "$rc" 1 "an unwritable path fails"

done_testing
