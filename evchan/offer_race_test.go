package evchan

import (
	"errors"
	"testing"
	"time"
)

// These tests race firings against the offer of the same event on C, on
// real goroutines: the supervisor may be about to offer, offering, or just
// past a receive when the firing comes.

// handleSource hands its one registration's Handle to the test.
type handleSource chan Handle

func (s handleSource) Watch(h Handle) (Watcher, error) {
	s <- h
	return StopFunc(func() {}), nil
}

func addHandle(t *testing.T, c *Container) Handle {
	t.Helper()
	src := make(handleSource, 1)
	mustAdd(t, c, Custom(src).Persistent(), nil, 0)
	return <-src
}

// R3: firings that returned before a receive began are all counted in the
// event that receive takes, even if the supervisor was already offering an
// Event made before the last of them.
func TestR3FiringsBeforeReceiveAreOneDelivery(t *testing.T) {
	for i := range 1000 {
		c := New()
		h := addHandle(t, c)
		h.Fire(Readable, nil)
		h.Fire(Readable, nil)
		h.Fire(Readable, nil)
		if e := <-c.C; e.Count != 3 {
			t.Fatalf("round %d: Count %d after three firings that came before the receive", i, e.Count)
		}
		c.Close()
	}
}

// R15 (Handle.Fail's promise): a failure reported right after a consumer
// received the previous delivery is delivered, not deleted with the
// delivery that was already taken.
func TestFailRightAfterAReceiveIsDelivered(t *testing.T) {
	gone := errors.New("gone")
	for i := range 1000 {
		c := New()
		h := addHandle(t, c)
		h.Fire(Readable, "first")
		<-c.C
		h.Fail(Readable, gone)
		select {
		case e := <-c.C:
			if !errors.Is(e.Err, gone) {
				t.Fatalf("round %d: got %v, want the failure", i, e)
			}
		case <-time.After(10 * time.Second): // only a hang gets here
			t.Fatalf("round %d: the failure was never delivered", i)
		}
		c.Close()
	}
}

// Event.Value is what the latest firing reported, nil included.
func TestNilValueReplacesThePreviousOne(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		h := addHandle(t, c)
		h.Fire(Triggered, "first")
		take(t, c)
		h.Fire(Triggered, nil)
		if e := take(t, c); e.Value != nil {
			t.Fatalf("Value is %v after a firing that reported nil", e.Value)
		}
	})
}
