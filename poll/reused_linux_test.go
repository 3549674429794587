//go:build linux

package poll_test

import (
	"errors"
	"testing"

	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// R15: a registered number closed and taken by a regular file (which epoll
// cannot watch: it is always ready) can be added again, and the old event
// gets ErrClosedWhileRegistered.
func TestR15NumberReusedByARegularFile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		old := add(t, c, b.Readable(r).Persistent(), "old pipe", 0)
		p := newProbe(t, c, b)
		closeFd(t, r)
		fd, err := unix.Open(t.TempDir()+"/regular", unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if fd != r {
			if err := unix.Dup3(fd, r, unix.O_CLOEXEC); err != nil {
				t.Fatal(err)
			}
			unix.Close(fd)
		}
		closeAtEnd(t, r)
		cur, err := c.Add(b.Readable(r), "regular file", 0)
		if err != nil {
			t.Fatalf("Add of a regular file under a number an event still has: %v", err)
		}
		evs := p.settle()
		if len(of(evs, cur)) != 1 {
			t.Errorf("the regular file's event: %v, want one (always ready)", of(evs, cur))
		}
		if got := of(evs, old); len(got) != 1 || !errors.Is(got[0].Err, poll.ErrClosedWhileRegistered) {
			t.Errorf("the old event got %v, want one delivery with ErrClosedWhileRegistered", got)
		}
	})
}

// R15: when epoll's set is rebuilt (a file closed under its number lives on
// under a dup, and only its stale reports come back), a number closed and
// reused meanwhile is not watched again for its old event: the new file's
// readiness never reaches it, and it fails instead.
func TestR15RebuildLeavesOutReusedNumbers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		rA, _ := rawPipe(t)
		old := add(t, c, b.Readable(rA).Persistent(), "old pipe", 0)
		p := newProbe(t, c, b)
		rX, wX := rawPipe(t)
		dX, err := unix.Dup(rX)
		if err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, dX)
		idX := add(t, c, b.Readable(rX).Persistent(), "duplicated", 0)
		closeFd(t, rX)
		c.Del(idX)                 // its file lives on in epoll's set, under dX
		wNew := reuseNumber(t, rA) // the old event's number names a new pipe
		writeByte(t, wNew)         // which is readable
		writeByte(t, wX)           // a stale report: the set is rebuilt
		if b == poll.Default {
			// epoll: with nothing but the stale report to find, the poller
			// rebuilds its set, finds the number reused, and fails the event.
			e, _ := until(t, c, old, "the old event's failure")
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("the old event got %v: another file's readiness (R15)", e)
			}
			return
		}
		for _, e := range of(p.settle(), old) {
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) {
				t.Errorf("the old event got %v: another file's readiness (R15)", e)
			}
		}
	})
}

// Two events on one socket (r and x), its number closed while a dup keeps
// the file open, then r deleted: the poller, unable to narrow epoll's
// watch, fails the x event rather than spin on readiness no event wants.
func TestNarrowingAClosedNumberDoesNotSpin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		d, err := unix.Dup(s)
		if err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, d)
		rd := add(t, c, b.Readable(s).Persistent(), "r", 0)
		add(t, c, b.Exception(s).Persistent(), "x", 0)
		p := newProbe(t, c, b)
		closeFd(t, s)
		p.settle()
		c.Del(rd)
		writeByte(t, peer) // readable through d, and stays so
		p.settle()
		noSpin(t, "with a closed, duplicated number whose read interest was dropped")
	})
}
