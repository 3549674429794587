package property_test

import (
	"io"
	"sync"
	"time"

	"github.com/evchan/evchan/evchan"
)

// fakeWaiter stands in for package poll's poller on the inline path: a
// loop over All with nothing to take waits in it (evchan.Waiter), as it
// would in the kernel, and control calls, deadlines, Stop and Close must
// wake it. It has no sources of its own. Its Wait blocks on a channel and
// a timer, which a synctest bubble sees as durably blocked, where a
// goroutine in epoll_wait is not. Every declineEvery-th Wait (0: none)
// declines, as a poller does while events it reported wait to be taken,
// so the loop's other way to wait, for the container's signal, runs
// inside the same sequences.
type fakeWaiter struct {
	declineEvery int
	wake         chan struct{} // capacity 1: a Wake is kept for the next Wait

	mu       sync.Mutex
	calls    int
	waiting  bool
	overlaps int // Waits begun while another was under way: a container bug
}

func newFakeWaiter(declineEvery int) *fakeWaiter {
	return &fakeWaiter{declineEvery: declineEvery, wake: make(chan struct{}, 1)}
}

type fakeWaiterKey struct{}

// install makes w the container's one Waiter, as a source's Watch would.
func (w *fakeWaiter) install(c *evchan.Container) error {
	_, err := c.Service(fakeWaiterKey{}, func() (io.Closer, error) { return w, nil })
	return err
}

func (w *fakeWaiter) Probe() {}

func (w *fakeWaiter) Wait(timeout time.Duration) (fired int, waited bool) {
	w.mu.Lock()
	w.calls++
	if w.declineEvery > 0 && w.calls%w.declineEvery == 0 {
		w.mu.Unlock()
		return 0, false
	}
	if w.waiting {
		w.overlaps++
	}
	w.waiting = true
	w.mu.Unlock()
	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-w.wake:
	case <-expired:
	}
	w.mu.Lock()
	w.waiting = false
	w.mu.Unlock()
	return 0, true
}

func (w *fakeWaiter) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *fakeWaiter) Release()     {}
func (w *fakeWaiter) Close() error { return nil }

// stats returns how many Waits were called, and how many overlapped.
func (w *fakeWaiter) stats() (calls, overlaps int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls, w.overlaps
}

var _ evchan.Waiter = (*fakeWaiter)(nil)
