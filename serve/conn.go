package serve

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
	"github.com/evchan/evchan/poll"
)

// A Conn is one connection of a Server, served by one loop. It is small on
// purpose: an idle connection costs this struct, one event in its loop's
// container (its persistent readable event, whose timeout is the idle
// timeout) and one registration with the kernel's poller, and no
// goroutine, buffer or net.Conn (on Windows it keeps the net.Conn its
// socket was accepted as).
//
// Write, Close, Do, Buffered and SetIdleTimeout may be called from any
// goroutine. Data and SetData are for the handlers, which run on the loop:
// from other goroutines synchronize as you would for any variable.
// RemoteAddr, LocalAddr and Loop may be called from anywhere.
type Conn struct {
	sock                // the socket, platform's (sock_*.go)
	state atomic.Uint32 // connFlags
	loop  *loop
	// rid is the persistent readable event, 0 while reading is paused.
	// The loop alone sets it, under mu; it reads it without.
	rid evchan.ID
	// mu orders writes, guards out and idle, and keeps the loop from
	// closing the socket while a Write from another goroutine uses it: a
	// Write checks flagClosed under mu, which the loop sets before it
	// closes the socket, under mu too.
	mu         sync.Mutex
	out        *outbox       // output the kernel has not taken yet; nil: none
	idle       time.Duration // the idle timeout, the server's or SetIdleTimeout's
	prev, next *Conn         // in the loop's list, which only the loop touches
	data       any
}

// connFlags are what a connection is doing, in Conn.state.
const (
	// flagClosed: the loop is closing the connection: its events are
	// deleted, Write and the others refuse. Set under mu.
	flagClosed uint32 = 1 << iota
	// flagReleased: the socket is closed; its number may name another one
	// now. Set under mu, as the loop closes it, after the CloseHandler.
	flagReleased
	// flagClosing: Close was called or the server is shutting down; no
	// more reads or writes, and the loop closes the socket once the output
	// waiting is written.
	flagClosing
	// flagPaused: the output waiting reached Server.WriteBufferLimit, so the
	// loop reads nothing more until it drains below half of it.
	flagPaused
)

// An outbox holds what a connection's peer has not taken yet, while a
// persistent writable event (wid) waits for room. It exists only while
// output waits, so an idle connection has none.
type outbox struct {
	buf      []byte // waiting: buf[off:]
	off      int
	wid      evchan.ID
	closeErr error // what the CloseHandler sees once a closing connection drained
}

func (o *outbox) pending() int { return len(o.buf) - o.off }

var errWriteClosed = errs.New("serve: write to a closed connection", ErrConnClosed)

// Write sends p to the peer without ever blocking: what the kernel takes
// now is sent, and the rest is copied into the connection's output buffer,
// which a writable event drains as the peer reads. It returns len(p) and
// nil once p is sent or queued, and an error wrapping ErrConnClosed after
// Close (or once the server is shutting down), or the system's error when
// the connection failed (it is then closed, and its CloseHandler told).
// Writes keep their order, from whichever goroutines they come.
//
// Backpressure: when the output waiting reaches Server.WriteBufferLimit the
// loop stops reading from the connection, so a handler that answers what it
// reads cannot queue more than the limit and one read buffer, however fast
// the peer sends and however slowly it reads. Reading resumes when the
// output has drained below half the limit. Writes from other goroutines are
// never refused for it: such a producer can watch Buffered.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Load()&(flagClosed|flagClosing) != 0 {
		return 0, errWriteClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	if c.out != nil { // after what waits already, to keep the order
		return len(p), c.queue(p)
	}
	n, err := c.sock.write(p)
	switch err {
	case nil:
		return n, nil
	case errAgain:
		return len(p), c.queue(p[n:])
	}
	c.loop.post(task{op: opClose, conn: c, err: err})
	return n, err
}

// queue appends p to the output waiting, arming the writable event that
// drains it if none is armed. Called with mu held.
func (c *Conn) queue(p []byte) error {
	l := c.loop
	if c.out == nil {
		wid, err := l.c.Add(poll.Writable(c.pollTarget()).Persistent(), c, c.idle)
		if err != nil {
			err = errs.In("serve: waiting to write", err)
			l.post(task{op: opClose, conn: c, err: err})
			return err
		}
		c.out = &outbox{wid: wid}
	}
	c.out.buf = append(c.out.buf, p...)
	if c.out.pending() >= l.s.cfg.writeLimit {
		c.state.Or(flagPaused)
	}
	return nil
}

// Buffered returns how many bytes written to c wait for the peer to take
// them: what backpressure is measured by.
func (c *Conn) Buffered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		return 0
	}
	return c.out.pending()
}

// Close closes the connection: it reads nothing more, and Write fails from
// now on; the loop closes the socket once the output waiting is written (at
// once if none), and then tells the CloseHandler, with a nil error. Output
// a peer does not take is dropped by the idle timeout, or by Shutdown's
// deadline. Close returns an error wrapping ErrConnClosed if the connection
// was closed or closing already.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.state.Load()&(flagClosed|flagClosing) != 0 {
		c.mu.Unlock()
		return errs.New("serve: close of a closed connection", ErrConnClosed)
	}
	c.state.Or(flagClosing)
	c.mu.Unlock()
	c.loop.post(task{op: opFinish, conn: c})
	return nil
}

// Do runs f on the loop that serves c, after the handler under way if
// any, and before the loop's next event: for work that touches what only
// the loop may touch (such as the value of Data) from another goroutine,
// say once a long computation is done. f runs even if c closes meanwhile.
// Do returns an error wrapping ErrServerClosed, and f is not run, once the
// loop has ended.
func (c *Conn) Do(f func()) error {
	if f == nil {
		return errs.New("serve: Do of a nil function", ErrInvalid)
	}
	return c.loop.post(task{op: opDo, fn: f})
}

// SetIdleTimeout sets the idle timeout of c alone, as Server.IdleTimeout
// does for every connection, and restarts its clock now: zero means none.
// It fails with an error wrapping ErrInvalid for a negative d, and
// ErrConnClosed once c is closed. Output already waiting keeps the timeout
// it was queued with.
func (c *Conn) SetIdleTimeout(d time.Duration) error {
	if d < 0 {
		return errs.New("serve: negative idle timeout "+d.String(), ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Load()&flagClosed != 0 {
		return errs.New("serve: idle timeout of a closed connection", ErrConnClosed)
	}
	c.idle = d
	if c.rid == 0 {
		return nil // reading is paused; resuming adds the event with d
	}
	if err := c.loop.c.SetTimeout(c.rid, d); err != nil {
		return errs.In("serve: setting the idle timeout", err, ErrConnClosed)
	}
	return nil
}

// Data returns the value SetData stored, nil at first.
func (c *Conn) Data() any { return c.data }

// SetData stores a value of yours with the connection, such as the state
// of its protocol: set it in OnOpen and read it in OnData and OnClose,
// which all run on the connection's loop.
func (c *Conn) SetData(v any) { c.data = v }

// Loop returns the index of the loop that serves c, from 0 to the number
// of loops less one (see Server.LoopConns).
func (c *Conn) Loop() int { return c.loop.index }

// RemoteAddr returns the peer's address, or nil if the system no longer
// knows it (the connection was reset, or closed after its CloseHandler
// returned). It asks the system each time (getpeername on Unix), rather
// than keep it with every idle connection: call it in OnOpen to keep it.
func (c *Conn) RemoteAddr() net.Addr {
	c.mu.Lock() // a closed descriptor's number may name another socket
	defer c.mu.Unlock()
	if c.state.Load()&flagReleased != 0 {
		return nil
	}
	return c.sock.remoteAddr()
}

// LocalAddr returns the address the connection was accepted on, or nil if
// the system no longer knows it.
func (c *Conn) LocalAddr() net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Load()&flagReleased != 0 {
		return nil
	}
	return c.sock.localAddr()
}
