#!/bin/sh
# run-tests.sh SUITE BIN...: runs cmocka test binaries, adds up their
# results and appends "SUITE PASSED FAILED" to $DEBRIEF_TALLY when set.
suite=$1; shift
passed=0; failed=0
for bin in "$@"; do
	out=$("$bin" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$bin: exited $rc"; f=1
	fi
	passed=$((passed + p)); failed=$((failed + f))
done
echo "$suite: $passed passed, $failed failed"
[ -n "$DEBRIEF_TALLY" ] && echo "$suite $passed $failed" >> "$DEBRIEF_TALLY"
[ "$failed" -eq 0 ]
