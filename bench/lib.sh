# bench/lib.sh: what the bench scripts share. Source it from the
# repository's root, after setting BUILD.

# free_port prints a 127.0.0.1 port nobody listens on.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# wait_http URL [SECONDS]: waits up to SECONDS (30) for URL to answer.
wait_http() {
	local _
	for _ in $(seq $((${2:-30} * 10))); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# bench_link OUT SRC...: builds a bench program against libdebrief.a with
# the Makefile's own flags and libraries, so that no script keeps a copy
# of the library list.
bench_link() {
	local out=$1 cflags ldlibs
	shift
	make -s --no-print-directory BUILD="$BUILD" "$BUILD/libdebrief.a" >/dev/null
	cflags=$(make -s --no-print-directory BUILD="$BUILD" print-CFLAGS)
	ldlibs=$(make -s --no-print-directory BUILD="$BUILD" print-LDLIBS)
	mkdir -p "$(dirname "$out")"
	# shellcheck disable=SC2086 # the flags are lists
	cc $cflags -O2 -o "$out" "$@" "$BUILD/libdebrief.a" $ldlibs
}
