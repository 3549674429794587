package evchan

import "sync"

// The delivery of one event, as one state machine. Every transition is a
// function of this file (or of offer.go, for the offer on C), called with
// the container's mutex held; the rest of the package calls them.
//
//	state     what it means
//	starting  Add is calling a custom Source's Watch: firings are counted, not queued
//	idle      in the container, waiting for its condition; its timer tick or
//	          timeout, if any, in the deadline heap
//	pending   fired, in the pending queue in the order it became pending
//	          (R4); later firings only add to its count (R3); its timeout
//	          waits for its delivery (R7)
//	offered   pending, and at the head of the queue, offered by the
//	          supervisor on C; still in the queue
//	deleted   gone: never delivered again (R9), its Watcher stopped
//
//	from               to        transition     when                                             rules
//	starting           idle      activate       Watch returned, nothing fired during it          R7 (the clock starts)
//	starting           pending   activate       a firing came during Watch                       R3
//	starting           deleted   remove         Watch failed or panicked; Clear or Close meanwhile R11, R15
//	idle               pending   markFired      condition, Trigger, timer tick, timeout          R3, R5, R6, R7
//	pending, offered   same      markFired      another firing: only counted                     R3
//	pending            offered   beginOffer     the supervisor offers the head of the queue      R4
//	offered            pending   resolveOffer   withdrawn: a control call, a firing or a wake    R3, R8
//	                                            of the supervisor's; or taken, just before delivered
//	pending            idle      delivered      taken, persistent: its timeout restarts, its     R1, R7
//	                                            Watcher is re-armed (at once, or after the body
//	                                            of the loop that took it)
//	pending            pending   delivered      taken, with firings made while it was offered:   R3, R4
//	                                            pending again, at the back
//	pending            deleted   delivered      taken, one-shot, or its source failed            R1
//	idle               idle,     handOver       Trigger finds a consumer waiting on C, nothing   R3, R4, R14
//	                   deleted                  else pending: fired and delivered at once
//	pending            idle      withdrawTimeout SetTimeout replaces the clock of a pending timeout R7
//	any                deleted   remove         Del, Clear, Close                                R9, R11, R12
//
// Whatever takes an event makes the same transitions: a receive from C
// (the supervisor's offer taken), a loop over All taking the head of the
// queue in its own goroutine (direct.go), the supervisor answering a
// NoWait step of Next (iterate.go). A loop does not re-arm the persistent
// event it took until its next step or its end, and Hold defers that
// further (hold.go): that is the event's arming, beside its state, in the
// loop (rearmID) and the entry's flags (flagHeld, flagRearmOwed).
//
// Who hands out events: the supervisor goroutine (supervisor.go) offers
// the head of the queue on C, unless loops over All run, which take what
// is pending themselves (direct.go, loopsTakeThemselves). Control calls
// that change what a delivery would say (Trigger, SetData, SetTimeout,
// Del) first settle an offer of the event in flight (offer.go): they wait
// for the supervisor, never for a consumer (R14).
//
// Who waits, and who wakes whom:
//
//	consumers                  who waits for sources    deadlines    woken by
//	no loop over All           the Waiter's goroutine   supervisor   kick (wake channel)
//	  (C, Next)                  (package poll's poller)
//	a loop over All, no step   the loop, in the Waiter  the loop     Waiter.Wake, once mu
//	  of Next waiting            (inline.go), or, if it                is released (unlock);
//	                             declines, the Waiter's                a loop's signal
//	                             goroutine
//	a loop over All and a      the Waiter's goroutine   supervisor   kick; a loop's signal
//	  step of Next waiting
//
// The kernel has one waiter at a time: the Waiter's goroutine stays out of
// it from a loop's first Wait until the last loop over All ends (Release;
// poll/wait.go). A loop's Wait declines while events it reported wait to
// be re-armed, since a level-triggered kernel would report them again at
// once; the Waiter's goroutine then waits, and fires what comes, which
// wakes the loop by its signal (loopState.waiting). A step of Next waiting
// on C needs the supervisor, which offers nothing while a loop waits in
// the kernel: so while one waits, loops wait for their signal, and the
// supervisor serves C and the deadlines. Every path keeps R3 (the firing counts, wherever it
// is made, under mu), R4 (one queue, taken from its head by whoever
// takes), R9 (Del settles an offer and drops later firings), R10 (Stop
// closes the stop channel and wakes a loop in the kernel) and R14 (the
// wake is a call of user code made after mu is released).

// state is where an entry is in its delivery (the table above).
type state uint8

const (
	starting state = iota
	idle
	pending
	offered
	deleted
)

// queued reports whether e is in the pending queue: pending, or offered.
func (e *entry) queued() bool { return e.state == pending || e.state == offered }

// loopState is what the container knows of the loops over All and the
// steps of Next (direct.go, iterate.go).
type loopState struct {
	running int // loops over All running
	steps   int // steps of Next waiting on C: while one does, the supervisor offers although a loop runs its body
	// waiting holds the signals of the steps of loops that wait for one
	// (each loop's own, of capacity 1, made once), sent to wake them all:
	// an event became pending, or a deadline earlier than until, the
	// earliest their waits end at, came.
	waiting []chan struct{}
	until   int64
	// deferred says an event became pending, or a deadline was set, while
	// loops took events themselves, without waking the supervisor: it is
	// woken once a step of Next waits, or the last loop ends, to offer
	// the one and arm its timer for the other.
	deferred bool
}

// noWaitState serves the NoWait steps of Next (R13): the supervisor alone
// hands out events, whichever way a consumer asks. A step, holding mu,
// sets want and limit under the container's mutex and wakes the
// supervisor, which answers on resp.
type noWaitState struct {
	mu    sync.Mutex
	want  bool        // a NoWait step waits for an answer on resp
	limit seq         // the pendSeq it may take, at most
	resp  chan pulled // capacity 1
}

// pulled is the supervisor's answer to a NoWait step.
type pulled struct {
	ev Event
	ok bool
}

// activate starts a new entry's clocks and applies firings made while it was
// starting. Called with mu held.
func (c *Container) activate(e *entry) {
	fired, reason := e.count, e.reason
	e.state, e.count = idle, 0
	switch {
	case e.kind == kindTimer:
		c.setDeadline(e, c.after(e.period))
	case e.kind == kindVirtual && e.triggered():
		c.markFired(e, Triggered, 1)
	case fired > 0:
		c.markFired(e, reason, int(fired))
	default:
		c.startTimeout(e)
	}
}

// markFired records n firings of e for reason: an idle event becomes pending
// at the back of the queue, a pending one only counts them (R3). A real
// firing replaces a timeout not yet delivered (R7). Called with mu held.
func (c *Container) markFired(e *entry, reason Reason, n int) {
	switch e.state {
	case idle:
		// An idle timer's count holds the ticks that fell while its last
		// Event waited on C (delivered); any other idle event's is 0.
		e.state, e.reason = pending, reason
		e.addCount(int64(n))
		c.lastSeq++
		e.pendSeq = c.lastSeq
		// A pending event's timeout waits for its delivery (R7). A pending
		// timer leaves the heap too, keeping its next tick in e.deadline:
		// the ticks it misses are counted when it is delivered (catchUp),
		// so a consumer that falls behind costs no work per tick.
		c.deadlines.remove(e)
		wasEmpty := c.queue.head == nil
		c.queue.push(e)
		if wasEmpty {
			c.queueFilled()
		}
		c.wakeLoops() // a loop that waits takes it
	case pending, offered:
		if e.reason == Timeout && reason != Timeout {
			e.reason, e.count = reason, 0
		}
		e.addCount(int64(n))
		if e.state == offered {
			// The supervisor is offering an Event made before this firing:
			// have it withdraw and offer the new count, and if a consumer
			// takes the old one meanwhile, deliver these firings after it.
			c.offer.refired += n
			c.kick()
		}
	}
}

// remove deletes e from the container and returns its Watcher, to be stopped
// once mu is released. Called with mu held.
func (c *Container) remove(e *entry) Watcher {
	if e.queued() {
		c.queue.remove(e)
	}
	e.state = deleted
	c.deadlines.remove(e)
	c.ids.delete(e.id, c.lastID)
	if e.timed() {
		c.nTimed--
	}
	if c.ids.len() == 0 {
		close(c.emptied)
		c.wakeInline() // its loop ends (R13)
	}
	if e.ext != nil {
		w := e.ext.watcher
		e.ext.watcher = nil
		return w
	}
	return nil
}

// delivered updates e after a consumer took it, and returns its Watcher
// with what to do with it: Stop for a one-shot or failed event, now deleted
// (R1), Rearm for a persistent one, whose timeout restarts (R7). Firings that
// came while its event was offered make it pending again, at the back (R4).
// Called with mu held.
func (c *Container) delivered(e *entry) (w Watcher, rearm bool) {
	c.countDelivery()
	refired := c.offer.refired
	c.offer.refired = 0
	if !e.queued() { // deleted while offered: Del stops the watcher
		return nil, false
	}
	// What was taken is the offer, not the entry now: a failure reported
	// after the offer was made is delivered next, not lost with it.
	if c.offer.final {
		return c.remove(e), false
	}
	c.queue.remove(e)
	e.state = idle
	if e.ext != nil {
		e.ext.clearReport(c.offer.err)
	}
	e.count = 0
	if e.kind == kindTimer {
		// Ticks that fell while its Event waited on C for a receiver,
		// after it was made, are counted in its next delivery (R3, R6).
		c.catchUp(e, c.now())
		c.setDeadline(e, e.deadline)
	}
	if refired > 0 {
		c.markFired(e, e.reason, refired)
	} else {
		c.startTimeout(e)
	}
	if e.ext != nil && e.ext.watcher != nil {
		return e.ext.watcher, true
	}
	return nil, false
}

// withdrawTimeout takes e, pending for its timeout alone, out of the queue:
// SetTimeout replaced the clock that timeout passed on (R7). The new
// timeout runs from now. Called with mu held, e not offered.
func (c *Container) withdrawTimeout(e *entry) {
	c.queue.remove(e)
	e.state, e.count = idle, 0
	c.startTimeout(e)
}
