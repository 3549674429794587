// Package core is the part of the LuaEvents draft's "event" module that does
// not depend on a Lua implementation: the argument rules, the errors they
// give, and the sets with their iterators. It is the one home of those rules
// for the two bindings built on it, package luaevent (gopher-lua, a Lua
// written in Go) and the C module in the repository's luamod directory
// (event.so for the reference Lua 5.4 and LuaJIT), so that a script meets
// one set of semantics and one set of error messages in both. Lua programs
// never see this package; write a binding with it.
//
// # Values
//
// A binding describes each argument as a Value: its Lua type and, for the
// types the rules read, its contents (a number, with the integer subtype of
// Lua 5.3 and later; a string; a boolean). What only the interpreter can do
// for an argument (call its getfd method, look inside an io library file
// handle) is asked of an Object, which the binding gives for tables and
// userdata only. Values are plain structs: describing the arguments of a
// call allocates nothing.
//
// # What the binding keeps
//
// The Lua values of an event (its source as given and its associated object,
// the draft's context) stay on the binding's side, since only the binding
// can keep Lua values alive; the core tells it when to let them go:
//
//   - Add returns the new ID: keep the source and the context under it.
//   - Set reports ok: replace the context.
//   - Once returns the ID: keep the context, and true as its source.
//   - Del reports ok: forget both.
//   - Next returns an Event with Last set (a one-shot event, or one whose
//     source failed for good): forget both once it is handed to Lua.
//   - Clear and Close: forget everything.
//
// # Errors
//
// Every method reports a bad argument as an error and changes nothing
// (R15); the binding raises it as a Lua error with its Error text. An
// *ArgError reads "bad argument #n to 'f' (...)", numbering the arguments
// as Lua does for a method call (self not counted); a *SelfError reads
// "calling 'f' on bad self (event set expected, got ...)"; ErrClosed is what
// add and once raise on a closed set. An error that an Object's method
// returns (a getfd that raised) is returned unchanged, for the binding to
// raise again as it was.
//
// # Iteration
//
// Call starts one evchan loop (Container.Loop, a loop over All taken one
// step per call) per ev(block) call and ends the previous one, as the
// draft allows ("aborting the loop and creating a new iterator"); Next
// takes the loop's next event, on any goroutine (an evchan.Loop is bound
// to none). A binding must call the methods of one set (but Watching and
// Caught) from one goroutine at a time, as a Lua state is used by one
// thread at a time.
package core
