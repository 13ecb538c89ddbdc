/* demo.c: the demo generator's driver and world model: the cities, counties, towns and schools
 * of 临江市 (or of a province of such cities), the births and cohort model every return is
 * derived from, deterministic randomness, and the CSV file helpers. The tables themselves
 * are written by demo_places.c, demo_returns.c, demo_people.c, demo_voc.c and demo_misc.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "buf.h"
#include "demo.h"
#include "demo_internal.h"
#include "xmalloc.h"
#include "banned.h"

const char *const demo_tables[] = {
	"area", "area_boundary", "school", "births", "population", "grade_return", "class_section",
	"pupil_transfer", "facility",
	"building", "teacher", "posting", "title_application", "project", "edu_group",
	"group_member", "exam_result", "activity", "activity_school", "activity_teacher", "curriculum_hours",
	"assessment_scheme", "assessment_item", "assessment_score", "industry", "voc_catalog",
	"specialty_industry", "school_specialty", "specialty_year", "enterprise", "cooperation",
	"training_base", "internship", "employee_training", "hazard", "task", "task_progress",
	NULL,
};

/* ---- randomness ---- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t demo_hash(const struct demo_world *w, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t h = mix64(w->seed ^ 0x5eedULL);
	h = mix64(h ^ a);
	h = mix64(h ^ b);
	h = mix64(h ^ c);
	return mix64(h ^ d);
}

double demo_unif(const struct demo_world *w, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return (double)(demo_hash(w, a, b, c, d) >> 11) / 9007199254740992.0;
}

int demo_range(const struct demo_world *w, int lo, int hi, uint64_t a, uint64_t b, uint64_t c,
	       uint64_t d)
{
	return lo + (int)(demo_hash(w, a, b, c, d) % (uint64_t)(hi - lo + 1));
}

/* ---- births and cohorts ---- */

/* National births, millions: official figures 2000-2024, rounded history before. */
double demo_national_births(int year)
{
	static const double recent[] = { /* 2000..2024 */
		17.71, 17.02, 16.47, 15.99, 15.93, 16.17, 15.85, 15.94, 16.08, 15.91, 15.92,
		16.04, 16.35, 16.40, 16.87, 16.55, 17.86, 17.23, 15.23, 14.65, 12.02, 10.62,
		9.56, 9.02, 9.54,
	};
	static const int ky[] = { 1940, 1950, 1955, 1959, 1961, 1963, 1966, 1970, 1975, 1980,
				  1985, 1987, 1990, 1995, 2000 };
	static const double kv[] = { 18.0, 20.2, 19.7, 16.5, 11.9, 29.6, 25.8, 27.4, 21.0, 17.9,
				     22.0, 25.3, 26.2, 20.6, 17.71 };
	if (year >= 2000)
		return recent[(year > 2024 ? 2024 : year) - 2000];
	if (year <= ky[0])
		return kv[0];
	for (size_t i = 1; i < ARRAY_SIZE(ky); i++)
		if (year <= ky[i])
			return kv[i - 1] + (kv[i] - kv[i - 1]) * (year - ky[i - 1]) /
			       (double)(ky[i] - ky[i - 1]);
	return kv[ARRAY_SIZE(kv) - 1];
}

double demo_births(const struct demo_world *w, int county, int year)
{
	const struct demo_county *c = &w->counties[county];
	double b;
	if (c->kind == CK_ZONE) {
		/* inflow: rising births while the country's fall */
		double t = 1.0 + 0.075 * (year - DEMO_B0);
		b = c->zbase * (t < 0.35 ? 0.35 : t);
	} else {
		b = demo_national_births(year) * 1e6 * c->bscale;
	}
	return b * (1.0 + 0.02 * (demo_unif(w, 11, (uint64_t)county, (uint64_t)year, 0) - 0.5));
}

int demo_grade_lo(const struct demo_school *sc)
{
	switch (sc->type) {
	case ST_JUNIOR: return 7;
	case ST_SENIOR: case ST_VOC: return 10;
	default: return 1;
	}
}

int demo_grade_hi(const struct demo_school *sc)
{
	switch (sc->type) {
	case ST_PRIMARY: return sc->tp ? 4 : 6;
	case ST_JUNIOR: case ST_NINE: return 9;
	default: return 12;
	}
}

static int stage_of(const struct demo_school *sc, int g)
{
	if (sc->type == ST_VOC)
		return 3;
	return g <= 6 ? 0 : g <= 9 ? 1 : 2;
}

int demo_pupils(const struct demo_world *w, int s, int y, int g)
{
	const struct demo_school *sc = &w->schools[s];
	const struct demo_county *c = &w->counties[sc->county];
	int st;
	double n;
	if (g < demo_grade_lo(sc) || g > demo_grade_hi(sc))
		return 0;
	if (sc->tp) { /* a village teaching point: a handful per grade, fewer each year */
		n = demo_range(w, 6, 11, 21, (uint64_t)s, (uint64_t)g, 0) * (1.0 - 0.035 * (y - DEMO_Y0));
		return n < 2 ? 2 : (int)n;
	}
	st = stage_of(sc, g);
	n = demo_births(w, sc->county, y - 5 - g) * c->entry * pow(c->prog, g - 1);
	if (st == 2)
		n *= 0.55;
	else if (st == 3)
		n *= 0.40;
	n = n * sc->w / c->wsum[st];
	n *= 1.0 + 0.05 * (demo_unif(w, 22, (uint64_t)s, (uint64_t)y, (uint64_t)g) - 0.5);
	return n < 1 ? 1 : (int)(n + 0.5);
}

int demo_classes(const struct demo_world *w, int s, int y, int g, int pupils)
{
	const struct demo_school *sc = &w->schools[s];
	int t = sc->crowd;
	if (pupils <= 0)
		return 0;
	if (sc->tp)
		return 1;
	if (g >= 7 && g <= 9 && t < 48)
		t += 3;
	if (t >= 56) {
		/* crowded school: few classes, so that every class is 大班额 (the class
		 * sections of its youngest grades include a 超大班额 one: demo_returns.c) */
		int n = pupils / t > 0 ? pupils / t : 1;
		if ((pupils + n - 1) / n > t + 8)
			n++; /* keep the averages at 66 or below */
		(void)y;
		return n;
	}
	(void)w;
	return (pupils + t - 1) / t;
}

/* ---- files ---- */

FILE *demo_open(struct demo_world *w, const char *table, const char *header, struct err *e)
{
	struct buf p = BUF_INIT;
	FILE *f;
	buf_addf(&p, "%s/%s.csv.tmp", w->dir, table);
	{
		/* never through a symlink left there (it could point at the database) */
		int fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f && fd >= 0)
			close(fd);
	}
	if (!f) {
		err_set(e, ERR_IO, "cannot create '%s': %s", p.buf, strerror(errno));
		buf_release(&p);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	/* a UTF-8 BOM, so that Excel and WPS open the Chinese text correctly */
	fprintf(f, "\xEF\xBB\xBF%s\n", header);
	buf_release(&p);
	return f;
}

int demo_close(struct demo_world *w, FILE *f, const char *table, struct err *e)
{
	struct buf tmp = BUF_INIT, dst = BUF_INIT;
	int bad = ferror(f);
	int rc = 0;
	if (fclose(f) != 0)
		bad = 1;
	buf_addf(&tmp, "%s/%s.csv.tmp", w->dir, table);
	buf_addf(&dst, "%s/%s.csv", w->dir, table);
	if (bad)
		rc = err_set(e, ERR_IO, "cannot write '%s'", tmp.buf);
	else if (rename(tmp.buf, dst.buf) != 0)
		rc = err_set(e, ERR_IO, "cannot rename '%s': %s", tmp.buf, strerror(errno));
	buf_release(&tmp);
	buf_release(&dst);
	return rc;
}

int demo_run_writers(struct demo_world *w, const demo_writer *fns, size_t n, struct err *e)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = fns[i](w, e);
	return rc;
}

/* ---- the world ---- */

/* Chinese numeral for 1..999 (第十二小学). */
static void zh_num(struct buf *b, int n)
{
	static const char *const d[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
	int h = n / 100, t = n / 10 % 10, u = n % 10;
	if (h) {
		buf_addf(b, "%s百", d[h]);
		if (t == 0 && u)
			buf_adds(b, "零");
	}
	if (t) {
		if (!(t == 1 && !h))
			buf_adds(b, d[t]);
		buf_adds(b, "十");
	}
	if (u || n == 0)
		buf_adds(b, d[u]);
}

static const char *const city_names[] = {
	"临江", "江阳", "东平", "西岭", "南湖", "青原", "白石", "云台", "长宁", "安源", "河口",
	"凤城", "松溪", "玉山", "金沙", "石门",
};
static const char *const county_names[6] = { "江城区", "滨江区", "高新技术产业开发区", "江北县",
					     "青山县", "白水县" };
static const char *const county_suffix[6] = { "02", "03", "71", "21", "22", "23" };
static const char *const town_stems[] = {
	"城东", "城西", "解放", "人民", "江滨", "望江", "朝阳", "新华", "东湖", "文昌", "白沙",
	"鹤鸣", "龙泉", "桃源", "杨柳", "石桥", "清溪", "黄塘", "大坪", "枫林", "柏树", "长岭",
	"花桥", "马鞍", "金竹", "双河", "三江", "五里", "铜鼓", "梅岭", "竹山", "下坊", "上坊",
	"新塘", "高桥", "罗家", "曹坪", "石湾", "沙洲", "兴隆",
};
#define NSTEMS ((int)ARRAY_SIZE(town_stems))

/* Per county of the city template: primary (incl. teaching points), teaching points,
 * junior, nine-year, senior, vocational. */
static const int plan[6][6] = {
	{ 14, 0, 6, 2, 2, 1 }, { 13, 0, 5, 2, 2, 1 }, { 8, 0, 3, 2, 1, 1 },
	{ 13, 3, 5, 6, 1, 1 }, { 13, 3, 5, 6, 1, 0 }, { 12, 3, 5, 5, 1, 1 },
};
/* how many of a county's primary/junior/nine-year schools sit in the county seat (121) */
static const int seat_share[3] = { 4, 2, 1 };

static void add_town(struct demo_world *w, int county, int *tn, const char *kind, const char *ur,
		     int num)
{
	struct demo_town *t = &w->towns[w->ntowns++];
	const struct demo_county *c = &w->counties[county];
	const char *stem = town_stems[(county * 7 + *tn) % NSTEMS];
	t->county = county;
	t->kind = kind;
	t->ur = ur;
	snprintf(t->code, sizeof(t->code), "%s%03d000", c->code, num);
	snprintf(t->name, sizeof(t->name), "%s%s", stem,
		 !strcmp(kind, "street") ? "街道" : !strcmp(kind, "town") ? "镇" : "乡");
	(*tn)++;
}

static void build_towns(struct demo_world *w, int county)
{
	struct demo_county *c = &w->counties[county];
	int tn = 0;
	c->first_town = w->ntowns;
	if (c->kind == CK_DISTRICT) {
		for (int i = 0; i < 7; i++)
			add_town(w, county, &tn, "street", i == 6 ? "112" : "111", i + 1);
	} else if (c->kind == CK_ZONE) {
		for (int i = 0; i < 4; i++)
			add_town(w, county, &tn, "street", i == 3 ? "112" : "111", i + 1);
		add_town(w, county, &tn, "town", "121", 101);
	} else {
		add_town(w, county, &tn, "town", "121", 101);  /* 城关镇: the county seat */
		add_town(w, county, &tn, "town", "210", 102);
		add_town(w, county, &tn, "town", "210", 103);
		add_town(w, county, &tn, "town", "220", 104);
		add_town(w, county, &tn, "township", "220", 201);
		add_town(w, county, &tn, "township", "210", 202);
		add_town(w, county, &tn, "township", "220", 203);
	}
	c->ntowns = w->ntowns - c->first_town;
}

static struct demo_school *add_school(struct demo_world *w, int city, int county, int type,
				      int tp, int seq, int *ntype, int seat)
{
	struct demo_school *sc = &w->schools[w->nschools];
	const struct demo_county *c = &w->counties[county];
	const struct demo_town *t;
	int s = w->nschools++;
	int ti;
	/* 临江市江城区第一小学, but 临江高新技术产业开发区第一小学 */
	const char *prefix = c->kind == CK_ZONE ? "" : w->cities[city].name;
	struct buf nm = BUF_INIT;
	memset(sc, 0, sizeof(*sc));
	sc->city = city;
	sc->county = county;
	sc->type = type;
	sc->tp = tp;
	sc->group = -1;
	snprintf(sc->code, sizeof(sc->code), "%s%04d", c->code, seq);
	if (c->kind == CK_COUNTY)
		ti = seat ? 0 : 1 + (int)(demo_hash(w, 31, (uint64_t)s, 0, 0) % (uint64_t)(c->ntowns - 1));
	else
		ti = (int)(demo_hash(w, 31, (uint64_t)s, 0, 0) % (uint64_t)c->ntowns);
	if (type >= ST_SENIOR)
		ti = 0;
	sc->town = c->first_town + ti;
	t = &w->towns[sc->town];
	sc->ur = t->ur;
	sc->rural = t->ur[0] == '2';
	(*ntype)++;
	if (type == ST_PRIMARY && tp) {
		buf_addf(&nm, "%s%s村教学点", t->name, town_stems[(s * 3) % NSTEMS]);
	} else if (type == ST_PRIMARY && c->kind == CK_COUNTY && !seat) {
		buf_addf(&nm, "%s中心小学", t->name);
		if (*ntype > 1)
			buf_addf(&nm, "%s分校", town_stems[(s * 5) % NSTEMS]);
	} else if (type != ST_VOC) {
		/* 临江市江城区第三初级中学 */
		static const char *const kind_name[] = {
			[ST_PRIMARY] = "小学", [ST_JUNIOR] = "初级中学",
			[ST_NINE] = "九年一贯制学校", [ST_SENIOR] = "高级中学",
		};
		buf_addf(&nm, "%s%s第", prefix, c->name);
		zh_num(&nm, *ntype);
		buf_adds(&nm, kind_name[type]);
	} else {
		buf_addf(&nm, "%s%s职业技术学校", prefix, c->name);
		if (*ntype > 1) {
			buf_adds(&nm, "第");
			zh_num(&nm, *ntype);
			buf_adds(&nm, "分校");
		}
	}
	snprintf(sc->name, sizeof(sc->name), "%s", nm.buf);
	buf_release(&nm);

	/* cohort weight: county-seat and urban schools are big, village schools small */
	if (sc->rural)
		sc->w = 0.45 + 0.4 * demo_unif(w, 32, (uint64_t)s, 0, 0);
	else if (c->kind == CK_COUNTY)
		sc->w = 2.0 + 1.0 * demo_unif(w, 32, (uint64_t)s, 0, 0);
	else
		sc->w = 0.8 + 0.8 * demo_unif(w, 32, (uint64_t)s, 0, 0);
	for (int i = 0; i < 7; i++)
		sc->f[i] = 1.12 + 0.45 * demo_unif(w, 33, (uint64_t)s, (uint64_t)i, 0);
	/* class-size targets */
	if (sc->rural)
		sc->crowd = demo_range(w, 30, 40, 34, (uint64_t)s, 0, 0);
	else if (c->kind == CK_ZONE)
		sc->crowd = demo_range(w, 43, 45, 34, (uint64_t)s, 0, 0);
	else
		sc->crowd = demo_range(w, 41, 45, 34, (uint64_t)s, 0, 0);
	if (type == ST_SENIOR)
		sc->crowd = 50;
	else if (type == ST_VOC)
		sc->crowd = 45;
	return sc;
}

static void build_city(struct demo_world *w, int ci, double k)
{
	struct demo_city *city = &w->cities[ci];
	int xx = ci == 0 ? 5 : ci <= 4 ? ci : ci + 1;
	static const double share[6] = { 0.27, 0.24, 0.0, 0.17, 0.17, 0.15 };
	city->first_county = w->ncounties;
	city->ncounties = 6;
	city->first_school = w->nschools;
	snprintf(city->code, sizeof(city->code), "39%02u00", (unsigned)xx % 100u);
	snprintf(city->name, sizeof(city->name), "%s市", city_names[ci % ARRAY_SIZE(city_names)]);
	for (int i = 0; i < 6; i++) {
		int cn = w->ncounties++;
		struct demo_county *c = &w->counties[cn];
		int seq = 1, np = 0, nj = 0, nn = 0, ns = 0, nv = 0;
		int m = w->mult;
		memset(c, 0, sizeof(*c));
		c->city = ci;
		c->kind = i < 2 ? CK_DISTRICT : i == 2 ? CK_ZONE : CK_COUNTY;
		snprintf(c->code, sizeof(c->code), "39%02u%.2s", (unsigned)xx % 100u, county_suffix[i]);
		snprintf(c->name, sizeof(c->name), "%s%s", c->kind == CK_ZONE ?
			 city_names[ci % ARRAY_SIZE(city_names)] : "", county_names[i]);
		c->bscale = share[i] * k;
		c->zbase = 700.0 * (k / 0.00069);
		c->entry = c->kind == CK_DISTRICT ? 1.04 : c->kind == CK_ZONE ? 1.15 : 0.90;
		c->prog = c->kind == CK_ZONE ? 1.025 : c->kind == CK_DISTRICT ? 1.004 : 0.994;
		c->fails_l5 = i == 4;
		build_towns(w, cn);
		for (int r = 0; r < m; r++) {
			for (int j = 0; j < plan[i][0] - plan[i][1]; j++)
				add_school(w, ci, cn, ST_PRIMARY, 0, seq++, &np,
					   c->kind == CK_COUNTY && j < seat_share[0]);
			for (int j = 0; j < plan[i][1]; j++)
				add_school(w, ci, cn, ST_PRIMARY, 1, seq++, &np, 0);
			for (int j = 0; j < plan[i][2]; j++)
				add_school(w, ci, cn, ST_JUNIOR, 0, seq++, &nj,
					   c->kind == CK_COUNTY && j < seat_share[1]);
			for (int j = 0; j < plan[i][3]; j++)
				add_school(w, ci, cn, ST_NINE, 0, seq++, &nn,
					   c->kind == CK_COUNTY && j < seat_share[2]);
		}
		for (int j = 0; j < plan[i][4] * m; j++)
			add_school(w, ci, cn, ST_SENIOR, 0, seq++, &ns, 1);
		for (int j = 0; j < plan[i][5] * (m > 1 ? 2 : 1); j++) {
			struct demo_school *v = add_school(w, ci, cn, ST_VOC, 0, seq++, &nv, 1);
			if (city->nvoc < 5)
				city->voc[city->nvoc++] = (int)(v - w->schools);
		}
	}
	city->nschools = w->nschools - city->first_school;
}

static int is_compulsory(const struct demo_school *sc)
{
	return sc->type <= ST_NINE;
}

/* Special cases of the city's shape: crowded classes, the failing county's sports grounds,
 * the 5-of-7 school, seats, exchanges, applicants and education groups. */
static void shape_city(struct demo_world *w, int ci)
{
	struct demo_city *city = &w->cities[ci];
	int s0 = city->first_school, s1 = s0 + city->nschools;
	int nurban = 0, ncomp = 0, in_group = 0, napp = 0;
	int five_done = 0, crowded_zone = 0, crowded_seat = 0;
	int target_groups = 15, target_in, leads = 0;
	int *urban = xcalloc((size_t)city->nschools, sizeof(int));

	for (int s = s0; s < s1; s++) {
		struct demo_school *sc = &w->schools[s];
		const struct demo_county *c = &w->counties[sc->county];
		if (!is_compulsory(sc))
			continue;
		ncomp++;
		if (c->fails_l5 && sc->type == ST_PRIMARY && sc->rural && !sc->tp)
			sc->f[4] = 4.6 + 0.8 * demo_unif(w, 35, (uint64_t)s, 0, 0);
		else if (c->fails_l5 && !sc->rural && sc->type == ST_PRIMARY)
			sc->f[4] = 1.04 + 0.08 * demo_unif(w, 35, (uint64_t)s, 0, 0);
		if (!five_done && c->kind == CK_DISTRICT && sc->county == city->first_county + 1 &&
		    sc->type == ST_PRIMARY && s > city->first_school + 30) {
			sc->f[5] = 0.90; /* equipment value: 90% of the standard */
			sc->f[6] = 0.88; /* multimedia rooms: 88% */
			five_done = 1;
		}
		if (c->kind == CK_ZONE && sc->type != ST_JUNIOR && crowded_zone < 2 * w->mult) {
			/* the zone's two popular big schools (about 400 pupils a grade) */
			sc->crowd = crowded_zone % 2 == 0 ? 58 : 57;
			sc->w = 6.0;
			crowded_zone++;
		}
		if (c->kind == CK_COUNTY && !sc->rural && sc->type == ST_PRIMARY &&
		    crowded_seat < w->mult) {
			sc->crowd = 56;
			crowded_seat++;
		}
		if (!sc->rural)
			urban[nurban++] = s;
	}
	/* education groups: 68% of the public compulsory schools, leads urban, about two in
	 * three rural schools (never teaching points) as members, the rest urban */
	target_in = (ncomp * 68 + 50) / 100;
	if (!w->province)
		target_in = 85;
	for (int i = 0; i < nurban && leads < target_groups; i += nurban / target_groups) {
		struct demo_school *sc = &w->schools[urban[i]];
		if (sc->group >= 0)
			continue;
		sc->group = leads;
		sc->lead = 1;
		leads++;
		in_group++;
	}
	{
		int g = 0, k = 0;
		for (int s = s0; s < s1 && in_group < target_in; s++) {
			struct demo_school *sc = &w->schools[s];
			if (!is_compulsory(sc) || !sc->rural || sc->tp || sc->group >= 0)
				continue;
			if (k++ % 3 == 2)
				continue;
			sc->group = g++ % target_groups;
			in_group++;
		}
		for (int i = 0; i < nurban && in_group < target_in; i++) {
			struct demo_school *sc = &w->schools[urban[i]];
			if (sc->group >= 0 || (i % 4 == 3))
				continue;
			sc->group = g++ % target_groups;
			in_group++;
		}
		for (int i = 0; i < nurban && in_group < target_in; i++) {
			struct demo_school *sc = &w->schools[urban[i]];
			if (sc->group >= 0)
				continue;
			sc->group = g++ % target_groups;
			in_group++;
		}
	}
	/* senior-title applicants: one in each of the first urban compulsory schools
	 * (8 with <1 year of rural service, 12 with 1-2 years, 30 with >= 2) */
	for (int i = 0; i < nurban && napp < 50 * w->mult; i++) {
		struct demo_school *sc = &w->schools[urban[i]];
		sc->napp = 1;
		sc->app_kind = napp % 25 < 4 ? 1 : napp % 25 < 10 ? 2 : 0;
		napp++;
	}
	/* 2024 exchanges: 120 (per template city), round robin over the urban schools */
	for (int given = 0, i = 0; given < 120 * w->mult; i = (i + 1) % nurban, given++)
		w->schools[urban[i]].nexch++;
	free(urban);
}

/* Stage weights per county, teacher counts and declared seats (need the pupils). */
static void finish_counties(struct demo_world *w)
{
	for (int s = 0; s < w->nschools; s++) {
		struct demo_school *sc = &w->schools[s];
		struct demo_county *c = &w->counties[sc->county];
		if (sc->tp)
			continue;
		if (sc->type == ST_PRIMARY || sc->type == ST_NINE)
			c->wsum[0] += sc->w;
		if (sc->type == ST_JUNIOR || sc->type == ST_NINE)
			c->wsum[1] += sc->w;
		if (sc->type == ST_SENIOR)
			c->wsum[2] += sc->w;
		if (sc->type == ST_VOC)
			c->wsum[3] += sc->w;
	}
	for (int s = 0; s < w->nschools; s++) {
		struct demo_school *sc = &w->schools[s];
		const struct demo_county *c = &w->counties[sc->county];
		long now = 0, peak = 0, classes = 0;
		for (int y = DEMO_Y0; y <= DEMO_Y1; y++) {
			long tot = 0;
			for (int g = 1; g <= 12; g++) {
				int p = demo_pupils(w, s, y, g);
				tot += p;
				if (y == DEMO_Y1)
					classes += demo_classes(w, s, y, g, p);
			}
			if (tot > peak)
				peak = tot;
			if (y == DEMO_Y1)
				now = tot;
		}
		if (sc->type >= ST_SENIOR)
			sc->seats = (int)(peak * 1.2 + 0.5);
		else if (c->kind == CK_ZONE)
			sc->seats = (int)(classes * 45 < now ? classes * 45 : now);
		else if (c->kind == CK_COUNTY)
			sc->seats = (int)(peak * 1.15 + 0.5);
		else
			sc->seats = (int)(now * 1.04 + 0.5);
	}
}

int demo_generate(const struct demo_opts *o, struct demo_stats *st, struct err *e)
{
	struct demo_world w;
	int ncities, rc;
	double k = 0.00069;

	memset(&w, 0, sizeof(w));
	memset(st, 0, sizeof(*st));
	w.seed = o->seed;
	w.dir = o->dir;
	w.province = o->scale == DEMO_PROVINCE;
	w.mult = w.province ? 9 : 1;
	ncities = w.province ? 16 : 1;
	if (w.province)
		k *= w.mult * 0.72;
	if (mkdir(o->dir, 0777) != 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "cannot create directory '%s': %s", o->dir, strerror(errno));

	w.cities = xcalloc((size_t)ncities, sizeof(*w.cities));
	w.counties = xcalloc((size_t)ncities * 6, sizeof(*w.counties));
	w.towns = xcalloc((size_t)ncities * 6 * 8, sizeof(*w.towns));
	w.schools = xcalloc((size_t)ncities * 150 * (size_t)w.mult, sizeof(*w.schools));
	w.ncities = ncities;
	for (int ci = 0; ci < ncities; ci++)
		build_city(&w, ci, k);
	for (int ci = 0; ci < ncities; ci++)
		shape_city(&w, ci);
	finish_counties(&w);

	{
		static const demo_writer writers[] = {
			demo_write_places, demo_write_returns, demo_write_people, demo_write_voc,
			demo_write_misc,
		};
		rc = demo_run_writers(&w, writers, ARRAY_SIZE(writers), e);
	}

	st->cities = w.ncities;
	st->counties = w.ncounties;
	st->schools = w.nschools;
	for (int s = 0; s < w.nschools; s++) {
		st->compulsory += is_compulsory(&w.schools[s]);
		st->teachers += w.schools[s].nteachers;
	}
	st->groups = 15L * ncities;
	st->specialties = 60L * ncities;
	st->rows = w.rows_total;
	free(w.cities);
	free(w.counties);
	free(w.towns);
	free(w.schools);
	return rc;
}
