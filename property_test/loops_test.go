package property_test

import (
	"context"
	"time"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// noWaitLoop runs a whole `for e := range c.All(NoWait)` loop whose body
// re-triggers what it took and may add Once events. R13: it takes exactly
// the events pending when it started, in order, and ends even though the
// body keeps making events pending.
func (mc *machine) noWaitLoop(t *rapid.T) {
	m := mc.m
	mode := evchan.NoWait
	if !m.timed() && rapid.Bool().Draw(t, "auto") {
		mode = evchan.Auto // R13: Auto is NoWait while nothing is timed
	}
	retrigger := rapid.Bool().Draw(t, "retrigger")
	addOnce := rapid.Bool().Draw(t, "add once")

	atStart, taken := len(m.queue), 0
	for got := range mc.c.All(mode) {
		if taken == atStart {
			t.Fatalf("%v loop took %v after the %d events pending at its start", mode, describe(got), atStart) // R13
		}
		taken++
		mc.expect(t, mode.String()+" loop", got, true, false)
		if retrigger {
			// R5 for a persistent virtual event; false for a one-shot one,
			// deleted by this delivery (R1), and for a timer.
			if ok, want := mc.c.Trigger(got.ID), m.trigger(got.ID); ok != want {
				t.Fatalf("Trigger(%d) in the loop body = %v, want %v", got.ID, ok, want)
			}
		}
		if addOnce {
			mc.once(t)
		}
	}
	if taken != atStart {
		t.Fatalf("%v loop took %d events, %d were pending at its start", mode, taken, atStart) // R13
	}
}

// autoLoop runs `for e := range c.All(Auto)` with no pause between steps,
// as a program would. Auto chooses again at each step (R13): it blocks while
// a timer or a timeout is certain to fire, and is NoWait once none is left,
// so a loop whose last timer was a one-shot it has just taken ends instead
// of waiting forever. The body stops the loop after a few events, since
// persistent timers would keep it going.
func (mc *machine) autoLoop(t *rapid.T) {
	m := mc.m
	limit, stopAfter, taken := m.seq, rapid.IntRange(1, 6).Draw(t, "stop after"), 0
	// Far past any wait the model can ask for: if the loop blocks where the
	// model says it ends, the context ends it and the clock check fails.
	ctx, cancel := context.WithTimeout(context.Background(), 1000*time.Hour)
	defer cancel()
	before := time.Now()
	for got := range mc.c.AllContext(ctx, evchan.Auto) {
		want, wait, ok := m.autoStep(limit)
		if !ok {
			t.Fatalf("Auto loop took %v, the model says it ends", describe(got)) // R13
		}
		if waited := time.Since(before); waited != wait {
			t.Fatalf("Auto loop step waited %v, the model says %v", waited, wait) // R6, R13
		}
		if got != want {
			t.Fatalf("Auto loop: got %v, want %v", describe(got), describe(want))
		}
		if taken++; taken == stopAfter {
			mc.c.Stop() // R10
		}
		before = time.Now()
	}
	if waited := time.Since(before); waited != 0 {
		t.Fatalf("Auto loop waited %v for nothing before it ended", waited) // R13
	}
	if taken < stopAfter {
		if want, _, ok := m.autoStep(limit); ok {
			t.Fatalf("Auto loop ended after %d events, the model says %v comes next", taken, describe(want)) // R13
		}
	}
}

// stopInLoop calls Stop from a loop's own body: the loop ends before its
// next event, and the events still pending stay pending for later receives
// (R10).
func (mc *machine) stopInLoop(t *rapid.T) {
	if len(mc.m.queue) == 0 {
		t.Skip("a loop with nothing pending would not run its body")
	}
	mode := rapid.SampledFrom([]evchan.Mode{evchan.NoWait, evchan.Block, evchan.Auto}).Draw(t, "mode")
	taken := 0
	for got := range mc.c.All(mode) {
		taken++
		mc.expect(t, mode.String()+" loop", got, true, false)
		mc.c.Stop()
	}
	if taken != 1 {
		t.Fatalf("%v loop took %d events after Stop in its body, want 1", mode, taken) // R10
	}
}

// endBlocked ends a Next(Block) that waits in another goroutine, with
// nothing pending, by Stop (R10), by its context (R13), or by emptying the
// container with Clear (R11) or Del (R9): a loop ends when nothing is left
// that could fire (R13). It must return false at once, with no time passing.
func (mc *machine) endBlocked(t *rapid.T) {
	if len(mc.m.queue) > 0 {
		t.Skip("Next would take a pending event instead of blocking")
	}
	// Emptying the container is made rare, as for the Clear step.
	how := rapid.SampledFrom([]string{"Stop", "cancel", "Stop", "cancel", "Stop", "cancel", "Clear", "Del"}).Draw(t, "end by")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // also frees the goroutine if the check below fails
	type result struct {
		e  evchan.Event
		ok bool
	}
	done := make(chan result, 1)
	go func() {
		e, ok := mc.c.Next(ctx, evchan.Block)
		done <- result{e, ok}
	}()
	mc.check(t) // blocked in Next now, or returned if the container was empty

	switch how {
	case "Stop":
		mc.c.Stop()
	case "cancel":
		cancel()
	case "Clear":
		mc.c.Clear()
		mc.m.clear()
	case "Del":
		for _, id := range mc.m.liveIDs() {
			if !mc.c.Del(id) {
				t.Fatalf("Del(%d) of a live event = false", id) // R9
			}
			mc.m.del(id)
		}
	}
	mc.check(t)
	select {
	case r := <-done:
		if r.ok {
			t.Fatalf("Next(Block) ended by %s returned %v", how, describe(r.e)) // R10, R13
		}
	default:
		t.Fatalf("Next(Block) still waits after %s", how) // R10, R11, R13
	}
}

// aheadLoop runs a loop as a binding does with evchan.Loop: it asks Ahead
// before each Next, or, when its body re-triggers what it took,
// TriggerAhead; its body may add Once events too. Whenever one reports an
// event, the Next that follows takes exactly that event, and every
// delivery is the model's, so neither changes anything (R4, R5, R13). When
// the body re-triggers, the loop may also hand on the event reported
// ahead without calling Next, as the Lua module does: the TriggerAhead
// that follows, with took, makes the step that takes it. A NoWait loop
// runs to its end; a Block loop, until nothing is pending or a few steps
// were taken (it would wait then).
func (mc *machine) aheadLoop(t *rapid.T) {
	m := mc.m
	block := rapid.Bool().Draw(t, "block")
	retrigger := rapid.Bool().Draw(t, "retrigger")
	handOn := retrigger && rapid.Bool().Draw(t, "hand on")
	addOnce := rapid.Bool().Draw(t, "add once")
	mode, steps := evchan.NoWait, -1
	if block {
		mode, steps = evchan.Block, rapid.IntRange(1, 8).Draw(t, "steps")
	}
	l := mc.c.Loop(context.Background(), mode)
	defer l.Close()
	atStart, taken := len(m.queue), 0
	var ahead evchan.Event
	sure, took := l.Ahead(&ahead), false
	for taken != steps {
		if block && len(m.queue) == 0 {
			if sure {
				t.Fatalf("Ahead reported %v with nothing pending", describe(ahead))
			}
			break
		}
		var got evchan.Event
		took = sure && handOn
		if took {
			got = ahead // handed on: TriggerAhead below takes it
		} else if !l.Next(&got) {
			if sure || block {
				t.Fatalf("the %v loop ended (Ahead: %v %v)", mode, sure, describe(ahead))
			}
			break
		} else if sure && got != ahead {
			t.Fatalf("Ahead reported %v, Next took %v", describe(ahead), describe(got))
		}
		if !block && taken == atStart {
			t.Fatalf("NoWait loop took %v after the %d events pending at its start", describe(got), atStart) // R13
		}
		taken++
		mc.expect(t, mode.String()+" Loop", got, true, false)
		if addOnce && !handOn {
			mc.once(t) // no other call between a hand-on and its step
		}
		if retrigger {
			ok, want := false, m.trigger(got.ID)
			ok, sure = l.TriggerAhead(took, got.ID, &ahead)
			if ok != want {
				t.Fatalf("TriggerAhead(%d) in the loop body = %v, want %v", got.ID, ok, want)
			}
			took = false // its step is made
		} else {
			sure = l.Ahead(&ahead)
		}
		if addOnce && handOn {
			mc.once(t)
			sure = l.Ahead(&ahead) // the call may have voided the answer
		}
	}
	if took {
		// The last event handed on is taken: a step of Next would now
		// take it again, as the model does not.
		t.Fatalf("internal: the loop ended with a step owed")
	}
	if !block && taken != atStart {
		t.Fatalf("NoWait loop took %d events, %d were pending at its start", taken, atStart) // R13
	}
}
