package poll_test

import (
	"testing"
	"unsafe"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"go.uber.org/goleak"
	"golang.org/x/sys/windows"
)

var procGetProcessHandleCount = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetProcessHandleCount")

// openHandles is how many handles the process holds.
func openHandles(t *testing.T) uint32 {
	t.Helper()
	var n uint32
	if r, _, err := procGetProcessHandleCount.Call(uintptr(windows.CurrentProcess()), uintptr(unsafe.Pointer(&n))); r == 0 {
		t.Fatalf("GetProcessHandleCount: %v", err)
	}
	return n
}

// R12: 200 containers made, given socket events, and closed, leave no
// goroutine and no handle behind: Close ends each poller and closes its
// wake-up socket.
func TestCyclesLeaveNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		s0, s1 := socketpair(t)
		cycle := func(i int) {
			c := evchan.New()
			defer func() {
				if err := c.Close(); err != nil {
					t.Fatalf("cycle %d: Close: %v", i, err)
				}
			}()
			add(t, c, b.Readable(s0).Persistent(), "R", 0)
			add(t, c, b.Writable(s1), "w", 0)
			add(t, c, b.Exception(s1).Persistent(), "X", 0)
			if i%2 == 0 { // half of them deliver before closing
				e := next(t, c, "w on an idle socket")
				if e.Reason != evchan.Writable {
					t.Fatalf("cycle %d: got %v, want w", i, e)
				}
			}
		}
		cycle(-1) // anything made once per process, made now
		handles := openHandles(t)
		for i := range 200 {
			cycle(i)
		}
		goleak.VerifyNone(t)
		switch after := openHandles(t); {
		case handles == 0:
			// Wine's GetProcessHandleCount counts nothing: the
			// mechanism's test checks that close releases its socket.
			t.Log("GetProcessHandleCount reports no handles: not counted")
		case after != handles:
			t.Errorf("%d handles open after 200 containers, %d before", after, handles)
		}
	})
}
