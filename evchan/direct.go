package evchan

import (
	"math"
	"slices"
	"time"
)

// A loop over All serves itself: its steps take the events already pending
// themselves, under mu, rather than have the supervisor hand each over (a
// hand-over costs two goroutine switches, and when the other goroutine runs
// on another processor, a thread wake-up), fire the deadlines that have
// passed, and, with nothing to take, look at the sources (Probe), then wait:
// in the kernel when they can (inline.go), or for a signal that something
// became pending. While loops over All run, they are the consumer events
// wait for: the supervisor offers nothing on C and leaves deadlines to them
// (loopsTakeThemselves), unless a step of Next waits on C, which may be
// called from a loop's body and must not wait for it. So a goroutine
// receiving from C beside a running loop gets events once the loop ends,
// or through Next.
//
// A step re-arms the persistent event the previous step delivered before it
// looks at the queue, so a level-triggered source (package poll) polls again
// at that moment, from the loop's goroutine, and reports what the body just
// made ready, which the step then takes: a loop whose body writes to the
// next descriptor of a chain runs as a single-threaded event loop does.

// startDirect makes l a loop of All: its steps take pending events
// themselves.
func (l *loop) startDirect() {
	c := l.c
	l.direct = true
	c.mu.Lock()
	c.loops.running++
	c.unlock()
}

// endDirect ends a loop of All: it re-arms what the loop delivered last,
// and has the supervisor offer what became pending meanwhile.
func (l *loop) endDirect() {
	l.rearmDelivered()
	c := l.c
	c.mu.Lock()
	c.loops.running--
	if c.loops.running == 0 {
		c.kick() // the supervisor serves C and deadlines again
	}
	c.flushDeferredOffer()
	c.unlock()
	c.releaseInline()
}

// rearmDelivered re-arms the persistent event the loop delivered last, if
// it is still in the container. Called without mu.
func (l *loop) rearmDelivered() {
	id := l.rearmID
	if id == 0 {
		return
	}
	l.rearmID = 0
	c := l.c
	c.mu.Lock()
	e, w, held := c.loopRearm(id)
	c.unlock()
	switch {
	case held:
		c.hold(e, w) // user code (R14): no lock held
	case w != nil:
		c.rearm(e, w) // user code (R14): no lock held
	}
}

// loopRearm returns the event id, which a loop delivered, and the Watcher
// the loop re-arms for it: nil if the event has none or is no longer in
// the container. If the event is held (Hold), the release re-arms it
// instead, and loopRearm reports held, with the Watcher to tell so if it
// is a Holder, the first time only. Called with mu held.
func (c *Container) loopRearm(id ID) (e *entry, w Watcher, held bool) {
	e = c.ids.get(id)
	if e != nil && c.offer.entry == e {
		// Fired again since the loop took it, e is offered on C to a
		// step of Next: once the offer is settled, an event that failed
		// meanwhile is deleted and stopped, and must not be re-armed (R1).
		c.settle(e)
	}
	if e == nil || e.state == deleted || e.ext == nil {
		return nil, nil, false
	}
	if e.flags&flagHeld != 0 {
		if e.flags&flagRearmOwed == 0 {
			e.flags |= flagRearmOwed
			if _, ok := e.ext.watcher.(Holder); ok {
				return e, e.ext.watcher, true
			}
		}
		return nil, nil, false // a source told already, or with no use for it
	}
	return e, e.ext.watcher, false
}

// nextDirect is a step of a loop of All. It re-arms what the previous step
// delivered, fires the deadlines that passed, then takes the head of the
// queue if it is pending and not being offered, and for a NoWait step
// (wait is waitNever) became pending before the loop started (R13); a
// NoWait step first has any offer withdrawn. Otherwise a NoWait step ends
// the loop, and a waiting step looks at the sources once, then waits
// (waitOnce) and looks again. The event taken is written to ev. Called
// with mu held, which it releases.
func (l *loop) nextDirect(wait waitKind, ev *Event) bool {
	c := l.c
	if l.rearmID != 0 {
		e, w, held := c.loopRearm(l.rearmID)
		l.rearmID = 0
		if w != nil {
			c.unlock()
			if held {
				c.hold(e, w) // user code (R14)
			} else {
				c.rearm(e, w) // user code (R14); a source may fire from within it
			}
			c.mu.Lock()
			// A Stop that returned meanwhile ends the loop (R10): Stop
			// closes l.stopped under mu, so this look is exact.
			if c.closed || c.ids.len() == 0 || l.ended() {
				c.unlock()
				return false
			}
		}
	}
	if wait == waitNever {
		// An offer on C of what this step may take (made before the loop
		// started, or for a step of Next waiting) is withdrawn, so that
		// the step takes the event here and re-arms it after the body,
		// as any step does (and Hold can defer that). The supervisor
		// makes no new offer while the loop runs its body, unless a step
		// of Next waits, which then takes this one.
		for c.offer.entry != nil && !c.closed {
			c.settle(c.offer.entry)
		}
	}
	until := int64(math.MaxInt64) // when a Within step's wait ends
	if wait == waitWithin {
		until = c.after(l.mode.within)
	}
	probed := false
	l.declined = false // each step tries the kernel first
	for {
		if len(c.deadlines) > 0 {
			c.fireDue(c.now()) // deadlines are the loops' while they run
		}
		if ok, done := l.takeDirect(wait, ev); done {
			return ok // and mu is released
		}
		if c.offer.entry != nil && c.loops.steps == 0 {
			// An offer on C made before loops took over: withdrawn, so
			// that this step takes the event; no new one is made.
			c.settle(c.offer.entry)
			continue
		}
		if !probed && c.services.hasProbers() {
			// Nothing to take: look at the sources in this goroutine
			// before waiting, as the poll after a re-arm does. A
			// descriptor ready already (the first event of a loop,
			// written before it began) is taken with no hand-over.
			probed = true
			c.unlock()
			c.probe()
			c.mu.Lock()
		} else if !l.waitOnce(until) {
			c.unlock()
			return false
		}
		if c.closed || c.ids.len() == 0 || l.ended() {
			c.unlock()
			return false
		}
	}
}

// waitOnce waits, for a step of a loop of All that found nothing to take,
// until something may have changed: in the container's Waiter, in the
// kernel (inline.go), when it can, else for its signal; at most until
// the earliest deadline or until, the end of a Within step's wait. It
// reports false when until has passed. Called with mu held, which it holds
// again on return.
func (l *loop) waitOnce(until int64) bool {
	c := l.c
	now := c.now()
	if now >= until {
		return false
	}
	end := until
	if len(c.deadlines) > 0 {
		end = min(end, c.deadlines[0].deadline)
	}
	switch w := c.inlineWaiter(); {
	case l.declined:
		l.declined = false
	case w != nil && l.onSignal > 0:
		l.onSignal--
		if c.leaveKernel() {
			return true // mu was released: look again
		}
	case w != nil:
		if !l.waitInKernel(w, time.Duration(end-now), end) {
			// Declined. Something may have become pending while mu was
			// released, its wake spent on the Waiter: the step looks
			// again before it waits for the signal.
			l.declined = true
		}
		return true
	}
	if l.signal == nil {
		l.signal = make(chan struct{}, 1)
	}
	select {
	case <-l.signal: // a wake that came after the step's last wait ended
	default:
	}
	c.loops.waiting = append(c.loops.waiting, l.signal)
	c.loops.until = min(c.loops.until, end)
	emptied := c.emptied
	c.unlock()
	var expired <-chan time.Time
	if end != math.MaxInt64 {
		expired = l.timer(time.Duration(end - now))
	}
	select {
	case <-l.signal:
	case <-l.stopped:
	case <-l.ctx.Done():
	case <-emptied:
	case <-expired:
	}
	c.mu.Lock()
	// Not woken by the signal, the step is still among the waiting.
	if i := slices.Index(c.loops.waiting, l.signal); i >= 0 {
		c.loops.waiting = slices.Delete(c.loops.waiting, i, i+1)
	}
	if len(c.loops.waiting) == 0 {
		c.loops.until = math.MaxInt64
	}
	return true
}

// timer returns the loop's timer's channel, the timer set to d.
func (l *loop) timer(d time.Duration) <-chan time.Time {
	if l.wakeAt == nil {
		l.wakeAt = time.NewTimer(d)
	} else {
		l.wakeAt.Reset(d)
	}
	return l.wakeAt.C
}

// wakeLoops wakes the steps of loops over All that wait: something became
// pending, a deadline came earlier, or their wait must end. Called with mu
// held.
func (c *Container) wakeLoops() {
	for _, signal := range c.loops.waiting {
		select {
		case signal <- struct{}{}:
		default: // woken already
		}
	}
	clear(c.loops.waiting)
	c.loops.waiting = c.loops.waiting[:0]
	c.wakeInline()
}

// takeDirect takes the head of the queue for a step of a loop of All, if
// it is pending and not being offered, and for a NoWait step became
// pending before the loop started (R13), and writes it to ev. done reports
// that the step is over, with the event taken or, for a NoWait step, with
// none: mu is then released. Called with mu held.
//
// The Event is written in place, under mu: made and returned by value
// down the chain of calls, each copy of it read the halves of the last
// one's stores, a stall at every level that cost a quarter of a step.
func (l *loop) takeDirect(wait waitKind, ev *Event) (ok, done bool) {
	c := l.c
	e := c.queue.head
	offered := c.offer.entry != nil
	switch {
	case e != nil && !offered && (wait != waitNever || !e.pendSeq.after(l.limit)):
		if e.kind == kindTimer {
			c.catchUp(e, c.now()) // the ticks it missed while pending (R6)
		}
		c.noteDelivering(e)
		e.fill(ev)
		w, rearm := c.delivered(e)
		probe := c.probeDue
		c.probeDue = false
		c.unlock()
		l.taken(ev.ID, w, rearm, probe)
		return true, true
	case wait == waitNever:
		// Nothing pending, or only what became pending since the loop
		// started, which is for the next loop (R13); or closed.
		c.unlock()
		return false, true
	}
	return false, false
}

// taken finishes the delivery of event id, which a step made under mu: it
// looks at the sources if a look is due, and keeps the event for its
// re-arm at the next step, or stops the Watcher of an event the delivery
// deleted. Called without mu.
func (l *loop) taken(id ID, w Watcher, rearm, probe bool) {
	c := l.c
	if probe {
		c.probe()
		// And let the goroutines of other sources run: with one
		// processor, a loop that always finds something to take
		// (an always-writable W, say) would keep them waiting for
		// the scheduler's preemption, 10 ms, to fire (R4). With
		// more they have processors of their own, and a yield is
		// not free: on a thread locked to its goroutine (a loop
		// driven from C, as the Lua module's) it costs two thread
		// wake-ups.
		yieldIfOneProcessor()
	}
	if rearm {
		l.rearmID = id
	} else if w != nil {
		c.stopWatcher(w) // a one-shot or failed event, deleted (R1)
	}
}

// certainHead returns the entry the loop's next step will take, if that is
// certain already (Loop.Ahead), else nil: what nextDirect would do first
// has nothing to do (no offer to settle or withdraw, nothing to re-arm),
// the loop has not ended, and takeDirect would take the head of the
// queue, a virtual event with no timeout, which only a method of the
// container can change. The deadlines the step fires first queue behind
// it. Called with mu held.
func (l *loop) certainHead() *entry {
	c := l.c
	if !l.direct || c.closed || c.offer.entry != nil || l.ended() {
		return nil
	}
	if l.rearmID != 0 {
		if e := c.ids.get(l.rearmID); e != nil && e.state != deleted && e.ext != nil {
			return nil
		}
	}
	h := c.queue.head
	if h == nil || h.kind != kindVirtual || h.period != 0 {
		return nil
	}
	wait := l.mode.wait
	if wait == waitAuto && c.nTimed == 0 {
		wait = waitNever
	}
	if wait == waitNever && h.pendSeq.after(l.limit) {
		return nil
	}
	return h
}

// takeAheadLocked makes the step that takes event id, which certainHead
// returned and the caller handed on (Loop.TriggerAhead's took), if it is
// still the head of the queue; it reports whether it did. Only a method of
// the container could have changed what made it certain, and the caller
// called none: the step is the deadlines' firing and the take. (A Stop
// or the loop's context ended meanwhile does not stop it: the caller
// handed the event on before.) Called with mu held, which it holds again
// on return (it releases it to look at the sources when a look is due,
// before anything else happens, as a step does).
func (l *loop) takeAheadLocked(id ID) bool {
	c := l.c
	e := c.queue.head
	if e == nil || e.id != id || c.offer.entry != nil || c.closed {
		return false
	}
	l.rearmID = 0 // it has nothing to re-arm (certainHead)
	if len(c.deadlines) > 0 {
		c.fireDue(c.now()) // they queue behind e
	}
	c.noteDelivering(e)
	w, rearm := c.delivered(e)
	probe := c.probeDue
	c.probeDue = false
	if probe || w != nil {
		c.unlock()
		l.taken(id, w, rearm, probe)
		c.mu.Lock()
	} else if rearm {
		l.rearmID = id
	}
	return true
}

// loopsTakeThemselves reports whether pending events and deadlines are
// left to the loops over All: one runs, and no step of Next waits for an
// event on C. Called with mu held.
func (c *Container) loopsTakeThemselves() bool {
	return c.loops.running > 0 && c.loops.steps == 0
}

// queueFilled wakes the supervisor to offer an event that became pending in
// an empty queue, unless the loops over All take it themselves. Called with
// mu held.
func (c *Container) queueFilled() {
	if c.loopsTakeThemselves() {
		c.loops.deferred = true
		return
	}
	c.kick()
}

// flushDeferredOffer wakes the supervisor for what queueFilled and
// setDeadline left to the loops (an offer, its timer), once a step of Next
// waits or no loop runs. Called with mu held.
func (c *Container) flushDeferredOffer() {
	if !c.loops.deferred || c.loopsTakeThemselves() {
		return
	}
	c.loops.deferred = false
	if c.queue.head != nil || len(c.deadlines) > 0 {
		c.kick()
	}
}
