#!/usr/bin/env bash
# bench/scale/run.sh: what the table of issue 21 measures. Loads N reviews
# (bench/scale/gen.c, straight through the store) into a database file that
# is kept between runs (bench/out/scale-N.db; delete it to regenerate), starts
# `debrief serve` on it, and measures with wrk each request that a cache
# cannot answer: random review pages and JSON, API searches for a common and
# a rare word, a deep API page by offset and by cursor, web searches for
# random words; then the first view of the index and of a deep index page
# after a save. Random review pages are compared with nginx serving one
# such page's bytes. Prints req/s, p50 and p99 for each row (and debrief's
# CPU a request for its rows). Last, the mixed
# run (bench/scale/mixed.c): SCALE_WRITERS clients at once, each request a
# save (PATCH with the version, each client its own review) with
# SCALE_WRITE_PCT per cent chance, else a random review page or JSON; with
# p99 targets of 20 ms for reads and 50 ms for writes, and the server's
# own wait of writes for the database lock (from /metrics).
#
# Environment (all optional):
#   SCALE_N=10000        reviews to load
#   SCALE_DURATION=10s   wrk -d for each row
#   SCALE_CONNECTIONS=16 wrk -c
#   SCALE_THREADS=2      wrk -t
#   SCALE_DB=...         the database file (default bench/out/scale-N.db)
#   BUILD=build          make's build directory
#   SCALE_DEBRIEF=...    the server binary (default BUILD/debrief), to
#                        measure an older build on the same data
#   SCALE_CACHE_BYTES=1M the server's page cache (cache_bytes); the
#                        smallest, 1M, defeats it for random pages
#   SCALE_ONLY=REGEX     run only the rows whose name matches (grep -E;
#                        "mixed" for the mixed run)
#   SCALE_WRITERS=50     clients of the mixed run
#   SCALE_WRITE_PCT=10   per cent of its requests that save
#   MIXED_READS=page     the mixed run's reads all pages (or json); default
#                        half each. The run prints p50/p99 per kind and the
#                        server's CPU a request.
# Results: bench/out/scale-N.txt (and wrk's raw output next to it).
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${SCALE_N:-10000}
DURATION=${SCALE_DURATION:-10s}
CONNS=${SCALE_CONNECTIONS:-16}
THREADS=${SCALE_THREADS:-2}
BUILD=${BUILD:-build}
. bench/lib.sh
OUT=bench/out
DB=${SCALE_DB:-$OUT/scale-$N.db}

die() {
	echo "scale: $*" >&2
	exit 1
}

command -v wrk >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } ||
	sh scripts/install-deps.sh --bench </dev/null
command -v nginx >/dev/null || PATH=$PATH:/usr/sbin

make -s BUILD="$BUILD" "$BUILD/debrief" "$BUILD/libdebrief.a" >/dev/null
mkdir -p "$BUILD/bench" "$OUT"
bench_link "$BUILD/bench/scale-gen" bench/scale/gen.c
bench_link "$BUILD/bench/scale-saves" bench/scale/saves.c
bench_link "$BUILD/bench/scale-pages" bench/scale/pages.c
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$BUILD/bench/scale-mixed" \
	bench/scale/mixed.c $(pkg-config --cflags --libs libcurl) -lpthread

if [ ! -s "$DB" ]; then
	echo "scale: loading $N reviews into $DB"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$BUILD/bench/scale-gen" -n "$N" "$DB"
fi

tmp=$(mktemp -d /tmp/debrief-scale.XXXXXX)
chmod 755 "$tmp"
debrief_pid="" nginx_pid=""
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	local rc=$?
	set +e
	[ -n "$debrief_pid" ] && kill "$debrief_pid" 2>/dev/null && wait "$debrief_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

dport=$(free_port)
dbase="http://127.0.0.1:$dport"
DEBRIEF=${SCALE_DEBRIEF:-./$BUILD/debrief}
: >"$tmp/debrief.conf"
[ -z "${SCALE_CACHE_BYTES:-}" ] ||
	echo "cache_bytes = $SCALE_CACHE_BYTES" >>"$tmp/debrief.conf"
"$DEBRIEF" serve --db "$DB" --listen "127.0.0.1:$dport" \
	--config "$tmp/debrief.conf" >"$tmp/debrief.log" 2>&1 &
debrief_pid=$!
wait_http "$dbase/api/v1/health" ||
	{ cat "$tmp/debrief.log" >&2; die "debrief did not start"; }

# The newest review (the first of the index) and its JSON.
first_id=$(curl -fsS "$dbase/api/v1/reviews?limit=1" |
	sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1)
[ -n "$first_id" ] || die "no reviews in $DB"
total=$(curl -fsS "$dbase/api/v1/reviews?limit=1" |
	sed -n 's/.*"total": *\([0-9]*\).*/\1/p')
max_id=$(sqlite3 "$DB" 'SELECT max(id) FROM reviews' 2>/dev/null || echo "$N")
page_size=25
deep_offset=$((total > 50 ? total - 50 : 0))
deep_page=$(((total + page_size - 1) / page_size))

# nginx serves one review page's bytes (the same size as a random one).
www="$tmp/www"
mkdir -p "$www"
curl -fsS -o "$www/review.html" "$dbase/reviews/$first_id"
curl -fsS -o "$www/review.json" "$dbase/api/v1/reviews/$first_id"
nport=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
	access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
	keepalive_timeout 65; keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi; uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	types { text/html html; application/json json; }
	server { listen 127.0.0.1:$nport; root $www; }
}
EOF
nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" &
nginx_pid=$!
wait_http "http://127.0.0.1:$nport/review.html" || die "nginx did not start"

# A wrk script that asks for random paths: %d in the pattern is a random
# number in [1, hi], %w a random word of the list.
cat >"$tmp/random.lua" <<'EOF'
local pattern = os.getenv("SCALE_PATTERN")
local hi = tonumber(os.getenv("SCALE_HI"))
local words = {"database", "deploy", "rollback", "latency", "cache",
	"dashboard", "replicas", "support", "payments", "runbook", "cron",
	"flag", "brokers", "timeouts", "traffic", "status", "tk042", "tk777",
	"tk123", "tk900", "saturation", "checkout", "config", "backfill"}
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

# measure LABEL BASE PATTERN [HI]: wrk over PATTERN (random parts filled
# per request); prints "rps p50 p99 errors".
measure() {
	local f="$OUT/scale-$N-wrk-$1.txt" rps p50 p99 errs
	SCALE_PATTERN="$3" SCALE_HI="${4:-1}" wrk -t"$THREADS" -c"$CONNS" \
		-d"$DURATION" --latency --timeout 10s -s "$tmp/random.lua" "$2" \
		>"$f" 2>&1 || die "wrk failed on $3: $(cat "$f")"
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += $6 + $8 + $10} END {print n + 0}' "$f")
	echo "$rps $p50 $p99 $errs"
}

median_ms() {
	tr ' ' '\n' | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }'
}

# cursor_at OFFSET: the API's next_cursor after OFFSET reviews ("" when the
# server has no cursors).
cursor_at() {
	curl -fsS "$dbase/api/v1/reviews?limit=1&offset=$(($1 - 1))" |
		sed -n 's/.*"next_cursor": *"\([^"]*\)".*/\1/p'
}

out="$OUT/scale-$N.txt"
dbsize=$(du -cb "$DB"* | awk 'END {print $1}')
{
	echo "debrief scale bench: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $total reviews, $((dbsize / 1048576)) MB of database, commit $(git rev-parse --short HEAD)"
	echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency; random ids in 1..$max_id, random words from a list"
	echo
	printf '%-34s | %9s %9s %9s | %s\n' "request (not cached)" "req/s" "p50 ms" "p99 ms" "notes"
} | tee "$out"

# server_cpu: the server's user+system CPU so far, in clock ticks
server_cpu() {
	awk '{ print $14 + $15 }' "/proc/$debrief_pid/stat"
}

row() {
	local name=$1 base=$2 pattern=$3 hi=${4:-1} note=${5:-}
	local rps p50 p99 errs c0 c1 n
	if [ -n "${SCALE_ONLY:-}" ] && ! grep -Eq "$SCALE_ONLY" <<<"$name"; then
		echo 0 >"$tmp/last_rps"
		return
	fi
	c0=$(server_cpu)
	read -r rps p50 p99 errs <<<"$(measure "${name//[^a-zA-Z0-9]/-}" "$base" "$pattern" "$hi")"
	c1=$(server_cpu)
	[ "$errs" = 0 ] || note="$note $errs errors"
	# debrief's CPU a request (a shared machine's req/s say little)
	n=$(awk '/requests in/ {print $1}' "$OUT/scale-$N-wrk-${name//[^a-zA-Z0-9]/-}.txt")
	[ "$base" != "$dbase" ] || [ -z "$n" ] || [ "$n" = 0 ] ||
		note="$note$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$(getconf CLK_TCK)" \
			'BEGIN { printf "%s CPU %.3f ms a request", "", 1000 * (b - a) / hz / n }')"
	printf '%-34s | %9.0f %9s %9s | %s\n' "$name" "$rps" "$p50" "$p99" "$note" | tee -a "$out"
	echo "$rps" >"$tmp/last_rps"
}

# ratio NGINX_RPS: the last row's req/s over nginx's (rows that ran)
ratio() {
	local a
	a=$(cat "$tmp/last_rps")
	awk -v a="$a" -v b="$1" 'BEGIN { if (a > 0 && b > 0) printf "%34s   ratio to nginx %.2f\n", "", a / b }' | tee -a "$out"
}

nbase="http://127.0.0.1:$nport"
row "nginx: one review page" "$nbase" "/review.html"
nginx_page=$(cat "$tmp/last_rps")
row "nginx: one review JSON" "$nbase" "/review.json"
nginx_json=$(cat "$tmp/last_rps")
row "random review page" "$dbase" "/reviews/%d" "$max_id"
ratio "$nginx_page"
row "random review JSON" "$dbase" "/api/v1/reviews/%d" "$max_id"
ratio "$nginx_json"
row "API search, common word" "$dbase" "/api/v1/reviews?q=database"
row "API search, rare word" "$dbase" "/api/v1/reviews?q=tk%d" 999
# the ranked search of issue 17 (bm25, snippets for the page only)
row "API ranked search, common word" "$dbase" "/api/v1/search?q=database"
row "API ranked search, rare word" "$dbase" "/api/v1/search?q=tk%d" 999
row "search page, random word" "$dbase" "/search?q=%w"
row "API list, deep offset" "$dbase" "/api/v1/reviews?offset=$deep_offset"
cur=$(cursor_at "$deep_offset")
if [ -n "$cur" ]; then
	row "API list, deep cursor" "$dbase" "/api/v1/reviews?cursor=$cur"
fi
row "API list, tag filter" "$dbase" "/api/v1/reviews?tag=dns"
row "web search, 2 random words" "$dbase" "/?q=%w+%w&page=%d" 3

# mixed_run: the mixed run's rows and the server's lock waits.
mixed_run() {
	local writers=${SCALE_WRITERS:-50} pct=${SCALE_WRITE_PCT:-10} secs
	local f="$OUT/scale-$N-mixed.txt" before after
	secs=$(to_ms "$DURATION")
	secs=$(awk -v m="$secs" 'BEGIN { printf "%.0f", m / 1000 }')
	before=$(curl -fsS "$dbase/metrics" | grep '^debrief_store_write_\(wait\|hold\)_seconds' || true)
	cpu0=$(server_cpu)
	"$BUILD/bench/scale-mixed" "$dbase" "$max_id" "$secs" "$writers" "$pct" >"$f" ||
		die "the mixed run failed"
	cpu1=$(server_cpu)
	after=$(curl -fsS "$dbase/metrics" | grep '^debrief_store_write_\(wait\|hold\)_seconds' || true)
	# reads and writes, then the reads by kind (MIXED_READS=page or json
	# makes them all one kind: the server's CPU a request is then that
	# kind's, with the writes')
	awk -v w="$writers" -v p="$pct" '
		$1 == "reads" || $1 == "writes" || (($1 == "page" || $1 == "json") && $2 > 0) {
			t = $1 == "writes" ? 50 : 20
			what = $1 == "page" ? "page reads" : $1 == "json" ? "JSON reads" : $1
			printf "%-34s | %9.0f %9.1f %9.1f | max %.0f ms, target p99 < %d ms%s\n",
				"mixed " w " clients, " p "% saves: " what, $3, $4, $5, $6, t,
				($7 > 0 ? ", " $7 " errors" : "")
		}' "$f" | tee -a "$out"
	awk -v c0="$cpu0" -v c1="$cpu1" -v hz="$(getconf CLK_TCK)" '
		$1 == "reads" || $1 == "writes" { n += $2 }
		END { if (n > 0) printf "%34s   server CPU: %.1f s, %.2f ms a request (load %s)\n", "",
			(c1 - c0) / hz, 1000 * (c1 - c0) / hz / n, load }' \
		load="$(cut -d' ' -f1-3 /proc/loadavg)" "$f" | tee -a "$out"
	# writes that waited over 100 ms for the lock, during the run
	awk -v b="$before" -v a="$after" 'BEGIN {
		n = split(b, bl, "\n"); for (i = 1; i <= n; i++) { split(bl[i], f, " "); B[f[1]] = f[2] }
		n = split(a, al, "\n"); for (i = 1; i <= n; i++) { split(al[i], f, " "); A[f[1]] = f[2] }
		k1 = "debrief_store_write_wait_seconds_bucket{le=\"0.1\"}"
		k2 = "debrief_store_write_wait_seconds_count"
		if (!(k2 in A)) exit
		all = A[k2] - B[k2]; fast = A[k1] - B[k1]
		printf "%34s   writes waiting > 100 ms for the lock: %d of %d\n", "", all - fast, all
		# commits (group commit: one may hold several writes) and
		# their hold of the lock
		k3 = "debrief_store_write_hold_seconds_count"
		k4 = "debrief_store_write_hold_seconds_sum"
		if (!(k3 in A) || A[k3] == B[k3]) exit
		printf "%34s   write transactions: %d, holding the lock %.1f ms each on average\n", "",
			A[k3] - B[k3], 1000 * (A[k4] - B[k4]) / (A[k3] - B[k3])
	}' | tee -a "$out"
}
if [ -z "${SCALE_ONLY:-}" ] || grep -Eq "$SCALE_ONLY" <<<"mixed"; then
	mixed_run
fi

cold_index="" cold_deep=""
if [ -n "${SCALE_ONLY:-}" ] && ! grep -Eq "$SCALE_ONLY" <<<"index page"; then
	echo "debrief peak memory (VmHWM): $(($(awk '/VmHWM/ {print $2}' "/proc/$debrief_pid/status") / 1024)) MB" | tee -a "$out"
	echo "scale: results in $out"
	exit 0
fi
for i in 1 2 3 4 5 6 7; do
	curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/json' \
		-d "{\"tldr\": \"scale probe $i\"}" "$dbase/api/v1/reviews/$first_id"
	cold_index="$cold_index $(curl -fsS -o /dev/null -w '%{time_total}' "$dbase/")"
	curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/json' \
		-d "{\"tldr\": \"scale probe $i.\"}" "$dbase/api/v1/reviews/$first_id"
	cold_deep="$cold_deep $(curl -fsS -o /dev/null -w '%{time_total}' "$dbase/?page=$deep_page")"
done
# the trends page after a save (issue 17): every series over every review
cold_trends=""
for i in 1 2 3 4 5 6 7; do
	curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/json' \
		-d "{\"tldr\": \"scale trends probe $i\"}" "$dbase/api/v1/reviews/$first_id"
	cold_trends="$cold_trends $(curl -sS -o /dev/null -w '%{time_total}' "$dbase/trends")"
done
rss=$(awk '/VmHWM/ {print $2}' "/proc/$debrief_pid/status")
{
	printf '%-34s | %9s %9s %9s | %s\n' "index page, first view after a save" "" "$(echo "$cold_index" | median_ms)" "" "median of 7"
	printf '%-34s | %9s %9s %9s | %s\n' "last index page, after a save" "" "$(echo "$cold_deep" | median_ms)" "" "median of 7, page $deep_page"
	printf '%-34s | %9s %9s %9s | %s\n' "trends page, after a save" "" "$(echo "$cold_trends" | median_ms)" "" "median of 7"
	echo
	echo "debrief peak memory (VmHWM): $((rss / 1024)) MB"
} | tee -a "$out"
echo "scale: results in $out"
