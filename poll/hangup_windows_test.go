package poll_test

import (
	"errors"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/windows"
)

// CONTRACT.md Event kinds, poll doc "Semantics": a hang-up is delivered as
// readable, without error, and a read then returns end of file: a socket
// whose peer closed. The persistent event stays (R1) and, level, fires
// again (R3); a W on it fires too (a write then fails or is lost).
func TestHangupSocket(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		id := add(t, c, b.Readable(s).Persistent(), "R", 0)
		closeFd(t, peer)
		want(t, next(t, c, "R after the peer closed"), id, evchan.Readable)
		if n, err := recv(s, make([]byte, 8), 0); n != 0 || err != nil {
			t.Errorf("recv after the hang-up: %d, %v, want end of file", n, err)
		}
		want(t, next(t, c, "R again: the hang-up holds"), id, evchan.Readable)
		if !c.Del(id) {
			t.Error("Del reported false: a hang-up does not end the event")
		}
		w := add(t, c, b.Writable(s), "w", 0)
		if e := next(t, c, "w after the peer closed"); e.ID != w || e.Reason != evchan.Writable {
			t.Errorf("got %v, want w", e)
		}
	})
}

// CONTRACT.md Event kinds, poll doc: a TCP reset (the peer closes with SO_LINGER
// 0) fires r, and WSAECONNRESET reaches the user, in Event.Err or from the
// read, never lost.
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
		if !errors.Is(e.Err, poll.ErrCondition) && !errors.Is(rerr, windows.WSAECONNRESET) {
			t.Errorf("Event.Err %v and Read error %v: the reset was lost", e.Err, rerr)
		}
	})
}
