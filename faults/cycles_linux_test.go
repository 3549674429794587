//go:build linux

package faults_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
	"github.com/evchan/evchan/sources"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

// R12: a thousand containers, each given one event of every kind Linux has
// (v V t T, r R w W x X, s S, and the custom sources Done and Recv in
// one-shot and persistent form), made to deliver, and closed, leave no
// goroutine and no descriptor behind: Close ends the supervisor, the
// pollers, the signal relay and the sources' goroutines, and closes the
// pollers' kernel objects. On each path, and with the descriptor events on
// epoll, on poll(2), and on both in each container: with one poller, a loop
// over All waits in the kernel itself.
func TestThousandCyclesOfEveryKindLeaveNothing(t *testing.T) {
	forEachPathAndBackends(t, thousandCycles)
}

func thousandCycles(t *testing.T, p path, set backendSet) {
	const cycles = 1000
	cycleEveryKind(t, p, set, -1) // what a process makes once (the runtime's netpoller, os/signal's relay), made now
	fds0, g0 := descriptors(t), runtime.NumGoroutine()
	start := time.Now()
	delivered := 0
	for i := range cycles {
		delivered += cycleEveryKind(t, p, set, i)
		if t.Failed() {
			t.FailNow()
		}
	}
	elapsed := time.Since(start)
	t.Logf("%d cycles in %v (%v a cycle), %d events received, %d descriptors and %d goroutines before",
		cycles, elapsed.Round(time.Millisecond), (elapsed / cycles).Round(time.Microsecond), delivered, fds0, g0)

	goleak.VerifyNone(t)
	// goleak looks at stacks; the count must come back too. A goroutine that
	// has said it is done may still be counted a moment, so this waits for
	// the count rather than taking one look; it fails only after hangLimit.
	deadline := time.Now().Add(hangLimit)
	g := runtime.NumGoroutine()
	for ; g > g0 && time.Now().Before(deadline); g = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	if g > g0 {
		t.Errorf("%d goroutines after %d cycles, %d before", g, cycles, g0)
	}
	if fds := descriptors(t); fds != fds0 {
		t.Errorf("%d descriptors open after %d cycles, %d before", fds, cycles, fds0)
	}
	t.Logf("after: %d descriptors, %d goroutines", descriptors(t), g)
}

// cycleEveryKind makes a container, adds one event of every kind to it (the
// descriptor events on each backend of set), takes events on path p until
// every event that was made to fire has been delivered, and closes it and
// the cycle's descriptors. It returns how many events it took.
func cycleEveryKind(t *testing.T, p path, set backendSet, i int) int {
	t.Helper()
	c := evchan.New()
	rx := &receiver{c: c, loop: p.loop} // stopped by the deferred function, not the test's cleanup: a thousand of them
	var pipe [2]int
	if err := unix.Pipe2(pipe[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		t.Fatalf("cycle %d: pipe2: %v", i, err)
	}
	// An AF_UNIX stream pair: epoll and poll(2) accept POLLPRI on it, so x
	// is registered there (it never fires: nothing sends urgent data).
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("cycle %d: socketpair: %v", i, err)
	}
	done, cancel := context.WithCancel(context.Background())
	idle, cancelIdle := context.WithCancel(context.Background())
	recv, idleRecv := make(chan int, 1), make(chan int)
	defer func() {
		// R9, R12: the container first, then what its events watched.
		if err := c.Close(); err != nil {
			t.Errorf("cycle %d: Close: %v", i, err)
		}
		rx.closed(t, fmt.Sprintf("in cycle %d, after Close (R12)", i))
		rx.stop()
		for _, fd := range append(pipe[:], pair[:]...) {
			if err := unix.Close(fd); err != nil {
				t.Errorf("cycle %d: close %d: %v", i, fd, err)
			}
		}
		cancel()
		cancelIdle()
	}()

	// The events made to fire, each to be seen once, with the reason it must
	// come with; 0 for the events that stay idle or may fire any number of
	// times.
	await := map[evchan.ID]evchan.Reason{}
	add := func(spec evchan.Spec, name string, fires evchan.Reason) evchan.ID {
		t.Helper()
		id, err := c.Add(spec, name, 0)
		if err != nil {
			t.Fatalf("cycle %d: Add %s: %v", i, name, err)
		}
		if fires != 0 {
			await[id] = fires
		}
		return id
	}

	v := add(evchan.Virtual(false), "v", evchan.Triggered) // triggered below
	add(evchan.Virtual(true).Persistent(), "V", evchan.Triggered)
	add(evchan.Timer(time.Millisecond), "t", evchan.Timeout)
	add(evchan.Timer(time.Millisecond).Persistent(), "T", 0)
	for _, b := range set.bs {
		n := b.String()
		add(b.Readable(pipe[0]), "r "+n, evchan.Readable) // the pipe is written below
		add(b.Readable(pair[0]).Persistent(), "R "+n, 0)
		add(b.Writable(pipe[1]), "w "+n, evchan.Writable) // an empty pipe is writable
		add(b.Writable(pair[1]).Persistent(), "W "+n, 0)
		add(b.Exception(pair[0]), "x "+n, 0)
		add(b.Exception(pair[1]).Persistent(), "X "+n, 0)
	}
	add(sigs.Signal(syscall.SIGWINCH), "s", evchan.Signal) // sent below
	add(sigs.Signal(syscall.SIGWINCH).Persistent(), "S", 0)
	add(sources.Done(done), "Done", evchan.Triggered) // cancelled below
	add(sources.Done(idle).Persistent(), "Done persistent", 0)
	add(sources.Recv(recv), "Recv", evchan.Triggered) // sent below
	add(sources.Recv(idleRecv).Persistent(), "Recv persistent", 0)

	if !c.Trigger(v) {
		t.Fatalf("cycle %d: Trigger of v reported false", i)
	}
	if _, err := unix.Write(pipe[1], []byte{1}); err != nil {
		t.Fatalf("cycle %d: write to the pipe: %v", i, err)
	}
	if err := unix.Kill(os.Getpid(), unix.SIGWINCH); err != nil {
		t.Fatalf("cycle %d: kill: %v", i, err)
	}
	cancel()
	recv <- i

	deadline := time.Now().Add(hangLimit)
	received := 0
	for len(await) > 0 {
		e, o := rx.take(time.Until(deadline))
		switch o {
		case ended:
			t.Fatalf("cycle %d: %s while waiting for %v", i, rx.endedText(), await)
		case timedOut:
			t.Fatalf("cycle %d: within %v, %d events still awaited (id: reason) %v", i, hangLimit, len(await), await)
		}
		received++
		if e.Err != nil {
			t.Errorf("cycle %d: %v (%v) delivered with error %v", i, e, e.Data, e.Err)
		}
		if want, ok := await[e.ID]; ok {
			if e.Reason != want {
				t.Errorf("cycle %d: %v (%v) delivered with reason %v, want %v", i, e, e.Data, e.Reason, want)
			}
			delete(await, e.ID)
		}
	}
	return received
}

// descriptors returns how many descriptors the process has open, counting
// the one that lists them.
func descriptors(t *testing.T) int {
	t.Helper()
	return len(openDescriptors(t))
}

// openDescriptors returns the numbers of the process's open descriptors,
// the one that lists them included.
func openDescriptors(t *testing.T) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	fds := make([]int, 0, len(entries))
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			t.Fatalf("/proc/self/fd holds %q", e.Name())
		}
		fds = append(fds, fd)
	}
	return fds
}
