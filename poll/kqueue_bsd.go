//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poll

import (
	"errors"
	"runtime"
	"sync"

	"github.com/evchan/evchan/internal/errs"
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
}

// kqueueBatch is how many events one kevent call returns at most.
const kqueueBatch = 256

// kqueueWaiter is one caller's buffer for kevent.
type kqueueWaiter struct {
	m      *kqueueMech
	woken  bool // it drains the wake pipe when it reports it
	events [kqueueBatch]unix.Kevent_t
}

type kqueueReg struct {
	gen  uint32
	want interest
	off  interest // its filters disabled (quiet)
	// id is the file the number named when it was first watched: kqueue
	// drops a closed descriptor's filters silently, so verify compares.
	id fileID
}

func openKqueue() (*kqueueMech, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, errs.In("poll: kqueue", err)
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
		return nil, errs.In("poll: kevent", err)
	}
	return m, nil
}

func (m *kqueueMech) String() string { return "kqueue" }

func (m *kqueueMech) newWaiter(woken bool) waiter { return &kqueueWaiter{m: m, woken: woken} }

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
		return errs.New("poll: kqueue on "+runtime.GOOS+" has no EVFILT_EXCEPT: watch for exceptions with poll.Portable", errors.ErrUnsupported)
	}
	var id fileID
	if !added {
		id = fileOf(fd)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	reg := m.regs[fd]
	old := reg.want
	if !added {
		reg.id = id
	}
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
		case want&f.want != 0 && reg.off&f.want != 0:
			unix.SetKevent(&ev, fd, f.filter, unix.EV_ENABLE) // watch undoes quiet
		default:
			continue
		}
		changes = append(changes, ev)
	}
	if len(changes) > 0 {
		if _, err := unix.Kevent(m.kq, changes, nil, nil); err != nil {
			if added && (err == unix.EBADF || err == unix.ENOENT) {
				return errStale{err} // ENOENT: a filter gone with its closed file
			}
			return err
		}
	}
	reg.gen, reg.want, reg.off = gen, want, 0
	m.regs[fd] = reg
	return nil
}

// quiet disables the filters of off, and enables again those no longer in
// it: a disabled filter reports nothing, end of file included. Filters are
// kept with their file, so one closed under its number fails EV_ENABLE.
func (m *kqueueMech) quiet(fd int, gen uint32, want, off interest) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	reg, ok := m.regs[fd]
	if !ok {
		return nil
	}
	var changes []unix.Kevent_t
	for _, f := range filters {
		var flags int
		switch {
		case reg.want&f.want == 0:
			continue
		case off&f.want != 0 && reg.off&f.want == 0:
			flags = unix.EV_DISABLE
		case off&f.want == 0 && reg.off&f.want != 0:
			flags = unix.EV_ENABLE
		default:
			continue
		}
		var ev unix.Kevent_t
		unix.SetKevent(&ev, fd, f.filter, flags)
		changes = append(changes, ev)
	}
	if len(changes) > 0 {
		if _, err := unix.Kevent(m.kq, changes, nil, nil); err != nil {
			if err == unix.EBADF || err == unix.ENOENT {
				return errStale{err}
			}
			return err
		}
	}
	reg.off = off
	m.regs[fd] = reg
	return nil
}

// verify compares the file fd names with the one it was first watched for.
func (m *kqueueMech) verify(fd int, gen uint32, want interest) error {
	id, err := identify(fd)
	m.mu.Lock()
	defer m.mu.Unlock()
	if reg, ok := m.regs[fd]; ok && (err != nil || reg.id != id) {
		return errStale{unix.EBADF}
	}
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

// poll waits up to timeout milliseconds, -1 for ever.
func (w *kqueueWaiter) poll(buf []readiness, timeout int) ([]readiness, bool, error) {
	m := w.m
	var ts *unix.Timespec
	if timeout >= 0 {
		t := unix.NsecToTimespec(int64(timeout) * 1e6)
		ts = &t
	}
	n, err := unix.Kevent(m.kq, nil, w.events[:], ts)
	if err == unix.EINTR {
		return buf, false, nil
	}
	if err != nil {
		return buf, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ev := range w.events[:n] {
		fd := int(ev.Ident)
		if fd == m.wakeup.r {
			if w.woken {
				m.wakeup.drain()
			}
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
	return buf, n == len(w.events), nil
}

func (m *kqueueMech) wake() error { return m.wakeup.wake() }

func (m *kqueueMech) close() error {
	return errors.Join(m.wakeup.close(), unix.Close(m.kq))
}
