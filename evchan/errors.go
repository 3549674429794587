package evchan

import "errors"

// Sentinel errors. Every error the package itself makes wraps one of them
// (or errors.ErrUnsupported), so callers can test with errors.Is. Add passes
// on the error of a Source's Watch as it is, and Close the errors of closing
// the container's services.
var (
	// ErrClosed is returned by Add and Once after Close.
	ErrClosed = errors.New("evchan: container closed")
	// ErrInvalid is wrapped by errors about bad arguments: a nil source, a
	// non-positive timer interval, a negative timeout (R15).
	ErrInvalid = errors.New("evchan: invalid argument")
)
