//go:build linux

package faults_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// exhaustionChild is the environment variable that tells a re-executed test
// binary it is a child of TestOutOfDescriptors, and which run it is: the
// path and the backend set, as "All/epoll".
const exhaustionChild = "EVCHAN_FAULTS_OUT_OF_DESCRIPTORS_CHILD"

// R15: a process at its limit of open descriptors gets a clear error from
// the one thing that needs a new descriptor, the start of a container's
// poller, and everything else keeps working: that container stays empty and
// usable, another container's events are still added and delivered, and
// the refused Add succeeds once descriptors are freed.
//
// It runs on each path, with each backend alone (a loop over All then
// waits in the kernel itself, at the limit) and with both in each
// container. Each run is a child process, the test's own binary run again,
// since the lowered RLIMIT_NOFILE and the exhausted descriptor table would
// otherwise hit the test process.
func TestOutOfDescriptors(t *testing.T) {
	if run := os.Getenv(exhaustionChild); run != "" {
		for _, p := range paths {
			for _, set := range backendSets() {
				if run == p.name+"/"+set.name {
					t.Logf("path %s, backends %v", p.name, set.bs)
					outOfDescriptors(t, p, set)
					return
				}
			}
		}
		t.Fatalf("%s=%q names no path and backend set", exhaustionChild, run)
	}
	forEachPathAndBackends(t, outOfDescriptorsChild)
}

// outOfDescriptorsChild runs one child of TestOutOfDescriptors and checks
// that it passed. The children of a path run at once: each is a process of
// its own, with its own limit.
func outOfDescriptorsChild(t *testing.T, p path, set backendSet) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 6*hangLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0],
		"-test.run=^TestOutOfDescriptors$", "-test.count=1", "-test.v", "-test.timeout=1m")
	cmd.Env = append(os.Environ(), exhaustionChild+"="+p.name+"/"+set.name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child failed (%v); its output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestOutOfDescriptors") ||
		!strings.Contains(string(out), "all checks passed at the limit") {
		t.Fatalf("the child exited 0 without running its checks; its output:\n%s", out)
	}
	t.Logf("the child's output:\n%s", out)
}

// outOfDescriptors is a child's side of TestOutOfDescriptors: it takes
// events on path p, and watches descriptors with the backends of set.
func outOfDescriptors(t *testing.T, p path, set backendSet) {
	p1, p2, spare := rawPipe(t), rawPipe(t), rawPipe(t)
	c := evchan.New()
	defer closeContainer(t, c, "the first container")
	rx := p.open(t, c)
	// With both backends, one each; with one, both on it.
	b1, b2 := set.bs[0], set.bs[len(set.bs)-1]
	r1 := mustAdd(t, c, b1.Readable(p1[0]).Persistent(), "R "+b1.String())
	r2 := mustAdd(t, c, b2.Readable(p2[0]).Persistent(), "R "+b2.String())
	v := mustAdd(t, c, evchan.Virtual(false).Persistent(), "V")
	held := c.Len()

	// Lower the soft limit to a few descriptors above what is open, then
	// take them all.
	open := openDescriptors(t)
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	saved := lim
	lim.Cur = uint64(max(len(open)-1, slices.Max(open)+1) + 8) // ReadDir's own descriptor is closed again
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	defer func() {
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &saved); err != nil {
			t.Errorf("setrlimit back: %v", err)
		}
	}()
	var filler []int // the descriptors that fill the table
	defer func() {
		for _, fd := range filler {
			unix.Close(fd)
		}
	}()
	pipes := 0
	for {
		var p [2]int
		err := unix.Pipe2(p[:], unix.O_CLOEXEC)
		if err != nil {
			if err != unix.EMFILE {
				t.Fatalf("pipe2 failed with %v, want EMFILE", err)
			}
			break
		}
		filler = append(filler, p[0], p[1])
		if pipes++; pipes > int(lim.Cur) {
			t.Fatalf("%d pipes opened under a limit of %d descriptors", pipes, lim.Cur)
		}
	}
	// A pipe takes two: fill a last free number, if one is left.
	for {
		fd, err := unix.FcntlInt(uintptr(p1[0]), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			if err != unix.EMFILE {
				t.Fatalf("F_DUPFD failed with %v, want EMFILE", err)
			}
			break
		}
		filler = append(filler, fd)
	}
	t.Logf("%d descriptors open (highest number %d), soft limit lowered from %d to %d; %d pipes opened before EMFILE, %d descriptors taken in all",
		len(open)-1, slices.Max(open), saved.Cur, lim.Cur, pipes, len(filler))
	atLimit(t, "after filling the table")

	// (a) A new container's first descriptor event needs a poller, and the
	// poller a descriptor (epoll_create1, or poll(2)'s wake-up pipe).
	c2 := evchan.New()
	defer closeContainer(t, c2, "the second container")
	rx2 := p.open(t, c2)
	for _, b := range set.bs {
		id, err := c2.Add(b.Readable(spare[0]), "refused", 0)
		wantResources(t, id, err, b, "with no descriptor free")
	}
	if n := c2.Len(); n != 0 {
		t.Errorf("the refused container holds %d events, want 0", n)
	}
	atLimit(t, "after the refused Adds")
	// It still works for what needs no descriptor.
	once, err := c2.Once("once")
	if err != nil {
		t.Fatalf("Once on the refused container: %v", err)
	}
	if e := rx2.receive(t, "the virtual event of the refused container"); e.ID != once || e.Reason != evchan.Triggered {
		t.Errorf("the refused container delivered %v, want its virtual event %d", e, once)
	}
	timer := mustAdd(t, c2, evchan.Timer(time.Millisecond), "timer")
	if e := rx2.receive(t, "the timer of the refused container"); e.ID != timer || e.Reason != evchan.Timeout {
		t.Errorf("the refused container delivered %v, want its timer %d", e, timer)
	}
	if n := c2.Len(); n != 0 {
		t.Errorf("the refused container holds %d events after its one-shot events were delivered, want 0", n)
	}

	// (a, once more) With one descriptor free, epoll_create1 succeeds and
	// the eventfd fails; the epoll descriptor must be closed again. The
	// wake-up pipe needs two at once and fails outright.
	unix.Close(filler[len(filler)-1])
	filler = filler[:len(filler)-1]
	for _, b := range set.bs {
		id, err := c2.Add(b.Readable(spare[0]), "refused", 0)
		wantResources(t, id, err, b, "with one descriptor free")
	}
	if n := c2.Len(); n != 0 {
		t.Errorf("the refused container holds %d events, want 0", n)
	}
	fd, err := unix.FcntlInt(uintptr(p1[0]), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("the one free descriptor is gone after the refused Adds (%v): a failed poller start kept what it had opened", err)
	}
	filler = append(filler, fd)
	atLimit(t, "with the table full again")

	// (b) A container whose pollers run takes a new descriptor event
	// without a new descriptor: epoll_ctl and poll(2)'s list need none.
	var added []evchan.ID
	for _, b := range set.bs {
		id, err := c.Add(b.Readable(spare[0]), "r "+b.String(), 0)
		switch {
		case err == nil:
			added = append(added, id)
		case errors.Is(err, poll.ErrResources):
			t.Errorf("%v: Add of a descriptor event to a running poller at the limit failed for want of resources: %v (it needs no new descriptor)", b, err)
		default:
			t.Errorf("%v: Add of a descriptor event to a running poller at the limit: %v, not even wrapping ErrResources", b, err)
		}
	}
	atLimit(t, "after the Adds to the running pollers")

	// (c) Everything added before is still delivered, and so are the new
	// events.
	for _, w := range []int{p1[1], p2[1], spare[1]} {
		if _, err := unix.Write(w, []byte{1}); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if !c.Trigger(v) {
		t.Fatal("Trigger of the virtual event reported false")
	}
	await := map[evchan.ID]evchan.Reason{r1: evchan.Readable, r2: evchan.Readable, v: evchan.Triggered}
	for _, id := range added {
		await[id] = evchan.Readable
	}
	for len(await) > 0 {
		e := rx.receive(t, "the first container's events")
		want, ok := await[e.ID]
		if e.Err != nil || (ok && e.Reason != want) {
			t.Errorf("at the limit, got %v (%v) with error %v, want reason %v and no error", e, e.Data, e.Err, want)
		}
		delete(await, e.ID)
	}
	if n := c.Len(); n != held {
		t.Errorf("the first container holds %d events, want its %d persistent ones", n, held)
	}
	atLimit(t, "after the deliveries")
	t.Log("all checks passed at the limit")

	// (d) Freed descriptors make the refused Add succeed.
	for _, fd := range filler {
		unix.Close(fd)
	}
	filler = nil
	await = map[evchan.ID]evchan.Reason{}
	for _, b := range set.bs {
		id, err := c2.Add(b.Readable(spare[0]), "r "+b.String(), 0)
		if err != nil {
			t.Fatalf("%v: Add after descriptors were freed: %v", b, err)
		}
		await[id] = evchan.Readable
	}
	for len(await) > 0 { // the spare pipe was left readable
		e := rx2.receive(t, "the second container's descriptor events")
		if want, ok := await[e.ID]; !ok || e.Reason != want || e.Err != nil {
			t.Errorf("after descriptors were freed, got %v (%v), want one of %v", e, e.Data, await)
		}
		delete(await, e.ID)
	}
	if n := c2.Len(); n != 0 {
		t.Errorf("the second container holds %d events after its one-shot events were delivered, want 0", n)
	}
}

// wantResources checks the error of an Add refused for want of descriptors.
func wantResources(t *testing.T, id evchan.ID, err error, b poll.Backend, when string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%v, %s: Add of a descriptor event to a new container succeeded (id %d)", b, when, id)
	}
	t.Logf("%v, %s: %v", b, when, err)
	if id != 0 {
		t.Errorf("%v, %s: Add returned id %d with its error, want 0", b, when, id)
	}
	if !errors.Is(err, poll.ErrResources) || !errors.Is(err, syscall.EMFILE) {
		t.Errorf("%v, %s: %v, want an error wrapping both poll.ErrResources and EMFILE", b, when, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "too many open files") || !strings.Contains(msg, "poll") {
		t.Errorf("%v, %s: the message %q does not say the process is out of descriptors, and where", b, when, msg)
	}
}

// atLimit fails the test unless the descriptor table is full.
func atLimit(t *testing.T, when string) {
	t.Helper()
	fd, err := unix.FcntlInt(0, unix.F_DUPFD_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
		t.Fatalf("%s: a descriptor was free", when)
	}
	if err != unix.EMFILE {
		t.Fatalf("%s: F_DUPFD failed with %v, want EMFILE", when, err)
	}
}

// rawPipe returns a non-blocking pipe, closed when the test ends.
func rawPipe(t *testing.T) [2]int {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	return p
}

// closeContainer closes c and reports an error of Close.
func closeContainer(t *testing.T, c *evchan.Container, what string) {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Errorf("Close of %s: %v", what, err)
	}
}
