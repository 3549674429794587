#!/usr/bin/env bash
# Runs the module's tests under one interpreter:
#
#   luamod/test/run.sh lua5.4|luajit [module dir]
#
# The module dir holds event.so (default luamod/build/<interpreter>). It
# needs the interpreter, Debian's lua-socket, and gcc with the Lua headers
# (for states.c); .ci/lua installs them and builds the module first. Every
# part runs, and the parts that failed are listed at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
lua=${1:?usage: run.sh lua5.4|luajit [module dir]}
mod=${2:-luamod/build/$lua}
[ -f "$mod/event.so" ] || { echo "no $mod/event.so: run luamod/build.sh first" >&2; exit 1; }
mod=$(cd "$mod" && pwd)
export LUA_CPATH="$mod/?.so;;"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# LuaJIT runs no hook in compiled code, so Ctrl-C cannot stop a busy loop
# it compiled (with or without this module): the Ctrl-C tests turn the JIT off.
luaopts=()
[ "$lua" = luajit ] && luaopts=(-joff)
scale=0.05 # the examples' timers, scaled

run() { timeout -k 5 "${TIMEOUT:-120}" "$lua" "$@"; }
# LuaJIT's print does not flush: servers whose output is read meanwhile
# run line-buffered.
serve() { timeout -k 5 "${TIMEOUT:-120}" stdbuf -oL "$lua" "$@"; }
fail() {
	echo "$*"
	kill $(jobs -p) 2>/dev/null # the servers this part started
	exit 1
}

api() {
	run luamod/test/api.lua
	run luamod/test/sources.lua
	run luamod/test/fuzz.lua "${FUZZ_SEED:-$RANDOM}" 50000
}

testdata() {
	local f
	for f in badargs body del lifetime virtual; do
		run "luaevent/testdata/$f.lua"
		echo "$f.lua ok"
	done
	# control.lua and timers.lua need the Go harness's now(): given here
	for f in control timers; do
		run -e 'local s = require("socket"); local t0 = s.gettime(); function now() return s.gettime() - t0 end' \
			"luaevent/testdata/$f.lua"
		echo "$f.lua ok (now() supplied)"
	done
}

expect() { # expect file want: run file with scaled timers, compare its output
	local out
	out=$(run -e "scale=$scale" "examples/lua/$1")
	[ "$out" = "$2" ] || fail "$(printf '%s: got\n%s\nwant\n%s' "$1" "$out" "$2")"
	echo "$1 ok"
}

examples() {
	expect callback.lua $'object event\tacceptor\ttrue\t1\nTimer expired!\nobject event\tacceptor\ttrue\t2\ndone'
	expect persistent.lua $'Oh no, the timer expired again!\nOh no, the timer expired again!\nOh no, the timer expired again!\ndone'
	expect trigger.lua $'triggered\nTriggered!\ntimeout\nLifetime over!\ndone'
	local out
	out=$(run -e "scale=$scale" examples/lua/del.lua)
	case $out in
	1$'\n'*$'deleted\ttrue\ndone') echo "del.lua ok" ;;
	*) fail "$(printf 'del.lua: got\n%s' "$out")" ;;
	esac
	out=$(run examples/lua/once.lua)
	[[ $out =~ ^Hello\ world!$'\n'The\ current\ time\ is:$'\t'[0-9.e+]+$'\n'done$ ]] ||
		fail "$(printf 'once.lua: got\n%s' "$out")"
	echo "once.lua ok"

	# The first example loops for ever, as the draft's: 40 scaled seconds,
	# then Ctrl-C, which must end its wait with "interrupted!".
	"$lua" "${luaopts[@]}" -e "scale=$scale" examples/lua/simple.lua >"$tmp/simple.out" 2>"$tmp/simple.err" &
	local pid=$! rc=0
	sleep "$(awk "BEGIN { print 40 * $scale }")"
	kill -INT $pid
	wait $pid || rc=$?
	[ $rc -eq 1 ] && grep -q 'interrupted!' "$tmp/simple.err" ||
		fail "$(printf 'simple.lua: exit %s\n' $rc; cat "$tmp/simple.err")"
	cut -f2 "$tmp/simple.out" >"$tmp/simple.msgs"
	printf '%s\n' "One-shot timer expired" "Periodic timer triggered" "Virtual event triggered" \
		"One second later ..." "Periodic timer triggered" "Periodic timer triggered" >"$tmp/simple.want"
	head -6 "$tmp/simple.msgs" | cmp -s - "$tmp/simple.want" || fail "$(echo "simple.lua: got"; cat "$tmp/simple.out")"
	! tail -n +7 "$tmp/simple.msgs" | grep -v -x 'Periodic timer triggered' || fail "simple.lua: unexpected lines"
	echo "simple.lua ok ($(wc -l <"$tmp/simple.out") lines, then Ctrl-C: $(grep -o '[^ ]*interrupted!' "$tmp/simple.err" | head -1))"
}

# wait_listening out: sets port to what a server printed as "listening <port>"
wait_listening() {
	local i
	for i in $(seq 100); do
		port=$(awk '$1 == "listening" { print $2; exit }' "$1")
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	fail "$(echo "no listening line in $1:"; cat "$1")"
}

sockets() {
	# The reader on a real LuaSocket connection (reader-luasocket.lua, the
	# draft's reader with settimeout(0) for seteventmode), fed by a client.
	serve examples/lua/reader-luasocket.lua 0 >"$tmp/reader.out" &
	local pid=$!
	wait_listening "$tmp/reader.out"
	run luamod/test/reader_client.lua "$port"
	wait $pid
	local want=$'got\thello world\ngot\tsecond line\ngot\tthird line\ngot\tfourth and last\nclosed\tclosed' got
	got=$(grep -v '^listening' "$tmp/reader.out")
	[ "$got" = "$want" ] || fail "$(printf 'reader-luasocket.lua: got\n%s\nwant\n%s' "$got" "$want")"
	echo "reader-luasocket.lua ok"

	# The echo server (examples/lua/echo.lua, unchanged) with 100 clients.
	serve examples/lua/echo.lua 0 10 >"$tmp/echo.out" &
	pid=$!
	wait_listening "$tmp/echo.out"
	run luamod/test/echo_clients.lua "$port" 100
	wait $pid
	grep -q -x $'served\t100' "$tmp/echo.out" || fail "$(echo "echo.lua:"; cat "$tmp/echo.out")"
	echo "echo.lua ok (served 100)"
}

# sigint name code rc text: runs code, sends SIGINT once it printed
# "waiting", wants exit status rc and text in its output.
sigint() {
	local name=$1 code=$2 rc_want=$3 text=$4 p rc=0 i
	"$lua" "${luaopts[@]}" -e "$code" >"$tmp/sig.out" 2>"$tmp/sig.err" &
	p=$!
	for i in $(seq 100); do grep -q waiting "$tmp/sig.out" && break; sleep 0.05; done
	sleep 0.2
	kill -INT $p
	wait $p || rc=$?
	[ $rc -eq "$rc_want" ] && grep -q -- "$text" "$tmp/sig.out" "$tmp/sig.err" ||
		fail "$(echo "$name: exit $rc, want $rc_want and $text"; cat "$tmp/sig.out" "$tmp/sig.err")"
	echo "$name ok"
}

ctrlc() {
	sigint "Ctrl-C in a blocked ev(true)" 'local ev = require("event").newset(); ev:add("V")
		print("waiting"); io.stdout:flush(); for id in ev(true) do end' 1 'interrupted!'
	sigint "Ctrl-C in a blocked ev(60)" 'local ev = require("event").newset(); ev:add("T", 100)
		print("waiting"); io.stdout:flush(); for id in ev(60) do end' 1 'interrupted!'
	sigint "Ctrl-C caught by pcall: the set goes on" 'local ev = require("event").newset(); local v = ev:add("V")
		print("waiting"); io.stdout:flush()
		local ok, err = pcall(function() for id in ev(true) do end end)
		print(ok, err); assert(not ok and err:find("interrupted!"))
		ev:trigger(v); for id, why in ev(false) do print("after", why) end' 0 $'after\ttriggered'
	sigint "Ctrl-C with an \"s\" event for SIGINT" 'local ev = require("event").newset(); ev:add("s", "SIGINT", "ctrl-c")
		print("waiting"); io.stdout:flush()
		for id, why, src, ctx in ev(true) do print(why, src, ctx) end; print("ended")' 0 $'signal\tSIGINT\tctrl-c'
	sigint "Ctrl-C in a busy loop body" 'local ev = require("event").newset(); ev:add("T", 0.01)
		print("waiting"); io.stdout:flush(); for id in ev(true) do local x = 0; while true do x = x + 1 end end' 1 'interrupted!'
	sigint "Ctrl-C after a break" 'local ev = require("event").newset(); ev:add("T", 0.01)
		for id in ev(true) do break end; print("waiting"); io.stdout:flush(); local x = 0; while true do x = x + 1 end' 1 'interrupted!'
}

states() {
	local inc lib
	case $lua in
	lua5.4) inc=/usr/include/lua5.4 lib=lua5.4 ;;
	luajit) inc=/usr/include/luajit-2.1 lib=luajit-5.1 ;;
	esac
	gcc -O2 -Wall -I"$inc" -o "$tmp/states" luamod/test/states.c -l"$lib" -lpthread
	timeout -k 5 120 "$tmp/states" "$mod/?.so"
}

# (LuaJIT keeps the traces it compiles in the Lua heap: compiled during the
# run, they would count as growth; the JIT is off for this one.)
leak() { run "${luaopts[@]}" luamod/test/leak.lua 100000; }

failed=()
# part title function: runs function in a subshell that stops at its first
# failing command. (Not as a condition, under "if" or "||": bash ignores
# set -e in a subshell run as one, and a part would then fail only by its
# last command.)
part() {
	printf '\n-- %s: %s\n' "$lua" "$1"
	(set -e; "$2")
	local rc=$?
	if [ $rc -ne 0 ]; then
		failed+=("$1")
		echo "FAILED: $1"
	fi
}
part "API, errors, sources (LuaSocket, descriptors, io files, signals), fuzz" api
part "luaevent/testdata, unchanged" testdata
part "the draft's examples (examples/lua), timers scaled by $scale" examples
part "the reader and the echo server on real LuaSocket" sockets
part "Ctrl-C" ctrlc
part "several Lua states on several threads, lua_close, a loop resumed on another thread" states
part "100,000 add/del cycles: no growth" leak

echo
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED under %s:\n' "$lua"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
echo "all tests passed under $lua"
