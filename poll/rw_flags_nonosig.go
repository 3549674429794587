//go:build darwin || solaris

package poll

import "golang.org/x/sys/unix"

// The flags of every send, and of a receive from a socket in blocking
// mode: do not wait. MSG_NOSIGNAL is not used here: the SIGPIPE of a
// broken connection is ignored by the Go runtime (see Write), and the send
// fails with EPIPE.
const (
	msgDontWait = unix.MSG_DONTWAIT
	msgNoSignal = 0
)
