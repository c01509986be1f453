#!/bin/bash
# bench/fuzz/run.sh: long libFuzzer runs of every target in tests/fuzz (see
# bench/fuzz/README.md). Builds them (make fuzz; BUILD=dir as for make), then runs each in turn
# for FUZZ_TIME seconds (default 600) with FUZZ_JOBS workers (default 1),
# growing a corpus kept between runs in $BUILD/fuzz/corpus/NAME (seeded
# from tests/fuzz/corpus/NAME). Prints execs/s, coverage and corpus size
# per target; findings go to $BUILD/fuzz/findings/. Exit status 1 when a
# target found something.
#
#   bash bench/fuzz/run.sh                   every target, 10 minutes each
#   FUZZ_TIME=120 bash bench/fuzz/run.sh lint request
set -u
cd "$(dirname "$0")/../.." || exit 2

time_each=${FUZZ_TIME:-600}
jobs=${FUZZ_JOBS:-1}
build=${BUILD:-build}
out=$build/fuzz
bins=$out/tests/fuzz

make -s BUILD="$build" fuzz >/dev/null || {
	echo "run.sh: make fuzz failed" >&2
	exit 2
}
if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for src in tests/fuzz/fuzz_*.c; do
		n=${src##*/fuzz_}
		names+=("${n%.c}")
	done
fi

mkdir -p "$out/findings" "$out/logs"
status=0
printf '%-14s %10s %8s %8s %8s  %s\n' target execs/s cov ft corpus result
for name in "${names[@]}"; do
	bin=$bins/fuzz_$name
	corpus=$out/corpus/$name
	log=$out/logs/$name.log
	dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	if [ ! -x "$bin" ]; then
		echo "run.sh: no target $bin" >&2
		status=1
		continue
	fi
	mkdir -p "$corpus"
	: >"$out/logs/$name.start"
	args=(-max_total_time="$time_each" -timeout=10 -rss_limit_mb=2048
		-max_len=16384 -print_final_stats=1
		-artifact_prefix="$out/findings/$name-" "${dict[@]}")
	if [ "$jobs" -gt 1 ]; then
		args+=(-fork="$jobs" -ignore_crashes=1)
	fi
	"$bin" "${args[@]}" "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	# the last status line: "#N DONE cov: C ft: F corp: ... exec/s: E"
	# (with -fork: "#N: cov: C ft: F corp: K exec/s E ...")
	last=$(grep ' cov: ' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	eps=$(sed -n 's/.* exec\/s:\{0,1\} \([0-9]*\).*/\1/p' <<<"$last")
	files=$(find "$corpus" -type f | wc -l)
	result=ok
	found=$(find "$out/findings" -name "$name-*" -newer \
		"$out/logs/$name.start" | wc -l)
	if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
		result="FOUND (see $log, $out/findings/)"
		status=1
	fi
	printf '%-14s %10s %8s %8s %8s  %s\n' "$name" "${eps:-?}" "${cov:-?}" \
		"${ft:-?}" "$files" "$result"
done
exit $status
