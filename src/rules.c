/* rules.c: the built-in rule table (every national default and city parameter of SPEC §2,
 * with its source document, clause, tag and effective date) and access to rule versions.
 *
 * builtin[] is the one declarative table: rules_seed() stores it as version 1 of each rule,
 * `eduhq rules --format md` turns it into docs/rules.md. Engines read parameters only
 * through a rule_set (rules_load + rules_num/rules_str). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* The kind and allowed range of one parameter, declared with its rule: `rules set` refuses
 * a value outside it, and rules_num/rules_str refuse a stored one (a version written by
 * hand or by an older eduhq), so an engine never sees an out-of-range threshold. */
enum param_kind {
	PK_NUM,   /* a number in [min, max] */
	PK_INT,   /* an integer in [min, max] */
	PK_TEXT,  /* text: one of choices (comma-separated), or any non-empty text if NULL */
	PK_LIST,  /* comma-separated items, each one of choices (may be empty) */
	PK_NUMS,  /* 1..n comma-separated numbers, each in [min, max] */
	PK_INTS,  /* 1..n comma-separated integers, each in [min, max] */
};

struct param_def {
	const char *key;
	enum param_kind kind;
	double min, max;
	const char *choices;
	int n;                   /* PK_NUMS, PK_INTS: at most this many */
};

#define R_NUM(k, lo, hi) { k, PK_NUM, lo, hi, NULL, 0 }
#define R_INT(k, lo, hi) { k, PK_INT, lo, hi, NULL, 0 }
#define R_BOOL(k) { k, PK_INT, 0, 1, NULL, 0 }
#define R_TEXT(k, ch) { k, PK_TEXT, 0, 0, ch, 0 }
#define R_LIST(k, ch) { k, PK_LIST, 0, 0, ch, 0 }
#define R_NUMS(k, lo, hi, nmax) { k, PK_NUMS, lo, hi, NULL, nmax }
#define R_INTS(k, lo, hi, nmax) { k, PK_INTS, lo, hi, NULL, nmax }
/* The parameter definitions of one rule, NULL-key terminated (a static compound literal). */
#define PARAMS(...) (const struct param_def[]){ __VA_ARGS__, { NULL, PK_NUM, 0, 0, NULL, 0 } }

#define TITLES "none,third,second,first,senior,full_senior"
#define SCHOOL_TYPES "primary,junior,nine_year,complete_middle,twelve_year,senior,vocational,special"
#define URBAN_RURAL "111,112,121,122,123,210,220"

struct rule_def {
	const char *code;
	const char *effective;   /* YYYY-MM-DD */
	const char *params;      /* JSON object */
	const char *source;      /* 文号 */
	const char *clause;
	const char *tag;         /* A, B, C or L */
	const char *note;
	const struct param_def *p; /* one per parameter of params */
};

/* Source of the city's [L] parameters: the 2025 municipal speech (seed/000_...txt). */
#define SPEECH "全市教育工作高质量发展推进会议讲话(2025-07-04)"
#define SPEECH_DATE "2025-07-04"
#define BAL2017 "教督〔2017〕6号"
#define BAL2017_DATE "2017-04-19"
#define TITLE2015 "人社部发〔2015〕79号"
#define TITLE2015_DATE "2015-08-28"

static const struct rule_def builtin[] = {
	/* 2.1 balanced development */
	{ "balance.school_standard", BAL2017_DATE,
	  "{\"L1_primary\":4.2,\"L1_junior\":5.3,\"L2_primary\":1.0,\"L2_junior\":1.0,"
	  "\"L3_primary\":0.9,\"L3_junior\":0.9,\"L4_primary\":4.5,\"L4_junior\":5.8,"
	  "\"L5_primary\":7.5,\"L5_junior\":10.2,\"L6_primary\":2000,\"L6_junior\":2500,"
	  "\"L7_primary\":2.3,\"L7_junior\":2.4}",
	  BAL2017, "第五条 资源配置 (七项指标)", "B",
	  "per-school minimum of each resource indicator per stage; L1 and L2 are [A], L3 [A]/[B], "
	  "L4-L7 [B] (SPEC 2.1); L4 excludes indoor sports rooms, L5 is gym + sports ground",
	  PARAMS(R_NUM("L1_primary", 0, 100), R_NUM("L1_junior", 0, 100), R_NUM("L2_primary", 0, 100),
		 R_NUM("L2_junior", 0, 100), R_NUM("L3_primary", 0, 100), R_NUM("L3_junior", 0, 100),
		 R_NUM("L4_primary", 0, 1000), R_NUM("L4_junior", 0, 1000), R_NUM("L5_primary", 0, 1000),
		 R_NUM("L5_junior", 0, 1000), R_NUM("L6_primary", 0, 1e6), R_NUM("L6_junior", 0, 1e6),
		 R_NUM("L7_primary", 0, 100), R_NUM("L7_junior", 0, 100)) },
	{ "balance.school_rule", BAL2017_DATE, "{\"min_met\":6,\"unmet_floor\":0.85}",
	  BAL2017, "第五条 (每所学校至少6项达到要求，余项不低于要求的85%)", "C",
	  "a school passes with at least min_met of the 7 indicators met [B] and every unmet one "
	  "at unmet_floor of its standard or more [C]",
	  PARAMS(R_INT("min_met", 0, 7), R_NUM("unmet_floor", 0, 1)) },
	{ "balance.cv_max", BAL2017_DATE, "{\"primary\":0.50,\"junior\":0.45}",
	  BAL2017, "第五条 (校际差异系数)", "B",
	  "county passes an indicator when the enrolment-weighted between-school CV is at most "
	  "this, for each indicator separately",
	  PARAMS(R_NUM("primary", 0.01, 5), R_NUM("junior", 0.01, 5)) },
	{ "balance.scope", BAL2017_DATE,
	  "{\"teaching_point_min_pupils\":50,\"exclude_special\":1,\"exclude_vocational\":1}",
	  BAL2017, "评估范围 (不含特殊教育学校、职业学校和规模较小的教学点)", "A",
	  "compulsory schools of the county; teaching points below teaching_point_min_pupils "
	  "pupils are left out; 1 = exclude",
	  PARAMS(R_INT("teaching_point_min_pupils", 0, 100000), R_BOOL("exclude_special"),
		 R_BOOL("exclude_vocational")) },
	{ "balance.combined_split", BAL2017_DATE,
	  "{\"nine_year_junior\":1.1,\"complete_middle_senior\":1.2,\"twelve_year_junior\":1.1,"
	  "\"twelve_year_senior\":1.32}",
	  BAL2017, "附件 差异系数计算 (一贯制学校、完全中学资源按加权学生数拆分)", "B",
	  "weights of the later stage against 1 for the earlier: nine-year primary share = "
	  "A/(A+1.1B); complete middle junior:senior = 1:1.2; twelve-year 1:1.1:1.32",
	  PARAMS(R_NUM("nine_year_junior", 0.1, 10), R_NUM("complete_middle_senior", 0.1, 10),
		 R_NUM("twelve_year_junior", 0.1, 10), R_NUM("twelve_year_senior", 0.1, 10)) },
	{ "balance.class_size", BAL2017_DATE,
	  "{\"primary_max\":45,\"junior_max\":50,\"large\":56,\"super_large\":66}",
	  BAL2017, "第六条 (小学、初中所有班级学生数分别不超过45人、50人)", "B",
	  "primary_max and junior_max are [A]; 大班额 (a class of large or more) and 超大班额 "
	  "(super_large or more) are the national statistical categories [B]",
	  PARAMS(R_INT("primary_max", 1, 200), R_INT("junior_max", 1, 200), R_INT("large", 1, 200),
		 R_INT("super_large", 1, 200)) },
	{ "balance.school_size", BAL2017_DATE, "{\"max\":2000,\"nine_year_max\":2500}",
	  BAL2017, "第六条 (学校规模不超过2000人，九年一贯制、十二年一贯制义务教育阶段不超过2500人)",
	  "A", "pupils of the compulsory stages per school",
	  PARAMS(R_INT("max", 1, 100000), R_INT("nine_year_max", 1, 100000)) },
	{ "balance.retention", BAL2017_DATE, "{\"min\":0.95}",
	  BAL2017, "第七条 (初中三年巩固率达到95%以上)", "B",
	  "three-year junior retention, net of transfers",
	  PARAMS(R_NUM("min", 0, 1)) },
	{ "balance.method", BAL2017_DATE,
	  "{\"teacher_base\":\"full_time\",\"one_school\":\"pass\",\"missing_facility\":\"na\"}",
	  "eduhq (教督〔2017〕6号 does not say)", "计算口径", "C",
	  "teacher_base: teachers counted in L1, L2 and the 2012 teacher items, full_time (专任教师, "
	  "national statistical practice) or all; one_school: a county-stage with a single school "
	  "has no between-school variation, pass (CV 0) or na; missing_facility: a school without a "
	  "facility return makes the county's facility CVs and school-rule share na (naming it), "
	  "or exclude leaves it out",
	  PARAMS(R_TEXT("teacher_base", "full_time,all"), R_TEXT("one_school", "pass,na"),
		 R_TEXT("missing_facility", "na,exclude")) },
	{ "balance.basic_2012", "2012-01-20", "{\"primary\":0.65,\"junior\":0.55,\"indicators\":8}",
	  "教督〔2012〕3号", "县域义务教育均衡发展督导评估暂行办法 (综合差异系数)", "C",
	  "older basic-balance method, for history: composite = mean of the 8 CVs, at most "
	  "primary / junior",
	  PARAMS(R_NUM("primary", 0, 5), R_NUM("junior", 0, 5), R_INT("indicators", 1, 20)) },
	/* 2.4 teachers */
	{ "teachers.exchange", "2014-08-13",
	  "{\"eligible_years\":6,\"min_share\":0.10,\"backbone_share\":0.20,"
	  "\"backbone_denominator\":\"exchanged\","
	  "\"backbone_levels\":\"county,city,province,national\"}",
	  "教师〔2014〕4号", "交流轮岗的人员范围和比例", "B",
	  "eligible: eligible_years or more at the same school (provincial default); each year "
	  "at least min_share of eligible teachers exchanged, backbone teachers at least "
	  "backbone_share of backbone_denominator: exchanged (the teachers exchanged) or "
	  "eligible_backbone (the backbone teachers eligible for exchange); backbone_levels "
	  "are the backbone levels that count (also 教督〔2017〕6号 第六条)",
	  PARAMS(R_INT("eligible_years", 1, 50), R_NUM("min_share", 0, 1), R_NUM("backbone_share", 0, 1),
		 R_TEXT("backbone_denominator", "exchanged,eligible_backbone"),
		 R_LIST("backbone_levels", "school,county,city,province,national")) },
	{ "teachers.rural_service", SPEECH_DATE,
	  "{\"national_min_years\":1,\"city_min_years\":2,\"rural_classes\":\"210,220\","
	  "\"count_weak\":1,\"weak_ratio\":3,\"applies_to_title\":\"senior\","
	  "\"days_per_year\":365}",
	  TITLE2015, "三(二) 城镇中小学教师晋升高级职称应有1年以上农村或薄弱学校任教经历; "
	  "city: " SPEECH " 二(二)", "L",
	  "national_min_years [B] (mandatory since 2018); city_min_years [L] from the speech; "
	  "rural_classes are 城乡分类代码 counted as rural; count_weak 1 counts weak-school years, "
	  "weak_ratio weak-school years per rural year (the Shaanxi example, 1 rural = 3 weak [A]); "
	  "service is counted to the day and days_per_year days make one year of service",
	  PARAMS(R_NUM("national_min_years", 0, 20), R_NUM("city_min_years", 0, 20),
		 R_LIST("rural_classes", URBAN_RURAL), R_BOOL("count_weak"), R_NUM("weak_ratio", 0.1, 100),
		 R_TEXT("applies_to_title", TITLES), R_INT("days_per_year", 360, 366)) },
	{ "teachers.title_years", TITLE2015_DATE,
	  "{\"second_from_third\":2,\"first_from_second\":4,\"first_from_second_master\":2,"
	  "\"senior_from_first\":5,\"senior_from_first_doctor\":2,\"full_senior_from_senior\":5}",
	  TITLE2015, "附件 中小学教师水平评价基本标准条件", "A",
	  "minimum years in the previous title per step, keys TO_from_FROM with an optional "
	  "education suffix (_master, _doctor; a doctor without a _doctor key uses _master, then "
	  "the plain key); senior_from_first 5 years as 一级 for 本科 is [A]; the others are from the same annex as remembered, not re-verified [C]: "
	  "keep configurable",
	  PARAMS(R_INT("second_from_third", 0, 50), R_INT("first_from_second", 0, 50),
		 R_INT("first_from_second_master", 0, 50), R_INT("senior_from_first", 0, 50),
		 R_INT("senior_from_first_doctor", 0, 50), R_INT("full_senior_from_senior", 0, 50)) },
	{ "teachers.title_ladder", TITLE2015_DATE,
	  "{\"order\":\"third,second,first,senior,full_senior\"}",
	  TITLE2015, "二(一) 职称等级 三级、二级、一级、高级、正高级", "B",
	  "title codes from lowest to highest (三级, 二级, 一级, 高级, 正高级)",
	  PARAMS(R_LIST("order", TITLES)) },
	/* 2.2 seats */
	{ "seats.class_size", "2002-04-01", "{\"primary\":45,\"junior\":50,\"senior\":50}",
	  "建标〔2002〕102号", "城市普通中小学校校舍建设标准 (班额)", "A",
	  "standard pupils per class for capacity = classes x class size",
	  PARAMS(R_NUM("primary", 1, 200), R_NUM("junior", 1, 200), R_NUM("senior", 1, 200)) },
	{ "seats.entry", "2006-09-01", "{\"entry_age\":6}",
	  "中华人民共和国义务教育法(2006修订)", "第十一条 (凡年满六周岁的儿童……入学)", "A",
	  "grade 1 entrants come from births entry_age years earlier",
	  PARAMS(R_INT("entry_age", 3, 10)) },
	{ "seats.standard_school", "2002-04-01",
	  "{\"primary\":\"24,36\",\"junior\":\"24,30\",\"nine_year\":\"36,45\"}",
	  "建标〔2002〕102号", "学校规模 (班数)", "C",
	  "standard school sizes in classes proposed for a shortage",
	  PARAMS(R_INTS("primary", 1, 200, 3), R_INTS("junior", 1, 200, 3), R_INTS("nine_year", 1, 200, 3)) },
	{ "seats.forecast", "2025-01-01",
	  "{\"estimator\":\"pool\",\"pool_alphas\":\"0.2,0.4,0.6,0.8,1\","
	  "\"pool_weights\":\"0,0.25,0.5,0.75,1\",\"select_origins\":5,\"interval_origins\":10,"
	  "\"wiche_weights\":\"0.40,0.15,0.15,0.15,0.15\",\"max_horizon\":10}",
	  "NCES Projections of Education Statistics; WICHE Knocking at the College Door; "
	  "docs/forecast-accuracy.md",
	  "grade-progression estimators; the default chosen by rolling-origin back-tests", "C",
	  "estimator: the default (pool = each area's ratio w x its own SES + (1-w) x its pool's, "
	  "alpha and w from the pool_alphas x pool_weights grid, chosen by the back-test over all "
	  "areas on origins T-1..T-select_origins, leads 1-3); prediction intervals from the "
	  "back-test errors on origins T-1..T-interval_origins (0: none); WICHE weights latest "
	  "first; longest forecast horizon in years (--horizon cannot exceed it)",
	  PARAMS(R_TEXT("estimator", NULL), R_NUMS("pool_alphas", 0.01, 1, 20), R_NUMS("pool_weights", 0, 1, 20),
		 R_INT("select_origins", 1, 30), R_INT("interval_origins", 0, 30), R_NUMS("wiche_weights", 0, 1, 5),
		 R_INT("max_horizon", 1, 30)) },
	{ "seats.assessment", SPEECH_DATE,
	  "{\"interval_years\":2,\"surplus_match_below\":0.8,\"surplus_years\":3}",
	  SPEECH, "二(二) 每两年开展一次人口与教育资源匹配度评估", "L",
	  "a matching assessment of population against education resources every interval_years; "
	  "a planning area x stage whose matching degree (forecast / seats) stays below "
	  "surplus_match_below for surplus_years consecutive forecast years has a persistent "
	  "surplus (its least-used schools are merger candidates)",
	  PARAMS(R_INT("interval_years", 1, 20), R_NUM("surplus_match_below", 0, 10),
		 R_INT("surplus_years", 1, 30)) },
	/* 2.8 staffing */
	{ "staffing.ratio", "2014-11-13", "{\"primary\":19,\"junior\":13.5,\"senior\":12.5}",
	  "中央编办发〔2014〕72号", "统一城乡中小学教职工编制标准", "B",
	  "pupils per staff member (教职工与学生比 1:N), one standard for city and countryside "
	  "[A/B]",
	  PARAMS(R_NUM("primary", 1, 100), R_NUM("junior", 1, 100), R_NUM("senior", 1, 100)) },
	/* 2.3 groups */
	{ "groups.coverage", SPEECH_DATE,
	  "{\"denominator\":\"public_compulsory\",\"rural_classes\":\"210,220\"}",
	  SPEECH, "二(二) 集团化办学 (覆盖学校85所，占比68%)", "L",
	  "coverage = schools in a group / schools in the denominator: public_compulsory "
	  "(default), compulsory, public or all schools; the denominator is printed with the "
	  "figure; rural_classes are the 城乡分类代码 of rural members (urban/rural mix, outcomes)",
	  PARAMS(R_TEXT("denominator", "public_compulsory,compulsory,public,all"),
		 R_LIST("rural_classes", URBAN_RURAL)) },
	{ "groups.outcome", SPEECH_DATE, "{\"exam\":\"zhongkao\",\"interval_level\":0.95,\"base_lag\":2,"
	  "\"bootstrap_reps\":1999,\"bootstrap_seed\":20240901,\"min_schools\":2}",
	  SPEECH, "二(二) 集团内农村中学中考优秀率", "L",
	  "优秀率 from this exam; difference-in-differences of rural members against rural schools "
	  "in no group between year - base_lag and the year, with a bootstrap interval over "
	  "schools at interval_level (bootstrap_reps resamples, fixed bootstrap_seed); fewer "
	  "than min_schools schools on either side: no estimate",
	  PARAMS(R_TEXT("exam", "zhongkao,gaokao,quality"), R_NUM("interval_level", 0.5, 0.999),
		 R_INT("base_lag", 1, 10), R_INT("bootstrap_reps", 100, 100000),
		 R_INT("bootstrap_seed", 0, 9007199254740992.0), R_INT("min_schools", 1, 1000)) },
	/* 2.5 vocational */
	{ "vocational.employment", SPEECH_DATE,
	  "{\"condition\":\"employment_below\",\"min_rate\":0.60,\"bottom_share\":0.10,"
	  "\"peer_set\":\"category\",\"min_peers\":5,\"min_enrolled\":50,\"run_years\":2,"
	  "\"first_action\":\"warn\",\"action\":\"close\",\"no_graduates\":\"skip\"}",
	  SPEECH, "二(三) 对连续两年就业率低于60%的专业予以停办", "L",
	  "the annual specialty review, a staged rule: a per-year condition and a run length. "
	  "condition employment_below: 就业率 = (employed + further study) / graduates below "
	  "min_rate [L]; peer_bottom: fewer than bottom_share of the peer set (same 专业大类 "
	  "with peer_set category, same code with code, every specialty with all; at least "
	  "min_peers peers with graduates) have a strictly lower rate (the Fujian variant, "
	  "bottom 10% two years running [B]); enrolment_below: enrolled below min_enrolled (the "
	  "Guizhou variant, below 50 two years running [B]). A variant is a new version of this "
	  "rule, e.g. `rules set vocational.employment condition=peer_bottom --source ...`. "
	  "First year the condition holds: first_action (warn = 预警, or none); run_years "
	  "consecutive years: action (stop_enrolment = 停招, close = 撤销). A year whose "
	  "condition cannot be decided (no graduates; enrolment_below: no return) is skipped "
	  "(no_graduates skip: neither breaks nor extends a run) or ends the run (break). Rates "
	  "are compared as exact fractions with the threshold rounded to 1e-6",
	  PARAMS(R_TEXT("condition", "employment_below,peer_bottom,enrolment_below"), R_NUM("min_rate", 0, 1),
		 R_NUM("bottom_share", 0.01, 1), R_TEXT("peer_set", "category,code,all"),
		 R_INT("min_peers", 1, 100000), R_INT("min_enrolled", 0, 100000), R_INT("run_years", 1, 10),
		 R_TEXT("first_action", "none,warn"), R_TEXT("action", "stop_enrolment,close"),
		 R_TEXT("no_graduates", "skip,break")) },
	{ "vocational.satisfaction", SPEECH_DATE, "{\"min_sample\":5}",
	  SPEECH, "二(三) 企业满意度", "C",
	  "企业满意度 = satisfied / surveyed partner employers; a sample of fewer than min_sample "
	  "employers is flagged (warn); the minimum is not in the speech: set the city's",
	  PARAMS(R_INT("min_sample", 0, 100000)) },
	{ "vocational.sites", SPEECH_DATE, "{\"max_share\":0.50}",
	  SPEECH, "二(三) 优化专业布局 (避免同质化布点)", "C",
	  "a catalogue code run at more than max_share of the city's schools with specialties "
	  "is saturated: a new site there fails, an existing saturation warns; the share is not "
	  "in the speech: set the city's",
	  PARAMS(R_NUM("max_share", 0, 1)) },
	{ "vocational.match", SPEECH_DATE, "{\"target\":0.85}",
	  SPEECH, "二(三) 专业设置与产业需求匹配度", "L",
	  "per city: specialties open in the year mapped to at least one key industry "
	  "(industry.is_key) / all open specialties, and the same weighted by the year's "
	  "enrolment; each at least target",
	  PARAMS(R_NUM("target", 0, 1)) },
	{ "vocational.catalog", "2021-03-12", "{\"version\":\"2021\"}",
	  "教职成〔2021〕2号", "职业教育专业目录(2021年)", "A",
	  "catalogue version specialties are keyed by (19 大类, 97 类, 1349 专业)",
	  PARAMS(R_TEXT("version", NULL)) },
	/* 2.6 moral education and curriculum */
	{ "assessment.scheme", SPEECH_DATE,
	  "{\"sizheng_min_weight\":0.15,\"weight_total\":100,\"weight_tolerance\":0.001}",
	  SPEECH, "二(一) 将思政课教学效果纳入学校考核，权重不低于15%", "L",
	  "思政课 items weigh at least sizheng_min_weight of the total; the top-level items sum to "
	  "weight_total and every item's children to the item; sums within weight_tolerance "
	  "points count as equal (rounding only: a sum off by 0.1 is refused)",
	  PARAMS(R_NUM("sizheng_min_weight", 0, 1), R_NUM("weight_total", 1, 1000),
		 R_NUM("weight_tolerance", 0, 1)) },
	{ "curriculum.hours", SPEECH_DATE,
	  "{\"ethnic_unity_min_per_week\":1,\"morality_law_min_share\":0.06,"
	  "\"morality_law_max_share\":0.08,\"primary_years\":6,\"junior_years\":3}",
	  SPEECH, "二(一) 铸牢中华民族共同体意识教育; 义务教育课程方案(2022年版) 道德与法治 6%-8%",
	  "L",
	  "ethnic_unity_min_per_week class hours a week in every school [L]; 道德与法治 share of "
	  "nine-year class hours between the two shares [B]; primary_years and junior_years weigh "
	  "the stages' weekly hours into the nine-year share (6-3 system; 5-4 where it applies)",
	  PARAMS(R_NUM("ethnic_unity_min_per_week", 0, 40), R_NUM("morality_law_min_share", 0, 1),
		 R_NUM("morality_law_max_share", 0, 1), R_INT("primary_years", 1, 9), R_INT("junior_years", 1, 9)) },
	{ "activities.targets", SPEECH_DATE, "{\"rural_participation\":0.95}",
	  SPEECH, "二(一) 乡村教师参与率", "L",
	  "rural teachers' participation rate in research activities at least this",
	  PARAMS(R_NUM("rural_participation", 0, 1)) },
	/* 2.7 safety */
	{ "safety.major_hazard", "2007-12-28",
	  "{\"required\":\"measures,responsible,funds,deadline,contingency_plan\","
	  "\"general_required\":\"measures,responsible,deadline\"}",
	  "国家安全生产监督管理总局令第16号", "第十五条 重大事故隐患治理方案 (五落实)", "B",
	  "a major hazard cannot be assigned without the required fields (措施, 责任, 资金, 时限, "
	  "预案); any hazard needs general_required (措施, 责任人, 时限: 中小学幼儿园安全管理办法 "
	  "教育部等令第23号 第二十一条 [C]) to be assigned",
	  PARAMS(R_LIST("required", "measures,responsible,funds,deadline,contingency_plan"),
		 R_LIST("general_required", "measures,responsible,funds,deadline,contingency_plan")) },
	{ "safety.building", "2016-12-01", "{\"critical_grade\":\"D\"}",
	  "JGJ 125-2016", "危险房屋鉴定标准 (D级危房)", "B",
	  "a building of this safety grade in use is a critical finding",
	  PARAMS(R_TEXT("critical_grade", "A,B,C,D")) },
	/* 2.8 tasks */
	{ "tasks.lag", SPEECH_DATE, "{\"tolerance\":0.0}",
	  SPEECH, "三(一) 压实工作责任", "L",
	  "a task is lagging when its progress share ((value - baseline) / (target - baseline)) is "
	  "behind the straight line from start to deadline by more than tolerance (a share, 0-1); "
	  "exactly at the tolerance it is not lagging",
	  PARAMS(R_NUM("tolerance", 0, 1)) },
	/* eduhq check */
	{ "check.enrolment_change", "2000-01-01", "{\"max_yoy\":0.30}",
	  "eduhq", "data-quality check", "C",
	  "warn when a school's pupils change by more than max_yoy from one year to the next",
	  PARAMS(R_NUM("max_yoy", 0, 100)) },
	{ "check.class_pupils", "2000-01-01", "{\"min\":1,\"max\":66}",
	  "eduhq", "data-quality check", "C",
	  "pupils per class of a grade return (pupils / classes) outside min..max is an error",
	  PARAMS(R_INT("min", 0, 1000), R_INT("max", 1, 1000)) },
	{ "check.missing_return", "2000-01-01", "{\"exclude_types\":\"vocational\"}",
	  "eduhq", "data-quality check", "C",
	  "school types (comma-separated) that file no grade return",
	  PARAMS(R_LIST("exclude_types", SCHOOL_TYPES)) },
	/* eduhq serve: sign-in and sessions (等级保护 身份鉴别) */
	{ "server.auth", "2019-12-01",
	  "{\"session_idle_minutes\":30,\"session_absolute_hours\":12,\"password_min_length\":10,"
	  "\"login_max_failures\":5,\"login_window_minutes\":15,\"lockout_minutes\":15}",
	  "GB/T 22239-2019", "8.1.4.1 身份鉴别 a)(b)", "L",
	  "the standard requires password complexity, a login-failure limit and ending idle "
	  "sessions; the values are the bureau's: a session ends after session_idle_minutes "
	  "unused or session_absolute_hours after login; login_max_failures failed logins for "
	  "one user or one address within login_window_minutes lock further tries for "
	  "lockout_minutes",
	  PARAMS(R_NUM("session_idle_minutes", 0.01, 10080), R_NUM("session_absolute_hours", 0.01, 720),
		 R_INT("password_min_length", 8, 128), R_INT("login_max_failures", 1, 1000),
		 R_INT("login_window_minutes", 1, 1440), R_INT("lockout_minutes", 0, 1440)) },
};

/* ---- parameter definitions ---- */

static const struct rule_def *builtin_find(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++)
		if (!strcmp(builtin[i].code, code))
			return &builtin[i];
	return NULL;
}

static const struct param_def *def_find(const char *code, const char *key)
{
	const struct rule_def *r = builtin_find(code);
	for (const struct param_def *d = r ? r->p : NULL; d && d->key; d++)
		if (!strcmp(d->key, key))
			return d;
	return NULL;
}

/* "a,b,c" as "a, b, c" */
static void add_choices(struct buf *b, const char *choices)
{
	for (const char *c = choices; *c; c++) {
		if (*c == ',')
			buf_addch(b, ',');
		buf_addch(b, *c == ',' ? ' ' : *c);
	}
}

/* "a number from 0 to 5", ...: what a parameter takes, for messages and docs */
static void describe(const struct param_def *d, struct buf *b)
{
	switch (d->kind) {
	case PK_NUM: buf_addf(b, "a number from %g to %g", d->min, d->max); break;
	case PK_INT: buf_addf(b, "an integer from %g to %g", d->min, d->max); break;
	case PK_TEXT:
		if (d->choices) {
			buf_adds(b, "one of ");
			add_choices(b, d->choices);
		} else {
			buf_adds(b, "a text");
		}
		break;
	case PK_LIST:
		buf_adds(b, "a comma-separated list of ");
		add_choices(b, d->choices);
		break;
	case PK_NUMS:
	case PK_INTS:
		buf_addf(b, "1 to %d comma-separated %s from %g to %g", d->n,
			 d->kind == PK_NUMS ? "numbers" : "integers", d->min, d->max);
		break;
	}
}

/* Is [s, s+n) one of the comma-separated choices? */
static int is_choice(const char *choices, const char *s, size_t n)
{
	const char *c = choices;
	while (*c) {
		size_t len = strcspn(c, ",");
		if (len == n && !memcmp(c, s, n))
			return 1;
		c += len + (c[len] == ',');
	}
	return 0;
}

/* Parse a whole number as written: digits with an optional sign, fraction and exponent.
 * *is_int: written as an integer that fits a long long (*ll). 0 ok, -1 malformed. */
static int parse_number(const char *s, size_t n, double *d, long long *ll, int *is_int)
{
	char tmp[64], *end;
	if (!n || n >= sizeof(tmp) || strspn(s, "0123456789+-.eE") < n)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*is_int = 0;
	if (!strpbrk(tmp, ".eE")) {
		errno = 0;
		*ll = strtoll(tmp, &end, 10);
		*is_int = !errno && !*end;
	}
	errno = 0;
	*d = strtod(tmp, &end);
	return errno || *end || !isfinite(*d) ? -1 : 0;
}

/* Check text for a list kind (PK_LIST, PK_NUMS, PK_INTS): 0 ok, -1 not. */
static int list_ok(const struct param_def *d, const char *s)
{
	int n = 0;
	if (d->kind == PK_LIST && !*s)
		return 0; /* an empty list */
	for (;;) {
		size_t len = strcspn(s, ",");
		double v;
		long long ll;
		int is_int;
		if (d->kind == PK_LIST) {
			if (!is_choice(d->choices, s, len))
				return -1;
		} else if (parse_number(s, len, &v, &ll, &is_int) < 0 || v < d->min || v > d->max ||
			   (d->kind == PK_INTS && !is_int) || ++n > d->n) {
			return -1;
		}
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* Does stored value v fit d? */
static int value_ok(const struct param_def *d, json_t *v)
{
	double x;
	const char *t;
	switch (d->kind) {
	case PK_NUM:
	case PK_INT:
		if (!json_is_number(v))
			return 0;
		x = json_number_value(v);
		return isfinite(x) && x >= d->min && x <= d->max && (d->kind == PK_NUM || x == floor(x));
	case PK_TEXT:
		if (!json_is_string(v))
			return 0;
		t = json_string_value(v);
		return d->choices ? is_choice(d->choices, t, strlen(t)) : t[0] && strlen(t) <= 200;
	default:
		return json_is_string(v) && list_ok(d, json_string_value(v)) == 0;
	}
}

/* The JSON value of text for d, or NULL when text is not one d takes. */
static json_t *parse_param(const struct param_def *d, const char *text)
{
	json_t *v;
	if (d->kind == PK_NUM || d->kind == PK_INT) {
		double x;
		long long ll;
		int is_int;
		if (parse_number(text, strlen(text), &x, &ll, &is_int) < 0)
			return NULL;
		/* an integer when written as one (2 stays 2, 0.9 stays 0.9) */
		v = is_int ? json_integer(ll) : json_real(x);
	} else {
		v = json_string(text);
	}
	if (v && !value_ok(d, v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

char *rules_apply(const char *code, const char *params, int nkv, const char *const *kv,
		  struct err *e)
{
	json_error_t je;
	json_t *j = json_loads(params, 0, &je);
	char *txt;

	if (!j || !json_is_object(j)) {
		json_decref(j);
		err_set(e, ERR_DATA, "rule '%s': stored params are not a JSON object", code);
		return NULL;
	}
	for (int i = 0; i < nkv; i++) {
		const char *eq = strchr(kv[i], '=');
		size_t kn = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
		char key[128];
		const struct param_def *d;
		json_t *nv;
		if (!eq || !kn || kn >= sizeof(key)) {
			err_set(e, ERR_USAGE, "'%s' is not KEY=VALUE", kv[i]);
			goto fail;
		}
		memcpy(key, kv[i], kn);
		key[kn] = '\0';
		if (!json_object_get(j, key) || !(d = def_find(code, key))) {
			err_set(e, ERR_DATA, "rule '%s' has no parameter '%s'", code, key);
			goto fail;
		}
		if (!(nv = parse_param(d, eq + 1))) {
			struct buf b = BUF_INIT;
			describe(d, &b);
			err_set(e, ERR_DATA, "rule '%s' parameter '%s' expects %s, not '%s'", code, key,
				b.buf, eq + 1);
			buf_release(&b);
			goto fail;
		}
		json_object_set_new(j, key, nv);
	}
	txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(j);
	return txt;
fail:
	json_decref(j);
	return NULL;
}

void rules_param_range(const char *code, const char *key, struct buf *out)
{
	const struct param_def *d = def_find(code, key);
	if (d)
		describe(d, out);
}

/* A built-in rule whose parameters and definitions disagree is a bug of this file. */
static void check_builtin(const struct rule_def *r, json_t *j)
{
	const char *k;
	json_t *v;
	size_t nd = 0;
	for (const struct param_def *d = r->p; d && d->key; d++)
		nd++;
	if (nd != json_object_size(j))
		BUG("built-in rule '%s': %zu parameters, %zu definitions", r->code,
		    json_object_size(j), nd);
	json_object_foreach(j, k, v) {
		const struct param_def *d = def_find(r->code, k);
		if (!d || !value_ok(d, v))
			BUG("built-in rule '%s' parameter '%s': %s", r->code, k,
			    d ? "default out of its range" : "no definition");
	}
}

/* ---- rule sets ---- */

struct rule_entry {
	char *code;
	int version;
	json_t *params;
	int used;
	char *keys;     /* the parameters read (",a,b,"; NULL: none, or not known) */
};

struct rule_set {
	struct rule_entry *v;
	size_t nr, alloc;
};

static int valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int rules_valid_date(const char *s)
{
	return s && valid_date(s);
}

void rules_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int rules_seed(struct store *s, struct err *e)
{
	struct store_stmt *st;
	int rc = 0;

	st = store_prepare(s,
			   "INSERT INTO rule_version(code, version, effective_date, params, source_doc, "
			   "clause, tag, note, created_by) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, 'system')",
			   e);
	if (!st)
		return e->code;
	if (store_begin(s, e) < 0) {
		store_finalize(st);
		return e->code;
	}
	for (size_t i = 0; i < ARRAY_SIZE(builtin) && rc == 0; i++) {
		const struct rule_def *d = &builtin[i];
		json_error_t je;
		json_t *j = json_loads(d->params, 0, &je);
		char *txt;
		if (!j || !json_is_object(j) || !valid_date(d->effective))
			BUG("built-in rule '%s' is malformed", d->code);
		check_builtin(d, j);
		txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		json_decref(j);
		store_bind_text(st, 1, d->code);
		store_bind_text(st, 2, d->effective);
		store_bind_text(st, 3, txt);
		store_bind_text(st, 4, d->source);
		store_bind_text(st, 5, d->clause);
		store_bind_text(st, 6, d->tag);
		store_bind_text(st, 7, d->note);
		if (store_step(st, e) < 0) {
			err_prefix(e, "cannot seed rule '%s'", d->code);
			rc = e->code;
		}
		store_reset(st);
		free(txt);
	}
	store_finalize(st);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

unsigned long rules_builtin_count(void)
{
	return ARRAY_SIZE(builtin);
}

/* The version in force at as_of: the latest effective date not after as_of, and of those
 * the highest version (a later correction on the same date supersedes). */
static const char load_sql[] =
	"SELECT code, version, params FROM rule_version r WHERE version = ("
	" SELECT r2.version FROM rule_version r2 WHERE r2.code = r.code AND r2.effective_date <= ?1"
	" ORDER BY r2.effective_date DESC, r2.version DESC LIMIT 1) ORDER BY code";

struct rule_set *rules_load(struct store *s, const char *as_of, struct err *e)
{
	char today[11];
	struct store_stmt *st;
	struct rule_set *rs;
	int r;

	if (!as_of) {
		rules_today(today);
		as_of = today;
	} else if (!valid_date(as_of)) {
		err_set(e, ERR_USAGE, "'%s' is not a date (YYYY-MM-DD)", as_of);
		return NULL;
	}
	st = store_prepare(s, load_sql, e);
	if (!st)
		return NULL;
	store_bind_text(st, 1, as_of);
	rs = xcalloc(1, sizeof(*rs));
	while ((r = store_step(st, e)) == 1) {
		struct rule_entry *re;
		json_error_t je;
		json_t *j = json_loads(store_column_text(st, 2), 0, &je);
		if (!j || !json_is_object(j)) {
			err_set(e, ERR_DATA, "rule '%s' version %d: params are not a JSON object",
				store_column_text(st, 0), (int)store_column_int(st, 1));
			json_decref(j);
			r = e->code;
			break;
		}
		ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
		re = &rs->v[rs->nr++];
		re->code = xstrdup(store_column_text(st, 0));
		re->version = (int)store_column_int(st, 1);
		re->params = j;
		re->used = 0;
		re->keys = NULL;
	}
	store_finalize(st);
	if (r < 0) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct rule_entry *)a)->code, ((const struct rule_entry *)b)->code);
}

struct rule_set *rules_builtin(void)
{
	struct rule_set *rs = xcalloc(1, sizeof(*rs));

	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++) {
		json_error_t je;
		struct rule_entry *re;
		ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
		re = &rs->v[rs->nr++];
		re->code = xstrdup(builtin[i].code);
		re->version = 1;
		re->params = json_loads(builtin[i].params, 0, &je);
		re->used = 0;
		re->keys = NULL;
		if (!re->params)
			BUG("built-in rule params are not JSON");
	}
	qsort(rs->v, rs->nr, sizeof(*rs->v), cmp_entry);
	return rs;
}

void rules_free(struct rule_set *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nr; i++) {
		free(rs->v[i].code);
		free(rs->v[i].keys);
		json_decref(rs->v[i].params);
	}
	free(rs->v);
	free(rs);
}

static struct rule_entry *find(const struct rule_set *rs, const char *code)
{
	size_t lo = 0, hi = rs->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rs->v[mid].code, code);
		if (!c)
			return &rs->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Rule re marked read whole (its parameters not known), or not read. */
static void set_whole(struct rule_entry *re, int used)
{
	re->used = used;
	free(re->keys);
	re->keys = NULL;
}

/* Rule re read, its parameter key among them (a rule marked read whole stays so). */
static void mark(struct rule_entry *re, const char *key)
{
	struct buf b = BUF_INIT;
	int whole = re->used && !re->keys;

	re->used = 1;
	if (whole || rules_list_has(re->keys, key))
		return;
	buf_adds(&b, re->keys ? re->keys : ",");
	buf_addf(&b, "%s,", key);
	free(re->keys);
	re->keys = buf_detach(&b, NULL);
}

static json_t *param(struct rule_set *rs, const char *code, const char *key, struct err *e)
{
	struct rule_entry *re = find(rs, code);
	const struct param_def *d;
	json_t *v;
	if (!re) {
		err_set(e, ERR_DATA, "no rule '%s' in force", code);
		return NULL;
	}
	mark(re, key);
	v = json_object_get(re->params, key);
	if (!v) {
		err_set(e, ERR_DATA, "rule '%s' has no parameter '%s'", code, key);
	} else if ((d = def_find(code, key)) && !value_ok(d, v)) {
		/* stored by hand or by an older eduhq: never hand it to an engine */
		struct buf b = BUF_INIT;
		char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
		describe(d, &b);
		err_set(e, ERR_DATA, "rule '%s' version %d parameter '%s' expects %s, not %s", code,
			re->version, key, b.buf, t ? t : "?");
		free(t);
		buf_release(&b);
		v = NULL;
	}
	return v;
}

int rules_num(struct rule_set *rs, const char *code, const char *key, double *out,
	      struct err *e)
{
	json_t *v = param(rs, code, key, e);
	if (!v)
		return e->code;
	if (!json_is_number(v))
		return err_set(e, ERR_DATA, "rule '%s' parameter '%s' is not a number", code, key);
	*out = json_number_value(v);
	return 0;
}

int rules_num_opt(struct rule_set *rs, const char *code, const char *key, double *out,
		  struct err *e)
{
	struct rule_entry *re = find(rs, code);
	json_t *v;

	*out = NAN;
	if (!re)
		return err_set(e, ERR_DATA, "no rule '%s' in force", code);
	mark(re, key);
	v = json_object_get(re->params, key);
	if (!v)
		return 0;
	if (!json_is_number(v))
		return err_set(e, ERR_DATA, "rule '%s' parameter '%s' is not a number", code, key);
	*out = json_number_value(v);
	return 1;
}

int rules_list_has(const char *list, const char *item)
{
	size_t n = item ? strlen(item) : 0;
	for (const char *p = list; n && p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && !memcmp(p, item, n))
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

const char *rules_str(struct rule_set *rs, const char *code, const char *key, struct err *e)
{
	json_t *v = param(rs, code, key, e);
	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		err_set(e, ERR_DATA, "rule '%s' parameter '%s' is not a string", code, key);
		return NULL;
	}
	return json_string_value(v);
}

void rules_merge_used(struct rule_set *dst, const struct rule_set *src)
{
	for (size_t i = 0; i < src->nr; i++)
		for (size_t j = 0; src->v[i].used && j < dst->nr; j++)
			if (dst->v[j].version == src->v[i].version &&
			    !strcmp(dst->v[j].code, src->v[i].code))
				set_whole(&dst->v[j], 1);
}

char *rules_used_codes(const struct rule_set *rs)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, ',');
	for (size_t i = 0; i < rs->nr; i++)
		if (rs->v[i].used)
			buf_addf(&b, "%s,", rs->v[i].code);
	return buf_detach(&b, NULL);
}

void rules_set_used(struct rule_set *rs, const char *codes, int used)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!codes || rules_list_has(codes, rs->v[i].code))
			set_whole(&rs->v[i], used);
}

char *rules_used_keys(const struct rule_set *rs)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, ',');
	for (size_t i = 0; i < rs->nr; i++) {
		const char *k = rs->v[i].keys;
		if (!rs->v[i].used)
			continue;
		if (!k)
			buf_addf(&b, "%s,", rs->v[i].code);
		for (const char *c; k && *k && (c = strchr(k + 1, ',')); k = c)
			buf_addf(&b, "%s:%.*s,", rs->v[i].code, (int)(c - k - 1), k + 1);
	}
	return buf_detach(&b, NULL);
}

/* Each item of a ",code:key,code," list in turn: fn(arg, code, key (NULL: the whole rule)),
 * until it returns 0 (then 0, else 1). */
static int each_read(const char *reads, int (*fn)(void *, const char *, const char *),
		     void *arg)
{
	int go = 1;
	for (const char *p = reads, *c; go && p && (c = strchr(p, ',')); p = c + 1) {
		char *item, *key;
		if (c == p)
			continue;
		item = xstrndup(p, (size_t)(c - p));
		if ((key = strchr(item, ':')))
			*key++ = '\0';
		go = fn(arg, item, key);
		free(item);
	}
	return go;
}

static int mark_read(void *arg, const char *code, const char *key)
{
	struct rule_entry *re = find(arg, code);
	if (re && key)
		mark(re, key);
	else if (re)
		set_whole(re, 1);
	return 1;
}

void rules_mark_read(struct rule_set *rs, const char *reads)
{
	each_read(reads, mark_read, rs);
}

char *rules_used_json(const struct rule_set *rs)
{
	struct buf b = BUF_INIT;
	int n = 0;
	buf_addch(&b, '{');
	for (size_t i = 0; i < rs->nr; i++) {
		if (!rs->v[i].used)
			continue;
		if (n++)
			buf_addch(&b, ',');
		buf_add_json_str(&b, rs->v[i].code);
		buf_addf(&b, ":%d", rs->v[i].version);
	}
	buf_addch(&b, '}');
	return buf_detach(&b, NULL);
}

struct two_sets {
	const struct rule_set *was, *now;
};

static int same_read(void *arg, const char *code, const char *key)
{
	const struct two_sets *t = arg;
	const struct rule_entry *a = find(t->was, code), *b = find(t->now, code);
	json_t *va, *vb;
	if (!a || !b || a->version == b->version)
		return a == b || (a && b);
	if (!key)
		return 0;
	va = json_object_get(a->params, key);
	vb = json_object_get(b->params, key);
	return va == vb || (va && vb && json_equal(va, vb));
}

int rules_same_used(const struct rule_set *was, const struct rule_set *now, const char *reads)
{
	struct two_sets t = { was, now };
	if (reads)
		return each_read(reads, same_read, &t);
	for (size_t i = 0; i < was->nr; i++) {
		const struct rule_entry *re;
		if (!was->v[i].used)
			continue;
		if (!(re = find(now, was->v[i].code)) || re->version != was->v[i].version)
			return 0;
	}
	return 1;
}

char *rules_versions_key(const struct rule_set *rs)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < rs->nr; i++)
		buf_addf(&b, "%s:%d,", rs->v[i].code, rs->v[i].version);
	return buf_detach(&b, NULL);
}
