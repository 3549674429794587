package poll_test

import (
	"testing"

	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// R15, R9: a descriptor duplicated, registered under one number, closed under that
// number while registered, then deleted: the file lives on under the other
// number, and epoll keeps it in the set (epoll(7): an entry goes only with
// the last descriptor of the file), while Del could no longer remove it
// by the closed number. Data then unread must not make the poller spin.
func TestSpinClosedDuplicatedDescriptor(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		dup, err := unix.Dup(r)
		if err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, dup)
		id := add(t, c, b.Readable(r).Persistent(), "R", 0)
		p := newProbe(t, c, b)
		closeFd(t, r)
		for _, e := range of(p.settle(), id) {
			if e.Err == nil {
				t.Errorf("got %v after the close", e)
			}
		}
		c.Del(id)
		writeByte(t, w) // the file is readable through dup, and stays so
		if evs := settle(t, c, b); len(evs) != 0 {
			t.Errorf("got %v after Del (R9)", evs)
		}
		noSpin(t, "with a deleted event's file still open under another number")
	})
}
