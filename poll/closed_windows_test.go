package poll_test

import (
	"errors"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/windows"
)

// A socket closed while registered (R15): WSAPoll reports the handle
// invalid (POLLNVAL), so on Windows both backends deliver the event once
// with Err wrapping ErrClosedWhileRegistered and delete it, persistent or
// not. The container goes on.
func TestClosedSocketWhileRegistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, _ := socketpair(t)
		other, otherPeer := socketpair(t)
		id := add(t, c, b.Readable(s).Persistent(), "closed under its event", 0)
		live := add(t, c, b.Readable(other).Persistent(), "another socket", 0)
		p := newProbe(t, c, b) // before the close: the probe must not take the handle
		closeFd(t, s)
		got := of(p.settle(), id)
		if len(got) != 1 {
			t.Fatalf("got %v for the closed socket's event, want one delivery with ErrClosedWhileRegistered (R15)", got)
		}
		if e := got[0]; !errors.Is(e.Err, poll.ErrClosedWhileRegistered) || e.Reason != evchan.Readable {
			t.Fatalf("got %v, want reason readable and Err wrapping ErrClosedWhileRegistered (R15)", e)
		}
		if c.Del(id) {
			t.Error("Del after the ErrClosedWhileRegistered delivery reported true: the event should be deleted (R15, R1)")
		}
		writeByte(t, otherPeer)
		e, _ := until(t, c, live, "R on another socket after the close")
		want(t, e, live, evchan.Readable)
	})
}

// reuseHandle closes s and opens sockets until one takes its handle value,
// as Windows hands a freed value to a later object: the situation R15 is
// about. It connects that socket, and returns its peer.
func reuseHandle(t *testing.T, s int) (peer int) {
	t.Helper()
	ln := listener(t)
	defer windows.Closesocket(ln)
	closeFd(t, s)
	for range 1000 {
		if n := newSocket(t); int(n) == s {
			_, peer := connectPair(t, ln, n)
			return peer
		}
	}
	t.Skipf("no new socket took the closed handle %d", s)
	return -1
}

// A socket closed while registered, whose handle value is reused by a new
// socket that is registered in the same container (R15). Events of the new
// socket go to the new event only; the old event gets at most one
// delivery, with ErrClosedWhileRegistered, never the new socket's
// readiness.
func TestClosedHandleReusedAndRegistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, _ := socketpair(t)
		old := add(t, c, b.Readable(s).Persistent(), "old socket", 0)
		p := newProbe(t, c, b)
		peer := reuseHandle(t, s)
		cur := add(t, c, b.Readable(s).Persistent(), "new socket", 0)
		writeByte(t, peer)
		e, before := until(t, c, cur, "R of the new socket")
		want(t, e, cur, evchan.Readable)
		readAll(t, s)
		got := of(append(before, p.settle()...), old)
		for _, e := range got {
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("got %v for the closed socket's event: the readiness of another socket under its handle (R15)", e)
			}
		}
		if len(got) > 1 {
			t.Errorf("got %d deliveries of the old event, want at most one (R15)", len(got))
		}
	})
}

// A socket closed while registered, whose handle value is reused by a
// socket the container does not watch (R15): the old event never reports
// that socket's readiness.
func TestClosedHandleReusedUnregistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, _ := socketpair(t)
		old := add(t, c, b.Readable(s).Persistent(), "old socket", 0)
		p := newProbe(t, c, b)
		peer := reuseHandle(t, s)
		writeByte(t, peer) // the new socket is readable, and stays so
		for _, e := range of(p.settle(), old) {
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("got %v for the closed socket's event: the readiness of another socket under its handle (R15)", e)
			}
		}
	})
}

// A socket closed while registered and added again under the same handle,
// now naming nothing: Spec.Err and Add refuse it (R15), and the old event
// learns that its socket is gone.
func TestClosedSocketAddedAgain(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, _ := socketpair(t)
		old := add(t, c, b.Readable(s).Persistent(), "old", 0)
		p := newProbe(t, c, b)
		closeFd(t, s)
		if err := b.Readable(s).Err(); !errors.Is(err, poll.ErrBadDescriptor) {
			t.Errorf("Spec.Err of the closed handle: %v, want an error wrapping ErrBadDescriptor", err)
		}
		if id, err := c.Add(b.Readable(s), "again", 0); !errors.Is(err, poll.ErrBadDescriptor) {
			t.Errorf("Add of the closed handle: ID %d, %v, want an error wrapping ErrBadDescriptor (R15)", id, err)
		}
		got := of(p.settle(), old)
		if len(got) != 1 || !errors.Is(got[0].Err, poll.ErrClosedWhileRegistered) {
			t.Fatalf("the old event got %v, want one delivery with ErrClosedWhileRegistered (R15)", got)
		}
	})
}
