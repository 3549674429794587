//go:build linux || windows

package poll_test

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// R7: a persistent R with a timeout on an idle pipe is delivered with
// reason Timeout, again and again, its clock restarted at each delivery;
// once data arrives it is delivered as Readable.
func TestTimeoutOnDescriptor(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		const d = 50 * time.Millisecond
		last := time.Now()
		id := add(t, c, b.Readable(r).Persistent(), "R with a timeout", d)
		for i := range 3 {
			e := next(t, c, "a timeout of R on an idle pipe")
			want(t, e, id, evchan.Timeout)
			// Never before the deadline: the clock restarts at Add and at
			// each delivery (R7), and the monotonic clock never runs fast.
			if since := time.Since(last); since < d {
				t.Errorf("timeout %d came %v after the previous delivery, want at least %v (R7)", i+1, since, d)
			}
			last = time.Now()
		}
		writeByte(t, w)
		// A timeout may have fallen due just before the write and be
		// taken first; the readable delivery follows it.
		var e evchan.Event
		for timeouts := 0; ; timeouts++ {
			e = next(t, c, "R after data arrived")
			if e.Reason != evchan.Timeout {
				break
			}
			if timeouts > 0 {
				t.Fatalf("two timeouts after the write, want Readable (R7)")
			}
		}
		want(t, e, id, evchan.Readable)
		readAll(t, r)
		if !c.Del(id) {
			t.Error("Del reported false")
		}
	})
}

// R7, R1: a one-shot r delivered by its timeout is deleted and its
// descriptor released; data that comes later fires nothing.
func TestTimeoutOneShot(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Readable(r), "r with a timeout", 20*time.Millisecond)
		want(t, next(t, c, "the timeout of r"), id, evchan.Timeout)
		if c.Del(id) {
			t.Error("Del of a one-shot event delivered by timeout reported true (R1)")
		}
		writeByte(t, w)
		if evs := settle(t, c, b); len(evs) != 0 {
			t.Fatalf("got %v after the one-shot event timed out (R1)", evs)
		}
	})
}
