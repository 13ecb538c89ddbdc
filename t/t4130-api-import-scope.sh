#!/bin/sh
# t4130-api-import-scope.sh: POST /tables/{table}/import by county and school users against
# a real `eduhq serve`: a file of rows in the caller's scope is imported (and audited under
# the caller, with the file's name and SHA-256); one row outside the scope, or one replacing
# a stored row outside it, fails the whole file with FILE:LINE: column NAME: message and
# changes nothing (dry runs too, CSV and XLSX alike); city-wide tables and the analyst are
# refused.
. "$(dirname "$0")/lib.sh"
SERVE_PORTS="18170 18189"
. "$(dirname "$0")/lib-serve.sh"

two_counties_city
q() { sqlite3 "$EDUHQ_DB" "$1"; }
serve_start

# up TOKEN TABLE FILE [QUERY]: upload FILE (CSV, or XLSX by its name) as up.csv/up.xlsx;
# sets $code, $body and $errs (the error details, one a line)
up() {
	_ct=text/csv _fn=up.csv
	case $3 in *.xlsx) _ct=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet _fn=up.xlsx ;; esac
	code=$(curl -s -o "$T/.body" -w '%{http_code}' -H "Authorization: Bearer $1" -H "Content-Type: $_ct" \
		--data-binary @"$3" "$API/tables/$2/import?filename=$_fn${4:+&$4}")
	body=$(cat "$T/.body")
	errs=$(echo "$body" | jq -r '.error.details[]?' 2>/dev/null)
}
audits() { q "SELECT count(*) FROM audit_log WHERE action = 'import'"; }

# --- a county user: its county's rows go in, audited under it ---
cat >"$T/gr-in.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2025,1,4,180
3301020002,2025,1,2,91
CSV
up "$TOK_county" grade_return "$T/gr-in.csv"
is "$code $(echo "$body" | jq -c '[.rows, .inserted, .updated]')" "200 [2,2,0]" "a county user imports its county's rows"
is "$(q "SELECT user_name || ' ' || address || ' ' || table_name || ' ' || row_key FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1")" \
	"county 127.0.0.1 grade_return up.csv" "audited under the county user, from its address, with the file's name"
is "$(q "SELECT after FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1" | jq -c '[.rows, .inserted, .sha256]')" \
	"[2,2,\"$(sha256sum <"$T/gr-in.csv" | cut -d' ' -f1)\"]" "with the counts and the file's SHA-256"

# --- one row of another county: the whole file fails, nothing changes ---
cat >"$T/gr-mixed.csv" <<'CSV'
school_code,year,grade,classes,pupils
3301020001,2025,2,4,175
3301030001,2025,2,3,120
3301020002,2025,2,2,88
CSV
before=$(db_dump) na=$(audits)
up "$TOK_county" grade_return "$T/gr-mixed.csv"
is "$code $(echo "$body" | jq -r .error.message)" "422 1 error; nothing was imported" "a row outside the scope fails the file"
is "$errs" "up.csv:3: column school_code: school '3301030001' is outside your scope" "named by file, line and column"
is "$(db_dump)" "$before" "nothing changed"
is "$(audits)" "$na" "and nothing was recorded"
up "$TOK_county" grade_return "$T/gr-mixed.csv" dry_run=1
is "$code $errs" "422 up.csv:3: column school_code: school '3301030001' is outside your scope" "a dry run says the same"

# a school that does not exist is told apart from one outside the scope only by import's own check
printf 'school_code,year,grade,classes,pupils\n3301039999,2025,1,1,10\n' >"$T/gr-none.csv"
up "$TOK_county" grade_return "$T/gr-none.csv"
is "$code $errs" "422 up.csv:2: column school_code: '3301039999' not found in school.code" \
	"an unknown school: import's foreign-key message"

# XLSX: the administrator's export of every county, uploaded by the county user
code=$(curl -s -o "$T/all.xlsx" -w '%{http_code}' -H "Authorization: Bearer $TOK_admin" \
	"$API/tables/school/export?format=xlsx")
up "$TOK_county" school "$T/all.xlsx"
is "$code $errs" "422 up.xlsx:4: column area_code: area '330103' is outside your scope" \
	"an XLSX file: the row of another county's school is named"

# --- schools: a county user adds a school in its county, not in another ---
printf 'code,name,area_code,type,urban_rural\n3301020003,江东三小,330102,primary,111\n' >"$T/s-new.csv"
up "$TOK_county" school "$T/s-new.csv"
is "$code $(echo "$body" | jq -c '[.inserted]') $(q "SELECT name FROM school WHERE code = '3301020003'")" \
	"200 [1] 江东三小" "a county user adds a school to its county"
printf 'code,name,area_code,type,urban_rural\n3301020004,江东四小,330103,primary,111\n' >"$T/s-west.csv"
up "$TOK_county" school "$T/s-west.csv"
is "$code $errs" "422 up.csv:2: column area_code: area '330103' is outside your scope" "but not to another county"
printf 'code,name,area_code,type,urban_rural\n3301030001,改名,330102,primary,111\n' >"$T/s-move.csv"
before=$(db_dump)
up "$TOK_county" school "$T/s-move.csv"
is "$code $errs" "422 up.csv:2: column code: school 3301030001 is outside your scope" \
	"nor take over another county's school by moving it into its own"
is "$(db_dump)" "$before" "which stays as it was"

# --- a school user: its own school only ---
printf 'school_code,year,grade,classes,pupils\n3301020001,2025,3,4,170\n' >"$T/gr-own.csv"
up "$TOK_school" grade_return "$T/gr-own.csv"
is "$code $(echo "$body" | jq -c '[.inserted]')" "200 [1]" "a school user imports its school's return"
printf 'school_code,year,grade,classes,pupils\n3301020001,2025,4,4,170\n3301020002,2025,4,2,80\n' >"$T/gr-nb.csv"
up "$TOK_school" grade_return "$T/gr-nb.csv"
is "$code $errs" "422 up.csv:3: column school_code: school '3301020002' is outside your scope" \
	"not its neighbour's, in the same county"
printf 'code,name,area_code,type,urban_rural\n3301020001,江东第一小学,330102,primary,111\n' >"$T/s-own.csv"
up "$TOK_school" school "$T/s-own.csv"
is "$code $(echo "$body" | jq -c '[.updated]') $(q "SELECT name FROM school WHERE code = '3301020001'")" \
	"200 [1] 江东第一小学" "it updates its own school's row"
up "$TOK_school" area "$T/area.csv"
is "$code $(echo "$errs" | head -1)" "422 up.csv:2: column code: area '330100' is outside your scope" \
	"it writes no area rows"
is "$(echo "$errs" | wc -l)" 3 "every row of the file is named"

# --- refused before reading: city-wide tables, the analyst ---
printf 'code,name\nIND-1,产业\n' >"$T/ind.csv"
up "$TOK_county" industry "$T/ind.csv"
is "$code $(echo "$body" | jq -r .error.message)" \
	"403 table 'industry' is city-wide: only the city administrator writes it" "a city-wide table: 403"
up "$TOK_analyst" grade_return "$T/gr-in.csv"
is "$code" 403 "the analyst imports nothing"
up "$TOK_admin" grade_return "$T/gr-mixed.csv"
is "$code $(echo "$body" | jq -c '[.inserted]')" "200 [3]" "the city administrator imports every county's rows"

run eduhq audit verify
is "$rc" 0 "the audit chain verifies"

done_testing
