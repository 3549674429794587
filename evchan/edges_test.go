package evchan

import (
	"math"
	"testing"
	"testing/synctest"
	"time"
)

// The edges of the rules that the draft leaves open, each decided in the
// package documentation ("Edges") and held here.

// R7: a Set that gives a timeout replaces the clock: an event pending only
// because its old timeout passed, offered on C already, is pending no
// more, and the new timeout runs from the Set. A real firing pending is
// not withdrawn.
func TestR7SetWithdrawsAPendingTimeout(t *testing.T) {
	for _, persistent := range []bool{false, true} {
		bubble(t, func(t *testing.T, c *Container) {
			spec := Virtual(false)
			if persistent {
				spec = spec.Persistent()
			}
			id := mustAdd(t, c, spec, "old", time.Second)
			time.Sleep(time.Second)
			synctest.Wait() // pending with reason Timeout, offered on C
			if !(c.SetData(id, "new") == nil && c.SetTimeout(id, 2*time.Second) == nil) {
				t.Fatal("Set failed")
			}
			none(t, c)
			time.Sleep(2*time.Second - time.Nanosecond)
			none(t, c)
			time.Sleep(time.Nanosecond)
			e := take(t, c)
			wantEvent(t, e, id, Timeout, 1)
			if e.Data != "new" {
				t.Fatalf("context %v, want the one Set gave", e.Data)
			}

			// A Set without a timeout keeps the clock, and the pending
			// timeout with it.
			id = mustAdd(t, c, spec, "kept", time.Second)
			time.Sleep(time.Second)
			synctest.Wait()
			c.SetData(id, "kept too")
			wantEvent(t, take(t, c), id, Timeout, 1)

			// A pending trigger stays pending whatever the timeout.
			id = mustAdd(t, c, spec, "triggered", time.Second)
			c.Trigger(id)
			c.SetData(id, "triggered")
			c.SetTimeout(id, 0)
			wantEvent(t, take(t, c), id, Triggered, 1)
		})
	}
}

// R3, R7: a timeout is one firing, so a Timeout delivery has Count 1, a
// virtual event's as any other's; a trigger that comes before the
// delivery replaces it, and Count counts the triggers only.
func TestR3TimeoutCountsOnce(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, time.Second)
		time.Sleep(10 * time.Second) // one timeout: a pending event's clock waits
		wantEvent(t, take(t, c), id, Timeout, 1)
		time.Sleep(time.Second)
		synctest.Wait()
		c.Trigger(id)
		wantEvent(t, take(t, c), id, Triggered, 1)
	})
}

// R10: Stop does not latch. Called while no loop runs, it ends nothing:
// the next loop runs as if it had not been called.
func TestR10StopDoesNotLatch(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		c.Stop()
		n := 0
		for e := range c.All(NoWait) {
			wantEvent(t, e, id, Triggered, 1)
			n++
		}
		if n != 1 {
			t.Fatalf("a loop after a Stop made while none ran took %d events, want 1", n)
		}
	})
}

// R11, R13: a loop body that clears the container and adds an event goes
// on with the new event: the loop ends only when it finds the container
// empty at its next step.
func TestR11ClearThenAddInALoopBody(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		first := mustAdd(t, c, Virtual(true), "first", 0)
		mustAdd(t, c, Timer(time.Hour), "cleared", 0)
		var got []ID
		var second ID
		for e := range c.All(Block) {
			got = append(got, e.ID)
			if e.ID == first {
				c.Clear()
				second = mustAdd(t, c, Virtual(true), "second", 0)
			}
		}
		if len(got) != 2 || got[0] != first || got[1] != second {
			t.Fatalf("the loop took %v, want %d then %d", got, first, second)
		}
	})
}

// R6, R7: a timeout or interval too long for the clock (a deadline past
// what int64 nanoseconds since the container began can hold) is accepted
// and never fires; math.MaxInt64 is the way to say never.
func TestR6HugeDurationsNeverFire(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		never := time.Duration(math.MaxInt64)
		mustAdd(t, c, Timer(never).Persistent(), "timer", 0)
		v := mustAdd(t, c, Virtual(false), "timeout", never)
		w := mustAdd(t, c, Virtual(false), "set", time.Second)
		if !(c.SetData(w, "set") == nil && c.SetTimeout(w, never) == nil) {
			t.Fatal("Set with MaxInt64 failed")
		}
		time.Sleep(100 * 365 * 24 * time.Hour)
		none(t, c)
		c.Trigger(v)
		wantEvent(t, take(t, c), v, Triggered, 1)
	})
}
