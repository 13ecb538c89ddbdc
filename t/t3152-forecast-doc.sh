#!/bin/sh
# t3152-forecast-doc.sh: docs/forecast-accuracy.md is current: its last line is the stamp of
# what it is measured from (scripts/forecast-doc-stamp.sh: the engine and back-test sources,
# the rule seats.forecast, the scripts, the real data), so a change to any of them without
# `make docs` fails here, without spending the half minute of regenerating it.
. "$(dirname "$0")/lib.sh"

REAL="$SHARED/data/real"
if [ ! -f "$REAL/wiche_2016_public_enrollment_by_grade.csv" ]; then
	_n=$((_n + 1)); echo "ok $_n # skip real data not found at $REAL"
	done_testing
	exit
fi
stamp=$("$TOP/scripts/forecast-doc-stamp.sh" "$REAL")
is "$(tail -1 "$TOP/docs/forecast-accuracy.md")" "<!-- inputs: $stamp -->" \
	"docs/forecast-accuracy.md is current (run make docs)"
# the default the document measures is the rule's
rm -f "$EDUHQ_DB"
eduhq init >/dev/null
default=$(eduhq rules show seats.forecast | sed -n 's/^  estimator=//p')
ok $(grep -q "^## Goals (issue 14), for the default \`$default\`" "$TOP/docs/forecast-accuracy.md" &&
	echo 0 || echo 1) "the document measures the rule's default ($default)"
done_testing
