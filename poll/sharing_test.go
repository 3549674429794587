//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// R14: the same descriptor added to two containers: each has its own
// poller and sees its own events.
func TestSharedTwoContainers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c1, c2 := newContainer(t), newContainer(t)
		r, w := rawPipe(t)
		id1 := add(t, c1, b.Readable(r).Persistent(), "c1", 0)
		id2 := add(t, c2, b.Readable(r), "c2", 0)
		writeByte(t, w)
		want(t, next(t, c1, "R in the first container"), id1, evchan.Readable)
		want(t, next(t, c2, "r in the second container"), id2, evchan.Readable)
		// Deleting in one container leaves the other's registration.
		if !c1.Del(id1) {
			t.Fatal("Del in the first container reported false")
		}
		id2 = add(t, c2, b.Readable(r).Persistent(), "c2 again", 0)
		want(t, next(t, c2, "R in the second container after Del in the first"), id2, evchan.Readable)
		readAll(t, r)
		if evs := settle(t, c1, b); len(evs) != 0 {
			t.Errorf("the first container got %v after Del (R9)", evs)
		}
	})
}

// R14: several events on one descriptor in one container, two R and a W
// on one end of a socket pair. Each fires for its own condition (R1 for
// the one-shots), and deleting one leaves the others watching (R9).
func TestSharedOneContainer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		ra := add(t, c, b.Readable(s).Persistent(), "R a", 0)
		rb := add(t, c, b.Readable(s), "r b", 0)
		wr := add(t, c, b.Writable(s), "w", 0)
		e := next(t, c, "w: the socket has room")
		want(t, e, wr, evchan.Writable)
		if evs := of(settle(t, c, b), ra, rb); len(evs) != 0 {
			t.Fatalf("got %v with nothing to read", evs)
		}
		writeByte(t, peer)
		got := map[evchan.ID]int{}
		for range 2 {
			e := next(t, c, "both readable events")
			if e.ID != ra && e.ID != rb || e.Reason != evchan.Readable {
				t.Fatalf("got %v, want R a or r b", e)
			}
			got[e.ID]++
		}
		if got[ra] != 1 || got[rb] != 1 {
			t.Fatalf("deliveries %v, want one of each readable event", got)
		}
		readAll(t, s)
		// r b is gone (R1); R a stays. Delete R a, add W: the descriptor's
		// registration narrows and widens without losing anyone.
		if !c.Del(ra) {
			t.Fatal("Del of R a reported false")
		}
		rc := add(t, c, b.Readable(s), "r c", 0)
		ww := add(t, c, b.Writable(s).Persistent(), "W", 0)
		want(t, next(t, c, "W"), ww, evchan.Writable)
		if !c.Del(ww) {
			t.Fatal("Del of W reported false")
		}
		if evs := settle(t, c, b); len(evs) != 0 {
			t.Errorf("got %v with nothing to read and W deleted (R9)", evs)
		}
		writeByte(t, peer)
		e, before := until(t, c, rc, "r c")
		want(t, e, rc, evchan.Readable)
		if evs := append(before, settle(t, c, b)...); len(evs) != 0 {
			t.Errorf("got %v: only r c should fire", evs)
		}
	})
}

// R14, R12: one container with events of both backends on one descriptor:
// each backend has its own poller, both fire, and Close ends both.
func TestSharedBothBackends(t *testing.T) {
	c := newContainer(t)
	r, w := rawPipe(t)
	ids := map[evchan.ID]bool{
		add(t, c, poll.Default.Readable(r), "epoll", 0): true,
		add(t, c, poll.Portable.Readable(r), "poll", 0): true,
	}
	writeByte(t, w)
	for range 2 {
		e := next(t, c, "r of each backend")
		if !ids[e.ID] || e.Reason != evchan.Readable {
			t.Fatalf("got %v, want one of %v", e, ids)
		}
		delete(ids, e.ID)
	}
}
