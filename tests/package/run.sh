#!/bin/sh
# run.sh BUILD: checks `make install` and the Debian package that `make
# deb` wrote to BUILD: the files each installs, the unit (systemd-analyze
# verify, with no warning), the package's control data, and that the
# installed binary accepts the configuration it ships. Prints one line per
# check and "package: N passed, N failed"; appends "package N M" to
# $DEBRIEF_TALLY when that is set.
build=${1:-build}
here=$(cd "$(dirname "$0")/../.." && pwd)
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { echo "ok: $1"; passed=$((passed + 1)); }
no() { echo "FAILED: $1"; failed=$((failed + 1)); }
check() { # check NAME COMMAND...: passes when COMMAND succeeds
	name=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$name"; else no "$name"; sed 's/^/    /' "$work/out"; fi
}

# make install into a staging root, PREFIX=/usr/local
d=$work/dest
make -s -C "$here" install BUILD="$build" DESTDIR="$d" PREFIX=/usr/local >/dev/null 2>&1
for f in usr/local/bin/debrief usr/local/share/man/man1/debrief.1 \
	usr/local/lib/systemd/system/debrief.service \
	usr/local/share/doc/debrief/debrief.conf.example etc/debrief/debrief.conf; do
	check "make install writes /$f" test -s "$d/$f"
done
check "make install: the unit starts BINDIR's binary" \
	grep -qx 'ExecStart=/usr/local/bin/debrief serve --config /etc/debrief/debrief.conf' \
	"$d/usr/local/lib/systemd/system/debrief.service"
echo "# mine" >> "$d/etc/debrief/debrief.conf"
make -s -C "$here" install BUILD="$build" DESTDIR="$d" PREFIX=/usr/local >/dev/null 2>&1
check "make install keeps an existing configuration" grep -qx '# mine' "$d/etc/debrief/debrief.conf"

# the package
deb=$(ls "$here/$build"/debrief_*_*.deb 2>/dev/null | tail -1)
[ -n "$deb" ] || deb=$(ls "$build"/debrief_*_*.deb 2>/dev/null | tail -1)
if [ -z "$deb" ]; then
	no "make deb wrote $build/debrief_VERSION_ARCH.deb"
else
	dpkg-deb -c "$deb" | awk '{print $6}' > "$work/list"
	for f in ./usr/bin/debrief ./usr/share/man/man1/debrief.1.gz \
		./lib/systemd/system/debrief.service ./etc/debrief/debrief.conf \
		./usr/share/doc/debrief/copyright; do
		check "package holds $f" grep -qx "$f" "$work/list"
	done
	dpkg-deb -f "$deb" Depends > "$work/depends"
	for lib in libmicrohttpd12 libsqlite3-0 libjansson4 libsodium23 libarchive13 libcurl4 libgit2-1.5 libdeflate0 passwd; do
		check "package depends on $lib" grep -q "$lib" "$work/depends"
	done
	check "package marks the configuration as a conffile" \
		sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./conffiles | grep -qx /etc/debrief/debrief.conf"
	check "postinst creates the debrief system user" \
		sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./postinst | grep -q 'useradd --system'"
	x=$work/x
	dpkg-deb -x "$deb" "$x"
	check "the packaged binary runs" "$x/usr/bin/debrief" version
	if [ "$(uname -m)" = x86_64 ]; then
		# the server's libraries load at first use (src/util/lazyload.h)
		check "the packaged binary needs only libc and cmark-gfm at start" \
			sh -c "readelf -d '$x/usr/bin/debrief' | grep NEEDED | grep -v -e libc.so -e libcmark-gfm | grep . && exit 1; exit 0"
		check "the packaged binary lints from stdin" \
			sh -c "echo 'The root cause was a typo.' | '$x/usr/bin/debrief' lint; [ \$? = 1 ]"
	fi
	check "the shipped configuration passes check-config" \
		"$x/usr/bin/debrief" check-config "$x/etc/debrief/debrief.conf"
	unit=$x/lib/systemd/system/debrief.service
	for k in 'User=debrief' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
		'PrivateTmp=yes' 'StateDirectory=debrief' 'Restart=on-failure' \
		'KillSignal=SIGTERM'; do
		check "unit has $k" grep -qx "$k" "$unit"
	done
	if command -v systemd-analyze >/dev/null 2>&1; then
		# verify wants the ExecStart binary to exist: point it at the
		# extracted one; any warning (an unknown key) fails too
		sed "s|^ExecStart=/usr/bin/debrief|ExecStart=$x/usr/bin/debrief|" \
			"$unit" > "$work/debrief.service"
		if systemd-analyze verify --man=no "$work/debrief.service" >"$work/out" 2>&1 &&
			[ ! -s "$work/out" ]; then
			ok "systemd-analyze verify debrief.service"
		else
			no "systemd-analyze verify debrief.service"; sed 's/^/    /' "$work/out"
		fi
	else
		no "systemd-analyze is missing (apt-get install systemd)"
	fi
fi

echo "package: $passed passed, $failed failed"
[ -n "${DEBRIEF_TALLY:-}" ] && echo "package $passed $failed" >> "$DEBRIEF_TALLY"
[ "$failed" -eq 0 ]
