package faults_test

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
)

// Custom sources and services that misbehave: Watch, Rearm, Stop and a
// service's start and Close panic or fail, Watch blocks, Fire comes after
// Stop or from many goroutines at once. Each test checks what the Source
// protocol (evchan/source.go) promises for the fault.

// A faultySource is a Source, and the Watcher of the one event it is added
// for, that misbehaves as its fields say. Each event gets its own, and its
// fields are set before Add.
type faultySource struct {
	watchPanic  any           // Watch panics with it
	watchErr    error         // Watch returns it...
	errWatcher  bool          // ...together with the source as its Watcher
	fireInWatch bool          // Watch fires before it returns
	release     chan struct{} // Watch waits for it to be closed, once it has handed out its Handle
	rearmPanic  any           // Rearm panics with it
	stopPanic   any           // Stop panics with it
	stopTryFire bool          // Stop calls TryFire on its own Handle

	handles chan evchan.Handle // Watch's Handle (capacity 1)
	stopped chan struct{}      // a token for each Stop (capacity 4)
	rearms  atomic.Int32
	stops   atomic.Int32
	// stopFired counts the TryFire calls made from Stop that reported
	// the firing counted.
	stopFired atomic.Int32
	// h is Watch's Handle, for Stop: the container orders Stop after
	// Watch.
	h evchan.Handle
}

func newFaultySource() *faultySource {
	return &faultySource{handles: make(chan evchan.Handle, 1), stopped: make(chan struct{}, 4)}
}

func (s *faultySource) Watch(h evchan.Handle) (evchan.Watcher, error) {
	s.h = h
	select {
	case s.handles <- h:
	default:
	}
	if s.fireInWatch {
		h.Fire(evchan.Readable, "fired in Watch")
	}
	if s.release != nil {
		<-s.release
	}
	if s.watchPanic != nil {
		panic(s.watchPanic)
	}
	if s.watchErr != nil {
		if s.errWatcher {
			return s, s.watchErr
		}
		return nil, s.watchErr
	}
	return s, nil
}

func (s *faultySource) Rearm() {
	s.rearms.Add(1)
	if s.rearmPanic != nil {
		panic(s.rearmPanic)
	}
}

func (s *faultySource) Stop() {
	s.stops.Add(1)
	if s.stopTryFire && s.h.TryFire(evchan.Readable, "fired in Stop") {
		s.stopFired.Add(1)
	}
	select {
	case s.stopped <- struct{}{}:
	default:
	}
	if s.stopPanic != nil {
		panic(s.stopPanic)
	}
}

// faultyHandle returns the Handle s's Watch was given, waiting for Watch to
// be called.
func faultyHandle(t *testing.T, s *faultySource) evchan.Handle {
	t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case h := <-s.handles:
		return h
	case <-limit.C:
		t.Fatalf("Watch not called within %v", hangLimit)
	}
	panic("unreachable")
}

// faultyAwait waits for a token or the closing of ch.
func faultyAwait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case v := <-ch:
		return v
	case <-limit.C:
		t.Fatalf("%s: nothing within %v", what, hangLimit)
	}
	panic("unreachable")
}

// faultyBounded runs f on a goroutine of its own and fails the test if it
// has not returned within hangLimit: a control call that waits for user
// code breaks R14. f reports with t.Error, not t.Fatal.
func faultyBounded(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case <-done:
	case <-limit.C:
		t.Fatalf("%s has not returned within %v", what, hangLimit)
	}
}

// faultyNothingPending adds a one-shot virtual event, already triggered,
// and checks that it is the next event r takes: nothing else was pending,
// nor became pending before it (R4, R5).
func faultyNothingPending(t *testing.T, r *receiver, when string) {
	t.Helper()
	sentinel, err := r.c.Once("sentinel")
	if err != nil {
		t.Fatalf("%s: Once: %v", when, err)
	}
	for range 10 {
		e := r.receive(t, "the sentinel "+when)
		if e.ID == sentinel {
			return
		}
		t.Errorf("%s: %v (context %v, Err %v) delivered, want nothing before the sentinel", when, e, e.Data, e.Err)
	}
	t.Fatalf("%s: the sentinel not delivered after 10 other events", when)
}

// R15: a Source whose Watch panics makes Add fail with an error wrapping
// ErrPanicked, whose text has the panic's value, and errors.Is finds that
// value if it is an error. The container is as it was: Len unchanged, its
// other events delivered as before, and a loop over a container that holds
// nothing else ends at once (R13). A typed nil pointer Source is refused
// with ErrInvalid, without being called.
func TestSourceWatchPanics(t *testing.T) { forEachPath(t, sourceWatchPanics) }

func sourceWatchPanics(t *testing.T, p path) {
	broke := errors.New("watch broke (an error value)")
	for _, tc := range []struct {
		name  string
		value any
		text  string
	}{
		{"string", "watch broke (a string)", "watch broke (a string)"},
		{"error", broke, broke.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(t *testing.T, id evchan.ID, err error) {
				t.Helper()
				if id != 0 || !errors.Is(err, evchan.ErrPanicked) || err == nil || !strings.Contains(err.Error(), tc.text) {
					t.Fatalf("Add of a source whose Watch panics = %d, %v; want 0 and an error wrapping ErrPanicked with %q in its text", id, err, tc.text)
				}
				if e, ok := tc.value.(error); ok && !errors.Is(err, e) {
					t.Errorf("errors.Is(%v, the panic's value) = false", err)
				}
			}

			c := evchan.New()
			t.Cleanup(func() { c.Close() })
			rx := p.open(t, c)
			v := mustAdd(t, c, evchan.Virtual(false).Persistent(), "v")
			c.Trigger(v)
			if e := rx.receive(t, "v, before"); e.ID != v || e.Count != 1 {
				t.Fatalf("before: got %v, want v (%d) once", e, v)
			}
			for _, spec := range []func(evchan.Source) evchan.Spec{
				func(s evchan.Source) evchan.Spec { return evchan.Custom(s).Persistent() },
				func(s evchan.Source) evchan.Spec { return evchan.Custom(s) },
			} {
				src := newFaultySource()
				src.watchPanic = tc.value
				src.fireInWatch = true // what it fired is never delivered
				id, err := c.Add(spec(src), "broken", time.Hour)
				check(t, id, err)
				if n := c.Len(); n != 1 {
					t.Fatalf("Len = %d after Add failed, want 1", n)
				}
				if src.stops.Load() != 0 || src.rearms.Load() != 0 {
					t.Errorf("Watch panicked, returning no Watcher, yet %d Stop and %d Rearm calls", src.stops.Load(), src.rearms.Load())
				}
				if h := faultyHandle(t, src); h.TryFire(evchan.Readable, "after") {
					t.Error("TryFire on the Handle of a Watch that panicked reported true")
				}
			}
			c.Trigger(v)
			if e := rx.receive(t, "v, after"); e.ID != v || e.Count != 1 || e.Data != "v" {
				t.Fatalf("after: got %v, want v (%d) once", e, v)
			}
			if w := mustAdd(t, c, evchan.Virtual(false), "w"); w <= v {
				t.Errorf("an event added after the failed ones has ID %d, not above %d (R2)", w, v)
			}
			faultyNothingPending(t, rx, "after the panics")
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v, want nil: a Watch panic is Add's to report", err)
			}

			// A container that holds nothing else: a loop ends at once.
			empty := evchan.New()
			t.Cleanup(func() { empty.Close() })
			src := newFaultySource()
			src.watchPanic = tc.value
			id, err := empty.Add(evchan.Custom(src).Persistent(), nil, 0)
			check(t, id, err)
			if n := empty.Len(); n != 0 {
				t.Fatalf("Len = %d after the only Add failed, want 0", n)
			}
			faultyBounded(t, "a loop over All(Block) on the empty container", func() {
				for e := range empty.All(evchan.Block) {
					t.Errorf("the loop over the empty container got %v", e)
				}
			})
			if err := empty.Close(); err != nil {
				t.Errorf("Close = %v", err)
			}
		})
	}

	// R15: Custom refuses a typed nil pointer: Add returns ErrInvalid and
	// leaves the container as it was.
	t.Run("typed nil", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		v := mustAdd(t, c, evchan.Virtual(false).Persistent(), "v")
		var s *faultySource
		for _, spec := range []evchan.Spec{evchan.Custom(s), evchan.Custom(s).Persistent()} {
			if id, err := c.Add(spec, nil, 0); id != 0 || !errors.Is(err, evchan.ErrInvalid) {
				t.Errorf("Add of a nil *faultySource = %d, %v; want 0 and ErrInvalid", id, err)
			}
		}
		if n := c.Len(); n != 1 {
			t.Errorf("Len = %d after the refused sources, want 1", n)
		}
		c.Trigger(v)
		if e := rx.receive(t, "v"); e.ID != v {
			t.Errorf("got %v, want v", e)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
}

// R2, R15: an error from Watch is what Add returns, as it is; no event is
// created (Len unchanged, what Watch fired never delivered, its Handle dead)
// and the IDs of later events are still unique and increasing. A Watcher
// that Watch returned along with the error is stopped exactly once, never
// re-armed.
func TestSourceWatchFails(t *testing.T) { forEachPath(t, sourceWatchFails) }

func sourceWatchFails(t *testing.T, p path) {
	refused := errors.New("watch refused")
	for _, tc := range []struct {
		name        string
		err         error
		withWatcher bool
		fire        bool
	}{
		{"error", refused, false, false},
		{"wrapped error", fmt.Errorf("opening the device: %w", refused), false, false},
		{"error and a Watcher", refused, true, false},
		{"fired, then error", refused, false, true},
		{"fired, then error and a Watcher", refused, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := evchan.New()
			t.Cleanup(func() { c.Close() })
			rx := p.open(t, c)
			a := mustAdd(t, c, evchan.Virtual(false).Persistent(), "a")
			src := newFaultySource()
			src.watchErr, src.errWatcher, src.fireInWatch = tc.err, tc.withWatcher, tc.fire
			id, err := c.Add(evchan.Custom(src).Persistent(), "refused", time.Hour)
			if id != 0 || err != tc.err || !errors.Is(err, refused) {
				t.Fatalf("Add = %d, %v; want 0 and Watch's own error %v", id, err, tc.err)
			}
			if n := c.Len(); n != 1 {
				t.Errorf("Len = %d after the failed Add, want 1", n)
			}
			wantStops := int32(0)
			if tc.withWatcher {
				wantStops = 1
			}
			if got := src.stops.Load(); got != wantStops {
				t.Errorf("%d Stop calls once Add returned, want %d", got, wantStops)
			}
			if h := faultyHandle(t, src); h.TryFire(evchan.Readable, "after") {
				t.Error("TryFire on the Handle of a failed Watch reported true")
			}
			b := mustAdd(t, c, evchan.Virtual(false).Persistent(), "b")
			ok := newFaultySource()
			d := mustAdd(t, c, evchan.Custom(ok).Persistent(), "d")
			if !(a < b && b < d) {
				t.Errorf("IDs %d, %d, %d around the failed Add: want increasing (R2)", a, b, d)
			}
			if n := c.Len(); n != 3 {
				t.Errorf("Len = %d, want 3", n)
			}
			faultyNothingPending(t, rx, "after the failed Add")
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v", err)
			}
			if got := src.stops.Load(); got != wantStops || src.rearms.Load() != 0 {
				t.Errorf("after Close: %d Stop calls (want %d), %d Rearm calls (want 0)", got, wantStops, src.rearms.Load())
			}
			if ok.stops.Load() != 1 {
				t.Errorf("the working source was stopped %d times by Close, want 1", ok.stops.Load())
			}
		})
	}
}

// R1, R15: a Watcher whose Rearm panics ends its event as a failure of its
// source: after the first delivery of the persistent event, whether taken
// from C or by a loop over All, it is delivered exactly once more, with Err
// wrapping ErrPanicked (and the panic's value) and Last, then it is gone
// and its Watcher stopped exactly once. A Stop that panics as well is
// reported by Close.
func TestSourceRearmPanics(t *testing.T) { forEachPath(t, sourceRearmPanics) }

func sourceRearmPanics(t *testing.T, p path) {
	rearmBroke := errors.New("rearm broke (an error value)")
	for _, tc := range []struct {
		name       string
		value      any
		text       string
		stopPanics bool
	}{
		{"string", "rearm broke (a string)", "rearm broke (a string)", false},
		{"string, Stop panics", "rearm broke (a string)", "rearm broke (a string)", true},
		{"error value", rearmBroke, rearmBroke.Error(), false},
		{"error value, Stop panics", rearmBroke, rearmBroke.Error(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := evchan.New()
			t.Cleanup(func() { c.Close() })
			rx := p.open(t, c)
			src := newFaultySource()
			src.rearmPanic = tc.value
			if tc.stopPanics {
				src.stopPanic = "stop broke too"
			}
			id := mustAdd(t, c, evchan.Custom(src).Persistent(), "rearm panics")
			h := faultyHandle(t, src)
			h.Fire(evchan.Writable, "first")

			// From C, the supervisor re-arms the event right after the
			// hand-over. A loop re-arms it at its second step, and
			// delivers the failure there; the container is then empty,
			// which ends the loop at its third step (R13).
			got := []evchan.Event{rx.receive(t, "the first delivery"), rx.receive(t, "the failure")}
			if p.loop {
				switch e, o := rx.take(hangLimit); o {
				case taken:
					got = append(got, e)
				case timedOut:
					t.Errorf("the loop over the emptied container has not ended within %v (R13)", hangLimit)
				}
			}
			if len(got) != 2 {
				t.Fatalf("delivered %v, want the event and its failure", got)
			}
			first, failure := got[0], got[1]
			if first.ID != id || first.Err != nil || first.Last || first.Count != 1 || first.Value != "first" {
				t.Errorf("first delivery %v (Last %v, Value %v), want a plain one of %d", first, first.Last, first.Value, id)
			}
			if failure.ID != id || !failure.Last || !errors.Is(failure.Err, evchan.ErrPanicked) ||
				!strings.Contains(failure.Err.Error(), tc.text) || failure.Reason == 0 {
				t.Fatalf("second delivery %v (Last %v), want %d with Err wrapping ErrPanicked with %q, and Last", failure, failure.Last, id, tc.text)
			}
			if e, ok := tc.value.(error); ok && !errors.Is(failure.Err, e) {
				t.Errorf("errors.Is(%v, the panic's value) = false", failure.Err)
			}
			if n := c.Len(); n != 0 {
				t.Errorf("Len = %d after the failure was delivered, want 0", n)
			}
			faultyAwait(t, (<-chan struct{})(src.stopped), "the Stop of the failed event")
			if h.TryFire(evchan.Writable, "after") {
				t.Error("TryFire after the failure reported true")
			}
			if c.Del(id) {
				t.Error("Del of the failed event reported true")
			}
			faultyNothingPending(t, rx, "after the failure")
			err := c.Close()
			if tc.stopPanics {
				if !errors.Is(err, evchan.ErrPanicked) || !strings.Contains(err.Error(), "stop broke too") {
					t.Errorf("Close = %v, want the Stop panic, wrapping ErrPanicked", err)
				}
			} else if err != nil {
				t.Errorf("Close = %v, want nil", err)
			}
			if s, r := src.stops.Load(), src.rearms.Load(); s != 1 || r != 1 {
				t.Errorf("%d Stop and %d Rearm calls, want 1 and 1", s, r)
			}
			rx.closed(t, "after Close")
		})
	}
}

// R9, R11, R12: a Watcher whose Stop panics stops nothing: Del reports true
// and the event is gone, Clear deletes every such event, and Close returns
// the first panic, wrapping ErrPanicked, with a count of the others, closes
// C, and ends every goroutine.
func TestSourceStopPanics(t *testing.T) { forEachPath(t, sourceStopPanics) }

func sourceStopPanics(t *testing.T, p path) {
	c := evchan.New()
	t.Cleanup(func() { c.Close() })
	rx := p.open(t, c)
	v := mustAdd(t, c, evchan.Virtual(false).Persistent(), "v")
	var all []*faultySource
	add := func(name string, persistent bool) (evchan.ID, *faultySource) {
		src := newFaultySource()
		src.stopPanic = "stop broke: " + name
		all = append(all, src)
		spec := evchan.Custom(src)
		if persistent {
			spec = spec.Persistent()
		}
		return mustAdd(t, c, spec, name), src
	}

	// Del: the first panic, the one Close reports.
	del, delSrc := add("del", true)
	faultyHandle(t, delSrc).Fire(evchan.Readable, nil) // pending: Del drops it (R9)
	if !c.Del(del) {
		t.Fatal("Del of an event whose Stop panics reported false")
	}
	if c.Del(del) || c.Len() != 1 {
		t.Fatalf("after Del: Del again reported true or Len = %d (want 1)", c.Len())
	}
	faultyNothingPending(t, rx, "after Del")

	// A one-shot event, stopped as it is delivered.
	oneShot, oneShotSrc := add("one-shot", false)
	faultyHandle(t, oneShotSrc).Fire(evchan.Readable, nil)
	if e := rx.receive(t, "the one-shot event"); e.ID != oneShot || !e.Last {
		t.Fatalf("got %v, want the one-shot event %d, Last", e, oneShot)
	}
	faultyAwait(t, (<-chan struct{})(oneShotSrc.stopped), "the one-shot event's Stop")

	// Clear: three of them, pending or not.
	var cleared []evchan.ID
	for i := range 3 {
		id, src := add(fmt.Sprint("cleared ", i), i != 2)
		if i > 0 {
			faultyHandle(t, src).Fire(evchan.Readable, nil)
		}
		cleared = append(cleared, id)
	}
	faultyBounded(t, "Clear", c.Clear)
	if n := c.Len(); n != 0 {
		t.Fatalf("Len = %d after Clear, want 0", n)
	}
	for _, id := range append(cleared, v) {
		if c.Del(id) {
			t.Errorf("Del(%d) after Clear reported true", id)
		}
	}
	faultyNothingPending(t, rx, "after Clear")

	// Close: two more, one of them pending.
	add("closed 0", true)
	_, src := add("closed 1", true)
	faultyHandle(t, src).Fire(evchan.Readable, nil)
	var err error
	faultyBounded(t, "Close", func() { err = c.Close() })
	const panics = 1 + 1 + 3 + 2
	if !errors.Is(err, evchan.ErrPanicked) || !strings.Contains(err.Error(), "stop broke: del") ||
		!strings.Contains(err.Error(), fmt.Sprintf("%d more", panics-1)) {
		t.Errorf("Close = %v, want the panic of the first Stop (stop broke: del), wrapping ErrPanicked, and %d more", err, panics-1)
	}
	rx.closed(t, "after Close")
	for i, s := range all {
		if s.stops.Load() != 1 {
			t.Errorf("source %d stopped %d times, want once", i, s.stops.Load())
		}
	}
	if err := c.Close(); err != nil {
		t.Errorf("a second Close = %v, want nil", err)
	}
	rx.stop() // the All path's loop ended with Close; its cleanup comes after goleak's look
	goleak.VerifyNone(t)
}

// A faultyLateFirer fires from a goroutine of its own after its Watcher is
// stopped: Stop only tells the goroutine to end, as a source that does not
// wait for its goroutines would. It also fires from within Stop.
type faultyLateFirer struct {
	handles chan evchan.Handle
	// proceed is closed by the test once the call that stopped the
	// Watcher has returned: the goroutine fires after that.
	proceed chan struct{}
	// stopTried and tried receive what TryFire reported from Stop and,
	// after Stop, from the goroutine.
	stopTried chan bool
	tried     chan bool
	// storm makes the goroutine fire without a pause until Stop; firing
	// is closed at its first firing.
	storm  bool
	firing chan struct{}
}

var errFaultyLate = errors.New("fired after Stop")

func newFaultyLateFirer(proceed chan struct{}) *faultyLateFirer {
	return &faultyLateFirer{
		handles:   make(chan evchan.Handle, 1),
		proceed:   proceed,
		stopTried: make(chan bool, 1),
		tried:     make(chan bool, 1),
		firing:    make(chan struct{}),
	}
}

func (f *faultyLateFirer) Watch(h evchan.Handle) (evchan.Watcher, error) {
	quit := make(chan struct{})
	go func() {
	storm:
		for i := 0; f.storm; i++ {
			h.Fire(evchan.Readable, i)
			if i == 0 {
				close(f.firing)
			}
			select {
			case <-quit:
				break storm
			default:
				// Let Del run, on one processor too.
				runtime.Gosched()
			}
		}
		<-quit
		<-f.proceed
		ok := h.TryFire(evchan.Readable, "late")
		h.Fire(evchan.Readable, "late")
		h.Error(evchan.Readable, errFaultyLate)
		h.Fail(evchan.Readable, errFaultyLate)
		f.tried <- ok
	}()
	f.handles <- h
	return evchan.StopFunc(func() {
		f.stopTried <- h.TryFire(evchan.Readable, "in Stop")
		close(quit)
	}), nil
}

// check checks, once the call that stopped f's Watcher returned (h is the
// Handle of its event), that no Fire made after its Stop (from Stop, its
// goroutine, or here) was counted.
func (f *faultyLateFirer) check(t *testing.T, h evchan.Handle, what string) {
	t.Helper()
	if faultyAwait(t, (<-chan bool)(f.stopTried), what+": Stop") {
		t.Errorf("%s: TryFire from Stop reported true", what)
	}
	close(f.proceed)
	if faultyAwait(t, (<-chan bool)(f.tried), what+": the source's goroutine") {
		t.Errorf("%s: TryFire from the source's goroutine, after Stop, reported true", what)
	}
	if h.TryFire(evchan.Readable, "later") {
		t.Errorf("%s: TryFire after Stop reported true", what)
	}
	h.Fire(evchan.Readable, "later")
	h.Error(evchan.Readable, errFaultyLate)
	h.Fail(evchan.Readable, errFaultyLate)
}

// R1, R9, R11, R12: once an event has ended (Del, the delivery of a one-shot
// event, Clear, Close), its Handle fires nothing: a Fire, Error or Fail from
// its Stop, from a goroutine of the source that goes on after Stop, or from
// anywhere else is never delivered, TryFire reports false, nothing panics,
// and no goroutine is left. A source that fires without a pause while Del
// runs is not delivered once Del has returned.
func TestSourceFiresAfterStop(t *testing.T) { forEachPath(t, sourceFiresAfterStop) }

func sourceFiresAfterStop(t *testing.T, p path) {
	t.Run("Del", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		f := newFaultyLateFirer(make(chan struct{}))
		id := mustAdd(t, c, evchan.Custom(f).Persistent(), "del")
		h := faultyAwait(t, (<-chan evchan.Handle)(f.handles), "Watch")
		h.Fire(evchan.Readable, "pending")
		if !c.Del(id) {
			t.Fatal("Del reported false")
		}
		f.check(t, h, "after Del")
		faultyNothingPending(t, rx, "after Del")
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})

	t.Run("one-shot delivered", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		f := newFaultyLateFirer(make(chan struct{}))
		id := mustAdd(t, c, evchan.Custom(f), "one-shot")
		h := faultyAwait(t, (<-chan evchan.Handle)(f.handles), "Watch")
		h.Fire(evchan.Readable, "once")
		if e := rx.receive(t, "the one-shot event"); e.ID != id || !e.Last || e.Value != "once" {
			t.Fatalf("got %v, want the one-shot event %d, Last", e, id)
		}
		f.check(t, h, "after the one-shot delivery")
		faultyNothingPending(t, rx, "after the one-shot delivery")
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})

	t.Run("Clear", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		var fs []*faultyLateFirer
		var hs []evchan.Handle
		for i := range 3 {
			f := newFaultyLateFirer(make(chan struct{}))
			spec := evchan.Custom(f)
			if i != 2 {
				spec = spec.Persistent()
			}
			mustAdd(t, c, spec, i)
			h := faultyAwait(t, (<-chan evchan.Handle)(f.handles), "Watch")
			h.Fire(evchan.Readable, "pending")
			fs, hs = append(fs, f), append(hs, h)
		}
		c.Clear()
		for i, f := range fs {
			f.check(t, hs[i], fmt.Sprint("event ", i, " after Clear"))
		}
		faultyNothingPending(t, rx, "after Clear")
		if n := c.Len(); n != 0 {
			t.Errorf("Len = %d, want 0", n)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})

	t.Run("Close", func(t *testing.T) {
		c := evchan.New()
		rx := p.open(t, c)
		var fs []*faultyLateFirer
		var hs []evchan.Handle
		for i := range 2 {
			f := newFaultyLateFirer(make(chan struct{}))
			mustAdd(t, c, evchan.Custom(f).Persistent(), i)
			h := faultyAwait(t, (<-chan evchan.Handle)(f.handles), "Watch")
			h.Fire(evchan.Readable, "pending")
			fs, hs = append(fs, f), append(hs, h)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
		for i, f := range fs {
			f.check(t, hs[i], fmt.Sprint("event ", i, " after Close"))
		}
		rx.closed(t, "after Close")
		if _, err := c.Add(evchan.Virtual(true), nil, 0); !errors.Is(err, evchan.ErrClosed) {
			t.Errorf("Add after Close = %v, want ErrClosed", err)
		}
	})

	t.Run("racing Del", func(t *testing.T) {
		const rounds = 300
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		for i := range rounds {
			f := newFaultyLateFirer(make(chan struct{}))
			f.storm = true
			id := mustAdd(t, c, evchan.Custom(f).Persistent(), i)
			h := faultyAwait(t, (<-chan evchan.Handle)(f.handles), "Watch")
			faultyAwait(t, (<-chan struct{})(f.firing), "the first firing")
			if !c.Del(id) {
				t.Fatalf("round %d: Del reported false", i)
			}
			f.check(t, h, fmt.Sprint("round ", i))
			faultyNothingPending(t, rx, fmt.Sprint("round ", i, ", after Del"))
			if t.Failed() {
				break
			}
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	goleak.VerifyNone(t)
}

// R3: 32 goroutines firing one persistent custom event 5,000 times each,
// while a consumer takes its deliveries (from C, or by a loop over All, in
// a goroutine of its own): once every firing goroutine is done and
// everything pending is delivered, the Counts of the deliveries add up to
// exactly 160,000 (coalesced, nothing lost nor invented), none is below 1,
// and the event was re-armed once per delivery. With TryFire, every firing
// reports true: the event exists throughout.
func TestSourceFireFromManyGoroutines(t *testing.T) { forEachPath(t, sourceFireFromManyGoroutines) }

func sourceFireFromManyGoroutines(t *testing.T, p path) {
	const (
		goroutines = 32
		firings    = 5000
		total      = goroutines * firings
	)
	for _, try := range []bool{false, true} {
		name := "Fire"
		if try {
			name = "TryFire"
		}
		t.Run(name, func(t *testing.T) {
			c := evchan.New()
			t.Cleanup(func() { c.Close() })
			rx := p.open(t, c)
			src := newFaultySource()
			id := mustAdd(t, c, evchan.Custom(src).Persistent(), "stormed")
			h := faultyHandle(t, src)

			type tally struct {
				sum, deliveries, low int
				stray                []evchan.Event
				timedOut, ended      bool
			}
			result := make(chan tally, 1)
			consumed := make(chan struct{})
			// Should the test end early, the consumer ends (Close ends its
			// wait) before the receiver's cleanup stops it.
			t.Cleanup(func() { c.Close(); <-consumed })
			go func() {
				var r tally
				deadline := time.Now().Add(hangLimit)
				defer close(consumed)
				defer func() { result <- r }()
				// The loop ends before the test looks at Rearm: it re-arms
				// what it delivered last.
				defer rx.stop()
				for {
					e, o := rx.take(time.Until(deadline))
					switch {
					case o == ended:
						r.ended = true
						return
					case o == timedOut:
						r.timedOut = true
						return
					case e.Data == "sentinel":
						return
					case e.ID != id:
						r.stray = append(r.stray, e)
					default:
						r.sum += e.Count
						r.deliveries++
						if e.Count < 1 {
							r.low++
						}
					}
				}
			}()

			start := make(chan struct{})
			var wg sync.WaitGroup
			var refused atomic.Int64
			began := time.Now()
			for g := range goroutines {
				wg.Go(func() {
					<-start
					for range firings {
						if !try {
							h.Fire(evchan.Triggered, g)
						} else if !h.TryFire(evchan.Triggered, g) {
							refused.Add(1)
						}
					}
				})
			}
			close(start)
			wg.Wait()
			fired := time.Since(began)
			// Every firing is pending or delivered once Fire returned (R3);
			// the sentinel becomes pending after them, so it comes last (R4).
			if _, err := c.Once("sentinel"); err != nil {
				t.Fatal(err)
			}
			r := faultyAwait(t, (<-chan tally)(result), "the consumer")
			t.Logf("%d firings from %d goroutines in %v, %d deliveries", total, goroutines, fired.Round(time.Millisecond), r.deliveries)
			if r.timedOut {
				t.Fatalf("the sentinel was not delivered within %v (sum so far %d)", hangLimit, r.sum)
			}
			if r.ended {
				t.Fatalf("%s before the sentinel was delivered (sum so far %d)", rx.endedText(), r.sum)
			}
			if r.sum != total {
				t.Errorf("the deliveries' Counts add up to %d, want %d", r.sum, total)
			}
			if r.low > 0 {
				t.Errorf("%d deliveries with Count < 1", r.low)
			}
			if len(r.stray) > 0 {
				t.Errorf("deliveries of other events: %v", r.stray)
			}
			if n := refused.Load(); n > 0 {
				t.Errorf("TryFire reported false %d times while the event existed", n)
			}
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v", err)
			}
			if got := src.rearms.Load(); int(got) != r.deliveries {
				t.Errorf("%d Rearm calls for %d deliveries", got, r.deliveries)
			}
			if got := src.stops.Load(); got != 1 {
				t.Errorf("%d Stop calls, want 1", got)
			}
		})
	}
}

// faultyAddResult is what an Add made on a goroutine of its own returned.
type faultyAddResult struct {
	id  evchan.ID
	err error
}

// faultyBlockedAdd adds an event of a source whose Watch blocks until the
// returned release is called, on a goroutine of its own, and returns once
// Watch has been called. The test's cleanup releases it.
func faultyBlockedAdd(t *testing.T, c *evchan.Container) (src *faultySource, h evchan.Handle, release func(), result <-chan faultyAddResult) {
	t.Helper()
	src = newFaultySource()
	src.release = make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(src.release) }) }
	t.Cleanup(release)
	ch := make(chan faultyAddResult, 1)
	go func() {
		id, err := c.Add(evchan.Custom(src).Persistent(), "slow", 0)
		ch <- faultyAddResult{id, err}
	}()
	h = faultyHandle(t, src)
	return src, h, release, ch
}

// faultyNotReturned checks that the blocked Add has not returned: its Watch has
// not.
func faultyNotReturned(t *testing.T, result <-chan faultyAddResult) {
	t.Helper()
	select {
	case r := <-result:
		t.Fatalf("Add returned %d, %v while its Watch still blocks", r.id, r.err)
	default:
	}
}

// R14: Watch is called without any lock held, so a Watch that blocks holds
// up the Add that called it and nothing else: other Adds, Trigger, Set,
// Del, Len, Stop, Fire and the consumer's receives (from C, or by a loop
// over All) go on. Released, the Add returns its ID as usual. Close does
// not wait for a Watch either (R12): the blocked Add then returns
// ErrClosed, and stops the Watcher its Watch returned, once. After a
// Clear, the event is not left half-made.
func TestSourceWatchBlocks(t *testing.T) { forEachPath(t, sourceWatchBlocks) }

func sourceWatchBlocks(t *testing.T, p path) {
	t.Run("other calls go on", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		v := mustAdd(t, c, evchan.Virtual(false).Persistent(), "v")
		other := newFaultySource()
		x := mustAdd(t, c, evchan.Custom(other).Persistent(), "x")
		hx := faultyHandle(t, other)

		slow, hs, release, result := faultyBlockedAdd(t, c)
		var w evchan.ID
		faultyBounded(t, "Add of a virtual event", func() {
			var err error
			if w, err = c.Add(evchan.Virtual(false).Persistent(), "w", 0); err != nil {
				t.Errorf("Add: %v", err)
			}
		})
		if w == 0 || w == hs.ID() || w == v || w == x {
			t.Fatalf("the Add made during Watch returned ID %d (v %d, x %d, the blocked one %d)", w, v, x, hs.ID())
		}
		faultyBounded(t, "Trigger", func() {
			if !c.Trigger(v) {
				t.Error("Trigger(v) reported false")
			}
		})
		if e := rx.receive(t, "v"); e.ID != v || e.Data != "v" {
			t.Fatalf("got %v, want v", e)
		}
		faultyBounded(t, "Set and Trigger", func() {
			if err := c.SetData(v, "v, set"); err != nil || !c.Trigger(v) {
				t.Errorf("SetData (%v) or Trigger of v failed", err)
			}
		})
		if e := rx.receive(t, "v, set"); e.ID != v || e.Data != "v, set" {
			t.Fatalf("got %v (context %v), want v with its new context", e, e.Data)
		}
		faultyBounded(t, "Fire", func() {
			if !hx.TryFire(evchan.Readable, "x") {
				t.Error("TryFire of x reported false")
			}
		})
		if e := rx.receive(t, "x"); e.ID != x || e.Value != "x" {
			t.Fatalf("got %v, want x", e)
		}
		faultyBounded(t, "Len", func() {
			// The blocked event may count or not: Add has not returned.
			if n := c.Len(); n != 3 && n != 4 {
				t.Errorf("Len = %d during the blocked Watch, want 3 (or 4 with the event being added)", n)
			}
		})

		// A loop over All in progress, ended by Stop (R10), on both paths.
		// On the All path, the receiver's loop ends first (two loops at
		// once would share events), and the receives below start another.
		rx.stop()
		loopGot := make(chan evchan.Event, 4)
		loopDone := make(chan struct{})
		go func() {
			defer close(loopDone)
			for e := range c.All(evchan.Block) {
				loopGot <- e
			}
		}()
		faultyBounded(t, "Trigger", func() { c.Trigger(w) })
		if e := faultyAwait(t, (<-chan evchan.Event)(loopGot), "the loop's event"); e.ID != w {
			t.Fatalf("the loop got %v, want w", e)
		}
		faultyBounded(t, "Stop", c.Stop)
		faultyAwait(t, (<-chan struct{})(loopDone), "the loop's end after Stop")

		faultyBounded(t, "Del", func() {
			if !c.Del(w) || c.Del(w) {
				t.Error("Del(w) did not report true, then false")
			}
		})
		faultyNotReturned(t, result)

		release()
		r := faultyAwait(t, result, "the released Add")
		if r.err != nil || r.id != hs.ID() {
			t.Fatalf("the released Add = %d, %v; want %d (its Handle's ID) and nil", r.id, r.err, hs.ID())
		}
		if n := c.Len(); n != 3 {
			t.Errorf("Len = %d, want 3 (v, x and the released event)", n)
		}
		hs.Fire(evchan.Writable, "slow")
		if e := rx.receive(t, "the released event"); e.ID != r.id || e.Value != "slow" {
			t.Fatalf("got %v, want the released event %d", e, r.id)
		}
		faultyNothingPending(t, rx, "at the end")
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
		if slow.stops.Load() != 1 || other.stops.Load() != 1 {
			t.Errorf("Stop calls: %d for the released event, %d for x; want 1 each", slow.stops.Load(), other.stops.Load())
		}
	})

	t.Run("Close during Watch", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		rx := p.open(t, c)
		mustAdd(t, c, evchan.Virtual(true).Persistent(), "pending")
		slow, hs, release, result := faultyBlockedAdd(t, c)
		faultyBounded(t, "Close", func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v", err)
			}
		})
		rx.closed(t, "after Close")
		if hs.TryFire(evchan.Readable, "after Close") {
			t.Error("TryFire through the blocked Watch's Handle after Close reported true")
		}
		if _, err := c.Add(evchan.Virtual(true), nil, 0); !errors.Is(err, evchan.ErrClosed) {
			t.Errorf("another Add after Close = %v, want ErrClosed", err)
		}
		faultyNotReturned(t, result)
		if slow.stops.Load() != 0 {
			t.Fatal("Stop called before Watch returned")
		}

		release()
		r := faultyAwait(t, result, "the released Add")
		if r.id != 0 || !errors.Is(r.err, evchan.ErrClosed) {
			t.Errorf("the released Add = %d, %v; want 0 and ErrClosed", r.id, r.err)
		}
		if s, re := slow.stops.Load(), slow.rearms.Load(); s != 1 || re != 0 {
			t.Errorf("the Watcher Watch returned after Close: %d Stop and %d Rearm calls, want 1 and 0", s, re)
		}
		if err := c.Close(); err != nil {
			t.Errorf("a second Close = %v", err)
		}
		if slow.stops.Load() != 1 {
			t.Errorf("the second Close stopped it again: %d Stop calls", slow.stops.Load())
		}
	})

	t.Run("Clear during Watch", func(t *testing.T) {
		c := evchan.New()
		t.Cleanup(func() { c.Close() })
		slow, _, release, result := faultyBlockedAdd(t, c)
		faultyBounded(t, "Clear", c.Clear)
		faultyNotReturned(t, result)
		release()
		r := faultyAwait(t, result, "the released Add")
		// Either order is a valid one: the event was added after Clear
		// (it is there, its Watcher running), or Clear deleted it (it is
		// gone, its Watcher stopped). Nothing in between.
		n, stops := c.Len(), slow.stops.Load()
		t.Logf("the Add released after Clear returned %d, %v; Len %d, %d Stop calls", r.id, r.err, n, stops)
		switch {
		case r.err == nil && n == 1 && stops == 0:
			if !c.Del(r.id) {
				t.Error("Del of the event reported false")
			}
		case n == 0 && stops == 1:
			if r.err == nil && c.Del(r.id) {
				t.Error("Del of the event Clear deleted reported true")
			}
		default:
			t.Errorf("Add = %d, %v with Len %d and %d Stop calls: a half-made event", r.id, r.err, n, stops)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
		if s := slow.stops.Load(); s != 1 {
			t.Errorf("%d Stop calls, want 1", s)
		}
	})
}

// faultyServiceKey is the key type of the services of this file's sources:
// unexported, as Handle.Service asks.
type faultyServiceKey struct{ name string }

// faultyLog records what sources and services did, in order, from any
// goroutine.
type faultyLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *faultyLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

func (l *faultyLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// A faultyService is a service whose Close fails as its fields say.
type faultyService struct {
	name     string
	log      *faultyLog
	err      error // Close returns it
	panicVal any   // Close panics with it
	closes   atomic.Int32
}

func (s *faultyService) Close() error {
	s.closes.Add(1)
	s.log.add("close " + s.name)
	if s.panicVal != nil {
		panic(s.panicVal)
	}
	return s.err
}

// A faultyServiceSource asks for a service from its Watch, and fails Watch with
// Service's error.
type faultyServiceSource struct {
	name  string
	key   any
	start func() (io.Closer, error)
	log   *faultyLog
	got   io.Closer // the service Watch was given; read once Add returned
}

func (s *faultyServiceSource) Watch(h evchan.Handle) (evchan.Watcher, error) {
	v, err := h.Service(s.key, s.start)
	if err != nil {
		return nil, err
	}
	s.got = v
	return evchan.StopFunc(func() { s.log.add("stop " + s.name) }), nil
}

// R12, R15: what Handle.Service promises when a service's start or Close
// fails. A start that returns an error fails Add with it and keeps no
// service, so that a later Add with a working start succeeds; a start that
// returns neither, a nil start and a key a map cannot hold fail with
// ErrInvalid; a start that panics fails with ErrPanicked. Close returns the
// errors and panics of the services' Close methods joined, closes every
// other service all the same, after every Watcher is stopped, and closes
// each service a container started exactly once, and no other container's.
func TestSourceServicesFail(t *testing.T) {
	log := &faultyLog{}
	starts := map[string]*atomic.Int32{}
	starter := func(svc *faultyService) func() (io.Closer, error) {
		n := &atomic.Int32{}
		starts[svc.name] = n
		return func() (io.Closer, error) {
			n.Add(1)
			return svc, nil
		}
	}
	c := evchan.New()
	t.Cleanup(func() { c.Close() })
	c2 := evchan.New()
	t.Cleanup(func() { c2.Close() })
	events := 0
	add := func(c *evchan.Container, name string, key any, start func() (io.Closer, error)) (*faultyServiceSource, error) {
		src := &faultyServiceSource{name: name, key: key, start: start, log: log}
		_, err := c.Add(evchan.Custom(src).Persistent(), name, 0)
		return src, err
	}
	mustAddService := func(c *evchan.Container, name string, key any, start func() (io.Closer, error)) *faultyServiceSource {
		t.Helper()
		src, err := add(c, name, key, start)
		if err != nil {
			t.Fatalf("Add of %s: %v", name, err)
		}
		return src
	}

	// A start that fails, then one that works, under the same key.
	keyA := faultyServiceKey{"a"}
	startFailed := errors.New("the service would not start")
	failedStarts := 0
	if _, err := add(c, "a, failing", keyA, func() (io.Closer, error) { failedStarts++; return nil, startFailed }); !errors.Is(err, startFailed) {
		t.Fatalf("Add whose service start fails = %v, want %v", err, startFailed)
	}
	if n := c.Len(); n != 0 || failedStarts != 1 {
		t.Fatalf("Len = %d after the failed start (want 0), start called %d times (want 1)", n, failedStarts)
	}
	svcA := &faultyService{name: "a", log: log}
	if src := mustAddService(c, "a", keyA, starter(svcA)); src.got != svcA || starts["a"].Load() != 1 {
		t.Fatalf("the working start under the failed one's key: service %v, %d starts", src.got, starts["a"].Load())
	}
	events++
	if src := mustAddService(c, "a again", keyA, func() (io.Closer, error) {
		t.Error("a second start under a started key")
		return nil, nil
	}); src.got != svcA {
		t.Errorf("a second Service under key a gave %v, want the first service", src.got)
	}
	events++

	for _, tc := range []struct {
		name  string
		key   any
		start func() (io.Closer, error)
		want  error
		text  string
	}{
		{"nil, nil", faultyServiceKey{"nil, nil"}, func() (io.Closer, error) { return nil, nil }, evchan.ErrInvalid, ""},
		{"typed nil", faultyServiceKey{"typed nil"}, func() (io.Closer, error) { return (*faultyService)(nil), nil }, evchan.ErrInvalid, ""},
		{"nil start", faultyServiceKey{"nil start"}, nil, evchan.ErrInvalid, ""},
		{"slice key", []int{}, func() (io.Closer, error) { return &faultyService{name: "slice", log: log}, nil }, evchan.ErrInvalid, ""},
		{"start panics", faultyServiceKey{"start panics"}, func() (io.Closer, error) { panic("start broke") }, evchan.ErrPanicked, "start broke"},
	} {
		src, err := add(c, tc.name, tc.key, tc.start)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.text) {
			t.Errorf("%s: Add = %v, want an error wrapping %v (with %q)", tc.name, err, tc.want, tc.text)
		}
		if src.got != nil {
			t.Errorf("%s: Service gave %v", tc.name, src.got)
		}
		if n := c.Len(); n != events {
			t.Errorf("%s: Len = %d, want %d", tc.name, n, events)
		}
	}
	// The key of "nil, nil" kept nothing: it starts properly now.
	svcN := &faultyService{name: "nil, nil then started", log: log}
	if src := mustAddService(c, "nil, nil then started", faultyServiceKey{"nil, nil"}, starter(svcN)); src.got != svcN {
		t.Errorf("the key of a start that returned nil, nil gave %v, want a new service", src.got)
	}
	events++

	// Services whose Close fails, and one that works, started last.
	closeFailed := errors.New("the service would not close")
	svcE := &faultyService{name: "close fails", log: log, err: closeFailed}
	svcP := &faultyService{name: "close panics", log: log, panicVal: "close broke"}
	svcD := &faultyService{name: "d", log: log}
	for _, svc := range []*faultyService{svcE, svcP, svcD} {
		mustAddService(c, svc.name, faultyServiceKey{svc.name}, starter(svc))
		events++
	}
	if v, err := c.Service(faultyServiceKey{"close fails"}, starter(&faultyService{name: "unused", log: log})); v != svcE || err != nil {
		t.Errorf("Container.Service under a started key = %v, %v; want the service", v, err)
	}

	// Another container's service under key a is its own.
	svcA2 := &faultyService{name: "a of c2", log: log}
	if src := mustAddService(c2, "a of c2", keyA, starter(svcA2)); src.got != svcA2 {
		t.Errorf("c2's service under key a is %v, want its own", src.got)
	}

	var err error
	faultyBounded(t, "Close", func() { err = c.Close() })
	if !errors.Is(err, closeFailed) || !errors.Is(err, evchan.ErrPanicked) || !strings.Contains(fmt.Sprint(err), "close broke") {
		t.Errorf("Close = %v, want the service errors joined: %v and a panic (close broke) wrapping ErrPanicked", err, closeFailed)
	}
	if errors.Is(err, startFailed) {
		t.Errorf("Close = %v reports the start that failed", err)
	}
	for _, svc := range []*faultyService{svcA, svcN, svcE, svcP, svcD} {
		if n := svc.closes.Load(); n != 1 {
			t.Errorf("service %s closed %d times by Close, want once", svc.name, n)
		}
	}
	if n := svcA2.closes.Load(); n != 0 {
		t.Errorf("c2's service closed %d times by c's Close", n)
	}
	lines := log.get()
	closing := false
	stops := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "close "):
			closing = true
		case strings.HasPrefix(l, "stop "):
			stops++
			if closing {
				t.Errorf("a Watcher stopped after a service was closed: %q", lines)
			}
		}
	}
	if stops != events {
		t.Errorf("%d Watchers stopped by Close, want %d", stops, events)
	}
	t.Logf("what Close did, in order: %q", lines)

	if err := c.Close(); err != nil {
		t.Errorf("a second Close = %v", err)
	}
	if _, err := add(c, "after Close", faultyServiceKey{"after"}, starter(&faultyService{name: "after", log: log})); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("Add after Close = %v, want ErrClosed", err)
	}
	if _, err := c.Service(faultyServiceKey{"after"}, starter(&faultyService{name: "after", log: log})); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("Service after Close = %v, want ErrClosed", err)
	}
	if err := c2.Close(); err != nil {
		t.Errorf("Close of c2 = %v", err)
	}
	for _, svc := range []*faultyService{svcA, svcN, svcE, svcP, svcD, svcA2} {
		if n := svc.closes.Load(); n != 1 {
			t.Errorf("service %s closed %d times in all, want once", svc.name, n)
		}
	}
	if n := starts["after"].Load(); n != 0 {
		t.Errorf("a service started %d times after Close", n)
	}
}
