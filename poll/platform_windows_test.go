package poll_test

import (
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// What the tests need of the platform, on Windows: the descriptors most
// tests watch, where WSAPoll watches sockets only, are both ends of a
// loopback TCP connection as raw non-blocking sockets, written and read with
// plain Winsock calls (rawPipe and socketpair are the same thing here); the
// process's CPU time; urgent data.

var (
	ws2        = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept = ws2.NewProc("accept")
	procIoctl  = ws2.NewProc("ioctlsocket")
)

// rawPipe returns a connected socket pair, r to read and w to write.
func rawPipe(t *testing.T) (r, w int) { return socketpair(t) }

// socketpair returns both ends of a loopback TCP connection as raw
// non-blocking sockets, closed when the test ends unless closed before
// (closeFd).
func socketpair(t *testing.T) (a, b int) {
	t.Helper()
	ln := listener(t)
	defer windows.Closesocket(ln)
	return connectPair(t, ln, newSocket(t))
}

// listener returns a raw TCP socket listening on the loopback interface.
func listener(t *testing.T) windows.Handle {
	t.Helper()
	ln := newSocket(t)
	delete(openFds, int(ln)) // the caller closes it
	if err := windows.Bind(ln, &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if err := windows.Listen(ln, 1); err != nil {
		t.Fatalf("listen: %v", err)
	}
	return ln
}

// newSocket returns a new raw TCP socket, closed when the test ends unless
// closed before (closeFd).
func newSocket(t *testing.T) windows.Handle {
	t.Helper()
	s, err := windows.WSASocket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP, nil, 0, windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	closeAtEnd(t, int(s))
	return s
}

// connectPair connects client to the listener ln, and returns both ends
// of the connection, non-blocking.
func connectPair(t *testing.T, ln, client windows.Handle) (a, b int) {
	t.Helper()
	addr, err := windows.Getsockname(ln)
	if err != nil {
		t.Fatalf("getsockname: %v", err)
	}
	// A loopback connection completes in the listener's backlog: connect
	// and then accept return at once, both blocking.
	if err := windows.Connect(client, addr); err != nil {
		t.Fatalf("connect: %v", err)
	}
	r, _, err := procAccept.Call(uintptr(ln), 0, 0)
	if windows.Handle(r) == windows.InvalidHandle {
		t.Fatalf("accept: %v", err)
	}
	server := windows.Handle(r)
	closeAtEnd(t, int(server))
	for _, s := range []windows.Handle{client, server} {
		on := uint32(1)
		if r, _, err := procIoctl.Call(uintptr(s), 0x8004667e, uintptr(unsafe.Pointer(&on))); r != 0 { // FIONBIO
			t.Fatalf("ioctlsocket(FIONBIO): %v", err)
		}
	}
	return int(client), int(server)
}

// openFds are the raw sockets the running test made and has not closed,
// by handle value. Tests run one at a time, and closeFd takes a value out,
// so that a cleanup never closes a value reused meanwhile.
var openFds = map[int]bool{}

// closeAtEnd closes fd when the test ends, unless closeFd closed it before.
func closeAtEnd(t *testing.T, fd int) {
	openFds[fd] = true
	t.Cleanup(func() {
		if openFds[fd] {
			delete(openFds, fd)
			windows.Closesocket(windows.Handle(fd))
		}
	})
}

// closeFd closes a socket made by rawPipe or socketpair.
func closeFd(t *testing.T, fd int) {
	t.Helper()
	delete(openFds, fd)
	if err := windows.Closesocket(windows.Handle(fd)); err != nil {
		t.Fatalf("closesocket(%d): %v", fd, err)
	}
}

// send writes p to a raw non-blocking socket and returns how much it took.
func send(fd int, p []byte, flags uint32) (int, error) {
	buf := windows.WSABuf{Len: uint32(len(p)), Buf: &p[0]}
	var n uint32
	err := windows.WSASend(windows.Handle(fd), &buf, 1, &n, flags, nil, nil)
	return int(n), err
}

// recv reads into p from a raw non-blocking socket.
func recv(fd int, p []byte, flags uint32) (int, error) {
	buf := windows.WSABuf{Len: uint32(len(p)), Buf: &p[0]}
	var n uint32
	err := windows.WSARecv(windows.Handle(fd), &buf, 1, &n, &flags, nil, nil)
	return int(n), err
}

// writeByte writes one byte to a raw socket.
func writeByte(t *testing.T, fd int) {
	t.Helper()
	if n, err := send(fd, []byte{'.'}, 0); n != 1 {
		t.Fatalf("send(%d): %d, %v", fd, n, err)
	}
}

// readNB reads up to n bytes from a raw non-blocking socket and returns how
// many it got: 0 if a read would block.
func readNB(t *testing.T, fd, n int) int {
	t.Helper()
	got, err := recv(fd, make([]byte, n), 0)
	switch {
	case err == windows.WSAEWOULDBLOCK:
		return 0
	case err != nil:
		t.Fatalf("recv(%d): %v", fd, err)
	}
	return got
}

// readAll reads a raw non-blocking socket until a read would block, and
// returns how many bytes it got.
func readAll(t *testing.T, fd int) int {
	t.Helper()
	total := 0
	for {
		n := readNB(t, fd, 64<<10)
		if n == 0 {
			return total
		}
		total += n
	}
}

// fill writes to a raw non-blocking socket until a write would block, and
// returns how many bytes it took.
func fill(t *testing.T, fd int) int {
	t.Helper()
	chunk := make([]byte, 64<<10)
	total := 0
	for {
		n, err := send(fd, chunk, 0)
		if err == windows.WSAEWOULDBLOCK {
			return total
		}
		if err != nil {
			t.Fatalf("send(%d): %v", fd, err)
		}
		total += n
	}
}

// cpuTime is the CPU time the process has used (spin tests).
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var created, exited, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(windows.CurrentProcess(), &created, &exited, &kernel, &user); err != nil {
		t.Fatalf("GetProcessTimes: %v", err)
	}
	ticks := func(f windows.Filetime) time.Duration { // of 100ns
		return time.Duration(uint64(f.HighDateTime)<<32|uint64(f.LowDateTime)) * 100
	}
	return ticks(kernel) + ticks(user)
}

// sendOOB sends one byte of TCP urgent data on a socket.
func sendOOB(t *testing.T, fd int, b byte) {
	t.Helper()
	if n, err := send(fd, []byte{b}, windows.MSG_OOB); n != 1 {
		t.Fatalf("send MSG_OOB: %d, %v", n, err)
	}
}

// recvOOB reads the urgent byte of a socket, which must be there.
func recvOOB(t *testing.T, fd int) byte {
	t.Helper()
	buf := make([]byte, 1)
	n, err := recv(fd, buf, windows.MSG_OOB)
	if err != nil || n != 1 {
		t.Fatalf("recv MSG_OOB: %d, %v", n, err)
	}
	return buf[0]
}
