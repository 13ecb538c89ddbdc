/* test_audit.c: the audit chain (src/audit.c) on a real SQLite file: entries append in
 * order with the head recorded; verify passes on an untouched log; an edited field (even
 * NULL turned into "") and a swapped pair of entries are named; without the key file
 * nothing is appended; listing filters and pages newest first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "idhash.h"
#include "store.h"

#define TMPDIR_NAME "eduhq-test-audit"
#include "tmpdir.h"

static struct store *fresh(int with_key)
{
	char path[300], kpath[320];
	struct err e = ERR_INIT;
	struct store *s;
	snprintf(path, sizeof(path), "%s/a.db", tmpdir);
	snprintf(kpath, sizeof(kpath), "%s.key", path);
	unlink(path);
	unlink(kpath);
	if (with_key)
		assert_int_equal(idhash_key_create(kpath, &e), 0);
	s = store_open(path, STORE_CREATE, &e);
	assert_non_null(s);
	return s;
}

static void append_three(struct store *s)
{
	struct err e = ERR_INIT;
	assert_int_equal(audit_append(s, "ana", "127.0.0.1", "insert", "school", "1", NULL, "{\"a\":1}", &e), 0);
	assert_int_equal(audit_append(s, "ana", "127.0.0.1", "update", "school", "1", "{\"a\":1}", "{\"a\":2}", &e), 0);
	assert_int_equal(audit_append(s, "cli:root", "cli", "delete", "school", "1", "{\"a\":2}", NULL, &e), 0);
}

static int verify(struct store *s, struct buf *rep)
{
	struct err e = ERR_INIT;
	long n;
	buf_reset(rep);
	return audit_verify(s, rep, &n, &e);
}

static void chain_verifies_and_names_tampering(void **state)
{
	struct store *s = fresh(1);
	struct buf rep = BUF_INIT;
	struct err e = ERR_INIT;
	char *head;
	(void)state;
	append_three(s);
	head = store_meta_get(s, "audit_head");
	assert_non_null(head);
	assert_int_equal(strncmp(head, "3 ", 2), 0);
	assert_int_equal(strlen(head), 2 + 64);
	free(head);
	assert_int_equal(verify(s, &rep), 0);
	assert_string_equal(rep.buf, "");

	/* NULL and "" are different content */
	assert_int_equal(store_exec(s, "UPDATE audit_log SET before = '' WHERE id = 1", &e), 0);
	assert_int_equal(verify(s, &rep), ERR_DATA);
	assert_string_equal(rep.buf, "entry 1: edited (its hash does not match its content)\n");
	assert_int_equal(store_exec(s, "UPDATE audit_log SET before = NULL WHERE id = 1", &e), 0);
	assert_int_equal(verify(s, &rep), 0);

	/* entries 2 and 3 swapped (contents and hashes): the order is what the chain fixes */
	assert_int_equal(store_exec(s, "UPDATE audit_log SET id = -2 WHERE id = 2; "
				    "UPDATE audit_log SET id = 2 WHERE id = 3; "
				    "UPDATE audit_log SET id = 3 WHERE id = -2", &e), 0);
	assert_int_equal(verify(s, &rep), ERR_DATA);
	assert_non_null(strstr(rep.buf, "entry 2: "));
	buf_release(&rep);
	store_close(s);
}

static void no_key_no_entry(void **state)
{
	struct store *s = fresh(0);
	struct err e = ERR_INIT;
	int64_t n = -1;
	(void)state;
	setenv("EDUHQ_KEY_FILE", "", 1);
	assert_true(audit_append(s, "ana", "x", "insert", "t", "k", NULL, NULL, &e) < 0);
	assert_non_null(strstr(e.msg, "audit log: cannot open key file"));
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM audit_log", &n, &e), 0);
	assert_int_equal(n, 0);
	store_close(s);
}

static int collect(const struct audit_entry *en, void *data)
{
	struct buf *b = data;
	buf_addf(b, "%ld:%s:%s;", en->id, en->user, en->action);
	return 0;
}

static void list_filters_newest_first(void **state)
{
	struct store *s = fresh(1);
	struct audit_filter f = { 0 };
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	(void)state;
	append_three(s);
	assert_int_equal(audit_list(s, &f, collect, &b, &e), 3);
	assert_string_equal(b.buf, "3:cli:root:delete;2:ana:update;1:ana:insert;");
	buf_reset(&b);
	f.user = "ana";
	f.limit = 1;
	assert_int_equal(audit_list(s, &f, collect, &b, &e), 1);
	assert_string_equal(b.buf, "2:ana:update;");
	buf_reset(&b);
	f.before_id = 2;
	assert_int_equal(audit_list(s, &f, collect, &b, &e), 1);
	assert_string_equal(b.buf, "1:ana:insert;");
	buf_release(&b);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_verifies_and_names_tampering),
		cmocka_unit_test(no_key_no_entry),
		cmocka_unit_test(list_filters_newest_first),
	};
	unsetenv("EDUHQ_KEY_FILE");
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
