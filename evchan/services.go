package evchan

import (
	"errors"
	"io"
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
}

func (s *serviceSet) get(key any, start func() (io.Closer, error)) (io.Closer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if v, ok := s.byKey[key]; ok {
		return v, nil
	}
	v, err := start()
	if err != nil {
		return nil, err
	}
	if s.byKey == nil {
		s.byKey = make(map[any]io.Closer)
	}
	s.byKey[key] = v
	s.order = append(s.order, v)
	return v, nil
}

// closeAll closes every service, the last started first, and returns their
// errors joined.
func (s *serviceSet) closeAll() error {
	s.mu.Lock()
	order := s.order
	s.closed, s.byKey, s.order = true, nil, nil
	s.mu.Unlock()
	var errs []error
	for i := len(order) - 1; i >= 0; i-- {
		if err := order[i].Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
