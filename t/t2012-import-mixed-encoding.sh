#!/bin/sh
# t2012-import-mixed-encoding.sh: the encoding of a CSV without BOM is decided from the whole
# file. A file mixing GB18030 rows and UTF-8 rows (rows pasted from another file) was
# imported as mojibake with exit 0; now it is refused naming a UTF-8 line and the first line
# that is not UTF-8. Files in one encoding, with rare characters, still import.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/f"
import_or_bail "$T/f" area
before=$(db_dump)
HDR=code,name,area_code,type,urban_rural
gb() { iconv -f UTF-8 -t GB18030; }

# GB18030 header and first row, then two UTF-8 rows
{ printf '%s\n%s\n' "学校标识码,学校名称,所属区划代码,办学类型,城乡分类代码" "4410020001,第一小学,441002,primary,111" | gb
  printf '%s\n%s\n' "4410020002,第二小学,441002,primary,111" "4410020003,第三小学,441002,primary,111"; } >"$T/mix1.csv"
run eduhq import school "$T/mix1.csv"
is "$rc:$err" "1:$T/mix1.csv:3: this line is UTF-8, but line 1 is not: the file mixes UTF-8 and GB18030; save it in one encoding
eduhq: 1 error in '$T/mix1.csv'; nothing imported" "GB18030 then UTF-8 rows: refused"

# mostly UTF-8, one GB18030 row in the middle
{ printf '%s\n%s\n' "$HDR" "4410020001,第一小学,441002,primary,111"
  printf '%s\n' "4410020002,第二小学,441002,primary,111" | gb
  printf '%s\n' "4410020003,第三小学,441002,primary,111"; } >"$T/mix2.csv"
run eduhq import school "$T/mix2.csv"
is "$rc:$err" "1:$T/mix2.csv:2: this line is UTF-8, but line 3 is not: the file mixes UTF-8 and GB18030; save it in one encoding
eduhq: 1 error in '$T/mix2.csv'; nothing imported" "UTF-8 with a GB18030 row: refused"
is "$(db_dump)" "$before" "nothing imported"

# one encoding: GB18030 with characters outside GB2312 (喆, 堃), and plain UTF-8
printf '%s\n%s\n%s\n' "$HDR" "4410020001,喆堃小学,441002,primary,111" "4410020002,江东区第二小学,441002,primary,111" | gb >"$T/gb.csv"
run eduhq import school "$T/gb.csv"
is "$rc" 0 "a GB18030 file with GBK-only characters imports"
is "$(sqlite3 "$EDUHQ_DB" "SELECT name FROM school WHERE code = '4410020001'")" "喆堃小学" "... decoded right"
printf '%s\n%s\n' "$HDR" "4410020001,第一小学,441002,primary,111" >"$T/utf8.csv"
run eduhq import school "$T/utf8.csv"
is "$rc:$(sqlite3 "$EDUHQ_DB" "SELECT name FROM school WHERE code = '4410020001'")" "0:第一小学" "a UTF-8 file imports"
done_testing
