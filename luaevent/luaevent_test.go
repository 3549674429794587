package luaevent_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/luaevent"
)

// newState returns a Lua state with the event module preloaded, a global
// now() in seconds since the start and `ev`, a new set. It is closed at the
// end of the test.
func newState(t testing.TB) *lua.LState {
	t.Helper()
	L := lua.NewState()
	luaevent.Preload(L)
	start := time.Now()
	L.SetGlobal("now", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(time.Since(start).Seconds()))
		return 1
	}))
	if err := L.DoString(`event = require("event"); ev = event.newset()`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		luaevent.Close(L)
		L.Close()
	})
	return L
}

func run(t testing.TB, L *lua.LState, code string) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		t.Fatalf("%v\nin:\n%s", err, code)
	}
}

// TestScripts runs the Lua scripts of testdata; each names the rules of
// CONTRACT.md it checks in its first comment. They use only virtual events and
// timers, so they run in a synctest bubble on its virtual clock. Each sees
// now() and GOOS, for the few lines that differ by platform.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.lua")
	if err != nil || len(files) == 0 {
		t.Fatal("no scripts", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				L := lua.NewState()
				defer L.Close()
				luaevent.Preload(L)
				defer luaevent.Close(L)
				start := time.Now()
				L.SetGlobal("now", L.NewFunction(func(L *lua.LState) int {
					L.Push(lua.LNumber(time.Since(start).Seconds()))
					return 1
				}))
				L.SetGlobal("GOOS", lua.LString(runtime.GOOS))
				if err := L.DoFile(f); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func TestReturnValues(t *testing.T) {
	L := newState(t)
	run(t, L, `
		assert(type(event.newset) == "function")
		assert(type(event.newset(1)) == "userdata", "numobj accepted")
		local id = ev:add("V", nil, "ctx", 1)
		assert(type(id) == "number" and id == math.floor(id) and id > 0)
		assert(ev:set(id, "c2") == id)
		assert(ev:set(id, "c3", 2) == id)
		assert(ev:set(id, "c3", "no timeout") == id)
		assert(ev:trigger(id) == id)
		local o = ev:once({})
		assert(type(o) == "number" and o > id)
		assert(select("#", ev:stop()) == 0)
		local f, s, init = ev(false)
		assert(type(f) == "function" and s == ev and init == nil)
		local got = {}
		for id, why, src, ctx in f, s, init do got[#got+1] = id end
		assert(#got == 2 and got[1] == id and got[2] == o)
		assert(f() == nil, "an ended iterator keeps returning nil")
		assert(ev:del(id) == id)
		assert(ev:del(id) == nil)
		assert(ev:set(id, 1) == nil and ev:trigger(id) == nil)
		assert(select("#", ev:clear()) == 0)
		assert(tostring(ev):find("event set"))
	`)
}

func TestLettersVirtualTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		L := newState(t)
		run(t, L, `
			local v = ev:add("v", true, "v")
			local V = ev:add("V", false, "V")
			local t = ev:add("t", 0.01, "t")
			local T = ev:add("T", 0.02, "T")
			local got = {}
			for id, why, src, ctx in ev(true) do
				got[ctx] = (got[ctx] or 0) + 1
				assert(why == (ctx:lower() == "v" and "triggered" or "timeout"), ctx .. " " .. why)
				if ctx == "v" then ev:trigger(V) end
				if ctx == "T" and got.T == 2 then ev:del(T); ev:del(V) end
			end
			assert(got.v == 1 and got.V == 1 and got.t == 1 and got.T == 2)
		`)
	})
}

func TestBlockEndsOnContextCancel(t *testing.T) {
	L := newState(t)
	ctx, cancel := context.WithCancel(context.Background())
	L.SetContext(ctx)
	run(t, L, `v = ev:add("V", nil, "never")`)
	done := make(chan error, 1)
	go func() { done <- L.DoString(`for id in ev(true) do error("no event") end; ended = true`) }()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("ev(true) returned before the cancel: %v", err)
	default:
	}
	cancel()
	select {
	case <-done: // gopher-lua may also report the cancelled context as an error
	case <-time.After(5 * time.Second):
		t.Fatal("ev(true) still blocked after the state's context was cancelled")
	}
	L.RemoveContext()
	run(t, L, `assert(ev:trigger(v) == v)
		for id, why, src, ctx in ev(false) do assert(id == v and ctx == "never") end`)
}

// TestBadArguments checks that each bad call raises a Lua error with a
// clear message and leaves the set intact (R15).
func TestBadArguments(t *testing.T) {
	L := newState(t)
	run(t, L, `keep = ev:add("V", nil, "keep"); tmr = ev:add("T", 1000, "tmr")`)
	cases := []struct{ code, want string }{
		{`ev:add("q")`, `bad argument #1 to 'add' (unknown event type "q")`},
		{`ev:add("")`, `bad argument #1 to 'add' (unknown event type "")`},
		{`ev:add("vv")`, `bad argument #1 to 'add' (unknown event type "vv")`},
		{`ev:add()`, `bad argument #1 to 'add' (event type (string) expected, got no value)`},
		{`ev:add(1, nil)`, `bad argument #1 to 'add' (event type (string) expected, got number)`},
		{`ev:add("v", 1)`, `bad argument #2 to 'add' (initial state (nil or boolean) expected, got number)`},
		{`ev:add("t", 0)`, `bad argument #2 to 'add' (timer interval must be > 0, got 0)`},
		{`ev:add("T", -1)`, `bad argument #2 to 'add' (timer interval must be > 0, got -1)`},
		{`ev:add("t", "x")`, `bad argument #2 to 'add' (timer interval (number of seconds) expected, got string)`},
		{`ev:add("t", 0/0)`, `bad argument #2 to 'add' (timer interval must be > 0`},
		{`ev:add("t", 1e300)`, `bad argument #2 to 'add' (timer interval 1e+300 seconds is too long)`},
		{`ev:add("r", -1)`, `bad argument #2 to 'add' (invalid file descriptor -1)`},
		{`ev:add("r", 1.5)`, `bad argument #2 to 'add' (invalid file descriptor 1.5)`},
		{`ev:add("r")`, `bad argument #2 to 'add' (file descriptor (integer or object with getfd) expected, got no value)`},
		{`ev:add("w", {})`, `bad argument #2 to 'add' (file descriptor expected, got table without getfd())`},
		{`ev:add("w", {getfd = function() return "x" end})`, `bad argument #2 to 'add' (getfd() returned string, not a file descriptor)`},
		{`ev:add("w", {getfd = function() error("boom") end})`, `boom`},
		{`ev:add("s", "SIGNOPE")`, `bad argument #2 to 'add' (`},
		{`ev:add("s", "SIGKILL")`, `bad argument #2 to 'add' (`},
		{`ev:add("S", "SIGSTOP")`, `bad argument #2 to 'add' (`},
		{`ev:add("S", 99999)`, `bad argument #2 to 'add' (`},
		{`ev:add("r", 99999)`, `bad argument #2 to 'add' (`},
		{`ev:add("x", 2^40)`, `bad argument #2 to 'add' (invalid file descriptor`},
		{`ev:add("s", {})`, `bad argument #2 to 'add' (signal name or number expected, got table)`},
		{`ev:add("v", nil, nil, -1)`, `bad argument #4 to 'add' (negative timeout -1)`},
		{`ev:add("v", nil, nil, 0/0)`, `bad argument #4 to 'add' (NaN seconds)`},
		{`ev:add("v", nil, nil, 1e300)`, `bad argument #4 to 'add' (1e+300 seconds is too long)`},
		{`ev:set()`, `bad argument #1 to 'set' (event id (number) expected, got no value)`},
		{`ev:set("1")`, `bad argument #1 to 'set' (event id (number) expected, got string)`},
		{`ev:set(keep, 1, -2)`, `bad argument #3 to 'set' (negative timeout -2)`},
		{`ev:trigger({})`, `bad argument #1 to 'trigger' (event id (number) expected, got table)`},
		{`ev:del(nil)`, `bad argument #1 to 'del' (event id (number) expected, got no value)`},
		{`ev.add(1, "v")`, `calling 'add' on bad self (event set expected, got number)`},
		{`ev.stop({})`, `calling 'stop' on bad self`},
		{`ev.clear()`, `calling 'clear' on bad self`},
		{`ev.once("x")`, `calling 'once' on bad self`},
		{`ev("yes")`, `bad argument #1 to 'event set call' (block (boolean, number or nil) expected, got string)`},
		{`ev(0/0)`, `NaN seconds`},
		{`event.newset("x")`, `bad argument #1 to 'newset' (number expected, got string)`},
		{`setmetatable(ev, {})`, `cannot change a protected metatable`},
	}
	if runtime.GOOS == "windows" {
		cases = append(cases,
			struct{ code, want string }{`ev:add("h", "x")`, `bad argument #2 to 'add' (handle (positive integer) expected, got string)`},
			struct{ code, want string }{`ev:add("H", 0)`, `bad argument #2 to 'add' (handle (positive integer) expected, got number)`})
	} else {
		cases = append(cases,
			struct{ code, want string }{`ev:add("h", 1)`, `bad argument #1 to 'add' (event type "h" is not supported on this platform)`},
			struct{ code, want string }{`ev:add("M")`, `bad argument #1 to 'add' (event type "M" is not supported on this platform)`})
	}
	for _, c := range cases {
		err := L.DoString(c.code)
		if err == nil {
			t.Errorf("%s: no error", c.code)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.code, err, c.want)
		}
		// the set is intact
		run(t, L, `
			assert(ev:trigger(keep) == keep, "keep survives")
			local n = 0
			for id, why, src, ctx in ev(false) do n = n + 1; assert(id == keep and ctx == "keep") end
			assert(n == 1, "only keep was pending")
			assert(ev:set(tmr, "tmr") == tmr)`)
	}
}

func TestClosedSet(t *testing.T) {
	L := newState(t)
	run(t, L, `v = ev:add("V")`)
	luaevent.Close(L)
	run(t, L, `
		assert(ev:trigger(v) == nil and ev:del(v) == nil and ev:set(v, 1) == nil)
		ev:stop(); ev:clear()
		for id in ev(true) do error("closed") end
		local ok, err = pcall(ev.add, ev, "v")
		assert(not ok and err:find("closed"), err)
		ok, err = pcall(ev.once, ev, 1)
		assert(not ok and err:find("closed"), err)
	`)
}
