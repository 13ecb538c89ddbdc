#!/bin/sh
# forecast-doc-stamp.sh: print the stamp of what docs/forecast-accuracy.md is measured from:
# the SHA-256 of the forecast engine and back-test sources, the rule seats.forecast, the
# generator and converter scripts, and the real data files. gen-forecast-doc.sh writes it as
# the document's last line; t3152 recomputes it to tell a stale document (run `make docs`).
# usage: scripts/forecast-doc-stamp.sh REAL_DIR
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
REAL=${1:?usage: scripts/forecast-doc-stamp.sh REAL_DIR}
cd "$TOP"
{
	cat src/eng_forecast.h src/eng_forecast.c src/eng_forecast_auto.c src/eng_forecast_int.h \
		src/backtest.h src/backtest.c src/fc_method.c src/cmd/forecast.c \
		scripts/gen-forecast-doc.sh bench/real-data.sh
	sed -n '/{ "seats.forecast"/,/},$/p' src/rules.c
	for f in wiche_2016_public_enrollment_by_grade.csv wiche_2016_births_by_state.csv \
		wiche_2012_8th_edition_public_enrollment_by_grade.csv \
		nyc_district_grade_enrollment.csv nyc_school_grade_enrollment.csv; do
		cat "$REAL/$f"
	done
} | sha256sum | cut -d' ' -f1
