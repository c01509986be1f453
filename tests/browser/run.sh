#!/bin/sh
# run.sh DEBRIEF_BINARY: the browser suite. Installs playwright-core into
# tests/browser/node_modules when it is missing (npm ci with the lock file;
# nothing else is installed, chromium comes from Debian: /usr/bin/chromium),
# runs review.test.js against the binary, prints "N passed, N failed" and
# appends "browser N M" to $DEBRIEF_TALLY when that is set.
here=$(cd "$(dirname "$0")" && pwd)
bin=$1

tally() {
	echo "$1 passed, $2 failed"
	[ -n "$DEBRIEF_TALLY" ] && echo "browser $1 $2" >> "$DEBRIEF_TALLY"
	[ "$2" -eq 0 ]
}

if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "usage: tests/browser/run.sh /path/to/debrief" >&2
	tally 0 1; exit
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "browser: ${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)"
	tally 0 1; exit
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
	if [ -f "$here/package-lock.json" ]; then
		(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	else
		(cd "$here" && npm install --no-audit --no-fund --loglevel=error)
	fi
	if [ ! -d "$here/node_modules/playwright-core" ]; then
		echo "browser: could not install playwright-core with npm"
		tally 0 1; exit
	fi
fi

out=$(mktemp)
node "$here/review.test.js" "$bin" 2>&1 | tee "$out"
last=$(tail -n 1 "$out")
rm -f "$out"
p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
	echo "browser: the test script ended without a summary"
	p=0; f=1
fi
# The script printed its summary already; only record it here.
[ -n "$DEBRIEF_TALLY" ] && echo "browser $p $f" >> "$DEBRIEF_TALLY"
[ "$f" -eq 0 ]
