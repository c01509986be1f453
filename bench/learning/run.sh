#!/usr/bin/env bash
# bench/learning/run.sh: what issue 17 asks of the learning signals, as
# ratios in one run on one machine. Loads N reviews (bench/scale/gen.c,
# kept in bench/out/scale-N.db like bench/scale), adds reads (READS_PER
# per review on average, spread over two years) and comments, then times
# with curl:
#   - GET /learning and GET /api/v1/learning?by=team (never cached)
#     against the index's first view after a save (an uncached render of
#     a page over every review), and against the 200 ms target;
#   - the review page of a signed-in person (a read noted) against the
#     same cached page in local mode (no read to note) and against the
#     review's cached JSON for the same session (signed in, no read), so
#     the cost the read rule adds to the hot path shows.
# Environment: SCALE_N (100000), LEARNING_ROUNDS (20), READS_PER (3),
# BUILD (build), BENCH_TMP (/tmp: where the working copy goes). Results:
# bench/out/learning-N.txt. Times are medians of wall time; the CPU time
# of the learning page in the server is printed too, since on a shared
# machine the wall time waits for other work.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${SCALE_N:-100000}
ROUNDS=${LEARNING_ROUNDS:-20}
READS_PER=${READS_PER:-3}
BUILD=${BUILD:-build}
. bench/lib.sh
OUT=bench/out
DB=$OUT/scale-$N.db

die() {
	echo "learning: $*" >&2
	exit 1
}

command -v python3 >/dev/null || die "python3 is needed to add reads"
make -s BUILD="$BUILD" "$BUILD/debrief" "$BUILD/libdebrief.a" >/dev/null
mkdir -p "$BUILD/bench" "$OUT"
bench_link "$BUILD/bench/scale-gen" bench/scale/gen.c
if [ ! -s "$DB" ]; then
	echo "learning: loading $N reviews into $DB"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$BUILD/bench/scale-gen" -n "$N" "$DB"
fi

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/debrief-learning.XXXXXX")
work="$tmp/learning.db"
debrief_pid=""
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	local rc=$?
	set +e
	[ -n "$debrief_pid" ] && kill "$debrief_pid" 2>/dev/null && wait "$debrief_pid" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A copy, migrated to this build's schema, with reads and comments added.
"./$BUILD/debrief" backup "$work" --db "$DB" >/dev/null
"./$BUILD/debrief" migrate --db "$work" >/dev/null 2>&1
python3 - "$work" "$READS_PER" <<'EOF'
import random, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
per = int(sys.argv[2])
ids = [r[0] for r in db.execute("SELECT id FROM reviews")]
now = int(time.time())
rnd = random.Random(17)
db.execute("DELETE FROM review_reads")
db.executemany("INSERT INTO review_reads (review_id, reader, at, month) VALUES "
               "(?1, ?2, ?3, CAST(strftime('%Y%m', ?3, 'unixepoch') AS INTEGER))",
               ((rnd.choice(ids), "reader%d" % rnd.randrange(500),
                 now - rnd.randrange(2 * 365 * 86400)) for _ in range(per * len(ids))))
db.executemany("INSERT INTO comments (review_id, version, created_at, updated_at, body, "
               "author, after_publication) VALUES (?, 1, ?, ?, 'a thought', 'someone', ?)",
               ((rnd.choice(ids), t, t, rnd.randrange(2)) for t in
                (now - rnd.randrange(2 * 365 * 86400) for _ in range(len(ids) // 5))))
db.commit()
EOF

start() {
	port=$(free_port)
	base="http://127.0.0.1:$port"
	"./$BUILD/debrief" serve --db "$work" --listen "127.0.0.1:$port" \
		>"$tmp/debrief.log" 2>&1 &
	debrief_pid=$!
	for _ in $(seq 300); do
		curl -fsS -o /dev/null "$base/api/v1/health" 2>/dev/null && return 0
		sleep 0.1
	done
	die "debrief did not start"
}

stop() {
	kill "$debrief_pid" && wait "$debrief_pid" 2>/dev/null || true
	debrief_pid=""
}

# median_ms URL [curl args...]: the median time of ROUNDS GETs, in ms;
# before each, BEFORE (a command) runs when set.
median_ms() {
	local url=$1
	shift
	for _ in $(seq "$ROUNDS"); do
		[ -n "${BEFORE:-}" ] && eval "$BEFORE"
		curl -fsS -o /dev/null -w '%{time_total}\n' "$@" "$url"
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }'
}

# cpu_ms URL: the server's CPU time (user + system) per GET of URL over
# ROUNDS requests, in ms: what the page costs, whatever else the machine
# runs (wall times on a shared machine wait for the other work too).
cpu_ms() {
	local before after hz
	hz=$(getconf CLK_TCK)
	before=$(awk '{ print $14 + $15 }' "/proc/$debrief_pid/stat")
	for _ in $(seq "$ROUNDS"); do
		curl -fsS -o /dev/null "$1"
	done
	after=$(awk '{ print $14 + $15 }' "/proc/$debrief_pid/stat")
	awk "BEGIN { printf \"%.1f\", ($after - $before) * 1000 / $hz / $ROUNDS }"
}

start
rid=$(curl -fsS "$base/api/v1/reviews?limit=1" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1)
touch_review="curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/json' \
 -d '{\"impact_type\": \"x'\$RANDOM'\"}' $base/api/v1/reviews/$rid"
learning=$(median_ms "$base/learning")
learning_cpu=$(cpu_ms "$base/learning")
teams=$(median_ms "$base/api/v1/learning?by=team")
index=$(BEFORE=$touch_review median_ms "$base/")
local_page=$(median_ms "$base/reviews/$rid")
stop

# the same page for a signed-in person: a session made by signing in
printf 'bench-reader-pw\n' | "./$BUILD/debrief" user add benchreader --role reader \
	--password-stdin --db "$work" >/dev/null 2>&1 || true
start
curl -fsS -c "$tmp/jar" -o /dev/null "$base/login"
csrf=$(awk '$6 == "debrief_csrf" { print $7 }' "$tmp/jar")
curl -fsS -b "$tmp/jar" -c "$tmp/jar" -o /dev/null \
	--data "username=benchreader&password=bench-reader-pw&csrf=$csrf&next=%2F" "$base/login"
code=$(curl -sS -b "$tmp/jar" -o /dev/null -w '%{http_code}' "$base/reviews/$rid")
[ "$code" = 200 ] || die "the signed-in review page answered $code"
signed_page=$(median_ms "$base/reviews/$rid" -b "$tmp/jar")
# the same session on a cached answer that notes no read: what signing in
# costs by itself
signed_json=$(median_ms "$base/api/v1/reviews/$rid" -b "$tmp/jar")
stop

{
	echo "learning signals, $N reviews, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "GET /learning (uncached)                      ${learning} ms   (target < 200 ms)"
	echo "  its CPU time in the server                  ${learning_cpu} ms"
	echo "GET /api/v1/learning?by=team (uncached)       ${teams} ms"
	echo "GET / first view after a save (uncached)      ${index} ms   learning/index = $(awk "BEGIN { printf \"%.2f\", $learning / $index }")"
	echo "GET /reviews/ID cached, local mode (no read)  ${local_page} ms"
	echo "GET /reviews/ID cached, signed in (read rule) ${signed_page} ms   ratio = $(awk "BEGIN { printf \"%.2f\", $signed_page / $local_page }")"
	echo "GET /api/v1/reviews/ID cached, signed in       ${signed_json} ms   (a session, no read rule)"
} | tee "$OUT/learning-$N.txt"
