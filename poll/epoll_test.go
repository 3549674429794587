//go:build linux

package poll_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
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
