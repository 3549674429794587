//go:build unix

package luaevent_test

import (
	"os"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestClosedDescriptor closes a pipe while a persistent "R" event watches
// it: the set must neither crash nor keep delivering (R15).
func TestClosedDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	L := newState(t)
	L.SetGlobal("fd", lua.LNumber(r.Fd()))
	L.SetGlobal("closefd", L.NewFunction(func(*lua.LState) int { r.Close(); return 0 }))
	run(t, L, `
		local id = ev:add("R", fd, "pipe")
		local keep = ev:add("V", nil, "keep")
		closefd()
		local n = 0
		for i, why, src, ctx in ev(0.3) do
			n = n + 1
			assert(i == id and ctx == "pipe", tostring(ctx))
			assert(n < 10, "a closed descriptor keeps firing")
		end
		assert(ev:trigger(keep) == keep)
		-- whatever happened, del is safe and the set still works
		ev:del(id)
		local got = 0
		for i, why, src, ctx in ev(false) do got = got + 1; assert(ctx == "keep") end
		assert(got == 1)
	`)
}

func TestLettersDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	L := newState(t)
	L.SetGlobal("rfd", lua.LNumber(r.Fd()))
	L.SetGlobal("wfd", lua.LNumber(w.Fd()))
	L.SetGlobal("write", L.NewFunction(func(L *lua.LState) int {
		w.Write([]byte(L.CheckString(1)))
		return 0
	}))
	L.SetGlobal("read", L.NewFunction(func(L *lua.LState) int {
		buf := make([]byte, 100)
		n, _ := r.Read(buf)
		L.Push(lua.LString(buf[:n]))
		return 1
	}))
	run(t, L, `
		-- one-shot readable on an integer fd
		local id = ev:add("r", rfd, "r")
		for _ in ev(0.05) do error("nothing to read yet") end
		write("a")
		local n = 0
		for i, why, src, ctx in ev(5) do
			n = n + 1
			assert(i == id and why == "readable" and src == rfd and ctx == "r")
		end
		assert(n == 1 and ev:del(id) == nil)
		assert(read() == "a")
		-- persistent readable on an object with getfd() (the LuaSocket rule)
		local obj = { getfd = function(self) return rfd end }
		local R = ev:add("R", obj, "R", 10)
		write("b")
		n = 0
		for i, why, src, ctx in ev(5) do
			assert(i == R and why == "readable" and src == obj and ctx == "R")
			assert(read() == (n == 0 and "b" or "c"))
			n = n + 1
			if n == 1 then write("c") else break end
		end
		assert(n == 2)
		assert(ev:del(R) == R)
		-- writable, both forms
		local w1 = ev:add("w", wfd, "w")
		local W = ev:add("W", wfd, "W")
		local got = {}
		for i, why, src, ctx in ev(5) do
			assert(why == "writable")
			got[ctx] = (got[ctx] or 0) + 1
			if got.W == 2 then ev:del(W) end
		end
		assert(got.w == 1 and got.W == 2)
		-- exception: nothing out-of-band on a pipe
		local x = ev:add("x", rfd, "x")
		local X = ev:add("X", rfd, "X")
		for _ in ev(0.02) do error("no exception expected") end
		assert(ev:del(x) == x and ev:del(X) == X)
	`)
}

// A persistent "W" on a pipe whose reader is gone is delivered with a
// passing error (POLLERR, Handle.Error): the event stays, and with it the
// source and context the iterator returns at every delivery (R1). Only a
// failure for good (Event.Last) makes the binding forget them.
func TestPersistentEventWithAnErrorKeepsItsContext(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r.Close()
	L := newState(t)
	L.SetGlobal("fd", lua.LNumber(w.Fd()))
	run(t, L, `
		local id = ev:add("W", fd, "ctx")
		local n = 0
		for i, why, src, ctx in ev(true) do
			n = n + 1
			assert(i == id and why == "writable", "delivery "..n..": "..tostring(i).." "..tostring(why))
			assert(ctx == "ctx" and src == fd, "delivery "..n..": ctx="..tostring(ctx).." src="..tostring(src))
			if n == 3 then break end
		end
	`)
}
