#!/bin/sh
# fuzz-smoke.sh DIR: what `make fuzz-smoke` runs. Every libFuzzer target
# DIR/fuzz_NAME runs for FUZZ_SECONDS (default 8) from its seed corpus
# tests/fuzz/corpus/NAME (and tests/fuzz/NAME.dict when there is one); new
# inputs go to a temporary directory, never into the seeds. A crash, leak,
# sanitizer report, timeout or failed invariant fails the target; its
# input is kept in build/fuzz-failures/. Appends "fuzz PASSED FAILED" (one
# per target) to $DEBRIEF_TALLY when set. The seed is fixed (FUZZ_SEED,
# default 1) so that a run is the same sequence of inputs on every machine:
# what CI finds, `make fuzz-smoke` here finds too. FUZZ_SEED=0 lets
# libFuzzer pick one, for searching further.
dir=$1
secs=${FUZZ_SECONDS:-8}
seed=${FUZZ_SEED:-1}
fails=build/fuzz-failures
passed=0; failed=0
if [ -z "$dir" ] || ! ls "$dir"/fuzz_* >/dev/null 2>&1; then
	echo "fuzz-smoke.sh: no fuzz targets in '$dir' (run make fuzz)" >&2
	[ -n "$DEBRIEF_TALLY" ] && echo "fuzz 0 1" >> "$DEBRIEF_TALLY"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$fails"
for bin in "$dir"/fuzz_*; do
	name=${bin##*/fuzz_}
	seeds=tests/fuzz/corpus/$name
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	mkdir -p "$tmp/$name"
	# -error_exitcode: any finding; -timeout: one input over 10 s hangs
	# shellcheck disable=SC2086 # $dict is one word or none
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -error_exitcode=77 -print_final_stats=1 -seed="$seed" \
		-artifact_prefix="$fails/$name-" $dict "$tmp/$name" $seeds \
		>"$tmp/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$tmp/$name.log")
		cov=$(sed -n 's/.*DONE *cov: \([0-9]*\).*/\1/p' "$tmp/$name.log")
		echo "fuzz_$name: ok, ${runs:-?} runs in ${secs}s, cov ${cov:-?}"
		passed=$((passed + 1))
	else
		echo "fuzz_$name: FAILED (input kept in $fails/)"
		grep -E 'ERROR|invariant failed|SUMMARY|runtime error' \
			"$tmp/$name.log" | head -5
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ -n "$DEBRIEF_TALLY" ] && echo "fuzz $passed $failed" >> "$DEBRIEF_TALLY"
[ "$failed" -eq 0 ]
