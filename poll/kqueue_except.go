//go:build darwin || dragonfly || openbsd

package poll

import "golang.org/x/sys/unix"

// exceptFilter watches out-of-band data where kqueue has EVFILT_EXCEPT.
const (
	exceptFilter = unix.EVFILT_EXCEPT
	exceptFlags  = unix.NOTE_OOB
)
