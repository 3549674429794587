//go:build aix || darwin || dragonfly || freebsd || netbsd || openbsd || solaris

package poll

import "golang.org/x/sys/unix"

// socketFirst is false here: unix.Recvfrom's address buffer escapes (an
// allocation per read) and raw system calls are not the platform's way, so
// a descriptor's mode is asked first and only a blocking one is taken for
// a socket (rw_unix.go).
const socketFirst = false

// recvNow is one recvfrom(2) with MSG_DONTWAIT.
func recvNow(fd int, p []byte) (int, error) {
	return ignoringEINTR(func() (int, error) {
		n, _, err := unix.Recvfrom(fd, p, msgDontWait)
		return n, err
	})
}
