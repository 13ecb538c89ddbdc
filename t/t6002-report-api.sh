#!/bin/sh
# t6002-report-api.sh: GET /api/v1/reports/annual on a real server: the download is the same
# file `eduhq report annual` writes (DOCX and HTML, byte for byte), with its content type and
# file name; the city's roles only; errors as JSON with the CLI's messages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

eduhq demo --out "$T/d" --quiet >/dev/null 2>&1 || { echo "Bail out! demo"; exit 1; }
eduhq eval --as-of 2025-09-30 >/dev/null 2>&1 || { echo "Bail out! eval"; exit 1; }
echo password-analyst-1 | eduhq user add analyst --role city_analyst --password-stdin >/dev/null
echo password-county-1 | eduhq user add qs --role county_user --area 390522 --password-stdin >/dev/null
TA=$(user_token analyst)
TC=$(user_token qs)
serve_start

get() { # TOKEN QUERY FILE: status, content type and disposition
	curl -s -o "$3" -D "$T/h" -H "Authorization: Bearer $1" "$API/reports/annual?$2"
	tr -d '\r' <"$T/h" | awk 'NR == 1 { print $2 } tolower($1) ~ /^content-(type|disposition):/' 
}
for f in docx html; do
	eduhq report annual --year 2024 --format $f --out "$T/cli.$f" >/dev/null
done
is "$(get "$TA" "year=2024" "$T/api.docx")" "200
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document
Content-Disposition: attachment; filename=\"eduhq-report-2024.docx\"" "the DOCX download, as an attachment"
ok "$(cmp -s "$T/api.docx" "$T/cli.docx"; echo $?)" "the DOCX download is the CLI's file, byte for byte"
is "$(get "$TA" "year=2024&format=html" "$T/api.html" | head -2)" "200
Content-Type: text/html; charset=utf-8" "the HTML download"
ok "$(cmp -s "$T/api.html" "$T/cli.html"; echo $?)" "the HTML download is the CLI's file, byte for byte"
is "$(get "$TA" "year=2024&format=pdf" "$T/api.pdf" | head -2 | tail -1):$(head -c 5 "$T/api.pdf")" \
	"Content-Type: application/pdf:%PDF-" "the PDF download"

is "$(get "$TA" "year=2019" "$T/e.json" | head -1):$(cat "$T/e.json")" \
	"404:{\"error\":{\"code\":\"not_found\",\"message\":\"no evaluation run for school year 2019; run 'eduhq eval --year 2019' first\",\"details\":[]}}" \
	"a year with no run: 404 with the CLI's message"
is "$(get "$TA" "year=2024&format=odt" "$T/e.json" | head -1)" 400 "an unknown format: 400"
is "$(get "$TA" "format=html" "$T/e.json" | head -1):$(jq -r .error.message "$T/e.json")" "400:year is required" "year is required"
is "$(get "$TC" "year=2024" "$T/e.json" | head -1)" 403 "a county user cannot download the city's report"
done_testing
