#!/bin/sh
# fuzz.sh: build and run the libFuzzer harnesses (run by `make fuzz`).
#
# usage: scripts/fuzz.sh t/fuzz/fuzz_NAME.c...
# Each harness names, in its header comment, the sources it needs (FUZZ_SOURCES:), extra
# compiler flags (FUZZ_CFLAGS:) and libraries (FUZZ_LIBS:). It is built with clang
# (-fsanitize=fuzzer,address,undefined) into $FUZZ_OUT (default /tmp/eduhq-fuzz-UID), seeded
# from t/fuzz/corpus_NAME/ (new inputs go to a working corpus in $FUZZ_OUT, not the tree),
# with t/fuzz/NAME.dict when present, and run for $FUZZ_SECONDS seconds (default 60).
# Crash inputs are kept as $FUZZ_OUT/NAME/crash-*; the script exits non-zero if any
# harness fails to build or crashes.
set -eu
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_OUT=${FUZZ_OUT:-/tmp/eduhq-fuzz-$(id -u)}
CLANG=${CLANG:-clang}

[ $# -gt 0 ] || { echo "usage: scripts/fuzz.sh t/fuzz/fuzz_NAME.c..." >&2; exit 2; }
command -v "$CLANG" >/dev/null || { echo "fuzz.sh: $CLANG not found (apt-get install clang)" >&2; exit 1; }

# libFuzzer's runtime comes with clang's compiler-rt; install it when it is missing.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	ver=$("$CLANG" -dumpversion | cut -d. -f1)
	echo "fuzz.sh: installing libclang-rt-$ver-dev for -fsanitize=fuzzer"
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz.sh: not root; run as root: apt-get install libclang-rt-$ver-dev" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"libclang-rt-$ver-dev" >/dev/null
fi

# header "NAME: value" of a harness (a closing "*/" on that line is not part of it)
field() { sed -n -e "/^ \\* $2:/{s|^ \\* $2: *||;s|\\*/ *\$||;p;q;}" "$1"; }

status=0
for h in "$@"; do
	name=$(basename "$h" .c)
	short=${name#fuzz_}
	out="$FUZZ_OUT/$short"
	mkdir -p "$out/corpus"
	srcs=$(field "$h" FUZZ_SOURCES)
	cflags=$(eval "echo $(field "$h" FUZZ_CFLAGS)")
	libs=$(eval "echo $(field "$h" FUZZ_LIBS)")
	echo "fuzz.sh: building $name"
	# shellcheck disable=SC2086
	if ! "$CLANG" -g -O1 -std=c11 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $cflags -o "$out/$name" "$h" $srcs $libs; then
		echo "fuzz.sh: $name: build failed" >&2
		status=1
		continue
	fi
	seeds=
	[ -d "t/fuzz/corpus_$short" ] && seeds="t/fuzz/corpus_$short"
	dict=
	[ -f "t/fuzz/$short.dict" ] && dict="-dict=t/fuzz/$short.dict"
	echo "fuzz.sh: running $name for ${FUZZ_SECONDS}s"
	# shellcheck disable=SC2086
	if "$out/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/" $dict "$out/corpus" $seeds \
		>"$out/log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^Done' "$out/log" | sed "s|^|fuzz.sh: $name: |"
	else
		echo "fuzz.sh: $name: CRASH (log $out/log; inputs $out/crash-*)" >&2
		tail -n 40 "$out/log" >&2
		status=1
	fi
done
exit $status
