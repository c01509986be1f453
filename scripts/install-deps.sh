#!/bin/sh
# install-deps.sh: installs the Debian packages debrief needs, only those
# that are missing. Quiet when everything is there; one `apt-get update`
# when something is not; sudo when not root.
#
#   scripts/install-deps.sh            build + test packages (what CI needs)
#   scripts/install-deps.sh --build    only what building ./debrief needs
#   scripts/install-deps.sh --bench    build + wrk and nginx-light for bench/
#   scripts/install-deps.sh --package  build + dpkg-dev, for make deb
#   scripts/install-deps.sh --check    list what is missing, install nothing
set -eu

# Building debrief: compiler, pkg-config and the ten libraries.
BUILD_PKGS="gcc make libc6-dev pkg-config libmicrohttpd-dev libsqlite3-dev libarchive-dev
libjansson-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsodium-dev
libcurl4-openssl-dev libyaml-dev zlib1g-dev libgit2-dev"
# libical: .ics invites and the calendar feed of review meetings
BUILD_PKGS="$BUILD_PKGS libical-dev"
# yajl: the event (streaming) JSON parser of the Slack import's day files
BUILD_PKGS="$BUILD_PKGS libyajl-dev"
# libdeflate: the stored review renders (zlib format), inflated in about
# half zlib's time
BUILD_PKGS="$BUILD_PKGS libdeflate-dev"
# libpq: the PostgreSQL driver under the store (src/store/db_pg.c)
BUILD_PKGS="$BUILD_PKGS libpq-dev"
# Tests: cmocka, libcurl for the API tests, clang with its sanitizer
# runtimes (libclang-rt-14-dev is only a Recommends of clang-14 on Debian 12,
# and -fsanitize=address,undefined fails to link without it; it also holds
# libFuzzer for make fuzz), Debian's
# chromium for the browser test driven by playwright-core from npm;
# dpkg-dev (dpkg-shlibdeps) for make deb and systemd (systemd-analyze
# verify) for the package test; tzdata, the zones the time zone tests
# read (Europe/Berlin, America/New_York); git makes the repositories
# the link scanner's tests read.
# postgresql-15: the throwaway cluster the store suites run on again
# (tests/pg/run.sh: initdb and pg_ctl, started by the tests, never as a
# service).
# pgbouncer: make pg-bouncer runs suites through it in transaction mode
# (started by tests/pg/pgbouncer.sh, never as a service).
TEST_PKGS="postgresql-15 pgbouncer libcmocka-dev libcurl4-openssl-dev clang libclang-rt-14-dev
chromium ca-certificates dpkg-dev systemd tzdata git"
# bench/run.sh: the load generator and the reference static server.
BENCH_PKGS="wrk nginx-light curl"

want_build=0 want_test=0 want_bench=0 want_package=0 check_only=0
for arg in "$@"; do
	case $arg in
	--build) want_build=1 ;;
	--test) want_build=1 want_test=1 ;;
	--bench) want_build=1 want_bench=1 ;;
	--package) want_build=1 want_package=1 ;;
	--check) check_only=1 ;;
	-h | --help)
		sed -n '2,10s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "install-deps.sh: unknown option $arg (try --help)" >&2
		exit 2
		;;
	esac
done
if [ $want_build -eq 0 ]; then
	want_build=1 want_test=1
fi

pkgs=""
[ $want_build -eq 1 ] && pkgs="$pkgs $BUILD_PKGS"
[ $want_test -eq 1 ] && pkgs="$pkgs $TEST_PKGS"
[ $want_bench -eq 1 ] && pkgs="$pkgs $BENCH_PKGS"
[ $want_package -eq 1 ] && pkgs="$pkgs dpkg-dev"

# installed PKG: true when dpkg knows PKG as installed.
installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null |
		grep -q '^install ok installed$'
}

missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done

# Node.js and npm for the browser test: any node with npm will do (Debian's
# own, or NodeSource's, which bundles npm and conflicts with Debian's npm
# package), so look for the commands rather than the packages.
if [ $want_test -eq 1 ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

[ -z "$missing" ] && exit 0

if [ $check_only -eq 1 ]; then
	echo "missing:$missing"
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps.sh: need root or sudo to install:$missing" >&2
	exit 1
fi

echo "install-deps.sh: installing$missing"
# PostgreSQL is only for the tests' throwaway clusters: keep Debian from
# creating and starting a cluster of its own (a service on port 5432)
case " $missing " in
*" postgresql-15 "*)
	if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
		$SUDO mkdir -p /etc/postgresql-common
		echo "create_main_cluster = false" |
			$SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
	fi
	;;
esac
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended-upgrades, a second make) may hold dpkg's lock:
# wait for it up to 10 minutes rather than fail.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	-o DPkg::Lock::Timeout=600
# shellcheck disable=SC2086 # word splitting of the list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	-o DPkg::Lock::Timeout=600 \
	-o Dpkg::Options::=--force-confold \
	--no-install-recommends $missing </dev/null
# pgbouncer is only for the tests' own instances (tests/pg/pgbouncer.sh):
# Debian's package may start its service; stop and disable it
case " $missing " in
*" pgbouncer "*)
	if command -v systemctl >/dev/null 2>&1; then
		$SUDO systemctl disable --now pgbouncer >/dev/null 2>&1 || true
	fi
	;;
esac
