/* cmd/hazard.c: `eduhq hazard add|register|assign|start|accept|close|show|list`: argument
 * parsing and formatting around the ledger module (hazard.h), which checks and records each
 * step with who made it (--as NAME, else the operating-system user). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "audit.h"
#include "hazard.h"
#include "rules.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq hazard add --school CODE --category CAT --description TEXT [--major] [--found DATE]\n"
	"                 [--code CODE] [--unregistered] [--date DATE] [--as NAME]",
	"eduhq hazard register CODE [--date DATE] [--as NAME]",
	"eduhq hazard assign CODE --responsible WHO --measures TEXT --deadline DATE [--funds YUAN]\n"
	"                    [--plan TEXT] [--date DATE] [--as NAME]",
	"eduhq hazard start|accept|close CODE [--date DATE] [--as NAME]",
	"eduhq hazard show CODE",
	"eduhq hazard list [--school CODE] [--state STATE] [--overdue] [--as-of DATE]",
	NULL,
};

static int step_date(const char **date, char buf[11])
{
	if (!*date) {
		date_format(date_today(), buf);
		*date = buf;
	}
	return 0;
}

static int load_rules(struct store *s, struct hz_rules *r, struct err *e)
{
	struct rule_set *rules = rules_load(s, NULL, e);
	int rc;
	if (!rules)
		return e->code;
	rc = hz_rules_load(rules, r, e);
	rules_free(rules);
	return rc;
}

static int do_add(struct ctx *c, int argc, const char **argv)
{
	const char *school = NULL, *cat = NULL, *desc = NULL, *found = NULL, *code = NULL;
	const char *date = NULL, *as = NULL;
	int major = 0, unreg = 0, rc;
	struct opt opts[] = {
		OPT_STRING("school", &school, "CODE", "school (学校标识码)"),
		OPT_STRING("category", &cat, "CAT", "category (drowning, building, fire, ...)"),
		OPT_STRING("description", &desc, "TEXT", "what was found"),
		OPT_BOOL("major", &major, "a major hazard (重大隐患)"),
		OPT_STRING("found", &found, "DATE", "date found (default: --date)"),
		OPT_STRING("code", &code, "CODE", "hazard code (default: HZ<school>-NNN)"),
		OPT_BOOL("unregistered", &unreg, "record it as found only (not yet in the ledger)"),
		OPT_STRING("date", &date, "DATE", "date of the registration (default: today)"),
		OPT_STRING("as", &as, "NAME", "who records it (default: the operating-system user)"),
		OPT_END(),
	};
	struct hazard h = { .funds = NAN };
	struct actor who = { NULL, "cli" };
	struct err e = ERR_INIT;
	struct arena a;
	struct store *s;
	char today[11];

	opt_parse_none(c, argc, argv, opts, usage);
	if (!school || !cat || !desc)
		opt_usage_die(usage, "hazard add needs --school, --category and --description");
	step_date(&date, today);
	h.code = code;
	h.school_code = school;
	h.category = cat;
	h.description = desc;
	h.found_date = found ? found : date;
	h.is_major = major;
	h.state = unreg ? HZ_FOUND : HZ_REGISTERED;
	s = cmd_open_store(c);
	if (!s)
		return 1;
	arena_init(&a, 0);
	who.name = cmd_actor(as);
	rc = hazard_add(s, &h, NULL, &who, date, &a, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("hazard %s: %s (%s) by %s on %s\n", h.code, hz_state_name(h.state),
		       hz_state_zh(h.state), cmd_actor(as), unreg ? h.found_date : date);
	arena_release(&a);
	store_close(s);
	return rc;
}

static int do_step(struct ctx *c, int step, int argc, const char **argv)
{
	const char *date = NULL, *as = NULL;
	struct hz_assignment asg = { .funds = NAN };
	struct opt base[] = {
		OPT_STRING("date", &date, "DATE", "date of the step (default: today)"),
		OPT_STRING("as", &as, "NAME", "who makes the step (default: the operating-system user)"),
		OPT_END(),
	};
	struct opt assign[] = {
		OPT_STRING("responsible", &asg.responsible, "WHO", "responsible person or unit (责任人)"),
		OPT_STRING("measures", &asg.measures, "TEXT", "rectification measures (整改措施)"),
		OPT_STRING("deadline", &asg.deadline, "DATE", "deadline (整改时限)"),
		OPT_DOUBLE("funds", &asg.funds, "YUAN", "funds in yuan (整改资金)"),
		OPT_STRING("plan", &asg.contingency_plan, "TEXT", "contingency plan (应急预案)"),
		OPT_STRING("date", &date, "DATE", "date of the step (default: today)"),
		OPT_STRING("as", &as, "NAME", "who makes the step (default: the operating-system user)"),
		OPT_END(),
	};
	struct hz_rules r;
	struct hazard h;
	struct actor who = { NULL, "cli" };
	struct err e = ERR_INIT;
	struct arena a;
	struct store *s;
	char today[11];
	int rc;

	if (opt_parse(c, argc, argv, step == HZ_STEP_ASSIGN ? assign : base, usage) != 1)
		opt_usage_die(usage, "hazard %s needs one hazard code", hz_transitions[step].verb);
	step_date(&date, today);
	who.name = cmd_actor(as);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	arena_init(&a, 0);
	rc = load_rules(s, &r, &e);
	if (rc == 0)
		rc = hazard_step(s, argv[0], step, &asg, NULL, &who, date, &r, &a, &h, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("hazard %s: %s (%s) by %s on %s\n", h.code, hz_state_name(h.state),
		       hz_state_zh(h.state), cmd_actor(as), date);
	arena_release(&a);
	store_close(s);
	return rc;
}

static void print_event(void *ctx, const struct hz_event *ev)
{
	(void)ctx;
	printf("  %2d  %s  %-10s -> %-10s by %s (recorded %s)", ev->seq, ev->date,
	       ev->from_state ? ev->from_state : "", ev->to_state, ev->actor, ev->recorded_at);
	if (ev->detail && strcmp(ev->detail, "{}"))
		printf(" %s", ev->detail);
	putchar('\n');
}

static void field(const char *label, const char *v)
{
	printf("  %-17s %s\n", label, v && *v ? v : "-");
}

static int do_show(struct ctx *c, int argc, const char **argv)
{
	struct opt opts[] = { OPT_END() };
	struct err e = ERR_INIT;
	struct arena a;
	struct hazard h;
	struct store *s;
	int rc;

	if (opt_parse(c, argc, argv, opts, usage) != 1)
		opt_usage_die(usage, "hazard show needs one hazard code");
	s = cmd_open_store(c);
	if (!s)
		return 1;
	arena_init(&a, 0);
	rc = hazard_get(s, argv[0], NULL, &a, &h, &e);
	if (rc == 0) {
		char funds[32], dl[96];
		long today = date_today(), d;
		printf("hazard %s: %s%s\n", h.code, h.category, h.is_major ? ", major (重大隐患)" : "");
		field("school", h.school_code);
		field("found", h.found_date);
		field("description", h.description);
		printf("  %-17s %s (%s)\n", "state", hz_state_name(h.state), hz_state_zh(h.state));
		field("responsible", h.responsible);
		field("measures", h.measures);
		snprintf(funds, sizeof(funds), "%.2f", h.funds);
		field("funds", isfinite(h.funds) ? funds : NULL);
		if (h.deadline && hazard_is_overdue(&h, today) && date_parse(h.deadline, &d) == 0)
			snprintf(dl, sizeof(dl), "%s (overdue by %ld days)", h.deadline, today - d);
		else
			snprintf(dl, sizeof(dl), "%s", h.deadline ? h.deadline : "-");
		field("deadline", dl);
		field("contingency plan", h.contingency_plan);
		field("closed", h.closed_date);
		printf("steps:\n");
		rc = hazard_events(s, h.code, print_event, NULL, &e);
	}
	if (rc < 0)
		rc = cmd_error(&e);
	arena_release(&a);
	store_close(s);
	return rc;
}

struct list_ctx {
	const char *school;
	int state, overdue;
	long as_of;
	int n;
};

static void list_one(void *ctx, const struct hazard *h)
{
	struct list_ctx *L = ctx;
	int od = hazard_is_overdue(h, L->as_of);
	if ((L->school && strcmp(L->school, h->school_code)) ||
	    (L->state >= 0 && (int)h->state != L->state) || (L->overdue && !od))
		return;
	if (!L->n++)
		printf("%-16s %-10s %-17s %-5s %-10s %-10s %s\n", "code", "school", "category",
		       "major", "state", "deadline", "overdue");
	printf("%-16s %-10s %-17s %-5s %-10s %-10s %s\n", h->code, h->school_code, h->category,
	       h->is_major ? "yes" : "no", hz_state_name(h->state),
	       h->deadline ? h->deadline : "-", od ? "yes" : "no");
}

static int do_list(struct ctx *c, int argc, const char **argv)
{
	const char *state = NULL, *as_of = NULL;
	struct list_ctx L = { .state = -1 };
	struct opt opts[] = {
		OPT_STRING("school", &L.school, "CODE", "only this school's hazards"),
		OPT_STRING("state", &state, "STATE", "only hazards in this state"),
		OPT_BOOL("overdue", &L.overdue, "only overdue hazards"),
		OPT_STRING("as-of", &as_of, "DATE", "judge overdue at DATE (default: today)"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct store *s;
	int rc;

	opt_parse_none(c, argc, argv, opts, usage);
	if (state && (L.state = hz_state_parse(state)) < 0)
		opt_usage_die(usage, "unknown state '%s' (found, registered, assigned, rectifying, "
			      "accepted, closed)", state);
	if (!as_of)
		L.as_of = date_today();
	else if (date_parse(as_of, &L.as_of) < 0)
		opt_usage_die(usage, "--as-of: '%s' is not a date (YYYY-MM-DD)", as_of);
	s = cmd_open_store(c);
	if (!s)
		return 1;
	rc = hazard_each(s, NULL, list_one, &L, &e);
	if (rc < 0)
		rc = cmd_error(&e);
	else
		printf("%d hazard%s\n", L.n, L.n == 1 ? "" : "s");
	store_close(s);
	return rc;
}

int cmd_hazard(struct ctx *c, int argc, const char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;
	int step;

	if (!verb || !strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		struct opt none[] = { OPT_END() };
		const char *hv[] = { "hazard", "--help", NULL };
		if (!verb)
			opt_usage_die(usage, "hazard needs a subcommand");
		opt_parse(c, 2, hv, none, usage);
		return 0;
	}
	if (!strcmp(verb, "add"))
		return do_add(c, argc - 1, argv + 1);
	if (!strcmp(verb, "show"))
		return do_show(c, argc - 1, argv + 1);
	if (!strcmp(verb, "list"))
		return do_list(c, argc - 1, argv + 1);
	step = hz_step_parse(verb);
	if (step < 0)
		opt_usage_die(usage, "unknown hazard subcommand '%s'", verb);
	return do_step(c, step, argc - 1, argv + 1);
}
