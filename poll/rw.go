package poll

import (
	"fmt"
	"math"
	"net"
	"os"
	"sync"
	"syscall"

	"github.com/evchan/evchan/internal/errs"
)

// ErrNotReady is wrapped by the error of a Read that found nothing to read
// and of a Write that found no room: the descriptor is not ready now, and
// the caller waits for its next readable or writable event. It is no fault
// of the caller's: it does not satisfy errors.Is(err, evchan.ErrInvalid).
// The errors that wrap it also wrap the system's would-block error,
// syscall.EAGAIN (WSAEWOULDBLOCK on Windows).
var ErrNotReady = errs.New("poll: not ready")

// Read reads into p what fd has now, without waiting: what a consumer of
// readable events calls on a delivery. fd is a descriptor as Readable takes
// it: an int or uintptr, a syscall.Conn (every net.Conn, *os.File), a value
// with Fd() uintptr.
//
//	for e := range c.All(evchan.Block) { // a persistent readable event on conn
//		n, err := poll.Read(conn, buf)
//		switch {
//		case errors.Is(err, poll.ErrNotReady): // spurious: wait for the next event
//		case err != nil: // io.EOF included
//			c.Del(e.ID)
//			conn.Close()
//		default:
//			use(buf[:n])
//		}
//	}
//
// Read returns n > 0 and a nil error when data was there (at most len(p)
// bytes: what is left makes the next event fire at once).
// It returns 0 and io.EOF at the end of the stream, once the peer (the
// write end of a pipe) closed.
// It returns 0 and an error wrapping ErrNotReady when nothing is there now:
// a spurious wake-up, which every consumer of readiness must expect (another
// reader took the data, or the event announced what an earlier read took),
// so the consumer just waits for the next event.
// Any other error is the system's, which names the call and wraps the errno
// for errors.Is (syscall.ECONNRESET, say), or the connection's or file's own
// (net.ErrClosed, os.ErrDeadlineExceeded once its read deadline passed), as
// its Read would return it.
// An empty p returns 0 and nil at once.
//
// Read never blocks, whatever the descriptor's blocking mode. A connection
// of package net, whose socket the runtime keeps non-blocking, costs one
// read(2), made through its RawConn.Read with a function that never asks to
// wait; it takes the connection's read lock, so a conn.Read waiting for data
// in another goroutine holds it up: read a connection one way only. On
// Linux a socket given as a number costs one recvfrom(2) with MSG_DONTWAIT,
// whatever its mode. Any other descriptor, an *os.File included (and any
// socket given as a number elsewhere), costs an fcntl(2) first, since it
// may be in blocking mode (os.Stdin often is): a blocking socket is then
// read with MSG_DONTWAIT, and anything else (a pipe, a terminal) only after
// poll(2) with a zero timeout found it readable, so that a second reader
// taking the data between the two calls could make that read wait. On
// Windows Read reads sockets only, with WSAPoll with a zero timeout and then
// recv, two calls, between which a second reader of a socket given as a
// number could take the data. Where there is no poll(2) (Plan 9, js, wasip1)
// it returns an error wrapping errors.ErrUnsupported.
//
// Read is meant for byte streams (TCP, Unix stream sockets, pipes,
// terminals): on a datagram socket it reads one datagram, and an empty
// datagram reads as io.EOF.
func Read(fd any, p []byte) (n int, err error) {
	t, err := rwTargetOf(fd)
	if err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if t.raw == nil {
		return readNow(t.fd, p, false)
	}
	op := rwOps.Get().(*rwOp)
	op.p, op.socket = p, t.socket
	if rerr := t.raw.Read(op.read); rerr != nil {
		op.n, op.err = 0, errs.New(fmt.Sprintf("poll: reading the %T: %v", fd, rerr), rerr)
	}
	n, err = op.n, op.err
	*op = rwOp{read: op.read, write: op.write}
	rwOps.Put(op)
	return n, err
}

// Write writes p to fd as far as it goes now, without waiting: what a
// producer that waits for writable events calls. fd is a descriptor as
// Writable takes it.
//
// Write returns n == len(p) and a nil error when all of p was written.
// It returns n < len(p) and an error wrapping ErrNotReady when the buffer
// filled and only p[:n] was written, maybe nothing: the caller keeps p[n:]
// and writes it at the descriptor's next writable event.
// Any other error is the system's, which names the call and wraps the errno
// (syscall.EPIPE or syscall.ECONNRESET once the reader is gone, say), or the
// connection's or file's own, as with Read.
// An empty p returns 0 and nil at once.
//
// Write never blocks, whatever the descriptor's blocking mode. A connection
// of package net costs one sendmsg(2) with MSG_DONTWAIT, made through its
// RawConn.Write under its write lock, and on Linux so does a socket given
// as a number. Any other descriptor costs an
// fcntl(2) first: a non-blocking one is written with write(2), a blocking
// socket with sendmsg(2) and MSG_DONTWAIT, and anything else in blocking
// mode (a pipe, a terminal) in pieces of 512 bytes, POSIX's smallest
// PIPE_BUF, each after poll(2) with a zero timeout found it writable (a pipe
// then has room for the piece).
//
// A write whose reader is gone fails with an error wrapping syscall.EPIPE
// (or ECONNRESET) and never ends the program, not even on descriptors 1 and
// 2, where (*os.File).Write would: a connection of package net and a
// blocking socket are sent to with MSG_NOSIGNAL where the system has it
// (Linux, the BSDs), and the SIGPIPE the kernel raises for anything else is
// ignored by the Go runtime, or delivered to the program's channel if it
// called os/signal.Notify for SIGPIPE.
//
// On Windows Write writes sockets only, in pieces of a quarter of the
// socket's SO_SNDBUF, each after WSAPoll with a zero timeout found it
// writable: a getsockopt, and two calls a piece. A socket with SO_SNDBUF 0
// has no buffer, so that every send waits for the network: Write returns an
// error wrapping errors.ErrUnsupported for it. Where there is no poll(2)
// (Plan 9, js, wasip1) it returns an error wrapping errors.ErrUnsupported.
func Write(fd any, p []byte) (n int, err error) {
	t, err := rwTargetOf(fd)
	if err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if t.raw == nil {
		return writeNow(t.fd, p, false)
	}
	op := rwOps.Get().(*rwOp)
	op.p, op.socket = p, t.socket
	if werr := t.raw.Write(op.write); werr != nil {
		op.n, op.err = 0, errs.New(fmt.Sprintf("poll: writing to the %T: %v", fd, werr), werr)
	}
	n, err = op.n, op.err
	*op = rwOp{read: op.read, write: op.write}
	rwOps.Put(op)
	return n, err
}

// rwTarget is what Read and Write work on: the RawConn of a syscall.Conn,
// whose Read and Write run the call under the runtime's lock and leave the
// descriptor open meanwhile, or else a descriptor number.
type rwTarget struct {
	raw    syscall.RawConn
	socket bool // raw is a socket of package net, non-blocking on Unix
	fd     int
}

// rwTargetOf takes what descriptorOf takes. An int, a uintptr and a
// Windows handle are only range-checked: the call itself tells a closed
// descriptor, or a Windows handle that is no socket, and descriptorOf's
// check would cost Windows three calls more per Read.
func rwTargetOf(v any) (rwTarget, error) {
	var c syscall.Conn
	socket := false
	switch d := v.(type) {
	case int:
		if d >= 0 && d <= math.MaxInt32 {
			return rwTarget{fd: d}, nil
		}
	case uintptr:
		if d <= math.MaxInt32 {
			return rwTarget{fd: int(d)}, nil
		}
	case *net.TCPConn, *net.UDPConn, *net.UnixConn, *net.IPConn, *net.TCPListener, *net.UnixListener:
		if !isNilPointer(v) {
			c, socket = d.(syscall.Conn), true
		}
	case syscall.Conn:
		if !isNilPointer(v) {
			c = d
		}
	default:
		if h, ok := platformNumber(v); ok && h >= 0 && h <= math.MaxInt32 {
			return rwTarget{fd: int(h)}, nil
		}
	}
	if c == nil {
		fd, err := descriptorOf(v) // its error, or the number of an Fd method
		return rwTarget{fd: fd}, err
	}
	if err := rwConnSupported(c); err != nil {
		return rwTarget{}, err
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return rwTarget{}, errs.New(fmt.Sprintf("poll: the %T has no open descriptor: %v", v, err), ErrBadDescriptor, err)
	}
	return rwTarget{raw: raw, socket: socket}, nil
}

// An rwOp carries a call of Read or Write into the function RawConn runs.
// Its functions are made once and the ops pooled, so that a Read or Write
// through a RawConn allocates nothing beyond what SyscallConn does.
type rwOp struct {
	p           []byte
	socket      bool
	n           int
	err         error
	read, write func(fd uintptr) bool
}

var rwOps = sync.Pool{New: func() any {
	op := new(rwOp)
	// Each returns true: done, never "wait for readiness and call again",
	// which would make RawConn park the goroutine.
	op.read = func(fd uintptr) bool {
		op.n, op.err = readNow(int(fd), op.p, op.socket)
		return true
	}
	op.write = func(fd uintptr) bool {
		op.n, op.err = writeNow(int(fd), op.p, op.socket)
		return true
	}
	return op
}}

// sysError is the error of a system call of Read or Write on what, a
// descriptor or socket: it reads as one sentence, and wraps the call's
// *os.SyscallError, so that errors.Is finds the errno and errors.As the
// call. The error of a descriptor that is not open (EBADF; on Windows, no
// socket) wraps ErrBadDescriptor too, as Readable's would.
func sysError(call, what string, fd int, err error) error {
	text := fmt.Sprintf("poll: %s on %s %d: %v", call, what, fd, err)
	if notOpen(err) {
		return errs.New(text, os.NewSyscallError(call, err), ErrBadDescriptor)
	}
	return errs.New(text, os.NewSyscallError(call, err))
}
