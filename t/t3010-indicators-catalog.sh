#!/bin/sh
# t3010-indicators-catalog.sh: the indicator catalog: docs/indicators.md is current, the
# formats, and every indicator a run stores is in the catalog.
. "$(dirname "$0")/lib.sh"

run eduhq indicators --catalog --format md
is "$rc" 0 "catalog as markdown"
printf '%s\n' "$out" >"$T/indicators.md"
ok $(cmp -s "$T/indicators.md" "$TOP/docs/indicators.md" && echo 0 || echo 1) \
	"docs/indicators.md is current (regenerate with 'make docs')"

run eduhq indicators --catalog --format csv
is "$(echo "$out" | head -1)" "code,mechanism,name_zh,name_en,unit,level,formula,rule" "catalog csv header"
is "$(echo "$out" | grep '^BAL.CV.L5,' | cut -d, -f1-6)" \
	"BAL.CV.L5,balance,生均体育运动场馆面积校际差异系数,CV of sports area per pupil,ratio,county" \
	"a catalog row has code, names, unit and level"
ok $(echo "$out" | grep '^BAL.CV.L5,' | grep -q ',"balance.cv_max, balance.method"$' && echo 0 || echo 1) \
	"and the rules its threshold and method are read from"

run eduhq indicators --catalog --format json
printf '%s' "$out" >"$T/cat.json"
is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/cat.json')), json_array_length(readfile('$T/cat.json')) > 20")" \
	"1|1" "catalog json"

run eduhq indicators --catalog
is "$(echo "$out" | grep '^BAL.RETENTION ')" \
	"BAL.RETENTION    county          ratio            初中三年巩固率 junior three-year retention rate" \
	"catalog table"

run eduhq indicators --format md
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --format md is for --catalog only" "md only for the catalog"

# every indicator code a balance run stores is in the catalog
eduhq init >/dev/null
sqlite3 "$EDUHQ_DB" "INSERT INTO area VALUES ('330100','c','city',NULL,'',NULL),
	('330102','d','county','330100','district',NULL);
	INSERT INTO school (code, name, area_code, type, urban_rural) VALUES
	('3301020001','a','330102','nine_year','111'), ('3301020002','b','330102','primary','111');
	INSERT INTO grade_return (school_code, year, grade, classes, pupils) VALUES
	('3301020001',2022,7,1,40), ('3301020001',2024,1,1,40), ('3301020001',2024,9,1,38),
	('3301020002',2024,1,1,30);" || echo "Bail out! fixture"
eduhq eval balance >/dev/null
codes=$(rsql "SELECT DISTINCT indicator FROM result ORDER BY 1")
catalog=$(eduhq indicators --catalog --format csv | cut -d, -f1)
missing=
for c in $codes; do
	echo "$catalog" | grep -qx "$c" || missing="$missing $c"
done
is "$missing" "" "every stored indicator code is in the catalog"
is "$(echo "$codes" | wc -l)" 23 "the balance run produces 23 indicator codes"

done_testing
