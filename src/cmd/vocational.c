/* cmd/vocational.c: `eduhq vocational review [--year Y] [--format table|json|csv]`: the
 * annual specialty review (voc_review.h) printed for the vocational office: argument
 * parsing and formatting only. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "store.h"
#include "voc_review.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq vocational review [--year Y] [--format table|json|csv] [--rules-as-of DATE]",
	NULL,
};

static void add_pct(struct buf *b, long num, long den)
{
	if (den > 0)
		buf_addf(b, "%5.1f%%", 100.0 * (double)num / (double)den);
	else
		buf_adds(b, "    - ");
}

static void table_years(struct buf *b, const struct voc_review *r, size_t i)
{
	static const char *const states[] = { "", "*", "?" };
	const struct voc_decision *d = &r->d[i];

	buf_adds(b, "      year  招生 enrolled  毕业 graduates  就业+升学 employed  就业率  "
		 "对口率  满意度(样本)  run\n");
	for (size_t k = 0; k < d->nsteps; k++) {
		const struct voc_step *st = &d->steps[k];
		const struct voc_year *y = voc_review_year(r, i, st->year);
		buf_addf(b, "      %d%-1s", st->year, states[st->state]);
		if (y) {
			buf_addf(b, " %13ld %14ld %18ld  ", y->enrolled, y->graduates,
				 y->employed + y->further_study);
			add_pct(b, y->employed + y->further_study, y->graduates);
			buf_adds(b, "  ");
			add_pct(b, y->in_trade, y->employed);
			buf_adds(b, "  ");
			add_pct(b, y->satisfied, y->surveyed);
			buf_addf(b, " (%2ld)", y->surveyed);
		} else {
			buf_adds(b, "   (no return)                                               ");
		}
		buf_addf(b, "  %3d\n", st->run);
	}
}

static void print_table(const struct voc_review *r, struct buf *b)
{
	const struct voc_params *p = &r->p;

	buf_addf(b, "职业院校专业动态调整年度评议 annual specialty review %d\n", r->year);
	buf_addf(b, "rules used: %s\nvocational.employment: ", r->rule_versions);
	if (p->cond == VOC_COND_PEER_BOTTOM)
		buf_addf(b, "就业率 in the bottom %g%% of the peer set", p->bottom_share * 100);
	else if (p->cond == VOC_COND_ENROLMENT)
		buf_addf(b, "enrolment below %g", p->min_enrolled);
	else
		buf_addf(b, "就业率 below %g%%", p->min_rate * 100);
	buf_addf(b, "; first year: %s (%s); %d years running: %s (%s); years without graduates "
		 "%s\n", voc_action_zh(p->first_action), voc_action_name(p->first_action),
		 p->run_years, voc_action_zh(p->action), voc_action_name(p->action),
		 p->undecided_breaks ? "end a run" : "are skipped");
	buf_adds(b, "(* condition met that year, ? not decided)\n");
	for (size_t c = 0; c < r->ncities; c++) {
		const struct voc_review_city *rc = &r->cities[c];
		buf_addf(b, "\n%s %s: %ld specialties in review\n", rc->code,
			 rc->name ? rc->name : "", rc->match.specialties);
		for (int k = 0; k < 3; k++) {
			buf_addf(b, "  %s %s: %zu\n", voc_section_zh[k], voc_section_names[k],
				 rc->nlisted[k]);
			for (size_t j = 0; j < rc->nlisted[k]; j++) {
				size_t i = rc->listed[k][j];
				const struct voc_specialty *s = &r->data.f.specs[i];
				buf_addf(b, "    %s %s  %s %s  (run %d)\n", s->school,
					 voc_review_school_name(r, s->school), s->code,
					 s->name ? s->name : "", r->d[i].run);
				table_years(b, r, i);
			}
		}
		buf_adds(b, "  专业与产业匹配率 specialty-industry match: ");
		buf_addf(b, "%ld/%ld = ", rc->match.matched, rc->match.specialties);
		add_pct(b, rc->match.matched, rc->match.specialties);
		buf_addf(b, " (%s); enrolment-weighted %ld/%ld = ", rc->match_ok ? "pass" : "FAIL",
			 rc->match.enrolled_matched, rc->match.enrolled);
		add_pct(b, rc->match.enrolled_matched, rc->match.enrolled);
		buf_addf(b, " (%s); target %g%%\n", rc->match_w_ok ? "pass" : "FAIL",
			 p->match_target * 100);
		buf_addf(b, "  unmatched specialties: %zu\n", rc->nunmatched);
		for (size_t j = 0; j < rc->nunmatched; j++) {
			const struct voc_specialty *s = &r->data.f.specs[rc->unmatched[j]];
			const struct voc_year *y = voc_review_year(r, rc->unmatched[j], r->year);
			buf_addf(b, "    %s %s  %s %s  enrolled %ld\n", s->school,
				 voc_review_school_name(r, s->school), s->code, s->name ? s->name : "",
				 y ? y->enrolled : 0L);
		}
		buf_addf(b, "  opened in %d: %zu; closed in %d: %zu\n", r->year, rc->nopened,
			 r->year, rc->nclosed);
	}
}

static void csv_row(struct buf *b, const struct voc_review *r, const char *city,
		    const char *section, size_t i, int year, const char *state, int run,
		    long num, long den)
{
	const struct voc_specialty *s = &r->data.f.specs[i];
	const struct voc_year *y = voc_review_year(r, i, year);

	buf_add_csv_field(b, city);
	buf_addch(b, ',');
	buf_add_csv_field(b, section);
	buf_addch(b, ',');
	buf_add_csv_field(b, s->school);
	buf_addch(b, ',');
	buf_add_csv_field(b, voc_review_school_name(r, s->school));
	buf_addch(b, ',');
	buf_add_csv_field(b, s->code);
	buf_addch(b, ',');
	buf_add_csv_field(b, s->name ? s->name : "");
	buf_addf(b, ",%d,%s,", year, state);
	if (run >= 0)
		buf_addf(b, "%d", run);
	if (y)
		buf_addf(b, ",%ld,%ld,%ld,%ld,", y->enrolled, y->graduates, y->employed,
			 y->further_study);
	else
		buf_adds(b, ",,,,,");
	if (den > 0)
		buf_addf(b, "%.6f", (double)num / (double)den);
	buf_addch(b, '\n');
}

static void print_csv(const struct voc_review *r, struct buf *b)
{
	static const char *const states[] = { "not_met", "met", "undecided" };

	buf_adds(b, "city,section,school_code,school_name,specialty_code,specialty_name,year,"
		 "state,run,enrolled,graduates,employed,further_study,rate\n");
	for (size_t c = 0; c < r->ncities; c++) {
		const struct voc_review_city *rc = &r->cities[c];
		for (int k = 0; k < 3; k++)
			for (size_t j = 0; j < rc->nlisted[k]; j++) {
				size_t i = rc->listed[k][j];
				for (size_t t = 0; t < r->d[i].nsteps; t++) {
					const struct voc_step *st = &r->d[i].steps[t];
					csv_row(b, r, rc->code, voc_section_names[k], i, st->year,
						states[st->state], st->run, st->rate_num,
						st->rate_den);
				}
			}
		for (size_t j = 0; j < rc->nunmatched; j++)
			csv_row(b, r, rc->code, "unmatched", rc->unmatched[j], r->year, "", -1, 0, 0);
		buf_add_csv_field(b, rc->code);
		buf_addf(b, ",match,,,,,%d,%s,,,,,,", r->year, rc->match_ok ? "pass" : "fail");
		if (rc->match.specialties)
			buf_addf(b, "%.6f", (double)rc->match.matched / (double)rc->match.specialties);
		buf_addch(b, '\n');
		buf_add_csv_field(b, rc->code);
		buf_addf(b, ",match_weighted,,,,,%d,%s,,%ld,,,,", r->year,
			 rc->match_w_ok ? "pass" : "fail", rc->match.enrolled);
		if (rc->match.enrolled)
			buf_addf(b, "%.6f",
				 (double)rc->match.enrolled_matched / (double)rc->match.enrolled);
		buf_addch(b, '\n');
	}
}

int cmd_vocational(struct ctx *c, int argc, const char **argv)
{
	int year = 0, rc = 0;
	const char *format = "table", *as_of = NULL;
	static const char *const formats[] = { "table", "json", "csv", NULL };
	struct opt opts[] = {
		OPT_INT("year", &year, "Y", "school year reviewed (default: the latest with "
			"specialty returns)"),
		OPT_STRING("format", &format, "FMT", "table, json or csv"),
		OPT_STRING("rules-as-of", &as_of, "DATE",
			   "use the rule versions in force at DATE (default: today)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct store *s;
	struct voc_review r;
	struct buf b = BUF_INIT;
	int n;

	n = opt_parse(c, argc, argv, opts, usage);
	if (n != 1 || strcmp(argv[0], "review"))
		opt_usage_die(usage, n ? "unknown vocational command '%s'" :
			      "vocational needs a command%s", n ? argv[0] : "");
	opt_check_choice(usage, "format", format, formats);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	if (voc_review_load(s, as_of, year, &r, &e) < 0) {
		rc = cmd_error(&e);
		store_close(s);
		return rc;
	}
	if (!strcmp(format, "json"))
		voc_review_json(&r, &b);
	else if (!strcmp(format, "csv"))
		print_csv(&r, &b);
	else
		print_table(&r, &b);
	fwrite(b.buf, 1, b.len, stdout);
	buf_release(&b);
	voc_review_release(&r);
	store_close(s);
	return rc;
}
