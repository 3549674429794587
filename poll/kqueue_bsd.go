//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"
)

const defaultName = "kqueue"

func openDefault() (mechanism, error) { return openKqueue() }

// kqueueMech is kqueue. Filters may change while kevent blocks; a pipe
// registered for reading wakes it for Close.
type kqueueMech struct {
	kq     int
	wakeup wakePipe

	mu   sync.Mutex
	regs map[int]kqueueReg

	events [256]unix.Kevent_t
}

type kqueueReg struct {
	gen  uint32
	want interest
}

func openKqueue() (*kqueueMech, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, fmt.Errorf("poll: kqueue: %w", err)
	}
	unix.CloseOnExec(kq)
	wakeup, err := openWakePipe()
	if err != nil {
		unix.Close(kq)
		return nil, err
	}
	m := &kqueueMech{kq: kq, wakeup: wakeup, regs: make(map[int]kqueueReg)}
	var ch [1]unix.Kevent_t
	unix.SetKevent(&ch[0], wakeup.r, unix.EVFILT_READ, unix.EV_ADD)
	if _, err := unix.Kevent(kq, ch[:], nil, nil); err != nil {
		m.close()
		return nil, fmt.Errorf("poll: kevent: %w", err)
	}
	return m, nil
}

func (m *kqueueMech) String() string { return "kqueue" }

// filters lists the kqueue filters of each interest.
var filters = []struct {
	want   interest
	filter int
}{
	{wantRead, unix.EVFILT_READ},
	{wantWrite, unix.EVFILT_WRITE},
	{wantPriority, exceptFilter},
}

func (m *kqueueMech) watch(fd int, gen uint32, want interest, added bool) error {
	if want&wantPriority != 0 && exceptFilter == 0 {
		return fmt.Errorf("poll: kqueue on this system has no EVFILT_EXCEPT (use poll.Portable): %w", errors.ErrUnsupported)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.regs[fd].want
	var changes []unix.Kevent_t
	for _, f := range filters {
		var ev unix.Kevent_t
		switch {
		case want&f.want != 0 && old&f.want == 0:
			unix.SetKevent(&ev, fd, f.filter, unix.EV_ADD)
			if f.want == wantPriority {
				ev.Fflags = exceptFlags
			}
		case want&f.want == 0 && old&f.want != 0:
			unix.SetKevent(&ev, fd, f.filter, unix.EV_DELETE)
		default:
			continue
		}
		changes = append(changes, ev)
	}
	if len(changes) > 0 {
		if _, err := unix.Kevent(m.kq, changes, nil, nil); err != nil {
			if added && err == unix.EBADF {
				return errStale{err}
			}
			return err
		}
	}
	m.regs[fd] = kqueueReg{gen: gen, want: want}
	return nil
}

func (m *kqueueMech) unwatch(fd int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.regs[fd].want
	delete(m.regs, fd)
	var changes []unix.Kevent_t
	for _, f := range filters {
		if old&f.want != 0 {
			var ev unix.Kevent_t
			unix.SetKevent(&ev, fd, f.filter, unix.EV_DELETE)
			changes = append(changes, ev)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	_, err := unix.Kevent(m.kq, changes, nil, nil)
	return err
}

func (m *kqueueMech) wait(buf []readiness) ([]readiness, error) { return m.poll(buf, nil) }

func (m *kqueueMech) peek(buf []readiness) ([]readiness, error) {
	return m.poll(buf, &unix.Timespec{})
}

// poll waits until timeout, nil for ever.
func (m *kqueueMech) poll(buf []readiness, timeout *unix.Timespec) ([]readiness, error) {
	n, err := unix.Kevent(m.kq, nil, m.events[:], timeout)
	if err == unix.EINTR {
		return buf, nil
	}
	if err != nil {
		return buf, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ev := range m.events[:n] {
		fd := int(ev.Ident)
		if fd == m.wakeup.r {
			m.wakeup.drain()
			continue
		}
		var f readyFlags
		// Not a switch: the filter constants collide with exceptFilter's 0
		// on some systems.
		if filter := int(ev.Filter); filter == unix.EVFILT_READ {
			f |= readyRead // EV_EOF too: the read gives EOF
		} else if filter == unix.EVFILT_WRITE {
			f |= readyWrite
			if ev.Flags&unix.EV_EOF != 0 {
				f |= readyHangup
			}
		} else if exceptFilter != 0 && filter == exceptFilter {
			f |= readyPriority
		}
		if ev.Flags&unix.EV_ERROR != 0 {
			f |= readyError
		}
		buf = append(buf, readiness{fd: fd, gen: m.regs[fd].gen, flags: f})
	}
	return buf, nil
}

func (m *kqueueMech) wake() error { return m.wakeup.wake() }

func (m *kqueueMech) close() error {
	return errors.Join(m.wakeup.close(), unix.Close(m.kq))
}
