package winhandle

import (
	"io"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/windows"
)

func newHandleSource(h uintptr, shown any) (*handleSource, error) {
	return &handleSource{h: h, shown: shown}, nil
}

// waitersKey names the container's handle waiters among its services.
type waitersKey struct{}

// Watch duplicates the handle, so that what the waiter waits on stays the
// object named at Add whatever the caller does with the handle, checks
// with a wait of no time that the object can be waited on, and registers
// the duplicate with a waiter of the container. An object signaled already
// is reported at once: that wait consumed an auto-reset signal.
func (s *handleSource) Watch(h evchan.Handle) (evchan.Watcher, error) {
	if err := checkHandle(s.h); err != nil {
		return nil, err
	}
	user := windows.Handle(s.h)
	self := windows.CurrentProcess()
	var dup windows.Handle
	if err := windows.DuplicateHandle(self, user, self, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return nil, invalidf([]error{err}, "handle %#x cannot be duplicated: %v", s.h, err)
	}
	r, err := windows.WaitForSingleObject(dup, 0)
	if r == windows.WAIT_FAILED {
		windows.CloseHandle(dup)
		return nil, invalidf([]error{err}, "handle %#x cannot be waited on: %v", s.h, err)
	}
	signaled := r != uint32(windows.WAIT_TIMEOUT)
	if signaled && !h.Persistent() {
		windows.CloseHandle(dup)
		h.Fire(evchan.Signaled, s.shown)
		return evchan.StopFunc(func() {}), nil
	}
	svc, err := h.Service(waitersKey{}, func() (io.Closer, error) { return newWaitSet(), nil })
	if err != nil {
		windows.CloseHandle(dup)
		return nil, err
	}
	w := &handleWatch{user: user, dup: dup, h: h, shown: s.shown, armed: !signaled}
	if err := svc.(*waitSet).add(w); err != nil {
		windows.CloseHandle(dup)
		return nil, err
	}
	if signaled {
		h.Fire(evchan.Signaled, s.shown)
	}
	return w, nil
}
