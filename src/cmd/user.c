/* cmd/user.c: `eduhq user add|passwd|disable|enable|role|list|token`: bootstrapping and
 * operating the server's users and API tokens from the command line (auth.c does the work;
 * every change is audited as "cli:LOGIN"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "auth.h"
#include "cmd.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq user add NAME --role ROLE [--area CODE | --school CODE] [--password-stdin]",
	"eduhq user passwd NAME [--password-stdin]",
	"eduhq user disable|enable NAME",
	"eduhq user role NAME --role ROLE [--area CODE | --school CODE]",
	"eduhq user list [--format table|json]",
	"eduhq user token NAME [--label TEXT] | --list | --revoke ID",
	NULL,
};

static const char *const verbs[] = { "add", "passwd", "disable", "enable", "role", "list", "token", NULL };
static const char *const formats[] = { "table", "json", NULL };

/* The password: the first line of stdin, or a new random one (*generated set). */
static int get_password(int from_stdin, char *pw, size_t n, int *generated)
{
	*generated = 0;
	if (!from_stdin) {
		auth_random_password(pw);
		*generated = 1;
		return 0;
	}
	if (!fgets(pw, (int)n, stdin))
		return -1;
	pw[strcspn(pw, "\r\n")] = '\0';
	return 0;
}

static int print_user(const struct user_info *u, void *data)
{
	json_t *arr = data;
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:s}", "name", u->name,
						     "role", u->role, "area", u->area, "school",
						     u->school, "disabled", u->disabled, "created_at",
						     u->created_at));
		return 0;
	}
	printf("%-20s %-13s %-12s %-8s %s\n", u->name, u->role,
	       u->area ? u->area : u->school ? u->school : "-", u->disabled ? "disabled" : "active",
	       role_zh((enum role)role_parse(u->role)));
	return 0;
}

static int print_token(const struct token_info *t, void *data)
{
	(void)data;
	printf("%-6ld %-20s %s %s\n", t->id, t->label[0] ? t->label : "-", t->created_at,
	       t->revoked_at ? "revoked" : "active");
	return 0;
}

int cmd_user(struct ctx *c, int argc, const char **argv)
{
	const char *role = NULL, *area = NULL, *school = NULL, *fmt = "table", *label = NULL;
	int pw_stdin = 0, list = 0, revoke = 0, verb, n, rc = 0, generated;
	struct opt opts[] = {
		OPT_STRING("role", &role, "ROLE", "city_admin, city_analyst, county_user or school_user"),
		OPT_STRING("area", &area, "CODE", "a county user's area (its subtree is the scope)"),
		OPT_STRING("school", &school, "CODE", "a school user's school"),
		OPT_BOOL("password-stdin", &pw_stdin, "read the password from the first line of stdin "
			 "(default: generate one and print it once)"),
		OPT_STRING("format", &fmt, "FMT", "list: table or json"),
		OPT_STRING("label", &label, "TEXT", "token: what the token is for"),
		OPT_BOOL("list", &list, "token: list the user's tokens"),
		OPT_INT("revoke", &revoke, "ID", "token: revoke token ID"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct auth_policy pol;
	struct store *s;
	struct actor who;
	char actor[96], pw[256];

	n = opt_parse(c, argc, argv, opts, usage);
	if (n < 1)
		opt_usage_die(usage, "user: say what to do");
	verb = opt_check_choice(usage, "user", argv[0], verbs);
	opt_check_choice(usage, "--format", fmt, formats);
	if ((verb == 5) != (n == 1) || n > 2)
		opt_usage_die(usage, verb == 5 ? "user list takes no name" : "user %s needs a user name", argv[0]);
	if ((verb == 0 || verb == 4) && (!role || role_parse(role) < 0))
		opt_usage_die(usage, "user %s: --role must be city_admin, city_analyst, county_user or school_user",
			      argv[0]);
	if (!(s = cmd_open_store(c)))
		return 1;
	audit_cli_actor(actor, sizeof(actor));
	who.name = actor;
	who.from = "cli";
	if (auth_policy_load(s, &pol, &e) < 0)
		goto out;
	switch (verb) {
	case 0: /* add */
	case 1: /* passwd */
		if (get_password(pw_stdin, pw, sizeof(pw), &generated) < 0) {
			rc = err_set(&e, ERR_USAGE, "no password on stdin");
			break;
		}
		rc = verb == 0 ? auth_user_add(s, &pol, argv[1], (enum role)role_parse(role), area,
					       school, pw, &who, &e)
			       : auth_user_passwd(s, &pol, argv[1], pw, &who, &e);
		if (rc == 0) {
			printf("user: %s %s\n", verb == 0 ? "added" : "new password for", argv[1]);
			if (generated)
				printf("password: %s\n", pw);
		}
		break;
	case 2:
	case 3:
		if ((rc = auth_user_set_disabled(s, argv[1], verb == 2, &who, &e)) == 0)
			printf("user: %s %s\n", verb == 2 ? "disabled" : "enabled", argv[1]);
		break;
	case 4:
		if ((rc = auth_user_set_role(s, argv[1], (enum role)role_parse(role), area, school,
					     &who, &e)) == 0)
			printf("user: %s is now %s\n", argv[1], role);
		break;
	case 5: {
		json_t *arr = strcmp(fmt, "json") ? NULL : json_array();
		rc = auth_user_list(s, NULL, print_user, arr, &e);
		if (arr) {
			char *txt = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			if (rc == 0)
				printf("%s\n", txt);
			free(txt);
			json_decref(arr);
		}
		break;
	}
	case 6:
		if (list) {
			rc = auth_token_list(s, argv[1], print_token, NULL, &e);
		} else if (revoke) {
			if ((rc = auth_token_revoke(s, revoke, argv[1], &who, &e)) == 0)
				printf("user: token %d revoked\n", revoke);
		} else {
			char tok[AUTH_API_TOKEN_LEN];
			long id;
			if ((rc = auth_token_create(s, argv[1], label, &who, tok, &id, &e)) == 0)
				printf("token %ld for %s (shown once; send it as 'Authorization: Bearer TOKEN'):\n%s\n",
				       id, argv[1], tok);
		}
		break;
	}
out:
	memset(pw, 0, sizeof(pw));
	store_close(s);
	return e.code ? cmd_error(&e) : 0;
}
