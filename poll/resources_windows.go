package poll

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// isResourceError reports whether err carries a system error saying
// Winsock or the system ran out of sockets, handles or memory.
func isResourceError(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case windows.WSAEMFILE, windows.WSAENOBUFS, windows.ERROR_NOT_ENOUGH_MEMORY,
		windows.ERROR_NO_SYSTEM_RESOURCES, windows.ERROR_TOO_MANY_OPEN_FILES:
		return true
	}
	return false
}
