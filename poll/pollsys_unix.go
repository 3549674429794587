//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"golang.org/x/sys/unix"
)

const portableName = "poll"

func openPortable() (mechanism, error) { return openPollSys() }

// pollSysMech is poll(2). Its descriptor list is an argument of each call,
// so a change while poll blocks writes to a pipe to make it return and take
// the new list.
type pollSysMech struct {
	wakeup wakePipe
	wantList[int]
}

// pollSysWaiter is one caller's descriptor list for poll(2).
type pollSysWaiter struct {
	m       *pollSysMech
	woken   bool   // it watches the wake pipe, and drains it
	version uint64 // of the want map its list was built from; 0: never built
	fds     []unix.PollFd
	gens    []uint32
	ids     []fileID
}

// setEvents stores poll flags in a PollFd field, whose type differs
// between systems.
func setEvents[T int16 | uint16](dst *T, events int) { *dst = T(events) }

func openPollSys() (*pollSysMech, error) {
	wakeup, err := openWakePipe()
	if err != nil {
		return nil, err
	}
	return &pollSysMech{wakeup: wakeup, wantList: newWantList[int]()}, nil
}

func (m *pollSysMech) newWaiter(woken bool) waiter { return &pollSysWaiter{m: m, woken: woken} }

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
	m.want[fd] = pollWant[int]{gen: gen, events: pollEvents(want), id: id}
	m.version++
	m.mu.Unlock()
	return m.wake()
}

// verify compares the file fd names with the one it was watched for.
func (m *pollSysMech) verify(fd int, gen uint32, want interest) error {
	id, err := identify(fd)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.want[fd]; ok && (err != nil || old.id != id) {
		return errStale{unix.EBADF}
	}
	return nil
}

// quiet changes what fd is polled for (wantList.setQuiet).
func (m *pollSysMech) quiet(fd int, gen uint32, want, off interest) error {
	if m.setQuiet(fd, pollEvents(want&^off), off != 0 && off == want) {
		return m.wake()
	}
	return nil
}

func (m *pollSysMech) unwatch(fd int) error {
	m.forget(fd)
	return m.wake()
}

func (w *pollSysWaiter) add(fd int, gen uint32, events int, id fileID) {
	pfd := unix.PollFd{Fd: int32(fd)}
	setEvents(&pfd.Events, events)
	w.fds = append(w.fds, pfd)
	w.gens = append(w.gens, gen)
	w.ids = append(w.ids, id)
}

// poll waits up to timeout milliseconds, -1 for ever.
func (w *pollSysWaiter) poll(buf []readiness, timeout int) ([]readiness, bool, error) {
	m := w.m
	m.mu.Lock()
	if w.version != m.version {
		w.fds, w.gens, w.ids = w.fds[:0], w.gens[:0], w.ids[:0]
		if w.woken {
			w.add(m.wakeup.r, 0, unix.POLLIN, fileID{})
		}
		for fd, want := range m.want {
			if !want.silent {
				w.add(fd, want.gen, want.events, want.id)
			}
		}
		w.version = m.version
	}
	m.mu.Unlock()
	if len(w.fds) == 0 {
		return buf, false, nil // nothing to look at without blocking
	}

	_, err := unix.Poll(w.fds, timeout)
	if err == unix.EINTR || err == unix.EAGAIN {
		return buf, false, nil
	}
	if err != nil {
		return buf, false, err
	}
	first := 0
	if w.woken {
		if w.fds[0].Revents != 0 {
			m.wakeup.drain()
		}
		first = 1
	}
	for i := first; i < len(w.fds); i++ {
		rev := int(w.fds[i].Revents)
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
		} else if id, err := identify(int(w.fds[i].Fd)); err != nil || id != w.ids[i] {
			f = readyInvalid // closed, and the number reused by another file (R15)
		}
		buf = append(buf, readiness{fd: int(w.fds[i].Fd), gen: w.gens[i], flags: f})
	}
	return buf, false, nil // poll(2) reports every ready descriptor at once
}

func (m *pollSysMech) wake() error { return m.wakeup.wake() }

func (m *pollSysMech) close() error { return m.wakeup.close() }
