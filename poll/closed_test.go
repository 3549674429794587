//go:build linux

package poll_test

import (
	"errors"
	"os"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// A descriptor closed while registered (R15), without its number being
// reused. poll(2) reports the number invalid (POLLNVAL): the event is
// delivered once with Err wrapping ErrClosedWhileRegistered, then deleted
// even though persistent. epoll drops a closed file silently: the event
// just stops firing and stays until Del. Either way the container goes on.
func TestClosedWhileRegistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		other, otherW := rawPipe(t)
		id := add(t, c, b.Readable(r).Persistent(), "closed under its event", 0)
		live := add(t, c, b.Readable(other).Persistent(), "another descriptor", 0)
		p := newProbe(t, c, b) // before the close: the probe must not take the number
		closeFd(t, r)

		evs := p.settle()
		got := of(evs, id)
		switch b {
		case poll.Portable:
			if len(got) != 1 {
				t.Fatalf("got %v for the closed descriptor's event, want one delivery with ErrClosedWhileRegistered (R15)", evs)
			}
			if e := got[0]; !errors.Is(e.Err, poll.ErrClosedWhileRegistered) || e.Reason != evchan.Readable {
				t.Fatalf("got %v, want reason readable and Err wrapping ErrClosedWhileRegistered (R15)", e)
			}
			if c.Del(id) {
				t.Error("Del after the ErrClosedWhileRegistered delivery reported true: the event should be deleted (R15, R1)")
			}
		case poll.Default:
			if len(got) != 0 {
				t.Errorf("got %v after the close: epoll drops a closed file, the event should just stop firing (doc)", got)
			}
			if !c.Del(id) {
				t.Error("Del of the event of the closed descriptor reported false: epoll gave no report, it should still be there")
			}
		}

		// The container is intact: the other descriptor still works.
		writeByte(t, otherW)
		e, _ := until(t, c, live, "R on another descriptor after the close")
		want(t, e, live, evchan.Readable)
	})
}

// reuseNumber closes fd and makes a new pipe whose read end takes its number,
// as the next open would: the situation R15 is about.
func reuseNumber(t *testing.T, fd int) (w int) {
	t.Helper()
	closeFd(t, fd)
	r, w := rawPipe(t)
	if r != fd {
		if err := unix.Dup3(r, fd, unix.O_CLOEXEC); err != nil {
			t.Fatalf("dup3: %v", err)
		}
		closeAtEnd(t, fd)
		closeFd(t, r)
	}
	return w
}

// A descriptor closed while registered, whose number is reused by a new
// pipe that is registered in the same container (R15). Events of the new
// file go to the new event only, never to the old ID. epoll notices the
// reuse when the number is added again: the old event is delivered once
// with ErrClosedWhileRegistered and deleted. Either backend may deliver
// the old event once more, with that error; never with the new file's
// readiness.
func TestClosedNumberReusedAndRegistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		old := add(t, c, b.Readable(r).Persistent(), "old file", 0)
		p := newProbe(t, c, b)
		w := reuseNumber(t, r)
		cur := add(t, c, b.Readable(r).Persistent(), "new file", 0)
		writeByte(t, w)
		e, before := until(t, c, cur, "R of the new file")
		want(t, e, cur, evchan.Readable)
		readAll(t, r)
		evs := append(before, p.settle()...)
		checkOldEvents(t, c, b, old, of(evs, old))
	})
}

// A descriptor closed while registered, whose number is reused by a file
// the container does not watch (R15): the old event never reports that
// file's readiness.
func TestClosedNumberReusedUnregistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		old := add(t, c, b.Readable(r).Persistent(), "old file", 0)
		p := newProbe(t, c, b)
		w := reuseNumber(t, r)
		writeByte(t, w) // the new file is readable, and stays so
		for _, e := range of(p.settle(), old) {
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("got %v for the closed descriptor's event: the readiness of another file that reuses its number (R15)", e)
			}
		}
	})
}

// checkOldEvents checks what the old event of a reused number got: at most
// one delivery, with ErrClosedWhileRegistered, after which it is deleted.
func checkOldEvents(t *testing.T, c *evchan.Container, b poll.Backend, old evchan.ID, got []evchan.Event) {
	t.Helper()
	for _, e := range got {
		if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
			t.Errorf("got %v for the closed descriptor's event: the readiness of another file that reuses its number (R15)", e)
		}
	}
	if len(got) > 1 {
		t.Errorf("got %d deliveries of the old event, want at most one (R15)", len(got))
	}
	if b == poll.Default && len(got) != 1 {
		t.Errorf("epoll: the old event got %v, want one delivery with ErrClosedWhileRegistered once its number was added again (R15, doc)", got)
	}
	if len(got) == 1 && c.Del(old) {
		t.Error("Del of the old event reported true after its ErrClosedWhileRegistered delivery, want it deleted (R15)")
	}
}

// A descriptor closed while registered and added again under the same
// number, now naming no file: Add refuses it (R15), and the old event
// learns that its descriptor is gone.
func TestClosedThenAddedAgain(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		old := add(t, c, b.Readable(r).Persistent(), "old", 0)
		p := newProbe(t, c, b)
		closeFd(t, r)
		if id, err := c.Add(b.Readable(r), "again", 0); !errors.Is(err, poll.ErrBadDescriptor) {
			t.Errorf("Add of the closed number: ID %d, %v, want an error wrapping ErrBadDescriptor (R15)", id, err)
		}
		got := of(p.settle(), old)
		if len(got) != 1 || !errors.Is(got[0].Err, poll.ErrClosedWhileRegistered) {
			t.Fatalf("the old event got %v, want one delivery with ErrClosedWhileRegistered (R15)", got)
		}
	})
}

// A regular file is always ready (doc); one closed while registered, its
// number reused by an empty pipe that is registered in turn: the pipe's
// event does not fire while the pipe is empty, and the old event gets
// nothing but ErrClosedWhileRegistered (R15).
func TestClosedRegularFileNumberReused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		f, err := os.CreateTemp(t.TempDir(), "regular")
		if err != nil {
			t.Fatal(err)
		}
		fd, err := unix.Dup(int(f.Fd()))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, fd)
		old := add(t, c, b.Readable(fd), "regular file", 0)
		want(t, next(t, c, "r of a regular file: always ready"), old, evchan.Readable)
		old = add(t, c, b.Readable(fd).Persistent(), "regular file", 0)
		want(t, next(t, c, "R of a regular file: always ready"), old, evchan.Readable)
		p := newProbe(t, c, b)
		w := reuseNumber(t, fd)
		cur := add(t, c, b.Readable(fd).Persistent(), "empty pipe", 0)
		evs := p.settle()
		if got := of(evs, cur); len(got) != 0 {
			t.Errorf("got %v for an empty pipe whose number was a regular file's", got)
		}
		for _, e := range of(evs, old) {
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("got %v for the closed regular file (R15)", e)
				break
			}
		}
		writeByte(t, w)
		e, _ := until(t, c, cur, "R of the pipe")
		want(t, e, cur, evchan.Readable)
	})
}
