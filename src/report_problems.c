/* report_problems.c: the annual report's parts 二、存在问题 (failing counties and indicators, seat
 * gaps with the forecast-against-seats chart, exchanges below the rule, lagging tasks, overdue
 * hazards, specialties closed or warned, curriculum hours) and 三、下一步工作 (the engines'
 * proposals). Pure, like report_sections.c, whose helpers (report_sections.h) it uses. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "indicator.h"
#include "report.h"
#include "report_sections.h"
#include "banned.h"

/* ---- 二、存在问题 ---- */

static void prob_balance(struct report *r)
{
	size_t shown = 0, nfail = 0;
	int head = 0;
	if (!rs_has_mech(r, "balance"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		json_t *j, *fl, *code;
		size_t k;
		if (strcmp(w->indicator, "BAL.COUNTY") || w->verdict != V_FAIL)
			continue;
		nfail++;
		if (!head) {
			rs_h2(r, "均衡发展仍有短板", "Balance: counties short of the requirements");
			rs_para(r);
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, report_L(r, "%s%s阶段未达到优质均衡要求：", "%s (%s) fails: "),
			    rs_name_of(r, w->unit_id), rs_stage_name(r, w->stage));
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
				report_text(r, "%s%s", k ? report_L(r, "；", "; ") : "", rs_ind_name(r, x->indicator));
				TX("为", " ");
				rs_fig_auto(r, x, RF_VALUE);
				TX("，标准为", " against the threshold ");
				rs_fig_auto(r, x, RF_THRESHOLD);
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
			rs_h2(r, "均衡发展仍有短板", "Balance: counties short of the requirements");
			rs_para(r);
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
			 rs_name_of(r, county), rs_stage_name(r, stage));
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
	if (!rs_has_mech(r, "seats"))
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
			rs_h2(r, "部分区域学位供给不足", "Seat shortages ahead");
			rs_para(r);
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, report_L(r, "%s%s学位%d年起出现缺口（", "%s, %s: short from %d ("),
			    rs_name_of(r, w->unit_id), rs_stage_name(r, w->stage), w->year);
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
	if (!rs_has_mech(r, "teachers") || !s || s->verdict != V_FAIL)
		return;
	rs_h2(r, "教师交流轮岗比例偏低", "Too few teachers exchanged");
	rs_para(r);
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
	if (!rs_has_mech(r, "tasks"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "TASK.PROGRESS") || w->verdict != V_WARN)
			continue;
		if (!head) {
			rs_h2(r, "部分重点任务进度滞后", "Plan tasks behind schedule");
			rs_para(r);
			TX("进度滞后的任务", "Lagging tasks: ");
			report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_WARN);
			TX("项：", ": ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s（%s）", shown > 1 ? report_L(r, "；", "; ") : "", rs_ev_str(r, w, "name"),
			    rs_ev_str(r, w, "owner_unit"));
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
	if (!rs_has_mech(r, "safety"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "SAFE.OVERDUE") || strcmp(w->unit_kind, "county") ||
		    w->verdict != V_FAIL)
			continue;
		if (!head) {
			rs_h2(r, "安全隐患整改不及时", "Hazards not rectified in time");
			rs_para(r);
			TX("存在超期未整改隐患的县（市、区）", "Counties with overdue hazards: ");
			report_count(r, "SAFE.OVERDUE", "county", NULL, 0, V_FAIL);
			TX("个：", ": ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s", shown > 1 ? report_L(r, "、", ", ") : "", rs_name_of(r, w->unit_id));
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
			rs_h2(r, "安全隐患整改不及时", "Hazards not rectified in time");
			rs_para(r);
			head = 1;
		}
		report_text(r, report_L(r, "%s仍有D级危房", " %s still uses D-grade buildings: "),
			    rs_name_of(r, w->unit_id));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		report_text(r, report_L(r, "栋在用（%s）。", " (%s)."), rs_ev_names(r, w, "schools", "name"));
	}
}

static void prob_vocational(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!rs_has_mech(r, "vocational"))
		return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->f->nrows; i++) {
			const struct result_row *w = &r->f->rows[i];
			if (strcmp(w->indicator, "VOC.REVIEW") ||
			    w->verdict != (pass ? V_WARN : V_FAIL))
				continue;
			if (!head) {
				rs_h2(r, "部分专业就业质量不高", "Specialties with poor employment");
				rs_para(r);
				TX("年度评议撤销", "The annual review closes ");
				report_count(r, "VOC.REVIEW", "specialty", NULL, 0, V_FAIL);
				TX("个专业、预警", " specialties and warns ");
				report_count(r, "VOC.REVIEW", "specialty", NULL, 0, V_WARN);
				TX("个专业。", ". ");
				head = 1;
			}
			if (shown++ >= MAX_LIST)
				continue;
			report_text(r, "%s%s", rs_ev_str(r, w, "school_name"), rs_ev_str(r, w, "name"));
			TX("专业就业率连续", ": employment below ");
			report_fig(r, w, RF_THRESHOLD, NULL, 0, 1);
			TX("以下已", " for ");
			report_fig(r, w, RF_VALUE, NULL, 0, 0);
			report_text(r, report_L(r, "年，评议结论：%s。", " year(s); decision: %s. "),
				    r->lang == REPORT_EN ? rs_ev_str(r, w, "decision") : rs_ev_str(r, w, "decision_zh"));
		}
}

static void prob_curriculum(struct report *r)
{
	size_t shown = 0;
	int head = 0;
	if (!rs_has_mech(r, "curriculum"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		if (strcmp(w->indicator, "CUR.ETHNIC.COUNTY") || w->verdict != V_FAIL)
			continue;
		if (!head) {
			rs_h2(r, "课程开设不够规范", "Curriculum hours short");
			rs_para(r);
			TX("铸牢中华民族共同体意识课时不足的县（市、区）", "Counties with schools below the ethnic-unity hours: ");
			report_count(r, "CUR.ETHNIC.COUNTY", "county", NULL, 0, V_FAIL);
			TX("个，其中", "; ");
			head = 1;
		}
		if (shown++ >= MAX_LIST)
			continue;
		report_text(r, "%s%s", head > 1 ? report_L(r, "，", ", ") : "", rs_name_of(r, w->unit_id));
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
	if (!rs_has_mech(r, "seats"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		const char *kind;
		if (strcmp(w->indicator, "SEAT.PROPOSAL") || ++shown > MAX_LIST)
			continue;
		if (!head) {
			rs_h2(r, "扩充紧缺区域学位供给", "Add seats where they will be short");
			rs_para(r);
			head = 1;
		}
		kind = rs_ev_str(r, w, "kind");
		report_text(r, report_L(r, "%s%s：%s，新增学位", "%s, %s: %s, "), rs_name_of(r, w->unit_id),
			    rs_stage_name(r, w->stage),
			    !strcmp(kind, "new_schools") ? report_L(r, "新建学校", "new schools")
							 : report_L(r, "改扩建现有学校", "expand existing schools"));
		report_fig(r, w, RF_VALUE, NULL, 0, 0);
		report_text(r, report_L(r, "个，%d年前到位。", " seats by %d. "),
			    (int)report_ev_num(w, "year_needed"));
	}
	if (report_row(r->f, "SEAT.SURPLUS", "county", NULL, NULL, 0)) {
		if (!head)
			rs_h2(r, "扩充紧缺区域学位供给", "Add seats where they will be short");
		rs_para(r);
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
	if (!rs_has_mech(r, "balance"))
		return;
	for (size_t i = 0; i < r->f->nrows; i++) {
		const struct result_row *w = &r->f->rows[i];
		const char *pull;
		if (strncmp(w->indicator, "BAL.CV.", 7) || w->verdict != V_FAIL)
			continue;
		pull = rs_ev_names(r, w, "pulling_up", "name");
		if (!*pull || ++shown > MAX_LIST)
			continue;
		if (!head) {
			rs_h2(r, "补齐均衡发展短板", "Close the balance gaps");
			rs_para(r);
			head = 1;
		}
		report_text(r, report_L(r, "%s重点提升%s的%s（差异系数", "%s: raise %s in %s (CV "),
			    rs_name_of(r, w->unit_id), pull, rs_ind_name(r, w->indicator));
		report_fig(r, w, RF_VALUE, NULL, 3, 0);
		TX("，降至", ", to at most ");
		report_fig(r, w, RF_THRESHOLD, NULL, 3, 0);
		TX("以下）。", "). ");
	}
}

static void next_teachers(struct report *r)
{
	const struct result_row *a = report_row(r->f, "TCH.APPLICANTS", "city", CITY(r), NULL, 0);
	if (!rs_has_mech(r, "teachers") || !a || !(report_ev_num(a, "national_only") > 0))
		return;
	rs_h2(r, "完善教师交流激励机制", "Teachers' exchanges");
	rs_para(r);
	report_fig(r, a, RF_EVIDENCE, "national_only", 0, 0);
	TX("名职称申报教师符合国家条件但农村学校任教年限未达市定要求，优先安排到乡村学校交流轮岗。",
	   " title applicants meet the national conditions but not the city's rural service: "
	   "give them exchanges to rural schools first.");
}

static void next_vocational(struct report *r)
{
	const struct result_row *cl = report_row(r->f, "VOC.CLOSED", "city", CITY(r), NULL, r->year);
	if (!rs_has_mech(r, "vocational") || !cl || !(cl->value > 0))
		return;
	rs_h2(r, "优化专业结构", "Specialties");
	rs_para(r);
	report_text(r, report_L(r, "按评议结论撤销%s等", "Close %s ("), rs_ev_names(r, cl, "specialties", "name"));
	report_fig(r, cl, RF_VALUE, NULL, 0, 0);
	TX("个专业，将招生计划调整到与重点产业匹配的专业。",
	   " specialties) and move their enrolment to specialties that match the key industries.");
}

static void next_safety(struct report *r)
{
	if (!rs_has_mech(r, "safety") || !report_row(r->f, "SAFE.OVERDUE", "county", NULL, NULL, 0))
		return;
	rs_h2(r, "压实安全责任", "Safety");
	rs_para(r);
	TX("督促存在超期隐患的", "Have the ");
	report_count(r, "SAFE.OVERDUE", "county", NULL, 0, V_FAIL);
	TX("个县（市、区）限期整改销号，重大隐患落实责任、措施、资金、时限和预案；D级危房立即停用。",
	   " counties with overdue hazards close them by a deadline, major hazards with all five items; "
	   "stop using D-grade buildings at once.");
}

static void next_tasks(struct report *r)
{
	if (!rs_has_mech(r, "tasks") || !report_row(r->f, "TASK.PROGRESS", "task", NULL, NULL, 0))
		return;
	rs_h2(r, "加快重点任务落实", "Plan tasks");
	rs_para(r);
	TX("对进度滞后的", "Put the ");
	report_count(r, "TASK.PROGRESS", "task", NULL, 0, V_WARN);
	TX("项任务实行月调度，明确责任单位和完成时限。",
	   " lagging tasks on a monthly schedule with their responsible units and deadlines.");
}

void report_problems(struct report *r)
{
	rs_h1(r, "存在问题", "Problems");
	prob_balance(r);
	prob_seats(r);
	prob_teachers(r);
	prob_tasks(r);
	prob_safety(r);
	prob_vocational(r);
	prob_curriculum(r);
}

void report_next_steps(struct report *r)
{
	rs_h1(r, "下一步工作", "Next steps");
	next_seats(r);
	next_balance(r);
	next_teachers(r);
	next_vocational(r);
	next_safety(r);
	next_tasks(r);
}
