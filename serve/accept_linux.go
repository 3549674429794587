package serve

import "golang.org/x/sys/unix"

// acceptRaw accepts one connection as a non-blocking, close-on-exec
// descriptor, in one call.
func acceptRaw(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
