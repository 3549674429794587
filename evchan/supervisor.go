package evchan

import (
	"runtime"
	"time"
)

// supervise is the container's one goroutine. It owns the runtime timer for
// the earliest deadline and is the only one to hand out events, on C or to
// a NoWait step. It blocks in one select only, which control calls can
// always wake: so no control call ever waits for a consumer.
func (c *Container) supervise() {
	defer close(c.gone)
	defer close(c.out)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := int64(-1)

	c.mu.Lock()
	for {
		c.supervising = true
		now := c.now()
		c.fireDue(now)

		var out chan Event
		var offer Event
		offered := c.queue.head
		if offered != nil {
			c.catchUp(offered, now)
			out, offer = c.out, offered.event()
			c.offering, c.offerRefired = offered, 0
			c.noteDelivering(offered)
		}
		if len(c.deadlines) == 0 {
			if armed >= 0 {
				timer.Stop()
				armed = -1
			}
		} else if next := c.deadlines[0].deadline; next != armed {
			timer.Reset(time.Duration(next - now))
			armed = next
		}
		c.armed = armed
		c.supervising = false
		c.mu.Unlock()

		var after Watcher // user code to call once mu is released
		var rearm bool
		select {
		case out <- offer:
			c.mu.Lock()
			c.supervising = true
			c.resolveOffer()
			after, rearm = c.delivered(offered)
		case <-c.wake:
			c.mu.Lock()
			c.resolveOffer()
		case <-timer.C:
			armed = -1
			c.mu.Lock()
			c.resolveOffer()
		case limit := <-c.pullReq:
			c.mu.Lock()
			c.supervising = true
			c.resolveOffer()
			c.offerRefired = 0 // counted in the entry already: the offer was withdrawn
			var p pulled
			if e := c.queue.head; e != nil && e.pendSeq <= limit {
				c.catchUp(e, c.now())
				c.noteDelivering(e)
				p = pulled{ev: e.event(), ok: true}
				after, rearm = c.delivered(e)
			}
			c.pullResp <- p // the asker waits for this, unconditionally
		case <-c.done:
			c.mu.Lock()
			c.resolveOffer()
			c.mu.Unlock()
			return
		}
		if after != nil {
			c.supervising = false
			c.mu.Unlock()
			if rearm {
				// Let the consumer that just took the event run first: it
				// is usually about to read what the event announced, and a
				// level-triggered source re-armed before that read reports
				// the same readiness again, a spurious wake-up that also
				// holds up the poller's next wait (cmd/evbench chain).
				runtime.Gosched()
				after.Rearm()
			} else {
				after.Stop()
			}
			c.mu.Lock()
		}
	}
}

// noteDelivering records what the Event about to be handed out for e says,
// so that delivered can tell it from what came after: a failure or an error
// reported after the Event was made is delivered next, not lost with it.
// Called with mu held.
func (c *Container) noteDelivering(e *entry) {
	c.offerFinal = e.endsOnDelivery()
	if e.ext != nil {
		c.offerErrSeq = e.ext.errSeq
	}
}

// resolveOffer ends the offer in progress, taken or withdrawn, and wakes
// the control calls settling it. Called with mu held.
func (c *Container) resolveOffer() {
	if c.offering != nil {
		c.offering = nil
		c.offerGen++
		c.settled.Broadcast()
	}
}

// delivered updates e after a consumer took it, and returns its Watcher
// with what to do with it: Stop for a one-shot or failed event, now deleted
// (R1), Rearm for a persistent one, whose timeout restarts (R7). Firings that
// came while its event was offered make it pending again, at the back (R4).
// Called with mu held.
func (c *Container) delivered(e *entry) (w Watcher, rearm bool) {
	refired := c.offerRefired
	c.offerRefired = 0
	if e.state != pending { // deleted while offered: Del stops the watcher
		return nil, false
	}
	// What was taken is the offer, not the entry now: a failure reported
	// after the offer was made is delivered next, not lost with it.
	if c.offerFinal {
		return c.remove(e), false
	}
	c.queue.remove(e)
	e.state = idle
	if e.ext != nil && e.ext.errSeq == c.offerErrSeq {
		e.ext.err = nil // an error is reported with one delivery
	}
	if refired > 0 {
		c.markFired(e, e.reason, refired)
	} else {
		e.count = 0
		c.startTimeout(e)
	}
	if e.ext != nil && e.ext.watcher != nil {
		return e.ext.watcher, true
	}
	return nil, false
}

// catchUp counts the ticks of a pending persistent timer that fell since it
// became pending, and puts it back in the deadline heap so that while it is
// offered, each new tick refreshes the offer's Count (R3, R6). Called with
// mu held, for the head of the queue only.
func (c *Container) catchUp(e *entry, now int64) {
	if e.kind != kindTimer || !e.persistent || e.heapIndex >= 0 {
		return
	}
	if e.deadline <= now {
		late := (now - e.deadline) / int64(e.period)
		e.count += int(late + 1)
		e.deadline += (late + 1) * int64(e.period)
	}
	c.deadlines.set(e, e.deadline)
}

// fireDue fires every deadline that has passed at now: timer ticks on a
// fixed-rate schedule (R6), and timeouts (R7). now is read fresh from the
// monotonic clock, so nothing fires early. Called with mu held.
func (c *Container) fireDue(now int64) {
	for len(c.deadlines) > 0 && c.deadlines[0].deadline <= now {
		e := c.deadlines[0]
		if e.kind != kindTimer {
			c.deadlines.remove(e)
			c.markFired(e, Timeout, 1)
			continue
		}
		ticks := 1
		if e.persistent {
			// Ticks missed while the supervisor was late coalesce (R3).
			late := (now - e.deadline) / int64(e.period)
			ticks += int(late)
			c.deadlines.set(e, e.deadline+(late+1)*int64(e.period))
		} else {
			c.deadlines.remove(e)
		}
		c.markFired(e, Timeout, ticks)
	}
}
