package evchan

import (
	"math"
	"runtime"
	"time"
)

// supervise is the container's one goroutine. It owns the runtime timer for
// the earliest deadline and is the only one to hand out events, on C or to
// a NoWait step. It blocks in one select only, which control calls can
// always wake: so no control call ever waits for a consumer.
//
// That select has as few cases as can be, since every case costs at every
// wake-up: the offer on C while there is one, the timer while it is armed,
// and the wake channel, through which control calls, NoWait steps and Close
// all come, what they want being recorded under mu.
func (c *Container) supervise() {
	defer close(c.gone)
	defer close(c.out)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := int64(-1)

	c.mu.Lock()
	for {
		c.supervising = true
		c.rounds++
		if c.probeDue {
			// No offer is in flight here, so a firing the probe makes
			// never waits for this goroutine to settle one.
			c.probeDue = false
			c.supervising = false
			c.unlock()
			c.probe()
			yieldIfOneProcessor() // as a loop does (direct.go): other sources' goroutines run
			c.mu.Lock()
			continue
		}
		if c.noWait.want {
			c.servePull()
			continue
		}
		if c.closed {
			c.unlock()
			return
		}

		// Read the clock only when a deadline or a pending timer needs it.
		var now int64
		if len(c.deadlines) > 0 || c.queue.head != nil && c.queue.head.kind == kindTimer {
			now = c.now()
		}
		c.fireDue(now)

		var out chan Event
		var offer Event
		head := c.queue.head
		if head != nil && c.offer.pins[head] > 0 {
			head = nil // offered again once the control calls are done
		}
		loopsServe := c.loopsTakeThemselves()
		if head != nil && loopsServe {
			// A loop over All takes what is pending itself at its next
			// step (direct.go).
			c.loops.deferred = true
			head = nil
		}
		if head != nil {
			c.catchUp(head, now)
			out, offer = c.out, head.event()
			c.beginOffer(head)
		}
		if len(c.deadlines) == 0 || loopsServe {
			// While loops over All run, the deadlines are theirs too.
			if armed >= 0 {
				timer.Stop()
				armed = -1
			}
		} else if next := c.deadlines[0].deadline; next != armed {
			timer.Reset(time.Duration(next - now))
			armed = next
		}
		c.armed = armed
		if out != nil {
			// A consumer already waiting takes the offer here, and the
			// supervisor goes on running: blocked in the select below,
			// it would have to be woken by that consumer, which costs a
			// thread wake-up whenever a processor is idle. One case: the
			// cheap non-blocking send, not a select; made under mu,
			// since it never blocks, so that taking the offer needs no
			// second round of the lock.
			select {
			case out <- offer:
				c.takenLocked(head)
				continue
			default:
			}
		}
		c.supervising = false
		c.unlock()

		// A stopped timer's channel is left out of the select, and with
		// nothing to offer either, a plain receive does.
		var expired <-chan time.Time
		if armed >= 0 {
			expired = timer.C
		}
		if out == nil && expired == nil {
			<-c.wake
			c.mu.Lock()
			continue
		}
		select {
		case out <- offer:
			c.taken(head)
		case <-c.wake:
			c.mu.Lock()
			c.withdrawOffer()
		case <-expired:
			armed = -1
			c.mu.Lock()
			c.withdrawOffer()
		}
	}
}

// taken ends the offer of e, which a consumer took from C, and re-arms or
// stops its watcher. Called by the supervisor without mu, which it holds
// on return.
func (c *Container) taken(e *entry) {
	c.mu.Lock()
	c.supervising = true
	c.takenLocked(e)
}

// takenLocked is taken with mu held.
func (c *Container) takenLocked(e *entry) {
	c.resolveOffer()
	w, rearm := c.delivered(e)
	c.release(e, w, rearm)
}

// servePull answers the NoWait step that asked (R13): with the head of the
// queue if it became pending no later than the step's limit. The asker waits
// for the answer, unconditionally. Called by the supervisor with mu held.
func (c *Container) servePull() {
	c.noWait.want = false
	e := c.queue.head
	if e == nil || e.pendSeq.after(c.noWait.limit) {
		c.noWait.resp <- pulled{} // capacity 1: never blocks
		return
	}
	c.catchUp(e, c.now())
	c.noteDelivering(e)
	ev := e.event()
	w, rearm := c.delivered(e)
	c.noWait.resp <- pulled{ev: ev, ok: true}
	c.release(e, w, rearm)
}

// release calls w's Rearm or Stop for e, as delivered says, without mu
// held: it is user code (R14). Called by the supervisor with mu held, which it holds
// again on return.
func (c *Container) release(e *entry, w Watcher, rearm bool) {
	if w == nil {
		return
	}
	// Let the consumer that just took the event run first: it is usually
	// about to read what the event announced, and a level-triggered source
	// re-armed before that read may look again at once and report the same
	// readiness, a spurious wake-up (cmd/evbench chain). While other
	// events are pending, the supervisor goes straight on to offer the
	// next instead: the consumer will be busy with this one meanwhile, and
	// package poll does not look again before the last event it reported
	// is taken.
	yield := rearm && c.queue.head == nil
	c.supervising = false
	c.unlock()
	if rearm {
		if yield {
			runtime.Gosched()
		}
		c.rearm(e, w)
	} else {
		c.stopWatcher(w)
	}
	c.mu.Lock()
	c.supervising = true
}

// catchUp counts the ticks of a pending persistent timer that fell since
// its count was last brought up to date, as it is about to be delivered
// (R3, R6): a pending timer stays out of the deadline heap, so a consumer
// that falls behind costs no work per tick, nor a wake-up. Called with mu
// held.
func (c *Container) catchUp(e *entry, now int64) {
	if e.kind != kindTimer || !e.persistent() || e.deadline > now {
		return
	}
	late := (now - e.deadline) / int64(e.period)
	e.addCount(late + 1)
	e.deadline = ticksLater(e.deadline, late+1, e.period)
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
		if e.persistent() {
			// Ticks missed while the supervisor was late coalesce (R3).
			late := (now - e.deadline) / int64(e.period)
			ticks += int(late)
			c.deadlines.set(e, ticksLater(e.deadline, late+1, e.period))
		} else {
			c.deadlines.remove(e)
		}
		c.markFired(e, Timeout, ticks)
	}
}

// ticksLater is deadline plus n periods, saturating at math.MaxInt64 as
// after does: a timer whose next tick lies beyond what int64 nanoseconds
// hold (an interval of centuries) never ticks again, rather than wrap into
// the past and tick at once, with a Count of 0.
func ticksLater(deadline, n int64, period time.Duration) int64 {
	if n > (math.MaxInt64-deadline)/int64(period) {
		return math.MaxInt64
	}
	return deadline + n*int64(period)
}

// yieldIfOneProcessor lets other goroutines run when the program has one
// processor, where a goroutine that always finds work would otherwise keep
// them waiting for the scheduler's preemption (direct.go).
func yieldIfOneProcessor() {
	if runtime.GOMAXPROCS(0) == 1 {
		runtime.Gosched()
	}
}
