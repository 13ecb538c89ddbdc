/* rules.c: the built-in rule table (every national default and city parameter of SPEC §2,
 * with its source document, clause, tag and effective date) and access to rule versions.
 *
 * builtin[] is the one declarative table: rules_seed() stores it as version 1 of each rule,
 * `eduhq rules --format md` turns it into docs/rules.md. Engines read parameters only
 * through a rule_set (rules_load + rules_num/rules_str). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

struct rule_def {
	const char *code;
	const char *effective;   /* YYYY-MM-DD */
	const char *params;      /* JSON object */
	const char *source;      /* 文号 */
	const char *clause;
	const char *tag;         /* A, B, C or L */
	const char *note;
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
	  "L4-L7 [B] (SPEC 2.1); L4 excludes indoor sports rooms, L5 is gym + sports ground" },
	{ "balance.school_rule", BAL2017_DATE, "{\"min_met\":6,\"unmet_floor\":0.85}",
	  BAL2017, "第五条 (每所学校至少6项达到要求，余项不低于要求的85%)", "C",
	  "a school passes with at least min_met of the 7 indicators met [B] and every unmet one "
	  "at unmet_floor of its standard or more [C]" },
	{ "balance.cv_max", BAL2017_DATE, "{\"primary\":0.50,\"junior\":0.45}",
	  BAL2017, "第五条 (校际差异系数)", "B",
	  "county passes an indicator when the enrolment-weighted between-school CV is at most "
	  "this, for each indicator separately" },
	{ "balance.scope", BAL2017_DATE,
	  "{\"teaching_point_min_pupils\":50,\"exclude_special\":1,\"exclude_vocational\":1}",
	  BAL2017, "评估范围 (不含特殊教育学校、职业学校和规模较小的教学点)", "A",
	  "compulsory schools of the county; teaching points below teaching_point_min_pupils "
	  "pupils are left out; 1 = exclude" },
	{ "balance.combined_split", BAL2017_DATE,
	  "{\"nine_year_junior\":1.1,\"complete_middle_senior\":1.2,\"twelve_year_junior\":1.1,"
	  "\"twelve_year_senior\":1.32}",
	  BAL2017, "附件 差异系数计算 (一贯制学校、完全中学资源按加权学生数拆分)", "B",
	  "weights of the later stage against 1 for the earlier: nine-year primary share = "
	  "A/(A+1.1B); complete middle junior:senior = 1:1.2; twelve-year 1:1.1:1.32" },
	{ "balance.class_size", BAL2017_DATE,
	  "{\"primary_max\":45,\"junior_max\":50,\"large\":56,\"super_large\":66}",
	  BAL2017, "第六条 (小学、初中所有班级学生数分别不超过45人、50人)", "B",
	  "primary_max and junior_max are [A]; 大班额 (a class of large or more) and 超大班额 "
	  "(super_large or more) are the national statistical categories [B]" },
	{ "balance.school_size", BAL2017_DATE, "{\"max\":2000,\"nine_year_max\":2500}",
	  BAL2017, "第六条 (学校规模不超过2000人，九年一贯制、十二年一贯制义务教育阶段不超过2500人)",
	  "A", "pupils of the compulsory stages per school" },
	{ "balance.retention", BAL2017_DATE, "{\"min\":0.95}",
	  BAL2017, "第七条 (初中三年巩固率达到95%以上)", "B",
	  "three-year junior retention, net of transfers" },
	{ "balance.basic_2012", "2012-01-20", "{\"primary\":0.65,\"junior\":0.55,\"indicators\":8}",
	  "教督〔2012〕3号", "县域义务教育均衡发展督导评估暂行办法 (综合差异系数)", "C",
	  "older basic-balance method, for history: composite = mean of the 8 CVs, at most "
	  "primary / junior" },
	/* 2.4 teachers */
	{ "teachers.exchange", "2014-08-13",
	  "{\"eligible_years\":6,\"min_share\":0.10,\"backbone_share\":0.20,"
	  "\"backbone_denominator\":\"exchanged\"}",
	  "教师〔2014〕4号", "交流轮岗的人员范围和比例", "B",
	  "eligible: eligible_years or more at the same school (provincial default); each year "
	  "at least min_share of eligible teachers exchanged, backbone teachers at least "
	  "backbone_share of backbone_denominator (also 教督〔2017〕6号 第六条)" },
	{ "teachers.rural_service", SPEECH_DATE,
	  "{\"national_min_years\":1,\"city_min_years\":2,\"rural_classes\":\"210,220\","
	  "\"count_weak\":1,\"weak_ratio\":3,\"applies_to_title\":\"senior\"}",
	  TITLE2015, "三(二) 城镇中小学教师晋升高级职称应有1年以上农村或薄弱学校任教经历; "
	  "city: " SPEECH " 二(二)", "L",
	  "national_min_years [B] (mandatory since 2018); city_min_years [L] from the speech; "
	  "rural_classes are 城乡分类代码 counted as rural; count_weak 1 counts weak-school years, "
	  "weak_ratio weak-school years per rural year (the Shaanxi example, 1 rural = 3 weak [A])" },
	{ "teachers.title_years", TITLE2015_DATE,
	  "{\"second_from_third\":2,\"first_from_second\":4,\"first_from_second_master\":2,"
	  "\"senior_from_first\":5,\"senior_from_first_doctor\":2,\"full_senior_from_senior\":5}",
	  TITLE2015, "附件 中小学教师水平评价基本标准条件", "A",
	  "minimum years in the previous title per step; senior_from_first 5 years as 一级 for "
	  "本科 is [A]; the others are from the same annex as remembered, not re-verified [C]: "
	  "keep configurable" },
	{ "teachers.title_ladder", TITLE2015_DATE,
	  "{\"order\":\"third,second,first,senior,full_senior\"}",
	  TITLE2015, "二(一) 职称等级 三级、二级、一级、高级、正高级", "B",
	  "title codes from lowest to highest (三级, 二级, 一级, 高级, 正高级)" },
	/* 2.2 seats */
	{ "seats.class_size", "2002-04-01", "{\"primary\":45,\"junior\":50,\"senior\":50}",
	  "建标〔2002〕102号", "城市普通中小学校校舍建设标准 (班额)", "A",
	  "standard pupils per class for capacity = classes x class size" },
	{ "seats.entry", "2006-09-01", "{\"entry_age\":6}",
	  "中华人民共和国义务教育法(2006修订)", "第十一条 (凡年满六周岁的儿童……入学)", "A",
	  "grade 1 entrants come from births entry_age years earlier" },
	{ "seats.standard_school", "2002-04-01",
	  "{\"primary\":\"24,36\",\"junior\":\"24,30\",\"nine_year\":\"36,45\"}",
	  "建标〔2002〕102号", "学校规模 (班数)", "C",
	  "standard school sizes in classes proposed for a shortage" },
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
	  "first; longest forecast horizon in years (--horizon cannot exceed it)" },
	{ "seats.assessment", SPEECH_DATE,
	  "{\"interval_years\":2,\"surplus_match_below\":0.8,\"surplus_years\":3}",
	  SPEECH, "二(二) 每两年开展一次人口与教育资源匹配度评估", "L",
	  "a matching assessment of population against education resources every interval_years; "
	  "a planning area x stage whose matching degree (forecast / seats) stays below "
	  "surplus_match_below for surplus_years consecutive forecast years has a persistent "
	  "surplus (its least-used schools are merger candidates)" },
	/* 2.8 staffing */
	{ "staffing.ratio", "2014-11-13", "{\"primary\":19,\"junior\":13.5,\"senior\":12.5}",
	  "中央编办发〔2014〕72号", "统一城乡中小学教职工编制标准", "B",
	  "pupils per staff member (教职工与学生比 1:N), one standard for city and countryside "
	  "[A/B]" },
	/* 2.3 groups */
	{ "groups.coverage", SPEECH_DATE, "{\"denominator\":\"public_compulsory\"}",
	  SPEECH, "二(二) 集团化办学 (覆盖学校85所，占比68%)", "L",
	  "coverage = schools in a group / schools in the denominator (public compulsory schools "
	  "by default); the denominator is printed with the figure" },
	{ "groups.outcome", SPEECH_DATE, "{\"exam\":\"zhongkao\",\"interval_level\":0.95}",
	  SPEECH, "二(二) 集团内农村中学中考优秀率", "L",
	  "优秀率 from this exam; difference-in-differences against similar schools outside groups "
	  "with an interval at interval_level" },
	/* 2.5 vocational */
	{ "vocational.employment", SPEECH_DATE,
	  "{\"min_rate\":0.60,\"run_years\":2,\"action\":\"close\",\"first_action\":\"warn\"}",
	  SPEECH, "二(三) 对连续两年就业率低于60%的专业予以停办", "L",
	  "就业率 = (employed + further study) / graduates; first year below min_rate: "
	  "first_action (预警); run_years consecutive years below: action" },
	{ "vocational.peer_bottom", SPEECH_DATE,
	  "{\"enabled\":0,\"bottom_share\":0.10,\"run_years\":2,\"action\":\"close\"}",
	  "福建省专业动态调整 (variant)", "就业率连续两年位于同类专业后10%", "B",
	  "Fujian variant, off by default (enabled 0): a specialty in the bottom bottom_share of "
	  "its peers for run_years years running" },
	{ "vocational.low_enrolment", SPEECH_DATE,
	  "{\"enabled\":0,\"min_enrolled\":50,\"run_years\":2,\"action\":\"close\"}",
	  "贵州省专业动态调整 (variant)", "连续两年招生不足50人", "B",
	  "Guizhou variant, off by default (enabled 0): enrolment below min_enrolled for "
	  "run_years years running" },
	{ "vocational.match", SPEECH_DATE, "{\"target\":0.85}",
	  SPEECH, "二(三) 专业设置与产业需求匹配度", "L",
	  "matched specialties / all specialties (and the enrolment-weighted variant) at least "
	  "target" },
	{ "vocational.catalog", "2021-03-12", "{\"version\":\"2021\"}",
	  "教职成〔2021〕2号", "职业教育专业目录(2021年)", "A",
	  "catalogue version specialties are keyed by (19 大类, 97 类, 1349 专业)" },
	/* 2.6 moral education and curriculum */
	{ "assessment.scheme", SPEECH_DATE, "{\"sizheng_min_weight\":0.15,\"weight_total\":100}",
	  SPEECH, "二(一) 将思政课教学效果纳入学校考核，权重不低于15%", "L",
	  "思政课 items weigh at least sizheng_min_weight of the total; weights sum to "
	  "weight_total" },
	{ "curriculum.hours", SPEECH_DATE,
	  "{\"ethnic_unity_min_per_week\":1,\"morality_law_min_share\":0.06,"
	  "\"morality_law_max_share\":0.08}",
	  SPEECH, "二(一) 铸牢中华民族共同体意识教育; 义务教育课程方案(2022年版) 道德与法治 6%-8%",
	  "L",
	  "ethnic_unity_min_per_week class hours a week in every school [L]; 道德与法治 share of "
	  "nine-year class hours between the two shares [B]" },
	{ "activities.targets", SPEECH_DATE, "{\"rural_participation\":0.95}",
	  SPEECH, "二(一) 乡村教师参与率", "L",
	  "rural teachers' participation rate in research activities at least this" },
	/* 2.7 safety */
	{ "safety.major_hazard", "2007-12-28",
	  "{\"required\":\"measures,responsible,funds,deadline,contingency_plan\"}",
	  "国家安全生产监督管理总局令第16号", "第十五条 重大事故隐患治理方案 (五落实)", "B",
	  "a major hazard cannot be assigned without these fields (措施, 责任, 资金, 时限, 预案)" },
	{ "safety.building", "2016-12-01", "{\"critical_grade\":\"D\"}",
	  "JGJ 125-2016", "危险房屋鉴定标准 (D级危房)", "B",
	  "a building of this safety grade in use is a critical finding" },
	/* 2.8 tasks */
	{ "tasks.lag", SPEECH_DATE, "{\"tolerance\":0.0}",
	  SPEECH, "三(一) 压实工作责任", "L",
	  "a task is lagging when its progress share is behind the straight line from start to "
	  "deadline by more than tolerance" },
	/* eduhq check */
	{ "check.enrolment_change", "2000-01-01", "{\"max_yoy\":0.30}",
	  "eduhq", "data-quality check", "C",
	  "warn when a school's pupils change by more than max_yoy from one year to the next" },
	{ "check.class_pupils", "2000-01-01", "{\"min\":1,\"max\":66}",
	  "eduhq", "data-quality check", "C",
	  "pupils per class of a grade return (pupils / classes) outside min..max is an error" },
	{ "check.missing_return", "2000-01-01", "{\"exclude_types\":\"vocational\"}",
	  "eduhq", "data-quality check", "C",
	  "school types (comma-separated) that file no grade return" },
};

/* ---- rule sets ---- */

struct rule_entry {
	char *code;
	int version;
	json_t *params;
	int used;
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
		json_decref(rs->v[i].params);
	}
	free(rs->v);
	free(rs);
}

static struct rule_entry *find(struct rule_set *rs, const char *code)
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

static json_t *param(struct rule_set *rs, const char *code, const char *key, struct err *e)
{
	struct rule_entry *re = find(rs, code);
	json_t *v;
	if (!re) {
		err_set(e, ERR_DATA, "no rule '%s' in force", code);
		return NULL;
	}
	re->used = 1;
	v = json_object_get(re->params, key);
	if (!v)
		err_set(e, ERR_DATA, "rule '%s' has no parameter '%s'", code, key);
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
