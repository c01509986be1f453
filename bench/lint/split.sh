#!/bin/sh
# bench/lint/split.sh: cut sentences.tsv into tune.tsv (the rules may be
# tuned on it) and heldout.tsv (never tuned on), by the parity of the first
# byte of each sentence's SHA-1, so the cut does not depend on the order or
# on who runs it. Run once (2026-12-06, h12); the two files are committed.
set -eu
cd "$(dirname "$0")"
: > tune.tsv
: > heldout.tsv
grep -v '^#' sentences.tsv | while IFS= read -r line; do
	text=${line#*	}
	h=$(printf '%s' "$text" | sha1sum | cut -c2)
	case $h in
	[02468ace]) printf '%s\n' "$line" >> tune.tsv ;;
	*) printf '%s\n' "$line" >> heldout.tsv ;;
	esac
done
