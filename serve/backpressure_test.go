package serve_test

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
)

// measuringEcho echoes, and keeps the most output it ever saw waiting on a
// connection right after a write, and how many bytes it read.
type measuringEcho struct {
	echo
	most atomic.Int64
	read atomic.Int64
}

func (h *measuringEcho) OnData(c *serve.Conn, data []byte) {
	h.read.Add(int64(len(data)))
	c.Write(data)
	for b := int64(c.Buffered()); ; {
		old := h.most.Load()
		if b <= old || h.most.CompareAndSwap(old, b) {
			break
		}
	}
}

// A client that sends much more than it reads: once WriteBufferLimit
// bytes wait for it, the server stops reading from it, so what it holds
// for the client stays within the limit and one read buffer; once the
// client reads, reading resumes, and every byte comes back in order.
func TestBackpressureBoundsASlowReader(t *testing.T) {
	const (
		limit   = 64 << 10
		readBuf = 16 << 10
		total   = 16 << 20 // more than the kernel's buffers hold
	)
	h := &measuringEcho{}
	s := &serve.Server{Handler: h, Loops: 2, WriteBufferLimit: limit, ReadBufferSize: readBuf}
	addr := start(t, s)
	c := dial(t, addr, 1)[0]

	msg := make([]byte, total)
	for i := range msg {
		msg[i] = byte(i * 7 / 5)
	}
	written := make(chan error, 1)
	go func() { _, err := c.Write(msg); written <- err }()

	// The client reads nothing: the echo fills the kernel's buffers, then
	// the server's output buffer, and then the server pauses.
	waitFor(t, "the server's output buffer reaching the limit", func() bool { return h.most.Load() >= limit })
	if most := h.most.Load(); most > limit+readBuf {
		t.Fatalf("%d bytes waited for the client, more than the limit and a read buffer (%d)", most, limit+readBuf)
	}

	got := make([]byte, total)
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("reading the echo: %v (the server read %d of %d bytes)", err, h.read.Load(), total)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatal("the echo differs")
	}
	if most := h.most.Load(); most > limit+readBuf {
		t.Fatalf("%d bytes waited for the client at most, more than the limit and a read buffer (%d)", most, limit+readBuf)
	}
	t.Logf("at most %d bytes waited for the client", h.most.Load())
}

// A client that sends and never reads, against a server with an idle
// timeout: its output waits within the bound, and the writable event's
// timeout closes it, since it takes nothing.
func TestBackpressureNeverReading(t *testing.T) {
	const limit, readBuf = 32 << 10, 8 << 10
	h := &measuringEcho{}
	s := &serve.Server{Handler: h, Loops: 1, WriteBufferLimit: limit, ReadBufferSize: readBuf, IdleTimeout: 300 * time.Millisecond}
	addr := start(t, s)
	c := dial(t, addr, 1)[0]
	var wg sync.WaitGroup
	defer wg.Wait()
	defer c.Close()
	wg.Go(func() {
		block := make([]byte, 64<<10)
		for {
			if _, err := c.Write(block); err != nil {
				return // the server closed it
			}
		}
	})
	waitFor(t, "the server closing the connection that takes nothing", func() bool {
		_, closed := h.counts()
		return closed[serve.ErrIdleTimeout] == 1
	})
	if most := h.most.Load(); most > limit+readBuf {
		t.Fatalf("%d bytes waited for the client, more than the limit and a read buffer (%d)", most, limit+readBuf)
	}
	if most := h.most.Load(); most < limit {
		t.Fatalf("the output waiting reached %d bytes only, below the limit %d: the test proved nothing", most, limit)
	}
}
