/* svc_check.c: the data-quality report as one call (rules, facts, checks), for the API
 * (and any interface that wants it without the command's printing). */
#include "check.h"
#include "rules.h"
#include "svc.h"
#include "banned.h"

int svc_check(struct store *s, int year, const struct svc_scope *sc, struct check_report *r,
	      struct err *e)
{
	struct check_params p = { 0 };
	struct check_facts f;
	struct rule_set *rs;
	int rc = 0;

	check_report_init(r);
	if (!(rs = rules_load(s, NULL, e)))
		return e->code;
	if ((rc = check_params_from_rules(rs, &p, e)) < 0) {
		rules_free(rs);
		return rc;
	}
	p.year = year;
	if ((rc = check_load(s, sc ? sc->area : NULL, sc ? sc->school : NULL, &f, e)) == 0)
		check_run(&f, &p, r);
	check_facts_release(&f);
	rules_free(rs);
	return rc;
}
