//go:build linux || windows

package poll_test

import (
	"io"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// CONTRACT.md Event kinds: a TCP peer that closes fires r on the other side;
// conn.Read returns io.EOF.
func TestHangupTCP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		client, server := tcpPair(t)
		id := add(t, c, b.Readable(server), "r", 0)
		client.Close()
		want(t, next(t, c, "r after the peer closed"), id, evchan.Readable)
		deadline(t, server)
		if n, err := server.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Errorf("Read after the hang-up: %d, %v, want io.EOF", n, err)
		}
	})
}
