# t/lib-import.sh: a small valid data set with rows for every registry table, for the
# import/export tests (t20NN). Source after lib.sh; `write_fixture DIR` writes one CSV per
# table; $FIXTURE_TABLES lists the tables in an import order that satisfies foreign keys.
FIXTURE_TABLES="area school grade_return class_section pupil_transfer facility building
teacher posting title_application population births project edu_group group_member
exam_result activity activity_school activity_teacher curriculum_hours assessment_scheme assessment_item
assessment_score voc_catalog school_specialty specialty_year industry specialty_industry
enterprise cooperation training_base internship employee_training hazard task task_progress"

write_fixture() {
	d=$1
	mkdir -p "$d"
	cat >"$d/area.csv" <<'X'
code,name,level,parent_code,kind,urban_rural
441000,临江市,city,,,
441002,江东区,county,441000,district,111
441023,青山县,county,441000,county,
441023100000,青山镇,town,441023,town,121
X
	cat >"$d/school.csv" <<'X'
code,name,area_code,type,ownership,urban_rural,is_weak,is_teaching_point,declared_seats,latitude,longitude
4410020001,临江市第一小学,441002,primary,public,111,0,0,2160,23.1,113.25
4410020002,"江东区""实验""中学, 初中部",441002,junior,,111,1,0,,,
4410230001,青山县中心小学,441023100000,nine_year,public,121,0,1,,,
4410230009,青山县职业技术学校,441023,vocational,private,121,0,0,1500,0.1,-0.000001
X
	cat >"$d/grade_return.csv" <<'X'
school_code,year,grade,classes,pupils,boys,girls,migrant,boarders
4410020001,2024,1,6,270,140,130,12,
4410020001,2024,2,6,268,,,,0
4410230001,2023,7,2,88,45,43,0,30
X
	cat >"$d/class_section.csv" <<'X'
school_code,year,grade,section,pupils
4410020001,2024,1,1,45
4410020001,2024,1,2,57
X
	cat >"$d/pupil_transfer.csv" <<'X'
school_code,year,grade,transfers_in,transfers_out
4410230001,2024,8,3,5
X
	cat >"$d/facility.csv" <<'X'
school_code,year,teaching_aux_area,indoor_sports_area,sports_ground_area,equipment_value,multimedia_rooms,computers,books,music_rooms,art_rooms
4410020001,2024,12150.5,800,9800.25,3240000,40,300,54000,2,2
4410230001,2024,3000,0,2500,150000.75,6,40,9000,1,0
X
	cat >"$d/building.csv" <<'X'
code,school_code,name,floor_area,built_year,safety_grade,in_use
B001,4410020001,教学楼A,5400.5,1998,B,1
B002,4410230001,旧宿舍,800,1975,D,1
X
	cat >"$d/teacher.csv" <<'X'
code,name,id_number,sex,birth_date,education,title,title_date,subject,full_time,backbone_level,certificate,hire_date
T0001,王芳,441002198001010019,F,1980-01-01,bachelor,senior,2015-09-01,chinese,1,county,primary,2002-09-01
T0002,李强,441002198512310021,M,1985-12-31,master,first,,math,1,none,junior,2010-09-01
T0003,赵敏,441002199006150031,F,1990-06-15,associate,second,2018-12-20,pe,0,none,none,2012-09-01
X
	cat >"$d/posting.csv" <<'X'
teacher_code,start_date,school_code,end_date,kind
T0001,2002-09-01,4410020001,2021-08-31,appointment
T0001,2021-09-01,4410230001,2023-08-31,exchange
T0002,2010-09-01,4410020002,,appointment
X
	cat >"$d/title_application.csv" <<'X'
teacher_code,year,title
T0002,2024,senior
X
	cat >"$d/population.csv" <<'X'
area_code,year,age,persons
441002,2024,6,5230
441002,2024,7,5102
X
	cat >"$d/births.csv" <<'X'
area_code,year,births
441002,2018,5600
441023,2018,2100
X
	cat >"$d/project.csv" <<'X'
code,name,area_code,school_code,kind,school_type,seats,primary_seats,investment,floor_area,start_year,completion_year,status
P001,高新区九年一贯制学校,441002,,new,nine_year,2250,1350,120000000,36000,2024,2026,building
P002,第一小学扩建,441002,4410020001,expansion,primary,540,,8000000.5,4000,,2025,planned
X
	cat >"$d/edu_group.csv" <<'X'
code,name,lead_school_code,founded_year
G01,临江一小教育集团,4410020001,2021
X
	cat >"$d/group_member.csv" <<'X'
group_code,school_code,joined_year,left_year
G01,4410020001,2021,
G01,4410230001,2022,2024
X
	cat >"$d/exam_result.csv" <<'X'
school_code,year,exam,candidates,excellent,passed
4410230001,2024,zhongkao,88,25,80
4410230001,2023,quality,90,11,
X
	cat >"$d/activity.csv" <<'X'
code,year,kind,date,title,organizer_school_code,teacher_participations,rural_teacher_participations
A001,2024,send_teaching,2024-10-15,送教下乡：语文,4410020001,30,24
A002,2024,shared_sizheng,2024-09-01,同上一节思政课,,120,0
X
	cat >"$d/activity_school.csv" <<'X'
activity_code,school_code
A001,4410230001
A001,4410020002
X
	cat >"$d/activity_teacher.csv" <<'X'
activity_code,teacher_code
A001,T0001
A001,T0003
X
	cat >"$d/curriculum_hours.csv" <<'X'
school_code,year,course,hours_per_week,total_hours_per_week
4410020001,2024,ethnic_unity,1,30
4410020001,2024,morality_law,2.5,
X
	cat >"$d/assessment_scheme.csv" <<'X'
code,year,name,status
S2024,2024,2024年学校考核方案,active
X
	cat >"$d/assessment_item.csv" <<'X'
scheme_code,item_code,parent_item_code,name,weight,is_sizheng
S2024,I1,,德育,40,0
S2024,I1.1,I1,思政课,15,1
S2024,I2,,教学,60,0
X
	cat >"$d/assessment_score.csv" <<'X'
scheme_code,item_code,school_code,score
S2024,I1,4410020001,92.5
S2024,I2,4410020001,88
X
	cat >"$d/voc_catalog.csv" <<'X'
version,code,name,category
2021,660101,现代纺织技术,轻工纺织大类
2021,430104,光伏工程技术,能源动力与材料大类
X
	cat >"$d/school_specialty.csv" <<'X'
school_code,catalog_version,specialty_code,opened_year,closed_year,status
4410230009,2021,660101,2015,,warned
4410230009,2021,430104,2020,,open
X
	cat >"$d/specialty_year.csv" <<'X'
school_code,catalog_version,specialty_code,year,enrolled,graduates,employed,further_study,in_trade,surveyed,satisfied
4410230009,2021,660101,2024,40,50,20,5,10,12,9
4410230009,2021,430104,2024,60,45,40,5,38,10,10
X
	cat >"$d/industry.csv" <<'X'
code,name,is_key
IND01,新能源,1
IND02,纺织服装,0
X
	cat >"$d/specialty_industry.csv" <<'X'
catalog_version,specialty_code,industry_code
2021,430104,IND01
2021,660101,IND02
X
	cat >"$d/enterprise.csv" <<'X'
credit_code,name,industry_code,area_code
91441000MA4W00001J,临江光伏科技有限公司,IND01,441002
91441000MA4W00002M,青山纺织厂,,
X
	cat >"$d/cooperation.csv" <<'X'
school_code,credit_code,kind,start_year,end_year,students
4410230009,91441000MA4W00001J,order_class,2022,,45
4410230009,91441000MA4W00002M,apprenticeship,2020,2023,20
X
	cat >"$d/training_base.csv" <<'X'
code,school_code,credit_code,name,investment,equipment_value,capacity,opened_year
TB01,4410230009,91441000MA4W00001J,光伏实训基地,3500000,2100000.5,120,2022
X
	cat >"$d/internship.csv" <<'X'
school_code,credit_code,year,interns
4410230009,91441000MA4W00001J,2024,60
X
	cat >"$d/employee_training.csv" <<'X'
school_code,credit_code,year,person_times
4410230009,91441000MA4W00002M,2024,300
X
	cat >"$d/hazard.csv" <<'X'
code,school_code,category,found_date,description,is_major,state,responsible,measures,funds,deadline,contingency_plan,closed_date
H001,4410230001,building,2024-03-01,"宿舍楼D级危房
需停用",1,assigned,校长,停用并拆除,500000,2024-12-31,学生转移安置方案,
H002,4410020001,traffic,2024-05-10,校门口无减速带,0,closed,,,,,,2024-06-01
X
	cat >"$d/task.csv" <<'X'
code,name,owner_unit,unit,baseline,target,start_date,deadline
K001,新建学校,市教育局规划科,所,0,5,2025-01-01,2030-12-31
K002,新增学位,市教育局规划科,,0,8000,2025-01-01,2030-12-31
X
	cat >"$d/task_progress.csv" <<'X'
task_code,date,value,note
K001,2025-06-30,1,"第一所已开工, 进展顺利"
K002,2025-06-30,1200,
X
}

# import_fixture DIR: import every table of the fixture, in order; prints the summaries.
import_fixture() {
	for t in $FIXTURE_TABLES; do
		eduhq import "$t" "$1/$t.csv" || return 1
	done
}

# gen_teachers N: a teacher CSV of N rows with valid ID check digits (awk, fast).
gen_teachers() {
	awk -v n="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		split("1 0 X 9 8 7 6 5 4 3 2", cc, " ")
		split("chinese math english pe music art science", subj, " ")
		split("none third second first senior", tit, " ")
		print "code,name,id_number,sex,birth_date,education,title,subject,hire_date"
		for (i = 1; i <= n; i++) {
			y = 1960 + i % 40; m = 1 + i % 12; d = 1 + i % 28
			s17 = sprintf("441002%04d%02d%02d%03d", y, m, d, i % 1000)
			sum = 0
			for (k = 1; k <= 17; k++) sum += substr(s17, k, 1) * w[k]
			printf "G%07d,教师%d,%s%s,%s,%04d-%02d-%02d,bachelor,%s,%s,%04d-09-01\n", i, i, \
				s17, cc[sum % 11 + 1], (i % 2) ? "M" : "F", y, m, d, tit[i % 5 + 1], \
				subj[i % 7 + 1], y + 22
		}
	}'
}
