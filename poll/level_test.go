//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// Level semantics: a persistent R whose pipe holds 5 bytes, read one byte
// per delivery, is delivered 5 times, then not again (R1, R3, doc
// "Semantics").
func TestLevelPersistentReadOneBytePerDelivery(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Readable(r).Persistent(), "R", 0)
		for range 5 {
			writeByte(t, w)
		}
		for i := range 5 {
			want(t, next(t, c, "a delivery of R while the pipe holds data"), id, evchan.Readable)
			if n := readNB(t, r, 1); n != 1 {
				t.Fatalf("delivery %d: read got %d bytes, want 1", i+1, n)
			}
		}
		// The poller may have looked again between the fifth delivery and
		// the fifth read: readiness is a hint (doc "Semantics"). Then one
		// more delivery comes, and a read finds nothing. Never more.
		extra := of(settle(t, c, b), id)
		if len(extra) > 1 {
			t.Fatalf("after the pipe was emptied, got %v: want at most one late delivery", extra)
		}
		for _, e := range extra {
			want(t, e, id, evchan.Readable)
			if n := readNB(t, r, 1); n != 0 {
				t.Fatalf("read after the late delivery got %d bytes, want none", n)
			}
		}
		if !c.Del(id) {
			t.Error("Del of the persistent event reported false, want true (R1)")
		}
	})
}
