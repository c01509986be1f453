#!/bin/sh
# test-all.sh: what `make test` runs. Builds, runs the unit suite and its
# store suites again on PostgreSQL, the API suite and again on
# PostgreSQL (and through PgBouncer), the browser suite, then the unit and API suites (and the
# PostgreSQL store suites) again under ASan + UBSan, a short libFuzzer run
# of each fuzz target (one test each), the install and Debian package
# checks (tests/package/run.sh), and ends with one line "N passed, N
# failed".
DEBRIEF_TALLY=$(mktemp); export DEBRIEF_TALLY
status=0
make -s debrief || exit 1
make -s unit || status=1
make -s pg || status=1
make -s api || status=1
make -s pg-api || status=1
make -s pg-bouncer || status=1
make -s browser || status=1
make -s asan || status=1
make -s fuzz-smoke || status=1
make -s package-test || status=1
passed=0; failed=0
while read -r suite p f; do
	passed=$((passed + p)); failed=$((failed + f))
done < "$DEBRIEF_TALLY"
rm -f "$DEBRIEF_TALLY"
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
