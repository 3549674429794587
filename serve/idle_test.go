package serve_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
)

// expectEOF fails unless the server closes c: a read returns io.EOF (or a
// reset) before the test's deadline on c.
func expectEOF(t *testing.T, c net.Conn) {
	t.Helper()
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	if n != 0 || err == nil {
		t.Fatalf("read %d bytes, %v; want the end of the connection", n, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server did not close the connection within %v", hangLimit)
	}
}

// R7 as an idle timeout: connections that send nothing are closed, and
// the CloseHandler is told ErrIdleTimeout; a connection that keeps sending
// is not (each message restarts its clock). The timeout is a second, so
// only a pause of a second between two echoes could fail the last check.
func TestIdleTimeout(t *testing.T) {
	h := &echo{}
	s := &serve.Server{Handler: h, Loops: 2, IdleTimeout: time.Second}
	addr := start(t, s)
	silent := dial(t, addr, 20)
	busy := dial(t, addr, 1)[0]

	stop := make(chan struct{})
	busyErr := make(chan error, 1)
	go func() {
		msg := []byte("ping")
		for {
			select {
			case <-stop:
				busyErr <- nil
				return
			case <-time.After(10 * time.Millisecond):
			}
			if _, err := busy.Write(msg); err != nil {
				busyErr <- err
				return
			}
			if _, err := io.ReadFull(busy, msg); err != nil {
				busyErr <- err
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for _, c := range silent {
		wg.Go(func() { expectEOF(t, c) })
	}
	wg.Wait()
	close(stop)
	if err := <-busyErr; err != nil {
		t.Fatalf("the busy connection: %v", err)
	}
	waitFor(t, "the CloseHandler told of every idle connection, and the busy one left", func() bool {
		_, closed := h.counts()
		return closed[serve.ErrIdleTimeout] == len(silent) && s.Conns() == 1
	})
}

// SetIdleTimeout gives one connection a timeout of its own.
func TestSetIdleTimeout(t *testing.T) {
	h := &echo{}
	var conns sync.Map
	opener := &openRecorder{echo: h, conns: &conns}
	s := &serve.Server{Handler: opener, Loops: 1}
	addr := start(t, s)
	c := dial(t, addr, 1)[0]
	var sc *serve.Conn
	waitFor(t, "the connection opened", func() bool {
		v, ok := conns.Load(0)
		if ok {
			sc = v.(*serve.Conn)
		}
		return ok
	})
	if err := sc.SetIdleTimeout(-time.Second); !errors.Is(err, serve.ErrInvalid) {
		t.Fatalf("SetIdleTimeout(-1s) = %v, want ErrInvalid", err)
	}
	if err := sc.SetIdleTimeout(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	expectEOF(t, c)
	waitFor(t, "the CloseHandler told", func() bool {
		_, closed := h.counts()
		return closed[serve.ErrIdleTimeout] == 1
	})
	if err := sc.SetIdleTimeout(time.Second); !errors.Is(err, serve.ErrConnClosed) {
		t.Fatalf("SetIdleTimeout after the close = %v, want ErrConnClosed", err)
	}
}

// openRecorder is echo, keeping each Conn under the order it opened in.
type openRecorder struct {
	*echo
	mu    sync.Mutex
	n     int
	conns *sync.Map
}

func (o *openRecorder) OnOpen(c *serve.Conn) {
	o.echo.OnOpen(c)
	o.mu.Lock()
	o.conns.Store(o.n, c)
	o.n++
	o.mu.Unlock()
}
