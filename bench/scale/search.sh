#!/usr/bin/env bash
# bench/scale/search.sh: the CPU time of each search request (issue 21)
# in one process, through the real handlers, for an admin and a reader
# (bench/scale/search.c). Runs on SCALE_DB (default bench/out/scale-N.db,
# as bench/scale/run.sh loads it; opening it migrates it, so point it at a
# copy to keep the original). SEARCH_ROUNDS (5) answers each.
# Environment: SCALE_N (10000), SCALE_DB, SEARCH_ROUNDS, BUILD (build),
# SEARCH_BIN (a bench/scale/search built elsewhere: an older build's).
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${SCALE_N:-10000}
BUILD=${BUILD:-build}
. bench/lib.sh
DB=${SCALE_DB:-bench/out/scale-$N.db}
BIN=${SEARCH_BIN:-}
if [ -z "$BIN" ]; then
	bench_link "$BUILD/bench/scale-search" bench/scale/search.c
	BIN=$BUILD/bench/scale-search
fi
[ -s "$DB" ] || { echo "search: no $DB (bench/scale/run.sh makes it)" >&2; exit 1; }
"$BIN" -r "${SEARCH_ROUNDS:-5}" "$DB" \
	"/api/v1/reviews?q=database" \
	"/api/v1/reviews?q=tk042" \
	"/api/v1/reviews?q=database&offset=5000" \
	"/api/v1/search?q=database" \
	"/api/v1/search?q=tk042" \
	"/?q=database+deploy" \
	"/?q=database+deploy&page=3" \
	"/?q=tk042" \
	"/search?q=rollback"
