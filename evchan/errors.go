package evchan

import "errors"

// Sentinel errors. Every error the package returns wraps one of them (or
// errors.ErrUnsupported), so callers can test with errors.Is.
var (
	// ErrClosed is returned by Add and Once after Close.
	ErrClosed = errors.New("evchan: container closed")
	// ErrInvalid is wrapped by errors about bad arguments: a nil source, a
	// non-positive timer interval, a negative timeout (R15).
	ErrInvalid = errors.New("evchan: invalid argument")
)
