//go:build linux

package poll_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// What the kernel says about the container's epoll set, through /proc.

// epollFds returns the epoll descriptors open in the process.
func epollFds(t *testing.T) map[int]bool {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	eps := map[int]bool{}
	for _, e := range ents {
		link, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil || link != "anon_inode:[eventpoll]" {
			continue
		}
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			eps[fd] = true
		}
	}
	return eps
}

// newEpoll returns the epoll descriptor opened since before was taken, or
// -1 if there is none (the Portable backend), failing if there are several.
func newEpoll(t *testing.T, before map[int]bool) int {
	t.Helper()
	ep := -1
	for fd := range epollFds(t) {
		if before[fd] {
			continue
		}
		if ep >= 0 {
			t.Fatalf("several new epoll descriptors: %d and %d", ep, fd)
		}
		ep = fd
	}
	return ep
}

// epollWatches reports whether epoll set ep holds descriptor fd, as
// /proc/self/fdinfo lists it ("tfd: N").
func epollWatches(t *testing.T, ep, fd int) bool {
	t.Helper()
	if ep < 0 {
		t.Fatal("no epoll descriptor of the container")
	}
	f, err := os.Open(fmt.Sprintf("/proc/self/fdinfo/%d", ep))
	if err != nil {
		t.Fatalf("fdinfo of epoll %d: %v", ep, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "tfd:" && fields[1] == strconv.Itoa(fd) {
			return true
		}
	}
	return false
}

// A one-shot r is deleted at the moment it is delivered (R1), and its
// descriptor unregistered: the data left unread fires it no more, and the
// epoll set no longer holds the descriptor (R9's release, at delivery).
func TestLevelOneShotDeletedAndUnregistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		before := epollFds(t)
		id := add(t, c, b.Readable(r), "r", 0)
		ep := newEpoll(t, before)
		if b == poll.Default && !epollWatches(t, ep, r) {
			t.Fatalf("the container's epoll set does not hold descriptor %d after Add", r)
		}
		writeByte(t, w)
		writeByte(t, w)
		want(t, next(t, c, "the delivery of r"), id, evchan.Readable)
		if c.Del(id) || (c.SetData(id, "x") == nil) {
			t.Error("Del or Set of a delivered one-shot event reported true, want false (R1, R2)")
		}
		if n := c.Len(); n != 0 {
			t.Errorf("Len = %d after the one-shot event was delivered, want 0 (R1)", n)
		}
		// The pipe is still readable: a registration left behind would fire.
		if evs := of(settle(t, c, b), id); len(evs) > 0 {
			t.Fatalf("after delivery of the one-shot event, got %v (R1)", evs)
		}
		if b == poll.Default && epollWatches(t, ep, r) {
			t.Errorf("the container's epoll set still holds descriptor %d after its one-shot event was delivered", r)
		}
		// The descriptor can be registered again, and is still readable.
		id2 := add(t, c, b.Readable(r), "r again", 0)
		want(t, next(t, c, "the delivery of r added again"), id2, evchan.Readable)
		if n := readAll(t, r); n != 2 {
			t.Errorf("read %d bytes, want the 2 written: registration reads nothing", n)
		}
	})
}
