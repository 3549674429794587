package evchantest

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
)

// The checks of how a source's firings become deliveries.

// checkDelivery: one firing is delivered with the event's ID, the subject's
// reason and Source, the data given to Add, and a Count of one (R3).
func checkDelivery(r *rig) {
	id := r.add(r.oneShot(), "delivery", 0)
	r.fire(1)
	r.checkFired(r.next("the delivery of a fired one-shot event", r.notFired()), id, "delivery", 1)
}

// checkOneShotDeleted: a one-shot event is deleted the moment it is
// delivered (R1), so its ID answers nothing any more (R2).
func checkOneShotDeleted(r *rig) {
	id := r.add(r.oneShot(), "one-shot", 0)
	if n := r.c.Len(); n != 1 {
		r.t.Fatalf("R1: Len = %d after one Add, want 1: %s", n, containerOnly)
	}
	r.fire(1)
	r.checkFired(r.next("the delivery of a fired one-shot event", r.notFired()), id, "one-shot", 1)
	if err := r.c.SetData(id, "changed"); !errors.Is(err, evchan.ErrNotFound) {
		r.t.Errorf("R1: SetData on a delivered one-shot event returned %v, want an error wrapping evchan.ErrNotFound (R2): %s", err, containerOnly)
	}
	if r.c.Del(id) {
		r.t.Errorf("R1: Del on a delivered one-shot event reported true, want false (R2): %s", containerOnly)
	}
	if n := r.c.Len(); n != 0 {
		r.t.Errorf("R1: Len = %d after the one-shot event was delivered, want 0: %s", n, containerOnly)
	}
}

// checkPersistentFiresAgain: a persistent event stays after its delivery
// (R1), and the source fires it again.
func checkPersistentFiresAgain(r *rig) {
	id := r.add(r.persistent(), "persistent", 0)
	r.fire(1)
	e := r.next("the first delivery of a persistent event", r.notFired())
	r.checkFired(e, id, "persistent", 1)
	if n := r.c.Len(); n != 1 {
		r.t.Fatalf("R1: Len = %d after a persistent event was delivered, want 1: %s", n, ended(e))
	}
	if err := r.c.SetData(id, "persistent, again"); err != nil {
		r.t.Fatalf("R1: SetData on a delivered persistent event: %v, want nil: %s", err, ended(e))
	}
	// A level source may report its condition once more between the
	// delivery and the reset; that delivery says the same, so it is fine.
	r.reset()
	r.fire(1)
	e = r.next("the second delivery of a persistent event",
		"the source must go on firing after a delivery of a persistent event: the container calls Watcher.Rearm then, and only Watcher.Stop ends the event's watching"+r.orBatched())
	r.checkFired(e, id, "persistent, again", 1)
	if !r.c.Del(id) {
		r.t.Errorf("R1: Del of the persistent event reported false, want true: %s", ended(e))
	}
}

// coalesced is how many times checkCoalescing fires before receiving.
const coalesced = 3

// checkCoalescing: firings made while an event is pending are delivered
// once, with a Count of them all (R3).
func checkCoalescing(r *rig) {
	id := r.add(r.persistent(), "coalesced", 0)
	r.fire(coalesced)
	switch {
	case r.s.Level:
		// However often a level condition is made to hold, it is one
		// condition: one delivery says so.
		r.check(r.next("the delivery of a fired level event", r.notFired()), id, "coalesced", r.s.Reason)
		return
	case r.s.Synchronous:
		// Every firing has reached the event before the receive.
		r.checkFired(r.next("the delivery of several firings", r.notFired()), id, "coalesced", coalesced)
	default:
		// Firings that reach the event after a delivery make another one:
		// what must hold is that the Counts add up, no more and no less.
		total := 0
		for total < coalesced {
			lookAt := r.notFired()
			if total > 0 {
				lookAt = r.miscounted(total, coalesced)
			}
			e := r.next(fmt.Sprintf("the deliveries of %d firings (their Counts add up to %d so far)", coalesced, total), lookAt)
			r.check(e, id, "coalesced", r.s.Reason)
			total += e.Count
		}
		if total != coalesced {
			r.t.Fatalf("R3: the Counts of the deliveries add up to %d after %d firings, want %d: %s", total, coalesced, coalesced, r.miscounted(total, coalesced))
		}
	}
	if r.t.Failed() {
		return // the next firing would only fail again, or wait in vain
	}
	// A firing reported twice would show now, as a Count of more than one.
	r.fire(1)
	r.checkFired(r.next("the delivery of one more firing", r.notFired()), id, "coalesced", 1)
}

// checkLevelRefires: a level source whose condition still holds after a
// delivery reports it again when the container calls Rearm, and stops once
// the condition is reset (the Source protocol): a persistent event that is
// always ready is delivered again, at the back each time (R4), and R3 keeps
// the cost bounded.
func checkLevelRefires(r *rig) {
	id := r.add(r.persistent(), "level", 0)
	r.fire(1)
	r.check(r.next("the delivery of a fired level event", r.notFired()), id, "level", r.s.Reason)
	r.check(r.next("a second delivery of a level event whose condition still holds (after Rearm)",
		"a Level source must report its condition again each time the container calls Watcher.Rearm while the condition holds, as a descriptor stays readable until read; a source that reports each Subject.Fire once is an edge source: unset Subject.Level"),
		id, "level", r.s.Reason)
	if r.s.FiresOnce {
		return // no Reset and Fire again
	}
	r.reset()
	r.fire(1)
	r.check(r.next("the delivery of a level event made to hold again after Reset",
		"after Subject.Reset ended the condition and Subject.Fire made it hold again, the source must report it: Watcher.Rearm must keep watching when the condition does not hold at the time"),
		id, "level", r.s.Reason)
}
