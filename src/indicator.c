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
	"year's start (Y-09-01)."
#define SCHOOL_VERDICT " Verdict: pass when at least the standard (balance.school_standard " \
	"L<n>_<stage>), warn when below it but at least unmet_floor (balance.school_rule) of it, " \
	"fail below that; n.a. with the reason when the stage has no pupils or the facts are " \
	"missing."
#define CV_TEXT(n) "Enrolment-weighted coefficient of variation of BAL." n " over the county's " \
	"in-scope schools of the stage: with Pᵢ the stage pupils, X̄ = Σ(Pᵢ/P)·Xᵢ, " \
	"S = √(Σ(Pᵢ/P)·(Xᵢ−X̄)²), CV = S/X̄ (numerator S, denominator X̄). Pass when CV ≤ " \
	"balance.cv_max (primary 0.50, junior 0.45). Schools with n.a. values are left out and " \
	"listed. Fewer than two schools, or X̄ = 0: n.a. with the reason. A failing verdict's " \
	"evidence lists every school's value and the schools whose removal lowers the CV most."

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
	  "(sports_ground_area + indoor_sports_area) × stage share ÷ stage pupils." SPLIT_NOTE
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
	  "balance.cv_max" },
	{ "BAL.CV.L2", "balance", "骨干教师数校际差异系数", "CV of backbone teachers", "ratio",
	  "county", CV_TEXT("L2"), "balance.cv_max" },
	{ "BAL.CV.L3", "balance", "体育艺术专任教师数校际差异系数",
	  "CV of PE and arts teachers", "ratio", "county", CV_TEXT("L3"), "balance.cv_max" },
	{ "BAL.CV.L4", "balance", "生均教学及辅助用房面积校际差异系数",
	  "CV of teaching floor area per pupil", "ratio", "county", CV_TEXT("L4"),
	  "balance.cv_max" },
	{ "BAL.CV.L5", "balance", "生均体育运动场馆面积校际差异系数",
	  "CV of sports area per pupil", "ratio", "county", CV_TEXT("L5"), "balance.cv_max" },
	{ "BAL.CV.L6", "balance", "生均教学仪器设备值校际差异系数",
	  "CV of equipment value per pupil", "ratio", "county", CV_TEXT("L6"), "balance.cv_max" },
	{ "BAL.CV.L7", "balance", "网络多媒体教室数校际差异系数",
	  "CV of multimedia classrooms", "ratio", "county", CV_TEXT("L7"), "balance.cv_max" },
	{ "BAL.SCHOOLS", "balance", "学校达标率", "share of schools meeting the standards",
	  "ratio", "county",
	  "In-scope schools of the stage passing BAL.SCHOOL ÷ in-scope schools with a verdict. "
	  "Pass when every such school passes; the failing schools are listed.",
	  "balance.school_rule" },
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
	  "(numerator the count). Class sections are used when recorded, else each grade's "
	  "pupils spread evenly over its classes. Threshold = the size limit. Fail when any "
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
	  "county's in-scope schools with a junior stage. Pass at or above retention min (0.95); "
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
