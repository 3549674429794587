//go:build linux

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// BenchmarkReadWriteRawSocket is one poll.Write and one poll.Read of 64
// bytes on a non-blocking socket pair given as int descriptors, as a server
// holding raw accepted descriptors makes them: what the two calls cost
// beyond the kernel's read and write. Compare with
// BenchmarkBaselineReadWriteRawSocket, the bare system calls.
func BenchmarkReadWriteRawSocket(b *testing.B) {
	a, z := socketPair(b)
	p := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := poll.Write(a, p); err != nil {
			b.Fatal(err)
		}
		if _, err := poll.Read(z, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineReadWriteRawSocket is ReadWriteRawSocket with
// unix.Write and unix.Read.
func BenchmarkBaselineReadWriteRawSocket(b *testing.B) {
	a, z := socketPair(b)
	p := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := unix.Write(a, p); err != nil {
			b.Fatal(err)
		}
		if _, err := unix.Read(z, p); err != nil {
			b.Fatal(err)
		}
	}
}

// socketPair returns the two ends of a non-blocking AF_UNIX stream socket
// pair, closed when the benchmark ends.
func socketPair(b *testing.B) (int, int) {
	b.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}
