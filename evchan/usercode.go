package evchan

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/evchan/evchan/internal/errs"
)

// The container calls user code in six places: a Source's Watch, a
// Watcher's Rearm and Stop, and a service's start function, Close and
// Probe (Handle.Service, Prober). Each call goes through this file, which turns a panic
// into an error wrapping ErrPanicked, so that a faulty source never kills
// the container's goroutine, leaves a half-made event behind, or stops
// Close from releasing everything (R12, R15). Where each error goes is
// said beside the Source interface.

// ErrPanicked is wrapped by the error a panic in code the container calls
// becomes: a Source's Watch (Add returns it), a Watcher's Rearm (its event
// is delivered once more with it and deleted), a Watcher's Stop or a
// service's Close (Close returns it), a service's start function
// (Handle.Service returns it). The error's text has the panic's value; if
// that value is an error, errors.Is and errors.As see it too.
var ErrPanicked = errors.New("evchan: panic in code the container called")

// panicError is a recovered panic of user code.
type panicError struct {
	call  string // what panicked, as "(*T).Watch"
	value any
}

func (e *panicError) Error() string {
	return fmt.Sprintf("evchan: %s panicked: %v", e.call, e.value)
}

// Unwrap returns ErrPanicked and, if the panic's value is an error, that
// error.
func (e *panicError) Unwrap() []error {
	if err, ok := e.value.(error); ok {
		return []error{ErrPanicked, err}
	}
	return []error{ErrPanicked}
}

// callName names method of v's type for a panic's error.
func callName(v any, method string) string {
	return fmt.Sprintf("(%T).%s", v, method)
}

// watch calls src.Watch.
func watch(src Source, h Handle) (w Watcher, err error) {
	defer func() {
		if r := recover(); r != nil {
			w, err = nil, &panicError{callName(src, "Watch"), r}
		}
	}()
	return src.Watch(h)
}

// rearm calls w.Rearm for e. A panic ends e as a failure of its source
// would: it is delivered once more with the panic's error, then deleted
// (and w stopped). Called without mu.
func (c *Container) rearm(e *entry, w Watcher) {
	defer func() {
		if r := recover(); r != nil {
			c.fire(e, c.lastReason(e), nil, &panicError{callName(w, "Rearm"), r}, true)
		}
	}()
	w.Rearm()
}

// lastReason is the reason e was last delivered for, which a failure of
// its source is delivered with.
func (c *Container) lastReason(e *entry) Reason {
	c.mu.Lock()
	defer c.unlock()
	return e.reason
}

// stopWatcher calls w.Stop. A panic is kept for Close to return: the event
// is gone already, and no delivery is left to carry it. Called without mu.
func (c *Container) stopWatcher(w Watcher) {
	defer func() {
		if r := recover(); r != nil {
			c.notePanic(&panicError{callName(w, "Stop"), r})
		}
	}()
	w.Stop()
}

// callProbe calls p.Probe. A panic is kept for Close to return, as Stop's
// is.
func (c *Container) callProbe(p Prober) {
	defer func() {
		if r := recover(); r != nil {
			c.notePanic(&panicError{callName(p, "Probe"), r})
		}
	}()
	p.Probe()
}

// callWait calls w.Wait. A panic is kept for Close to return, and
// reported as panicked: the container waits in w no more.
func (c *Container) callWait(w Waiter, timeout time.Duration) (fired int, waited, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			c.notePanic(&panicError{callName(w, "Wait"), r})
			fired, waited, panicked = 0, false, true
		}
	}()
	fired, waited = w.Wait(timeout)
	return fired, waited, false
}

// callWake calls w.Wake, keeping a panic for Close to return.
func (c *Container) callWake(w Waiter) {
	defer func() {
		if r := recover(); r != nil {
			c.notePanic(&panicError{callName(w, "Wake"), r})
		}
	}()
	w.Wake()
}

// callRelease calls w.Release, keeping a panic for Close to return.
func (c *Container) callRelease(w Waiter) {
	defer func() {
		if r := recover(); r != nil {
			c.notePanic(&panicError{callName(w, "Release"), r})
		}
	}()
	w.Release()
}

// stopAll stops each watcher.
func (c *Container) stopAll(watchers []Watcher) {
	for _, w := range watchers {
		c.stopWatcher(w)
	}
}

// notePanic records a panic for Close to return: the first one, and how
// many there were, so that a source that panics at every Stop costs no
// memory per event.
func (c *Container) notePanic(err error) {
	c.mu.Lock()
	defer c.unlock()
	if c.panicked == nil {
		c.panicked = err
	}
	c.panics++
}

// panicReport returns what notePanic recorded, as one error, or nil.
func (c *Container) panicReport() error {
	c.mu.Lock()
	defer c.unlock()
	if c.panics <= 1 {
		return c.panicked
	}
	return errs.New(fmt.Sprintf("%v (and %d more panics in Stop, Probe or Close)", c.panicked, c.panics-1), c.panicked)
}

// isNilPointer reports whether v is a nil pointer or func held in an
// interface: a Source of that kind would, almost surely, panic at its
// first call.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Func:
		return rv.IsNil()
	}
	return false
}
