#!/bin/sh
# t0000-cli.sh: the command table: help, --version, per-command --help, misuse exits 2.
. "$(dirname "$0")/lib.sh"

run eduhq --version
is "$rc:$out" "0:eduhq 0.1.0" "--version prints the version"

run eduhq help
ok $(echo "$out" | grep -q '^   import ' && echo 0 || echo 1) "help lists import"
is "$rc" 0 "help exits 0"

run eduhq frobnicate
is "$rc" 2 "unknown command exits 2"
is "$(echo "$err" | head -1)" "eduhq: 'frobnicate' is not an eduhq command; see 'eduhq help'" \
	"unknown command is named"

run eduhq
is "$rc:$err" "2:usage: eduhq [--db PATH] <command> [<args>]" "no command prints usage, exit 2"

run eduhq --bogus init
is "$rc" 2 "unknown global option exits 2"

for c in init import export check rules demo eval indicators forecast teachers; do
	run eduhq $c --help
	ok $([ "$rc" = 0 ] && echo "$out" | grep -q "^usage: eduhq $c" && echo 0 || echo 1) \
		"$c --help prints its usage"
done

run eduhq init --frob
is "$rc" 2 "unknown option of a command exits 2"
is "$(echo "$err" | head -1)" "eduhq: unknown option '--frob'" "unknown option is named"

run eduhq --db
is "$rc:$err" "2:eduhq: option '--db' requires a value
usage: eduhq [--db PATH] <command> [<args>]" "--db without a path is misuse"
run eduhq --db= check
is "$rc:$(echo "$err" | head -1)" "2:eduhq: option '--db' requires a value" "--db= with an empty path is misuse"

run eduhq --db "$T/none.db" export school
is "$rc" 1 "a missing database is an error"
is "$err" "eduhq: no database at '$T/none.db'; run 'eduhq init' first (or pass --db)" \
	"missing database message"

done_testing
