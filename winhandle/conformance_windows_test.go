package winhandle

import (
	"sync/atomic"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
	"golang.org/x/sys/windows"
)

// A manual-reset event is a level source: set, it stays signaled until
// reset, and a persistent event on it fires again after each delivery.
func TestConformanceManualResetEvent(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		h := newEvent(t, true)
		return evchantest.Subject{
			Spec:   Handle(h),
			Fire:   func() { set(t, h) },
			Reason: evchan.Signaled,
			Level:  true,
			Reset:  func() { windows.ResetEvent(h) },
		}
	})
}

// A semaphore is an edge source whose signals are counted: each release is
// one wait's worth, so each makes one delivery, and the Counts add up.
func TestConformanceSemaphore(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		h := newSemaphore(t)
		return evchantest.Subject{
			Spec:   Handle(h),
			Fire:   func() { release(t, h) },
			Reason: evchan.Signaled,
		}
	})
}

// Messages are an edge source: each message posted is one firing. The
// suite makes each subtest's container after its subject, so the subject
// posts to the thread started last, which a hook reports.
func TestConformanceMessages(t *testing.T) {
	var last atomic.Uint32
	f := func(id uint32) { last.Store(id) }
	testHookThreadStarted.Store(&f)
	defer testHookThreadStarted.Store(nil)
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		return evchantest.Subject{
			Spec: Messages(),
			Fire: func() {
				id := last.Load()
				if id == 0 {
					t.Fatal("no message thread was started")
				}
				if err := postThreadMessage(id, wmUser, 1, 2); err != nil {
					t.Fatalf("PostThreadMessage: %v", err)
				}
			},
			Reason: evchan.Message,
		}
	})
}
