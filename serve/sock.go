package serve

import "errors"

// errAgain is what a socket's read and write return when the kernel has
// nothing to read or no room now (EAGAIN): the event loop waits for the
// next readiness.
var errAgain = errors.New("serve: not ready")
