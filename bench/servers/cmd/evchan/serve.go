package main

// The server on the current evchan API, behind serve so that it can be
// switched to package serve once that exists: one container per loop, each
// drained by `for e := range c.All(evchan.Block)` on its own goroutine,
// which then waits in epoll itself (package poll's Waiter) and runs the
// body on the goroutine the kernel woke.
//
//   - The listener is a raw non-blocking socket, watched by loop 0's
//     container with a persistent readable event; loop 0 accepts with
//     accept4(SOCK_NONBLOCK|SOCK_CLOEXEC), up to acceptBatch at a time, and
//     gives each descriptor to the loop with the fewest connections.
//   - A connection is a raw descriptor and one persistent poll.Readable in
//     its loop's container, with no data: the event's Source is the
//     descriptor. No net.Conn, no runtime netpoller registration, no
//     per-connection struct or buffer.
//   - Each loop reads into its own 64 KiB buffer (gnet's and nbio's read
//     buffer size) with poll.Read and writes back with poll.Write. A short
//     write keeps the rest in a per-loop map, swaps the readable event for a
//     one-shot poll.Writable (reading pauses: backpressure) and swaps back
//     once the rest is written.
//   - Each container also holds a one-shot virtual event, so that an empty
//     container's loop does not end, and whose trigger ends the loop.

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

const (
	readBufSize = 64 << 10 // per loop
	acceptBatch = 64       // accepts per readiness of the listener
	backlog     = 4096
)

// flushing marks a loop's writable events (a connection's are data-less).
type flushing struct{}

type server struct {
	lfd   int
	lnID  evchan.ID
	loops []*loop
	wg    sync.WaitGroup

	// owner[fd] is 1 + the loop serving descriptor fd, 0 when fd is none of
	// ours: what stop closes. Sized by the open-files limit, allocated once.
	owner []atomic.Int32
}

type loop struct {
	s       *server
	idx     int
	c       *evchan.Container
	quitID  evchan.ID
	conns   atomic.Int64 // connections given to this loop and not closed
	buf     []byte
	pending map[int][]byte // unwritten echo per descriptor; the loop's goroutine only
}

// serve listens on addr and serves until stop is called; stop ends the
// loops, deletes every event and closes every descriptor.
func serve(addr string, loops int) (stop func() error, err error) {
	if loops < 1 {
		return nil, fmt.Errorf("need at least one loop, got %d", loops)
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return nil, err
	}
	lfd, err := listen(addr)
	if err != nil {
		return nil, err
	}
	s := &server{lfd: lfd, owner: make([]atomic.Int32, min(rl.Cur, 1<<24))}
	for i := range loops {
		l := &loop{s: s, idx: i, c: evchan.New(), buf: make([]byte, readBufSize), pending: make(map[int][]byte)}
		s.loops = append(s.loops, l)
		if l.quitID, err = l.c.Add(evchan.Virtual(false), nil, 0); err != nil {
			s.shutdown()
			return nil, err
		}
	}
	if s.lnID, err = s.loops[0].c.Add(poll.Readable(lfd).Persistent(), nil, 0); err != nil {
		s.shutdown()
		return nil, fmt.Errorf("watching the listener: %w", err)
	}
	for _, l := range s.loops {
		s.wg.Go(l.run)
	}
	return func() error { s.shutdown(); return nil }, nil
}

func listen(addr string) (int, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		return -1, fmt.Errorf("-addr %q: want an IPv4 address and port", addr)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	sa := &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}
	if err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err == nil {
		if err = unix.Bind(fd, sa); err == nil {
			err = unix.Listen(fd, backlog)
		}
	}
	if err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return fd, nil
}

// shutdown ends the loops, then closes the containers (deleting every event
// before its descriptor closes), the connections and the listener.
func (s *server) shutdown() {
	for _, l := range s.loops {
		l.c.Trigger(l.quitID)
	}
	s.wg.Wait()
	for _, l := range s.loops {
		l.c.Close()
	}
	for fd := range s.owner {
		if s.owner[fd].Swap(0) != 0 {
			unix.Close(fd)
		}
	}
	unix.Close(s.lfd)
}

func (l *loop) run() {
	for e := range l.c.All(evchan.Block) {
		switch {
		case e.ID == l.quitID:
			return
		case l.idx == 0 && e.ID == l.s.lnID: // IDs are per container
			l.s.accept()
		case e.Data == flushing{}:
			l.flush(e)
		default:
			l.echo(e)
		}
	}
}

// accept takes up to acceptBatch connections (the listener's event is
// level-triggered: what is left fires again) and gives each to the loop with
// the fewest.
func (s *server) accept() {
	for range acceptBatch {
		fd, _, err := unix.Accept4(s.lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch {
		case err == unix.EINTR || err == unix.ECONNABORTED:
			continue
		case err != nil: // EAGAIN: none left; EMFILE and the like: try at the next event
			return
		}
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1) // as Go's net, gnet and nbio do
		l := s.loops[0]
		for _, o := range s.loops[1:] {
			if o.conns.Load() < l.conns.Load() {
				l = o
			}
		}
		if fd >= len(s.owner) {
			unix.Close(fd)
			continue
		}
		s.owner[fd].Store(int32(l.idx + 1))
		l.conns.Add(1)
		if _, err := l.c.Add(poll.Readable(fd).Persistent(), nil, 0); err != nil {
			l.closeConn(fd)
		}
	}
}

// echo reads what the connection has, once, and writes it back.
func (l *loop) echo(e evchan.Event) {
	fd := e.Source.(int)
	n, err := poll.Read(fd, l.buf)
	if errors.Is(err, poll.ErrNotReady) {
		return
	}
	if err != nil { // io.EOF, ECONNRESET, or a descriptor closed under its event
		l.c.Del(e.ID)
		l.closeConn(fd)
		return
	}
	w, err := poll.Write(fd, l.buf[:n])
	if err == nil {
		return
	}
	l.c.Del(e.ID)
	if !errors.Is(err, poll.ErrNotReady) {
		l.closeConn(fd)
		return
	}
	// The socket's buffer is full: keep the rest, stop reading until it is written.
	l.pending[fd] = append([]byte(nil), l.buf[w:n]...)
	if _, err := l.c.Add(poll.Writable(fd), flushing{}, 0); err != nil {
		delete(l.pending, fd)
		l.closeConn(fd)
	}
}

// flush writes what a short write left, then reads again.
func (l *loop) flush(e evchan.Event) {
	fd := e.Source.(int)
	rest := l.pending[fd]
	w, err := poll.Write(fd, rest)
	switch {
	case err == nil:
		delete(l.pending, fd)
		_, err = l.c.Add(poll.Readable(fd).Persistent(), nil, 0)
	case errors.Is(err, poll.ErrNotReady):
		l.pending[fd] = rest[w:]
		_, err = l.c.Add(poll.Writable(fd), flushing{}, 0)
	}
	if err != nil {
		delete(l.pending, fd)
		l.closeConn(fd)
	}
}

// closeConn closes a descriptor whose event is gone; any goroutine.
func (l *loop) closeConn(fd int) {
	if l.s.owner[fd].Swap(0) != 0 {
		l.conns.Add(-1)
		unix.Close(fd)
	}
}
