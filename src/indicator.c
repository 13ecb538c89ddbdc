/* indicator.c: the indicator catalog, one row per indicator code (see indicator.h), and its
 * Markdown rendering for docs/indicators.md. */
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "banned.h"

#define SPLIT_NOTE " For a combined school (nine-year, complete middle, twelve-year) the " \
	"school's count or asset is split between stages by enrolment weighted by the " \
	"balance.combined_split ratios (nine-year primary share = P/(P+1.1·J)); teacher counts " \
	"are split by the same share, since teachers are not registered by stage."
#define TEACHER_NOTE " Teachers counted are those whose posting is current at the school " \
	"year's start (Y-09-01), full-time (专任) teachers only unless balance.method " \
	"teacher_base is all."
#define SCHOOL_VERDICT " Verdict: pass when at least the standard (balance.school_standard " \
	"L<n>_<stage>), warn when below it but at least unmet_floor (balance.school_rule) of it, " \
	"fail below that; n.a. with the reason when the stage has no pupils or the facts are " \
	"missing."
#define CV_TEXT(n) "Enrolment-weighted coefficient of variation of BAL." n " over the county's " \
	"in-scope schools of the stage: with Pᵢ the stage pupils, X̄ = Σ(Pᵢ/P)·Xᵢ, " \
	"S = √(Σ(Pᵢ/P)·(Xᵢ−X̄)²), CV = S/X̄ (numerator S, denominator X̄). Pass when CV ≤ " \
	"balance.cv_max (primary 0.50, junior 0.45). A county-stage of one school has no " \
	"between-school variation: CV 0, pass (balance.method one_school pass; na makes it " \
	"n.a.). A school without a facility return makes the CV n.a., naming it (balance.method " \
	"missing_facility na; exclude leaves it out and counts it as left out). Fewer than two " \
	"schools with a value, or X̄ = 0: n.a. with the reason. A failing verdict's evidence " \
	"lists every school's value and the schools whose removal lowers the CV most. The county " \
	"of a school is the county above its area at any depth (a 12-digit area below a 9-digit " \
	"town belongs to the town's county)."

const struct indicator indicator_catalog[] = {
	{ "BAL.L1", "balance", "每百名学生拥有高于规定学历教师数",
	  "teachers above the required education per 100 pupils", "per 100 pupils", "school",
	  "Teachers above the required education (primary: associate degree 专科 or above; "
	  "junior: bachelor 本科 or above) × stage share ÷ stage pupils × 100." TEACHER_NOTE
	  SPLIT_NOTE SCHOOL_VERDICT, "balance.school_standard" },
	{ "BAL.L2", "balance", "每百名学生拥有县级及以上骨干教师数",
	  "county-level-or-above backbone teachers per 100 pupils", "per 100 pupils", "school",
	  "Teachers with backbone level county, city, province or national × stage share ÷ stage "
	  "pupils × 100." TEACHER_NOTE SPLIT_NOTE SCHOOL_VERDICT, "balance.school_standard" },
	{ "BAL.L3", "balance", "每百名学生拥有体育、艺术（音乐、美术）专任教师数",
	  "full-time PE, music and art teachers per 100 pupils", "per 100 pupils", "school",
	  "Full-time teachers of subject pe, music or art × stage share ÷ stage pupils × 100."
	  TEACHER_NOTE SPLIT_NOTE SCHOOL_VERDICT, "balance.school_standard" },
	{ "BAL.L4", "balance", "生均教学及辅助用房面积",
	  "teaching and auxiliary floor area per pupil", "m²/pupil", "school",
	  "(teaching_aux_area − indoor_sports_area) × stage share ÷ stage pupils, from the "
	  "school's facility return of the year." SPLIT_NOTE SCHOOL_VERDICT,
	  "balance.school_standard" },
	{ "BAL.L5", "balance", "生均体育运动场馆面积", "sports ground and gym area per pupil",
	  "m²/pupil", "school",
	  "(sports_ground_area + indoor_sports_area) × stage share ÷ stage pupils; "
	  "sports_ground_area is the outdoor ground only (体育运动场面积), the gym is in "
	  "indoor_sports_area." SPLIT_NOTE
	  SCHOOL_VERDICT, "balance.school_standard" },
	{ "BAL.L6", "balance", "生均教学仪器设备值", "teaching equipment value per pupil",
	  "yuan/pupil", "school",
	  "equipment_value × stage share ÷ stage pupils." SPLIT_NOTE SCHOOL_VERDICT,
	  "balance.school_standard" },
	{ "BAL.L7", "balance", "每百名学生拥有网络多媒体教室数",
	  "networked multimedia classrooms per 100 pupils", "per 100 pupils", "school",
	  "multimedia_rooms × stage share ÷ stage pupils × 100." SPLIT_NOTE SCHOOL_VERDICT,
	  "balance.school_standard" },
	{ "BAL.SCHOOL", "balance", "学校达标（7项指标）", "school meets the resource standards",
	  "indicators met", "school",
	  "Number of L1–L7 at or above the standard (value = numerator), of 7 (denominator). "
	  "Pass when at least min_met (6) are met and every unmet one reaches unmet_floor (85%) "
	  "of its standard; fail otherwise; n.a. when an indicator is n.a. (reason given) or the "
	  "school is out of scope: special-education and vocational schools, and teaching "
	  "points with fewer than teaching_point_min_pupils (50) pupils (balance.scope). Only "
	  "schools with a grade return for the year are evaluated (a missing return is an "
	  "`eduhq check` finding).",
	  "balance.school_rule, balance.scope" },
	{ "BAL.CV.L1", "balance", "高于规定学历教师数校际差异系数",
	  "CV of teachers above the required education", "ratio", "county", CV_TEXT("L1"),
	  "balance.cv_max, balance.method" },
	{ "BAL.CV.L2", "balance", "骨干教师数校际差异系数", "CV of backbone teachers", "ratio",
	  "county", CV_TEXT("L2"), "balance.cv_max, balance.method" },
	{ "BAL.CV.L3", "balance", "体育艺术专任教师数校际差异系数",
	  "CV of PE and arts teachers", "ratio", "county", CV_TEXT("L3"), "balance.cv_max, balance.method" },
	{ "BAL.CV.L4", "balance", "生均教学及辅助用房面积校际差异系数",
	  "CV of teaching floor area per pupil", "ratio", "county", CV_TEXT("L4"),
	  "balance.cv_max, balance.method" },
	{ "BAL.CV.L5", "balance", "生均体育运动场馆面积校际差异系数",
	  "CV of sports area per pupil", "ratio", "county", CV_TEXT("L5"), "balance.cv_max, balance.method" },
	{ "BAL.CV.L6", "balance", "生均教学仪器设备值校际差异系数",
	  "CV of equipment value per pupil", "ratio", "county", CV_TEXT("L6"), "balance.cv_max, balance.method" },
	{ "BAL.CV.L7", "balance", "网络多媒体教室数校际差异系数",
	  "CV of multimedia classrooms", "ratio", "county", CV_TEXT("L7"), "balance.cv_max, balance.method" },
	{ "BAL.SCHOOLS", "balance", "学校达标率", "share of schools meeting the standards",
	  "ratio", "county",
	  "In-scope schools of the stage passing BAL.SCHOOL ÷ in-scope schools with a verdict. "
	  "Pass when every such school passes; the failing schools are listed. A school without "
	  "a verdict (no facility return) makes it n.a., naming the school (balance.method "
	  "missing_facility na), unless another school fails; with exclude it is left out.",
	  "balance.school_rule, balance.method" },
	{ "BAL.COUNTY", "balance", "县域资源配置优质均衡", "county resource allocation verdict",
	  "verdict", "county",
	  "Overall county verdict for the stage: fail when any BAL.CV.L1–L7 fails or any "
	  "in-scope school fails BAL.SCHOOL; n.a. when none fails but a component is n.a.; "
	  "pass otherwise. Value = failing components (numerator) of 8 (denominator); the "
	  "evidence names the failing components.",
	  "balance.cv_max, balance.school_rule" },
	{ "BAL.CLASS.OVER", "balance", "超标准班额班级占比", "classes above the standard size",
	  "share of classes", "school, county",
	  "Classes of the stage above class_size primary_max (45) / junior_max (50) ÷ classes "
	  "(numerator the count). A grade's class sections are used when recorded; a grade "
	  "without sections (also in a school that records them for other grades) falls back to "
	  "its grade return, pupils spread evenly over its classes. Threshold = the size limit. "
	  "Fail when any "
	  "class is over. County rows sum the in-scope schools.",
	  "balance.class_size" },
	{ "BAL.CLASS.LARGE", "balance", "大班额班级占比", "large classes (大班额)",
	  "share of classes", "school, county",
	  "Classes with at least class_size large (56) pupils ÷ classes. Fail when any.",
	  "balance.class_size" },
	{ "BAL.CLASS.SUPER", "balance", "超大班额班级占比", "very large classes (超大班额)",
	  "share of classes", "school, county",
	  "Classes with at least class_size super_large (66) pupils ÷ classes. Fail when any.",
	  "balance.class_size" },
	{ "BAL.SIZE", "balance", "学校规模", "school size", "pupils", "school, county",
	  "School: pupils of the compulsory grades 1–9 against school_size max (2000; nine-year "
	  "and twelve-year schools nine_year_max 2500); fail above. County: schools over the cap ÷ in-scope "
	  "schools; fail when any.", "balance.school_size, balance.scope" },
	{ "BAL.RETENTION", "balance", "初中三年巩固率", "junior three-year retention rate",
	  "ratio", "county",
	  "Grade-9 pupils in year t ÷ (the same cohort's grade-7 pupils in t−2 + transfers in − "
	  "transfers out recorded for grade 7 in t−2, grade 8 in t−1 and grade 9 in t), over the "
	  "county's in-scope schools with a junior stage or a grade-7 cohort in t−2, also those "
	  "whose junior pupils are all gone (0 pupils or no return in t: the lost cohort counts, "
	  "it does not leave the denominator). Pass at or above retention min (0.95); "
	  "n.a. without grade-7 returns for t−2.", "balance.retention" },
	{ "BAL.BASIC2012", "balance", "基本均衡综合差异系数（2012）",
	  "2012 basic-balance composite CV", "ratio", "county",
	  "Mean of 8 enrolment-weighted CVs (the 2012 basic-balance method): teaching floor area "
	  "per pupil, sports area per pupil, equipment value per pupil, computers per 100 "
	  "pupils, books per pupil, teachers per 100 pupils, teachers above the required "
	  "education per 100 pupils, teachers titled first grade (一级, 中级) or above per 100 "
	  "pupils. Pass at or below basic_2012 (primary 0.65, junior 0.55); n.a. when any of "
	  "the 8 is n.a.", "balance.basic_2012" },
	{ "SEAT.GAP", "seats", "学位缺口", "seat gap (forecast pupils − seats)", "pupils",
	  "county",
	  "Per planning area (county), stage and forecast year: forecast pupils (numerator) − "
	  "seats (denominator) = classes × standard class size (45 primary, 50 junior/senior) or "
	  "declared seats, plus seats of projects completing after the origin from their "
	  "completion year. Never netted across areas. Fail when positive (shortage); warn when "
	  "the matching degree is below seats.assessment surplus_match_below; the evidence names "
	  "the births scenario when the cohort is born after the last observed births, gives "
	  "the 80 % and 95 % intervals of the forecast (seats.forecast interval_origins) and "
	  "calls a shortage certain only when the whole 95 % interval is above the seats, "
	  "possible when part of it is.",
	  "seats.class_size, seats.entry, seats.forecast, seats.assessment" },
	{ "SEAT.MATCH", "seats", "人口与教育资源匹配度", "matching degree (forecast ÷ seats)",
	  "ratio", "county",
	  "Forecast pupils ÷ seats per planning area, stage and year; threshold 1. Fail above 1, "
	  "warn below seats.assessment surplus_match_below (0.8), pass otherwise.",
	  "seats.class_size, seats.assessment" },
	{ "SEAT.PROPOSAL", "seats", "学位建设建议", "proposal for a shortage", "seats", "county",
	  "For each planning area × stage short in any forecast year: the largest shortage "
	  "(numerator) met by new schools of the standard sizes (seats.standard_school, e.g. "
	  "primary 24/36 classes) or, below half the smallest standard school, by expanding "
	  "existing schools by whole classes. Value = seats proposed; year = first year short.",
	  "seats.standard_school, seats.class_size" },
	{ "SEAT.SURPLUS", "seats", "学位持续富余（撤并候选）", "persistent surplus: merger candidates",
	  "seats", "county",
	  "Planning area × stage whose matching degree stays below seats.assessment "
	  "surplus_match_below (0.8) for at least surplus_years (3) consecutive forecast years: "
	  "value = spare seats in the last such year; the evidence lists the least-used schools "
	  "(pupils ÷ seats below the threshold) as merger candidates.", "seats.assessment" },
	{ "SEAT.VINTAGE.MAPE", "seats", "往期预测误差（MAPE）", "forecast vintage error by lead",
	  "percent", "city",
	  "For each stored forecast vintage, per lead time (year − origin): mean of |forecast − "
	  "actual| ÷ actual × 100 over county × stage cells with actuals (denominator the count), "
	  "as England's school-places scorecards; the evidence adds the share of actuals inside "
	  "the vintage's 80 % intervals (coverage_80).", "" },
	{ "SEAT.VINTAGE.BIAS", "seats", "往期预测偏差", "forecast vintage bias by lead", "percent",
	  "city",
	  "As SEAT.VINTAGE.MAPE with the signed error (forecast − actual) ÷ actual × 100: "
	  "positive = over-forecast.", "" },
	{ "TCH.TITLE.YEARS", "teachers", "任现职年限", "years in the current title",
	  "years", "teacher",
	  "For each title applicant of the year: (as-of day − date of the current title) ÷ "
	  "teachers.rural_service days_per_year (365), as of the school year's start (Y-09-01). "
	  "Threshold: teachers.title_years for the step (key TO_from_FROM, with an _master or "
	  "_doctor variant by education). Pass at or above; fail below, or without a title date "
	  "or a rule for the step; n.a. for a teacher at the top of the ladder.",
	  "teachers.title_years, teachers.title_ladder" },
	{ "TCH.RURAL", "teachers", "农村或薄弱学校任教年限", "rural service", "years", "teacher",
	  "Days (inclusive) at schools whose 城乡分类代码 is in rural_classes, as a union of the "
	  "postings (overlapping postings count once; an open posting runs to the as-of day), "
	  "plus days at designated weak schools that are not rural days ÷ weak_ratio (when "
	  "count_weak), ÷ days_per_year (numerator rural days, denominator weak days). Applies "
	  "to teachers whose home school (current appointment) is not rural, applying for "
	  "applies_to_title (高级). Pass at or above city_min_years (2); warn at or above "
	  "national_min_years (1) only (eligible nationally, not under the city rule); fail "
	  "below; n.a. when it does not apply.", "teachers.rural_service" },
	{ "TCH.ELIGIBLE", "teachers", "职称晋升资格", "eligible for the title applied for",
	  "verdict", "teacher",
	  "Pass (value 1) when every condition is met under the city rule: years in title "
	  "(TCH.TITLE.YEARS) and, where it applies, rural service (TCH.RURAL); warn when only "
	  "the city's rural-service minimum is unmet (eligible nationally only); fail otherwise. "
	  "The evidence lists every unmet condition and by how much (e.g. \"rural service 1.49 "
	  "of 2.0 years\"); `eduhq teachers eligibility` lists them.",
	  "teachers.title_years, teachers.rural_service" },
	{ "TCH.APPLICANTS", "teachers", "职称申报人员资格汇总", "title applicants eligible",
	  "ratio", "county, city",
	  "Applicants of the year eligible under the city rule ÷ applicants (by home school's "
	  "county, and the city). The evidence counts the eligible, those eligible nationally "
	  "only, and the not eligible; the city row lists the teachers who fail only the city "
	  "rule.", "teachers.rural_service" },
	{ "TCH.EXCH.SHARE", "teachers", "教师交流轮岗比例", "share of eligible teachers exchanged",
	  "ratio", "county, city",
	  "Teachers with an exchange posting starting in the school year (Y-09-01 to "
	  "Y+1-08-31), by the county of their home school (numerator) ÷ teachers who on Y-08-31 "
	  "had been at their home school without a break for at least eligible_years (6) × "
	  "days_per_year days (denominator). Pass at or above min_share (0.10); n.a. with no "
	  "eligible teacher.", "teachers.exchange" },
	{ "TCH.EXCH.BACKBONE", "teachers", "交流轮岗骨干教师比例", "backbone share of exchanges",
	  "ratio", "county, city",
	  "Backbone teachers (backbone_levels) among those exchanged ÷ the denominator "
	  "backbone_denominator names: exchanged (the teachers exchanged) or eligible_backbone "
	  "(backbone teachers eligible for exchange). Pass at or above backbone_share (0.20); "
	  "n.a. when the denominator is 0.", "teachers.exchange" },
	{ "TCH.EXCH.URBAN_RURAL", "teachers", "城镇教师到乡村学校交流人数",
	  "urban→rural exchanges", "teachers", "county, city",
	  "Teachers exchanged in the year whose home school is not rural and whose exchange "
	  "school is rural (denominator: all exchanged). Descriptive (n.a.).",
	  "teachers.exchange, teachers.rural_service" },
	{ "TCH.ACT.SEND", "teachers", "送教下乡次数", "送教下乡 activities", "activities", "city",
	  "Activities of kind send_teaching in the year; numerator the distinct schools they "
	  "covered; participations in the evidence. Descriptive.", "" },
	{ "TCH.ACT.ONLINE", "teachers", "网络教研次数", "网络教研 activities", "activities", "city",
	  "Activities of kind online_research in the year; numerator the distinct schools they "
	  "covered. Descriptive.", "" },
	{ "TCH.ACT.SCHOOLS", "teachers", "送教下乡与网络教研覆盖学校数",
	  "schools covered by 送教下乡 and 网络教研", "schools", "city",
	  "Distinct schools covered by send_teaching or online_research activities in the year "
	  "(each kind in the evidence). Descriptive.", "" },
	{ "TCH.ACT.RURAL", "teachers", "乡村教师参与率", "rural teachers' participation",
	  "ratio", "city",
	  "Rural teachers named as participants (activity_teacher) of the year's send_teaching, "
	  "online_research or research activities (numerator) ÷ teachers whose home school on "
	  "Y-09-01 is rural (denominator); pass at or above activities.targets "
	  "rural_participation (0.95), fail below. When no participant is named for the year, "
	  "the rural person-times of those activities ÷ rural teachers, capped at 1, is only an "
	  "upper bound of that share: fail when the bound is below the target (certainly "
	  "missed), n.a. otherwise (cannot be confirmed).", "activities.targets" },
	{ "GRP.COVERAGE", "groups", "集团化办学覆盖率", "education-group coverage", "ratio",
	  "county, city",
	  "Schools of the denominator (groups.coverage denominator: public_compulsory by "
	  "default — public primary, junior, nine-year, complete-middle and twelve-year "
	  "schools) that are members of a group in school year Y (joined_year ≤ Y and no "
	  "left_year or left_year > Y, i.e. as of Y-09-01) ÷ the schools of the denominator. "
	  "The denominator's name is in the evidence with the members outside it. Descriptive.",
	  "groups.coverage" },
	{ "GRP.MEMBERS", "groups", "集团成员校", "group members", "schools", "group",
	  "Members of the group in school year Y (numerator: rural members, by groups.coverage "
	  "rural_classes). The evidence names the lead school, each member (rural or urban, "
	  "pupils of the year, year joined), the urban/rural mix, pupils and exchanges inside "
	  "the group.", "groups.coverage" },
	{ "GRP.EXCH", "groups", "集团内教师交流人数", "exchanges inside the group", "teachers",
	  "group",
	  "Exchange postings starting in school year Y whose home school (the teacher's latest "
	  "non-exchange posting before it) and exchange school are members of the same group.",
	  "" },
	{ "GRP.EXCELLENT", "groups", "成员校优秀率", "member school excellent rate", "ratio",
	  "school",
	  "Candidates at or above the city's excellent cut-off ÷ candidates of the outcome exam "
	  "(groups.outcome exam, 中考), per member school and year up to Y.", "groups.outcome" },
	{ "GRP.CHANGE", "groups", "入集团以来优秀率变化", "change since joining", "ratio",
	  "school",
	  "A member's 优秀率 in Y (numerator) − its rate in the latest year with results at or "
	  "before joining (denominator); when it has no result that early, the earliest year "
	  "with results (flagged base_after_joining).", "groups.outcome" },
	{ "GRP.RURAL.EXCELLENT", "groups", "集团内农村成员校优秀率", "rural members' excellent rate",
	  "ratio", "city",
	  "Pooled 优秀率 (Σ excellent ÷ Σ candidates) per year of the rural schools that are "
	  "group members in Y.", "groups.outcome, groups.coverage" },
	{ "GRP.CONTROL.EXCELLENT", "groups", "集团外农村学校优秀率",
	  "excellent rate of rural schools outside groups", "ratio", "city",
	  "Pooled 优秀率 per year of rural schools that were in no group in any year from "
	  "Y − base_lag to Y (the comparison schools).", "groups.outcome, groups.coverage" },
	{ "GRP.DID", "groups", "集团化办学效果（双重差分）",
	  "group effect on rural members (difference in differences)", "ratio", "city",
	  "(rural members' pooled rate in Y − in Y − base_lag) − (comparison schools' pooled "
	  "rate in Y − in Y − base_lag), over schools with results in both years (numerator and "
	  "denominator: the two changes). Interval: percentile bootstrap over schools "
	  "(bootstrap_reps resamples of each side, fixed bootstrap_seed) at interval_level. "
	  "Pass when the interval is above 0, fail when below; n.a. with the plain statement "
	  "when it includes 0 (the data cannot tell the effect apart from the change outside "
	  "groups) or when either side has fewer than min_schools schools.", "groups.outcome" },
	{ "VOC.EMP", "vocational", "就业率", "employment rate", "ratio", "specialty",
	  "Per school specialty (unit id SCHOOL:VERSION:CODE) open in the year: (employed + "
	  "further study) (numerator) ÷ graduates (denominator) of the year's return. Fail "
	  "below vocational.employment min_rate (60%), compared as an exact fraction (30 of "
	  "50 is not below); n.a. without graduates. The staged decision is VOC.REVIEW.",
	  "vocational.employment" },
	{ "VOC.TRADE", "vocational", "对口就业率", "employment in the trade", "ratio",
	  "specialty",
	  "Graduates employed in the trade of the specialty ÷ graduates directly employed "
	  "(further study not counted). A figure without a threshold: verdict n.a.", "" },
	{ "VOC.SATISF", "vocational", "企业满意度", "employer satisfaction", "ratio",
	  "specialty",
	  "Satisfied ÷ surveyed partner employers, the sample size as denominator. Warn when "
	  "fewer than vocational.satisfaction min_sample employers were surveyed (threshold), "
	  "pass otherwise; n.a. when none was surveyed.", "vocational.satisfaction" },
	{ "VOC.REVIEW", "vocational", "专业动态调整（年度评议）", "annual specialty review",
	  "years in run", "specialty",
	  "The staged rule vocational.employment: per year its condition (employment_below: "
	  "就业率 below min_rate; peer_bottom: fewer than bottom_share of the peer set with a "
	  "strictly lower rate, ties sharing one verdict; enrolment_below: enrolled below "
	  "min_enrolled) holds, does not hold, or cannot be decided (no graduates; no return). "
	  "The run counts consecutive years the condition holds; an undecided year is skipped "
	  "or ends the run (no_graduates skip|break). Value = numerator = run at the year, "
	  "denominator = run_years, threshold = the condition's threshold. When the condition "
	  "holds in the year: fail with the action (停招 stop_enrolment or 撤销 close) when the "
	  "run reaches run_years, else warn (预警, first_action warn); pass when it does not "
	  "hold; n.a. when the year is undecided. The evidence lists every year from the first "
	  "return with its figures, state and run, and an explanation.",
	  "vocational.employment" },
	{ "VOC.SITES", "vocational", "专业布点数", "sites per catalogue code", "share of schools",
	  "specialty",
	  "Per city and catalogue code (unit id CITY:VERSION:CODE): schools running the "
	  "specialty in the year (numerator) ÷ the city's schools with specialties "
	  "(denominator). Above vocational.sites max_share: fail when a site opened this year, "
	  "warn otherwise (no new site allowed); pass at or below.", "vocational.sites" },
	{ "VOC.MATCH", "vocational", "专业与产业匹配率", "specialty-industry match rate",
	  "ratio", "city",
	  "Specialties open in the year mapped (specialty_industry) to at least one key "
	  "industry (industry.is_key = 1) ÷ all open specialties of the city. Pass at or above "
	  "vocational.match target (85%), exact; the evidence lists the unmatched specialties.",
	  "vocational.match" },
	{ "VOC.MATCH.W", "vocational", "专业与产业匹配率（按招生人数加权）",
	  "enrolment-weighted match rate", "ratio", "city",
	  "As VOC.MATCH with each specialty weighted by its enrolment of the year: enrolment of "
	  "matched specialties ÷ enrolment of all.", "vocational.match" },
	{ "VOC.OPENED", "vocational", "新增专业数", "specialties opened", "specialties", "city",
	  "School specialties whose opened_year is the row's year (every year up to the "
	  "evaluated one with an opening, and the evaluated year); the evidence lists them.",
	  "" },
	{ "VOC.CLOSED", "vocational", "撤销专业数", "specialties closed", "specialties", "city",
	  "School specialties whose closed_year is the row's year, as VOC.OPENED.", "" },
	{ "VOC.COOP.ENT", "vocational", "合作企业数", "partner enterprises", "enterprises",
	  "school, city",
	  "Distinct enterprises with a cooperation running in the year (start_year ≤ Y ≤ "
	  "end_year or open), counted by 统一社会信用代码 with a valid GB 32100 check "
	  "character; invalid codes are listed in the evidence, not counted.", "" },
	{ "VOC.COOP.ORDER", "vocational", "订单班学生数", "order-class students", "students",
	  "school, city",
	  "Students of order classes (订单式) running in the year; numerator = the classes.",
	  "" },
	{ "VOC.COOP.APPR", "vocational", "现代学徒制学生数", "apprenticeship places",
	  "students", "school, city",
	  "Students in modern apprenticeships (现代学徒制) running in the year; numerator = the "
	  "cooperations.", "" },
	{ "VOC.BASE.N", "vocational", "实训基地数", "training bases", "bases", "school, city",
	  "Training bases opened by the year (or without an opening year).", "" },
	{ "VOC.BASE.INVEST", "vocational", "实训基地投资", "training base investment", "yuan",
	  "school, city", "Investment of the bases of VOC.BASE.N; denominator = the bases.", "" },
	{ "VOC.BASE.EQUIP", "vocational", "实训基地设备值", "training base equipment value",
	  "yuan", "school, city",
	  "Equipment value of the bases of VOC.BASE.N; denominator = the bases.", "" },
	{ "VOC.BASE.CAP", "vocational", "实训基地容量", "training base capacity", "students",
	  "school, city", "Student capacity of the bases of VOC.BASE.N.", "" },
	{ "VOC.INTERNS", "vocational", "顶岗实习学生数", "interns", "students", "school, city",
	  "Interns placed with partner enterprises in the year.", "" },
	{ "VOC.TRAINING", "vocational", "企业职工培训人次", "employee training",
	  "person-times", "school, city",
	  "Employee-training person-times delivered to enterprises in the year.", "" },
	{ "VOC.EMP.COOP", "vocational", "合作专业就业率", "employment rate, cooperating "
	  "specialties", "ratio", "school, city",
	  "(employed + further study) ÷ graduates of the year, summed over specialties served "
	  "by a cooperation running in the year (cooperation.specialty_code).", "" },
	{ "VOC.EMP.OTHER", "vocational", "非合作专业就业率", "employment rate, other "
	  "specialties", "ratio", "school, city",
	  "As VOC.EMP.COOP over the specialties no running cooperation serves.", "" },
	/* ---- assessment, curriculum, safety, tasks (issue 13) ---- */
	{ "ASSESS.SCHEME", "assessment", "考核方案校验", "assessment scheme validation", "share",
	  "scheme",
	  "Every assessment scheme of the year, active or draft, is validated before use: the "
	  "children of each item weigh as much as the item, the top-level items sum to "
	  "weight_total (100), and the items tagged 思政 (not counting an item whose ancestor is "
	  "tagged) weigh at least sizheng_min_weight (15%) of the total; sums within "
	  "weight_tolerance points count as equal. Value = 思政 share (numerator the 思政 weight, "
	  "denominator the total). Fail with every problem listed in the evidence (a failing "
	  "scheme cannot be used: no scores are computed); pass otherwise.",
	  "assessment.scheme" },
	{ "ASSESS.TOTAL", "assessment", "学校考核总分", "weighted total score", "points of 100",
	  "school",
	  "For each active, valid scheme of the year: Σ over leaf items (items without children) "
	  "of weight × score ÷ 100, the scores 0–100 per item and school. Scores given to items "
	  "with children are ignored (counted in ASSESS.SCHEME's evidence). A school without a "
	  "score for every leaf is n.a. with the missing items listed. No verdict (n.a.): a "
	  "score, with its ranks in the evidence.", "assessment.scheme" },
	{ "ASSESS.SIZHENG", "assessment", "思政分项得分", "思政 sub-score", "score of 100",
	  "school",
	  "Σ weight × score ÷ 100 over the leaf items that are 思政 (tagged, or under a tagged "
	  "item) (numerator) ÷ their weight (denominator) × 100.", "assessment.scheme" },
	{ "ASSESS.RANK.COUNTY", "assessment", "县域内排名", "rank in the county", "rank",
	  "school",
	  "Rank of ASSESS.TOTAL among the county's schools scored under the same scheme, "
	  "highest first; equal totals share a rank and the next rank is skipped (1, 2, 2, 4). "
	  "Denominator = schools ranked.", "assessment.scheme" },
	{ "ASSESS.RANK.CITY", "assessment", "全市排名", "rank in the city", "rank", "school",
	  "As ASSESS.RANK.COUNTY among the city's schools.", "assessment.scheme" },
	{ "ASSESS.COUNTY", "assessment", "县域考核平均分", "county mean total", "points of 100",
	  "county",
	  "Mean ASSESS.TOTAL of the county's ranked schools; numerator = the county's rank among "
	  "the counties of its city (highest mean first), denominator = counties ranked.",
	  "assessment.scheme" },
	{ "CUR.ETHNIC", "curriculum", "铸牢中华民族共同体意识课时", "ethnic-unity class hours a week",
	  "hours/week", "school",
	  "Weekly class hours of 铸牢中华民族共同体意识 (course ethnic_unity) in the school's "
	  "curriculum return of the year (0 when the course is absent). Pass at or above "
	  "ethnic_unity_min_per_week (1), fail below; n.a. for a compulsory school without a "
	  "curriculum return.", "curriculum.hours" },
	{ "CUR.ETHNIC.COUNTY", "curriculum", "铸牢中华民族共同体意识课时不足学校数",
	  "schools below the ethnic-unity hours", "schools", "county",
	  "Schools of the county with a return below ethnic_unity_min_per_week (numerator) ÷ "
	  "schools with a return (denominator). Fail when any; the evidence lists each with its "
	  "hours.", "curriculum.hours" },
	{ "CUR.ML.SHARE", "curriculum", "道德与法治课时占比", "道德与法治 share of class hours",
	  "share", "school",
	  "道德与法治 (course morality_law) weekly hours (numerator) ÷ total weekly class hours "
	  "(denominator). The band morality_law_min_share–max_share (6–8%) is about the nine "
	  "years' hours, so it is the verdict only for schools teaching both stages (nine-year, "
	  "twelve-year); a primary-only or junior-only school gets n.a. and is judged in "
	  "CUR.ML.COUNTY. n.a. when the total hours are unknown.", "curriculum.hours" },
	{ "CUR.ML.COUNTY", "curriculum", "道德与法治九年课时占比（县域）",
	  "county nine-year 道德与法治 share", "share", "county",
	  "(primary_years × mean 道德与法治 hours of the county's schools teaching primary + "
	  "junior_years × the same for junior) ÷ (the same with total hours); years 6 and 3. "
	  "Pass within morality_law_min_share–max_share; n.a. without schools of both stages.",
	  "curriculum.hours" },
	{ "SAFE.OPEN", "safety", "未销号隐患", "open hazards", "hazards", "school, county",
	  "Hazards found on or before the evaluation date (eval --as-of, default today) and not "
	  "closed (销号); numerator the major ones (重大隐患). The evidence counts them by "
	  "category and by severity (major, general). No verdict.", "" },
	{ "SAFE.OVERDUE", "safety", "超期未整改隐患", "overdue hazards", "hazards",
	  "school, county",
	  "Hazards with a deadline before the evaluation date that are neither accepted (验收) "
	  "nor closed; on the deadline day itself a hazard is not overdue. Denominator = open "
	  "hazards. Fail when any; the evidence lists them (up to 50) with days overdue.", "" },
	{ "SAFE.RECTIFY", "safety", "隐患整改率", "rectification rate", "ratio", "school, county",
	  "Hazards accepted or closed (numerator) ÷ hazards registered, i.e. past the found "
	  "state (denominator), of those found by the evaluation date. No verdict.", "" },
	{ "SAFE.CLOSE.DAYS", "safety", "隐患平均销号天数", "mean days to close", "days",
	  "school, county",
	  "Mean of closed_date − found_date over closed hazards (numerator the sum of days, "
	  "denominator the count). No verdict.", "" },
	{ "SAFE.MAJOR.ITEMS", "safety", "重大隐患五落实", "major hazard's five items", "items",
	  "hazard",
	  "For each major hazard assigned, rectifying or accepted: the items of "
	  "safety.major_hazard required (measures, responsible, funds, deadline, contingency "
	  "plan: 五落实) that are missing (value; numerator those present, denominator those "
	  "required). Fail when any is missing (`eduhq hazard assign` refuses it; an imported "
	  "ledger can still hold one).", "safety.major_hazard" },
	{ "SAFE.BUILDING.D", "safety", "D级危房在用", "D-grade buildings in use", "buildings",
	  "school, county",
	  "Buildings of safety.building critical_grade (D, 整栋危房) still in use (numerator) of "
	  "the school's (county's) buildings (denominator). Fail when any: a critical finding.",
	  "safety.building" },
	{ "TASK.PROGRESS", "tasks", "重点任务进度", "plan task progress", "share", "task",
	  "Progress share = (value − baseline) ÷ (target − baseline) at the evaluation date "
	  "(eval --as-of, default today); value (numerator) = the latest progress entry on or "
	  "before the date, or, for a task with a formula, the registry's figure (schools_opened: "
	  "new-school projects done by the date's year; nine_year_opened: those of nine-year "
	  "schools; expansions_done: expansion projects done; seats_added: seats of projects "
	  "done; hazards_closed_pct: hazards closed ÷ hazards found × 100; within the task's "
	  "area_code when set), or, for a task with children, baseline + the mean of the "
	  "children's shares × (target − baseline). Expected share = the straight line from 0 at "
	  "the start to 1 at the deadline; threshold = expected − tolerance. Met when the share "
	  "reaches 1 (pass); overdue (fail) after the deadline when not met; lagging (warn) when "
	  "expected − share exceeds tasks.lag tolerance (exactly at it is not lagging); pass "
	  "otherwise.", "tasks.lag" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct indicator *indicator_find(const char *code)
{
	for (const struct indicator *i = indicator_catalog; i->code; i++)
		if (!strcmp(i->code, code))
			return i;
	return NULL;
}

void indicator_catalog_md(struct buf *out)
{
	buf_adds(out, "# Indicator catalog\n\n"
		 "Generated by `eduhq indicators --catalog --format md` from the catalog in "
		 "src/indicator.c; do not edit by hand (`make docs` regenerates it).\n\n"
		 "Every result row of an evaluation run names one of these codes. Thresholds are "
		 "read from the rule table (`eduhq rules show CODE`).\n\n"
		 "| code | 名称 | name | unit | level | rule |\n"
		 "|---|---|---|---|---|---|\n");
	for (const struct indicator *i = indicator_catalog; i->code; i++) {
		buf_addf(out, "| %s | ", i->code);
		buf_add_md_cell(out, i->name_zh);
		buf_adds(out, " | ");
		buf_add_md_cell(out, i->name_en);
		buf_adds(out, " | ");
		buf_add_md_cell(out, i->unit);
		buf_adds(out, " | ");
		buf_add_md_cell(out, i->level);
		buf_adds(out, " | ");
		buf_add_md_cell(out, i->rule);
		buf_adds(out, " |\n");
	}
	buf_adds(out, "\n## Formulas\n");
	for (const struct indicator *i = indicator_catalog; i->code; i++)
		buf_addf(out, "\n### %s — %s (%s)\n\n%s\n", i->code, i->name_zh, i->name_en,
			 i->formula);
}
