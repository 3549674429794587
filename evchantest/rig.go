package evchantest

import (
	"reflect"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
)

// hangLimit bounds every wait of the suite. It only catches hangs: a correct
// source delivers in microseconds, or in the tens of milliseconds of the
// suite's timeouts.
const hangLimit = 10 * time.Second

// shortTimeout is the timeout the suite gives events it lets time out. It is
// real time, so it is short to keep the suite quick; no check depends on how
// long a timeout actually takes on a loaded machine.
const shortTimeout = 20 * time.Millisecond

// rig is what one subtest works with: a fresh container and a fresh subject.
type rig struct {
	t *testing.T
	c *evchan.Container
	s Subject
}

// newRig makes the container and subject of one subtest, and arranges, once
// the subtest ends, for the container to be closed, then for the subject's
// own cleanups to run, then for a check that every goroutine started during
// the subtest has ended (R12).
func newRig(t *testing.T, newSubject func(t *testing.T) Subject) *rig {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	s := newSubject(t)
	s.validate(t)
	c := evchan.New()
	t.Cleanup(func() { c.Close() })
	return &rig{t: t, c: c, s: s}
}

// oneShot and persistent are the two forms of the subject's event.
func (r *rig) oneShot() evchan.Spec    { return r.s.Spec.OneShot() }
func (r *rig) persistent() evchan.Spec { return r.s.Spec.Persistent() }

// add adds spec with ctx as its context, failing the test on error.
func (r *rig) add(spec evchan.Spec, ctx any, timeout time.Duration) evchan.ID {
	r.t.Helper()
	id, err := r.c.Add(spec, ctx, timeout)
	if err != nil {
		r.t.Fatalf("Add(%v, %q, %v): %v", spec, ctx, timeout, err)
	}
	return id
}

// next receives the container's next event, waiting at most hangLimit.
// waitingFor says what for, in the failure message.
func (r *rig) next(waitingFor string) evchan.Event {
	r.t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-r.c.C:
		if !ok {
			r.t.Fatalf("C was closed while waiting for %s", waitingFor)
		}
		return e
	case <-limit.C:
		r.t.Fatalf("no event within %v while waiting for %s: the source never fired, or its firing never reached the container", hangLimit, waitingFor)
	}
	return evchan.Event{}
}

// until receives events until the one of id, and returns it with the events
// received before it.
func (r *rig) until(id evchan.ID, waitingFor string) (evchan.Event, []evchan.Event) {
	r.t.Helper()
	var before []evchan.Event
	for {
		e := r.next(waitingFor)
		if e.ID == id {
			return e, before
		}
		before = append(before, e)
	}
}

// drain receives every event that became pending before this call, by
// adding a sentinel (a triggered one-shot virtual event) and receiving
// until it: pending events are delivered in order (R4), so the sentinel
// comes after them all. It returns the events received before the sentinel.
func (r *rig) drain() []evchan.Event {
	r.t.Helper()
	sentinel, err := r.c.Once("sentinel")
	if err != nil {
		r.t.Fatalf("Once: %v", err)
	}
	_, before := r.until(sentinel, "the sentinel added by Once (R4: it comes after what was pending)")
	return before
}

// check fails the test unless e is a delivery of id with ctx as its context
// for reason, with the subject's Source and no error.
func (r *rig) check(e evchan.Event, id evchan.ID, ctx any, reason evchan.Reason) {
	r.t.Helper()
	if e.ID != id {
		r.t.Fatalf("got %v (context %q), want a delivery of event %d (context %q)", e, e.Context, id, ctx)
	}
	if e.Reason != reason {
		r.t.Errorf("%v: Reason is %v, want %v", e, e.Reason, reason)
	}
	if e.Context != ctx {
		r.t.Errorf("%v: Context is %q, want %q", e, e.Context, ctx)
	}
	if want := r.s.Spec.Source(); !reflect.DeepEqual(e.Source, want) {
		r.t.Errorf("%v: Source is %v (%T), want %v (%T) as Spec.Source() says", e, e.Source, e.Source, want, want)
	}
	if e.Count < 1 {
		r.t.Errorf("%v: Count is %d, want at least 1 (R3)", e, e.Count)
	}
	if e.Err != nil {
		r.t.Errorf("%v: Err is %v, want nil: the source has not failed", e, e.Err)
	}
}

// checkFired is check for a delivery caused by fires firings of the
// subject: exactly that many for an edge source, at least one for a level
// source, whose firings are not counted one by one.
func (r *rig) checkFired(e evchan.Event, id evchan.ID, ctx any, fires int) {
	r.t.Helper()
	r.check(e, id, ctx, r.s.Reason)
	if !r.s.Level && e.Count != fires {
		r.t.Errorf("%v: Count is %d after %d firing(s), want %d (R3): does the source report one condition more than once, or lose some?", e, e.Count, fires, fires)
	}
}

// fire makes the subject's condition happen n times.
func (r *rig) fire(n int) {
	for range n {
		r.s.Fire()
	}
}

// reset ends a level subject's condition; it does nothing for an edge one.
func (r *rig) reset() {
	if r.s.Level {
		r.s.Reset()
	}
}
