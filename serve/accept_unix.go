//go:build unix

package serve

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// The acceptor on Unix: the listener is a persistent readable event of
// loop 0, whose handler accepts raw descriptors in batches and gives each
// to the loop Balance picks.
//
// One listener in one loop rather than a SO_REUSEPORT listener per loop:
// Serve takes any listener the caller made, which a second socket cannot
// share unless it was made with SO_REUSEPORT; the kernel's reuseport hash
// would replace Balance (no least-connections); and accepting is a small
// part of a server's work next to reading and writing, which every loop
// does for its own connections.
type acceptor struct {
	s    *Server
	ln   net.Listener
	raw  syscall.RawConn
	home *loop // loop 0
	bal  balancer

	mu      sync.Mutex
	id      evchan.ID // the listener's readable event; 0 while waiting
	stopped atomic.Bool
	closed  bool // stop closed the listener

	// Touched on the home loop only.
	accept  func(fd uintptr) // acceptBatch, made once
	got     []accepted
	err     error         // what ended the batch, if not "nothing more"
	backoff time.Duration // the next retry's wait while the descriptor limit holds
	timer   evchan.ID     // the retry's one-shot timer, 0 if none
	key     [18]byte      // SourceAddrHash's address bytes
}

type accepted struct {
	fd int
	sa unix.Sockaddr
}

const (
	// acceptBatch is how many connections one readiness of the listener
	// accepts at most; the rest fire the event again at the next step,
	// after the loop's connections ready now.
	acceptBatch = 64
	// The retry waits while accepting finds the descriptor limit reached.
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

func newAcceptor(s *Server, ln net.Listener, loops []*loop) (*acceptor, error) {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return nil, errs.New(fmt.Sprintf("serve: a listener of type %T has no descriptor to accept from", ln), ErrInvalid)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, errs.New(fmt.Sprintf("serve: the listener has no descriptor: %v", err), ErrInvalid, err)
	}
	a := &acceptor{
		s: s, ln: ln, raw: raw, home: loops[0],
		bal:     balancer{policy: s.cfg.balance, loops: loops},
		got:     make([]accepted, 0, acceptBatch),
		backoff: minBackoff,
	}
	a.accept = a.acceptBatch
	if err := a.watch(); err != nil {
		return nil, err
	}
	return a, nil
}

// watch adds the listener's persistent readable event to the home loop,
// unless the acceptor was stopped.
func (a *acceptor) watch() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopped.Load() {
		return nil
	}
	id, err := a.home.c.Add(poll.Readable(a.ln).Persistent(), a, 0)
	if err != nil {
		return errs.In("serve: watching the listener", err)
	}
	a.id = id
	return nil
}

// start does nothing on Unix: the home loop runs the acceptor.
func (a *acceptor) start() {}

// stop stops accepting and closes the listener, from any goroutine: the
// event goes first (R9), so no batch starts after (and a retry's timer
// adds it no more); a batch under way holds the descriptor open through
// RawConn.Control until it ends.
func (a *acceptor) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	a.stopped.Store(true)
	a.closed = true
	a.home.c.Del(a.id)
	a.ln.Close()
}

// handle serves the events of the listener and of the retry timer, on the
// home loop.
func (a *acceptor) handle(l *loop, e evchan.Event) {
	if a.stopped.Load() {
		return
	}
	if e.ID == a.timer { // the wait is over: listen again
		a.timer = 0
		if err := a.watch(); err != nil {
			a.s.fail(err)
		}
		return
	}
	if errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
		a.s.fail(errs.In("serve: the listener was closed", e.Err))
		return
	}
	a.got, a.err = a.got[:0], nil
	if err := a.raw.Control(a.accept); err != nil && a.err == nil {
		a.err = err // the listener is closed: net.ErrClosed
	}
	for _, c := range a.got {
		a.give(c)
	}
	switch {
	case a.err == nil:
		if len(a.got) > 0 {
			a.backoff = minBackoff
		}
	case a.stopped.Load():
	case isOutOfDescriptors(a.err):
		a.wait(l, a.err)
	default:
		a.s.fail(errs.New(fmt.Sprintf("serve: accept: %v", a.err), a.err))
	}
}

// acceptBatch accepts up to acceptBatch connections: the function
// RawConn.Control runs with the listener's descriptor, which stays open
// meanwhile (a listener's RawConn has no Read).
func (a *acceptor) acceptBatch(fd uintptr) {
	for len(a.got) < acceptBatch {
		nfd, sa, err := acceptRaw(int(fd))
		switch err {
		case nil:
			a.got = append(a.got, accepted{nfd, sa})
		case unix.EINTR, unix.ECONNABORTED: // that one is gone; the next may be there
		case unix.EAGAIN:
			return
		default:
			a.err = err
			return
		}
	}
}

// give hands an accepted descriptor to the loop Balance picks.
func (a *acceptor) give(c accepted) {
	var key []byte
	switch sa := c.sa.(type) {
	case *unix.SockaddrInet4:
		unix.SetsockoptInt(c.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1) // as package net does
		key = append(a.key[:0], sa.Addr[:]...)
		key = append(key, byte(sa.Port>>8), byte(sa.Port))
	case *unix.SockaddrInet6:
		unix.SetsockoptInt(c.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		key = append(a.key[:0], sa.Addr[:]...)
		key = append(key, byte(sa.Port>>8), byte(sa.Port))
	}
	l := a.bal.pick(key)
	sk := sock{fd: int32(c.fd)}
	if l == a.home {
		l.adopt(sk) // on this very loop: no need to post
		return
	}
	if l.post(task{op: opAdopt, sock: sk}) != nil { // that loop has ended
		sk.close()
		l.conns.Add(-1)
	}
}

// wait stops accepting while the process (or the system) is at its
// descriptor limit. The listener stays readable, since the connection
// waits in the backlog, so a loop that tried again at once would spin;
// instead the listener's event is deleted and a one-shot timer adds it
// again after 10 ms, doubling up to 1 s while the limit holds. The
// connections served meanwhile go on as usual, and the waiting clients
// stay in the backlog until a descriptor is free (rather than being
// accepted and closed at once with a spare descriptor, which would refuse
// clients that a moment later could have been served). The event is
// deleted rather than held (Container.Hold): package poll polls again only
// once every event it reported is re-armed, so a held listener would stop
// the home loop's connections too.
func (a *acceptor) wait(l *loop, err error) {
	a.s.logError(errs.New(fmt.Sprintf("serve: accept: %v; retrying in %v", err, a.backoff), err))
	id, terr := l.c.Add(evchan.Timer(a.backoff), a, 0)
	if terr != nil {
		a.s.logError(errs.In("serve: waiting to accept again", terr))
		return // the event stays: better a busy loop than a deaf one
	}
	a.mu.Lock()
	l.c.Del(a.id)
	a.id = 0
	a.mu.Unlock()
	a.timer = id
	a.backoff = min(2*a.backoff, maxBackoff)
}

// isOutOfDescriptors reports whether accept failed for want of a
// descriptor or of memory: conditions that pass.
func isOutOfDescriptors(err error) bool {
	return errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE) ||
		errors.Is(err, unix.ENOBUFS) || errors.Is(err, unix.ENOMEM)
}
