#!/bin/sh
# t1300-store-pg.sh: the store conformance suite (t/unit/test_store.c) on PostgreSQL, in a
# throwaway cluster, and the demo city's evaluation compared row by row, bit for bit, with
# SQLite's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pg.sh"
pg_start 15432

EDUHQ_TEST_PG=$PGURL CMOCKA_MESSAGE_OUTPUT=stdout "$EDUHQ_BUILD/t/unit/test_store" >"$T/out" 2>&1
rc=$?
for t in types_round_trip blobs_round_trip params_and_nesting transactions copy_all_or_nothing eval_results_equal; do
	ok $(grep -q "^\[       OK \] $t\$" "$T/out" && echo 0 || echo 1) "$t on SQLite and PostgreSQL"
done
is "$rc" 0 "the suite passes on both backends"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/out" >&2
done_testing
