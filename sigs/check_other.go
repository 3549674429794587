//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows)

package sigs

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// On Plan 9, js and wasip1 signal events are not built: every signal is
// refused with errors.ErrUnsupported, never a silent no-op.

func check(sig os.Signal) (os.Signal, error) {
	if sig == nil {
		return nil, errNil
	}
	return nil, unsupported(sig)
}

func byName(name string) (os.Signal, error) { return nil, unsupported(name) }

func byNumber(n int64) (os.Signal, error) { return nil, unsupported(n) }

func unsupported(v any) error {
	return fmt.Errorf("sigs: signal %v: signal events on %s: %w", v, runtime.GOOS, errors.ErrUnsupported)
}
