package evchan

import (
	"errors"
	"time"
)

// Set replaces the context of event id with ctx and, if a timeout is given,
// its timeout (zero removes it; the clock restarts now, R7). It reports false,
// changing nothing, if id is unknown or deleted, or the timeout is negative
// (R8, R15). Timers ignore the timeout (R6).
//
// A delivery after Set returns carries the new context: if the event was
// being offered on C with the old one, Set waits for the supervisor to
// withdraw that offer (never for a consumer).
//
// A timeout given to Set replaces the clock, so an event that is pending
// only because its old timeout passed is pending no more: that Timeout
// delivery is withdrawn, and the new timeout runs from now (R7). A real
// firing that is pending stays pending.
func (c *Container) Set(id ID, ctx any, timeout ...time.Duration) bool {
	if len(timeout) > 1 || len(timeout) == 1 && timeout[0] < 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.lookup(id)
	if e == nil {
		return false
	}
	newClock := len(timeout) == 1 && e.kind != kindTimer
	// An offer of a pending timeout is settled first: taken, the timeout
	// was delivered before Set; withdrawn, Set withdraws the timeout.
	alive, pinned := c.pinOfferIf(e, e.endsOnDelivery() || newClock && e.pendingTimeout())
	if pinned {
		defer c.unpin(e)
	}
	if !alive {
		return false
	}
	e.context = ctx
	if newClock {
		if e.timed() {
			c.nTimed--
		}
		e.period = timeout[0]
		if e.timed() {
			c.nTimed++
		}
		if e.pendingTimeout() {
			c.queue.remove(e)
			e.state, e.count = idle, 0
		}
		if e.state == idle {
			c.startTimeout(e)
		}
	}
	c.settle(e) // an offer made with the old context is withdrawn and made anew
	return true
}

// Trigger makes the virtual event id pending (R5). Triggering an event that
// is already pending only adds to its Count. It reports false for an unknown
// or deleted ID and for an event that is not virtual.
func (c *Container) Trigger(id ID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.lookup(id)
	if e == nil || e.kind != kindVirtual {
		return false
	}
	alive, pinned := c.pinOffer(e)
	if pinned {
		defer c.unpin(e)
	}
	if !alive {
		return false
	}
	c.markFired(e, Triggered, 1)
	c.settle(e) // as Handle.Fire does (R3)
	return true
}

// Once adds a one-shot virtual event, already triggered, with ctx as its
// context, and returns its ID: the draft's ev:once (R5).
func (c *Container) Once(ctx any) (ID, error) {
	return c.Add(Virtual(true), ctx, 0)
}

// Del deletes event id and reports whether it existed (R2).
//
// When Del returns, the event is never delivered, even if it was pending, and
// what it held is released: its timer stopped, its Source's Watcher stopped
// (R9). A delivery that a consumer completed while Del was running counts as
// made before it.
func (c *Container) Del(id ID) bool {
	c.mu.Lock()
	e := c.lookup(id)
	if e == nil || !c.outlivesOffer(e) {
		c.mu.Unlock()
		return false
	}
	w := c.remove(e)
	c.settle(e)
	c.mu.Unlock()
	if w != nil {
		c.stopWatcher(w)
	}
	return true
}

// Clear deletes every event, pending ones included, as Del would each (R11).
// The container stays usable.
func (c *Container) Clear() {
	c.mu.Lock()
	watchers := c.removeAll()
	c.mu.Unlock()
	c.stopAll(watchers)
}

// removeAll deletes every entry and returns the watchers to stop. Called
// with mu held.
func (c *Container) removeAll() []Watcher {
	var watchers []Watcher
	offered := c.offering
	for _, e := range c.entries {
		if w := c.remove(e); w != nil {
			watchers = append(watchers, w)
		}
	}
	if offered != nil {
		c.settle(offered)
	}
	return watchers
}

// Stop ends every loop over the container in progress (All, AllContext,
// Next), from any goroutine, the loop's own body included: a loop waiting
// returns at once, a loop running its body ends before its next event.
// Pending events stay pending; C is not closed (R10). Stop does not latch:
// a loop that starts after it returns runs as usual.
func (c *Container) Stop() {
	c.mu.Lock()
	close(c.stopped)
	c.stopped = make(chan struct{})
	c.mu.Unlock()
}

// Close deletes every event, ends every goroutine the container started,
// closes the services its sources started, and then closes C (R12). After
// Close, Add and Once return ErrClosed and the other methods report failure.
// Close is idempotent and safe from any goroutine except from inside a
// Watcher's methods. It returns the errors of closing the services, and
// the panics of Watcher.Stop and service Close methods (ErrPanicked),
// which it recovers so as to release everything all the same.
func (c *Container) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.gone
		return nil
	}
	c.closed = true
	watchers := c.removeAll()
	close(c.stopped)
	c.stopped = make(chan struct{})
	c.kick() // the supervisor ends
	c.mu.Unlock()

	<-c.gone
	c.stopAll(watchers)
	servicesErr := c.services.closeAll()
	return errors.Join(c.panicReport(), servicesErr)
}

// Len returns how many events the container holds.
func (c *Container) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settleDeletingOffer()
	return len(c.entries)
}
