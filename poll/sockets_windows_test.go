package poll_test

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"go.uber.org/goleak"
	"golang.org/x/sys/windows"
)

// CONTRACT.md Event kinds on Windows ("a descriptor is anything a Go user
// holds", the draft's sockets): every form of a socket is accepted, and
// Event.Source is the value given.
func TestSocketForms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		writeByte(t, peer) // readable until the end of the test
		forms := []struct {
			name string
			fd   any
		}{
			{"int", s},
			{"uintptr", uintptr(s)},
			{"windows.Handle", windows.Handle(s)},
			{"syscall.Handle", syscall.Handle(s)},
			{"value with Fd() uintptr", fdFunc(s)},
		}
		for _, f := range forms {
			id := add(t, c, b.Readable(f.fd), f.name, 0)
			e := next(t, c, "r of the socket given as "+f.name)
			want(t, e, id, evchan.Readable)
			if e.Source != f.fd {
				t.Errorf("%s: Event.Source is %v (%T), want the value given to Add", f.name, e.Source, e.Source)
			}
		}

		// A net.Conn, and its socket as a number: Go's sockets, made for
		// its I/O completion port, are watched as well as raw ones.
		client, server := tcpPair(t)
		if _, err := client.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		for _, fd := range []any{net.Conn(server), fdOf(t, server)} {
			id := add(t, c, b.Readable(fd), "conn", 0)
			want(t, next(t, c, "r of a net.Conn"), id, evchan.Readable)
		}
	})
}

// A net.Listener is readable when a connection waits to be accepted: the
// user's Accept then gets it, as on Unix.
func TestSocketListener(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		id := add(t, c, b.Readable(ln), "listener", 0)
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v on a listener with no connection waiting", evs)
		}
		conn, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		want(t, next(t, c, "r of the listener after a connection"), id, evchan.Readable)
		ln.SetDeadline(timeLimit())
		accepted, err := ln.Accept()
		if err != nil {
			t.Fatalf("Accept after r: %v", err)
		}
		accepted.Close()
	})
}

// A *net.UDPConn is readable when a datagram came: the user's ReadFrom
// then gets it.
func TestSocketUDP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if errors.Is(err, windows.WSAEOPNOTSUPP) {
			// Wine refuses the SIO_UDP_CONNRESET that Go's net sets.
			t.Skipf("ListenUDP: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer udp.Close()
		id := add(t, c, b.Readable(udp).Persistent(), "udp", 0)
		if _, err := udp.WriteTo([]byte("datagram"), udp.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		want(t, next(t, c, "R of a UDP socket after a datagram"), id, evchan.Readable)
		deadline(t, udp)
		buf := make([]byte, 16)
		if n, _, err := udp.ReadFrom(buf); err != nil || string(buf[:n]) != "datagram" {
			t.Fatalf("ReadFrom after R: %q, %v", buf[:n], err)
		}
		if !c.Del(id) {
			t.Error("Del of R reported false")
		}
	})
}

// R15 on Windows: WSAPoll watches sockets only. A file, a pipe or any
// other handle is refused, by Spec.Err before Add as by Add, with an error
// wrapping ErrBadDescriptor and evchan.ErrInvalid; nothing in the
// container is disturbed.
func TestNotSocketRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		kept := add(t, c, b.Readable(s).Persistent(), "kept", 0)
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(exe) // a regular file
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, w := osPipe(t)
		bad := []struct {
			name string
			fd   any
		}{
			{"*os.File of a regular file", f},
			{"*os.File of a pipe", r},
			{"uintptr of a pipe's handle", w.Fd()},
			{"windows.Handle of the console", windows.Handle(os.Stdout.Fd())},
			{"int of a file's handle", int(f.Fd())},
		}
		for _, bd := range bad {
			for _, spec := range []evchan.Spec{b.Readable(bd.fd), b.Writable(bd.fd).Persistent(), b.Exception(bd.fd)} {
				if err := spec.Err(); !errors.Is(err, poll.ErrBadDescriptor) || !errors.Is(err, evchan.ErrInvalid) {
					t.Errorf("%s: Spec.Err = %v, want an error wrapping ErrBadDescriptor and evchan.ErrInvalid", bd.name, err)
				}
				id, err := c.Add(spec, bd.name, 0)
				if !errors.Is(err, poll.ErrBadDescriptor) {
					t.Errorf("%s: Add = %d, %v, want an error wrapping ErrBadDescriptor", bd.name, id, err)
				}
			}
		}
		t.Logf("a pipe: %v", b.Readable(r).Err())
		writeByte(t, peer)
		want(t, next(t, c, "R of the socket added before the bad input"), kept, evchan.Readable)
	})
}

// R12: Close, from another goroutine, while the poller sleeps in WSAPoll
// with sockets registered, ends the poller and closes its wake-up socket:
// no goroutine is left, and the sockets are the user's as before.
func TestCloseWhilePollerSleeps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := evchan.New()
		s, peer := socketpair(t)
		add(t, c, b.Readable(s).Persistent(), "R", time.Hour)
		add(t, c, b.Exception(s), "x", 0)
		settle(t, c, b) // the poller is now asleep in WSAPoll
		done := make(chan error)
		go func() { done <- c.Close() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Close: %v", err)
			}
		case <-time.After(hangLimit):
			t.Fatal("Close did not return: the poller was not woken")
		}
		goleak.VerifyNone(t)
		writeByte(t, peer)
		if n := readAll(t, s); n != 1 {
			t.Errorf("read %d bytes from the socket after Close, want 1", n)
		}
	})
}
