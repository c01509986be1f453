#!/bin/sh
# tests/pg/run.sh [-s SUITE] [-b] BIN...: runs cmocka test binaries once
# more on PostgreSQL (the store conformance suites; the API suite): starts
# a throwaway cluster (tests/pg/cluster.sh), gives each test a database of
# its own through DEBRIEF_TEST_PG (tests/unit/test_db.h; the API harness
# uses it too), stops the cluster. Results go to $DEBRIEF_TALLY as SUITE
# (default "pg"). With -b the tests reach the cluster through PgBouncer in
# transaction mode (tests/pg/pgbouncer.sh, pool_mode=transaction in the
# URL); without pgbouncer installed they are skipped, and say so.
set -u
suite=pg
bouncer=0
while [ $# -gt 0 ]; do
	case $1 in
	-s) suite=$2; shift 2 ;;
	-b) bouncer=1; shift ;;
	*) break ;;
	esac
done
here=$(dirname "$0")
dir=$(mktemp -d /tmp/debrief-pg-XXXXXX)
chmod 755 "$dir"
stop() {
	sh "$here/pgbouncer.sh" stop "$dir"
	sh "$here/cluster.sh" stop "$dir"
	rm -rf "$dir"
}
trap stop EXIT INT TERM
if ! url=$(sh "$here/cluster.sh" start "$dir"); then
	echo "$suite: the PostgreSQL cluster did not start"
	[ -n "${DEBRIEF_TALLY:-}" ] && echo "$suite 0 1" >> "$DEBRIEF_TALLY"
	exit 1
fi
if [ $bouncer = 1 ]; then
	url=$(sh "$here/pgbouncer.sh" start "$dir")
	rc=$?
	if [ $rc = 3 ]; then
		echo "$suite: skipped, pgbouncer is not installed (scripts/install-deps.sh installs it)"
		exit 0
	fi
	if [ $rc != 0 ]; then
		echo "$suite: PgBouncer did not start"
		[ -n "${DEBRIEF_TALLY:-}" ] && echo "$suite 0 1" >> "$DEBRIEF_TALLY"
		exit 1
	fi
fi
echo "$suite: PostgreSQL at $url"
DEBRIEF_TEST_PG=$url sh "$here/../../scripts/run-tests.sh" "$suite" "$@"
