//go:build linux

package poll_test

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"go.uber.org/goleak"
)

// R12: 1,000 containers made, given a few descriptor events, and closed,
// leave no goroutine and no descriptor behind: Close ends each poller and
// closes its kernel objects (epoll set and eventfd, or poll(2)'s wake-up
// pipe).
func TestCyclesLeaveNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		r, w := osPipe(t)
		s0, s1 := socketpair(t)
		cycle := func(i int) {
			c := evchan.New()
			defer func() {
				if err := c.Close(); err != nil {
					t.Fatalf("cycle %d: Close: %v", i, err)
				}
			}()
			add(t, c, b.Readable(r).Persistent(), "R", time.Hour)
			add(t, c, b.Writable(w), "w", 0)
			add(t, c, b.Readable(s0), "r", 0)
			add(t, c, b.Exception(s1).Persistent(), "X", 0)
			if i%2 == 0 { // half of them deliver before closing
				e := next(t, c, "w on an empty pipe")
				if e.Reason != evchan.Writable {
					t.Fatalf("cycle %d: got %v, want w", i, e)
				}
			}
		}
		cycle(-1) // anything made once per process, made now
		fds := openFiles(t)
		for i := range 1000 {
			cycle(i)
		}
		goleak.VerifyNone(t)
		if after := openFiles(t); after != fds {
			t.Errorf("%d descriptors open after 1,000 containers, %d before", after, fds)
		}
	})
}
