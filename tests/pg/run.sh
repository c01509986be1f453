#!/bin/sh
# tests/pg/run.sh [-s SUITE] BIN...: runs cmocka test binaries once more
# on PostgreSQL (the store conformance suites; the API suite): starts a
# throwaway cluster (tests/pg/cluster.sh), gives each test a database of
# its own through DEBRIEF_TEST_PG (tests/unit/test_db.h; the API harness
# uses it too), stops the cluster. Results go to $DEBRIEF_TALLY as SUITE
# (default "pg").
set -u
suite=pg
if [ "${1:-}" = "-s" ]; then
	suite=$2
	shift 2
fi
here=$(dirname "$0")
dir=$(mktemp -d /tmp/debrief-pg-XXXXXX)
chmod 755 "$dir"
stop() { sh "$here/cluster.sh" stop "$dir"; rm -rf "$dir"; }
trap stop EXIT INT TERM
if ! url=$(sh "$here/cluster.sh" start "$dir"); then
	echo "$suite: the PostgreSQL cluster did not start"
	[ -n "${DEBRIEF_TALLY:-}" ] && echo "$suite 0 1" >> "$DEBRIEF_TALLY"
	exit 1
fi
echo "$suite: PostgreSQL at $url"
DEBRIEF_TEST_PG=$url sh "$here/../../scripts/run-tests.sh" "$suite" "$@"
