//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// CONTRACT.md Event kinds: w on a socket with room in its buffer fires at once;
// a persistent W fires again after each delivery, level (R3).
func TestWritableFires(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, _ := socketpair(t)
		id := add(t, c, b.Writable(s), "w", 0)
		want(t, next(t, c, "w on an empty socket"), id, evchan.Writable)
		id = add(t, c, b.Writable(s).Persistent(), "W", 0)
		for range 3 { // level: it stays writable, so it fires after each delivery
			want(t, next(t, c, "W on an empty socket"), id, evchan.Writable)
		}
		if !c.Del(id) {
			t.Error("Del of W reported false")
		}
	})
}

// CONTRACT.md Event kinds, R3: a W on a socket whose send buffer is full does not
// fire until the peer reads: readiness, not a timer.
func TestWritableWaitsForRoom(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		if n := fill(t, s); n == 0 {
			t.Fatal("the socket took no data")
		}
		id := add(t, c, b.Writable(s).Persistent(), "W", 0)
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v on a socket with a full buffer", evs)
		}
		readAll(t, peer)
		want(t, next(t, c, "W once the peer read"), id, evchan.Writable)
		if n := fill(t, s); n == 0 {
			t.Error("W fired but the socket took no data")
		}
		// Full again: the W that may be pending from before the fill is
		// the last one.
		if evs := of(settle(t, c, b), id); len(evs) > 1 {
			t.Fatalf("got %v on a socket filled again, want at most one late delivery", evs)
		}
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v on a socket filled again", evs)
		}
	})
}
