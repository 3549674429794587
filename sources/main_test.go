package sources_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
)

// Every test ends with no goroutine of ours left (R12).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// inBubble runs f in a synctest bubble with a fresh container, closed as f
// returns: virtual time, and synctest.Wait to know when every goroutine of
// the container and its sources has done what it can.
func inBubble(t *testing.T, f func(t *testing.T, c *evchan.Container)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		c := evchan.New()
		defer c.Close()
		f(t, c)
	})
}

func mustAdd(t *testing.T, c *evchan.Container, spec evchan.Spec, ctx any, timeout time.Duration) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, timeout)
	if err != nil {
		t.Fatalf("Add(%v): %v", spec, err)
	}
	return id
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

// none fails if an event is offered now.
func none(t *testing.T, c *evchan.Container) {
	t.Helper()
	synctest.Wait()
	select {
	case e := <-c.C:
		t.Fatalf("unexpected %v (context %v)", e, e.Data)
	default:
	}
}

// wantEvent checks the fields of e that a test cares about.
func wantEvent(t *testing.T, e evchan.Event, id evchan.ID, reason evchan.Reason, count int, value any) {
	t.Helper()
	if e.ID != id || e.Reason != reason || e.Count != count || e.Value != value {
		t.Fatalf("got %v value=%v, want event %d %v count=%d value=%v", e, e.Value, id, reason, count, value)
	}
}

func wantLen(t *testing.T, c *evchan.Container, n int) {
	t.Helper()
	if got := c.Len(); got != n {
		t.Fatalf("Len = %d, want %d", got, n)
	}
}
