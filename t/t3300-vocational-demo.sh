#!/bin/sh
# t3300-vocational-demo.sh: the vocational mechanism on the demo city (临江市): exactly the
# three specialties below 60% in 2023 and 2024 are to be closed (one of them 传统纺织), one is
# warned, 光伏工程技术 is at 100%, the match rate is between 85% and 90%; `eduhq eval` with no
# argument runs it; `eduhq vocational review` prints the same as table, JSON and CSV.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
q() { rsql "$1"; }

run eduhq eval vocational --year 2024
is "$rc" 0 "eval vocational on the demo city"
ok $(echo "$out" | grep -q '^vocational: [0-9]* results: ' && echo 0 || echo 1) "the summary counts the vocational results"
R="FROM result WHERE run_id = (SELECT max(id) FROM eval_run)"

is "$(q "SELECT group_concat(c.name, '|') FROM (SELECT unit_id $R AND indicator = 'VOC.REVIEW' AND verdict = 'fail' ORDER BY unit_id) r
	JOIN voc_catalog c ON c.code = substr(r.unit_id, 17) ORDER BY 1")" \
	"旅游管理|服装设计与工艺|纺织技术与服务（传统纺织）" "exactly three specialties are to be closed, 传统纺织 among them"
is "$(q "SELECT count(*) $R AND indicator = 'VOC.REVIEW' AND verdict = 'fail' AND evidence LIKE '%\"decision\":\"close\"%' AND value = 2")" 3 \
	"each after two years below 60% (撤销 close)"
is "$(q "SELECT c.name FROM result r JOIN voc_catalog c ON c.code = substr(r.unit_id, 17) WHERE r.run_id = (SELECT max(id) FROM eval_run) AND r.indicator = 'VOC.REVIEW' AND r.verdict = 'warn'")" \
	"烹饪工艺与营养" "one specialty warned (预警): below 60% only in 2024"
is "$(q "SELECT count(*) $R AND indicator = 'VOC.REVIEW' AND verdict = 'pass'")" 56 "the other 56 pass"
is "$(q "SELECT value || ' ' || numerator || '/' || denominator FROM result r JOIN voc_catalog c ON c.code = substr(r.unit_id, 17)
	WHERE r.run_id = (SELECT max(id) FROM eval_run) AND r.indicator = 'VOC.EMP' AND c.name = '光伏工程技术'")" \
	"$(q "SELECT '1.0 ' || (employed + further_study) || '.0/' || graduates || '.0' FROM specialty_year WHERE specialty_code = '430302' AND year = 2024")" \
	"光伏工程技术 at 100%"
is "$(q "SELECT printf('%.4f %d/%d %s', value, numerator, denominator, verdict) $R AND indicator = 'VOC.MATCH'")" \
	"0.8667 52/60 pass" "match rate 52/60 = 86.7%, between 85% and 90%, passes the 85% target"
w=$(q "SELECT sum(y.enrolled) FROM specialty_year y WHERE y.year = 2024 AND EXISTS (SELECT 1 FROM specialty_industry m JOIN industry i ON i.code = m.industry_code AND i.is_key = 1 WHERE m.specialty_code = y.specialty_code)")
all=$(q "SELECT sum(enrolled) FROM specialty_year WHERE year = 2024")
is "$(q "SELECT printf('%d/%d', numerator, denominator) $R AND indicator = 'VOC.MATCH.W'")" "$w/$all" \
	"the enrolment-weighted match rate, computed independently in SQL"
is "$(q "SELECT json_array_length(json_extract(evidence, '\$.unmatched')) $R AND indicator = 'VOC.MATCH'")" 8 \
	"the evidence lists the 8 unmatched specialties"
is "$(q "SELECT value $R AND indicator = 'VOC.CLOSED' AND year = 2024")" 3.0 \
	"3 specialties closed in 2024 in the registry's history"
is "$(q "SELECT value $R AND indicator = 'VOC.COOP.ENT' AND unit_kind = 'city'")" 120.0 "120 partner enterprises"
is "$(q "SELECT value $R AND indicator = 'VOC.BASE.N' AND unit_kind = 'city'")" 45.0 "45 training bases"
is "$(q "SELECT value $R AND indicator = 'VOC.INTERNS' AND unit_kind = 'city'")" \
	"$(q "SELECT sum(interns) || '.0' FROM internship WHERE year = 2024")" "interns of 2024"
ok $(q "SELECT numerator > 0 AND denominator > 0 $R AND indicator = 'VOC.EMP.COOP' AND unit_kind = 'city'" | grep -q 1 && echo 0 || echo 1) \
	"employment of cooperating specialties is computed"

# the evidence explains the run year by year
ev=$(q "SELECT json_extract(r.evidence, '\$.explanation') FROM result r WHERE r.run_id = (SELECT max(id) FROM eval_run)
	AND r.indicator = 'VOC.REVIEW' AND r.unit_id LIKE '%:480102'")
ok $(echo "$ev" | grep -q '^2020: rate [0-9]*/[0-9]* = [0-9.]*% not below 60% (run 0); .*2023: rate [0-9]*/[0-9]* = [0-9.]*% below 60% (run 1); 2024: rate [0-9]*/[0-9]* = [0-9.]*% below 60% (run 2); 撤销 (close)$' && echo 0 || echo 1) \
	"传统纺织's verdict explains its run year by year ($ev)"

run eduhq indicators --indicator VOC.REVIEW --verdict fail
ok $(echo "$out" | grep -A1 ':480102 ' | tail -1 | grep -q '^    2020: rate .* 2024: rate [0-9]*/[0-9]* = [0-9.]*% below 60% (run 2); 撤销 (close)$' && echo 0 || echo 1) \
	"indicators shows the explanation under a failing review"

# eval with no argument runs every mechanism, vocational included
run eduhq eval
is "$rc" 0 "eval with no argument"
ok $(echo "$out" | grep -q '^run [0-9]*: year 2024, mechanisms balance,seats,.*vocational' && echo 0 || echo 1) \
	"and it runs the vocational mechanism too"

# the review listing
run eduhq vocational review --year 2024
is "$rc" 0 "vocational review"
is "$(echo "$out" | grep -c '^    39[0-9]* .* (run 2)$')" 3 "three specialties to close"
is "$(echo "$out" | grep '^  撤销 close: \|^  停招 stop_enrolment: \|^  预警 warn: ' | tr '\n' '|')" \
	"  撤销 close: 3|  停招 stop_enrolment: 0|  预警 warn: 1|" "the three sections with their counts"
ok $(echo "$out" | grep -q '纺织技术与服务（传统纺织）  (run 2)$' && echo 0 || echo 1) "传统纺织 listed to close"
ok $(echo "$out" | grep -q '^  专业与产业匹配率 specialty-industry match: 52/60 =  86.7% (pass); enrolment-weighted' && echo 0 || echo 1) \
	"the match rate with its target"
is "$(echo "$out" | grep -c '^      20[0-9][0-9]')" 20 "each listed specialty with its five years of figures"
is "$(echo "$out" | sed -n 's/^  unmatched specialties: //p')" 8 "the unmatched specialties"

run eduhq vocational review --year 2024 --format json
is "$rc" 0 "review as JSON"
printf '%s' "$out" >"$T/r.json"
jq() { python3 -c "import json,sys; r=json.load(open('$T/r.json')); $1"; }
is "$(jq "c=r['cities'][0]; print(len(c['close']), len(c['stop_enrolment']), len(c['warn']), c['match']['matched'], c['match']['specialties'], c['match']['pass'])")" \
	"3 0 1 52 60 True" "JSON: 3 to close, 1 to warn, 52 of 60 matched"
is "$(jq "print(' '.join(str(y['year']) + ':' + y['state'] for y in r['cities'][0]['close'][2]['years']))")" \
	"2020:not_met 2021:not_met 2022:not_met 2023:met 2024:met" "JSON: each year's state"

run eduhq vocational review --year 2024 --format csv
is "$rc" 0 "review as CSV"
is "$(echo "$out" | head -1)" "city,section,school_code,school_name,specialty_code,specialty_name,year,state,run,enrolled,graduates,employed,further_study,rate" \
	"CSV header"
is "$(echo "$out" | awk -F, '$2 == "close" && $7 == 2024 && $8 == "met" && $9 == 2' | wc -l | tr -d ' ')" 3 \
	"CSV: three close rows for 2024, each the second year running"
is "$(echo "$out" | awk -F, '$2 == "match" { print $8, $14 }')" "pass 0.866667" "CSV: the match rate"

# misuse
run eduhq vocational
is "$rc:$(echo "$err" | head -1)" "2:eduhq: vocational needs a command" "vocational without a command"
run eduhq vocational list
is "$rc:$(echo "$err" | head -1)" "2:eduhq: unknown vocational command 'list'" "an unknown subcommand"
run eduhq vocational review --format xml
is "$rc" 2 "an unknown format is misuse"

done_testing
