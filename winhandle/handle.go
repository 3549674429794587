package winhandle

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// MaxPerWaiter is how many handles one waiter goroutine waits on: the
// 64 that WaitForMultipleObjects takes (MAXIMUM_WAIT_OBJECTS), less the
// waiter's own wake event. A container's 64th handle starts a second
// waiter, its 127th a third, and so on.
const MaxPerWaiter = 63

// ErrClosedWhileRegistered is in Event.Err when the handle an event was
// added with no longer names the object it named at Add: it was closed
// while still registered, and perhaps its value reused by another object
// (R15). The event is delivered once with it and deleted.
var ErrClosedWhileRegistered = errors.New("winhandle: handle closed while registered")

// invalidf returns an error about a bad argument, wrapping evchan.ErrInvalid
// and each of causes.
func invalidf(causes []error, format string, args ...any) error {
	return errs.New("winhandle: "+fmt.Sprintf(format, args...), append([]error{evchan.ErrInvalid}, causes...)...)
}

// Handle returns the Spec of a one-shot event that fires with reason
// evchan.Signaled when the object h names is signaled: the draft's "h".
// Persistent() makes it the draft's "H". h is a windows.Handle, a
// syscall.Handle or a uintptr. Event.Source and Event.Value are h as given.
//
// Any object a wait function accepts can be watched: events, processes,
// threads, waitable timers, semaphores, change notifications, console
// input. A persistent event on an object that stays signaled (a
// manual-reset event that is set, a process that exited) fires again after
// each delivery and is coalesced while it waits for a consumer (R3); an
// auto-reset object (an auto-reset event, a semaphore, a synchronization
// timer) is reset by the wait that notices it, as by any waiter, so each
// of its signals makes one delivery. Mutexes are not for this: the wait
// would give the mutex to a waiter thread that never releases it.
//
// Add duplicates h and waits on the duplicate, so the caller keeps h to
// use and close as usual; delete the event before closing h (see the
// package documentation for what happens otherwise). Add refuses, with an
// error wrapping evchan.ErrInvalid, a null handle, a pseudo handle, a
// closed one and one that cannot be waited on; on other systems than
// Windows it refuses every handle with an error wrapping
// errors.ErrUnsupported, and the Spec's Err method says so before Add.
func Handle[H ~uintptr](h H) evchan.Spec {
	src, err := newHandleSource(uintptr(h), h)
	if err == nil {
		err = checkHandle(uintptr(h))
	}
	return evchan.Custom(src).WithSource(h).WithLetter('h').WithErr(err)
}

// checkHandle refuses the values that name no object of their own: null,
// and the pseudo handles, which count down from ^uintptr(0) and name
// the process or thread that uses them.
func checkHandle(h uintptr) error {
	switch {
	case h == 0:
		return invalidf(nil, "handle 0 is null: it names no object")
	case h >= ^uintptr(0)-15:
		return invalidf(nil, "handle %#x is a pseudo handle (GetCurrentProcess, GetCurrentThread, INVALID_HANDLE_VALUE...), which names whoever uses it: duplicate it first", h)
	}
	return nil
}

// handleSource is the evchan.Source of a handle event. Its Watch is in the
// platform's file.
type handleSource struct {
	h     uintptr
	shown any // h as the user gave it: Event.Value
}

// String describes the source for logs.
func (s *handleSource) String() string { return fmt.Sprintf("handle %#x", s.h) }
