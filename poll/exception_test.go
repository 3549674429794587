//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// CONTRACT.md Event kinds: X fires with reason Exception when TCP urgent data
// arrives, and not for ordinary data; reading the urgent byte ends the
// condition (R3: level, no more deliveries). A one-shot x is deleted at
// delivery (R1).
func TestExceptionOutOfBand(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		client, server := tcpPair(t)
		id := add(t, c, b.Exception(server).Persistent(), "X", 0)

		if _, err := client.Write([]byte("ordinary")); err != nil {
			t.Fatal(err)
		}
		readable := add(t, c, b.Readable(server), "r", 0)
		e, before := until(t, c, readable, "r after ordinary data")
		want(t, e, readable, evchan.Readable)
		if evs := append(of(before, id), of(settle(t, c, b), id)...); len(evs) != 0 {
			t.Fatalf("got %v for ordinary data, want no exception", evs)
		}

		control(t, client, func(fd int) { sendOOB(t, fd, '!') })
		e = next(t, c, "X after urgent data")
		want(t, e, id, evchan.Exception)
		if e.Source != any(server) {
			t.Errorf("Event.Source is %v, want the conn", e.Source)
		}

		// Read the urgent byte; the condition ends. One late delivery may
		// come from a poll made before the read.
		var got byte
		control(t, server, func(fd int) { got = recvOOB(t, fd) })
		if got != '!' {
			t.Errorf("urgent byte %q, want '!'", got)
		}
		if evs := of(settle(t, c, b), id); len(evs) > 1 {
			t.Fatalf("got %v after the urgent byte was read, want at most one late delivery", evs)
		}
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v after the urgent byte was read", evs)
		}

		// A one-shot x, the same way.
		x := add(t, c, b.Exception(server), "x", 0)
		control(t, client, func(fd int) { sendOOB(t, fd, '?') })
		e, _ = until(t, c, x, "x after urgent data")
		want(t, e, x, evchan.Exception)
		if c.Del(x) {
			t.Error("Del of a delivered x reported true (R1)")
		}
	})
}
