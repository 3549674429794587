//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The server leaves no goroutine behind once Serve has returned (R12).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// hangLimit bounds every wait on the network; it only catches hangs.
const hangLimit = 20 * time.Second

// start runs a server on a free loopback port and returns its address; the
// server is stopped through its context when the test ends, and must then
// return context.Canceled.
func start(t *testing.T, s *Server) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Serve returned %v, want context.Canceled", err)
				}
			case <-time.After(hangLimit):
				t.Fatal("Serve did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return ln.Addr().String(), stop
}

func dial(t testing.TB, addr string) net.Conn {
	conn, err := net.DialTimeout("tcp", addr, hangLimit)
	if err != nil {
		t.Error(err)
		return nil
	}
	conn.SetDeadline(time.Now().Add(hangLimit))
	return conn
}

// 200 clients at once each send a few lines, some in pieces, and get each
// line back whole, with a handler for each client at once or only four.
func TestManyClients(t *testing.T) {
	for _, limit := range []int{256, 4} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) { manyClients(t, limit) })
	}
}

func manyClients(t *testing.T, limit int) {
	s := &Server{Idle: time.Minute, Limit: limit}
	addr, _ := start(t, s)
	defer func() {
		t.Logf("%d reads on readiness events, %d of them spurious", s.reads.Load(), s.spurious.Load())
	}()
	const clients, lines = 200, 5
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			conn := dial(t, addr)
			if conn == nil {
				return
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			for j := range lines {
				line := fmt.Sprintf("client %d line %d %s\n", i, j, strings.Repeat("x", j*700))
				// The line goes in two writes: the server may read it in
				// pieces and must keep the first part (the draft's obj.part).
				half := len(line) / 2
				if _, err := io.WriteString(conn, line[:half]); err != nil {
					t.Error(err)
					return
				}
				if _, err := io.WriteString(conn, line[half:]); err != nil {
					t.Error(err)
					return
				}
				got, err := r.ReadString('\n')
				if err != nil {
					t.Errorf("client %d line %d: %v", i, j, err)
					return
				}
				if got != line {
					t.Errorf("client %d: got %q, want %q", i, got, line)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A line sent in pieces comes back only once it is whole, and all at once.
func TestPartialLine(t *testing.T) {
	addr, _ := start(t, &Server{Idle: time.Minute})
	conn := dial(t, addr)
	if conn == nil {
		return
	}
	defer conn.Close()
	io.WriteString(conn, "hel")
	// Nothing may come back for a part of a line. Waiting a little is the
	// only way to see that something does not happen over a real socket.
	conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	var b [64]byte
	if n, err := conn.Read(b[:]); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read %q, %v after a partial line; want a timeout", b[:n], err)
	}
	conn.SetReadDeadline(time.Now().Add(hangLimit))
	io.WriteString(conn, "lo\nwor")
	io.WriteString(conn, "ld\n")
	got, err := io.ReadAll(io.LimitReader(conn, int64(len("hello\nworld\n"))))
	if err != nil || string(got) != "hello\nworld\n" {
		t.Errorf("got %q, %v", got, err)
	}
}

// A client that says nothing for the idle timeout is closed (R7), and one
// that keeps talking is not.
func TestIdleClientClosed(t *testing.T) {
	const idle = 300 * time.Millisecond
	s := &Server{Idle: idle}
	addr, _ := start(t, s)
	quiet, talker := dial(t, addr), dial(t, addr)
	if quiet == nil || talker == nil {
		return
	}
	defer quiet.Close()
	defer talker.Close()
	began := time.Now()
	// The talker says something every idle/3, for twice the idle time.
	r := bufio.NewReader(talker)
	for range 6 {
		io.WriteString(talker, "ping\n")
		if got, err := r.ReadString('\n'); got != "ping\n" || err != nil {
			t.Fatalf("talker: %q, %v", got, err)
		}
		time.Sleep(idle / 3)
	}
	// By now the quiet one has been closed: its read ends at once with EOF.
	var b [8]byte
	n, err := quiet.Read(b[:])
	if err != io.EOF || n != 0 {
		t.Fatalf("quiet client read %d, %v; want EOF", n, err)
	}
	if d := time.Since(began); d < idle {
		t.Errorf("closed after %v, before the idle timeout %v", d, idle)
	}
	io.WriteString(talker, "still here\n")
	if got, err := r.ReadString('\n'); got != "still here\n" || err != nil {
		t.Fatalf("talker after the quiet one was closed: %q, %v", got, err)
	}
	if n := s.Clients(); n != 1 {
		t.Errorf("%d clients, want 1", n)
	}
}

// Cancelling Serve's context closes every client and the listener.
func TestStopClosesClients(t *testing.T) {
	addr, stop := start(t, &Server{})
	conn := dial(t, addr)
	if conn == nil {
		return
	}
	defer conn.Close()
	io.WriteString(conn, "hi\n")
	if got, err := bufio.NewReader(conn).ReadString('\n'); got != "hi\n" || err != nil {
		t.Fatalf("%q, %v", got, err)
	}
	stop()
	var b [8]byte
	if n, err := conn.Read(b[:]); err == nil {
		t.Errorf("read %q after the server stopped, want an error", b[:n])
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("the listener still accepts after the server stopped")
	}
}
