#!/bin/sh
# bench/pagefault.sh: what a page fault costs here (bench/bench_pagefault.c): fresh memory
# from xmalloc (small pages) against xmalloc_big (huge pages), first touched and written
# again. Why eduhq's big arrays come from xmalloc_big.
# usage: bench/pagefault.sh [BUILD-DIR] [MB] [RUNS]   (run from the top)
set -eu
BUILD=${1:-build}
make -s BUILD="$BUILD" "$BUILD/bench/bench_pagefault" >/dev/null
"$BUILD/bench/bench_pagefault" "${2:-128}" "${3:-3}"
