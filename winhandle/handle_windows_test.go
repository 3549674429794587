package winhandle

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
	"golang.org/x/sys/windows"
)

// 200 handles in one container: past WaitForMultipleObjects' 64, spread
// over four waiters, every one delivered; the waiters end with their last
// event.
func TestManyHandles(t *testing.T) {
	const n = 200
	c := evchan.New()
	defer c.Close()
	handles := make([]windows.Handle, n)
	ids := make(map[evchan.ID]int, n)
	for i := range handles {
		handles[i] = newEvent(t, false)
		ids[mustAdd(t, c, Handle(handles[i]), i, 0)] = i
	}
	s := waitSetOf(t, c)
	if waiters, watches := s.counts(); waiters != (n+MaxPerWaiter-1)/MaxPerWaiter || watches != n {
		t.Fatalf("%d waiters for %d handle events, want %d for %d", waiters, watches, (n+MaxPerWaiter-1)/MaxPerWaiter, n)
	}
	for i := n - 1; i >= 0; i-- { // the last waiter's handles first
		set(t, handles[i])
	}
	for range n {
		e := next(t, c, "the deliveries of 200 signaled handles")
		i, ok := ids[e.ID]
		if !ok {
			t.Fatalf("got %v, not one of the 200 events or delivered twice", e)
		}
		delete(ids, e.ID)
		if e.Reason != evchan.Signaled || e.Count != 1 || e.Err != nil || e.Data != i || e.Value != handles[i] || e.Source != handles[i] {
			t.Fatalf("got %v source=%v value=%v data=%v, want a signaled delivery of handle %d", e, e.Source, e.Value, e.Data, i)
		}
	}
	if c.Len() != 0 {
		t.Fatalf("Len = %d once every one-shot event was delivered, want 0 (R1)", c.Len())
	}
	// A one-shot event leaves its waiter as it fires; the last one ends it.
	if waiters, watches := s.counts(); waiters != 0 || watches != 0 {
		t.Fatalf("%d waiters with %d events after every event ended, want none", waiters, watches)
	}
}

// A persistent H on a manual-reset event that stays set fires again after
// each delivery, once per delivery (R3), and its waiter does not wait on
// it, let alone spin, while its event is pending.
func TestPersistentLevelDoesNotSpin(t *testing.T) {
	waits := hookWaits(t)
	c := evchan.New()
	defer c.Close()
	h := newEvent(t, true)
	set(t, h)
	id := mustAdd(t, c, Handle(h).Persistent(), "set", 0)
	for i := range 5 {
		e := next(t, c, "a delivery of a set manual-reset event")
		if e.ID != id || e.Reason != evchan.Signaled || e.Count != 1 {
			t.Fatalf("delivery %d: got %v, want event %d signaled count=1", i, e, id)
		}
	}
	// The event is pending again by now or soon, and until a consumer
	// receives it the waiter waits on its wake event alone, once: a
	// spinning waiter would wait thousands of times meanwhile. What
	// follows the last delivery (the wait after Rearm, the one after the
	// firing) is at most a few waits.
	for len(waits) > 0 {
		<-waits
	}
	time.Sleep(200 * time.Millisecond) // long enough for a spinning waiter to show
	if n := len(waits); n > 3 {
		t.Fatalf("the waiter waited %d times while the event was pending: it spins", n)
	}
	s := waitSetOf(t, c)
	if waiters, _ := s.counts(); waiters != 1 {
		t.Fatalf("%d waiters, want 1", waiters)
	}
	windows.ResetEvent(h)
	if e := next(t, c, "the delivery pending before the reset"); e.ID != id || e.Count != 1 {
		t.Fatalf("got %v, want event %d count=1", e, id)
	}
	waitFor(t, waits, "the wait on the re-armed handle", func(n int) bool { return n == 2 })
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v after the event was reset", evs)
	}
	set(t, h)
	if e := next(t, c, "the delivery of the event set again"); e.ID != id {
		t.Fatalf("got %v, want event %d", e, id)
	}
}

// A one-shot h on a process handle is delivered when the process exits,
// and deleted (R1).
func TestProcessExit(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	stdin, feed, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	defer feed.Close()
	_, ph, err := syscall.StartProcess(exe, []string{exe}, &syscall.ProcAttr{
		Env:   append(os.Environ(), childEnv+"=1"),
		Files: []uintptr{stdin.Fd(), os.Stderr.Fd(), os.Stderr.Fd()},
	})
	if err != nil {
		t.Fatalf("starting a child: %v", err)
	}
	proc := windows.Handle(ph)
	defer windows.CloseHandle(proc)

	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Handle(proc), "child", 0)
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v while the child runs", evs)
	}
	feed.Close() // the child reads its input to the end, then exits
	e := next(t, c, "the child's exit")
	if e.ID != id || e.Reason != evchan.Signaled || e.Count != 1 || e.Err != nil || e.Value != proc {
		t.Fatalf("got %v value=%v, want event %d signaled with the process handle", e, e.Value, id)
	}
	var code uint32
	if err := windows.GetExitCodeProcess(proc, &code); err != nil || code != childExit {
		t.Fatalf("exit code %d (%v), want %d: the event came before the exit", code, err, childExit)
	}
	if c.Len() != 0 || c.Del(id) {
		t.Fatal("the one-shot event was not deleted on delivery (R1)")
	}
}

// Del while the waiter sleeps in its wait: Del returns at once, the event
// is never delivered (R9), its duplicate is closed, and the waiter ends
// with its last event.
func TestDelWhileWaiterSleeps(t *testing.T) {
	waits := hookWaits(t)
	c := evchan.New()
	defer c.Close()
	before := goleak.IgnoreCurrent()
	h := newEvent(t, true)
	other := newEvent(t, true)
	id := mustAdd(t, c, Handle(h).Persistent(), "deleted", 0)
	keep := mustAdd(t, c, Handle(other), "kept", 0)
	waitFor(t, waits, "the waiter asleep on both handles", func(n int) bool { return n == 3 })
	s := waitSetOf(t, c)
	s.mu.Lock()
	dup := s.waiters[0].watches[0].dup
	s.mu.Unlock()

	done := make(chan bool)
	go func() { done <- c.Del(id) }()
	select {
	case ok := <-done:
		if !ok {
			t.Fatal("Del reported false for a live event")
		}
	case <-time.After(hangLimit):
		t.Fatal("Del hangs while the waiter sleeps")
	}
	if handleValid(dup) {
		t.Error("the duplicate is still open once Del returned (R9)")
	}
	set(t, h)
	set(t, other)
	if e := next(t, c, "the kept event"); e.ID != keep {
		t.Fatalf("got %v, want the kept event %d (R9)", e, keep)
	}
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v after Del (R9)", evs)
	}
	if err := goleak.Find(before); err != nil {
		t.Fatalf("the waiter did not end with its last event: %v", err)
	}
}

// A handle closed while registered (R15): nothing hangs, an object reusing
// the handle's value is not watched, and when the original object is
// signaled the event is delivered once with ErrClosedWhileRegistered and
// deleted, persistent as it is.
func TestClosedWhileRegistered(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	h, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	self := windows.CurrentProcess()
	var other windows.Handle // a second handle to the same object
	if err := windows.DuplicateHandle(self, h, self, &other, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(other)
	id := mustAdd(t, c, Handle(h).Persistent(), "closed", 0)
	windows.CloseHandle(h)
	reuse := newEvent(t, true) // likely gets h's value
	set(t, reuse)
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v for an object reusing the closed handle's value (handle %#x, reused %v)", evs, h, reuse == h)
	}
	set(t, other)
	e := next(t, c, "the delivery of the closed handle's event")
	if e.ID != id || !errors.Is(e.Err, ErrClosedWhileRegistered) {
		t.Fatalf("got %v, want event %d with ErrClosedWhileRegistered", e, id)
	}
	if c.Len() != 0 || c.Del(id) {
		t.Fatal("the event of a closed handle was not deleted after its delivery")
	}
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v after the failed event", evs)
	}
}

// R15: Add refuses handles that name nothing it can wait on, with
// evchan.ErrInvalid, and the container is left as it was.
func TestAddRefusesBadHandles(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	keep := mustAdd(t, c, evchan.Virtual(false), nil, 0)
	closed, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	windows.CloseHandle(closed)
	for name, spec := range map[string]evchan.Spec{
		"null":                 Handle(windows.Handle(0)),
		"INVALID_HANDLE_VALUE": Handle(windows.InvalidHandle),
		"GetCurrentThread":     Handle(windows.CurrentThread()),
		"closed":               Handle(closed),
	} {
		if _, err := c.Add(spec, nil, 0); !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Add(%s handle) = %v, want an error wrapping evchan.ErrInvalid", name, err)
		}
	}
	if c.Len() != 1 || !c.Trigger(keep) {
		t.Fatal("a refused Add disturbed the container (R15)")
	}
}

// An object signaled already when added is delivered at once, one-shot or
// persistent.
func TestSignaledAtAdd(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	h := newEvent(t, true)
	set(t, h)
	one := mustAdd(t, c, Handle(h), "one-shot", 0)
	if e := next(t, c, "the one-shot event"); e.ID != one || e.Count != 1 {
		t.Fatalf("got %v, want event %d", e, one)
	}
	auto := newEvent(t, false)
	set(t, auto)
	per := mustAdd(t, c, Handle(auto).Persistent(), "persistent", 0)
	if e := next(t, c, "the persistent event"); e.ID != per || e.Count != 1 {
		t.Fatalf("got %v, want event %d", e, per)
	}
	// The wait at Add consumed the auto-reset signal: no second delivery.
	if evs := drain(t, c); len(evs) != 0 {
		t.Fatalf("got %v: the auto-reset event fired twice", evs)
	}
	set(t, auto)
	if e := next(t, c, "the persistent event, set again"); e.ID != per {
		t.Fatalf("got %v, want event %d", e, per)
	}
}

// Close with handle and message events registered, some pending, ends
// every goroutine the container started (R12).
func TestCloseLeavesNoGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	c := evchan.New()
	for i := range 70 {
		h := newEvent(t, i%2 == 0)
		mustAdd(t, c, Handle(h).Persistent(), i, 0)
		if i%3 == 0 {
			set(t, h)
		}
	}
	mustAdd(t, c, Messages().Persistent(), "messages", 0)
	if err := Post(c, wmUser, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := ThreadID(c); !errors.Is(err, evchan.ErrClosed) {
		t.Fatalf("ThreadID after Close = %v, want ErrClosed", err)
	}
	goleak.VerifyNone(t, before)
}

// Adds and Dels from several goroutines while waiters sleep, fire and
// rebuild: nothing hangs, every Del of a live event reports true, events
// still registered are delivered, and the waiters end with the last event.
func TestConcurrentAddDel(t *testing.T) {
	const workers, each = 4, 40
	c := evchan.New()
	defer c.Close()
	before := goleak.IgnoreCurrent()
	kept := make(chan evchan.ID, workers)
	handles := make([][]windows.Handle, workers)
	for i := range handles {
		for range each {
			handles[i] = append(handles[i], newEvent(t, true))
		}
	}
	done := make(chan struct{})
	for i := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			var ids []evchan.ID
			for _, h := range handles[i] {
				id, err := c.Add(Handle(h).Persistent(), i, 0)
				if err != nil {
					t.Error(err)
					return
				}
				ids = append(ids, id)
			}
			for j, id := range ids[1:] {
				if j%2 == 0 {
					windows.SetEvent(handles[i][j+1])
				}
				if !c.Del(id) {
					t.Errorf("Del(%d) of a live event reported false", id)
				}
			}
			kept <- ids[0]
		}()
	}
	for range workers {
		select {
		case <-done:
		case <-time.After(hangLimit):
			t.Fatal("Add and Del hang")
		}
	}
	want := map[evchan.ID]bool{}
	for range workers {
		id := <-kept
		want[id] = true
	}
	for i := range workers {
		set(t, handles[i][0])
	}
	for len(want) > 0 {
		e := next(t, c, "the kept events")
		if !want[e.ID] {
			t.Fatalf("got %v, not a kept event (R9)", e)
		}
		delete(want, e.ID)
		c.Del(e.ID)
	}
	if c.Len() != 0 {
		t.Fatalf("Len = %d, want 0", c.Len())
	}
	if err := goleak.Find(before); err != nil {
		t.Fatalf("a waiter did not end with its last event: %v", err)
	}
}

// A handle that is signaled again as soon as it is re-armed does not keep
// the handles after it in its waiter's list from being served (R4).
func TestBusyHandleDoesNotStarveOthers(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	busy := newEvent(t, true)
	set(t, busy)
	mustAdd(t, c, Handle(busy).Persistent(), "busy", 0)
	quiet := newEvent(t, true)
	id := mustAdd(t, c, Handle(quiet), "quiet", 0)
	set(t, quiet)
	for i := 0; ; i++ {
		if e := next(t, c, "the quiet handle's event"); e.ID == id {
			break
		}
		if i == 1000 {
			t.Fatal("the quiet handle was not served in 1000 deliveries of the busy one")
		}
	}
}
