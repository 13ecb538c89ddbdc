# t/lib-pg.sh: a throwaway PostgreSQL cluster for a test, after lib.sh. pg_start PORT makes
# one in a temporary directory (initdb as the postgres user when run as root), listening
# only on a unix socket there (no TCP), and sets PGURL (the database "eduhq") and PGDIR;
# it is stopped and removed when the test exits. Ports 15432-15439 name the socket file.
# Without PostgreSQL's server binaries the test is skipped.
pg_bin() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
	return 1
}

pg_as() { # run a server command as the cluster's owner
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
	[ -n "${PGDIR:-}" ] || return 0
	pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PGDIR"
	PGDIR=
}

pg_start() {
	PGBIN=$(pg_bin) || { echo "1..0 # SKIP PostgreSQL server not installed"; exit 0; }
	PGPORT=$1
	PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-pg.XXXXXX")
	chmod 755 "$PGDIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
	trap 'pg_stop; rm -rf "$T"' EXIT
	pg_as "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U eduhq -E UTF8 --locale=C.UTF-8 \
		>"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; echo "Bail out! initdb"; exit 1; }
	pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -o \
		"-p $PGPORT -k $PGDIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null 2>&1 || { cat "$PGDIR/server.log" >&2; echo "Bail out! pg_ctl start"; exit 1; }
	"$PGBIN/createdb" -h "$PGDIR" -p "$PGPORT" -U eduhq eduhq ||
		{ echo "Bail out! createdb"; exit 1; }
	PGURL="postgresql://eduhq@/eduhq?host=$PGDIR&port=$PGPORT"
}

# psql_q SQL: one query's result, unaligned, on the test cluster
psql_q() { psql -X -q -A -t -h "$PGDIR" -p "$PGPORT" -U eduhq -d eduhq -c "$1"; }
