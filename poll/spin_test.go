//go:build linux || windows

package poll_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// A poller with nothing to deliver sleeps in the kernel. One that polls a
// descriptor whose condition no event takes spins instead: level-triggered
// readiness is reported again at once, forever. These tests measure the
// process's CPU time over a window in which nothing is to happen.

// spinWindow is how long the CPU time is measured. Idle, the process uses
// about 1% of it; a spinning poller uses from 15% (on a loaded machine) to
// all of a core, so the bound below (10%) fails only on a spin, and on a
// heavily loaded machine may miss one.
const spinWindow = 300 * time.Millisecond

// noSpin fails the test if the process keeps a CPU busy while idle.
func noSpin(t *testing.T, what string) {
	t.Helper()
	runtime.GC() // so that no collection of earlier tests' garbage is measured
	before := cpuTime(t)
	start := time.Now()
	time.Sleep(spinWindow) // a measuring window, not a wait for an event
	used, wall := cpuTime(t)-before, time.Since(start)
	if used > wall/10 {
		t.Errorf("the process used %v of CPU in %v while idle, %s: the poller spins", used, wall, what)
	}
}

// R3 (pending work is bounded, never by the rate of sources), measured:
// an idle container with descriptor events does not use the CPU.
func TestSpinIdle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		add(t, c, b.Readable(r).Persistent(), "idle", 0)
		settle(t, c, b)
		noSpin(t, "with one idle descriptor event")
	})
}

// R15: after poll(2) reported a descriptor closed while registered
// (POLLNVAL) and its event was delivered with ErrClosedWhileRegistered,
// the poller must stop polling that number.
func TestSpinAfterClosedWhileRegistered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, _ := rawPipe(t)
		add(t, c, b.Readable(r).Persistent(), "closed under its event", 0)
		p := newProbe(t, c, b)
		closeFd(t, r)
		p.settle()
		noSpin(t, "after a descriptor was closed while registered")
	})
}

// R3: an exception event (X) on a socket whose peer closed. The kernel
// reports the hang-up whatever events were asked for, and X does not fire
// on a hang-up (doc), so nothing takes the condition: the poller must not
// poll it again and again.
func TestSpinExceptionOnHungUpSocket(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s, peer := socketpair(t)
		id := add(t, c, b.Exception(s).Persistent(), "X", 0)
		closeFd(t, peer)
		for _, e := range of(settle(t, c, b), id) {
			if e.Reason != evchan.Exception {
				t.Errorf("got %v for X after the peer hung up", e)
			}
		}
		noSpin(t, "with X on a socket whose peer closed")
	})
}
