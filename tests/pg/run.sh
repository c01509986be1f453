#!/bin/sh
# tests/pg/run.sh BIN...: runs the store conformance suites (cmocka
# binaries written against store.h) once more on PostgreSQL: starts a
# throwaway cluster (tests/pg/cluster.sh), gives each test a database of
# its own through DEBRIEF_TEST_PG (tests/unit/test_db.h), stops the
# cluster. Results go to $DEBRIEF_TALLY as suite "pg".
set -u
here=$(dirname "$0")
dir=$(mktemp -d /tmp/debrief-pg-XXXXXX)
chmod 755 "$dir"
stop() { sh "$here/cluster.sh" stop "$dir"; rm -rf "$dir"; }
trap stop EXIT INT TERM
if ! url=$(sh "$here/cluster.sh" start "$dir"); then
	echo "pg: the PostgreSQL cluster did not start"
	[ -n "${DEBRIEF_TALLY:-}" ] && echo "pg 0 1" >> "$DEBRIEF_TALLY"
	exit 1
fi
echo "pg: PostgreSQL at $url"
DEBRIEF_TEST_PG=$url sh "$here/../../scripts/run-tests.sh" pg "$@"
