//go:build linux || windows

package poll_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// The tests of Read and Write, the helpers a consumer of descriptor events
// reads and writes with. Each runs on every form of descriptor the
// platform has: a net.Conn (TCP on the loopback interface), raw socket
// descriptors in non-blocking and in blocking mode, and on Linux pipes
// (an *os.File from os.Pipe, raw ones in both modes, and an *os.File over a
// blocking descriptor, as os.Stdin often is). Waits are for events, each
// bounded by hangLimit, which only catches hangs.

// An rwStream is a one-way stream: bytes written to w are read from r.
type rwStream struct {
	r, w any
	// send writes a few bytes to w with the platform's own call, not
	// poll.Write.
	send           func(t *testing.T, p []byte)
	closeR, closeW func(t *testing.T)
}

// An rwForm makes one form of stream, closed when the test ends.
type rwForm struct {
	name string
	make func(t *testing.T) rwStream
}

// rwForms are the forms every test runs on: the sockets here, then the
// platform's (rwPlatformForms).
func rwForms() []rwForm {
	forms := []rwForm{
		{"TCPConn", func(t *testing.T) rwStream {
			client, server := tcpPair(t)
			// Small buffers, so that one Write of 100,000 bytes (the
			// fill test's) does not fit where the socket is writable.
			for _, conn := range []*net.TCPConn{client, server} {
				if err := conn.SetWriteBuffer(32 << 10); err != nil {
					t.Fatal(err)
				}
				if err := conn.SetReadBuffer(32 << 10); err != nil {
					t.Fatal(err)
				}
			}
			return rwStream{
				r: server, w: client,
				send: func(t *testing.T, p []byte) {
					t.Helper()
					client.SetWriteDeadline(timeLimit())
					if _, err := client.Write(p); err != nil {
						t.Fatalf("conn.Write: %v", err)
					}
				},
				closeR: func(*testing.T) { server.Close() },
				closeW: func(*testing.T) { client.Close() },
			}
		}},
		{"RawSocketNonBlocking", func(t *testing.T) rwStream {
			a, b := socketpair(t)
			return rawStream(a, b)
		}},
		{"RawSocketBlocking", func(t *testing.T) rwStream {
			a, b := rwBlockingSocketpair(t)
			return rawStream(a, b)
		}},
	}
	return append(forms, rwPlatformForms()...)
}

// rawStream is the stream from raw descriptor w to raw descriptor r.
func rawStream(r, w int) rwStream {
	return rwStream{
		r: r, w: w,
		send:   func(t *testing.T, p []byte) { t.Helper(); rwSend(t, w, p) },
		closeR: func(t *testing.T) { t.Helper(); closeFd(t, r) },
		closeW: func(t *testing.T) { t.Helper(); closeFd(t, w) },
	}
}

// eachForm runs f as a subtest on each form.
func eachForm(t *testing.T, f func(t *testing.T, s rwStream)) {
	for _, form := range rwForms() {
		t.Run(form.name, func(t *testing.T) { f(t, form.make(t)) })
	}
}

// atOnce calls f on another goroutine and fails the test unless it
// returns within hangLimit, a limit that only catches a hang: f makes a few
// system calls that never wait. If it hangs, unblock, if not nil, is called
// to end it (a write to the peer releases a read), so that no goroutine
// outlives the test.
func atOnce(t *testing.T, what string, unblock func(), f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case <-done:
	case <-limit.C:
		if unblock != nil {
			unblock()
			<-done
		}
		t.Fatalf("%s blocked: still waiting after %v", what, hangLimit)
	}
}

// waitEvent adds a one-shot event of spec and waits for its delivery,
// with reason.
func waitEvent(t *testing.T, c *evchan.Container, spec evchan.Spec, reason evchan.Reason, what string) {
	t.Helper()
	id := add(t, c, spec, what, 0)
	want(t, next(t, c, what), id, reason)
}

// readNotReady reads r, which must have nothing now, and checks that Read
// returns at once with an error wrapping ErrNotReady. unblock ends a hung
// Read.
func readNotReady(t *testing.T, r any, unblock func(), what string) {
	t.Helper()
	var n int
	var err error
	atOnce(t, "Read "+what, unblock, func() { n, err = poll.Read(r, make([]byte, 64)) })
	if n != 0 || !errors.Is(err, poll.ErrNotReady) {
		t.Fatalf("Read %s: %d, %v; want 0 and an error wrapping ErrNotReady", what, n, err)
	}
	if !errors.Is(err, rwWouldBlock) || errors.Is(err, evchan.ErrInvalid) || errors.Is(err, io.EOF) {
		t.Fatalf("Read %s: %v wraps the wrong errors: want ErrNotReady and %v, not ErrInvalid nor io.EOF", what, err, rwWouldBlock)
	}
}

// readAvailable reads r on each delivery of a persistent readable event,
// until ErrNotReady, until it got want bytes or the end of the stream, and
// returns what it read and whether it met the end. R3: the event is
// level-triggered, so data that comes after a Read found none fires it
// again.
func readAvailable(t *testing.T, c *evchan.Container, r any, want int) ([]byte, bool) {
	t.Helper()
	id := add(t, c, poll.Readable(r).Persistent(), "R", 0)
	defer c.Del(id)
	var got []byte
	buf := make([]byte, 64<<10)
	for len(got) < want {
		e := next(t, c, "R of the reading end")
		if e.ID != id || e.Err != nil {
			t.Fatalf("got %v, want a delivery of R %d", e, id)
		}
		for {
			n, err := poll.Read(r, buf)
			got = append(got, buf[:n]...)
			if err == nil {
				if n == 0 {
					t.Fatal("Read returned 0 and no error")
				}
				continue
			}
			if errors.Is(err, poll.ErrNotReady) {
				break // wait for the next delivery
			}
			if err == io.EOF && n == 0 {
				return got, true
			}
			t.Fatalf("Read after %d bytes: %d, %v", len(got), n, err)
		}
	}
	return got, false
}

// Read returns what is there, at most len(p) bytes a call, then
// ErrNotReady, at once.
func TestReadData(t *testing.T) {
	eachForm(t, func(t *testing.T, s rwStream) {
		c := newContainer(t)
		s.send(t, []byte("0123456789"))
		waitEvent(t, c, poll.Readable(s.r), evchan.Readable, "r after a write")
		buf := make([]byte, 4)
		var got []string
		for _, want := range []string{"0123", "4567", "89"} {
			n, err := poll.Read(s.r, buf)
			if err != nil || n != len(want) {
				t.Fatalf("Read after %q: %d, %v; want %d bytes", got, n, err, len(want))
			}
			got = append(got, string(buf[:n]))
		}
		if strings.Join(got, "") != "0123456789" {
			t.Fatalf("Read got %q, want 0123456789 in three parts", got)
		}
		readNotReady(t, s.r, func() { s.send(t, []byte{0}) }, "after everything was read")
	})
}

// A spurious wake-up: Read finds nothing there, and returns ErrNotReady at
// once, even on a descriptor in blocking mode (RawSocketBlocking,
// RawPipeBlocking and FileBlocking have nothing to read: a read(2) of
// them would wait for ever). Also after a delivery whose data another reader
// took first, which every consumer of readiness must expect (doc,
// CONTRACT.md Event kinds).
func TestReadSpuriousWakeUp(t *testing.T) {
	eachForm(t, func(t *testing.T, s rwStream) {
		c := newContainer(t)
		unblock := func() { s.send(t, []byte{0}) }
		readNotReady(t, s.r, unblock, "of an empty stream")

		s.send(t, []byte("x"))
		waitEvent(t, c, poll.Readable(s.r), evchan.Readable, "r after a write")
		// Another reader takes the byte the event announced.
		if n, err := poll.Read(s.r, make([]byte, 1)); n != 1 || err != nil {
			t.Fatalf("the other reader's Read: %d, %v", n, err)
		}
		readNotReady(t, s.r, unblock, "after another reader took the data")
		readNotReady(t, s.r, unblock, "again")
	})
}

// Read returns 0 and io.EOF once the writer closed and everything it wrote
// was read, and again after that.
func TestReadEOF(t *testing.T) {
	eachForm(t, func(t *testing.T, s rwStream) {
		c := newContainer(t)
		s.send(t, []byte("last words"))
		s.closeW(t)
		got, eof := readAvailable(t, c, s.r, 1<<30)
		if !eof || string(got) != "last words" {
			t.Fatalf("read %q (end: %v), want %q then io.EOF", got, eof, "last words")
		}
		atOnce(t, "Read at the end", nil, func() {
			if n, err := poll.Read(s.r, make([]byte, 8)); n != 0 || err != io.EOF {
				t.Errorf("Read again at the end: %d, %v; want 0, io.EOF", n, err)
			}
		})
	})
}

// Write fills a full buffer as far as it goes: n < len(p) and ErrNotReady,
// never blocking, whatever the mode. Once the reader took everything, a
// writable event comes, and Write writes all again.
func TestWriteFillsTheBuffer(t *testing.T) {
	eachForm(t, func(t *testing.T, s rwStream) {
		c := newContainer(t)
		// 100,000 bytes: more than a pipe holds (64 KiB), so that a write
		// that waited for room would hang here.
		p := bytes.Repeat([]byte("0123456789abcdef"), 6250)
		total := 0
		atOnce(t, "Write until full", func() { s.closeR(t) }, func() {
			for total < 256<<20 {
				n, err := poll.Write(s.w, p)
				total += n
				switch {
				case err == nil && n == len(p):
					continue
				case errors.Is(err, poll.ErrNotReady) && n < len(p):
					if !errors.Is(err, rwWouldBlock) || errors.Is(err, evchan.ErrInvalid) {
						t.Errorf("Write's %v wraps the wrong errors", err)
					}
					return
				}
				t.Errorf("Write after %d bytes: %d, %v; want %d and nil, or fewer and ErrNotReady", total, n, err, len(p))
				return
			}
			t.Errorf("Write took %d bytes and never filled the buffer", total)
		})
		if t.Failed() {
			return
		}
		got, eof := readAvailable(t, c, s.r, total)
		if eof || len(got) != total {
			t.Fatalf("the reader got %d bytes (end: %v), want the %d written", len(got), eof, total)
		}
		for i := range got {
			if got[i] != "0123456789abcdef"[i%16] {
				t.Fatalf("byte %d of what was read is %q: Write lost or repeated bytes", i, got[i])
			}
		}
		waitEvent(t, c, poll.Writable(s.w), evchan.Writable, "w once the reader took everything")
		atOnce(t, "Write after the reader drained", func() { s.closeR(t) }, func() {
			if n, err := poll.Write(s.w, p[:1000]); n != 1000 || err != nil {
				t.Errorf("Write after the reader drained: %d, %v; want 1000, nil", n, err)
			}
		})
	})
}

// Write to a stream whose reader closed fails with the system's error of a
// broken stream (EPIPE, ECONNRESET), not ErrNotReady, and the program goes
// on: the SIGPIPE of a pipe is ignored by the runtime.
func TestWriteClosedPeer(t *testing.T) {
	eachForm(t, func(t *testing.T, s rwStream) {
		s.closeR(t)
		// A TCP peer answers the first write with a reset, which may come
		// after Write returned: write until it fails.
		var err error
		atOnce(t, "Write to a closed reader", nil, func() {
			end := timeLimit()
			for err == nil && time.Now().Before(end) {
				_, err = poll.Write(s.w, []byte("anyone?"))
			}
		})
		if err == nil {
			t.Fatalf("Write to a closed reader kept succeeding for %v", hangLimit)
		}
		if errors.Is(err, poll.ErrNotReady) || !rwBroken(err) {
			t.Fatalf("Write to a closed reader: %v; want a broken pipe or connection reset, not ErrNotReady", err)
		}
	})
}

// ErrNotReady is a sentinel of its own, no fault: not evchan.ErrInvalid.
// R15: a value that is no open descriptor (nil, negative, a typed nil, not
// a descriptor at all, a number not open) gets an error wrapping
// ErrBadDescriptor, as Readable's Spec would; a closed connection gets its
// own error (net.ErrClosed); an empty buffer nothing.
func TestReadWriteErrors(t *testing.T) {
	if errors.Is(poll.ErrNotReady, evchan.ErrInvalid) || !strings.Contains(poll.ErrNotReady.Error(), "not ready") {
		t.Errorf("ErrNotReady = %q, is ErrInvalid: %v; want a text saying not ready, and no ErrInvalid",
			poll.ErrNotReady, errors.Is(poll.ErrNotReady, evchan.ErrInvalid))
	}
	var nilConn *net.TCPConn
	for _, bad := range []any{nil, -1, nilConn, "7", 1 << 30} {
		if n, err := poll.Read(bad, make([]byte, 1)); n != 0 || !errors.Is(err, poll.ErrBadDescriptor) {
			t.Errorf("Read(%#v): %d, %v; want an error wrapping ErrBadDescriptor", bad, n, err)
		}
		if n, err := poll.Write(bad, []byte{1}); n != 0 || !errors.Is(err, poll.ErrBadDescriptor) {
			t.Errorf("Write(%#v): %d, %v; want an error wrapping ErrBadDescriptor", bad, n, err)
		}
	}

	client, server := tcpPair(t)
	if n, err := poll.Read(server, nil); n != 0 || err != nil {
		t.Errorf("Read of an empty p: %d, %v; want 0, nil", n, err)
	}
	if n, err := poll.Write(server, nil); n != 0 || err != nil {
		t.Errorf("Write of an empty p: %d, %v; want 0, nil", n, err)
	}
	client.Close()
	if n, err := poll.Read(client, make([]byte, 1)); n != 0 || !errors.Is(err, net.ErrClosed) || errors.Is(err, poll.ErrNotReady) {
		t.Errorf("Read of a closed conn: %d, %v; want an error wrapping net.ErrClosed", n, err)
	}
	if n, err := poll.Write(client, []byte{1}); n != 0 || !errors.Is(err, net.ErrClosed) || errors.Is(err, poll.ErrNotReady) {
		t.Errorf("Write to a closed conn: %d, %v; want an error wrapping net.ErrClosed", n, err)
	}
}

// End to end, with both backends: a client driven by a container alone,
// through an echo server. A persistent readable event on the TCP conn; on
// each delivery, Read until ErrNotReady. What is left to send goes out with
// Write as far as it goes; when it returns ErrNotReady the rest waits for a
// one-shot writable event. The client gets back every byte, in order, and
// the end of the stream after its own. R1: the one-shot w ends at its
// delivery, and is added again at the next Write that fills the buffer.
func TestReadWriteEcho(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		client, server := tcpPair(t)
		// Small buffers: 1 MiB does not fit in what the connection holds,
		// so the client's Write fills them (ErrNotReady), and it reads
		// over several deliveries.
		for _, conn := range []*net.TCPConn{client, server} {
			if err := conn.SetWriteBuffer(32 << 10); err != nil {
				t.Fatal(err)
			}
			if err := conn.SetReadBuffer(32 << 10); err != nil {
				t.Fatal(err)
			}
		}
		var echo sync.WaitGroup
		echo.Go(func() { // the server: plain blocking Go, as a peer would be
			server.SetDeadline(timeLimit())
			// Plain Read and Write, not the splice ReadFrom would try.
			if _, err := io.Copy(struct{ io.Writer }{server}, struct{ io.Reader }{server}); err != nil {
				t.Errorf("echo server: %v", err)
			}
			server.CloseWrite()
		})
		defer echo.Wait()
		defer client.Close() // before the wait, should the test fail

		c := newContainer(t)
		payload := make([]byte, 1<<20)
		for i := range payload {
			payload[i] = byte(i*7 + i>>10)
		}
		rid := add(t, c, b.Readable(client).Persistent(), "R", 0)
		out, got, buf := payload, []byte(nil), make([]byte, 16<<10)
		var wid evchan.ID // the one-shot w while one is waiting
		deliveries, spurious, notReady := 0, 0, 0

		send := func() {
			n, err := poll.Write(client, out)
			out = out[n:]
			switch {
			case err == nil && len(out) == 0:
				if err := client.CloseWrite(); err != nil {
					t.Fatalf("CloseWrite: %v", err)
				}
			case errors.Is(err, poll.ErrNotReady) && len(out) > 0:
				notReady++
				wid = add(t, c, b.Writable(client), "w", 0)
			default:
				t.Fatalf("Write with %d bytes left: %d, %v", len(out)+n, n, err)
			}
		}
		send()
		for eof := false; !eof; {
			e := next(t, c, "the client's r or w")
			if e.Err != nil {
				t.Fatalf("got %v", e)
			}
			switch e.ID {
			case wid:
				wid = 0
				send()
			case rid:
				deliveries++
				for first := true; ; first = false {
					n, err := poll.Read(client, buf)
					got = append(got, buf[:n]...)
					if errors.Is(err, poll.ErrNotReady) {
						if first {
							spurious++
						}
						break
					}
					if err == io.EOF {
						eof = true
						break
					}
					if err != nil {
						t.Fatalf("Read after %d bytes: %v", len(got), err)
					}
				}
			default:
				t.Fatalf("got %v, want R %d or w %d", e, rid, wid)
			}
		}
		if len(out) != 0 || !bytes.Equal(got, payload) {
			t.Fatalf("sent %d of %d bytes, got back %d, equal: %v", len(payload)-len(out), len(payload), len(got), bytes.Equal(got, payload))
		}
		if notReady == 0 || deliveries < 2 {
			t.Errorf("%d writes filled the buffer and R was delivered %d times; want at least 1 and 2, as 1 MiB does not fit in the connection", notReady, deliveries)
		}
		t.Logf("%d deliveries of R (%d spurious), %d writes that filled the buffer", deliveries, spurious, notReady)
	})
}
