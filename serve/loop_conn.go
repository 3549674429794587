package serve

import (
	"errors"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
	"github.com/evchan/evchan/poll"
)

// What a loop does with its connections: adopting an accepted socket,
// reading on its readable event, draining its output on its writable
// event, pausing and resuming reading for backpressure, closing it.

// adopt makes a Conn of an accepted socket: its persistent readable event,
// whose timeout is the idle timeout (R7: it restarts at each delivery, so
// a connection that keeps sending never times out, and one that sends
// nothing costs no timer of its own, only its place in the container's
// deadline heap).
func (l *loop) adopt(sk sock) {
	if l.draining || l.quit.Load() {
		sk.close()
		l.conns.Add(-1)
		return
	}
	c := &Conn{sock: sk, loop: l, idle: l.s.cfg.idle}
	id, err := l.c.Add(poll.Readable(c.pollTarget()).Persistent(), c, c.idle)
	if err != nil {
		l.s.logError(errs.In("serve: watching a new connection", err))
		sk.close()
		l.conns.Add(-1)
		return
	}
	c.rid = id
	c.next = l.head
	if l.head != nil {
		l.head.prev = c
	}
	l.head = c
	if o := l.s.cfg.opener; o != nil {
		l.call(c, func() { o.OnOpen(c) })
	}
}

// readable serves a delivery of c's readable event: one read into the
// loop's buffer, handed to OnData. One read per event, as gnet does: what
// is left fires the event again at the loop's next step, after the other
// connections ready now.
func (l *loop) readable(c *Conn, e evchan.Event) {
	st := c.state.Load()
	if st&flagClosed != 0 {
		return
	}
	if e.Reason == evchan.Timeout {
		// Idle: nothing came for the timeout. While output waits, the
		// writable event's own timeout says whether the peer still lives.
		c.mu.Lock()
		waiting := c.out != nil
		c.mu.Unlock()
		if !waiting {
			l.closeConn(c, ErrIdleTimeout)
		}
		return
	}
	if errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
		l.closeConn(c, e.Err)
		return
	}
	if st&(flagPaused|flagClosing) != 0 {
		l.pauseReading(c)
		return
	}
	n, err := c.sock.read(l.buf)
	switch {
	case err == errAgain: // spurious: wait for the next event
	case err != nil: // io.EOF included
		l.closeConn(c, err)
	default:
		l.call(c, func() { l.s.cfg.handler.OnData(c, l.buf[:n]) })
	}
}

// pauseReading stops reading from c, for backpressure or because it is
// closing: its readable event is deleted, and added again by resumeReading
// once the output has drained. Holding the event instead (Container.Hold,
// not re-arming it) would cost no system call, but package poll polls
// again only once every event it reported is re-armed: one held
// connection would stop its whole loop. Deleting costs an epoll_ctl and
// adding one more, and a new entry, only when a peer falls behind
// (BenchmarkPauseResume: a delivery 3.3 µs here, with a hold 3.4 µs, with
// a delete and an add 11 µs).
func (l *loop) pauseReading(c *Conn) {
	l.c.Del(c.rid)
	c.mu.Lock()
	c.rid = 0
	c.mu.Unlock()
}

// resumeReading watches c for reading again, with its idle timeout.
func (l *loop) resumeReading(c *Conn) {
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	id, err := l.c.Add(poll.Readable(c.pollTarget()).Persistent(), c, idle)
	if err != nil {
		l.closeConn(c, errs.In("serve: watching the connection again", err))
		return
	}
	c.mu.Lock()
	c.rid = id
	c.mu.Unlock()
}

// writable serves a delivery of c's writable event, armed while output
// waits: it writes what the kernel takes now, resumes reading once the
// output is below half the limit, and deletes the event once all is
// written.
func (l *loop) writable(c *Conn, e evchan.Event) {
	if c.state.Load()&flagClosed != 0 {
		return
	}
	if e.Reason == evchan.Timeout { // the peer took nothing for the idle timeout
		l.closeConn(c, ErrIdleTimeout)
		return
	}
	if errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
		l.closeConn(c, e.Err)
		return
	}
	c.mu.Lock()
	o := c.out
	if o == nil || o.wid != e.ID {
		c.mu.Unlock()
		return
	}
	n, err := c.sock.write(o.buf[o.off:])
	o.off += n
	if err != nil && err != errAgain {
		c.mu.Unlock()
		l.closeConn(c, err)
		return
	}
	drained := o.pending() == 0
	switch {
	case drained:
		c.out = nil
	case o.off > len(o.buf)/2:
		// Keep the buffer from growing at its front as the peer reads.
		o.buf = o.buf[:copy(o.buf, o.buf[o.off:])]
		o.off = 0
	}
	if o.pending() < l.s.cfg.writeLimit/2 {
		c.state.And(^flagPaused)
	}
	st := c.state.Load()
	c.mu.Unlock()
	if drained {
		l.c.Del(o.wid)
		if st&flagClosing != 0 {
			l.closeConn(c, o.closeErr)
			return
		}
	}
	if c.rid == 0 && st&(flagPaused|flagClosing) == 0 {
		l.resumeReading(c)
	}
}

// finish closes c once its output is written: at once if none waits; else
// reading stops and the writable event closes it when drained. err is
// what the CloseHandler is told.
func (l *loop) finish(c *Conn, err error) {
	c.mu.Lock()
	st := c.state.Load()
	if st&flagClosed != 0 {
		c.mu.Unlock()
		return
	}
	c.state.Or(flagClosing)
	o := c.out
	if o != nil && (err == nil || st&flagClosing == 0) {
		// Conn.Close's nil, or Shutdown's reason if Close was not called.
		o.closeErr = err
	}
	c.mu.Unlock()
	if o == nil {
		l.closeConn(c, err)
	}
}

// closeConn closes c now: its events go first (R9: so the descriptor is
// never closed while registered), then the CloseHandler is told, then the
// socket is closed.
func (l *loop) closeConn(c *Conn, err error) {
	c.mu.Lock()
	if c.state.Load()&flagClosed != 0 {
		c.mu.Unlock()
		return
	}
	c.state.Or(flagClosed)
	o := c.out
	c.out = nil
	c.mu.Unlock()
	l.c.Del(c.rid)
	if o != nil {
		l.c.Del(o.wid)
	}
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		l.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	}
	c.prev, c.next = nil, nil
	if h := l.s.cfg.closer; h != nil {
		l.call(nil, func() { h.OnClose(c, err) })
	}
	c.mu.Lock()
	c.state.Or(flagReleased)
	c.sock.close()
	c.mu.Unlock()
	l.conns.Add(-1)
	l.checkDrained()
}
