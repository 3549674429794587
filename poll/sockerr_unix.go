//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// errDescriptorError is Event.Err for an error condition the kernel gives
// no cause for, as on a pipe whose reader went away.
var errDescriptorError = errors.New("poll: error condition on descriptor")

// pendingError returns the error pending on fd: a socket's SO_ERROR, or
// errDescriptorError.
func pendingError(fd int) error {
	errno, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil || errno == 0 {
		return errDescriptorError
	}
	return syscall.Errno(errno)
}
