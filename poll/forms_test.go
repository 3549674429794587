//go:build linux

package poll_test

import (
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// CONTRACT.md Event kinds ("a descriptor is anything a Go user holds"): every
// form is accepted, and Event.Source is the value given (the draft's
// source). One-shot events: nothing more after them (R1).
func TestDescriptorForms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := osPipe(t)
		fd := fdOf(t, r)
		client, server := tcpPair(t)

		forms := []struct {
			name string
			fd   any
		}{
			{"int", fd},
			{"uintptr", uintptr(fd)},
			{"int32", int32(fd)},
			{"int64", int64(fd)},
			{"uint", uint(fd)},
			{"*os.File", r},
			{"value with Fd() uintptr", fdFunc(fd)},
		}
		if _, err := w.Write([]byte{1}); err != nil {
			t.Fatal(err)
		}
		for _, f := range forms {
			id := add(t, c, b.Readable(f.fd), f.name, 0)
			e := next(t, c, "R of the pipe given as "+f.name)
			want(t, e, id, evchan.Readable)
			if e.Source != f.fd {
				t.Errorf("%s: Event.Source is %v (%T), want the value given to Add", f.name, e.Source, e.Source)
			}
		}

		// A net.Conn (a *net.TCPConn): readable when the peer wrote.
		var conn net.Conn = server
		id := add(t, c, b.Readable(conn), "conn", 0)
		if _, err := client.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		e := next(t, c, "R of a net.Conn")
		want(t, e, id, evchan.Readable)
		if e.Source != any(conn) {
			t.Errorf("Event.Source is %v, want the net.Conn given to Add", e.Source)
		}
		deadline(t, server)
		if _, err := server.Read(make([]byte, 1)); err != nil {
			t.Fatalf("Read: %v", err)
		}
		if evs := settle(t, c, b); len(evs) != 0 {
			t.Errorf("got %v, want no more events: every event above was one-shot (R1)", evs)
		}
	})
}

// CONTRACT.md Event kinds: a net.Listener is readable when a connection waits to
// be accepted; a persistent R stays after delivery (R1).
func TestDescriptorListener(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		id := add(t, c, b.Readable(ln).Persistent(), "listener", 0)
		if evs := of(settle(t, c, b), id); len(evs) != 0 {
			t.Fatalf("got %v with no connection pending", evs)
		}
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		e := next(t, c, "R of a listener with a connection pending")
		want(t, e, id, evchan.Readable)
		if e.Source != ln {
			t.Errorf("Event.Source is %v, want the listener", e.Source)
		}
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(hangLimit))
		accepted, err := ln.Accept()
		if err != nil {
			t.Fatalf("Accept after R: %v", err)
		}
		accepted.Close()
		if !c.Del(id) {
			t.Error("Del of the listener's R reported false")
		}
	})
}

// CONTRACT.md Event kinds, poll doc: registration never changes a descriptor's
// blocking mode; the runtime's files and sockets stay non-blocking.
func TestDescriptorModeUntouched(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := osPipe(t)
		_, server := tcpPair(t)
		for _, f := range []interface {
			SyscallConn() (syscall.RawConn, error)
		}{r, server} {
			add(t, c, b.Readable(f), "mode", 0)
			fl, err := unix.FcntlInt(uintptr(fdOf(t, f)), unix.F_GETFL, 0)
			if err != nil {
				t.Fatal(err)
			}
			if fl&unix.O_NONBLOCK == 0 {
				t.Errorf("%T is in blocking mode after Add", f)
			}
		}
	})
}

// R16: the specs carry the draft's letters, lowercase one-shot, uppercase
// persistent.
func TestDescriptorLetters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		for _, l := range []struct {
			spec evchan.Spec
			want string
		}{
			{b.Readable(0), "r"}, {b.Readable(0).Persistent(), "R"},
			{b.Writable(0), "w"}, {b.Writable(0).Persistent(), "W"},
			{b.Exception(0), "x"}, {b.Exception(0).Persistent(), "X"},
		} {
			if got := l.spec.Letter(); got != l.want {
				t.Errorf("Letter() = %q, want %q", got, l.want)
			}
		}
	})
}
