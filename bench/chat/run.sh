#!/bin/bash
# bench/chat/run.sh: chat import speed and memory, next to a reference read
# of the same bytes in the same sitting:
#   Slack: `debrief import chat` of a generated export (N messages over 20
#          channels, zipped) vs `unzip -p export.zip | wc -l`;
#   IRC:   `debrief import chat` of a generated log of N lines vs `wc -l`;
#   view:  GET /reviews/ID/chat and GET /api/v1/reviews/ID/transcripts?limit=1000
#          of a review with VIEW_N messages in its incident window.
# Prints messages per second (wall and CPU), peak RSS, and the reference's
# wall and CPU time (user+sys) with the import's ratio to each. Targets
# (issue 14): >= 200,000 messages/s, peak RSS < 200 MB whatever N, the
# chat view < 100 ms.
#
#   bash bench/chat/run.sh              # N=1000000, VIEW_N=50000
#   N=200000 bash bench/chat/run.sh
#   BIN=/path/to/other/debrief bash bench/chat/run.sh   # another build
#                                       # (e.g. main's) on the same inputs
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000000}
VIEW_N=${VIEW_N:-50000}
make -s debrief
mkdir -p build/bench
cc -O2 -Wall -Wextra -D_GNU_SOURCE -o build/bench/gen_chat bench/chat/gen_chat.c \
	$(pkg-config --cflags --libs libarchive)
dir=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$dir"' EXIT
srv=
bin=${BIN:-$PWD/build/debrief}

# new_db: a fresh database with review 1, resolved $1 seconds after it
# started (the generated logs start at 1700000000, one line every 3 s)
new_db() {
	rm -f "$dir/b.db"*
	"$bin" migrate --db "$dir/b.db" >/dev/null 2>&1
	sqlite3 "$dir/b.db" "INSERT INTO reviews (created_at, updated_at, kind, title, status, started_at, resolved_at) VALUES (1, 1, 'incident', 'bench', 'draft', 1700000000, $((1700000000 + ${1:-86400})))"
}

# timed CMD...: runs CMD, prints "wall user+sys rss_kb"
timed() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" > "$dir/out" 2>&1 || {
		cat "$dir/out"; exit 1; }
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"
}

report() { # name messages wall cpu rss "ref_wall ref_cpu"
	read -r rw rc <<< "$6"
	awk -v n="$1" -v m="$2" -v w="$3" -v c="$4" -v r="$5" -v ref="$rw" -v refc="$rc" 'BEGIN {
		printf "%-6s %9d msgs  %7.2f s wall (%8.0f msg/s)  %6.2f s cpu (%8.0f msg/s)  peak RSS %5.0f MB  reference %5.2f s wall (%.1fx), %5.2f s cpu (%.1fx)\n",
			n, m, w, m / w, c, m / (c > 0 ? c : 0.01), r / 1024, ref, w / (ref > 0 ? ref : 0.01), refc, c / (refc > 0 ? refc : 0.01) }'
}

# reference CMD: the wall and CPU (user+sys, children included) time of CMD
reference() {
	/usr/bin/time -f "%e %U %S" -o "$dir/reftime" bash -c "$1" > /dev/null
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$dir/reftime"
}

echo "# generating $N messages (Slack, 20 channels) and $N IRC lines"
build/bench/gen_chat slack "$dir/export.zip" "$N" 20
build/bench/gen_chat irc "$dir/irc.log" "$N"

ref_slack=$(reference "unzip -p '$dir/export.zip' | wc -l")
new_db
read -r w c r < <(timed "$bin" import chat --review 1 "$dir/export.zip" --db "$dir/b.db")
report slack "$N" "$w" "$c" "$r" "$ref_slack"

ref_irc=$(reference "wc -l '$dir/irc.log'")
new_db
read -r w c r < <(timed "$bin" import chat --review 1 "$dir/irc.log" --db "$dir/b.db")
report irc "$N" "$w" "$c" "$r" "$ref_irc"

# the chat view: VIEW_N messages in the window of the review
build/bench/gen_chat irc "$dir/view.log" "$VIEW_N"
new_db $((VIEW_N * 3))
"$bin" import chat --review 1 "$dir/view.log" --db "$dir/b.db" > /dev/null
port=$((20000 + RANDOM % 20000))
"$bin" serve --db "$dir/b.db" --listen "127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
srv=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.1; done
for url in "/reviews/1/chat" "/api/v1/reviews/1/transcripts?limit=1000" \
	"/api/v1/reviews/1/transcripts?limit=1000&offset=40000" \
	"/api/v1/reviews/1/transcripts?q=oncall&limit=100"; do
	best=999
	for _ in 1 2 3 4 5; do
		t=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:$port$url")
		best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
	done
	awk -v u="$url" -v t="$best" -v n="$VIEW_N" 'BEGIN { printf "view   %d msgs in the window  %-58s best of 5: %6.1f ms\n", n, u, t * 1000 }'
done
