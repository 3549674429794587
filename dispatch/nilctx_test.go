package dispatch_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// R13, R15: a nil context.Context is taken as context.Background() by every
// strategy, as it is by the container's own loops, never a panic. With
// nothing to cancel it, the dispatcher ends as a loop does otherwise: a
// handler's Stop ends it (leaving the events in the container), an empty
// container ends it at once, and either way it returns nil.
func TestNilContext(t *testing.T) {
	var nilCtx context.Context // a variable, so that no linter rewrites the nil away
	t.Run("Stop", func(t *testing.T) {
		each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
			add(t, c, evchan.Virtual(false).Persistent(), "never fires")
			var ran atomic.Int32
			add(t, c, evchan.Virtual(true).Persistent(), func(evchan.Event) {
				ran.Add(1)
				c.Stop()
			})
			if err := returned(t, runGuarded(s, nilCtx, c)); err != nil {
				t.Errorf("%s(nil ctx) returned %v, want nil", s.name, err)
			}
			if ran.Load() != 1 {
				t.Errorf("the handler ran %d times, want 1", ran.Load())
			}
			if c.Len() != 2 {
				t.Errorf("%d events left, want 2: Stop deletes nothing (R10)", c.Len())
			}
		})
	})
	t.Run("Empty", func(t *testing.T) {
		each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
			var ran atomic.Int32
			add(t, c, evchan.Timer(time.Second), func(evchan.Event) { ran.Add(1) })
			if err := returned(t, runGuarded(s, nilCtx, c)); err != nil {
				t.Errorf("%s(nil ctx) returned %v, want nil", s.name, err)
			}
			if ran.Load() != 1 {
				t.Errorf("the handler ran %d times, want 1", ran.Load())
			}
		})
	})
}

// runGuarded runs the strategy on its own goroutine and returns the channel
// its result comes on; a panic comes on it as an error, so that it fails the
// test that caused it instead of ending the test binary.
func runGuarded(s strategy, ctx context.Context, c *evchan.Container) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panicked: %v", r)
			}
		}()
		done <- s.run(ctx, c)
	}()
	return done
}
