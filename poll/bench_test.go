//go:build linux

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// BenchmarkTriggerWakesAWaitingConsumer is a goroutine triggering a virtual
// event that a consumer waits for in a container that also watches a
// descriptor (a pipe that never becomes readable), then waiting for the
// consumer's go-ahead: what a Trigger from afar costs a consumer waiting
// beside package poll. "All": a loop over All, which waits in the kernel
// itself (evchan.Waiter), so the Trigger costs a write to the poller's
// wake-up descriptor and the kernel's wake-up of the loop. "C": a receive
// from C, which the Trigger hands the event to itself. Compare with
// evchan's BenchmarkBaselineRelayFromAnotherGoroutine.
func BenchmarkTriggerWakesAWaitingConsumer(b *testing.B) {
	for _, how := range []string{"All", "C"} {
		b.Run(how, func(b *testing.B) {
			c := evchan.New()
			defer c.Close()
			r, _ := osPipe(b)
			if _, err := c.Add(poll.Readable(r).Persistent(), nil, 0); err != nil {
				b.Fatal(err)
			}
			id, err := c.Add(evchan.Virtual(false).Persistent(), nil, 0)
			if err != nil {
				b.Fatal(err)
			}
			ack, done := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				for range ack {
					c.Trigger(id)
				}
			}()
			defer func() { close(ack); <-done }()
			b.ReportAllocs()
			b.ResetTimer()
			if how == "C" {
				for i := 0; i < b.N; i++ {
					ack <- struct{}{}
					if e := <-c.C; e.ID != id {
						b.Fatalf("got %v", e)
					}
				}
				return
			}
			n := 0
			ack <- struct{}{}
			for e := range c.All(evchan.Block) {
				if e.ID != id {
					b.Fatalf("got %v", e)
				}
				if n++; n == b.N {
					break
				}
				ack <- struct{}{}
			}
		})
	}
}
