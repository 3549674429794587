#!/usr/bin/env bash
# The module's benchmark, in interleaved rounds:
#   - bench.lua (virtual round trips, one-shot timers) under the real-Lua
#     module, with lua5.4 and with luajit, and under cmd/luaevent (gopher-lua);
#   - select.lua, a bare LuaSocket socket.select loop, under lua5.4;
#   - the CPU time (user + system, every thread of the process) of the round
#     trips alone, per round trip: the process's CPU time for N round trips
#     less its CPU time for one, over N - 1.
# Prints every run, then the medians and minimums, in ns per operation.
#
#   luamod/bench/run.sh [rounds [N]]     (default 7 rounds of N = 100000)
#
# It builds the module (luamod/build.sh) and cmd/luaevent first; it needs
# lua5.4, luajit and lua-socket. MODULE_DIR and MODULE_DIR_JIT, if set, name
# other builds of event.so to measure instead of luamod/build/*.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-7}
n=${2:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
luamod/build.sh >&2
go build -o "$tmp/luaevent" ./cmd/luaevent
mod=${MODULE_DIR:-$PWD/luamod/build/lua5.4}
modjit=${MODULE_DIR_JIT:-$PWD/luamod/build/luajit}

# impl label args...: runs the benchmark script under one implementation
impl() {
	case $1 in
	lua5.4) LUA_CPATH="$mod/?.so;;" lua5.4 "${@:2}" ;;
	luajit) LUA_CPATH="$modjit/?.so;;" luajit "${@:2}" ;;
	cmd/luaevent) "$tmp/luaevent" "${@:2}" ;;
	esac
}

# cpu label args...: user + system seconds of one run
cpu() {
	local TIMEFORMAT='%U %S'
	{ time impl "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'
}

for r in $(seq "$rounds"); do
	for i in lua5.4 cmd/luaevent luajit; do
		impl $i luamod/bench/bench.lua "$n" | sed "s|^|$i |"
		one=$(cpu $i luamod/bench/bench.lua 1 roundtrip)
		all=$(cpu $i luamod/bench/bench.lua "$n" roundtrip)
		awk -v i=$i -v a="$all" -v o="$one" -v n="$n" 'BEGIN { printf "%s roundtrip-cpu %.1f\n", i, (a - o) / (n - 1) * 1e9 }'
	done
	lua5.4 luamod/bench/select.lua "$n" | sed 's/^/lua5.4 /'
done | tee "$tmp/all" | sed 's/^/run: /' >&2

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
pick() { awk -v i="$1" -v k="$2" '$1 == i && $2 == k { print $3 }' "$tmp/all"; }
echo
echo "$rounds rounds, N = $n, ns per operation (median, min):"
for k in roundtrip roundtrip-cpu timers select selectrt; do
	for i in lua5.4 luajit cmd/luaevent; do
		[ -n "$(pick $i $k)" ] || continue
		printf '%-14s %-14s %9.1f %9.1f\n' "$i" "$k" "$(pick $i $k | median)" "$(pick $i $k | sort -g | head -1)"
	done
done
for k in roundtrip roundtrip-cpu; do
	awk -v k=$k -v m="$(pick lua5.4 $k | median)" -v j="$(pick luajit $k | median)" -v g="$(pick cmd/luaevent $k | median)" \
		'BEGIN { printf "%s, module / cmd/luaevent (medians): lua5.4 %.2f, luajit %.2f (target <= 0.5)\n", k, m / g, j / g }'
done
