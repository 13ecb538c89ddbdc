#!/bin/sh
# t3410-hazard.sh: `eduhq hazard`: a hazard walked through the ledger step by step, each step
# recorded with who (--as, else the operating-system user) and when; illegal steps and the
# five-item rule refused verbatim with nothing changed; overdue on the deadline day and the
# day after, in `hazard list` and in `eval safety`.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020001,江东一小,330102,primary,111
CSV
import_or_bail "$T" area school
S=3301020001

run eduhq hazard add --school $S --category fire --description 灭火器过期 --major --found 2025-03-01 \
	--date 2025-03-02 --as alice
is "$rc:$out" "0:hazard HZ3301020001-001: registered (已登记) by alice on 2025-03-02" "add registers a hazard"
H=HZ3301020001-001
run eduhq hazard add --school $S --category drowning --description 水塘无护栏 --code HZ-2 --unregistered \
	--found 2025-03-05 --as bob
is "$rc:$out" "0:hazard HZ-2: found (发现) by bob on 2025-03-05" "add --unregistered leaves it found"
run eduhq hazard add --school $S --category flood --description x
is "$rc:$err" "2:eduhq: unknown hazard category 'flood' (known: drowning, building, fire, food, traffic, bullying, lab_chemicals, special_equipment, gas_electric, dormitory, surroundings, natural_disaster, epidemic, mental_health)" \
	"an unknown category is refused"
run eduhq hazard add --school 3301029999 --category fire --description x
is "$rc:$err" "1:eduhq: no school '3301029999'" "an unknown school is refused"
run eduhq hazard add --school $S --category fire --description x --code HZ-2
is "$rc:$err" "1:eduhq: hazard 'HZ-2' already exists" "a taken code is refused"

before=$(db_dump)
run eduhq hazard accept $H --as alice
is "$rc:$err" "1:eduhq: cannot accept hazard '$H': it is registered (已登记); accept needs rectifying (整改中)" \
	"accept before rectifying is refused"
run eduhq hazard close $H
is "$rc:$err" "1:eduhq: cannot close hazard '$H': it is registered (已登记); close needs accepted (已验收)" \
	"close before acceptance is refused"
run eduhq hazard start $H
is "$rc:$err" "1:eduhq: cannot start hazard '$H': it is registered (已登记); start needs assigned (已交办)" \
	"start before assignment is refused"
run eduhq hazard register $H
is "$rc:$err" "1:eduhq: cannot register hazard '$H': it is registered (已登记); register needs found (发现)" \
	"registering twice is refused"
run eduhq hazard assign $H --responsible 张校长 --measures 更换灭火器 --deadline 2025-04-30 --date 2025-03-03
is "$rc:$err" "1:eduhq: cannot assign major hazard '$H' (重大隐患): missing funds (整改资金), contingency_plan (应急预案); a major hazard needs all of (五落实) measures (整改措施), responsible (责任人), funds (整改资金), deadline (整改时限), contingency_plan (应急预案)" \
	"a major hazard is not assigned without the five items"
run eduhq hazard assign $H --responsible 张校长 --measures 更换灭火器 --deadline 2025-04-30 --funds 8000 --date 2025-03-03
is "$rc:$err" "1:eduhq: cannot assign major hazard '$H' (重大隐患): missing contingency_plan (应急预案); a major hazard needs all of (五落实) measures (整改措施), responsible (责任人), funds (整改资金), deadline (整改时限), contingency_plan (应急预案)" \
	"four of the five are not enough"
run eduhq hazard assign $H --responsible 张校长 --measures 更换 --deadline 2025-02-01 --funds 8000 --plan 预案 --date 2025-03-03
is "$rc:$err" "1:eduhq: cannot assign hazard '$H': deadline 2025-02-01 is before it was found (2025-03-01)" \
	"a deadline before the hazard was found is refused"
run eduhq hazard start nosuch
is "$rc:$err" "1:eduhq: no hazard 'nosuch'" "an unknown hazard"
run eduhq hazard reopen $H
is "$rc" 2 "an unknown step is misuse"
is "$(db_dump)" "$before" "nothing changed"

run eduhq hazard assign $H --responsible 张校长 --measures 更换灭火器 --deadline 2025-04-30 --funds 8000 \
	--plan 停用教学楼三层 --date 2025-03-03 --as bob
is "$rc:$out" "0:hazard $H: assigned (已交办) by bob on 2025-03-03" "assigned with the five items"
run eduhq hazard start $H --date 2025-03-10
is "$rc:$out" "0:hazard $H: rectifying (整改中) by $(id -un) on 2025-03-10" \
	"without --as the operating-system user is recorded"

# overdue: not on the deadline day, on the day after
is "$(eduhq hazard list --overdue --as-of 2025-04-30 | tail -1)" "0 hazards" "not overdue on the deadline day"
is "$(eduhq hazard list --overdue --as-of 2025-05-01)" \
"code             school     category          major state      deadline   overdue
$H 3301020001 fire              yes   rectifying 2025-04-30 yes
1 hazard" "overdue the day after"
eduhq eval safety --year 2024 --as-of 2025-04-30 >/dev/null
is "$(eduhq indicators --indicator SAFE.OVERDUE --format csv | awk -F, 'NR>1{print $3 ":" $7 ":" $11}' | tr '\n' ' ')" \
	"school:0:pass county:0:pass " "eval safety: nothing overdue on the deadline day"
eduhq eval safety --year 2024 --as-of 2025-05-01 >/dev/null
is "$(eduhq indicators --indicator SAFE.OVERDUE --format csv | awk -F, 'NR>1{print $3 ":" $7 ":" $11}' | tr '\n' ' ')" \
	"school:1:fail county:1:fail " "eval safety: overdue the day after"

run eduhq hazard accept $H --date 2025-05-06 --as 李督导
is "$rc:$out" "0:hazard $H: accepted (已验收) by 李督导 on 2025-05-06" "accepted"
is "$(eduhq hazard list --overdue --as-of 2025-05-07 | tail -1)" "0 hazards" "an accepted hazard is not overdue"
run eduhq hazard close $H --date 2025-05-08 --as 李督导
is "$rc:$out" "0:hazard $H: closed (已销号) by 李督导 on 2025-05-08" "closed"
for step in register assign start accept close; do
	run eduhq hazard $step $H --responsible a --measures b --deadline 2025-06-01 2>/dev/null
	[ $step = assign ] || run eduhq hazard $step $H
	case "$err" in "eduhq: cannot $step hazard '$H': it is closed (已销号); $step needs"*) r=0 ;; *) r=1 ;; esac
	ok $r "a closed hazard cannot $step"
done

is "$(sqlite3 -separator ' ' "$EDUHQ_DB" "SELECT seq, coalesce(from_state, '-'), to_state, date, actor FROM hazard_event WHERE hazard_code = '$H' ORDER BY seq")" \
"1 - found 2025-03-01 alice
2 found registered 2025-03-02 alice
3 registered assigned 2025-03-03 bob
4 assigned rectifying 2025-03-10 $(id -un)
5 rectifying accepted 2025-05-06 李督导
6 accepted closed 2025-05-08 李督导" "every step recorded with who and its date"
is "$(sqlite3 "$EDUHQ_DB" "SELECT count(*) FROM hazard_event WHERE recorded_at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'")" 7 \
	"and when it was recorded"
is "$(sqlite3 "$EDUHQ_DB" "SELECT state, closed_date, funds, contingency_plan FROM hazard WHERE code = '$H'")" \
	"closed|2025-05-08|8000.0|停用教学楼三层" "the ledger row"
run eduhq hazard show $H
is "$(echo "$out" | sed -n '1p;5p;9,12p')" "hazard $H: fire, major (重大隐患)
  state             closed (已销号)
  deadline          2025-04-30
  contingency plan  停用教学楼三层
  closed            2025-05-08
steps:" "show prints the row"
is "$(echo "$out" | grep -c '^ *[0-9] ')" 6 "and every step"

# the unregistered one: register, then the general rule (no funds, no plan needed)
run eduhq hazard assign HZ-2 --responsible 王老师 --measures 设护栏 --deadline 2025-06-30
is "$rc:$err" "1:eduhq: cannot assign hazard 'HZ-2': it is found (发现); assign needs registered (已登记)" \
	"a found hazard must be registered first"
run eduhq hazard register HZ-2 --date 2025-03-06 --as bob
is "$rc" 0 "register"
run eduhq hazard assign HZ-2 --measures 设护栏 --date 2025-03-07
is "$rc:$err" "1:eduhq: cannot assign hazard 'HZ-2': missing responsible (责任人), deadline (整改时限)" \
	"a general hazard needs measures, responsible and deadline"
run eduhq hazard assign HZ-2 --responsible 王老师 --measures 设护栏 --deadline 2025-06-30 --date 2025-03-07
is "$rc" 0 "a general hazard needs no funds or plan"
is "$(eduhq hazard list --state assigned | sed -n 2p | awk '{print $1, $5}')" "HZ-2 assigned" "list by state"
# every step is in the audit log, with the row before and after, and the chain verifies
q() { sqlite3 "$EDUHQ_DB" "$1"; }
is "$(q "SELECT action || ' ' || user_name || ' ' || row_key FROM audit_log WHERE table_name = 'hazard' ORDER BY id LIMIT 2" | tr '\n' ';')" \
	"hazard.add cli:alice $H;hazard.add cli:bob HZ-2;" "hazard add is audited under the actor"
is "$(q "SELECT json_extract(before, '\$.state') || '->' || json_extract(after, '\$.state') || ' ' || json_extract(after, '\$.funds') FROM audit_log WHERE action = 'hazard.assigned' AND row_key = '$H'")" \
	"registered->assigned 8000.0" "an assignment's entry holds the row before and after"
is "$(q "SELECT action FROM audit_log WHERE table_name = 'hazard' ORDER BY id" | tr '\n' ' ')" \
	"hazard.add hazard.add hazard.assigned hazard.rectifying hazard.accepted hazard.closed hazard.registered hazard.assigned " \
	"one entry per step taken, none for a refused step"
run eduhq audit verify
is "$rc" 0 "the audit chain verifies"
done_testing
