package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// A Server echoes every line its clients send.
type Server struct {
	Idle  time.Duration // a client silent this long is closed; 0: never
	Limit int           // handlers running at once at most; 0: 256
	Log   *log.Logger   // nil: say nothing

	c       *evchan.Container
	ln      net.Listener
	mu      sync.Mutex
	clients map[*client]struct{}

	// reads counts the reads made on readiness events, spurious those that
	// found nothing to read.
	reads, spurious atomic.Int64
}

// acceptWait bounds how long the acceptor waits when a readiness event on
// the listener turns out to be spurious (see accept).
const acceptWait = 10 * time.Millisecond

// Serve accepts clients on ln and echoes their lines until ctx is done; it
// then closes ln and every client and returns ctx.Err(). The caller keeps
// ownership of nothing: ln is closed when Serve returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.Log == nil {
		s.Log = discard
	}
	limit := s.Limit
	if limit <= 0 {
		limit = 256
	}
	s.c = evchan.New()
	s.ln = ln
	s.clients = make(map[*client]struct{})
	defer func() {
		// Delete every event before closing its descriptor, as the draft
		// asks (R9, R15); Close does it for all of them, then ends the
		// container's goroutines (R12).
		s.c.Close()
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for cl := range s.clients {
			cl.conn.Close()
		}
		clear(s.clients)
	}()
	if _, err := s.c.Add(poll.Readable(ln).Persistent(), dispatch.HandlerFunc(s.accept), 0); err != nil {
		return fmt.Errorf("watching the listener: %w", err)
	}
	return dispatch.Goroutines(ctx, s.c, limit, dispatch.OnPanic(func(e evchan.Event, r any) {
		s.Log.Printf("handler of %v panicked: %v", e, r)
	}))
}

// Clients returns how many clients are connected.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// accept takes one connection from the listener: the handler of the
// listener's persistent event. Being persistent and level-triggered, the
// event fires again while more connections wait, so one Accept per event is
// enough, and dispatch never runs it twice at once.
//
// A readiness event may be spurious (poll's documentation), and Accept parks
// its goroutine until a connection comes; the listener gets a short deadline
// so that a spurious event costs at most acceptWait on this handler's own
// goroutine, never the loop. (The clients are read without any wait, see
// client.read; Accept cannot be done that way without system calls of our
// own.)
func (s *Server) accept(evchan.Event) {
	if d, ok := s.ln.(interface{ SetDeadline(time.Time) error }); ok {
		d.SetDeadline(time.Now().Add(acceptWait))
	}
	conn, err := s.ln.Accept()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return // spurious: nothing was waiting after all
		}
		s.Log.Printf("accept: %v", err)
		if errors.Is(err, net.ErrClosed) {
			s.c.Stop() // the listener is gone: end the loop (R10)
		}
		return
	}
	cl := &client{s: s, conn: conn}
	s.mu.Lock()
	s.clients[cl] = struct{}{}
	s.mu.Unlock()
	// The client is the event's data: dispatch calls its Handle method,
	// the draft's ev:set(id, reader, obj) in one value.
	if _, err := s.c.Add(poll.Readable(conn).Persistent(), cl, s.Idle); err != nil {
		s.Log.Printf("watching %v: %v", conn.RemoteAddr(), err)
		s.drop(cl, 0)
		return
	}
	s.Log.Printf("%v connected", conn.RemoteAddr())
}

// client is one connection and what it has read of its current line: the
// draft's reader object. Only its own handler touches it, one event at a
// time (dispatch's per-ID order), so it needs no lock.
type client struct {
	s    *Server
	conn net.Conn
	part []byte // the line read so far, the draft's obj.part
	buf  [4096]byte
}

// Handle is the reader: it runs on each event of the client's descriptor.
func (cl *client) Handle(e evchan.Event) {
	if e.Reason == evchan.Timeout { // R7: nothing read for Idle
		cl.s.Log.Printf("%v idle for %v: closed", cl.conn.RemoteAddr(), cl.s.Idle)
		cl.s.drop(cl, e.ID)
		return
	}
	if errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
		cl.s.drop(cl, e.ID)
		return
	}
	// Any other error condition (poll.ErrCondition) shows in the read,
	// which never waits: a net.Conn's Read would park this goroutine until
	// data came, and a readiness event may be spurious.
	n, err := poll.Read(cl.conn, cl.buf[:])
	cl.s.reads.Add(1)
	switch {
	case errors.Is(err, poll.ErrNotReady):
		cl.s.spurious.Add(1)
		return // a spurious event: nothing to read after all
	case errors.Is(err, io.EOF):
		cl.s.drop(cl, e.ID)
		return
	case err != nil: // the connection failed
		cl.s.Log.Printf("%v: %v", cl.conn.RemoteAddr(), err)
		cl.s.drop(cl, e.ID)
		return
	}
	cl.part = append(cl.part, cl.buf[:n]...)
	// Echo the whole lines; keep the rest for the next event.
	end := bytes.LastIndexByte(cl.part, '\n')
	if end < 0 {
		return
	}
	// A write may wait for a slow client; the deadline bounds it, on this
	// client's own goroutine.
	cl.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := cl.conn.Write(cl.part[:end+1]); err != nil {
		cl.s.Log.Printf("%v: %v", cl.conn.RemoteAddr(), err)
		cl.s.drop(cl, e.ID)
		return
	}
	cl.part = append(cl.part[:0], cl.part[end+1:]...)
}

// drop deletes the client's event, then closes its connection: in that
// order, so that the descriptor is never closed while registered (R9, R15).
func (s *Server) drop(cl *client, id evchan.ID) {
	if id != 0 {
		s.c.Del(id)
	}
	s.mu.Lock()
	_, ok := s.clients[cl]
	delete(s.clients, cl)
	s.mu.Unlock()
	if ok {
		cl.conn.Close()
	}
}
