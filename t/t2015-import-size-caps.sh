#!/bin/sh
# t2015-import-size-caps.sh: memory stays bounded whatever the file. An XLSX with one 1 GiB
# shared string needed 3 GB and was killed under a memory limit (exit 128); now a cell
# (shared string, inline string or CSV field) longer than a spreadsheet cell's 32767
# characters, a CSV record longer than 64 MiB, and shared strings over 256 MiB in all are
# refused with the file, part and line.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/lib-import.sh"

eduhq init >/dev/null
write_fixture "$T/f"
import_or_bail "$T/f" area
before=$(db_dump)

# xlsx DIR-NAME SST-TEXT-LEN: a workbook whose second row names a school with a shared
# string of SST-TEXT-LEN characters (written compressed, so the file stays small)
xlsx() {
	python3 - "$1" "$2" <<'PY'
import sys, zipfile
path, n = sys.argv[1], int(sys.argv[2])
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)
z.writestr('xl/workbook.xml', '<workbook %s xmlns:r="%s"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (rel, rel))
z.writestr('xl/sharedStrings.xml', '<sst %s><si><t>' % ns + '校' * n + '</t></si></sst>')
cells = ''.join('<c t="inlineStr"><is><t>%s</t></is></c>' % h for h in ['code', 'name', 'area_code', 'type', 'urban_rural'])
row2 = '<c t="inlineStr"><is><t>4410020001</t></is></c><c t="s"><v>0</v></c>' + ''.join('<c t="inlineStr"><is><t>%s</t></is></c>' % v for v in ['441002', 'primary', '111'])
z.writestr('xl/worksheets/sheet1.xml', '<worksheet %s><sheetData><row r="1">%s</row><row r="2">%s</row></sheetData></worksheet>' % (ns, cells, row2))
z.close()
PY
}

xlsx "$T/ok.xlsx" 32767
run eduhq import school "$T/ok.xlsx" --dry-run
is "$rc" 0 "a shared string of 32767 characters is read"
xlsx "$T/long.xlsx" 32768
run eduhq import school "$T/long.xlsx"
is "$rc:$err" "1:eduhq: cannot read '$T/long.xlsx': xl/sharedStrings.xml:1: a cell longer than 32767 characters (Excel's limit)" \
	"one character more is refused"
xlsx "$T/huge.xlsx" 20000000
ok $(( $(wc -c <"$T/huge.xlsx") < 1000000 ? 0 : 1 )) "a 60 MB shared string compressed in a small file"
# (AddressSanitizer reserves terabytes of address space: no limit under it)
limit=400000
ldd "$EDUHQ" 2>/dev/null | grep -q libasan && limit=unlimited
( ulimit -v $limit; eduhq import school "$T/huge.xlsx" >/dev/null 2>"$T/huge.err"; echo $? >"$T/huge.rc" )
is "$(cat "$T/huge.rc"):$(head -1 "$T/huge.err")" \
	"1:eduhq: cannot read '$T/huge.xlsx': xl/sharedStrings.xml:1: a cell longer than 32767 characters (Excel's limit)" \
	"... is refused within a 400 MB memory limit"

# CSV: a field of 32768 characters, a record of 70 MB (3500 fields of 20000), 16385 fields
{ echo "code,name,area_code,type,urban_rural"; printf '4410020001,'; head -c 32768 /dev/zero | tr '\0' 'x'; echo ",441002,primary,111"; } >"$T/field.csv"
run eduhq import school "$T/field.csv"
is "$rc:$err" "1:$T/field.csv:2:12: field longer than 32767 characters (a spreadsheet cell's limit)
eduhq: 1 error in '$T/field.csv'; nothing imported" "a CSV field over 32767 characters"
python3 -c 'import sys; sys.stdout.write("code,name,area_code,type,urban_rural\n" + ",".join(["x" * 20000] * 3500) + "\n")' >"$T/record.csv"
run eduhq import school "$T/record.csv"
is "$rc:$err" "1:$T/record.csv:2: a record longer than 64 MiB
eduhq: 1 error in '$T/record.csv'; nothing imported" "a CSV record over 64 MiB"
rm -f "$T/record.csv"
{ echo "code,name,area_code,type,urban_rural"; head -c 16384 /dev/zero | tr '\0' ','; echo; } >"$T/wide.csv"
run eduhq import school "$T/wide.csv"
is "$rc:$err" "1:$T/wide.csv:2:16385: more than 16384 fields (a spreadsheet's last column is XFD)
eduhq: 1 error in '$T/wide.csv'; nothing imported" "a CSV record of 16385 fields"
ok $([ "$(db_dump)" = "$before" ] && echo 0 || echo 1) "nothing imported"
done_testing
