package evchan

import "sync"

// Hold keeps a loop over All from re-arming event id at its next step, and
// returns the function that re-arms it: for a loop body that hands the
// event to another goroutine, which calls the function once it has
// consumed what the event announced.
//
// A loop re-arms the persistent event it delivered when its body asks for
// the next event ("C or a loop" in the package documentation). A body that
// only hands the event over, to a worker or a goroutine of its own, asks
// for the next one before the worker has read the descriptor, say, and a
// level-triggered source would then report the same data again. Package
// dispatch holds every event it hands to a handler this way.
//
//	for e := range c.All(evchan.Block) {
//		release := c.Hold(e.ID)
//		go func() {
//			defer release()
//			handle(e)
//		}()
//	}
//
// The returned function may be called from any goroutine, once; later calls
// do nothing. Until it is called, the event's source does not report it
// again, so every Hold must be released. A source that is a Holder is told
// when the loop's next step passes the event by: package poll's poller
// then stops counting it among the events it waits to see taken, and goes
// on polling the container's other descriptors, so one held event never
// holds up the others; if a poll that waits finds the held descriptor
// ready, the poller has the kernel stop reporting it (one system call with
// epoll and kqueue, and one more at the release; none with poll(2) and
// WSAPoll). Hold does nothing, and returns a function that does nothing,
// for an event that is not in the container or that has no source to
// re-arm (virtual events, timers, one-shot events). An event received from
// C was re-armed as it was received: holding it changes nothing. One hold
// at a time per event: a second Hold before the release is released with
// the first.
func (c *Container) Hold(id ID) (release func()) {
	c.mu.Lock()
	e := c.lookup(id)
	if e == nil || !e.persistent() || e.ext == nil || e.ext.watcher == nil {
		c.unlock()
		return func() {}
	}
	e.flags |= flagHeld
	c.unlock()
	var once sync.Once
	return func() { once.Do(func() { c.releaseHold(e) }) }
}

// releaseHold ends the hold on e, and re-arms e if a loop skipped it because
// of the hold. If the loop has not reached its next step yet, that step
// re-arms it as usual.
func (c *Container) releaseHold(e *entry) {
	c.mu.Lock()
	owed := e.flags&flagRearmOwed != 0
	e.flags &^= flagHeld | flagRearmOwed
	var w Watcher
	if owed && e.state != deleted && e.ext != nil {
		w = e.ext.watcher
	}
	c.unlock()
	if w != nil {
		c.rearm(e, w) // user code (R14): no lock held
	}
}

// hold tells e's source, a Holder, that a loop passed e by without
// re-arming it because of a hold: the release re-arms it. A panic ends e as
// one in Rearm does. Called without mu.
func (c *Container) hold(e *entry, w Watcher) {
	defer func() {
		if r := recover(); r != nil {
			c.fire(e, c.lastReason(e), nil, &panicError{callName(w, "Hold"), r}, true)
		}
	}()
	w.(Holder).Hold()
}
