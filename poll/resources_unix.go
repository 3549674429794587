//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"errors"
	"syscall"
)

// isResourceError reports whether err carries a system error saying the
// kernel ran out of descriptors, memory or watch slots.
func isResourceError(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM, syscall.ENOSPC, syscall.ENOBUFS:
		return true
	}
	return false
}
