/* cmd/audit.c: `eduhq audit [--user U] [--table T] [--action A] [--since DATE] [--limit N]`
 * lists audit-log entries, newest first; `eduhq audit verify` recomputes the hash chain and
 * names every edited, inserted or deleted entry (exit 1 if any). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "cmd.h"
#include "store.h"
#include "banned.h"

static const char *const usage[] = {
	"eduhq audit [--user NAME] [--table T] [--action A] [--since DATE] [--limit N] [--format table|json]",
	"eduhq audit verify",
	NULL,
};
static const char *const formats[] = { "table", "json", NULL };

static int print_entry(const struct audit_entry *en, void *data)
{
	json_t *arr = data;
	if (arr) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)en->id,
				      "at", en->at, "user", en->user, "address", en->address,
				      "action", en->action, "table", en->table, "key", en->key);
		json_object_set_new(o, "before", en->before ? json_loads(en->before, 0, NULL) : json_null());
		json_object_set_new(o, "after", en->after ? json_loads(en->after, 0, NULL) : json_null());
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%6ld %s %-16s %-10s %-14s %s %s\n", en->id, en->at, en->user,
	       en->address[0] ? en->address : "-", en->action, en->table[0] ? en->table : "-",
	       en->key[0] ? en->key : "-");
	return 0;
}

int cmd_audit(struct ctx *c, int argc, const char **argv)
{
	struct audit_filter f = { 0 };
	const char *fmt = "table";
	int limit = 100, n, rc;
	struct opt opts[] = {
		OPT_STRING("user", &f.user, "NAME", "entries by this user"),
		OPT_STRING("table", &f.table, "T", "entries about this table"),
		OPT_STRING("action", &f.action, "A", "entries of this action (import, update, login, ...)"),
		OPT_STRING("since", &f.since, "DATE", "entries at or after DATE (YYYY-MM-DD)"),
		OPT_INT("limit", &limit, "N", "at most N entries (default 100)"),
		OPT_STRING("format", &fmt, "FMT", "table or json"),
		OPT_END(),
	};
	struct err e = ERR_INIT;
	struct store *s;

	n = opt_parse(c, argc, argv, opts, usage);
	opt_check_choice(usage, "--format", fmt, formats);
	if (n > 1 || (n == 1 && strcmp(argv[0], "verify")))
		opt_usage_die(usage, "audit: unknown argument '%s'", argv[n - 1]);
	if (!(s = cmd_open_store(c)))
		return 1;
	if (n == 1) {
		struct buf rep = BUF_INIT;
		long count;
		rc = audit_verify(s, &rep, &count, &e);
		fputs(rep.buf, stdout);
		if (rc == 0) {
			char *head = store_meta_get(s, "audit_head");
			printf("audit: %ld entries verify; head %s\n", count, head ? head : "(empty)");
			free(head);
		} else if (rc == ERR_DATA) {
			printf("audit: the chain of %ld entries does not verify\n", count);
		}
		buf_release(&rep);
		store_close(s);
		return rc == 0 ? 0 : rc == ERR_DATA ? 1 : cmd_error(&e);
	}
	f.limit = limit;
	{
		json_t *arr = strcmp(fmt, "json") ? NULL : json_array();
		rc = audit_list(s, &f, print_entry, arr, &e);
		if (arr) {
			char *txt = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			if (rc >= 0)
				printf("%s\n", txt);
			free(txt);
			json_decref(arr);
		}
	}
	store_close(s);
	return rc < 0 ? cmd_error(&e) : 0;
}
