#!/bin/sh
# t1410-result-chunks.sh: a run's result rows stored as chunks (table result_chunk, one per
# mechanism on the demo city) read back as the engines produced them; queries by school,
# county, indicator, verdict and year give the rows checked by hand below (the same as the
# binary before chunks printed, 57d8fdc); deleting a run deletes its chunks and its id is
# not given again; a damaged chunk is an error naming the run and the chunk, and a query
# that does not need that chunk still answers.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json >"$T/run.json"
digest() { sha256sum | cut -c1-64; }

# the rows the engines produced (eval prints them before they are stored) are the rows read
is "$(eduhq indicators --run 1 --format json | jq -c .results | digest)" "$(jq -c .results "$T/run.json" | digest)" \
	"every stored row reads back as the engines produced it, in the same order"
is "$(jq '.results | length' "$T/run.json")" 4345 "the demo city's run has 4345 rows"
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(seq || ':' || nrows || ':' || unit_kinds, ' ') FROM result_chunk WHERE run_id = 1")" \
	"0:1849:,school,county, 1:379:,county, 2:179:,teacher,county,city, 3:270:,county,city,group,school, 4:382:,specialty,city,school, 5:508:,school,county,scheme, 6:262:,school,county, 7:504:,hazard,school,county, 8:12:,task," \
	"stored as 9 chunks, one per mechanism in mechanism order, with their unit kinds"
is "$(sqlite3 "$EDUHQ_DB" "SELECT sum(length(data)) < 100000 FROM result_chunk")" 1 \
	"in less than 100 kB ($(sqlite3 "$EDUHQ_DB" "SELECT sum(length(data)) FROM result_chunk") bytes)"

# one school: its 23 rows of 4 mechanisms, in storage order. By hand: L1 = 67 teachers with
# a bachelor's degree or more per 100 pupils of 1271 = 5.2714; L5 = 10260.4 m2 of sport
# ground / 1271 = 8.0727, threshold 7.5: pass.
run eduhq indicators --school 3905220001 --format csv
is "$(echo "$out" | wc -l | tr -d ' ')" 24 "one school: a header and 23 rows"
is "$(echo "$out" | cut -d, -f2 | sed 1d | tr '\n' ' ')" \
	"BAL.SIZE BAL.L1 BAL.L2 BAL.L3 BAL.L4 BAL.L5 BAL.L6 BAL.L7 BAL.SCHOOL BAL.CLASS.OVER BAL.CLASS.LARGE BAL.CLASS.SUPER ASSESS.TOTAL ASSESS.SIZHENG ASSESS.RANK.COUNTY ASSESS.RANK.CITY CUR.ETHNIC CUR.ML.SHARE SAFE.OVERDUE SAFE.OPEN SAFE.RECTIFY SAFE.CLOSE.DAYS SAFE.BUILDING.D " \
	"... its indicators in storage order"
is "$(echo "$out" | sed -n 3p)" "1,BAL.L1,school,3905220001,primary,2024,5.271439811,67,1271,4.2,pass,{}" "... L1 = 67 / 1271 x 100"
is "$(echo "$out" | sed -n 7p)" "1,BAL.L5,school,3905220001,primary,2024,8.072698662,10260.4,1271,7.5,pass,{}" "... L5 = 10260.4 / 1271"
is "$(echo "$out" | sed -n 2p)" "1,BAL.SIZE,school,3905220001,,2024,1271,1271,,2000,pass,{}" "... a NULL denominator stays NULL"
is "$(echo "$out" | grep CUR.ETHNIC)" '1,CUR.ETHNIC,school,3905220001,,2024,1,1,,1,pass,"{""name"":""临江市青山县第一小学"",""hours_per_week"":1,""min"":1}"' \
	"... evidence with Chinese text byte for byte"

# a county: its subtree's rows; one indicator of it; a verdict across the city
is "$(eduhq indicators --area 390522 --format csv | wc -l | tr -d ' ')" 717 "a county's subtree: 716 rows"
is "$(eduhq indicators --area 390522 --indicator BAL.CV.L5 --format csv | cut -d, -f2-11 | sed 1d | tr '\n' ' ')" \
	"BAL.CV.L5,county,390522,primary,2024,0.7453564475,11.29900803,15.15920076,0.5,fail BAL.CV.L5,county,390522,junior,2024,0.1156312392,1.590314851,13.75333225,0.45,pass " \
	"a county's L5 CV: primary 11.299 / 15.159 = 0.745 > 0.5 fails, junior 0.116 passes"
is "$(eduhq indicators --indicator BAL.CV.L5 --verdict fail --format csv | cut -d, -f4,5 | sed 1d | tr '\n' ' ')" \
	"390522,primary " "the city's failing L5 CVs: 青山县's primary only"
is "$(eduhq indicators --verdict fail --format csv | wc -l | tr -d ' ')" 135 "every failing row: 134"
is "$(eduhq indicators --area 390522 --indicator SEAT.GAP --format csv | sed -n 3p | cut -d, -f2-11)" \
	"SEAT.GAP,county,390522,primary,2026,-2985.407058,9769.79134,12755.1984,0,warn" \
	"a county's seat gap in a later year: 9769.8 pupils - 12755.2 seats"
run eduhq indicators --year 2024 --indicator TASK.PROGRESS --format csv
is "$(echo "$out" | wc -l | tr -d ' ')" 13 "by school year: 2024's run, 12 plan tasks"
run eduhq indicators --year 2023
is "$rc:$err" "1:eduhq: no evaluation run for 2023; run 'eduhq eval --year 2023' first" "no run of 2023"

# the summary the dashboard counts: the same per indicator and verdict as the rows
is "$(eduhq indicators --format csv | awk -F, 'NR > 1 && $2 == "BAL.L5" { n[$11]++ } END { print n["pass"] + 0, n["fail"] + 0 }')" \
	"$(eduhq indicators --indicator BAL.L5 --verdict pass --format csv | sed 1d | wc -l | tr -d ' ') $(eduhq indicators --indicator BAL.L5 --verdict fail --format csv | sed 1d | wc -l | tr -d ' ')" \
	"filters by indicator and verdict agree with the whole listing"

# deleting a run deletes its chunks; the next run does not take its id
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 >/dev/null
sqlite3 "$EDUHQ_DB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id = 2"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM result_chunk WHERE run_id = 2") $(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM result_chunk")" \
	"0 9" "deleting run 2 deleted its 9 chunks, run 1 keeps its own"
eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 >/dev/null
is "$(sqlite3 "$EDUHQ_DB" "SELECT group_concat(id, ' ') FROM eval_run")" "1 3" "the next run is 3, not 2 again"
is "$(eduhq indicators --run 3 --format json | jq -c .results | digest)" "$(jq -c .results "$T/run.json" | digest)" \
	"and reads back the same rows"

# a damaged chunk: one changed byte (zstd's checksum), a cut blob, an empty one
sqlite3 "$EDUHQ_DB" "UPDATE result_chunk SET data = substr(data, 1, 100) || x'00' || substr(data, 102) WHERE run_id = 1 AND seq = 6"
run eduhq indicators --run 1 --format csv
is "$rc:$err" "1:eduhq: run 1: result chunk 6 is damaged: Restored data doesn't match checksum" \
	"a changed byte: an error naming the run and the chunk"
run eduhq indicators --run 1 --indicator TASK.PROGRESS --format csv
is "$rc:$(echo "$out" | wc -l | tr -d ' ')" "0:13" "a query that does not need chunk 6 still answers"
sqlite3 "$EDUHQ_DB" "UPDATE result_chunk SET data = substr(data, 1, 60) WHERE run_id = 1 AND seq = 5"
run eduhq indicators --run 1 --indicator ASSESS.TOTAL
is "$rc:$err" "1:eduhq: run 1: result chunk 5 is damaged: bad chunk header" "a cut chunk"
sqlite3 "$EDUHQ_DB" "UPDATE result_chunk SET data = x'' WHERE run_id = 1 AND seq = 0"
run eduhq indicators --run 1 --school 3905220001
is "$rc:$err" "1:eduhq: run 1: result chunk 0 is damaged: not a result chunk of format 1" "an emptied chunk"
run eduhq indicators --run 3 --school 3905220001 --format csv
is "$rc:$(echo "$out" | wc -l | tr -d ' ')" "0:24" "another run is not affected"
done_testing
