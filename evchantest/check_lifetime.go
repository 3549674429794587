package evchantest

import (
	"errors"
	"time"

	"github.com/evchan/evchan/evchan"
)

// The checks of how a source's registrations end.

// checkNoDeliveryAfterDel: once Del returns, the event is never delivered
// (R9). Absence cannot be seen by waiting, so the check makes it visible:
// A and B are the same source; A is deleted, then the source fires; B's
// delivery proves the firing went through the container, and a sentinel
// queued after that proves nothing of A was left pending behind it (R4).
func checkNoDeliveryAfterDel(r *rig) {
	a := r.add(r.persistent(), "A, deleted", 0)
	b := r.add(r.oneShot(), "B", 0)
	if !r.c.Del(a) {
		r.t.Fatalf("R2: Del of a live event reported false, want true: %s", containerOnly)
	}
	if r.c.Del(a) {
		r.t.Errorf("R2: a second Del of the same event reported true, want false: %s", containerOnly)
	}
	r.fire(1)
	e, before := r.until(b, "B's delivery: after Del(A), a firing must still reach B, another registration of the same source",
		"Watcher.Stop of the deleted event A must end A's watching only, and before it returns (a source that shares its firings out, as a channel its values, must stop taking them for A)")
	r.checkFired(e, b, "B", 1)
	for _, e := range append(before, r.drain()...) {
		if e.ID == a {
			// Del makes A's Handle dead before it returns, and Handle.Fire
			// on a dead Handle is dropped, whatever Watcher.Stop does.
			r.t.Errorf("R9: got %v (data %q) after Del of that event returned: a Handle fires nothing once Del has returned, even if Watcher.Stop did not stop the source's firing, so Del let a pending or offered delivery through; %s", e, e.Data, containerOnly)
		}
	}
}

// checkClearThenAddAgain: Clear deletes every event and stops its source;
// the container stays usable with the same source at once (R11).
func checkClearThenAddAgain(r *rig) {
	cleared := map[evchan.ID]bool{
		r.add(r.persistent(), "cleared persistent", 0): true,
		r.add(r.oneShot(), "cleared one-shot", 0):      true,
	}
	r.c.Clear()
	if n := r.c.Len(); n != 0 {
		r.t.Fatalf("R11: Len = %d after Clear, want 0: %s", n, containerOnly)
	}
	for id := range cleared {
		if r.c.Del(id) {
			r.t.Errorf("R11: Del of event %d reported true after Clear, want false: %s", id, containerOnly)
		}
	}
	id, err := r.c.Add(r.oneShot(), "after Clear", 0)
	if err != nil {
		r.t.Fatalf("R11: Add after Clear failed: %v; want the container usable at once: the error is Watch's, which must accept a new event of Subject.Spec after Watcher.Stop ended all the others", err)
	}
	r.fire(1)
	e, before := r.until(id, "the delivery of an event added after Clear",
		"a source must not stay dead once its last Watcher.Stop ran: Watch must watch a new event anew (a goroutine shared by the events and ended by the last Stop must be started again)")
	r.checkFired(e, id, "after Clear", 1)
	for _, e := range append(before, r.drain()...) {
		if cleared[e.ID] {
			r.t.Errorf("R11: got %v (data %q) after Clear: a Handle fires nothing once Clear has returned, so %s", e, e.Data, containerOnly)
		}
	}
}

// checkClose: Close deletes every event, pending ones included, stops
// their sources and closes C; afterwards Add fails with ErrClosed (R12).
// That no goroutine is left is checked as every subtest ends.
func checkClose(r *rig) {
	oneShot := r.add(r.oneShot(), "one-shot", 0)
	r.add(r.persistent(), "persistent", 0)
	r.add(r.oneShot(), "with a timeout", shortTimeout)
	r.fire(1) // some of them may be pending, some firings still on the way
	if err := r.c.Close(); err != nil {
		r.t.Errorf("R12: Close returned %v, want nil: %s", err, closeErr(err))
	}
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-r.c.C:
		if ok {
			r.t.Errorf("R12: received %v (data %q) after Close, want C closed: %s", e, e.Data, containerOnly)
		}
	case <-limit.C:
		r.t.Errorf("R12: C still open %v after Close returned, want it closed: %s", hangLimit, containerOnly)
	}
	if _, err := r.c.Add(r.oneShot(), "after Close", 0); !errors.Is(err, evchan.ErrClosed) {
		r.t.Errorf("R12: Add after Close returned %v, want an error wrapping ErrClosed: %s", err, containerOnly)
	}
	if r.c.Del(oneShot) {
		r.t.Errorf("R12: Del after Close reported true, want false: %s", containerOnly)
	}
	if n := r.c.Len(); n != 0 {
		r.t.Errorf("R12: Len = %d after Close, want 0: %s", n, containerOnly)
	}
}

// closeErr is what to look at when Close returned err: the errors of the
// services' Close and the panics of the source's code it recovered (R15).
func closeErr(err error) string {
	if errors.Is(err, evchan.ErrPanicked) {
		return "a Watcher.Stop, or the Close of a service the source started with Handle.Service, panicked"
	}
	return "the container closes each service started with Handle.Service once, after the last Watcher.Stop, and returns what that failed with: Stop must not close a service itself, and the service's Close must succeed"
}
