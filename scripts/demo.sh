#!/bin/sh
# demo.sh: `make demo`: create the demo city in ./eduhq.db (replacing an earlier demo) and
# print an overview.
set -eu
EDUHQ=$1
rm -f eduhq.db eduhq.db-wal eduhq.db-shm
"$EDUHQ" demo --db eduhq.db
