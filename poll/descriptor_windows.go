package poll

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// checkWatchable refuses a handle that WSAPoll cannot watch: on Windows,
// descriptor events watch sockets only, not files, pipes or consoles.
// Checking when the Spec is made lets Spec.Err report it before Add.
func checkWatchable(fd int) error {
	if _, err := identify(fd); err != nil {
		return badDescriptor(err, "handle %d is not an open socket (Windows watches sockets only): %v", fd, err)
	}
	return nil
}

// platformNumber takes a SOCKET given as a handle, the type Winsock calls
// of x/sys/windows and syscall return it as.
func platformNumber(v any) (int64, bool) {
	switch h := v.(type) {
	case windows.Handle:
		return int64(h), true
	case syscall.Handle:
		return int64(h), true
	}
	return 0, false
}
