package evchan

import (
	"context"
	"testing"
	"testing/synctest"
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
