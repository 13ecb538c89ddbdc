#!/bin/sh
# t4010-permissions.sh: the permission matrix. Every route of the route table, called by
# every role (city admin, city analyst, a county user of 青山县 390522, a school user of
# 3905220001) on an object inside and one outside the caller's scope; the expected statuses
# are written in one table below. Then zero leaks: lists, exports and results of a county
# or school user hold only its rows, and another county's school by key answers exactly
# like a school that does not exist.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

eduhq demo --out "$T/demo" --quiet >/dev/null 2>&1 || { echo "Bail out! demo"; exit 1; }
eduhq eval >/dev/null
q() { sqlite3 "$EDUHQ_DB" "$1"; }

IN=3905220001                 # 青山县第一小学: in the county user's county, the school user's school
OUT=$(q "SELECT code FROM school WHERE area_code NOT LIKE '390522%' AND type = 'primary' ORDER BY code LIMIT 1")
INAREA=$(q "SELECT area_code FROM school WHERE code = '$IN'")
OUTAREA=$(q "SELECT area_code FROM school WHERE code = '$OUT'")
INUR=$(q "SELECT urban_rural FROM school WHERE code = '$IN'")
OUTUR=$(q "SELECT urban_rural FROM school WHERE code = '$OUT'")

ROLES="admin analyst county school"
for r in $ROLES; do
	case $r in
	admin) echo "password-$r-1" | eduhq user add $r --role city_admin --password-stdin ;;
	analyst) echo "password-$r-1" | eduhq user add $r --role city_analyst --password-stdin ;;
	county) echo "password-$r-1" | eduhq user add $r --role county_user --area 390522 --password-stdin ;;
	school) echo "password-$r-1" | eduhq user add $r --role school_user --school $IN --password-stdin ;;
	esac >/dev/null
	eval "TOK_$r=\$(user_token $r)"
	eduhq user token $r --label spare >/dev/null
	eval "SPARE_$r=\$(q \"SELECT max(id) FROM api_token WHERE user_name = '$r'\")"
	# a building inside and one outside the scope, for each role to delete
	q "INSERT INTO building(code, school_code, name, floor_area, safety_grade) VALUES
		('B-IN-$r', '$IN', 'x', 100, 'A'), ('B-OUT-$r', '$OUT', 'x', 100, 'A')"
	# a found hazard inside and one outside the scope, for each role to walk through the steps
	for io in IN OUT; do
		eval "_s=\$$io"
		eduhq hazard add --school $_s --category fire --description x --code HZ-$io-$r --unregistered \
			--found 2025-01-01 --date 2025-01-01 >/dev/null
	done
done
# a plan task of the county user's county and one of another county
OUTCOUNTY=$(q "SELECT CASE WHEN level = 'county' THEN code ELSE parent_code END FROM area WHERE code = '$OUTAREA'")
eduhq task add TK-IN --name x --owner y --target 10 --start 2025-01-01 --deadline 2030-12-31 --area 390522 >/dev/null
eduhq task add TK-OUT --name x --owner y --target 10 --start 2025-01-01 --deadline 2030-12-31 --area "$OUTCOUNTY" >/dev/null
echo 'password-victim-1' | eduhq user add victim --role city_analyst --password-stdin >/dev/null
# an upload of the school inside and one of the school outside the scope, as they are stored
eduhq export school --out "$T/school.csv" >/dev/null 2>&1
for io in in out; do
	if [ $io = in ]; then _s=$IN; else _s=$OUT; fi
	{ head -1 "$T/school.csv"; grep "^$_s," "$T/school.csv"; } >"$T/up-$io.csv"
done
RUN=$(q "SELECT max(id) FROM eval_run")
serve_start

# call ROLE IO METHOD PATH BODY: substitute the placeholders and call; sets $code
call() {
	_r=$1 _io=$2 _m=$3 _p=$4 _b=$5
	eval "_tok=\$TOK_$_r"
	if [ "$_r" = admin ]; then eval "_other=\$SPARE_analyst"; else eval "_other=\$SPARE_admin"; fi
	eval "_mine=\$SPARE_$_r"
	_rn=$(( $(echo "$ROLES" | tr ' ' '\n' | grep -n "^$_r$" | cut -d: -f1) * 2 ))
	if [ "$_io" = in ]; then
		_key=$IN _area=$INAREA _ur=$INUR _tid=$_mine _user=victim _bld=B-IN-$_r _hz=HZ-IN-$_r _tk=TK-IN _cty=390522
	else
		_key=$OUT _area=$OUTAREA _ur=$OUTUR _tid=$_other _user=nobody _bld=B-OUT-$_r _rn=$((_rn + 1))
		_hz=HZ-OUT-$_r _tk=TK-OUT _cty=$OUTCOUNTY
	fi
	_sub="s/{KEY}/$_key/g; s/{AREA}/$_area/g; s/{UR}/$_ur/g; s/{TOKID}/$_tid/g; s/{USER}/$_user/g;
		s/{BLD}/$_bld/g; s/{ROLE}/$_r/g; s/{IO}/$_io/g; s/{NEW}/390522990$_rn/g; s/{RUN}/$RUN/g;
		s/{HZ}/$_hz/g; s/{TK}/$_tk/g; s/{CTY}/$_cty/g"
	_p=$(echo "$_p" | sed "$_sub")
	if [ "$_b" = csv ]; then
		code=$(curl -s -o "$T/.body" -w '%{http_code}' -X "$_m" -H "Authorization: Bearer $_tok" \
			-H 'Content-Type: text/csv' --data-binary @"$T/up-$_io.csv" "$API$_p")
	elif [ "$_b" = - ]; then
		api "$_tok" "$_m" "$_p"
	else
		api "$_tok" "$_m" "$_p" "$(echo "$_b" | sed "$_sub")"
	fi
}

# METHOD | PATH | BODY (- none, csv an upload of the school {KEY}) | admin in out | analyst in out | county in out | school in out
MATRIX='
GET    | /openapi.json                      | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /health                            | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /session                           | {"name":"{ROLE}","password":"password-{ROLE}-1"} | 201 201 | 201 201 | 201 201 | 201 201
DELETE | /session                           | - | 204 204 | 204 204 | 204 204 | 204 204
GET    | /me                                | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /me/tokens                         | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /me/tokens                         | {"label":"{IO}"} | 201 201 | 201 201 | 201 201 | 201 201
DELETE | /me/tokens/{TOKID}                 | - | 204 404 | 204 404 | 204 404 | 204 404
GET    | /users                             | - | 200 200 | 403 403 | 403 403 | 403 403
POST   | /users                             | {"name":"u-{ROLE}-{IO}","password":"password-new-1","role":"city_analyst"} | 201 201 | 403 403 | 403 403 | 403 403
GET    | /users/{USER}                      | - | 200 404 | 403 403 | 403 403 | 403 403
PATCH  | /users/{USER}                      | {"disabled":false} | 200 404 | 403 403 | 403 403 | 403 403
GET    | /audit                             | - | 200 200 | 403 403 | 403 403 | 403 403
GET    | /tables                            | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /tables/school                     | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /tables/school/rows?code={KEY}     | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /tables/school/rows                | {"code":"{NEW}","name":"新校","area_code":"{AREA}","type":"primary","urban_rural":"{UR}"} | 201 201 | 403 403 | 201 403 | 403 403
GET    | /tables/school/rows/{KEY}          | - | 200 200 | 200 200 | 200 404 | 200 404
PUT    | /tables/school/rows/{KEY}          | {"name":"改名","area_code":"{AREA}","type":"primary","urban_rural":"{UR}"} | 200 200 | 403 403 | 200 403 | 200 403
DELETE | /tables/building/rows/{BLD}        | - | 204 204 | 403 403 | 204 404 | 204 404
PUT    | /tables/industry/rows/IND-{ROLE}-{IO} | {"name":"产业"} | 201 201 | 403 403 | 403 403 | 403 403
GET    | /tables/school/export?code={KEY}   | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /tables/school/import              | csv | 200 200 | 403 403 | 200 422 | 200 422
GET    | /rules                             | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /rules/balance.cv_max              | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /rules/balance.cv_max/history      | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /rules/tasks.lag                   | {"params":{"tolerance":0.1}} | 201 201 | 403 403 | 403 403 | 403 403
POST   | /runs                              | {"mechanisms":["balance"]} | 201 201 | 201 201 | 403 403 | 403 403
GET    | /runs                              | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /whatif                            | {"teacher_exchange":{"teacher":"T0005594","from_school":"3905210001","to_school":"{KEY}"}} | 200 200 | 200 200 | 403 403 | 403 403
GET    | /runs/{RUN}                        | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /runs/compare?a={RUN}&b={RUN}&school={KEY} | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /results?school={KEY}&run={RUN}    | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /forecast?area={CTY}               | - | 200 200 | 200 200 | 200 404 | 404 404
GET    | /indicators                        | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /check                             | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /hazards                           | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /hazards                           | {"school":"{KEY}","category":"fire","description":"x"} | 201 201 | 403 403 | 201 403 | 201 403
GET    | /hazards/{HZ}                      | - | 200 200 | 200 200 | 200 404 | 200 404
POST   | /hazards/{HZ}/register             | {} | 200 200 | 403 403 | 200 404 | 200 404
POST   | /hazards/{HZ}/assign               | {"responsible":"r","measures":"m","deadline":"2099-12-31"} | 200 200 | 403 403 | 200 404 | 200 404
POST   | /hazards/{HZ}/start                | {} | 200 200 | 403 403 | 200 404 | 200 404
POST   | /hazards/{HZ}/accept               | {} | 200 200 | 403 403 | 200 404 | 200 404
POST   | /hazards/{HZ}/close                | {} | 200 200 | 403 403 | 200 404 | 200 404
GET    | /tasks                             | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /tasks                             | {"code":"TK-{ROLE}-{IO}","name":"x","owner_unit":"y","target":1,"start_date":"2025-01-01","deadline":"2030-12-31"} | 201 201 | 403 403 | 403 403 | 403 403
GET    | /tasks/{TK}                        | - | 200 200 | 200 200 | 200 200 | 200 200
POST   | /tasks/{TK}/progress               | {"value":1} | 201 201 | 403 403 | 201 403 | 403 403
GET    | /reports/annual?year=2024&format=html | - | 200 200 | 200 200 | 403 403 | 403 403
GET    | /overview                          | - | 200 200 | 200 200 | 200 200 | 200 200
GET    | /results/summary                   | - | 200 200 | 200 200 | 200 200 | 200 200
'
echo "$MATRIX" | grep -v '^$' >"$T/matrix"
while IFS='|' read -r m p b a1 a2 a3 a4; do
	m=$(echo $m) p=$(echo $p) b=$(echo "$b" | sed 's/^ *//; s/ *$//')
	i=0
	for r in $ROLES; do
		i=$((i + 1))
		eval "want=\$(echo \$a$i)"
		call $r in "$m" "$p" "$b"
		got=$code
		call $r out "$m" "$p" "$b"
		is "$got $code" "$want" "$m $p as $r: in scope, out of scope"
	done
done <"$T/matrix"

# every route of the route table is in the matrix
api - GET /openapi.json
echo "$body" | jq -r '.paths | to_entries[] | .key as $p | .value | keys[] | ascii_upcase + " " + $p' |
	sed 's|/api/v1||' | sort >"$T/routes"
sed 's/ *| */|/g' "$T/matrix" | awk -F'|' '{ sub(/\?.*/, "", $2); print $1 " " $2 }' |
	sed -e 's|/{KEY}|/{key}|; s|/{BLD}|/{key}|; s|/tables/[a-z_]*/rows/IND-{ROLE}-{IO}|/tables/{table}/rows/{key}|' \
	    -e 's|/tables/[a-z_]*/|/tables/{table}/|; s|/tables/school$|/tables/{table}|; s|/{TOKID}|/{id}|' \
	    -e 's|/users/{USER}|/users/{name}|; s|/rules/[a-z._]*/history|/rules/{code}/history|' \
	    -e 's|/rules/[a-z._]*$|/rules/{code}|; s|/runs/{RUN}|/runs/{id}|' \
	    -e 's|/hazards/{HZ}|/hazards/{code}|; s|/tasks/{TK}|/tasks/{code}|' | sort -u >"$T/tested"
is "$(comm -23 "$T/routes" "$T/tested")" "" "every route in the route table is in the matrix"

# --- zero leaks ---
tc=$TOK_county
api "$tc" GET '/tables/school/rows?limit=1000'
is "$(echo "$body" | jq '.rows | length') $(echo "$body" | jq '[.rows[] | select(.area_code | startswith("390522") | not)] | length')" \
	"$(q "SELECT count(*) FROM school WHERE area_code LIKE '390522%'") 0" "a county user lists exactly its county's schools"
api "$TOK_school" GET '/tables/school/rows'
is "$(echo "$body" | jq -c '[.rows[].code]')" "[\"$IN\"]" "a school user lists only its school"
api "$tc" GET '/tables/teacher/export?format=json'
is "$(echo "$body" | jq 'length')" \
	"$(q "SELECT count(DISTINCT p.teacher_code) FROM posting p JOIN school s ON s.code = p.school_code WHERE p.end_date IS NULL AND s.area_code LIKE '390522%'")" \
	"teachers: those whose current posting is in the county"
api "$tc" GET '/tables/area/rows?limit=1000'
is "$(echo "$body" | jq -c '[.rows[].code | startswith("390522")] | unique')" "[true]" "areas: the county's subtree only"
api "$TOK_school" GET '/tables/area/rows'
is "$(echo "$body" | jq '.rows | length')" 0 "a school user sees no area rows"
code=$(curl -s -o "$T/exp.csv" -w '%{http_code}' -H "Authorization: Bearer $tc" "$API/tables/grade_return/export")
is "$code $(($(wc -l <"$T/exp.csv") - 1))" \
	"200 $(q "SELECT count(*) FROM grade_return g JOIN school s ON s.code = g.school_code WHERE s.area_code LIKE '390522%'")" \
	"exports are filtered to the scope"
api "$tc" GET '/results?limit=10000'
is "$(echo "$body" | jq -c '[.results[] | select(.unit_kind == "school") | .unit_id] | map(startswith("390522")) | unique')" "[true]" \
	"results: a county user's school rows are its county's"
is "$(echo "$body" | jq -c '[.results[] | select(.unit_kind != "school") | .unit_id] | unique')" '["390522"]' \
	"results: and its county's own rows, nothing of other counties or the city"
api "$tc" GET /overview
is "$(echo "$body" | jq -c '[.schools, .counties]')" \
	"[$(q "SELECT count(*) FROM school WHERE area_code LIKE '390522%'"),1]" "overview: a county user's figures are its county's"
api "$TOK_school" GET /overview
is "$(echo "$body" | jq -c '[.schools, .counties]')" "[1,0]" "overview: a school user's figures are its school's"
api "$tc" GET /results/summary
is "$(echo "$body" | jq '[.mechanisms[] | .pass + .warn + .fail + .na] | add')" \
	"$(api "$tc" GET '/results?limit=10000' && echo "$body" | jq '.results | length')" \
	"results summary: a county user counts exactly the result rows it may read"
api "$tc" GET "/results?school=$OUT"
is "$(echo "$body" | jq '.results | length')" 0 "asking for another county's school gives no results"
api "$tc" GET "/tables/school/rows/$OUT"
b1=$(echo "$body" | sed "s/$OUT/KEY/")
api "$tc" GET "/tables/school/rows/3905229999"
is "$b1" "$(echo "$body" | sed 's/3905229999/KEY/')" "another county's school answers exactly like one that does not exist"

done_testing
