#!/bin/sh
# tests/pg/cluster.sh: a throwaway PostgreSQL 15 cluster for the tests.
#
#   tests/pg/cluster.sh start DIR   initdb in DIR, start on 127.0.0.1 and a
#                                   free port; prints the database URL
#   tests/pg/cluster.sh stop DIR    stop it (DIR can then be removed)
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# postgres user (runuser). Trust authentication, on 127.0.0.1 only.
# Tests run without fsync; PG_DURABLE=1 keeps PostgreSQL's defaults
# (fsync, synchronous_commit, full_page_writes), for bench/pg.
set -eu
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=$1 dir=$2

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	[ -x "$BIN/initdb" ] || { echo "cluster.sh: $BIN/initdb is missing (apt-get install postgresql-15)" >&2; exit 1; }
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	# as root the server runs as postgres, who must reach the binaries and
	# DIR: a root directory of mode 700 (a chroot made in a mktemp
	# directory) stops it at the first step; say so plainly
	if ! as_pg test -x "$BIN/initdb" || ! as_pg test -w "$dir"; then
		echo "cluster.sh: the postgres user cannot run $BIN/initdb or write $dir; check the modes of the directories above them (ls -ld / $(dirname "$dir"))" >&2
		exit 1
	fi
	as_pg "$BIN/initdb" -D "$dir/data" -U debrief -A trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# a free port: try a few until the server starts on one
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=
	i=0 port=
	while [ $i -lt 8 ]; do
		p=$(( ( $$ * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/') / 1000 + i * 1013 ) % 25000 + 30000 ))
		if as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-h 127.0.0.1 -p $p -k $dir $fast -c max_connections=200" \
			start >/dev/null 2>&1; then
			port=$p
			break
		fi
		i=$((i + 1))
	done
	[ -n "$port" ] || { echo "cluster.sh: the server did not start" >&2; cat "$dir/server.log" >&2; exit 1; }
	as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U debrief debrief
	echo "$port" >"$dir/port"
	echo "postgres://debrief@127.0.0.1:$port/debrief"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: cluster.sh start|stop DIR" >&2
	exit 2
	;;
esac
