#!/bin/sh
# t1402-fingerprint-facts.sh: the data fingerprint of a run follows every kind of fact the
# faster loaders read: a grade return's pupils in a past year (the seats history, which is
# fingerprinted as its sums), a school moved to another area (the school list the returns are
# merged with), a posting's school, a class section, births, a hazard; changed back, the first
# fingerprint comes back. One mechanism's run and the whole run agree on what changes.
. "$(dirname "$0")/lib.sh"

eduhq demo --out "$T/csv" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
fp() { eduhq eval "$@" --as-of 2025-09-30 --rules-as-of 2025-09-30 --format json | jq -r .run.data_fingerprint; }
all0=$(fp)
seats0=$(fp seats)
changed() { # changed LABEL MECHANISM SQL-CHANGE SQL-UNDO
	sqlite3 "$EDUHQ_DB" "$3"
	a=$(fp)
	m=$(fp "$2")
	ok $([ "$a" != "$all0" ] && echo 0 || echo 1) "a changed $1 changes the run's fingerprint"
	if [ "$2" = seats ]; then
		ok $([ "$m" != "$seats0" ] && echo 0 || echo 1) "... and that of a seats run"
	fi
	sqlite3 "$EDUHQ_DB" "$4"
	is "$(fp)" "$all0" "the $1 changed back gives the first fingerprint"
}
y=$(sqlite3 "$EDUHQ_DB" "SELECT min(year) FROM grade_return")
changed "past grade return ($y)" seats \
	"UPDATE grade_return SET pupils = pupils + 1 WHERE year = $y AND grade = 1 AND school_code = (SELECT min(school_code) FROM grade_return WHERE year = $y AND grade = 1)" \
	"UPDATE grade_return SET pupils = pupils - 1 WHERE year = $y AND grade = 1 AND school_code = (SELECT min(school_code) FROM grade_return WHERE year = $y AND grade = 1)"
sc=3905220001
a0=$(sqlite3 "$EDUHQ_DB" "SELECT area_code FROM school WHERE code = '$sc'")
a1=$(sqlite3 "$EDUHQ_DB" "SELECT min(code) FROM area WHERE level = 'town' AND code NOT LIKE '390522%'")
changed "school's area" seats "UPDATE school SET area_code = '$a1' WHERE code = '$sc'" \
	"UPDATE school SET area_code = '$a0' WHERE code = '$sc'"
p=$(sqlite3 "$EDUHQ_DB" "SELECT teacher_code || '|' || start_date || '|' || school_code FROM posting ORDER BY teacher_code LIMIT 1")
changed "posting's school" teachers \
	"UPDATE posting SET school_code = '3905020001' WHERE teacher_code = '${p%%|*}' AND start_date = '$(echo "$p" | cut -d'|' -f2)'" \
	"UPDATE posting SET school_code = '${p##*|}' WHERE teacher_code = '${p%%|*}' AND start_date = '$(echo "$p" | cut -d'|' -f2)'"
changed "class section" balance \
	"UPDATE class_section SET pupils = pupils + 1 WHERE (school_code, year, grade, section) IN (SELECT school_code, year, grade, section FROM class_section ORDER BY school_code DESC LIMIT 1)" \
	"UPDATE class_section SET pupils = pupils - 1 WHERE (school_code, year, grade, section) IN (SELECT school_code, year, grade, section FROM class_section ORDER BY school_code DESC LIMIT 1)"
changed "births row" seats \
	"UPDATE births SET births = births + 1 WHERE (area_code, year) IN (SELECT area_code, year FROM births ORDER BY area_code, year LIMIT 1)" \
	"UPDATE births SET births = births - 1 WHERE (area_code, year) IN (SELECT area_code, year FROM births ORDER BY area_code, year LIMIT 1)"
changed "hazard's state" safety \
	"UPDATE hazard SET measures = coalesce(measures, '') || 'x' WHERE code = (SELECT min(code) FROM hazard)" \
	"UPDATE hazard SET measures = substr(measures, 1, length(measures) - 1) WHERE code = (SELECT min(code) FROM hazard)"
done_testing
