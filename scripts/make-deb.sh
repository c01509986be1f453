#!/bin/sh
# make-deb.sh BUILD: builds BUILD/debrief_VERSION_ARCH.deb from the binary
# BUILD/debrief with dpkg-deb (no debian/ source tree needed). The package
# holds what `make install PREFIX=/usr` installs; its Depends come from
# dpkg-shlibdeps on the binary (and the libraries it loads at first use);
# postinst creates the debrief system user
# and starts the unit where systemd runs. Prints the package's path.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^#define DEBRIEF_VERSION "\(.*\)"$/\1/p' "$here/src/main.c")
arch=$(dpkg --print-architecture)
[ -n "$version" ] || { echo "make-deb.sh: no DEBRIEF_VERSION in src/main.c" >&2; exit 1; }
[ -x "$build/debrief" ] || { echo "make-deb.sh: $build/debrief is missing (make first)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/stage
mkdir -p "$stage/DEBIAN"

make -s -C "$here" install BUILD="$build" DESTDIR="$stage" PREFIX=/usr \
	SYSCONFDIR=/etc UNITDIR=/lib/systemd/system >/dev/null
strip --strip-unneeded "$stage/usr/bin/debrief"
gzip -9n "$stage/usr/share/man/man1/debrief.1"
install -m 0644 "$here/packaging/copyright" "$stage/usr/share/doc/debrief/copyright"
for s in postinst prerm postrm; do
	install -m 0755 "$here/packaging/$s" "$stage/DEBIAN/$s"
done
echo /etc/debrief/debrief.conf > "$stage/DEBIAN/conffiles"

# dpkg-shlibdeps wants a debian/control beside it
mkdir -p "$work/src/debian"
printf 'Source: debrief\n\nPackage: debrief\nArchitecture: any\n' > "$work/src/debian/control"
# The binary loads most of its libraries at their first use
# (src/util/lazyload.h), so they are not among its NEEDED entries: the same
# code linked the usual way (BUILD/debrief-deps) shows dpkg-shlibdeps the
# libraries and the symbols it calls.
make -s -C "$here" BUILD="$build" "$build/debrief-deps" >/dev/null
case $build in /*) deps=$build/debrief-deps ;; *) deps=$here/$build/debrief-deps ;; esac
depends=$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/debrief" -e"$deps" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "make-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk "$stage" | cut -f1)

cat > "$stage/DEBIAN/control" <<CONTROL
Package: debrief
Version: $version
Architecture: $arch
Maintainer: debrief developers <debrief@localhost>
Installed-Size: $size
Depends: $depends, passwd, tzdata
Section: web
Priority: optional
Description: blameless post-incident reviews in one small server
 debrief holds post-incident reviews, near misses, game days and their
 timelines, contributing factors and follow-ups, with a web UI, a JSON API,
 a language coach that spots blame, and a command line. It keeps its data
 in SQLite under /var/lib/debrief and runs as the debrief system user.
CONTROL

out="$build/debrief_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
