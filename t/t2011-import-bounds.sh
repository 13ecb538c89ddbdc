#!/bin/sh
# t2011-import-bounds.sh: import turns SQLite's CHECK constraints off when the file has every
# column (they are checked in C first), so the C checks must be as strict as the schema:
# sums near INT64_MAX overflowed (employed + further_study), and integers compared as
# doubles let 2^53 + 1 pass as <= 2^53; the rows landed and PRAGMA integrity_check failed.
# Every count now has an upper bound, and integers compare as integers. (Digit runs of 15
# or more are masked in messages, as ID numbers would be.)
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/f"
import_or_bail "$T/f" area school voc_catalog school_specialty
q() { sqlite3 "$EDUHQ_DB" "$1"; }
before=$(db_dump)
H=school_code,catalog_version,specialty_code,year,enrolled,graduates,employed,further_study,in_trade,surveyed,satisfied

printf '%s\n%s\n' "$H" "4410230009,2021,660101,2024,40,10,9223372036854775807,9223372036854775807,0,0,0" >"$T/sy.csv"
run eduhq import specialty_year "$T/sy.csv"
is "$rc:$err" "1:$T/sy.csv:2: column employed: '922337*********5807': must be between 0 and 100000
$T/sy.csv:2: column further_study: '922337*********5807': must be between 0 and 100000
eduhq: 2 errors in '$T/sy.csv'; nothing imported" "employed + further_study near INT64_MAX is refused"

printf '%s\n%s\n' "$H" "4410230009,2021,660101,2024,40,10,6,5,0,0,0" >"$T/sy2.csv"
run eduhq import specialty_year "$T/sy2.csv"
is "$rc:$err" "1:$T/sy2.csv:2: column further_study: employed + further_study exceeds graduates
eduhq: 1 error in '$T/sy2.csv'; nothing imported" "... and a small excess too"

printf '%s\n%s\n' "$H" "4410230009,2021,660101,2024,40,9007199254740992,0,0,0,9007199254740992,9007199254740993" >"$T/sy3.csv"
run eduhq import specialty_year "$T/sy3.csv"
is "$rc:$err" "1:$T/sy3.csv:2: column graduates: '900719*******992': must be between 0 and 100000
$T/sy3.csv:2: column surveyed: '900719*******992': must be between 0 and 100000
$T/sy3.csv:2: column satisfied: '900719*******993': must be between 0 and 100000
eduhq: 3 errors in '$T/sy3.csv'; nothing imported" "2^53 + 1 satisfied of 2^53 surveyed is refused"
is "$(db_dump)" "$before" "nothing changed"

# at the bounds: accepted, and the database stays consistent with its CHECKs
printf '%s\n%s\n' "$H" "4410230009,2021,660101,2024,100000,100000,50000,50000,50000,100000,100000" >"$T/sy4.csv"
run eduhq import specialty_year "$T/sy4.csv"
is "$rc" 0 "the bounds themselves are accepted"
is "$(q 'PRAGMA integrity_check')" ok "integrity_check passes"
done_testing
