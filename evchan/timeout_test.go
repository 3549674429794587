package evchan

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// R7: an event not delivered for its own reason within its timeout is
// delivered with reason Timeout; the clock starts at Add.
func TestR7Timeout(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false), "lifetime", time.Minute)
		time.Sleep(time.Minute - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		wantEvent(t, take(t, c), id, Timeout, 1)
	})
}

// R7: the timeout of a persistent event restarts at each delivery, and is
// re-applied after a timeout delivery too.
func TestR7RestartsAtDelivery(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 10*time.Second)
		time.Sleep(6 * time.Second)
		c.Trigger(id)
		wantEvent(t, take(t, c), id, Triggered, 1)
		time.Sleep(10*time.Second - time.Nanosecond) // 16 s after Add
		none(t, c)
		time.Sleep(time.Nanosecond)
		wantEvent(t, take(t, c), id, Timeout, 1)
		time.Sleep(10 * time.Second)
		wantEvent(t, take(t, c), id, Timeout, 1)
	})
}

// R7: a pending event's timeout does not fire while it waits for a
// consumer, and a real trigger is never lost to a timeout.
func TestR7OwnReasonWins(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, time.Second)
		time.Sleep(time.Second) // times out: pending with reason Timeout
		synctest.Wait()
		c.Trigger(id)
		c.Trigger(id)
		wantEvent(t, take(t, c), id, Triggered, 2)

		c.Trigger(id)               // pending for its own reason...
		time.Sleep(5 * time.Second) // ...through what would be timeouts
		wantEvent(t, take(t, c), id, Triggered, 1)
		none(t, c)
	})
}

// R7: the timeout argument is ignored for timers; zero means no timeout.
func TestR7NoTimeout(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		tm := mustAdd(t, c, Timer(time.Hour), nil, time.Second)
		v := mustAdd(t, c, Virtual(false), nil, 0)
		time.Sleep(time.Minute)
		none(t, c)
		time.Sleep(time.Hour)
		wantEvent(t, take(t, c), tm, Timeout, 1)
		if c.Len() != 1 || !c.Trigger(v) {
			t.Fatal("the virtual event without timeout is gone")
		}
	})
}

// R8: Set replaces the context, and the timeout where one is given,
// restarting its clock; without one the timeout is kept.
func TestR8Set(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), "old", 10*time.Second)
		time.Sleep(8 * time.Second)
		if c.SetData(id, "new") != nil {
			t.Fatal("Set reported false")
		}
		time.Sleep(2 * time.Second) // the timeout was kept, clock not restarted
		e := take(t, c)
		if e.Reason != Timeout || e.Data != "new" {
			t.Fatalf("got %v with context %v", e, e.Data)
		}

		c.SetData(id, "newer")
		c.SetTimeout(id, 3*time.Second) // restarts the clock now
		time.Sleep(3*time.Second - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		if e := take(t, c); e.Data != "newer" || e.Reason != Timeout {
			t.Fatalf("got %v with context %v", e, e.Data)
		}

		c.SetData(id, nil)
		c.SetTimeout(id, 0) // zero removes the timeout
		time.Sleep(time.Hour)
		none(t, c)
		if err := c.SetTimeout(id, -time.Second); !errors.Is(err, ErrInvalid) {
			t.Fatalf("SetTimeout with a negative timeout: %v, want ErrInvalid", err) // R15
		}
		if err := c.SetTimeout(id+1000, time.Second); !errors.Is(err, ErrNotFound) {
			t.Fatalf("SetTimeout of an unknown ID: %v, want ErrNotFound", err) // R2
		}
	})
}

// R8: Set on an event being offered on C changes what the consumer gets.
func TestR8SetWhileOffered(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(true).Persistent(), "old", 0)
		synctest.Wait() // the supervisor offers it with "old"
		c.SetData(id, "new")
		if e := take(t, c); e.Data != "new" {
			t.Fatalf("delivered context %v after Set returned", e.Data)
		}
	})
}
