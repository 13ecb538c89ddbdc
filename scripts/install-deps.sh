#!/bin/sh
# install-deps.sh: install the Debian packages eduhq needs to build, test and run, if any is
# missing. Run by `make` before compiling; does nothing when everything is present.
# The annual report: cairo draws its charts, fonts-noto-cjk stand in for the official fonts,
# chromium prints the PDF; its tests read the files back with poppler-utils and python3-docx.
set -e
PKGS="gcc make pkg-config perl sqlite3 bc python3 zip unzip strace curl jq libsqlite3-dev libjansson-dev libmicrohttpd-dev
libsodium-dev libzip-dev libexpat1-dev libxlsxwriter-dev libcmocka-dev libpq-dev libzstd-dev postgresql
libcairo2-dev libfontconfig-dev fonts-noto-cjk chromium poppler-utils python3-docx"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
# chromium (with CJK fonts for legible screenshots): the dashboard's browser test, t5000.
# node and npm: the dashboard's bundle (web/package.json, Vite 6: Debian 12's Node 18 is
# enough) and the OpenAPI linter of t4003; a machine whose node came from elsewhere
# (nodesource) already has npm and must not get Debian's on top of it
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: not root; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# PostgreSQL's server is only for the tests, which start their own throwaway clusters:
# do not let the package create (and start) a default one
case "$missing" in *postgresql*)
	mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/eduhq.conf ;;
esac
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
