#!/bin/sh
# t3100-forecast-backtest.sh: `eduhq forecast backtest` (SPEC §5.3): a hand-computed tiny case,
# input errors, and the measured goals on the real data of ../shared/data/real (skipped when
# that folder is absent).
. "$(dirname "$0")/lib.sh"

cat >"$T/e.csv" <<'CSV'
area,year,grade,students
X,2020,1,100
X,2020,2,90
X,2021,1,110
X,2021,2,95
X,2022,1,120
X,2022,2,99
X,2023,1,100
X,2023,2,108
CSV
# By hand, estimator "last", no births (grade 1 keeps its last level):
# origin 2021: g1 110; g2 ratio .95 -> 2022: 110 (actual 120, -8.333%), 104.5 (99, +5.556%),
#   total 214.5 vs 219 (-2.055%); 2023: 110 (100, +10%), .95 x 110 = 104.5 (108, -3.241%),
#   total 214.5 vs 208 (+3.125%).
# origin 2022: g1 120 (100, +20%); g2 ratio .9 x 120 = 108 (108, 0); total 228 vs 208 (+9.615%).
run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2021-2022 --horizon 2 \
	--estimator last --format json
is "$rc" 0 "backtest exits 0"
is "$out" '{"estimator":"last","levels":[{"level":"area_total","leads":[{"lead":1,"n":2,"mape":5.8351,"malpe":3.7803,"median_ape":5.8351,"p90_ape":9.6154},{"lead":2,"n":1,"mape":3.1250,"malpe":3.1250,"median_ape":3.1250,"p90_ape":3.1250}]},{"level":"area_grade","leads":[{"lead":1,"n":4,"mape":8.4722,"malpe":4.3056,"median_ape":6.9444,"p90_ape":20.0000},{"lead":2,"n":2,"mape":6.6204,"malpe":3.3796,"median_ape":6.6204,"p90_ape":10.0000}]}],"origins":[{"origin":2021,"mape":[2.0548,3.1250],"median_ape":[2.0548,3.1250]},{"origin":2022,"mape":[9.6154,null],"median_ape":[9.6154,null]}]}' \
	"hand-computed metrics per lead, area totals and cells, and per origin"

run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2022-2022 --horizon 1 --estimator last
is "$(echo "$out" | sed -n 3p)" "area_total    1       1    9.62    9.62    9.62    9.62" \
	"table format"

# births drive grade 1: births 2014..2016 = 200, 220, 240 -> entry ratios .5 .5 .5 (2020-22);
# 2023 grade 1 = .5 x births 2017 (observed? no: births after the origin 2022 are not, but
# 2017 <= 2022 is) = .5 x 200 = 100: exact; grade 2 = .9 x 120 = 108: exact.
cat >"$T/b.csv" <<'CSV'
area,year,births
X,2014,200
X,2015,220
X,2016,240
X,2017,200
CSV
run eduhq forecast backtest --enrollment "$T/e.csv" --births "$T/b.csv" --origins 2022-2022 \
	--horizon 1 --estimator last --format json
is "$out" '{"estimator":"last","levels":[{"level":"area_total","leads":[{"lead":1,"n":1,"mape":0.0000,"malpe":0.0000,"median_ape":0.0000,"p90_ape":0.0000}]},{"level":"area_grade","leads":[{"lead":1,"n":2,"mape":0.0000,"malpe":0.0000,"median_ape":0.0000,"p90_ape":0.0000}]}],"origins":[{"origin":2022,"mape":[0.0000],"median_ape":[0.0000]}]}' \
	"births feed grade 1 six years later"

printf 'area,year,grade\nX,2020,1\n' >"$T/bad1.csv"
run eduhq forecast backtest --enrollment "$T/bad1.csv"
is "$rc:$err" "1:eduhq: $T/bad1.csv:1: missing column 'students'" "missing column"
printf 'area,year,grade,students\nX,2020,13,5\n' >"$T/bad2.csv"
run eduhq forecast backtest --enrollment "$T/bad2.csv"
is "$rc:$err" "1:eduhq: $T/bad2.csv:2: column grade: invalid grade '13' (K or 1-12)" "bad grade"
printf 'area,year,grade,students\nX,2020,1,5\nX,2020,1,6\n' >"$T/bad3.csv"
run eduhq forecast backtest --enrollment "$T/bad3.csv"
is "$rc:$err" "1:eduhq: $T/bad3.csv: duplicate row for area 'X', year 2020, grade 1" "duplicate"
run eduhq forecast backtest --enrollment "$T/e.csv" --estimator median
is "$rc" 2 "unknown estimator exits 2"
is "$(echo "$err" | head -1)" "eduhq: unknown estimator 'median' (last, mean:K, wiche, ses:ALPHA, trend:K:PHI, holt:ALPHA:BETA:PHI, combo, pool, pool:ALPHA:W, auto, auto:N, auto:area, A+B mixes; suffix /g: levels by growth)" \
	"unknown estimator is named"
run eduhq forecast backtest --enrollment "$T/e.csv" --origins 2023-2023
is "$rc:$err" "2:eduhq: origins 2023-2023: need years of history before and actual years after each origin (data: 2020-2023)" \
	"an origin without actuals after it"
run eduhq forecast backtest
is "$rc" 2 "--enrollment is required"

# --- the real data: measured goals ------------------------------------------------------
REAL="$SHARED/data/real"
if [ ! -f "$REAL/wiche_2016_public_enrollment_by_grade.csv" ]; then
	_n=$((_n + 1)); echo "ok $_n # skip real data not found at $REAL"
	done_testing
	exit
fi
"$TOP/bench/real-data.sh" "$REAL" "$T/real"
mape() { # mape LEVEL LEAD < json
	grep -o "\"$1\",\"leads\":\[[^]]*" | grep -o "{\"lead\":$2,[^}]*" |
		sed 's/.*"mape":\([-0-9.]*\).*/\1/'
}
# WICHE's own 8th-edition forecast from fall 2010, state totals, scored on the same states
published() { # published LEAD
	awk -F, -v y=$((2010 + $1)) 'FNR == 1 { f++; next }
		f == 1 && $2 == y { A[$1] += $4 } f == 2 && $2 == y { F[$1] += $4 }
		END { for (s in F) { e = 100 * (F[s] - A[s]) / A[s]; t += e < 0 ? -e : e; n++ }
		      printf "%.4f", t / n }' "$T/real/wiche-enrol.csv" "$T/real/wiche8-forecast.csv"
}
json=$(eduhq forecast backtest --enrollment "$T/real/wiche-enrol.csv" \
	--births "$T/real/wiche-births.csv" --origins 2010-2010 --horizon 3 --format json)
for l in 1 2 3; do
	ours=$(echo "$json" | mape area_total $l)
	pub=$(published $l)
	ok $(awk -v a="$ours" -v b="$pub" 'BEGIN { exit !(a < b) }'; echo $?) \
		"WICHE states, lead $l: default $ours% < published $pub%"
done
# leads 7 and 8 need births after the origin (grade 1 at lead 7, grades 1-2 at lead 8):
# 26 + 2 x 26 cells, labelled
json=$(eduhq forecast backtest --enrollment "$T/real/wiche-enrol.csv" \
	--births "$T/real/wiche-births.csv" --origins 2005-2005 --horizon 8 --format json)
is "$(echo "$json" | grep -o '"births_scenario":"mid","scenario_cells":[0-9]*')" \
	'"births_scenario":"mid","scenario_cells":78' "unobserved births: the scenario is labelled"
json=$(eduhq forecast backtest --enrollment "$T/real/nyc-district.csv" --origins 2016-2018 \
	--format json)
plain=$(eduhq forecast backtest --enrollment "$T/real/nyc-district.csv" --origins 2016-2018 \
	--estimator mean:3 --format json)
for l in 1 2 3; do
	a=$(echo "$json" | mape area_total $l)
	b=$(echo "$plain" | mape area_total $l)
	ok $(awk -v a="$a" -v b="$b" 'BEGIN { exit !(a < b) }'; echo $?) \
		"NYC districts, lead $l: default $a% < plain 3-year mean $b%"
done
done_testing
