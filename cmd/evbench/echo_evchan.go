//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// evchanEchoServer is examples/echo's design (that package is a main and
// cannot be imported), echoing bytes rather than lines: a container, a
// persistent readable event on the listener whose handler accepts one
// connection, a persistent readable event per connection whose handler reads
// once with poll.Read (one read(2), never waiting) and writes back what it
// read, all run by dispatch.Goroutines. An idle
// connection holds no goroutine and no buffer: reads go into buffers shared
// through a sync.Pool.
type evchanEchoServer struct {
	limit int // dispatch.Goroutines' limit

	c      *evchan.Container
	ln     net.Listener
	mu     sync.Mutex
	conns  map[*evchanEchoConn]struct{}
	nconns atomic.Int64
}

type evchanEchoConn struct {
	s    *evchanEchoServer
	conn net.Conn
}

var echoBufs = sync.Pool{New: func() any { return new([echoBufSize]byte) }}

func newEvchanEchoServer(limit int) *evchanEchoServer {
	if limit <= 0 {
		limit = 256
	}
	return &evchanEchoServer{limit: limit, c: evchan.New(), conns: make(map[*evchanEchoConn]struct{})}
}

func (s *evchanEchoServer) clients() int { return int(s.nconns.Load()) }

func (s *evchanEchoServer) serve(ctx context.Context, ln net.Listener) error {
	s.ln = ln
	defer func() {
		s.c.Close() // deletes every event before the descriptors close
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for cl := range s.conns {
			cl.conn.Close()
		}
		clear(s.conns)
	}()
	if _, err := s.c.Add(poll.Readable(ln).Persistent(), dispatch.HandlerFunc(s.accept), 0); err != nil {
		return fmt.Errorf("watching the listener: %w", err)
	}
	err := dispatch.Goroutines(ctx, s.c, s.limit)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// accept takes one connection per event, as examples/echo does; a spurious
// event costs at most acceptWait on the handler's goroutine.
func (s *evchanEchoServer) accept(evchan.Event) {
	if d, ok := s.ln.(interface{ SetDeadline(time.Time) error }); ok {
		d.SetDeadline(time.Now().Add(10 * time.Millisecond))
	}
	conn, err := s.ln.Accept()
	if err != nil {
		if errors.Is(err, net.ErrClosed) {
			s.c.Stop()
		}
		return
	}
	cl := &evchanEchoConn{s: s, conn: conn}
	s.mu.Lock()
	s.conns[cl] = struct{}{}
	s.mu.Unlock()
	if _, err := s.c.Add(poll.Readable(conn).Persistent(), cl, 0); err != nil {
		s.drop(cl, 0)
		return
	}
	s.nconns.Add(1)
}

// Handle reads what the connection holds, once, and writes it back.
func (cl *evchanEchoConn) Handle(e evchan.Event) {
	if errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
		cl.s.drop(cl, e.ID)
		return
	}
	buf := echoBufs.Get().(*[echoBufSize]byte)
	defer echoBufs.Put(buf)
	n, err := poll.Read(cl.conn, buf[:])
	if errors.Is(err, poll.ErrNotReady) {
		return // spurious
	}
	if err != nil { // io.EOF, or the connection failed
		cl.s.drop(cl, e.ID)
		return
	}
	if _, err := cl.conn.Write(buf[:n]); err != nil {
		cl.s.drop(cl, e.ID)
	}
}

// drop deletes the event before closing the descriptor.
func (s *evchanEchoServer) drop(cl *evchanEchoConn, id evchan.ID) {
	if id != 0 {
		s.c.Del(id)
	}
	s.mu.Lock()
	_, ok := s.conns[cl]
	delete(s.conns, cl)
	s.mu.Unlock()
	if ok {
		cl.conn.Close()
		s.nconns.Add(-1)
	}
}
