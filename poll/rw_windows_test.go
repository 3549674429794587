package poll_test

import (
	"errors"
	"testing"

	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/windows"
)

// What the tests of Read and Write need of Windows: a socket pair in
// blocking mode (the sockets of rawPipe and socketpair are non-blocking), a
// raw send, the errors of a broken connection. Windows has no pipe form:
// Read and Write take sockets only.

// rwWouldBlock is the system's would-block error, which ErrNotReady's
// errors wrap too.
var rwWouldBlock error = windows.WSAEWOULDBLOCK

// rwBlockingSocketpair returns both ends of a loopback TCP connection as
// raw sockets in blocking mode, as Winsock makes them, closed when the test
// ends unless closed before (closeFd).
func rwBlockingSocketpair(t *testing.T) (a, b int) {
	t.Helper()
	ln := listener(t)
	defer windows.Closesocket(ln)
	client := newSocket(t)
	addr, err := windows.Getsockname(ln)
	if err != nil {
		t.Fatalf("getsockname: %v", err)
	}
	// A loopback connection completes in the listener's backlog: connect
	// and then accept return at once.
	if err := windows.Connect(client, addr); err != nil {
		t.Fatalf("connect: %v", err)
	}
	r, _, err := procAccept.Call(uintptr(ln), 0, 0)
	if windows.Handle(r) == windows.InvalidHandle {
		t.Fatalf("accept: %v", err)
	}
	closeAtEnd(t, int(r))
	return int(client), int(r)
}

// rwSend writes p to a raw socket, whatever its mode; p is small.
func rwSend(t *testing.T, fd int, p []byte) {
	t.Helper()
	for len(p) > 0 {
		n, err := send(fd, p, 0)
		if err != nil {
			t.Fatalf("send(%d): %v", fd, err)
		}
		p = p[n:]
	}
}

// rwBroken reports whether err is the error of a send on a connection
// whose peer is gone.
func rwBroken(err error) bool {
	return errors.Is(err, windows.WSAECONNRESET) || errors.Is(err, windows.WSAECONNABORTED) ||
		errors.Is(err, windows.WSAESHUTDOWN)
}

// rwPlatformForms: none beyond the sockets.
func rwPlatformForms() []rwForm { return nil }

// A file or pipe cannot be read or written on Windows without a call that
// may wait: Read and Write refuse an *os.File, with ErrBadDescriptor (as
// Readable does) and errors.ErrUnsupported, before any call.
func TestReadWriteRefuseFiles(t *testing.T) {
	r, w := osPipe(t)
	if n, err := poll.Read(r, make([]byte, 1)); n != 0 || !errors.Is(err, poll.ErrBadDescriptor) || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Read of a pipe: %d, %v; want ErrBadDescriptor and errors.ErrUnsupported", n, err)
	}
	if n, err := poll.Write(w, []byte{1}); n != 0 || !errors.Is(err, poll.ErrBadDescriptor) || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Write to a pipe: %d, %v; want ErrBadDescriptor and errors.ErrUnsupported", n, err)
	}
}

// A socket with SO_SNDBUF 0 buffers nothing: every send waits for the
// network, so Write refuses it with errors.ErrUnsupported rather than
// block.
func TestWriteUnbufferedSocket(t *testing.T) {
	a, _ := rwBlockingSocketpair(t)
	if err := windows.SetsockoptInt(windows.Handle(a), windows.SOL_SOCKET, windows.SO_SNDBUF, 0); err != nil {
		t.Fatalf("setsockopt(SO_SNDBUF, 0): %v", err)
	}
	if got, err := windows.GetsockoptInt(windows.Handle(a), windows.SOL_SOCKET, windows.SO_SNDBUF); err != nil || got != 0 {
		t.Skipf("SO_SNDBUF reads %d, %v after it was set to 0 (Wine keeps the Linux socket's)", got, err)
	}
	if n, err := poll.Write(a, []byte{1}); n != 0 || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Write to a socket with SO_SNDBUF 0: %d, %v; want errors.ErrUnsupported", n, err)
	}
}
