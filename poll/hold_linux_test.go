package poll_test

import (
	"context"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// A held event whose descriptor stays ready, here hung up (reported even
// when not asked for), does not keep the poller spinning while the loop
// waits for the container's other descriptors: the poller mutes it, and the
// process burns next to no processor time meanwhile. Once released, it is
// delivered again.
func TestHeldHangUpDoesNotSpin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		ra, wa := rawPipe(t)
		rb, wb := rawPipe(t)
		a := add(t, c, b.Readable(ra).Persistent(), "a", 0)
		bID := add(t, c, b.Readable(rb).Persistent(), "b", 0)
		writeByte(t, wa)
		unix.Close(wa) // a hangs up: ready for good
		ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
		defer cancel()
		const quiet = 300 * time.Millisecond
		var release func()
		var cpu time.Duration
		phase := 0
		for e := range c.AllContext(ctx, evchan.Block) {
			switch {
			case phase == 0 && e.ID == a:
				release = c.Hold(a)
				before := cpuTime(t)
				time.AfterFunc(quiet, func() {
					cpu = cpuTime(t) - before
					writeByte(t, wb)
				})
				phase = 1
			case phase == 1 && e.ID == bID:
				readNB(t, rb, 1)
				release()
				phase = 2
			case phase == 2 && e.ID == a:
				phase = 3
			default:
				t.Fatalf("phase %d: unexpected %v", phase, e)
			}
			if phase == 3 {
				break
			}
		}
		if phase != 3 {
			t.Fatalf("stalled in phase %d: %v", phase, ctx.Err())
		}
		if cpu > quiet/4 {
			t.Errorf("%v of processor time in %v while a hung-up descriptor was held: a spin", cpu, quiet)
		}
	})
}
