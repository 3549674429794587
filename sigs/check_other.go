//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows)

package sigs

import (
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
	return unsupportedf("signal %v cannot be watched: %s has no signal events", v, runtime.GOOS)
}
