#!/bin/sh
# t1110-rules-ranges.sh: every rule parameter has a kind and range in its rule's definition
# (src/rules.c builtin[]); `rules set` refuses a value outside it and changes nothing, and
# a version stored by hand with such a value is refused when an engine reads it. Before,
# `rules set balance.cv_max primary=-1` was stored and broke the next eval, and
# `rules set seats.entry entry_age=2147483648` overflowed the forecast.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null
q() { sqlite3 "$EDUHQ_DB" "$1"; }
before=$(db_dump)

refused() { # refused ARGS EXPECTED-ERROR NAME
	run eduhq rules set $1
	is "$rc:$err" "1:eduhq: $2" "$3"
}
refused "balance.cv_max primary=-1" \
	"rule 'balance.cv_max' parameter 'primary' expects a number from 0.01 to 5, not '-1'" "a negative CV bound"
refused "seats.entry entry_age=2147483648" \
	"rule 'seats.entry' parameter 'entry_age' expects an integer from 3 to 10, not '2147483648'" "an entry age of 2^31"
refused "seats.entry entry_age=6.5" \
	"rule 'seats.entry' parameter 'entry_age' expects an integer from 3 to 10, not '6.5'" "a fractional integer"
refused "seats.entry entry_age=99999999999999999999999" \
	"rule 'seats.entry' parameter 'entry_age' expects an integer from 3 to 10, not '999999*************9999'" \
	"beyond int64 (the long digit run is masked as an ID number would be)"
refused "balance.school_rule min_met=8" \
	"rule 'balance.school_rule' parameter 'min_met' expects an integer from 0 to 7, not '8'" "more than the 7 indicators"
refused "balance.scope exclude_special=2" \
	"rule 'balance.scope' parameter 'exclude_special' expects an integer from 0 to 1, not '2'" "a 0/1 switch"
refused "balance.retention min=1e999" \
	"rule 'balance.retention' parameter 'min' expects a number from 0 to 1, not '1e999'" "an infinite number"
refused "groups.outcome exam=mock" \
	"rule 'groups.outcome' parameter 'exam' expects one of zhongkao, gaokao, quality, not 'mock'" "a choice"
refused "teachers.rural_service rural_classes=210,999" \
	"rule 'teachers.rural_service' parameter 'rural_classes' expects a comma-separated list of 111, 112, 121, 122, 123, 210, 220, not '210,999'" \
	"a list of choices"
refused "seats.standard_school primary=24,0" \
	"rule 'seats.standard_school' parameter 'primary' expects 1 to 3 comma-separated integers from 1 to 200, not '24,0'" \
	"a list of integers"
refused "seats.forecast wiche_weights=0.4,0.15,0.15,0.15,0.15,0.1" \
	"rule 'seats.forecast' parameter 'wiche_weights' expects 1 to 5 comma-separated numbers from 0 to 1, not '0.4,0.15,0.15,0.15,0.15,0.1'" \
	"too many weights"
refused "vocational.catalog version=" \
	"rule 'vocational.catalog' parameter 'version' expects a text, not ''" "an empty text"
refused "balance.cv_max primary=0.4 junior=9" \
	"rule 'balance.cv_max' parameter 'junior' expects a number from 0.01 to 5, not '9'" \
	"one bad value of two refuses both"
is "$(db_dump)" "$before" "refused sets change nothing"

# values inside the ranges are stored as before
run eduhq rules set seats.entry entry_age=7
is "$rc" 0 "entry age 7"
run eduhq rules set check.missing_return exclude_types=
is "$rc" 0 "an empty list"
run eduhq rules set teachers.rural_service rural_classes=210,220,123 applies_to_title=first
is "$(q "SELECT params FROM rule_version WHERE code = 'teachers.rural_service' AND version = 2")" \
	'{"national_min_years":1,"city_min_years":2,"rural_classes":"210,220,123","count_weak":1,"weak_ratio":3,"applies_to_title":"first","days_per_year":365}' \
	"lists and choices are stored as text"

# a version stored by hand with a value outside its range: refused when read
q "INSERT INTO rule_version(code, version, effective_date, params, source_doc, clause, tag, note, created_by)
   SELECT code, 2, effective_date, '{\"primary\":-1,\"junior\":0.45}', source_doc, clause, tag, note, 'sql'
   FROM rule_version WHERE code = 'balance.cv_max'"
run eduhq eval balance --year 2024
is "$rc:$err" "1:eduhq: balance: rule 'balance.cv_max' version 2 parameter 'primary' expects a number from 0.01 to 5, not -1" \
	"eval refuses a stored out-of-range value, naming the version"

# the ranges are documented
is "$(grep '^| `seats.entry`' "$TOP/docs/rules.md" | cut -d'|' -f8)" \
	' `entry_age`=6 (an integer from 3 to 10) ' "docs/rules.md gives each parameter's range"
done_testing
