package serve

import (
	"errors"
	"net"

	"github.com/evchan/evchan/poll"
)

// sock is a connection's socket on Windows: the net.Conn ln.Accept made,
// read and written with poll.Read and poll.Write (WSAPoll and recv or
// send, never waiting) and watched by WSAPoll through its events.
type sock struct{ nc net.Conn }

func (s sock) read(p []byte) (int, error) {
	n, err := poll.Read(s.nc, p)
	if errors.Is(err, poll.ErrNotReady) {
		return 0, errAgain
	}
	return n, err
}

func (s sock) write(p []byte) (int, error) {
	n, err := poll.Write(s.nc, p)
	if errors.Is(err, poll.ErrNotReady) {
		return n, errAgain
	}
	return n, err
}

func (s sock) close() error { return s.nc.Close() }

func (s sock) remoteAddr() net.Addr { return s.nc.RemoteAddr() }

func (s sock) localAddr() net.Addr { return s.nc.LocalAddr() }

// pollTarget is what c's events watch: its net.Conn.
func (c *Conn) pollTarget() any { return c.nc }
