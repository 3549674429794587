package luaevent_test

import (
	"fmt"

	"github.com/evchan/evchan/luaevent"
	lua "github.com/yuin/gopher-lua"
)

// Preload makes require("event") give the draft's API; Close ends the
// containers the script made.
func ExamplePreload() {
	L := lua.NewState()
	defer L.Close()
	luaevent.Preload(L)
	defer luaevent.Close(L)
	err := L.DoString(`
		local event = require("event")
		local ev = event.newset()
		local vid = ev:add("V", false, "virtual event triggered")
		ev:once("once")
		ev:trigger(vid)
		for id, reason, src, ctx in ev(false) do print(reason, ctx) end`)
	fmt.Println(err)
	// Output:
	// triggered	once
	// triggered	virtual event triggered
	// <nil>
}

// Close releases every event set a state's scripts made, ending their
// loops and goroutines; a set used after it raises a Lua error.
func ExampleClose() {
	L := lua.NewState()
	defer L.Close()
	luaevent.Preload(L)
	L.DoString(`ev = require("event").newset(); ev:add("T", 3600, "hourly")`)
	luaevent.Close(L)
	err := L.DoString(`ev:add("v", true, "after Close")`)
	fmt.Println(err != nil)
	// Output: true
}
