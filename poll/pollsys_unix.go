//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"sync"

	"golang.org/x/sys/unix"
)

const portableName = "poll"

func openPortable() (mechanism, error) { return openPollSys() }

// pollSysMech is poll(2). Its descriptor list is an argument of each call,
// so a change while poll blocks writes to a pipe to make it return and take
// the new list.
type pollSysMech struct {
	wakeup wakePipe

	mu    sync.Mutex
	want  map[int]pollWant
	dirty bool

	// Owned by the goroutine in wait.
	fds  []unix.PollFd
	gens []uint32
	ids  []fileID
}

type pollWant struct {
	gen    uint32
	events int
	id     fileID // poll(2) knows numbers only: this tells files apart
}

// setEvents stores poll flags in a PollFd field, whose type differs
// between systems.
func setEvents[T int16 | uint16](dst *T, events int) { *dst = T(events) }

func openPollSys() (*pollSysMech, error) {
	wakeup, err := openWakePipe()
	if err != nil {
		return nil, err
	}
	return &pollSysMech{wakeup: wakeup, want: make(map[int]pollWant), dirty: true}, nil
}

func (m *pollSysMech) String() string { return "poll" }

func pollEvents(want interest) int {
	var ev int
	if want&wantRead != 0 {
		ev |= unix.POLLIN
	}
	if want&wantWrite != 0 {
		ev |= unix.POLLOUT
	}
	if want&wantPriority != 0 {
		ev |= unix.POLLPRI
	}
	return ev // POLLERR, POLLHUP and POLLNVAL are always reported
}

func (m *pollSysMech) watch(fd int, gen uint32, want interest, added bool) error {
	id, err := identify(fd)
	m.mu.Lock()
	if added {
		if old, ok := m.want[fd]; ok && (err != nil || old.id != id) {
			m.mu.Unlock()
			return errStale{unix.EBADF} // closed, maybe reused, since (R15)
		}
	} else if err != nil {
		m.mu.Unlock()
		return err
	}
	m.want[fd] = pollWant{gen: gen, events: pollEvents(want), id: id}
	m.dirty = true
	m.mu.Unlock()
	return m.wake()
}

func (m *pollSysMech) unwatch(fd int) error {
	m.mu.Lock()
	delete(m.want, fd)
	m.dirty = true
	m.mu.Unlock()
	return m.wake()
}

func (m *pollSysMech) add(fd int, gen uint32, events int, id fileID) {
	pfd := unix.PollFd{Fd: int32(fd)}
	setEvents(&pfd.Events, events)
	m.fds = append(m.fds, pfd)
	m.gens = append(m.gens, gen)
	m.ids = append(m.ids, id)
}

func (m *pollSysMech) wait(buf []readiness) ([]readiness, error) { return m.poll(buf, -1) }

func (m *pollSysMech) peek(buf []readiness) ([]readiness, error) { return m.poll(buf, 0) }

// poll waits up to timeout milliseconds, -1 for ever.
func (m *pollSysMech) poll(buf []readiness, timeout int) ([]readiness, error) {
	m.mu.Lock()
	if m.dirty {
		m.fds, m.gens, m.ids = m.fds[:0], m.gens[:0], m.ids[:0]
		m.add(m.wakeup.r, 0, unix.POLLIN, fileID{})
		for fd, w := range m.want {
			m.add(fd, w.gen, w.events, w.id)
		}
		m.dirty = false
	}
	m.mu.Unlock()

	_, err := unix.Poll(m.fds, timeout)
	if err == unix.EINTR || err == unix.EAGAIN {
		return buf, nil
	}
	if err != nil {
		return buf, err
	}
	if m.fds[0].Revents != 0 {
		m.wakeup.drain()
	}
	for i := 1; i < len(m.fds); i++ {
		rev := int(m.fds[i].Revents)
		if rev == 0 {
			continue
		}
		var f readyFlags
		if rev&unix.POLLIN != 0 {
			f |= readyRead
		}
		if rev&unix.POLLOUT != 0 {
			f |= readyWrite
		}
		if rev&unix.POLLPRI != 0 {
			f |= readyPriority
		}
		if rev&unix.POLLHUP != 0 {
			f |= readyHangup
		}
		if rev&unix.POLLERR != 0 {
			f |= readyError
		}
		if rev&unix.POLLNVAL != 0 {
			f |= readyInvalid // the kernel says the descriptor is gone (R15)
		} else if id, err := identify(int(m.fds[i].Fd)); err != nil || id != m.ids[i] {
			f = readyInvalid // closed, and the number reused by another file (R15)
		}
		buf = append(buf, readiness{fd: int(m.fds[i].Fd), gen: m.gens[i], flags: f})
	}
	return buf, nil
}

func (m *pollSysMech) wake() error { return m.wakeup.wake() }

func (m *pollSysMech) close() error { return m.wakeup.close() }
