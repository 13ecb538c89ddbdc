#!/bin/sh
# t2010-import-id-leaks.sh: no message prints an ID number (身份证号) in full, whatever the
# column or the file it came from: a teacher file without its header row, ID and sex columns
# swapped, a raw ID in id_masked or id_hash, an ID in a column that is no ID column, a code
# a spreadsheet kept in E notation, and an ID in a command argument. Each printed the whole
# number before; now it keeps only the area code and the last characters.
. "$(dirname "$0")/lib.sh"

eduhq init >/dev/null
ID=110101199003071233
ID2=33010219850612001X
HDR=code,name,id_number,sex,birth_date,education,title,title_date,subject,full_time,backbone_level,certificate,hire_date
# leaks: the lines of $1 that hold a run of 7 or more digits of an ID number unmasked
leaks() { printf '%s\n' "$1" | grep -E '1990030|1985061|19800101' ; }

# a teacher file without its header row: the first data row is taken as the header
printf '%s\n' "T1,张三,$ID,M,1990-03-07,bachelor,first,,math,1,none,primary,2012-09-01" >"$T/nohdr.csv"
run eduhq import teacher "$T/nohdr.csv"
is "$rc" 1 "no header row: refused"
is "$(leaks "$err")" "" "... and no message quotes the ID number"
is "$(echo "$err" | grep 'column 110101')" \
	"$T/nohdr.csv:1: column 110101********1233: unknown column" "... the header field is masked"

# ID and sex swapped: the ID lands in the sex column
printf '%s\n%s\n' "code,name,sex,id_number,birth_date,education,title,subject,hire_date" \
	"T1,张三,$ID,M,1990-03-07,bachelor,first,math,2012-09-01" >"$T/swap.csv"
run eduhq import teacher "$T/swap.csv"
is "$rc" 1 "ID and sex swapped: refused"
is "$(echo "$err" | grep 'column sex')" \
	"$T/swap.csv:2: column sex: '110101********1233': not one of M (男), F (女)" "the sex error masks the ID"
is "$(leaks "$err")" "" "... no full ID anywhere"

# a restore file with a raw ID in id_masked and another in id_hash
printf '%s\n%s\n' "code,name,id_hash,id_masked,sex,birth_date,education,title,subject,hire_date" \
	"T1,张三,$ID2,$ID,M,1990-03-07,bachelor,first,math,2012-09-01" >"$T/raw.csv"
run eduhq import teacher "$T/raw.csv"
is "$err" "$T/raw.csv:2: column id_hash: '330102********001X': must be 32 lower-case hex digits
$T/raw.csv:2: column id_masked: '110101********1233': must look like 330102********123X
eduhq: 2 errors in '$T/raw.csv'; nothing imported" "raw IDs in id_hash and id_masked are masked"

# an ID in a column that is no ID column (the teacher code), seen twice: the duplicate-key
# message quotes the key
printf '%s\n%s\n%s\n' "$HDR" "$ID,张三,$ID,M,1990-03-07,bachelor,first,,math,1,none,primary,2012-09-01" \
	"$ID,李四,$ID2,F,1985-06-12,bachelor,first,,math,1,none,primary,2012-09-01" >"$T/dup.csv"
run eduhq import teacher "$T/dup.csv"
is "$err" "$T/dup.csv:3: column code: duplicate key '110101********1233' (first on line 2)
eduhq: 1 error in '$T/dup.csv'; nothing imported" "an ID as a teacher code is masked"

# stored: a teacher code that is an ID number, seen by `eduhq check` (same person twice)
printf '%s\n%s\n%s\n' "$HDR" "$ID,张三,$ID,M,1990-03-07,bachelor,first,,math,1,none,primary,2012-09-01" \
	"T2,张三,$ID,M,1990-03-07,bachelor,first,,math,1,none,primary,2012-09-01" >"$T/two.csv"
run eduhq import teacher "$T/two.csv"
is "$rc" 0 "a teacher coded by an ID number is imported"
run eduhq check
is "$(leaks "$out")" "" "check prints no full ID"
is "$(echo "$out" | grep -c '110101\*\*\*\*\*\*\*\*1233')" 1 "... the finding's key is masked"

# an ID number a spreadsheet turned into a number in E notation, in a school code column
printf '%s\n%s\n' "code,name,area_code,type,urban_rural" "4.41002198001e+17,某校,441002,primary,111" >"$T/school.csv"
run eduhq import school "$T/school.csv"
is "$(echo "$err" | head -1 | cut -d: -f3-4)" " column code: '4.41002******e+17'" \
	"an E-notation number of 18 digits keeps 6 significant digits"
is "$(leaks "$err")" "" "... and the birth date is gone"

# an ID in a command argument (err_set)
run eduhq rules show "$ID"
is "$rc:$err" "1:eduhq: no rule '110101********1233'" "an ID in an argument is masked too"
run eduhq import teacher "$T/$ID2.csv"
is "$err" "eduhq: cannot open '$T/330102********001X.csv': No such file or directory" \
	"... and in a file name"

run eduhq "$ID"
is "$(echo "$err" | head -1)" "eduhq: '110101********1233' is not an eduhq command; see 'eduhq help'" \
	"... in an unknown command"
run eduhq rules --tag="$ID"
is "$(echo "$err" | head -1)" "eduhq: --effective, --source, --clause, --tag and --note apply only to 'rules set'" \
	"(an option message without the value)"
run eduhq rules --as-of "$ID"
is "$err" "eduhq: --as-of: '110101********1233' is not a date (YYYY-MM-DD)" "... in an option value"
run eduhq eval "$ID"
is "$(echo "$err" | cut -d'(' -f1)" "eduhq: unknown mechanism '110101********1233' " "... in a mechanism name"
run eduhq rules frob "$ID"
is "$(echo "$err" | head -1)" "eduhq: unknown subcommand 'frob'" "(usage messages)"
run eduhq rules "$ID"
is "$(echo "$err" | head -1)" "eduhq: unknown subcommand '110101********1233'" "... and in a usage message"

run eduhq export area --out "$T/$ID.csv"
is "$rc:$err" "0:area: 0 rows written to '$T/110101********1233.csv'" "... and in an export's file name"

# a 15-digit first-generation ID keeps 6 and the last 3 characters
run eduhq rules show 110101900307123
is "$err" "eduhq: no rule '110101******123'" "a 15-digit ID is masked (birth date hidden)"
# codes shorter than 15 digits are not touched
run eduhq rules show 441023100000
is "$err" "eduhq: no rule '441023100000'" "a 12-digit area code is left as it is"
done_testing
