package serve_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
)

// bigReply answers any data with a reply larger than the kernel's buffers
// hold, so that most of it waits in the server's output buffer.
type bigReply struct {
	echo
	reply   []byte
	waiting atomic.Int64 // replies that left output waiting
}

func (h *bigReply) OnData(c *serve.Conn, data []byte) {
	c.Write(h.reply)
	if c.Buffered() > 0 {
		h.waiting.Add(1)
	}
}

// Shutdown frees the port at once, closes the idle connections, writes out
// what waits for a connection before closing it, tells every CloseHandler
// ErrServerClosed, and leaves no goroutine (TestMain's goleak) and no
// descriptor of the server's open.
func TestShutdownGraceful(t *testing.T) {
	before := openDescriptors(t)
	reply := make([]byte, 8<<20)
	for i := range reply {
		reply[i] = byte(i % 251)
	}
	h := &bigReply{reply: reply}
	s := &serve.Server{Handler: h, Loops: 2, WriteBufferLimit: 1 << 20}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	idle := dial(t, addr, 10)
	busy := dial(t, addr, 1)[0]
	waitFor(t, "every connection served", func() bool { return s.Conns() == 11 })
	if _, err := busy.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	// Read a little, so that the reply is under way, and leave the rest
	// waiting in the server.
	first := make([]byte, 1000)
	if _, err := io.ReadFull(busy, first); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(ctx) }()

	for _, c := range idle {
		expectEOF(t, c)
	}
	// The port is free while the busy connection still drains.
	waitFor(t, "the port free again", func() bool {
		ln2, err := net.Listen("tcp", addr)
		if err == nil {
			ln2.Close()
		}
		return err == nil
	})
	rest, err := io.ReadAll(busy)
	if err != nil {
		t.Fatalf("reading the rest of the reply: %v", err)
	}
	if got := append(first, rest...); !bytes.Equal(got, reply) {
		t.Fatalf("got %d bytes of the %d-byte reply before the close, or different ones", len(got), len(reply))
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, serve.ErrServerClosed) {
		t.Fatalf("Serve returned %v, want ErrServerClosed", err)
	}
	if _, closed := h.counts(); closed[serve.ErrServerClosed] != 11 {
		t.Fatalf("CloseHandler told %v, want 11 ErrServerClosed", closed)
	}
	for _, c := range append(idle, busy) {
		c.Close()
	}
	if after := openDescriptors(t); after > before {
		t.Fatalf("%d descriptors open after Shutdown, %d before", after, before)
	}
}

// A peer that never reads holds Shutdown up until its context ends: then
// Shutdown closes it all the same, ends every goroutine, and returns the
// context's error.
func TestShutdownDeadline(t *testing.T) {
	before := openDescriptors(t)
	h := &bigReply{reply: make([]byte, 8<<20)}
	s := &serve.Server{Handler: h, Loops: 1}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	c := dial(t, ln.Addr().String(), 1)[0]
	c.Write([]byte("go"))
	waitFor(t, "the reply waiting", func() bool { return h.waiting.Load() == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want the context's DeadlineExceeded", err)
	}
	if err := <-served; !errors.Is(err, serve.ErrServerClosed) {
		t.Fatalf("Serve returned %v, want ErrServerClosed", err)
	}
	if n := s.Conns(); n != 0 {
		t.Fatalf("%d connections left", n)
	}
	c.Close()
	if after := openDescriptors(t); after > before {
		t.Fatalf("%d descriptors open after Shutdown, %d before", after, before)
	}
}

// Close closes everything at once; Serve, Shutdown and Close after it do
// nothing more, and a Server that never served closes without a fuss.
func TestCloseAndAfter(t *testing.T) {
	h := &echo{}
	var opened sync.Map
	s := &serve.Server{Handler: &openRecorder{echo: h, conns: &opened}, Loops: 2}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	conns := dial(t, ln.Addr().String(), 5)
	waitFor(t, "every connection served", func() bool { return s.Conns() == 5 })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, serve.ErrServerClosed) {
		t.Fatalf("Serve returned %v", err)
	}
	for _, c := range conns {
		expectEOF(t, c)
	}
	v, _ := opened.Load(0)
	sc := v.(*serve.Conn)
	if _, err := sc.Write([]byte("x")); !errors.Is(err, serve.ErrConnClosed) {
		t.Errorf("Write after Close = %v, want ErrConnClosed", err)
	}
	if err := sc.Do(func() { t.Error("Do ran after Close") }); !errors.Is(err, serve.ErrServerClosed) {
		t.Errorf("Do after Close = %v, want ErrServerClosed", err)
	}
	if sc.RemoteAddr() != nil || sc.LocalAddr() != nil {
		t.Errorf("a closed connection has addresses %v, %v", sc.RemoteAddr(), sc.LocalAddr())
	}
	if err := s.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown after Close: %v", err)
	}
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln2); !errors.Is(err, serve.ErrServerClosed) {
		t.Fatalf("Serve after Close = %v, want ErrServerClosed", err)
	}

	never := &serve.Server{Handler: h}
	if err := never.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln3, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := never.Serve(ln3); !errors.Is(err, serve.ErrServerClosed) {
		t.Fatalf("Serve after Shutdown = %v, want ErrServerClosed", err)
	}
	if _, err := net.Dial("tcp", ln3.Addr().String()); err == nil {
		t.Fatal("Serve left the listener open")
	}
}
