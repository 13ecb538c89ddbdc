#!/bin/sh
# bench/loaders.sh: each mechanism's load time alone (`eduhq eval NAME --timing`, its "load"
# figure), best of RUNS, for EDUHQ and, when given, a reference binary (e.g. one built from
# main before a change: `git worktree add /tmp/ref X && make -C /tmp/ref`) run alternately on
# the same database, so both see the same machine load; then the sum over the mechanisms.
# The runs are deleted again.
# usage: bench/loaders.sh [EDUHQ] [DB] [REFERENCE-EDUHQ] [RUNS]   (run from the top)
set -eu
EDUHQ=${1:-build/eduhq}
DB=${2:-build/prov.db}
BASE=${3:-}
RUNS=${4:-3}
q() { sqlite3 "$DB" "$@"; }
first=$(q "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
load() { # load BINARY MECHANISM: the best load figure of RUNS runs (loading: --fresh where the
	# binary knows it, or it would take the results of the run before)
	f=$("$1" eval --help 2>&1 | grep -q -- --fresh && echo --fresh || true)
	for i in $(seq "$RUNS"); do
		"$1" --db "$DB" eval "$2" --as-of 2025-09-30 --rules-as-of 2025-09-30 --timing $f 2>&1 \
			>/dev/null | sed -n 's/^timing: load \([0-9.]*\) s.*/\1/p'
	done | sort -n | head -1
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); load seconds, best of $RUNS"
printf '%-12s %8s %10s\n' mechanism eduhq "${BASE:+reference}"
sa=0
sb=0
for m in balance seats teachers groups vocational assessment curriculum safety tasks; do
	a=$(load "$EDUHQ" "$m")
	b=${BASE:+$(load "$BASE" "$m")}
	printf '%-12s %8.3f %10s\n' "$m" "$a" "$b"
	sa=$(echo "$sa $a" | awk '{ print $1 + $2 }')
	[ -z "$b" ] || sb=$(echo "$sb $b" | awk '{ print $1 + $2 }')
done
printf '%-12s %8.3f %10s\n' sum "$sa" "${BASE:+$sb}"
q "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first" >/dev/null
