package property_test

import (
	"context"
	"time"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// waitAll is waitNext through one step of a loop over All, which takes
// events itself rather than from the supervisor, and which, with nothing
// to take, waits in the container's Waiter on the inline path: the wait
// must end exactly at the model's instant, with the model's event (R6,
// R7, R13), however the loop waited.
func (mc *machine) waitAll(t *rapid.T) {
	m := mc.m
	how := rapid.SampledFrom([]string{"Auto", "Block", "Within"}).Draw(t, "how")
	var within time.Duration
	if how == "Within" {
		within = durations.Draw(t, "within")
	}
	wait := mc.modelWait(t, how, &within)
	mode := map[string]evchan.Mode{"Auto": evchan.Auto, "Block": evchan.Block, "Within": evchan.Within(within)}[how]

	// As in waitNext, the context ends a nanosecond after the model's
	// instant, so that a late or lost delivery fails instead of hanging.
	ctx, cancel := context.WithTimeout(context.Background(), wait+1)
	defer cancel()
	before := time.Now()
	var got evchan.Event
	var ok bool
	for e := range mc.c.AllContext(ctx, mode) {
		got, ok = e, true
		break
	}
	if waited := time.Since(before); waited != wait {
		t.Fatalf("All(%v) step waited %v, the model says %v (got %v, ok=%v)", mode, waited, wait, describe(got), ok) // R6, R13
	}
	m.advance(wait)
	mc.expect(t, "All("+mode.String()+")", got, ok, false)
}

// wakeAll has another goroutine trigger a virtual event while a loop over
// All(Block) waits with nothing pending (in the Waiter, on the inline
// path): the Trigger must wake the loop (R5), at its instant, unless a
// deadline comes first, in which case the loop takes that event.
func (mc *machine) wakeAll(t *rapid.T) {
	m := mc.m
	if len(m.queue) > 0 {
		t.Skip("the loop would take a pending event without waiting")
	}
	var virtual []evchan.ID
	for _, id := range m.liveIDs() {
		if !m.events[id].timer {
			virtual = append(virtual, id)
		}
	}
	if len(virtual) == 0 {
		t.Skip("no virtual event to trigger")
	}
	id := rapid.SampledFrom(virtual).Draw(t, "id")
	after := durations.Draw(t, "trigger after")
	if next := m.earliest(); next != nil && next.deadline-m.now == after {
		after++ // the same instant for both would be a coin toss
	}
	wait := after
	if next := m.earliest(); next != nil && next.deadline-m.now < after {
		wait = next.deadline - m.now
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	triggered := make(chan bool, 1)
	go func() {
		timer := time.NewTimer(after)
		defer timer.Stop()
		select {
		case <-timer.C:
			triggered <- mc.c.Trigger(id)
		case <-ctx.Done():
			triggered <- false
		}
	}()
	before := time.Now()
	var got evchan.Event
	var ok bool
	for e := range mc.c.AllContext(ctx, evchan.Block) {
		got, ok = e, true
		break
	}
	if waited := time.Since(before); waited != wait {
		t.Fatalf("All(Block) step waited %v for a Trigger after %v, the model says %v (got %v)", waited, after, wait, describe(got)) // R5, R6, R7
	}
	if wait == after {
		if !<-triggered {
			t.Fatalf("Trigger(%d) of a live event from another goroutine = false", id) // R5
		}
		m.advance(wait)
		m.trigger(id)
		mc.expect(t, "All(Block) woken by Trigger", got, ok, false)
		return
	}
	// A deadline came first: the trigger is called off, and did not happen.
	cancel()
	if <-triggered {
		t.Fatal("the trigger goroutine triggered after the loop ended")
	}
	m.advance(wait)
	mc.expect(t, "All(Block) before a Trigger", got, ok, false)
}
