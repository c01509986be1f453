#!/usr/bin/env bash
# bench/lint/run.sh: throughput and latency of `debrief lint`, as ratios
# against grep in the same run on the same bytes.
#
#  1. Generates a markdown corpus of incident write-ups (gen_corpus.c,
#     BENCH_LINT_MB megabytes, 50 by default).
#  2. Times `grep -ciE -f phrases.txt` (the plain phrase list, no context
#     rules) and `debrief lint --format json` on it, best of BENCH_LINT_RUNS,
#     once with the default threads and once with --threads 1. Prints MB/s
#     and the ratio debrief/grep (target: at least 0.5).
#  3. Times a one-sentence file end to end, process start included
#     (hyperfine when installed, else a loop of 200 runs). Target: < 5 ms.
#
# Outputs go to files (grep stops early when its output is /dev/null).
# Results are kept in bench/out/lint/results.txt. Exit status: 0 when both
# targets are met, 3 when one is not, 1 on errors.
#
# Environment: BENCH_LINT_MB=50, BENCH_LINT_RUNS=5, BUILD=build.
set -euo pipefail
cd "$(dirname "$0")/../.."

MB=${BENCH_LINT_MB:-50}
RUNS=${BENCH_LINT_RUNS:-5}
BUILD=${BUILD:-build}
OUT=bench/out/lint
PHRASES=bench/lint/phrases.txt

die() {
	echo "bench/lint: $*" >&2
	exit 1
}

make -s BUILD="$BUILD" "$BUILD/debrief" >/dev/null || die "build failed"
BIN=$BUILD/debrief
mkdir -p "$OUT"
cc -O2 -o "$OUT/gen_corpus" bench/lint/gen_corpus.c || die "gen_corpus"
"$OUT/gen_corpus" -m "$MB" >"$OUT/corpus.md"
BYTES=$(stat -c %s "$OUT/corpus.md")

# now_ns: a monotonic-enough clock in nanoseconds
now_ns() { date +%s%N; }

# best_ms CMD...: the fastest of $RUNS runs of CMD, in milliseconds
best_ms() {
	local best=0 t0 t1 ms
	for _ in $(seq "$RUNS"); do
		t0=$(now_ns)
		"$@" || [ $? -le 1 ] || die "failed: $*"
		t1=$(now_ns)
		ms=$(( (t1 - t0) / 1000000 ))
		if [ "$best" -eq 0 ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
	done
	echo "$best"
}

mbps() { awk -v b="$BYTES" -v ms="$1" 'BEGIN { printf "%.1f", b / 1048576 / (ms / 1000) }'; }

grep_run() { grep -ciE -f "$PHRASES" "$OUT/corpus.md" >"$OUT/grep.txt"; }
lint_run() { "$BIN" lint --format json "$OUT/corpus.md" >"$OUT/lint.json"; }
lint_run1() { "$BIN" lint --threads 1 --format json "$OUT/corpus.md" >"$OUT/lint1.json"; }

G=$(best_ms grep_run)
L=$(best_ms lint_run)
L1=$(best_ms lint_run1)
FINDINGS=$(grep -c '"category"' "$OUT/lint.json" || true)
RATIO=$(awk -v g="$G" -v l="$L" 'BEGIN { printf "%.2f", g / l }')
RATIO1=$(awk -v g="$G" -v l="$L1" 'BEGIN { printf "%.2f", g / l }')

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
	t0=$(now_ns)
	for _ in $(seq 200); do "$@" >/dev/null 2>&1 || true; done
	t1=$(now_ns)
	awk -v d=$(( t1 - t0 )) 'BEGIN { printf "%.2f", d / 200 / 1e6 }'
}
ONE=$(mean_ms "$BIN" lint "$OUT/one.md")
START=$(mean_ms "$BIN" version)
TRUE=$(mean_ms /bin/true)
if command -v hyperfine >/dev/null; then HOW="hyperfine, mean of 300"; else HOW="shell loop, mean of 200"; fi

{
	echo "corpus: $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MB, $FINDINGS findings, $(nproc) CPUs"
	echo "grep -ciE -f phrases.txt ($(wc -l <"$PHRASES") phrases): $G ms, $(mbps "$G") MB/s"
	echo "debrief lint --format json:             $L ms, $(mbps "$L") MB/s, ratio to grep $RATIO"
	echo "debrief lint --threads 1 --format json: $L1 ms, $(mbps "$L1") MB/s, ratio to grep $RATIO1"
	echo "one sentence, process start included: $ONE ms ($HOW)"
	echo "  for reference: debrief version $START ms, /bin/true $TRUE ms"
} | tee "$OUT/results.txt"

awk -v r="$RATIO" -v o="$ONE" 'BEGIN { exit !(r >= 0.5 && o < 5) }' || exit 3
