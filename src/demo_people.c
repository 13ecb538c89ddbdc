/* demo_people.c: the demo's teachers, streamed school by school: person, 身份证号 (valid
 * GB 11643 check digit, the county's area prefix, the real birth date), education, title,
 * subject, backbone level; full posting histories since hire (village starts, earlier
 * exchanges, support teaching); exactly 120 urban->rural exchanges starting 2024-09-01 per
 * template city; senior-title applicants short of the city's 2 years of rural service; and
 * the rural teachers named as taking part in the year's 送教下乡 (about 96% of them).
 *
 * Staffing is sized so that every school clears the balance standards L1-L3 with a margin:
 * county-level backbone teachers and PE/arts teachers are counted out per 100 pupils. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "validate.h"
#include "xmalloc.h"
#include "banned.h"

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
	"魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
	"明", "超", "秀", "霞", "平", "刚", "桂", "华", "文", "红", "玉", "兰", "建", "国", "英",
	"春", "梅", "志", "海", "云", "燕", "晨", "欣", "怡", "宇", "浩", "婷", "雪", "琳", "佳",
	"思", "嘉", "俊", "颖", "慧", "鹏", "飞", "亮", "辉", "凯", "丹", "蕾", "倩", "晓", "东",
	"新", "宁", "安", "德", "荣", "庆", "永", "成", "学", "振", "玲", "萍", "莉", "彬", "斌",
};
static const char *const subj_primary[] = { "chinese", "chinese", "chinese", "math", "math",
	"math", "english", "science", "politics", "it", "labour", "mental_health", "other" };
static const char *const subj_junior[] = { "chinese", "chinese", "math", "math", "english",
	"english", "physics", "chemistry", "biology", "history", "geography", "politics", "it",
	"mental_health" };
static const char *const subj_voc[] = { "vocational", "vocational", "vocational", "chinese",
	"math", "english", "politics", "it" };
static const char *const cert_name[] = { "primary", "junior", "senior", "vocational" };
static const double ratio[] = { 19.0, 13.5, 12.5, 15.0 };

struct idset {
	uint64_t *slot;
	size_t mask;
};

/* 1 if key was new (and is now in the set). Keys are never 0. */
static int idset_add(struct idset *st, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & st->mask;
	while (st->slot[i]) {
		if (st->slot[i] == key)
			return 0;
		i = (i + 1) & st->mask;
	}
	st->slot[i] = key;
	return 1;
}

struct block {
	int stage, pupils, n, nbb, npe;
};

static int school_blocks(const struct demo_world *w, int s, struct block *b)
{
	const struct demo_school *sc = &w->schools[s];
	int p[4] = { 0, 0, 0, 0 }, nb = 0;
	for (int g = 1; g <= 12; g++) {
		int n = demo_pupils(w, s, DEMO_Y1, g);
		p[sc->type == ST_VOC ? 3 : g <= 6 ? 0 : g <= 9 ? 1 : 2] += n;
	}
	for (int st = 0; st < 4; st++) {
		if (!p[st])
			continue;
		b[nb].stage = st;
		b[nb].pupils = p[st];
		b[nb].n = sc->tp ? 3 : (int)ceil(p[st] / ratio[st]) + 1;
		b[nb].nbb = (int)ceil(1.4 * p[st] / 100.0);
		b[nb].npe = (int)ceil(1.25 * p[st] / 100.0);
		if (b[nb].nbb + b[nb].npe > b[nb].n - 1)
			b[nb].n = b[nb].nbb + b[nb].npe + 1;
		nb++;
	}
	return nb;
}

struct pctx {
	struct demo_world *w;
	FILE *ft, *fp, *fa, *fx;
	const char *city_code;
	struct idset ids;
	long tno;
	int *rural;     /* rural compulsory schools of the current city */
	int nrural;
	int exch_k;     /* 2024 exchanges so far in this city */
};

static void posting(struct pctx *p, const char *tcode, const char *start, int school,
		    const char *end, const char *kind)
{
	fprintf(p->fp, "%s,%s,%s,%s,%s\n", tcode, start, p->w->schools[school].code, end ? end : "",
		kind);
	p->w->rows_total++;
}

static void ymd(char out[16], int y, int m, int d)
{
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* One teacher of school s, block b, position j. */
static void teacher(struct pctx *p, int s, const struct block *b, int j, int first_block)
{
	struct demo_world *w = p->w;
	const struct demo_school *sc = &w->schools[s];
	const struct demo_county *cty = &w->counties[sc->county];
	long t = ++p->tno;
	uint64_t h = (uint64_t)t;
	char code[24], id[24], birth[16], hire[16], tdate[16], d1[16], d2[16];
	const char *sex, *edu, *title = "none", *subject, *backbone = "none";
	int exch = first_block && j >= b->n - sc->nexch;
	int app = first_block && sc->napp && j == b->n - sc->nexch - 1;
	int role = j < b->npe ? 1 : j < b->npe + b->nbb ? 2 : 0; /* 1 pe/arts, 2 backbone */
	int hy, age, by, bm, bd, seq, sy, full_time = 1, exch_k = 0;
	int nine = sc->type == ST_NINE;

	snprintf(code, sizeof(code), "T%07ld", t);
	/* hire year: backbone and applicants are experienced, exchangers have some years */
	if (app)
		hy = demo_range(w, 1996, 2008, 71, h, 0, 0);
	else if (role == 2)
		hy = demo_range(w, 1992, 2014, 71, h, 0, 0);
	else if (exch)
		hy = demo_range(w, 2000, 2019, 71, h, 0, 0);
	else
		hy = demo_range(w, 1990, 2024, 71, h, 0, 0);
	sy = DEMO_Y1 - hy;

	/* education */
	if (nine || b->stage >= 1)
		edu = j % 10 == 9 ? "associate" : demo_unif(w, 72, h, 0, 0) < 0.12 ? "master" : "bachelor";
	else if (j % 50 == 49 && hy < 2000)
		edu = "secondary";
	else {
		double u = demo_unif(w, 72, h, 0, 0);
		edu = u < 0.25 ? "associate" : u < 0.92 ? "bachelor" : "master";
	}
	age = edu[0] == 's' ? 19 : edu[0] == 'a' ? 21 : edu[0] == 'm' ? 25 : 22;
	age += demo_range(w, 0, 2, 73, h, 0, 0);
	by = hy - age;
	bm = demo_range(w, 1, 12, 74, h, 0, 0);
	bd = demo_range(w, 1, 28, 74, h, 1, 0);

	/* subject and sex */
	if (role == 1) {
		static const char *const pa[] = { "pe", "pe", "music", "art" };
		subject = pa[j % 4];
	} else if (b->stage == 3) {
		subject = subj_voc[demo_hash(w, 75, h, 0, 0) % ARRAY_SIZE(subj_voc)];
	} else if (b->stage == 0) {
		subject = subj_primary[demo_hash(w, 75, h, 0, 0) % ARRAY_SIZE(subj_primary)];
	} else {
		subject = subj_junior[demo_hash(w, 75, h, 0, 0) % ARRAY_SIZE(subj_junior)];
	}
	{
		double pf = !strcmp(subject, "pe") ? 0.3 : b->stage == 0 ? 0.78 : b->stage == 1 ? 0.62 : 0.5;
		sex = demo_unif(w, 76, h, 0, 0) < pf ? "F" : "M";
	}

	/* 身份证号: county prefix, birth date, order code (odd for men), check digit */
	seq = demo_range(w, 0, 499, 77, h, 0, 0);
	for (;;) {
		uint64_t key = ((uint64_t)sc->county + 1) << 40 | (uint64_t)(by * 10000 + bm * 100 + bd) << 10 |
			       (uint64_t)seq;
		if (idset_add(&p->ids, key))
			break;
		seq = (seq + 1) % 500;
	}
	snprintf(id, sizeof(id), "%s%04d%02d%02d%03d", cty->code, by, bm, bd,
		 seq * 2 + (sex[0] == 'M'));
	id[17] = id_number_check_char(id);
	id[18] = '\0';
	ymd(birth, by, bm, bd);
	ymd(hire, hy, 9, 1);

	/* title */
	tdate[0] = '\0';
	if (app) {
		title = "first";
		ymd(tdate, hy + 6, 12, 20);
	} else if (sy >= 1) {
		if (edu[0] == 's' && sy < 6) {
			title = "third";
			ymd(tdate, hy + 1, 12, 20);
		} else if (sy < 6) {
			title = "second";
			ymd(tdate, hy + 1, 12, 20);
		} else if (sy < 12 || demo_unif(w, 78, h, 0, 0) < 0.55) {
			title = "first";
			ymd(tdate, hy + 6, 12, 20);
		} else if (sy >= 25 && demo_unif(w, 78, h, 1, 0) < 0.04) {
			title = "full_senior";
			ymd(tdate, hy + 22, 12, 20);
		} else {
			title = "senior";
			ymd(tdate, hy + 12 + (int)(demo_hash(w, 79, h, 0, 0) % 3), 12, 20);
		}
	}
	if (exch) {
		exch_k = p->exch_k++;
		if (exch_k % 4 == 0)
			backbone = "county"; /* a quarter of those exchanged are backbone teachers */
	}
	if (role == 2) {
		double u = demo_unif(w, 80, h, 0, 0);
		backbone = u < 0.7 ? "county" : u < 0.95 ? "city" : "province";
	} else if (!exch && demo_unif(w, 80, h, 1, 0) < 0.1) {
		backbone = "school";
	}
	if (role == 0 && !exch && !app && demo_unif(w, 81, h, 0, 0) < 0.01)
		full_time = 0;

	fprintf(p->ft, "%s,%s%s%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s\n", code,
		surnames[demo_hash(w, 82, h, 0, 0) % ARRAY_SIZE(surnames)],
		given[demo_hash(w, 82, h, 1, 0) % ARRAY_SIZE(given)],
		demo_unif(w, 82, h, 2, 0) < 0.6 ? given[demo_hash(w, 82, h, 3, 0) % ARRAY_SIZE(given)] : "",
		id, sex, birth, edu, title, tdate, subject, full_time, backbone, cert_name[b->stage],
		hire);
	w->rows_total++;
	/* rural teachers named in one of the year's 36 送教下乡 activities, one in 25 not */
	if (sc->rural && demo_hash(w, 86, h, 0, 0) % 25 != 0) {
		fprintf(p->fx, "ST%s-%d-%03d,%s\n", p->city_code, DEMO_Y1,
			(int)(demo_hash(w, 86, h, 1, 0) % 36) + 1, code);
		w->rows_total++;
	}

	/* posting history */
	{
		int r = p->rural[demo_hash(w, 83, h, 0, 0) % (uint64_t)p->nrural];
		int r2 = p->rural[demo_hash(w, 83, h, 1, 0) % (uint64_t)p->nrural];
		int start = hy; /* start year of the current stretch at s */
		if (r == s)
			r = p->rural[(demo_hash(w, 83, h, 0, 0) + 1) % (uint64_t)p->nrural];
		if (app) {
			if (sc->app_kind == 0) { /* three years in a village school */
				ymd(d1, hy + 3, 8, 31);
				posting(p, code, hire, r, d1, "appointment");
				ymd(d2, hy + 3, 9, 1);
				posting(p, code, d2, s, NULL, "appointment");
			} else if (sc->app_kind == 2) { /* a year and a half */
				ymd(d1, hy + 2, 2, 28);
				posting(p, code, hire, r, d1, "appointment");
				ymd(d2, hy + 2, 3, 1);
				posting(p, code, d2, s, NULL, "appointment");
			} else { /* one term of support teaching only */
				posting(p, code, hire, s, "2019-08-31", "appointment");
				posting(p, code, "2019-09-01", r, "2020-02-29", "support");
				posting(p, code, "2020-03-01", s, NULL, "appointment");
			}
			fprintf(p->fa, "%s,%d,senior\n", code, DEMO_Y1);
			w->rows_total++;
			return;
		}
		if (hy <= 2016 && demo_unif(w, 84, h, 0, 0) < (sc->rural ? 0.3 : 0.25)) {
			int k = demo_range(w, 2, 6, 84, h, 1, 0);
			if (sc->rural && r == s)
				r = p->rural[(demo_hash(w, 83, h, 0, 0) + 1) % (uint64_t)p->nrural];
			ymd(d1, hy + k, 8, 31);
			posting(p, code, hire, r == s ? r2 : r, d1, "appointment");
			start = hy + k;
		}
		if (!sc->rural && !exch && start <= 2013 && demo_unif(w, 85, h, 0, 0) < 0.12) {
			int x = demo_range(w, (start + 1 > 2015 ? start + 1 : 2015), 2021, 85, h, 1, 0);
			int len = demo_range(w, 1, 2, 85, h, 2, 0);
			ymd(d1, start, 9, 1);
			ymd(d2, x, 8, 31);
			posting(p, code, d1, s, d2, "appointment");
			ymd(d1, x, 9, 1);
			ymd(d2, x + len, 8, 31);
			posting(p, code, d1, r2, d2, "exchange");
			start = x + len;
		}
		ymd(d1, start, 9, 1);
		if (exch) {
			posting(p, code, d1, s, "2024-08-31", "appointment");
			posting(p, code, "2024-09-01", p->rural[exch_k % p->nrural], NULL, "exchange");
		} else {
			posting(p, code, d1, s, NULL, "appointment");
		}
	}
}

int demo_write_people(struct demo_world *w, struct err *e)
{
	struct pctx p;
	long total = 0;
	size_t cap = 1024;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.w = w;
	for (int s = 0; s < w->nschools; s++) {
		struct block b[4];
		int nb = school_blocks(w, s, b);
		w->schools[s].nteachers = 0;
		for (int i = 0; i < nb; i++)
			w->schools[s].nteachers += b[i].n;
		total += w->schools[s].nteachers;
	}
	while (cap < (size_t)total * 2)
		cap <<= 1;
	p.ids.slot = xcalloc(cap, sizeof(uint64_t));
	p.ids.mask = cap - 1;
	p.rural = xcalloc((size_t)w->nschools, sizeof(int));
	p.ft = demo_open(w, "teacher", "code,name,id_number,sex,birth_date,education,title,"
			 "title_date,subject,full_time,backbone_level,certificate,hire_date", e);
	p.fp = p.ft ? demo_open(w, "posting", "teacher_code,start_date,school_code,end_date,kind", e) : NULL;
	p.fa = p.fp ? demo_open(w, "title_application", "teacher_code,year,title", e) : NULL;
	p.fx = p.fa ? demo_open(w, "activity_teacher", "activity_code,teacher_code", e) : NULL;
	if (!p.fx) {
		rc = e->code;
		goto out;
	}
	for (int ci = 0; ci < w->ncities; ci++) {
		const struct demo_city *city = &w->cities[ci];
		p.nrural = 0;
		p.exch_k = 0;
		p.city_code = city->code;
		for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
			const struct demo_school *sc = &w->schools[s];
			if (sc->rural && !sc->tp && sc->type <= ST_NINE)
				p.rural[p.nrural++] = s;
		}
		for (int s = city->first_school; s < city->first_school + city->nschools; s++) {
			struct block b[4];
			int nb = school_blocks(w, s, b);
			for (int i = 0; i < nb; i++)
				for (int j = 0; j < b[i].n; j++)
					teacher(&p, s, &b[i], j, i == 0);
		}
	}
out:
	if (p.fx && (rc = demo_close(w, p.fx, "activity_teacher", e)) == 0)
		p.fx = NULL;
	if (p.fa && !rc && (rc = demo_close(w, p.fa, "title_application", e)) == 0)
		p.fa = NULL;
	if (p.fp && !rc && (rc = demo_close(w, p.fp, "posting", e)) == 0)
		p.fp = NULL;
	if (p.ft && !rc && (rc = demo_close(w, p.ft, "teacher", e)) == 0)
		p.ft = NULL;
	if (p.fx)
		fclose(p.fx);
	if (p.fa)
		fclose(p.fa);
	if (p.fp)
		fclose(p.fp);
	if (p.ft)
		fclose(p.ft);
	free(p.ids.slot);
	free(p.rural);
	return rc;
}
