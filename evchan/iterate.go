package evchan

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// A Mode says how a loop over a container waits: the draft's block argument
// (R13). The zero Mode is Auto, as the draft's nil is its default.
type Mode struct {
	wait   waitKind
	within time.Duration
}

type waitKind uint8

const (
	waitAuto waitKind = iota
	waitBlock
	waitNever
	waitWithin
)

var (
	// Auto blocks while the container holds a timer or an event with a
	// timeout (something is certain to fire), and is NoWait otherwise. The
	// choice is made again at each step. The draft's nil.
	Auto = Mode{}
	// Block waits for the next event. The draft's true.
	Block = Mode{wait: waitBlock}
	// NoWait returns the events pending when the loop starts, then ends; events
	// that become pending during the loop wait for the next one, so the loop
	// always ends. The draft's false.
	NoWait = Mode{wait: waitNever}
)

// Within waits up to d at each step and ends the loop when d passes with
// nothing delivered: the draft's number of seconds. A d <= 0 is NoWait.
func Within(d time.Duration) Mode {
	if d <= 0 {
		return NoWait
	}
	return Mode{wait: waitWithin, within: d}
}

// String returns the mode as Go code would write it.
func (m Mode) String() string {
	switch m.wait {
	case waitBlock:
		return "Block"
	case waitNever:
		return "NoWait"
	case waitWithin:
		return fmt.Sprintf("Within(%v)", m.within)
	}
	return "Auto"
}

// All returns an iterator over the events that fire, the draft's
// `for id, reason, src, ctx in ev(block)`:
//
//	for e := range c.All(evchan.Block) { ... }
//
// In every mode the loop ends when the container is empty, when Stop or
// Close is called, or as mode says (R13). Do not run two loops over one
// container at once: like the draft's iterators, they would share events.
//
// The loop takes pending events itself and re-arms a persistent event when
// its body is done rather than when it is delivered (see "C or a loop" in
// the package documentation). With level-triggered sources such as
// package poll's, the container's descriptors are polled again at the
// loop's next step: what became ready while the body ran is delivered
// then, as the next events, and a real firing found then still wins over a
// timeout not yet delivered (R7).
func (c *Container) All(mode Mode) iter.Seq[Event] {
	return c.AllContext(context.Background(), mode)
}

// AllContext is All, also ending when ctx is done.
//
// A loop takes the events already pending itself, without a hand-over from
// the container's goroutine, and re-arms the persistent event it delivered
// (lets its source report it again) when its body asks for the next event,
// or when the loop ends: the way an event loop polls again once its
// callbacks have run. A descriptor the body has just read is then not
// reported again for data the body already took, and a chain of events
// (the body writes what makes the next descriptor ready) is delivered with
// no goroutine switch. Events that become pending while the loop waits
// are handed over by the container's goroutine.
func (c *Container) AllContext(ctx context.Context, mode Mode) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		l := c.startLoop(ctx, mode)
		l.startDirect()
		defer l.endDirect()
		var e Event
		for l.next(&e) && yield(e) {
		}
	}
}

// Next takes one event as one step of a loop in mode would, waiting as mode
// says, and reports false if there is none: the container is empty, Stop or
// Close was called while it waited, ctx is done, or mode's wait passed.
func (c *Container) Next(ctx context.Context, mode Mode) (Event, bool) {
	var e Event
	ok := c.startLoop(ctx, mode).next(&e)
	return e, ok
}

// loop is the state of one iteration.
type loop struct {
	c       *Container
	ctx     context.Context
	mode    Mode
	stopped <-chan struct{} // the Stop epoch the loop started in (R10)
	limit   seq             // NoWait takes only events pending before this

	// direct is set for All's loops, whose steps take pending events
	// themselves (nextDirect) and re-arm what they delivered. Next's steps
	// leave all that to the supervisor, since no later step tells them when
	// to re-arm.
	direct bool
	// rearmID is the event the loop delivered last, to be re-armed by the
	// next step or when the loop ends, if it is persistent and still there.
	rearmID ID
	// wakeAt ends a step's wait at the earliest deadline (direct.go).
	wakeAt *time.Timer
	// signal wakes a step waiting for something to become pending
	// (direct.go); capacity 1.
	signal chan struct{}
	// calledOut counts the loop's last waits in the kernel that calls
	// from other goroutines ended with nothing fired; onSignal, the waits
	// it makes on its signal instead from then on, backoff the last such
	// stretch (inline.go).
	calledOut, onSignal, backoff int
	// declined says the container's Waiter declined the step's last wait
	// in the kernel: its next wait is for the signal (direct.go).
	declined bool
}

func (c *Container) startLoop(ctx context.Context, mode Mode) *loop {
	if ctx == nil {
		ctx = context.Background()
	}
	c.mu.Lock()
	defer c.unlock()
	return &loop{c: c, ctx: ctx, mode: mode, stopped: c.stopped, limit: c.lastSeq}
}

// next takes the loop's next event and writes it to ev.
func (l *loop) next(ev *Event) bool {
	c := l.c
	if l.ended() {
		return false
	}

	c.mu.Lock()
	c.settleDeletingOffer()
	if c.closed || c.ids.len() == 0 {
		c.unlock()
		return false
	}
	wait := l.mode.wait
	if wait == waitAuto {
		wait = waitNever
		if c.nTimed > 0 {
			wait = waitBlock
		}
	}
	if l.direct {
		return l.nextDirect(wait, ev) // and mu is released
	}
	if wait == waitNever {
		c.unlock()
		return c.pull(l.limit, ev)
	}
	// Counted as waiting, the step is offered events even while a loop
	// over All runs its body, this step's caller maybe (direct.go).
	c.loops.steps++
	c.flushDeferredOffer()
	emptied := c.emptied
	c.unlock()
	defer func() {
		c.mu.Lock()
		c.loops.steps--
		c.unlock()
	}()

	timeout, stop := l.stepTimeout(wait)
	defer stop()
	select {
	case e, ok := <-c.out:
		*ev = e
		return ok
	case <-l.stopped:
	case <-l.ctx.Done():
	case <-emptied:
	case <-timeout:
	}
	return false
}

// ended reports whether Stop was called since the loop started, or its
// context is done.
//
// Two single-channel looks rather than one select: a non-blocking receive
// from one open, empty channel takes no lock, and a step makes this look
// at every event.
func (l *loop) ended() bool {
	select {
	case <-l.stopped:
		return true
	default:
	}
	select {
	case <-l.ctx.Done():
		return true
	default:
		return false
	}
}

// stepTimeout returns what ends a Within step's wait, and what releases it.
func (l *loop) stepTimeout(wait waitKind) (<-chan time.Time, func()) {
	if wait != waitWithin {
		return nil, func() {}
	}
	t := time.NewTimer(l.mode.within)
	return t.C, func() { t.Stop() }
}

// pull asks the supervisor for the head of the queue if it became pending no
// later than limit: one NoWait step. The event is written to ev.
func (c *Container) pull(limit seq, ev *Event) bool {
	c.noWait.mu.Lock()
	defer c.noWait.mu.Unlock()
	c.mu.Lock()
	if c.closed {
		c.unlock()
		return false
	}
	c.noWait.want, c.noWait.limit = true, limit
	c.kick()
	c.unlock()
	p := <-c.noWait.resp
	*ev = p.ev
	return p.ok
}
