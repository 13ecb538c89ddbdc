/* demo_misc.c: the rest of the demo city: construction projects from the speech (5 new
 * schools with 8,000 seats, three nine-year schools in the high-tech zone due 2026, 12
 * expansions, the 2025 expansion of ¥120 M / 18,000 m² / 3,000 seats), the 15 education
 * groups, 中考 results 2020-2024 (rural group members' 优秀率 12% -> 28%), activities,
 * curriculum hours, assessment schemes (an active one with 18% 思政, a draft at 12%),
 * hazards and the plan's tasks with progress. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "demo_internal.h"
#include "xmalloc.h"
#include "banned.h"

/* days since 1970-01-01 <-> civil date */
#define days_from_civil date_from_civil

static void civil(long z, char out[16])
{
	date_format(z, out);
}

static int first_school(const struct demo_world *w, int ci, int kind, int type, int rural)
{
	const struct demo_city *c = &w->cities[ci];
	for (int s = c->first_school; s < c->first_school + c->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		if (w->counties[sc->county].kind == kind && sc->type == type && sc->rural == rural &&
		    !sc->tp)
			return s;
	}
	return c->first_school;
}

static int write_projects(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "project", "code,name,area_code,school_code,kind,school_type,seats,"
			    "primary_seats,investment,floor_area,start_year,completion_year,status", e);
	static const char *const ord[] = { "一", "二", "三" };
	if (!f)
		return e->code;
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		const struct demo_county *cz = &w->counties[city->first_county + 2];
		const struct demo_county *ca = &w->counties[city->first_county];
		const struct demo_county *cb = &w->counties[city->first_county + 1];
		int k = 0;
		for (int i = 0; i < 3; i++)
			fprintf(f, "PJ%s%02d,%s第%s九年一贯制学校（新建）,%s,,new,nine_year,1800,900,"
				"150000000,36000,2024,2026,building\n", city->code, ++k, cz->name, ord[i],
				cz->code);
		fprintf(f, "PJ%s%02d,%s城南新区小学（新建）,%s,,new,primary,1350,1350,80000000,"
			"20000,2026,2027,planned\n", city->code, ++k, ca->name, ca->code);
		fprintf(f, "PJ%s%02d,%s滨湖初级中学（新建）,%s,,new,junior,1250,0,90000000,22000,"
			"2026,2028,planned\n", city->code, ++k, cb->name, cb->code);
		{
			int s = first_school(w, ci, CK_DISTRICT, ST_NINE, 0);
			const struct demo_school *sc = &w->schools[s];
			fprintf(f, "PJ%s%02d,%s改扩建工程（2025年）,%s,%s,expansion,nine_year,3000,1500,"
				"120000000,18000,2024,2025,building\n", city->code, ++k, sc->name,
				w->counties[sc->county].code, sc->code);
		}
		/* eleven more expansions in the districts' and county seats' schools */
		for (int n = 0, s = city->first_school; n < 11 && s < city->first_school + city->nschools; s++) {
			const struct demo_school *sc = &w->schools[s];
			const struct demo_county *c = &w->counties[sc->county];
			if (sc->rural || sc->type > ST_NINE || c->kind == CK_ZONE || s % 5 != 2)
				continue;
			fprintf(f, "PJ%s%02d,%s扩建工程,%s,%s,expansion,%s,%d,%d,%d,%d,2025,%d,planned\n",
				city->code, ++k, sc->name, c->code, sc->code,
				sc->type == ST_PRIMARY ? "primary" : sc->type == ST_JUNIOR ? "junior" : "nine_year",
				300 + 50 * (n % 5), sc->type == ST_JUNIOR ? 0 : 300 + 50 * (n % 5),
				20000000 + 2500000 * n, 4000 + 500 * n, 2026 + n % 3);
			n++;
		}
		w->rows_total += k;
	}
	return demo_close(w, f, "project", e);
}

static int write_groups(struct demo_world *w, struct err *e)
{
	FILE *fg = demo_open(w, "edu_group", "code,name,lead_school_code,founded_year", e);
	FILE *fm = fg ? demo_open(w, "group_member", "group_code,school_code,joined_year,left_year", e) : NULL;
	int rc = 0;
	if (!fm) {
		if (fg)
			fclose(fg);
		return e->code;
	}
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		for (int g = 0; g < 15; g++) {
			int founded = 2019 + g % 3;
			for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
				const struct demo_school *sc = &w->schools[s];
				if (sc->group == g && sc->lead) {
					char nm[128];
					/* "XX第一小学教育集团" */
					snprintf(nm, sizeof(nm), "%s教育集团", sc->name);
					fprintf(fg, "GR%s%02d,%s,%s,%d\n", city->code, g + 1, nm, sc->code, founded);
					w->rows_total++;
				}
			}
			for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
				const struct demo_school *sc = &w->schools[s];
				if (sc->group == g) {
					fprintf(fm, "GR%s%02d,%s,%d,\n", city->code, g + 1, sc->code, founded);
					w->rows_total++;
				}
			}
		}
	}
	rc = demo_close(w, fg, "edu_group", e);
	if (rc) {
		fclose(fm);
		return rc;
	}
	return demo_close(w, fm, "group_member", e);
}

static int write_exams(struct demo_world *w, struct err *e)
{
	static const double grp[] = { 0.110, 0.115, 0.120, 0.200, 0.280 };
	static const double non[] = { 0.105, 0.110, 0.115, 0.125, 0.140 };
	FILE *f = demo_open(w, "exam_result", "school_code,year,exam,candidates,excellent,passed", e);
	if (!f)
		return e->code;
	for (int s = 0; s < w->nschools; s++) {
		const struct demo_school *sc = &w->schools[s];
		int g = sc->type == ST_SENIOR ? 12 : 9;
		if (sc->type != ST_JUNIOR && sc->type != ST_NINE && sc->type != ST_SENIOR)
			continue;
		for (int y = 2020; y <= DEMO_Y1; y++) {
			int cand = demo_pupils(w, s, y, g);
			double u = demo_unif(w, 111, (uint64_t)s, (uint64_t)y, 0) - 0.5;
			double r;
			if (sc->type == ST_SENIOR)
				r = 0.38 + 0.1 * u;
			else if (!sc->rural)
				r = 0.30 + 0.005 * (y - 2020) + 0.1 * (demo_unif(w, 112, (uint64_t)s, 0, 0) - 0.5);
			else
				r = (sc->group >= 0 ? grp[y - 2020] : non[y - 2020]) + 0.01 * u;
			fprintf(f, "%s,%d,%s,%d,%d,%d\n", sc->code, y, sc->type == ST_SENIOR ? "gaokao" : "zhongkao",
				cand, (int)(cand * r + 0.5), (int)(cand * (0.88 + 0.08 * u) + 0.5));
			w->rows_total++;
		}
	}
	return demo_close(w, f, "exam_result", e);
}

static int write_activities(struct demo_world *w, struct err *e)
{
	FILE *fa = demo_open(w, "activity", "code,year,kind,date,title,organizer_school_code,"
			     "teacher_participations,rural_teacher_participations", e);
	FILE *fs = fa ? demo_open(w, "activity_school", "activity_code,school_code", e) : NULL;
	int *rural, *leads, *comp;
	int rc;
	if (!fs) {
		if (fa)
			fclose(fa);
		return e->code;
	}
	rural = xcalloc((size_t)w->nschools, sizeof(int));
	comp = xcalloc((size_t)w->nschools, sizeof(int));
	leads = xcalloc(16, sizeof(int));
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		int nr = 0, nc = 0;
		long day0;
		char d[16];
		for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
			const struct demo_school *sc = &w->schools[s];
			if (sc->type > ST_NINE)
				continue;
			comp[nc++] = s;
			if (sc->rural)
				rural[nr++] = s;
			if (sc->lead)
				leads[sc->group] = s;
		}
		for (int y = 2023; y <= DEMO_Y1; y++) {
			int nst = y == DEMO_Y1 ? 36 : 30, nres = y == DEMO_Y1 ? 270 : 240,
			    nonl = y == DEMO_Y1 ? 150 : 110;
			day0 = days_from_civil(y, 1, 8);
			for (int k = 0; k < nst; k++) {
				int part = y == DEMO_Y1 ? (k < 12 ? 34 : 33) : 30;
				civil(day0 + k * 9, d);
				fprintf(fa, "ST%s-%d-%03d,%d,send_teaching,%s,送教下乡（%s）,%s,%d,%d\n",
					city->code, y, k + 1, y, d, w->schools[rural[k % nr]].name,
					w->schools[leads[k % 15]].code, part, part * 4 / 5);
				fprintf(fs, "ST%s-%d-%03d,%s\n", city->code, y, k + 1,
					w->schools[rural[k % nr]].code);
				if (y == DEMO_Y1 && k < 12 && nr >= 48)
					fprintf(fs, "ST%s-%d-%03d,%s\n", city->code, y, k + 1,
						w->schools[rural[(k + 36) % nr]].code);
				w->rows_total += 3;
			}
			for (int k = 0; k < nres + nonl; k++) {
				int org = comp[demo_hash(w, 121, (uint64_t)ci, (uint64_t)y, (uint64_t)k) % (uint64_t)nc];
				int oth = comp[demo_hash(w, 122, (uint64_t)ci, (uint64_t)y, (uint64_t)k) % (uint64_t)nc];
				int part = demo_range(w, 8, 40, 123, (uint64_t)ci, (uint64_t)y, (uint64_t)k);
				int online = k >= nres;
				civil(day0 + (k * 7) % 350, d);
				fprintf(fa, "RS%s-%d-%03d,%d,%s,%s,%s,%s,%d,%d\n", city->code, y, k + 1, y,
					online ? "online_research" : "research", d,
					online ? "网络教研" : "校际联合教研", w->schools[org].code, part,
					part / 3);
				fprintf(fs, "RS%s-%d-%03d,%s\n", city->code, y, k + 1, w->schools[org].code);
				if (oth != org)
					fprintf(fs, "RS%s-%d-%03d,%s\n", city->code, y, k + 1,
						w->schools[oth].code);
				w->rows_total += 3;
			}
			for (int k = 0; k < 12; k++) {
				civil(day0 + 20 + k * 28, d);
				fprintf(fa, "SZ%s-%d-%02d,%d,shared_sizheng,%s,同上一节思政课,%s,%d,%d\n",
					city->code, y, k + 1, y, d, w->schools[leads[k % 15]].code, 60, 20);
				w->rows_total++;
			}
		}
	}
	free(rural);
	free(comp);
	free(leads);
	rc = demo_close(w, fa, "activity", e);
	if (rc) {
		fclose(fs);
		return rc;
	}
	return demo_close(w, fs, "activity_school", e);
}

static int write_curriculum(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "curriculum_hours", "school_code,year,course,hours_per_week,"
			    "total_hours_per_week", e);
	if (!f)
		return e->code;
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		int k = 0;
		for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
			const struct demo_school *sc = &w->schools[s];
			int jr = sc->type == ST_JUNIOR;
			double tot = sc->type == ST_PRIMARY ? 30 : jr ? 34 : 32;
			int short_eu = 0;
			if (sc->type > ST_NINE)
				continue;
			if (sc->rural && k++ % 12 == 5)
				short_eu = 1; /* a few village schools below 1 h/week */
			for (int y = 2023; y <= DEMO_Y1; y++) {
				fprintf(f, "%s,%d,ethnic_unity,%.1f,%.0f\n", sc->code, y,
					short_eu && y == DEMO_Y1 ? 0.5 : 1.0, tot);
				fprintf(f, "%s,%d,morality_law,%.1f,%.0f\n", sc->code, y, jr ? 2.0 : 2.0, tot);
				fprintf(f, "%s,%d,pe,%.1f,%.0f\n", sc->code, y, jr ? 3.0 : 4.0, tot);
				fprintf(f, "%s,%d,arts,%.1f,%.0f\n", sc->code, y, jr ? 2.0 : 4.0, tot);
				fprintf(f, "%s,%d,labour,%.1f,%.0f\n", sc->code, y, 1.0, tot);
				w->rows_total += 5;
			}
		}
	}
	return demo_close(w, f, "curriculum_hours", e);
}

static const struct item {
	const char *code, *parent, *name;
	double w_active, w_draft;
	int sizheng;
} items[] = {
	{ "A", NULL, "党建引领", 10, 10, 0 },
	{ "A1", "A", "党组织建设", 6, 6, 0 },
	{ "A2", "A", "师德师风", 4, 4, 0 },
	{ "B", NULL, "思政课程建设", 10, 7, 1 },
	{ "C", NULL, "课程思政与德育实践", 8, 5, 1 },
	{ "D", NULL, "教育教学质量", 30, 33, 0 },
	{ "D1", "D", "课程实施", 10, 11, 0 },
	{ "D2", "D", "学业质量", 12, 13, 0 },
	{ "D3", "D", "教学研究", 8, 9, 0 },
	{ "E", NULL, "五育并举", 20, 23, 0 },
	{ "E1", "E", "体育与健康", 8, 9, 0 },
	{ "E2", "E", "美育", 6, 7, 0 },
	{ "E3", "E", "劳动教育", 6, 7, 0 },
	{ "F", NULL, "教师队伍", 12, 12, 0 },
	{ "F1", "F", "教师专业发展", 7, 7, 0 },
	{ "F2", "F", "交流轮岗", 5, 5, 0 },
	{ "G", NULL, "安全与治理", 10, 10, 0 },
	{ "G1", "G", "安全管理", 6, 6, 0 },
	{ "G2", "G", "家校社协同", 4, 4, 0 },
};

static int is_leaf(size_t i)
{
	for (size_t j = 0; j < ARRAY_SIZE(items); j++)
		if (items[j].parent && !strcmp(items[j].parent, items[i].code))
			return 0;
	return 1;
}

static int write_assessment(struct demo_world *w, struct err *e)
{
	FILE *fs = demo_open(w, "assessment_scheme", "code,year,name,status", e);
	FILE *fi = fs ? demo_open(w, "assessment_item", "scheme_code,item_code,parent_item_code,name,"
				  "weight,is_sizheng", e) : NULL;
	FILE *fc = fi ? demo_open(w, "assessment_score", "scheme_code,item_code,school_code,score", e) : NULL;
	int rc;
	if (!fc) {
		if (fs)
			fclose(fs);
		if (fi)
			fclose(fi);
		return e->code;
	}
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		fprintf(fs, "AS%s-2024,2024,%s中小学校办学质量评价方案（2024年）,active\n", city->code,
			city->name);
		fprintf(fs, "AS%s-2024D,2024,%s中小学校办学质量评价方案（2024年征求意见稿）,draft\n",
			city->code, city->name);
		for (int v = 0; v < 2; v++)
			for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
				fprintf(fi, "AS%s-2024%s,%s,%s,%s,%.1f,%d\n", city->code, v ? "D" : "",
					items[i].code, items[i].parent ? items[i].parent : "", items[i].name,
					v ? items[i].w_draft : items[i].w_active, items[i].sizheng);
				w->rows_total++;
			}
		for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
			if (w->schools[s].type > ST_NINE)
				continue;
			for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
				if (!is_leaf(i))
					continue;
				fprintf(fc, "AS%s-2024,%s,%s,%.1f\n", city->code, items[i].code,
					w->schools[s].code,
					60 + 38 * demo_unif(w, 131, (uint64_t)s, (uint64_t)i, 0));
				w->rows_total++;
			}
		}
	}
	rc = demo_close(w, fs, "assessment_scheme", e);
	if (!rc)
		rc = demo_close(w, fi, "assessment_item", e);
	else
		fclose(fi);
	if (!rc)
		rc = demo_close(w, fc, "assessment_score", e);
	else
		fclose(fc);
	return rc;
}

static const char *const hz_cat[] = { "drowning", "building", "fire", "food", "traffic",
	"bullying", "lab_chemicals", "special_equipment", "gas_electric", "dormitory",
	"surroundings", "natural_disaster", "epidemic", "mental_health" };
static const char *const hz_desc[] = { "校园周边水塘未设防护栏和警示标志", "教学楼外墙瓷砖空鼓脱落",
	"消防通道堆放杂物、灭火器过期", "食堂留样记录不全", "校门口上下学时段无交通疏导",
	"学生欺凌防治制度未落实", "化学实验室危化品未双人双锁", "电梯年检过期",
	"配电房线路老化", "宿舍床铺护栏高度不足", "校园周边存在无证经营摊点",
	"后山边坡雨季有滑坡风险", "传染病晨午检登记不全", "心理辅导室未按要求配备专职教师" };

static int write_hazards(struct demo_world *w, struct err *e)
{
	FILE *f = demo_open(w, "hazard", "code,school_code,category,found_date,description,is_major,"
			    "state,responsible,measures,funds,deadline,contingency_plan,closed_date", e);
	static const char *const states[] = { "closed", "closed", "closed", "closed", "closed",
		"closed", "accepted", "rectifying", "assigned", "registered" };
	int *comp;
	if (!f)
		return e->code;
	comp = xcalloc((size_t)w->nschools, sizeof(int));
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		int nc = 0, n = 150 * w->mult;
		int dschool = first_school(w, ci, CK_COUNTY, ST_PRIMARY, 1);
		for (int s = city->first_school; s < city->first_school + city->nschools; s++)
			if (w->schools[s].type <= ST_NINE)
				comp[nc++] = s;
		for (int h = 0; h < n; h++) {
			int s = comp[demo_hash(w, 141, (uint64_t)ci, (uint64_t)h, 0) % (uint64_t)nc];
			int cat = (int)(demo_hash(w, 142, (uint64_t)ci, (uint64_t)h, 0) % 14);
			long found = days_from_civil(2024, 3, 1) + (long)(demo_hash(w, 143, (uint64_t)ci, (uint64_t)h, 0) % 420);
			const char *state = states[demo_hash(w, 144, (uint64_t)ci, (uint64_t)h, 0) % 10];
			int major = h % 25 == 0;
			int no_plan = 0;
			char fd[16], dl[16], cd[16];
			long dline = found + 30 + (long)(demo_hash(w, 145, (uint64_t)ci, (uint64_t)h, 0) % 90);
			if (h == 0) { /* a major hazard assigned without a contingency plan */
				state = "assigned";
				no_plan = 1;
			} else if (h == 1) { /* the D-grade building still in use */
				s = dschool;
				cat = 1;
				major = 1;
				state = "rectifying";
				found = days_from_civil(2024, 9, 10);
				dline = days_from_civil(2025, 8, 31);
			} else if (h % 10 == 3) { /* overdue: deadline passed, still being rectified */
				state = "rectifying";
				found = days_from_civil(2024, 4, 1) + h;
				dline = found + 60;
			}
			civil(found, fd);
			civil(dline, dl);
			civil(found + 20 + (long)(demo_hash(w, 146, (uint64_t)ci, (uint64_t)h, 0) % 60), cd);
			if (!strcmp(state, "found") || !strcmp(state, "registered")) {
				fprintf(f, "HZ%s-%04d,%s,%s,%s,%s,%d,%s,,,,,,\n", city->code, h + 1,
					w->schools[s].code, hz_cat[cat],
					fd, h == 1 ? "D级危房仍在使用" : hz_desc[cat], major, state);
			} else {
				fprintf(f, "HZ%s-%04d,%s,%s,%s,%s,%d,%s,%s校长,%s,%.0f,%s,%s,%s\n", city->code,
					h + 1, w->schools[s].code, hz_cat[cat], fd,
					h == 1 ? "D级危房仍在使用" : hz_desc[cat], major, state,
					w->schools[s].name, "制定整改方案，落实专人整改",
					major ? 800000.0 : 5000.0 + 1000.0 * (h % 40), dl,
					no_plan ? "" : "已制定应急预案", !strcmp(state, "closed") ? cd : "");
			}
			w->rows_total++;
		}
	}
	free(comp);
	return demo_close(w, f, "hazard", e);
}

/* Tasks 1-4 belong to the 2025-2030 facilities plan (task 00, their parent); 1, 2 and 4 take
 * their progress from the construction projects (formula, counted in the city or the zone);
 * their quarterly entries stay in the files as the bureau reported them. */
enum { TA_NONE, TA_CITY, TA_ZONE };
static const struct task {
	const char *name, *owner, *unit;
	double baseline, target;
	const char *start, *deadline;
	double progress[3]; /* at 2025-03-31, 06-30, 09-30 */
	int in_plan;
	const char *formula;
	int area;
} tasks[] = {
	{ "新建中小学校", "市教育局发展规划科", "所", 0, 5, "2025-01-01", "2030-12-31", { 0, 0, 0 }, 1, "schools_opened", TA_CITY },
	{ "新增义务教育学位", "市教育局发展规划科", "个", 0, 8000, "2025-01-01", "2030-12-31", { 0, 0, 0 }, 1, "seats_added", TA_CITY },
	{ "改扩建学校", "市教育局发展规划科", "所", 0, 12, "2025-01-01", "2030-12-31", { 0, 1, 2 }, 1, "", TA_NONE },
	{ "高新区建成九年一贯制学校", "高新区社会事业局", "所", 0, 3, "2024-03-01", "2026-08-31", { 0, 0, 0 }, 1, "nine_year_opened", TA_ZONE },
	{ "2025年改扩建投资", "市教育局计划财务科", "万元", 0, 12000, "2025-01-01", "2025-12-31", { 2500, 5600, 9200 }, 0, "", TA_NONE },
	{ "2025年改扩建校舍面积", "市教育局发展规划科", "平方米", 0, 18000, "2025-01-01", "2025-12-31", { 3000, 7000, 12000 }, 0, "", TA_NONE },
	{ "2025年新增学位", "市教育局发展规划科", "个", 0, 3000, "2025-01-01", "2025-12-31", { 0, 0, 1500 }, 0, "", TA_NONE },
	{ "集团化办学覆盖率", "市教育局基础教育科", "%", 60, 68, "2023-01-01", "2025-12-31", { 66, 68, 68 }, 0, "", TA_NONE },
	{ "城区教师到乡村学校交流", "市教育局人事科", "人", 0, 120, "2024-09-01", "2025-08-31", { 120, 120, 120 }, 0, "", TA_NONE },
	{ "职业教育专业与产业匹配度", "市教育局职成科", "%", 80, 85, "2023-01-01", "2025-12-31", { 86.7, 86.7, 86.7 }, 0, "", TA_NONE },
	{ "安全隐患整改销号率", "市教育局安全稳定科", "%", 0, 100, "2025-01-01", "2025-12-31", { 40, 61, 78 }, 0, "", TA_NONE },
};

static int write_tasks(struct demo_world *w, struct err *e)
{
	FILE *ft = demo_open(w, "task", "code,name,owner_unit,unit,baseline,target,start_date,deadline,"
			     "parent_code,formula,area_code", e);
	FILE *fp = ft ? demo_open(w, "task_progress", "task_code,date,value,note", e) : NULL;
	static const char *const dates[] = { "2025-03-31", "2025-06-30", "2025-09-30" };
	int rc;
	if (!fp) {
		if (ft)
			fclose(ft);
		return e->code;
	}
	for (int ci = 0; ci < w->ncities; ci++) {
		const char *city = w->cities[ci].code;
		const char *zone = w->counties[w->cities[ci].first_county + 2].code;
		fprintf(ft, "TK%s-00,2025—2030年中小学校建设规划,市教育局发展规划科,%%,0,100,2025-01-01,"
			"2030-12-31,,,\n", city);
		w->rows_total++;
		for (size_t i = 0; i < ARRAY_SIZE(tasks); i++) {
			const struct task *t = &tasks[i];
			char parent[32] = "";
			if (t->in_plan)
				snprintf(parent, sizeof(parent), "TK%s-00", city);
			fprintf(ft, "TK%s-%02zu,%s,%s,%s,%g,%g,%s,%s,%s,%s,%s\n", city, i + 1, t->name,
				t->owner, t->unit, t->baseline, t->target, t->start, t->deadline, parent,
				t->formula ? t->formula : "",
				t->area == TA_CITY ? city : t->area == TA_ZONE ? zone : "");
			for (int k = 0; k < 3; k++)
				fprintf(fp, "TK%s-%02zu,%s,%g,%s\n", w->cities[ci].code, i + 1, dates[k],
					t->progress[k], k == 2 ? "季度调度" : "");
			w->rows_total += 4;
		}
	}
	rc = demo_close(w, ft, "task", e);
	if (rc) {
		fclose(fp);
		return rc;
	}
	return demo_close(w, fp, "task_progress", e);
}

int demo_write_misc(struct demo_world *w, struct err *e)
{
	static const demo_writer writers[] = {
		write_projects, write_groups, write_exams, write_activities,
		write_curriculum, write_assessment, write_hazards, write_tasks,
	};
	return demo_run_writers(w, writers, ARRAY_SIZE(writers), e);
}
