#!/bin/sh
# gen-docs.sh: regenerate the generated documents in docs/ from the binary's declarative
# tables. `make docs` runs it as: scripts/gen-docs.sh ABS_PATH_TO_EDUHQ [OUTDIR]
#   docs/data-dictionary.md   `eduhq export --dictionary` (the column registry, src/table.c)
#   docs/rules.md             `eduhq rules --format md` on a fresh database (builtin[], src/rules.c)
#   docs/indicators.md        `eduhq indicators --catalog --format md` (src/indicator.c)
#   docs/forecast-accuracy.md the back-tests on ../shared/data/real (gen-forecast-doc.sh;
#                             skipped with EDUHQ_SKIP_FORECAST_DOC=1, as t2005 does: t3152
#                             checks its stamp instead)
set -eu
EDUHQ=${1:?usage: scripts/gen-docs.sh EDUHQ [OUTDIR]}
OUT=${2:-$(cd "$(dirname "$0")/.." && pwd)/docs}
mkdir -p "$OUT"
"$EDUHQ" export --dictionary --out "$OUT/data-dictionary.md"
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
EDUHQ_KEY_FILE="$TMPD/k" "$EDUHQ" --db "$TMPD/fresh.db" init >/dev/null
"$EDUHQ" --db "$TMPD/fresh.db" rules --format md >"$OUT/rules.md"
"$EDUHQ" --db "$TMPD/fresh.db" indicators --catalog --format md >"$OUT/indicators.md"
echo "wrote $OUT/rules.md and $OUT/indicators.md"
[ -n "${EDUHQ_SKIP_FORECAST_DOC:-}" ] || "$(dirname "$0")/gen-forecast-doc.sh" "$EDUHQ" "$OUT"
