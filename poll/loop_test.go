//go:build linux || windows

package poll_test

import (
	"context"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// A loop over All re-arms the event it delivered only once its body is done,
// so a persistent R whose body reads what it announced is never delivered
// again for data already read: in a ring of pipes where each body reads one
// byte and writes one to the next pipe (libevent's chain), every read finds
// its byte, on every backend (R3, doc "Semantics").
func TestAllChainHasNoSpuriousWakeUps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		const pipes, hops = 8, 400
		c := newContainer(t)
		r, w := make([]int, pipes), make([]int, pipes)
		for i := range pipes {
			r[i], w[i] = rawPipe(t)
			add(t, c, b.Readable(r[i]).Persistent(), i, 0)
		}
		ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
		defer cancel()
		writeByte(t, w[0])
		done := 0
		for e := range c.AllContext(ctx, evchan.Block) {
			i := e.Data.(int)
			if e.Reason != evchan.Readable || e.Err != nil {
				t.Fatalf("hop %d: got %v", done, e)
			}
			if n := readNB(t, r[i], 1); n != 1 {
				t.Fatalf("hop %d: pipe %d delivered readable, but its read found %d bytes", done, i, n)
			}
			done++
			if done == hops {
				break
			}
			writeByte(t, w[(i+1)%pipes])
		}
		if done != hops {
			t.Fatalf("the loop ended after %d of %d hops: %v", done, hops, ctx.Err())
		}
	})
}
