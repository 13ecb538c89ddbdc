#!/bin/sh
# bench/pg.sh: the province-scale demo (about 5.7M rows, 1M teachers) imported and evaluated
# on both backends: SQLite (a file) and PostgreSQL (a throwaway local cluster, default
# settings, unix socket). Prints import and full `eval` times for each (and of a second eval,
# which takes every mechanism's results from the first, and of one after a facility write,
# where balance computes taking its teachers' part), and checks that both backends'
# evaluations give the same results. Takes several minutes on 2 cores.
# usage: bench/pg.sh [EDUHQ] [DIR]   (DIR default: a temporary directory, removed after)
set -eu
EDUHQ=$(cd "$(dirname "${1:-build/eduhq}")" && pwd)/$(basename "${1:-build/eduhq}")
TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 2 ]; then
	B=$2
	mkdir -p "$B"
else
	B=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-pg.XXXXXX")
fi
T=$B/t
mkdir -p "$T"
. "$TOP/t/lib-pg.sh"
trap 'pg_stop; [ $# -ge 2 ] || rm -rf "$B"' EXIT
PGBIN=$(pg_bin)
# default server settings (fsync on), only the socket and port ours
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-pg.XXXXXX")
PGPORT=${PGPORT:-15439}   # another with PGPORT=N
chmod 755 "$PGDIR"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
pg_as "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U eduhq -E UTF8 --locale=C.UTF-8 >/dev/null
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
	-o "-p $PGPORT -k $PGDIR -c listen_addresses= -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
"$PGBIN/createdb" -h "$PGDIR" -p "$PGPORT" -U eduhq eduhq
PGURL="postgresql://eduhq@/eduhq?host=$PGDIR&port=$PGPORT"
export EDUHQ_KEY_FILE="$B/province.key"

[ -f "$B/data/teacher.csv" ] || nice "$EDUHQ" demo --scale province --out "$B/data" --no-import
rows=$(cat "$B"/data/*.csv | wc -l)

now() { date +%s.%N; }
for db in "$B/province.db" "$PGURL"; do
	case "$db" in postgresql*) name=postgresql ;; *) name=sqlite; rm -f "$db" "$db-wal" "$db-shm" ;; esac
	t0=$(now)
	out=$(nice "$EDUHQ" --db "$db" demo --scale province --out "$B/data" --quiet 2>&1)
	t1=$(now)
	imp=$(echo "$out" | sed -n "s/^imported into .* in \([0-9.]*\) s$/\1/p")
	nice "$EDUHQ" --db "$db" eval --timing >"$B/$name.eval" 2>"$B/$name.timing"
	t2=$(now)
	nice "$EDUHQ" --db "$db" indicators --format csv >"$B/$name.csv"
	printf '%-10s import %6.1f s (%.0f rows/s, validated, through %s); eval %5.1f s (%s)\n' \
		"$name" "$imp" "$(echo "$rows $imp" | awk '{print $1 / $2}')" \
		"$([ $name = sqlite ] && echo "multi-row INSERT" || echo COPY)" \
		"$(echo "$t1 $t2" | awk '{print $2 - $1}')" "$(sed -n '1s/^timing: //p' "$B/$name.timing")"
	sed -n '2s/^timing: /           /p' "$B/$name.timing"
	t3=$(now)
	nice "$EDUHQ" --db "$db" eval --timing >/dev/null 2>"$B/$name.timing2"
	t4=$(now)
	printf '%-10s eval again on unchanged data %5.2f s (each mechanism from the run before: %s)\n' \
		"$name" "$(echo "$t3 $t4" | awk '{print $2 - $1}')" "$(sed -n '1s/^timing: //p' "$B/$name.timing2")"
	# a facility row written (books set to what they are): balance computes, its teachers'
	# part taken from the runs before (src/memo.h)
	upd="UPDATE facility SET books = books WHERE school_code = (SELECT min(school_code) FROM facility)"
	case $name in
	sqlite) sqlite3 "$db" "$upd" ;;
	*) psql -X -q -h "$PGDIR" -p "$PGPORT" -U eduhq -d eduhq -c "$upd" >/dev/null ;;
	esac
	t5=$(now)
	nice "$EDUHQ" --db "$db" eval --timing >/dev/null 2>"$B/$name.timing3"
	t6=$(now)
	printf '%-10s eval after a facility write %5.2f s (balance computes, its teachers kept: %s)\n' \
		"$name" "$(echo "$t5 $t6" | awk '{print $2 - $1}')" "$(sed -n '1s/^timing: //p' "$B/$name.timing3")"
done
echo "database size: sqlite $(( $(stat -c %s "$B/province.db") / 1048576 )) MB, postgresql $(psql -X -A -t -h "$PGDIR" -p "$PGPORT" -U eduhq -d eduhq -c "SELECT pg_database_size('eduhq') / 1048576") MB"
if cmp -s "$B/sqlite.csv" "$B/postgresql.csv"; then
	echo "results: identical ($(($(wc -l <"$B/sqlite.csv") - 1)) result rows)"
else
	echo "results: DIFFER"
fi
