package evchan

import (
	"errors"
	"time"
)

// SetData replaces the data of event id, the value its deliveries carry
// in Event.Data (R8). A delivery after SetData returns carries the new
// data: if the event was being offered on C with the old one, SetData
// waits for the supervisor to withdraw that offer (never for a consumer).
//
// It fails with an error wrapping ErrNotFound if id is not in the
// container (never added, deleted, or a one-shot already delivered), and
// ErrClosed after Close; the container is then unchanged.
func (c *Container) SetData(id ID, data any) error {
	return c.set(id, &data, nil)
}

// SetTimeout replaces the timeout of event id, as Add's timeout argument
// (zero removes it), and restarts its clock now (R7). The new clock
// replaces the old one: an event pending only because its old timeout
// passed is pending no more, that Timeout delivery withdrawn; a real
// firing that is pending stays pending. A timer has no timeout: SetTimeout
// changes nothing for one, as Add ignores its timeout (R6).
//
// It fails with an error wrapping ErrInvalid for a negative timeout,
// ErrNotFound if id is not in the container, and ErrClosed after Close;
// the container is then unchanged.
func (c *Container) SetTimeout(id ID, timeout time.Duration) error {
	if timeout < 0 {
		return invalidf("negative timeout %v for event %d", timeout, id)
	}
	return c.set(id, nil, &timeout)
}

// set is SetData and SetTimeout: it replaces what is not nil.
func (c *Container) set(id ID, data *any, timeout *time.Duration) error {
	if err := c.usable(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.unlock()
	if c.closed {
		return ErrClosed
	}
	e := c.lookup(id)
	if e == nil {
		return notFound(id)
	}
	newClock := timeout != nil && e.kind != kindTimer
	// An offer of a pending timeout is settled first: taken, the timeout
	// was delivered before the call; withdrawn, the call withdraws it.
	alive, pinned := c.pinOfferIf(e, e.endsOnDelivery() || newClock && e.pendingTimeout())
	if pinned {
		defer c.unpin(e)
	}
	if !alive {
		return notFound(id) // a one-shot delivered meanwhile (R1)
	}
	if data != nil {
		e.data = *data
	}
	if newClock {
		if e.timed() {
			c.nTimed--
		}
		e.period = *timeout
		if e.timed() {
			c.nTimed++
		}
		if e.pendingTimeout() {
			c.withdrawTimeout(e)
		} else if e.state == idle {
			c.startTimeout(e)
		}
	}
	c.settle(e) // an offer made with the old data is withdrawn and made anew
	return nil
}

// Trigger makes the virtual event id pending (R5). Triggering an event that
// is already pending only adds to its Count. It reports false for an unknown
// or deleted ID and for an event that is not virtual.
func (c *Container) Trigger(id ID) bool {
	c.mu.Lock()
	defer c.unlock()
	return c.trigger(id)
}

// trigger is Trigger, called with mu held.
func (c *Container) trigger(id ID) bool {
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
	if c.handOver(e, Triggered) {
		return true // taken from C already
	}
	c.markFired(e, Triggered, 1)
	c.settle(e) // as Handle.Fire does (R3)
	return true
}

// Once adds a one-shot virtual event, already triggered, with data as its
// Event.Data, and returns its ID: the draft's ev:once (R5).
func (c *Container) Once(data any) (ID, error) {
	return c.Add(Virtual(true), data, 0)
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
		c.unlock()
		return false
	}
	w := c.remove(e)
	c.settle(e)
	c.unlock()
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
	c.unlock()
	c.stopAll(watchers)
}

// removeAll deletes every entry and returns the watchers to stop. Called
// with mu held.
func (c *Container) removeAll() []Watcher {
	var watchers []Watcher
	offered := c.offer.entry
	for _, e := range c.ids.all() {
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
	if c.usable() != nil {
		return // no loop can run on a zero Container
	}
	c.mu.Lock()
	close(c.stopped)
	c.stopped = make(chan struct{})
	c.wakeInline()
	c.unlock()
}

// Close deletes every event, ends every goroutine the container started,
// closes the services its sources started, and then closes C (R12). After
// Close, Add, Once, SetData, SetTimeout and Service return ErrClosed and the
// other methods report failure.
// Close is idempotent and safe from any goroutine except from inside a
// Watcher's methods. It returns the errors of closing the services, and
// the panics of Watcher.Stop and service Close methods (ErrPanicked),
// which it recovers so as to release everything all the same.
func (c *Container) Close() error {
	if err := c.usable(); err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.unlock()
		<-c.gone
		return nil
	}
	c.closed = true
	watchers := c.removeAll()
	close(c.stopped)
	c.stopped = make(chan struct{})
	c.kick() // the supervisor ends
	c.unlock()

	<-c.gone
	c.stopAll(watchers)
	servicesErr := c.services.closeAll()
	return errors.Join(c.panicReport(), servicesErr)
}

// Len returns how many events the container holds.
func (c *Container) Len() int {
	c.mu.Lock()
	defer c.unlock()
	c.settleDeletingOffer()
	return c.ids.len()
}
