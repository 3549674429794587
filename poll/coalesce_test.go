//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// R3: data written many times while a persistent R is pending makes one
// delivery, not one per write; the consumer reads it all at once.
func TestCoalescingPersistentReadable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Readable(r).Persistent(), "R", 0)
		const writes = 100
		// The first write makes R pending; the poller then waits for it to
		// be taken, so the other writes can only coalesce into it.
		for range writes {
			writeByte(t, w)
		}
		e := next(t, c, "the delivery of R")
		want(t, e, id, evchan.Readable)
		if n := readAll(t, r); n != writes {
			t.Fatalf("read %d bytes after one delivery, want all %d", n, writes)
		}
		// Readiness may be reported once more if the poller looked again
		// between the delivery and the read (doc); never once per write.
		extra := of(settle(t, c, b), id)
		if len(extra) > 1 {
			t.Fatalf("after reading everything, got %v: want at most one late delivery (R3)", extra)
		}
	})
}
