#!/bin/sh
# bench/fingerprint.sh: what the data fingerprint costs in a whole `eduhq eval`: the share of
# the run's CPU samples (perf record, both threads, user and kernel) spent in eval_fp_* (the
# encoding of the rows read) and in libsodium (BLAKE2b, and SipHash for the units), best of
# RUNS. The runs are deleted again. Needs perf.
# usage: bench/fingerprint.sh [EDUHQ] [DB] [RUNS]   (run from the top)
set -eu
EDUHQ=${1:-build/eduhq}
DB=${2:-build/prov.db}
RUNS=${3:-3}
P=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-fp.XXXXXX")
trap 'rm -rf "$P"' EXIT
first=$(sqlite3 "$DB" "SELECT coalesce(max(id), 0) + 1 FROM eval_run")
for i in $(seq "$RUNS"); do
	perf record -q -F 2000 -o "$P/perf.data" "$EDUHQ" --db "$DB" eval --as-of 2025-09-30 \
		--rules-as-of 2025-09-30 --fresh >/dev/null 2>&1
	perf report -q -i "$P/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null |
		awk '$1 ~ /%$/ { p = $1 + 0; all += p;
			if ($2 ~ /libsodium/) h += p; else if ($0 ~ /eval_fp_/) f += p }
			END { printf "%.1f %.1f %.1f\n", f + h, f, h }' >>"$P/shares"
done
sort -n "$P/shares" | head -1 | awk -v r="$RUNS" '{ printf "fingerprint, whole eval (best of %d): %.1f%% of CPU samples (encoding eval_fp_* %.1f%%, libsodium: BLAKE2b and SipHash %.1f%%)\n", r, $1, $2, $3 }'
sqlite3 "$DB" "PRAGMA foreign_keys = ON; DELETE FROM eval_run WHERE id >= $first" >/dev/null
