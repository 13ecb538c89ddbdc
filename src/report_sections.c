/* report_sections.c: the annual report's text, in the structure of a bureau's work report:
 * 一、主要成效, 二、存在问题, 三、下一步工作. Pure: reads the run's rows (report_facts) and
 * writes blocks through report.c's helpers, every number a figure of a stored row. A
 * paragraph whose mechanism is not in the run, or whose rows are absent, is left out. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "report.h"
#include "banned.h"

#define TX(zh, en) report_text(r, "%s", report_L(r, (zh), (en)))
/* The unit id of the run's city-wide rows: its one city, or "" for the rows over all the
 * data of a run with several cities (a province's), whose per-city rows are not summed. */
#define CITY(r) ((r)->f->city ? (r)->f->city : "")
#define MAX_LIST 10 /* units listed by name in one sentence; the rest are counted */

static int has_mech(const struct report *r, const char *m)
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

static const char *stage_name(const struct report *r, const char *s)
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
static const char *name_of(struct report *r, const char *code)
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

static const char *ind_name(const struct report *r, const char *code)
{
	const struct indicator *i = indicator_find(code);
	return i ? report_L(r, i->name_zh, i->name_en) : code;
}

/* A string member of a row's evidence, copied into the report's arena ("" if absent). */
static const char *ev_str(struct report *r, const struct result_row *w, const char *key)
{
	json_t *j = json_loads(w->evidence, 0, NULL), *v;
	const char *s = "";
	if (j && (v = json_object_get(j, key)) && json_is_string(v))
		s = arena_strdup(&r->a, json_string_value(v));
	json_decref(j);
	return s;
}

/* The names (key "name") of an evidence array's objects joined by 、 (at most MAX_LIST). */
static const char *ev_names(struct report *r, const struct result_row *w, const char *arr,
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

static void h1(struct report *r, const char *zh, const char *en)
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

static void h2(struct report *r, const char *zh, const char *en)
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

static void para(struct report *r)
{
	report_block(r, RB_PARA);
}

/* A row's value in the form that suits its indicator: CVs with three decimals, ratios as
 * percent, counts as integers, others with one decimal. */
static void fig_auto(struct report *r, const struct result_row *w, enum report_field f)
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

static size_t counties(const struct report *r, const char *ind, const char *stage,
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
	nc = counties(r, "BAL.CV.L1", stage, c, nall);
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
	if (!has_mech(r, "balance") || !counties(r, "BAL.COUNTY", NULL, c, 1))
		return;
	h2(r, "义务教育优质均衡发展", "Balanced high-quality compulsory education");
	para(r);
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
	if (!has_mech(r, "groups") || !cov)
		return;
	h2(r, "集团化办学", "Education groups");
	para(r);
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
	if (!has_mech(r, "teachers") || !ur)
		return;
	h2(r, "教师队伍建设与交流轮岗", "Teachers: exchanges and research activities");
	para(r);
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
	if (!has_mech(r, "seats"))
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
			h2(r, "学位供给与学校建设", "Seats and school construction");
			para(r);
			said = 1;
		}
		j = json_loads(last->evidence, 0, NULL);
		if (j && (pa = json_object_get(j, "projects")) && json_is_array(pa))
			json_array_foreach(pa, k, o) {
				json_t *code = json_object_get(o, "code"), *y = json_object_get(o, "completion_year");
				if (!json_is_string(code) || k >= MAX_LIST)
					break;
				buf_adds(&names, names.len ? report_L(r, "、", ", ") : "");
				buf_adds(&names, name_of(r, json_string_value(code)));
				buf_addf(&names, report_L(r, "（%d年建成）", " (complete in %d)"),
					 (int)json_integer_value(y));
			}
		json_decref(j);
		report_text(r, report_L(r, "%s建设%s，至%d年新增%s学位", "%s builds %s, adding by %d "),
			    name_of(r, w->unit_id), names.buf, last->year, stage_name(r, w->stage));
		report_fig(r, last, RF_EVIDENCE, "project_seats", 0, 0);
		report_text(r, report_L(r, "个。", " %s seats. "), stage_name(r, w->stage));
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
	if (!has_mech(r, "vocational") || !m)
		return;
	h2(r, "职业教育专业动态调整与产教融合", "Vocational education: specialty review and cooperation");
	para(r);
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
		report_text(r, report_L(r, "个（%s）", " specialties (%s)"), ev_names(r, cl, "specialties", "name"));
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
	if (!has_mech(r, "assessment") && !has_mech(r, "curriculum"))
		return;
	n = counties(r, "ASSESS.COUNTY", NULL, c, 128);
	for (size_t i = 0; i < n; i++)
		if (!best || c[i]->value > best->value)
			best = c[i];
	if (!best && !report_row(r->f, "CUR.ETHNIC.COUNTY", "county", NULL, NULL, 0))
		return;
	h2(r, "学校办学质量评价与课程实施", "School assessment and curriculum");
	para(r);
	if (best) {
		TX("开展学校办学质量考核，县域平均分最高的是", "In the school assessment, the highest county mean is ");
		report_text(r, "%s", name_of(r, best->unit_id));
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
	if (!has_mech(r, "safety"))
		return;
	n = counties(r, "SAFE.RECTIFY", NULL, c, 128);
	for (size_t i = 0; i < n; i++)
		if (!isnan(c[i]->value) && (!best || c[i]->value > best->value))
			best = c[i];
	if (!best)
		return;
	h2(r, "校园安全", "School safety");
	para(r);
	TX("隐患排查整改持续推进，整改率最高的", "Hazards are being rectified; the highest rectification rate is ");
	report_text(r, "%s", name_of(r, best->unit_id));
	TX("已整改销号", " with ");
	report_fig(r, best, RF_NUMERATOR, NULL, 0, 0);
	TX("项，整改率", " closed, a rate of ");
	report_fig(r, best, RF_VALUE, NULL, 1, 1);
	TX("。", ".");
}

static void good_tasks(struct report *r)
{
	if (!has_mech(r, "tasks") || !report_row(r->f, "TASK.PROGRESS", "task", NULL, NULL, 0))
		return;
	h2(r, "重点任务推进", "Plan tasks");
	para(r);
	TX("规划重点任务中已完成或按进度推进的", "Plan tasks done or on track: ");
	report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_PASS);
	TX("项。", ".");
}

/* ---- 二、存在问题 ---- */

static void prob_balance(struct report *r)
{
	size_t shown = 0, nfail = 0;
	int head = 0;
	if (!has_mech(r, "balance"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		json_t *j, *fl, *code;
		size_t k;
		if (strcmp(w->indicator, "BAL.COUNTY") || w->verdict != V_FAIL)
			continue;
		nfail++;
		if (!head) {
			h2(r, "均衡发展仍有短板", "Balance: counties short of the requirements");
			para(r);
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, report_L(r, "%s%s阶段未达到优质均衡要求：", "%s (%s) fails: "),
			    name_of(r, w->unit_id), stage_name(r, w->stage));
		j = json_loads(w->evidence, 0, NULL);
		if (j && (fl = json_object_get(j, "failing")) && json_is_array(fl))
			json_array_foreach(fl, k, code) {
				const struct result_row *x;
				if (!json_is_string(code))
					continue;
				x = report_row(r->f, json_string_value(code), "county", w->unit_id,
					       w->stage, 0);
				if (!x)
					continue;
				report_text(r, "%s%s", k ? report_L(r, "；", "; ") : "", ind_name(r, x->indicator));
				TX("为", " ");
				fig_auto(r, x, RF_VALUE);
				TX("，标准为", " against the threshold ");
				fig_auto(r, x, RF_THRESHOLD);
			}
		json_decref(j);
		TX("。", ". ");
	}
	if (nfail > MAX_LIST) {
		TX("未达标县域阶段共", "Failing county stages in all: ");
		report_count(r, "BAL.COUNTY", "county", NULL, 0, V_FAIL);
		TX("个。", ".");
	}
	if (report_row(r->f, "BAL.CLASS.LARGE", "county", NULL, NULL, 0)) {
		if (!head) {
			h2(r, "均衡发展仍有短板", "Balance: counties short of the requirements");
			para(r);
		}
		TX("存在大班额的县域阶段", "County stages with large classes (大班额): ");
		report_count(r, "BAL.CLASS.LARGE", "county", NULL, 0, V_FAIL);
		TX("个。", ".");
	}
}

static void seat_chart(struct report *r, const char *county, const char *stage)
{
	size_t n = 0, k = 0;
	struct report_chart *ch;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		n += !strcmp(w->indicator, "SEAT.GAP") && !strcmp(w->unit_id, county) &&
		     !strcmp(w->stage, stage);
	}
	if (!n)
		return;
	ch = report_chart_new(r, RC_LINES, n, 2);
	ch->title = arena_strdup(&r->a, "");
	{
		struct buf t = BUF_INIT;
		buf_addf(&t, report_L(r, "图：%s%s学位需求预测与学位供给", "Figure: %s, %s: forecast pupils against seats"),
			 name_of(r, county), stage_name(r, stage));
		ch->title = arena_strdup(&r->a, t.buf);
		buf_release(&t);
	}
	ch->caption = report_L(r, "数据：SEAT.GAP 的预测需求（demand）与学位数（seats，含建设项目）。",
			       "Data: SEAT.GAP's forecast demand and seats (with construction projects).");
	ch->y_label = report_L(r, "人 / 个", "pupils / seats");
	ch->s[0].name = report_L(r, "预测需求", "forecast pupils");
	ch->s[1].name = report_L(r, "学位供给", "seats");
	for (size_t i = 0; i < r->f->nrows && k < n; i++) {
		const struct result_row *w = &r->f->rows[i];
		char y[16];
		if (strcmp(w->indicator, "SEAT.GAP") || strcmp(w->unit_id, county) || strcmp(w->stage, stage))
			continue;
		snprintf(y, sizeof(y), "%d", w->year);
		ch->cat[k] = arena_strdup(&r->a, y);
		ch->s[0].v[k] = w->numerator;
		ch->s[1].v[k] = w->denominator;
		ch->s[0].ind[k] = ch->s[1].ind[k] = w->indicator;
		ch->s[0].unit[k] = ch->s[1].unit[k] = w->unit_id;
		k++;
	}
}

static void prob_seats(struct report *r)
{
	const struct result_row *worst = NULL;
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "seats"))
		return;
	/* per county and stage: the first year short and the largest gap */
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i], *max = w, *prev = NULL;
		if (strcmp(w->indicator, "SEAT.GAP") || w->verdict != V_FAIL)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct result_row *x = &r->f->rows[j];
			if (!strcmp(x->indicator, "SEAT.GAP") && x->verdict == V_FAIL &&
			    !strcmp(x->unit_id, w->unit_id) && !strcmp(x->stage, w->stage))
				prev = x;
		}
		if (prev)
			continue;
		for (size_t j = i + 1; j < r->f->nrows; j++) {
			const struct result_row *x = &r->f->rows[j];
			if (!strcmp(x->indicator, "SEAT.GAP") && x->verdict == V_FAIL &&
			    !strcmp(x->unit_id, w->unit_id) && !strcmp(x->stage, w->stage) &&
			    x->value > max->value)
				max = x;
		}
		if (!worst || max->value > worst->value)
			worst = max;
		if (!head) {
			h2(r, "部分区域学位供给不足", "Seat shortages ahead");
			para(r);
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, report_L(r, "%s%s学位%d年起出现缺口（", "%s, %s: short from %d ("),
			    name_of(r, w->unit_id), stage_name(r, w->stage), w->year);
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		TX("个，匹配度", " seats; matching degree ");
		{
			const struct result_row *m = report_row(r->f, "SEAT.MATCH", "county", w->unit_id,
								 w->stage, w->year);
			if (m)
				report_fig(r, m, RF_VALUE, NULL, 2, 0);
		}
		TX("）", ")");
		if (max != w) {
			report_text(r, report_L(r, "，%d年缺口达", ", %d: "), max->year);
			report_fig(r, max, RF_VALUE, NULL, 0, 0);
			TX("个", " seats");
		}
		TX("。", ". ");
	}
	if (worst)
		seat_chart(r, worst->unit_id, worst->stage);
}

static void prob_teachers(struct report *r)
{
	const struct result_row *s = report_row(r->f, "TCH.EXCH.SHARE", "city", CITY(r), NULL, 0);
	if (!has_mech(r, "teachers") || !s || s->verdict != V_FAIL)
		return;
	h2(r, "教师交流轮岗比例偏低", "Too few teachers exchanged");
	para(r);
	TX("全市符合条件教师", "Of ");
	report_fig(r, s, RF_EVIDENCE, "eligible", 0, 0);
	TX("人中交流轮岗", " eligible teachers ");
	report_fig(r, s, RF_NUMERATOR, NULL, 0, 0);
	TX("人，比例", " were exchanged: ");
	report_fig(r, s, RF_VALUE, NULL, 1, 1);
	TX("，低于", ", below the required ");
	report_fig(r, s, RF_THRESHOLD, NULL, 0, 1);
	TX("的要求；未达标县（市、区）", "; counties below it: ");
	report_count(r, "TCH.EXCH.SHARE", "county", NULL, 0, V_FAIL);
	TX("个。", ".");
}

static void prob_tasks(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "tasks"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "TASK.PROGRESS") || w->verdict != V_WARN)
			continue;
		if (!head) {
			h2(r, "部分重点任务进度滞后", "Plan tasks behind schedule");
			para(r);
			TX("进度滞后的任务", "Lagging tasks: ");
			report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_WARN);
			TX("项：", ": ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s（%s）", shown > 1 ? report_L(r, "；", "; ") : "", ev_str(r, w, "name"),
			    ev_str(r, w, "owner_unit"));
		TX("完成", " done ");
		report_fig(r, w, RF_VALUE, NULL, 0, 1);
		TX("，按时序应完成", ", expected by now ");
		report_fig(r, w, RF_THRESHOLD, NULL, 0, 1);
	}
	if (head)
		TX("。", ".");
}

static void prob_safety(struct report *r)
{
	size_t shown = 0, dgrade = 0;
	int head = 0;
	if (!has_mech(r, "safety"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "SAFE.OVERDUE") || strcmp(w->unit_kind, "county") ||
		    w->verdict != V_FAIL)
			continue;
		if (!head) {
			h2(r, "安全隐患整改不及时", "Hazards not rectified in time");
			para(r);
			TX("存在超期未整改隐患的县（市、区）", "Counties with overdue hazards: ");
			report_count(r, "SAFE.OVERDUE", "county", NULL, 0, V_FAIL);
			TX("个：", ": ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s", shown > 1 ? report_L(r, "、", ", ") : "", name_of(r, w->unit_id));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		TX("项", "");
	}
	if (head)
		TX("。", ".");
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "SAFE.BUILDING.D") || strcmp(w->unit_kind, "county") ||
		    w->verdict != V_FAIL || ++dgrade > MAX_LIST)
			continue;
		if (!head) {
			h2(r, "安全隐患整改不及时", "Hazards not rectified in time");
			para(r);
			head = 1;
		}
		report_text(r, report_L(r, "%s仍有D级危房", " %s still uses D-grade buildings: "),
			    name_of(r, w->unit_id));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		report_text(r, report_L(r, "栋在用（%s）。", " (%s)."), ev_names(r, w, "schools", "name"));
	}
}

static void prob_vocational(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "vocational"))
		return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->f->nrows; i++) {
			const struct result_row *w = &r->f->rows[i];
			if (strcmp(w->indicator, "VOC.REVIEW") ||
			    w->verdict != (pass ? V_WARN : V_FAIL))
				continue;
			if (!head) {
				h2(r, "部分专业就业质量不高", "Specialties with poor employment");
				para(r);
				TX("年度评议撤销", "The annual review closes ");
				report_count(r, "VOC.REVIEW", "specialty", NULL, 0, V_FAIL);
				TX("个专业、预警", " specialties and warns ");
				report_count(r, "VOC.REVIEW", "specialty", NULL, 0, V_WARN);
				TX("个专业。", ". ");
				head = 1;
			}
			if (shown++ >= MAX_LIST)
				continue;
			report_text(r, "%s%s", ev_str(r, w, "school_name"), ev_str(r, w, "name"));
			TX("专业就业率连续", ": employment below ");
			report_fig(r, w, RF_THRESHOLD, NULL, 0, 1);
			TX("以下已", " for ");
			report_fig(r, w, RF_VALUE, NULL, 0, 0);
			report_text(r, report_L(r, "年，评议结论：%s。", " year(s); decision: %s. "),
				    r->lang == REPORT_EN ? ev_str(r, w, "decision") : ev_str(r, w, "decision_zh"));
		}
}

static void prob_curriculum(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "curriculum"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "CUR.ETHNIC.COUNTY") || w->verdict != V_FAIL)
			continue;
		if (!head) {
			h2(r, "课程开设不够规范", "Curriculum hours short");
			para(r);
			TX("铸牢中华民族共同体意识课时不足的县（市、区）", "Counties with schools below the ethnic-unity hours: ");
			report_count(r, "CUR.ETHNIC.COUNTY", "county", NULL, 0, V_FAIL);
			TX("个，其中", "; ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s", head > 1 ? report_L(r, "，", ", ") : "", name_of(r, w->unit_id));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		TX("所", "");
		head = 2;
	}
	if (head)
		TX("。", ".");
}

/* ---- 三、下一步工作 ---- */

static void next_seats(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "seats"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		const char *kind;
		if (strcmp(w->indicator, "SEAT.PROPOSAL") || ++shown > MAX_LIST)
			continue;
		if (!head) {
			h2(r, "扩充紧缺区域学位供给", "Add seats where they will be short");
			para(r);
			head = 1;
		}
		kind = ev_str(r, w, "kind");
		report_text(r, report_L(r, "%s%s：%s，新增学位", "%s, %s: %s, "), name_of(r, w->unit_id),
			    stage_name(r, w->stage),
			    !strcmp(kind, "new_schools") ? report_L(r, "新建学校", "new schools")
							 : report_L(r, "改扩建现有学校", "expand existing schools"));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		report_text(r, report_L(r, "个，%d年前到位。", " seats by %d. "),
			    (int)report_ev_num(w, "year_needed"));
	}
	if (report_row(r->f, "SEAT.SURPLUS", "county", NULL, NULL, 0)) {
		if (!head)
			h2(r, "扩充紧缺区域学位供给", "Add seats where they will be short");
		para(r);
		TX("学位持续富余的县域学段", "County stages with a persistent surplus: ");
		report_count(r, "SEAT.SURPLUS", "county", NULL, 0, V_WARN);
		TX("个，稳妥推进小规模学校和教学点布局调整（撤并候选学校见明细）。",
		   "; plan the merger of small schools and teaching points (candidates in the rows).");
	}
}

static void next_balance(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!has_mech(r, "balance"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		const char *pull;
		if (strncmp(w->indicator, "BAL.CV.", 7) || w->verdict != V_FAIL)
			continue;
		pull = ev_names(r, w, "pulling_up", "name");
		if (!*pull || ++shown > MAX_LIST)
			continue;
		if (!head) {
			h2(r, "补齐均衡发展短板", "Close the balance gaps");
			para(r);
			head = 1;
		}
		report_text(r, report_L(r, "%s重点提升%s的%s（差异系数", "%s: raise %s in %s (CV "),
			    name_of(r, w->unit_id), pull, ind_name(r, w->indicator));
		report_fig(r, w, RF_VALUE, NULL, 3, 0);
		TX("，降至", ", to at most ");
		report_fig(r, w, RF_THRESHOLD, NULL, 3, 0);
		TX("以下）。", "). ");
	}
}

static void next_teachers(struct report *r)
{
	const struct result_row *a = report_row(r->f, "TCH.APPLICANTS", "city", CITY(r), NULL, 0);
	if (!has_mech(r, "teachers") || !a || !(report_ev_num(a, "national_only") > 0))
		return;
	h2(r, "完善教师交流激励机制", "Teachers' exchanges");
	para(r);
	report_fig(r, a, RF_EVIDENCE, "national_only", 0, 0);
	TX("名职称申报教师符合国家条件但农村学校任教年限未达市定要求，优先安排到乡村学校交流轮岗。",
	   " title applicants meet the national conditions but not the city's rural service: "
	   "give them exchanges to rural schools first.");
}

static void next_vocational(struct report *r)
{
	const struct result_row *cl = report_row(r->f, "VOC.CLOSED", "city", CITY(r), NULL, r->year);
	if (!has_mech(r, "vocational") || !cl || !(cl->value > 0))
		return;
	h2(r, "优化专业结构", "Specialties");
	para(r);
	report_text(r, report_L(r, "按评议结论撤销%s等", "Close %s ("), ev_names(r, cl, "specialties", "name"));
	report_fig(r, cl, RF_VALUE, NULL, 0, 0);
	TX("个专业，将招生计划调整到与重点产业匹配的专业。",
	   " specialties) and move their enrolment to specialties that match the key industries.");
}

static void next_safety(struct report *r)
{
	if (!has_mech(r, "safety") || !report_row(r->f, "SAFE.OVERDUE", "county", NULL, NULL, 0))
		return;
	h2(r, "压实安全责任", "Safety");
	para(r);
	TX("督促存在超期隐患的", "Have the ");
	report_count(r, "SAFE.OVERDUE", "county", NULL, 0, V_FAIL);
	TX("个县（市、区）限期整改销号，重大隐患落实责任、措施、资金、时限和预案；D级危房立即停用。",
	   " counties with overdue hazards close them by a deadline, major hazards with all five items; "
	   "stop using D-grade buildings at once.");
}

static void next_tasks(struct report *r)
{
	if (!has_mech(r, "tasks") || !report_row(r->f, "TASK.PROGRESS", "task", NULL, NULL, 0))
		return;
	h2(r, "加快重点任务落实", "Plan tasks");
	para(r);
	TX("对进度滞后的", "Put the ");
	report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_WARN);
	TX("项任务实行月调度，明确责任单位和完成时限。",
	   " lagging tasks on a monthly schedule with their responsible units and deadlines.");
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

	h1(r, "主要成效", "Achievements");
	good_balance(r);
	good_groups(r);
	good_teachers(r);
	good_seats(r);
	good_vocational(r);
	good_assessment(r);
	good_safety(r);
	good_tasks(r);

	h1(r, "存在问题", "Problems");
	prob_balance(r);
	prob_seats(r);
	prob_teachers(r);
	prob_tasks(r);
	prob_safety(r);
	prob_vocational(r);
	prob_curriculum(r);

	h1(r, "下一步工作", "Next steps");
	next_seats(r);
	next_balance(r);
	next_teachers(r);
	next_vocational(r);
	next_safety(r);
	next_tasks(r);

	report_block(r, RB_NOTES_HEAD);
	TX("数据说明", "Data notes");
}
