//go:build freebsd || netbsd

package poll

// exceptFilter is 0 where kqueue has no EVFILT_EXCEPT: exception events
// need the Portable backend there.
const (
	exceptFilter = 0
	exceptFlags  = 0
)
