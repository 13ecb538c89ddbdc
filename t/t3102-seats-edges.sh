#!/bin/sh
# t3102-seats-edges.sh: seat planning on bad rules and short births series: a zero class size
# is refused (it crashed `eval seats` in the proposal sizing); the births scenario label
# names the last births year observed, not the origin, when births stop before it; the WICHE
# estimator takes its weights from the rule; a county without returns at the origin is n.a.,
# not silently left out, and no "nan" is printed.
. "$(dirname "$0")/lib.sh"

run eduhq demo --out "$T/demo" --quiet
is "$rc" 0 "demo city imported"
q() { rsql "$1"; }
cp "$EDUHQ_DB" "$T/base.db"

# a zero class size: an error naming the rule, not a crash (it was exit 139). `rules set`
# refuses it (the rule's range); a version stored by hand is refused when read.
run eduhq rules set seats.class_size junior=0
is "$rc:$err" "1:eduhq: rule 'seats.class_size' parameter 'junior' expects a number from 1 to 200, not '0'" \
	"rules set refuses a zero class size"
q "INSERT INTO rule_version(code, version, effective_date, params, source_doc, clause, tag, note, created_by)
   SELECT code, 2, effective_date, '{\"primary\":45,\"junior\":0,\"senior\":50}', source_doc, clause, tag, note, 'sql'
   FROM rule_version WHERE code = 'seats.class_size'"
run eduhq eval seats
is "$rc:$err" "1:eduhq: seats: rule 'seats.class_size' version 2 parameter 'junior' expects a number from 1 to 200, not 0" \
	"eval seats refuses a stored zero class size"
run eduhq forecast
is "$rc:$err" "1:eduhq: rule 'seats.class_size' version 2 parameter 'junior' expects a number from 1 to 200, not 0" \
	"forecast refuses a stored zero class size"
cp "$T/base.db" "$EDUHQ_DB"

# births recorded up to 2022 only, returns up to 2024: births of 2023 on are the scenario.
# Grade 1 of 2029 is born in 2023 (entry age 6): the first primary year marked.
q "DELETE FROM births WHERE year >= 2023"
run eduhq forecast --area 390502 --format json
is "$rc" 0 "forecast json"
is "$(echo "$out" | sed -n 's/.*"last_births_year":\([0-9]*\).*/\1/p')" 2022 \
	"last_births_year is the last observed births year (was the origin, 2024)"
run eduhq forecast --area 390502
is "$(echo "$out" | head -1 | sed 's/.*(born after \([0-9]*\)).*/\1/')" 2022 "table header: born after 2022"
is "$(echo "$out" | awk '$2 == "primary" && $NF == "*" { print $3; exit }')" 2029 \
	"the first primary year on scenario births is 2029"
cp "$T/base.db" "$EDUHQ_DB"

# the WICHE weights come from the rule: all weight on the latest ratio is the last ratio
# (before, the weights 0.40/0.15 were built in and the rule was ignored)
eduhq forecast --estimator last --format csv >"$T/last.csv"
eduhq forecast --estimator wiche --format csv >"$T/wiche0.csv"
run eduhq rules set seats.forecast wiche_weights=1,0,0,0,0
is "$rc" 0 "rule set wiche_weights"
eduhq forecast --estimator wiche --format csv >"$T/wiche1.csv"
ok $(cmp -s "$T/last.csv" "$T/wiche1.csv"; echo $?) "wiche with weights 1,0,0,0,0 = last"
ok $(cmp -s "$T/wiche0.csv" "$T/wiche1.csv" && echo 1 || echo 0) "... and differs from the default weights"
cp "$T/base.db" "$EDUHQ_DB"

# a county whose schools sent no 2024 returns: no forecast, but still seats (from their
# 2023 returns). It was left out of `eval seats` without a word, and the forecast printed
# "nan"; now n.a. rows with the reason, and empty CSV fields.
q "DELETE FROM class_section WHERE year = 2024 AND school_code IN (SELECT s.code FROM school s
   JOIN area a ON a.code = s.area_code WHERE a.parent_code = '390523');
   DELETE FROM grade_return WHERE year = 2024 AND school_code IN (SELECT s.code FROM school s
   JOIN area a ON a.code = s.area_code WHERE a.parent_code = '390523')"
run eduhq eval seats
is "$rc" 0 "eval seats without the county's 2024 returns"
run_id=$(q "SELECT max(id) FROM eval_run")
is "$(q "SELECT count(*) || ' ' || min(verdict) || ' ' || max(verdict) FROM result
	WHERE run_id = $run_id AND indicator = 'SEAT.GAP' AND unit_id = '390523'
	AND stage = 'primary'")" "10 na na" "ten n.a. primary gap rows for the county (were none)"
is "$(q "SELECT json_extract(evidence, '\$.reason') FROM result WHERE run_id = $run_id
	AND indicator = 'SEAT.GAP' AND unit_id = '390523' AND stage = 'primary' AND year = 2025")" \
	"no forecast demand (no grade returns at the origin)" "... with the reason"
run eduhq forecast --area 390523 --format csv
is "$(echo "$out" | grep ',primary,2025,' | cut -d, -f5,7,8)" ",," \
	"csv: empty forecast, gap and match, not nan"
run eduhq forecast --area 390523
ok $(echo "$out" | grep -q nan && echo 1 || echo 0) "table: no nan"
cp "$T/base.db" "$EDUHQ_DB"

run eduhq rules set seats.forecast wiche_weights=0.4,x
is "$rc:$err" "1:eduhq: rule 'seats.forecast' parameter 'wiche_weights' expects 1 to 5 comma-separated numbers from 0 to 1, not '0.4,x'" \
	"bad weights are refused"
done_testing
