#!/bin/sh
# t3430-ledger-demo.sh: the assessment, curriculum, safety and tasks mechanisms on the demo
# city 临江市, judged on 2025-09-30: `eduhq eval` with no argument runs every engine; the
# draft scheme at 12% 思政 is refused; the four schools below 1 h/week are listed; the D-grade
# building and the major hazard without a contingency plan are reported; the overdue hazards
# agree with a count made in awk from the exported ledger; the lagging tasks are listed.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/d" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
run eduhq eval --as-of 2025-09-30
is "$rc" 0 "eval with no argument"
is "$(echo "$out" | sed -n 1p | sed 's/, [0-9]* results$//')" \
	"run 1: year 2024, mechanisms balance,seats,teachers,groups,vocational,assessment,curriculum,safety,tasks" \
	"every engine of every issue runs in one run"

run eduhq indicators --indicator ASSESS.SCHEME
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
ASSESS.SCHEME    scheme  AS390500-2024          2024         0.180       0.15 pass
ASSESS.SCHEME    scheme  AS390500-2024D          2024         0.120       0.15 fail
    the scheme cannot be used (no scores are computed): 思政 items weigh 12 of 100 (12%), below the minimum 15%" \
	"the active scheme at 18% passes; the draft at 12% is refused"
is "$(eduhq indicators --indicator ASSESS.RANK.CITY --format csv | awk -F, 'NR>1{n++; if($7==1)one++} END{print n, one}')" \
	"125 1" "125 schools ranked in the city, one first"

run eduhq indicators --indicator CUR.ETHNIC --verdict fail
is "$(echo "$out" | awk 'NR>1 && $1=="CUR.ETHNIC"{print $3 ":" $5}' | tr '\n' ' ')" \
	"3905210010:0.500 3905220005:0.500 3905220020:0.500 3905230012:0.500 " \
	"the four schools below 1 h/week of 铸牢中华民族共同体意识, with their hours"
is "$(echo "$out" | grep -c '0.5 h/week, below 1')" 4 "each with its hours and the minimum"

run eduhq indicators --indicator SAFE.BUILDING.D --verdict fail
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
SAFE.BUILDING.D  school  3905210005            2024         1.000          0 fail
    1 D-grade building(s) in use: critical
SAFE.BUILDING.D  county  390521                2024         1.000          0 fail" \
	"the D-grade building in use is a critical finding"
run eduhq indicators --indicator SAFE.MAJOR.ITEMS --verdict fail
is "$out" "indicator        unit    id           stage    year         value  threshold verdict
SAFE.MAJOR.ITEMS hazard  HZ390500-0001          2024         1.000          5 fail
    major hazard (重大隐患) missing: contingency_plan (应急预案)" \
	"the major hazard assigned without a contingency plan"

eduhq export hazard --format csv | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r' >"$T/hazard.csv"
want=$(awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next}
	$c["deadline"]!="" && $c["deadline"]<"2025-09-30" && $c["state"]!="accepted" && $c["state"]!="closed"{n[substr($c["school_code"],1,6)]++}
	END{for(k in n) print k ":" n[k]}' "$T/hazard.csv" | sort | tr '\n' ' ')
is "$(eduhq indicators --indicator SAFE.OVERDUE --format csv | awk -F, '$3=="county"{print $4 ":" $7}' | sort | tr '\n' ' ')" \
	"$want" "overdue hazards per county agree with the exported ledger ($want)"
is "$(eduhq hazard list --overdue --as-of 2025-09-30 | tail -1)" "40 hazards" "hazard list --overdue agrees"

is "$(eduhq task list --as-of 2025-09-30 --status lagging | awk 'NR>1 && NF>2{print $1}' | tr '\n' ' ')" \
	"TK390500-00 TK390500-01 TK390500-02 TK390500-04 TK390500-06 TK390500-07 " \
	"the lagging tasks are listed"
is "$(eduhq indicators --indicator TASK.PROGRESS --verdict warn --format csv | awk -F, 'NR>1{print $4}' | tr '\n' ' ')" \
	"TK390500-00 TK390500-01 TK390500-02 TK390500-04 TK390500-06 TK390500-07 " \
	"and reported by eval tasks"
is "$(eduhq task show TK390500-02 --as-of 2025-09-30 | grep '^  progress from')" \
	"  progress from registry formula seats_added" "the seats task reads the construction projects"
done_testing
