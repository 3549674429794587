//go:build linux || windows

package poll_test

import (
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"go.uber.org/goleak"
)

// Every test ends with no goroutine of ours left: Close ends the pollers
// (R12).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// hangLimit bounds every wait for an event. It only catches hangs: a
// descriptor event is delivered in microseconds.
const hangLimit = 10 * time.Second

// forEachBackend runs f as a subtest for each backend: epoll (Default) and
// poll(2) (Portable) on Linux, WSAPoll twice on Windows. Every test of the
// package runs on both.
func forEachBackend(t *testing.T, f func(t *testing.T, b poll.Backend)) {
	t.Helper()
	for _, b := range []poll.Backend{poll.Default, poll.Portable} {
		name := b.String()
		if b == poll.Portable && name == poll.Default.String() {
			name = "Portable" // the same mechanism as Default (Windows)
		}
		t.Run(name, func(t *testing.T) { f(t, b) })
	}
}

// newContainer returns a container that is closed when the test ends.
func newContainer(t *testing.T) *evchan.Container {
	t.Helper()
	c := evchan.New()
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

// add adds spec and fails the test on error.
func add(t *testing.T, c *evchan.Container, spec evchan.Spec, ctx any, timeout time.Duration) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, timeout)
	if err != nil {
		t.Fatalf("Add(%v, %v, %v): %v", spec, ctx, timeout, err)
	}
	return id
}

// next receives the container's next event, waiting at most hangLimit.
func next(t *testing.T, c *evchan.Container, waitingFor string) evchan.Event {
	t.Helper()
	limit := time.NewTimer(hangLimit)
	defer limit.Stop()
	select {
	case e, ok := <-c.C:
		if !ok {
			t.Fatalf("C closed while waiting for %s", waitingFor)
		}
		return e
	case <-limit.C:
		t.Fatalf("no event within %v while waiting for %s", hangLimit, waitingFor)
	}
	return evchan.Event{}
}

// until receives events until one of id, and returns it with the events
// received before it.
func until(t *testing.T, c *evchan.Container, id evchan.ID, waitingFor string) (evchan.Event, []evchan.Event) {
	t.Helper()
	var before []evchan.Event
	for {
		e := next(t, c, waitingFor)
		if e.ID == id {
			return e, before
		}
		before = append(before, e)
	}
}

// want fails the test unless e is a delivery of id for reason without error.
func want(t *testing.T, e evchan.Event, id evchan.ID, reason evchan.Reason) {
	t.Helper()
	if e.ID != id || e.Reason != reason || e.Err != nil || e.Count < 1 {
		t.Fatalf("got %v, want event %d %v without error, count >= 1", e, id, reason)
	}
}

// A probe is a pipe (on Windows, a socket pair) watched by a one-shot
// readable event of the backend under test. Its delivery shows that the
// backend's poller has looked at every descriptor after the probe was
// written.
type probe struct {
	t    *testing.T
	c    *evchan.Container
	b    poll.Backend
	r, w int
}

// newProbe makes the probe's pipe. Tests that close a descriptor and must
// not see its number reused make it first.
func newProbe(t *testing.T, c *evchan.Container, b poll.Backend) *probe {
	t.Helper()
	r, w := rawPipe(t)
	return &probe{t: t, c: c, b: b, r: r, w: w}
}

// settle shows what the backend's poller reports for the container's
// descriptors as they are now. It registers the probe, makes it readable,
// and receives events until the probe's delivery: the poller reports every
// descriptor ready in the poll that finds the probe, and polls again only
// once every event it reported was taken, so a condition that held before
// the probe was written has been delivered by then, or is pending. Then a
// sentinel (R5's Once) is added and received: pending events come before it
// (R4). It returns every event received other than the probe and sentinel.
func (p *probe) settle() []evchan.Event {
	t := p.t
	t.Helper()
	id := add(t, p.c, p.b.Readable(p.r), "probe", 0)
	writeByte(t, p.w)
	_, got := until(t, p.c, id, "the probe: a pipe made readable after the condition under test")
	readAll(t, p.r)
	sentinel, err := p.c.Once("sentinel")
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	_, more := until(t, p.c, sentinel, "the sentinel (R4: it comes after everything pending)")
	return append(got, more...)
}

// settle is newProbe then settle, for tests that close nothing.
func settle(t *testing.T, c *evchan.Container, b poll.Backend) []evchan.Event {
	t.Helper()
	return newProbe(t, c, b).settle()
}

// of returns the events of ids among evs.
func of(evs []evchan.Event, ids ...evchan.ID) []evchan.Event {
	var out []evchan.Event
	for _, e := range evs {
		for _, id := range ids {
			if e.ID == id {
				out = append(out, e)
			}
		}
	}
	return out
}

// tcpPair returns both ends of a TCP connection on the loopback interface,
// closed when the test ends.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	client, err = net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	ln.SetDeadline(time.Now().Add(hangLimit))
	server, err = ln.AcceptTCP()
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	t.Cleanup(func() { server.Close() })
	return client, server
}

// control runs f with the descriptor of a syscall.Conn, the way the runtime
// lends it: without changing its blocking mode, as (*os.File).Fd would.
func control(t *testing.T, sc syscall.Conn, f func(fd int)) {
	t.Helper()
	raw, err := sc.SyscallConn()
	if err != nil {
		t.Fatalf("SyscallConn: %v", err)
	}
	if err := raw.Control(func(fd uintptr) { f(int(fd)) }); err != nil {
		t.Fatalf("Control: %v", err)
	}
}

// fdOf returns the descriptor number of a syscall.Conn.
func fdOf(t *testing.T, sc syscall.Conn) int {
	t.Helper()
	n := -1
	control(t, sc, func(fd int) { n = fd })
	return n
}

// osPipe is os.Pipe, closed when the test ends.
func osPipe(t testing.TB) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("os.Pipe: %v", err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// deadline puts a read deadline of hangLimit on conn, so that a read that
// should return at once fails the test rather than hang it.
func deadline(t *testing.T, conn interface{ SetReadDeadline(time.Time) error }) {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(hangLimit)); err != nil {
		t.Fatalf("SetReadDeadline: %v", err)
	}
}

// timeLimit is the deadline of a read that should return at once.
func timeLimit() time.Time { return time.Now().Add(hangLimit) }
