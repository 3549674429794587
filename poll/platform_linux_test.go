package poll_test

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// What the tests need of the platform, on Linux: the descriptors most tests
// watch, pipes and socket pairs as raw non-blocking descriptors written and
// read with plain system calls; the process's CPU time; urgent data.

// rawPipe returns a non-blocking pipe as raw descriptors, closed when the
// test ends unless closed before (closeFd).
func rawPipe(t *testing.T) (r, w int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	closeAtEnd(t, p[0])
	closeAtEnd(t, p[1])
	return p[0], p[1]
}

// socketpair returns a non-blocking stream socket pair as raw descriptors,
// closed when the test ends.
func socketpair(t *testing.T) (a, b int) {
	t.Helper()
	p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	closeAtEnd(t, p[0])
	closeAtEnd(t, p[1])
	return p[0], p[1]
}

// openFds are the raw descriptors the running test made and has not
// closed, by number. Tests run one at a time, and closeFd takes a number
// out, so that a cleanup never closes a number reused meanwhile.
var openFds = map[int]bool{}

// closeAtEnd closes fd when the test ends, unless closeFd closed it before.
func closeAtEnd(t *testing.T, fd int) {
	openFds[fd] = true
	t.Cleanup(func() {
		if openFds[fd] {
			delete(openFds, fd)
			unix.Close(fd)
		}
	})
}

// closeFd closes a descriptor made by rawPipe or socketpair.
func closeFd(t *testing.T, fd int) {
	t.Helper()
	delete(openFds, fd)
	if err := unix.Close(fd); err != nil {
		t.Fatalf("close(%d): %v", fd, err)
	}
}

// writeByte writes one byte to a raw descriptor.
func writeByte(t *testing.T, fd int) {
	t.Helper()
	if n, err := unix.Write(fd, []byte{'.'}); n != 1 {
		t.Fatalf("write(%d): %d, %v", fd, n, err)
	}
}

// readNB reads up to n bytes from a non-blocking raw descriptor and returns
// how many it got: 0 if a read would block.
func readNB(t *testing.T, fd, n int) int {
	t.Helper()
	buf := make([]byte, n)
	got, err := unix.Read(fd, buf)
	switch {
	case err == unix.EAGAIN:
		return 0
	case err != nil:
		t.Fatalf("read(%d): %v", fd, err)
	}
	return got
}

// readAll reads a non-blocking raw descriptor until it would block, and
// returns how many bytes it got.
func readAll(t *testing.T, fd int) int {
	t.Helper()
	total := 0
	for {
		n := readNB(t, fd, 4096)
		if n == 0 {
			return total
		}
		total += n
	}
}

// fill writes to a non-blocking descriptor until a write would block, and
// returns how many bytes it took.
func fill(t *testing.T, fd int) int {
	t.Helper()
	chunk := make([]byte, 64<<10)
	total := 0
	for {
		n, err := unix.Write(fd, chunk)
		if err == unix.EAGAIN {
			return total
		}
		if err != nil {
			t.Fatalf("write(%d): %v", fd, err)
		}
		total += n
	}
}

// cpuTime is the CPU time the process has used (spin tests).
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sendOOB sends one byte of TCP urgent data on a socket.
func sendOOB(t *testing.T, fd int, b byte) {
	t.Helper()
	if err := unix.Send(fd, []byte{b}, unix.MSG_OOB); err != nil {
		t.Fatalf("send MSG_OOB: %v", err)
	}
}

// recvOOB reads the urgent byte of a socket, which must be there.
func recvOOB(t *testing.T, fd int) byte {
	t.Helper()
	buf := make([]byte, 1)
	n, _, err := unix.Recvfrom(fd, buf, unix.MSG_OOB)
	if err != nil || n != 1 {
		t.Fatalf("recv MSG_OOB: %d, %v", n, err)
	}
	return buf[0]
}
