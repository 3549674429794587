package poll

import (
	"io"

	"github.com/evchan/evchan/evchan"
)

// source is the evchan.Source of one descriptor event.
type source struct {
	backend Backend
	fd      any // as the user gave it
	want    interest
}

// pollerKey names a container's poller for one backend among its services.
type pollerKey struct{ backend Backend }

func (s *source) Watch(h evchan.Handle) (evchan.Watcher, error) {
	fd, err := descriptorOf(s.fd)
	if err != nil {
		return nil, err
	}
	svc, err := h.Service(pollerKey{s.backend}, func() (io.Closer, error) {
		return startPoller(s.backend)
	})
	if err != nil {
		return nil, err
	}
	return svc.(*poller).register(fd, s.want, h)
}

// String describes the source for logs.
func (s *source) String() string {
	switch s.want {
	case wantWrite:
		return "writable descriptor"
	case wantPriority:
		return "descriptor exception"
	}
	return "readable descriptor"
}

// reasonFor is the reason an event of want is delivered with.
func reasonFor(want interest) evchan.Reason {
	switch want {
	case wantWrite:
		return evchan.Writable
	case wantPriority:
		return evchan.Exception
	}
	return evchan.Readable
}

// matches reports whether what the kernel reported fires an event of want.
// A hang-up or an error fires every kind but priority data, so that no
// watcher misses the end of its descriptor.
func matches(want interest, f readyFlags) bool {
	switch want {
	case wantRead:
		return f&(readyRead|readyHangup|readyError) != 0
	case wantWrite:
		return f&(readyWrite|readyHangup|readyError) != 0
	case wantPriority:
		return f&(readyPriority|readyHangup|readyError) != 0
	}
	return false
}
