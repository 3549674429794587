//go:build dragonfly || freebsd || linux || netbsd || openbsd

package poll

import "golang.org/x/sys/unix"

// The flags of every send, and of a receive from a socket in blocking
// mode: do not wait, and report a broken connection with EPIPE but no
// SIGPIPE.
const (
	msgDontWait = unix.MSG_DONTWAIT
	msgNoSignal = unix.MSG_NOSIGNAL
)
