#!/usr/bin/env bash
# bench/lint/diff.sh OLD NEW [FILE ...]: do two builds of debrief give the
# same findings? For a change to the linter's speed, which must not change
# what it finds.
#
# Lints, with both binaries, in every output format (json, text, sarif),
# with and without --hints, with --threads 1 and the default threads:
#  * a generated corpus of incident write-ups (gen_corpus.c,
#    BENCH_LINT_MB megabytes, 50 by default; its first 3 MB as a second
#    input, so the parts are cut elsewhere),
#  * the labelled sentences written for the linter (tests/unit/lint_cases.h,
#    heldout.h; fixtures_md.c prints them) and the sentence sets
#    bench/lint/*.tsv, one paragraph each,
#  * the repository's own markdown (README.md, docs/*.md, bench/**/*.md)
#    and the fuzz corpus (tests/fuzz/corpus/lint),
#  * every FILE given: markdown as is; a .jsonl file's "text" fields (e.g.
#    ../shared/lint/dev.jsonl) one paragraph each, and the same
#    concatenated into one file.
# and compares stdout and the exit status byte for byte. Prints each
# difference and a count; exit status 0 when all are the same, 1 when not.
# Inputs go to bench/out/lint/diff/ (the corpus is kept and reused).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/lint/diff.sh OLD_BIN NEW_BIN [FILE ...]" >&2; exit 2; }
OLD=$(realpath "$1") NEW=$(realpath "$2")
shift 2
EXTRA=()
for f in "$@"; do EXTRA+=("$(realpath "$f")"); done
cd "$(dirname "$0")/../.."
MB=${BENCH_LINT_MB:-50}
BUILD=${BUILD:-build}
OUT=bench/out/lint/diff
mkdir -p "$OUT/in"
rm -f "$OUT"/in/*

cc -O2 -o "$OUT/gen_corpus" bench/lint/gen_corpus.c
if [ ! -s "$OUT/corpus$MB.md" ]; then
	"$OUT/gen_corpus" -m "$MB" >"$OUT/corpus$MB.md"
fi
cp "$OUT/corpus$MB.md" "$OUT/in/corpus.md"
head -c 3000000 "$OUT/corpus$MB.md" >"$OUT/in/corpus3.md"
make -s BUILD="$BUILD" "$BUILD/libdebrief.a" >/dev/null
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -I"$BUILD" -o "$OUT/fixtures_md" \
	bench/lint/fixtures_md.c
"$OUT/fixtures_md" >"$OUT/in/fixtures.md"
for t in bench/lint/*.tsv; do
	cut -f2- "$t" | awk '{ print; print "" }' >"$OUT/in/tsv_$(basename "$t" .tsv).md"
done
n=0
for f in README.md docs/*.md $(find bench -name '*.md' -not -path 'bench/out/*') tests/fuzz/corpus/lint/*; do
	n=$((n + 1))
	cp "$f" "$OUT/in/repo$n-$(basename "$f")"
done
all=$OUT/in/extra_all.md
for f in ${EXTRA[@]+"${EXTRA[@]}"}; do
	b=$OUT/in/extra_$(basename "$f")
	case $f in
	*.jsonl)
		python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line:
        print(json.loads(line)["text"] + "\n")' "$f" >"$b.md"
		cat "$b.md" >>"$all"
		;;
	*) cp "$f" "$b" ;;
	esac
done

diffs=0 runs=0
inputs=("$OUT"/in/*)
for f in "${inputs[@]}"; do
	for fmt in json text sarif; do
		for hints in 0 1; do
			for th in 1 0; do
				opts=(--format "$fmt")
				[ "$hints" = 0 ] || opts+=(--hints)
				[ "$th" = 0 ] || opts+=(--threads 1)
				a=0 b=0
				"$OLD" lint "${opts[@]}" "$f" >"$OUT/old.out" 2>"$OUT/old.err" || a=$?
				"$NEW" lint "${opts[@]}" "$f" >"$OUT/new.out" 2>"$OUT/new.err" || b=$?
				runs=$((runs + 1))
				if [ "$a" != "$b" ] || ! cmp -s "$OUT/old.out" "$OUT/new.out" ||
					! cmp -s "$OUT/old.err" "$OUT/new.err"; then
					diffs=$((diffs + 1))
					echo "DIFFERS: $f ${opts[*]} (exit $a vs $b)"
				fi
			done
		done
	done
done
findings=$("$NEW" lint --format json "$OUT/in/corpus.md" | grep -c '"category"' || true)
bytes=$(cat "${inputs[@]}" | wc -c)
echo "bench/lint/diff: $runs runs on ${#inputs[@]} inputs ($bytes bytes; the corpus alone $findings findings): $diffs differ"
[ "$diffs" = 0 ]
