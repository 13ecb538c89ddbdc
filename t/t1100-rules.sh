#!/bin/sh
# t1100-rules.sh: `eduhq init` seeds every built-in rule; `rules` lists, `rules show` picks
# the version in force by effective date, `rules set` adds a version (never edits one) and
# refuses unknown codes, keys and malformed values; `rules history` shows what changed;
# docs/rules.md is the current `rules --format md`.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null
q() { sqlite3 "$EDUHQ_DB" "$1"; }

# --- seeding ---
is "$(q 'SELECT count(*), count(DISTINCT code), max(version) FROM rule_version')" "37|37|1" \
	"init seeds 37 rules, each as version 1"
missing=
for code in balance.school_standard balance.school_rule balance.cv_max balance.scope \
	balance.combined_split balance.class_size balance.school_size balance.retention balance.method \
	balance.basic_2012 teachers.exchange teachers.rural_service teachers.title_years \
	seats.class_size seats.entry seats.standard_school staffing.ratio groups.coverage \
	groups.outcome vocational.employment vocational.match vocational.satisfaction \
	vocational.sites assessment.scheme curriculum.hours activities.targets \
	safety.major_hazard tasks.lag check.enrolment_change check.class_pupils \
	check.missing_return; do
	[ "$(q "SELECT count(*) FROM rule_version WHERE code = '$code'")" = 1 ] || missing="$missing $code"
done
is "$missing" "" "every rule code the engines read is seeded"
is "$(q "SELECT count(*) FROM rule_version WHERE source_doc = '' OR note = '' OR tag NOT IN ('A','B','C','L')")" 0 \
	"every rule has a source, a note and a tag"
is "$(q "SELECT params FROM rule_version WHERE code = 'balance.school_standard'")" \
	'{"L1_primary":4.2,"L1_junior":5.3,"L2_primary":1.0,"L2_junior":1.0,"L3_primary":0.9,"L3_junior":0.9,"L4_primary":4.5,"L4_junior":5.8,"L5_primary":7.5,"L5_junior":10.2,"L6_primary":2000,"L6_junior":2500,"L7_primary":2.3,"L7_junior":2.4}' \
	"the seven school standards of 教督〔2017〕6号"
is "$(q "SELECT effective_date || ' ' || source_doc || ' ' || tag || ' ' || params FROM rule_version WHERE code = 'balance.cv_max'")" \
	'2017-04-19 教督〔2017〕6号 B {"primary":0.5,"junior":0.45}' "the CV thresholds"
is "$(q "SELECT tag || ' ' || params FROM rule_version WHERE code = 'teachers.rural_service'")" \
	'L {"national_min_years":1,"city_min_years":2,"rural_classes":"210,220","count_weak":1,"weak_ratio":3,"applies_to_title":"senior","days_per_year":365}' \
	"rural service: national 1 year, the city's 2"
is "$(q "SELECT params FROM rule_version WHERE code = 'vocational.employment'")" \
	'{"condition":"employment_below","min_rate":0.6,"bottom_share":0.1,"peer_set":"category","min_peers":5,"min_enrolled":50,"run_years":2,"first_action":"warn","action":"close","no_graduates":"skip"}' \
	"the specialty review rule: employment below 60% two years running closes"
is "$(q "SELECT params FROM rule_version WHERE code = 'staffing.ratio'")" \
	'{"primary":19,"junior":13.5,"senior":12.5}' "staffing ratios"

# --- list and show ---
run eduhq rules
is "$rc:$(echo "$out" | wc -l | tr -d ' ')" "0:37" "rules lists 37 rules"
is "$(echo "$out" | grep '^balance.cv_max ')" \
	"balance.cv_max             v1  2017-04-19 B  教督〔2017〕6号 第五条 (校际差异系数)  primary=0.5 junior=0.45" \
	"a list line: code, version, date, tag, source, clause, params"
run eduhq rules --format json
is "$(echo "$out" | python3 -c 'import json,sys; a=json.load(sys.stdin); r=[x for x in a if x["code"]=="balance.school_rule"][0]; print(len(a), r["version"], r["params"]["min_met"], r["params"]["unmet_floor"], r["tag"])')" \
	"37 1 6 0.85 C" "rules --format json"
run eduhq rules show seats.standard_school
is "$rc" 0 "show exits 0"
is "$(echo "$out" | sed -n '/^params:/,$p')" "params:
  primary=24,36
  junior=24,30
  nine_year=36,45" "show lists the params one per line"
is "$(echo "$out" | sed -n 's/^source: *//p')" "建标〔2002〕102号" "show gives the source"
run eduhq rules show no.such
is "$rc:$err" "1:eduhq: no rule 'no.such'" "show of an unknown rule"

# --- set ---
before=$(db_dump)
run eduhq rules set balance.cv_max primary=0.4 foo=1
is "$rc:$err" "1:eduhq: rule 'balance.cv_max' has no parameter 'foo'" "an unknown key is refused"
run eduhq rules set no.such x=1
is "$rc:$err" "1:eduhq: no rule 'no.such'" "an unknown code is refused"
run eduhq rules set balance.cv_max primary=abc
is "$rc:$err" "1:eduhq: rule 'balance.cv_max' parameter 'primary' expects a number from 0.01 to 5, not 'abc'" \
	"a malformed number is refused"
run eduhq rules set balance.cv_max primary=nan
is "$rc:$err" "1:eduhq: rule 'balance.cv_max' parameter 'primary' expects a number from 0.01 to 5, not 'nan'" \
	"not-a-number is refused"
run eduhq rules set balance.cv_max primary=0.4 --effective 2025-02-30
is "$rc:$err" "1:eduhq: --effective: '2025-02-30' is not a date (YYYY-MM-DD)" "a malformed date is refused"
run eduhq rules set balance.cv_max primary=0.4 --tag X
is "$rc" 2 "a bad tag is misuse"
run eduhq rules set balance.cv_max primary
is "$rc" 2 "an argument without = is misuse"
is "$(db_dump)" "$before" "refused sets change nothing"

USER=tester run eduhq rules set balance.cv_max primary=0.4 --effective 2025-01-01 \
	--source 临教〔2025〕1号 --tag L --note "city override"
is "$rc:$out" "0:rules: balance.cv_max version 2 effective 2025-01-01" "set adds version 2"
is "$(q "SELECT version, effective_date, params, source_doc, clause, tag, note, created_by FROM rule_version WHERE code = 'balance.cv_max' ORDER BY version")" \
"1|2017-04-19|{\"primary\":0.5,\"junior\":0.45}|教督〔2017〕6号|第五条 (校际差异系数)|B|county passes an indicator when the enrolment-weighted between-school CV is at most this, for each indicator separately|system
2|2025-01-01|{\"primary\":0.4,\"junior\":0.45}|临教〔2025〕1号|第五条 (校际差异系数)|L|city override|tester" \
	"version 1 is untouched; version 2 keeps the other params and the clause"
USER= run eduhq rules set balance.school_rule min_met=5 unmet_floor=0.9
is "$(q "SELECT params || ' ' || created_by FROM rule_version WHERE code = 'balance.school_rule' AND version = 2")" \
	'{"min_met":5,"unmet_floor":0.9} cli' "numbers stay numbers; created_by cli without \$USER"
eduhq rules set vocational.catalog version=2025 >/dev/null
is "$(q "SELECT params FROM rule_version WHERE code = 'vocational.catalog' AND version = 2")" \
	'{"version":"2025"}' "a string parameter stays a string"

run eduhq rules history balance.cv_max
is "$(echo "$out" | sed 's/ at [0-9TZ:-]*$//')" \
"balance.cv_max version 1 effective 2017-04-19 tag B by system
  source: 教督〔2017〕6号 第五条 (校际差异系数)
  params: primary=0.5 junior=0.45
balance.cv_max version 2 effective 2025-01-01 tag L by tester
  changed primary: 0.5 -> 0.4
  changed effective: '2017-04-19' -> '2025-01-01'
  changed tag: 'B' -> 'L'
  changed source: '教督〔2017〕6号' -> '临教〔2025〕1号'
  changed note: 'county passes an indicator when the enrolment-weighted between-school CV is at most this, for each indicator separately' -> 'city override'" \
	"history shows both versions and what changed"

# --- effective dates ---
eduhq rules set balance.cv_max junior=0.4 --effective 2999-01-01 >/dev/null
run eduhq rules show balance.cv_max
is "$(echo "$out" | sed -n 's/^version: *//p') $(echo "$out" | grep '^  ' | tr -d ' \n')" \
	"2 primary=0.4junior=0.45" "a version effective in the future is not used yet"
run eduhq rules show balance.cv_max --as-of 2999-06-01
is "$(echo "$out" | sed -n 's/^version: *//p') $(echo "$out" | grep '^  ' | tr -d ' \n')" \
	"3 primary=0.4junior=0.4" "--as-of after its date uses it"
run eduhq rules show balance.cv_max --as-of 2020-06-01
is "$(echo "$out" | sed -n 's/^version: *//p') $(echo "$out" | grep '^  ' | tr -d ' \n')" \
	"1 primary=0.5junior=0.45" "--as-of before version 2 gives version 1"
run eduhq rules show balance.cv_max --as-of 2010-01-01
is "$rc:$err" "1:eduhq: rule 'balance.cv_max' has no version in force on 2010-01-01" \
	"no version in force before the first"
is "$(eduhq rules | awk '$1 == "balance.cv_max" { print $1, $2, $3 }')" "balance.cv_max v2 2025-01-01" \
	"the list shows the version in force today"

# a retroactive version is shadowed today by the later-effective built-in one: say so
run eduhq rules set tasks.lag tolerance=0.1 --effective 2020-01-01
is "$rc:$out" "0:rules: tasks.lag version 2 effective 2020-01-01
rules: note: version 1 (effective 2025-07-04) stays in force today; version 2 applies to dates from 2020-01-01 until 2025-07-04" \
	"a set shadowed by a later effective date says which version stays in force"
run eduhq rules set tasks.lag tolerance=0.3 --effective 2999-01-01
is "$rc:$out" "0:rules: tasks.lag version 3 effective 2999-01-01
rules: tasks.lag version 3 is not in force before 2999-01-01" "a future version says when it starts"

# --- docs/rules.md is current ---
run eduhq --db "$T/fresh.db" init
eduhq --db "$T/fresh.db" rules --format md >"$T/rules.md"
ok $(cmp -s "$T/rules.md" "$TOP/docs/rules.md" && echo 0 || echo 1) \
	"docs/rules.md is current (run make docs)"
is "$(grep -c '^| `' "$T/rules.md")" 37 "the md list has a row per rule"

done_testing
