#!/bin/sh
# lazy-stubs.sh CC "-lA -lB ..." OBJECT...: writes (to stdout) the C file of
# lazy stubs for the binary (see src/util/lazyload.h): one stub for each
# function of the libraries -lA -lB ... that OBJECT... (main.o and
# libdebrief.a) call, so that the binary can be linked without them and
# load each one at the first call of one of its functions.
#
# Each -lNAME is found as the linker finds it ($CC -print-file-name), its
# soname read with objdump, its functions with nm. A symbol of those
# libraries that is not a function (a variable) cannot be stubbed: the
# script stops with an error naming it.
set -eu
export LC_ALL=C
cc=$1
libs=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# what the objects call and do not define themselves
nm -u "$@" 2>/dev/null | awk 'NF == 2 && $1 == "U" { print $2 }' | sort -u >"$tmp/undef"
nm -g --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/def"
comm -23 "$tmp/undef" "$tmp/def" >"$tmp/want"
: >"$tmp/taken"
: >"$tmp/stubs"
: >"$tmp/sonames"
n=0
for l in $libs; do
	name=${l#-l}
	path=$($cc -print-file-name="lib$name.so")
	[ -e "$path" ] || { echo "lazy-stubs.sh: lib$name.so not found" >&2; exit 1; }
	path=$(readlink -f "$path")
	soname=$(objdump -p "$path" | awk '$1 == "SONAME" { print $2 }')
	[ -n "$soname" ] || { echo "lazy-stubs.sh: $path has no SONAME" >&2; exit 1; }
	# name and type of each exported symbol, without version suffixes
	nm -D --defined-only "$path" | awk 'NF == 3 { s = $3; sub(/@.*/, "", s); print s, $2 }' |
		sort -u -k1,1 >"$tmp/exports"
	join "$tmp/want" "$tmp/exports" >"$tmp/used"
	bad=$(awk '$2 !~ /^[TtWi]$/ { print $1 }' "$tmp/used")
	[ -z "$bad" ] || { echo "lazy-stubs.sh: $soname: not a function: $bad" >&2; exit 1; }
	awk '{ print $1 }' "$tmp/used" | comm -23 - "$tmp/taken" >"$tmp/new"
	[ -s "$tmp/new" ] || continue
	sed "s/\$/ $n/" "$tmp/new" >>"$tmp/stubs"
	cat "$tmp/new" "$tmp/taken" | sort -u >"$tmp/t2" && mv "$tmp/t2" "$tmp/taken"
	echo "$soname" >>"$tmp/sonames"
	n=$((n + 1))
done
nsym=$(wc -l <"$tmp/stubs")

echo "/* Written by scripts/lazy-stubs.sh: $nsym stubs over $n libraries. */"
echo '#include "util/lazyload.h"'
echo
echo 'static const char *const lazy_libs[] = {'
sed 's/.*/\t"&",/' "$tmp/sonames"
echo '};'
echo "static void *lazy_handles[$n];"
echo 'static const char *const lazy_names[] = {'
awk '{ printf "\t\"%s\",\n", $1 }' "$tmp/stubs"
echo '};'
echo 'static const unsigned char lazy_lib[] = {'
awk '{ printf "\t%s,\n", $2 }' "$tmp/stubs"
echo '};'
echo "void *debrief_lazy_addr[$nsym];"
echo 'const struct lazy_table debrief_lazy_table = {'
echo '	lazy_libs, lazy_handles, lazy_names, lazy_lib, debrief_lazy_addr,'
echo '};'
echo
echo 'LAZY_ENTER(debrief_lazy_enter, debrief_lazy_table);'
awk '{ printf "LAZY_STUB(%s, %d, debrief_lazy_addr, debrief_lazy_enter);\n", $1, NR - 1 }' "$tmp/stubs"
