#!/bin/sh
# run.sh DEBRIEF_BINARY: the browser suite. Installs playwright-core into
# tests/browser/node_modules when it is missing (npm ci with the lock file;
# nothing else is installed, chromium comes from Debian: /usr/bin/chromium),
# runs every *.test.js here against the binary, prints the total as
# "N passed, N failed" and appends "browser N M" to $DEBRIEF_TALLY when that
# is set.
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
# Node trusts only its own copy of the public CAs; behind a proxy that
# inspects TLS (the organisation's CA in the system store) npm then fails
# with "self-signed certificate in certificate chain". The system bundle
# holds the public CAs too.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
	NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
	export NODE_EXTRA_CA_CERTS
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

# Every *.test.js here (review.test.js, xss.test.js, ...) runs in turn;
# each ends with its own "N passed, N failed" line and the totals follow.
p=0; f=0
out=$(mktemp)
for script in "$here"/*.test.js; do
	echo "# $(basename "$script")"
	node "$script" "$bin" 2>&1 | tee "$out"
	last=$(tail -n 1 "$out")
	sp=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	sf=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$sp" ]; then
		echo "browser: $(basename "$script") ended without a summary"
		sp=0; sf=1
	fi
	p=$((p + sp)); f=$((f + sf))
done
rm -f "$out"
tally "$p" "$f"
