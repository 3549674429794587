package evchan

import (
	"errors"
	"io"
	"reflect"
	"sync"
)

// serviceSet holds the per-container values that sources share, such as one
// poller per container. It has its own mutex so that a slow start function
// never holds up the container's lock.
type serviceSet struct {
	mu     sync.Mutex
	closed bool
	byKey  map[any]io.Closer
	order  []io.Closer // in start order; closed in reverse
	probe  []Prober    // the services that are Probers, in start order
	wait   []Waiter    // the services that are Waiters
}

func (s *serviceSet) get(key any, start func() (io.Closer, error)) (io.Closer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, ErrClosed
	case start == nil:
		return nil, invalidf("Service with a nil start function")
	case key == nil || !reflect.TypeOf(key).Comparable():
		// A map index would panic on it (a slice, a map, a func, or a
		// struct holding one).
		return nil, notComparable(key)
	}
	v, ok, err := s.lookup(key)
	if err != nil || ok {
		return v, err
	}
	v, err = startService(start)
	if err != nil {
		return nil, err
	}
	if v == nil || isNilPointer(v) {
		// Close could not close it, and the next caller would get nil.
		return nil, invalidf("Service's start function returned no service and no error")
	}
	if s.byKey == nil {
		s.byKey = make(map[any]io.Closer)
	}
	s.byKey[key] = v
	s.order = append(s.order, v)
	if pr, ok := v.(Prober); ok {
		s.probe = append(s.probe, pr)
	}
	if w, ok := v.(Waiter); ok {
		s.wait = append(s.wait, w)
	}
	return v, nil
}

// soleWaiter returns the one service that is a Waiter, or nil if there are
// none or several: a loop cannot wait in two at once.
func (s *serviceSet) soleWaiter() Waiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.wait) != 1 {
		return nil
	}
	return s.wait[0]
}

// hasProbers reports whether a service is a Prober.
func (s *serviceSet) hasProbers() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.probe) > 0
}

// probers returns the services that are Probers. The slice is never
// changed after it is returned: a new service makes a new one or appends
// beyond it.
func (s *serviceSet) probers() []Prober {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.probe
}

// lookup returns the service under key. A key of a comparable type can
// still hold a value that is not (a slice in an interface field), on which
// the map index panics: that is an error wrapping ErrInvalid. Checking the
// type first, and the value only this way, costs no allocation: Service is
// called at every Add of a descriptor event. Called with mu held.
func (s *serviceSet) lookup(key any) (v io.Closer, ok bool, err error) {
	defer func() {
		if recover() != nil {
			v, ok, err = nil, false, notComparable(key)
		}
	}()
	v, ok = s.byKey[key]
	return v, ok, nil
}

func notComparable(key any) error {
	return invalidf("Service key of type %T cannot be a map key", key)
}

// startService calls start, turning a panic into an error.
func startService(start func() (io.Closer, error)) (v io.Closer, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, &panicError{"a Service start function", r}
		}
	}()
	return start()
}

// closeAll closes every service, the last started first, and returns their
// errors joined. A Close that panics is recovered and reported with them,
// and the services after it are closed all the same.
func (s *serviceSet) closeAll() error {
	s.mu.Lock()
	order := s.order
	s.closed, s.byKey, s.order, s.probe, s.wait = true, nil, nil, nil, nil
	s.mu.Unlock()
	var errs []error
	for i := len(order) - 1; i >= 0; i-- {
		if err := closeService(order[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// closeService calls v.Close, turning a panic into an error.
func closeService(v io.Closer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{callName(v, "Close"), r}
		}
	}()
	return v.Close()
}
