package evchantest

import (
	"context"

	"github.com/evchan/evchan/evchan"
)

// checkLoop: a loop over All delivers a persistent event's firings and
// re-arms it once the loop's body is done (the package evchan
// documentation, "C or a loop"). The body resets a level condition and
// makes it hold again; the source must then report it once for the new
// firing: looking again at Rearm, it reports what holds then, not a
// condition seen before the reset (R3). After the last body resets the
// condition, nothing more is delivered.
func checkLoop(r *rig) {
	id := r.add(r.persistent(), "loop", 0)
	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	defer cancel()
	r.fire(1)
	const deliveries = 3
	n := 0
	var last evchan.Event
	for e := range r.c.AllContext(ctx, evchan.Block) {
		last = e
		r.checkFired(e, id, "loop", 1)
		r.reset()
		if n++; n == deliveries {
			break
		}
		r.fire(1)
	}
	switch {
	case n == deliveries:
	case ctx.Err() != nil:
		r.t.Fatalf("R3: the loop over All waited %v in vain after %d of %d deliveries: the firing that Subject.Fire made in the loop's body never reached the event, which the container re-arms (Watcher.Rearm) only once the body is done; the source must report what happened meanwhile, at the latest then%s", hangLimit, n, deliveries, r.orBatched())
	case n == 0:
		// A Block loop ends only when the container is empty.
		r.t.Fatalf("R1: the loop over All ended with no delivery, as if the container were empty: %s", containerOnly)
	default:
		r.t.Fatalf("R1: the loop over All ended after %d of %d deliveries because the persistent event was gone: %s", n, deliveries, ended(last))
	}
	if extra := r.drain(); len(extra) > 0 {
		if r.s.Level {
			r.t.Fatalf("R3: after the loop, whose body called Subject.Reset before it ended, got %v: the source reported a condition that no longer held when Rearm was called; Watcher.Rearm must look at the condition anew and report it only if it holds then", extra)
		}
		reported := deliveries
		for _, e := range extra {
			reported += e.Count
		}
		r.t.Fatalf("R3: after the loop, which received a delivery for each Subject.Fire call, got %v: %s", extra, r.miscounted(reported, deliveries))
	}
}
