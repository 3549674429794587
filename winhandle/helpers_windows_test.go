package winhandle

import (
	"io"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/windows"
)

// hangLimit bounds every wait of the tests: it only catches hangs.
const hangLimit = 30 * time.Second

var (
	procCreateSemaphoreW = kernel32.NewProc("CreateSemaphoreW")
	procReleaseSemaphore = kernel32.NewProc("ReleaseSemaphore")
)

// newEvent returns a new unnamed event, closed when the test ends.
func newEvent(t testing.TB, manualReset bool) windows.Handle {
	t.Helper()
	var manual uint32
	if manualReset {
		manual = 1
	}
	h, err := windows.CreateEvent(nil, manual, 0, nil)
	if err != nil {
		t.Fatalf("CreateEvent: %v", err)
	}
	t.Cleanup(func() { windows.CloseHandle(h) })
	return h
}

// newSemaphore returns a new semaphore with a count of zero, closed when
// the test ends.
func newSemaphore(t testing.TB) windows.Handle {
	t.Helper()
	r, _, err := procCreateSemaphoreW.Call(0, 0, 1<<20, 0)
	if r == 0 {
		t.Fatalf("CreateSemaphore: %v", err)
	}
	h := windows.Handle(r)
	t.Cleanup(func() { windows.CloseHandle(h) })
	return h
}

// release adds one to a semaphore's count.
func release(t testing.TB, sem windows.Handle) {
	t.Helper()
	if r, _, err := procReleaseSemaphore.Call(uintptr(sem), 1, 0); r == 0 {
		t.Fatalf("ReleaseSemaphore: %v", err)
	}
}

func set(t testing.TB, h windows.Handle) {
	t.Helper()
	if err := windows.SetEvent(h); err != nil {
		t.Fatalf("SetEvent: %v", err)
	}
}

func mustAdd(t testing.TB, c *evchan.Container, spec evchan.Spec, ctx any, timeout time.Duration) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, timeout)
	if err != nil {
		t.Fatalf("Add(%v): %v", spec, err)
	}
	return id
}

// next receives c's next event, failing after hangLimit.
func next(t testing.TB, c *evchan.Container, what string) evchan.Event {
	t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-c.C:
		if !ok {
			t.Fatalf("C closed while waiting for %s", what)
		}
		return e
	case <-limit.C:
		t.Fatalf("no event within %v while waiting for %s", hangLimit, what)
	}
	return evchan.Event{}
}

// drain returns the events pending before the call: it adds a triggered
// sentinel, delivered after them (R4), and receives up to it.
func drain(t testing.TB, c *evchan.Container) []evchan.Event {
	t.Helper()
	sentinel, err := c.Once("sentinel")
	if err != nil {
		t.Fatal(err)
	}
	var got []evchan.Event
	for {
		e := next(t, c, "the sentinel")
		if e.ID == sentinel {
			return got
		}
		got = append(got, e)
	}
}

// waitSetOf returns c's handle waiters, starting the service if need be,
// as ThreadID reaches the message thread.
func waitSetOf(t testing.TB, c *evchan.Container) *waitSet {
	t.Helper()
	svc, err := c.Service(waitersKey{}, func() (io.Closer, error) { return newWaitSet(), nil })
	if err != nil {
		t.Fatalf("the waiters service: %v", err)
	}
	return svc.(*waitSet)
}

// counts returns how many waiters s has and how many handle events they
// hold.
func (s *waitSet) counts() (waiters, watches int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, wt := range s.waiters {
		watches += len(wt.watches)
	}
	return len(s.waiters), watches
}

// hookWaits installs a testHookWait that sends the size of each wait's
// handle list on the returned channel, dropping what it cannot send.
func hookWaits(t testing.TB) <-chan int {
	t.Helper()
	ch := make(chan int, 1024)
	f := func(n int) {
		select {
		case ch <- n:
		default:
		}
	}
	testHookWait.Store(&f)
	t.Cleanup(func() { testHookWait.Store(nil) })
	return ch
}

// waitFor receives from ch until a value for which ok holds, failing after
// hangLimit.
func waitFor[T any](t testing.TB, ch <-chan T, what string, ok func(T) bool) {
	t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	for {
		select {
		case v := <-ch:
			if ok(v) {
				return
			}
		case <-limit.C:
			t.Fatalf("still waiting for %s after %v", what, hangLimit)
		}
	}
}

// wmUser is WM_USER, the first message number free for a program's use.
const wmUser = 0x0400
