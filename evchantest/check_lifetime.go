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
		r.t.Fatal("Del of a live event reported false, want true (R2)")
	}
	if r.c.Del(a) {
		r.t.Error("a second Del of the same event reported true, want false (R2)")
	}
	r.fire(1)
	e, before := r.until(b, "B's delivery: after Del(A), a firing must still reach B, another registration of the same source")
	r.checkFired(e, b, "B", 1)
	for _, e := range append(before, r.drain()...) {
		if e.ID == a {
			r.t.Errorf("got %v (data %q) after Del of that event returned (R9)", e, e.Data)
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
		r.t.Fatalf("Len = %d after Clear, want 0 (R11)", n)
	}
	for id := range cleared {
		if r.c.Del(id) {
			r.t.Errorf("Del of event %d reported true after Clear, want false (R11)", id)
		}
	}
	id, err := r.c.Add(r.oneShot(), "after Clear", 0)
	if err != nil {
		r.t.Fatalf("Add after Clear: %v, want the container usable at once (R11)", err)
	}
	r.fire(1)
	e, before := r.until(id, "the delivery of an event added after Clear")
	r.checkFired(e, id, "after Clear", 1)
	for _, e := range append(before, r.drain()...) {
		if cleared[e.ID] {
			r.t.Errorf("got %v (data %q) after Clear (R11)", e, e.Data)
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
		r.t.Errorf("Close returned %v, want nil (R12)", err)
	}
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-r.c.C:
		if ok {
			r.t.Errorf("received %v (data %q) after Close, want C closed (R12)", e, e.Data)
		}
	case <-limit.C:
		r.t.Errorf("C still open %v after Close returned, want it closed (R12)", hangLimit)
	}
	if _, err := r.c.Add(r.oneShot(), "after Close", 0); !errors.Is(err, evchan.ErrClosed) {
		r.t.Errorf("Add after Close returned %v, want an error wrapping ErrClosed (R12)", err)
	}
	if r.c.Del(oneShot) {
		r.t.Error("Del after Close reported true, want false (R12)")
	}
	if n := r.c.Len(); n != 0 {
		r.t.Errorf("Len = %d after Close, want 0 (R12)", n)
	}
}
