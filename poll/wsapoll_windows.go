package poll

import (
	"fmt"
	"sync"
	"unsafe"

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

	mu    sync.Mutex
	want  map[int]pollWant
	dirty bool

	// Owned by the goroutine in wait or peek, which the poller runs one
	// at a time.
	fds  []wsaPollFd
	gens []uint32
	ids  []fileID
}

// pollWant is what one socket is watched for.
type pollWant struct {
	gen    uint32
	events int16
	id     fileID // handle values are reused: this tells sockets apart
}

func openWSAPoll() (*wsaPollMech, error) {
	if err := procWSAPoll.Find(); err != nil {
		return nil, fmt.Errorf("poll: %w", err) // before Windows Vista
	}
	wakeup, err := openWakeSocket()
	if err != nil {
		return nil, err
	}
	return &wsaPollMech{wakeup: wakeup, want: make(map[int]pollWant), dirty: true}, nil
}

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
	m.want[fd] = pollWant{gen: gen, events: wsaPollEvents(want), id: id}
	m.dirty = true
	m.mu.Unlock()
	return m.wake()
}

func (m *wsaPollMech) unwatch(fd int) error {
	m.mu.Lock()
	delete(m.want, fd)
	m.dirty = true
	m.mu.Unlock()
	return m.wake()
}

func (m *wsaPollMech) add(fd uintptr, gen uint32, events int16, id fileID) {
	m.fds = append(m.fds, wsaPollFd{fd: fd, events: events})
	m.gens = append(m.gens, gen)
	m.ids = append(m.ids, id)
}

func (m *wsaPollMech) wait(buf []readiness) ([]readiness, error) { return m.poll(buf, -1) }

func (m *wsaPollMech) peek(buf []readiness) ([]readiness, error) { return m.poll(buf, 0) }

// poll waits up to timeout milliseconds, -1 for ever.
func (m *wsaPollMech) poll(buf []readiness, timeout int32) ([]readiness, error) {
	m.mu.Lock()
	if m.dirty {
		m.fds, m.gens, m.ids = m.fds[:0], m.gens[:0], m.ids[:0]
		m.add(uintptr(m.wakeup.s), 0, pollRdNorm, fileID{})
		for fd, w := range m.want {
			m.add(uintptr(fd), w.gen, w.events, w.id)
		}
		m.dirty = false
	}
	m.mu.Unlock()

	for i := range m.fds {
		m.fds[i].revents = 0
	}
	r, _, err := procWSAPoll.Call(uintptr(unsafe.Pointer(&m.fds[0])), uintptr(len(m.fds)), uintptr(timeout))
	if int32(r) < 0 { // SOCKET_ERROR
		if err == windows.WSAEINTR {
			return buf, nil
		}
		return buf, err
	}
	if m.fds[0].revents != 0 {
		m.wakeup.drain()
	}
	for i := 1; i < len(m.fds); i++ {
		rev := m.fds[i].revents
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
		fd := int(m.fds[i].fd)
		if rev&pollNval != 0 {
			f |= readyInvalid // the handle is no socket now (R15)
		} else if id, err := identify(fd); err != nil || !m.ids[i].successor(id) {
			f = readyInvalid // closed, and the value reused by another socket (R15)
		} else if id != m.ids[i] {
			m.learn(i, id)
		}
		buf = append(buf, readiness{fd: fd, gen: m.gens[i], flags: f})
	}
	return buf, nil
}

// learn keeps what a socket's identity gained since it was watched, its
// address once bound or its peer once connected, so that a socket that
// takes its handle value later is told apart by it.
func (m *wsaPollMech) learn(i int, now fileID) {
	id := m.ids[i].merge(now)
	if id == m.ids[i] {
		return // nothing gained: only lost, as a reset socket its peer
	}
	m.ids[i] = id
	fd := int(m.fds[i].fd)
	m.mu.Lock()
	if w, ok := m.want[fd]; ok && w.gen == m.gens[i] {
		w.id = id
		m.want[fd] = w
	}
	m.mu.Unlock()
}

func (m *wsaPollMech) wake() error { return m.wakeup.wake() }

func (m *wsaPollMech) close() error { return m.wakeup.close() }
