#!/bin/sh
# t1430-eval-loaders.sh: what the faster loaders read still moves the data fingerprint. The
# balance loader turns a teacher's education, backbone level, subject, title and full-time
# flag into category bits in C (no longer in SQL) and reads only the current postings; the
# teachers loader reads the teacher columns it uses and every posting once: each change below
# moves the fingerprint of the mechanism that reads it, and of the whole run, and changed back
# gives the first fingerprint again; a teacher's subject or full-time flag, which the
# teachers mechanism does not read, leaves its fingerprint as it was, and a teacher's name,
# which no mechanism reads (no result shows it), leaves every fingerprint as it was. Then
# `--timing`'s second line: each thread's busy time and every mechanism once, with its load
# and engine seconds.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
fp() { eduhq eval "$@" --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json | jq -r .run.data_fingerprint; }
q() { sqlite3 "$EDUHQ_DB" "$@"; }
all0=$(fp)
bal0=$(fp balance)
tch0=$(fp teachers)
# the teacher whose current posting is at a school balance counts (a primary school)
t=$(q "SELECT p.teacher_code FROM posting p JOIN teacher t ON t.code = p.teacher_code
	WHERE p.end_date IS NULL AND t.full_time = 1 AND t.subject = 'pe' AND t.education = 'bachelor'
	AND t.backbone_level = 'none' AND t.title = 'first' ORDER BY p.teacher_code LIMIT 1")
ok $([ -n "$t" ] && echo 0 || echo 1) "a full-time bachelor PE teacher with a first title and a current posting ($t)"
moves() { # moves MECHANISM FINGERPRINT-BEFORE READS(1/0)
	if [ "$3" = 1 ]; then
		ok $([ "$(fp "$1")" != "$2" ] && echo 0 || echo 1) "... and a $1 run's"
	else
		is "$(fp "$1")" "$2" "... but not a $1 run's ($1 does not read it)"
	fi
}
changed() { # changed LABEL BALANCE-READS TEACHERS-READS SQL-CHANGE SQL-UNDO
	q "$4"
	ok $([ "$(fp)" != "$all0" ] && echo 0 || echo 1) "a changed $1 changes the run's fingerprint"
	moves balance "$bal0" "$2"
	moves teachers "$tch0" "$3"
	q "$5"
	is "$(fp)" "$all0" "the $1 changed back gives the first fingerprint"
}
upd() { echo "UPDATE teacher SET $1 WHERE code = '$t'"; }
changed "teacher's education (bachelor+ to associate)" 1 1 "$(upd "education = 'associate'")" "$(upd "education = 'bachelor'")"
changed "teacher's backbone level (none to county)" 1 1 "$(upd "backbone_level = 'county'")" "$(upd "backbone_level = 'none'")"
changed "teacher's subject (PE to maths)" 1 0 "$(upd "subject = 'math'")" "$(upd "subject = 'pe'")"
changed "teacher's title (first to second)" 1 1 "$(upd "title = 'second'")" "$(upd "title = 'first'")"
changed "teacher's full-time flag" 1 0 "$(upd "full_time = 0")" "$(upd "full_time = 1")"
q "$(upd "name = name || '甲'")"
is "$(fp)" "$all0" "a changed teacher's name leaves the run's fingerprint as it was: no result shows it"
moves teachers "$tch0" 0
q "$(upd "name = substr(name, 1, length(name) - 1)")"
changed "teacher's title date" 0 1 "$(upd "title_date = '2001-01-01'")" \
	"$(upd "title_date = '$(q "SELECT title_date FROM teacher WHERE code = '$t'")'")"
s=$(q "SELECT start_date FROM posting WHERE teacher_code = '$t' AND end_date IS NULL")
changed "current posting's end (ended)" 1 1 \
	"UPDATE posting SET end_date = '2020-08-31' WHERE teacher_code = '$t' AND start_date = '$s'" \
	"UPDATE posting SET end_date = NULL WHERE teacher_code = '$t' AND start_date = '$s'"
changed "posting's kind" 0 1 \
	"UPDATE posting SET kind = 'support' WHERE teacher_code = '$t' AND start_date = '$s'" \
	"UPDATE posting SET kind = 'appointment' WHERE teacher_code = '$t' AND start_date = '$s'"

# --timing: the first line as before; the second the threads and every mechanism once (--fresh:
# computed, none taken from the runs before)
run eduhq eval --as-of 2025-09-30 --rules-as-of 2025-09-30 --timing --fresh
is "$rc" 0 "eval --timing"
ok $(echo "$err" | sed -n 1p | grep -Eq '^timing: load [0-9.]+ s, engine [0-9.]+ s, save [0-9.]+ s \([0-9]+ results\)$' && echo 0 || echo 1) \
	"the first timing line unchanged"
l2=$(echo "$err" | sed -n 2p)
ok $(echo "$l2" | grep -Eq '^timing: threads 2; run [0-9.]+ s busy \([^)]*\); helper [0-9.]+ s busy \([^)]*\)$' && echo 0 || echo 1) \
	"the second: each thread's busy time and what it ran ($l2)"
is "$(echo "$l2" | grep -Eo '[a-z]+ [0-9.]+\+[0-9.]+' | cut -d' ' -f1 | sort | tr '\n' ' ')" \
	"assessment balance curriculum groups safety seats tasks teachers vocational " \
	"every mechanism once"
ok $(echo "$l2" | grep -Eq 'run [0-9.]+ s busy \(seats [0-9.]+\+|run [0-9.]+ s busy \([a-z]+ [0-9.+]+, seats ' && echo 0 || echo 1) \
	"seats (it writes) on the run's thread"
run eduhq eval balance --as-of 2025-09-30 --rules-as-of 2025-09-30 --timing --fresh
ok $(echo "$err" | sed -n 2p | grep -Eq '^timing: threads 1; run [0-9.]+ s busy \(balance [0-9.]+\+[0-9.]+\)$' && echo 0 || echo 1) \
	"one mechanism: one thread ($(echo "$err" | sed -n 2p))"
done_testing
