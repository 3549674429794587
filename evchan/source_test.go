package evchan

import (
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"
)

// firingDuringWatch fires from inside Watch, before Add has returned the ID.
type firingDuringWatch struct{}

func (firingDuringWatch) Watch(h Handle) (Watcher, error) {
	h.Fire(Readable, "early")
	h.Fire(Readable, "earlier")
	return StopFunc(func() {}), nil
}

// A firing made during Watch is delivered once Add has succeeded (R3).
func TestSourceFiresDuringWatch(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Custom(firingDuringWatch{}).WithSource("fd 3"), "ctx", 0)
		e := take(t, c)
		wantEvent(t, e, id, Readable, 2)
		if e.Value != "earlier" || e.Source != "fd 3" || e.Data != "ctx" {
			t.Fatalf("Value, Source, Context = %v, %v, %v", e.Value, e.Source, e.Data)
		}
	})
}

// The container calls Rearm after each delivery of a persistent event, and
// Stop exactly once when an event ends (R1, R9).
func TestSourceRearmAndStop(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		persistent := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		oneShot := mustAdd(t, c, Custom(src), nil, 0)
		h2 := <-src.handles
		if h.ID() != persistent || !h.Persistent() || h2.Persistent() {
			t.Fatal("Handle reports the wrong event")
		}

		h.Fire(Readable, 1)
		wantEvent(t, take(t, c), persistent, Readable, 1)
		synctest.Wait()
		if len(src.rearms) != 1 || len(src.stops) != 0 {
			t.Fatalf("after a persistent delivery: %d rearms, %d stops", len(src.rearms), len(src.stops))
		}
		h2.Fire(Writable, 2)
		wantEvent(t, take(t, c), oneShot, Writable, 1)
		synctest.Wait()
		if got := <-src.stops; got != oneShot || len(src.rearms) != 1 {
			t.Fatalf("after a one-shot delivery: stopped %d, %d rearms", got, len(src.rearms))
		}
		h2.Fire(Writable, 3) // after its end: dropped
		none(t, c)
	})
}

// Fail delivers the event once with Err set, then deletes it even though it
// is persistent (R15: a descriptor closed under its event).
func TestSourceFail(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, time.Second)
		h := <-src.handles
		broken := errors.New("descriptor closed")
		h.Fail(Readable, broken)
		e := take(t, c)
		if e.ID != id || !errors.Is(e.Err, broken) || e.Reason != Readable {
			t.Fatalf("got %v", e)
		}
		synctest.Wait()
		if len(src.stops) != 1 || c.Del(id) {
			t.Fatal("a failed event outlived its delivery")
		}
	})
}

// A Watch error is returned by Add and leaves no event behind.
func TestSourceWatchError(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		src.err = io.ErrClosedPipe
		if id, err := c.Add(Custom(src), nil, 0); id != 0 || !errors.Is(err, io.ErrClosedPipe) {
			t.Fatalf("Add = %d, %v", id, err)
		}
		if c.Len() != 0 {
			t.Fatal("a refused source left an event")
		}
	})
}

// A source's service is made once per container and closed by Close.
func TestSourceService(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		mustAdd(t, c, Custom(src), nil, 0)
		mustAdd(t, c, Custom(src), nil, 0)
		h1, h2 := <-src.handles, <-src.handles
		starts := 0
		start := func() (io.Closer, error) {
			starts++
			return closerFunc(func() error { return nil }), nil
		}
		if _, err := h1.Service("poller", start); err != nil {
			t.Fatal(err)
		}
		if _, err := h2.Service("poller", start); err != nil {
			t.Fatal(err)
		}
		if starts != 1 {
			t.Fatalf("service started %d times", starts)
		}
		if _, err := c.Service("poller", start); err != nil || starts != 1 {
			t.Fatalf("Container.Service: %v, %d starts; want the one service", err, starts)
		}
		refused := errors.New("no poller here")
		if _, err := h1.Service("other", func() (io.Closer, error) { return nil, refused }); !errors.Is(err, refused) {
			t.Fatalf("a failed start returned %v", err)
		}
		c.Close()
		if _, err := c.Service("poller", start); !errors.Is(err, ErrClosed) {
			t.Fatalf("Container.Service after Close: %v, want ErrClosed", err)
		}
	})
}

// Reason names are the draft's.
func TestReasonString(t *testing.T) {
	want := map[Reason]string{Triggered: "triggered", Timeout: "timeout", Readable: "readable",
		Writable: "writable", Exception: "exception", Signal: "signal", Signaled: "signaled",
		Message: "message", 0: "Reason(0)", 200: "Reason(200)"}
	for r, s := range want {
		if r.String() != s {
			t.Errorf("%d: %q, want %q", r, r.String(), s)
		}
	}
}

// Specs say what they are in the draft's letters (R16).
func TestSpecLetters(t *testing.T) {
	for spec, want := range map[Spec]string{
		Virtual(false): "v", Virtual(true).Persistent(): "V", Timer(1): "t",
		Timer(1).Persistent().OneShot(): "t", Custom(refusing{}): "",
		Custom(refusing{}).WithLetter('R').Persistent(): "R",
	} {
		if spec.Letter() != want {
			t.Errorf("%v: Letter %q, want %q", spec, spec.Letter(), want)
		}
	}
	if s := Timer(time.Second).Persistent().String(); s != "T(1s)" {
		t.Errorf("String = %q", s)
	}
}

// Error delivers the event with Err set and keeps a persistent event; the
// next delivery carries no error.
func TestSourceError(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		reset := errors.New("connection reset")
		h.Error(Readable, reset)
		if e := take(t, c); e.ID != id || !errors.Is(e.Err, reset) {
			t.Fatalf("got %v", e)
		}
		h.Fire(Readable, nil)
		if e := take(t, c); e.ID != id || e.Err != nil {
			t.Fatalf("second delivery: %v", e)
		}
	})
}

// Event.Last says whether a delivery deletes the event: a one-shot's does
// (R1), a persistent event's does not, not even with an error reported by
// Handle.Error, and a failure for good (Handle.Fail) does (R15).
func TestEventLast(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		one := mustAdd(t, c, Custom(src), nil, 0)
		h1 := <-src.handles
		per := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h2 := <-src.handles

		h1.Fire(Readable, nil)
		if e := <-c.C; e.ID != one || !e.Last {
			t.Fatalf("one-shot: %v, Last %v; want event %d, Last", e, e.Last, one)
		}
		h2.Error(Readable, errors.New("a passing error"))
		if e := <-c.C; e.ID != per || e.Last || e.Err == nil {
			t.Fatalf("persistent with an error: %v, Last %v; want event %d with Err, not Last", e, e.Last, per)
		}
		h2.Fail(Readable, errors.New("gone"))
		if e := <-c.C; e.ID != per || !e.Last || e.Err == nil {
			t.Fatalf("persistent that failed: %v, Last %v; want event %d with Err, Last", e, e.Last, per)
		}
		if n := c.Len(); n != 0 {
			t.Fatalf("Len = %d after both last deliveries, want 0", n)
		}
	})
}

// Handle.TryFire reports whether the firing was counted: true for a live
// event, false once it is deleted, here by the timeout delivery of a
// one-shot event whose Watcher is not stopped yet when the source fires.
func TestHandleTryFire(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		live := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		hLive := <-src.handles
		if !hLive.TryFire(Readable, nil) {
			t.Fatal("TryFire on a live event reported false")
		}
		wantEvent(t, <-c.C, live, Readable, 1)

		gone := mustAdd(t, c, Custom(src), nil, time.Second)
		hGone := <-src.handles
		time.Sleep(time.Second)
		wantEvent(t, <-c.C, gone, Timeout, 1)
		if hGone.TryFire(Readable, nil) {
			t.Fatal("TryFire on a one-shot event deleted by its timeout reported true")
		}
		if !c.Del(live) {
			t.Fatal("the live event is gone")
		}
		if hLive.TryFire(Readable, nil) {
			t.Fatal("TryFire after Del reported true")
		}
	})
}
