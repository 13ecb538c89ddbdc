#!/bin/sh
# bench/teachers.sh: time the teachers and groups engines on the province-scale data set
# (`eduhq demo --scale province`: ~960,000 teachers, 1.3 M postings, 19,000 schools).
# Prints, for RUNS runs of `eduhq eval teachers groups --timing`, the load, engine and save
# times (both mechanisms together), then each mechanism alone; the goals are engines < 1 s
# together and < 3 s including loading. Nothing is asserted.
# usage: bench/teachers.sh EDUHQ [PROVINCE_DB] [RUNS]   (without a database one is built)
set -eu
EDUHQ=${1:?usage: bench/teachers.sh EDUHQ [PROVINCE_DB] [RUNS]}
DB=${2:-}
RUNS=${3:-3}
D=$(mktemp -d "${TMPDIR:-/tmp}/eduhq-bench-tch.XXXXXX")
trap 'rm -rf "$D"' EXIT
if [ -z "$DB" ]; then
	DB="$D/p.db"
	"$EDUHQ" --db "$DB" demo --scale province --out "$D/csv" --quiet >/dev/null
fi
echo "province: $(sqlite3 "$DB" 'SELECT count(*) FROM teacher') teachers," \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM posting') postings," \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM school') schools," \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM edu_group') groups"
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	printf 'teachers+groups run %d: ' $i
	"$EDUHQ" --db "$DB" eval teachers groups --timing --fresh 2>&1 >/dev/null | grep '^timing' |
		awk '{ print $0 "; load+engine " $3 + $6 " s" }'
done
for m in teachers groups; do
	printf '%s alone: ' $m
	"$EDUHQ" --db "$DB" eval $m --timing --fresh 2>&1 >/dev/null | grep '^timing'
done
