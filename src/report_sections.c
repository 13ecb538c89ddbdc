/* report_sections.c: the annual report's text, in the structure of a bureau's work report:
 * the title, 一、主要成效 (here), 二、存在问题 and 三、下一步工作 (report_problems.c), and the
 * helpers both use (report_sections.h). Pure: reads the run's rows (report_facts) and writes
 * blocks through report.c's helpers, every number a figure of a stored row. A paragraph whose
 * mechanism is not in the run, or whose rows are absent, is left out. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "report.h"
#include "report_sections.h"
#include "banned.h"


int rs_has_mech(const struct report *r, const char *m)
{
	const char *p = r->f->run.mechanisms;
	size_t n = strlen(m);
	while (p && *p) {
		size_t l = strcspn(p, ",");
		if (l == n && !memcmp(p, m, n))
			return 1;
		p += l;
		p += strspn(p, ",");
	}
	return 0;
}

const char *rs_stage_name(const struct report *r, const char *s)
{
	if (!strcmp(s, "primary"))
		return report_L(r, "小学", "primary");
	if (!strcmp(s, "junior"))
		return report_L(r, "初中", "junior secondary");
	if (!strcmp(s, "senior"))
		return report_L(r, "高中", "senior secondary");
	return s;
}

/* A unit's name; with several cities in the run (a province's data) county names repeat, so
 * the code follows the name. */
const char *rs_name_of(struct report *r, const char *code)
{
	const char *n = report_name(r->f, code);
	struct buf b = BUF_INIT;
	if (r->f->city || !strcmp(n, code))
		return n;
	buf_addf(&b, "%s（%s）", n, code);
	n = arena_strdup(&r->a, b.buf);
	buf_release(&b);
	return n;
}

const char *rs_ind_name(const struct report *r, const char *code)
{
	const struct indicator *i = indicator_find(code);
	return i ? report_L(r, i->name_zh, i->name_en) : code;
}

/* A string member of a row's evidence, copied into the report's arena ("" if absent). */
const char *rs_ev_str(struct report *r, const struct result_row *w, const char *key)
{
	json_t *j = json_loads(w->evidence, 0, NULL), *v;
	const char *s = "";
	if (j && (v = json_object_get(j, key)) && json_is_string(v))
		s = arena_strdup(&r->a, json_string_value(v));
	json_decref(j);
	return s;
}

/* The names (key "name") of an evidence array's objects joined by 、 (at most MAX_LIST). */
const char *rs_ev_names(struct report *r, const struct result_row *w, const char *arr,
			    const char *key)
{
	json_t *j = json_loads(w->evidence, 0, NULL), *a, *o;
	struct buf b = BUF_INIT;
	size_t i;
	const char *out;
	if (j && (a = json_object_get(j, arr)) && json_is_array(a))
		json_array_foreach(a, i, o) {
			json_t *n = json_object_get(o, key);
			if (i >= MAX_LIST || !json_is_string(n))
				break;
			buf_adds(&b, b.len ? report_L(r, "、", ", ") : "");
			buf_adds(&b, json_string_value(n));
		}
	json_decref(j);
	out = arena_strdup(&r->a, b.buf);
	buf_release(&b);
	return out;
}

void rs_h1(struct report *r, const char *zh, const char *en)
{
	static const char *const cn[] = { "一", "二", "三", "四", "五", "六" };
	report_block(r, RB_H1);
	if (r->lang == REPORT_EN)
		report_text(r, "%d. %s", r->h1_no + 1, en);
	else
		report_text(r, "%s、%s", cn[r->h1_no % 6], zh);
	r->h1_no++;
	r->h2_no = 0;
}

void rs_h2(struct report *r, const char *zh, const char *en)
{
	static const char *const cn[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九",
					  "十", "十一", "十二" };
	report_block(r, RB_H2);
	if (r->lang == REPORT_EN)
		report_text(r, "%d.%d %s", r->h1_no, r->h2_no + 1, en);
	else
		report_text(r, "（%s）%s", cn[r->h2_no % 12], zh);
	r->h2_no++;
}

void rs_para(struct report *r)
{
	report_block(r, RB_PARA);
}

/* A row's value in the form that suits its indicator: CVs with three decimals, ratios as
 * percent, counts as integers, others with one decimal. */
void rs_fig_auto(struct report *r, const struct result_row *w, enum report_field f)
{
	const struct indicator *i = indicator_find(w->indicator);
	const char *u = i ? i->unit : "";
	if (!strncmp(w->indicator, "BAL.CV.", 7) || !strcmp(w->indicator, "BAL.BASIC2012"))
		report_fig(r, w, f, NULL, 3, 0);
	else if (strstr(u, "ratio") || strstr(u, "share"))
		report_fig(r, w, f, NULL, 1, 1);
	else
		report_fig(r, w, f, NULL, 0, 0);
}

/* ---- 一、主要成效 ---- */

size_t rs_counties(const struct report *r, const char *ind, const char *stage,
		       const struct result_row **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->f->nrows && n < max; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (!strcmp(w->indicator, ind) && !strcmp(w->unit_kind, "county") &&
		    (!stage || !strcmp(w->stage, stage)))
			out[n++] = w;
	}
	return n;
}

#define CHART_COUNTIES 12 /* a chart's readable number of county groups */

static double max_cv(const struct report *r, const char *county, const char *stage)
{
	double m = 0;
	for (int l = 1; l <= 7; l++) {
		char code[32];
		const struct result_row *w;
		snprintf(code, sizeof(code), "BAL.CV.L%d", l);
		w = report_row(r->f, code, "county", county, stage, 0);
		if (w && w->value > m)
			m = w->value;
	}
	return m;
}

/* The seven CVs of each county (the CHART_COUNTIES highest when there are more) against
 * the stage's threshold. */
static void cv_chart(struct report *r, const char *stage)
{
	size_t nall = 0, nc = 0;
	const struct result_row **c;
	struct report_chart *ch;
	int capped;

	for (size_t i = 0; i < r->f->nrows; i++)
		nall += !strcmp(r->f->rows[i].indicator, "BAL.CV.L1") &&
			!strcmp(r->f->rows[i].unit_kind, "county") && !strcmp(r->f->rows[i].stage, stage);
	if (!nall)
		return;
	c = arena_alloc(&r->a, nall * sizeof(*c));
	nc = rs_counties(r, "BAL.CV.L1", stage, c, nall);
	capped = nc > CHART_COUNTIES;
	while (nc > CHART_COUNTIES) { /* drop the lowest, keeping the order */
		size_t lo = 0;
		for (size_t k = 1; k < nc; k++)
			if (max_cv(r, c[k]->unit_id, stage) < max_cv(r, c[lo]->unit_id, stage))
				lo = k;
		memmove(&c[lo], &c[lo + 1], (nc - lo - 1) * sizeof(*c));
		nc--;
	}
	ch = report_chart_new(r, RC_BARS, nc, 7);
	ch->title = capped ? report_L(r, "图：小学校际差异系数最高的12个县（市、区）与标准",
				       "Figure: the 12 counties with the highest primary CVs against the threshold")
			   : report_L(r, "图：小学各县（市、区）校际差异系数与标准",
				      "Figure: primary CVs by county against the threshold");
	ch->caption = report_L(r, "数据：BAL.CV.L1–L7，本报告所用评估运行；虚线为差异系数标准。",
			       "Data: BAL.CV.L1–L7 of this report's run; the dashed line is the threshold.");
	ch->y_label = report_L(r, "差异系数", "CV");
	ch->threshold = c[0]->threshold;
	ch->threshold_label = report_L(r, "标准", "threshold");
	for (size_t k = 0; k < nc; k++)
		ch->cat[k] = report_name(r->f, c[k]->unit_id);
	for (int l = 0; l < 7; l++) {
		char code[32];
		snprintf(code, sizeof(code), "BAL.CV.L%d", l + 1);
		ch->s[l].name = arena_strdup(&r->a, code + 7);
		for (size_t k = 0; k < nc; k++) {
			const struct result_row *w = report_row(r->f, code, "county", c[k]->unit_id,
								stage, 0);
			if (!w)
				continue;
			ch->s[l].v[k] = w->value;
			ch->s[l].ind[k] = w->indicator;
			ch->s[l].unit[k] = w->unit_id;
		}
	}
}

static void good_balance(struct report *r)
{
	const struct result_row *c[2];
	if (!rs_has_mech(r, "balance") || !rs_counties(r, "BAL.COUNTY", NULL, c, 1))
		return;
	rs_h2(r, "义务教育优质均衡发展", "Balanced high-quality compulsory education");
	rs_para(r);
	TX("按县域义务教育优质均衡发展督导评估办法，全市小学阶段有",
	   "Under the national method for county balance, ");
	report_count(r, "BAL.COUNTY", "county", "primary", r->year, V_PASS);
	TX("个、初中阶段有", " counties (primary) and ");
	report_count(r, "BAL.COUNTY", "county", "junior", r->year, V_PASS);
	TX("个县（市、区）资源配置七项指标校际差异系数和学校达标率达到优质均衡要求。",
	   " counties (junior) meet the resource-allocation requirements: the seven "
	   "between-school CVs and the share of schools meeting the standards.");
	cv_chart(r, "primary");
}

static void good_groups(struct report *r)
{
	const struct result_row *cov = report_row(r->f, "GRP.COVERAGE", "city", CITY(r), NULL, 0);
	const struct result_row *did = report_row(r->f, "GRP.DID", "city", CITY(r), NULL, 0);
	if (!rs_has_mech(r, "groups") || !cov)
		return;
	rs_h2(r, "集团化办学", "Education groups");
	rs_para(r);
	TX("全市组建教育集团", "The city has formed ");
	report_fig(r, cov, RF_EVIDENCE, "groups", 0, 0);
	TX("个，覆盖学校", " education groups covering ");
	report_fig(r, cov, RF_NUMERATOR, NULL, 0, 0);
	TX("所，占全市公办义务教育学校（", " schools, ");
	report_fig(r, cov, RF_DENOMINATOR, NULL, 0, 0);
	TX("所）的", " public compulsory schools being the denominator: ");
	report_fig(r, cov, RF_VALUE, NULL, 0, 1);
	TX("。", ".");
	if (did) {
		size_t nyears = 0;
		const struct result_row *t, *ctl;
		report_text(r, "%s", report_L(r, "集团内农村成员校优秀率由", " The excellent rate of rural members rose from "));
		report_fig(r, did, RF_EVIDENCE, "treated_base", 1, 1);
		TX("提高到", " to ");
		report_fig(r, did, RF_EVIDENCE, "treated_post", 1, 1);
		TX("，同期集团外可比农村学校由", ", that of comparable rural schools outside groups from ");
		report_fig(r, did, RF_EVIDENCE, "control_base", 1, 1);
		TX("变为", " to ");
		report_fig(r, did, RF_EVIDENCE, "control_post", 1, 1);
		TX("；双重差分估计集团化办学效果为", "; the difference-in-differences estimate of the groups' effect is ");
		report_fig(r, did, RF_VALUE, NULL, 3, 0);
		TX("（置信水平", " (confidence level ");
		report_fig(r, did, RF_EVIDENCE, "level", 0, 1);
		TX("的区间为", ", interval ");
		report_fig(r, did, RF_EVIDENCE, "interval_low", 3, 0);
		TX("至", " to ");
		report_fig(r, did, RF_EVIDENCE, "interval_high", 3, 0);
		TX("）。", ").");
		/* chart: rural members against comparison schools by year */
		for (size_t i = 0; i < r->f->nrows; i++)
			if (!strcmp(r->f->rows[i].indicator, "GRP.RURAL.EXCELLENT"))
				nyears++;
		if (nyears) {
			struct report_chart *ch = report_chart_new(r, RC_LINES, nyears, 2);
			size_t k = 0;
			ch->title = report_L(r, "图：集团内农村成员校与集团外农村学校优秀率",
					     "Figure: excellent rate, rural group members against rural schools outside groups");
			ch->caption = report_L(r, "数据：GRP.RURAL.EXCELLENT、GRP.CONTROL.EXCELLENT。",
					       "Data: GRP.RURAL.EXCELLENT, GRP.CONTROL.EXCELLENT.");
			ch->y_label = report_L(r, "优秀率", "excellent rate");
			ch->percent = 1;
			ch->s[0].name = report_L(r, "集团内农村成员校", "rural members");
			ch->s[1].name = report_L(r, "集团外农村学校", "rural schools outside groups");
			for (size_t i = 0; i < r->f->nrows && k < nyears; i++) {
				char y[16];
				t = &r->f->rows[i];
				if (strcmp(t->indicator, "GRP.RURAL.EXCELLENT"))
					continue;
				snprintf(y, sizeof(y), "%d", t->year);
				ch->cat[k] = arena_strdup(&r->a, y);
				ch->s[0].v[k] = t->value;
				ch->s[0].ind[k] = t->indicator;
				ch->s[0].unit[k] = t->unit_id;
				ctl = report_row(r->f, "GRP.CONTROL.EXCELLENT", t->unit_kind, t->unit_id,
						 NULL, t->year);
				if (ctl) {
					ch->s[1].v[k] = ctl->value;
					ch->s[1].ind[k] = ctl->indicator;
					ch->s[1].unit[k] = ctl->unit_id;
				}
				k++;
			}
		}
	}
}

static void good_teachers(struct report *r)
{
	const char *c = CITY(r);
	const struct result_row *ur = report_row(r->f, "TCH.EXCH.URBAN_RURAL", "city", c, NULL, 0);
	const struct result_row *bb = report_row(r->f, "TCH.EXCH.BACKBONE", "city", c, NULL, 0);
	const struct result_row *snd = report_row(r->f, "TCH.ACT.SEND", "city", c, NULL, 0);
	const struct result_row *onl = report_row(r->f, "TCH.ACT.ONLINE", "city", c, NULL, 0);
	const struct result_row *sch = report_row(r->f, "TCH.ACT.SCHOOLS", "city", c, NULL, 0);
	const struct result_row *rur = report_row(r->f, "TCH.ACT.RURAL", "city", c, NULL, 0);
	const struct result_row *app = report_row(r->f, "TCH.APPLICANTS", "city", c, NULL, 0);
	if (!rs_has_mech(r, "teachers") || !ur)
		return;
	rs_h2(r, "教师队伍建设与交流轮岗", "Teachers: exchanges and research activities");
	rs_para(r);
	report_text(r, report_L(r, "%d学年城镇教师到乡村学校交流轮岗", "In the %d school year, "), r->year);
	report_fig(r, ur, RF_VALUE, NULL, 0, 0);
	TX("人", " urban teachers were exchanged to rural schools");
	if (bb) {
		TX("，其中骨干教师", ", of whom ");
		report_fig(r, bb, RF_NUMERATOR, NULL, 0, 0);
		TX("人，占", " backbone teachers (");
		report_fig(r, bb, RF_VALUE, NULL, 1, 1);
		TX("", ")");
	}
	TX("。", ".");
	if (snd && onl && sch) {
		TX("开展送教下乡", " 送教下乡 activities: ");
		report_fig(r, snd, RF_VALUE, NULL, 0, 0);
		TX("次、网络教研", "; 网络教研: ");
		report_fig(r, onl, RF_VALUE, NULL, 0, 0);
		TX("次，覆盖学校", "; schools covered: ");
		report_fig(r, sch, RF_VALUE, NULL, 0, 0);
		TX("所", "");
		if (rur) {
			TX("，乡村教师参与率", "; rural teachers' participation ");
			report_fig(r, rur, RF_VALUE, NULL, 1, 1);
		}
		TX("。", ".");
	}
	if (app) {
		TX("职称申报", " Title applicants: ");
		report_fig(r, app, RF_DENOMINATOR, NULL, 0, 0);
		TX("人，其中", ", of whom ");
		report_fig(r, app, RF_NUMERATOR, NULL, 0, 0);
		TX("人符合申报条件。", " are eligible.");
	}
}

/* Construction projects: per county and stage, the seats projects add by the forecast's last
 * year, and the projects with their completion years. */
static void good_seats(struct report *r)
{
	size_t shown = 0;
	int said = 0;
	if (!rs_has_mech(r, "seats"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i], *last = w;
		json_t *j, *pa, *o;
		size_t k;
		struct buf names = BUF_INIT;
		if (strcmp(w->indicator, "SEAT.GAP") || !(report_ev_num(w, "project_seats") > 0))
			continue;
		for (k = 0; k < i; k++) {
			const struct result_row *x = &r->f->rows[k];
			if (!strcmp(x->indicator, "SEAT.GAP") && !strcmp(x->unit_id, w->unit_id) &&
			    !strcmp(x->stage, w->stage) && report_ev_num(x, "project_seats") > 0)
				break;
		}
		if (k < i || ++shown > MAX_LIST)
			continue; /* said already, or enough said */
		for (size_t m = i + 1; m < r->f->nrows; m++) {
			const struct result_row *x = &r->f->rows[m];
			if (!strcmp(x->indicator, "SEAT.GAP") && !strcmp(x->unit_id, w->unit_id) &&
			    !strcmp(x->stage, w->stage) && x->year > last->year)
				last = x;
		}
		if (!said) {
			rs_h2(r, "学位供给与学校建设", "Seats and school construction");
			rs_para(r);
			said = 1;
		}
		j = json_loads(last->evidence, 0, NULL);
		if (j && (pa = json_object_get(j, "projects")) && json_is_array(pa))
			json_array_foreach(pa, k, o) {
				json_t *code = json_object_get(o, "code"), *y = json_object_get(o, "completion_year");
				if (!json_is_string(code) || k >= MAX_LIST)
					break;
				buf_adds(&names, names.len ? report_L(r, "、", ", ") : "");
				buf_adds(&names, rs_name_of(r, json_string_value(code)));
				buf_addf(&names, report_L(r, "（%d年建成）", " (complete in %d)"),
					 (int)json_integer_value(y));
			}
		json_decref(j);
		report_text(r, report_L(r, "%s建设%s，至%d年新增%s学位", "%s builds %s, adding by %d "),
			    rs_name_of(r, w->unit_id), names.buf, last->year, rs_stage_name(r, w->stage));
		report_fig(r, last, RF_EVIDENCE, "project_seats", 0, 0);
		report_text(r, report_L(r, "个。", " %s seats. "), rs_stage_name(r, w->stage));
		buf_release(&names);
	}
}

static void good_vocational(struct report *r)
{
	const char *c = CITY(r);
	const struct result_row *m = report_row(r->f, "VOC.MATCH", "city", c, NULL, 0);
	const struct result_row *cl = report_row(r->f, "VOC.CLOSED", "city", c, NULL, r->year);
	const struct result_row *op = report_row(r->f, "VOC.OPENED", "city", c, NULL, r->year);
	const struct result_row *ent = report_row(r->f, "VOC.COOP.ENT", "city", c, NULL, 0);
	const struct result_row *base = report_row(r->f, "VOC.BASE.N", "city", c, NULL, 0);
	const struct result_row *ord = report_row(r->f, "VOC.COOP.ORDER", "city", c, NULL, 0);
	if (!rs_has_mech(r, "vocational") || !m)
		return;
	rs_h2(r, "职业教育专业动态调整与产教融合", "Vocational education: specialty review and cooperation");
	rs_para(r);
	TX("全市职业院校开设专业", "Vocational schools run ");
	report_fig(r, m, RF_DENOMINATOR, NULL, 0, 0);
	TX("个，其中与重点产业匹配", " specialties, of which ");
	report_fig(r, m, RF_NUMERATOR, NULL, 0, 0);
	TX("个，专业与产业匹配率", " match the key industries: a match rate of ");
	report_fig(r, m, RF_VALUE, NULL, 1, 1);
	TX("。", ".");
	if (cl) {
		TX("年度评议撤销专业", " The annual review closed ");
		report_fig(r, cl, RF_VALUE, NULL, 0, 0);
		report_text(r, report_L(r, "个（%s）", " specialties (%s)"), rs_ev_names(r, cl, "specialties", "name"));
		if (op) {
			TX("，新增专业", " and opened ");
			report_fig(r, op, RF_VALUE, NULL, 0, 0);
			TX("个", "");
		}
		TX("。", ".");
	}
	if (ent && base) {
		TX("合作企业", " Partner enterprises: ");
		report_fig(r, ent, RF_VALUE, NULL, 0, 0);
		TX("家，实训基地", "; training bases: ");
		report_fig(r, base, RF_VALUE, NULL, 0, 0);
		TX("个", "");
		if (ord) {
			TX("，订单班学生", "; order-class students: ");
			report_fig(r, ord, RF_VALUE, NULL, 0, 0);
			TX("人", "");
		}
		TX("。", ".");
	}
}

static void good_assessment(struct report *r)
{
	const struct result_row *best = NULL, *c[128];
	size_t n;
	if (!rs_has_mech(r, "assessment") && !rs_has_mech(r, "curriculum"))
		return;
	n = rs_counties(r, "ASSESS.COUNTY", NULL, c, 128);
	for (size_t i = 0; i < n; i++)
		if (!best || c[i]->value > best->value)
			best = c[i];
	if (!best && !report_row(r->f, "CUR.ETHNIC.COUNTY", "county", NULL, NULL, 0))
		return;
	rs_h2(r, "学校办学质量评价与课程实施", "School assessment and curriculum");
	rs_para(r);
	if (best) {
		TX("开展学校办学质量考核，县域平均分最高的是", "In the school assessment, the highest county mean is ");
		report_text(r, "%s", rs_name_of(r, best->unit_id));
		TX("（", " (");
		report_fig(r, best, RF_VALUE, NULL, 1, 0);
		TX("分）。", " points).");
	}
	if (report_row(r->f, "CUR.ETHNIC.COUNTY", "county", NULL, NULL, 0)) {
		TX("铸牢中华民族共同体意识课时全部达标的县（市、区）", " Counties where every school meets the ethnic-unity class hours: ");
		report_count(r, "CUR.ETHNIC.COUNTY", "county", NULL, 0, V_PASS);
		TX("个。", ".");
	}
}

static void good_safety(struct report *r)
{
	const struct result_row *best = NULL, *c[128];
	size_t n;
	if (!rs_has_mech(r, "safety"))
		return;
	n = rs_counties(r, "SAFE.RECTIFY", NULL, c, 128);
	for (size_t i = 0; i < n; i++)
		if (!isnan(c[i]->value) && (!best || c[i]->value > best->value))
			best = c[i];
	if (!best)
		return;
	rs_h2(r, "校园安全", "School safety");
	rs_para(r);
	TX("隐患排查整改持续推进，整改率最高的", "Hazards are being rectified; the highest rectification rate is ");
	report_text(r, "%s", rs_name_of(r, best->unit_id));
	TX("已整改销号", " with ");
	report_fig(r, best, RF_NUMERATOR, NULL, 0, 0);
	TX("项，整改率", " closed, a rate of ");
	report_fig(r, best, RF_VALUE, NULL, 1, 1);
	TX("。", ".");
}

static void good_tasks(struct report *r)
{
	if (!rs_has_mech(r, "tasks") || !report_row(r->f, "TASK.PROGRESS", "task", NULL, NULL, 0))
		return;
	rs_h2(r, "重点任务推进", "Plan tasks");
	rs_para(r);
	TX("规划重点任务中已完成或按进度推进的", "Plan tasks done or on track: ");
	report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_PASS);
	TX("项。", ".");
}

void report_sections(struct report *r)
{
	const struct report_facts *f = r->f;
	const char *city = f->city ? report_name(f, f->city) : report_L(r, "全域", "All areas");
	struct buf t = BUF_INIT;

	if (r->lang == REPORT_EN)
		buf_addf(&t, "%s: education high-quality development, annual report %d", city, r->year);
	else
		buf_addf(&t, "%s%d年度教育高质量发展工作报告", city, r->year);
	r->title = arena_strdup(&r->a, t.buf);
	buf_release(&t);
	report_block(r, RB_TITLE);
	report_text(r, "%s", r->title);
	report_block(r, RB_META);
	report_text(r, report_L(r, "数据来源：评估运行 #%lld（%d学年，%s），数据指纹 %s。每个数字后的编号对应文末“数据说明”。",
				"Source: evaluation run #%lld (school year %d, %s), data fingerprint %s. "
				"The number after each figure refers to the data notes at the end."),
		    (long long)f->run.id, f->run.year, f->run.created_at, f->run.fingerprint);

	rs_h1(r, "主要成效", "Achievements");
	good_balance(r);
	good_groups(r);
	good_teachers(r);
	good_seats(r);
	good_vocational(r);
	good_assessment(r);
	good_safety(r);
	good_tasks(r);

	report_problems(r);
	report_next_steps(r);

	report_block(r, RB_NOTES_HEAD);
	TX("数据说明", "Data notes");
}
