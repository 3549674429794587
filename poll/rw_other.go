//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows)

package poll

import (
	"errors"
	"runtime"
	"syscall"

	"github.com/evchan/evchan/internal/errs"
)

// Here (Plan 9, js, wasip1) there is no poll: a descriptor cannot be told
// ready without a call that may wait.

func rwConnSupported(syscall.Conn) error { return nil }

func notOpen(error) bool { return false }

func readNow(int, []byte, bool) (int, error) {
	return 0, errs.New("poll: Read is not supported on "+runtime.GOOS, errors.ErrUnsupported)
}

func writeNow(int, []byte, bool) (int, error) {
	return 0, errs.New("poll: Write is not supported on "+runtime.GOOS, errors.ErrUnsupported)
}
