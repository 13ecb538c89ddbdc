#!/bin/sh
# demo.sh: `make demo`: create the demo city 临江市 in ./eduhq.db (replacing an earlier demo)
# from CSV files written to ./demo-data/, evaluate it, and print an overview and how to go on.
set -eu
EDUHQ=$1
rm -f eduhq.db eduhq.db-wal eduhq.db-shm
"$EDUHQ" --db eduhq.db demo --out demo-data --quiet
if verdicts=$("$EDUHQ" --db eduhq.db eval 2>&1); then
	echo
	echo "headline verdicts (eduhq eval):"
	echo "$verdicts" | grep -E '^[a-z_]+: [0-9]+ results|^    ' | head -24 | sed 's/^/  /'
fi
cat <<'X'

next:
  ./eduhq export school | head              any table as CSV (or --format xlsx|json)
  ./eduhq indicators --area 390522          青山县: the county failing the L5 sports-area CV
  ./eduhq forecast --area 390571            the high-tech zone's seat shortage
  edit demo-data/facility.csv in Excel or WPS, then: ./eduhq import facility demo-data/facility.csv
X
