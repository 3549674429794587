//go:build unix && !linux

package serve

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// acceptRaw accepts one connection as a non-blocking, close-on-exec
// descriptor: accept(2) and then two fcntl(2), the way package net does
// where accept4 is not used. ForkLock keeps a concurrent fork from
// inheriting the descriptor before it is close-on-exec.
func acceptRaw(fd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}
