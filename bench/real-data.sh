#!/bin/sh
# bench/real-data.sh: convert the third-party files of ../shared/data/real into the
# back-test input of SPEC §5.3 (long format `area,year,grade,students` and `area,year,births`).
# The source files are only read, never edited.
#
# usage: bench/real-data.sh REAL_DIR OUT_DIR
# writes: wiche-enrol.csv (26 states, grades 1-12, actual years only), wiche-births.csv,
#         nyc-district.csv (districts 01-32, K-12), nyc-school.csv (schools of districts
#         01-32, K-12), wiche8-forecast.csv (WICHE 8th edition projections, fall >= 2011).
set -eu
REAL=$1
OUT=$2
mkdir -p "$OUT"

awk -F, 'NR == 1 { next } $5 == "A" {
	for (g = 1; g <= 12; g++) print $1 "," $3 "," g "," $(5 + g)
}' "$REAL/wiche_2016_public_enrollment_by_grade.csv" |
	{ echo "area,year,grade,students"; cat; } >"$OUT/wiche-enrol.csv"

awk -F, 'NR == 1 { next } { print $1 "," $2 "," $4 }' "$REAL/wiche_2016_births_by_state.csv" |
	{ echo "area,year,births"; cat; } >"$OUT/wiche-births.csv"

awk -F, 'NR == 1 { next } $4 == "P" {
	for (g = 1; g <= 12; g++) print $1 "," $2 "," g "," $(4 + g)
}' "$REAL/wiche_2012_8th_edition_public_enrollment_by_grade.csv" |
	{ echo "area,year,grade,students"; cat; } >"$OUT/wiche8-forecast.csv"

# district,start_year,school_year,n_schools,total_enrollment,pk,k,g1..g12 (cols 7..19)
awk -F, 'NR == 1 { next } $1 >= "01" && $1 <= "32" {
	print $1 "," $2 ",K," $7
	for (g = 1; g <= 12; g++) print $1 "," $2 "," g "," $(7 + g)
}' "$REAL/nyc_district_grade_enrollment.csv" |
	{ echo "area,year,grade,students"; cat; } >"$OUT/nyc-district.csv"

# The school file has quoted names with commas: take the fields from the end.
# ...,start_year,total_enrollment,pk,k,g1..g12,source: source is the last field, g12 NF-1,
# k NF-13, start_year NF-16.
awk -F, 'NR == 1 { next } substr($1, 1, 2) >= "01" && substr($1, 1, 2) <= "32" {
	y = $(NF - 16)
	print $1 "," y ",K," ($(NF - 13) == "" ? 0 : $(NF - 13))
	for (g = 1; g <= 12; g++) print $1 "," y "," g "," ($(NF - 13 + g) == "" ? 0 : $(NF - 13 + g))
}' "$REAL/nyc_school_grade_enrollment.csv" |
	{ echo "area,year,grade,students"; cat; } >"$OUT/nyc-school.csv"
