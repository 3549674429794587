//go:build linux

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

// A one-shot r is deleted at the moment it is delivered (R1), and its
// descriptor unregistered: the data left unread fires it no more, and the
// epoll set no longer holds the descriptor (R9's release, at delivery).
func TestLevelOneShotDeletedAndUnregistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		before := epollFds(t)
		id := add(t, c, b.Readable(r), "r", 0)
		ep := newEpoll(t, before)
		if b == poll.Default && !epollWatches(t, ep, r) {
			t.Fatalf("the container's epoll set does not hold descriptor %d after Add", r)
		}
		writeByte(t, w)
		writeByte(t, w)
		want(t, next(t, c, "the delivery of r"), id, evchan.Readable)
		if c.Del(id) || c.Set(id, "x") {
			t.Error("Del or Set of a delivered one-shot event reported true, want false (R1, R2)")
		}
		if n := c.Len(); n != 0 {
			t.Errorf("Len = %d after the one-shot event was delivered, want 0 (R1)", n)
		}
		// The pipe is still readable: a registration left behind would fire.
		if evs := of(settle(t, c, b), id); len(evs) > 0 {
			t.Fatalf("after delivery of the one-shot event, got %v (R1)", evs)
		}
		if b == poll.Default && epollWatches(t, ep, r) {
			t.Errorf("the container's epoll set still holds descriptor %d after its one-shot event was delivered", r)
		}
		// The descriptor can be registered again, and is still readable.
		id2 := add(t, c, b.Readable(r), "r again", 0)
		want(t, next(t, c, "the delivery of r added again"), id2, evchan.Readable)
		if n := readAll(t, r); n != 2 {
			t.Errorf("read %d bytes, want the 2 written: registration reads nothing", n)
		}
	})
}
