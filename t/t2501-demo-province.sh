#!/bin/sh
# t2501-demo-province.sh: `eduhq demo --scale province` writes a province-sized data set
# (about 100 counties, 20,000 schools, 1,000,000 teachers with postings, 10 school years) with
# the city's shapes, streamed. Files only: the import is measured by bench/demo.sh.
. "$(dirname "$0")/lib.sh"

run eduhq demo --scale province --out "$T/p" --no-import
is "$rc" 0 "province generation exits 0"
D="$T/p"
lines() { echo $(( $(wc -l <"$D/$1.csv") - 1 )); }
is "$(awk -F, 'NR>1 && $3=="county"{n[$5]++} END{print n["district"], n["zone"], n["county"]}' "$D/area.csv")" \
	"32 16 48" "96 counties in 16 cities: districts, high-tech zones, counties"
is "$(lines school)" 19312 "about 20,000 schools"
nt=$(lines teacher)
ok $([ "$nt" -ge 900000 ] && [ "$nt" -le 1100000 ] && echo 0 || echo 1) "about 1,000,000 teachers ($nt)"
is "$(awk -F, 'NR>1 && $4==""{n++} END{print n}' "$D/posting.csv")" "$nt" "one current posting per teacher"
is "$(awk -F, 'NR>1 && $5=="exchange" && $2=="2024-09-01"{n++} END{print n}' "$D/posting.csv")" 17280 \
	"120 exchanges per template-city share (120 x 9 x 16)"
is "$(awk -F, 'NR>1{y[$2]=1} END{n=0; for(k in y)n++; print n}' "$D/grade_return.csv")" 10 "10 school years of returns"
is "$(lines edu_group):$(lines enterprise):$(lines school_specialty)" "240:1920:960" \
	"15 groups, 120 enterprises and 60 specialties per city"
is "$(ls "$D" | wc -l | tr -d ' ')" 37 "one file per table"

done_testing
