//go:build linux || windows

package poll_test

import (
	"context"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// An event a loop holds (Container.Hold) stops counting as reported and not
// taken: the poller goes on polling the container's other descriptors, so a
// held connection does not stall the others (package dispatch holds every
// event it hands to a handler). The held descriptor, still readable, is not
// delivered again before its release, and is after it (level-triggered).
func TestHeldEventDoesNotStallOthers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		ra, wa := rawPipe(t)
		rb, wb := rawPipe(t)
		a := add(t, c, b.Readable(ra).Persistent(), "a", 0)
		bID := add(t, c, b.Readable(rb).Persistent(), "b", 0)
		writeByte(t, wa)
		ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
		defer cancel()
		var release func()
		written := make(chan struct{})
		phase := 0 // 0: a first; 1: a held, b expected; 2: released, a expected
		for e := range c.AllContext(ctx, evchan.Block) {
			switch {
			case phase == 0 && e.ID == a:
				release = c.Hold(a) // not released while b is awaited
				go func() {
					defer close(written)
					writeByte(t, wb) // from another goroutine, once a is held
				}()
				phase = 1
			case phase == 1 && e.ID == bID:
				<-written
				if n := readNB(t, rb, 1); n != 1 {
					t.Fatalf("b delivered readable, but its read found %d bytes", n)
				}
				release() // a is still readable: delivered again
				phase = 2
			case phase == 2 && e.ID == a:
				if n := readNB(t, ra, 1); n != 1 {
					t.Fatalf("a delivered readable, but its read found %d bytes", n)
				}
				phase = 3
			default:
				t.Fatalf("phase %d: unexpected %v", phase, e)
			}
			if phase == 3 {
				break
			}
		}
		if phase != 3 {
			t.Fatalf("stalled in phase %d (1: b not delivered while a was held): %v", phase, ctx.Err())
		}
	})
}
