#!/bin/sh
# t6003-report-pg.sh: the annual report on PostgreSQL is the report on SQLite: the same demo
# city evaluated on both backends gives the same HTML and the same DOCX document.xml (the
# run's time aside), figures, notes and data fingerprint included.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pg.sh"
pg_start 15438
export EDUHQ_KEY_FILE="$T/eduhq.key"
SQ="$T/sq.db"
for db in "$PGURL" "$SQ"; do
	eduhq --db "$db" demo --out "$T/csv" --quiet >/dev/null 2>"$T/e" || { cat "$T/e" >&2; echo "Bail out! demo"; exit 1; }
	eduhq --db "$db" eval --as-of 2025-09-30 >/dev/null 2>"$T/e" || { cat "$T/e" >&2; echo "Bail out! eval"; exit 1; }
done
norm() { sed 's/20[0-9][0-9]-[0-9-]*T[0-9:]*Z/TIME/g'; }
for f in html docx; do
	run eduhq --db "$PGURL" report annual --year 2024 --format $f --out "$T/pg.$f"
	is "$rc" 0 "report $f on PostgreSQL"
	eduhq --db "$SQ" report annual --year 2024 --format $f --out "$T/sq.$f" >/dev/null
done
ok "$(grep -q '全市组建教育集团<a' "$T/pg.html"; echo $?)" "the PostgreSQL report states the groups"
norm <"$T/pg.html" >"$T/pg.n"
norm <"$T/sq.html" >"$T/sq.n"
ok "$(cmp -s "$T/pg.n" "$T/sq.n"; echo $?)" "the same HTML on both backends ($(grep -c 'class="fig"' "$T/pg.n") figure lines)"
cmp -s "$T/pg.n" "$T/sq.n" || diff "$T/pg.n" "$T/sq.n" | head -5 | sed 's/^/# /' >&2
unzip -p "$T/pg.docx" word/document.xml | norm >"$T/pg.x"
unzip -p "$T/sq.docx" word/document.xml | norm >"$T/sq.x"
ok "$(cmp -s "$T/pg.x" "$T/sq.x"; echo $?)" "the same DOCX document on both backends"
done_testing
