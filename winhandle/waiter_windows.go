package winhandle

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/windows"
)

// A waitSet is one container's handle service: the waiters among which
// its handle events are spread, MaxPerWaiter to a waiter. A waiter is
// started when every other one is full, and ends when its last event does.
type waitSet struct {
	mu      sync.Mutex
	left    *sync.Cond // a waiter left a wait: its inWait flags are clear
	closed  bool
	waiters []*waiter
	running sync.WaitGroup // the waiter goroutines, ending ones included
}

// A waiter is one goroutine waiting with WaitForMultipleObjects on its
// wake event and on the duplicates of its armed events.
type waiter struct {
	set     *waitSet
	wake    windows.Handle // auto-reset: Add, Del and Rearm make it rebuild its list
	watches []*handleWatch // guarded by set.mu
	quit    bool           // guarded by set.mu
}

// A handleWatch is one handle event's registration with a waiter.
type handleWatch struct {
	user  windows.Handle // the handle given to Add, to tell when it is closed
	dup   windows.Handle // the duplicate waited on; closed when the watch ends
	h     evchan.Handle
	shown any
	owner *waitSet

	// Guarded by owner.mu.
	w      *waiter // nil once the watch has ended
	armed  bool    // to be waited on: not pending, or not yet Rearmed
	inWait bool    // in the handle list of the wait in progress
}

// maxWaitObjects is MAXIMUM_WAIT_OBJECTS, the most handles one wait takes:
// MaxPerWaiter and the wake event.
const maxWaitObjects = MaxPerWaiter + 1

// testHookWait, when set, is called by a waiter before each wait with the
// number of handles it waits on, its wake event included.
var testHookWait atomic.Pointer[func(n int)]

func newWaitSet() *waitSet {
	s := &waitSet{}
	s.left = sync.NewCond(&s.mu)
	return s
}

// add gives w to a waiter with room, starting one if every waiter is full.
func (s *waitSet) add(w *handleWatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return evchan.ErrClosed
	}
	var wt *waiter
	for _, c := range s.waiters {
		if len(c.watches) < MaxPerWaiter {
			wt = c
			break
		}
	}
	if wt == nil {
		wake, err := windows.CreateEvent(nil, 0, 0, nil)
		if err != nil {
			return err
		}
		wt = &waiter{set: s, wake: wake}
		s.waiters = append(s.waiters, wt)
		s.running.Add(1)
		go wt.run()
	}
	w.owner, w.w = s, wt
	wt.watches = append(wt.watches, w)
	windows.SetEvent(wt.wake)
	return nil
}

// run waits until Close or until the waiter's last event ends. The waiter
// waits only on armed events: one whose event is pending is left out until
// its consumer has received it and the container calls Rearm, so a handle
// that stays signaled costs no wait while its event waits (R3).
func (wt *waiter) run() {
	s := wt.set
	defer s.running.Done()
	defer windows.CloseHandle(wt.wake)
	handles := make([]windows.Handle, 0, maxWaitObjects)
	waited := make([]*handleWatch, 0, MaxPerWaiter)
	for {
		s.mu.Lock()
		if wt.quit {
			s.mu.Unlock()
			return
		}
		handles, waited = append(handles[:0], wt.wake), waited[:0]
		for _, w := range wt.watches {
			if w.armed {
				w.inWait = true
				handles = append(handles, w.dup)
				waited = append(waited, w)
			}
		}
		s.mu.Unlock()

		if hook := testHookWait.Load(); hook != nil {
			(*hook)(len(handles))
		}
		r, _ := windows.WaitForMultipleObjects(handles, false, windows.INFINITE)
		failed := r == windows.WAIT_FAILED
		var ready []int // indexes of the signaled handles, the wake event excepted
		if !failed {
			ready = readyAfter(handles, index(r), ready)
		}

		s.mu.Lock()
		for _, w := range waited {
			w.inWait = false
		}
		s.left.Broadcast()
		var fire, fail []*handleWatch
		for _, i := range ready {
			fire, fail = wt.signaled(waited[i-1], fire, fail)
		}
		if failed {
			// A duplicate no longer waitable: closed by code that closed
			// a handle it did not own. Fail what is gone; if nothing is,
			// fail them all rather than wait in a loop that fails.
			for _, w := range waited {
				if w.w == wt && !handleValid(w.dup) {
					fail = append(fail, wt.end(w))
				}
			}
			if len(fail) == 0 {
				for _, w := range waited {
					if w.w == wt {
						fail = append(fail, wt.end(w))
					}
				}
			}
		}
		s.mu.Unlock()
		for _, w := range fire {
			w.h.Fire(evchan.Signaled, w.shown)
		}
		for _, w := range fail {
			w.h.Fail(evchan.Signaled, ErrClosedWhileRegistered)
		}
	}
}

// index returns the index of the handle a wait's result names, signaled
// or abandoned (a mutex), or -1 for a timeout or a failure.
func index(r uint32) int {
	switch {
	case r < windows.WAIT_OBJECT_0+maxWaitObjects:
		return int(r - windows.WAIT_OBJECT_0)
	case r >= windows.WAIT_ABANDONED && r < windows.WAIT_ABANDONED+maxWaitObjects:
		return int(r - windows.WAIT_ABANDONED)
	}
	return -1
}

// readyAfter appends to ready the index i, unless it is the wake event's,
// and the indexes of the handles after it that are signaled too, found by
// waits of no time. A wait returns the first signaled handle of its list,
// so without this a handle signaled as often as it is re-armed would keep
// the ones after it waiting; with it, each wait serves every signaled
// handle once, in list order. Like the wait itself, the checks consume the
// signals of auto-reset objects, which are then reported. Called while the
// waiter's watches are marked inWait, so that Stop closes none of them.
func readyAfter(handles []windows.Handle, i int, ready []int) []int {
	for i >= 0 && i < len(handles) {
		if i > 0 {
			ready = append(ready, i)
		}
		next := i + 1
		if next >= len(handles) {
			break
		}
		r, _ := windows.WaitForMultipleObjects(handles[next:], false, 0)
		if j := index(r); j >= 0 {
			i = next + j
		} else {
			break
		}
	}
	return ready
}

// signaled handles the signal of w's duplicate, which the wait consumed if
// its object is an auto-reset one. It adds w to fire, or to fail if the
// handle given to Add no longer names the object (R15). A persistent event
// is disarmed until Rearm; a one-shot one ends. Called with set.mu held.
func (wt *waiter) signaled(w *handleWatch, fire, fail []*handleWatch) ([]*handleWatch, []*handleWatch) {
	if w.w != wt { // ended by Stop while the wait was returning
		return fire, fail
	}
	if !sameObject(w.user, w.dup) {
		return fire, append(fail, wt.end(w))
	}
	if w.h.Persistent() {
		w.armed = false
		return append(fire, w), fail
	}
	return append(fire, wt.end(w)), fail
}

// end removes w from its waiter and closes its duplicate. Called with
// set.mu held, while w is not in a wait in progress.
func (wt *waiter) end(w *handleWatch) *handleWatch {
	wt.detach(w)
	windows.CloseHandle(w.dup)
	return w
}

// detach removes w from its waiter, so that no new wait uses it; the
// waiter quits with its last watch. Called with set.mu held.
func (wt *waiter) detach(w *handleWatch) {
	s := wt.set
	w.w, w.armed = nil, false
	wt.watches = slices.DeleteFunc(wt.watches, func(x *handleWatch) bool { return x == w })
	if len(wt.watches) == 0 && !wt.quit {
		wt.quit = true
		s.waiters = slices.DeleteFunc(s.waiters, func(x *waiter) bool { return x == wt })
		windows.SetEvent(wt.wake)
	}
}

// Rearm has the waiter wait on the handle again: its event was delivered.
func (w *handleWatch) Rearm() {
	s := w.owner
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.w != nil && !w.armed {
		w.armed = true
		windows.SetEvent(w.w.wake)
	}
}

// Stop ends the registration. When it returns, the duplicate is closed: if
// the waiter is in a wait that uses it, Stop wakes it and waits for it to
// leave that wait, which it does at once. A firing racing with Stop is
// dropped by the container, which has deleted the event already (R9).
func (w *handleWatch) Stop() {
	s := w.owner
	s.mu.Lock()
	defer s.mu.Unlock()
	wt := w.w
	if wt == nil {
		return
	}
	wt.detach(w)
	for w.inWait {
		windows.SetEvent(wt.wake)
		s.left.Wait()
	}
	windows.CloseHandle(w.dup)
}

// Close ends every waiter and waits for their goroutines. The container
// closes its services once every Watcher is stopped, so normally there is
// none left.
func (s *waitSet) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, wt := range s.waiters {
		wt.quit = true
		for _, w := range wt.watches {
			w.w = nil
		}
		windows.SetEvent(wt.wake)
	}
	waiters := s.waiters
	s.waiters = nil
	s.mu.Unlock()
	s.running.Wait()
	for _, wt := range waiters {
		for _, w := range wt.watches {
			windows.CloseHandle(w.dup)
		}
	}
	return nil
}
