package evchan

import (
	"testing"
	"time"
)

// R6: a timer fires at its deadline, not before, measured from Add.
func TestR6NeverEarly(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		start := time.Now()
		id := mustAdd(t, c, Timer(2500*time.Millisecond), "t", time.Hour)
		time.Sleep(2500*time.Millisecond - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		e := take(t, c)
		wantEvent(t, e, id, Timeout, 1)
		if e.Source != 2500*time.Millisecond {
			t.Fatalf("Source = %v, want the interval", e.Source)
		}
		if waited := time.Since(start); waited != 2500*time.Millisecond {
			t.Fatalf("fired after %v", waited)
		}
	})
}

// R6: a persistent timer keeps a fixed-rate schedule from Add, its first tick
// after one interval, and ticks falling while it is pending coalesce.
func TestR6FixedRate(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		start := time.Now()
		id := mustAdd(t, c, Timer(time.Second).Persistent(), nil, 0)
		none(t, c) // not at once
		time.Sleep(time.Second)
		wantEvent(t, take(t, c), id, Timeout, 1)

		// A slow consumer: three ticks pass before it comes back. The
		// first was offered on C as it fell; the other two are counted in
		// the next delivery (R3).
		time.Sleep(3*time.Second + 300*time.Millisecond)
		wantEvent(t, take(t, c), id, Timeout, 1)

		// The schedule did not drift: the next tick is at 5 s from Add.
		time.Sleep(700*time.Millisecond - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		wantEvent(t, take(t, c), id, Timeout, 3)
		if got := time.Since(start); got != 5*time.Second {
			t.Fatalf("fifth tick at %v", got)
		}
	})
}

// R6: timers added in any order fire in deadline order, and one far in the
// future does not hold up a near one (one heap, one runtime timer).
func TestR6ManyTimersInDeadlineOrder(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		ids := map[time.Duration]ID{}
		for _, d := range []time.Duration{5, 1, 4, 2, 3, 1000} {
			ids[d*time.Millisecond] = mustAdd(t, c, Timer(d*time.Millisecond), d, 0)
		}
		for _, d := range []time.Duration{1, 2, 3, 4, 5} {
			time.Sleep(time.Millisecond)
			wantEvent(t, take(t, c), ids[d*time.Millisecond], Timeout, 1)
			none(t, c)
		}
		if c.Len() != 1 {
			t.Fatalf("Len = %d, want the 1 s timer only", c.Len())
		}
	})
}
