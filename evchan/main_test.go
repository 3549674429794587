package evchan

import (
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

// Every test ends with no goroutine of ours left (R12).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bubble runs f inside a synctest bubble with a fresh container that is
// closed when f returns: virtual time, and exact knowledge of when the
// supervisor has settled.
func bubble(t *testing.T, f func(t *testing.T, c *Container)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		c := New()
		defer c.Close()
		f(t, c)
	})
}

// take receives the event the container offers now, failing if there is none.
func take(t *testing.T, c *Container) Event {
	t.Helper()
	synctest.Wait()
	select {
	case e := <-c.C:
		return e
	default:
		t.Fatal("no event was pending")
		return Event{}
	}
}

// none fails if the container offers an event now.
func none(t *testing.T, c *Container) {
	t.Helper()
	synctest.Wait()
	select {
	case e := <-c.C:
		t.Fatalf("unexpected %v (context %v)", e, e.Data)
	default:
	}
}

// mustAdd adds spec and fails the test on error.
func mustAdd(t *testing.T, c *Container, spec Spec, ctx any, timeout time.Duration) ID {
	t.Helper()
	id, err := c.Add(spec, ctx, timeout)
	if err != nil {
		t.Fatalf("Add(%v): %v", spec, err)
	}
	return id
}

// wantEvent checks the fields of e that a test cares about.
func wantEvent(t *testing.T, e Event, id ID, reason Reason, count int) {
	t.Helper()
	if e.ID != id || e.Reason != reason || e.Count != count {
		t.Fatalf("got %v, want event %d %v count=%d", e, id, reason, count)
	}
}

// supervisorRounds returns how many times the supervisor has looked at the
// container: each is a wake-up of its goroutine, or a hand-over it went on
// from.
func (c *Container) supervisorRounds() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rounds
}
