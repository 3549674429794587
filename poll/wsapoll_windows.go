package poll

import (
	"unsafe"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/windows"
)

const (
	defaultName  = "WSAPoll"
	portableName = "WSAPoll"
)

// Both backends are WSAPoll, Winsock's poll(2): Portable code runs on
// Windows as it is.
func openDefault() (mechanism, error)  { return openWSAPoll() }
func openPortable() (mechanism, error) { return openWSAPoll() }

// WSAPoll's flags (winsock2.h). POLLIN is not used, since it includes
// POLLRDBAND, the exception kind's; Windows refuses POLLPRI (WSAEINVAL).
const (
	pollRdNorm = 0x0100 // normal data, or a connection to accept
	pollRdBand = 0x0200 // out-of-band data
	pollWrNorm = 0x0010
	pollErr    = 0x0001
	pollHup    = 0x0002
	pollNval   = 0x0004
)

// wsaPollFd is WSAPOLLFD.
type wsaPollFd struct {
	fd      uintptr
	events  int16
	revents int16
}

// wsaPollMech is WSAPoll. As with poll(2), its socket list is an argument
// of each call, so a change while WSAPoll blocks wakes it to take the new
// list. It watches sockets only: files, pipes and consoles are refused
// before Add (checkWatchable).
type wsaPollMech struct {
	wakeup wakeSocket
	wantList[int16]
}

// wsaPollWaiter is one caller's socket list for WSAPoll.
type wsaPollWaiter struct {
	m       *wsaPollMech
	woken   bool   // it watches the wake-up socket, and drains it
	version uint64 // of the want map its list was built from; 0: never built
	fds     []wsaPollFd
	gens    []uint32
	ids     []fileID
}

func openWSAPoll() (*wsaPollMech, error) {
	if err := procWSAPoll.Find(); err != nil {
		return nil, errs.In("poll: WSAPoll needs Windows Vista or later", err)
	}
	wakeup, err := openWakeSocket()
	if err != nil {
		return nil, err
	}
	return &wsaPollMech{wakeup: wakeup, wantList: newWantList[int16]()}, nil
}

func (m *wsaPollMech) newWaiter(woken bool) waiter { return &wsaPollWaiter{m: m, woken: woken} }

func (m *wsaPollMech) String() string { return "WSAPoll" }

func wsaPollEvents(want interest) int16 {
	var ev int16
	if want&wantRead != 0 {
		ev |= pollRdNorm
	}
	if want&wantWrite != 0 {
		ev |= pollWrNorm
	}
	if want&wantPriority != 0 {
		ev |= pollRdBand
	}
	return ev // POLLERR, POLLHUP and POLLNVAL are always reported
}

func (m *wsaPollMech) watch(fd int, gen uint32, want interest, added bool) error {
	id, err := identify(fd)
	m.mu.Lock()
	if added {
		old, ok := m.want[fd]
		if ok && (err != nil || !old.id.successor(id)) {
			m.mu.Unlock()
			return errStale{windows.WSAENOTSOCK} // closed, maybe reused, since (R15)
		}
		id = old.id.merge(id)
	} else if err != nil {
		m.mu.Unlock()
		return err
	}
	m.want[fd] = pollWant[int16]{gen: gen, events: wsaPollEvents(want), id: id}
	m.version++
	m.mu.Unlock()
	return m.wake()
}

// verify tells whether the socket under fd is the one watched there, or
// the same grown (bound, connected), as the poll's own check does.
func (m *wsaPollMech) verify(fd int, gen uint32, want interest) error {
	id, err := identify(fd)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.want[fd]; ok && (err != nil || !old.id.successor(id)) {
		return errStale{windows.WSAENOTSOCK}
	}
	return nil
}

// quiet changes what fd is polled for (wantList.setQuiet).
func (m *wsaPollMech) quiet(fd int, gen uint32, want, off interest) error {
	if m.setQuiet(fd, wsaPollEvents(want&^off), off != 0 && off == want) {
		return m.wake()
	}
	return nil
}

func (m *wsaPollMech) unwatch(fd int) error {
	m.forget(fd)
	return m.wake()
}

func (w *wsaPollWaiter) add(fd uintptr, gen uint32, events int16, id fileID) {
	w.fds = append(w.fds, wsaPollFd{fd: fd, events: events})
	w.gens = append(w.gens, gen)
	w.ids = append(w.ids, id)
}

// poll waits up to timeout milliseconds, -1 for ever.
func (w *wsaPollWaiter) poll(buf []readiness, timeout int) ([]readiness, bool, error) {
	m := w.m
	m.mu.Lock()
	if w.version != m.version {
		w.fds, w.gens, w.ids = w.fds[:0], w.gens[:0], w.ids[:0]
		if w.woken {
			w.add(uintptr(m.wakeup.s), 0, pollRdNorm, fileID{})
		}
		for fd, want := range m.want {
			if !want.silent {
				w.add(uintptr(fd), want.gen, want.events, want.id)
			}
		}
		w.version = m.version
	}
	m.mu.Unlock()
	if len(w.fds) == 0 {
		return buf, false, nil // WSAPoll refuses an empty list
	}

	for i := range w.fds {
		w.fds[i].revents = 0
	}
	r, _, err := procWSAPoll.Call(uintptr(unsafe.Pointer(&w.fds[0])), uintptr(len(w.fds)), uintptr(int32(timeout)))
	if int32(r) < 0 { // SOCKET_ERROR
		if err == windows.WSAEINTR {
			return buf, false, nil
		}
		return buf, false, err
	}
	first := 0
	if w.woken {
		if w.fds[0].revents != 0 {
			m.wakeup.drain()
		}
		first = 1
	}
	for i := first; i < len(w.fds); i++ {
		rev := w.fds[i].revents
		if rev == 0 {
			continue
		}
		var f readyFlags
		if rev&pollRdNorm != 0 {
			f |= readyRead
		}
		if rev&pollWrNorm != 0 {
			f |= readyWrite
		}
		if rev&pollRdBand != 0 {
			f |= readyPriority
		}
		if rev&pollHup != 0 {
			f |= readyHangup
		}
		if rev&pollErr != 0 {
			f |= readyError
		}
		fd := int(w.fds[i].fd)
		if rev&pollNval != 0 {
			f |= readyInvalid // the handle is no socket now (R15)
		} else if id, err := identify(fd); err != nil || !w.ids[i].successor(id) {
			f = readyInvalid // closed, and the value reused by another socket (R15)
		} else if id != w.ids[i] {
			w.learn(i, id)
		}
		buf = append(buf, readiness{fd: fd, gen: w.gens[i], flags: f})
	}
	return buf, false, nil // WSAPoll reports every ready socket at once
}

// learn keeps what a socket's identity gained since it was watched, its
// address once bound or its peer once connected, so that a socket that
// takes its handle value later is told apart by it.
func (w *wsaPollWaiter) learn(i int, now fileID) {
	id := w.ids[i].merge(now)
	if id == w.ids[i] {
		return // nothing gained: only lost, as a reset socket its peer
	}
	w.ids[i] = id
	fd := int(w.fds[i].fd)
	m := w.m
	m.mu.Lock()
	if want, ok := m.want[fd]; ok && want.gen == w.gens[i] {
		want.id = id
		m.want[fd] = want
	}
	m.mu.Unlock()
}

func (m *wsaPollMech) wake() error { return m.wakeup.wake() }

func (m *wsaPollMech) close() error { return m.wakeup.close() }
