#!/bin/sh
# t6000-report.sh: the annual report of the demo city 临江市 for 2024 (`eduhq report annual`)
# in HTML, DOCX and PDF. Every figure of the HTML and of the DOCX's document.xml is parsed back
# and equals its row of the stored run, every note's command lists that row, and every bar
# and point of the SVG charts is a stored value
# (t/report-check.py); python3-docx opens the DOCX and finds the GB/T 9704 page; the PDF's
# text (pdftotext) states the speech's figures and its pages are rendered to PNG for a
# reviewer (BUILD/report-pages/). The report reads one run: the newest complete run of the
# year, or --run; a year without a run and a run of another year fail with clear messages.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
eduhq demo --out "$T/d" >/dev/null 2>"$T/demo.err" || { cat "$T/demo.err" >&2; echo "Bail out! demo"; exit 1; }
eduhq eval --as-of 2025-09-30 >/dev/null 2>&1 || { echo "Bail out! eval"; exit 1; }

# no hyphens or blanks: pdftotext breaks lines anywhere, the notes' numbers are dropped
flat() { tr -d ' \n\r\f' | sed 's/\[[0-9]*\]//g'; }

for f in html docx pdf; do
	run eduhq report annual --year 2024 --format $f --out "$T/r.$f"
	is "$rc:$(echo "$out" | sed 's/, [0-9.]* s$//; s/[0-9]* figures, [0-9]* notes/F figures, N notes/')" \
		"0:wrote $T/r.$f: run 1 (school year 2024), F figures, N notes, 3 charts" "report annual --format $f"
done

# every number equals the stored run's value; every note's command lists its rows
run $PY "$TOP/t/report-check.py" "$EDUHQ" 1 "$T/r.html"
is "$rc:$(echo "$out" | sed 's/figures=[0-9]*/figures=F/; s/notes=[0-9]*/notes=N/')" "0:html figures=F notes=N bad=0" \
	"HTML: every figure equals its stored row, every note's command lists it"
[ "$rc" = 0 ] || echo "$err" | head -20 >&2
nfig=$(echo "$out" | sed 's/.*figures=\([0-9]*\).*/\1/')
ok "$([ "$nfig" -ge 60 ]; echo $?)" "the HTML report has $nfig figures (at least 60)"
run $PY "$TOP/t/report-check.py" "$EDUHQ" 1 "$T/r.docx"
is "$rc:$out" "0:docx figures=$nfig notes=$(grep -c '<li id="n' "$T/r.html") bad=0" \
	"DOCX: document.xml's figures equal the stored rows, as many as the HTML's"
[ "$rc" = 0 ] || echo "$err" | head -20 >&2

# the independent reader: python3-docx opens it; GB/T 9704 page, fonts and styles
run $PY - "$T/r.docx" <<'X'
import sys, docx
d = docx.Document(sys.argv[1])
s = d.sections[0]
mm = lambda v: round(v.mm)
print(mm(s.page_width), mm(s.page_height), mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin))
st = {p.style.name for p in d.paragraphs}
print(d.paragraphs[0].style.name, d.paragraphs[0].text)
W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
for name in ('Title', 'Normal', 'Heading 1', 'Heading 2'):
    rpr = d.styles[name].element.find(W + 'rPr')
    print(name, rpr.find(W + 'rFonts').get(W + 'eastAsia'), rpr.find(W + 'sz').get(W + 'val'))
print(len(d.inline_shapes), 'pictures', len(d.sections[0].footer.paragraphs), 'footer paragraph',
      d.settings.odd_and_even_pages_header_footer)
X
is "$rc:$out" "0:210 297 37 35 28 26
Title 临江市2024年度教育高质量发展工作报告
Title 方正小标宋简体 44
Normal 仿宋_GB2312 32
Heading 1 黑体 32
Heading 2 楷体_GB2312 32
3 pictures 1 footer paragraph True" \
	"python3-docx reads A4 with 37/35/28/26 mm margins, 二号小标宋 title, 三号仿宋 body, 黑体/楷体 headings, 3 charts, odd/even page numbers"
is "$(unzip -p "$T/r.docx" word/fontTable.xml | grep -o '<w:font w:name="仿宋_GB2312"><w:altName w:val="[^"]*"' )" \
	'<w:font w:name="仿宋_GB2312"><w:altName w:val="Noto Serif CJK SC"' "the official fonts fall back to Noto CJK"
is "$(unzip -p "$T/r.docx" word/footer1.xml | grep -o 'PAGE')" PAGE "page numbers in the footer"

# what the demo report states, in each format
docx_text() { $PY -c 'import sys, docx; print("".join(p.text for p in docx.Document(sys.argv[1]).paragraphs))' "$1"; }
html_text() { sed 's/<[^>]*>//g' "$1"; }
pdftotext "$T/r.pdf" "$T/r.txt"
for f in html docx pdf; do
	case $f in
	html) html_text "$T/r.html" | flat >"$T/$f.flat" ;;
	docx) docx_text "$T/r.docx" | flat >"$T/$f.flat" ;;
	pdf) flat <"$T/r.txt" | sed 's/—[0-9]*—//g' >"$T/$f.flat" ;; # page numbers out
	esac
	for s in "全市组建教育集团15个，覆盖学校85所，占全市公办义务教育学校（125所）的68%" \
		"城镇教师到乡村学校交流轮岗120人" \
		"青山县小学阶段未达到优质均衡要求：生均体育运动场馆面积校际差异系数为0.745，标准为0.500" \
		"临江高新技术产业开发区小学学位2025年起出现缺口（1397个，匹配度1.21）" \
		"临江高新技术产业开发区建设临江高新技术产业开发区第一九年一贯制学校（新建）（2026年建成）、临江高新技术产业开发区第二九年一贯制学校（新建）（2026年建成）、临江高新技术产业开发区第三九年一贯制学校（新建）（2026年建成），至2034年新增小学学位2700个" \
		"年度评议撤销专业3个（旅游管理、服装设计与工艺、纺织技术与服务（传统纺织））" \
		"规则：balance.cv_maxv1(教督〔2017〕6号第五条(校际差异系数))" \
		"明细：eduhqindicators--run1--indicatorBAL.CV.L5--area390522"; do
		ok "$(grep -qF "$s" "$T/$f.flat"; echo $?)" "$f states: $s"
	done
done
is "$(html_text "$T/r.html" | grep -c '^一、主要成效$\|^二、存在问题$\|^三、下一步工作$')" 3 "the three parts of a work report"

# the PDF: A4 pages, page numbers, rendered for a reviewer
is "$(pdfinfo "$T/r.pdf" | sed -n 's/^Page size: *\([0-9]*\)[.0-9]* x \([0-9]*\).*/\1x\2/p')" "594x841" "the PDF is A4"
ok "$(flat <"$T/r.txt" | grep -q '—1—.*—2—'; echo $?)" "the PDF's pages are numbered — N —"
pages=$(pdfinfo "$T/r.pdf" | sed -n 's/^Pages: *//p')
out_dir="${EDUHQ_BUILD:-$T}/report-pages"
rm -rf "$out_dir" && mkdir -p "$out_dir"
pdftoppm -r 60 -png "$T/r.pdf" "$out_dir/page"
is "$(ls "$out_dir" | wc -l)" "$pages" "every page rendered to PNG in $out_dir"
ok "$([ "$(wc -c <"$out_dir/$(ls "$out_dir" | head -1)")" -gt 20000 ]; echo $?)" "the first page image is not blank"

# English
run eduhq report annual --year 2024 --format html --lang en --out "$T/en.html"
html_text "$T/en.html" | flat >"$T/en.flat"
ok "$(grep -qF "Thecityhasformed15educationgroupscovering85schools,125publiccompulsoryschoolsbeingthedenominator:68%" "$T/en.flat"; echo $?)" \
	"--lang en: the groups sentence in English"
run $PY "$TOP/t/report-check.py" "$EDUHQ" 1 "$T/en.html"
is "$rc:$(echo "$out" | sed 's/figures=[0-9]*/figures=F/; s/notes=[0-9]*/notes=N/')" "0:html figures=F notes=N bad=0" \
	"--lang en: every figure equals its stored row"

# one run: a later partial run does not replace the complete one; --run picks it
eduhq eval safety --as-of 2025-09-30 >/dev/null 2>&1
run eduhq report annual --year 2024 --format html --out "$T/r2.html"
ok "$(grep -q 'name="eduhq-run" content="1"' "$T/r2.html"; echo $?)" "the newest complete run of the year (run 1, not the partial run 2)"
run eduhq report annual --year 2024 --format html --run 2 --out "$T/r3.html"
html_text "$T/r3.html" >"$T/r3.txt"
is "$rc:$(grep -c '集团化办学\|校园安全' "$T/r3.txt")" "0:1" "--run 2 (safety only): its section only, the others left out"
ok "$(grep -q '安全隐患整改不及时' "$T/r3.txt"; echo $?)" "--run 2 still states its problems"

# errors, verbatim; no file written
run eduhq report annual --year 2019 --out "$T/x.docx"
is "$rc:$err" "1:eduhq: no evaluation run for school year 2019; run 'eduhq eval --year 2019' first" "a year with no run"
eduhq eval balance --year 2023 >/dev/null 2>&1
run eduhq report annual --year 2024 --run 3 --out "$T/x.docx"
is "$rc:$err" "1:eduhq: run 3 evaluated school year 2023, not 2024" "a run of another year"
run eduhq report annual --year 2024 --run 99 --out "$T/x.docx"
is "$rc:$err" "1:eduhq: no evaluation run 99" "a run that does not exist"
EDUHQ_CHROMIUM=$T/no-chromium run eduhq report annual --year 2024 --format pdf --out "$T/x.pdf"
is "$rc:$err" "1:eduhq: cannot run '$T/no-chromium' to print the PDF: No such file or directory (install Debian's chromium, or set EDUHQ_CHROMIUM)" \
	"no Chromium: a clear message"
ok "$([ ! -e "$T/x.docx" ] && [ ! -e "$T/x.pdf" ]; echo $?)" "no file written on an error"
run eduhq report annual --format docx
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --year is required" "--year is required"
run eduhq report annual --year 2024 --format odt
is "$rc" 2 "an unknown format is misuse"
run eduhq report annual --year 2024 --out "$EDUHQ_DB"
is "$rc" 2 "the report never overwrites the database"
done_testing
