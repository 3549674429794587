package main

// SIGINT while a loop waits: the stand-alone interpreter stops Lua code on
// Ctrl-C with a hook that runs at the next Lua instruction, which never
// comes while a loop waits in Go. So while a loop that may wait exists, the
// module watches SIGINT itself (os/signal): a SIGINT that arrives while the
// loop waits ends the wait, and the iterator raises "interrupted!"; one
// that arrives while Lua code runs (the loop's body, or after a break) is
// handed back to whatever handled SIGINT before, the interpreter's own, by
// stopping the watch and sending the signal again to the thread of the Lua
// state. A set with an "s" event for SIGINT gets it as that event instead:
// the script asked for it.

/*
#include "evlua.h"
*/
import "C"

import (
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
)

// interrupted is the message of a wait ended by SIGINT: the stand-alone
// interpreter's own.
const interrupted = "interrupted!"

// A guard is the SIGINT watch of one loop that may wait. SIGINT ends the
// loop as ev:stop() would (R10: pending events stay pending).
type guard struct {
	s           *cset
	thread      atomic.Int64 // the thread of the loop's latest step (event.c: slot and generation)
	waiting     atomic.Bool
	interrupted atomic.Bool
	// caught is the set's count of SIGINT events delivered (core.Set.Caught)
	// when the loop's latest step began, or when a SIGINT was last judged:
	// a count past it says that the SIGINT being judged is one an event
	// has just delivered, gone from Watching as a one-shot event is. The
	// watch goroutine may judge a signal after the step that delivered it
	// (and forgot its one-shot event) has returned.
	caught atomic.Uint64
}

var sigint struct {
	mu      sync.Mutex
	guards  map[*guard]struct{}
	ch      chan os.Signal
	on      atomic.Bool // signal.Notify in effect
	last    int64       // the thread of the latest guard
	started bool
}

// newGuard starts watching SIGINT for a loop of s run by thread.
func newGuard(s *cset, thread int64) *guard {
	g := &guard{s: s}
	g.thread.Store(thread)
	sigint.mu.Lock()
	defer sigint.mu.Unlock()
	if !sigint.started {
		sigint.started = true
		sigint.guards = map[*guard]struct{}{}
		sigint.ch = make(chan os.Signal, 1)
		go watch()
	}
	sigint.guards[g] = struct{}{}
	sigint.last = thread
	notify()
	return g
}

// notify starts the watch if it is off; sigint.mu is held.
func notify() {
	if !sigint.on.Load() {
		signal.Notify(sigint.ch, os.Interrupt)
		sigint.on.Store(true)
	}
}

// stopWatch stops the watch, giving SIGINT back to the handler it had
// when the watch started; sigint.mu is held.
func stopWatch() {
	if sigint.on.Load() {
		signal.Stop(sigint.ch)
		sigint.on.Store(false)
	}
}

// release ends the guard: its loop ended.
func (g *guard) release() {
	sigint.mu.Lock()
	defer sigint.mu.Unlock()
	delete(sigint.guards, g)
	if len(sigint.guards) == 0 {
		stopWatch()
	}
}

// enter is called before the loop's step, which may wait, made on thread.
func (g *guard) enter(thread int64) {
	g.thread.Store(thread)
	g.caught.Store(g.s.core.Caught(os.Interrupt))
	g.waiting.Store(true)
	if !sigint.on.Load() { // a SIGINT was handed back: watch again
		sigint.mu.Lock()
		if _, ok := sigint.guards[g]; ok {
			notify()
		}
		sigint.mu.Unlock()
	}
}

// leave is called when the step returns.
func (g *guard) leave() { g.waiting.Store(false) }

// watch handles each SIGINT while the watch is on.
func watch() {
	for range sigint.ch {
		sigint.mu.Lock()
		if !sigint.on.Load() {
			sigint.mu.Unlock()
			continue // caught before a stop, already handed back
		}
		handled := false
		var back []int64
		for g := range sigint.guards {
			caught := g.s.core.Caught(os.Interrupt)
			switch {
			case g.s.core.Watching(os.Interrupt), caught != g.caught.Swap(caught):
				handled = true // an "s" event of the set gets it, or got it
			case g.waiting.Load():
				g.interrupted.Store(true)
				g.s.core.Stop()
				handled = true
			default:
				back = append(back, g.thread.Load())
			}
		}
		if handled {
			sigint.mu.Unlock()
			continue
		}
		// Lua code runs: give the signal back to the interpreter.
		stopWatch()
		if len(back) == 0 {
			back = append(back, sigint.last)
		}
		sigint.mu.Unlock()
		seen := map[int64]bool{}
		for _, t := range back {
			if !seen[t] {
				seen[t] = true
				C.ev_sigint(C.longlong(t))
			}
		}
	}
}
