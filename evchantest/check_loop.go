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
	for e := range r.c.AllContext(ctx, evchan.Block) {
		r.checkFired(e, id, "loop", 1)
		r.reset()
		if n++; n == deliveries {
			break
		}
		r.fire(1)
	}
	if n != deliveries {
		r.t.Fatalf("the loop over All ended after %d of %d deliveries (%v): a firing made in the loop's body never reached it (R3)", n, deliveries, ctx.Err())
	}
	if extra := r.drain(); len(extra) > 0 {
		r.t.Fatalf("after the loop, whose body reset the condition before it ended, got %v: the source reported a condition that no longer held when Rearm was called (R3)", extra)
	}
}
