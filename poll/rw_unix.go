//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"errors"
	"io"
	"syscall"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/unix"
)

// The errors of a descriptor not ready, made once: a spurious wake-up
// costs no allocation.
var (
	errReadNotReady  = errs.New("poll: not ready: nothing to read now", ErrNotReady, syscall.EAGAIN)
	errWriteNotReady = errs.New("poll: not ready: no room to write now", ErrNotReady, syscall.EAGAIN)
)

// pipeChunk is what Write gives a blocking descriptor that is no socket in
// one write(2), after poll(2) reported it writable: POSIX's smallest
// PIPE_BUF. A pipe reported writable has room for PIPE_BUF bytes (Linux: a
// free page; the BSDs: PIPE_BUF bytes), and a blocking write(2) of more
// could wait for the reader.
const pipeChunk = 512

// notOpen reports whether err says a descriptor is not open.
func notOpen(err error) bool { return err == unix.EBADF }

// rwConnSupported accepts every syscall.Conn: each is a descriptor here.
func rwConnSupported(syscall.Conn) error { return nil }

// readNow reads once from fd without waiting. socket says fd is a socket of
// package net, which the runtime keeps non-blocking: one read(2). Any other
// descriptor is first taken for a socket on Linux, whatever its mode: one
// recvfrom(2) with MSG_DONTWAIT, the one call a server's raw accepted
// descriptors cost. Anything else (ENOTSOCK: a pipe, a terminal, a file),
// and everything elsewhere, may be in blocking mode, which fcntl(2) tells.
func readNow(fd int, p []byte, socket bool) (int, error) {
	if !socket && socketFirst {
		n, err := recvNow(fd, p)
		if err != unix.ENOTSOCK {
			return readResult(fd, n, err, "recvfrom")
		}
	}
	if !socket {
		blocking, err := isBlocking(fd)
		if err != nil {
			return 0, err
		}
		if blocking {
			return readBlocking(fd, p)
		}
	}
	n, err := ignoringEINTR(func() (int, error) { return unix.Read(fd, p) })
	return readResult(fd, n, err, "read")
}

// readBlocking reads a descriptor in blocking mode without waiting. A
// socket takes MSG_DONTWAIT, which makes the one call non-blocking (on
// Linux readNow made that call already). A pipe,
// a terminal or a file has no such flag, and its mode belongs to everyone
// sharing the open file (a parent process, say), so it is not switched
// either: poll(2) with a zero timeout says whether a read would wait, and
// read(2) follows only if it would not. Data is then there, or the end of
// the stream, or an error, and the read returns at once, unless another
// reader takes the data between the two calls.
func readBlocking(fd int, p []byte) (int, error) {
	if msgDontWait != 0 && !socketFirst {
		n, err := recvNow(fd, p)
		if err != unix.ENOTSOCK {
			return readResult(fd, n, err, "recvfrom")
		}
	}
	ready, err := pollNow(fd, false)
	if err != nil {
		return 0, err
	}
	if !ready {
		return 0, errReadNotReady
	}
	n, err := ignoringEINTR(func() (int, error) { return unix.Read(fd, p) })
	return readResult(fd, n, err, "read")
}

func readResult(fd, n int, err error, call string) (int, error) {
	switch {
	case err == nil && n > 0:
		return n, nil
	case err == nil:
		return 0, io.EOF
	case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
		return 0, errReadNotReady
	}
	return 0, sysError(call, "descriptor", fd, err)
}

// writeNow writes p to fd as far as it goes without waiting. socket says
// fd is a socket of package net: one sendmsg(2), whose flags make it
// non-blocking whatever the mode and, where the system has MSG_NOSIGNAL,
// keep a broken connection from raising SIGPIPE. Any other descriptor is
// first taken for a socket on Linux, as in readNow; anything else may be
// in blocking mode, which fcntl(2) tells.
func writeNow(fd int, p []byte, socket bool) (int, error) {
	if socket || socketFirst {
		n, err := sendNow(fd, p)
		if socket || !errors.Is(err, unix.ENOTSOCK) {
			return n, err
		}
	}
	blocking, err := isBlocking(fd)
	if err != nil {
		return 0, err
	}
	if !blocking {
		n, err := ignoringEINTR(func() (int, error) { return unix.Write(fd, p) })
		return writeResult(fd, len(p), n, err, "write")
	}
	if msgDontWait != 0 && !socketFirst {
		n, err := sendNow(fd, p)
		if !errors.Is(err, unix.ENOTSOCK) {
			return n, err
		}
	}
	return writeBlocking(fd, p)
}

// sendNow is one sendmsg(2) with MSG_DONTWAIT and MSG_NOSIGNAL, as far as
// the system has them.
func sendNow(fd int, p []byte) (int, error) {
	n, err := ignoringEINTR(func() (int, error) {
		return unix.SendmsgN(fd, p, nil, nil, msgDontWait|msgNoSignal)
	})
	return writeResult(fd, len(p), n, err, "sendmsg")
}

// writeBlocking writes p to a descriptor in blocking mode that is no
// socket (or a socket, where the system lacks MSG_DONTWAIT) without
// waiting: in pieces of pipeChunk bytes, each after poll(2) with a zero
// timeout reported the descriptor writable, until all is written or poll
// reports it full. A reader gone (POLLERR, POLLHUP) counts as writable, so
// that the write reports the error.
func writeBlocking(fd int, p []byte) (int, error) {
	written := 0
	for written < len(p) {
		ready, err := pollNow(fd, true)
		if err != nil {
			return written, err
		}
		if !ready {
			return written, errWriteNotReady
		}
		piece := p[written:min(len(p), written+pipeChunk)]
		n, err := ignoringEINTR(func() (int, error) { return unix.Write(fd, piece) })
		if n > 0 {
			written += n
		}
		if err != nil {
			if err == unix.EAGAIN || err == unix.EWOULDBLOCK {
				return written, errWriteNotReady
			}
			return written, sysError("write", "descriptor", fd, err)
		}
	}
	return written, nil
}

// writeResult makes the result of one write of want bytes: a short write
// means the buffer filled.
func writeResult(fd, want, n int, err error, call string) (int, error) {
	if n < 0 {
		n = 0
	}
	switch {
	case err == nil && n == want:
		return n, nil
	case err == nil:
		return n, errWriteNotReady
	case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
		return n, errWriteNotReady
	}
	return n, sysError(call, "descriptor", fd, err)
}

// isBlocking reports whether fd is in blocking mode.
func isBlocking(fd int) (bool, error) {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return false, sysError("fcntl", "descriptor", fd, err)
	}
	return fl&unix.O_NONBLOCK == 0, nil
}

// pollNow reports whether fd is readable now, or writable if write, with
// poll(2) and a zero timeout. POLLERR and POLLHUP count as ready: the read or write then
// returns at once with the end of the stream or the error.
func pollNow(fd int, write bool) (bool, error) {
	fds := [1]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	if write {
		fds[0].Events = unix.POLLOUT
	}
	for {
		n, err := unix.Poll(fds[:], 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false, sysError("poll", "descriptor", fd, err)
		}
		if n == 0 {
			return false, nil
		}
		if fds[0].Revents&unix.POLLNVAL != 0 {
			return false, sysError("poll", "descriptor", fd, unix.EBADF)
		}
		return true, nil
	}
}

// ignoringEINTR calls f until it is not interrupted by a signal. The Go
// runtime installs its handlers with SA_RESTART, and non-blocking calls do
// not wait, so this is rare.
func ignoringEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}
