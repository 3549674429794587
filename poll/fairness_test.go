//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// probeBound is how many deliveries may pass, at most, between a
// descriptor becoming ready and its event becoming pending while the
// poller has at most 64 events reported and not yet taken: the container
// has its poller look every 64 deliveries (evchan.Prober). With W more,
// it looks once every W deliveries (R4).
const probeBound = 64

// R4: a persistent virtual event triggered again at each of its own
// deliveries is always pending, and the container's goroutines and lock
// are kept busy with it; ready descriptors still become pending within
// probeBound deliveries, and are delivered right after, whether the
// events are taken by a loop over All or from C. Counted in deliveries,
// not time.
func TestR4ReadyDescriptorsBeatABusyVirtualEvent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		for _, how := range []string{"All", "C"} {
			t.Run(how, func(t *testing.T) {
				c := newContainer(t)
				r1, w1 := rawPipe(t)
				r2, w2 := rawPipe(t)
				pipes := map[evchan.ID]int{
					add(t, c, b.Readable(r1).Persistent(), "r1", 0): r1,
					add(t, c, b.Readable(r2).Persistent(), "r2", 0): r2,
				}
				settle(t, c, b) // the poller has looked at both, idle
				busy := add(t, c, evchan.Virtual(true).Persistent(), "busy", 0)
				deliveries := 0
				seen := map[evchan.ID]int{}
				step := func(e evchan.Event) bool {
					deliveries++
					if deliveries == 1 {
						writeByte(t, w1) // ready from the first delivery on
						writeByte(t, w2)
					}
					switch fd, ok := pipes[e.ID]; {
					case e.ID == busy:
						c.Trigger(busy)
					case ok:
						readAll(t, fd)
						seen[e.ID] = deliveries
					}
					return len(seen) < len(pipes) && deliveries < 100_000
				}
				if how == "All" {
					for e := range c.All(evchan.Block) {
						if !step(e) {
							break
						}
					}
				} else {
					for step(next(t, c, "the busy event or a pipe")) {
					}
				}
				for id, at := range seen {
					if at > 1+probeBound+len(pipes) {
						t.Errorf("%v delivered at delivery %d, want within %d of the write", id, at, probeBound+len(pipes))
					}
				}
				if len(seen) != len(pipes) {
					t.Fatalf("after %d deliveries only %d of %d pipes were delivered", deliveries, len(seen), len(pipes))
				}
			})
		}
	})
}

// R4, R3: more ready descriptors than the kernel hands out in one poll
// (epoll's batch is 256), behind a thousand events that are always
// pending (each delivery of one re-triggers it, to the back of the
// queue): every descriptor event is pending within max(probeBound, W)
// deliveries (W the poller's events reported and not yet taken, at most
// n), so all are delivered within about one pass of the queue, not a batch
// per pass.
func TestR4ManyReadyDescriptorsBehindBusyEvents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		const n, busyEvents = 600, 1000
		c := newContainer(t)
		busy := map[evchan.ID]bool{}
		for range busyEvents {
			busy[add(t, c, evchan.Virtual(true).Persistent(), "busy", 0)] = true
		}
		ids := map[evchan.ID]bool{}
		for range n / 2 {
			s, peer := socketpair(t)
			writeByte(t, peer) // readable, and stays so until delivered
			writeByte(t, s)
			ids[add(t, c, b.Readable(s), "s", 0)] = true
			ids[add(t, c, b.Readable(peer), "peer", 0)] = true
		}
		deliveries, last := 0, 0
		for e := range c.All(evchan.Block) {
			deliveries++
			if busy[e.ID] {
				c.Trigger(e.ID)
			} else if ids[e.ID] {
				delete(ids, e.ID)
				last = deliveries
			}
			if len(ids) == 0 || deliveries > 100*n {
				break
			}
		}
		if len(ids) != 0 {
			t.Fatalf("%d of %d descriptor events not delivered in %d deliveries", len(ids), n, deliveries)
		}
		// Every one pending within max(probeBound, W) deliveries, W the
		// poller's events reported and not yet taken (at most n: a look
		// comes once every W deliveries while W > 64, R4), then FIFO.
		if want := max(probeBound, n) + busyEvents + n; last > want {
			t.Errorf("the last descriptor event came at delivery %d, want within %d", last, want)
		}
	})
}
