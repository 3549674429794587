package evchan

// A loop over All takes the events already pending itself, under mu,
// rather than have the supervisor hand each over: a hand-over costs two
// goroutine switches, and when the other goroutine runs on another
// processor, a thread wake-up, while a step that finds its event pending
// costs neither. The supervisor delivers what becomes pending while a loop
// waits, on loopOut, where only loops wait (it offers each event on C and
// loopOut at once), and leaves the re-arm of what it delivered there to the
// loop.
//
// A step re-arms the persistent event the previous step delivered before it
// looks at the queue, so a level-triggered source (package poll) polls again
// at that moment, from the loop's goroutine, and reports what the body just
// made ready, which the step then takes: a loop whose body writes to the
// next descriptor of a chain runs as a single-threaded event loop does.
//
// While a loop runs and none waits, the supervisor offers nothing, and an
// event becoming pending does not wake it (offerDeferred): the loop is about
// to take what is pending, which an offer would make it receive from the
// supervisor instead. Events are offered again, on C too, once a loop waits
// or the last loop ends, or while a step of Next waits (which may be called
// from the body: it must not wait for the body to end). So while a loop
// over All runs its body, consumers receiving from C get nothing new: the
// loops and C share one stream of events, and the loop takes its share
// first.

// startDirect makes l a loop of All: its steps take pending events
// themselves.
func (l *loop) startDirect() {
	c := l.c
	l.direct = true
	c.mu.Lock()
	c.loops.running++
	c.mu.Unlock()
}

// endDirect ends a loop of All: it re-arms what the loop delivered last,
// and has the supervisor offer what became pending meanwhile.
func (l *loop) endDirect() {
	l.rearmDelivered()
	c := l.c
	c.mu.Lock()
	c.loops.running--
	c.flushDeferredOffer()
	c.mu.Unlock()
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
	e, w := c.loopRearm(id)
	c.mu.Unlock()
	if w != nil {
		c.rearm(e, w) // user code (R14): no lock held
	}
}

// loopRearm returns the event id, which a loop delivered, and the Watcher
// the loop re-arms for it: nil if the event has none or is no longer in
// the container, or if it is held (Hold), in which case the release
// re-arms it instead. Called with mu held.
func (c *Container) loopRearm(id ID) (*entry, Watcher) {
	e := c.entries[id]
	if e != nil && c.offer.entry == e {
		// The supervisor handed e to this loop and has yet to record it
		// (takenByLoop): once it has, a one-shot or failed event is
		// deleted and stopped, and must not be re-armed (R1).
		c.settle(e)
	}
	if e == nil || e.state == deleted || e.ext == nil {
		return nil, nil
	}
	if e.flags&flagHeld != 0 {
		e.flags |= flagRearmOwed
		return nil, nil
	}
	return e, e.ext.watcher
}

// nextDirect is a step of a loop of All. It re-arms what the previous step
// delivered, then takes the head of the queue if it is pending and not
// being offered, and for a NoWait step (wait is waitNever) became pending
// before the loop started (R13); a NoWait step first has any offer
// withdrawn. Otherwise a NoWait step ends the loop, and a waiting step
// waits on loopOut. Called with mu held, which it releases.
func (l *loop) nextDirect(wait waitKind) (Event, bool) {
	c := l.c
	if l.rearmID != 0 {
		e, w := c.loopRearm(l.rearmID)
		l.rearmID = 0
		if w != nil {
			c.mu.Unlock()
			c.rearm(e, w) // user code (R14); a source may fire from within it
			c.mu.Lock()
			// A Stop that returned meanwhile ends the loop (R10): Stop
			// closes l.stopped under mu, so this look is exact.
			if c.closed || len(c.entries) == 0 || l.ended() {
				c.mu.Unlock()
				return Event{}, false
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
	for looked := false; ; looked = true {
		if ev, ok, done := l.takeDirect(wait); done {
			return ev, ok // and mu is released
		}
		if looked || wait == waitNever || !c.services.hasProbers() {
			break
		}
		// Nothing to take: before waiting on the container's goroutines,
		// look at the sources in this goroutine, as the poll after a
		// re-arm does. When a descriptor is ready already (the first
		// event of a loop, written before it began), this takes it with
		// no hand-over from the poller's goroutine through the
		// supervisor's.
		c.mu.Unlock()
		c.probe()
		c.mu.Lock()
		if c.closed || len(c.entries) == 0 || l.ended() {
			c.mu.Unlock()
			return Event{}, false
		}
	}
	return l.waitDirect(wait) // and mu is released
}

// takeDirect takes the head of the queue for a step of a loop of All, if
// it is pending and not being offered, and for a NoWait step became
// pending before the loop started (R13). done reports that the step is
// over, with the event taken or, for a NoWait step, with none: mu is then
// released. Called with mu held.
func (l *loop) takeDirect(wait waitKind) (ev Event, ok, done bool) {
	c := l.c
	e := c.queue.head
	offered := c.offer.entry != nil
	switch {
	case e != nil && !offered && (wait != waitNever || !e.pendSeq.after(l.limit)):
		if e.kind == kindTimer {
			c.catchUp(e, c.now()) // the ticks it missed while pending (R6)
		}
		c.noteDelivering(e)
		ev := e.event()
		w, rearm := c.delivered(e)
		probe := c.probeDue
		c.probeDue = false
		c.mu.Unlock()
		if probe {
			c.probe()
		}
		if rearm {
			l.rearmID = ev.ID
		} else if w != nil {
			c.stopWatcher(w) // a one-shot or failed event, deleted (R1)
		}
		return ev, true, true
	case wait == waitNever:
		// Nothing pending, or only what became pending since the loop
		// started, which is for the next loop (R13); or closed.
		c.mu.Unlock()
		return Event{}, false, true
	}
	return Event{}, false, false
}

// waitDirect is a step of a loop of All that found nothing to take: it
// waits for the supervisor to hand it an event on loopOut. Called with mu
// held, which it releases.
func (l *loop) waitDirect(wait waitKind) (Event, bool) {
	c := l.c
	c.loops.waiting++
	if c.offer.entry != nil {
		c.kick() // the supervisor offers on loopOut only while a loop waits
	}
	c.flushDeferredOffer()
	emptied := c.emptied
	c.mu.Unlock()
	timeout, stop := l.stepTimeout(wait)
	defer stop()
	select {
	case ev := <-c.loopOut:
		// The supervisor counted this loop out of loopsWaiting as it
		// handed the event over, so that it offers no more while the
		// body runs.
		l.rearmID = ev.ID
		return ev, true
	case <-l.stopped:
	case <-l.ctx.Done():
	case <-emptied:
	case <-timeout:
	}
	c.mu.Lock()
	c.loops.waiting--
	c.mu.Unlock()
	return Event{}, false
}

// loopsTakeThemselves reports whether pending events are left to the loops
// over All: one runs its body, and no loop and no step of Next waits for an
// event. Called with mu held.
func (c *Container) loopsTakeThemselves() bool {
	return c.loops.running > 0 && c.loops.waiting == 0 && c.loops.steps == 0
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

// flushDeferredOffer wakes the supervisor for what queueFilled left to the
// loops, once a loop or a step waits or no loop runs. Called with mu held.
func (c *Container) flushDeferredOffer() {
	if !c.loops.deferred || c.loopsTakeThemselves() {
		return
	}
	c.loops.deferred = false
	if c.queue.head != nil {
		c.kick()
	}
}
