package evchantest

import (
	"testing"
	"testing/synctest"

	"github.com/evchan/evchan/evchan"
)

// The Pulse keeps every rule the suite checks.
func TestSourcePulse(t *testing.T) {
	TestSource(t, func(*testing.T) Subject { return NewPulse().Subject() })
}

// inBubble runs f in a synctest bubble with a fresh container and Pulse,
// closing the container as f returns.
func inBubble(t *testing.T, f func(t *testing.T, c *evchan.Container, p *Pulse)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		c := evchan.New()
		defer c.Close()
		f(t, c, NewPulse())
	})
}

func mustAdd(t *testing.T, c *evchan.Container, spec evchan.Spec, data any) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, data, 0)
	if err != nil {
		t.Fatalf("Add(%v): %v", spec, err)
	}
	return id
}

// none fails if an event is offered now.
func none(t *testing.T, c *evchan.Container) {
	t.Helper()
	synctest.Wait()
	select {
	case e := <-c.C:
		t.Fatalf("unexpected %v (data %v)", e, e.Data)
	default:
	}
}

// take receives the event offered now, failing if there is none.
func take(t *testing.T, c *evchan.Container) evchan.Event {
	t.Helper()
	synctest.Wait()
	select {
	case e := <-c.C:
		return e
	default:
		t.Fatal("no event was pending")
		return evchan.Event{}
	}
}

func wantWatching(t *testing.T, p *Pulse, n int) {
	t.Helper()
	if got := p.Watching(); got != n {
		t.Fatalf("Watching() = %d, want %d", got, n)
	}
}

// Fire returns once every event has been told, so firings made before a
// receive are one delivery per event whose Value is the latest firing's
// number (R3).
func TestPulseFireIsSynchronous(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container, p *Pulse) {
		want := map[evchan.ID]bool{
			mustAdd(t, c, p.Spec().Persistent(), "a"): true,
			mustAdd(t, c, p.Spec().Persistent(), "b"): true,
		}
		p.Fire()
		p.Fire()
		for range len(want) { // in the order Fire told them, which is not Add's
			e := take(t, c)
			if !want[e.ID] || e.Count != 2 || e.Value != 2 || e.Source != p || e.Reason != evchan.Triggered {
				t.Fatalf("got %v value=%v source=%v, want one of events %v, triggered count=2 value=2 from the Pulse", e, e.Value, e.Source, want)
			}
			delete(want, e.ID)
		}
		none(t, c)
	})
}

// Each way an event ends stops its registration's goroutine: a one-shot
// delivery (R1), Del (R9), Clear (R11), Close (R12).
func TestPulseRegistrationsEndWithTheirEvents(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container, p *Pulse) {
		oneShot := mustAdd(t, c, p.Spec(), "one-shot")
		del := mustAdd(t, c, p.Spec().Persistent(), "deleted")
		mustAdd(t, c, p.Spec().Persistent(), "cleared")
		wantWatching(t, p, 3)

		p.Fire()
		for e := take(t, c); e.ID != oneShot; e = take(t, c) {
		}
		synctest.Wait()
		wantWatching(t, p, 2) // R1

		c.Del(del)
		wantWatching(t, p, 1) // R9: stopped when Del returns

		c.Clear()
		wantWatching(t, p, 0) // R11

		mustAdd(t, c, p.Spec().Persistent(), "closed")
		wantWatching(t, p, 1)
		c.Close()
		wantWatching(t, p, 0) // R12
	})
}

// A Pulse with no event watching it fires into nothing, and one fired by
// many goroutines at once tells each event of each firing (R14).
func TestPulseFireFromManyGoroutines(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container, p *Pulse) {
		p.Fire()
		id := mustAdd(t, c, p.Spec().Persistent(), "busy")
		const firers = 8
		done := make(chan struct{})
		for range firers {
			go func() { p.Fire(); done <- struct{}{} }()
		}
		for range firers {
			<-done
		}
		e := take(t, c)
		if e.ID != id || e.Count != firers {
			t.Fatalf("got %v, want event %d with count=%d (R3)", e, id, firers)
		}
	})
}
