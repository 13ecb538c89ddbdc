#!/bin/sh
# t3420-task.sh: `eduhq task` and `eduhq eval tasks`: tasks with a parent, progress entries
# recorded with who, the lagging rule at its boundary, overdue on the deadline day and the
# day after, roll-up to the parent, and progress from the registry by formula.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西县,county,330100,county
CSV
cat >"$T/project.csv" <<'CSV'
code,name,area_code,kind,school_type,seats,completion_year,status
P1,江东新城小学,330102,new,primary,1350,2025,done
P2,江西九年制,330103,new,nine_year,1800,2026,building
P3,江东一小扩建,330102,expansion,primary,300,2024,done
CSV
import_or_bail "$T" area project

# 2025-01-01 .. 2025-04-11 is 100 days: on 2025-02-20 (day 50) the line is at 50%
run eduhq task add TK-00 --name 学校建设规划 --owner 规划科 --target 100 --unit % --start 2025-01-01 --deadline 2025-04-11
is "$rc:$out" "0:task TK-00: 学校建设规划, 0 → 100 % by 2025-04-11" "add a plan task"
eduhq task add TK-01 --name 新增学位 --owner 规划科 --target 100 --unit 个 --start 2025-01-01 \
	--deadline 2025-04-11 --parent TK-00 >/dev/null
eduhq task add TK-02 --name 新建学校 --owner 规划科 --target 2 --unit 所 --start 2025-01-01 \
	--deadline 2025-04-11 --parent TK-00 --formula schools_opened --area 330102 >/dev/null
run eduhq task add TK-03 --name x --owner y --target 1 --start 2025-02-01 --deadline 2025-01-31
is "$rc:$err" "1:eduhq: task 'TK-03': deadline 2025-01-31 is before its start 2025-02-01" \
	"a deadline before the start is refused"
run eduhq task add TK-03 --name x --owner y --target 1 --start 2025-01-01 --deadline 2025-12-31 --parent TK-99
is "$rc:$err" "1:eduhq: task 'TK-03': no parent task 'TK-99'" "an unknown parent is refused"
run eduhq task add TK-03 --name x --owner y --target 1 --start 2025-01-01 --deadline 2025-12-31 --formula pupils
is "$rc:$err" "2:eduhq: unknown formula 'pupils' (known: schools_opened, nine_year_opened, expansions_done, seats_added, hazards_closed_pct)" \
	"an unknown formula is refused"
run eduhq task add TK-01 --name x --owner y --target 1 --start 2025-01-01 --deadline 2025-12-31
is "$rc:$err" "1:eduhq: task 'TK-01' already exists" "a taken code is refused"

before=$(db_dump)
run eduhq task progress TK-02 --value 1 --date 2025-02-20
is "$rc:$err" "1:eduhq: task 'TK-02' takes its progress from the registry (formula schools_opened); it has no manual entries" \
	"no manual progress on a formula task"
run eduhq task progress TK-00 --value 50 --date 2025-02-20
is "$rc:$err" "1:eduhq: task 'TK-00' has sub-tasks: its progress is theirs, rolled up" \
	"no manual progress on a parent"
run eduhq task progress TK-01 --value 50 --date 2024-12-31
is "$rc:$err" "1:eduhq: task 'TK-01' starts on 2025-01-01; no progress on 2024-12-31" \
	"no progress before the start"
run eduhq task progress TK-09 --value 1
is "$rc:$err" "1:eduhq: no task 'TK-09'" "an unknown task"
is "$(db_dump)" "$before" "nothing changed"

run eduhq task progress TK-01 --value 30 --date 2025-02-20 --as alice --note 第一批
is "$rc:$out" "0:task TK-01: 30 on 2025-02-20 recorded by alice" "progress recorded"
run eduhq task progress TK-01 --value 40 --date 2025-02-20
is "$rc:$out" "0:task TK-01: 40 on 2025-02-20 recorded by $(id -un) (replaces that date's entry)" \
	"a second entry for the date replaces the first; the OS user by default"
is "$(sqlite3 "$EDUHQ_DB" "SELECT date, value, note, recorded_by FROM task_progress")" \
	"2025-02-20|40.0||$(id -un)" "the entry with who recorded it"

# tolerance 0.1: 40% at a 50% line is exactly at the tolerance -> on track; 39.9% lags.
# TK-02 counts P1 (a new school done in 2025 in 330102): 1 of 2; TK-00 = mean(40%, 50%)
eduhq rules set tasks.lag tolerance=0.1 >/dev/null 2>&1
is "$(eduhq task list --as-of 2025-02-20)" \
"code           status       done  expected deadline   name
TK-00          on_track    45.0%     50.0% 2025-04-11 学校建设规划
TK-01          on_track    40.0%     50.0% 2025-04-11 新增学位
TK-02          on_track    50.0%     50.0% 2025-04-11 新建学校
3 tasks" "at the tolerance a task is on track; the parent is the children's mean"
eduhq task progress TK-01 --value 39.9 --date 2025-02-20 >/dev/null
is "$(eduhq task list --as-of 2025-02-20 --status lagging)" \
"code           status       done  expected deadline   name
TK-01          lagging     39.9%     50.0% 2025-04-11 新增学位
1 task" "just past the tolerance it lags"
is "$(eduhq task list --as-of 2025-04-11 | awk 'NR>1 && NF>2{print $1 ":" $2}' | tr '\n' ' ')" \
	"TK-00:lagging TK-01:lagging TK-02:lagging " "on the deadline day: lagging, not overdue"
is "$(eduhq task list --as-of 2025-04-12 | awk 'NR>1 && NF>2{print $1 ":" $2}' | tr '\n' ' ')" \
	"TK-00:overdue TK-01:overdue TK-02:overdue " "the day after: overdue"
eduhq task progress TK-01 --value 100 --date 2025-04-01 >/dev/null
is "$(eduhq task list --as-of 2025-04-12 | awk 'NR>1 && NF>2{print $1 ":" $2}' | tr '\n' ' ')" \
	"TK-00:overdue TK-01:met TK-02:overdue " "a met task is never overdue"

# the formula reads the projects at the date: P1 counts from its completion year
run eduhq task show TK-02 --as-of 2025-02-20
is "$(echo "$out" | grep -E '^  (parent|progress from|status) ')" \
"  parent       TK-00
  progress from registry formula schools_opened
  status       on_track on 2025-02-20: value 1, 50.0% done, 50.0% expected (tolerance 0.1)" \
	"show: the value from the projects"
is "$(eduhq task show TK-02 --as-of 2024-12-31 | grep '^  status')" \
	"  status       on_track on 2024-12-31: value 0, 0.0% done, 0.0% expected (tolerance 0.1)" \
	"before its completion year the project does not count"
is "$(eduhq task show TK-01 --as-of 2025-04-12 | sed -n '/^entries:/,$p')" \
"entries:
  2025-02-20          39.9  by $(id -un) at $(sqlite3 "$EDUHQ_DB" "SELECT recorded_at FROM task_progress WHERE date = '2025-02-20'")
  2025-04-01           100  by $(id -un) at $(sqlite3 "$EDUHQ_DB" "SELECT recorded_at FROM task_progress WHERE date = '2025-04-01'")" \
	"show lists the entries with who recorded them"

# eval tasks: the same statuses as rows
eduhq eval tasks --year 2024 --as-of 2025-04-12 >/dev/null
is "$(eduhq indicators --indicator TASK.PROGRESS --format csv | awk -F, 'NR>1{print $4 ":" $7 ":" $11}' | tr '\n' ' ')" \
	"TK-00:0.75:fail TK-01:1:pass TK-02:0.5:fail " "eval tasks: overdue fails, met passes"
# task writes are in the audit log
is "$(sqlite3 "$EDUHQ_DB" "SELECT action || ' ' || row_key FROM audit_log WHERE table_name LIKE 'task%' ORDER BY id LIMIT 1")" \
	"task.add TK-00" "task add is audited"
is "$(sqlite3 "$EDUHQ_DB" "SELECT user_name || ' ' || row_key || ' ' || json_extract(after, '\$.value') FROM audit_log WHERE action = 'task.progress' ORDER BY id" | tr '\n' ';')" \
	"cli:alice TK-01,2025-02-20 30.0;cli:$(id -un) TK-01,2025-02-20 40.0;cli:$(id -un) TK-01,2025-02-20 39.9;cli:$(id -un) TK-01,2025-04-01 100.0;" \
	"every progress entry recorded, replacements too, is audited; refused ones are not"
run eduhq audit verify
is "$rc" 0 "the audit chain verifies"
done_testing
