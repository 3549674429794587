package evchantest

import (
	"time"

	"github.com/evchan/evchan/evchan"
)

// The checks of timeouts on a source's events (R7).

// checkTimeout: an event that never fires is delivered with reason Timeout
// once its timeout passes; a one-shot event is then deleted (R1), and a
// persistent one times out again, its clock restarted by the delivery.
func checkTimeout(r *rig) {
	id := r.add(r.oneShot(), "one-shot, timing out", shortTimeout)
	r.check(r.next("a timeout of an event that never fires", stuck), id, "one-shot, timing out", evchan.Timeout)
	if r.c.Del(id) {
		r.t.Errorf("R1: Del of a one-shot event delivered by its timeout reported true, want false: %s", containerOnly)
	}

	id = r.add(r.persistent(), "persistent, timing out", shortTimeout)
	e := r.next("a timeout of a persistent event", stuck)
	r.check(e, id, "persistent, timing out", evchan.Timeout)
	if n := r.c.Len(); n != 1 {
		r.t.Fatalf("R1: Len = %d after a persistent event timed out, want 1: %s", n, ended(e))
	}
	r.check(r.next("a second timeout of a persistent event, restarted by its delivery", stuck), id, "persistent, timing out", evchan.Timeout)
}

// checkFiringBeforeTimeout: an event whose source fires well before its
// timeout is delivered for the source's reason, once (R7).
func checkFiringBeforeTimeout(r *rig) {
	id := r.add(r.oneShot(), "fired early", hangLimit)
	r.fire(1)
	r.checkFired(r.next("the delivery of an event fired long before its timeout", r.notFired()), id, "fired early", 1)
	if r.c.Del(id) {
		r.t.Errorf("R1: Del of a delivered one-shot event reported true, want false: %s", containerOnly)
	}
}

// checkFiringAfterTimeoutFellDue: an event whose source fires after its
// timeout fell due, but before it was delivered, is delivered for the
// source's reason, not Timeout: a real firing is never lost to a timeout
// (R7). Only a synchronous Fire knows that its firing reached the event
// before the receive, so the check needs one.
func checkFiringAfterTimeoutFellDue(r *rig) {
	id := r.add(r.oneShot(), "fired after its timeout fell due", shortTimeout)
	// Nothing receives while the timeout falls due, so the event waits,
	// pending with reason Timeout, for the firing. This is not a race:
	// should the timeout come after the firing instead, the event must
	// still be delivered for the source's reason. The wait only makes the
	// case this check is about the likely one.
	time.Sleep(2 * shortTimeout)
	r.fire(1)
	e := r.next("the delivery of an event fired after its timeout fell due", r.notFired())
	// The timeout that fell due may be counted with the firing.
	r.check(e, id, "fired after its timeout fell due", r.s.Reason)
}
