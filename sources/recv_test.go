package sources_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
	"github.com/evchan/evchan/sources"
)

// Recv keeps every rule the conformance suite checks. One value reaches one
// registration only, and the suite relies on that being the one left after
// Del: Stop ends the deleted registration's receiving before Del returns.
func TestSourceRecv(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		ch := make(chan int)
		return evchantest.Subject{
			Spec:   sources.Recv(ch),
			Fire:   func() { ch <- 1 },
			Reason: evchan.Triggered,
		}
	})
}

// wantNoReceiver fails if anything still receives from ch.
func wantNoReceiver(t *testing.T, ch chan int) {
	t.Helper()
	synctest.Wait()
	select {
	case ch <- -1:
		t.Fatal("something still receives from the channel")
	default:
	}
}

// A one-shot Recv event takes one value, is delivered with it, and then
// neither exists nor receives any more (R1).
func TestRecvOneShot(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ch := make(chan int)
		id := mustAdd(t, c, sources.Recv(ch), "recv", 0)
		ch <- 7
		e := take(t, c)
		wantEvent(t, e, id, evchan.Triggered, 1, 7)
		if e.Source != (<-chan int)(ch) {
			t.Fatalf("Source is %v (%T), want the channel given", e.Source, e.Source)
		}
		wantLen(t, c, 0)
		wantNoReceiver(t, ch)
	})
}

// Values received while a persistent event is pending coalesce: Count
// says how many, Value is the latest (R3).
func TestRecvCoalescesPendingValues(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ch := make(chan int)
		id := mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		for v := 1; v <= 3; v++ {
			ch <- v
		}
		wantEvent(t, take(t, c), id, evchan.Triggered, 3, 3)
		ch <- 4
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, 4)
		none(t, c)
	})
}

// A nil value received is the event's Value like any other: Value is the
// latest value received, not the latest non-nil one.
func TestRecvNilValue(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		errs := make(chan error)
		id := mustAdd(t, c, sources.Recv(errs).Persistent(), nil, 0)
		failed := errors.New("failed")
		errs <- failed
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, failed)
		errs <- nil
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, nil)
	})
}

// A closed channel is delivered once with Err set to ErrChanClosed, and the
// event is deleted even if persistent; its goroutine is gone.
func TestRecvClosedChannel(t *testing.T) {
	for _, spec := range []func(ch chan int) evchan.Spec{
		func(ch chan int) evchan.Spec { return sources.Recv(ch) },
		func(ch chan int) evchan.Spec { return sources.Recv(ch).Persistent() },
	} {
		inBubble(t, func(t *testing.T, c *evchan.Container) {
			ch := make(chan int)
			id := mustAdd(t, c, spec(ch), nil, 0)
			close(ch)
			e := take(t, c)
			wantEvent(t, e, id, evchan.Triggered, 1, nil)
			if !errors.Is(e.Err, sources.ErrChanClosed) {
				t.Fatalf("Err is %v, want ErrChanClosed", e.Err)
			}
			wantLen(t, c, 0)
			none(t, c)
		})
	}
}

// The close is delivered even when it comes right after a delivery, while
// the container may still be settling that delivery. Real time, many
// rounds: the moment is a race that virtual time would not reproduce.
func TestRecvClosedRightAfterADelivery(t *testing.T) {
	const rounds = 200
	for range rounds {
		c := evchan.New()
		ch := make(chan int)
		id := mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		ch <- 1
		wantEvent(t, receiveWithin(t, c, "the delivery of the value"), id, evchan.Triggered, 1, 1)
		close(ch)
		e := receiveWithin(t, c, "the delivery of the close (Handle.Fail must deliver once more)")
		if e.ID != id || !errors.Is(e.Err, sources.ErrChanClosed) {
			t.Fatalf("got %v, want event %d with ErrChanClosed", e, id)
		}
		c.Close()
	}
}

// receiveWithin receives c's next event, failing if none comes within a
// bound that only catches hangs.
func receiveWithin(t *testing.T, c *evchan.Container, what string) evchan.Event {
	t.Helper()
	limit := time.NewTimer(10 * time.Second)
	defer limit.Stop()
	select {
	case e := <-c.C:
		return e
	case <-limit.C:
		c.Close()
		t.Fatalf("no event within 10s while waiting for %s", what)
		return evchan.Event{}
	}
}

// Values pending when the channel closes are counted in the last delivery,
// which still shows the latest of them.
func TestRecvClosedWithValuesPending(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ch := make(chan int, 2)
		ch <- 1
		ch <- 2
		close(ch)
		id := mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		e := take(t, c)
		wantEvent(t, e, id, evchan.Triggered, 3, 2)
		if !errors.Is(e.Err, sources.ErrChanClosed) {
			t.Fatalf("Err is %v, want ErrChanClosed", e.Err)
		}
		wantLen(t, c, 0)
	})
}

// Once Del returns, nothing of the event receives from the channel (R9);
// so with Clear (R11) and Close (R12).
func TestRecvEndsWithItsEvent(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ch := make(chan int)
		id := mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		ch <- 1 // pending now
		c.Del(id)
		wantNoReceiver(t, ch)
		none(t, c)

		mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		mustAdd(t, c, sources.Recv(ch), nil, 0)
		c.Clear()
		wantNoReceiver(t, ch)

		mustAdd(t, c, sources.Recv(ch).Persistent(), nil, 0)
		c.Close()
		wantNoReceiver(t, ch)
	})
}

// A nil channel would never deliver: it is bad input (R15), refused where
// the Spec is built.
func TestRecvOfNilChannel(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		if err := sources.Recv[int](nil).Err(); !errors.Is(err, evchan.ErrInvalid) {
			t.Fatalf("Recv(nil).Err() = %v, want an error wrapping ErrInvalid", err)
		}
		if _, err := c.Add(sources.Recv[int](nil), nil, 0); !errors.Is(err, evchan.ErrInvalid) {
			t.Fatalf("Add(Recv(nil)) = %v, want an error wrapping ErrInvalid", err)
		}
		wantLen(t, c, 0)
	})
}
