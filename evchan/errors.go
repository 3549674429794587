package evchan

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/internal/errs"
)

// Sentinel errors. Every error the package itself makes wraps one of them
// (or errors.ErrUnsupported), so callers can test with errors.Is; its text
// is one sentence that names what was wrong. Add passes on the error of a
// Source's Watch as it is, and Close the errors of closing the container's
// services.
var (
	// ErrClosed is returned by Add, Once, SetData, SetTimeout and Service
	// after Close.
	ErrClosed = errors.New("evchan: container closed")
	// ErrInvalid is wrapped by errors about bad arguments: a nil source, a
	// non-positive timer interval, a negative timeout, a Container not made
	// by New (R15).
	ErrInvalid = errors.New("evchan: invalid argument")
	// ErrNotFound is wrapped by the errors of SetData and SetTimeout for an
	// ID that is not in the container: never added, deleted, or a one-shot
	// event already delivered (R2).
	ErrNotFound = errors.New("evchan: no such event")
)

// invalidf returns an error about a bad argument, wrapping ErrInvalid.
func invalidf(format string, args ...any) error {
	return errs.New("evchan: "+fmt.Sprintf(format, args...), ErrInvalid)
}

// notFound returns the error about an ID that is not in the container.
func notFound(id ID) error {
	return errs.New(fmt.Sprintf("evchan: no event %d in the container", id), ErrNotFound)
}

// errNotMade is what the methods of a zero Container return.
var errNotMade = errs.New("evchan: the Container was not made by New: a zero Container cannot hold events", ErrInvalid)

// usable reports errNotMade for a Container that New did not make, or a
// nil one handed to a function that takes a container. The wake channel is
// made by New and never changes after, so reading it needs no lock.
func (c *Container) usable() error {
	if c == nil || c.wake == nil {
		return errNotMade
	}
	return nil
}
