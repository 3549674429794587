// Package luaevent binds evchan containers to gopher-lua as the LuaEvents
// draft's "event" module: the API of "LuaEvents: Event support for the Lua
// language", the event mechanism Mike Pall and Diego Nehab designed for
// LuaSocket, as A. Sietsma's draft posted to the lua-l mailing list gives it
// (the project's CONTRACT.md states its rules):
//
//	local event = require("event")
//	local ev = event.newset()
//	local tid = ev:add("T", 5.0, "Periodic timer triggered")
//	for id, reason, src, ctx in ev(true) do ... end
//
// Preload registers the module in a Lua state; Close releases every
// container the state's scripts created.
//
// The rules of the API (what each argument may be, what each method
// returns, the error messages, the iterator) are package core's, which the
// repository's C module for the reference Lua 5.4 and LuaJIT (luamod,
// event.so) shares: a script meets the same semantics in both. This
// package only keeps the Lua values and raises the errors.
//
// # API
//
//   - event.newset([numobj]) returns a set; numobj is accepted and ignored
//     (the revised draft has exactly one context object per event).
//   - ev:add(type, source, context, timeout) returns the new id. type is one of
//     the draft's letters (v V t T r R w W x X s S; h H m M are refused on this
//     platform). The source is the initial state (nil, false, true) for
//     virtual events, a number of seconds for timers, an integer fd or any
//     object with a getfd() method for descriptors (the LuaSocket rule), a
//     signal name ("SIGUSR1") or number for signals. timeout is seconds;
//     a non-numeric timeout means none (the draft), a negative one is an
//     error (R15). As in sources.Parse, a timeout or timer interval is
//     accepted up to what a Go time.Duration holds (about 9.22e9 seconds),
//     one reaching past the container's clock (about 292 years) never
//     fires, and math.huge, 1/0, NaN or anything longer is an error rather
//     than clamped into another timer than the one written.
//   - ev:set(id, context, timeout), ev:trigger(id), ev:del(id) return the id,
//     or nil when it is invalid or deleted (R2, R5, R8). ev:once(context)
//     returns the id of a new triggered one-shot virtual event.
//   - ev:stop() and ev:clear() return nothing (R10, R11).
//   - ev(block) returns iterator, set, nil: block is true (Block), false
//     (NoWait), a number of seconds (Within) or nil (Auto) (R13). The
//     iterator returns id, reason, source, context, reason being one of
//     "triggered", "timeout", "readable", "writable", "exception", "signal".
//     A loop also ends when the state's context (LState.SetContext) is done.
//
// Each ev(block) call runs one evchan loop (so NoWait takes the events
// pending when that call was made). A loop left with break stays open until
// the next ev(...) call on the same set or Close; calling the old iterator
// after a new ev(...) returns nil. A descriptor event whose source failed
// for good (for example the fd was closed under it) is delivered with its
// reason and then deleted, even if persistent (Event.Last); one delivered
// with a passing error (a socket error) stays. The error itself is not
// passed to Lua, since the draft's iterator returns exactly four values.
//
// IDs are Lua numbers: an evchan.ID is exact in a float64 up to 2^53, far
// beyond the number of events any container adds in practice. gopher-lua,
// a Lua 5.1, has floats only; the C module for Lua 5.4 returns integers
// (math.type(id) == "integer"), which compare, index tables and print the
// same.
//
// The Lua state is not goroutine-safe, so contexts and sources as given by
// the script stay on the Lua side, in Go maps touched only by the goroutine
// running the state; the container only holds Go values.
//
// Bad arguments raise Lua errors in the usual form, for example
// `bad argument #1 to 'add' (unknown event type "q")`, and leave the set
// unchanged.
package luaevent
