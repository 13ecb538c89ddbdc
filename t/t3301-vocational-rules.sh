#!/bin/sh
# t3301-vocational-rules.sh: the staged specialty review on a hand-made city, under the
# city rule and its variants as rule versions: below/below closes, below/above/below warns,
# below/no-graduates/below closes when such years are skipped and warns when they break the
# run, exactly 60.0% is not below; 停招 instead of 撤销; the Fujian peer-bottom variant with a
# tie; the Guizhou enrolment variant; matching by count and enrolment; bad parameters and
# bad input named exactly.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null || exit 1
run eduhq vocational review
is "$rc:$err" "1:eduhq: no specialty returns in the database; import specialty_year first or pass --year" \
	"review without returns is a data error"

cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
CSV
cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020101,江东职校,330102,vocational,111
3301020102,江东二职,330102,vocational,111
CSV
cat >"$T/voc_catalog.csv" <<'CSV'
version,code,name,category
2021,480102,纺织技术与服务,轻工纺织大类
2021,480201,服装设计与工艺,轻工纺织大类
2021,540101,旅游管理,旅游大类
2021,540301,烹饪工艺与营养,旅游大类
2021,460101,机械设计与制造,装备制造大类
CSV
cat >"$T/school_specialty.csv" <<'CSV'
school_code,catalog_version,specialty_code,opened_year
3301020101,2021,480102,2015
3301020101,2021,480201,2015
3301020101,2021,540101,2015
3301020102,2021,540301,2015
3301020102,2021,460101,2015
CSV
# S1 480102: 80%, 50% (below), 55% (below)       -> close
# S2 480201: 50% (below), 70%, 50% (below)       -> warn
# S3 540101: 50% (below), no graduates, 50%      -> close (skipped) / warn (break)
# S4 540301: 80%, exactly 60%, exactly 60%       -> pass
# S5 460101: 90% every year; enrolment 60, 40, 45 -> pass; Guizhou variant: close
cat >"$T/specialty_year.csv" <<'CSV'
school_code,catalog_version,specialty_code,year,enrolled,graduates,employed,further_study,in_trade,surveyed,satisfied
3301020101,2021,480102,2022,60,50,30,10,20,8,7
3301020101,2021,480102,2023,60,50,20,5,15,8,6
3301020101,2021,480102,2024,60,40,18,4,10,4,3
3301020101,2021,480201,2022,60,50,20,5,15,8,7
3301020101,2021,480201,2023,60,50,30,5,15,8,6
3301020101,2021,480201,2024,60,50,20,5,10,8,3
3301020101,2021,540101,2022,60,50,20,5,15,8,7
3301020101,2021,540101,2023,60,0,0,0,0,0,0
3301020101,2021,540101,2024,60,50,20,5,10,8,3
3301020102,2021,540301,2022,60,50,30,10,15,8,7
3301020102,2021,540301,2023,60,50,25,5,15,8,6
3301020102,2021,540301,2024,60,50,24,6,10,8,3
3301020102,2021,460101,2022,60,50,40,5,30,8,7
3301020102,2021,460101,2023,40,50,40,5,30,8,6
3301020102,2021,460101,2024,45,50,40,5,30,8,8
CSV
cat >"$T/industry.csv" <<'CSV'
code,name,is_key
IND01,高端装备制造,1
IND02,纺织服装,0
CSV
cat >"$T/specialty_industry.csv" <<'CSV'
catalog_version,specialty_code,industry_code
2021,460101,IND01
2021,480102,IND02
CSV
import_or_bail "$T" area school voc_catalog school_specialty specialty_year industry specialty_industry

# decisions of the latest run: "CODE:VERDICT:RUN ..." in code order
q() { rsql "$1"; }
decisions() {
	q "SELECT group_concat(x, ' ') FROM (SELECT substr(unit_id, 17) || ':' || verdict || ':' || CAST(value AS INTEGER) AS x
		FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator = 'VOC.REVIEW' ORDER BY substr(unit_id, 17))"
}
eval_voc() { eduhq eval vocational --year 2024 >/dev/null 2>"$T/eval.err" || cat "$T/eval.err" >&2; }

eval_voc
is "$(decisions)" "460101:pass:0 480102:fail:2 480201:warn:1 540101:fail:2 540301:pass:0" \
	"city rule: below/below closes, below/above/below warns, a year without graduates is skipped, exactly 60% passes"
is "$(q "SELECT json_extract(evidence, '\$.explanation') FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator = 'VOC.REVIEW' AND unit_id LIKE '%540101'")" \
	"2022: rate 25/50 = 50.0% below 60% (run 1); 2023: no graduates, skipped (run 1); 2024: rate 25/50 = 50.0% below 60% (run 2); 撤销 (close)" \
	"the verdict explains the run year by year"
is "$(q "SELECT verdict || ' ' || value FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator = 'VOC.EMP' AND unit_id LIKE '%540301'")" \
	"pass 0.6" "exactly 60.0% is not below"
is "$(q "SELECT printf('%d/%d %s', numerator, denominator, verdict) FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator IN ('VOC.MATCH', 'VOC.MATCH.W') ORDER BY indicator")" \
	"1/5 fail
45/285 fail" "match 1 of 5 specialties (a non-key industry does not count), 45 of 285 enrolled"

eduhq rules set vocational.employment no_graduates=break >/dev/null
eval_voc
is "$(decisions)" "460101:pass:0 480102:fail:2 480201:warn:1 540101:warn:1 540301:pass:0" \
	"no_graduates=break: the year without graduates ends the run"
is "$(q "SELECT json_extract(evidence, '\$.explanation') FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator = 'VOC.REVIEW' AND unit_id LIKE '%540101'")" \
	"2022: rate 25/50 = 50.0% below 60% (run 1); 2023: no graduates, run ends; 2024: rate 25/50 = 50.0% below 60% (run 1); 预警 (warn)" \
	"and the explanation says so"
is "$(q "SELECT rule_versions FROM eval_run WHERE id = (SELECT max(id) FROM eval_run)")" \
	'{"vocational.employment":2,"vocational.match":1,"vocational.satisfaction":1,"vocational.sites":1}' \
	"the run records the rule version it used"

eduhq rules set vocational.employment no_graduates=skip action=stop_enrolment >/dev/null
eval_voc
is "$(decisions)" "460101:pass:0 480102:fail:2 480201:warn:1 540101:fail:2 540301:pass:0" "action=stop_enrolment"
run eduhq vocational review --year 2024
is "$(echo "$out" | grep '^  撤销 close: \|^  停招 stop_enrolment: \|^  预警 warn: ' | tr '\n' '|')" \
	"  撤销 close: 0|  停招 stop_enrolment: 2|  预警 warn: 1|" "the review lists them to stop enrolling (停招)"

# Fujian: bottom 25% of all specialties (min 2 peers). 2022: S2 and S3 tie lowest (50%):
# both in; 2023: S1 lowest; 2024: S2 and S3 tie lowest again, S1 (55%) has two lower.
eduhq rules set vocational.employment condition=peer_bottom bottom_share=0.25 peer_set=all \
	min_peers=2 action=close --source '福建省专业动态调整 (variant)' >/dev/null
eval_voc
is "$(decisions)" "460101:pass:0 480102:pass:0 480201:warn:1 540101:fail:2 540301:pass:0" \
	"peer_bottom: tied specialties share the bottom; a run through a year without graduates closes"
is "$(q "SELECT json_extract(evidence, '\$.years[2].peers') || ' ' || json_extract(evidence, '\$.years[2].peers_lower') FROM result WHERE run_id = (SELECT max(id) FROM eval_run) AND indicator = 'VOC.REVIEW' AND unit_id LIKE '%480102'")" \
	"5 2" "the evidence gives the peers and how many are lower"

# Guizhou: enrolment below 50 two years running
eduhq rules set vocational.employment condition=enrolment_below min_enrolled=50 >/dev/null
eval_voc
is "$(decisions)" "460101:fail:2 480102:pass:0 480201:pass:0 540101:pass:0 540301:pass:0" \
	"enrolment_below: only the specialty with 40 and 45 enrolled closes"

# bad parameters are named
run eduhq rules set vocational.employment condition=sometimes
is "$rc:$err" "1:eduhq: rule 'vocational.employment' parameter 'condition' expects one of employment_below, peer_bottom, enrolment_below, not 'sometimes'" \
	"an unknown condition is refused when set, naming the rule and the value"
run eduhq rules set vocational.employment condition=employment_below run_years=0
if [ "$rc" = 0 ]; then
	run eduhq eval vocational --year 2024
	is "$rc:$err" "1:eduhq: vocational: rule 'vocational.employment' parameter 'run_years' must be between 1 and 10, not 0" \
		"a run length of 0 is refused by the engine"
else
	ok $(echo "$err" | grep -q "run_years" && echo 0 || echo 1) "a run length of 0 is refused when set"
fi

# cooperation names the specialty it serves: both columns or neither
cat >"$T/enterprise.csv" <<'CSV'
credit_code,name
91330100MA27XK9G3H,江东纺织有限公司
CSV
cat >"$T/cooperation.csv" <<'CSV'
school_code,credit_code,kind,start_year,students,catalog_version,specialty_code
3301020101,91330100MA27XK9G3H,order_class,2023,30,,480102
CSV
if eduhq import enterprise "$T/enterprise.csv" >/dev/null 2>"$T/ent.err"; then
	run eduhq import cooperation "$T/cooperation.csv"
	is "$rc:$err" "1:$T/cooperation.csv:2: column catalog_version: catalog_version and specialty_code go together
eduhq: 1 error in '$T/cooperation.csv'; nothing imported" \
		"a specialty without its catalogue version is refused"
	printf '3301020101,91330100MA27XK9G3H,order_class,2023,30,2021,480103\n' >>"$T/cooperation.csv"
	sed -i '2d' "$T/cooperation.csv"
	run eduhq import cooperation "$T/cooperation.csv"
	is "$rc:$err" "1:$T/cooperation.csv:2: column specialty_code: ('3301020101', '2021', '480103') not found in school_specialty(school_code, catalog_version, specialty_code)
eduhq: 1 error in '$T/cooperation.csv'; nothing imported" \
		"a specialty the school does not run is refused"
else
	cat "$T/ent.err" >&2
	ok 1 "enterprise fixture imports"
fi

done_testing
