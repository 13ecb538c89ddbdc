#!/bin/sh
# t2500-demo.sh: `eduhq demo` builds 临江市 through the normal import path, and every figure
# the issue names holds exactly, read back through `eduhq export` (SPEC §6, issue 3).
. "$(dirname "$0")/lib.sh"

DB="$T/demo.db"
run eduhq --db "$DB" demo --out "$T/d"
is "$rc" 0 "demo exits 0"
ok $(echo "$out" | grep -q '^teacher: [0-9]* rows: [0-9]* inserted, 0 updated, 0 unchanged$' && echo 0 || echo 1) \
	"the teacher file is imported through the import path"
ok $(echo "$out" | grep -q '^  groups       15 education groups covering 85 schools$' && echo 0 || echo 1) \
	"the overview names groups and coverage"
[ "$rc" = 0 ] || { echo "$err" | head -20 >&2; done_testing; exit 1; }

# every table read back through `eduhq export` (BOM and CR removed for awk)
mkdir -p "$T/x"
for t in area school births population grade_return class_section facility building teacher \
	posting title_application project edu_group group_member exam_result activity \
	activity_school curriculum_hours assessment_scheme assessment_item industry voc_catalog \
	specialty_industry school_specialty specialty_year enterprise training_base internship \
	hazard task task_progress; do
	eduhq --db "$DB" export "$t" --format csv | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r' >"$T/x/$t.csv"
done
X="$T/x"
# col FILE: awk with c["name"] = column index from the header line
A() { awk -F, "NR==1{for(i=1;i<=NF;i++)c[\$i]=i;next} $1" "$X/$2.csv"; }

# ---- areas
is "$(A '$c["level"]=="county"{print $c["kind"]}' area | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	"county:3 district:2 zone:1 " "6 county-level areas: 2 districts, 1 high-tech zone, 3 counties"
is "$(A '$c["level"]=="town" && ($c["urban_rural"]=="" || length($c["code"])!=12){n++} END{print n+0}' area)" 0 \
	"every town/street has a 12-digit code and a 城乡分类代码"
is "$(A '$c["level"]=="town" && substr($c["code"],1,6)!=$c["parent_code"]{n++} END{print n+0}' area)" 0 \
	"town codes start with their county's code"

# ---- schools
is "$(A '$c["ownership"]=="public" && ($c["type"]=="primary"||$c["type"]=="junior"||$c["type"]=="nine_year"){n++} END{print n}' school)" 125 \
	"125 public compulsory schools"
is "$(A '{n[$c["type"]]++} END{print (n["primary"]>0), (n["junior"]>0), (n["nine_year"]>0), (n["senior"]>0), n["vocational"]}' school)" \
	"1 1 1 1 5" "primary, junior, nine-year and senior schools, 5 vocational"
small=$(awk -F, 'FNR==1{f++;next} f==1 && $8==1{tp[$1]=1} f==2 && $2==2024{p[$1]+=$5} END{for(s in tp) if(p[s]<50) n++; print n+0}' \
	"$X/school.csv" "$X/grade_return.csv")
ok $([ "$small" -ge 3 ] && echo 0 || echo 1) "teaching points with fewer than 50 pupils ($small)"

# ---- groups
is "$(awk 'END{print NR-1}' "$X/edu_group.csv")" 15 "15 education groups"
is "$(A '$c["left_year"]==""{print $c["school_code"]}' group_member | sort -u | wc -l | tr -d ' ')" 85 \
	"the groups cover exactly 85 schools (68% of 125)"
is "$(awk -F, 'FNR==1{f++;next} f==1{ur[$1]=substr($6,1,1)} f==2{if(ur[$2]=="1")u[$1]=1; else r[$1]=1} f==3{if(u[$1]&&r[$1])n++} END{print n}' \
	"$X/school.csv" "$X/group_member.csv" "$X/edu_group.csv")" 15 "every group has urban and rural members"
is "$(awk -F, 'FNR==1{f++;next} f==1{g[$1]=$3} f==2 && g[$1]==$2{n++} END{print n}' "$X/edu_group.csv" "$X/group_member.csv")" 15 \
	"each group's lead school is a member"

# ---- teachers
nt=$(awk 'END{print NR-1}' "$X/teacher.csv")
ok $([ "$nt" -ge 8500 ] && [ "$nt" -le 9500 ] && echo 0 || echo 1) "about 9,000 teachers ($nt)"
is "$(A '$c["id_masked"] !~ /^3905[0-9][0-9]\*\*\*\*\*\*\*\*[0-9][0-9][0-9][0-9X]$/{n++} END{print n+0}' teacher)" 0 \
	"ID numbers are stored masked, with the city's area prefix"
is "$(A '$c["subject"]=="pe"||$c["subject"]=="music"||$c["subject"]=="art"{n++} END{print (n>800)}' teacher)" 1 \
	"PE and arts teachers"
is "$(A '$c["end_date"]==""{n[$c["teacher_code"]]++} END{for(t in n){k++; if(n[t]!=1)bad++} print k, bad+0}' posting)" "$nt 0" \
	"every teacher has exactly one current posting"
is "$(tail -n +2 "$X/posting.csv" | LC_ALL=C sort -t, -k1,1 -k2,2 | awk -F, '
	NR == FNR { if (FNR > 1) hire[$1] = $14; next }
	$1 != prev { if ($2 != hire[$1]) nohire++ } $1 == prev && prevend >= $2 { overlap++ }
	$1 == prev && prevend == "" { overlap++ }
	{ prev = $1; prevend = $4 } END { print nohire + 0, overlap + 0 }' "$X/teacher.csv" -)" "0 0" \
	"posting histories start on the hire date and never overlap"
# exchanges starting in school year 2024: to rural schools, from an urban posting
exch=$(tail -n +2 "$X/posting.csv" | LC_ALL=C sort -t, -k1,1 -k2,2 | awk -F, '
	NR == FNR { if (FNR > 1) ur[$1] = substr($6, 1, 1); next }
	{ if ($5 == "exchange" && $2 >= "2024-08-01" && $2 <= "2025-07-31") { n++; if (ur[$3] == "2") rural++
	    if (prevt == $1 && ur[prevs] == "1") fromurban++ }
	  prevt = $1; prevs = $3 }
	END { print n, rural + 0, fromurban + 0 }' "$X/school.csv" -)
is "$exch" "120 120 120" "exactly 120 exchanges start in school year 2024, all urban -> rural"
# senior-title applicants: rural service from the posting history (days / 365.25)
apps=$(awk -F, '
	function days(d,  y,m,dd){y=substr(d,1,4)+0;m=substr(d,6,2)+0;dd=substr(d,9,2)+0;
		if(m<=2){y--;m+=12} return int(365.25*y)+int(30.6001*(m+1))+dd}
	FNR==1{f++;next}
	f==1{ur[$1]=substr($6,1,1)}
	f==2 && $3=="senior"{app[$1]=1}
	f==3 && ($1 in app){ if($4=="") cur[$1]=$3; else if(ur[$3]=="2") rd[$1]+=days($4)-days($2)+1 }
	END{for(t in app){y=rd[t]/365.25; if(ur[cur[t]]!="1")notu++; else if(y<1)a++; else if(y<2)b++; else c++}
	    print a+0, b+0, c+0, notu+0}' "$X/school.csv" "$X/title_application.csv" "$X/posting.csv")
is "$apps" "8 12 30 0" "urban senior-title applicants: 8 with <1 year rural service, 12 with 1-2, 30 with 2+"

# ---- returns
is "$(A '{y[$c["year"]]=1} END{n=0; for(k in y)n++; print n}' grade_return)" 10 "grade returns for 10 school years"
is "$(awk -F, 'FNR==1{f++;next} f==1 && $4!="vocational"{s[$1]=1} f==2{r[$1 SUBSEP $2]=1} END{for(k in s)for(y=2015;y<=2024;y++)if(!((k SUBSEP y) in r))m++; print m+0}' \
	"$X/school.csv" "$X/grade_return.csv")" 0 "every school has returns for 2015-2024"
is "$(awk -F, 'FNR==1{f++;next} f==1{s[$1]=1} f==2{r[$1 SUBSEP $2]=1} END{for(k in s)for(y=2015;y<=2024;y++)if(!((k SUBSEP y) in r))m++; print m+0}' \
	"$X/school.csv" "$X/facility.csv")" 0 "every school has a facility return per year"
big=$(A '$c["year"]==2024 && $c["pupils"]>=56{n++} $c["year"]==2024 && $c["pupils"]>=66{m++} END{print n+0, m+0}' class_section)
ok $(set -- $big; [ "$1" -ge 10 ] && [ "$2" -ge 1 ] && [ "$2" -lt "$1" ] && echo 0 || echo 1) \
	"2024 has classes of 56+ and a few of 66+ ($big)"
is "$(A '$c["migrant"]>0{n++} END{print (n>100)}' grade_return)" 1 "migrant pupils reported"

# ---- births: falling as China's did, rising in the high-tech zone
is "$(A '{k=$c["area_code"]; y=$c["year"]; if(k=="390571")z[y]=$c["births"]; else b[y]+=$c["births"]}
	END{r=b[2023]/b[2016]; print (r>0.49 && r<0.52), (z[2024]>z[2016] && z[2016]>z[2009]), (b[2016]>b[2012])}' births)" \
	"1 1 1" "births fall 2016->2023 like China's (17.86 M -> 9.02 M: x0.505), rise in the zone"
is "$(A '{n++} END{print n}' births)" 96 "births 2009-2024 for 6 counties"
is "$(A '$c["year"]==2024{n++} END{print n}' population)" 606 "2024 population by single age 0-100 for 6 counties"

# ---- balance: per-school L1-L7 and enrolment-weighted CVs (SPEC §2.1), 2024
awk -F, -v OFS=' ' '
BEGIN { split("4.2 1.0 0.9 4.5 7.5 2000 2.3", p, " "); split("5.3 1.0 0.9 5.8 10.2 2500 2.4", j, " ")
	for (i = 1; i <= 7; i++) { sd[0, i] = p[i]; sd[1, i] = j[i] } }
FNR == 1 { f++; next }
f == 1 { ty[$1] = $4; tp[$1] = $8; cty[$1] = substr($3, 1, 6) }
f == 2 && $2 == 2024 { if ($3 <= 6) A[$1] += $5; else if ($3 <= 9) B[$1] += $5 }
f == 3 && $2 == 2024 { L4[$1] = $3 - $4; L5[$1] = $5 + $4; L6[$1] = $6; L7[$1] = $7 }
f == 4 { ed[$1] = $7; bb[$1] = $12; sj[$1] = $10 }
f == 5 && $2 <= "2024-09-01" && ($4 == "" || $4 >= "2024-09-01") {
	s = $3; t = $1
	if (ed[t] != "secondary") asc[s]++
	if (ed[t] == "bachelor" || ed[t] == "master" || ed[t] == "doctor") bac[s]++
	if (bb[t] == "county" || bb[t] == "city" || bb[t] == "province" || bb[t] == "national") bk[s]++
	if (sj[t] == "pe" || sj[t] == "music" || sj[t] == "art") pa[s]++ }
END {
	for (s in ty) {
		if (ty[s] != "primary" && ty[s] != "junior" && ty[s] != "nine_year") continue
		a = A[s] + 0; b = B[s] + 0
		if (tp[s] == 1 && a + b < 50) continue
		sh = ty[s] == "primary" ? 1 : ty[s] == "junior" ? 0 : a / (a + 1.1 * b)
		for (st = 0; st < 2; st++) {
			P = st == 0 ? a : b; share = st == 0 ? sh : 1 - sh
			if (P <= 0) continue
			x[1] = (st == 0 ? asc[s] : bac[s]) * share / P * 100
			x[2] = bk[s] * share / P * 100; x[3] = pa[s] * share / P * 100
			x[4] = L4[s] * share / P; x[5] = L5[s] * share / P; x[6] = L6[s] * share / P
			x[7] = L7[s] * share / P * 100
			met = 0
			for (i = 1; i <= 7; i++) {
				if (x[i] >= sd[st, i]) met++
				k = cty[s] SUBSEP st SUBSEP i
				W[k] += P; S1[k] += P * x[i]; S2[k] += P * x[i] * x[i]
			}
			print "met", s, st, met
		}
	}
	for (k in W) {
		m = S1[k] / W[k]; v = S2[k] / W[k] - m * m; if (v < 0) v = 0
		split(k, q, SUBSEP)
		cv = sqrt(v) / m; verdict = (cv > (q[2] == 0 ? 0.50 : 0.45)) ? "fail" : "pass"
		printf "cv %s %s L%s %.3f %s\n", q[1], q[2], q[3], cv, verdict
	}
}' "$X/school.csv" "$X/grade_return.csv" "$X/facility.csv" "$X/teacher.csv" "$X/posting.csv" >"$T/bal" || echo 'balance awk failed' >&2
is "$(grep '^cv .* fail$' "$T/bal" | awk '{print $2, $3, $4}')" "390522 0 L5" \
	"exactly one CV fails: 青山县 (390522), primary, L5 sports area"
is "$(grep -c '^cv ' "$T/bal")" 84 "CVs computed for 6 counties x 2 stages x 7 indicators"
l5=$(awk '$1=="cv" && $2=="390522" && $3==0 && $4=="L5"{print $5}' "$T/bal")
ok $(awk -v v="$l5" 'BEGIN{exit !(v > 0.55)}' && echo 0 || echo 1) "its weighted CV is well above 0.50 ($l5)"
is "$(awk '$1=="met" && $4==5{n++} END{print n+0}' "$T/bal")" 1 "one school meets only 5 of 7 indicators"
is "$(awk '$1=="met" && $4<5{n++} END{print n+0}' "$T/bal")" 0 "no school meets fewer than 5"
most=$(awk '$1=="met"{n++; if($4==7)m++} END{print (m/n > 0.8)}' "$T/bal")
is "$most" 1 "most schools meet 7 of 7"

# ---- projects
is "$(A '$c["kind"]=="new"{n++; s+=$c["seats"]} $c["kind"]=="expansion"{e++} END{print n, s, e}' project)" "5 8000 12" \
	"5 new schools with 8,000 seats, 12 expansions"
is "$(A '$c["kind"]=="new" && $c["school_type"]=="nine_year" && $c["area_code"]=="390571" && $c["completion_year"]==2026{n++} END{print n}' project)" 3 \
	"3 nine-year schools due 2026 in the high-tech zone"
is "$(A '$c["kind"]=="expansion" && $c["completion_year"]==2025{print $c["investment"], $c["floor_area"], $c["seats"]}' project)" \
	"120000000 18000 3000" "the 2025 expansion: 120 M yuan, 18,000 m2, 3,000 seats"

# ---- vocational
awk -F, 'FNR==1{f++;next} f==1{nm[$2]=$3} f==2{r=($7+$8)/$6; if($4==2023)a[$3]=r; if($4==2024)b[$3]=r}
	END{for(k in b){ if(a[k]<0.6 && b[k]<0.6) print "fail2", nm[k]; else if(b[k]<0.6) print "warn", nm[k];
	    if(b[k]==1) print "full", nm[k] }}' "$X/voc_catalog.csv" "$X/specialty_year.csv" >"$T/voc"
is "$(grep -c '^fail2' "$T/voc")" 3 "3 specialties below 60% employment in both 2023 and 2024"
ok $(grep -q '^fail2 .*传统纺织' "$T/voc" && echo 0 || echo 1) "one of them is 传统纺织"
is "$(grep -c '^warn' "$T/voc")" 1 "one specialty below 60% only in 2024 (warning)"
ok $(grep -q '^full 光伏工程技术$' "$T/voc" && echo 0 || echo 1) "光伏工程技术 at 100%"
is "$(awk 'END{print NR-1}' "$X/school_specialty.csv")" 60 "60 specialties"
is "$(awk -F, 'FNR==1{f++;next} f==1{key[$1]=$3} f==2{if(key[$3]==1)m[$2]=1} f==3{n++; if(m[$3])k++} END{printf "%.1f\n", 100*k/n}' \
	"$X/industry.csv" "$X/specialty_industry.csv" "$X/school_specialty.csv")" 86.7 \
	"specialty-industry match 86.7% (between 85% and 90%)"
is "$(A '$c["is_key"]==1{n++} END{print n}' industry)" 6 "six key industries"
is "$(A 'length($c["credit_code"])==18 && $c["credit_code"] ~ /^91390/{n++} END{print n}' enterprise)" 120 \
	"120 partner enterprises with 统一社会信用代码 (validated on import)"
is "$(awk 'END{print NR-1}' "$X/training_base.csv")" 45 "45 training bases"
is "$(A '{n[$c["year"]]+=$c["interns"]} END{for(y=2020;y<=2024;y++) if(n[y]<900||n[y]>1100)bad++; print bad+0}' internship)" 0 \
	"about 1,000 interns every year 2020-2024"

# ---- exams: rural group members' 优秀率 12% (2022) -> 28% (2024), others rise less
awk -F, 'FNR==1{f++;next} f==1{ur[$1]=substr($6,1,1)} f==2{g[$2]=1}
	f==3 && $3=="zhongkao" && ur[$1]=="2"{k=(g[$1]?"g":"n") $2; c[k]+=$4; x[k]+=$5}
	END{printf "%.3f %.3f %.3f %.3f\n", x["g2022"]/c["g2022"], x["g2024"]/c["g2024"], x["n2022"]/c["n2022"], x["n2024"]/c["n2024"]}' \
	"$X/school.csv" "$X/group_member.csv" "$X/exam_result.csv" >"$T/exam"
is "$(awk '{print ($1>=0.11 && $1<=0.13), ($2>=0.27 && $2<=0.29), ($4-$3 < ($2-$1)/3)}' "$T/exam")" "1 1 1" \
	"rural group members 12% -> 28%, comparable rural schools outside groups rise less ($(cat "$T/exam"))"
is "$(A '{y[$c["year"]]=1} END{n=0; for(k in y)n++; print n}' exam_result)" 5 "exam results 2020-2024"

# ---- assessment, curriculum, activities
is "$(awk -F, 'FNR==1{f++;next} f==1{st[$1]=$4} f==2{if($6==1)sz[$1]+=$5; if($3=="")top[$1]+=$5}
	END{for(k in st) printf "%s:%g:%g\n", st[k], sz[k], top[k]}' "$X/assessment_scheme.csv" "$X/assessment_item.csv" | sort | tr '\n' ' ')" \
	"active:18:100 draft:12:100 " "active scheme 18% 思政 (>= 15%), draft at 12%; top weights sum to 100"
is "$(A '$c["year"]==2024 && $c["course"]=="ethnic_unity" && $c["hours_per_week"]<1{n++} END{print n}' curriculum_hours)" 4 \
	"4 schools below 1 h/week of 铸牢中华民族共同体意识 in 2024"
is "$(A '$c["year"]==2024 && $c["kind"]=="send_teaching"{n++; p+=$c["teacher_participations"]} END{print n, p}' activity)" "36 1200" \
	"2024: 36 送教下乡 with 1,200 teacher participations"
is "$(awk -F, 'FNR==1{f++;next} f==1 && $2==2024 && $3=="send_teaching"{a[$1]=1} f==2 && ($1 in a){print $2}' \
	"$X/activity.csv" "$X/activity_school.csv" | sort -u | wc -l | tr -d ' ')" 48 "送教下乡 2024 covered 48 schools"
is "$(A '$c["year"]==2024 && ($c["kind"]=="research"||$c["kind"]=="online_research"){n++} END{print (n>=400)}' activity)" 1 \
	"400+ research activities in 2024"

# ---- safety
is "$(A '$c["deadline"]!="" && $c["deadline"]<"2025-06-30" && $c["state"]!="closed" && $c["state"]!="accepted"{n++} END{print (n>5)}' hazard)" 1 \
	"some hazards are overdue"
is "$(A '$c["is_major"]==1 && $c["state"]!="found" && $c["state"]!="registered" &&
	($c["responsible"]==""||$c["measures"]==""||$c["funds"]==""||$c["deadline"]==""||$c["contingency_plan"]==""){n++} END{print n+0}' hazard)" 1 \
	"one major hazard lacks one of the five items"
is "$(A '$c["safety_grade"]=="D" && $c["in_use"]==1{n++} END{print n+0}' building)" 1 "one D-grade building still in use"
is "$(awk -F, '
	function days(d,  y,m,dd){y=substr(d,1,4)+0;m=substr(d,6,2)+0;dd=substr(d,9,2)+0; if(m<=2){y--;m+=12} return int(365.25*y)+int(30.6001*(m+1))+dd}
	FNR==1{f++;next} f==1{b[$1]=$5;tg[$1]=$6;s[$1]=$7;d[$1]=$8} f==2 && $2=="2025-09-30"{
	exp_=b[$1]+(tg[$1]-b[$1])*(days($2)-days(s[$1]))/(days(d[$1])-days(s[$1])); n++; if($3<exp_)lag++}
	END{print n, (lag>0 && lag<n)}' "$X/task.csv" "$X/task_progress.csv")" "11 1" "plan tasks with progress, some lagging"

run eduhq --db "$DB" check
is "$rc:$out" "0:check: 0 errors, 0 warnings" "the data-quality check finds nothing wrong"

# ---- determinism, edits, re-import
run eduhq --db "$DB" demo --out "$T/d2" --no-import
is "$rc" 0 "a second run with the same seed"
ok $(for f in "$T"/d/*.csv; do cmp -s "$f" "$T/d2/$(basename "$f")" || echo x; done | grep -q x && echo 1 || echo 0) \
	"the same seed gives byte-identical files"
is "$(ls "$T/d" | wc -l | tr -d ' ')" 37 "one file per table"
is "$(head -c 3 "$T/d/school.csv" | od -An -tx1 | tr -d ' ')" efbbbf "files carry a UTF-8 BOM for Excel"
run eduhq --db "$DB" demo --out "$T/d3" --seed 2 --no-import
ok $(cmp -s "$T/d/teacher.csv" "$T/d3/teacher.csv" || cmp -s "$T/d/grade_return.csv" "$T/d3/grade_return.csv" || echo 0) \
	"another seed gives other files"
run eduhq --db "$DB" demo --out "$T/d"
is "$(echo "$out" | grep -c ' rows: 0 inserted, 0 updated, [0-9]* unchanged$')" 37 \
	"re-running the demo on the same files changes nothing"
# a user edits a number in the CSV and re-imports it
awk -F, -v OFS=, 'NR==2{$5=12345} {print}' "$T/d/facility.csv" >"$T/facility.csv"
s1=$(sed -n 2p "$T/facility.csv" | cut -d, -f1,2)
run eduhq --db "$DB" import facility "$T/facility.csv"
is "$out" "facility: 1380 rows: 0 inserted, 1 updated, 1379 unchanged" "an edited file re-imports as one update"
is "$(eduhq --db "$DB" export facility --format csv | tr -d '\r' | grep "^${s1}," | cut -d, -f5)" 12345 \
	"the edit shows in the export"

# ---- misuse
run eduhq --db "$T/x.db" demo --out "$T/nodir/sub"
is "$rc:$err" "1:eduhq: cannot create directory '$T/nodir/sub': No such file or directory" \
	"an output directory that cannot be made is named"
ok $([ ! -e "$T/x.db" ] && echo 0 || echo 1) "and no database is created"
run eduhq --db "$T/x.db" demo --scale town
is "$rc:$(echo "$err" | head -1)" "2:eduhq: option '--scale' does not accept 'town'" "an unknown scale is misuse"
run eduhq --db "$T/x.db" demo --seed -1
is "$rc:$(echo "$err" | head -1)" "2:eduhq: --seed must be a non-negative integer" "a negative seed is misuse"

done_testing
