#!/bin/sh
# Builds the "event" module for the reference Lua 5.4 and for LuaJIT 2.1:
#
#   luamod/build.sh               both: luamod/build/lua5.4/event.so, luamod/build/luajit/event.so
#   luamod/build.sh lua5.4        one of them (or luajit)
#   luamod/build.sh --incdir DIR --out FILE
#                                 one build against the Lua headers in DIR (what the rockspec runs)
#
# It needs Go and a C compiler; on Debian it installs what is missing of
# gcc, liblua5.4-dev and libluajit-5.1-dev with apt-get (through sudo when
# not root). The module is built with go build -buildmode=c-shared from
# luamod/, its own Go module, so that the repository's go test ./... and
# go vet ./... never need cgo or Lua headers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PATH="$PATH:/usr/local/go/bin"

die() { echo "luamod/build.sh: $*" >&2; exit 1; }

# apt_install installs Debian packages, as root or through sudo.
apt_install() {
	command -v apt-get >/dev/null 2>&1 || die "missing $*, and no apt-get to install it"
	if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
	echo "luamod/build.sh: installing $*" >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 ||
		{ $sudo apt-get update -q >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; }
}

command -v go >/dev/null 2>&1 || die "Go is needed (https://go.dev/dl/)"
command -v "${CC:-gcc}" >/dev/null 2>&1 || apt_install gcc libc6-dev

# build DIR OUT: one event.so against the lua.h in DIR.
build() {
	[ -f "$1/lua.h" ] || die "no lua.h in $1"
	mkdir -p "$(dirname "$2")"
	out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	(cd "$here" && CGO_ENABLED=1 CGO_CFLAGS="-O2 -g -I$1" \
		go build -buildmode=c-shared -trimpath -o "$out" .)
	rm -f "${out%.so}.h" # the header go build writes beside the library
	echo "built $out (headers from $1)"
}

case "${1:-all}" in
--incdir)
	[ $# -eq 4 ] && [ "$3" = --out ] || die "usage: build.sh --incdir DIR --out FILE"
	build "$2" "$4"
	exit 0 ;;
all) targets="lua5.4 luajit" ;;
lua5.4|luajit) targets=$1 ;;
*) die "usage: build.sh [lua5.4|luajit|all] | --incdir DIR --out FILE" ;;
esac

for t in $targets; do
	case $t in
	lua5.4) inc=/usr/include/lua5.4; pkg=liblua5.4-dev ;;
	luajit) inc=/usr/include/luajit-2.1; pkg=libluajit-5.1-dev ;;
	esac
	[ -f "$inc/lua.h" ] || apt_install "$pkg"
	build "$inc" "$here/build/$t/event.so"
done
