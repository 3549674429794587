package poll

import (
	"encoding/binary"
	"errors"
	"unsafe"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/unix"
)

const defaultName = "epoll"

func openDefault() (mechanism, error) { return openEpoll() }

// epollMech is epoll, level-triggered. Registrations may change while
// epoll_wait blocks, so only Close needs the eventfd to wake it.
type epollMech struct {
	epfd   int
	wakeFd int // an eventfd, registered with generation 0
}

// epollBatch is how many readinesses one epoll_wait returns at most. When
// it returns that many, the waiter says there may be more (the kernel hands
// out its ready list in turns), and the poller polls again at once.
const epollBatch = 256

// epollWaiter is one caller's buffer for epoll_wait.
type epollWaiter struct {
	m      *epollMech
	woken  bool // it resets the eventfd when it reports it
	events [epollBatch]unix.EpollEvent
}

func openEpoll() (*epollMech, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, errs.In("poll: epoll_create1", err)
	}
	wakeFd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, errs.In("poll: eventfd", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakeFd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakeFd, &ev); err != nil {
		unix.Close(wakeFd)
		unix.Close(epfd)
		return nil, errs.In("poll: epoll_ctl", err)
	}
	return &epollMech{epfd: epfd, wakeFd: wakeFd}, nil
}

func (m *epollMech) newWaiter(woken bool) waiter { return &epollWaiter{m: m, woken: woken} }

func (m *epollMech) String() string { return "epoll" }

func epollMask(want interest) uint32 {
	var mask uint32
	if want&wantRead != 0 {
		mask |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if want&wantWrite != 0 {
		mask |= unix.EPOLLOUT
	}
	if want&wantPriority != 0 {
		mask |= unix.EPOLLPRI
	}
	return mask // EPOLLERR and EPOLLHUP are always reported
}

func (m *epollMech) watch(fd int, gen uint32, want interest, added bool) error {
	ev := unix.EpollEvent{Events: epollMask(want), Fd: int32(fd), Pad: int32(gen)}
	op := unix.EPOLL_CTL_ADD
	if added {
		op = unix.EPOLL_CTL_MOD
	}
	err := unix.EpollCtl(m.epfd, op, fd, &ev)
	if added && (err == unix.ENOENT || err == unix.EBADF || err == unix.EPERM) {
		// epoll drops a file when it is closed: the number was closed, and
		// may have been reused, since we registered it. (EPERM: reused by
		// a file epoll cannot watch, a regular file, which the kernel
		// refuses before it looks for the registration.)
		return errStale{err}
	}
	return err
}

// quiet modifies fd's registration to report what is not in off. When that
// is nothing, it is made EPOLLONESHOT with no interest: epoll adds hang-up
// and error to any interest, and reports one of them once at most before
// it disables the registration. A number closed under the registration
// fails the modification, as it fails watch's.
func (m *epollMech) quiet(fd int, gen uint32, want, off interest) error {
	ev := unix.EpollEvent{Events: epollQuietMask(want, off), Fd: int32(fd), Pad: int32(gen)}
	err := unix.EpollCtl(m.epfd, unix.EPOLL_CTL_MOD, fd, &ev)
	if err == unix.ENOENT || err == unix.EBADF || err == unix.EPERM {
		return errStale{err} // as in watch
	}
	return err
}

// epollQuietMask is the interest of a registration watched for want,
// muted for off (quiet).
func epollQuietMask(want, off interest) uint32 {
	if off != 0 && off == want {
		return unix.EPOLLONESHOT
	}
	return epollMask(want &^ off)
}

// verify asks epoll to add fd again: epoll keys a registration by number
// and file, so EEXIST says the number still names the file registered
// under it. Unlike EPOLL_CTL_MOD, this touches nothing when it holds: a
// MOD polls the file again and wakes a goroutine blocked in epoll_wait if
// the file is ready, a thread wake-up each check. When the number names
// another file, the add succeeds, for no event (the generation 0 that no
// registration has), and is undone at once.
func (m *epollMech) verify(fd int, gen uint32, want interest) error {
	ev := unix.EpollEvent{Fd: int32(fd)}
	switch err := unix.EpollCtl(m.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err {
	case unix.EEXIST:
		return nil
	case nil:
		unix.EpollCtl(m.epfd, unix.EPOLL_CTL_DEL, fd, nil)
		return errStale{unix.ENOENT}
	case unix.EBADF, unix.EPERM:
		return errStale{err} // closed, or reused by a file epoll cannot watch
	default:
		return nil // out of memory or watches: no answer, no verdict
	}
}

func (m *epollMech) unwatch(fd int) error {
	return unix.EpollCtl(m.epfd, unix.EPOLL_CTL_DEL, fd, nil)
}

// poll waits up to timeout milliseconds, -1 for ever.
func (w *epollWaiter) poll(buf []readiness, timeout int) ([]readiness, bool, error) {
	m := w.m
	var n int
	var err error
	if timeout == 0 {
		n, err = epollWaitNow(m.epfd, w.events[:])
	} else {
		n, err = unix.EpollWait(m.epfd, w.events[:], timeout)
	}
	if err == unix.EINTR {
		return buf, false, nil
	}
	if err != nil {
		return buf, false, err
	}
	for _, ev := range w.events[:n] {
		if int(ev.Fd) == m.wakeFd && ev.Pad == 0 {
			if w.woken {
				var b [8]byte
				unix.Read(m.wakeFd, b[:]) // reset the eventfd
			}
			continue
		}
		var f readyFlags
		if ev.Events&(unix.EPOLLIN|unix.EPOLLRDHUP) != 0 {
			f |= readyRead // EPOLLRDHUP: the peer shut down writing, read gives EOF
		}
		if ev.Events&unix.EPOLLOUT != 0 {
			f |= readyWrite
		}
		if ev.Events&unix.EPOLLPRI != 0 {
			f |= readyPriority
		}
		if ev.Events&unix.EPOLLHUP != 0 {
			f |= readyHangup
		}
		if ev.Events&unix.EPOLLERR != 0 {
			f |= readyError
		}
		buf = append(buf, readiness{fd: int(ev.Fd), gen: uint32(ev.Pad), flags: f})
	}
	return buf, n == len(w.events), nil
}

func (m *epollMech) wake() error {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, err := unix.Write(m.wakeFd, one[:])
	if err == unix.EAGAIN {
		return nil // the counter is full: a wake-up is pending anyway
	}
	return err
}

func (m *epollMech) close() error {
	return errors.Join(unix.Close(m.wakeFd), unix.Close(m.epfd))
}

// rebuild starts a new set with regs. A registration is carried over only
// if its number still names the file it was made for, which an
// EPOLL_CTL_MOD on the old set tells (epoll finds a registration by number
// and file): a number closed and reused meanwhile would otherwise have the
// new file's readiness reported to the old events. Those numbers are
// returned, for their events to fail (R15).
func (m *epollMech) rebuild(regs []watched) (gone []int) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(m.wakeFd)}
	unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, m.wakeFd, &ev)
	for _, r := range regs {
		ev := unix.EpollEvent{Events: epollQuietMask(r.want, r.muted), Fd: int32(r.fd), Pad: int32(r.gen)}
		if unix.EpollCtl(m.epfd, unix.EPOLL_CTL_MOD, r.fd, &ev) != nil ||
			unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, r.fd, &ev) != nil {
			gone = append(gone, r.fd)
		}
	}
	unix.Close(m.epfd)
	m.epfd = epfd
	return gone
}

// epollWaitNow is epoll_wait with a timeout of zero, which never blocks: so
// it is made as a raw system call, without telling the Go scheduler, which
// saves a tenth of a microsecond or two on the poll a loop makes at every
// step (inline.go). epoll_pwait with no signal mask is epoll_wait, on every
// architecture (arm64 has no epoll_wait).
func epollWaitNow(epfd int, events []unix.EpollEvent) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
