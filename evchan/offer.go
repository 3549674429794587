package evchan

// The offer on C: the supervisor offers the head of the pending queue, and
// a control call that would change what the delivery says settles the
// offer first (state.go has the whole machine).

// offerState is the offer in progress: the supervisor is (or is about to
// be) blocked sending entry's event on C. gen counts resolved offers.
type offerState struct {
	entry   *entry
	gen     uint64
	refired int            // firings of entry since its offer was made
	final   bool           // the offer is entry's last delivery
	err     *reported      // entry's error when the offer was made
	pins    map[*entry]int // not to be offered: control calls are changing them
}

// beginOffer makes e, the head of the queue, the offer in progress: its
// state becomes offered. Called by the supervisor with mu held.
func (c *Container) beginOffer(e *entry) {
	c.offer.entry, c.offer.refired = e, 0
	e.state = offered
	c.noteDelivering(e)
}

// settle waits until the offer of e on C in progress, if any, is resolved:
// either a consumer took it or the supervisor withdrew it. Control calls
// that change what a delivery of e would say call it first, so a delivery
// is never made from a state they have replaced. It waits for the
// supervisor only, never for a consumer. Called with mu held.
func (c *Container) settle(e *entry) {
	if c.offer.entry != e {
		return
	}
	gen := c.offer.gen
	c.kick()
	for c.offer.entry == e && c.offer.gen == gen {
		c.settled.Wait()
	}
}

// outlivesOffer reports whether e is still in the container once the offer
// of it in progress, if any, is resolved. Only an event that delivery
// deletes needs the wait: a consumer may have just received it, and a call
// it makes next must see it deleted (R1). Called with mu held.
func (c *Container) outlivesOffer(e *entry) bool {
	alive, pinned := c.pinOffer(e)
	if pinned {
		c.unpin(e)
	}
	return alive
}

// pinOffer settles an offer of e that would delete it, and reports whether
// e is still in the container. If it pinned e, the supervisor makes no new
// offer of e until unpin: withdrawn, the offer would otherwise be made
// again at once, with e's state from before the calling Trigger, Set or
// Del, and a consumer taking it would make the call's change lost or its
// report wrong (R3, R8, R9). Control calls on one event may overlap, so
// pins are counted. Called with mu held.
func (c *Container) pinOffer(e *entry) (alive, pinned bool) {
	return c.pinOfferIf(e, e.endsOnDelivery())
}

// pinOfferIf is pinOffer for any event when need is set: for a call that
// must see how an offer of e ends before it changes e, whatever e is.
// Called with mu held.
func (c *Container) pinOfferIf(e *entry, need bool) (alive, pinned bool) {
	if need && c.offer.entry == e {
		if c.offer.pins == nil {
			c.offer.pins = make(map[*entry]int)
		}
		c.offer.pins[e]++
		for c.offer.entry == e {
			c.settle(e)
		}
		return e.state != deleted, true
	}
	return e.state != deleted, false
}

// unpin ends a pin of pinOffer, and has the supervisor offer e again once
// none is left. Called with mu held.
func (c *Container) unpin(e *entry) {
	if c.offer.pins[e]--; c.offer.pins[e] == 0 {
		delete(c.offer.pins, e)
		c.kick()
	}
}

// settleDeletingOffer settles the offer in progress if its delivery deletes
// the event, so that what a consumer sees right after a receive (Len, whether
// the container is empty or timed) already counts that event as gone (R1).
// Called with mu held.
func (c *Container) settleDeletingOffer() {
	if o := c.offer.entry; o != nil {
		c.outlivesOffer(o)
	}
}

// withdrawOffer ends the offer in progress, which no consumer took. The
// firings counted in offerRefired meanwhile are in the entry's count
// already: they must not make it pending again if a NoWait step takes it.
// Called with mu held.
func (c *Container) withdrawOffer() {
	c.resolveOffer()
	c.offer.refired = 0
}

// noteDelivering records what the Event about to be handed out for e says,
// so that delivered can tell it from what came after: a failure or an error
// reported after the Event was made is delivered next, not lost with it.
// Called with mu held.
func (c *Container) noteDelivering(e *entry) {
	c.offer.final = e.endsOnDelivery()
	if e.ext != nil {
		c.offer.err = e.ext.reportedError()
	}
}

// resolveOffer ends the offer in progress, taken or withdrawn, and wakes
// the control calls settling it. Called with mu held.
func (c *Container) resolveOffer() {
	if e := c.offer.entry; e != nil {
		if e.state == offered {
			e.state = pending // taken (delivered follows) or withdrawn
		}
		c.offer.entry = nil
		c.offer.gen++
		c.settled.Broadcast()
	}
}

// handOver fires e, an idle virtual event a control call triggers, and
// delivers it at once to a consumer already waiting on C, if there is one:
// a non-blocking send from the calling goroutine, so that a Trigger with
// a receiver parked costs one goroutine switch, as a send to it would,
// rather than a wake-up of the supervisor and a hand-over by it. Only
// when nothing else could be delivered first (R4): the queue is empty and
// no offer is in flight; only when C is the way events go out (no loop
// over All takes them itself, no NoWait step is being answered); and only
// for an event without a Watcher, whose re-arm would be user code (R14).
// It reports false, having changed nothing, when it did not deliver.
// Called with mu held.
func (c *Container) handOver(e *entry, reason Reason) bool {
	if e.state != idle || e.kind != kindVirtual || c.queue.head != nil || c.offer.entry != nil ||
		c.closed || c.noWait.want || c.loopsTakeThemselves() {
		return false
	}
	oldReason, oldCount := e.reason, e.count
	e.reason, e.count = reason, 1
	select {
	case c.out <- e.event():
	default:
		e.reason, e.count = oldReason, oldCount
		return false
	}
	// It became pending and was taken at once: the same transitions as a
	// firing and a receive of its offer (state.go).
	c.lastSeq++
	e.pendSeq = c.lastSeq
	c.deadlines.remove(e) // its timeout restarts at delivery (R7)
	e.state = pending
	c.queue.push(e)
	c.noteDelivering(e)
	c.offer.refired = 0
	c.delivered(e) // no Watcher to re-arm or stop
	if c.probeDue {
		c.kick() // the supervisor probes (probe.go)
	}
	return true
}
