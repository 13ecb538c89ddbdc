# t/lib-serve.sh: start a real `eduhq serve` on a free loopback port (18080-18099, or
# $SERVE_PORTS "LOW HIGH") and talk to it with curl. Source after lib.sh.
#   serve_start [ARGS]   start on $EDUHQ_DB; sets PORT, API, SRV_PID (stopped at exit)
#   serve_stop           SIGTERM and wait; sets srv_rc
#   api TOKEN METHOD PATH [JSON]   TOKEN: an API token or "-"; sets $code and $body
#   login NAME PASSWORD  a cookie session in $T/cj.NAME; sets $csrf
#   capi NAME METHOD PATH [JSON]   with NAME's cookie session and CSRF token
#   user_token NAME      a new API token for NAME (through the CLI)
#   two_counties_csv     $T/area.csv: a city 330100 with two districts 330102 and 330103
#   two_counties_city    a new database with those areas, schools 3301020001, 3301020002 and
#                        3301030001, and one user per role (admin, analyst, county of
#                        330102, school 3301020001) with API tokens $TOK_admin ... $TOK_school
SRV_PID=
_serve_cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
	[ -s "$T/serve.err" ] && grep -v "draining$" "$T/serve.err" | sed "s/^/# serve: /" >&2
	rm -rf "$T"
}
trap _serve_cleanup EXIT

serve_start() {
	for _p in $(seq ${SERVE_PORTS:-18080 18099} | shuf); do
		: >"$T/serve.out"
		"$EDUHQ" serve --listen "127.0.0.1:$_p" --threads 2 --log "$T/access.log" "$@" \
			>"$T/serve.out" 2>"$T/serve.err" &
		SRV_PID=$!
		for _i in $(seq 100); do
			if grep -q '^eduhq: serving' "$T/serve.out" 2>/dev/null; then
				PORT=$_p
				API="http://127.0.0.1:$PORT/api/v1"
				return 0
			fi
			kill -0 "$SRV_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=
	done
	cat "$T/serve.err" >&2
	echo "Bail out! cannot start eduhq serve on a port in ${SERVE_PORTS:-18080 18099}"
	exit 1
}

serve_stop() {
	kill -TERM "$SRV_PID"
	wait "$SRV_PID"
	srv_rc=$?
	SRV_PID=
}

api() {
	_tok=$1 _m=$2 _p=$3
	shift 3
	if [ $# -gt 0 ]; then
		set -- -H 'Content-Type: application/json' --data-binary "$1"
	fi
	if [ "$_tok" = - ]; then
		code=$(curl -s -o "$T/.body" -w '%{http_code}' -X "$_m" "$@" "$API$_p")
	else
		code=$(curl -s -o "$T/.body" -w '%{http_code}' -X "$_m" -H "Authorization: Bearer $_tok" "$@" "$API$_p")
	fi
	body=$(cat "$T/.body")
}

login() {
	code=$(curl -s -o "$T/.body" -w '%{http_code}' -c "$T/cj.$1" -X POST -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"$1\",\"password\":\"$2\"}" "$API/session")
	body=$(cat "$T/.body")
	csrf=$(echo "$body" | jq -r '.csrf_token // empty')
	eval "csrf_$1=\$csrf"
}

capi() {
	_u=$1 _m=$2 _p=$3
	shift 3
	eval "_c=\${csrf_$_u:-}"
	if [ $# -gt 0 ]; then
		set -- -H 'Content-Type: application/json' --data-binary "$1"
	fi
	code=$(curl -s -o "$T/.body" -w '%{http_code}' -b "$T/cj.$_u" -c "$T/cj.$_u" -H "X-CSRF-Token: $_c" \
		-X "$_m" "$@" "$API$_p")
	body=$(cat "$T/.body")
}

user_token() {
	"$EDUHQ" user token "$1" | tail -1
}

two_counties_csv() {
	cat >"$T/area.csv" <<'CSV'
code,name,level,parent_code,kind
330100,临江市,city,,
330102,江东区,county,330100,district
330103,江西区,county,330100,district
CSV
}

two_counties_city() {
	eduhq init >/dev/null || exit 1
	two_counties_csv
	cat >"$T/school.csv" <<'CSV'
code,name,area_code,type,urban_rural
3301020001,江东一小,330102,primary,111
3301020002,江东二小,330102,primary,111
3301030001,江西一小,330103,primary,111
CSV
	import_or_bail "$T" area school
	for _u in admin:city_admin analyst:city_analyst county:county_user:--area:330102 \
		school:school_user:--school:3301020001; do
		_nm=${_u%%:*} _rest=${_u#*:}
		echo "password-$_nm-1" | eduhq user add $_nm --role $(echo "$_rest" | tr ':' ' ') --password-stdin >/dev/null
		eval "TOK_$_nm=\$(user_token $_nm)"
	done
}
