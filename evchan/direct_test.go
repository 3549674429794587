package evchan

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// A loop over All re-arms the persistent event it delivered once its body is
// done: at its next step, or when the loop ends. The body can so consume
// what the event announced before the source looks again (R3: a
// level-triggered source then reports no readiness the body already took).
func TestAllRearmsAfterTheBody(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)

		steps := 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Readable, 1)
			synctest.Wait()
			if n := len(src.rearms); n != steps {
				t.Fatalf("step %d: %d re-arms while the body runs, want %d", steps, n, steps)
			}
			steps++
			if steps == 3 {
				break
			}
			// Fire again from the body: the event is pending once more, and
			// the next step re-arms the delivery just made before taking it.
			h.Fire(Readable, nil)
		}
		synctest.Wait()
		if n := len(src.rearms); n != 3 {
			t.Fatalf("after the loop ended: %d re-arms, want 3 (one per delivery)", n)
		}
		if n := len(src.stops); n != 0 {
			t.Fatalf("%d stops of a persistent event still in the container", n)
		}
	})
}

// An event a waiting loop receives from the supervisor is re-armed by the
// loop too, after the body, and not by the supervisor at the hand-over.
func TestAllRearmsWhatItWaitedFor(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		go func() {
			synctest.Wait() // the loop below waits for its first event
			h.Fire(Readable, nil)
		}()
		for e := range c.All(Block) {
			wantEvent(t, e, id, Readable, 1)
			synctest.Wait()
			if n := len(src.rearms); n != 0 {
				t.Fatalf("%d re-arms while the body runs, want 0", n)
			}
			break
		}
		synctest.Wait()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("after the loop ended: %d re-arms, want 1", n)
		}
	})
}

// A one-shot event a loop takes is stopped at once, as it is deleted at its
// delivery (R1): there is nothing to re-arm.
func TestAllStopsOneShotAtDelivery(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src), nil, 0)
		keep := mustAdd(t, c, Virtual(false).Persistent(), nil, 0) // keeps the loop going
		h := <-src.handles
		h.Fire(Readable, nil)
		for e := range c.All(Block) {
			wantEvent(t, e, id, Readable, 1)
			synctest.Wait()
			if got := <-src.stops; got != id {
				t.Fatalf("stopped %d, want %d", got, id)
			}
			if c.Del(id) {
				t.Fatal("Del of a delivered one-shot event reported true (R1)")
			}
			break
		}
		if n := len(src.rearms); n != 0 {
			t.Fatalf("%d re-arms of a one-shot event", n)
		}
		c.Del(keep)
	})
}

// Events that become pending while a loop over All runs its body are taken
// by the loop's next step; when the loop ends instead, they are offered on C
// at once: no event is stranded by a loop (R5).
func TestAllLeavesPendingEventsToC(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		a, _ := c.Add(Virtual(true).Persistent(), "a", 0)
		b, _ := c.Add(Virtual(false).Persistent(), "b", 0)
		for e := range c.All(Block) {
			wantEvent(t, e, a, Triggered, 1)
			c.Trigger(b)
			break
		}
		wantEvent(t, take(t, c), b, Triggered, 1)

		// And the next step takes what the body made pending.
		c.Trigger(a)
		var got []ID
		for e := range c.All(Block) {
			got = append(got, e.ID)
			if e.ID == a {
				c.Trigger(b)
				continue
			}
			break
		}
		if len(got) != 2 || got[0] != a || got[1] != b {
			t.Fatalf("delivered %v, want [%d %d]", got, a, b)
		}
		none(t, c)
	})
}

// Stop from the body ends the loop before its next step, whose events stay
// pending (R10), and the event the body got is still re-armed.
func TestAllStopFromBodyRearms(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		n := 0
		for e := range c.AllContext(context.Background(), Block) {
			wantEvent(t, e, id, Readable, 1)
			n++
			h.Fire(Readable, nil)
			c.Stop()
		}
		if n != 1 {
			t.Fatalf("%d events after Stop from the body, want 1 (R10)", n)
		}
		synctest.Wait()
		if got := len(src.rearms); got != 1 {
			t.Fatalf("%d re-arms, want 1", got)
		}
		wantEvent(t, take(t, c), id, Readable, 1) // still pending
	})
}

// A timer a loop takes itself keeps its fixed-rate schedule: its next tick
// goes back under the supervisor's runtime timer (R6). Two timers fire
// together; the loop waits for the first and takes the second itself.
func TestAllTakesTimerOnSchedule(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		start := time.Now()
		slow := mustAdd(t, c, Timer(2*time.Second).Persistent(), "slow", 0)
		time.Sleep(time.Second)
		fast := mustAdd(t, c, Timer(time.Second).Persistent(), "fast", 0)
		type got struct {
			id ID
			at time.Duration
		}
		var seen []got
		for e := range c.All(Block) {
			seen = append(seen, got{e.ID, time.Since(start)})
			if len(seen) == 3 {
				break
			}
		}
		want := []got{{slow, 2 * time.Second}, {fast, 2 * time.Second}, {fast, 3 * time.Second}}
		for i := range want {
			if seen[i] != want[i] {
				t.Fatalf("deliveries %v, want %v (R6)", seen, want)
			}
		}
	})
}

// A loop that starts while the supervisor offers an event on C alone gets
// that event: the supervisor offers on the loops' channel too as soon as a
// loop waits (R13: Block waits for the next event, and this one is pending).
func TestAllTakesEventOfferedOnC(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(true).Persistent(), "pending", 0)
		synctest.Wait() // the supervisor is offering it on C, with no loop about
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			break
		}
		none(t, c) // delivered once (R3)
	})
}
