#!/usr/bin/env bash
# bench/lint/run.sh: throughput and latency of `debrief lint`, as ratios
# against grep in the same run on the same bytes.
#
#  1. Generates a markdown corpus of incident write-ups (gen_corpus.c,
#     BENCH_LINT_MB megabytes, 50 by default).
#  2. Times `grep -ciE -f phrases.txt` (the plain phrase list, no context
#     rules) and `debrief lint --format json` on it, and the same with
#     --threads 1. The runs alternate (grep, lint, lint --threads 1, grep,
#     ...) after one warm-up run of each, so that both see the same warm
#     page cache and the same load; each writes to a file removed before
#     the run (grep stops early when its output is /dev/null, and truncating
#     last run's 48 MB of JSON is not linting). Prints the median of
#     BENCH_LINT_RUNS runs in MB/s and the ratio debrief/grep (target: at
#     least 0.5), and checks that the JSON of both lint runs is the same.
#  3. Times a one-sentence file end to end, process start included
#     (hyperfine when installed, else a loop of 200 runs). Target: < 5 ms.
#
# Results are kept in bench/out/lint/results.txt. Exit status: 0 when both
# targets are met, 3 when one is not, 1 on errors.
#
# Environment: BENCH_LINT_MB=50, BENCH_LINT_RUNS=9, BUILD=build;
# BENCH_LINT_BIN=PATH times that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/../.."

MB=${BENCH_LINT_MB:-50}
RUNS=${BENCH_LINT_RUNS:-9}
BUILD=${BUILD:-build}
OUT=bench/out/lint
PHRASES=bench/lint/phrases.txt

die() {
	echo "bench/lint: $*" >&2
	exit 1
}

[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"
if [ -n "${BENCH_LINT_BIN:-}" ]; then
	BIN=$BENCH_LINT_BIN # another binary, e.g. an older build to compare
else
	make -s BUILD="$BUILD" "$BUILD/debrief" >/dev/null || die "build failed"
	BIN=$BUILD/debrief
fi
mkdir -p "$OUT"
cc -O2 -o "$OUT/gen_corpus" bench/lint/gen_corpus.c || die "gen_corpus"
"$OUT/gen_corpus" -m "$MB" >"$OUT/corpus.md"
BYTES=$(stat -c %s "$OUT/corpus.md")

# now_us: the wall clock in microseconds, without a fork
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }

# time_us FILE CMD...: runs CMD with its output going to FILE (removed
# first), prints the wall time in microseconds. Exit status 1 (findings,
# or grep's "no match") is not an error.
time_us() {
	local out=$1 t0 t1 rc=0
	shift
	rm -f "$out"
	t0=$(now_us)
	"$@" >"$out" || rc=$?
	t1=$(now_us)
	[ "$rc" -le 1 ] || die "failed ($rc): $*"
	echo $((t1 - t0))
}

# median N...: the median of the numbers
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

mbps() { awk -v b="$BYTES" -v us="$1" 'BEGIN { printf "%.1f", b / 1048576 / (us / 1e6) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.0f", us / 1000 }'; }
ratio() { awk -v g="$1" -v l="$2" 'BEGIN { printf "%.2f", g / l }'; }

CORPUS=$OUT/corpus.md
G=() L=() L1=()
for i in $(seq 0 "$RUNS"); do
	g=$(time_us "$OUT/grep.txt" grep -ciE -f "$PHRASES" "$CORPUS")
	l=$(time_us "$OUT/lint.json" "$BIN" lint --format json "$CORPUS")
	l1=$(time_us "$OUT/lint1.json" "$BIN" lint --threads 1 --format json "$CORPUS")
	if [ "$i" -gt 0 ]; then # run 0 warms the cache
		G+=("$g") L+=("$l") L1+=("$l1")
	fi
done
cmp -s "$OUT/lint.json" "$OUT/lint1.json" ||
	die "the JSON of --threads 1 differs from the default's"
GM=$(median "${G[@]}")
LM=$(median "${L[@]}")
L1M=$(median "${L1[@]}")
FINDINGS=$(grep -c '"category"' "$OUT/lint.json" || true)
RATIO=$(ratio "$GM" "$LM")
RATIO1=$(ratio "$GM" "$L1M")

# one sentence, process start included; `debrief version` (the same
# binary doing no work) and /bin/true show what process start alone costs
printf 'The root cause was a typo in the config.\n' >"$OUT/one.md"
# mean_ms CMD...: mean wall time of CMD in milliseconds
mean_ms() {
	local t0 t1
	if command -v hyperfine >/dev/null; then
		hyperfine -N -i --warmup 20 --runs 300 --export-json "$OUT/h.json" \
			"$*" >/dev/null 2>&1 || true
		awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); printf "%.2f", $2 * 1000; exit }' "$OUT/h.json"
		return
	fi
	for _ in $(seq 20); do "$@" >/dev/null 2>&1 || true; done
	t0=$(now_us)
	for _ in $(seq 200); do "$@" >/dev/null 2>&1 || true; done
	t1=$(now_us)
	awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 200 / 1000 }'
}
ONE=$(mean_ms "$BIN" lint "$OUT/one.md")
START=$(mean_ms "$BIN" version)
TRUE=$(mean_ms /bin/true)
if command -v hyperfine >/dev/null; then HOW="hyperfine, mean of 300"; else HOW="shell loop, mean of 200"; fi

{
	echo "corpus: $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MB, $FINDINGS findings, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
	echo "median of $RUNS alternating runs (after one warm-up), output to files"
	echo "grep -ciE -f phrases.txt ($(wc -l <"$PHRASES") phrases): $(ms "$GM") ms, $(mbps "$GM") MB/s"
	echo "debrief lint --format json:             $(ms "$LM") ms, $(mbps "$LM") MB/s, ratio to grep $RATIO"
	echo "debrief lint --threads 1 --format json: $(ms "$L1M") ms, $(mbps "$L1M") MB/s, ratio to grep $RATIO1"
	echo "  runs (ms): grep $(for x in "${G[@]}"; do printf '%s ' "$(ms "$x")"; done)"
	echo "             lint $(for x in "${L[@]}"; do printf '%s ' "$(ms "$x")"; done)"
	echo "             lint1 $(for x in "${L1[@]}"; do printf '%s ' "$(ms "$x")"; done)"
	echo "one sentence, process start included: $ONE ms ($HOW)"
	echo "  for reference: debrief version $START ms, /bin/true $TRUE ms"
} | tee "$OUT/results.txt"

awk -v r="$RATIO" -v o="$ONE" 'BEGIN { exit !(r >= 0.5 && o < 5) }' || exit 3
