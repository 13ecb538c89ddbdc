#!/bin/sh
# t6001-make-demo.sh: `make demo` (scripts/demo.sh) writes the 2024 annual report of 临江市 in
# the three formats into demo-data/ before it serves; the HTML's links point at the server it
# starts (here on 127.0.0.1:18302, stopped at the end).
. "$(dirname "$0")/lib.sh"

PORT=18302
cd "$T" || exit 1
EDUHQ_DEMO_LISTEN=127.0.0.1:$PORT sh "$TOP/scripts/demo.sh" "$EDUHQ" >"$T/demo.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
i=0
until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 || [ $i -ge 240 ]; do
	sleep 0.5
	i=$((i + 1))
done
is "$(sed -n '/^annual report 2024/,/^$/p' "$T/demo.out" | sed 's/: run 1 .*//')" "annual report 2024 (eduhq report annual --year 2024):
  wrote demo-data/report-2024.docx
  wrote demo-data/report-2024.html
  wrote demo-data/report-2024.pdf" "make demo writes the report in the three formats"
is "$(unzip -l demo-data/report-2024.docx 2>/dev/null | grep -c 'word/document.xml\|word/media/chart[0-9].png')" 4 \
	"the DOCX holds its document and three chart pictures"
is "$(head -c 5 demo-data/report-2024.pdf)" "%PDF-" "the PDF is a PDF"
ok "$(grep -q "href=\"http://127.0.0.1:$PORT/balance/390522?run=1&amp;indicator=BAL.CV.L5\"" demo-data/report-2024.html; echo $?)" \
	"the HTML links 青山县's CV to the dashboard the demo serves"
done_testing
