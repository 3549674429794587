package evchan

import (
	"context"
	"math"
	"time"
)

// A loop that waits in the kernel. A step of a loop over All that finds
// nothing to take, not even after its sources were probed, would wait for
// the supervisor to hand it an event, which the supervisor gets from the
// poller's goroutine: two hand-overs, each a thread wake-up when the
// goroutines run on different processors. Instead, when the container has
// one Waiter among its services (package poll's poller), the step waits in
// it, in the kernel, in its own goroutine, as libevent's loop does, and
// takes what that wait fires with no hand-over at all.
//
// Sharing the kernel: the Waiter's own goroutine (the poller's) and a loop
// never wait in it at once. A loop's Wait takes the waiting over from the
// poller's goroutine, which then stays out of the kernel until the last
// loop over All ends (Release); while a loop runs its body, nobody waits in
// the kernel, as in any single-threaded event loop, and the loop's next
// step looks again. A Waiter that cannot wait for the loop (events it
// reported wait to be taken: a level-triggered kernel would report them
// again at once) declines, gives the waiting back to its goroutine, and
// the step waits for its signal instead.
//
// Waking the loop: while a step waits in the kernel, it is the consumer
// events wait for, as a loop running its body is (loopsTakeThemselves),
// so the supervisor offers nothing and leaves deadlines to it. What would
// end or shorten its wait wakes the Waiter: an event becoming pending
// from another goroutine (Trigger, a source's firing), a deadline earlier
// than the one it waits until, Stop, Close, the container emptied, the
// loop's context done. Those happen under mu; the wake, a call of the
// Waiter, is owed until mu is released (unlock), since the container
// calls no user code while holding its lock (R14). The step fires the
// deadlines that passed itself when it wakes.
//
// Only one step waits in the kernel at a time. Another loop's step, or a
// loop's step while a step of Next waits on C, waits for its signal
// (direct.go).

// inlineState is what the container knows of a loop waiting in a Waiter.
type inlineState struct {
	waiter   Waiter // the one waiting now, or nil
	until    int64  // the deadline its wait ends at, if no wake comes first; MaxInt64: none
	wakeOwed bool   // waiter is to be woken once mu is released
	owner    Waiter // the Waiter a loop took the waiting over from, to Release when no loop runs
	broken   bool   // the Waiter's Wait panicked: loops wait for the signal from now on
	woken    bool   // a call woke the wait under way (unlock)
}

// A wait in the kernel pays off when the kernel ends it: what it fires is
// taken with no hand-over. A wait that another goroutine's call ends
// (Trigger, a timer set, a source's firing) costs a write to the Waiter's
// wake-up descriptor and the kernel's wake-up of the waiting thread, tens
// of microseconds across processors, where a goroutine woken by a channel
// costs one. So a loop whose kernel waits are ended by calls, with nothing
// fired, callsTolerated times in a row, waits for its signal for its next
// waits, leaving the kernel to the Waiter's goroutine, then tries the
// kernel again: for signalWaits waits the first time, twice as many each
// time the kernel fails it again, up to maxSignalWaits, and signalWaits
// again once a kernel wait fires something.
const (
	callsTolerated = 2
	signalWaits    = 64
	maxSignalWaits = 4096
)

// wakeInline notes that a loop waiting in the kernel is to be woken, once
// mu is released (unlock). Called with mu held.
func (c *Container) wakeInline() {
	if c.inline.waiter != nil {
		c.inline.wakeOwed = true
	}
}

// unlock releases mu, and then wakes a loop waiting in the kernel if a
// call under mu owed it a wake (wakeInline).
func (c *Container) unlock() {
	w := c.inline.waiter
	owed := c.inline.wakeOwed
	c.inline.wakeOwed = false
	if owed && w != nil {
		c.inline.woken = true
	}
	c.mu.Unlock()
	if owed && w != nil {
		c.callWake(w)
	}
}

// waitInKernel waits once in the Waiter w, at most timeout, for a step of
// a loop of All that found nothing to take; end is when that wait would
// end, for setDeadline to tell whether a new deadline comes earlier. It
// reports false, having waited for nothing, if w declined (what it
// reported waits to be taken): the step then waits for a signal. Called
// with mu held, which it holds again on return.
func (l *loop) waitInKernel(w Waiter, timeout time.Duration, end int64) bool {
	c := l.c
	c.inline.waiter, c.inline.until = w, end
	if c.inline.owner == nil {
		c.inline.owner = w
	}
	c.unlock()
	var stop func() bool
	if l.ctx.Done() != nil {
		stop = context.AfterFunc(l.ctx, func() {
			c.mu.Lock()
			c.wakeInline()
			c.unlock()
		})
	}
	if end == math.MaxInt64 {
		timeout = -1
	}
	fired, waited, panicked := c.callWait(w, timeout)
	if stop != nil {
		stop()
	}
	c.mu.Lock()
	woken := c.inline.woken
	c.inline.waiter, c.inline.until, c.inline.wakeOwed, c.inline.woken = nil, math.MaxInt64, false, false
	switch {
	case fired > 0:
		l.calledOut, l.backoff = 0, 0
	case woken:
		if l.calledOut++; l.calledOut == callsTolerated {
			l.backoff = min(max(2*l.backoff, signalWaits), maxSignalWaits)
			l.calledOut, l.onSignal = 0, l.backoff
		}
	}
	switch {
	case panicked:
		// A Waiter that panicked once would again: the loops wait for
		// the signal from now on, and Release is still owed to w, in
		// case it kept the waiting.
		c.inline.broken = true
	case !waited:
		c.inline.owner = nil // w gave the waiting back to its goroutine
	}
	return waited
}

// inlineWaiter returns the Waiter a step may wait in now, or nil: the
// container must have exactly one, no other step may be waiting in it, and
// no step of Next may be waiting on C (it needs the supervisor, which
// serves nothing while a loop waits in the kernel). Called with mu held.
func (c *Container) inlineWaiter() Waiter {
	if c.inline.waiter != nil || c.loops.steps > 0 || c.closed || c.inline.broken {
		return nil
	}
	return c.services.soleWaiter()
}

// leaveKernel gives the waiting back to the Waiter's goroutine for a loop
// that waits for its signal for a while (signalWaits), unless another loop
// waits in the kernel. It reports whether it did, having released mu
// meanwhile. Called with mu held, which it holds again on return.
func (c *Container) leaveKernel() bool {
	w := c.inline.owner
	if w == nil || c.inline.waiter != nil {
		return false
	}
	c.inline.owner = nil
	c.unlock()
	c.callRelease(w)
	c.mu.Lock()
	return true
}

// releaseInline gives the waiting back to the Waiter's goroutine once no
// loop over All runs. Called without mu.
func (c *Container) releaseInline() {
	c.mu.Lock()
	var w Waiter
	if c.loops.running == 0 && c.inline.waiter == nil {
		w, c.inline.owner = c.inline.owner, nil
	}
	c.unlock()
	if w != nil {
		c.callRelease(w)
	}
}
