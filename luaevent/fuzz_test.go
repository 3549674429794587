package luaevent

import (
	"fmt"
	"math"
	"os"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// FuzzMethods calls every method of a set with argument lists drawn from
// the bytes: bad arguments must raise Lua errors, never Go panics, and the
// set must stay intact (R15): its Lua-side tables mirror the container, and
// it still adds and delivers events.
func FuzzMethods(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{0, 0, 4, 0, 1, 5, 2, 6, 7, 7, 3, 8})
	f.Add([]byte{1, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Add([]byte{0, 2, 16, 25, 7, 1, 4, 26, 8, 0, 0, 3, 5, 6})
	f.Fuzz(runFuzzOne)
}

// checkTables fails unless the Lua-side tables of s mirror its container.
func checkTables(t *testing.T, s *set, after string) {
	t.Helper()
	if s.c.Len() != len(s.ctx) || len(s.ctx) != len(s.src) {
		t.Fatalf("after %s: container holds %d events, tables %d %d", after, s.c.Len(), len(s.ctx), len(s.src))
	}
}

// runFuzzOne is one run of FuzzMethods.
func runFuzzOne(t *testing.T, data []byte) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	L := lua.NewState()
	defer L.Close()
	Preload(L)
	defer Close(L)
	if err := L.DoString(`ev = require("event").newset()`); err != nil {
		t.Fatal(err)
	}
	ud := L.GetGlobal("ev").(*lua.LUserData)
	s := ud.Value.(*set)
	fdObj := L.NewTable()
	L.SetField(fdObj, "getfd", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(r.Fd()))
		return 1
	}))
	badObj := L.NewTable()
	L.SetField(badObj, "getfd", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(-3))
		return 1
	}))
	pool := []lua.LValue{
		lua.LNil, lua.LTrue, lua.LFalse,
		lua.LNumber(0), lua.LNumber(1), lua.LNumber(2), lua.LNumber(3), lua.LNumber(-1),
		lua.LNumber(0.001), lua.LNumber(1.5), lua.LNumber(1000), lua.LNumber(1e300),
		lua.LNumber(math.NaN()), lua.LNumber(math.Inf(1)), lua.LNumber(math.Inf(-1)),
		lua.LString("v"), lua.LString("V"), lua.LString("t"), lua.LString("T"),
		lua.LString("r"), lua.LString("W"), lua.LString("x"), lua.LString("q"),
		lua.LString(""), lua.LString("SIGKILL"), lua.LString("h"),
		lua.LNumber(r.Fd()), fdObj, badObj, L.NewTable(), ud,
	}
	methods := []string{"add", "set", "trigger", "once", "del", "stop", "clear", "call"}
	for len(data) > 0 {
		m := methods[int(data[0])%len(methods)]
		data = data[1:]
		n := 0
		if len(data) > 0 {
			n = int(data[0]) % 5
			data = data[1:]
		}
		var fn lua.LValue
		args := []lua.LValue{ud}
		if m == "call" {
			// ev(false) or ev(0.001) only: other modes may block for ever.
			// The loop stops after 100 events: a persistent timer of a
			// millisecond keeps an ev(0.001) loop going for ever, as it
			// should (each wait gets an event in time).
			mode := lua.LValue(lua.LFalse)
			switch n {
			case 1:
				mode = lua.LNumber(0.001)
			case 2, 3:
				// a bad mode (string, table, ...) must raise a Lua error
				if len(data) > 0 {
					v := pool[int(data[0])%len(pool)]
					data = data[1:]
					switch v.Type() {
					case lua.LTString, lua.LTTable, lua.LTUserData, lua.LTFunction:
						L.Push(ud)
						L.Push(v)
						if err := L.PCall(1, lua.MultRet, nil); err == nil {
							t.Fatalf("ev(%v) raised no error", v)
						} else if ae, ok := err.(*lua.ApiError); !ok || ae.Type != lua.ApiErrorRun {
							t.Fatalf("ev(%v): %v", v, err)
						}
						L.SetTop(0)
					}
				}
			}
			L.SetGlobal("mode", mode)
			if err := L.DoString(`local n = 0
				for id, why, src, ctx in ev(mode) do
					assert(type(id) == "number" and type(why) == "string")
					n = n + 1
					if n == 100 then break end
				end`); err != nil {
				t.Fatal(err)
			}
			checkTables(t, s, "call")
			continue
		}
		fn = L.GetField(ud, m)
		for range n {
			var v lua.LValue = lua.LNil
			if len(data) > 0 {
				v = pool[int(data[0])%len(pool)]
				data = data[1:]
			}
			args = append(args, v)
		}
		L.Push(fn)
		for _, a := range args {
			L.Push(a)
		}
		if err := L.PCall(len(args), lua.MultRet, nil); err != nil {
			if ae, ok := err.(*lua.ApiError); !ok || ae.Type != lua.ApiErrorRun {
				t.Fatalf("%s%v: %v", m, args[1:], err)
			}
		}
		L.SetTop(0)
		checkTables(t, s, fmt.Sprint(m, args[1:]))
	}
	if err := L.DoString(`
		ev:clear()
		local id = ev:once("ok")
		local n = 0
		for i, why, src, ctx in ev(false) do n = n + 1; assert(i == id and ctx == "ok") end
		assert(n == 1)`); err != nil {
		t.Fatal(err)
	}
}
