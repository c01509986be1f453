#!/usr/bin/env bash
# bench/learning/related.sh: what related reviews add to a review page's
# first view (issue 17's target: at most 50%), as the ratio of the page's
# time with them to its time without, in one run (bench/learning/related.c
# says how). Uses the scale generator's database (bench/out/scale-N.db,
# made by bench/scale/gen.c when missing), on a copy migrated to this
# build. Three rows: pages rendered from their records; pages read from
# stored renders with their stored related reviews (what a page that
# misses the memory cache usually costs); and the same after a write
# elsewhere moved the generation (the stored lists still serve, checked
# against the viewer's visibility as they are served: migration 031).
# Environment: SCALE_N (10000), RELATED_PAGES (300 each way), BUILD (build),
# BENCH_TMP (/tmp: where the migrated copy goes; a copy of 100,000 reviews
# is 1.1 GB). Results: bench/out/related-N.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${SCALE_N:-10000}
PAGES=${RELATED_PAGES:-300}
BUILD=${BUILD:-build}
. bench/lib.sh
OUT=bench/out
DB=$OUT/scale-$N.db
make -s BUILD="$BUILD" "$BUILD/debrief" >/dev/null
mkdir -p "$OUT"
bench_link "$BUILD/bench/scale-gen" bench/scale/gen.c
bench_link "$BUILD/bench/related" bench/learning/related.c
if [ ! -s "$DB" ]; then
	echo "related: loading $N reviews into $DB"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$BUILD/bench/scale-gen" -n "$N" "$DB"
fi
tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/debrief-related.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"./$BUILD/debrief" backup "$tmp/related.db" --db "$DB" >/dev/null
"./$BUILD/debrief" migrate --db "$tmp/related.db" >/dev/null 2>&1
{
	echo "related reviews, $N reviews, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
	"$BUILD/bench/related" -n "$PAGES" "$tmp/related.db"
	"$BUILD/bench/related" -n "$PAGES" -s -r 2 "$tmp/related.db"
	"$BUILD/bench/related" -n "$PAGES" -s -w -r 3 "$tmp/related.db"
} | tee "$OUT/related-$N.txt"
