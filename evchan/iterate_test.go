package evchan

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// R10: Stop from the loop body ends the loop before its next event, and the
// pending events stay pending for the next loop.
func TestR10StopFromBody(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		a := mustAdd(t, c, Virtual(true), "a", 0)
		b := mustAdd(t, c, Virtual(true), "b", 0)
		var got []ID
		for e := range c.All(Block) {
			got = append(got, e.ID)
			c.Stop()
		}
		if len(got) != 1 || got[0] != a {
			t.Fatalf("loop took %v, want only %d", got, a)
		}
		if e := take(t, c); e.ID != b {
			t.Fatalf("the next receive got %v, want %d still pending", e, b)
		}
	})
}

// R10: Stop from another goroutine ends a loop blocked waiting, at once,
// and a later loop works; C is not closed.
func TestR10StopWakesWaitingLoop(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		ended := make(chan struct{})
		go func() {
			for range c.All(Block) {
				t.Error("the loop got an event")
			}
			close(ended)
		}()
		synctest.Wait()
		c.Stop()
		<-ended
		c.Trigger(id)
		if e, ok := c.Next(context.Background(), Block); !ok || e.ID != id {
			t.Fatalf("Next after Stop: %v %v", e, ok)
		}
	})
}

// R13: Block waits for the next event, however long; it ends when the
// container becomes empty.
func TestR13Block(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		mustAdd(t, c, Timer(time.Hour), "late", 0)
		start := time.Now()
		n := 0
		for e := range c.All(Block) {
			n++
			if e.Data != "late" || time.Since(start) != time.Hour {
				t.Fatalf("got %v at %v", e, time.Since(start))
			}
		}
		if n != 1 {
			t.Fatalf("%d events", n)
		}
	})
}

// R13: a Block loop ends when another goroutine empties the container.
func TestR13BlockEndsWhenEmptied(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false), nil, 0)
		ended := make(chan struct{})
		go func() {
			for range c.All(Block) {
			}
			close(ended)
		}()
		synctest.Wait()
		c.Del(id)
		<-ended
	})
}

// R13: NoWait returns the events pending when it starts, then ends, even
// when its body re-triggers what it took.
func TestR13NoWait(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		a := mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		b := mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		idle := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		var got []ID
		for e := range c.All(NoWait) {
			got = append(got, e.ID)
			c.Trigger(e.ID)
			c.Trigger(idle)
		}
		if len(got) != 2 || got[0] != a || got[1] != b {
			t.Fatalf("NoWait took %v, want [%d %d]", got, a, b)
		}
		// What became pending during the loop waits for the next one.
		got = got[:0]
		for e := range c.All(NoWait) {
			got = append(got, e.ID)
		}
		if len(got) != 3 || got[0] != a || got[1] != idle || got[2] != b {
			t.Fatalf("second NoWait took %v, want [%d %d %d]", got, a, idle, b)
		}
		for range c.All(NoWait) {
			t.Fatal("nothing is pending")
		}
	})
}

// R13: NoWait skips events deleted after the loop started.
func TestR13NoWaitSkipsDeleted(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		a := mustAdd(t, c, Virtual(true), nil, 0)
		b := mustAdd(t, c, Virtual(true), nil, 0)
		for e := range c.All(NoWait) {
			if e.ID != a {
				t.Fatalf("got %v", e)
			}
			c.Del(b)
		}
	})
}

// R13: Within(d) waits up to d at each step and ends when d passes with
// nothing delivered.
func TestR13Within(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		mustAdd(t, c, Timer(time.Second).Persistent(), nil, 0)
		start := time.Now()
		n := 0
		for range c.All(Within(1500 * time.Millisecond)) {
			n++
			if n == 3 {
				c.Clear()
				mustAdd(t, c, Timer(time.Hour), nil, 0)
			}
		}
		if n != 3 || time.Since(start) != 3*time.Second+1500*time.Millisecond {
			t.Fatalf("%d events, ended after %v", n, time.Since(start))
		}
		if Within(0) != NoWait || Within(-time.Second) != NoWait {
			t.Fatal("Within of a non-positive duration is not NoWait")
		}
	})
}

// R13: Auto blocks while a timer or an event with a timeout exists, and is
// NoWait otherwise.
func TestR13Auto(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		v := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		for range c.All(Auto) {
			t.Fatal("Auto without timers must not wait")
		}
		c.SetData(v, nil)
		c.SetTimeout(v, time.Minute)
		start := time.Now()
		e, ok := c.Next(context.Background(), Auto)
		if !ok || e.Reason != Timeout || time.Since(start) != time.Minute {
			t.Fatalf("Auto with a timeout: %v %v after %v", e, ok, time.Since(start))
		}
		c.SetData(v, nil)
		c.SetTimeout(v, 0)
		tm := mustAdd(t, c, Timer(time.Second), nil, 0)
		if e, ok := c.Next(context.Background(), Mode{}); !ok || e.ID != tm {
			t.Fatalf("the zero Mode is Auto: %v %v", e, ok)
		}
	})
}

// R13: a loop ends when its context is done.
func TestR13ContextEndsLoop(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		mustAdd(t, c, Timer(time.Hour), nil, 0)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for range c.AllContext(ctx, Block) {
			t.Fatal("no event was due")
		}
		if ctx.Err() == nil {
			t.Fatal("the loop ended before its context")
		}
		cancel()
		for range c.AllContext(ctx, NoWait) {
			t.Fatal("a loop with a done context ran")
		}
	})
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{Auto: "Auto", Block: "Block", NoWait: "NoWait", Within(time.Second): "Within(1s)"} {
		if m.String() != want {
			t.Errorf("%v, want %s", m.String(), want)
		}
	}
}

// R13, R1: once an Auto loop has taken its last timed event (a one-shot,
// deleted by that delivery), nothing is sure to fire: the next step must not
// wait. The supervisor may not have run since the receive; the loop must see
// the event as gone all the same.
func TestR13AutoEndsAfterItsLastTimedEvent(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		mustAdd(t, c, Virtual(false), "idle, no timeout", 0)
		mustAdd(t, c, Virtual(true), "pending, with a timeout", time.Second)
		synctest.Wait() // the event waits on C, as when the loop starts late
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		start, n := time.Now(), 0
		for range c.AllContext(ctx, Auto) {
			n++
		}
		if waited := time.Since(start); n != 1 || waited != 0 {
			t.Fatalf("took %d events, ended after %v; want 1 event, no wait", n, waited)
		}
	})
}
