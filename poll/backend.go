package poll

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// A Backend is a kernel readiness mechanism that descriptor events of a
// container are watched with. Each container starts one poller goroutine per
// backend it uses, with its first descriptor event, and ends it on Close.
type Backend uint8

const (
	// Default is the best mechanism of the platform: epoll on Linux, kqueue
	// on macOS and the BSDs, poll(2) on the other Unix systems, WSAPoll on
	// Windows (sockets only). Elsewhere it is unavailable and Add refuses its
	// events with errors.ErrUnsupported.
	Default Backend = iota
	// Portable is poll(2), on every Unix system, and WSAPoll, Winsock's
	// poll, on Windows. It rebuilds its descriptor list after each change,
	// so Default suits large sets better; it is here for systems without a
	// better mechanism, and so that its code path is tested on Linux too.
	Portable
)

// String names the mechanism the backend uses on this platform.
func (b Backend) String() string {
	switch b {
	case Default:
		return defaultName
	case Portable:
		return portableName
	}
	return fmt.Sprintf("Backend(%d)", uint8(b))
}

// open starts the backend's mechanism. An error for want of descriptors or
// memory wraps ErrResources.
func (b Backend) open() (mechanism, error) {
	var mech mechanism
	var err error
	switch b {
	case Default:
		mech, err = openDefault()
	case Portable:
		mech, err = openPortable()
	default:
		return nil, errs.New(fmt.Sprintf("poll: %v is not a backend: want poll.Default or poll.Portable", b), evchan.ErrInvalid)
	}
	return mech, outOfResources(err)
}

// Readable is poll.Readable watched with backend b: it is there to choose
// a backend, such as Portable to have poll(2) rather than epoll.
func (b Backend) Readable(fd any) evchan.Spec { return b.spec(fd, wantRead, 'r') }

// Writable is poll.Writable watched with backend b, to choose a backend.
func (b Backend) Writable(fd any) evchan.Spec { return b.spec(fd, wantWrite, 'w') }

// Exception is poll.Exception watched with backend b, to choose a backend.
func (b Backend) Exception(fd any) evchan.Spec { return b.spec(fd, wantPriority, 'x') }

// spec checks fd now, so that Spec.Err reports before Add a value that is
// no descriptor at all (nil, a string, a negative number, a closed *os.File
// or net.Conn; on Windows, a handle that is no socket), and Watch resolves
// it again when the event is added: a descriptor number can be closed or
// opened in between, so Add alone tells whether it is open (R15).
func (b Backend) spec(fd any, want interest, letter byte) evchan.Spec {
	_, err := descriptorOf(fd)
	return evchan.Custom(&source{backend: b, fd: fd, want: want}).WithSource(fd).WithLetter(letter).WithErr(err)
}

// Readable returns the Spec of a one-shot event (the draft's "r";
// Persistent: "R") that fires with reason evchan.Readable when fd has data
// to read, or hung up, or failed (then Event.Err says how). fd is any
// descriptor a Go program holds: an int or uintptr, a syscall.Conn such as
// every net.Conn, net.Listener and *os.File, or a value with an Fd()
// uintptr method. It is watched with the platform's best mechanism
// (Default); Portable.Readable chooses poll(2).
func Readable(fd any) evchan.Spec { return Default.Readable(fd) }

// Writable returns the Spec of a one-shot event (the draft's "w";
// Persistent: "W") that fires with reason evchan.Writable when fd can be
// written to, or hung up, or failed. fd is as for Readable.
func Writable(fd any) evchan.Spec { return Default.Writable(fd) }

// Exception returns the Spec of a one-shot event (the draft's "x";
// Persistent: "X") that fires with reason evchan.Exception when fd has
// out-of-band or priority data, such as TCP urgent data. fd is as for
// Readable.
func Exception(fd any) evchan.Spec { return Default.Exception(fd) }
