package evchan

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// R3: a pending event is delivered once however often it fired; Count says
// how often.
func TestR3Coalescing(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		for range 1000 {
			c.Trigger(id)
		}
		wantEvent(t, take(t, c), id, Triggered, 1000)
		none(t, c)

		// Ticks coalesce too, counted when a loop (or Next) takes the
		// timer.
		tick := mustAdd(t, c, Timer(time.Millisecond).Persistent(), nil, 0)
		time.Sleep(10 * time.Millisecond)
		e, ok := c.Next(context.Background(), NoWait)
		if !ok {
			t.Fatal("Next found no event")
		}
		wantEvent(t, e, tick, Timeout, 10)
		none(t, c)
	})
}

// R3, R6: a timer whose Event waits on C for a receiver was counted when
// the Event was made: the ticks that fall while it waits are counted in
// its next delivery, none lost, and the supervisor sleeps meanwhile, so a
// stalled consumer costs nothing however fast the timer ticks.
func TestR3TimerTicksWhileWaitingOnC(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		tick := mustAdd(t, c, Timer(time.Millisecond).Persistent(), nil, 0)
		time.Sleep(time.Millisecond)
		synctest.Wait() // the supervisor offers the first tick on C
		before := c.supervisorRounds()
		time.Sleep(10*time.Second - time.Millisecond) // nobody receives
		synctest.Wait()
		if rounds := c.supervisorRounds() - before; rounds > 0 {
			t.Fatalf("the supervisor woke %d times while the consumer stalled for 10 s", rounds)
		}
		wantEvent(t, take(t, c), tick, Timeout, 1) // counted as offered
		// The 9,999 ticks that fell while it waited, and the next one.
		time.Sleep(time.Millisecond)
		wantEvent(t, take(t, c), tick, Timeout, 10_000)
		time.Sleep(time.Millisecond)
		wantEvent(t, take(t, c), tick, Timeout, 1)
	})
}

// R3: firings that come while an event is offered on C, before a consumer
// takes it, are not lost: they are counted in the offer or delivered next.
func TestR3FiringsDuringTheOffer(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		synctest.Wait()
		c.Trigger(id) // the supervisor is blocked offering Count 1
		c.Trigger(id)
		wantEvent(t, take(t, c), id, Triggered, 3)
		none(t, c)
	})
}

// R4: pending events come out in the order they became pending, and a
// persistent event that is always ready goes to the back after delivery.
func TestR4Fairness(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		a := mustAdd(t, c, Virtual(false).Persistent(), "a", 0)
		b := mustAdd(t, c, Virtual(false).Persistent(), "b", 0)
		d := mustAdd(t, c, Virtual(false).Persistent(), "d", 0)
		c.Trigger(d)
		c.Trigger(a)
		c.Trigger(b)
		c.Trigger(d) // already pending: keeps its place
		order := []ID{d, a, b}
		for _, want := range order {
			e := take(t, c)
			if e.ID != want {
				t.Fatalf("got %v, want %d first", e, want)
			}
			c.Trigger(e.ID) // always ready: back of the queue
		}
		for _, want := range order {
			if e := take(t, c); e.ID != want {
				t.Fatalf("after re-triggering got %v, want %d", e, want)
			}
		}
	})
}
