#!/bin/sh
# t2005-dictionary.sh: docs/data-dictionary.md is what scripts/gen-docs.sh generates from the
# column registry (regenerate it with `make docs` after changing src/table.c).
. "$(dirname "$0")/lib.sh"

EDUHQ_SKIP_FORECAST_DOC=1 "$TOP/scripts/gen-docs.sh" "$EDUHQ" "$T/docs" >/dev/null
is "$?" 0 "gen-docs.sh runs"
run diff -u "$TOP/docs/data-dictionary.md" "$T/docs/data-dictionary.md"
is "$rc" 0 "docs/data-dictionary.md is up to date"
[ "$rc" = 0 ] || echo "$out" | head -20 | sed 's/^/# /'

run eduhq export --dictionary
is "$(echo "$out" | grep -c '^## ')" 37 "the dictionary has all 37 tables"
is "$(echo "$out" | grep '^| `code` | 学校标识码 |')" \
	'| `code` | 学校标识码 | text | key | 10 digits |  | 10-digit school identification code |' \
	"school code: Chinese label, type, key, format"
is "$(echo "$out" | grep '^| `school_code` |' | head -1 | cut -d'|' -f3,7)" " 学校标识码 | school.code " \
	"foreign keys are listed"
ok $(echo "$out" | grep -q '`primary`=小学' && echo 0 || echo 1) "enumerations show their Chinese meaning"
ok $(echo "$out" | grep -q 'voc_catalog(version, code)' && echo 0 || echo 1) "composite foreign keys are listed"

done_testing
