#!/bin/sh
# t3151-forecast-intervals.sh: `forecast backtest` scores the coverage of the method's own
# prediction intervals per lead (a hand-computed case), and bounds its input: scattered years
# and mostly-empty files are refused with a clear error instead of filling memory.
. "$(dirname "$0")/lib.sh"

# Two areas, one grade, no births, 2010-2024; Y = 2 x X up to 2023. The levels grow by
# exp(d) a year, d(2014..2023) = .01 x (-5 -4 -3 -2 -1 1 2 3 4 5), so "last" errs at lead 1 by
# ln(forecast / actual) = -d: at the origin 2023 the ten back-test origins give the errors
# -.05 .. .05 (each twice). Quantiles (type 7 of the 20): q.10 -.041, q.90 .041, q.025 -.05,
# q.975 .05; one error per area and origin, all of the spread between origins, widened by
# t(9)/z: 80 %: .041 x 1.383/1.2816 = .04425; 95 %: .05 x 2.262/1.96 = .0577.
# 2024: X grows by d = .03 (inside both), Y by .05 (outside the 80 %, inside the 95 %):
# coverage 50 % and 100 %.
awk 'BEGIN {
	print "area,year,grade,students"
	split("-5 -4 -3 -2 -1 1 2 3 4 5", d, " ")
	x = 100
	for (y = 2010; y <= 2024; y++) {
		if (y >= 2014 && y <= 2023) x *= exp(d[y - 2013] / 100)
		if (y < 2024) { printf "X,%d,1,%.6f\nY,%d,1,%.6f\n", y, x, y, 2 * x }
		else { printf "X,%d,1,%.6f\nY,%d,1,%.6f\n", y, x * exp(.03), y, 2 * x * exp(.05) }
	}
}' >"$T/e.csv"
run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2023-2023 --horizon 1 \
	--estimator last --format json
is "$rc" 0 "backtest exits 0"
is "$(echo "$out" | grep -o '"coverage_80":[0-9.]*,"coverage_95":[0-9.]*')" \
	'"coverage_80":50.0000,"coverage_95":100.0000' "coverage of the 80 % and 95 % intervals"
run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2023-2023 --horizon 1 --estimator last
# errors exp(-.03) - 1 = -2.955 %, exp(-.05) - 1 = -4.877 %: MAPE 3.92, MALPE -3.92
is "$(echo "$out" | sed -n 3p)" \
	"area_total    1       2    3.92   -3.92    3.92    4.88   50.0  100.0" \
	"the table has cov80 and cov95"
# with too little history for a back-test there is no interval and no coverage
run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2012-2012 --horizon 1 \
	--estimator last --format json
is "$(echo "$out" | grep -c coverage)" 0 "no back-test origin before 2012: no coverage"
run eduhq forecast backtest --enrollment "$T/e.csv" --estimator last --bootstrap 200 --format json
ok $(echo "$out" | grep -q '"lead":1,[^}]*"mape_boot_5":[0-9.]*,"mape_boot_95":[0-9.]*' && echo 0 || echo 1) \
	"--bootstrap gives the spread of the MAPE over areas"

# gaps of two years are a series; an origin scored only at lead 3 (found by the fuzzer: the
# per-origin metrics of a lead without errors read a null array, UBSan failed)
printf 'area,year,grade,students\nA,2017,K,10\nA,2020,K,0\nA,2023,K,1000\n' >"$T/gaps.csv"
run eduhq forecast backtest --enrollment "$T/gaps.csv" --format json
is "$rc:$(echo "$out" | grep -o '"origins":.*')" \
	'0:"origins":[{"origin":2020,"mape":[null,null,99.6000],"median_ape":[null,null,99.6000],"chose":"pool:0.6:1"}]}' \
	"an origin scored at lead 3 only (levels 10 then 0: SES 0.6 gives 4, actual 1000)"

# scattered years: 20,000 areas, years 1900 and 2200 (issue 9: 71 s and 1.2 GB before)
awk 'BEGIN { print "area,year,grade,students"
	for (i = 0; i < 20000; i++) printf "a%05d,%d,1,%d\n", i, i % 2 ? 1900 : 2200, 100 + i % 7 }' \
	>"$T/far.csv"
run eduhq forecast backtest --enrollment "$T/far.csv"
is "$rc:$err" "1:eduhq: $T/far.csv: no rows for the 299 years 1901-2199: a back-test needs a yearly series (gaps of at most 2 years)" \
	"years far apart are refused"
# a mostly-empty matrix: each area in one year of a century
awk 'BEGIN { print "area,year,grade,students"
	for (i = 0; i < 20000; i++) printf "a%05d,%d,1,%d\n", i, 1900 + i % 100, 100 }' >"$T/sparse.csv"
run eduhq forecast backtest --enrollment "$T/sparse.csv"
is "$rc:$err" "1:eduhq: $T/sparse.csv: 20000 rows for 20000 areas x 100 years x 1 grades: too sparse to back-test (most areas lack most years)" \
	"a mostly-empty file is refused"
done_testing
