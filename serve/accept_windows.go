package serve

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// The acceptor on Windows: a goroutine blocked in ln.Accept, which gives
// each connection to the loop Balance picks. Winsock's readiness of a
// listener and Go's overlapped AcceptEx do not mix, and accepting is a
// small part of a server's work; the connections themselves are served by
// the loops as on Unix, through WSAPoll.
type acceptor struct {
	s       *Server
	ln      net.Listener
	bal     balancer
	stopped atomic.Bool
	quit    chan struct{} // closed by stop: ends a retry's wait
	once    sync.Once
}

const (
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

func newAcceptor(s *Server, ln net.Listener, loops []*loop) (*acceptor, error) {
	return &acceptor{s: s, ln: ln, bal: balancer{policy: s.cfg.balance, loops: loops}, quit: make(chan struct{})}, nil
}

func (a *acceptor) start() { a.s.wg.Go(a.run) }

func (a *acceptor) stop() {
	a.once.Do(func() {
		a.stopped.Store(true)
		close(a.quit)
		a.ln.Close()
	})
}

// handle is never called on Windows: the listener has no event.
func (a *acceptor) handle(*loop, evchan.Event) {}

func (a *acceptor) run() {
	backoff := minBackoff
	for {
		nc, err := a.ln.Accept()
		if err != nil {
			if a.stopped.Load() {
				return
			}
			if !errors.Is(err, net.ErrClosed) && isTemporary(err) {
				a.s.logError(errs.New(fmt.Sprintf("serve: accept: %v; retrying in %v", err, backoff), err))
				select {
				case <-time.After(backoff):
				case <-a.quit:
					return
				}
				backoff = min(2*backoff, maxBackoff)
				continue
			}
			a.s.fail(errs.New(fmt.Sprintf("serve: accept: %v", err), err))
			return
		}
		backoff = minBackoff
		var key []byte
		if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
			key = append(append(key, ta.IP...), byte(ta.Port>>8), byte(ta.Port))
		}
		l := a.bal.pick(key)
		if l.post(task{op: opAdopt, sock: sock{nc}}) != nil {
			nc.Close()
			l.conns.Add(-1)
		}
	}
}

// isTemporary reports whether an accept error passes (no buffer space,
// too many sockets for now), by the interface package net's errors still
// implement.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}
