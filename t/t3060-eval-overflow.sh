#!/bin/sh
# t3060-eval-overflow.sh: huge counts neither crash nor overflow the engines. A grade return
# with 10^13 pupils (the dictionary allowed any integer >= 0) made `eduhq eval` segfault in
# the seat proposal sizing (a double converted to int); import now refuses counts beyond a
# sane bound, and the engine caps its sizing for values stored some other way. Also: a
# balance year without returns (bsearch on NULL), and an entry age of 2^31 stored by hand.
. "$(dirname "$0")/lib.sh"

run eduhq demo --out "$T/demo" --quiet
is "$rc" 0 "demo city imported"
q() { rsql "$1"; }
cp "$EDUHQ_DB" "$T/base.db"
before=$(db_dump)

printf 'school_code,year,grade,classes,pupils\n3905020001,2024,1,6,10000000000000\n3905020001,2024,2,1001,100001\n' >"$T/big.csv"
run eduhq import grade_return "$T/big.csv"
is "$rc:$err" "1:$T/big.csv:2: column pupils: '10000000000000': must be between 0 and 100000
$T/big.csv:3: column classes: '1001': must be between 0 and 1000
$T/big.csv:3: column pupils: '100001': must be between 0 and 100000
eduhq: 3 errors in '$T/big.csv'; nothing imported" "import refuses counts beyond their bound"
is "$(db_dump)" "$before" "... and changes nothing"
printf 'school_code,year,grade,classes,pupils\n3905020001,2024,1,1000,100000\n' >"$T/edge.csv"
run eduhq import grade_return "$T/edge.csv"
is "$rc" 0 "the bounds themselves are accepted"
cp "$T/base.db" "$EDUHQ_DB"

# stored some other way (an older eduhq, SQL): eval must not crash (it was exit 139)
q "UPDATE grade_return SET pupils = 10000000000000 WHERE school_code = '3905020001' AND year = 2024 AND grade = 1"
run eduhq eval
is "$rc" 0 "eval with 10^13 pupils in a grade does not crash"
is "$(q "SELECT max(json_array_length(evidence, '\$.schools')) FROM result WHERE indicator = 'SEAT.PROPOSAL'")" 16 \
	"the proposal is capped at 16 new schools"
q "UPDATE grade_return SET pupils = 9223372036854775807 WHERE school_code = '3905020001' AND year = 2024 AND grade = 1"
run eduhq eval
is "$rc:$err" "1:eduhq: seats: loading grade_return: integer overflow summing the pupils of 390502 in 2024 grade 1" \
	"INT64_MAX pupils: the enrolment sum overflows; an error, not a crash"
cp "$T/base.db" "$EDUHQ_DB"

# `eduhq check` sums boys and girls stored near INT_MAX without overflowing (UBSan)
q "UPDATE grade_return SET boys = 2000000000, girls = 2000000000 WHERE school_code = '3905020001' AND year = 2024 AND grade = 1"
run eduhq check
is "$(echo "$out" | grep -c 'boys 2000000000 + girls 2000000000 = 4000000000, not the')" 1 \
	"check: boys + girls near INT_MAX"
cp "$T/base.db" "$EDUHQ_DB"

# a year without grade returns: no school to look up (bsearch was given NULL, UBSan)
run eduhq eval balance --year 2010
is "$rc:$(echo "$out" | grep '^balance:')" "0:balance: 0 results: 0 pass, 0 warn, 0 fail, 0 n.a." \
	"eval balance for a year without returns"

# an entry age of 2^31 stored by hand (rules set refuses it, t1110): refused when read
q "INSERT INTO rule_version(code, version, effective_date, params, source_doc, clause, tag, note, created_by)
   SELECT code, 2, effective_date, '{\"entry_age\":2147483648}', source_doc, clause, tag, note, 'sql'
   FROM rule_version WHERE code = 'seats.entry'"
run eduhq forecast
is "$rc:$err" "1:eduhq: rule 'seats.entry' version 2 parameter 'entry_age' expects an integer from 3 to 10, not 2147483648" \
	"forecast refuses a stored entry age of 2^31"
run eduhq eval seats
is "$rc:$err" "1:eduhq: seats: rule 'seats.entry' version 2 parameter 'entry_age' expects an integer from 3 to 10, not 2147483648" \
	"... and so does eval seats"
done_testing
