package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// 200 socket pairs in one container, more than the 64 handles that
// WaitForMultipleObjects and FD_SETSIZE stop at: each end has a persistent
// R. A byte written to every other pair fires exactly those events (R3,
// R4: nothing else, none lost); then W on all of them fires each once.
func TestScaleManySockets(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		const pairs = 200
		c := newContainer(t)
		socks := make([][2]int, pairs)
		ids := make(map[evchan.ID]int, pairs)
		for i := range socks {
			s, peer := socketpair(t)
			socks[i] = [2]int{s, peer}
			ids[add(t, c, b.Readable(s).Persistent(), i, 0)] = i
		}
		for i := 0; i < pairs; i += 2 {
			writeByte(t, socks[i][1])
		}
		seen := map[int]bool{}
		check := func(e evchan.Event) {
			t.Helper()
			i, ok := ids[e.ID]
			if !ok || i%2 != 0 || e.Reason != evchan.Readable || e.Err != nil {
				t.Fatalf("got %v (pair %v), not one of the pairs written to", e, e.Data)
			}
			n := readNB(t, socks[i][0], 8)
			switch {
			case n == 1 && !seen[i]:
				seen[i] = true
			case n == 0 && seen[i]:
				// late: the poller looked before the read (doc)
			default:
				t.Fatalf("%v: read %d bytes, seen before: %v", e, n, seen[i])
			}
		}
		for len(seen) < pairs/2 {
			check(next(t, c, "the events of the pairs written to"))
		}
		for _, e := range settle(t, c, b) {
			check(e)
		}
		writable := map[evchan.ID]bool{}
		for _, p := range socks {
			writable[add(t, c, b.Writable(p[1]), "w", 0)] = true
		}
		for len(writable) > 0 {
			e := next(t, c, "w of every peer")
			if !writable[e.ID] || e.Reason != evchan.Writable {
				t.Fatalf("got %v, want one of the %d w left", e, len(writable))
			}
			delete(writable, e.ID)
		}
	})
}
