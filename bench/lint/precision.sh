#!/bin/sh
# bench/lint/precision.sh [-v [fresh]]: precision and recall per category of the
# linter on the labelled sentences written for it (precision.c says
# which). -v also lists every miss and false alarm (of fresh.tsv only
# with -v fresh).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make -s BUILD="$BUILD" "$BUILD/libdebrief.a" >/dev/null
mkdir -p bench/out/lint
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -I"$BUILD" \
	-o bench/out/lint/precision bench/lint/precision.c \
	"$BUILD/libdebrief.a" -lcmark-gfm -lpthread -lm
exec bench/out/lint/precision "$@"
