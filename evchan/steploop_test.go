package evchan

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// A Loop takes events as a loop over All does: the persistent event it
// delivered is re-armed at the next step, not before (R14), its steps come
// from the loop itself with no hand-over by the supervisor, and Close ends
// it, after which Next reports false and C is served again.
func TestLoopStepsAsAllDoes(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		l := c.Loop(context.Background(), Block)
		for step := 1; step <= 3; step++ {
			var e Event
			if !l.Next(&e) {
				t.Fatalf("step %d: the loop ended", step)
			}
			wantEvent(t, e, id, Readable, 1)
			synctest.Wait()
			if n := len(src.rearms); n != step-1 {
				t.Fatalf("step %d: %d re-arms while the step's event is handled, want %d", step, n, step-1)
			}
			h.Fire(Readable, nil)
		}
		l.Close()
		l.Close() // twice does nothing
		if l.Next(new(Event)) {
			t.Fatal("Next after Close took an event")
		}
		e := <-c.C // no loop runs any more: C is served
		wantEvent(t, e, id, Readable, 1)
	})
}

// A NoWait Loop ends once the events pending when it was made are taken,
// and closes itself.
func TestLoopNoWaitEnds(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(true), nil, 0)
		l := c.Loop(context.Background(), NoWait)
		var e Event
		if !l.Next(&e) {
			t.Fatal("the triggered event was not taken")
		}
		wantEvent(t, e, id, Triggered, 1)
		if l.Next(new(Event)) {
			t.Fatal("a NoWait loop took more than was pending")
		}
		if !l.done {
			t.Fatal("the ended loop did not close itself")
		}
	})
}

// Ahead reports the event the next Next takes when nothing can change it:
// the same Event, field by field; events that become pending meanwhile,
// deadlines included, come after it (R4).
func TestLoopAheadIsWhatNextTakes(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		// The loop first: an event pending with no loop running may be
		// under an offer on C, which makes Ahead uncertain.
		l := c.Loop(context.Background(), Block)
		defer l.Close()
		v := mustAdd(t, c, Virtual(true).Persistent(), "v", 0)
		tick := mustAdd(t, c, Timer(time.Second), nil, 0)
		src := newWatchCounter()
		x := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		var ahead, got Event
		if !l.Ahead(&ahead) {
			t.Fatal("Ahead: no event, with a triggered virtual event at the head")
		}
		if !l.Next(&got) || got != ahead {
			t.Fatalf("Ahead reported %v, Next took %v", ahead, got)
		}
		wantEvent(t, got, v, Triggered, 1)
		c.Trigger(v)
		c.Trigger(v)
		if !l.Ahead(&ahead) {
			t.Fatal("Ahead: no event after a Trigger in the body")
		}
		time.Sleep(time.Second) // the timer comes due
		h.Fire(Readable, nil)   // and the custom source fires
		if !l.Next(&got) || got != ahead {
			t.Fatalf("Ahead reported %v, Next took %v", ahead, got)
		}
		wantEvent(t, got, v, Triggered, 2)
		for _, want := range []ID{x, tick} {
			if !l.Next(&got) || got.ID != want {
				t.Fatalf("after the event Ahead reported: %v, want event %d", got, want)
			}
		}
	})
}

// Ahead reports nothing when the next step is not certain to take the
// head of the queue as it is now, and takes nothing then.
func TestLoopAheadOnlyWhenCertain(t *testing.T) {
	cases := []struct {
		name string
		// set up makes the container's state before Ahead: it returns the
		// loop to ask, and the event the loop's next Next then takes.
		setUp func(t *testing.T, c *Container) (*Loop, ID)
	}{
		{"nothing pending", func(t *testing.T, c *Container) (*Loop, ID) {
			mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
			return c.Loop(context.Background(), NoWait), 0
		}},
		{"a custom source's event at the head", func(t *testing.T, c *Container) (*Loop, ID) {
			src := newWatchCounter()
			x := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
			l := c.Loop(context.Background(), Block)
			(<-src.handles).Fire(Readable, nil)
			return l, x
		}},
		{"a timer at the head", func(t *testing.T, c *Container) (*Loop, ID) {
			mustAdd(t, c, Timer(time.Second), nil, 0)
			tick2 := mustAdd(t, c, Timer(time.Second), nil, 0)
			l := c.Loop(context.Background(), Block)
			time.Sleep(time.Second)
			var e Event
			if !l.Next(&e) || e.Reason != Timeout {
				t.Fatalf("first step: %v, want the first timer", e)
			}
			return l, tick2
		}},
		{"a virtual event with a timeout at the head", func(t *testing.T, c *Container) (*Loop, ID) {
			v := mustAdd(t, c, Virtual(false), nil, time.Hour)
			l := c.Loop(context.Background(), Block)
			c.Trigger(v)
			return l, v
		}},
		{"an offer on C in progress", func(t *testing.T, c *Container) (*Loop, ID) {
			v := mustAdd(t, c, Virtual(true), nil, 0)
			synctest.Wait() // the supervisor offers it on C
			return c.Loop(context.Background(), Block), v
		}},
		{"the last delivery has a source to re-arm", func(t *testing.T, c *Container) (*Loop, ID) {
			src := newWatchCounter()
			x := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
			(<-src.handles).Fire(Readable, nil)
			l := c.Loop(context.Background(), Block)
			var e Event
			if !l.Next(&e) || e.ID != x {
				t.Fatalf("first step: %v, want event %d", e, x)
			}
			v := mustAdd(t, c, Virtual(true), nil, 0)
			return l, v
		}},
		{"NoWait, pending since the loop began", func(t *testing.T, c *Container) (*Loop, ID) {
			v := mustAdd(t, c, Virtual(false), nil, 0)
			l := c.Loop(context.Background(), NoWait)
			c.Trigger(v)
			return l, 0
		}},
		{"the loop was stopped", func(t *testing.T, c *Container) (*Loop, ID) {
			mustAdd(t, c, Virtual(true), nil, 0)
			l := c.Loop(context.Background(), Block)
			c.Stop()
			return l, 0
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bubble(t, func(t *testing.T, c *Container) {
				l, next := tc.setUp(t, c)
				defer l.Close()
				synctest.Wait()
				var ahead Event
				if l.Ahead(&ahead) {
					t.Fatalf("Ahead reported %v", ahead)
				}
				var got Event
				switch ok := l.Next(&got); {
				case next == 0 && ok:
					t.Fatalf("Next took %v after Ahead, want none", got)
				case next != 0 && (!ok || got.ID != next):
					t.Fatalf("Next took %v (%v) after Ahead, want event %d", got, ok, next)
				}
			})
		})
	}
}

// TriggerAhead is Trigger then Ahead: it reports the trigger as Trigger
// does (R5) and the event the next Next takes as Ahead does. With took,
// it first makes the step that takes the event it reported last, as Next
// would have: the event is delivered once, and the trigger that follows
// makes it pending again.
func TestLoopTriggerAhead(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		v := mustAdd(t, c, Virtual(true).Persistent(), "v", 0)
		tick := mustAdd(t, c, Timer(time.Second), nil, 0)
		l := c.Loop(context.Background(), Block)
		defer l.Close()
		var ahead, got Event
		if !l.Next(&got) || got.ID != v {
			t.Fatalf("first step: %v, want event %d", got, v)
		}
		if triggered, sure := l.TriggerAhead(false, v, &ahead); !triggered || !sure {
			t.Fatalf("TriggerAhead(%d) = %v, %v, want true, true", v, triggered, sure)
		}
		if !l.Next(&got) || got != ahead {
			t.Fatalf("TriggerAhead reported %v, Next took %v", ahead, got)
		}
		// Handed on: the step that takes it is made by the next call.
		if triggered, sure := l.TriggerAhead(false, v, &ahead); !triggered || !sure {
			t.Fatalf("TriggerAhead(%d) = %v, %v, want true, true", v, triggered, sure)
		}
		for range 3 {
			if triggered, sure := l.TriggerAhead(true, v, &ahead); !triggered || !sure {
				t.Fatalf("TriggerAhead(took, %d) = %v, %v, want true, true", v, triggered, sure)
			}
			wantEvent(t, ahead, v, Triggered, 1) // the trigger came after the step
		}
		time.Sleep(time.Second) // the timer comes due: the step fires it
		if triggered, sure := l.TriggerAhead(true, tick, &ahead); triggered || sure {
			t.Fatalf("TriggerAhead(took, timer) = %v, %v, want false, false (v taken, the timer next)", triggered, sure)
		}
		if !l.Next(&got) || got.ID != tick {
			t.Fatalf("after the steps: %v, want the timer, event %d", got, tick)
		}
		if triggered, sure := l.TriggerAhead(false, 999, &ahead); triggered || sure {
			t.Fatalf("TriggerAhead(unknown) = %v, %v, want false, false", triggered, sure)
		}
		// A took with no event reported ahead, or one that another call
		// made uncertain, takes nothing.
		c.Trigger(v)
		if triggered, sure := l.TriggerAhead(true, 999, &ahead); triggered || !sure {
			t.Fatalf("TriggerAhead(took, unknown) = %v, %v, want false, true", triggered, sure)
		}
		c.Del(v)
		if triggered, _ := l.TriggerAhead(true, v, &ahead); triggered {
			t.Fatal("TriggerAhead(took) of a deleted event triggered it")
		}
		if c.Len() != 0 {
			t.Fatalf("Len = %d, want 0", c.Len())
		}
	})
}
