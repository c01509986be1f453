#!/bin/bash
# bench/chat/threads.sh [BIN] FILE: the CPU time of a chat import per
# thread, under `perf record -e task-clock -c 1000000` (a sample per ms of
# CPU): the writer thread (row inserts), the caller's thread after the
# writer's last sample (the commit: time index, search index, commit and
# checkpoint), the two added (the part on the one SQLite connection), the
# caller's thread before it (reading, parsing) and the others (the
# sorter). FILE is imported into a fresh database in DIR (default: a
# temporary folder, removed after). Alternate BIN=main's copy and this
# build on the same FILE: the host's speed varies, CPU time less.
#
#   build/bench/gen_chat slack export.zip 1000000 20
#   DIR=/somewhere/big bash bench/chat/threads.sh build/debrief export.zip
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BIN FILE" >&2; exit 2; }
bin=$1 file=$2
dir=${DIR:-}
if [ -z "$dir" ]; then dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; fi
db=$dir/threads.db
rm -f "$db" "$db-wal" "$db-shm" "$dir/threads.perf"
"$bin" migrate --db "$db" > /dev/null 2>&1
sqlite3 "$db" "INSERT INTO reviews (created_at, updated_at, kind, title, status, started_at, resolved_at) VALUES (1, 1, 'incident', 'bench', 'draft', 1700000000, 1700086400)"
perf record -q -e task-clock -c 1000000 -o "$dir/threads.perf" \
	"$bin" import chat --review 1 "$file" --db "$db" > /dev/null
perf script -i "$dir/threads.perf" -F pid,tid,time 2> /dev/null | python3 -c '
import sys
rows = []
for line in sys.stdin:
    f = line.split()
    if len(f) < 2:
        continue
    pid, tid = (int(x) for x in f[0].split("/"))
    rows.append((pid, tid, float(f[1].rstrip(":"))))
pid = rows[0][0]
per = {}
for _, tid, t in rows:
    per.setdefault(tid, []).append(t)
others = {t: v for t, v in per.items() if t != pid}
writer = max(others, key=lambda t: len(others[t]))
end = max(others[writer])
main = per.get(pid, [])
commit = sum(1 for t in main if t > end)
w = len(others[writer])
print("total %.2f s  writer %.2f  commit %.2f  serial %.2f  reader %.2f  other threads %.2f"
      % (len(rows) / 1e3, w / 1e3, commit / 1e3, (w + commit) / 1e3,
         (len(main) - commit) / 1e3, (len(rows) - w - len(main)) / 1e3))
'
rm -f "$dir/threads.perf" "$db" "$db-wal" "$db-shm"
