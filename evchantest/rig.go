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
// suite's timeouts. It is a variable for the suite's own test of broken
// sources, some of which it must wait for in vain.
var hangLimit = 10 * time.Second

// shortTimeout is the timeout the suite gives events it lets time out. It is
// real time, so it is short to keep the suite quick; no check depends on how
// long a timeout actually takes on a loaded machine.
const shortTimeout = 20 * time.Millisecond

// rig is what one subtest works with: a fresh container and a fresh subject.
type rig struct {
	t *testing.T
	c *evchan.Container
	s Subject
	// rule is the rule the subtest is about ("R7"), which the rig's own
	// failure messages name: a user reads the failure next to CONTRACT.md.
	rule string
	// fired is how many times the subtest has called Subject.Fire.
	fired int
}

// newRig makes the container and subject of one subtest about rule, and
// arranges, once the subtest ends, for the container to be closed, then for
// the subject's own cleanups to run, then for a check that every goroutine
// started during the subtest has ended (R12).
func newRig(t *testing.T, rule string, newSubject func(t *testing.T) Subject) *rig {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		// goleak.VerifyNone would fail without naming the rule.
		if err := goleak.Find(before); err != nil {
			t.Errorf("R12: a goroutine started in the subtest outlived Close: Watcher.Stop must end what Watch started, a service's Close what Handle.Service started, and a t.Cleanup of the subject what newSubject started; goleak: %v", err)
		}
	})
	s := newSubject(t)
	s.validate(t)
	c := evchan.New()
	t.Cleanup(func() { c.Close() })
	return &rig{t: t, c: c, s: s, rule: rule}
}

// oneShot and persistent are the two forms of the subject's event.
func (r *rig) oneShot() evchan.Spec    { return r.s.Spec.OneShot() }
func (r *rig) persistent() evchan.Spec { return r.s.Spec.Persistent() }

// add adds spec with data as its Event.Data, failing the test on error.
func (r *rig) add(spec evchan.Spec, data any, timeout time.Duration) evchan.ID {
	r.t.Helper()
	id, err := r.c.Add(spec, data, timeout)
	if err != nil {
		// Spec.Err passed (validate), so the error is the source's own.
		r.t.Fatalf("R15: Add(%v, %q, %v) of a valid Spec failed: %v; the error is Watch's, which must accept every event of Subject.Spec, one-shot or persistent, several at once and again after others were deleted", spec, data, timeout, err)
	}
	return id
}

// next receives the container's next event, waiting at most hangLimit.
// waitingFor says what for, and lookAt what to look at if nothing comes, in
// the failure message.
func (r *rig) next(waitingFor, lookAt string) evchan.Event {
	r.t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-r.c.C:
		if !ok {
			r.t.Fatalf("R12: C was closed while waiting for %s, though the suite had not called Close: %s", waitingFor, containerOnly)
		}
		return e
	case <-limit.C:
		r.t.Fatalf("%s: no event within %v while waiting for %s: %s", r.rule, hangLimit, waitingFor, lookAt)
	}
	return evchan.Event{}
}

// until receives events until the one of id, and returns it with the events
// received before it.
func (r *rig) until(id evchan.ID, waitingFor, lookAt string) (evchan.Event, []evchan.Event) {
	r.t.Helper()
	var before []evchan.Event
	for {
		e := r.next(waitingFor, lookAt)
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
		r.t.Fatalf("R5: Once, which adds the suite's sentinel event, failed: %v; %s", err, containerOnly)
	}
	_, before := r.until(sentinel, "the sentinel added by Once (R4: it comes after what was pending)", stuck)
	return before
}

// check fails the test unless e is a delivery of id with data as its
// Event.Data for reason, with the subject's Source and no error. Data and Count
// have rules of their own (R8, R3); a wrong ID, Reason, Source or Err fails
// naming the subtest's rule, which says what the delivery was for.
func (r *rig) check(e evchan.Event, id evchan.ID, data any, reason evchan.Reason) {
	r.t.Helper()
	if e.ID != id {
		// A Handle fires only its own event, and the checks that call
		// check have no other event that could be pending.
		r.t.Fatalf("%s: got %v (data %q), want a delivery of event %d (data %q): no other event of the subtest could be delivered now; %s", r.rule, e, e.Data, id, data, containerOnly)
	}
	if e.Reason != reason {
		r.t.Errorf("%s: %v: Reason is %v, want %v: %s", r.rule, e, e.Reason, reason, r.wrongReason(e.Reason, reason))
	}
	if e.Data != data {
		r.t.Errorf("R8: %v: Data is %q, want %q, as given to Add or SetData: a source cannot change Data (Handle.Fire's value is Event.Value), so %s", e, e.Data, data, containerOnly)
	}
	if want := r.s.Spec.Source(); !reflect.DeepEqual(e.Source, want) {
		r.t.Errorf("%s: %v: Source is %v (%T), want %v (%T) as Subject.Spec.Source() says: the two are compared with reflect.DeepEqual, which finds no func equal, even to itself, so give such a source something comparable to show with Spec.WithSource", r.rule, e, e.Source, e.Source, want, want)
	}
	if e.Count < 1 {
		r.t.Errorf("R3: %v: Count is %d, want at least 1: %s", e, e.Count, containerOnly)
	}
	if e.Err != nil {
		r.t.Errorf("%s: %v: want no Err: %s", r.rule, e, wrongErr(e.Err)) // e's text shows the Err
	}
}

// checkFired is check for a delivery caused by fires firings of the
// subject: exactly that many for an edge source, at least one for a level
// source, whose firings are not counted one by one. A delivery with an
// error, which check fails, counts the source's report of it too, so its
// Count says nothing more.
func (r *rig) checkFired(e evchan.Event, id evchan.ID, data any, fires int) {
	r.t.Helper()
	r.check(e, id, data, r.s.Reason)
	if !r.s.Level && e.Err == nil && e.Count != fires {
		r.t.Errorf("R3: %v: Count is %d after %d firing(s), want %d: %s", e, e.Count, fires, fires, r.miscounted(e.Count, fires))
	}
}

// fire makes the subject's condition happen n times.
func (r *rig) fire(n int) {
	for range n {
		r.fired++
		r.s.Fire()
	}
}

// reset ends a level subject's condition; it does nothing for an edge one.
func (r *rig) reset() {
	if r.s.Level {
		r.s.Reset()
	}
}
