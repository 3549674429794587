package poll

import (
	"errors"
	"fmt"
	"reflect"
	"syscall"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// ErrBadDescriptor is wrapped by the errors about values that are not an open
// descriptor. It also satisfies errors.Is(err, evchan.ErrInvalid).
var ErrBadDescriptor = errs.New("poll: not an open descriptor", evchan.ErrInvalid)

// badDescriptor returns an error wrapping ErrBadDescriptor (and cause, if
// not nil) whose text is "poll: " and what follows.
func badDescriptor(cause error, format string, args ...any) error {
	wraps := []error{ErrBadDescriptor}
	if cause != nil {
		wraps = append(wraps, cause)
	}
	return errs.New("poll: "+fmt.Sprintf(format, args...), wraps...)
}

// fder is the method of values that hold a descriptor, such as *os.File.
type fder interface{ Fd() uintptr }

// descriptorOf returns the descriptor number a Go value stands for: an int
// or uintptr, a syscall.Conn (every net.Conn and net.Listener, and
// *os.File), a value with an Fd method, or a type of the platform's
// (platformNumber: a windows.Handle on Windows). A syscall.Conn is asked
// through SyscallConn().Control, which, unlike (*os.File).Fd, leaves the
// descriptor in the mode the runtime put it in. The number is checked with
// checkWatchable, which on Windows refuses every handle but a socket's.
func descriptorOf(v any) (int, error) {
	if isNilPointer(v) {
		// A nil *net.TCPConn, say, from a failed dial: its methods would
		// panic rather than report an error.
		return -1, badDescriptor(nil, "a nil %T is not an open descriptor", v)
	}
	switch d := v.(type) {
	case nil:
		return -1, badDescriptor(nil, "nil is not an open descriptor")
	case int:
		return checkNumber(int64(d))
	case int32:
		return checkNumber(int64(d))
	case int64:
		return checkNumber(d)
	case uintptr:
		return checkNumber(int64(d))
	case uint:
		return checkNumber(int64(d))
	case syscall.Conn:
		raw, err := d.SyscallConn()
		if err != nil {
			return -1, badDescriptor(err, "the %T has no open descriptor: %v", v, err)
		}
		fd := -1
		if err := raw.Control(func(f uintptr) { fd = int(f) }); err != nil {
			// Control fails once the file or connection is closed.
			return -1, badDescriptor(err, "the %T has no open descriptor: %v", v, err)
		}
		return checkNumber(int64(fd))
	case fder:
		return checkNumber(int64(d.Fd()))
	}
	if n, ok := platformNumber(v); ok {
		return checkNumber(n)
	}
	return -1, badDescriptor(nil, "a value of type %T is not a descriptor: want an int, a uintptr, a syscall.Conn or a value with Fd() uintptr", v)
}

// isNilPointer reports whether v is a nil pointer (or another nil value
// of a kind that has methods) held in an interface.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

func checkNumber(fd int64) (int, error) {
	// A closed *os.File reports ^uintptr(0) from Fd, which lands here too.
	if fd < 0 || fd > 1<<31-1 {
		return -1, badDescriptor(nil, "descriptor %d is not an open descriptor", fd)
	}
	if err := checkWatchable(int(fd)); err != nil {
		return -1, err
	}
	return int(fd), nil
}

// ErrClosedWhileRegistered is in Event.Err when the kernel reported that an
// event's descriptor was closed while it was registered (R15). The event is
// delivered once with it and deleted.
var ErrClosedWhileRegistered = errors.New("poll: descriptor closed while registered")

// ErrCondition is in Event.Err when the kernel reported an error condition
// on the descriptor (EPOLLERR, POLLERR, EV_ERROR). The event stays; the
// cause is what the descriptor's next read or write returns. The poller does
// not fetch it: reading a socket's SO_ERROR clears it, which would take it
// from the program and from other containers watching the socket.
var ErrCondition = errors.New("poll: error condition on descriptor (its next read or write says which)")
