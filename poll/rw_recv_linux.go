package poll

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// socketFirst says Read and Write take a descriptor given as a number for
// a socket first (one recvfrom(2) or sendmsg(2) with MSG_DONTWAIT, which
// needs no fcntl(2) for the mode), and ask its mode only when it is none.
// Linux only, where recvNow costs no allocation.
const socketFirst = true

// recvNow is one recvfrom(2) with MSG_DONTWAIT and no address buffer:
// unix.Recvfrom passes one, which escapes, an allocation per read.
func recvNow(fd int, p []byte) (int, error) {
	return ignoringEINTR(func() (int, error) {
		r, _, errno := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), msgDontWait, 0, 0)
		if errno != 0 {
			return -1, errno
		}
		return int(r), nil
	})
}
