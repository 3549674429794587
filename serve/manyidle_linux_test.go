package serve_test

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
	"golang.org/x/sys/unix"
)

// Thousands of connections that send nothing, as many as the descriptor
// limit lets this process hold at both ends (2,000 at most): the idle
// timeout closes every one, each costing no goroutine and no timer of its
// own meanwhile.
func TestThousandsOfIdleConnections(t *testing.T) {
	n := 2000
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		raised := lim
		raised.Cur = lim.Max
		if unix.Setrlimit(unix.RLIMIT_NOFILE, &raised) == nil {
			t.Cleanup(func() { unix.Setrlimit(unix.RLIMIT_NOFILE, &lim) })
			lim = raised
		}
	}
	if room := int(lim.Cur/2) - 100; room < n {
		n = room
	}
	if n < 100 {
		t.Skipf("the descriptor limit (%d) leaves room for %d connections", lim.Cur, n)
	}
	h := &echo{}
	s := &serve.Server{Handler: h, IdleTimeout: 500 * time.Millisecond}
	addr := start(t, s)
	var dialed atomic.Int64
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				c, err := net.DialTimeout("tcp", addr, hangLimit)
				if err != nil {
					t.Errorf("dial %d: %v", i, err)
					return
				}
				c.SetDeadline(time.Now().Add(2 * hangLimit))
				conns[i] = c
				dialed.Add(1)
			}
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	if t.Failed() {
		return
	}
	for _, c := range conns {
		wg.Go(func() { expectEOF(t, c) })
	}
	wg.Wait()
	waitFor(t, "every idle connection closed by the server", func() bool {
		_, closed := h.counts()
		return closed[serve.ErrIdleTimeout] == n && s.Conns() == 0
	})
	t.Logf("%d idle connections closed by the timeout", n)
}
