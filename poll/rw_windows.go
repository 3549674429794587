package poll

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"syscall"
	"unsafe"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/windows"
)

// The errors of a socket not ready, made once: a spurious wake-up costs no
// allocation.
var (
	errReadNotReady  = errs.New("poll: not ready: nothing to read now", ErrNotReady, windows.WSAEWOULDBLOCK)
	errWriteNotReady = errs.New("poll: not ready: no room to write now", ErrNotReady, windows.WSAEWOULDBLOCK)
)

// rwConnSupported refuses an *os.File: a file, a pipe or a console, which
// Windows cannot tell ready without a call that may wait. Any other
// syscall.Conn is taken for a socket, which WSAPoll checks.
func rwConnSupported(c syscall.Conn) error {
	if _, ok := c.(*os.File); ok {
		return errs.New("poll: an *os.File is a file, a pipe or a console, which Windows cannot read or write without waiting: only sockets", ErrBadDescriptor, errors.ErrUnsupported)
	}
	return nil
}

// readNow reads once from the socket fd without waiting, in whatever mode
// it is: a socket of the runtime's is in blocking mode and overlapped, and
// Windows has no call that tells a socket's mode. WSAPoll with a zero
// timeout says whether the socket has data, the end of the stream or an
// error, and recv follows only if so, when it returns at once. The socket
// of a net.Conn is read under its read lock, so no other Go reader takes the
// data between the two calls.
func readNow(fd int, p []byte, _ bool) (int, error) {
	s := windows.Handle(fd)
	ready, err := wsaPollNow(s, pollRdNorm)
	if err != nil {
		return 0, err
	}
	if !ready {
		return 0, errReadNotReady
	}
	buf := windows.WSABuf{Len: uint32(min(len(p), math.MaxInt32)), Buf: &p[0]}
	var n, flags uint32
	err = windows.WSARecv(s, &buf, 1, &n, &flags, nil, nil) // no OVERLAPPED: no completion is queued
	switch {
	case err == nil && n > 0:
		return int(n), nil
	case err == nil:
		return 0, io.EOF
	case err == windows.WSAEWOULDBLOCK:
		return 0, errReadNotReady
	}
	return 0, sysError("WSARecv", "socket", fd, err)
}

// writeNow writes p to the socket fd as far as it goes without waiting, in
// whatever mode it is. A send on a socket in blocking mode returns once
// all of it is buffered, which for a large p may mean waiting for the peer:
// under Wine, with a socket of 32 KiB buffers, a send of 100,000 bytes
// after WSAPoll reported the socket writable waits until the peer reads
// (TestWriteFillsTheBuffer hangs so). So p goes in pieces of a quarter of
// the socket's SO_SNDBUF, each after WSAPoll with a zero timeout reported
// the socket writable. Wine sends through a Linux socket, which is reported
// writable while a third of its buffer is free, so a piece fits. Windows
// buffers a send whole as long as its buffer is not full (AFD), as far as
// Microsoft describes it; only Wine is tested here. A socket with SO_SNDBUF
// 0 is not buffered at all: every send waits for the network.
func writeNow(fd int, p []byte, _ bool) (int, error) {
	s := windows.Handle(fd)
	sndbuf, err := windows.GetsockoptInt(s, windows.SOL_SOCKET, windows.SO_SNDBUF)
	if err != nil {
		return 0, sysError("getsockopt", "socket", fd, err)
	}
	if sndbuf <= 0 {
		return 0, errs.New(fmt.Sprintf("poll: socket %d has SO_SNDBUF 0, so that every send would wait for the network", fd), errors.ErrUnsupported)
	}
	piece := max(sndbuf/4, 1)
	written := 0
	for written < len(p) {
		ready, err := wsaPollNow(s, pollWrNorm)
		if err != nil {
			return written, err
		}
		if !ready {
			return written, errWriteNotReady
		}
		chunk := p[written:min(len(p), written+piece)]
		buf := windows.WSABuf{Len: uint32(len(chunk)), Buf: &chunk[0]}
		var n uint32
		err = windows.WSASend(s, &buf, 1, &n, 0, nil, nil)
		written += int(n)
		switch {
		case err == windows.WSAEWOULDBLOCK:
			return written, errWriteNotReady
		case err != nil:
			return written, sysError("WSASend", "socket", fd, err)
		case int(n) < len(chunk): // a socket in non-blocking mode, full
			return written, errWriteNotReady
		}
	}
	return written, nil
}

// wsaPollNow reports whether the socket s is ready for events now, with
// WSAPoll and a zero timeout. POLLERR and POLLHUP count as ready: the recv
// or send then returns at once with the end of the stream or the error.
func wsaPollNow(s windows.Handle, events int16) (bool, error) {
	fds := [1]wsaPollFd{{fd: uintptr(s), events: events}}
	r, _, err := procWSAPoll.Call(uintptr(unsafe.Pointer(&fds[0])), 1, 0)
	switch {
	case int32(r) < 0: // SOCKET_ERROR
		return false, sysError("WSAPoll", "socket", int(s), err)
	case r == 0:
		return false, nil
	case fds[0].revents&pollNval != 0:
		return false, sysError("WSAPoll", "socket", int(s), windows.WSAENOTSOCK)
	}
	return true, nil
}

// notOpen reports whether err says a handle is no socket, or none.
func notOpen(err error) bool { return err == windows.WSAENOTSOCK }
