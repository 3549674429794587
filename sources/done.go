package sources

import (
	"context"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// Done returns the Spec of a one-shot event that fires when ctx ends
// (cancelled, or past its deadline): the way to wait for a context in the
// same loop as everything else. Its event has reason evchan.Triggered,
// Event.Value is context.Cause(ctx), and Event.Source is ctx.
//
// A context ends only once, so Done(ctx).Persistent() fires once too: its
// event is delivered when ctx ends and then stays in the container, idle,
// until Del, Clear or Close. Give it a timeout and it is delivered with
// reason evchan.Timeout each time the timeout passes (R7).
//
// The registration is a context.AfterFunc, so an event waiting for a
// context of the context package costs no goroutine; Del stops it (R9). A
// nil ctx makes Add fail with an error wrapping evchan.ErrInvalid.
func Done(ctx context.Context) evchan.Spec {
	spec := evchan.Custom(doneSource{ctx}).WithSource(ctx)
	if ctx == nil {
		return spec.WithErr(errs.New("sources: Done was given a nil context", evchan.ErrInvalid))
	}
	return spec
}

// doneSource watches one context for Done.
type doneSource struct{ ctx context.Context }

func (d doneSource) Watch(h evchan.Handle) (evchan.Watcher, error) {
	stop := context.AfterFunc(d.ctx, func() {
		h.Fire(evchan.Triggered, context.Cause(d.ctx))
	})
	// The bool stop returns does not matter: a Fire that raced with Stop is
	// dropped by the container, which deleted the event before stopping it.
	return evchan.StopFunc(func() { stop() }), nil
}
