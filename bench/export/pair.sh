#!/usr/bin/env bash
# bench/export/pair.sh BEFORE AFTER [ROUNDS]: run.sh's four commands at
# BENCH_EXPORT_N reviews with two debrief binaries, alternately, ROUNDS
# times (default 2), on the same generated file: a before/after ratio
# taken in one sitting, which a shared machine's load does not skew one
# way. Prints wall and CPU rates and peak memory per command and program;
# results in bench/out/export/pair.txt.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/export/pair.sh BEFORE AFTER [ROUNDS]" >&2; exit 2; }
BEFORE=$(realpath "$1") AFTER=$(realpath "$2") ROUNDS=${3:-2}
cd "$(dirname "$0")/../.."
N=${BENCH_EXPORT_N:-10000}
BUILD=${BUILD:-build}
. bench/lib.sh
OUT=$PWD/bench/out/export/pair
mkdir -p "$OUT"
make --no-print-directory BUILD="$BUILD" "$BUILD/libdebrief.a" >/dev/null
bench_link "$OUT/gen_export" bench/export/gen_export.c
"$OUT/gen_export" "$N" > "$OUT/in.json"

measure() {
	local name=$1 who=$2; shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$OUT/time.txt" "$@" > /dev/null 2>"$OUT/stderr.txt" || {
		cat "$OUT/stderr.txt" >&2; exit 1; }
	read -r secs user sys kb < "$OUT/time.txt"
	awk -v n="$name" -v w="$who" -v c="$N" -v s="$secs" -v u="$user" -v y="$sys" -v k="$kb" 'BEGIN {
		cpu = u + y; if (s < 0.01) s = 0.01; if (cpu < 0.01) cpu = 0.01
		printf "%-7s %-21s %6.2f s %6.0f/s  cpu %6.2f s %6.0f/s  peak %6.1f MB\n",
			w, n, s, c / s, cpu, c / cpu, k / 1024 }' | tee -a "$OUT/pair.txt"
}

# each round writes into new directories; the earlier ones are deleted
# after the measurements (ext4 is slow to create files for a while after
# many were deleted, and that is not the program's time)
TRASH=$OUT/trash.$$
mkdir -p "$TRASH"
trap 'rm -rf "$TRASH"' EXIT
for d in "$OUT"/before* "$OUT"/after*; do [ -e "$d" ] && mv "$d" "$TRASH/"; done
: > "$OUT/pair.txt"
for r in $(seq "$ROUNDS"); do
	for who in before after; do
		bin=$BEFORE; [ "$who" = after ] && bin=$AFTER
		d=$OUT/$who.$r; mkdir -p "$d"
		measure "import json" "$who" "$bin" import json "$OUT/in.json" --db "$d/a.db"
		measure "export --format json" "$who" "$bin" export --format json --db "$d/a.db" "$d/j"
		measure "export --format md" "$who" "$bin" export --format md --db "$d/a.db" "$d/md"
		measure "import md" "$who" "$bin" import md "$d/md" --db "$d/b.db"
	done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee -a "$OUT/pair.txt"
