package poll

// AIX has no MSG_DONTWAIT: a socket in blocking mode is read and written
// as a pipe is, after poll(2). MSG_NOSIGNAL is not used either: the SIGPIPE
// of a broken connection is ignored by the Go runtime (see Write), and the
// send fails with EPIPE.
const (
	msgDontWait = 0
	msgNoSignal = 0
)
