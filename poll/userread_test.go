//go:build linux || windows

package poll_test

import (
	"io"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// CONTRACT.md Event kinds, poll doc: the user reads with their own conn.Read as
// usual; a registration only watches, it never reads. Each delivery of a
// persistent R on a net.Conn is followed by conn.Read, which gets exactly
// what was written; R3: a late delivery at most, never one per write.
func TestUserReadsConn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		client, server := tcpPair(t)
		id := add(t, c, b.Readable(server).Persistent(), server, 0)
		for _, msg := range []string{"hello", "evchan", "!", "a longer message, still one write"} {
			if _, err := client.Write([]byte(msg)); err != nil {
				t.Fatal(err)
			}
			// A delivery announcing the previous message may come late
			// (the poller looked before the last read, doc); the data of
			// this one is there whichever delivery is taken.
			e := next(t, c, "R of the server side")
			want(t, e, id, evchan.Readable)
			conn := e.Data.(interface {
				io.Reader
				SetReadDeadline(tm time.Time) error
			})
			deadline(t, conn)
			buf := make([]byte, len(msg))
			if _, err := io.ReadFull(conn, buf); err != nil {
				t.Fatalf("conn.Read after R: %v", err)
			}
			if string(buf) != msg {
				t.Fatalf("conn.Read got %q, want %q: the registration took data", buf, msg)
			}
		}
		extra := of(settle(t, c, b), id)
		if len(extra) > 1 {
			t.Errorf("got %v after everything was read, want at most one late delivery", extra)
		}
	})
}
