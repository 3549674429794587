package poll_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// What the tests of Read and Write need of Linux: a socket pair and pipes
// in blocking mode, the forms of pipe, a raw write, the errors of a broken
// stream.

// rwWouldBlock is the system's would-block error, which ErrNotReady's
// errors wrap too.
var rwWouldBlock error = syscall.EAGAIN

// rwBlockingSocketpair returns a stream socket pair in blocking mode as raw
// descriptors, closed when the test ends unless closed before (closeFd).
func rwBlockingSocketpair(t *testing.T) (a, b int) {
	t.Helper()
	p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	closeAtEnd(t, p[0])
	closeAtEnd(t, p[1])
	return p[0], p[1]
}

// rwBlockingPipe returns a pipe in blocking mode as raw descriptors.
func rwBlockingPipe(t *testing.T) (r, w int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	return p[0], p[1]
}

// rwSend writes p to a raw descriptor, whatever its mode; p is small.
func rwSend(t *testing.T, fd int, p []byte) {
	t.Helper()
	for len(p) > 0 {
		n, err := unix.Write(fd, p)
		if err != nil {
			t.Fatalf("write(%d): %v", fd, err)
		}
		p = p[n:]
	}
}

// rwBroken reports whether err is the error of a write to a stream whose
// reader is gone.
func rwBroken(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// rwPlatformForms are the pipes: an *os.File from os.Pipe (non-blocking,
// the runtime's), raw descriptors in both modes, and *os.File values over
// descriptors in blocking mode, which the runtime reads and writes as they
// are (os.NewFile), as it does os.Stdin.
func rwPlatformForms() []rwForm {
	files := func(t *testing.T, r, w *os.File) rwStream {
		return rwStream{
			r: r, w: w,
			send: func(t *testing.T, p []byte) {
				t.Helper()
				if _, err := w.Write(p); err != nil {
					t.Fatalf("(*os.File).Write: %v", err)
				}
			},
			closeR: func(*testing.T) { r.Close() },
			closeW: func(*testing.T) { w.Close() },
		}
	}
	return []rwForm{
		{"OSPipe", func(t *testing.T) rwStream {
			r, w := osPipe(t)
			return files(t, r, w)
		}},
		{"RawPipeNonBlocking", func(t *testing.T) rwStream {
			r, w := rawPipe(t)
			return rawStream(r, w)
		}},
		{"RawPipeBlocking", func(t *testing.T) rwStream {
			r, w := rwBlockingPipe(t)
			closeAtEnd(t, r)
			closeAtEnd(t, w)
			return rawStream(r, w)
		}},
		{"FileBlocking", func(t *testing.T) rwStream {
			rfd, wfd := rwBlockingPipe(t)
			r, w := os.NewFile(uintptr(rfd), "r"), os.NewFile(uintptr(wfd), "w")
			t.Cleanup(func() { r.Close(); w.Close() })
			return files(t, r, w)
		}},
	}
}

// Read and Write never change a descriptor's blocking mode: a blocking
// descriptor is read with MSG_DONTWAIT or after poll(2), not switched.
func TestReadWriteLeaveTheModeAlone(t *testing.T) {
	sa, sb := rwBlockingSocketpair(t)
	pr, pw := rwBlockingPipe(t)
	closeAtEnd(t, pr)
	closeAtEnd(t, pw)
	nr, nw := rawPipe(t)
	mode := func(fd int) bool {
		fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		if err != nil {
			t.Fatalf("fcntl(%d): %v", fd, err)
		}
		return fl&unix.O_NONBLOCK != 0
	}
	for _, c := range []struct {
		name        string
		r, w        int
		nonblocking bool
	}{{"blocking socket pair", sa, sb, false}, {"blocking pipe", pr, pw, false}, {"non-blocking pipe", nr, nw, true}} {
		if _, err := poll.Read(c.r, make([]byte, 8)); !errors.Is(err, poll.ErrNotReady) {
			t.Fatalf("%s: Read: %v, want ErrNotReady", c.name, err)
		}
		if n, err := poll.Write(c.w, []byte("hello")); n != 5 || err != nil {
			t.Fatalf("%s: Write: %d, %v", c.name, n, err)
		}
		if n, err := poll.Read(c.r, make([]byte, 8)); n != 5 || err != nil {
			t.Fatalf("%s: Read: %d, %v", c.name, n, err)
		}
		if mode(c.r) != c.nonblocking || mode(c.w) != c.nonblocking {
			t.Errorf("%s: O_NONBLOCK is %v and %v after Read and Write, want %v", c.name, mode(c.r), mode(c.w), c.nonblocking)
		}
	}
}

// Write to a pipe whose reader is gone, on descriptor 1, fails with EPIPE
// and the program goes on (doc: the runtime ignores the kernel's SIGPIPE),
// whether fd is os.Stdout or the number 1; (*os.File).Write of the same
// ends the program with SIGPIPE (os/signal). Each runs in a child process
// whose standard output is such a pipe.
func TestWriteBrokenStdout(t *testing.T) {
	if mode := os.Getenv("EVCHAN_RW_STDOUT"); mode != "" {
		var err error
		switch mode {
		case "poll.Write(os.Stdout)":
			_, err = poll.Write(os.Stdout, []byte("x"))
		case "poll.Write(1)":
			_, err = poll.Write(1, []byte("x"))
		case "os.Stdout.Write":
			_, err = os.Stdout.Write([]byte("x"))
		}
		fmt.Fprintf(os.Stderr, "alive: %v\n", err)
		os.Exit(0) // before the testing package writes to the broken pipe
	}
	for _, mode := range []string{"poll.Write(os.Stdout)", "poll.Write(1)", "os.Stdout.Write"} {
		r, w := osPipe(t)
		r.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteBrokenStdout$")
		cmd.Env = append(os.Environ(), "EVCHAN_RW_STDOUT="+mode)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = w, &stderr
		err := cmd.Run()
		w.Close()
		out := strings.TrimSpace(stderr.String())
		var exit *exec.ExitError
		killed := errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() &&
			exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGPIPE
		switch {
		case mode != "os.Stdout.Write":
			if err != nil || out != "alive: poll: write on descriptor 1: broken pipe" {
				t.Errorf("%s to a broken pipe: the child ended with %v and said %q; want exit status 0 and %q",
					mode, err, out, "alive: poll: write on descriptor 1: broken pipe")
			}
		case killed:
			// The contrast: the runtime ends a program whose
			// (*os.File).Write to descriptor 1 finds the pipe broken.
		case err == nil && strings.Contains(out, "broken pipe"):
			t.Logf("%s survived the broken pipe: this process was started with SIGPIPE ignored", mode)
		default:
			t.Errorf("%s to a broken pipe: the child ended with %v and said %q; want it killed by SIGPIPE", mode, err, out)
		}
	}
}
