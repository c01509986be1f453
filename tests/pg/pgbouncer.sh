#!/bin/sh
# tests/pg/pgbouncer.sh: PgBouncer in transaction mode in front of the
# throwaway cluster of tests/pg/cluster.sh.
#
#   tests/pg/pgbouncer.sh start DIR   DIR is the cluster's; prints the
#                                     database URL through PgBouncer
#                                     (with pool_mode=transaction)
#   tests/pg/pgbouncer.sh stop DIR
#
# Exit 3 when pgbouncer is not installed (apt-get install pgbouncer;
# scripts/install-deps.sh does it), so that callers can skip.
set -eu
BIN=${PGBOUNCER_BIN:-/usr/sbin/pgbouncer}
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
	[ -x "$BIN" ] || { echo "pgbouncer.sh: $BIN is missing (apt-get install pgbouncer)" >&2; exit 3; }
	pgport=$(cat "$dir/port")
	b="$dir/bouncer"
	mkdir -p "$b"
	echo '"debrief" ""' >"$b/users.txt"
	i=0 port=
	while [ $i -lt 8 ]; do
		p=$(( ( $$ * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/') / 1000 + i * 1013 ) % 25000 + 30000 ))
		cat >"$b/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pgport
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $p
unix_socket_dir =
auth_type = trust
auth_file = $b/users.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
logfile = $b/pgbouncer.log
pidfile = $b/pgbouncer.pid
INI
		[ "$(id -u)" = 0 ] && chown -R postgres "$b"
		if as_pg "$BIN" -d "$b/pgbouncer.ini" >/dev/null 2>&1; then
			# it answers once it listens
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				if psql -qtAX "postgres://debrief@127.0.0.1:$p/debrief" -c 'SELECT 1' >/dev/null 2>&1; then
					port=$p
					break
				fi
				sleep 0.2
			done
			[ -n "$port" ] && break
			kill "$(cat "$b/pgbouncer.pid")" 2>/dev/null || true
		fi
		i=$((i + 1))
	done
	[ -n "$port" ] || { echo "pgbouncer.sh: pgbouncer did not start" >&2; cat "$b/pgbouncer.log" >&2 2>/dev/null; exit 1; }
	echo "postgres://debrief@127.0.0.1:$port/debrief?pool_mode=transaction"
	;;
stop)
	[ -f "$dir/bouncer/pgbouncer.pid" ] && kill "$(cat "$dir/bouncer/pgbouncer.pid")" 2>/dev/null || true
	;;
*)
	echo "usage: pgbouncer.sh start|stop DIR" >&2
	exit 2
	;;
esac
