/* demo_voc.c: the demo's vocational education: the six key industries, sixty specialties of
 * the 2021 catalogue at the city's five vocational schools (52 of 60 tied to a key
 * industry: 86.7%), five years of employment figures (three specialties below 60% in both
 * 2023 and 2024, among them 传统纺织; one below only in 2024; 光伏工程技术 at 100%), 120
 * partner enterprises with valid 统一社会信用代码, cooperation, 45 training bases, about
 * 1,000 interns a year and employee training. The three failing specialties are recorded
 * as closed in 2024 (the speech's "3 closed"), the warned one as warned; order classes and
 * apprenticeships name the specialty they serve. */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "validate.h"
#include "xmalloc.h"
#include "banned.h"

static const char *const industries[][2] = {
	{ "IND01", "新能源" }, { "IND02", "新材料" }, { "IND03", "现代物流" },
	{ "IND04", "高端装备制造" }, { "IND05", "电子信息" }, { "IND06", "生物医药" },
	{ "IND07", "纺织服装" }, { "IND08", "现代服务业" },
};
#define NKEY 6

enum { OK_, FAIL2, WARN1, FULL };

static const struct spec {
	const char *code, *name, *cat;
	int ind;   /* index into industries, -1 none */
	int fate;
} specs[] = {
	{ "430301", "风力发电工程技术", "能源动力与材料大类", 0, OK_ },
	{ "430302", "光伏工程技术", "能源动力与材料大类", 0, FULL },
	{ "430304", "分布式发电与智能微电网技术", "能源动力与材料大类", 0, OK_ },
	{ "430305", "氢能技术应用", "能源动力与材料大类", 0, OK_ },
	{ "430103", "供用电技术", "能源动力与材料大类", 0, OK_ },
	{ "460702", "新能源汽车技术", "装备制造大类", 0, OK_ },
	{ "500212", "新能源汽车检测与维修技术", "交通运输大类", 0, OK_ },
	{ "430107", "电力系统自动化技术", "能源动力与材料大类", 0, OK_ },
	{ "430601", "新能源材料应用技术", "能源动力与材料大类", 1, OK_ },
	{ "430602", "储能材料技术", "能源动力与材料大类", 1, OK_ },
	{ "430603", "光伏材料制备技术", "能源动力与材料大类", 1, OK_ },
	{ "430604", "硅材料制备技术", "能源动力与材料大类", 1, OK_ },
	{ "430501", "高分子材料智能制造技术", "能源动力与材料大类", 1, OK_ },
	{ "430502", "复合材料智能制造技术", "能源动力与材料大类", 1, OK_ },
	{ "430701", "新型建筑材料技术", "能源动力与材料大类", 1, OK_ },
	{ "430503", "炭材料工程技术", "能源动力与材料大类", 1, OK_ },
	{ "530801", "物流工程技术", "财经商贸大类", 2, OK_ },
	{ "530802", "现代物流管理", "财经商贸大类", 2, OK_ },
	{ "530805", "冷链物流技术与管理", "财经商贸大类", 2, OK_ },
	{ "530809", "智能物流技术", "财经商贸大类", 2, OK_ },
	{ "530810", "供应链运营", "财经商贸大类", 2, OK_ },
	{ "530808", "采购与供应管理", "财经商贸大类", 2, OK_ },
	{ "530701", "电子商务", "财经商贸大类", 2, OK_ },
	{ "530704", "跨境电子商务", "财经商贸大类", 2, OK_ },
	{ "500601", "港口与航运管理", "交通运输大类", 2, OK_ },
	{ "460101", "机械设计与制造", "装备制造大类", 3, OK_ },
	{ "460103", "数控技术", "装备制造大类", 3, OK_ },
	{ "460104", "机械制造及自动化", "装备制造大类", 3, OK_ },
	{ "460301", "机电一体化技术", "装备制造大类", 3, OK_ },
	{ "460303", "工业机器人技术", "装备制造大类", 3, OK_ },
	{ "460305", "电气自动化技术", "装备制造大类", 3, OK_ },
	{ "460306", "智能控制技术", "装备制造大类", 3, OK_ },
	{ "460108", "模具设计与制造", "装备制造大类", 3, OK_ },
	{ "460701", "汽车制造与试验技术", "装备制造大类", 3, OK_ },
	{ "460110", "增材制造技术", "装备制造大类", 3, OK_ },
	{ "510101", "电子信息工程技术", "电子与信息大类", 4, OK_ },
	{ "510102", "物联网应用技术", "电子与信息大类", 4, OK_ },
	{ "510103", "应用电子技术", "电子与信息大类", 4, OK_ },
	{ "510201", "计算机应用技术", "电子与信息大类", 4, OK_ },
	{ "510202", "计算机网络技术", "电子与信息大类", 4, OK_ },
	{ "510203", "软件技术", "电子与信息大类", 4, OK_ },
	{ "510205", "大数据技术", "电子与信息大类", 4, OK_ },
	{ "510209", "人工智能技术应用", "电子与信息大类", 4, OK_ },
	{ "510401", "集成电路技术", "电子与信息大类", 4, OK_ },
	{ "470201", "药品生物技术", "生物与化工大类", 5, OK_ },
	{ "470202", "生物制药技术", "生物与化工大类", 5, OK_ },
	{ "520301", "药学", "医药卫生大类", 5, OK_ },
	{ "520302", "中药学", "医药卫生大类", 5, OK_ },
	{ "470203", "生物产品检验检疫", "生物与化工大类", 5, OK_ },
	{ "520501", "医学检验技术", "医药卫生大类", 5, OK_ },
	{ "470101", "应用化工技术", "生物与化工大类", 5, OK_ },
	{ "520801", "康复治疗技术", "医药卫生大类", 5, OK_ },
	{ "480102", "纺织技术与服务（传统纺织）", "轻工纺织大类", 6, FAIL2 },
	{ "480201", "服装设计与工艺", "轻工纺织大类", 6, FAIL2 },
	{ "530302", "大数据与会计", "财经商贸大类", 7, OK_ },
	{ "540101", "旅游管理", "旅游大类", 7, FAIL2 },
	{ "540301", "烹饪工艺与营养", "旅游大类", 7, WARN1 },
	{ "550101", "艺术设计", "文化艺术大类", 7, OK_ },
	{ "520201", "护理", "医药卫生大类", 7, OK_ },
	{ "570102", "学前教育", "教育与体育大类", -1, OK_ },
};
#define NSPEC ((int)ARRAY_SIZE(specs))

static const char *const ent_stems[] = { "江源", "华腾", "恒信", "远航", "鑫达", "瑞丰", "中联",
	"宏图", "天成", "博远", "金诺", "捷安", "正泰", "汇通", "明阳" };
static const char *const ent_kind[] = { "光伏科技", "新材料", "物流", "智能装备", "电子科技",
	"生物医药", "纺织", "酒店管理" };

/* 统一社会信用代码 of enterprise e of city ci. */
static void credit_code(const struct demo_world *w, int ci, int e, char out[19])
{
	static const int wt[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	const struct demo_county *c = &w->counties[w->cities[ci].first_county + e % 6];
	char org[9];
	int sum = 0, ck;
	snprintf(org, sizeof(org), "%08u", (unsigned)(31000000 + ci * 100000 + e * 613 % 100000) % 100000000u);
	for (int i = 0; i < 8; i++)
		sum += (org[i] - '0') * wt[i];
	ck = 11 - sum % 11;
	snprintf(out, 19, "91%s%s%c", c->code, org, ck == 10 ? 'X' : ck == 11 ? '0' : (char)('0' + ck));
	out[17] = credit_code_check_char(out);
	out[18] = '\0';
}

/* Employment rate of a specialty in a year, by its fate. */
static double emp_rate(const struct demo_world *w, int ci, int i, int y)
{
	double u = demo_unif(w, 91, (uint64_t)ci, (uint64_t)i, (uint64_t)y);
	switch (specs[i].fate) {
	case FULL: return 1.0;
	case FAIL2: return y >= 2023 ? 0.46 + 0.08 * u : 0.66 + 0.06 * u;
	case WARN1: return y >= 2024 ? 0.50 + 0.06 * u : 0.72 + 0.06 * u;
	default: return 0.86 + 0.11 * u;
	}
}

int demo_write_voc(struct demo_world *w, struct err *e)
{
	FILE *fi = NULL, *fc = NULL, *fm = NULL, *fs = NULL, *fy = NULL, *fe = NULL, *fo = NULL,
	     *fb = NULL, *fn = NULL, *ft = NULL;
	int rc = 0;

	fi = demo_open(w, "industry", "code,name,is_key", e);
	if (!fi)
		return e->code;
	for (int i = 0; i < (int)ARRAY_SIZE(industries); i++)
		fprintf(fi, "%s,%s,%d\n", industries[i][0], industries[i][1], i < NKEY);
	if ((rc = demo_close(w, fi, "industry", e)))
		return rc;

	fc = demo_open(w, "voc_catalog", "version,code,name,category", e);
	if (!fc)
		return e->code;
	for (int i = 0; i < NSPEC; i++)
		fprintf(fc, "2021,%s,%s,%s\n", specs[i].code, specs[i].name, specs[i].cat);
	if ((rc = demo_close(w, fc, "voc_catalog", e)))
		return rc;

	fm = demo_open(w, "specialty_industry", "catalog_version,specialty_code,industry_code", e);
	if (!fm)
		return e->code;
	for (int i = 0; i < NSPEC; i++)
		if (specs[i].ind >= 0)
			fprintf(fm, "2021,%s,%s\n", specs[i].code, industries[specs[i].ind][0]);
	if ((rc = demo_close(w, fm, "specialty_industry", e)))
		return rc;
	w->rows_total += (long)ARRAY_SIZE(industries) + 2L * NSPEC;

	fs = demo_open(w, "school_specialty", "school_code,catalog_version,specialty_code,"
		       "opened_year,closed_year,status", e);
	fy = fs ? demo_open(w, "specialty_year", "school_code,catalog_version,specialty_code,year,"
			    "enrolled,graduates,employed,further_study,in_trade,surveyed,satisfied", e) : NULL;
	fe = fy ? demo_open(w, "enterprise", "credit_code,name,industry_code,area_code", e) : NULL;
	fo = fe ? demo_open(w, "cooperation", "school_code,credit_code,kind,start_year,end_year,"
			    "students,catalog_version,specialty_code", e) : NULL;
	fb = fo ? demo_open(w, "training_base", "code,school_code,credit_code,name,investment,"
			    "equipment_value,capacity,opened_year", e) : NULL;
	fn = fb ? demo_open(w, "internship", "school_code,credit_code,year,interns", e) : NULL;
	ft = fn ? demo_open(w, "employee_training", "school_code,credit_code,year,person_times", e) : NULL;
	if (!ft) {
		rc = e->code;
		goto out;
	}
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		if (city->nvoc < 5)
			continue;
		for (int i = 0; i < NSPEC; i++) {
			const char *sc = w->schools[city->voc[i % 5]].code;
			int opened = 2008 + (int)(demo_hash(w, 92, (uint64_t)ci, (uint64_t)i, 0) % 12);
			if (specs[i].fate == FULL)
				opened = 2016;
			/* the three below 60% two years running were closed in the 2024 review,
			 * the one below only in 2024 warned */
			if (specs[i].fate == FAIL2)
				fprintf(fs, "%s,2021,%s,%d,%d,closed\n", sc, specs[i].code, opened,
					DEMO_Y1);
			else
				fprintf(fs, "%s,2021,%s,%d,,%s\n", sc, specs[i].code, opened,
					specs[i].fate == WARN1 ? "warned" : "open");
			w->rows_total++;
			for (int y = 2020; y <= DEMO_Y1; y++) {
				int enr = demo_range(w, 40, 90, 93, (uint64_t)ci, (uint64_t)i, (uint64_t)y);
				int grad = demo_range(w, 36, 80, 94, (uint64_t)ci, (uint64_t)i, (uint64_t)y);
				int ok = (int)(grad * emp_rate(w, ci, i, y) + 0.5);
				int further = ok / 4;
				int emp = ok - further;
				int trade = (int)(emp * (0.72 + 0.18 * demo_unif(w, 95, (uint64_t)ci, (uint64_t)i, (uint64_t)y)));
				int surv = demo_range(w, 5, 12, 96, (uint64_t)ci, (uint64_t)i, (uint64_t)y);
				int sat = surv - demo_range(w, 0, 2, 97, (uint64_t)ci, (uint64_t)i, (uint64_t)y);
				fprintf(fy, "%s,2021,%s,%d,%d,%d,%d,%d,%d,%d,%d\n", sc, specs[i].code, y,
					enr, grad, emp, further, trade, surv, sat);
				w->rows_total++;
			}
		}
		for (int en = 0; en < 120; en++) {
			char cc[19];
			int ind = en % 8 == 7 ? 6 + en / 8 % 2 : en % 8 % NKEY;
			const char *sc = w->schools[city->voc[en % 5]].code;
			static const char *const kinds[] = { "order_class", "apprenticeship", "internship",
							     "training" };
			credit_code(w, ci, en, cc);
			fprintf(fe, "%s,%s%s%s有限公司,%s,%s\n", cc, city->name,
				ent_stems[en % ARRAY_SIZE(ent_stems)], ent_kind[ind],
				industries[ind][0], w->counties[city->first_county + en % 6].code);
			/* order classes and apprenticeships serve a specialty of the school
			 * (specialty i runs at school i % 5) */
			fprintf(fo, "%s,%s,%s,%d,,%d", sc, cc, kinds[en % 4], 2019 + en % 5,
				demo_range(w, 20, 60, 98, (uint64_t)ci, (uint64_t)en, 0));
			if (en % 4 < 2)
				fprintf(fo, ",2021,%s\n", specs[en % 5 + 5 * (en / 5 % 12)].code);
			else
				fprintf(fo, ",,\n");
			for (int y = 2020; y <= DEMO_Y1; y++)
				fprintf(fn, "%s,%s,%d,%d\n", sc, cc, y,
					demo_range(w, 6, 11, 99, (uint64_t)ci, (uint64_t)en, (uint64_t)y));
			if (en % 3 == 0)
				for (int y = 2022; y <= DEMO_Y1; y++)
					fprintf(ft, "%s,%s,%d,%d\n", sc, cc, y,
						demo_range(w, 20, 80, 100, (uint64_t)ci, (uint64_t)en, (uint64_t)y));
			if (en < 45) {
				int si = en % NSPEC;
				fprintf(fb, "TB%s%02d,%s,%s,%s实训基地,%.0f,%.0f,%d,%d\n", city->code, en + 1,
					w->schools[city->voc[si % 5]].code, en % 5 == 4 ? "" : cc,
					specs[si].name, 1e6 * demo_range(w, 2, 30, 101, (uint64_t)ci, (uint64_t)en, 0),
					1e5 * demo_range(w, 10, 200, 101, (uint64_t)ci, (uint64_t)en, 1),
					demo_range(w, 40, 300, 101, (uint64_t)ci, (uint64_t)en, 2),
					2012 + en % 12);
			}
			w->rows_total += 8;
		}
	}
out:
	{
		FILE *fl[] = { fs, fy, fe, fo, fb, fn, ft };
		static const char *const nm[] = { "school_specialty", "specialty_year", "enterprise",
						  "cooperation", "training_base", "internship",
						  "employee_training" };
		for (int i = 0; i < 7; i++) {
			if (!fl[i])
				continue;
			if (!rc)
				rc = demo_close(w, fl[i], nm[i], e);
			else
				fclose(fl[i]);
		}
	}
	return rc;
}
