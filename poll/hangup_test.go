//go:build linux

package poll_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// CONTRACT.md Event kinds, poll doc "Semantics": a hang-up is delivered as
// readable, without error, and a read then returns end of file: a socket
// pair whose peer closed. The persistent event stays (R1) and, level, fires
// again (R3).
func TestHangupSocketpair(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		id := add(t, c, b.Readable(s).Persistent(), "R", 0)
		closeFd(t, peer)
		want(t, next(t, c, "R after the peer closed"), id, evchan.Readable)
		if n, err := unix.Read(s, make([]byte, 8)); n != 0 || err != nil {
			t.Errorf("read after the hang-up: %d, %v, want end of file", n, err)
		}
		// Level: the end of file stays, so the persistent event fires again.
		want(t, next(t, c, "R again: the hang-up holds"), id, evchan.Readable)
		if !c.Del(id) {
			t.Error("Del reported false: a hang-up does not end the event")
		}
	})
}

// CONTRACT.md Event kinds: a pipe whose writer closed fires r, the read returns
// end of file.
func TestHangupPipe(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Readable(r), "r", 0)
		closeFd(t, w)
		want(t, next(t, c, "r after the writer closed"), id, evchan.Readable)
		if n, err := unix.Read(r, make([]byte, 8)); n != 0 || err != nil {
			t.Errorf("read after the hang-up: %d, %v, want end of file", n, err)
		}
	})
}

// Poll doc: an error condition is delivered with Event.Err set, and a
// persistent event stays (R1): W on a pipe whose reader closed; a write
// then fails with EPIPE.
func TestErrorBrokenPipe(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		id := add(t, c, b.Writable(w).Persistent(), "W", 0)
		closeFd(t, r)
		var e evchan.Event
		for e.Err == nil { // a W may have fired before the close
			e = next(t, c, "W with an error after the reader closed")
			if e.ID != id || e.Reason != evchan.Writable {
				t.Fatalf("got %v, want W", e)
			}
		}
		t.Logf("Err: %v", e.Err)
		if _, err := unix.Write(w, []byte{1}); err != unix.EPIPE {
			t.Errorf("write after the error: %v, want EPIPE", err)
		}
		if !c.Del(id) {
			t.Error("Del reported false: an error condition does not end the event (doc)")
		}
	})
}

// CONTRACT.md Event kinds, poll doc: a TCP reset (the peer closes with SO_LINGER
// 0) is an error condition: r fires, and ECONNRESET reaches the user, in
// Event.Err or from the read, never lost.
func TestErrorConnectionReset(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		client, server := tcpPair(t)
		id := add(t, c, b.Readable(server), "r", 0)
		if err := client.SetLinger(0); err != nil {
			t.Fatal(err)
		}
		client.Close()
		e := next(t, c, "r after the peer reset the connection")
		if e.ID != id || e.Reason != evchan.Readable {
			t.Fatalf("got %v, want r", e)
		}
		deadline(t, server)
		_, rerr := server.Read(make([]byte, 8))
		t.Logf("Event.Err: %v; Read: %v", e.Err, rerr)
		if !errors.Is(e.Err, syscall.ECONNRESET) && !errors.Is(rerr, syscall.ECONNRESET) {
			t.Errorf("Event.Err %v and Read error %v: the reset was lost", e.Err, rerr)
		}
	})
}

// R14, and a registration steals nothing (doc): two containers watching the
// same socket both see the reset as an error condition (Event.Err set),
// and the user's own read still returns ECONNRESET.
func TestErrorConnectionResetTwoContainers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c1, c2 := newContainer(t), newContainer(t)
		client, server := tcpPair(t)
		id1 := add(t, c1, b.Readable(server), "c1", 0)
		id2 := add(t, c2, b.Readable(server), "c2", 0)
		if err := client.SetLinger(0); err != nil {
			t.Fatal(err)
		}
		client.Close()
		e1 := next(t, c1, "r in the first container after the reset")
		e2 := next(t, c2, "r in the second container after the reset")
		if e1.ID != id1 || e2.ID != id2 || e1.Reason != evchan.Readable || e2.Reason != evchan.Readable {
			t.Fatalf("got %v and %v, want r of each container", e1, e2)
		}
		deadline(t, server)
		_, rerr := server.Read(make([]byte, 8))
		for _, e := range []evchan.Event{e1, e2} {
			if e.Err == nil {
				t.Errorf("got %v (context %v) without Err: each container should see the error condition (R14, doc)", e, e.Data)
			}
		}
		if !errors.Is(rerr, syscall.ECONNRESET) {
			t.Errorf("Read after the reset: %v, want ECONNRESET: the pollers took the socket's pending error (SO_ERROR) from the user (doc: a registration never reads)", rerr)
		}
	})
}
