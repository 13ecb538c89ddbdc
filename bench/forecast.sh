#!/bin/sh
# bench/forecast.sh: time the forecast engine on synthetic province-sized input (excluding
# loading): 100 counties and 1,000 towns x 12 grades, 10 years ahead, for the default method
# (rule seats.forecast: choosing and intervals included) and fixed estimators. Goal: under
# 0.5 s for 10 years ahead.
# usage: [PROVINCE_DB=path] bench/forecast.sh [BUILD_DIR]   (BUILD_DIR: default build)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$TOP/build}
make -C "$TOP" -s BUILD="$B" "$B/bench/forecast_bench" >/dev/null
for n in 100 1000; do
	"$B/bench/forecast_bench" $n
	for est in auto:2 combo ses:0.4 mean:3; do
		"$B/bench/forecast_bench" $n $est
	done
done
# End to end on the province demo (`eduhq demo --scale province`), when given: the engine
# time is the "engine" figure; "load" is the SQL loading.
if [ -n "${PROVINCE_DB:-}" ]; then
	"$B/eduhq" --db "$PROVINCE_DB" eval seats --timing | grep '^timing'
fi
