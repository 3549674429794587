package property_test

import (
	"context"
	"time"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// waitNext takes one event in a way that may wait: Next in Auto, Block or
// Within mode, a blocking receive on C, or Next with a done context. When
// nothing is pending, the model says how long the call waits (until the
// next deadline, or Within's limit) and the bubble's clock, which only moves
// while everything waits, must stop exactly there: a timer is never
// delivered early (R6) nor late.
func (mc *machine) waitNext(t *rapid.T) {
	m := mc.m
	how := rapid.SampledFrom([]string{"Auto", "Block", "Within", "C", "done"}).Draw(t, "how")
	if how == "done" {
		// R13: a loop whose context is done ends, pending events or not.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		mode := rapid.SampledFrom([]evchan.Mode{evchan.Auto, evchan.Block, evchan.NoWait}).Draw(t, "mode")
		if e, ok := mc.c.Next(ctx, mode); ok {
			t.Fatalf("Next(%v) with a done context returned %v", mode, describe(e)) // R13
		}
		return
	}
	var within time.Duration
	if how == "Within" {
		within = durations.Draw(t, "within")
	}

	wait := mc.modelWait(t, how, &within)

	// The context ends one nanosecond after the model's instant, so that a
	// late or lost delivery fails the check instead of hanging the bubble.
	ctx, cancel := context.WithTimeout(context.Background(), wait+1)
	defer cancel()
	before := time.Now()
	var got evchan.Event
	var ok bool
	switch how {
	case "C":
		select {
		case e, open := <-mc.c.C:
			if !open {
				t.Fatal("C closed before Close") // R10, R12
			}
			got, ok = e, true
		case <-ctx.Done():
		}
	case "Auto":
		got, ok = mc.c.Next(ctx, evchan.Auto)
	case "Block":
		got, ok = mc.c.Next(ctx, evchan.Block)
	case "Within":
		got, ok = mc.c.Next(ctx, evchan.Within(within))
	}
	if waited := time.Since(before); waited != wait {
		t.Fatalf("%s waited %v, the model says %v (got %v, ok=%v)", how, waited, wait, describe(got), ok) // R6, R13
	}
	m.advance(wait)
	mc.expect(t, how, got, ok, true)
}

// modelWait returns how long a step taken by how ("Auto", "Block",
// "Within", "C") waits, by the model: at once when something is pending,
// until the next deadline otherwise, or Within's limit. It skips the step
// when the call would wait forever. A Within limit equal to the next
// deadline is moved a nanosecond later, since the same instant for both
// would be a coin toss.
func (mc *machine) modelWait(t *rapid.T, how string, within *time.Duration) time.Duration {
	m := mc.m
	var wait time.Duration
	switch {
	case len(m.queue) > 0:
		// Something is pending: every mode takes it at once.
	case len(m.events) == 0:
		// R13: every loop ends at once on an empty container; C does not.
		if how == "C" {
			t.Skip("a receive on C would wait until Close")
		}
	case how == "Auto" && !m.timed():
		// R13: Auto is NoWait when no timer nor timeout is certain to fire.
	default:
		// Block, C, Within, and Auto with something timed wait.
		next := m.earliest()
		switch {
		case next != nil:
			wait = next.deadline - m.now
			if how == "Within" && wait == *within {
				*within++ // the same instant for both timers would be a coin toss
			}
		case how == "Auto":
			t.Fatalf("model: something is timed, nothing pending, no deadline")
		case how != "Within":
			t.Skip("nothing can ever fire: this would wait forever")
		}
		if how == "Within" && (next == nil || wait > *within) {
			wait = *within // R13: Within ends when d passes with nothing delivered
		}
	}
	return wait
}

// sleep moves virtual time: timers tick and timeouts pass exactly at their
// deadlines, never before (R6, R7).
func (mc *machine) sleep(t *rapid.T) {
	d := drawSleep(t, mc.m)
	time.Sleep(d)
	mc.m.advance(d)
}
