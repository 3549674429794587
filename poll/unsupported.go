//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows)

package poll

import (
	"errors"
	"runtime"

	"github.com/evchan/evchan/internal/errs"
)

const (
	defaultName  = "none"
	portableName = "none"
)

func openDefault() (mechanism, error) {
	return nil, errs.New("poll: descriptor events are not supported on "+runtime.GOOS, errors.ErrUnsupported)
}

func openPortable() (mechanism, error) { return openDefault() }

type fileID struct{}

func fileOf(int) fileID         { return fileID{} }
func sameFile(int, fileID) bool { return true }

// isResourceError reports false: no mechanism runs here to run out.
func isResourceError(error) bool { return false }
