// Command luamod is the LuaEvents draft's "event" module for the reference
// Lua 5.4 and for LuaJIT 2.1, as a C library built with cgo: event.so,
// loaded by require("event") from package.cpath.
//
//	luamod/build.sh            # build/lua5.4/event.so and build/luajit/event.so
//	LUA_CPATH='luamod/build/lua5.4/?.so;;' lua5.4 script.lua
//
// It is the sibling of package luaevent, the gopher-lua binding: both are
// thin layers over package luaevent/core, which holds every rule of the API
// (arguments, return values, errors, the iterator). event.c is the Lua C
// API side; this package is the Go side, built with
// go build -buildmode=c-shared (build.sh passes the Lua headers).
//
// Each set is a userdata holding a handle to its Go side (sets.go); the
// Lua values of its events, sources and associated objects, are kept in a
// table that is the userdata's user value (its environment in LuaJIT):
// context at t[id], source at t[-id]. They are released when del succeeds,
// when a one-shot event (or one whose descriptor failed) is delivered, on
// clear, and with the set: __gc closes the container, ending its goroutines,
// and the table goes with the userdata. Keeping them in the set's own table
// rather than in the registry lets the collector free a set whose callbacks
// refer to the set itself.
//
// A call from C into Go costs more than the work a round trip does (a
// trigger in a loop's body, then the iterator's next call), so a round
// trip makes one: the trigger also learns the event the loop's next step
// will take when that is already certain (evchan Loop.TriggerAhead), the
// iterator hands it to Lua without a call into Go, and the set's next
// call into Go, whichever it is, first makes the step that takes it
// (takeOwed; a trigger makes it under its own lock, TriggerAhead's took;
// event.c, evset).
//
// A loop that may wait (ev(true), ev(seconds), ev()) watches SIGINT while
// the set has no "s" event for it (interrupt.go): Ctrl-C while the loop
// waits in Go ends the wait with the Lua error "interrupted!", as the
// stand-alone interpreter says when Ctrl-C stops Lua code; Ctrl-C while the
// loop's body runs is passed back to the interpreter's own handler.
//
// The library is never unloaded (a Go runtime cannot be): Go marks a
// c-shared library NODELETE, and luaopen_event pins it again, so that the
// dlclose of lua_close does nothing.
package main

func main() {}
