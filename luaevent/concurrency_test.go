//go:build unix

package luaevent_test

import (
	"os"
	"sync"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/luaevent"
)

// TestTwoStatesOneDescriptor runs two Lua states in two goroutines, each
// with its own set watching the same pipe: each sees its own event (R14).
func TestTwoStatesOneDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fd := r.Fd()
	var ready, wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := range 2 {
		ready.Add(1)
		wg.Go(func() {
			L := lua.NewState()
			defer L.Close()
			luaevent.Preload(L)
			defer luaevent.Close(L)
			L.SetGlobal("fd", lua.LNumber(fd))
			L.SetGlobal("ready", L.NewFunction(func(*lua.LState) int { ready.Done(); return 0 }))
			L.SetGlobal("me", lua.LNumber(i))
			errs <- L.DoString(`
				local ev = require("event").newset()
				local id = ev:add("R", fd, me)
				ready()
				local n = 0
				for i, why, src, ctx in ev(10) do
					assert(i == id and why == "readable" and src == fd and ctx == me)
					n = n + 1
					break
				end
				assert(n == 1, "no event")`)
		})
	}
	ready.Wait()
	w.Write([]byte("x"))
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
