#!/usr/bin/env bash
# bench/pg/run.sh: the foundation benchmark on PostgreSQL with one server
# and with two, next to SQLite, in one run (issue 20). The data is
# bench/scale's (bench/out/scale-N.db, made by bench/scale/gen.c), copied
# into a throwaway PostgreSQL 15 cluster (tests/pg/cluster.sh with
# PG_DURABLE=1: fsync and synchronous_commit on, as SQLite's
# synchronous=FULL) by `debrief copy`. Three set-ups, each measured with
# wrk (reads) and bench/scale/mixed.c (writes):
#   sqlite  one server on the SQLite file (a copy)
#   pg1     one server on PostgreSQL
#   pg2     two servers on the same PostgreSQL database, the load split
#           between them (two wrk / mixed at once, half the connections
#           each; req/s added, p99 the worse of the two)
# Rows: the review page (one review: cached), a random review page (the
# page cache is 1 MB, so mostly misses), the index, search (the search
# page for a random word), writes (PATCH of each client's own review with
# its version). Then the ratios two servers / one and PostgreSQL / SQLite,
# and the targets: pg2 >= 1.6x pg1 for random pages; writes >= 1,000/s
# with p99 < 50 ms.
#
# Environment (all optional):
#   PGB_N=1000          reviews (bench/out/scale-N.db is made when missing)
#   PGB_DURATION=10     seconds per row
#   PGB_CONNECTIONS=16  wrk -c (pg2: half to each server)
#   PGB_WRITERS=16      write clients (pg2: half to each server)
#   PGB_DEBRIEF=...     the debrief binary (default BUILD/debrief), to
#                       measure another build (main's) in the same sitting
#   BUILD=build
# Before the rows, every review page is asked for once on each server, so
# that pg1 and pg2 both read a warm cluster (the stored renders of
# review_renders, PostgreSQL's buffers): pg2 ran after pg1 had filled them
# and its random-page ratio over pg1 was overstated (2.6-4.5x).
# Results: bench/out/pg-N.txt (wrk's raw output next to it).
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${PGB_N:-1000}
DUR=${PGB_DURATION:-10}
CONNS=${PGB_CONNECTIONS:-16}
WRITERS=${PGB_WRITERS:-16}
BUILD=${BUILD:-build}
DEBRIEF=${PGB_DEBRIEF:-./$BUILD/debrief}
. bench/lib.sh
OUT=bench/out

die() {
	echo "bench/pg: $*" >&2
	exit 1
}

command -v wrk >/dev/null || sh scripts/install-deps.sh --bench </dev/null
make -s BUILD="$BUILD" "$BUILD/debrief" "$BUILD/libdebrief.a" >/dev/null
mkdir -p "$BUILD/bench" "$OUT"
bench_link "$BUILD/bench/scale-gen" bench/scale/gen.c
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$BUILD/bench/scale-mixed" \
	bench/scale/mixed.c $(pkg-config --cflags --libs libcurl) -lpthread

SRC=$OUT/scale-$N.db
if [ ! -s "$SRC" ]; then
	echo "bench/pg: loading $N reviews into $SRC"
	"$BUILD/bench/scale-gen" -n "$N" "$SRC"
fi

tmp=$(mktemp -d /tmp/debrief-pgbench.XXXXXX)
chmod 755 "$tmp"
pids=()
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	local rc=$? p
	set +e
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	sh tests/pg/cluster.sh stop "$tmp/pg"
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# SQLite: a copy of the generated file, so that the writes change only it,
# at the binary's schema (the file may be older than the binary).
cp "$SRC" "$tmp/sqlite.db"
"$DEBRIEF" migrate --db "$tmp/sqlite.db" >"$tmp/migrate.log" 2>&1 ||
	{ cat "$tmp/migrate.log" >&2; die "debrief migrate failed"; }
# PostgreSQL, durable, and the same data.
url=$(PG_DURABLE=1 sh tests/pg/cluster.sh start "$tmp/pg") ||
	die "the PostgreSQL cluster did not start"
echo "bench/pg: copying $SRC to $url"
"$DEBRIEF" copy --from "sqlite:$tmp/sqlite.db" --to "$url" >"$tmp/copy.log" 2>&1 ||
	{ cat "$tmp/copy.log" >&2; die "debrief copy failed"; }

echo "cache_bytes = 1M" >"$tmp/debrief.conf"
# serve DB: starts a server on DB; prints its base URL.
serve() {
	local port
	port=$(free_port)
	"$DEBRIEF" serve --db "$1" --listen "127.0.0.1:$port" \
		--config "$tmp/debrief.conf" >>"$tmp/debrief-$port.log" 2>&1 &
	pids+=($!)
	wait_http "http://127.0.0.1:$port/api/v1/health" ||
		{ cat "$tmp/debrief-$port.log" >&2; die "debrief did not start on $1"; }
	echo "http://127.0.0.1:$port"
}
s_sqlite=$(serve "$tmp/sqlite.db")
s_pg1=$(serve "$url")
s_pg2=$(serve "$url")

first_id=$(curl -fsS "$s_sqlite/api/v1/reviews?limit=1" |
	sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1)
max_id=$(sqlite3 "$SRC" 'SELECT max(id) FROM reviews' 2>/dev/null || echo "$N")

# warm: each review page once on each server, 8 at a time (the renders
# are stored in the background), then a pause for those writes
echo "bench/pg: warming the cluster (every review page on each server)"
for s in "$s_sqlite" "$s_pg1" "$s_pg2"; do
	seq 1 "$max_id" | sed "s|.*|url = \"$s/reviews/&\"\noutput = /dev/null|" |
		curl -s -Z --parallel-max 8 -K - 2>/dev/null || true
done
sleep 2

cat >"$tmp/random.lua" <<'EOF'
local pattern = os.getenv("PGB_PATTERN")
local hi = tonumber(os.getenv("PGB_HI"))
local words = {"database", "deploy", "rollback", "latency", "cache",
	"dashboard", "replicas", "support", "payments", "runbook", "cron",
	"flag", "brokers", "timeouts", "traffic", "status", "saturation",
	"checkout", "config", "backfill"}
local seeded = false
request = function()
	if not seeded then
		math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
		seeded = true
	end
	local p = pattern:gsub("%%d", function() return tostring(math.random(1, hi)) end)
	p = p:gsub("%%w", function() return words[math.random(1, #words)] end)
	return wrk.format("GET", p)
end
EOF

to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.1f", n
	}'
}

# wrk_one FILE BASE PATTERN CONNS: runs wrk, raw output in FILE.
wrk_one() {
	PGB_PATTERN="$3" PGB_HI="$max_id" wrk -t1 -c"$4" -d"${DUR}s" --latency \
		--timeout 10s -s "$tmp/random.lua" "$2" >"$1" 2>&1
}

# wrk_stats FILE: "rps p99 errors"
wrk_stats() {
	local rps p99 errs
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$1")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$1")")
	errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += $6 + $8 + $10} END {print n + 0}' "$1")
	echo "$rps $p99 $errs"
}

# reads SETUP NAME PATTERN: one row's req/s, p99 and errors for a set-up;
# pg2 splits the connections between the two servers, at once.
reads() {
	local f="$OUT/pg-$N-$1-${2// /-}" a b
	case $1 in
	sqlite) wrk_one "$f.txt" "$s_sqlite" "$3" "$CONNS"; wrk_stats "$f.txt" ;;
	pg1) wrk_one "$f.txt" "$s_pg1" "$3" "$CONNS"; wrk_stats "$f.txt" ;;
	pg2)
		wrk_one "$f-a.txt" "$s_pg1" "$3" $((CONNS / 2)) &
		a=$!
		wrk_one "$f-b.txt" "$s_pg2" "$3" $((CONNS / 2))
		wait "$a"
		read -r ra pa ea <<<"$(wrk_stats "$f-a.txt")"
		read -r rb pb eb <<<"$(wrk_stats "$f-b.txt")"
		awk -v ra="$ra" -v rb="$rb" -v pa="$pa" -v pb="$pb" -v e=$((ea + eb)) \
			'BEGIN { printf "%.0f %.1f %d\n", ra + rb, (pa > pb ? pa : pb), e }'
		;;
	esac
}

# ticks PID...: the CPU time (user + system, clock ticks) of the
# processes.
ticks() {
	local p t=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}

# pids_of SETUP: the debrief servers of a set-up, and for PostgreSQL the
# cluster's postmaster and backends (others' clusters left out).
pids_of() {
	local u pm urls=$s_sqlite
	[ "$1" = pg1 ] && urls=$s_pg1
	[ "$1" = pg2 ] && urls="$s_pg1 $s_pg2"
	for u in $urls; do
		pgrep -f -- "--listen ${u#http://} " || true
	done
	if [ "$1" != sqlite ] && [ -r "$tmp/pg/data/postmaster.pid" ]; then
		pm=$(head -1 "$tmp/pg/data/postmaster.pid")
		echo "$pm"
		pgrep -P "$pm" || true
	fi
}

# trips SETUP: the PostgreSQL round trips its servers counted so far.
trips() {
	local u urls=$s_pg1 n=0
	[ "$1" = sqlite ] && { echo 0; return; }
	[ "$1" = pg2 ] && urls="$s_pg1 $s_pg2"
	for u in $urls; do
		n=$((n + $(curl -fsS "$u/metrics" | awk '$1 == "debrief_store_round_trips_total" {v = $2} END {print v + 0}')))
	done
	echo "$n"
}

# writes SETUP: "per-second p99 not-200" of PATCHes, each client its own
# review. What one write cost goes to $f.cost: the CPU of the debrief
# servers and of PostgreSQL, in ms, and the round trips (measured over the
# whole run, the clients' reads of their reviews included).
writes() {
	local f="$OUT/pg-$N-$1-writes" half=$((WRITERS / 2)) off
	local hz d0 p0 r0 n ns=1
	hz=$(getconf CLK_TCK)
	[ "$1" = pg2 ] && ns=2
	# shellcheck disable=SC2046 # lists of pids
	d0=$(ticks $(pids_of "$1" | head -"$ns"))
	# shellcheck disable=SC2046
	p0=$(ticks $(pids_of "$1" | tail -n +$((ns + 1))))
	r0=$(trips "$1")
	case $1 in
	sqlite) "$BUILD/bench/scale-mixed" "$s_sqlite" "$max_id" "$DUR" "$WRITERS" 100 >"$f.txt" ;;
	pg1) "$BUILD/bench/scale-mixed" "$s_pg1" "$max_id" "$DUR" "$WRITERS" 100 >"$f.txt" ;;
	pg2)
		off=$((max_id / WRITERS / 2 + 1))
		"$BUILD/bench/scale-mixed" "$s_pg1" "$max_id" "$DUR" "$half" 100 >"$f-a.txt" &
		a=$!
		"$BUILD/bench/scale-mixed" "$s_pg2" "$max_id" "$DUR" "$half" 100 "$off" >"$f-b.txt"
		wait "$a"
		cat "$f-a.txt" "$f-b.txt" >"$f.txt"
		;;
	esac
	n=$(awk '$1 == "writes" { n += $2 } END { print n + 0 }' "$f.txt")
	# shellcheck disable=SC2046
	awk -v s="$1" -v n="$n" -v hz="$hz" \
		-v d=$(( $(ticks $(pids_of "$1" | head -"$ns")) - d0 )) \
		-v p=$(( $(ticks $(pids_of "$1" | tail -n +$((ns + 1)))) - p0 )) \
		-v t=$(( $(trips "$1") - r0 )) \
		'BEGIN { if (n > 0) printf "%s per write: debrief CPU %.2f ms, PostgreSQL CPU %.2f ms, round trips %.1f (%d writes)\n", s, d * 1000 / hz / n, p * 1000 / hz / n, t / n, n }' >"$f.cost"
	# lines "writes count per-second p50 p99 max bad"
	awk '$1 == "writes" { r += $3; if ($5 > p) p = $5; b += $7 }
		END { printf "%.0f %.1f %d\n", r, p, b }' "$f.txt"
}

out="$OUT/pg-$N.txt"
{
	echo "debrief on PostgreSQL, one and two servers, next to SQLite: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $N reviews, commit $(git rev-parse --short HEAD), binary $DEBRIEF"
	echo "reads: wrk -c$CONNS ${DUR}s (pg2: -c$((CONNS / 2)) to each server at once); writes: $WRITERS clients PATCHing (pg2: $((WRITERS / 2)) each); cache_bytes 1M"
	echo "PostgreSQL 15 with fsync and synchronous_commit on; SQLite WAL, synchronous=FULL"
	echo
	printf '%-20s | %17s | %17s | %17s | %6s %6s\n' "request" "sqlite req/s p99" "pg1 req/s p99" "pg2 req/s p99" "pg2/1" "pg1/sq"
} | tee "$out"

declare -A R
row() {
	local name=$1 pattern=$2 line rps p99 errs s
	line=$(printf '%-20s |' "$name")
	for s in sqlite pg1 pg2; do
		if [ "$pattern" = WRITES ]; then
			read -r rps p99 errs <<<"$(writes "$s")"
		else
			read -r rps p99 errs <<<"$(reads "$s" "$name" "$pattern")"
		fi
		R[$s]=$rps
		line+=$(printf ' %8.0f %7s%s |' "$rps" "$p99" "$([ "$errs" = 0 ] && echo " " || echo "!")")
		[ "$errs" = 0 ] || echo "  ($s: $errs errors or non-2xx answers)" >&2
	done
	line+=$(awk -v a="${R[pg2]}" -v b="${R[pg1]}" -v c="${R[sqlite]}" \
		'BEGIN { printf " %6.2f %6.2f", (b > 0 ? a / b : 0), (c > 0 ? b / c : 0) }')
	echo "$line" | tee -a "$out"
	eval "last_$3=\"\${R[pg1]} \${R[pg2]}\""
}

row "review page" "/reviews/$first_id" page
row "random review page" "/reviews/%d" random
row "index" "/" index
row "search page" "/search?q=%w" search
row "writes (PATCH)" WRITES writes
# shellcheck disable=SC2154 # set by row's eval
{
	echo
	read -r p1 p2 <<<"$last_random"
	awk -v a="$p2" -v b="$p1" 'BEGIN { printf "target: pg2 >= 1.6x pg1 random review pages: %s (%.2f)\n", (a >= 1.6 * b ? "met" : "missed"), (b > 0 ? a / b : 0) }'
} | tee -a "$out"
for s in pg1 pg2; do
	awk -v s="$s" '$1 == "writes" { r += $3; if ($5 > p) p = $5 }
		END { printf "target: %s writes >= 1000/s with p99 < 50 ms: %s (%.0f/s, p99 %.1f ms)\n", s, (r >= 1000 && p < 50 ? "met" : "missed"), r, p }' \
		"$OUT/pg-$N-$s-writes.txt" | tee -a "$out"
done
cat "$OUT/pg-$N-sqlite-writes.cost" "$OUT/pg-$N-pg1-writes.cost" "$OUT/pg-$N-pg2-writes.cost" 2>/dev/null | tee -a "$out"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
echo "server's write-lock wait and hold (PostgreSQL, pg1's /metrics):" | tee -a "$out"
curl -fsS "$s_pg1/metrics" 2>/dev/null | grep -E '^debrief_store_(write|transaction)[a-z_]*(_sum|_count)' | tee -a "$out" || true
