//go:build linux || windows

package poll_test

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// R9: Del from another goroutine while the poller sleeps in the kernel.
// Once Del returns, the event never arrives, even when its descriptor then
// becomes ready; the descriptor can be registered again afterwards.
func TestDelWhilePollerSleeps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Readable(r).Persistent(), "deleted", 0)
		settle(t, c, b) // the poller is now asleep, watching r
		done := make(chan bool)
		go func() { done <- c.Del(id) }()
		if !<-done {
			t.Fatal("Del reported false")
		}
		writeByte(t, w)
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v after Del returned (R9)", evs)
		}
		if c.Del(id) {
			t.Error("a second Del reported true (R2)")
		}
		again := add(t, c, b.Readable(r).Persistent(), "again", 0)
		want(t, next(t, c, "R of the descriptor registered again"), again, evchan.Readable)
	})
}

// R9: Del of events that are pending or being offered, from another
// goroutine, while a consumer takes them: once every Del has returned,
// nothing of them is left to deliver.
func TestDelPending(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		writeByte(t, w) // readable for good: every event fires, level
		const n = 50
		consumed := make(chan int, 1)
		started := make(chan struct{})
		go func() { // the consumer, until the container says stop
			k := 0
			for e := range c.C {
				if e.Data == "stop" {
					break
				}
				if k++; k == 1 {
					close(started)
				}
			}
			consumed <- k
		}()
		var ids []evchan.ID
		for range n {
			ids = append(ids, add(t, c, b.Readable(r).Persistent(), "pending", 0))
		}
		select { // delete while deliveries are being made
		case <-started:
		case <-time.After(hangLimit):
			t.Fatal("no delivery of 50 events on a readable pipe")
		}
		for _, id := range ids {
			if !c.Del(id) {
				t.Errorf("Del of persistent event %d reported false", id)
			}
		}
		if _, err := c.Once("stop"); err != nil {
			t.Fatal(err)
		}
		select {
		case k := <-consumed:
			t.Logf("%d deliveries raced with the Dels", k)
		case <-time.After(hangLimit):
			t.Fatal("the consumer never got the stop event")
		}
		if evs := settle(t, c, b); len(evs) != 0 {
			t.Fatalf("got %v after every Del returned (R9)", evs)
		}
	})
}
