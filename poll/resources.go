package poll

import (
	"errors"

	"github.com/evchan/evchan/internal/errs"
)

// ErrResources is wrapped, beside the system's own error, by the errors
// of a descriptor event that the kernel refused for want of resources: no
// descriptor left for a container's first poller (EMFILE, ENFILE: the
// process or the system is at its limit of open files), no memory, or
// epoll's limit of watched descriptors (ENOSPC). The container is left as
// it was; Add succeeds again once resources are freed.
//
//	if errors.Is(err, poll.ErrResources) { /* shed load: close idle connections */ }
//
// errors.Is(err, syscall.EMFILE) and the like still tell which limit was
// reached.
var ErrResources = errors.New("poll: out of kernel resources")

// outOfResources wraps err, an error of the package, with ErrResources
// when the system error it carries says the kernel ran out of something,
// and returns it unchanged otherwise. The sentence says so at its end:
// "poll: epoll_create1: too many open files (out of kernel resources)".
func outOfResources(err error) error {
	if err == nil {
		return nil
	}
	if isResourceError(err) {
		return errs.New(err.Error()+" (out of kernel resources)", err, ErrResources)
	}
	return err
}
