#!/bin/sh
# t4120-api-export-xlsx.sh: GET /tables/{table}/export?format=xlsx against a real `eduhq
# serve`: the download is a workbook that eduhq's own XLSX reader imports back into an empty
# database to exactly the caller's rows (a county user's file holds its county only, a
# school user's its school), numbers as numbers and codes as text; the file is sent from
# disk and leaves no temporary file; a cell too long for XLSX is a 422, not an empty cell.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18150 18169"
. "$(dirname "$0")/lib-serve.sh"

eduhq init >/dev/null || exit 1
two_counties_csv
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020001,江东一小,330102,primary,111
3301020002,"江东二小, ""新校区""",330102,primary,111
3301030001,江西一小,330103,primary,111
CSV
cat >"$T/grade_return.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2025,1,4,180
3301020002,2025,1,2,91
3301030001,2025,1,3,120
CSV
import_or_bail "$T" area school grade_return
q() { sqlite3 "$EDUHQ_DB" "$1"; }
echo password-admin-1 | eduhq user add admin --role city_admin --password-stdin >/dev/null
echo password-county-1 | eduhq user add county --role county_user --area 330102 --password-stdin >/dev/null
echo password-school-1 | eduhq user add school --role school_user --school 3301020002 --password-stdin >/dev/null
TOK_admin=$(user_token admin) TOK_county=$(user_token county) TOK_school=$(user_token school)
serve_start

# get TOKEN PATH FILE: download; sets $code and $hdr (the response headers)
get() {
	code=$(curl -s -D "$T/.hdr" -o "$3" -w '%{http_code}' -H "Authorization: Bearer $1" "$API$2")
	hdr=$(tr -d '\r' <"$T/.hdr")
}
# back DB TABLE FILE: import FILE into the database DB (made with area and school first)
back() {
	EDUHQ_DB=$1 "$EDUHQ" import "$2" "$3" 2>&1
}

get "$TOK_county" /tables/grade_return/export?format=xlsx "$T/gr.xlsx"
is "$code $(echo "$hdr" | grep -i '^content-type:' | cut -d' ' -f2-)" \
	"200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "an XLSX download"
is "$(echo "$hdr" | grep -i '^content-disposition:' | cut -d' ' -f2-)" 'attachment; filename="grade_return.xlsx"' \
	"named after its table"
is "$(echo "$hdr" | grep -i '^content-length:' | cut -d' ' -f2-)" "$(wc -c <"$T/gr.xlsx")" \
	"its length announced (sent from a file, not chunked)"
is "$(unzip -p "$T/gr.xlsx" xl/worksheets/sheet1.xml | grep -o '<c r="[A-Z]*2"[^/]*/[tv]>' | tr '\n' ' ')" \
	'<c r="A2" s="1" t="inlineStr"><is><t>3301020001</t> <c r="B2"><v>2025</v> <c r="C2"><v>1</v> <c r="D2"><v>4</v> <c r="E2"><v>180</v> ' \
	"the code is text (formatted as text), the counts are numbers"

# the county user's workbook imports into an empty database to exactly its county's rows
mkdir "$T/b" && DB2="$T/b/back.db"
EDUHQ_DB=$DB2 "$EDUHQ" init >/dev/null
back "$DB2" area "$T/area.csv" >/dev/null
back "$DB2" school "$T/school.csv" >/dev/null
is "$(back "$DB2" grade_return "$T/gr.xlsx")" "grade_return: 2 rows: 2 inserted, 0 updated, 0 unchanged" \
	"the download is read back by eduhq's XLSX reader"
is "$(sqlite3 "$DB2" 'SELECT school_code, year, grade, classes, pupils FROM grade_return ORDER BY 1' | tr '\n' ' ')" \
	"3301020001|2025|1|4|180 3301020002|2025|1|2|91 " "holding its county's rows and values, no other county's"

# the school user's: its school only, the name with a comma and quotes intact
get "$TOK_school" /tables/school/export?format=xlsx "$T/s.xlsx"
DB3="$T/b/back3.db"
EDUHQ_DB=$DB3 "$EDUHQ" init >/dev/null
back "$DB3" area "$T/area.csv" >/dev/null
is "$code $(back "$DB3" school "$T/s.xlsx")" "200 school: 1 rows: 1 inserted, 0 updated, 0 unchanged" \
	"a school user's download holds one school"
is "$(sqlite3 "$DB3" 'SELECT code, name, area_code FROM school')" '3301020002|江东二小, "新校区"|330102' \
	"its own, text intact"

# the administrator's holds every row, filters and sort as for rows
get "$TOK_admin" '/tables/school/export?format=xlsx&area_code=330102&sort=-code' "$T/a.xlsx"
is "$code $(unzip -p "$T/a.xlsx" xl/worksheets/sheet1.xml | grep -o '<t>33010[0-9]\{5\}</t>' | tr '\n' ' ')" \
	"200 <t>3301020002</t> <t>3301020001</t> " "filtered and sorted like the rows route"
get "$TOK_admin" /tables/school/export?format=xls "$T/x"
is "$code $(jq -r .error.message "$T/x")" "400 format must be csv, json or xlsx" "an unknown format"

# nothing left behind: the file was unlinked once open
is "$(ls /tmp | grep -c '^eduhq-export-')" 0 "no temporary export file left"

# CSV and JSON exports are spooled to disk 64 KiB at a time: a county of 3,002 schools
{ echo code,name,area_code,type,urban_rural; seq 3301021000 3301023999 | sed 's/$/,新校,330102,primary,111/'; } \
	>"$T/many.csv"
eduhq import school "$T/many.csv" >/dev/null
get "$TOK_county" /tables/school/export "$T/many-out.csv"
is "$code $(echo "$hdr" | grep -i '^content-length:' | cut -d' ' -f2-) $(wc -c <"$T/many-out.csv") $(($(wc -l <"$T/many-out.csv") - 1))" \
	"200 $(wc -c <"$T/many-out.csv") $(wc -c <"$T/many-out.csv") 3002" "a CSV export larger than the spool's buffer, whole"
is "$(tail -1 "$T/many-out.csv" | tr -d '\r')" "3301023999,新校,330102,primary,public,111,0,0,,," "up to its last row"
get "$TOK_county" '/tables/school/export?format=json' "$T/many.json"
is "$code $(jq 'length' "$T/many.json") $(jq -r '.[2].code + " " + .[-1].code' "$T/many.json")" \
	"200 3002 3301021000 3301023999" "a JSON export too"
get "$TOK_school" '/tables/school/export?format=json&code=3301029999' "$T/none.json"
is "$code $(cat "$T/none.json")" "200 []" "an empty one is an empty array"

# a cell longer than an XLSX cell holds: an error, never a silently empty cell
q "UPDATE school SET name = '$(head -c 33000 /dev/zero | tr '\0' x)' WHERE code = '3301020002'"
get "$TOK_county" /tables/school/export?format=xlsx "$T/long"
is "$code $(jq -r .error.message "$T/long")" \
	"422 cannot write 'school.xlsx': school.name on row 3 is longer than an XLSX cell holds (32767 characters); use --format csv" \
	"a cell too long: 422 naming the row and column"
is "$(ls /tmp | grep -c '^eduhq-export-')" 0 "and no temporary file left"
get "$TOK_county" /tables/school/export "$T/long.csv"
is "$code $(($(wc -l <"$T/long.csv") - 1))" "200 3002" "the CSV export of the same rows works"

done_testing
