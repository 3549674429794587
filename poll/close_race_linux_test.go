//go:build linux

package poll

import (
	"runtime"
	"testing"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/unix"
)

// nonBlockingPipe is a pipe closed at the end of the test.
func nonBlockingPipe(t *testing.T) (r, w int) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	return p[0], p[1]
}

// takeNumber makes fd, closed already, name the file of other: what the
// next open of another part of the program would do.
func takeNumber(t *testing.T, other, fd int) {
	t.Helper()
	if other == fd {
		return
	}
	if err := unix.Dup3(other, fd, unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
}

// A Stop that comes after the poller's Close (a loop stopping a one-shot
// event it delivered, or an Add racing with Close) leaves the mechanism
// alone: its descriptors are closed, and their numbers may name other files
// already. The poll(2) backend wakes its goroutine with a byte on a pipe.
func TestStopAfterCloseTouchesNoDescriptor(t *testing.T) {
	p, err := startPoller(Portable)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := nonBlockingPipe(t)
	w, err := p.register(r, wantRead, evchan.Handle{})
	if err != nil {
		t.Fatal(err)
	}
	wakeW := p.mech.(*pollSysMech).wakeup.w
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	ur, uw := nonBlockingPipe(t)
	takeNumber(t, uw, wakeW)
	w.Stop()
	var b [8]byte
	if n, _ := unix.Read(ur, b[:]); n > 0 {
		t.Errorf("Stop after Close wrote %d byte(s) into another file under the closed wake-up pipe's number", n)
	}
}

// pausingEpoll is epoll whose inline polls stop, once they have polled,
// until released.
type pausingEpoll struct {
	*epollMech
	peeked, release chan struct{}
}

func (m *pausingEpoll) newWaiter(woken bool) waiter {
	w := m.epollMech.newWaiter(woken)
	if woken {
		return w
	}
	return &pausingWaiter{w, m}
}

type pausingWaiter struct {
	waiter
	m *pausingEpoll
}

func (w *pausingWaiter) poll(buf []readiness, timeout int) ([]readiness, bool, error) {
	buf, more, err := w.waiter.poll(buf, timeout)
	w.m.peeked <- struct{}{}
	<-w.m.release
	return buf, more, err
}

// directWatch registers fd with a poller of the test's making, and leaves
// the re-arm to the test.
type directWatch struct {
	p   *poller
	fd  int
	reg evchan.Watcher
}

func (s *directWatch) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w, err := s.p.register(s.fd, wantRead, h)
	s.reg = w
	return noRearm{w}, err
}

type noRearm struct{ evchan.Watcher }

func (noRearm) Rearm() {}

// Close waits for an inline poll under way (a loop's re-arm) before it
// closes the mechanism, so that the poll never works on a closed number,
// nor makes a new epoll set that nothing would close.
func TestCloseWaitsForAnInlinePoll(t *testing.T) {
	em, err := openEpoll()
	if err != nil {
		t.Fatal(err)
	}
	pm := &pausingEpoll{em, make(chan struct{}), make(chan struct{})}
	p := newPoller(pm)
	r, w := nonBlockingPipe(t)
	unix.Write(w, []byte{1}) // readable, and stays so
	c := evchan.New()
	defer c.Close()
	src := &directWatch{p: p, fd: r}
	if _, err := c.Add(evchan.Custom(src).Persistent(), nil, 0); err != nil {
		t.Fatal(err)
	}
	<-c.C // delivered: its registration waits for its re-arm
	rearmed := make(chan struct{})
	go func() { src.reg.Rearm(); close(rearmed) }() // polls inline, and pauses
	<-pm.peeked
	src.reg.Stop() // as Container.Close does, then it closes the poller
	closed := make(chan error)
	go func() { closed <- p.Close() }()
	for !p.isClosed() {
		runtime.Gosched() // until Close is under way
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while an inline poll was under way", err)
	default:
	}
	epfd := em.epfd
	pm.release <- struct{}{} // the poll finds a stale report
	<-rearmed
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	for _, fd := range []int{epfd, em.epfd} {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != unix.EBADF {
			unix.Close(fd)
			t.Errorf("epoll set %d still open after Close (%v)", fd, err)
		}
	}
}
