package serve_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
)

// echo writes back what it reads, and counts what it sees.
type echo struct {
	mu     sync.Mutex
	opened int
	closed map[error]int // by the error OnClose was told, errors.Is-matched against a few
}

func (h *echo) OnData(c *serve.Conn, data []byte) { c.Write(data) }

func (h *echo) OnOpen(c *serve.Conn) {
	h.mu.Lock()
	h.opened++
	h.mu.Unlock()
}

func (h *echo) OnClose(c *serve.Conn, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed == nil {
		h.closed = make(map[error]int)
	}
	for _, known := range []error{io.EOF, serve.ErrIdleTimeout, serve.ErrServerClosed} {
		if errors.Is(err, known) {
			err = known
		}
	}
	h.closed[err]++
}

func (h *echo) counts() (opened int, closed map[error]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	closed = make(map[error]int)
	for k, v := range h.closed {
		closed[k] = v
	}
	return h.opened, closed
}

// start serves s on a new 127.0.0.1 listener and returns its address; the
// server is closed when the test or benchmark ends, and Serve's result
// checked.
func start(t testing.TB, s *serve.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.ErrorLog == nil {
		s.ErrorLog = func(err error) { t.Logf("server: %v", err) }
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		select {
		case err := <-done:
			if !errors.Is(err, serve.ErrServerClosed) {
				t.Errorf("Serve returned %v, want ErrServerClosed", err)
			}
		case <-time.After(hangLimit):
			t.Errorf("Serve did not return within %v of Close", hangLimit)
		}
	})
	return ln.Addr().String()
}

// dial opens n connections to addr, closed when the test ends.
func dial(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.DialTimeout("tcp", addr, hangLimit)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		c.SetDeadline(time.Now().Add(hangLimit))
		conns = append(conns, c)
	}
	return conns
}

// waitFor polls cond until it holds, failing the test after hangLimit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, hangLimit)
		}
		time.Sleep(time.Millisecond)
	}
}

// shutdown calls s.Shutdown with a hang bound.
func shutdown(t *testing.T, s *serve.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}
