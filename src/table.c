/* table.c: the column registry: every importable table of schema.sql, declared once (see
 * table.h). Import, export, validation messages and docs/data-dictionary.md read it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "table.h"
#include "banned.h"

/* Integer value of canonical text (as import writes it); 0 if it is not one. */
static int int_of(const char *s, long long *v)
{
	char *end;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && !*end;
}

#define C_(n, z, t, f, m, ...) { .name = n, .zh = z, .type = t, .flags = (f), .meaning = m, __VA_ARGS__ }
#define REQ TCOL_REQUIRED
#define KEY (TCOL_KEY | TCOL_REQUIRED)
#define NN (TCOL_MIN)
#define TXT(n, z, f, m, ...) C_(n, z, COL_TEXT, f, m, __VA_ARGS__)
/* Counts and amounts are >= 0 and at most hi: a sane upper bound far above any real school
 * or area (a value beyond it is a typing or unit error), which also keeps every sum an
 * engine makes exact and far from overflow. Every number column has both bounds
 * (test_table checks), all within +-MAX_ANY. */
#define INT(n, z, f, hi, m, ...) C_(n, z, COL_INT, (f) | NN | TCOL_MAX, m, .min = 0, .max = hi, __VA_ARGS__)
#define RL(n, z, f, hi, m, ...) C_(n, z, COL_REAL, (f) | NN | TCOL_MAX, m, .min = 0, .max = hi, __VA_ARGS__)
#define MAX_CLASSES 1000     /* classes of a grade, sections of a grade, rooms of a school */
#define MAX_COUNT 100000     /* pupils, seats, candidates, graduates... of one school */
#define MAX_PERSONS 10000000 /* persons of one age, births of a year, in one area */
#define MAX_ITEMS 100000000  /* books, computers, person-times */
#define MAX_M2 10000000      /* an area in m2 (10 km2) */
#define MAX_YUAN 1e12        /* an amount in yuan */
#define MAX_HOURS 168        /* class hours in a week */
#define MAX_ANY 1e15         /* free quantities (task values); integers stay exact below 2^53 */
#define DT(n, z, f, m, ...) C_(n, z, COL_DATE, f, m, __VA_ARGS__)
#define BL(n, z, d, m) C_(n, z, COL_BOOL, 0, m, .def = d)
#define EN(n, z, f, v, m, ...) C_(n, z, COL_ENUM, f, m, .values = v, __VA_ARGS__)
#define YR(n, z, f, m, ...) C_(n, z, COL_INT, (f) | TCOL_MIN | TCOL_MAX, m, .min = 1990, .max = 2100, __VA_ARGS__)
#define SCHOOL(z, f, m) TXT("school_code", z, f, m, .check = CHK_SCHOOL_CODE, .ref = "school.code")
#define AREA(z, f, m) TXT("area_code", z, f, m, .check = CHK_AREA_CODE, .ref = "area.code")
#define GRADE C_("grade", "年级", COL_INT, KEY | TCOL_MIN | TCOL_MAX, "grade 1-12 (一年级 = 1, 七年级 = 7, 高一 = 10)", .min = 1, .max = 12)
#define T_(n, z, m, cl, ...) { .name = n, .zh = z, .meaning = m, .cols = cl, .ncols = (int)(sizeof(cl) / sizeof(cl[0])), __VA_ARGS__ }

static const struct enum_val ev_level[] = { { "city", "市" }, { "county", "县（市、区）" }, { "town", "乡镇（街道）" }, { NULL, NULL } };
static const struct enum_val ev_area_kind[] = { { "", "未指定" }, { "district", "市辖区" }, { "county", "县" },
	{ "zone", "开发区（功能区）" }, { "street", "街道" }, { "town", "镇" }, { "township", "乡" }, { NULL, NULL } };
static const struct enum_val ev_urban_rural[] = { { "111", "主城区" }, { "112", "城乡结合区" }, { "121", "镇中心区" },
	{ "122", "镇乡结合区" }, { "123", "特殊区域" }, { "210", "乡中心区" }, { "220", "村庄" }, { NULL, NULL } };
static const struct enum_val ev_school_type[] = { { "primary", "小学" }, { "junior", "初级中学" },
	{ "nine_year", "九年一贯制学校" }, { "complete_middle", "完全中学" }, { "twelve_year", "十二年一贯制学校" },
	{ "senior", "高级中学" }, { "vocational", "中等职业学校" }, { "special", "特殊教育学校" }, { NULL, NULL } };
static const struct enum_val ev_ownership[] = { { "public", "公办" }, { "private", "民办" }, { NULL, NULL } };
static const struct enum_val ev_safety[] = { { "A", "A级（安全）" }, { "B", "B级（基本安全）" }, { "C", "C级（局部危房）" },
	{ "D", "D级（整栋危房）" }, { NULL, NULL } };
static const struct enum_val ev_sex[] = { { "M", "男" }, { "F", "女" }, { NULL, NULL } };
static const struct enum_val ev_education[] = { { "secondary", "高中（中专）及以下" }, { "associate", "专科" },
	{ "bachelor", "本科" }, { "master", "硕士研究生" }, { "doctor", "博士研究生" }, { NULL, NULL } };
static const struct enum_val ev_title[] = { { "none", "未定职级" }, { "third", "三级教师" }, { "second", "二级教师" },
	{ "first", "一级教师" }, { "senior", "高级教师" }, { "full_senior", "正高级教师" }, { NULL, NULL } };
static const struct enum_val ev_title_app[] = { { "second", "二级教师" }, { "first", "一级教师" },
	{ "senior", "高级教师" }, { "full_senior", "正高级教师" }, { NULL, NULL } };
static const struct enum_val ev_subject[] = { { "chinese", "语文" }, { "math", "数学" }, { "english", "英语" },
	{ "science", "科学" }, { "physics", "物理" }, { "chemistry", "化学" }, { "biology", "生物" },
	{ "history", "历史" }, { "geography", "地理" }, { "politics", "道德与法治（思想政治）" }, { "pe", "体育与健康" },
	{ "music", "音乐" }, { "art", "美术" }, { "it", "信息科技" }, { "labour", "劳动" },
	{ "mental_health", "心理健康" }, { "vocational", "专业课" }, { "other", "其他" }, { NULL, NULL } };
static const struct enum_val ev_backbone[] = { { "none", "非骨干" }, { "school", "校级骨干" }, { "county", "县级骨干" },
	{ "city", "市级骨干" }, { "province", "省级骨干" }, { "national", "国家级骨干" }, { NULL, NULL } };
static const struct enum_val ev_certificate[] = { { "none", "无" }, { "kindergarten", "幼儿园教师资格" },
	{ "primary", "小学教师资格" }, { "junior", "初级中学教师资格" }, { "senior", "高级中学教师资格" },
	{ "vocational", "中等职业学校教师资格" }, { NULL, NULL } };
static const struct enum_val ev_posting[] = { { "appointment", "任职" }, { "exchange", "交流轮岗" }, { "support", "支教" }, { NULL, NULL } };
static const struct enum_val ev_project_kind[] = { { "new", "新建" }, { "expansion", "改扩建" }, { "renovation", "改造" }, { NULL, NULL } };
static const struct enum_val ev_project_status[] = { { "planned", "规划中" }, { "building", "在建" },
	{ "done", "已竣工" }, { "cancelled", "已取消" }, { NULL, NULL } };
static const struct enum_val ev_exam[] = { { "zhongkao", "中考" }, { "gaokao", "高考" }, { "quality", "质量监测" }, { NULL, NULL } };
static const struct enum_val ev_activity[] = { { "send_teaching", "送教下乡" }, { "online_research", "网络教研" },
	{ "research", "教研活动" }, { "shared_sizheng", "同上一节思政课" }, { "alliance", "联盟校活动" },
	{ "other", "其他" }, { NULL, NULL } };
static const struct enum_val ev_course[] = { { "ethnic_unity", "铸牢中华民族共同体意识" }, { "morality_law", "道德与法治" },
	{ "sizheng", "思政课" }, { "pe", "体育与健康" }, { "arts", "艺术" }, { "labour", "劳动" },
	{ "science", "科学" }, { "other", "其他" }, { NULL, NULL } };
static const struct enum_val ev_scheme_status[] = { { "draft", "草稿" }, { "active", "启用" }, { "retired", "停用" }, { NULL, NULL } };
static const struct enum_val ev_specialty_status[] = { { "open", "正常招生" }, { "warned", "预警" },
	{ "suspended", "暂停招生" }, { "closed", "撤销" }, { NULL, NULL } };
static const struct enum_val ev_coop[] = { { "order_class", "订单班" }, { "apprenticeship", "现代学徒制" },
	{ "internship", "顶岗实习" }, { "training", "实训" }, { "other", "其他" }, { NULL, NULL } };
static const struct enum_val ev_hazard_cat[] = { { "drowning", "防溺水" }, { "building", "校舍" }, { "fire", "消防" },
	{ "food", "食品" }, { "traffic", "上下学交通" }, { "bullying", "学生欺凌与暴力" },
	{ "lab_chemicals", "实验室危化品" }, { "special_equipment", "特种设备" }, { "gas_electric", "燃气/电气" },
	{ "dormitory", "宿舍" }, { "surroundings", "周边环境" }, { "natural_disaster", "自然灾害" },
	{ "epidemic", "传染病" }, { "mental_health", "心理健康" }, { NULL, NULL } };
static const struct enum_val ev_task_formula[] = { { "", "手工填报" },
	{ "schools_opened", "新建学校建成数（建设项目）" }, { "nine_year_opened", "新建九年一贯制学校建成数" },
	{ "expansions_done", "改扩建项目完成数" }, { "seats_added", "竣工项目新增学位数" },
	{ "hazards_closed_pct", "安全隐患整改销号率（%）" }, { NULL, NULL } };
static const struct enum_val ev_hazard_state[] = { { "found", "发现" }, { "registered", "登记（台账）" },
	{ "assigned", "交办" }, { "rectifying", "整改中" }, { "accepted", "已验收" }, { "closed", "已销号" }, { NULL, NULL } };

static const struct column c_area[] = {
	TXT("code", "区划代码", KEY, "GB/T 2260 code (6 digits) or NBS statistical code (9 or 12 digits)", .check = CHK_AREA_CODE),
	TXT("name", "区划名称", REQ, "name of the city, county/district or town/street"),
	EN("level", "区划层级", REQ, ev_level, "level in the hierarchy city > county > town"),
	TXT("parent_code", "上级区划代码", 0, "the area this one belongs to; empty only for the city", .check = CHK_AREA_CODE, .ref = "area.code"),
	EN("kind", "区划类型", 0, ev_area_kind, "kind of area", .def = ""),
	EN("urban_rural", "城乡分类代码", 0, ev_urban_rural, "NBS urban-rural classification code"),
};

static const char *area_rule(const char *const *v, int *col)
{
	int city = v[2] && !strcmp(v[2], "city");
	*col = 3;
	if (city && v[3])
		return "a city has no parent area";
	if (!city && v[2] && !v[3])
		return "a county or town needs a parent area";
	return NULL;
}

static const struct column c_area_boundary[] = {
	TXT("area_code", "区划代码", KEY, "the area (a county on the dashboard's map)", .check = CHK_AREA_CODE, .ref = "area.code"),
	TXT("geojson", "边界", REQ, "GeoJSON Polygon or MultiPolygon geometry, longitude/latitude (WGS 84)"),
};

/* The boundary is a GeoJSON geometry the map can draw: an object whose type is Polygon or
 * MultiPolygon, with its coordinates. */
static const char *boundary_rule(const char *const *v, int *col)
{
	const char *g = v[1];
	*col = 1;
	if (!g)
		return NULL;
	while (*g == ' ' || *g == '\t' || *g == '\n' || *g == '\r')
		g++;
	if (*g != '{' || !strstr(g, "\"coordinates\"") ||
	    (!strstr(g, "\"type\":\"Polygon\"") && !strstr(g, "\"type\":\"MultiPolygon\"") &&
	     !strstr(g, "\"type\": \"Polygon\"") && !strstr(g, "\"type\": \"MultiPolygon\"")))
		return "not a GeoJSON Polygon or MultiPolygon geometry ({\"type\":\"Polygon\",\"coordinates\":...})";
	return NULL;
}

static const struct column c_school[] = {
	TXT("code", "学校标识码", KEY, "10-digit school identification code", .check = CHK_SCHOOL_CODE),
	TXT("name", "学校名称", REQ, "full school name"),
	TXT("area_code", "所属区划代码", REQ, "county or town the school belongs to", .check = CHK_AREA_CODE, .ref = "area.code"),
	EN("type", "办学类型", REQ, ev_school_type, "school type; fixes the grades taught"),
	EN("ownership", "办学性质", 0, ev_ownership, "public or private", .def = "public"),
	EN("urban_rural", "城乡分类代码", REQ, ev_urban_rural, "urban-rural location class of the school"),
	BL("is_weak", "是否薄弱学校", "0", "designated weak school (薄弱学校), 1 = yes"),
	BL("is_teaching_point", "是否教学点", "0", "teaching point (教学点), 1 = yes"),
	INT("declared_seats", "核定学位数", 0, MAX_COUNT, "approved seats, if declared"),
	C_("latitude", "纬度", COL_REAL, TCOL_MIN | TCOL_MAX, "latitude in degrees", .min = -90, .max = 90),
	C_("longitude", "经度", COL_REAL, TCOL_MIN | TCOL_MAX, "longitude in degrees", .min = -180, .max = 180),
};

static const struct column c_grade_return[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "学年", KEY, "school year by its starting year (2024 = 2024-25)"),
	GRADE,
	INT("classes", "班数", REQ, MAX_CLASSES, "number of classes in the grade"),
	INT("pupils", "在校生数", REQ, MAX_COUNT, "pupils enrolled in the grade"),
	INT("boys", "男生数", 0, MAX_COUNT, "boys among the pupils"),
	INT("girls", "女生数", 0, MAX_COUNT, "girls among the pupils"),
	INT("migrant", "随迁子女数", 0, MAX_COUNT, "children of migrant workers among the pupils"),
	INT("boarders", "住宿生数", 0, MAX_COUNT, "boarding pupils"),
};

static const struct column c_class_section[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "学年", KEY, "school year by its starting year"),
	GRADE,
	C_("section", "班号", COL_INT, KEY | TCOL_MIN | TCOL_MAX, "class number within the grade, from 1", .min = 1, .max = MAX_CLASSES),
	INT("pupils", "班额", REQ, MAX_CLASSES, "pupils in the class"),
};

static const struct column c_pupil_transfer[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "学年", KEY, "school year by its starting year"),
	GRADE,
	INT("transfers_in", "转入人数", 0, MAX_COUNT, "pupils transferred in during the year", .def = "0"),
	INT("transfers_out", "转出人数", 0, MAX_COUNT, "pupils transferred out during the year", .def = "0"),
};

static const struct column c_facility[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "学年", KEY, "school year by its starting year"),
	RL("teaching_aux_area", "教学及辅助用房面积", REQ, MAX_M2, "teaching and auxiliary rooms in m2, indoor sports rooms included"),
	RL("indoor_sports_area", "室内体育用房面积", 0, MAX_M2, "indoor sports rooms in m2", .def = "0", .le = "teaching_aux_area"),
	RL("sports_ground_area", "体育运动场面积", REQ, MAX_M2, "outdoor sports ground area in m2 (the gym is indoor_sports_area: L5 adds both)"),
	RL("equipment_value", "教学仪器设备资产值", REQ, MAX_YUAN, "value of teaching instruments and equipment in yuan"),
	INT("multimedia_rooms", "网络多媒体教室数", REQ, MAX_CLASSES, "networked multimedia classrooms"),
	INT("computers", "计算机台数", 0, MAX_ITEMS, "computers for teaching", .def = "0"),
	INT("books", "图书册数", 0, MAX_ITEMS, "library books", .def = "0"),
	INT("music_rooms", "音乐专用教室数", 0, MAX_CLASSES, "music rooms", .def = "0"),
	INT("art_rooms", "美术专用教室数", 0, MAX_CLASSES, "art rooms", .def = "0"),
};

static const struct column c_building[] = {
	TXT("code", "校舍编号", KEY, "building identifier"),
	SCHOOL("学校标识码", REQ, "school the building belongs to"),
	TXT("name", "校舍名称", REQ, "building name"),
	RL("floor_area", "建筑面积", REQ | TCOL_GT, MAX_M2, "floor area in m2"),
	C_("built_year", "建成年份", COL_INT, TCOL_MIN | TCOL_MAX, "year built", .min = 1900, .max = 2100),
	EN("safety_grade", "安全等级", REQ, ev_safety, "building safety appraisal grade"),
	BL("in_use", "是否在用", "1", "building in use, 1 = yes"),
};

static const struct column c_teacher[] = {
	TXT("code", "教师编号", KEY, "teacher identifier"),
	TXT("name", "姓名", REQ, "full name"),
	TXT("id_number", "身份证号", TCOL_VIRTUAL, "ID card number (GB 11643); import only: stored as id_hash and id_masked, never in clear", .check = CHK_ID_NUMBER),
	TXT("id_hash", "身份证号哈希", TCOL_DERIVED, "keyed hash of the ID number (the key file is outside the database)", .check = CHK_ID_HASH),
	TXT("id_masked", "身份证号（脱敏）", TCOL_DERIVED, "masked ID number: area code and last 4 characters", .check = CHK_ID_MASKED),
	EN("sex", "性别", REQ, ev_sex, "sex"),
	DT("birth_date", "出生日期", REQ, "date of birth"),
	EN("education", "最高学历", REQ, ev_education, "highest education completed"),
	EN("title", "专业技术职务", REQ, ev_title, "professional title (职称)"),
	DT("title_date", "职称取得日期", 0, "date the current title was obtained"),
	EN("subject", "任教学科", REQ, ev_subject, "main subject taught"),
	BL("full_time", "是否专任教师", "1", "full-time teacher (专任教师), 1 = yes"),
	EN("backbone_level", "骨干教师级别", 0, ev_backbone, "backbone teacher (骨干教师) level", .def = "none"),
	EN("certificate", "教师资格证种类", 0, ev_certificate, "teacher certificate held", .def = "none"),
	DT("hire_date", "参加工作日期", REQ, "date the teacher started working"),
};

static const struct column c_posting[] = {
	TXT("teacher_code", "教师编号", KEY, "teacher", .ref = "teacher.code"),
	DT("start_date", "任职开始日期", KEY, "first day at the school"),
	SCHOOL("任职学校标识码", REQ, "school of the posting"),
	DT("end_date", "任职结束日期", 0, "last day; empty while current", .ge = "start_date"),
	EN("kind", "任职类型", REQ, ev_posting, "appointment, exchange rotation or support teaching"),
};

static const struct column c_title_application[] = {
	TXT("teacher_code", "教师编号", KEY, "applicant", .ref = "teacher.code"),
	YR("year", "申报年度", KEY, "year of the application"),
	EN("title", "申报职称", KEY, ev_title_app, "title applied for"),
};

static const struct column c_population[] = {
	AREA("区划代码", KEY, "area"),
	C_("year", "年份", COL_INT, KEY | TCOL_MIN | TCOL_MAX, "calendar year", .min = 1950, .max = 2100),
	C_("age", "年龄", COL_INT, KEY | TCOL_MIN | TCOL_MAX, "single year of age", .min = 0, .max = 120),
	INT("persons", "常住人口数", REQ, MAX_PERSONS, "resident population of that age"),
};

static const struct column c_births[] = {
	AREA("区划代码", KEY, "area"),
	C_("year", "出生年份", COL_INT, KEY | TCOL_MIN | TCOL_MAX, "calendar year of birth", .min = 1950, .max = 2100),
	INT("births", "出生人口数", REQ, MAX_PERSONS, "live births in the year"),
};

static const struct column c_project[] = {
	TXT("code", "项目编号", KEY, "project identifier"),
	TXT("name", "项目名称", REQ, "project name"),
	AREA("所在区划代码", REQ, "planning area of the project"),
	SCHOOL("学校标识码", 0, "existing school expanded; empty for a new school"),
	EN("kind", "建设类型", REQ, ev_project_kind, "new school, expansion or renovation"),
	EN("school_type", "学校类型", REQ, ev_school_type, "type of the school built"),
	INT("seats", "新增学位数", REQ, MAX_COUNT, "seats added at completion"),
	INT("primary_seats", "其中小学学位数", 0, MAX_COUNT, "of which primary seats (combined schools)"),
	RL("investment", "总投资（元）", 0, MAX_YUAN, "investment in yuan", .def = "0"),
	RL("floor_area", "建筑面积", 0, MAX_M2, "floor area in m2", .def = "0"),
	YR("start_year", "开工年份", 0, "year construction starts"),
	YR("completion_year", "竣工年份", REQ, "year the seats become available", .ge = "start_year"),
	EN("status", "项目状态", 0, ev_project_status, "project status", .def = "planned"),
};

static const struct column c_edu_group[] = {
	TXT("code", "集团编号", KEY, "education group identifier"),
	TXT("name", "集团名称", REQ, "education group name"),
	TXT("lead_school_code", "牵头学校标识码", REQ, "lead school", .check = CHK_SCHOOL_CODE, .ref = "school.code"),
	YR("founded_year", "成立年份", REQ, "year the group was founded"),
};

static const struct column c_group_member[] = {
	TXT("group_code", "集团编号", KEY, "education group", .ref = "edu_group.code"),
	SCHOOL("成员学校标识码", KEY, "member school"),
	YR("joined_year", "加入年份", REQ, "year the school joined"),
	C_("left_year", "退出年份", COL_INT, TCOL_MIN | TCOL_MAX, "year the school left; empty while a member", .min = 1990, .max = 2100, .ge = "joined_year"),
};

static const struct column c_exam_result[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "年度", KEY, "exam year"),
	EN("exam", "考试类型", TCOL_KEY, ev_exam, "exam", .def = "zhongkao"),
	INT("candidates", "考生数", REQ, MAX_COUNT, "candidates from the school"),
	INT("excellent", "优秀人数", REQ, MAX_COUNT, "candidates at or above the excellent cut-off", .le = "candidates"),
	INT("passed", "合格人数", 0, MAX_COUNT, "candidates who passed"),
};

static const struct column c_activity[] = {
	TXT("code", "活动编号", KEY, "activity identifier"),
	YR("year", "年度", REQ, "year of the activity"),
	EN("kind", "活动类型", REQ, ev_activity, "kind of activity"),
	DT("date", "活动日期", REQ, "date of the activity"),
	TXT("title", "活动名称", REQ, "title"),
	TXT("organizer_school_code", "组织学校标识码", 0, "organising school, if a school", .check = CHK_SCHOOL_CODE, .ref = "school.code"),
	INT("teacher_participations", "教师参与人次", 0, MAX_ITEMS, "teacher participations", .def = "0"),
	INT("rural_teacher_participations", "乡村教师参与人次", 0, MAX_ITEMS, "of which rural teachers", .def = "0"),
};

static const struct column c_activity_school[] = {
	TXT("activity_code", "活动编号", KEY, "activity", .ref = "activity.code"),
	SCHOOL("覆盖学校标识码", KEY, "a school the activity covered"),
};

static const struct column c_activity_teacher[] = {
	TXT("activity_code", "活动编号", KEY, "activity", .ref = "activity.code"),
	TXT("teacher_code", "参与教师编号", KEY, "a teacher who took part", .ref = "teacher.code"),
};

static const struct column c_curriculum_hours[] = {
	SCHOOL("学校标识码", KEY, "school"),
	YR("year", "学年", KEY, "school year by its starting year"),
	EN("course", "课程", KEY, ev_course, "course"),
	RL("hours_per_week", "周课时", REQ, MAX_HOURS, "class hours per week of the course"),
	C_("total_hours_per_week", "周总课时", COL_REAL, TCOL_MIN | TCOL_GT | TCOL_MAX, "all class hours per week", .min = 0, .max = MAX_HOURS),
};

static const struct column c_assessment_scheme[] = {
	TXT("code", "方案编号", KEY, "assessment scheme identifier"),
	YR("year", "年度", REQ, "year the scheme applies to"),
	TXT("name", "方案名称", REQ, "scheme name"),
	EN("status", "方案状态", 0, ev_scheme_status, "status", .def = "draft"),
};

static const struct column c_assessment_item[] = {
	TXT("scheme_code", "方案编号", KEY, "assessment scheme", .ref = "assessment_scheme.code"),
	TXT("item_code", "指标编号", KEY, "item identifier within the scheme"),
	TXT("parent_item_code", "上级指标编号", 0, "parent item; empty for a top-level item"),
	TXT("name", "指标名称", REQ, "item name"),
	C_("weight", "权重（%）", COL_REAL, REQ | TCOL_MIN | TCOL_MAX, "weight in percent of the parent", .min = 0, .max = 100),
	BL("is_sizheng", "是否思政课指标", "0", "item about 思政课, 1 = yes"),
};
static const struct fkey fk_assessment_item[] = {
	{ { "scheme_code", "parent_item_code" }, "assessment_item", { "scheme_code", "item_code" } },
};

static const struct column c_assessment_score[] = {
	TXT("scheme_code", "方案编号", KEY, "assessment scheme"),
	TXT("item_code", "指标编号", KEY, "item of the scheme"),
	SCHOOL("学校标识码", KEY, "school assessed"),
	C_("score", "得分", COL_REAL, REQ | TCOL_MIN | TCOL_MAX, "score 0-100", .min = 0, .max = 100),
};
static const struct fkey fk_assessment_score[] = {
	{ { "scheme_code", "item_code" }, "assessment_item", { "scheme_code", "item_code" } },
};

static const struct column c_voc_catalog[] = {
	TXT("version", "目录版本", KEY, "catalogue version, e.g. 2021"),
	TXT("code", "专业代码", KEY, "6-digit specialty code", .check = CHK_VOC_CODE),
	TXT("name", "专业名称", REQ, "specialty name"),
	TXT("category", "专业大类", REQ, "category (专业大类)"),
};

static const struct column c_school_specialty[] = {
	SCHOOL("学校标识码", KEY, "vocational school"),
	TXT("catalog_version", "目录版本", KEY, "catalogue version"),
	TXT("specialty_code", "专业代码", KEY, "specialty code in that catalogue", .check = CHK_VOC_CODE),
	YR("opened_year", "开设年份", REQ, "year the specialty opened"),
	C_("closed_year", "停办年份", COL_INT, TCOL_MIN | TCOL_MAX, "year it closed; empty while open", .min = 1990, .max = 2100, .ge = "opened_year"),
	EN("status", "专业状态", 0, ev_specialty_status, "status in the annual review", .def = "open"),
};
static const struct fkey fk_school_specialty[] = {
	{ { "catalog_version", "specialty_code" }, "voc_catalog", { "version", "code" } },
};

static const struct column c_specialty_year[] = {
	TXT("school_code", "学校标识码", KEY, "vocational school", .check = CHK_SCHOOL_CODE),
	TXT("catalog_version", "目录版本", KEY, "catalogue version"),
	TXT("specialty_code", "专业代码", KEY, "specialty code", .check = CHK_VOC_CODE),
	YR("year", "年度", KEY, "year (graduates of that summer)"),
	INT("enrolled", "招生人数", 0, MAX_COUNT, "new students enrolled", .def = "0"),
	INT("graduates", "毕业生数", 0, MAX_COUNT, "graduates", .def = "0"),
	INT("employed", "就业人数", 0, MAX_COUNT, "graduates directly employed", .def = "0"),
	INT("further_study", "升学人数", 0, MAX_COUNT, "graduates in further study", .def = "0"),
	INT("in_trade", "对口就业人数", 0, MAX_COUNT, "employed in the trade of the specialty", .def = "0", .le = "employed"),
	INT("surveyed", "调查企业数", 0, MAX_COUNT, "partner employers surveyed", .def = "0"),
	INT("satisfied", "满意企业数", 0, MAX_COUNT, "employers satisfied", .def = "0", .le = "surveyed"),
};
static const struct fkey fk_specialty_year[] = {
	{ { "school_code", "catalog_version", "specialty_code" }, "school_specialty",
	  { "school_code", "catalog_version", "specialty_code" } },
};

static const char *specialty_year_rule(const char *const *v, int *col)
{
	long long g = 0, em = 0, fs = 0;
	*col = 7;
	if ((v[5] && !int_of(v[5], &g)) || (v[6] && !int_of(v[6], &em)) || (v[7] && !int_of(v[7], &fs)))
		return NULL; /* reported as not an integer */
	/* em + fs > g, without the sum (both are >= 0: g - fs cannot overflow) */
	return em > g - fs ? "employed + further_study exceeds graduates" : NULL;
}

static const struct column c_industry[] = {
	TXT("code", "产业代码", KEY, "industry identifier"),
	TXT("name", "产业名称", REQ, "industry name"),
	BL("is_key", "是否重点产业", "1", "one of the city's key industries, 1 = yes"),
};

static const struct column c_specialty_industry[] = {
	TXT("catalog_version", "目录版本", KEY, "catalogue version"),
	TXT("specialty_code", "专业代码", KEY, "specialty code", .check = CHK_VOC_CODE),
	TXT("industry_code", "产业代码", KEY, "industry the specialty serves", .ref = "industry.code"),
};
static const struct fkey fk_specialty_industry[] = {
	{ { "catalog_version", "specialty_code" }, "voc_catalog", { "version", "code" } },
};

static const struct column c_enterprise[] = {
	TXT("credit_code", "统一社会信用代码", KEY, "unified social credit code (GB 32100)", .check = CHK_CREDIT_CODE),
	TXT("name", "企业名称", REQ, "enterprise name"),
	TXT("industry_code", "所属产业代码", 0, "industry", .ref = "industry.code"),
	AREA("所在区划代码", 0, "area where the enterprise is registered"),
};

#define ENTERPRISE(f) TXT("credit_code", "企业统一社会信用代码", f, "partner enterprise", .check = CHK_CREDIT_CODE, .ref = "enterprise.credit_code")

static const struct column c_cooperation[] = {
	SCHOOL("学校标识码", KEY, "school"),
	ENTERPRISE(KEY),
	EN("kind", "合作形式", KEY, ev_coop, "form of cooperation"),
	YR("start_year", "开始年份", KEY, "first year"),
	C_("end_year", "结束年份", COL_INT, TCOL_MIN | TCOL_MAX, "last year; empty while running", .min = 1990, .max = 2100, .ge = "start_year"),
	INT("students", "学生数", 0, MAX_COUNT, "students involved", .def = "0"),
	TXT("catalog_version", "目录版本", 0, "catalogue version of the specialty served; empty: none"),
	TXT("specialty_code", "专业代码", 0, "school specialty the cooperation serves (order class, apprenticeship); empty: none", .check = CHK_VOC_CODE),
};
static const struct fkey fk_cooperation[] = {
	{ { "school_code", "catalog_version", "specialty_code" }, "school_specialty",
	  { "school_code", "catalog_version", "specialty_code" } },
};

static const char *cooperation_rule(const char *const *v, int *col)
{
	*col = v[6] ? 7 : 6;
	return !v[6] != !v[7] ? "catalog_version and specialty_code go together" : NULL;
}

static const struct column c_training_base[] = {
	TXT("code", "基地编号", KEY, "training base identifier"),
	SCHOOL("学校标识码", REQ, "school running the base"),
	ENTERPRISE(0),
	TXT("name", "基地名称", REQ, "base name"),
	RL("investment", "总投资（元）", 0, MAX_YUAN, "investment in yuan", .def = "0"),
	RL("equipment_value", "设备值（元）", 0, MAX_YUAN, "equipment value in yuan", .def = "0"),
	INT("capacity", "可容纳学生数", 0, MAX_COUNT, "student capacity", .def = "0"),
	YR("opened_year", "建成年份", 0, "year opened"),
};

static const struct column c_internship[] = {
	SCHOOL("学校标识码", KEY, "school"),
	ENTERPRISE(KEY),
	YR("year", "年度", KEY, "year"),
	INT("interns", "实习学生数", REQ, MAX_COUNT, "students placed as interns"),
};

static const struct column c_employee_training[] = {
	SCHOOL("学校标识码", KEY, "school"),
	ENTERPRISE(KEY),
	YR("year", "年度", KEY, "year"),
	INT("person_times", "培训人次", REQ, MAX_ITEMS, "employee training person-times delivered"),
};

static const struct column c_hazard[] = {
	TXT("code", "隐患编号", KEY, "hazard identifier"),
	SCHOOL("学校标识码", REQ, "school"),
	EN("category", "隐患类别", REQ, ev_hazard_cat, "category"),
	DT("found_date", "发现日期", REQ, "date found"),
	TXT("description", "隐患描述", REQ, "what was found"),
	BL("is_major", "是否重大隐患", "0", "major hazard (重大隐患), 1 = yes"),
	EN("state", "整改状态", REQ, ev_hazard_state, "state in the ledger"),
	TXT("responsible", "责任人", 0, "responsible person or unit"),
	TXT("measures", "整改措施", 0, "rectification measures"),
	RL("funds", "整改资金（元）", 0, MAX_YUAN, "funds in yuan"),
	DT("deadline", "整改时限", 0, "deadline for rectification"),
	TXT("contingency_plan", "应急预案", 0, "contingency plan"),
	DT("closed_date", "销号日期", 0, "date the hazard was closed"),
};

static const struct column c_task[] = {
	TXT("code", "任务编号", KEY, "task identifier"),
	TXT("name", "任务名称", REQ, "task"),
	TXT("owner_unit", "责任单位", REQ, "unit responsible"),
	TXT("unit", "计量单位", 0, "unit of the target (所, 个, 万元...)", .def = ""),
	C_("baseline", "基期值", COL_REAL, TCOL_MIN | TCOL_MAX, "value at the start", .min = -MAX_ANY, .max = MAX_ANY, .def = "0"),
	C_("target", "目标值", COL_REAL, REQ | TCOL_MIN | TCOL_MAX, "target value", .min = -MAX_ANY, .max = MAX_ANY),
	DT("start_date", "开始日期", REQ, "start of the task"),
	DT("deadline", "完成时限", REQ, "deadline", .ge = "start_date"),
	TXT("parent_code", "上级任务编号", 0, "parent task (its progress rolls up)", .ref = "task.code"),
	EN("formula", "进展来源公式", 0, ev_task_formula, "where the progress comes from: '' = the "
	   "progress entries, else computed from the registry (see docs/indicators.md TASK.PROGRESS)",
	   .def = ""),
	AREA("公式统计范围", 0, "area whose registry rows a formula counts (empty: the whole registry)"),
};

static const struct column c_task_progress[] = {
	TXT("task_code", "任务编号", KEY, "task", .ref = "task.code"),
	DT("date", "填报日期", KEY, "date of the progress entry"),
	C_("value", "完成值", COL_REAL, REQ | TCOL_MIN | TCOL_MAX, "cumulative value reached", .min = -MAX_ANY, .max = MAX_ANY),
	TXT("note", "进展说明", 0, "note", .def = ""),
	TXT("recorded_by", "填报人", 0, "who recorded the entry (`eduhq task progress`: the "
	    "operating-system user or --as)", .def = ""),
	TXT("recorded_at", "填报时间", 0, "when the entry was recorded (UTC)", .def = ""),
};

#define FKS(a) .fks = a, .nfks = (int)(sizeof(a) / sizeof(a[0]))
/* the scope a row belongs to (table.h enum row_scope); tables without SC() are city-wide */
#define SC(k, c) .scope = k, .scope_col = c

const struct table registry_tables[] = {
	T_("area", "行政区划", "areas: city, counties/districts, towns/streets", c_area, .row_check = area_rule, SC(RS_AREA, "code")),
	T_("area_boundary", "区划边界", "area boundaries (GeoJSON) for the dashboard's map", c_area_boundary, .row_check = boundary_rule, SC(RS_AREA, "area_code")),
	T_("school", "学校", "schools", c_school, SC(RS_SCHOOL, "code"), .scope_area = "area_code"),
	T_("grade_return", "学校分年级学生数", "annual return per school, school year and grade", c_grade_return, SC(RS_SCHOOL, "school_code")),
	T_("class_section", "班级", "classes per school, year and grade", c_class_section, SC(RS_SCHOOL, "school_code")),
	T_("pupil_transfer", "学生转学", "pupil transfers per school, year and grade", c_pupil_transfer, SC(RS_SCHOOL, "school_code")),
	T_("facility", "办学条件", "facilities per school and school year", c_facility, SC(RS_SCHOOL, "school_code")),
	T_("building", "校舍", "school buildings and their safety grade", c_building, SC(RS_SCHOOL, "school_code")),
	T_("teacher", "教师", "teachers (ID numbers only hashed and masked)", c_teacher, SC(RS_TEACHER, "code")),
	T_("posting", "教师任职经历", "where a teacher taught, from when to when", c_posting, SC(RS_SCHOOL, "school_code")),
	T_("title_application", "职称申报", "applications for a title", c_title_application, SC(RS_TEACHER, "teacher_code")),
	T_("population", "常住人口", "resident population by area, year and single age", c_population, SC(RS_AREA, "area_code")),
	T_("births", "出生人口", "births by area and year", c_births, SC(RS_AREA, "area_code")),
	T_("project", "建设项目", "construction projects; seats count from completion", c_project, SC(RS_AREA, "area_code")),
	T_("edu_group", "教育集团", "education groups (集团化办学)", c_edu_group, SC(RS_SCHOOL, "lead_school_code")),
	T_("group_member", "集团成员校", "membership of schools in groups over time", c_group_member, SC(RS_SCHOOL, "school_code")),
	T_("exam_result", "考试成绩", "exam results per school and year", c_exam_result, SC(RS_SCHOOL, "school_code")),
	T_("activity", "教研活动", "activities (送教下乡, 网络教研, 同上一节思政课...)", c_activity, SC(RS_SCHOOL, "organizer_school_code")),
	T_("activity_school", "活动覆盖学校", "schools each activity covered", c_activity_school, SC(RS_SCHOOL, "school_code")),
	T_("activity_teacher", "活动参与教师", "named teachers who took part in an activity",
	   c_activity_teacher, SC(RS_TEACHER, "teacher_code")),
	T_("curriculum_hours", "课程课时", "class hours per week per school, year and course", c_curriculum_hours, SC(RS_SCHOOL, "school_code")),
	T_("assessment_scheme", "学校考核方案", "school assessment schemes", c_assessment_scheme),
	T_("assessment_item", "考核指标", "weighted items of an assessment scheme (a tree)", c_assessment_item, FKS(fk_assessment_item)),
	T_("assessment_score", "考核得分", "item scores per school", c_assessment_score, FKS(fk_assessment_score), SC(RS_SCHOOL, "school_code")),
	T_("voc_catalog", "职业教育专业目录", "the vocational specialty catalogue", c_voc_catalog),
	T_("school_specialty", "学校开设专业", "specialties a school runs", c_school_specialty, FKS(fk_school_specialty), SC(RS_SCHOOL, "school_code")),
	T_("specialty_year", "专业年度数据", "annual figures per school specialty", c_specialty_year, FKS(fk_specialty_year), .row_check = specialty_year_rule, SC(RS_SCHOOL, "school_code")),
	T_("industry", "产业", "industries, the city's key industries marked", c_industry),
	T_("specialty_industry", "专业对接产业", "which industries a specialty serves", c_specialty_industry, FKS(fk_specialty_industry)),
	T_("enterprise", "合作企业", "partner enterprises", c_enterprise, SC(RS_AREA, "area_code")),
	T_("cooperation", "校企合作", "school-enterprise cooperation", c_cooperation, FKS(fk_cooperation), .row_check = cooperation_rule, SC(RS_SCHOOL, "school_code")),
	T_("training_base", "实训基地", "training bases", c_training_base, SC(RS_SCHOOL, "school_code")),
	T_("internship", "顶岗实习", "interns per school, enterprise and year", c_internship, SC(RS_SCHOOL, "school_code")),
	T_("employee_training", "企业职工培训", "employee training per school, enterprise and year", c_employee_training, SC(RS_SCHOOL, "school_code")),
	T_("hazard", "安全隐患", "safety hazard ledger. An import loads a ledger as it stands (any "
	   "state, no steps recorded; `eduhq eval safety` reports a major hazard past registration "
	   "without its five items); `eduhq hazard` moves a hazard step by step, checks each step "
	   "and records who made it", c_hazard, SC(RS_SCHOOL, "school_code")),
	T_("task", "重点任务", "plan tasks and targets", c_task),
	T_("task_progress", "任务进展", "dated progress entries of a task", c_task_progress),
};
const int registry_ntables = (int)(sizeof(registry_tables) / sizeof(registry_tables[0]));

const struct table *table_find(const char *name)
{
	for (int i = 0; i < registry_ntables; i++)
		if (!strcmp(registry_tables[i].name, name) || !strcmp(registry_tables[i].zh, name))
			return &registry_tables[i];
	return NULL;
}

int table_col_index(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcasecmp(t->cols[i].name, name) || !strcmp(t->cols[i].zh, name))
			return i;
	return -1;
}

int table_key_cols(const struct table *t, int *idx)
{
	int n = 0;
	for (int i = 0; i < t->ncols && n < 8; i++)
		if (t->cols[i].flags & TCOL_KEY)
			idx[n++] = i;
	return n;
}

const char *table_enum_zh(const struct column *c, const char *value)
{
	for (const struct enum_val *v = c->values; v && v->value; v++)
		if (!strcmp(v->value, value))
			return v->zh;
	return NULL;
}

const char *table_type_name(const struct column *c)
{
	switch (c->type) {
	case COL_INT: return "integer";
	case COL_REAL: return "number";
	case COL_DATE: return "date";
	case COL_BOOL: return "0/1";
	case COL_ENUM: return "code";
	default: return "text";
	}
}

/* Who may see and change a table's rows (the API's scope filter, scope.c). */
static void table_scope_md(struct buf *b, const struct table *t)
{
	switch (t->scope) {
	case RS_SCHOOL: buf_addf(b, "Scope (数据权限): the school in `%s`.", t->scope_col); break;
	case RS_AREA: buf_addf(b, "Scope (数据权限): the area in `%s`.", t->scope_col); break;
	case RS_TEACHER: buf_addf(b, "Scope (数据权限): the school of the current posting of the teacher in `%s`.", t->scope_col); break;
	default: buf_adds(b, "Scope (数据权限): city-wide; every user reads it, the city administrator writes it."); break;
	}
}

/* A bound as people write it: 10000000, not 1e+07; 0.5 */
static void num_str(char *out, size_t n, double v)
{
	if (v == floor(v) && fabs(v) < 1e16)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%g", v);
}

static void md_num(struct buf *b, double v)
{
	char s[32];
	num_str(s, sizeof(s), v);
	buf_adds(b, s);
}

const char *table_check_range(const struct column *c, const char *v, char *msg, size_t n)
{
	int lo, hi;
	long long iv;
	if (!(c->flags & (TCOL_MIN | TCOL_MAX)))
		return NULL;
	if (c->type == COL_INT && int_of(v, &iv)) {
		/* in integers: a double would round 2^53 + 1 down and let it pass */
		long long mn = (long long)c->min, mx = (long long)c->max;
		lo = (c->flags & TCOL_MIN) && ((c->flags & TCOL_GT) ? iv <= mn : iv < mn);
		hi = (c->flags & TCOL_MAX) && iv > mx;
	} else {
		double d = strtod(v, NULL);
		lo = (c->flags & TCOL_MIN) && ((c->flags & TCOL_GT) ? !(d > c->min) : !(d >= c->min));
		hi = (c->flags & TCOL_MAX) && !(d <= c->max);
	}
	if (!lo && !hi)
		return NULL;
	{
		char a[32], b[32];
		num_str(a, sizeof(a), c->min);
		num_str(b, sizeof(b), c->max);
		if ((c->flags & TCOL_GT) && lo)
			snprintf(msg, n, "must be > %s", a);
		else if ((c->flags & TCOL_MIN) && (c->flags & TCOL_MAX) && !(c->flags & TCOL_GT))
			snprintf(msg, n, "must be between %s and %s", a, b);
		else if (lo)
			snprintf(msg, n, "must be >= %s", a);
		else
			snprintf(msg, n, "must be <= %s", b);
	}
	return msg;
}

int table_csv_guard(const struct column *c, const char *v)
{
	return c->type == COL_TEXT && v[0] && strchr("=+-@\t\r'", v[0]) != NULL;
}

const char *table_unguard(const char *v)
{
	return v[0] == '\'' ? v + 1 : v;
}

int table_cmp_values(const struct column *c, const char *a, const char *b)
{
	long long x, y;
	if (c->type == COL_INT && int_of(a, &x) && int_of(b, &y))
		return (x > y) - (x < y);
	if (c->type == COL_INT || c->type == COL_REAL) {
		double p = strtod(a, NULL), q = strtod(b, NULL);
		return (p > q) - (p < q);
	}
	return strcmp(a, b);
}

void table_dictionary_md(struct buf *b)
{
	buf_adds(b, "# 数据字典 — data dictionary\n\n"
		    "Generated by `scripts/gen-docs.sh` from the column registry (src/table.c) with "
		    "`eduhq export --dictionary`; do not edit by hand.\n\n"
		    "Import files (`eduhq import TABLE FILE`) have a header row naming the columns by "
		    "their English name or their Chinese label, in any order. Columns marked required "
		    "must be present and non-empty; an empty optional field takes the default shown "
		    "or stays empty (NULL). Enumerated columns accept the code or its Chinese meaning; "
		    "0/1 columns also accept 是/否 and true/false. Dates are YYYY-MM-DD. A foreign key "
		    "must name a row already in the database or earlier in the same file.\n\n"
		    "A text value that starts with `=`, `+`, `-`, `@`, a tab, a carriage return "
		    "or an apostrophe is written to CSV exports behind an apostrophe (`'=SUM(A1)`), "
		    "so that a spreadsheet shows it as text instead of running it as a formula "
		    "(CSV injection, as OWASP advises); import drops one leading apostrophe from "
		    "any value, so such a file imports back unchanged (and an apostrophe typed to "
		    "keep a code as text is not part of the code).\n\n"
		    "The teacher file carries `id_number` (身份证号), which is validated (GB 11643) and "
		    "stored only as `id_hash` (keyed hash) and `id_masked`. An export carries "
		    "`id_hash` and `id_masked` instead; importing those restores the rows and needs "
		    "the same key file (EDUHQ_KEY_FILE) as the database they came from.\n");
	for (int i = 0; i < registry_ntables; i++) {
		const struct table *t = &registry_tables[i];
		int key[8], nk = table_key_cols(t, key);
		buf_addf(b, "\n## %s — %s\n\n%s. Natural key: ", t->name, t->zh, t->meaning);
		for (int k = 0; k < nk; k++)
			buf_addf(b, "%s`%s`", k ? ", " : "", t->cols[key[k]].name);
		buf_adds(b, ". ");
		table_scope_md(b, t);
		buf_adds(b, "\n\n| column | 中文 | type | required | allowed values | foreign key | meaning |\n"
			    "|---|---|---|---|---|---|---|\n");
		for (int j = 0; j < t->ncols; j++) {
			const struct column *c = &t->cols[j];
			const char *ref = c->ref;
			buf_addf(b, "| `%s` | %s | %s | %s | ", c->name, c->zh, table_type_name(c),
				 (c->flags & TCOL_KEY) ? "key" : (c->flags & TCOL_REQUIRED) ? "yes"
				 : (c->flags & (TCOL_VIRTUAL | TCOL_DERIVED)) ? "see note" : "no");
			if (c->values) {
				for (const struct enum_val *v = c->values; v->value; v++)
					buf_addf(b, "%s`%s`=%s", v == c->values ? "" : ", ",
						 v->value[0] ? v->value : "''", v->zh);
			} else if (c->type == COL_BOOL) {
				buf_adds(b, "1=是, 0=否");
			} else if ((c->flags & TCOL_MIN) || (c->flags & TCOL_MAX)) {
				if ((c->flags & TCOL_MIN) && (c->flags & TCOL_MAX) && (c->flags & TCOL_GT)) {
					buf_adds(b, "> ");
					md_num(b, c->min);
					buf_adds(b, ", ≤ ");
					md_num(b, c->max);
				} else if ((c->flags & TCOL_MIN) && (c->flags & TCOL_MAX)) {
					md_num(b, c->min);
					buf_adds(b, "–");
					md_num(b, c->max);
				} else {
					buf_adds(b, (c->flags & TCOL_GT) ? "> " : "≥ ");
					md_num(b, c->min);
				}
			}
			switch (c->check) {
			case CHK_SCHOOL_CODE: buf_adds(b, "10 digits"); break;
			case CHK_AREA_CODE: buf_adds(b, "6, 9 or 12 digits"); break;
			case CHK_ID_NUMBER: buf_adds(b, "18 characters, GB 11643 check digit"); break;
			case CHK_CREDIT_CODE: buf_adds(b, "18 characters, GB 32100 check character"); break;
			case CHK_VOC_CODE: buf_adds(b, "6 digits"); break;
			case CHK_ID_HASH: buf_adds(b, "32 hex digits"); break;
			case CHK_ID_MASKED: buf_adds(b, "330102********123X"); break;
			default: break;
			}
			if (c->def && !c->values && c->type != COL_BOOL)
				buf_addf(b, "%sdefault %s", ((c->flags & (TCOL_MIN | TCOL_MAX)) || c->check) ? "; " : "",
					 c->def[0] ? c->def : "''");
			else if (c->def)
				buf_addf(b, "; default `%s`", c->def[0] ? c->def : "''");
			if (c->ge)
				buf_addf(b, "; ≥ `%s`", c->ge);
			if (c->le)
				buf_addf(b, "; ≤ `%s`", c->le);
			buf_adds(b, " | ");
			if (ref)
				buf_addf(b, "%s", ref);
			for (int f = 0; f < t->nfks; f++)
				for (int k = 0; k < 4 && t->fks[f].cols[k]; k++)
					if (!strcmp(t->fks[f].cols[k], c->name)) {
						buf_addf(b, "%s%s(", ref ? "; " : "", t->fks[f].ref_table);
						for (int m = 0; m < 4 && t->fks[f].ref_cols[m]; m++)
							buf_addf(b, "%s%s", m ? ", " : "", t->fks[f].ref_cols[m]);
						buf_adds(b, ")");
						ref = "";
					}
			buf_addf(b, " | %s |\n", c->meaning);
		}
	}
}
